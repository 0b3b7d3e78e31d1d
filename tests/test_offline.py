"""PDF handouts and the offline copy of the site.

A fixture project (the cases of tests/fixtures/site/ and the course of
tests/fixtures/pdf/) is built twice with `mkdocs build --strict`: the PDFs
and the offline zip of both builds must be byte-identical. The PDFs are read
back with pypdf, pdftotext and pdffonts (poppler-utils); QR codes are decoded
with zxing-cpp; the zip is unpacked and opened in Chromium from file:// with
the network blocked.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, ROOT, make_project, run_build
from regiot import offline, pdf
from regiot.site import tr

SITE_URL = "http://127.0.0.1:8000/"
EPOCH = "1795651200"  # 2026-11-26 00:00 UTC
BUILT = "2026-11-26"
CASES = ["alpha-town-farm-sensors", "beta-city-telework"]
COURSE = "print-course"
MODULES = {
    "ja": ["表を読む", "問いを立てる", "ふりかえり"],
    "en": ["Reading tables", "Asking questions", "Looking back"],
}
OVERVIEW = {"ja": "講座の概要", "en": "Course overview"}
ENV = {"SOURCE_DATE_EPOCH": EPOCH, "RIOT_SEARCH": "0", "RIOT_PDF_CACHE": "0", "SITE_URL": SITE_URL}


def expected_pdfs() -> list[str]:
    out = []
    for lang in ("ja", "en"):
        out += [f"pdf/cases/{c}.{lang}.pdf" for c in CASES]
        out += [f"pdf/casebook.{lang}.pdf", f"pdf/courses/{COURSE}.{lang}.pdf",
                f"pdf/courses/{COURSE}.instructor.{lang}.pdf"]
    return sorted(out)


def _project(tmp_path_factory, name: str) -> Path:
    project = make_project(tmp_path_factory.mktemp(name), cases_from=FIXTURES / "site" / "cases",
                           courses_from=FIXTURES / "pdf" / "courses")
    shutil.copy2(ROOT / "mkdocs.offline.yml", project / "mkdocs.offline.yml")
    return project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture project built twice (site and site2). Returns (project, site, site2)."""
    project = _project(tmp_path_factory, "pdf-site")
    for site_dir in ("site", "site2"):
        result = run_build(project, site_dir, extra_env=ENV)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log = result.stdout + result.stderr
    assert "PDFs (" in log and "offline copy:" in log, log[-2000:]
    assert "WeasyPrint:" not in log, [line for line in log.splitlines() if "WeasyPrint:" in line]
    return project, project / "site", project / "site2"


@pytest.fixture(scope="module")
def site(built) -> Path:
    return built[1]


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def outline(path: Path) -> list:
    from pypdf import PdfReader

    reader = PdfReader(str(path))

    def walk(items):
        out = []
        for item in items:
            if isinstance(item, list):
                out[-1][1].extend(walk(item))
            else:
                out.append((item.title, []))
        return out

    return walk(reader.outline)


# --- unit tests of the core (no build) ---------------------------------------------------

def test_rewriter_links_ids_solutions_and_instructor_notes(tmp_path):
    page = tmp_path / "courses" / "c" / "m1" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        '<html><body><article class="md-content__inner md-typeset" data-pagefind-body>'
        '<a class="md-content__button" href="https://example.org/edit">edit</a>'
        '<h1>Title</h1><h2 id="s1">Part<a class="headerlink" href="#s1">¶</a></h2>'
        '<p><a href="../m2/#x">next</a> <a href="../../../cases/a/">case</a> <a href="#s1">up</a> '
        '<a href="https://example.org/%E8%A1%A8" data-print-url="https://example.org/表">ext</a> '
        '<a href="https://example.org/">https://example.org/</a></p>'
        '<div class="admonition exercise"><p class="admonition-title">Ex</p><p>Q</p></div>'
        '<details class="solution"><summary>Sol</summary><p>A &amp; B</p></details>'
        '<div class="admonition instructor"><p class="admonition-title">Notes</p><p>SECRET</p></div>'
        '<svg viewBox="0 0 2 2"><path d="M0 0h1"/></svg><script>x<1</script>'
        '</article></body></html>', encoding="utf-8")
    links = pdf.LinkMap(SITE_URL, {"courses/c/m1/": "m-m1--", "courses/c/m2/": "m-m2--"})
    learner = pdf.make_part(tmp_path, "courses/c/m1/", "m-m1--", links, instructor=False)
    html = str(learner.html)
    assert 'href="#m-m2--x"' in html                      # link to an included page: an anchor
    assert f'href="{SITE_URL}cases/a/"' in html           # other site pages: absolute
    assert 'href="#m-m1--s1"' in html and 'id="m-m1--s1"' in html
    assert 'data-print-url="https://example.org/表"' in html
    assert html.count("data-print-url") == 1              # not for a link whose text is its address
    assert '<div class="admonition solution"><p class="admonition-title">Sol</p><p>A &amp; B</p></div>' in html
    assert "SECRET" not in html and "headerlink" not in html and "edit" not in html and "<script" not in html
    assert learner.title == "Title" and learner.headings == [(1, "", "Title"), (2, "m-m1--s1", "Part")]
    instructor = pdf.make_part(tmp_path, "courses/c/m1/", "m-m1--", links, instructor=True)
    assert "SECRET" in str(instructor.html)


