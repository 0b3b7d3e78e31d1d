"""Open data, feeds and the analysis pages of the real site, checked against the YAML independently."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter

import jsonschema
import pytest
import yaml

from conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def raw_cases():
    """The case files read with plain PyYAML, not with the site's own loader."""
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "cases").glob("*.yml"))}


@pytest.fixture(scope="module")
def prefectures():
    return {p["code"]: p for p in yaml.safe_load((ROOT / "vocab/prefectures.yml").read_text(encoding="utf-8"))}


def test_json_has_every_case_and_validates_against_published_schema(real_site, raw_cases):
    data = json.loads((real_site / "data/cases.json").read_text(encoding="utf-8"))
    schema = json.loads((real_site / "data/case.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert sorted(c["id"] for c in data) == sorted(raw_cases)
    for record in data:
        errors = list(validator.iter_errors(record))
        assert errors == [], (record["id"], errors[:1])
        assert record["title"] == raw_cases[record["id"]]["title"]


def test_csv_one_row_per_case_with_bom_and_round_trips(real_site, raw_cases):
    raw = (real_site / "data/cases.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(raw_cases)
    for row in rows:
        case = raw_cases[row["id"]]
        assert row["title_ja"] == case["title"]["ja"]
        assert row["title_en"] == case["title"].get("en", "")
        assert row["prefecture_codes"].split("; ") == case["location"]["prefectures"]
        assert row["fields"].split("; ") == case["fields"]
        assert row["stage"] == case["stage"]
        assert int(row["period_start"]) == case["period"]["start"]
        assert row["sources"].split("; ") == [s["url"] for s in case["sources"]]


@pytest.mark.parametrize("lang, prefix", [("ja", ""), ("en", "en/")])
def test_feed_is_atom(real_site, raw_cases, lang, prefix):
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.parse(real_site / prefix / "feed.xml").getroot()
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    entries = root.findall("a:entry", ns)
    assert 0 < len(entries) <= 30
    for e in entries:
        assert e.find("a:title", ns).text
        link = e.find("a:link", ns).get("href")
        assert link.startswith("http://127.0.0.1:8000/" + prefix + "cases/")
        assert re.match(r"\d{4}-\d{2}-\d{2}T00:00:00Z", e.find("a:updated", ns).text)


def test_pages_exist_for_every_field_prefecture_and_award_year(real_site, raw_cases, prefectures):
    fields = [f["id"] for f in yaml.safe_load((ROOT / "vocab/fields.yml").read_text(encoding="utf-8"))]
    for prefix in ("", "en/"):
        for f in fields:
            assert (real_site / prefix / "fields" / f / "index.html").is_file()
        for code in prefectures:
            assert (real_site / prefix / "regions" / code / "index.html").is_file()
        awards_html = (real_site / prefix / "awards/index.html").read_text(encoding="utf-8")
        for case in raw_cases.values():
            for a in case.get("awards", []):
                assert f'id="{a["programme"]}-{a["year"]}"' in awards_html
                assert f'cases/{case["id"]}/' in awards_html


def test_status_counts_equal_independent_counts(real_site, raw_cases, prefectures):
    html = (real_site / "status/index.html").read_text(encoding="utf-8")
    cells = {(f, b): int(n) for f, b, n in re.findall(
        r'data-field="([a-z-]+)" data-block="([a-z]+)">(\d+)<', html)}
    expected = Counter()
    for case in raw_cases.values():
        blocks = {prefectures[p]["block"] for p in case["location"]["prefectures"]}
        for f in case["fields"]:
            for b in blocks:
                expected[(f, b)] += 1
    assert cells and all(cells[k] == expected[k] for k in cells)
    assert sum(cells.values()) == sum(expected.values())


def test_map_counts_equal_independent_counts(real_site, raw_cases):
    html = (real_site / "regions/index.html").read_text(encoding="utf-8")
    counts = dict(re.findall(r'data-code="(\d\d)" data-count="(\d+)"', html))
    assert len(counts) == 47
    main = Counter(c["location"]["prefectures"][0] for c in raw_cases.values())
    assert {k: int(v) for k, v in counts.items()} == {k: main.get(k, 0) for k in counts}


def test_every_case_page_links_its_fields_and_prefecture(real_site, raw_cases):
    for cid, case in raw_cases.items():
        for prefix in ("", "en/"):
            html = (real_site / prefix / "cases" / cid / "index.html").read_text(encoding="utf-8")
            for f in case["fields"]:
                assert f'href="../../fields/{f}/"' in html
            assert f'href="../../regions/{case["location"]["prefectures"][0]}/"' in html
