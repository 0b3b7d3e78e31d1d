"""Shared fixtures: the repository root, and small fixture sites built in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from siteserver import SiteServer, only_localhost

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
SITE_PARTS = ("mkdocs.yml", "docs", "hooks", "overrides", "vocab", "schema")


def make_project(dest: Path, cases_from: Path | None = FIXTURES / "site" / "cases",
                 courses_from: Path | None = FIXTURES / "site" / "courses", awards: Path | None = FIXTURES / "site" / "vocab" / "awards.yml") -> Path:
    """A copy of the site's sources with fixture data instead of the real corpus."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in SITE_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part)
        else:
            shutil.copy2(src, dest / part)
    (dest / "regiot").symlink_to(ROOT / "regiot")  # only watched by `mkdocs serve`
    if cases_from is None:
        (dest / "cases").mkdir()
    else:
        shutil.copytree(cases_from, dest / "cases")
    if courses_from is None:
        (dest / "courses").mkdir()
    else:
        shutil.copytree(courses_from, dest / "courses")
    if awards is not None:
        shutil.copy2(awards, dest / "vocab" / "awards.yml")
    return dest


def run_build(project: Path, site_dir: str = "site", extra_env: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", SITE_URL="http://127.0.0.1:8000/")
    env.update(extra_env or {})
    return subprocess.run([MKDOCS, "build", "--strict", "--site-dir", site_dir], cwd=project,
                          capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture project, built once per test session. Returns the project folder."""
    project = make_project(tmp_path_factory.mktemp("fixture-site"))
    result = run_build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


# --- The real site, built once per session, and a browser to look at it ------------------

from regiot.devserver import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real site (this repository's data) built with `mkdocs build --strict`. Returns site dir.

    Set RIOT_SITE=/path/to/site to reuse an existing build while developing tests.
    """
    reuse = os.environ.get("RIOT_SITE")
    if reuse:
        return Path(reuse)
    out = tmp_path_factory.mktemp("real-site") / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", SITE_URL="http://127.0.0.1:8000/")
    result = subprocess.run([MKDOCS, "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                            capture_output=True, text=True, env=env, timeout=1800)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return out


@pytest.fixture(scope="session")
def served_site(real_site):
    """The real site served over HTTP on 127.0.0.1 (a random free port). Yields the base URL."""
    server = SiteServer(real_site)
    yield server.url
    server.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (see .ci/run)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page whose requests may only go to 127.0.0.1 (anything else fails the test)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    outside = only_localhost(ctx)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.riot_js_errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()
    assert not outside, f"the page tried to reach outside 127.0.0.1: {outside}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Figures from the quality gates (tests/gates.py `figures`), after the test summary."""
    lines = config.__dict__.get("riot_figures") or []
    if lines:
        terminalreporter.section("quality gates")
        for line in lines:
            terminalreporter.write_line(line)


# Fixtures of the quality gates (figures, gate_pages), available to every test module.
from gates import figures, gate_pages  # noqa: E402, F401
