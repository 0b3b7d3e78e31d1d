"""Turn a submitted "propose a case" issue into the text of ``cases/<id>.yml``.

GitHub renders an issue form as Markdown: one ``### <label>`` heading per field,
followed by the answer; ``_No response_`` for an empty answer; ``- [X] <option>``
for a ticked checkbox. The labels and field ids come from the form itself
(``.github/ISSUE_TEMPLATE/new-case.yml``), so rewording a label needs no change here.

The issue body is untrusted text. This module therefore

* strips control and invisible formatting characters and normalises line breaks;
* accepts only ``http``/``https`` addresses for sources;
* rejects HTML, template syntax (``{{ }}``, ``{% %}``) and Markdown links in texts;
* writes YAML only through a YAML emitter that double-quotes every string, so no
  answer can add keys or change the structure (``"foo\\nid: evil"`` stays a text);
* checks the result with the site's own validator before returning it.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .cases import load_case_file
from .problems import ValidationFailed
from .vocab import Vocab, load_vocab

ROOT = Path(__file__).resolve().parent.parent
FORM_PATH = ROOT / ".github" / "ISSUE_TEMPLATE" / "new-case.yml"
NO_RESPONSE = "_No response_"
MAX_BODY = 256 * 1024
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/case.schema.json"

# Every field id of the form that this module reads. A test checks that the form
# has exactly these ids, so a field added to the form is never silently ignored.
FIELD_IDS = (
    "title_ja", "title_en", "case_id", "organisations", "prefecture", "municipalities", "fields", "stage",
    "start_year", "end_year", "summary_ja", "summary_en", "background_ja", "background_en", "approach_ja",
    "approach_en", "outcomes", "technologies", "funding_types", "funding_note_ja", "funding_note_en",
    "partners", "awards", "replication_ja", "replication_en", "sources", "accessed", "confirm",
)

ORG_TYPES = {
    "市区町村": "municipality", "市町村": "municipality", "自治体": "municipality", "地方公共団体": "municipality",
    "都道府県": "prefecture", "企業": "company", "会社": "company", "大学・研究機関": "university",
    "大学": "university", "研究機関": "university", "npo法人": "npo", "npo": "npo", "協議会・団体": "association",
    "協議会": "association", "団体": "association", "組合": "cooperative", "その他": "other",
}
ORG_IDS = ("municipality", "prefecture", "company", "university", "npo", "association", "cooperative", "other")
SECTORS = {
    "産": "industry", "企業": "industry", "学": "academia", "大学": "academia", "大学・研究機関": "academia",
    "官": "government", "行政": "government", "金": "finance", "金融機関": "finance", "民": "community",
    "民・npo": "community", "npo": "community", "住民": "community", "住民・npo": "community",
}
SECTOR_IDS = ("industry", "academia", "government", "finance", "community")

_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_TEMPLATE = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_MD_LINK = re.compile(r"!?\[[^\]\n]*\]\([^)\n]*\)")
_BAD_SCHEME = re.compile(r"(?<![a-z0-9+.-])(?:javascript|vbscript)\s*:|(?<![a-z0-9+.-])data\s*:\s*[a-z]+/[a-z0-9.+-]+[;,]",
                         re.IGNORECASE)
_OPTION_ID = re.compile(r"\(([a-z0-9][a-z0-9-]*)\)\s*$")
_CHECKBOX = re.compile(r"^\s*[-*]\s*\[([ xX])\]\s*(.+?)\s*$")


def _m(ja: str, en: str) -> str:
    """One problem in Japanese and English."""
    return f"{ja} / {en}"


@dataclass
class FormField:
    id: str
    type: str
    label: str
    options: list[str] = field(default_factory=list)
    required: bool = False


def load_form(path: Path = FORM_PATH) -> list[FormField]:
    """The fields of the issue form (markdown blocks left out)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for item in data.get("body", []):
        if item.get("type") == "markdown":
            continue
        attrs = item.get("attributes", {})
        opts = [o["label"] if isinstance(o, dict) else str(o) for o in attrs.get("options", [])]
        out.append(FormField(item["id"], item["type"], attrs["label"], opts,
                             bool((item.get("validations") or {}).get("required"))))
    return out


