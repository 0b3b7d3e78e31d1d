"""A synthetic project: the site's sources with n generated, fictional case records.

Used by the benchmarks (search, build) to see how the site behaves with a corpus
far larger than the real one. The records are fictional but realistic in shape
and length: bilingual titles, summaries and prose, 1–3 fields, prefectures,
municipalities, technologies, funding, partners, outcomes, awards (real
programme editions from vocab/awards.yml), sources and search keywords. Every
record passes the site's validation.

    from bench.synthetic import make_synthetic_project
    project = make_synthetic_project(Path("/tmp/synth"), 3000)

CLI:

    python bench/synthetic.py DEST N [--seed S] [--no-courses] [--build SITE_DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITE_PARTS = ("mkdocs.yml", "docs", "hooks", "overrides", "vocab", "schema")

# Fictional municipality names (kanji, reading-free romanisation).
_PLACE_STEMS = [
    ("みどり", "Midori"), ("桜川", "Sakuragawa"), ("青葉", "Aoba"), ("北浜", "Kitahama"), ("東山", "Higashiyama"),
    ("若松", "Wakamatsu"), ("白石", "Shiroishi"), ("朝日", "Asahi"), ("高原", "Takahara"), ("川辺", "Kawabe"),
    ("山里", "Yamazato"), ("海南", "Kainan"), ("本宮", "Motomiya"), ("大和田", "Owada"), ("上野原", "Uenohara"),
    ("清水", "Shimizu"), ("緑川", "Midorikawa"), ("南原", "Minamihara"), ("西浦", "Nishiura"), ("星野", "Hoshino"),
    ("岩倉", "Iwakura"), ("松原", "Matsubara"), ("春日", "Kasuga"), ("花園", "Hanazono"), ("木曽川", "Kisogawa"),
    ("日向", "Hyuga"), ("美浜", "Mihama"), ("竹田", "Takeda"), ("久万", "Kuma"), ("鷹巣", "Takanosu"),
    ("雲雀", "Hibari"), ("霧島台", "Kirishimadai"), ("夕陽丘", "Yuhigaoka"), ("泉", "Izumi"), ("真砂", "Masago"),
    ("千草", "Chigusa"), ("小浜", "Obama"), ("三川", "Mikawa"), ("秋山", "Akiyama"), ("羽根", "Hane"),
]
_MUNI_KIND = [("市", "City"), ("町", "Town"), ("村", "Village")]

# Per field: (ja topic, en topic, ja problem, en problem, ja keywords, en keywords)
_TOPICS = {
    "education": [("遠隔授業", "remote lessons", "小規模校の生徒が多様な授業を受けにくい", "pupils at small schools have few subjects to choose from",
                   ["えんかくじゅぎょう", "オンライン授業"], ["online classes"]),
                  ("プログラミング教育", "coding education", "情報教育を担う教員が不足している", "there are too few teachers for computing",
                   ["ぷろぐらみんぐ", "情報教育"], ["coding", "computing"])],
    "health": [("高齢者見守り", "monitoring of older residents", "一人暮らしの高齢者の異変に気づきにくい", "changes in older people living alone go unnoticed",
                ["みまもり", "見守りサービス"], ["elderly monitoring"]),
               ("オンライン診療", "online consultations", "通院に長い時間がかかる", "patients travel far to see a doctor",
                ["えんかくしんりょう"], ["telehealth"])],
    "work": [("サテライトオフィス", "satellite offices", "若い世代が都市部へ流出している", "young people move to the cities",
              ["てれわーく", "ワーケーション"], ["remote work"]),
             ("テレワーク拠点", "telework hubs", "子育て中の人が働ける場が少ない", "parents have few places to work",
              ["りもーとわーく"], ["coworking"])],
    "disaster": [("河川水位監視", "river-level monitoring", "豪雨のたびに浸水の危険がある", "heavy rain threatens to flood the area",
                  ["ぼうさい", "すいいかんし"], ["flood warning"]),
                 ("避難情報配信", "evacuation alerts", "避難の呼びかけが住民に届きにくい", "evacuation calls do not reach residents",
                  ["ひなん", "災害情報"], ["evacuation"])],
    "agriculture": [("鳥獣被害対策", "wildlife damage control", "イノシシやシカによる農作物被害が続いている", "boar and deer keep damaging crops",
                     ["じゅうがい", "わな"], ["wildlife traps"]),
                    ("スマート農業", "smart farming", "担い手の高齢化で作業が追いつかない", "ageing farmers cannot keep up with the work",
                     ["すまーとのうぎょう", "水田センサー"], ["paddy sensors"])],
    "business": [("商店街キャッシュレス", "cashless shopping street", "商店街の売上が減っている", "sales in the shopping street are falling",
                  ["しょうてんがい"], ["local shops"]),
                 ("地場産品EC", "online shop for local products", "地場産品の販路が限られている", "local products have few outlets",
                  ["じばさんぴん", "通販"], ["e-commerce"])],
    "tourism": [("観光周遊アプリ", "sightseeing route app", "観光客が一部の名所に集中している", "visitors crowd a few famous sights",
                 ["かんこう", "周遊"], ["sightseeing"]),
                ("多言語観光案内", "multilingual visitor guide", "外国人観光客への案内が不足している", "there is little guidance for foreign visitors",
                 ["たげんご", "インバウンド"], ["inbound tourism"])],
    "public-private": [("行政手続オンライン化", "online municipal services", "窓口の待ち時間が長い", "residents wait long at the counter",
                        ["ぎょうせいてつづき", "電子申請"], ["e-government"]),
                       ("地域ポイント", "local points scheme", "住民の地域活動への参加が少ない", "few residents take part in community activities",
                        ["ちいきぽいんと"], ["community points"])],
    "smart-city": [("都市データ連携", "city data platform", "分野ごとにデータが分散している", "data is scattered across departments",
                    ["すまーとしてぃ", "都市OS"], ["urban data"]),
                   ("オンデマンド交通", "on-demand transport", "路線バスの利用者が減っている", "fewer people ride the buses",
                    ["のりあい", "デマンド交通"], ["ride sharing", "demand-responsive transport"])],
    "iot-infra": [("LPWA共同利用網", "shared LPWA network", "センサーをつなぐ通信網がない", "there is no network for sensors",
                   ["えるぴーだぶりゅーえー", "ろらわん"], ["LoRaWAN"]),
                  ("公衆無線LAN整備", "public Wi-Fi", "災害時や観光時の通信手段が乏しい", "there are few ways to connect in emergencies or on trips",
                   ["むせんらん", "わいふぁい"], ["Wi-Fi"])],
    "childcare": [("子育て支援アプリ", "parenting support app", "子育て世帯が必要な情報を探しにくい", "families struggle to find information",
                   ["こそだて", "母子手帳アプリ"], ["parenting"]),
                  ("保育所AI入所選考", "AI nursery allocation", "保育所の入所調整に多くの時間がかかる", "allocating nursery places takes staff weeks",
                   ["ほいくしょ", "入所選考"], ["nursery places"])],
}

_ORG_TYPES = ["municipality", "company", "npo", "association", "university", "cooperative"]
_PARTNERS = [("株式会社みらいネット", "Mirai Net Co., Ltd.", "industry"), ("地域大学", "a local university", "academia"),
             ("県", "the prefectural government", "government"), ("地方銀行", "a regional bank", "finance"),
             ("自治会連合会", "the federation of neighbourhood associations", "community"),
             ("NPO法人まちづくりラボ", "Machizukuri Lab (NPO)", "community"),
             ("通信事業者", "a telecoms operator", "industry"), ("高等専門学校", "a national college of technology", "academia")]
_METRICS = [("利用者数", "Users", "人", "people"), ("登録件数", "Registrations", "件", "registrations"),
            ("作業時間の削減率", "Reduction in working time", "%", "%"), ("年間の利用回数", "Uses per year", "回", "uses"),
            ("参加事業者数", "Participating businesses", "社", "businesses")]


_KANA = [("カ", "ka"), ("ミ", "mi"), ("ナ", "na"), ("ト", "to"), ("ラ", "ra"), ("ル", "ru"), ("サ", "sa"), ("ノ", "no"),
         ("リ", "ri"), ("ア", "a"), ("イ", "i"), ("コ", "ko"), ("テ", "te"), ("ス", "su"), ("マ", "ma"), ("ヨ", "yo"),
         ("ハ", "ha"), ("モ", "mo"), ("ユ", "yu"), ("ネ", "ne"), ("キ", "ki"), ("タ", "ta"), ("ソ", "so"), ("レ", "re")]

# Extra sentences, so that the corpus has a realistic variety of words.
_EXTRA = [
    ("事業は{year}年度に実証として始まり、翌年度から本格運用に移りました。", "The project began as a trial in FY{year} and moved to full operation the following year."),
    ("運用は地元企業の{brand}が担い、保守費用は年間{cost}千円です。", "Local company {brand_en} runs the service; maintenance costs {cost} thousand yen a year."),
    ("住民説明会を{n}回開き、高齢者にはスマートフォン教室も開催しました。", "The town held {n} briefings for residents and ran smartphone classes for older people."),
    ("取組は{pref}内の他の自治体にも紹介され、視察の受け入れも行っています。", "The work has been presented to other municipalities in {pref_en}, and the town hosts study visits."),
    ("サービス名の「{brand}」は公募で決まりました。", "The name of the service, {brand_en}, was chosen by public vote."),
    ("データはオープンデータとしても公開し、{n}件のデータセットを掲載しています。", "The data is also published as open data, with {n} datasets online."),
    ("職員の作業時間は導入前と比べて約{pct}%減りました。", "Staff time spent on the work fell by about {pct}% compared with before."),
    ("今後は近隣の{n}市町村と共同で運用する計画です。", "The town plans to run the service jointly with {n} neighbouring municipalities."),
]


def _brand(rng: random.Random) -> tuple[str, str]:
    parts = rng.sample(_KANA, rng.randint(3, 5))
    return "".join(p[0] for p in parts), "".join(p[1] for p in parts).capitalize()


def _lc(name: str) -> str:
    """Lower-case an English vocabulary name for use mid-sentence, except acronyms (5G, AI, LPWA)."""
    return name if len(name) > 1 and name[1].isupper() else name[0].lower() + name[1:]


def _muni(rng: random.Random) -> tuple[str, str]:
    stem, en = rng.choice(_PLACE_STEMS)
    kind, kind_en = rng.choice(_MUNI_KIND)
    return stem + kind, f"{en} {kind_en}"


def _load_vocab() -> dict:
    def load(name: str):
        return yaml.safe_load((ROOT / "vocab" / name).read_text(encoding="utf-8"))

    return {k: load(f"{k}.yml") for k in ("fields", "prefectures", "technologies", "funding", "awards")}


def make_case(i: int, rng: random.Random, vocab: dict, today: dt.date) -> dict:
    """One fictional case record (a dict ready to dump as YAML)."""
    field_ids = [f["id"] for f in vocab["fields"]]
    fields = rng.sample(field_ids, rng.choice([1, 1, 2, 2, 3]))
    main = fields[0]
    topic_ja, topic_en, prob_ja, prob_en, kw_ja, kw_en = rng.choice(_TOPICS[main])
    prefs = rng.sample([p for p in vocab["prefectures"]], rng.choice([1, 1, 1, 2]))
    pref = prefs[0]
    muni_ja, muni_en = _muni(rng)
    techs = rng.sample([t for t in vocab["technologies"]], rng.randint(1, 4))
    tech_ja = techs[0]["ja"].split("（")[0]
    tech_en = techs[0]["en"]
    start = rng.randint(2008, min(2024, today.year))
    end = rng.choice([None, None, None, min(start + rng.randint(1, 5), today.year)])
    ident = f"synth-{i:05d}-{pref['en'].lower().replace(' ', '-')}-{main}"
    title_ja = f"{muni_ja}の{tech_ja}を活用した{topic_ja}（{i}）"
    title_en = f"{topic_en[0].upper() + topic_en[1:]} using {_lc(tech_en)} in {muni_en} ({i})"
    lead_ja = f"{muni_ja}役場" if rng.random() < 0.6 else f"{muni_ja}{topic_ja}推進協議会"
    lead_en = f"{muni_en} Office" if lead_ja.endswith("役場") else f"{muni_en} {topic_en} council"
    n_people = rng.randint(2, 400) * 10
    src_id = "city-report"
    sources = [{"id": src_id, "url": f"https://example.org/{ident}/report.html",
                "title": f"{muni_ja}における{topic_ja}の取組について", "publisher": f"{pref['ja']}{muni_ja}",
                "date": f"{start + 1}-0{rng.randint(1, 9)}", "accessed": (today - dt.timedelta(days=rng.randint(1, 300))).isoformat()}]
    awards = []
    if rng.random() < 0.7:
        prog = rng.choice(vocab["awards"])
        eds = [e for e in prog.get("editions", []) if e.get("prizes")]
        if eds:
            ed = rng.choice(eds)
            prize = rng.choice(ed["prizes"])
            sources.append({"id": "award-page", "url": f"https://example.org/awards/{prog['id']}/{ed['year']}.html",
                            "title": f"{ed['name']['ja']}の受賞者", "publisher": prog["organiser"]["ja"],
                            "accessed": (today - dt.timedelta(days=rng.randint(1, 300))).isoformat()})
            awards.append({"programme": prog["id"], "year": ed["year"], "prize": prize["id"], "source": "award-page"})
    fund = rng.sample([f["id"] for f in vocab["funding"]], rng.randint(1, 3))
    partners = [{"name": {"ja": p[0], "en": p[1]}, "sector": p[2]} for p in rng.sample(_PARTNERS, rng.randint(1, 3))]
    co_ja, co_en = _brand(rng)
    partners.append({"name": {"ja": f"株式会社{co_ja}", "en": f"{co_en} Inc."}, "sector": "industry"})
    outcomes = []
    for metric in rng.sample(_METRICS, rng.randint(1, 3)):
        outcomes.append({"metric": {"ja": metric[0], "en": metric[1]}, "value": str(rng.randint(2, 900)),
                         "unit": {"ja": metric[2], "en": metric[3]}, "as_of": str(min(start + 2, today.year)), "source": src_id})
    techs_ja = "、".join(t["ja"] for t in techs)
    techs_en = ", ".join(_lc(t["en"]) for t in techs)
    brand_ja, brand_en = _brand(rng)
    extra = []
    for ja, en in rng.sample(_EXTRA, rng.randint(2, 4)):
        vals = dict(year=start, brand=brand_ja, brand_en=brand_en, cost=rng.randint(100, 9000), n=rng.randint(2, 40),
                    pref=pref["ja"], pref_en=pref["en"], pct=rng.randint(10, 70))
        extra.append((ja.format(**vals), en.format(**vals)))
    extra_ja = "".join(e[0] for e in extra)
    extra_en = " ".join(e[1] for e in extra)
    record = {
        "id": ident,
        "title": {"ja": title_ja, "en": title_en},
        "organisations": [{"name": {"ja": lead_ja, "en": lead_en},
                           "type": "municipality" if lead_ja.endswith("役場") else rng.choice(_ORG_TYPES[1:])}],
        "location": {"prefectures": [p["code"] for p in prefs],
                     "municipalities": [{"ja": muni_ja, "en": muni_en}],
                     "population": {"value": rng.randint(800, 400000), "as_of": str(start), "source": src_id}},
        "fields": fields,
        "stage": rng.choice(["demonstration", "implementation", "implementation", "scale-out"]),
        "period": {"start": start} | ({"end": end} if end else {}),
        "summary": {
            "ja": f"{pref['ja']}{muni_ja}は、{techs_ja}を使った{topic_ja}に取り組んでいます。{prob_ja}という課題に対し、"
                  f"住民や事業者と協力して仕組みをつくり、{start}年から運用しています。",
            "en": f"{muni_en} in {pref['en']} runs a {topic_en} service built on {techs_en}. Because {prob_en}, the town worked with "
                  f"residents and businesses to set up the service, which has been running since {start}.",
        },
        "background": {
            "ja": f"{muni_ja}では{prob_ja}ことが長年の課題でした。人口はおよそ{n_people}人で、担い手の高齢化も進んでいます。"
                  f"これまでの取組では十分な効果が得られず、新しい方法が求められていました。",
            "en": f"In {muni_en}, {prob_en}, and has been for years. The town has about {n_people} people and an ageing workforce. "
                  f"Earlier efforts had not worked well enough, and a new approach was needed.",
        },
        "approach": {
            "ja": f"{lead_ja}が中心となり、{techs_ja}を組み合わせた{topic_ja}の仕組みを整えました。"
                  f"地域の事業者や大学と連携し、住民向けの説明会を重ねながら段階的に対象地域を広げています。"
                  f"\n\n集めたデータは{tech_ja}を通じて関係者が共有し、運用の改善に役立てています。{extra_ja}",
            "en": f"{lead_en} led the work, combining {techs_en} into a {topic_en} service. Working with local businesses and a "
                  f"university, and holding briefings for residents, it has extended the service area step by step."
                  f"\n\nThe data collected is shared among the partners through {_lc(tech_en)} and used to improve operations. {extra_en}",
        },
        "outcomes": outcomes,
        "technologies": [t["id"] for t in techs],
        "funding": {"types": fund},
        "partners": partners,
        "awards": awards,
        "keywords": {"ja": kw_ja + [pref.get("reading", pref["ja"])], "en": kw_en + [pref["en"]]},
        "sources": sources,
        "added": (today - dt.timedelta(days=rng.randint(0, 400))).isoformat(),
        "last_reviewed": (today - dt.timedelta(days=rng.randint(0, 200))).isoformat(),
    }
    if rng.random() < 0.4:
        record["replication"] = {
            "ja": f"同じ規模の自治体であれば、{tech_ja}の初期費用と年間の運用費を確保すれば導入できます。",
            "en": f"A municipality of similar size could do the same if it funds the set-up and yearly running costs of {_lc(tech_en)}.",
        }
    return record


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the site's loader refuses anchors and aliases
        return True


def write_cases(dest: Path, n_cases: int, seed: int = 0, today: dt.date | None = None) -> list[Path]:
    """Write n fictional case files into ``dest`` (a cases/ folder)."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    vocab = _load_vocab()
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(1, n_cases + 1):
        rec = make_case(i, rng, vocab, today)
        path = dest / f"{rec['id']}.yml"
        path.write_text(yaml.dump(rec, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000),
                        encoding="utf-8")
        out.append(path)
    return out


