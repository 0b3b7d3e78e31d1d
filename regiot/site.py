"""The whole site's data, loaded and cross-referenced, with lookups for templates."""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .cases import load_cases
from .problems import Problem, ValidationFailed
from .vocab import Vocab, load_vocab

LANGS = ("ja", "en")
STRINGS_PATH = Path(__file__).resolve().parent / "strings.yml"


def tr(obj: Any, lang: str) -> str:
    """The text of a {ja, en} object in ``lang``, falling back to Japanese."""
    if isinstance(obj, dict):
        return obj.get(lang) or obj.get("ja") or ""
    return "" if obj is None else str(obj)


def page_url(src_uri: str) -> str:
    """Directory-style URL of a page from its source path, e.g. cases/a.md -> cases/a/."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


@functools.lru_cache(maxsize=1 << 16)
def rel(from_url: str, to_url: str) -> str:
    """Relative link between two site URLs ('' is the home page, dirs end in '/')."""
    base = from_url if from_url.endswith("/") or from_url == "" else posixpath.dirname(from_url) + "/"
    target = to_url
    r = posixpath.relpath("/" + target, "/" + base) if target else posixpath.relpath("/", "/" + base)
    if (to_url.endswith("/") or to_url == "") and not r.endswith("/"):
        r += "/"
    if r == "./":
        return "./"
    return r


@dataclass
class Site:
    root: Path
    vocab: Vocab
    cases: list[dict]
    strings: dict
    repo_url: str = ""
    site_url: str = "/"
    edit_branch: str = "main"
    courses: list = field(default_factory=list)
    roadmap: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_case = {c["id"]: c for c in self.cases}
        self._related_index: _RelatedIndex | None = None

    # --- lookups used by templates -------------------------------------------------
    def s(self, lang: str, key: str) -> Any:
        return self.strings[lang][key]

    def block_of(self, case: dict) -> dict:
        return self.vocab.by_block[self.vocab.by_pref[case["location"]["prefectures"][0]]["block"]]

    def main_pref(self, case: dict) -> dict:
        return self.vocab.by_pref[case["location"]["prefectures"][0]]

    def award_label(self, award: dict, lang: str) -> str:
        ed = self.vocab.edition(award["programme"], award["year"])
        prize = self.vocab.prize(award["programme"], award["year"], award["prize"])
        return f"{tr(ed['name'], lang)} {tr(prize, lang)}"

    def period_label(self, case: dict, lang: str) -> str:
        p = case["period"]
        if p.get("end"):
            return f"{p['start']}–{p['end']}" if p["end"] != p["start"] else str(p["start"])
        return f"{p['start']}年{self.s(lang, 'since')}" if lang == "ja" else f"{self.s(lang, 'since')} {p['start']}"

    def edit_url(self, case: dict) -> str:
        if not self.repo_url:
            return ""
        return f"{self.repo_url.rstrip('/')}/blob/{self.edit_branch}/{case['_file']}"

    def courses_for_field(self, field_id: str) -> list:
        """(course, [modules]) pairs whose course or modules name this field."""
        out = []
        for course in self.courses:
            mods = [m for m in course.modules if field_id in m.fields]
            if mods or field_id in course.fields:
                out.append((course, mods))
        return out

    def related(self, case: dict, limit: int = 4) -> dict[str, list[dict]]:
        """Other cases sharing a field, the regional block, or a technology.

        Each list holds the ``limit`` best-scoring cases, ties broken by id. Only
        cases that share something are scored (looked up in indexes built once),
        so this stays fast with thousands of cases.
        """
        if self._related_index is None:
            self._related_index = _RelatedIndex(self)
        return self._related_index.related(case, limit)


class _RelatedIndex:
    """Cases grouped by what :meth:`Site.related` scores them on, for fast lookups.

    A case's score against another depends only on the other's fields (and first
    field), regional block or technologies, so cases with the same ones are kept
    together in one group (its ids sorted): a lookup scores each group that shares
    something once (at 3,000 cases about 460 field groups instead of 1,000 cases)
    and takes the best ids from the best groups in order.
    """

    def __init__(self, site: Site) -> None:
        self.site = site
        self.by_id = site.by_case
        self.block = {c["id"]: site.block_of(c)["id"] for c in site.cases}
        by_fields: dict[tuple[frozenset, str], list[str]] = {}
        by_block: dict[str, dict[frozenset, list[str]]] = {}
        by_techs: dict[frozenset, list[str]] = {}
        for c in sorted(site.cases, key=lambda c: c["id"]):
            cid, fields = c["id"], frozenset(c["fields"])
            by_fields.setdefault((fields, c["fields"][0]), []).append(cid)
            by_block.setdefault(self.block[cid], {}).setdefault(fields, []).append(cid)
            techs = frozenset(c.get("technologies") or ())
            if techs:
                by_techs.setdefault(techs, []).append(cid)
        self.by_block = by_block
        self.field_groups: dict[str, list[tuple[frozenset, str, list[str]]]] = {}
        for (fields, first), ids in by_fields.items():
            group = (fields, first, ids)
            for f in fields:
                self.field_groups.setdefault(f, []).append(group)
        self.tech_groups: dict[str, list[tuple[frozenset, list[str]]]] = {}
        for techs, ids in by_techs.items():
            group = (techs, ids)
            for t in techs:
                self.tech_groups.setdefault(t, []).append(group)

    @staticmethod
    def _best(groups: list[tuple[int, list[str]]], me: str, limit: int) -> list[str]:
        """The ``limit`` ids with the highest scores, ties broken by id, without ``me``."""
        by_score: dict[int, list[list[str]]] = {}
        for score, ids in groups:
            by_score.setdefault(score, []).append(ids)
        out: list[str] = []
        for score in sorted(by_score, reverse=True):
            for cid in heapq.merge(*by_score[score]):
                if cid != me:
                    out.append(cid)
                    if len(out) == limit:
                        return out
        return out

    def related(self, case: dict, limit: int) -> dict[str, list[dict]]:
        me = case["id"]
        fields, first, techs = frozenset(case["fields"]), case["fields"][0], frozenset(case.get("technologies") or ())
        block = self.block[me] if me in self.block else self.site.block_of(case)["id"]
        seen: set[int] = set()
        by_field = []
        for f in fields:
            for group in self.field_groups.get(f, ()):
                if id(group) not in seen:
                    seen.add(id(group))
                    by_field.append((len(fields & group[0]) * 2 + (group[1] == first), group[2]))
        by_block = [(1 + len(fields & other), ids) for other, ids in self.by_block.get(block, {}).items()]
        seen.clear()
        by_tech = []
        for t in techs:
            for group in self.tech_groups.get(t, ()):
                if id(group) not in seen:
                    seen.add(id(group))
                    by_tech.append((len(techs & group[0]), group[1]))
        return {
            "related_field": [self.by_id[cid] for cid in self._best(by_field, me, limit)],
            "related_block": [self.by_id[cid] for cid in self._best(by_block, me, limit)],
            "related_tech": [self.by_id[cid] for cid in self._best(by_tech, me, limit)],
        }


def load_strings() -> dict:
    return yaml.safe_load(STRINGS_PATH.read_text(encoding="utf-8"))


def load_site(root: Path, today: dt.date | None = None, repo_url: str = "") -> Site:
    """Load and check everything; raise :class:`ValidationFailed` with every problem."""
    root = Path(root)
    vocab = load_vocab(root / "vocab", root)
    problems: list[Problem] = []
    cases, probs = load_cases(root / "cases", vocab, root, today)
    problems += probs
    site = Site(root=root, vocab=vocab, cases=cases, strings=load_strings(), repo_url=repo_url)
    from .courses import load_courses  # local import: courses build on the site's vocab

    courses, probs = load_courses(root / "courses", site, today)
    problems += probs
    site.courses = courses
    roadmap_path = root / "vocab" / "roadmap.yml"
    if roadmap_path.is_file():
        import json

        from .cases import schema_problems
        from .yamlio import load_file

        loaded, probs = load_file(roadmap_path, "vocab/roadmap.yml")
        problems += probs
        if loaded is not None:
            schema = json.loads((root / "schema" / "roadmap.schema.json").read_text(encoding="utf-8"))
            problems += schema_problems(loaded.data, loaded, "vocab/roadmap.yml", schema)
            for i, entry in enumerate(loaded.data if isinstance(loaded.data, list) else []):
                if isinstance(entry, dict) and entry.get("field") not in vocab.by_field:
                    problems.append(Problem("vocab/roadmap.yml", loaded.line((i, "field")), f"[{i}].field",
                                            f"'{entry.get('field')}' is not a roadmap field"))
                ids = {s.get("id") for s in (entry.get("sources") or []) if isinstance(s, dict)} if isinstance(entry, dict) else set()
                for j, model in enumerate(entry.get("models") or [] if isinstance(entry, dict) else []):
                    for k, kpi in enumerate(model.get("kpis") or [] if isinstance(model, dict) else []):
                        if isinstance(kpi, dict) and kpi.get("source") not in ids:
                            problems.append(Problem("vocab/roadmap.yml", loaded.line((i, "models", j, "kpis", k, "source")),
                                                    f"[{i}].models[{j}].kpis[{k}].source", f"'{kpi.get('source')}' is not a source id of this entry"))
        if loaded is not None and isinstance(loaded.data, list) and not problems:
            site.roadmap = {e["field"]: e for e in loaded.data if isinstance(e, dict) and "field" in e}
    if problems:
        raise ValidationFailed(problems)
    return site
