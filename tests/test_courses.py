"""Courses: validation of course.yml and modules, and the pages built from them."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from regiot.courses import load_course
from regiot.vocab import load_vocab

COURSE = FIXTURES / "site" / "courses" / "test-course"
TODAY = dt.date(2026, 11, 26)


def load(tmp_path: Path, edit=None):
    folder = tmp_path / "courses" / "test-course"
    shutil.copytree(COURSE, folder)
    if edit:
        edit(folder)
    vocab = load_vocab(ROOT / "vocab", ROOT)
    return load_course(folder, tmp_path, vocab, TODAY)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_fixture_course_is_valid(tmp_path):
    course, problems = load(tmp_path)
    assert problems == []
    assert [m.id for m in course.modules] == ["first-steps", "second-steps"]
    assert course.minutes == 50
    assert course.module("first-steps").headings == [(2, "intro"), (3, "detail"), (2, "exercise-population")]


@pytest.mark.parametrize("edit, expected", [
    (lambda f: replace(f / "first-steps.en.md", "{ #detail }", "{ #details }"),
     "courses/test-course/first-steps.en.md: heading ids must be identical to courses/test-course/first-steps.ja.md"),
    (lambda f: replace(f / "first-steps.ja.md", "??? solution", "!!! note"),
     "courses/test-course/first-steps.ja.md:"),
    (lambda f: replace(f / "first-steps.ja.md", "minutes: 30", "minutes: 35"),
     "minutes: is 35 but the sections add up to 30"),
    (lambda f: replace(f / "first-steps.en.md", "More text.", "More <script>alert(1)</script> text."),
     "raw HTML is not allowed in course pages"),
    (lambda f: replace(f / "first-steps.en.md", "More text.", "[click](javascript:alert(1))"),
     "is not allowed; use an http(s) address"),
    (lambda f: replace(f / "first-steps.en.md", "More text.", "{{ config.site_url }}"),
     "template syntax ({{ or {%) is not allowed"),
    (lambda f: replace(f / "first-steps.ja.md", "## はじめに { #intro }", "## はじめに"),
     "needs an explicit id"),
    (lambda f: replace(f / "second-steps.en.md", '!!! instructor "Instructor notes"\n    Ask a learner to explain the sign.', ""),
     "a module needs instructor notes"),
    (lambda f: (f / "second-steps.en.md").unlink(), "second-steps.en.md: is missing"),
    (lambda f: replace(f / "course.yml", "modules: [first-steps, second-steps]\n", "modules: [first-steps, second-steps]\n", ) or
     replace(f / "course.yml", "      - {title: {ja: 第2回, en: Session 2}, modules: [second-steps]}\n", ""),
     "must list every module exactly once"),
    (lambda f: (f / "data" / "extra.csv").write_text("a\n1\n"), "data/extra.csv: this file is not documented"),
    (lambda f: replace(f / "data" / "test-town-population.csv", "year,population", "year,people"),
     "must document the CSV's columns in order"),
    (lambda f: replace(f / "first-steps.ja.md", "{ #intro }", "{ #key-points }"),
     "is used by the page itself"),
])
def test_invalid_course_reports_clear_problem(tmp_path, edit, expected):
    course, problems = load(tmp_path, edit)
    assert course is None
    text = "\n".join(str(p) for p in problems)
    assert expected in text, text


def test_every_exercise_has_a_solution_in_real_courses():
    from regiot.courses import load_courses
    from regiot.site import load_site

    site = load_site(ROOT)
    courses, problems = load_courses(ROOT / "courses", site, TODAY)
    assert problems == [], "\n".join(map(str, problems))
    assert len(courses) >= 4
    assert sum(len(c.modules) for c in courses) >= 20
    for course in courses:
        for mod in course.modules:
            assert mod.exercises >= 1
            for lang in ("ja", "en"):
                body = mod.body[lang]
                assert body.count("!!! exercise") == body.count("??? solution") >= 1


@pytest.mark.slow
def test_course_pages_have_identical_anchor_ids_in_both_languages(fixture_site):
    site = fixture_site / "site"
    for page in ("courses/test-course/first-steps/index.html", "courses/test-course/index.html"):
        ids = [re.findall(r'<h[2-3][^>]* id="([^"]+)"', (site / pre / page).read_text(encoding="utf-8"))
               for pre in ("", "en")]
        assert ids[0] == ids[1] and ids[0]


@pytest.mark.slow
def test_dataset_is_downloadable_in_both_languages(fixture_site):
    site = fixture_site / "site"
    for pre in ("", "en/"):
        csv = site / f"{pre}courses/test-course/data/test-town-population.csv"
        assert csv.read_text(encoding="utf-8").startswith("year,population")
        html = (site / f"{pre}courses/test-course/first-steps/index.html").read_text(encoding="utf-8")
        assert 'href="../data/test-town-population.csv"' in html


@pytest.mark.slow
def test_qr_code_is_the_page_url(fixture_site):
    import segno

    html = (fixture_site / "site/en/courses/test-course/first-steps/index.html").read_text(encoding="utf-8")
    url = re.search(r'data-qr-url="([^"]+)"', html).group(1)
    assert url == "http://127.0.0.1:8000/en/courses/test-course/first-steps/"
    expected = segno.make(url, error="m").svg_inline(scale=3, border=2, dark="#000", light="#fff")
    assert expected in html


@pytest.mark.browser
def test_instructor_notes_hidden_for_learners_and_shown_by_toggle(browser, fixture_site):
    from siteserver import SiteServer

    server = SiteServer(fixture_site / "site")
    try:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(server.url + "courses/test-course/first-steps/")
        note = page.locator(".admonition.instructor")
        assert note.count() == 1 and not note.is_visible()
        assert "SECRET-INSTRUCTOR-NOTE-ja" not in page.locator("article").inner_text()
        page.locator(".riot-instructor-toggle").first.click()
        assert note.is_visible()
        assert page.locator(".riot-instructor-toggle").first.get_attribute("aria-pressed") == "true"
        # remembered on the next page
        page.goto(server.url + "courses/test-course/second-steps/")
        assert page.locator(".admonition.instructor").is_visible()
        # keyboard-only: focus the toggle and press Enter to switch back
        page.locator(".riot-instructor-toggle").first.focus()
        page.keyboard.press("Enter")
        assert not page.locator(".admonition.instructor").is_visible()
        # ?instructor=1 turns it on from a link
        page.goto(server.url + "en/courses/test-course/first-steps/?instructor=1")
        assert page.locator(".admonition.instructor").is_visible()
        ctx.close()
    finally:
        server.close()
