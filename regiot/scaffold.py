"""Write a new, fully commented case file generated from the case schema.

``new_case(root, "my-town-project")`` writes ``cases/my-town-project.yml``;
``render_template()`` returns the text of ``templates/case-template.yml`` (the
same file without an id or dates, for contributors who copy it in GitHub's web
editor). Both walk ``schema/case.schema.json``, so a field added to the schema
appears here without code changes; its Japanese comment comes from ``JA`` below
(a test fails until one is written) and its English comment from the schema's
``description``.

The generated file is valid YAML but deliberately *fails* validation until it is
filled in: every required text is ``""``, every required list is empty, every
required number is blank, so ``make validate`` lists exactly what is missing.
Optional fields whose empty form would be invalid (a text that must not be empty,
a list of records) are written commented out: removing the ``#`` in front of
each of their lines switches them on. Optional fields that are valid while empty
(a list of vocabulary ids, a true/false switch) are written out.

Run ``python -m regiot.scaffold`` to rewrite ``templates/case-template.yml``
after changing the schema or a vocabulary.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

from .cases import SCHEMA_PATH, load_schema

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = ROOT / "templates" / "case-template.yml"
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/case.schema.json"
WRAP = 96

# Japanese explanation of every field, keyed by its path in the schema
# ("organisations[].type": the `type` of each item of `organisations`).
JA: dict[str, str] = {
    "id": "事例の識別子です。ファイル名（.yml を除いた部分）と同じにします。半角の英小文字・数字・ハイフンだけを使います（例: rumoi-sea-cucumber-it-fishing）。",
    "title": "取組の短い名前です。",
    "organisations": "取組を実施している団体です（市区町村、企業、大学、NPO など）。1件目を中心となる団体にします。2件目からは「- name:」の行から type: の行までをコピーして、下に追加します。",
    "organisations[].name": "団体の正式な名称です。",
    "organisations[].type": "団体の種類です。",
    "location": "取組を行っている場所です。",
    "location.prefectures": "関係する都道府県を、2桁のコード（JIS X 0401）で書きます。1件目を主な都道府県にします。コードは \"01\" のように引用符で囲みます。例: [\"01\"] や [\"15\", \"20\"]",
    "location.municipalities": "関係する市区町村です（地域を限った取組の場合）。2件目からは「- ja:」の行から en: の行までをコピーして追加します。",
    "location.population": "主な市区町村の人口です。情報源に書かれている場合だけ、その時点とともに書きます。",
    "location.population.value": "人口です。数字だけを書きます（例: 2353）。",
    "location.population.as_of": "人口の時点です（YYYY、YYYY-MM または YYYY-MM-DD）。",
    "location.population.source": "人口を確認した情報源の id です（下の sources に書いた id）。",
    "fields": "地域IoT実装推進ロードマップの分野です。関係の深い順に1〜4個書きます。例: [agriculture, iot-infra]",
    "stage": "取組の段階です。",
    "period": "取組の期間です。",
    "period.start": "取組を始めた年です（西暦4桁の数字。例: 2015）。",
    "period.end": "取組を終えた年です。情報源に終了したと書かれている場合だけ書きます。",
    "summary": "取組の概要です。何をした取組で、なぜ重要なのかを、2〜3文で自分の言葉で書きます。",
    "background": "取組のきっかけになった地域の課題を、2〜5文で書きます。",
    "approach": "何を、誰が、どのように導入・運用したかを、2〜5文で書きます。",
    "outcomes": "成果を表す数値です。情報源に書かれている数値だけを、そのまま書き写します。2件目からは「- metric:」の行から source: の行までをコピーして追加します。",
    "outcomes[].metric": "何を測った数値かを書きます。",
    "outcomes[].value": "数値です。情報源の表記どおりに書きます（例: \"25\"、\"1.5\"、\"10〜20\"）。",
    "outcomes[].unit": "数値の単位です（例: 人、%、件）。",
    "outcomes[].as_of": "数値の時点、または公表された日付です（YYYY、YYYY-MM または YYYY-MM-DD）。",
    "outcomes[].source": "数値を確認した情報源の id です（下の sources に書いた id）。",
    "technologies": "使われている技術です。情報源に書かれているものをすべて書きます。例: [sensors, cloud]",
    "funding": "取組の財源です。情報源に書かれている範囲で書きます。",
    "funding.types": "財源の種類です。例: [national-subsidy]",
    "funding.note": "財源の補足です（例: 国のどの事業を活用したか）。",
    "partners": "中心となる団体のほかに連携した団体と、その区分です。2件目からは「- name:」の行から sector: の行までをコピーして追加します。",
    "partners[].name": "連携した団体の名称です。",
    "partners[].sector": "連携した団体の区分です。",
    "awards": "受賞・選定の実績です。表彰制度・回・賞は vocab/awards.yml に登録されているものを使います。登録がない場合は、同じプルリクエストで vocab/awards.yml に追加するか、プルリクエストの説明にその旨を書いてください。",
    "awards[].programme": "表彰制度の id です（vocab/awards.yml）。",
    "awards[].year": "表彰制度が名乗っている回の年です（例: 「地域情報化大賞2015」なら 2015）。",
    "awards[].prize": "賞の id です（vocab/awards.yml の、その回の prizes にある id）。",
    "awards[].source": "受賞を確認した情報源の id です（下の sources に書いた id）。",
    "replication": "ほかの地方公共団体が同じ取組を行うときに必要なこと（規模、費用、連携先など）を、情報源に書かれている範囲で書きます。",
    "note": "編集上の注記です。たとえば、情報源どうしで内容が食い違うときに、どちらに従ったかを書きます。",
    "keywords": "検索を助ける言葉です。ひらがなの読みや、よく使われる言い換えを書きます。",
    "keywords.ja": "日本語の検索語です。例: [るもい, なまこ, スマート漁業]",
    "keywords.en": "英語の検索語です。例: [sea cucumber, smart fishing]",
    "sources": "この事例のすべての事実を確認した公開ページです。実際に読んだページだけを書きます。2件目からは「- id:」の行から accessed: の行までをコピーして追加します。",
    "sources[].id": "この情報源の id です。outcomes や awards の source から、この id で参照します。半角の英小文字・数字・ハイフンで書きます（例: soumu-2016）。",
    "sources[].url": "ページのアドレスです（http:// または https:// で始まるもの）。",
    "sources[].title": "ページの題名です。",
    "sources[].publisher": "ページの発行者です（例: 総務省 北海道総合通信局）。",
    "sources[].date": "ページに公開日が書かれている場合の、その日付です（YYYY、YYYY-MM または YYYY-MM-DD）。",
    "sources[].accessed": "ページを読んだ日です（YYYY-MM-DD）。",
    "translation_pending": "英語の文章をまだ書いていないときは true にします。英語のページに、翻訳準備中の表示が出ます。",
    "added": "この事例をサイトに追加した日です（YYYY-MM-DD）。",
    "last_reviewed": "情報源と照らし合わせて最後に確認した日です（YYYY-MM-DD）。",
}

# English for the few properties whose schema entry has no description of its own.
EN_FALLBACK: dict[str, str] = {
    "organisations[].name": "Official name of the organisation.",
    "location.population.value": "Population, digits only (e.g. 2353).",
    "location.population.as_of": "Date the population figure refers to: YYYY, YYYY-MM or YYYY-MM-DD.",
    "location.population.source": "The id of the source (under sources) that states the population.",
    "period.start": "Year the project started (four digits, e.g. 2015).",
    "period.end": "Year the project ended; only if a source says it ended.",
    "outcomes[].as_of": "Date the figure refers to or was published: YYYY, YYYY-MM or YYYY-MM-DD.",
    "outcomes[].source": "The id of the source (under sources) that states the figure.",
    "funding.types": "Funding types (vocab/funding.yml), e.g. [national-subsidy].",
    "funding.note": "More detail on funding, e.g. which national programme paid for it.",
    "partners[].name": "Name of the partner.",
    "awards[].source": "The id of the source (under sources) that states the award.",
    "keywords.ja": "Search words in Japanese, e.g. hiragana readings.",
    "keywords.en": "Search words in English.",
    "sources[].id": "Identifier of this source, which outcomes and awards use to refer to it: lowercase letters, digits and hyphens (e.g. soumu-2016).",
    "sources[].title": "Title of the page.",
    "sources[].publisher": "Who published the page (e.g. MIC Hokkaido Bureau of Telecommunications).",
}

# Japanese meaning of enum values, shown next to each allowed value.
ENUM_JA: dict[str, str] = {
    "municipality": "市区町村", "prefecture": "都道府県", "company": "企業", "university": "大学・研究機関",
    "npo": "NPO法人", "association": "協議会・団体", "cooperative": "組合", "other": "その他",
    "demonstration": "実証：試行・実験の段階", "implementation": "実装：本格的に運用している段階",
    "scale-out": "横展開：ほかの地域にも広がった段階",
    "industry": "産", "academia": "学", "government": "官", "finance": "金", "community": "民・NPO",
}

# Fields whose allowed values are listed from a vocabulary file.
VOCAB_LISTS: dict[str, str] = {
    "fields": "fields",
    "technologies": "technologies",
    "funding.types": "funding",
    "location.prefectures": "prefectures",
    "awards[].programme": "awards",
}

HEADER_JA = [
    "地域IoT実装ナレッジ 事例レコード",
    "",
    "書き方",
    "・各項目の上にある説明を読み、\"\" の間に書きます。「#」で始まる行は説明なので、残したままでかまいません。",
    "・文中で引用符が必要なときは「」を使います。半角の \" は使えません。",
    "・【必須】の項目はすべて書きます。空のままだと、チェック（make validate やプルリクエストの自動チェック）で、足りない項目が行番号つきで表示されます。",
    "・【任意】の項目は、情報源に書かれている場合だけ書きます。行頭が「#」のすぐ後に項目名や空白2つが続く行（#outcomes: や #  - metric: など）は、"
    "はじめは無効にしてあります。使うときは、その項目のすべての行で、先頭の「#」を1文字だけ消します（後ろの空白は消しません）。",
    "・すべての事実は、実際に読んだ公開ページに基づいて書き、そのページを sources に書きます。数値は情報源のとおりに、時点とともに書きます。文章は自分の言葉で書き、ページの文章を写しません。",
    "・詳しくは CONTRIBUTING.md と docs/editorial-guide.md をご覧ください。",
]
TEMPLATE_JA = [
    "このひな形の使い方",
    "・GitHub の cases フォルダで「Add file」→「Create new file」を選び、ファイル名を「<id>.yml」（例: rumoi-sea-cucumber-it-fishing.yml）にして、このファイルの全文を貼り付けます。",
    "・id: にはファイル名から .yml を除いた部分を、added: と last_reviewed: には今日の日付（YYYY-MM-DD）を書きます。",
    "",
]
TEMPLATE_EN = [
    "Using this template",
    "- In GitHub's cases folder choose \"Add file\" -> \"Create new file\", name the file <id>.yml (e.g. rumoi-sea-cucumber-it-fishing.yml) and paste all of this file.",
    "- Write the file name without .yml as id:, and today's date (YYYY-MM-DD) as added: and last_reviewed:.",
    "",
]
HEADER_EN = [
    "Regional IoT Knowledge case record",
    "",
    "How to fill in",
    "- Read the explanation above each field and write between the quotes \"\". Lines starting with \"#\" are explanations; you may leave them.",
    "- Use 「」 for quotation marks inside a text; a straight \" cannot be used.",
    "- Fill in every [Required] field. While one is empty, the checks (make validate, and the automatic check on a pull request) list what is missing, with line numbers.",
    "- Fill in an [Optional] field only if a source states it. Lines where \"#\" is followed directly by a field name or by two spaces (#outcomes:, #  - metric: …) "
    "are switched off. To use such a field, delete the single \"#\" at the start of each of its lines (keep the spaces after it).",
    "- Every fact must come from a public page you actually read, listed under sources. Copy numbers exactly, with their date. Write in your own words; never copy sentences.",
    "- See CONTRIBUTING.md and docs/editorial-guide.md for details.",
]


class _Ctx:
    def __init__(self, schema: dict, case_id: str, today: str, vocab: Any | None):
        self.defs = schema.get("$defs", {})
        self.case_id = case_id
        self.today = today
        self.vocab = vocab


def _resolve(node: dict, defs: dict) -> dict:
    """A schema node with its $ref replaced by the definition (local keys win)."""
    if "$ref" not in node:
        return node
    name = node["$ref"].rsplit("/", 1)[-1]
    out = dict(_resolve(defs[name], defs))
    out.update({k: v for k, v in node.items() if k != "$ref"})
    return out


def _types(node: dict) -> set[str]:
    t = node.get("type")
    if t is None:
        return {"object"} if "properties" in node else set()
    return set(t) if isinstance(t, list) else {t}


def _is_bilingual(node: dict, defs: dict) -> bool:
    props = node.get("properties") or {}
    if set(props) != {"ja", "en"}:
        return False
    return all("string" in _types(_resolve(p, defs)) for p in props.values())


def _is_prose(node: dict, defs: dict) -> bool:
    ja = _resolve(node["properties"]["ja"], defs)
    return "pattern" not in ja


def _valid_when_empty(node: dict, defs: dict) -> bool:
    """Whether the empty form of an optional field passes the schema."""
    types = _types(node)
    if types == {"boolean"}:
        return True
    if types == {"array"} and not node.get("minItems"):
        items = _resolve(node.get("items") or {}, defs)
        return "object" not in _types(items)
    return False


def english(raw: dict, path: str, defs: dict) -> str:
    """English explanation: the schema's own description, else a fallback, else the definition's."""
    if raw.get("description"):
        return raw["description"]
    if path in EN_FALLBACK:
        return EN_FALLBACK[path]
    return _resolve(raw, defs).get("description", "")


def property_paths(schema: dict | None = None) -> list[str]:
    """Every property path the generator comments (ja/en of bilingual texts excluded)."""
    schema = schema or load_schema()
    defs = schema.get("$defs", {})
    out: list[str] = []

    def walk(node: dict, prefix: str) -> None:
        node = _resolve(node, defs)
        if _is_bilingual(node, defs):
            return
        if "array" in _types(node):
            items = _resolve(node.get("items") or {}, defs)
            if "object" in _types(items) and not _is_bilingual(items, defs):
                for name, child in items.get("properties", {}).items():
                    out.append(f"{prefix}[].{name}")
                    walk(child, f"{prefix}[].{name}")
            return
        for name, child in (node.get("properties") or {}).items():
            path = f"{prefix}.{name}" if prefix else name
            out.append(path)
            walk(child, path)

    walk(schema, "")
    return out


def _wrap_items(items: list[str], width: int = WRAP) -> list[str]:
    lines, cur = [], ""
    for item in items:
        nxt = f"{cur}, {item}" if cur else item
        if cur and len(nxt) > width:
            lines.append(cur + ",")
            cur = item
        else:
            cur = nxt
    if cur:
        lines.append(cur)
    return lines


def _vocab_items(kind: str, vocab: Any) -> list[str]:
    if kind == "prefectures":
        return [f"\"{p['code']}\" {p['ja']}" for p in vocab.prefectures]
    if kind == "awards":
        return [f"{a['id']}（{a['name']['ja']}）" for a in vocab.awards]
    return [f"{x['id']}（{x['ja']}）" for x in getattr(vocab, kind)]


def _comments(raw: dict, node: dict, path: str, required: bool, ctx: _Ctx) -> list[str]:
    ja = JA.get(path, "")
    en = english(raw, path, ctx.defs)
    tag_ja, tag_en = ("【必須】", "[Required] ") if required else ("【任意】", "[Optional] ")
    lines = [f"{tag_ja}{ja}".rstrip(), f"{tag_en}{en}".rstrip()]
    enum = node.get("enum")
    if enum:
        shown = [f"{v}（{ENUM_JA[v]}）" if v in ENUM_JA else str(v) for v in enum]
        lines += ["選べる値 / allowed values:"] + _wrap_items(shown)
    kind = VOCAB_LISTS.get(path)
    if kind and ctx.vocab is not None:
        lines += [f"使える値（vocab/{kind}.yml）/ allowed values:"] + _wrap_items(_vocab_items(kind, ctx.vocab))
    return [f"# {line}" if line else "#" for line in lines]


def _indent(lines: list[str], n: int) -> list[str]:
    return [(" " * n + line) if line else line for line in lines]


def _comment_out(lines: list[str]) -> list[str]:
    """Switch off a block: put '#' right after the block's own indentation on every line."""
    base = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
    return [line[:base] + "#" + line[base:] for line in lines]


