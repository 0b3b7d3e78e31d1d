"""Open data exports: cases as JSON and CSV, and Atom feeds of newly added cases."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .site import Site, tr

LIST_SEP = "; "

# (column, description ja, description en, function(site, case) -> value)
CSV_COLUMNS: list[tuple[str, str, str, Any]] = [
    ("id", "事例ID（ページのURLにも使われる）", "Case id (also used in the page URL)", lambda s, c: c["id"]),
    ("title_ja", "事例名（日本語）", "Title (Japanese)", lambda s, c: c["title"]["ja"]),
    ("title_en", "事例名（英語）", "Title (English)", lambda s, c: c["title"].get("en", "")),
    ("organisations_ja", "実施主体（日本語、「; 」区切り）", "Organisations running it (Japanese, '; '-separated)",
     lambda s, c: LIST_SEP.join(o["name"]["ja"] for o in c["organisations"])),
    ("organisations_en", "実施主体（英語）", "Organisations running it (English)",
     lambda s, c: LIST_SEP.join(o["name"].get("en", "") for o in c["organisations"])),
    ("prefecture_codes", "都道府県コード（JIS X 0401、最初が主な実施地）", "Prefecture codes (JIS X 0401; the first is the main one)",
     lambda s, c: LIST_SEP.join(c["location"]["prefectures"])),
    ("prefectures_ja", "都道府県名（日本語）", "Prefecture names (Japanese)",
     lambda s, c: LIST_SEP.join(s.vocab.by_pref[p]["ja"] for p in c["location"]["prefectures"])),
    ("prefectures_en", "都道府県名（英語）", "Prefecture names (English)",
     lambda s, c: LIST_SEP.join(s.vocab.by_pref[p]["en"] for p in c["location"]["prefectures"])),
    ("block", "主な実施地の地域ブロック（総合通信局の管轄）", "Regional block of the main prefecture (MIC regional bureau area)",
     lambda s, c: s.block_of(c)["id"]),
    ("municipalities_ja", "市区町村（日本語）", "Municipalities (Japanese)",
     lambda s, c: LIST_SEP.join(m["ja"] for m in c["location"]["municipalities"])),
    ("fields", "ロードマップの分野ID", "Roadmap field ids", lambda s, c: LIST_SEP.join(c["fields"])),
    ("fields_ja", "ロードマップの分野（日本語）", "Roadmap fields (Japanese)",
     lambda s, c: LIST_SEP.join(s.vocab.by_field[f]["ja"] for f in c["fields"])),
    ("stage", "段階（demonstration=実証、implementation=実装、scale-out=横展開）",
     "Stage (demonstration, implementation, scale-out)", lambda s, c: c["stage"]),
    ("period_start", "開始年", "Start year", lambda s, c: c["period"]["start"]),
    ("period_end", "終了年（継続中は空欄）", "End year (empty if ongoing)", lambda s, c: c["period"]["end"] or ""),
    ("summary_ja", "概要（日本語）", "Summary (Japanese)", lambda s, c: c["summary"]["ja"]),
    ("summary_en", "概要（英語）", "Summary (English)", lambda s, c: c["summary"].get("en", "")),
    ("technologies", "技術ID", "Technology ids", lambda s, c: LIST_SEP.join(c["technologies"])),
    ("funding_types", "資金の種類ID", "Funding type ids",
     lambda s, c: LIST_SEP.join(c["funding"]["types"]) if c["funding"] else ""),
    ("awards", "表彰・選定（制度ID:年度:賞ID）", "Awards and selections (programme:year:prize)",
     lambda s, c: LIST_SEP.join(f"{a['programme']}:{a['year']}:{a['prize']}" for a in c["awards"])),
    ("awards_ja", "表彰・選定の名称（日本語）", "Award names (Japanese)",
     lambda s, c: LIST_SEP.join(s.award_label(a, "ja") for a in c["awards"])),
    ("outcomes", "成果の数（詳細はJSON）", "Number of outcome figures (details in the JSON)", lambda s, c: len(c["outcomes"])),
    ("sources", "出典URL", "Source URLs", lambda s, c: LIST_SEP.join(x["url"] for x in c["sources"])),
    ("translation_pending", "英語版が未作成なら true", "true if the English texts are not written yet",
     lambda s, c: "true" if c["translation_pending"] else "false"),
    ("added", "掲載日", "Date added", lambda s, c: c["added"]),
    ("last_reviewed", "出典との最終確認日", "Last checked against sources", lambda s, c: c["last_reviewed"]),
    ("url_ja", "日本語ページのURL", "URL of the Japanese page", lambda s, c: f"{s.site_url}cases/{c['id']}/"),
    ("url_en", "英語ページのURL", "URL of the English page", lambda s, c: f"{s.site_url}en/cases/{c['id']}/"),
]


def public_record(case: dict) -> dict:
    """A case exactly as its file states it (valid against case.schema.json)."""
    return json.loads(case["_raw"])


def cases_json(site: Site) -> str:
    return json.dumps([public_record(c) for c in site.cases], ensure_ascii=False, indent=1) + "\n"


def cases_csv(site: Site) -> str:
    """One row per case; starts with a BOM so Excel in Japan reads it as UTF-8."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([col for col, *_ in CSV_COLUMNS])
    for case in site.cases:
        writer.writerow([fn(site, case) for *_, fn in CSV_COLUMNS])
    return "\ufeff" + buf.getvalue()


def feed_entries(site: Site, limit: int = 30) -> list[dict]:
    return sorted(site.cases, key=lambda c: (c["added"], c["id"]), reverse=True)[:limit]


def csv_columns(lang: str) -> list[tuple[str, str]]:
    return [(col, ja if lang == "ja" else en) for col, ja, en, _ in CSV_COLUMNS]


__all__ = ["cases_json", "cases_csv", "feed_entries", "csv_columns", "tr"]
