"""Hook: last touches to every rendered page (and 404.html), in one pass.

1. External links get ``rel="noopener noreferrer"`` — the theme's repository
   and edit links and links in hand-written pages as well as generated ones.
2. Text in the other language gets a ``lang`` attribute (WCAG 3.1.2):

English pages quote Japanese names and titles (sources, organisations, terms
such as 実証); Japanese pages carry the odd English sentence. Screen readers
read such text with the wrong voice unless it says its language. After each
page is rendered, runs of Japanese script on an English page are wrapped in
``<span lang="ja">``, and runs of four or more English words on a Japanese
page in ``<span lang="en">``, unless an element around them already says so.
Text inside head, script, style, svg, textarea and template is left alone.
tests/test_accessibility.py and tests/test_hostile.py check the result on every page.
"""

from __future__ import annotations

import re

JA = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f"
JA_PUNCT = "\u3000-\u3004\u3006-\u303f\u30fb\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
# A run of Japanese: Japanese letters, with Japanese punctuation, digits and short
# Latin tokens (IoT, 100, ICT) between them, and brackets around them.
JA_RUN = re.compile(rf"[{JA_PUNCT}]*[{JA}](?:[{JA}{JA_PUNCT}0-9０-９]"
                    rf"|(?:[ \u3000]+|[ \u3000]*[A-Za-z0-9.,:%&+/()\-]{{1,12}}[ \u3000]*)(?=[{JA}{JA_PUNCT}]))*[{JA_PUNCT}]*")
EN_RUN = re.compile(r"[A-Za-z][a-z]+(?:[ ,'’\-]+[A-Za-z][a-z]+){3,}[.!?]?")
# Markup kept as it is: comments, whole elements whose text is not prose, tags.
TOKEN = re.compile(r"<!--.*?-->|<(head|script|style|svg|textarea|template|title|math)\b[^>]*>.*?</\1\s*>|<[^>]*>",
                   re.S | re.I)
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^>]*?)(/?)>", re.S)
LANG_ATTR = re.compile(r"""\slang\s*=\s*["']?([A-Za-z-]+)""", re.I)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _mark(text: str, lang: str) -> str:
    if lang == "en":
        return JA_RUN.sub(lambda m: f'<span lang="ja">{m.group(0)}</span>', text)
    if lang == "ja" and not re.search(f"[{JA}]", text):
        return EN_RUN.sub(lambda m: f'<span lang="en">{m.group(0)}</span>', text)
    return text


EXTERNAL = re.compile(r"""\shref\s*=\s*["']?\s*(?:https?:)?//""", re.I)
REL = re.compile(r"""\srel\s*=\s*(["'])(.*?)\1""", re.I | re.S)


def _external_rel(tag: str, site_url: str) -> str:
    """An <a> start tag with rel="noopener noreferrer" if it links outside the site."""
    m = re.search(r"""\shref\s*=\s*(["'])(.*?)\1""", tag, re.I | re.S)
    href = m.group(2).strip() if m else ""
    if not EXTERNAL.search(tag) or (site_url and href.startswith(site_url)):
        return tag
    r = REL.search(tag)
    if r:
        words = r.group(2).split()
        missing = [w for w in ("noopener", "noreferrer") if w not in words]
        if not missing:
            return tag
        return tag[: r.start(2)] + " ".join(words + missing) + tag[r.end(2):]
    end = -2 if tag.endswith("/>") else -1
    return tag[:end] + ' rel="noopener noreferrer"' + tag[end:]


def mark_languages(html: str, page_lang: str = "ja", site_url: str = "") -> str:
    """The page with text in the other language wrapped in ``<span lang>`` and external links marked."""
    out: list[str] = []
    stack: list[list] = []  # [tag, lang, depth] of the open elements that declare a lang
    pos = 0
    for m in TOKEN.finditer(html):
        if m.start() > pos:
            text = html[pos:m.start()]
            out.append(_mark(text, stack[-1][1] if stack else page_lang) if text.strip() else text)
        token = m.group(0)
        if token[:2].lower() == "<a" and token[2:3].isspace():
            token = _external_rel(token, site_url)
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


def on_post_page(output: str, page, config) -> str:
    return mark_languages(output, site_url=config.site_url or "")


def on_post_template(output_content: str, template_name: str, config) -> str:
    if template_name.endswith(".html"):
        return mark_languages(output_content, site_url=config.site_url or "")
    return output_content