def clean(text: str) -> str:
    """Plain text: unified line breaks, no control or invisible formatting characters, NFC."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.replace("\t", " ")
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _fold(s: str) -> str:
    """For comparing words: full-width to half-width, lower case, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).lower()


def parse_sections(body: str, form: list[FormField]) -> tuple[dict[str, str], list[str]]:
    """Split a rendered issue body into {field id: answer}. Empty answers are ''."""
    by_label = {f.label.strip(): f.id for f in form}
    sections: dict[str, list[str]] = {}
    problems: list[str] = []
    current: str | None = None
    for line in body.split("\n"):
        m = re.match(r"^###\s+(.+?)\s*$", line)
        if m and m.group(1) in by_label:
            fid = by_label[m.group(1)]
            if fid in sections:
                problems.append(_m(f"「{m.group(1)}」の見出しが2回あります。フォームの形を変えずに投稿してください。",
                                   f'the heading "{m.group(1)}" appears twice; please submit the form without changing its layout.'))
                current = None
                continue
            sections[fid] = []
            current = fid
            continue
        if current is not None:
            sections[current].append(line)
    out = {}
    for fid, lines in sections.items():
        value = "\n".join(lines).strip()
        out[fid] = "" if value == NO_RESPONSE else value
    return out, problems


def _option_id(label: str) -> str | None:
    m = _OPTION_ID.search(label)
    return m.group(1) if m else None


