"""The pages of a built site, found by walking it, and sorted into page types.

The quality gates (accessibility, links, CSP, hostile content) run over every
kind of page the site has *today and tomorrow*: they never list pages by hand.
A page's type comes from its URL (``cases/<id>/`` is a case, ``courses/<c>/<m>/``
a module …); a section that appears later (``offline/``, ``maintainers/`` …)
becomes a type of its own (``section:offline``) and is tested without any
change here. One representative of each type and language (the largest page,
so the most content) is what the browser gates look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LANGS = ("ja", "en")
SKIP_DIRS = {"assets", "pagefind", "search-index", "pdf", "stylesheets", "javascripts"}
REDIRECT = re.compile(rb'<meta[^>]+http-equiv="refresh"', re.I)

# Types every gate must find (a missing one fails the gate), and types that
# appear once a feature lands (a missing one skips with that reason).
REQUIRED_TYPES = ("home", "case-index", "case", "field-index", "field", "region-index", "region",
                  "awards", "status", "404")
FEATURE_TYPES = {
    "data": "the open-data page (/data/) has not landed",
    "search": "the search page (/search/) has not landed",
    "course-index": "the course list (/courses/) has not landed",
    "course": "no course pages are built (courses disabled: RIOT_COURSES)",
    "module": "no course module pages are built (courses disabled: RIOT_COURSES)",
}


@dataclass(frozen=True)
class SitePage:
    path: str        # URL path below the site root, e.g. "en/cases/x/" or "404.html"
    lang: str
    type: str
    size: int
    file: Path


def page_type(path: str) -> str:
    """Type of a page from its URL path below the site root (without the language prefix)."""
    if path in ("404.html",):
        return "404"
    parts = [p for p in path.split("/") if p]
    if not parts:
        return "home"
    head, rest = parts[0], parts[1:]
    simple = {"cases": ("case-index", "case"), "fields": ("field-index", "field"),
              "regions": ("region-index", "region")}
    if head in simple:
        return simple[head][0] if not rest else simple[head][1]
    if head == "courses":
        return ("course-index", "course", "module")[min(len(rest), 2)]
    if head in ("awards", "status", "data", "search") and not rest:
        return head
    return f"section:{head}" if not rest else f"section:{head}/*"


def site_pages(site_dir: Path) -> list[SitePage]:
    """Every HTML page of a built site (redirect stubs excluded), with its language and type."""
    site_dir = Path(site_dir)
    out: list[SitePage] = []
    for f in sorted(site_dir.rglob("*.html")):
        rel = f.relative_to(site_dir).as_posix()
        if rel.split("/")[0] in SKIP_DIRS or (rel.startswith("en/") and rel.split("/")[1] in SKIP_DIRS):
            continue
        if rel.endswith("index.html"):
            path = rel[: -len("index.html")]
        else:
            path = rel
        head = f.read_bytes()[:4000]
        if REDIRECT.search(head):
            continue
        lang = "en" if path.startswith("en/") else "ja"
        local = path[3:] if lang == "en" else path
        out.append(SitePage(path, lang, page_type(local), f.stat().st_size, f))
    # 404.html is one bilingual page: test it under both languages' names
    for p in list(out):
        if p.type == "404" and p.lang == "ja":
            out.append(SitePage(p.path, "en", "404", p.size, p.file))
    return out


def representatives(site_dir: Path) -> dict[tuple[str, str], SitePage]:
    """{(type, lang): the largest page of that type in that language}."""
    reps: dict[tuple[str, str], SitePage] = {}
    for p in site_pages(site_dir):
        key = (p.type, p.lang)
        if key not in reps or p.size > reps[key].size:
            reps[key] = p
    return reps


def all_types(site_dir: Path) -> list[str]:
    """Every type the gates look at: the required and feature types, and whatever else is built."""
    found = {t for t, _ in representatives(site_dir)}
    return list(REQUIRED_TYPES) + [t for t in FEATURE_TYPES] + sorted(found - set(REQUIRED_TYPES) - set(FEATURE_TYPES))
