"""Search: interface words, section labels, and the records of the terms index.

Plain Python (no MkDocs). ``WORDS[lang]`` holds the interface words used by the
header search, the search page and the case finder; ``SECTIONS`` the label shown
next to each result, by the page's ``riot_type``.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

SECTIONS = {
    "ja": {"home": "ホーム", "case": "事例", "case-index": "事例一覧", "field": "分野", "field-index": "分野",
           "region": "地域", "region-index": "地域", "awards": "表彰・選定", "status": "実装状況",
           "course": "講座", "course-index": "講座", "module": "講座", "about": "サイトについて", "page": "ページ"},
    "en": {"home": "Home", "case": "Case", "case-index": "Cases", "field": "Field", "field-index": "Fields",
           "region": "Region", "region-index": "Regions", "awards": "Awards", "status": "Status",
           "course": "Course", "course-index": "Courses", "module": "Course", "about": "About", "page": "Page"},
}

WORDS = {
    "ja": {
        "placeholder": "事例・分野・地域を検索",
        "label": "サイト内検索",
        "open": "検索",
        "close": "検索を閉じる",
        "reset": "入力を消す",
        "hint": "キーワードを入力してください（例: みまもり、防災、獣害）",
        "loading": "検索の準備をしています…",
        "none": "該当するページは見つかりませんでした",
        "one": "1件見つかりました",
        "many": "{n}件見つかりました",
        "more": "すべての結果を見る（{n}件）",
        "error": "検索を読み込めませんでした。ページを再読み込みしてください。",
    },
    "en": {
        "placeholder": "Search cases, fields, regions",
        "label": "Search this site",
        "open": "Search",
        "close": "Close search",
        "reset": "Clear",
        "hint": "Type to search (e.g. flood, telework, Hokkaido)",
        "loading": "Preparing search…",
        "none": "No matching pages",
        "one": "1 result",
        "many": "{n} results",
        "more": "See all results ({n})",
        "error": "Search could not be loaded. Please reload the page.",
    },
}


# --- The terms index --------------------------------------------------------------
# Pagefind segments Japanese text when it indexes (lindera) and again, differently,
# in the browser (Intl.Segmenter): a reading such as みまもり is one word in the
# index but み|まもり in a query, so kana queries miss. The terms index holds each
# page's readings, synonyms and keywords as whole words, in a language Pagefind
# does not segment; search.js merges it for kana queries.

TERMS_LANGUAGE = "zxx"  # "no linguistic content": Pagefind splits on spaces only
TERMS_LANGS = ("ja",)   # languages whose queries Pagefind segments

_TERMS = re.compile(r'<div class="riot-search-terms"[^>]*\sdata-riot-terms="([^"]*)"')
_OG_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)"')
_DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)"')
_SECTION = re.compile(r'data-pagefind-meta="section:([^"]*)"')
_TYPE = re.compile(r'data-pagefind-filter="type:([^"]*)"')


def _attr(pattern: re.Pattern, text: str) -> str:
    m = pattern.search(text)
    return html.unescape(m.group(1)) if m else ""


def _word(term: str) -> str:
    """A term as one word: inner spaces removed (ミニ トマト -> ミニトマト)."""
    return "".join(str(term).split())


def terms_records(site_dir: Path, lang: str, site: Any = None) -> list[dict]:
    """Records for the terms index of ``lang``: one per page that has search terms.

    Terms come from the ``data-riot-terms`` attribute the templates write on case
    and field pages; region pages get their prefecture's name and reading.
    Each record: {url, own, more, filters: {type}, meta: {title, section, summary}}: ``own``
    are the page's own words (a case's keywords, a field's readings and synonyms),
    ``more`` those it shares with others (its fields', places' and technologies').
    """
    site_dir = Path(site_dir)
    root = site_dir if lang == "ja" else site_dir / lang
    prefs = {p["code"]: p for p in site.vocab.prefectures} if site is not None else {}
    out = []
    for page in sorted(root.rglob("index.html")):
        rel = page.parent.relative_to(site_dir).as_posix()
        if rel.startswith(("pagefind", ".")) or (lang == "ja" and rel.split("/")[0] in ("en",)):
            continue
        text = page.read_text(encoding="utf-8")
        raw = _attr(_TERMS, text)
        terms = json.loads(raw) if raw else {}
        own = [str(t) for t in terms.get("own", [])]
        more = [str(t) for t in terms.get("more", [])]
        parts = rel.split("/")
        if len(parts) >= 2 and parts[-2] == "regions" and parts[-1] in prefs:
            p = prefs[parts[-1]]
            own += [p.get(lang) or p["ja"], str(p.get("reading") or "")] if lang == "ja" else [p.get(lang, "")]
        own = [w for w in dict.fromkeys(_word(t) for t in own) if w]
        more = [w for w in dict.fromkeys(_word(t) for t in more) if w and w not in own]
        if not own and not more:
            continue
        url = "/" + (rel + "/" if rel != "." else "")
        kind = _attr(_TYPE, text)
        out.append({
            "url": url,
            "own": own,
            "more": more,
            "filters": {"type": [kind]} if kind else {},
            "meta": {"title": _attr(_OG_TITLE, text), "section": _attr(_SECTION, text),
                     "summary": _attr(_DESCRIPTION, text)},
        })
    return out


def terms_page(record: dict) -> str:
    """A record of the terms index as a small HTML page for the Pagefind binary.

    Only the terms are indexed; title, section and summary are kept as metadata
    (from the text of ignored elements, so commas in them are safe).
    """
    e = html.escape
    filters = "".join(f'<span data-pagefind-filter="{e(k)}:{e(v)}"></span>'
                      for k, vals in record.get("filters", {}).items() for v in vals if "," not in v)
    meta = "".join(f'<span data-pagefind-ignore data-pagefind-meta="{e(k)}">{e(v)}</span>'
                   for k, v in record["meta"].items() if v)
    return (f'<!doctype html><html lang="{TERMS_LANGUAGE}"><head><meta charset="utf-8"><title></title></head>'
            f'<body><main data-pagefind-body><p data-pagefind-weight="4">{e(" ".join(record["own"]))}</p>'
            f'<p data-pagefind-weight="1">{e(" ".join(record["more"]))}</p>{meta}{filters}</main></body></html>\n')