class _Builder:
    """Collects problems while reading the answers."""

    def __init__(self, answers: dict[str, str], form: list[FormField], vocab: Vocab):
        self.a = answers
        self.form = {f.id: f for f in form}
        self.vocab = vocab
        self.problems: list[str] = []
        self.missing_en = False

    # --- helpers ---------------------------------------------------------------------------
    def label(self, fid: str) -> str:
        return self.form[fid].label if fid in self.form else fid

    def bad(self, fid: str, ja: str, en: str) -> None:
        self.problems.append(f"{self.label(fid)}: {_m(ja, en)}")

    def raw(self, fid: str) -> str:
        return clean(self.a.get(fid, ""))

    def need(self, fid: str) -> str:
        value = self.raw(fid)
        if not value:
            self.bad(fid, "記入が必要です。", "this is required.")
        return value

    def _check_text(self, fid: str, text: str, what: str = "") -> bool:
        what = what or "この欄"
        ok = True
        if _HTML.search(text):
            self.bad(fid, f"{what}に HTML のタグ（< で始まる書式）は使えません。ふつうの文章で書いてください。",
                     "write plain text; HTML tags (starting with <) are not allowed.")
            ok = False
        if _TEMPLATE.search(text):
            self.bad(fid, f"{what}に {{{{ }}}} や {{% %}} の記号は使えません。",
                     "the character pairs {{ }} and {% %} are not allowed.")
            ok = False
        if _MD_LINK.search(text):
            self.bad(fid, f"{what}にリンクや画像の書式 [文字](アドレス) は使えません。アドレスは「情報源」欄に書いてください。",
                     "links and images written as [text](address) are not allowed; put addresses under Sources.")
            ok = False
        if _BAD_SCHEME.search(text):
            self.bad(fid, f"{what}に javascript: や data: で始まるアドレスは使えません。",
                     "javascript: and data: addresses are not allowed.")
            ok = False
        return ok

    def short(self, fid: str, text: str, what: str = "") -> str | None:
        """A one-line text (title, name, unit)."""
        what = what or "この欄"
        text = text.strip()
        if "\n" in text:
            self.bad(fid, f"{what}は1行で書いてください。", "write this on one line.")
            return None
        if not self._check_text(fid, text, what):
            return None
        if re.search(r"[<>{}]", text):
            self.bad(fid, f"{what}「{text[:40]}」に < > {{ }} の記号は使えません。",
                     f"'{text[:40]}' contains < > {{ or }}, which are not allowed here.")
            return None
        return text

    def prose(self, fid: str) -> str | None:
        text = self.raw(fid)
        if not text:
            return None
        return text if self._check_text(fid, text) else None

    def bilingual(self, ja_fid: str, en_fid: str, required: bool, kind: str) -> dict | None:
        """{ja, en} from two fields; kind is 'short' or 'prose'."""
        if kind == "short":
            ja = self.short(ja_fid, self.need(ja_fid) if required else self.raw(ja_fid))
            en = self.short(en_fid, self.raw(en_fid)) if self.raw(en_fid) else None
        else:
            if required:
                self.need(ja_fid)
            ja, en = self.prose(ja_fid), self.prose(en_fid)
        if not ja:
            if en and not self.raw(ja_fid):
                self.bad(ja_fid, "英語欄だけが書かれています。日本語欄も書いてください。",
                         "only the English text is filled in; please write the Japanese text too.")
            return None
        if not en:
            self.missing_en = True
            return {"ja": ja}
        return {"ja": ja, "en": en}

    def pair(self, fid: str, ja: str, en: str, what: str) -> dict | None:
        ja_s = self.short(fid, ja, what)
        en_s = self.short(fid, en, what) if en else None
        if not ja_s:
            if ja_s is not None or not ja:
                self.bad(fid, f"{what}の日本語が空です。", f"the Japanese text of the {_EN_WHAT.get(what, 'entry')} is empty.")
            return None
        if not en_s:
            self.missing_en = True
            return {"ja": ja_s}
        return {"ja": ja_s, "en": en_s}

    def rows(self, fid: str) -> list[tuple[int, list[str]]]:
        """Non-empty lines of a textarea, split at | (or full-width ｜)."""
        out = []
        for n, line in enumerate(self.raw(fid).split("\n"), 1):
            line = re.sub(r"^\s*(?:[-*・]|\d+[.)．、])\s+", "", line).strip()
            if line:
                out.append((n, [c.strip() for c in re.split(r"[|｜]", line)]))
        return out

    def year(self, fid: str, text: str, what: str) -> int | None:
        s = unicodedata.normalize("NFKC", text).strip()
        m = re.fullmatch(r"(\d{4})\s*(?:年度?)?", s)
        if not m:
            self.bad(fid, f"{what}「{text[:20]}」は西暦4桁の年で書いてください（例: 2015）。",
                     f"'{text[:20]}' is not a year; write four digits, e.g. 2015.")
            return None
        return int(m.group(1))

    def partial_date(self, fid: str, text: str, what: str) -> str | None:
        s = unicodedata.normalize("NFKC", text).strip()
        m = (re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", s)
             or re.fullmatch(r"(\d{4})年(?:度)?(?:(\d{1,2})月(?:(\d{1,2})日)?)?", s))
        if not m:
            self.bad(fid, f"{what}「{text[:20]}」は YYYY、YYYY-MM または YYYY-MM-DD の形で書いてください。",
                     f"'{text[:20]}' is not a date; write YYYY, YYYY-MM or YYYY-MM-DD.")
            return None
        parts = [m.group(1)] + [f"{int(g):02d}" for g in m.groups()[1:] if g]
        return "-".join(parts)

    def full_date(self, fid: str, text: str) -> str | None:
        d = self.partial_date(fid, text, "日付")
        if d is None:
            return None
        try:
            return dt.date.fromisoformat(d).isoformat()
        except ValueError:
            self.bad(fid, f"「{text[:20]}」は年・月・日まで、実在する日付で書いてください（YYYY-MM-DD）。",
                     f"'{text[:20]}' must be a full, real date (YYYY-MM-DD).")
            return None

    def url(self, fid: str, text: str, n: int) -> str | None:
        s = text.strip()
        try:
            parts = urlsplit(s) if s else None
        except ValueError:  # e.g. an unclosed [IPv6] bracket
            parts = None
        if (parts is None or any(ch.isspace() for ch in s) or re.search(r"[<>\"'`\\]", s)
                or parts.scheme.lower() not in ("http", "https") or not parts.netloc):
            self.bad(fid, f"{n}行目のアドレス「{s[:60]}」は使えません。http:// または https:// で始まるアドレスを書いてください。",
                     f"line {n}: '{s[:60]}' is not usable; write an address starting with http:// or https://.")
            return None
        return s

    def source_ref(self, fid: str, text: str, n: int, n_sources: int) -> str | None:
        s = unicodedata.normalize("NFKC", text).strip()
        m = re.fullmatch(r"#?\s*(\d+)\s*(?:行目|番)?", s)
        if not m or not 1 <= int(m.group(1)) <= n_sources:
            self.bad(fid, f"{n}行目の情報源の番号「{text[:10]}」が「情報源」欄の行と合いません（1〜{n_sources} のどれかです）。",
                     f"line {n}: source number '{text[:10]}' does not match a line under Sources (1 to {n_sources}).")
            return None
        return f"source-{int(m.group(1))}"

    def choice(self, fid: str) -> str | None:
        """The vocabulary id of a dropdown answer."""
        value = self.raw(fid)
        if not value:
            return None
        if fid in self.form and value not in self.form[fid].options:
            self.bad(fid, f"「{value[:40]}」は選択肢にありません。", f"'{value[:40]}' is not one of the options.")
            return None
        return value

    def ticked(self, fid: str) -> list[str]:
        """Labels of the ticked checkboxes of a field."""
        out = []
        options = self.form[fid].options if fid in self.form else []
        for line in self.raw(fid).split("\n"):
            m = _CHECKBOX.match(line)
            if not m or m.group(1) == " ":
                continue
            if m.group(2) not in options:
                self.bad(fid, f"「{m.group(2)[:40]}」は選択肢にありません。", f"'{m.group(2)[:40]}' is not one of the options.")
                continue
            out.append(m.group(2))
        return out


