"""Words of the search interface and the case finder.

Plain Python (no MkDocs). ``WORDS[lang]`` holds the interface words used by the
header search, the search page and the case finder; ``SECTIONS`` the label shown
next to each result, by the page's ``riot_type``.
"""

from __future__ import annotations

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
    },
}
