"""Build the fixture site with MkDocs and check what comes out."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import FIXTURES, make_project, run_build

pytestmark = pytest.mark.slow


def expected(name: str) -> list[str]:
    lines = (FIXTURES / "site" / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def built_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not p.relative_to(site).as_posix().startswith(("assets/", "pagefind/", "offline/")))


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.title = ""
        self._in_title = False
        self.h1 = []
        self._in_h1 = False
        self.alternates = {}
        self.metas = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        elif tag == "a" and "hreflang" in a and "md-select__link" in (a.get("class") or ""):
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "meta":
            key = a.get("name") or a.get("property")
            if key:
                self.metas[key] = a.get("content")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_h1:
            self.h1[-1] += data


def parse(path: Path) -> Head:
    h = Head()
    h.feed(path.read_text(encoding="utf-8"))
    return h


def test_exact_list_of_pages(fixture_site):
    assert built_pages(fixture_site / "site") == expected("expected-pages.txt")


@pytest.mark.parametrize("page, lang, title, h1", [
    ("index.html", "ja", "地域IoT実装ナレッジ", "地域IoT実装ナレッジ"),
    ("en/index.html", "en", "Regional IoT Knowledge", "Regional IoT Knowledge"),
    ("cases/index.html", "ja", "事例一覧 - 地域IoT実装ナレッジ", "事例一覧"),
    ("en/cases/index.html", "en", "All cases - Regional IoT Knowledge", "All cases"),
    ("cases/alpha-town-farm-sensors/index.html", "ja", "アルファ町の水田センサー - 地域IoT実装ナレッジ", "アルファ町の水田センサー"),
    ("en/cases/alpha-town-farm-sensors/index.html", "en", "Paddy sensors in Alpha Town - Regional IoT Knowledge", "Paddy sensors in Alpha Town"),
    ("about/index.html", "ja", "このサイトについて - 地域IoT実装ナレッジ", "このサイトについて"),
    ("en/about/index.html", "en", "About this site - Regional IoT Knowledge", "About this site"),
])
def test_titles_and_lang(fixture_site, page, lang, title, h1):
    head = parse(fixture_site / "site" / page)
    assert head.lang == lang
    assert head.title.strip() == title
    assert head.h1[0].strip().rstrip("¶") == h1


@pytest.mark.parametrize("page, other", [
    ("cases/alpha-town-farm-sensors/index.html", "en/cases/alpha-town-farm-sensors/index.html"),
    ("cases/index.html", "en/cases/index.html"),
    ("about/index.html", "en/about/index.html"),
    ("index.html", "en/index.html"),
])
def test_language_switch_goes_to_the_same_page(fixture_site, page, other):
    site = fixture_site / "site"
    for this, that, lang in ((page, other, "en"), (other, page, "ja")):
        href = parse(site / this).alternates[lang]
        target = site / href.lstrip("/") if href.startswith("/") else (site / this).parent / href
        if target.is_dir() or href.endswith("/"):
            target = target / "index.html"
        assert target.resolve() == (site / that).resolve(), (this, href)


def test_translation_pending_banner_only_in_english(fixture_site):
    site = fixture_site / "site"
    en = (site / "en/cases/beta-city-telework/index.html").read_text(encoding="utf-8")
    ja = (site / "cases/beta-city-telework/index.html").read_text(encoding="utf-8")
    assert "has not been translated into English yet" in en
    assert "has not been translated" not in ja
    assert "translated into English yet" not in (site / "en/cases/alpha-town-farm-sensors/index.html").read_text()


def test_case_page_content(fixture_site):
    html = (fixture_site / "site/cases/alpha-town-farm-sensors/index.html").read_text(encoding="utf-8")
    assert 'id="outcomes"' in html and 'id="sources"' in html and 'id="background"' in html
    assert "テスト地域大賞2020 大賞" in html
    assert 'href="https://example.org/alpha" rel="noopener noreferrer"' in html
    assert 'href="../../fields/agriculture/"' in html
    en = (fixture_site / "site/en/cases/alpha-town-farm-sensors/index.html").read_text(encoding="utf-8")
    assert 'id="outcomes"' in en and "Test Regional Award 2020 Grand Prize" in en


def test_case_index_lists_every_case(fixture_site):
    html = (fixture_site / "site/cases/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="row-([a-z0-9-]+)"', html)
    assert sorted(rows) == ["alpha-town-farm-sensors", "beta-city-telework"]


def test_meta_description_is_the_escaped_summary(fixture_site):
    head = parse(fixture_site / "site/en/cases/alpha-town-farm-sensors/index.html")
    assert head.metas["description"] == "Fictional Alpha Town put water-level sensors in its paddies."
    assert head.metas["og:title"] == "Paddy sensors in Alpha Town"
    assert head.metas["og:locale"] == "en_US"


def test_broken_record_fails_the_build_clearly(tmp_path):
    project = make_project(tmp_path / "p")
    shutil.copy2(FIXTURES / "invalid" / "unknown-field.yml", project / "cases" / "unknown-field.yml")
    shutil.copy2(FIXTURES / "invalid" / "bad-stage.yml", project / "cases" / "bad-stage.yml")
    result = run_build(project)
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "cases/unknown-field.yml:6: fields[0]: 'agri' is not a roadmap field" in out
    assert "cases/bad-stage.yml" in out and "'pilot' is not allowed" in out
    assert "Traceback" not in out
    assert not (project / "site" / "index.html").exists()


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_languages_built_in_parallel_give_the_same_site(fixture_site, tmp_path):
    """hooks/languages.py builds English in a forked process; the site is the one built in sequence."""
    sequential = run_build(fixture_site, str(tmp_path / "seq"), {"RIOT_WORKERS": "1", "RIOT_PDF": "0"})
    assert sequential.returncode == 0, sequential.stderr
    in_parallel = run_build(fixture_site, str(tmp_path / "par"), {"RIOT_WORKERS": "2", "RIOT_PDF": "0"})
    assert in_parallel.returncode == 0, in_parallel.stderr
    assert "building en in a second process" in in_parallel.stderr
    assert "second process" not in sequential.stderr
    seq, par = _tree(tmp_path / "seq"), _tree(tmp_path / "par")

    def comparable(tree: dict[str, bytes]) -> dict[str, bytes]:
        # Pagefind names its files by content hashes that vary from run to run; the gzip
        # header holds a time; 404.html is written by the last language's build and, in
        # sequence, keeps a stale page's language links (checked on its own below).
        return {k: v for k, v in tree.items()
                if "pagefind/" not in k and k not in ("sitemap.xml.gz", "404.html")}

    a, b = comparable(seq), comparable(par)
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []
    page404 = par["404.html"].decode()
    assert '<html lang="en"' in page404 or '<html lang="ja"' in page404
    assert 'hreflang="ja"' in page404 and 'hreflang="en"' in page404
    for lang in ("ja", "en"):  # both languages' bundles exist in both builds, with the same pages
        bundle = "pagefind/pagefind-entry.json" if lang == "ja" else "en/pagefind/pagefind-entry.json"
        assert bundle in seq and bundle in par
        counts = [json.loads(t[bundle])["languages"][lang]["page_count"] for t in (seq, par)]
        assert counts[0] == counts[1] > 0
    assert not [k for k in par if ".riot-index-" in k or "riot-terms" in k]  # no staging folder left behind


def test_no_page_shows_none_for_a_missing_title(fixture_site):
    """Navigation and tabs show every page's title on every page (a title read as None once showed as "None")."""
    site = fixture_site / "site"
    bad = [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))
           if re.search(r">\s*None\s*</", p.read_text(encoding="utf-8"))]
    assert bad == []
