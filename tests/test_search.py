"""Search (Pagefind) and the case finder, in Chromium against the real site.

* every query of bench/search/queries.yml, typed into the header search box,
  has an expected page among the first five results;
* the theme's lunr search is never built or requested;
* keyboard: "/" (and "s", "f") focus the search box, arrow keys and Enter open
  a result, Escape closes; the search works at phone width;
* a language indexed in parts (large sites) is merged into one index that holds
  what one run holds, and is searched like it;
* the case finder narrows the table, keeps its filters in the address, restores
  them on load and with back/forward, and works with the keyboard alone;
  without JavaScript the whole table shows.
"""

from __future__ import annotations

import json
import re
import sys
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from siteserver import SiteServer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search.run import load_queries, ui_search  # noqa: E402

QUERIES = load_queries()


def home(served_site: str, lang: str) -> str:
    return served_site + ("" if lang == "ja" else f"{lang}/")


# --- The index ------------------------------------------------------------------------

def test_one_pagefind_bundle_per_language_and_no_lunr(real_site):
    ja = json.loads((real_site / "pagefind" / "pagefind-entry.json").read_text())
    en = json.loads((real_site / "en" / "pagefind" / "pagefind-entry.json").read_text())
    assert list(ja["languages"]) == ["ja"] and list(en["languages"]) == ["en"]
    assert ja["languages"]["ja"]["page_count"] == en["languages"]["en"]["page_count"] > 100
    # each page names its own language's bundle
    assert 'data-riot-pagefind="../pagefind/"' in (real_site / "cases" / "index.html").read_text()
    assert 'data-riot-pagefind="../pagefind/"' in (real_site / "en" / "cases" / "index.html").read_text()
    terms = json.loads((real_site / "pagefind" / "terms-ja" / "pagefind-entry.json").read_text())
    assert list(terms["languages"]) == ["zxx"]
    assert not list(real_site.rglob("search_index.json"))
    assert not list(real_site.glob(".riot-*")), "pages staged for Pagefind are left in the site"
    assert not (real_site / "pagefind" / "pagefind-ui.js").exists()
    assert not (real_site / "en" / "pagefind" / "pagefind-ui.js").exists()
    # only the article is indexed, never the search page itself
    case = (real_site / "cases" / "rumoi-sea-cucumber-it-fishing" / "index.html").read_text()
    assert re.search(r'<article class="md-content__inner md-typeset" data-pagefind-body data-pagefind-filter="type:case"'
                     r' data-pagefind-meta="section:事例">', case)
    search_page = (real_site / "search" / "index.html").read_text()
    assert "data-pagefind-body" not in search_page


def test_search_terms_are_hidden_and_escaped(tmp_path):
    """Readings and keywords go into a hidden element; contributor text stays escaped."""
    from conftest import make_project
    from regiot.render import Renderer
    from regiot.search import terms_records
    from regiot.site import load_site

    site = load_site(make_project(tmp_path / "p"))
    evil = '<img src=x onerror=alert(1)>"&\''
    site.cases[0]["keywords"] = {"ja": [evil, "みまもり"], "en": [evil]}
    pages = Renderer(site).pages()
    for src in (f"cases/{site.cases[0]['id']}.md", f"cases/{site.cases[0]['id']}.en.md"):
        md = pages[src]
        assert '<div class="riot-search-terms" hidden aria-hidden="true"' in md
        assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md
    index = pages["cases/index.md"]
    assert "<img" not in index
    # the terms attribute round-trips to the original words
    out = tmp_path / "site" / "cases" / site.cases[0]["id"]
    out.mkdir(parents=True)
    m = re.search(r'<div class="riot-search-terms".*?</div>', pages[f"cases/{site.cases[0]['id']}.md"], re.S)
    (out / "index.html").write_text(m.group(0), encoding="utf-8")
    records = terms_records(tmp_path / "site", "ja", site)
    assert records[0]["own"][:2] == ["<imgsrc=xonerror=alert(1)>\"&'", "みまもり"]


# --- A language indexed in parts ----------------------------------------------------------

