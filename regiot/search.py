"""Words of the search interface and the case finder, and search terms of a page.

Plain Python (no MkDocs). ``WORDS[lang]`` holds the interface words used by the
header search, the search page and the case finder; ``SECTIONS`` the label shown
next to each result, by the page's ``riot_type``.
"""

from __future__ import annotations

from typing import Any

from .site import tr

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
        "nojs": "検索にはJavaScriptが必要です。事例は事例一覧から探せます。",
        "keywords": "検索用キーワード",
        # case finder
        "filter_title": "事例を絞り込む",
        "filter_text": "キーワード",
        "filter_text_placeholder": "事例名・団体名・地名など",
        "any": "すべて",
        "from": "開始年（から）",
        "to": "開始年（まで）",
        "clear": "条件をクリア",
        "shown": "{n}件を表示（全{total}件）",
        "no_match": "条件に合う事例はありません。条件を減らしてください。",
        "award_any": "表彰・選定の制度",
        "funding_any": "資金の種類",
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
        "nojs": "Search needs JavaScript. You can browse every case in the case list.",
        "keywords": "Search keywords",
        "filter_title": "Filter the cases",
        "filter_text": "Keyword",
        "filter_text_placeholder": "Project, organisation, place …",
        "any": "All",
        "from": "Started from",
        "to": "Started until",
        "clear": "Clear filters",
        "shown": "{n} of {total} shown",
        "no_match": "No case matches these filters. Try removing some.",
        "award_any": "Award programme",
        "funding_any": "Funding type",
    },
}


def _as_list(value: Any, lang: str) -> list[str]:
    """Synonyms may be a list (any language) or {ja: [...], en: [...]}."""
    if not value:
        return []
    if isinstance(value, dict):
        return [str(v) for v in (value.get(lang) or [])]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [str(value)]


def vocab_terms(entry: dict | None, lang: str) -> list[str]:
    """Name, readings and synonyms of a vocabulary entry, for the search index."""
    if not entry:
        return []
    out = [tr(entry, lang)]
    if lang == "ja":
        out += _as_list(entry.get("reading"), lang)
        out += [s for s in _as_list(entry.get("synonyms"), "ja")]
    else:
        out += _as_list(entry.get("synonyms"), "en") if isinstance(entry.get("synonyms"), dict) else \
            [s for s in _as_list(entry.get("synonyms"), lang) if s.isascii()]
    return out


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for it in items:
        it = " ".join(str(it).split())
        if it and it not in seen:
            seen.add(it)
            out.append(it)
    return out


def case_terms(site: Any, case: dict, lang: str) -> dict[str, list[str]]:
    """Search terms of a case page: 'key' (title-level facts) and 'extra' (readings, synonyms)."""
    v = site.vocab
    key = [tr(case["title"], lang)]
    key += [tr(m, lang) for m in case["location"].get("municipalities") or []]
    key += [tr(o["name"], lang) for o in case["organisations"]]
    key += [tr(v.by_pref[p], lang) for p in case["location"]["prefectures"]]
    key += [tr(v.by_field[f], lang) for f in case["fields"]]
    for a in case.get("awards") or []:
        prog = v.by_award.get(a["programme"])
        if prog:
            key.append(tr(prog["name"], lang))
        key.append(site.award_label(a, lang))
    extra = list((case.get("keywords") or {}).get(lang) or [])
    for p in case["location"]["prefectures"]:
        extra += vocab_terms(v.by_pref[p], lang)[1:]
    block = site.block_of(case)
    extra.append(tr(block, lang))
    for f in case["fields"]:
        extra += vocab_terms(v.by_field[f], lang)[1:]
    for t in case.get("technologies") or []:
        extra += vocab_terms(v.by_tech[t], lang)
    return {"key": _unique(key), "extra": _unique(extra)}


def field_terms(site: Any, field: dict, lang: str) -> dict[str, list[str]]:
    """Search terms of a field page: its name, readings and synonyms."""
    return {"key": _unique([tr(field, lang)]), "extra": _unique(vocab_terms(field, lang)[1:])}
