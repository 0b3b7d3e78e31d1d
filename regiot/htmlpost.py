"""Last touches to a rendered HTML page: language marks and safe external links.

1. External links get ``rel="noopener noreferrer"`` (the theme's repository and
   edit links and links in hand-written pages as well as generated ones).
2. Text in the other language gets a ``lang`` attribute (WCAG 3.1.2).

English pages quote Japanese names and titles (sources, organisations, terms
such as 実証); Japanese pages carry the odd English sentence. Screen readers
read such text with the wrong voice unless it says its language. So runs of
Japanese script in English text are wrapped in ``<span lang="ja">``, and runs
of four or more English words in Japanese-free text of a Japanese page in
``<span lang="en">``, unless an element around them already says so. Text
inside head, script, style, svg, textarea, template, title, math and comments
is left alone.

The page is not walked tag by tag (that took a few milliseconds a page, the
largest cost of a build after Markdown itself). The regular expressions find
the few candidate runs and links in the whole page at C speed; only those are
then placed: inside a tag or a skipped element, inside which ``lang``.
tests/test_postprocess.py compares the result with a straightforward
tag-by-tag reference on real pages; tests/test_accessibility.py and
tests/test_hostile.py check the built site.
"""

from __future__ import annotations

import bisect
import re

JA = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f"
JA_PUNCT = "\u3000-\u3004\u3006-\u303f\u30fb\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
JA_CHAR = re.compile(f"[{JA}]")
# A run of Japanese: Japanese letters, with Japanese punctuation, digits and short
# Latin tokens (IoT, 100, ICT) between them, and brackets around them. Neither
# run can contain < or >, so a match never spans a tag.
# (Written to start with one character class, which re scans for quickly: the first
# character is Japanese, or punctuation followed by more punctuation and a letter.)
JA_RUN = re.compile(rf"[{JA_PUNCT}{JA}](?:(?<=[{JA}])|[{JA_PUNCT}]*[{JA}])(?:[{JA}{JA_PUNCT}0-9０-９]"
                    rf"|(?:[ \u3000]+|[ \u3000]*[A-Za-z0-9.,:%&+/()\-]{{1,12}}[ \u3000]*)(?=[{JA}{JA_PUNCT}]))*[{JA_PUNCT}]*")
# Four or more English words; a run starts at the start of a word.
EN_RUN = re.compile(r"[A-Za-z](?<![A-Za-z][A-Za-z])[a-z]+(?:[ ,'’\-]+[A-Za-z][a-z]+){3,}[.!?]?")
# Text between tags long enough to hold four words.
TEXT_NODE = re.compile(r">([^<>]{15,})")
# Markup whose text is not prose: comments and whole elements.
SKIP = re.compile(r"<!--.*?-->|<(head|script|style|svg|textarea|template|title|math)\b[^>]*>.*?</\1\s*>", re.S | re.I)
# A lang attribute (found by its literal name, then checked to be in a start tag).
LANG_ATTR = re.compile(r"""lang\s*=\s*["']?([A-Za-z-]+)""")
TAG_NAME = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
A_START = re.compile(r"<a\s[^>]*>", re.I)
HTML_LANG = re.compile(r"""<html\b[^>]*?\slang\s*=\s*["']?([A-Za-z-]+)""", re.I | re.S)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

EXTERNAL = re.compile(r"""\shref\s*=\s*["']?\s*(?:https?:)?//""", re.I)
HREF = re.compile(r"""\shref\s*=\s*(["'])(.*?)\1""", re.I | re.S)
REL = re.compile(r"""\srel\s*=\s*(["'])(.*?)\1""", re.I | re.S)


def external_rel(tag: str, site_url: str) -> str:
    """An <a> start tag with rel="noopener noreferrer" if it links outside the site."""
    m = HREF.search(tag)
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


