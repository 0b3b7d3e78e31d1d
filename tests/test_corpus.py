"""The case corpus: size, coverage and editorial checks (read independently of the site's loader)."""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

import pytest
import yaml

from conftest import ROOT

CASES = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "cases").glob("*.yml"))}
PREFS = {p["code"]: p for p in yaml.safe_load((ROOT / "vocab/prefectures.yml").read_text(encoding="utf-8"))}
CORE_FIELDS = ["education", "health", "work", "disaster", "agriculture", "business", "tourism",
               "public-private", "smart-city", "iot-infra"]
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|lorem|xxx+)\b|未定|ダミー", re.IGNORECASE)


def test_at_least_60_cases():
    assert len(CASES) >= 60


def test_every_core_field_has_at_least_4_cases():
    per_field = Counter(f for c in CASES.values() for f in c["fields"])
    assert {f: per_field[f] for f in CORE_FIELDS if per_field[f] < 4} == {}


def test_prefecture_and_block_coverage():
    main = {c["location"]["prefectures"][0] for c in CASES.values()}
    assert len(main) >= 30
    assert {PREFS[p]["block"] for p in main} == {p["block"] for p in PREFS.values()}  # all 11 blocks


def test_mix_of_stages():
    stages = Counter(c["stage"] for c in CASES.values())
    assert all(stages[s] >= 3 for s in ("demonstration", "implementation", "scale-out")), stages


@pytest.mark.parametrize("cid", sorted(CASES))
def test_case_is_sourced(cid):
    case = CASES[cid]
    ids = {s["id"] for s in case["sources"]}
    assert case["sources"] and all(s["url"].startswith(("https://", "http://")) for s in case["sources"])
    for o in case.get("outcomes", []):
        assert o["source"] in ids and o["as_of"]
    for a in case.get("awards", []):
        assert a["source"] in ids
    assert case.get("awards"), "every case is an awarded or officially recognised project"


def test_no_placeholder_text_in_content():
    offenders = []
    for folder in ("cases", "courses", "docs", "vocab"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".yml", ".md", ".csv"):
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if PLACEHOLDER.search(line) and "url" not in line:
                        offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}")
    assert offenders == []


def test_translation_pending_at_most_5_percent():
    pending = [cid for cid, c in CASES.items() if c.get("translation_pending")]
    assert len(pending) <= 0.05 * len(CASES)
    for cid, c in CASES.items():
        if not c.get("translation_pending"):
            for key in ("title", "summary", "background", "approach"):
                assert c[key].get("en"), (cid, key)


def test_no_two_cases_describe_the_same_project():
    titles = Counter(c["title"]["ja"] for c in CASES.values())
    assert [t for t, n in titles.items() if n > 1] == []
    for (a, ca), (b, cb) in combinations(CASES.items(), 2):
        same_lead = ca["organisations"][0]["name"]["ja"] == cb["organisations"][0]["name"]["ja"]
        same_field = ca["fields"][0] == cb["fields"][0]
        shared_pages = {s["url"] for s in ca["sources"]} & {s["url"] for s in cb["sources"]}
        assert not (same_lead and same_field and shared_pages), f"{a} and {b} look like the same project"