def test_fix_local_links_points_missing_anchors_at_their_part():
    doc = '<section id="a--top"><p id="a--x"></p><a href="#a--x"></a><a href="#a--gone"></a></section>'
    out = pdf.fix_local_links(doc, ["a--"])
    assert 'href="#a--x"' in out and 'href="#a--top"' in out and "a--gone" not in out


def test_build_date_comes_from_source_date_epoch():
    assert pdf.build_datetime({"SOURCE_DATE_EPOCH": EPOCH}) == dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
    today = pdf.build_datetime({})
    assert (today.hour, today.minute, today.second) == (0, 0, 0)


@pytest.mark.parametrize("page, href, expected", [
    ("cases/a.html", "../../awards/#x", "../awards/index.html#x"),
    ("cases/a.html", "../../pdf/cases/a.ja.pdf", "../pdf/cases/a.ja.pdf"),
    ("cases/index.html", "../fields/f/", "../fields/f.html"),
    ("cases/index.html", "a/", "a.html"),
    ("index.html", "cases/", "cases/index.html"),
    ("index.html", "./", "index.html"),
    ("en/cases/a.html", "../../../../pdf/cases/a.en.pdf", "../../pdf/cases/a.en.pdf"),
    ("en/courses/c/m.html", "../data/x.csv", "data/x.csv"),
    ("offline.html", "../offline/regional-iot-knowledge-offline.zip", SITE_URL + offline.ZIP_PATH),
    ("cases/a.html", "https://example.org/", "https://example.org/"),
    ("cases/a.html", "#top", "#top"),
])
def test_flat_links(page, href, expected):
    pages = {"": "index.html", "cases/": "cases/index.html", "cases/a/": "cases/a.html",
             "fields/f/": "fields/f.html", "awards/": "awards/index.html", "en/cases/a/": "en/cases/a.html"}
    out = offline.flat_links(f'<a href="{href}">x</a>', page, pages,
                             online={offline.ZIP_PATH: SITE_URL + offline.ZIP_PATH})
    assert out == f'<a href="{expected}">x</a>'


def test_zip_is_deterministic(tmp_path):
    src = tmp_path / "src"
    (src / "b").mkdir(parents=True)
    (src / "b" / "z.txt").write_text("z")
    (src / "a.txt").write_text("a")
    when = dt.datetime(2026, 11, 26, tzinfo=dt.UTC)
    offline.make_zip(src, tmp_path / "1.zip", when, extra={"README.txt": b"r"})
    (src / "a.txt").touch()
    offline.make_zip(src, tmp_path / "2.zip", when, extra={"README.txt": b"r"})
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "1.zip") as zf:
        names = zf.namelist()
        assert names == sorted(names) == [f"{offline.ROOT_FOLDER}/{n}" for n in ("README.txt", "a.txt", "b/z.txt")]
        assert {i.date_time for i in zf.infolist()} == {(2026, 11, 26, 0, 0, 0)}


