"""A straightforward, tag-by-tag version of regiot.htmlpost.mark_languages.

This is how the hook worked first: walk every token of the page, keep a stack
of the elements that declare a language, and mark each text node. It is slow
(a few milliseconds a page) but easy to check by eye, so tests compare the fast
version with it.
"""

from __future__ import annotations

import re

from regiot.htmlpost import EN_RUN, JA, JA_RUN, VOID, external_rel

TOKEN = re.compile(r"<!--.*?-->|<(head|script|style|svg|textarea|template|title|math)\b[^>]*>.*?</\1\s*>|<[^>]*>",
                   re.S | re.I)
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*?)(/?)>", re.S)
LANG_ATTR = re.compile(r"""\slang\s*=\s*["']?([A-Za-z-]+)""", re.I)


def _mark(text: str, lang: str) -> str:
    if lang == "en":
        return JA_RUN.sub(lambda m: f'<span lang="ja">{m.group(0)}</span>', text)
    if lang == "ja" and not re.search(f"[{JA}]", text):
        return EN_RUN.sub(lambda m: f'<span lang="en">{m.group(0)}</span>', text)
    return text


def mark_languages(html: str, page_lang: str = "ja", site_url: str = "") -> str:
    out: list[str] = []
    stack: list[list] = []  # [tag, lang, depth] of the open elements that declare a lang
    pos = 0
    for m in TOKEN.finditer(html):
        if m.start() > pos:
            text = html[pos:m.start()]
            out.append(_mark(text, stack[-1][1] if stack else page_lang) if text.strip() else text)
        token = m.group(0)
        if token[:2].lower() == "<a" and token[2:3].isspace():
            token = external_rel(token, site_url)
        out.append(token)
        pos = m.end()
        t = TAG.match(token) if not m.group(1) else None
        if t is None:
            continue
        closing, name, attrs, selfclosing = t.group(1), t.group(2).lower(), t.group(3), t.group(4)
        if closing:
            if stack and stack[-1][0] == name:
                stack[-1][2] -= 1
                if stack[-1][2] == 0:
                    stack.pop()
            continue
        if selfclosing or name in VOID:
            continue
        la = LANG_ATTR.search(attrs)
        if name == "html":
            if la:
                page_lang = la.group(1).split("-")[0].lower()
        elif la:
            stack.append([name, la.group(1).split("-")[0].lower(), 1])
        elif stack and stack[-1][0] == name:
            stack[-1][2] += 1
    tail = html[pos:]
    out.append(_mark(tail, stack[-1][1] if stack else page_lang) if tail.strip() else tail)
    return "".join(out)