class _Ranges:
    """Sorted, non-overlapping [start, end) ranges with a containment test."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


_CLOSE_CACHE: dict[str, re.Pattern] = {}


def _lang_elements(html: str, skipped: _Ranges) -> list[tuple[int, int, str]]:
    """(start, end, lang) of every element below <html> that declares a language."""
    out = []
    for m in LANG_ATTR.finditer(html):
        if not html[m.start() - 1].isspace():
            continue  # hreflang=, data-lang=, or text
        start = html.rfind("<", 0, m.start())
        tag = TAG_NAME.match(html, start) if start > html.rfind(">", 0, m.start()) else None
        if tag is None:
            continue  # "lang=" in text, or in an end tag, a comment or a doctype
        name, close = tag.group(1).lower(), html.find(">", m.end())
        if name == "html" or start in skipped or name in VOID or close < 0 or html[close - 1] == "/":
            continue
        same = _CLOSE_CACHE.get(name)
        if same is None:
            same = _CLOSE_CACHE[name] = re.compile(rf"<(/?){re.escape(name)}\b[^>]*>", re.I)
        depth, end = 1, len(html)
        for t in same.finditer(html, close + 1):
            if t.start() in skipped:
                continue  # "<div>" written inside a script, comment or svg
            if t.group(1):
                depth -= 1
            elif not t.group(0).endswith("/>"):
                depth += 1
            if depth == 0:
                end = t.end()
                break
        out.append((start, end, m.group(1).split("-")[0].lower()))
    return out


def _segments(size: int, elements: list[tuple[int, int, str]], page_lang: str) -> list[tuple[int, int, str]]:
    """The page cut into [start, end) stretches of one language (innermost declaration wins)."""
    cuts = sorted({0, size, *(s for s, _, _ in elements), *(e for _, e, _ in elements)})
    out: list[tuple[int, int, str]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        lang, start = page_lang, -1
        for s, e, la in elements:  # few per page
            if s <= a < e and s > start:
                lang, start = la, s
        if out and out[-1][2] == lang and out[-1][1] == a:
            out[-1] = (out[-1][0], b, lang)
        else:
            out.append((a, b, lang))
    return out


def _in_tag(html: str, pos: int) -> bool:
    return html.rfind("<", 0, pos) > html.rfind(">", 0, pos)


def mark_languages(html: str, page_lang: str = "ja", site_url: str = "") -> str:
    """The page with text in the other language wrapped in ``<span lang>`` and external links marked."""
    m = HTML_LANG.search(html)
    if m:
        page_lang = m.group(1).split("-")[0].lower()
    skipped = _Ranges([sm.span() for sm in SKIP.finditer(html)])
    elements = _lang_elements(html, skipped)
    edits: list[tuple[int, int, str]] = []
    for a in A_START.finditer(html):
        if a.start() not in skipped:
            tag = a.group(0)
            new = external_rel(tag, site_url)
            if new is not tag:
                edits.append((a.start(), a.end(), new))
    for a, b, lang in _segments(len(html), elements, page_lang):
        if lang == "en":
            for run in JA_RUN.finditer(html, a, b):
                p = run.start()
                if p not in skipped and not _in_tag(html, p):
                    edits.append((p, run.end(), f'<span lang="ja">{run.group(0)}</span>'))
        elif lang == "ja":
            for node in TEXT_NODE.finditer(html, max(a - 1, 0), b):
                start, end = node.span(1)
                if start in skipped or JA_CHAR.search(html, start, html.find("<", start) % (len(html) + 1)):
                    continue  # prose in a skipped element, or a text node with Japanese in it
                for run in EN_RUN.finditer(html, start, end):
                    edits.append((run.start(), run.end(), f'<span lang="en">{run.group(0)}</span>'))
    if not edits:
        return html
    edits.sort()
    out, pos = [], 0
    for start, end, text in edits:
        out.append(html[pos:start])
        out.append(text)
        pos = end
    out.append(html[pos:])
    return "".join(out)
