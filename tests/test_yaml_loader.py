"""The safe YAML loader: line numbers, and refusal of hostile constructs."""

from __future__ import annotations

import pytest

from regiot.yamlio import MAX_DEPTH, load_bytes, parse


def test_lines_are_recorded_for_every_value():
    loaded = parse("a: 1\nb:\n  - x: 2026-11-26\n  - y\n")
    assert loaded.lines[("a",)] == 1
    assert loaded.lines[("b", 0, "x")] == 3
    assert loaded.lines[("b", 1)] == 4
    assert loaded.line(("b", 0, "x", "missing")) == 3


def test_dates_become_iso_strings():
    assert parse("d: 2026-11-26\n").data == {"d": "2026-11-26"}


def test_bom_is_accepted():
    loaded, problems = load_bytes("\ufeffid: x\n".encode("utf-8"), "f.yml")
    assert problems == [] and loaded.data == {"id": "x"}


@pytest.mark.parametrize("raw, expected", [
    (b"a: &x 1\nb: *x\n", "YAML anchors (&name) are not allowed"),
    (b"a: *x\n", "YAML aliases (*name) are not allowed"),
    (b"a: !!python/object/apply:os.system [ls]\n", "unsupported YAML value"),
    (b"a: !custom 1\n", "unsupported YAML value"),
    (b"a: !!binary aGVsbG8=\n", "binary values are not allowed"),
    (b"a:\n\t- 1\n", "tabs are not allowed"),
    (b"a: 1\na: 2\n", "'a' appears twice"),
    (b"\xff\xfe\x00a", "not UTF-8"),
    (b"a: [1\n", "this is not valid YAML"),
    (b"[" * 100 + b"]" * 100, f"nested more than {MAX_DEPTH} levels deep"),
    (b"- " * 5000 + b"1", f"nested more than {MAX_DEPTH} levels deep"),
    (b"<<: {a: 1}\n", "merge keys"),
    (b"? [a]\n: 1\n", "keys must be plain words"),
    (b"a: " + b"x" * 300_000, "the limit is"),
])
def test_hostile_yaml_is_refused_with_a_message(raw, expected):
    loaded, problems = load_bytes(raw, "f.yml")
    assert loaded is None
    assert len(problems) == 1
    assert expected in problems[0].message
    assert problems[0].file == "f.yml"