def test_offline_config_matches_the_main_config():
    """mkdocs.offline.yml replaces the plugin list: it must be mkdocs.yml's plus search and offline."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    main = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    off = yaml.load((ROOT / "mkdocs.offline.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert off["INHERIT"] == "mkdocs.yml" and off["use_directory_urls"] is False
    assert off["extra"]["riot_offline"] is True

    def by_name(plugins):
        return {(p if isinstance(p, str) else next(iter(p))): ({} if isinstance(p, str) else next(iter(p.values())))
                for p in plugins}

    m, o = by_name(main["plugins"]), by_name(off["plugins"])
    assert set(o) == set(m) | {"search", "offline"}
    for name, options in m.items():
        if name == "i18n":
            options = dict(options, reconfigure_search=True)
        assert o[name] == options, f"plugin {name!r} differs between mkdocs.yml and mkdocs.offline.yml"
    names = list(o)
    assert names.index("search") < names.index("i18n") < names.index("offline")


def test_print_css_is_for_print_only():
    css = (ROOT / "docs" / "assets" / "print.css").read_text(encoding="utf-8")
    body = re.sub(r"/\*.*?\*/", "", css, flags=re.S).strip()
    assert body.startswith("@media print {") and body.endswith("}")
    assert "line-break: strict" in css and "Noto Sans CJK JP" in css
    assert "assets/print.css" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


# --- the built fixture site ------------------------------------------------------------------



@pytest.mark.slow
def test_every_pdf_is_written(site):
    assert sorted(p.relative_to(site).as_posix() for p in (site / "pdf").rglob("*.pdf")) == expected_pdfs()


@pytest.mark.slow
def test_rebuild_gives_byte_identical_pdfs_and_zip(built):
    _, site, site2 = built
    for rel in expected_pdfs():
        assert (site / rel).read_bytes() == (site2 / rel).read_bytes(), rel
    with zipfile.ZipFile(site / offline.ZIP_PATH) as a, zipfile.ZipFile(site2 / offline.ZIP_PATH) as b:
        assert a.namelist() == b.namelist()
        differ = [n for n in a.namelist() if a.read(n) != b.read(n)]
    assert not differ, f"these files differ between two builds of the same sources: {differ}"
    assert (site / offline.ZIP_PATH).read_bytes() == (site2 / offline.ZIP_PATH).read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("rel", expected_pdfs())
def test_fonts_are_embedded_with_japanese_glyphs(site, rel):
    out = subprocess.run(["pdffonts", str(site / rel)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows, out
    for row in rows:
        # name type... encoding emb sub uni object ID: emb is the 5th column from the end
        assert row[-5] == "yes", f"font not embedded in {rel}: {' '.join(row)}"
    assert any("CJK" in row[0] for row in rows), out
    text = text_of(site / rel)
    assert "\ufffd" not in text
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text), "no Japanese text extracted"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_case_sheets_have_title_facts_sources_and_metadata(site, lang):
    from pypdf import PdfReader

    for case in CASES:
        data = yaml.safe_load((FIXTURES / "site" / "cases" / f"{case}.yml").read_text(encoding="utf-8"))
        path = site / f"pdf/cases/{case}.{lang}.pdf"
        text = squash(text_of(path))
        assert squash(tr(data["title"], lang)) in text
        assert squash(tr(data["summary"], lang)) in text
        assert squash(data["sources"][0]["title"]) in text
        reader = PdfReader(str(path))
        assert 1 <= len(reader.pages) <= 2
        assert reader.metadata.title == tr(data["title"], lang)
        assert reader.metadata["/CreationDate"].startswith("D:20261126000000")
        assert [t for t, _ in outline(path)] == [tr(data["title"], lang)]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("instructor", [False, True])
def test_course_pdf_modules_in_order_with_bookmarks(site, lang, instructor):
    path = site / pdf.course_pdf_path(COURSE, lang, instructor)
    text = squash(text_of(path))
    pos = 0
    for title in MODULES[lang]:  # in order in the contents, then again in the body
        pos = text.index(squash(title), pos) + 1
    for title in MODULES[lang]:
        pos = text.index(squash(title), pos) + 1
    assert squash(BUILT) in text and squash(SITE_URL + ("" if lang == "ja" else "en/") + f"courses/{COURSE}/") in text
    marks = outline(path)
    assert [t for t, _ in marks] == [OVERVIEW[lang]] + MODULES[lang]
    assert [t for t, _ in marks[1][1]][:2] == (["はじめに", "演習：表を読む"] if lang == "ja"
                                               else ["Introduction", "Exercise: read the table"])
    solution = {"ja": "北町です（1,200人）。", "en": "Kita (1,200 people)."}[lang]
    exercise = {"ja": "人口が多いのはどちらの地区ですか。", "en": "Which district has more people?"}[lang]
    assert text.index(squash(exercise)) < text.index(squash(solution))  # solutions printed, after the exercise
    note = f"INSTRUCTOR-ONLY-{lang}"
    assert (note in text) is instructor


@pytest.mark.slow
def test_casebook_groups_cases_by_field(site):
    """Fields in the roadmap's order (vocab/fields.yml), each with its cases."""
    for lang, groups in (("ja", [("働き方", ["ベータ市のテレワーク拠点"]), ("農林水産業", ["アルファ町の水田センサー"])]),
                         ("en", [("Work styles", ["Beta City telework hub"]),
                                 ("Agriculture, forestry and fisheries", ["Paddy sensors in Alpha Town"])])):
        marks = outline(site / pdf.casebook_path(lang))
        assert [(t, [c for c, _ in children]) for t, children in marks] == groups
        text = squash(text_of(site / pdf.casebook_path(lang)))
        assert text.index(squash(groups[0][1][0])) < text.index(squash(groups[1][1][0]))


