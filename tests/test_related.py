"""Site.related: the grouped lookup gives exactly what scoring every pair of cases gives."""

from __future__ import annotations

from conftest import ROOT, make_project
from regiot.site import Site, load_site


def reference(site: Site, case: dict, limit: int = 4) -> dict[str, list[str]]:
    """Every other case scored one by one, as the case page explains the three lists."""
    fields, first = set(case["fields"]), case["fields"][0]
    techs, block = set(case.get("technologies") or ()), site.block_of(case)["id"]
    scores: dict[str, list[tuple[int, str]]] = {"related_field": [], "related_block": [], "related_tech": []}
    for other in site.cases:
        if other["id"] == case["id"]:
            continue
        shared = len(fields & set(other["fields"]))
        if shared:
            scores["related_field"].append((shared * 2 + (other["fields"][0] == first), other["id"]))
        if site.block_of(other)["id"] == block:
            scores["related_block"].append((1 + shared, other["id"]))
        common = len(techs & set(other.get("technologies") or ()))
        if common:
            scores["related_tech"].append((common, other["id"]))
    return {k: [cid for _, cid in sorted(v, key=lambda sc: (-sc[0], sc[1]))[:limit]] for k, v in scores.items()}


def test_related_cases_match_pairwise_scoring(tmp_path):
    from bench.synthetic import write_cases

    project = make_project(tmp_path / "p", cases_from=ROOT / "cases", courses_from=ROOT / "courses", awards=None)
    write_cases(project / "cases", 400, seed=3)
    site = load_site(project)
    assert len(site.cases) > 450
    checked = 0
    for case in site.cases:
        want = reference(site, case)
        for limit in (4, 1):
            got = {k: [c["id"] for c in v] for k, v in site.related(case, limit).items()}
            assert got == {k: v[:limit] for k, v in want.items()}, case["id"]
        checked += sum(1 for v in want.values() if len(v) == 4)
    assert checked > 3 * 400  # full lists, with ties to break, were compared