def _scalar(node: dict, path: str, ctx: _Ctx) -> str:
    if path == "id":
        return json.dumps(ctx.case_id)
    if path in ("added", "last_reviewed"):
        return json.dumps(ctx.today)
    types = _types(node)
    if "enum" in node or "string" in types:
        return '""'
    if types == {"boolean"}:
        return "false"
    return ""  # numbers: blank until filled


def _bilingual_body(node: dict, ctx: _Ctx) -> list[str]:
    prose = _is_prose(node, ctx.defs)
    ja_c = "# 日本語（です・ます調）/ Japanese" if prose else "# 日本語 / Japanese"
    en_c = "# 英語（日本語の忠実で自然な訳）/ English (a faithful, natural translation)" if prose else "# 英語 / English"
    return [ja_c, 'ja: ""', en_c, 'en: ""']


def _item(items: dict, path: str, ctx: _Ctx) -> list[str]:
    """One list item (at indentation 0), with '- ' in front of its first key."""
    if _is_bilingual(items, ctx.defs):
        body = _bilingual_body(items, ctx)
    else:
        props = list((items.get("properties") or {}).items())
        req = set(items.get("required") or [])
        if props and props[0][0] not in req:
            first_req = next((i for i, (k, _) in enumerate(props) if k in req), None)
            if first_req is not None:
                props.insert(0, props.pop(first_req))
        body = []
        for name, child in props:
            body += _property(name, child, f"{path}.{name}", name in req, ctx)
    # The comments of the first field sit at the level of the "- " that starts the item.
    out = list(body)
    for i, line in enumerate(out):
        if line and not line.startswith("#"):
            out[i] = "- " + line
            out[i + 1:] = _indent(out[i + 1:], 2)
            break
    return out