@pytest.mark.slow
@pytest.mark.parametrize("rel", expected_pdfs())
def test_internal_links_resolve_to_named_destinations(site, rel):
    from pypdf import PdfReader

    reader = PdfReader(str(site / rel))
    names = set(reader.named_destinations)
    internal = external = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            dest = annot.get("/Dest")
            if action is not None and action.get("/S") == "/URI":
                external += 1
                assert str(action["/URI"]).startswith(("http://", "https://", "mailto:")), action
                continue
            if action is not None and action.get("/S") == "/GoTo":
                dest = action.get("/D")
            assert dest is not None, annot
            assert str(dest) in names, f"{rel}: link to {dest!r}, which is not a named destination"
            internal += 1
    if "/courses/" in rel or "casebook" in rel:
        assert internal >= 5, f"{rel}: only {internal} internal links"
    if "/courses/" in rel:
        # the Markdown link from one module to another became a link inside the PDF
        assert "m-asking-questions--question-types" in names


@pytest.mark.slow
@pytest.mark.parametrize("rel, url", [
    ("pdf/cases/alpha-town-farm-sensors.ja.pdf", SITE_URL + "cases/alpha-town-farm-sensors/"),
    ("pdf/cases/beta-city-telework.en.pdf", SITE_URL + "en/cases/beta-city-telework/"),
    ("pdf/casebook.ja.pdf", SITE_URL + "cases/"),
    (f"pdf/courses/{COURSE}.en.pdf", SITE_URL + f"en/courses/{COURSE}/"),
    (f"pdf/courses/{COURSE}.instructor.ja.pdf", SITE_URL + f"courses/{COURSE}/"),
])
def test_qr_code_decodes_to_the_page_url(site, tmp_path, rel, url):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (requirements/test.txt) decodes the QR codes")
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(site / rel), str(tmp_path / "p")],
                   check=True)
    image = Image.open(next(tmp_path.glob("p*.png")))
    found = [r.text for r in zxingcpp.read_barcodes(image)]
    assert found == [url]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def hrefs(page: Path) -> list[str]:
    p = _Links()
    p.feed(page.read_text(encoding="utf-8"))
    return p.hrefs


def resolve(page_url: str, href: str) -> str:
    return posixpath.normpath(posixpath.join("/" + page_url, href.split("#")[0])).lstrip("/")