def make_synthetic_project(dest: Path, n_cases: int, seed: int = 0, *, with_courses: bool = True,
                           with_real_cases: bool = False) -> Path:
    """A copy of the site's sources (like tests/conftest.py:make_project) with n fictional cases.

    ``with_courses`` copies the real courses/ folder (else an empty one);
    ``with_real_cases`` also copies the real cases/ next to the generated ones.
    Returns ``dest`` (the project folder: run ``mkdocs build`` in it).
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dest / part)
    if not (dest / "regiot").exists():
        (dest / "regiot").symlink_to(ROOT / "regiot")
    cases = dest / "cases"
    if cases.exists():
        shutil.rmtree(cases)
    if with_real_cases:
        shutil.copytree(ROOT / "cases", cases)
    write_cases(cases, n_cases, seed)
    courses = dest / "courses"
    if courses.exists():
        shutil.rmtree(courses)
    if with_courses and (ROOT / "courses").is_dir():
        shutil.copytree(ROOT / "courses", courses)
    else:
        courses.mkdir()
    return dest


def build(project: Path, site_dir: Path, extra_env: dict | None = None, output: list[str] | None = None) -> float:
    """Run ``mkdocs build --strict`` in ``project``; return the seconds it took (its messages go to ``output``)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/")
    env.update(extra_env or {})
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    t0 = time.perf_counter()
    res = subprocess.run([mkdocs, "build", "--strict", "--site-dir", str(site_dir)], cwd=project,
                         capture_output=True, text=True, env=env)
    took = time.perf_counter() - t0
    if res.returncode != 0:
        raise RuntimeError(f"build failed in {project}:\n{res.stdout[-4000:]}\n{res.stderr[-4000:]}")
    if output is not None:
        output.append(res.stdout + res.stderr)
    return took


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dest", type=Path, help="project folder to create")
    ap.add_argument("n", type=int, help="number of fictional cases")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-courses", action="store_true", help="leave courses/ empty")
    ap.add_argument("--with-real-cases", action="store_true", help="also copy the real cases/")
    ap.add_argument("--build", type=Path, metavar="SITE_DIR", help="then build the site into SITE_DIR")
    args = ap.parse_args(argv)
    project = make_synthetic_project(args.dest, args.n, args.seed, with_courses=not args.no_courses,
                                     with_real_cases=args.with_real_cases)
    print(f"{project}: {args.n} synthetic cases")
    if args.build:
        took = build(project, args.build.resolve())
        print(f"built {args.build} in {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