def _value(name: str, node: dict, path: str, ctx: _Ctx) -> list[str]:
    """Lines for `name: value` at indentation 0."""
    defs = ctx.defs
    if _is_bilingual(node, defs):
        return [f"{name}:"] + _indent(_bilingual_body(node, ctx), 2)
    types = _types(node)
    if "array" in types:
        items = _resolve(node.get("items") or {}, defs)
        if "object" in _types(items):
            return [f"{name}:"] + _indent(_item(items, f"{path}[]", ctx), 2)
        return [f"{name}: []"]
    if "object" in types and node.get("properties"):
        req = set(node.get("required") or [])
        # An object with no required field is valid with any one of them, so when it is
        # switched on, its fields are switched on with it (by the usual rules below).
        body: list[str] = []
        for child_name, child in node["properties"].items():
            child_path = f"{path}.{child_name}"
            body += _property(child_name, child, child_path, child_name in req, ctx)
        return [f"{name}:"] + _indent(body, 2)
    return [f"{name}: {_scalar(node, path, ctx)}".rstrip()]


def _property(name: str, raw: dict, path: str, required: bool, ctx: _Ctx) -> list[str]:
    node = _resolve(raw, ctx.defs)
    comments = _comments(raw, node, path, required, ctx)
    value = _value(name, node, path, ctx)
    if not required and not _valid_when_empty(node, ctx.defs):
        value = _comment_out(value)
    return comments + value


