"""Shared pieces of the quality gates (accessibility, links, hostile content).

* ``gate_pages``: one URL per (page type, language), from the real site, with
  the course types taken from the fixture site while the real site builds no
  courses (RIOT_COURSES) — so the gates cover them before they go live.
* ``guarded_page``: a Chromium page in a light or dark colour scheme whose
  requests may only go to 127.0.0.1, which records CSP violations and
  JavaScript errors.
* ``figures``: lines printed under "quality gates" at the end of the run and
  kept in test-results/quality-gates.json.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path

import pytest
from sitecrawl import FEATURE_TYPES, SitePage, representatives
from siteserver import SiteServer, only_localhost

from conftest import ROOT

RESULTS = ROOT / "test-results"

# Records CSP violations and JavaScript errors from the very start of every page.
CSP_LISTENER = """
window.__riotCsp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__riotCsp.push({directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
                         source: e.sourceFile, line: e.lineNumber});
});
"""


@pytest.fixture(scope="session")
def figures(request):
    """Append lines here; they are printed at the end of the run (see conftest)."""
    store = request.config.__dict__.setdefault("riot_figures", [])
    return store


def write_results(name: str, data) -> Path:
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return out


class GatePages:
    """Where each (type, lang) representative is served."""

    def __init__(self):
        self.urls: dict[tuple[str, str], str] = {}
        self.pages: dict[tuple[str, str], SitePage] = {}
        self.origin: dict[tuple[str, str], str] = {}

    def add(self, base: str, site_dir: Path, origin: str, only: set[str] | None = None) -> None:
        for key, p in representatives(site_dir).items():
            if key in self.urls or (only is not None and key[0] not in only):
                continue
            self.urls[key] = base + p.path
            self.pages[key] = p
            self.origin[key] = origin

    def url(self, ptype: str, lang: str) -> str:
        key = (ptype, lang)
        if key not in self.urls:
            if ptype in FEATURE_TYPES:
                pytest.skip(f"{ptype} ({lang}): {FEATURE_TYPES[ptype]}")
            pytest.fail(f"the built site has no page of type {ptype!r} in {lang}")
        return self.urls[key]

    def types(self) -> list[str]:
        return sorted({t for t, _ in self.urls})


@pytest.fixture(scope="session")
def gate_pages(real_site, served_site, request):
    pages = GatePages()
    pages.add(served_site, real_site, "real site")
    missing = {t for t in ("course", "module") if (t, "ja") not in pages.urls}
    servers = []
    if missing:
        project = request.getfixturevalue("fixture_site")
        server = SiteServer(project / "site")
        servers.append(server)
        pages.add(server.url, project / "site", "fixture site (the real site builds no courses yet)", only=missing)
    yield pages
    for s in servers:
        s.close()


@contextmanager
def guarded_page(browser, scheme: str = "light", viewport=(1280, 900)):
    """A page (light or dark scheme) that may only reach 127.0.0.1; yields (page, problems)."""
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, color_scheme=scheme)
    outside = only_localhost(ctx)
    ctx.add_init_script(CSP_LISTENER)
    pg = ctx.new_page()
    problems = {"js": [], "console": [], "outside": outside}
    pg.on("pageerror", lambda exc: problems["js"].append(str(exc)))
    pg.on("console", lambda msg: problems["console"].append(msg.text) if msg.type == "error" else None)
    try:
        yield pg, problems
    finally:
        ctx.close()
    assert not outside, f"the page tried to reach outside 127.0.0.1: {outside}"


def csp_violations(pg, problems) -> list:
    """CSP violations seen by the page, and CSP errors Chromium printed to the console."""
    events = pg.evaluate("window.__riotCsp || []")
    console = [m for m in problems["console"] if "Content Security Policy" in m or "Content-Security-Policy" in m]
    return events + console
