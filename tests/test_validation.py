"""Every invalid fixture fails with its expected, plain-words message."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from regiot.cases import load_cases
from regiot.problems import ValidationFailed
from regiot.site import load_site
from regiot.vocab import load_vocab

INVALID = sorted((FIXTURES / "invalid").glob("*.yml"))
TODAY = dt.date(2026, 11, 26)


def expectations(path: Path) -> list[str]:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: "), f"{path.name} needs a '# expect: …' first line"
    return [first[len("# expect: "):].strip()]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_case_fails_with_expected_message(path, tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy2(path, cases / path.name)
    vocab = load_vocab(ROOT / "vocab", ROOT)
    records, problems = load_cases(cases, vocab, tmp_path, TODAY)
    assert records == []
    text = "\n".join(str(p) for p in problems)
    for expected in expectations(path):
        assert expected in text
    for p in problems:
        assert p.file == f"cases/{path.name}"
        assert "Traceback" not in p.message


def test_all_problems_are_reported_at_once(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("unknown-field.yml", "bad-stage.yml", "javascript-url.yml"):
        shutil.copy2(FIXTURES / "invalid" / name, cases / name)
    vocab = load_vocab(ROOT / "vocab", ROOT)
    _, problems = load_cases(cases, vocab, tmp_path, TODAY)
    assert {p.file for p in problems} == {"cases/unknown-field.yml", "cases/bad-stage.yml", "cases/javascript-url.yml"}


def test_fixture_cases_are_valid(tmp_path):
    vocab_dir = tmp_path / "vocab"
    shutil.copytree(ROOT / "vocab", vocab_dir)
    shutil.copy2(FIXTURES / "site" / "vocab" / "awards.yml", vocab_dir / "awards.yml")
    vocab = load_vocab(vocab_dir, tmp_path)
    records, problems = load_cases(FIXTURES / "site" / "cases", vocab, FIXTURES / "site", TODAY)
    assert problems == []
    assert [r["id"] for r in records] == ["alpha-town-farm-sensors", "beta-city-telework"]


def test_other_file_types_in_cases_are_refused(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "notes.yaml").write_text("id: x\n")
    vocab = load_vocab(ROOT / "vocab", ROOT)
    _, problems = load_cases(tmp_path / "cases", vocab, tmp_path, TODAY)
    assert [str(p) for p in problems] == ["cases/notes.yaml: case files must end in .yml"]


def test_problem_github_annotation_format():
    from regiot.problems import Problem
    p = Problem("cases/a.yml", 12, "fields[1]", "'agri' is not a roadmap field\nsecond line 100%")
    assert p.github() == "::error file=cases/a.yml,line=12::fields[1]: 'agri' is not a roadmap field%0Asecond line 100%25"
    assert str(p) == "cases/a.yml:12: fields[1]: 'agri' is not a roadmap field\nsecond line 100%"


def test_the_real_data_validates():
    try:
        site = load_site(ROOT)
    except ValidationFailed as exc:  # pragma: no cover - shows every problem
        pytest.fail(exc.report())
    assert site.cases, "the corpus has cases"