def render(case_id: str = "", today: str = "", root: Path = ROOT, schema: dict | None = None) -> str:
    """The commented case file for ``case_id`` (empty strings give the template)."""
    if schema is None:
        own = root / "schema" / "case.schema.json"
        schema = load_schema(own if own.exists() else SCHEMA_PATH)
    vocab = _try_vocab(root)
    ctx = _Ctx(schema, case_id, today, vocab)
    template = not case_id
    head_ja = HEADER_JA[:2] + (TEMPLATE_JA if template else []) + HEADER_JA[2:]
    head_en = HEADER_EN[:2] + (TEMPLATE_EN if template else []) + HEADER_EN[2:]
    lines = [SCHEMA_LINE, "#"]
    lines += [f"# {line}" if line else "#" for line in head_ja] + ["#"]
    lines += [f"# {line}" if line else "#" for line in head_en]
    req = set(schema.get("required") or [])
    for name, raw in schema["properties"].items():
        lines.append("")
        lines += _property(name, raw, name, name in req, ctx)
    return "\n".join(lines) + "\n"


def _try_vocab(root: Path) -> Any | None:
    from .problems import ValidationFailed
    from .vocab import load_vocab

    try:
        return load_vocab(root / "vocab", root)
    except (ValidationFailed, OSError):
        return None


