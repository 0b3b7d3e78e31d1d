"""Accessibility gate: axe-core in Chromium over every page type, both languages,
light and dark colour schemes; keyboard-only use of search, case filters,
instructor toggle and map; ``lang`` on mixed-language text.

axe-core comes from the ``axe-playwright-python`` wheel on PyPI (pinned in
requirements/test.txt), which ships ``axe.min.js``; only that file is used.
A gate fails on any *serious* or *critical* violation; the counts of every
impact are printed under "quality gates" at the end of the run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gates import guarded_page, write_results
from sitecrawl import FEATURE_TYPES, REQUIRED_TYPES, site_pages

pytestmark = pytest.mark.browser

LANGS = ("ja", "en")
SCHEMES = ("light", "dark")
FAIL_IMPACTS = ("serious", "critical")
SEARCH_TERMS = {"ja": "IoT", "en": "IoT"}
RESULTS: dict[str, dict] = {}


def axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError:  # pragma: no cover - setup problem, not a site problem
        pytest.fail("axe-core is missing: `make setup` installs axe-playwright-python from requirements/test.txt")
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def axe_js() -> str:
    return axe_source()


def run_axe(pg, axe_js: str) -> dict:
    """Run axe-core on the page as it is now; returns its results (violations only)."""
    if not pg.evaluate("typeof window.axe !== 'undefined'"):
        pg.evaluate(axe_js)  # evaluated by the debugger protocol: not subject to the page's CSP
    return pg.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return {version: axe.version, violations: r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                      summary: (n.failureSummary || '').slice(0, 300)}))}))};
    }""")


def settle(pg) -> None:
    pg.wait_for_load_state("load")
    try:
        pg.wait_for_load_state("networkidle", timeout=5000)
    except Exception:  # noqa: BLE001 - a page that keeps a connection open is still checked
        pass
    pg.evaluate("document.fonts ? document.fonts.ready.then(() => true) : true")


def open_search_results(pg, lang: str) -> None:
    """On the search page, wait until results for a common term are shown."""
    try:
        pg.wait_for_function("""() => {
            return !!document.querySelector('#riot-search-page-results li, article [role=option], article .riot-search-result');
        }""", timeout=15000)
    except Exception:  # noqa: BLE001
        pytest.fail(f"the search page shows no results for {SEARCH_TERMS[lang]!r}")