def test_pages_are_dealt_into_parts_of_bounded_size(tmp_path):
    from regiot.searchindex import indexed_pages, split

    body = '<html lang="ja"><body><article data-pagefind-body>x</article></body></html>'
    for rel in ["index.html", "a/index.html", "b/c/index.html", "d/index.html", "e/index.html", "f/index.html",
                "g/index.html", "en/index.html", "pagefind/x.html", ".riot-index-1/a/index.html"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(body, encoding="utf-8")
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "index.html").write_text("<html><body>no body marked</body></html>", encoding="utf-8")
    pages = indexed_pages(tmp_path, skip=("en", "pagefind"))
    assert [p.relative_to(tmp_path).as_posix() for p in pages] == [
        "a/index.html", "b/c/index.html", "d/index.html", "e/index.html", "f/index.html", "g/index.html", "index.html"]
    parts = split(pages, 3)
    assert [len(p) for p in parts] == [3, 2, 2]
    assert sorted(q for p in parts for q in p) == sorted(pages)
    assert parts[0] == pages[0::3]  # dealt in turn, so each part has a mix
    assert split(pages, 7) == [pages] and split(pages, 100) == [pages]


def test_the_index_read_from_staged_copies_is_the_index_of_the_built_pages(real_site, tmp_path):
    """The build stages each page's head and article for Pagefind (regiot/searchindex.py,
    search_copy); indexing the whole built pages gives the same index."""
    from regiot import searchindex
    from regiot.pagefindmerge import contents

    for root, skip, bundle in [(real_site, ("en", "pagefind"), "pagefind"), (real_site / "en", ("pagefind",), "en/pagefind")]:
        pages = searchindex.indexed_pages(root, skip)
        out = tmp_path / bundle
        searchindex._index(pages, root, out, "the built pages")
        assert contents(out) == contents(real_site / bundle), bundle
    # the terms index too, which the build makes from the staged copies
    from regiot.search import terms_records
    from regiot.site import load_site

    out = tmp_path / "terms-ja"
    searchindex._run_steps([searchindex._terms_step(terms_records(real_site, "ja", load_site(ROOT)), out, tmp_path)])
    assert contents(out) == contents(real_site / "pagefind" / "terms-ja")
    assert contents(out)["pages"]


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory):
    """The real site with each language indexed in three parts (as a large corpus would be), merged."""
    from conftest import run_build

    out = tmp_path_factory.mktemp("parted") / "site"
    result = run_build(ROOT, str(out), {"RIOT_PDF": "0", "RIOT_SEARCH_PART_PAGES": "60"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "indexed in 3 parts of at most 60, merged into one index" in result.stdout + result.stderr
    server = SiteServer(out)
    yield out, server.url
    server.close()


@pytest.mark.slow
def test_parts_are_merged_into_the_index_one_run_builds(parted_site, real_site):
    from regiot.pagefindmerge import contents

    site, _ = parted_site
    for bundle in (Path("pagefind"), Path("en/pagefind")):
        parted, whole = contents(site / bundle), contents(real_site / bundle)
        assert len(parted["pages"]) > 120
        for key in whole:
            assert parted[key] == whole[key], f"{bundle}: {key} differs from the one-run index"
        assert [p.name for p in (site / bundle).glob("*.json")] == ["pagefind-entry.json"]
        assert not list((site / bundle).glob("part-*"))
    assert not [p for p in site.rglob(".riot-*")], "staging folders left behind"


def _result_count(page, url: str) -> int:
    page.goto(url)
    page.wait_for_function("() => /[0-9]/.test(document.getElementById('riot-search-page-status').textContent)",
                           timeout=30_000)
    return int(re.search(r"[0-9][0-9,]*", page.inner_text("#riot-search-page-status")).group(0).replace(",", ""))


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_parted_index_is_searched_as_one(page, parted_site, served_site, lang):
    """The merged index answers as the one-run index does: a word on every case page finds as many
    pages, only the one bundle is fetched, and each case is found by its (English) title."""
    site, url = parted_site
    prefix = "" if lang == "ja" else "en/"
    for word in (["出典", "IoT", "地域"] if lang == "ja" else ["sources", "IoT", "data"]):
        whole = _result_count(page, f"{served_site}{prefix}search/?q={word}")
        parted = _result_count(page, f"{url}{prefix}search/?q={word}")
        assert parted == whole > 20, (word, parted, whole)
    requested = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert any(f"/{prefix}pagefind/index/" in r for r in requested) and not any("/part-" in r for r in requested)
    if lang == "en":  # Japanese titles mix scripts that the browser segments unlike the indexer
        root = site / "en"
        cases = sorted(p.parent.name for p in (root / "cases").glob("*/index.html"))
        page.goto(url + prefix)
        misses = []
        for case in cases[:: max(1, len(cases) // 12)]:
            html = (root / "cases" / case / "index.html").read_text(encoding="utf-8")
            h1 = re.sub(r'<a class="headerlink".*?</a>', "", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1))
            title = unescape(re.sub(r"<[^>]+>", "", h1)).strip()
            got = ui_search(page, title)[:5]
            if not any(g.rstrip("/").endswith(f"cases/{case}") for g in got):
                misses.append(f"{title}: {got}")
            page.fill("#riot-search-input", "")
        assert not misses, "\n".join(misses)
    assert page.riot_js_errors == []


# --- Search in the browser -----------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_benchmark_query_finds_its_page_in_the_top_5(page, served_site, lang):
    page.goto(home(served_site, lang))
    misses = []
    for item in QUERIES[lang]:
        got = ui_search(page, item["q"])[:5]
        if not any(e in got for e in item["expect"]):
            misses.append(f"{item['q']} ({item['kind']}): expected one of {item['expect'][:3]}…, got {got}")
    assert not misses, "\n".join(misses)
    assert page.riot_js_errors == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_results_are_in_the_page_language_with_section_labels(page, served_site, lang):
    page.goto(home(served_site, lang))
    ui_search(page, "防災" if lang == "ja" else "disaster")
    links = page.locator("#riot-search-list a.riot-search-link")
    assert links.count() >= 5
    for i in range(links.count()):
        path = links.nth(i).evaluate("a => a.pathname")
        assert path.startswith("/en/") == (lang == "en"), path
    labels = set(page.locator("#riot-search-list .riot-search-section").all_inner_texts())
    assert labels & ({"事例", "分野"} if lang == "ja" else {"Case", "Field"})
    assert page.locator("#riot-search-list mark").count() > 0  # highlighted excerpts


@pytest.mark.browser
def test_lunr_index_is_never_requested(page, served_site):
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(served_site + "cases/")
    ui_search(page, "ドローン")
    page.goto(served_site + "en/search/?q=drone")
    page.wait_for_selector("#riot-search-page-results li")
    assert not [u for u in urls if "search_index.json" in u or "/workers/search" in u or "lunr" in u]
    assert any("/pagefind/" in u for u in urls)


@pytest.mark.browser
@pytest.mark.parametrize("key", ["/", "s", "f"])
def test_shortcut_keys_focus_the_search_box(page, served_site, key):
    page.goto(served_site + "fields/")
    page.keyboard.press(key)
    assert page.evaluate("document.activeElement.id") == "riot-search-input"
    assert page.evaluate("document.getElementById('__search').checked")
    assert page.input_value("#riot-search-input") == ""  # the key itself is not typed


@pytest.mark.browser
def test_arrow_keys_and_enter_open_a_result(page, served_site):
    page.goto(served_site)
    page.keyboard.press("/")
    page.keyboard.type("テレワーク")
    page.wait_for_function("() => document.getElementById('riot-search-list').getAttribute('data-riot-query') === 'テレワーク'")
    options = page.locator("#riot-search-list [role=option]")
    assert options.count() >= 3
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert page.get_attribute("#riot-search-input", "aria-activedescendant") == second.get_attribute("id")
    page.keyboard.press("ArrowUp")
    first = options.first
    assert first.get_attribute("aria-selected") == "true" and second.get_attribute("aria-selected") == "false"
    target = first.evaluate("a => a.pathname")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path == target
    # Escape closes the search
    page.keyboard.press("/")
    assert page.evaluate("document.getElementById('__search').checked")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")


@pytest.mark.browser
def test_enter_without_a_chosen_result_opens_the_search_page(page, served_site):
    page.goto(served_site + "en/")
    page.keyboard.press("/")
    page.keyboard.type("telework")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert urlparse(page.url).path == "/en/search/"
    assert parse_qs(urlparse(page.url).query)["q"] == ["telework"]
    page.wait_for_selector("#riot-search-page-results li")
    assert page.input_value("#riot-search-page-input") == "telework"
    assert page.locator("#riot-search-page-results a").first.evaluate("a => a.pathname").startswith("/en/")


@pytest.mark.browser
def test_search_page_filters_by_kind_of_page(page, served_site):
    page.goto(served_site + "search/?q=防災&type=field")
    page.wait_for_selector("#riot-search-page-results li")
    paths = page.locator("#riot-search-page-results a").evaluate_all("els => els.map(a => a.pathname)")
    assert paths and all(p.startswith("/fields/") for p in paths)
    page.select_option("#riot-search-page-type", "")
    page.wait_for_function("() => !location.search.includes('type=')")
    page.wait_for_function("() => document.querySelectorAll('#riot-search-page-results li').length > 5")


@pytest.mark.browser
def test_search_works_at_phone_width(browser, served_site):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    try:
        page.goto(served_site + "en/cases/")
        assert not page.evaluate("document.getElementById('__search').checked")
        page.locator("label.md-header__button[for=__search]").click()
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'riot-search-input'")
        page.keyboard.type("Hokkaido")
        page.wait_for_function("() => document.getElementById('riot-search-list').getAttribute('data-riot-query') === 'Hokkaido'")
        first = page.locator("#riot-search-list a.riot-search-link").first
        assert first.is_visible()
        # the theme slides the search in: wait until it has arrived and nothing is moving any more
        page.wait_for_function("""() => {
            const a = document.querySelector('#riot-search-list a.riot-search-link');
            if (!a) return false;
            const r = a.getBoundingClientRect();
            return r.left >= 0 && r.right <= window.innerWidth
                && document.getAnimations().every(x => x.playState !== 'running');
        }""")
        box = first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        with page.expect_navigation():
            first.tap()
        assert urlparse(page.url).path.startswith("/en/")
    finally:
        ctx.close()


# --- The case finder ----------------------------------------------------------------------

def visible_rows(page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#case-table tbody tr[id^="row-"]'))
        .filter(r => !r.hidden).map(r => Object.assign({id: r.id}, r.dataset))""")


def shown_count(page) -> int:
    return int(page.inner_text("#case-count"))


@pytest.mark.browser
def test_finder_filters_combine_and_update_the_count(page, served_site):
    page.goto(served_site + "cases/")
    total = len(visible_rows(page))
    assert total == shown_count(page) > 50
    page.select_option("#f-field", "agriculture")
    rows = visible_rows(page)
    assert 0 < len(rows) < total and all("agriculture" in r["field"].split() for r in rows)
    assert shown_count(page) == len(rows)
    assert page.get_attribute("#case-finder-status", "aria-live") == "polite"
    page.select_option("#f-block", "hokkaido")
    both = visible_rows(page)
    assert 0 < len(both) < len(rows)
    assert all(r["block"] == "hokkaido" and "agriculture" in r["field"].split() for r in both)
    assert parse_qs(urlparse(page.url).query) == {"field": ["agriculture"], "block": ["hokkaido"]}
    # every other filter narrows as well
    page.click("button.riot-finder-clear")
    page.wait_for_function("() => !location.search")
    assert len(visible_rows(page)) == total
    for sel, value, attr in [("#f-pref", "01", "pref"), ("#f-award", "digiden-koshien", "award"),
                             ("#f-stage", "scale-out", "stage"), ("#f-tech", "drones", "tech"),
                             ("#f-funding", "national-subsidy", "funding")]:
        page.select_option(sel, value)
        rows = visible_rows(page)
        assert 0 < len(rows) < total, sel
        assert all(value in r[attr].split() for r in rows), sel
        page.select_option(sel, "")
    page.select_option("#f-from", "2015")
    page.select_option("#f-to", "2017")
    rows = visible_rows(page)
    assert rows and all(2015 <= int(r["start"]) <= 2017 for r in rows)
    page.select_option("#f-from", "")
    page.select_option("#f-to", "")
    page.fill("#f-q", "ドローン")
    rows = [r["id"] for r in visible_rows(page)]
    assert "row-toyotomi-drone-sky-cowboy" in rows and len(rows) < total


@pytest.mark.browser
def test_finder_text_filter_matches_readings_and_shows_a_message_when_nothing_matches(page, served_site):
    page.goto(served_site + "cases/")
    page.fill("#f-q", "ひぐまっぷ")
    rows = visible_rows(page)
    assert [r["id"] for r in rows] == ["row-mori-higumap-bear-sightings"]
    page.fill("#f-q", "ヒグマップ")  # katakana matches the hiragana reading
    assert [r["id"] for r in visible_rows(page)] == ["row-mori-higumap-bear-sightings"]
    page.fill("#f-q", "zzzz-no-such-case")
    assert visible_rows(page) == [] and shown_count(page) == 0
    assert page.locator("#case-none").is_visible()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_finder_restores_filters_from_the_address(page, served_site, lang):
    page.goto(home(served_site, lang) + "cases/?field=health&stage=implementation&from=2010")
    assert page.input_value("#f-field") == "health"
    assert page.input_value("#f-stage") == "implementation"
    assert page.input_value("#f-from") == "2010"
    rows = visible_rows(page)
    assert rows and shown_count(page) == len(rows)
    assert all("health" in r["field"].split() and r["stage"] == "implementation" and int(r["start"]) >= 2010
               for r in rows)


@pytest.mark.browser
def test_finder_back_and_forward(page, served_site):
    page.goto(served_site + "cases/")
    total = shown_count(page)
    page.select_option("#f-field", "education")
    n_education = shown_count(page)
    page.select_option("#f-stage", "implementation")
    n_both = shown_count(page)
    assert total > n_education >= n_both
    page.go_back()
    page.wait_for_function("() => !location.search.includes('stage=')")
    assert page.input_value("#f-stage") == "" and page.input_value("#f-field") == "education"
    assert shown_count(page) == n_education
    page.go_back()
    page.wait_for_function("() => !location.search")
    assert shown_count(page) == total and page.input_value("#f-field") == ""
    page.go_forward()
    page.wait_for_function("() => location.search.includes('field=education')")
    assert shown_count(page) == n_education


@pytest.mark.browser
def test_finder_works_with_the_keyboard_alone(page, served_site):
    page.goto(served_site + "cases/")
    total = shown_count(page)
    page.focus("#f-q")
    page.keyboard.type("テレワーク")
    page.wait_for_function(f"() => Number(document.getElementById('case-count').textContent) < {total}")
    page.keyboard.press("Tab")  # to the field select
    assert page.evaluate("document.activeElement.id") == "f-field"
    page.keyboard.press("ArrowDown")  # first field: 教育
    assert page.input_value("#f-field") != ""
    # Tab through every control to the clear button, then press it
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('riot-finder-clear')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => Number(document.getElementById('case-count').textContent) === {total}")
    assert page.input_value("#f-q") == "" and page.input_value("#f-field") == ""
    labels = page.evaluate("""() => Array.from(document.querySelectorAll('#case-finder input, #case-finder select'))
        .every(el => el.labels && el.labels.length === 1 && el.labels[0].textContent.trim())""")
    assert labels


@pytest.mark.browser
def test_without_javascript_the_whole_table_shows(browser, served_site):
    ctx = browser.new_context(java_script_enabled=False)
    page = ctx.new_page()
    try:
        page.goto(served_site + "cases/?field=health")
        assert not page.locator("#case-finder").is_visible()
        rows = page.locator('#case-table tbody tr[id^="row-"]')
        assert rows.count() == int(page.inner_text("#case-count")) > 50
        assert all(rows.nth(i).is_visible() for i in range(rows.count()))
        assert not page.locator(".md-search").is_visible()  # the search needs JavaScript
    finally:
        ctx.close()


@pytest.mark.browser
def test_search_works_under_a_project_path(browser, real_site):
    """On GitHub Pages the site lives under /<repository>/: results must keep that prefix."""
    prefix = "/regional-iot-knowledge/"
    server = SiteServer(real_site, prefix)
    ctx = browser.new_context()
    page = ctx.new_page()
    try:
        base = server.url
        for lang, query, expected in [("ja", "ぼうさい", "fields/disaster/"), ("en", "kerosene", "en/cases/shinshinotsu-kerosene-iot-delivery/")]:
            page.goto(base + ("" if lang == "ja" else "en/"))
            got = ui_search(page, query)
            assert got and all(p.startswith(prefix.lstrip("/")) for p in got), got
            assert prefix.lstrip("/") + expected in got[:5]
    finally:
        ctx.close()
        server.close()