_EN_WHAT = {"名称": "name", "指標": "metric", "単位": "unit", "市区町村名": "municipality"}


def _lookup(word: str, table: dict[str, str], ids: tuple[str, ...]) -> str | None:
    w = _fold(re.split(r"[（(]", word)[0]) if word else ""
    if w in ids:
        return w
    return table.get(w)


def _programme(vocab: Vocab, word: str) -> dict | None:
    w = _fold(word)
    for prog in vocab.awards:
        names = {prog["id"], _fold(prog["name"]["ja"]), _fold(prog["name"].get("en", ""))}
        if w in names:
            return prog
    return None


def _prize(edition: dict, word: str) -> dict | None:
    w = _fold(word)
    for prize in edition.get("prizes", []):
        if w in {prize["id"], _fold(prize["ja"]), _fold(prize.get("en", ""))}:
            return prize
    return None


def slug(text: str) -> str:
    """An id made from an English title: 'Smart farming in Example Town' -> 'smart-farming-in-example-town'."""
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if len(s) > 60:
        s = s[:60].rsplit("-", 1)[0]
    return s


def _named_rows(b, field: str, table, ids, key: str, what: tuple[str, str], choices_ja: str) -> list[dict]:
    """Rows "ja name | en name | kind" of a table field (organisations, partners) as {name, key}."""
    out = []
    for n, cells in b.rows(field):
        cells += [""] * (3 - len(cells))
        name = b.pair(field, cells[0], cells[1], "名称")
        value = _lookup(cells[2], table, ids)
        if value is None:
            b.bad(field, f"{n}行目の{what[0]}「{cells[2][:20]}」がわかりません。{choices_ja} のどれかを書いてください。",
                  f"line {n}: unknown {what[1]} '{cells[2][:20]}'; use one of {', '.join(ids)}.")
        if name and value:
            out.append({"name": name, key: value})
    return out


