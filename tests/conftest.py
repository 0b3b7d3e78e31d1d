"""Shared fixtures: the repository root, and small fixture sites built in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
SITE_PARTS = ("mkdocs.yml", "docs", "hooks", "overrides", "vocab", "schema")


def make_project(dest: Path, cases_from: Path | None = FIXTURES / "site" / "cases",
                 courses_from: Path | None = None, awards: Path | None = FIXTURES / "site" / "vocab" / "awards.yml") -> Path:
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
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/")
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