def render_template(root: Path = ROOT) -> str:
    """Text of ``templates/case-template.yml``: no id, no dates."""
    return render("", "", root)


def write_template(root: Path = ROOT) -> Path:
    path = root / "templates" / "case-template.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_template(root), encoding="utf-8")
    return path


def check_id(case_id: str) -> None:
    """Raise ValueError, in plain words, if ``case_id`` cannot be a case id."""
    if not case_id or not ID_RE.match(case_id):
        raise ValueError(
            f"「{case_id}」は事例の id に使えません。半角の英小文字（a〜z）、数字、ハイフン（-）だけで、"
            f"ハイフンで始めたり終えたり続けたりせずに書いてください（例: rumoi-sea-cucumber-it-fishing）。 / "
            f"'{case_id}' cannot be a case id: use only lowercase letters a-z, digits and single hyphens between "
            f"words, e.g. rumoi-sea-cucumber-it-fishing.")
    if not 3 <= len(case_id) <= 60:
        raise ValueError(
            f"「{case_id}」は {len(case_id)} 文字です。id は3〜60文字にしてください。 / "
            f"'{case_id}' is {len(case_id)} characters long; an id must be 3 to 60 characters.")


def new_case(root: Path, case_id: str, today: dt.date | None = None) -> Path:
    """Write ``cases/<case_id>.yml`` to fill in; return its path."""
    check_id(case_id)
    root = Path(root)
    path = root / "cases" / f"{case_id}.yml"
    if path.exists():
        raise ValueError(
            f"cases/{case_id}.yml はすでにあります。別の id を選ぶか、そのファイルを編集してください。 / "
            f"cases/{case_id}.yml already exists; choose another id or edit that file.")
    path.parent.mkdir(parents=True, exist_ok=True)
    today_s = (today or dt.date.today()).isoformat()
    text = render(case_id, today_s, root)
    with path.open("x", encoding="utf-8") as fh:
        fh.write(text)
    return path


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["--template"]):
        print("usage: python -m regiot.scaffold [--template]   (rewrites templates/case-template.yml)", file=sys.stderr)
        return 2
    print(f"Wrote {write_template()}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