def _build(answers: dict[str, str], b: _Builder, case_id: str | None, today: dt.date) -> tuple[str | None, dict]:
    vocab = b.vocab
    case: dict[str, Any] = {}

    # id: given on the command line, else the form's file name, else the English title.
    cid = case_id or b.raw("case_id") or slug(b.raw("title_en"))
    cid = unicodedata.normalize("NFKC", cid).strip()
    if not cid:
        b.bad("case_id", "ファイル名（id）を決められません。ファイル名欄か英語のタイトルを書いてください。",
              "no id could be made; fill in the file name or the English title.")
    elif not ID_RE.match(cid) or not 3 <= len(cid) <= 60:
        b.bad("case_id", f"「{cid[:60]}」はファイル名に使えません。半角の英小文字・数字・ハイフンで3〜60文字にしてください。",
              f"'{cid[:60]}' cannot be a file name; use 3 to 60 lowercase letters, digits and hyphens.")
        cid = ""
    case["id"] = cid

    title = b.bilingual("title_ja", "title_en", True, "short")
    if title:
        case["title"] = title

    orgs = _named_rows(b, "organisations", ORG_TYPES, ORG_IDS, "type", ("種類", "type"),
                       "市区町村、都道府県、企業、大学・研究機関、NPO法人、協議会・団体、組合、その他")
    if not b.rows("organisations"):
        b.need("organisations")
    if orgs:
        case["organisations"] = orgs

    location: dict[str, Any] = {}
    pref = b.choice("prefecture")
    if pref is None and not b.raw("prefecture"):
        b.need("prefecture")
    elif pref:
        code = re.match(r"^\s*(\d{2})", pref)
        if code and code.group(1) in vocab.by_pref:
            location["prefectures"] = [code.group(1)]
        else:
            b.bad("prefecture", f"「{pref[:20]}」は都道府県として読めません。", f"'{pref[:20]}' is not a prefecture.")
    munis = []
    for _, cells in b.rows("municipalities"):
        cells += [""] * (2 - len(cells))
        m = b.pair("municipalities", cells[0], cells[1], "市区町村名")
        if m:
            munis.append(m)
    if munis:
        location["municipalities"] = munis
    if location.get("prefectures"):
        case["location"] = location

    fields = [_option_id(label) for label in b.ticked("fields")]
    if not fields:
        b.bad("fields", "分野を1つ以上選んでください。", "choose at least one field.")
    elif len(fields) > 4:
        b.bad("fields", f"分野が{len(fields)}個選ばれています。関係の深いものを4個までにしてください。",
              f"{len(fields)} fields are ticked; choose at most 4, the most relevant.")
    else:
        case["fields"] = fields

    stage = b.choice("stage")
    if stage is None and not b.raw("stage"):
        b.need("stage")
    elif stage:
        case["stage"] = _option_id(stage)

    period: dict[str, int] = {}
    start = b.need("start_year")
    if start and (y := b.year("start_year", start, "開始年")) is not None:
        period["start"] = y
    if b.raw("end_year") and (y := b.year("end_year", b.raw("end_year"), "終了年")) is not None:
        period["end"] = y
    if "start" in period:
        case["period"] = period

    for key in ("summary", "background", "approach"):
        text = b.bilingual(f"{key}_ja", f"{key}_en", True, "prose")
        if text:
            case[key] = text

    # Sources first: the other lists refer to them by line number.
    sources = []
    accessed = b.need("accessed")
    accessed_d = b.full_date("accessed", accessed) if accessed else None
    source_rows = b.rows("sources")
    if not source_rows:
        b.need("sources")
    for n, (_, cells) in enumerate(source_rows, 1):
        cells += [""] * (4 - len(cells))
        url = b.url("sources", cells[0], n)
        title_s = b.short("sources", cells[1], "題名")
        publisher = b.short("sources", cells[2], "発行者")
        if not cells[1] or not cells[2]:
            b.bad("sources", f"{n}行目に、ページの題名と発行者も書いてください（アドレス | 題名 | 発行者 | 公開日）。",
                  f"line {n}: give the page title and publisher too (address | title | publisher | date).")
        src: dict[str, Any] = {"id": f"source-{n}", "url": url, "title": title_s, "publisher": publisher}
        if cells[3]:
            src["date"] = b.partial_date("sources", cells[3], "公開日")
        src["accessed"] = accessed_d
        if all(v for v in src.values()):
            sources.append(src)
    n_sources = len(source_rows)

    outcomes = []
    for n, cells in b.rows("outcomes"):
        if len(cells) != 7:
            b.bad("outcomes", f"{n}行目は | で区切った7つの欄（指標 | 指標（英語） | 値 | 単位 | 単位（英語） | 時点 | 情報源の番号）で書いてください。",
                  f"line {n}: write 7 cells separated by | (metric | metric (en) | value | unit | unit (en) | as of | source number).")
            continue
        metric = b.pair("outcomes", cells[0], cells[1], "指標")
        value = unicodedata.normalize("NFKC", cells[2]).strip()
        if not value or "\n" in value or len(value) > 40 or not b._check_text("outcomes", value, "値"):
            b.bad("outcomes", f"{n}行目の値を、情報源の表記どおりに40文字以内で書いてください。",
                  f"line {n}: write the value as the source gives it, at most 40 characters.")
            value = ""
        unit = b.pair("outcomes", cells[3], cells[4], "単位") if cells[3] or cells[4] else None
        as_of = b.partial_date("outcomes", cells[5], "時点")
        ref = b.source_ref("outcomes", cells[6], n, n_sources)
        if metric and value and as_of and ref and (unit or not (cells[3] or cells[4])):
            item: dict[str, Any] = {"metric": metric, "value": value}
            if unit:
                item["unit"] = unit
            item.update({"as_of": as_of, "source": ref})
            outcomes.append(item)
    if outcomes:
        case["outcomes"] = outcomes

    techs = [_option_id(label) for label in b.ticked("technologies")]
    if techs:
        case["technologies"] = techs

    funding: dict[str, Any] = {}
    ftypes = [_option_id(label) for label in b.ticked("funding_types")]
    if ftypes:
        funding["types"] = ftypes
    note = b.bilingual("funding_note_ja", "funding_note_en", False, "prose")
    if note:
        funding["note"] = note
    if funding:
        case["funding"] = funding

    partners = _named_rows(b, "partners", SECTORS, SECTOR_IDS, "sector", ("区分", "sector"), "産、学、官、金、民")
    if partners:
        case["partners"] = partners

    awards = []
    for n, cells in b.rows("awards"):
        if len(cells) != 4:
            b.bad("awards", f"{n}行目は | で区切った4つの欄（表彰制度 | 年 | 賞 | 情報源の番号）で書いてください。",
                  f"line {n}: write 4 cells separated by | (programme | year | prize | source number).")
            continue
        prog = _programme(vocab, cells[0])
        year = b.year("awards", cells[1], "年")
        ref = b.source_ref("awards", cells[3], n, n_sources)
        if prog is None:
            known = "、".join(p["name"]["ja"] for p in vocab.awards)
            b.bad("awards", f"{n}行目の表彰制度「{cells[0][:40]}」は vocab/awards.yml にまだありません（登録済み: {known}）。編集担当が登録してから変換します。",
                  f"line {n}: the programme '{cells[0][:40]}' is not in vocab/awards.yml yet; an editor adds it there first.")
            continue
        if year is None:
            continue
        edition = vocab.edition(prog["id"], year)
        if edition is None:
            b.bad("awards", f"{n}行目: {prog['name']['ja']}の{year}年の回は vocab/awards.yml にまだありません。編集担当が登録してから変換します。",
                  f"line {n}: the {year} edition of {prog['id']} is not in vocab/awards.yml yet; an editor adds it there first.")
            continue
        prize = _prize(edition, cells[2])
        if prize is None:
            names = "、".join(p["ja"] for p in edition.get("prizes", []))
            b.bad("awards", f"{n}行目の賞「{cells[2][:40]}」は、この回の賞にありません（この回の賞: {names}）。",
                  f"line {n}: '{cells[2][:40]}' is not a prize of this edition "
                  f"(prizes: {', '.join(p['id'] for p in edition.get('prizes', []))}).")
            continue
        if ref:
            awards.append({"programme": prog["id"], "year": year, "prize": prize["id"], "source": ref})
    if awards:
        case["awards"] = awards

    replication = b.bilingual("replication_ja", "replication_en", False, "prose")
    if replication:
        case["replication"] = replication

    if sources:
        case["sources"] = sources

    confirm = b.form.get("confirm")
    if confirm is not None and len(b.ticked("confirm")) < len(confirm.options):
        b.bad("confirm", "確認の項目すべてに印をつけてください。", "tick every confirmation box.")

    if b.missing_en:
        case["translation_pending"] = True
    case["added"] = today.isoformat()
    case["last_reviewed"] = accessed_d or today.isoformat()
    return cid or None, case


