"""Published URLs never disappear: each one is still a page, or a redirect to its new place.

Instructors put links and QR codes to course pages on slides and handouts, and
other sites link to cases. ``tests/published-urls.txt`` lists every page URL
that has been published. When a page is renamed, add the old path to
``redirect_maps`` in mkdocs.yml; when a page is added, add its URL to the list
(the second test says which).
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
LIST = Path(__file__).with_name("published-urls.txt")


def published() -> list[str]:
    return [ln.strip() for ln in LIST.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def built_urls(site: Path) -> set[str]:
    out = set()
    for p in site.rglob("index.html"):
        rel = p.parent.relative_to(site).as_posix()
        if rel.startswith(("assets", "pagefind", "offline", "search")) or "/pagefind" in rel:
            continue
        out.add("" if rel == "." else rel + "/")
    return out


def test_every_published_url_still_resolves(real_site):
    missing = []
    for url in published():
        page = real_site / url / "index.html"
        if not page.is_file():
            missing.append(url)
            continue
        html = page.read_text(encoding="utf-8", errors="replace")
        assert "<title>" in html or 'http-equiv="refresh"' in html, url
    assert missing == [], "published URLs that disappeared (add a redirect in mkdocs.yml redirect_maps): " + ", ".join(missing)


def test_every_course_and_case_page_is_in_the_published_list(real_site):
    listed = set(published())
    new = sorted(u for u in built_urls(real_site)
                 if u.startswith(("courses/", "en/courses/", "cases/", "en/cases/")) and u not in listed)
    assert new == [], "add these new URLs to tests/published-urls.txt: " + ", ".join(new)
