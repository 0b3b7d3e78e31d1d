"""Controlled vocabularies: fields, prefectures, blocks, technologies, funding, awards."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem, ValidationFailed
from .yamlio import load_file


@dataclass
class Vocab:
    fields: list[dict]
    prefectures: list[dict]
    blocks: list[dict]
    technologies: list[dict]
    funding: list[dict]
    awards: list[dict]
    by_field: dict[str, dict] = field(init=False)
    by_pref: dict[str, dict] = field(init=False)
    by_block: dict[str, dict] = field(init=False)
    by_tech: dict[str, dict] = field(init=False)
    by_funding: dict[str, dict] = field(init=False)
    by_award: dict[str, dict] = field(init=False)

    def __post_init__(self) -> None:
        self.by_field = {f["id"]: f for f in self.fields}
        self.by_pref = {p["code"]: p for p in self.prefectures}
        self.by_block = {b["id"]: b for b in self.blocks}
        self.by_tech = {t["id"]: t for t in self.technologies}
        self.by_funding = {t["id"]: t for t in self.funding}
        self.by_award = {a["id"]: a for a in self.awards}

    def edition(self, programme: str, year: int) -> dict | None:
        prog = self.by_award.get(programme)
        if not prog:
            return None
        return next((e for e in prog.get("editions", []) if e["year"] == year), None)

    def prize(self, programme: str, year: int, prize: str) -> dict | None:
        ed = self.edition(programme, year)
        if not ed:
            return None
        return next((p for p in ed.get("prizes", []) if p["id"] == prize), None)

    def prefs_in_block(self, block: str) -> list[dict]:
        return [p for p in self.prefectures if p["block"] == block]


_FILES = {
    "fields": ("fields.yml", ("id", "ja", "en", "revision", "description")),
    "prefectures": ("prefectures.yml", ("code", "ja", "en", "block")),
    "blocks": ("blocks.yml", ("id", "ja", "en")),
    "technologies": ("technologies.yml", ("id", "ja", "en")),
    "funding": ("funding.yml", ("id", "ja", "en")),
    "awards": ("awards.yml", ("id", "kind", "name", "organiser", "description", "editions")),
}


def load_vocab(vocab_dir: Path, root: Path | None = None) -> Vocab:
    """Load every vocabulary file; raise :class:`ValidationFailed` listing all problems."""
    problems: list[Problem] = []
    data: dict[str, list[dict]] = {}
    for key, (name, required) in _FILES.items():
        path = vocab_dir / name
        shown = _display(path, root)
        loaded, probs = load_file(path, shown)
        problems += probs
        if loaded is None:
            data[key] = []
            continue
        items = loaded.data
        if not isinstance(items, list):
            problems.append(Problem(shown, 1, "", "must be a list"))
            data[key] = []
            continue
        seen: set[str] = set()
        for i, item in enumerate(items):
            line = loaded.line((i,))
            if not isinstance(item, dict):
                problems.append(Problem(shown, line, f"[{i}]", "must be a mapping"))
                continue
            for req in required:
                if req not in item:
                    problems.append(Problem(shown, line, f"[{i}]", f"'{req}' is missing"))
            ident = str(item.get("id", item.get("code", "")))
            if ident in seen:
                problems.append(Problem(shown, line, f"[{i}]", f"'{ident}' is defined twice"))
            seen.add(ident)
        data[key] = [i for i in items if isinstance(i, dict)]
        if key == "awards" and loaded is not None:
            problems += _check_awards(data[key], loaded, shown)
    if not problems:
        blocks = {b["id"] for b in data["blocks"]}
        for p in data["prefectures"]:
            if p["block"] not in blocks:
                problems.append(Problem(_display(vocab_dir / "prefectures.yml", root), 0,
                                        p["code"], f"unknown block '{p['block']}'"))
    if problems:
        raise ValidationFailed(problems)
    return Vocab(**data)


def _check_awards(programmes: list[dict], loaded: Any, shown: str) -> list[Problem]:
    problems = []
    for i, prog in enumerate(programmes):
        years = set()
        for j, ed in enumerate(prog.get("editions") or []):
            line = loaded.line((i, "editions", j))
            where = f"{prog.get('id')}.editions[{j}]"
            for req in ("year", "name", "prizes", "sources"):
                if req not in ed:
                    problems.append(Problem(shown, line, where, f"'{req}' is missing"))
            if not isinstance(ed.get("name"), dict) or set(ed["name"]) != {"ja", "en"}:
                problems.append(Problem(shown, line, where, "name needs exactly ja and en (quote texts that contain commas)"))
            if ed.get("year") in years:
                problems.append(Problem(shown, line, where, f"year {ed.get('year')} is listed twice"))
            years.add(ed.get("year"))
            ids = set()
            for k, prize in enumerate(ed.get("prizes") or []):
                if not isinstance(prize, dict) or set(prize) != {"id", "ja", "en"}:
                    problems.append(Problem(shown, loaded.line((i, "editions", j, "prizes", k)),
                                            f"{where}.prizes[{k}]", "needs exactly id, ja and en (quote texts that contain commas)"))
                    continue
                if prize["id"] in ids:
                    problems.append(Problem(shown, line, where, f"prize '{prize['id']}' is listed twice"))
                ids.add(prize["id"])
            for url in ed.get("sources") or []:
                if not (isinstance(url, str) and url.startswith(("http://", "https://"))):
                    problems.append(Problem(shown, line, where, f"source {url!r} is not an http(s) address"))
    return problems


def _display(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
