"""Counts over the corpus: coverage, and the implementation-status analysis."""

from __future__ import annotations

from collections import Counter
from typing import Any

TARGETS = {"cases": 60, "per_field": 4, "prefectures": 30, "blocks": 11}
CORE_FIELDS = ("education", "health", "work", "disaster", "agriculture", "business", "tourism",
               "public-private", "smart-city", "iot-infra")


def case_blocks(site, case: dict) -> set[str]:
    return {site.vocab.by_pref[p]["block"] for p in case["location"]["prefectures"]}


def main_block(site, case: dict) -> str:
    return site.vocab.by_pref[case["location"]["prefectures"][0]]["block"]


def coverage(site) -> dict[str, Any]:
    """Cases per field, per block and per prefecture, and whether targets are met."""
    per_field = Counter(f for c in site.cases for f in c["fields"])
    per_block = Counter(main_block(site, c) for c in site.cases)
    per_pref = Counter(c["location"]["prefectures"][0] for c in site.cases)
    per_stage = Counter(c["stage"] for c in site.cases)
    pending = sum(1 for c in site.cases if c["translation_pending"])
    n = len(site.cases)
    meets = (n >= TARGETS["cases"]
             and all(per_field[f] >= TARGETS["per_field"] for f in CORE_FIELDS)
             and len(per_pref) >= TARGETS["prefectures"]
             and len([b for b in site.vocab.by_block if per_block[b]]) >= TARGETS["blocks"]
             and pending <= 0.05 * max(n, 1))
    return {"cases": n, "per_field": per_field, "per_block": per_block, "per_pref": per_pref,
            "per_stage": per_stage, "pending": pending, "meets_targets": meets, "site": site}


def format_coverage(cov: dict[str, Any]) -> str:
    site = cov["site"]
    v = site.vocab
    lines = [f"Cases: {cov['cases']} (target ≥ {TARGETS['cases']})", "",
             f"Cases per roadmap field (target ≥ {TARGETS['per_field']} for each of the 10 fields of May 2017):"]
    for f in v.fields:
        mark = "" if f["id"] not in CORE_FIELDS or cov["per_field"][f["id"]] >= TARGETS["per_field"] else "  <- below target"
        lines.append(f"  {f['id']:<15} {f['ja']:<10} {cov['per_field'][f['id']]:>3}{mark}")
    blocks_with = [b for b in v.by_block if cov["per_block"][b]]
    lines += ["", f"Cases per regional block, by main prefecture ({len(blocks_with)} of 11 blocks; target 11):"]
    for b in v.blocks:
        lines.append(f"  {b['id']:<10} {b['ja']:<4} {cov['per_block'][b['id']]:>3}")
    lines += ["", f"Prefectures with cases: {len(cov['per_pref'])} of 47 (target ≥ {TARGETS['prefectures']})"]
    missing = [p["ja"] for p in v.prefectures if p["code"] not in cov["per_pref"]]
    if missing:
        lines.append("  without cases: " + "、".join(missing))
    lines += ["", "Stages: " + ", ".join(f"{k} {cov['per_stage'][k]}" for k in ("demonstration", "implementation", "scale-out")),
              f"Translation pending: {cov['pending']} (at most 5%)", "",
              "Targets met." if cov["meets_targets"] else "Targets NOT met."]
    return "\n".join(lines)


def status(site) -> dict[str, Any]:
    """Tables for the implementation-status page."""
    v = site.vocab
    matrix = {f["id"]: Counter() for f in v.fields}
    for c in site.cases:
        for f in c["fields"]:
            for b in case_blocks(site, c):
                matrix[f][b] += 1
    by_year = Counter(c["period"]["start"] for c in site.cases)
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    award_years = Counter(a["year"] for c in site.cases for a in c["awards"])
    return {
        "matrix": matrix,
        "field_totals": Counter(f for c in site.cases for f in c["fields"]),
        "block_totals": Counter(b for c in site.cases for b in case_blocks(site, c)),
        "by_year": [(y, by_year[y]) for y in years],
        "by_award_year": sorted(award_years.items()),
        "by_stage": [(s, sum(1 for c in site.cases if c["stage"] == s))
                     for s in ("demonstration", "implementation", "scale-out")],
        "by_funding": sorted(((t["id"], sum(1 for c in site.cases if c["funding"] and t["id"] in c["funding"]["types"]))
                              for t in v.funding), key=lambda x: -x[1]),
        "by_tech": sorted(((t["id"], sum(1 for c in site.cases if t["id"] in c["technologies"])) for t in v.technologies),
                          key=lambda x: -x[1]),
        "no_funding_info": sum(1 for c in site.cases if not (c["funding"] and c["funding"]["types"])),
        "per_pref": Counter(c["location"]["prefectures"][0] for c in site.cases),
        "any_pref": Counter(p for c in site.cases for p in c["location"]["prefectures"]),
    }


def gaps(site, st: dict[str, Any], few: int = 2) -> dict[str, Any]:
    v = site.vocab
    return {
        "fields_none": [f for f in v.fields if st["field_totals"][f["id"]] == 0],
        "fields_few": [f for f in v.fields if 0 < st["field_totals"][f["id"]] <= few],
        "blocks_none": [b for b in v.blocks if st["block_totals"][b["id"]] == 0],
        "blocks_few": [b for b in v.blocks if 0 < st["block_totals"][b["id"]] <= few],
        "prefs_none": [p for p in v.prefectures if st["any_pref"][p["code"]] == 0],
        "cells_empty": sum(1 for f in v.fields for b in v.blocks if st["matrix"][f["id"]][b["id"]] == 0),
        "cells_total": len(v.fields) * len(v.blocks),
    }
