"""Merge researchers' award notes (research/awards-*.yml) into vocab/awards.yml.

Idempotent: programmes, editions, prizes and sources already present are kept
as they are; new ones are added. Run: .venv/bin/python research/merge_awards.py
"""

from __future__ import annotations

import glob
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
HEADER = """# Award programmes and official recognitions, with the editions and prize names
# that cases in this corpus refer to. Prize names are written exactly as the
# organiser's or a reporting page states them; every edition names its sources.
"""


def main() -> None:
    path = ROOT / "vocab" / "awards.yml"
    programmes = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_id = {p["id"]: p for p in programmes}
    files = sorted(glob.glob(str(ROOT / "research" / "awards-*.yml")))
    entries = [(f, e) for f in files for e in (yaml.safe_load(open(f, encoding="utf-8")) or [])
               if isinstance(e, dict) and "programme" in e]
    for notes, entry in entries:  # first pass: programmes that are new
        new = entry.get("new_programme")
        if new and new["id"] not in by_id:
            prog = {k: new[k] for k in ("id", "kind", "name", "organiser", "description")}
            prog["editions"] = []
            programmes.append(prog)
            by_id[prog["id"]] = prog
    for notes, entry in entries:
            prog = by_id.get(entry["programme"])
            if prog is None:
                print(f"{notes}: unknown programme {entry['programme']!r} (add new_programme)")
                continue
            ed = next((e for e in prog["editions"] if e["year"] == entry["year"]), None)
            if ed is None:
                ed = {"year": entry["year"], "name": entry["edition_name"], "prizes": [], "sources": []}
                prog["editions"].append(ed)
            prize = entry["prize"]
            if not any(p["id"] == prize["id"] for p in ed["prizes"]):
                ed["prizes"].append({"id": prize["id"], "ja": prize["ja"], "en": prize["en"]})
            if entry.get("source") and entry["source"] not in ed["sources"]:
                ed["sources"].append(entry["source"])
    for prog in programmes:
        prog["editions"].sort(key=lambda e: e["year"])
    text = yaml.safe_dump(programmes, allow_unicode=True, sort_keys=False, width=200)
    path.write_text(HEADER + text, encoding="utf-8")
    print(f"{path}: {len(programmes)} programmes, {sum(len(p['editions']) for p in programmes)} editions")


if __name__ == "__main__":
    main()