# --- YAML output --------------------------------------------------------------------------------

class _Key(str):
    """A mapping key written by this module (never user text): emitted plain."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):  # noqa: ARG002
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:  # never write anchors/aliases (the loader refuses them)
        return True


_Dumper.add_representer(_Key, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", str(s), style=""))
_Dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style='"'))


def _keys(data: Any) -> Any:
    if isinstance(data, dict):
        return {_Key(k): _keys(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_keys(v) for v in data]
    return data


def dump_case(case: dict) -> str:
    """YAML text of a case record; every string double-quoted by the emitter."""
    body = yaml.dump(_keys(case), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000)
    return f"{SCHEMA_LINE}\n# Converted from a \"propose a case\" issue by: python -m regiot issue-to-case\n{body}"


# Which form field a validator problem belongs to, by the start of its path.
_WHERE_FIELD = (
    ("title.en", "title_en"), ("title", "title_ja"), ("organisations", "organisations"),
    ("location.municipalities", "municipalities"), ("location", "prefecture"), ("fields", "fields"),
    ("stage", "stage"), ("period.end", "end_year"), ("period", "start_year"),
    ("summary.en", "summary_en"), ("summary", "summary_ja"), ("background.en", "background_en"),
    ("background", "background_ja"), ("approach.en", "approach_en"), ("approach", "approach_ja"),
    ("outcomes", "outcomes"), ("technologies", "technologies"), ("funding.note.en", "funding_note_en"),
    ("funding.note", "funding_note_ja"), ("funding", "funding_types"), ("partners", "partners"),
    ("awards", "awards"), ("replication.en", "replication_en"), ("replication", "replication_ja"),
    ("sources", "sources"), ("last_reviewed", "accessed"), ("id", "case_id"),
)


def _field_of(where: str) -> str | None:
    for prefix, fid in _WHERE_FIELD:
        if where == prefix or where.startswith(prefix + ".") or where.startswith(prefix + "["):
            return fid
    return None


def issue_to_case(body: str, case_id: str | None = None, *, today: dt.date | None = None,
                  form_path: Path = FORM_PATH, root: Path = ROOT) -> tuple[str | None, list[str]]:
    """Text of a valid ``cases/<id>.yml`` made from an issue body, or the list of what to fix.

    Returns ``(text, [])`` on success and ``(None, problems)`` otherwise. Problems are
    written in Japanese and English for the person who filled in the form.
    """
    today = today or dt.date.today()
    if len(body.encode("utf-8", "surrogatepass")) > MAX_BODY:
        return None, [_m(f"本文が長すぎます（上限 {MAX_BODY:,} バイト）。", f"the issue is too long (limit {MAX_BODY:,} bytes).")]
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    form = load_form(form_path)
    answers, problems = parse_sections(body, form)
    if not answers:
        return None, [_m("フォームの項目が見つかりません。「事例の追加」フォームから作られた issue か確かめてください。",
                         "no form fields were found; is this an issue made with the 'Propose a case' form?")]
    try:
        vocab = load_vocab(root / "vocab", root)
    except ValidationFailed as exc:
        return None, [f"vocab: {p}" for p in exc.problems]
    b = _Builder(answers, form, vocab)
    b.problems = problems
    cid, case = _build(answers, b, case_id.strip() if case_id else None, today)
    if b.problems:
        return None, b.problems
    assert cid is not None
    text = dump_case(case)

    # The same check as `make validate`, on the exact text we return.
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{cid}.yml"
        path.write_text(text, encoding="utf-8")
        _, found = load_case_file(path, f"cases/{cid}.yml", vocab, today)
    if found:
        out = []
        for p in found:
            fid = _field_of(p.where)
            label = b.label(fid) if fid else "事例ファイル (case file)"
            out.append(f"{label}: {p.message} ({p.where})" if p.where else f"{label}: {p.message}")
        return None, out
    return text, []


def main_write(body: str, case_id: str | None, out_dir: Path | None) -> int:
    """The `issue-to-case` command: print or write the case, or list what to fix."""
    text, problems = issue_to_case(body, case_id)
    if problems:
        print("この issue からは事例ファイルを作れませんでした。次の点を直してください。")
        print("The issue could not be turned into a case file. Please fix the following:")
        for p in problems:
            print(f"- {p}")
        return 1
    assert text is not None
    if out_dir is None:
        sys.stdout.write(text)
        return 0
    cid = yaml.safe_load(text)["id"]
    path = out_dir / f"{cid}.yml"
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        print(f"{path} はすでにあります。--id で別の id を指定してください。 / {path} already exists; choose another id with --id.",
              file=sys.stderr)
        return 2
    print(f"Wrote {path}")
    return 0