@pytest.mark.slow
@pytest.mark.parametrize("page, targets", [
    ("cases/alpha-town-farm-sensors/", ["pdf/cases/alpha-town-farm-sensors.ja.pdf"]),
    ("en/cases/alpha-town-farm-sensors/", ["pdf/cases/alpha-town-farm-sensors.en.pdf"]),
    ("cases/", ["pdf/casebook.ja.pdf"]),
    ("en/cases/", ["pdf/casebook.en.pdf"]),
    (f"courses/{COURSE}/", [f"pdf/courses/{COURSE}.ja.pdf", f"pdf/courses/{COURSE}.instructor.ja.pdf"]),
    (f"en/courses/{COURSE}/", [f"pdf/courses/{COURSE}.en.pdf", f"pdf/courses/{COURSE}.instructor.en.pdf"]),
    ("offline/", [offline.ZIP_PATH, "pdf/casebook.ja.pdf", "pdf/casebook.en.pdf", f"pdf/courses/{COURSE}.ja.pdf",
                  f"pdf/courses/{COURSE}.instructor.en.pdf"]),
    ("en/offline/", [offline.ZIP_PATH, "pdf/casebook.en.pdf", f"pdf/courses/{COURSE}.en.pdf"]),
])
def test_pages_link_to_their_pdfs(site, page, targets):
    found = {resolve(page, h) for h in hrefs(site / page / "index.html")}
    for target in targets:
        assert target in found, f"{page} does not link to {target}"
        assert (site / target).is_file()


@pytest.fixture(scope="module")
def unpacked(site, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("offline-copy")
    with zipfile.ZipFile(site / offline.ZIP_PATH) as zf:
        zf.extractall(dest)
    return dest / offline.ROOT_FOLDER


OFFLINE_FORBIDDEN = re.compile(
    r"""unpkg\.com|data-riot-pagefind|(?:src|href)\s*=\s*["'][^"']*pagefind""", re.IGNORECASE)


@pytest.mark.slow
def test_offline_zip_contents(site, unpacked):
    with zipfile.ZipFile(site / offline.ZIP_PATH) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names) and all(n.startswith(offline.ROOT_FOLDER + "/") for n in names)
    assert {i.date_time for i in infos} == {(2026, 11, 26, 0, 0, 0)}
    for rel in ["index.html", "en/index.html", "cases/alpha-town-farm-sensors.html", "offline.html",
                "search/search_index.js", "assets/offline/iframe-worker.js", "README.txt"] + expected_pdfs():
        assert (unpacked / rel).is_file(), rel
    readme = (unpacked / "README.txt").read_text(encoding="utf-8-sig")
    assert BUILT in readme and "index.html" in readme
    for page in sorted(unpacked.rglob("*.html")):
        if page.name == "404.html":
            continue  # served by a web server only; never opened from the copy
        html = page.read_text(encoding="utf-8")
        # No reference to the online search bundle or a CDN in markup (prose may name Pagefind).
        assert not OFFLINE_FORBIDDEN.search(html), (page, OFFLINE_FORBIDDEN.search(html).group(0))
        for href in hrefs(page):
            if href.startswith(("http:", "https:", "mailto:", "#", "data:", "javascript:")):
                continue
            here = posixpath.dirname(page.relative_to(unpacked).as_posix())
            target = posixpath.normpath(posixpath.join(here, href.split("#")[0].split("?")[0]))
            assert (unpacked / target).is_file(), f"{page.relative_to(unpacked)}: {href} does not open a file"


@pytest.mark.slow
@pytest.mark.browser
def test_offline_copy_works_from_file_urls(unpacked, page):
    """Open the unpacked copy from file:// (the page fixture blocks every request off this machine):
    navigate, follow links, search in Japanese, reach the PDFs."""
    page.goto((unpacked / "index.html").as_uri())
    assert page.title()
    page.locator("a[href='cases/index.html']").first.click()
    page.wait_for_url("**/cases/index.html")
    page.locator("a[href='alpha-town-farm-sensors.html']").first.click()
    page.wait_for_url("**/cases/alpha-town-farm-sensors.html")
    assert "アルファ町の水田センサー" in page.locator("h1").first.inner_text()
    # a Japanese search with Material's lunr search (over file:// the index is a script)
    page.locator("input.md-search__input").click()
    page.keyboard.type("水田")
    result = page.locator(".md-search-result__item a[href*='alpha-town-farm-sensors']").first
    result.wait_for(timeout=30_000)
    result.click()
    page.wait_for_url("**/cases/alpha-town-farm-sensors.html*")
    # the English pages, and the PDFs beside them
    page.goto((unpacked / "en" / "offline.html").as_uri())
    href = page.locator("a[href$='pdf/casebook.en.pdf']").first.get_attribute("href")
    assert ((unpacked / "en") / href).resolve().is_file()
    assert not page.riot_js_errors, page.riot_js_errors