def check(pg, axe_js, label: str, figures_list) -> None:
    res = run_axe(pg, axe_js)
    counts = {k: 0 for k in ("critical", "serious", "moderate", "minor")}
    for v in res["violations"]:
        counts[v["impact"] or "minor"] += len(v["nodes"])
    RESULTS[label] = {"url": pg.url, "counts": counts, "violations": res["violations"]}
    write_results("accessibility", RESULTS)
    figures_list.append(f"axe {res['version']} {label}: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    bad = [v for v in res["violations"] if v["impact"] in FAIL_IMPACTS]
    assert not bad, f"{label} ({pg.url}): serious/critical accessibility violations:\n" + "\n".join(
        f"  [{v['impact']}] {v['id']}: {v['help']}\n" + "\n".join(
            f"      {n['target']}: {n['html'][:120]}\n        {n['summary'][:200]}" for n in v["nodes"][:6])
        for v in bad)


# ---------------------------------------------------------------------------------------------
# axe over every page type (the list grows with the site: see sitecrawl.py)

PAGE_TYPES = list(REQUIRED_TYPES) + list(FEATURE_TYPES)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ptype", PAGE_TYPES)
def test_axe_page_type(browser, gate_pages, axe_js, figures, ptype, lang, scheme):
    url = gate_pages.url(ptype, lang)
    if ptype == "search":
        url += "?q=" + SEARCH_TERMS[lang]
    with guarded_page(browser, scheme) as (pg, problems):
        pg.goto(url)
        settle(pg)
        if ptype == "search":
            open_search_results(pg, lang)
        check(pg, axe_js, f"{ptype}/{lang}/{scheme}", figures)
        assert problems["js"] == [], problems["js"]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("lang", LANGS)
def test_axe_module_instructor_view(browser, gate_pages, axe_js, figures, lang, scheme):
    url = gate_pages.url("module", lang)
    with guarded_page(browser, scheme) as (pg, problems):
        pg.goto(url + "?instructor=1")
        settle(pg)
        assert pg.evaluate("document.documentElement.classList.contains('riot-instructor')"), \
            "?instructor=1 did not switch on the instructor view"
        check(pg, axe_js, f"module-instructor/{lang}/{scheme}", figures)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_other_sections(browser, gate_pages, axe_js, figures, scheme):
    """Every other kind of page the site builds (about, guides, offline …), both languages."""
    others = sorted(k for k in gate_pages.urls if k[0] not in PAGE_TYPES)
    assert others, "expected at least the about page"
    failures = []
    with guarded_page(browser, scheme) as (pg, problems):
        for ptype, lang in others:
            pg.goto(gate_pages.urls[(ptype, lang)])
            settle(pg)
            try:
                check(pg, axe_js, f"{ptype}/{lang}/{scheme}", figures)
            except AssertionError as exc:
                failures.append(str(exc))
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------------------------
# Keyboard-only use

def tab_until(pg, predicate_js: str, limit: int = 150) -> bool:
    """Press Tab until ``predicate_js`` (a function of document.activeElement) is true."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate(f"(el => {predicate_js})(document.activeElement)"):
            return True
    return False


def focus_visible(pg) -> bool:
    """The focused element shows a focus indicator (outline or box-shadow)."""
    return pg.evaluate("""() => {
        const el = document.activeElement; if (!el || el === document.body) return false;
        const s = getComputedStyle(el);
        return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'
               || getComputedStyle(el, ':focus-visible') !== null;
    }""")


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_header_search(browser, gate_pages, lang):
    if ("search", lang) not in gate_pages.urls:
        pytest.skip(FEATURE_TYPES["search"])
    with guarded_page(browser) as (pg, problems):
        start = gate_pages.url("case", lang)
        pg.goto(start)
        settle(pg)
        # Tab reaches the search box …
        assert tab_until(pg, "el.matches('input[type=text], input[type=search]') && !!el.closest('header, [role=search], form[name=search]')", 40), \
            "Tab never reaches the header search box"
        pg.keyboard.press("Escape")
        # … and the shortcut key opens it; arrows choose a result; Enter opens it
        pg.evaluate("document.activeElement && document.activeElement.blur()")
        pg.keyboard.press("/")
        assert pg.evaluate("document.activeElement && document.activeElement.matches('input')"), "'/' does not focus the search"
        pg.keyboard.type(SEARCH_TERMS[lang])
        pg.wait_for_selector("[role=option]", timeout=15000)
        pg.keyboard.press("ArrowDown")
        assert pg.evaluate("!!document.querySelector('[role=option][aria-selected=true]') || "
                           "!!document.activeElement.getAttribute('aria-activedescendant')"), \
            "ArrowDown does not mark a result as chosen"
        with pg.expect_navigation():
            pg.keyboard.press("Enter")
        assert pg.url.split("?")[0] != start, "Enter did not open the chosen result"
        assert problems["js"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_search_page(browser, gate_pages, lang):
    url = gate_pages.url("search", lang)
    with guarded_page(browser) as (pg, problems):
        pg.goto(url)
        settle(pg)
        assert tab_until(pg, "el.matches('input') && !!el.closest('article')"), "Tab never reaches the search page's box"
        pg.keyboard.type(SEARCH_TERMS[lang])
        pg.keyboard.press("Enter")
        open_search_results(pg, lang)
        assert tab_until(pg, "el.matches('a[href]') && !!el.closest('article ol, article [role=listbox], article ul')", 40), \
            "Tab never reaches a search result"
        target = pg.evaluate("document.activeElement.href")
        with pg.expect_navigation():
            pg.keyboard.press("Enter")
        assert pg.url.split("#")[0] == target.split("#")[0]


CASE_LINK_JS = """() => Array.from(document.querySelectorAll('article a[href]')).filter(a =>
    /\\/cases\\/[^/]+\\/$/.test(new URL(a.href).pathname) && a.offsetParent !== null).length"""


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_case_filters(browser, gate_pages, lang):
    url = gate_pages.url("case-index", lang)
    with guarded_page(browser) as (pg, problems):
        pg.goto(url)
        settle(pg)
        controls = pg.locator("article select, article input:not([type=hidden]), article [role=checkbox], "
                              "article [aria-pressed], article fieldset button").count()
        if controls == 0:
            pytest.skip("the case finder (filters on /cases/) has not landed")
        before = pg.evaluate(CASE_LINK_JS)
        found = tab_until(pg, "!!el.closest('article') && el.matches('select, input, [role=checkbox], [aria-pressed], fieldset button')")
        assert found, "Tab never reaches a case filter"
        kind = pg.evaluate("(el => el.tagName.toLowerCase() + ':' + (el.type || el.getAttribute('role') || ''))(document.activeElement)")
        if kind.startswith("select"):
            pg.keyboard.press("ArrowDown")
            pg.keyboard.press("ArrowDown")
        elif kind.startswith("input:text") or kind.startswith("input:search"):
            pg.keyboard.type("IoT" if lang == "en" else "市")
        else:
            pg.keyboard.press("Space")
        pg.wait_for_timeout(600)
        after = pg.evaluate(CASE_LINK_JS)
        assert after != before, f"changing the first filter ({kind}) by keyboard did not change the list ({before} cases)"
        assert after > 0 or pg.locator("article [role=status], article [aria-live]").count() > 0
        assert problems["js"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_instructor_toggle(browser, gate_pages, lang):
    url = gate_pages.url("module", lang)
    with guarded_page(browser) as (pg, problems):
        pg.goto(url + "?instructor=0")
        settle(pg)
        notes = pg.locator(".admonition.instructor, details.instructor")
        assert notes.count() > 0, "the module has no instructor notes to show"
        assert not notes.first.is_visible(), "instructor notes are visible in the learner view"
        assert tab_until(pg, "el.matches('.riot-instructor-toggle, button[aria-pressed]')"), "Tab never reaches the instructor toggle"
        assert pg.evaluate("document.activeElement.getAttribute('aria-pressed')") == "false"
        pg.keyboard.press("Enter")
        assert pg.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"
        assert notes.first.is_visible(), "Enter on the toggle did not show the instructor notes"
        pg.keyboard.press("Space")
        assert pg.evaluate("document.activeElement.getAttribute('aria-pressed')") == "false"
        assert not notes.first.is_visible()
        assert problems["js"] == []


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_map(browser, gate_pages, lang):
    url = gate_pages.url("region-index", lang)
    with guarded_page(browser) as (pg, problems):
        pg.goto(url)
        settle(pg)
        assert tab_until(pg, "!!el.closest('svg') && el.matches('a')", 250), "Tab never reaches a prefecture on the map"
        assert focus_visible(pg), "the focused prefecture shows no focus indicator"
        label = pg.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.textContent")
        assert label.strip(), "the focused prefecture has no accessible name"
        href = pg.evaluate("new URL(document.activeElement.getAttribute('href'), location.href).href")
        with pg.expect_navigation():
            pg.keyboard.press("Enter")
        assert pg.url == href


# ---------------------------------------------------------------------------------------------
# Mixed-language text carries lang attributes (every page, statically)

JA_CHARS = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]")
EN_RUN = re.compile(r"[A-Za-z][a-z]+(?:[ ,'’-]+[A-Za-z][a-z]+){3,}")  # four or more English words


def lang_problems(html: str, page_lang: str) -> list[str]:
    """Text in the other language without a ``lang`` attribute saying so."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "html.parser")
    for t in soup(["head", "script", "style", "noscript", "template"]):
        t.decompose()
    out = []
    for node in soup.find_all(string=True):
        if isinstance(node, Comment):
            continue
        text = str(node).strip()
        if not text:
            continue
        parent = node.parent
        if parent is None or parent.find_parent(attrs={"hidden": True}) or parent.has_attr("hidden") \
                or parent.find_parent(attrs={"aria-hidden": "true"}) or parent.get("aria-hidden") == "true":
            continue
        el = parent
        while el is not None and getattr(el, "get", None) and not el.get("lang"):
            el = el.parent
        declared = el.get("lang") if el is not None and getattr(el, "get", None) else page_lang
        declared = (declared or page_lang).split("-")[0]
        if declared == "en" and len(JA_CHARS.findall(text)) >= 2:
            out.append(f"Japanese text in an English context: {text[:60]!r} (in <{parent.name}>)")
        elif declared == "ja" and not JA_CHARS.search(text) and EN_RUN.search(text):
            out.append(f"English text in a Japanese context: {text[:60]!r} (in <{parent.name}>)")
    return out


@pytest.mark.slow
def test_mixed_language_text_has_lang(real_site, figures):
    problems: dict[str, list[str]] = {}
    pages = site_pages(real_site)
    for p in pages:
        if p.type == "404" and p.lang == "en":
            continue  # the same file as the ja 404
        found = lang_problems(p.file.read_text(encoding="utf-8"), p.lang)
        if found:
            problems[p.path or "/"] = found
    write_results("lang-attributes", problems)
    n = sum(len(v) for v in problems.values())
    figures.append(f"lang attributes: {len(pages)} pages scanned, {n} text runs in the other language without lang")
    assert not problems, f"{n} text runs lack a lang attribute on {len(problems)} pages, e.g.:\n" + "\n".join(
        f"  /{path}: {msgs[0]}" + (f" (+{len(msgs) - 1} more)" if len(msgs) > 1 else "")
        for path, msgs in list(problems.items())[:25])
