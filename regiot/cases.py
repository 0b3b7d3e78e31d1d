"""Case records: loading, schema validation and cross-reference checks."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from . import parallel
from .problems import Problem
from .vocab import Vocab
from .yamlio import Loaded, load_file

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "case.schema.json"

PROSE_KEYS = ("summary", "background", "approach", "replication", "note")
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|lorem ipsum|lorem|xxx+)\b|未定|ダミー|準備中", re.IGNORECASE)


@lru_cache(maxsize=4)
def load_schema(path: Path = SCHEMA_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def path_str(path: Iterable[Any]) -> str:
    """``("sources", 0, "url")`` -> ``sources[0].url``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _describe(schema: dict) -> str:
    return schema.get("description", "")


def _friendly(err: jsonschema.ValidationError) -> tuple[list, str]:
    """Turn a jsonschema error into (path, plain-words message)."""
    path = list(err.absolute_path)
    v = err.validator
    inst = err.instance
    sch = err.schema if isinstance(err.schema, dict) else {}
    if v == "required":
        missing = re.findall(r"'([^']+)' is a required property", err.message)
        name = missing[0] if missing else err.message
        props = sch.get("properties", {})
        desc = _describe(props.get(name, {})) if isinstance(props.get(name), dict) else ""
        if not desc and isinstance(props.get(name), dict) and "$ref" in props[name]:
            desc = ""
        return path + [name], "is missing" + (f" ({desc})" if desc else "")
    if v == "additionalProperties":
        extra = re.findall(r"'([^']+)'", err.message.split("(")[1] if "(" in err.message else err.message)
        known = ", ".join(sorted(sch.get("properties", {})))
        name = extra[0] if extra else "?"
        if set(sch.get("properties", {})) == {"ja", "en"}:
            return path + [name], ("is not 'ja' or 'en'. A comma or colon inside {ja: …, en: …} ends the text early: "
                                   "put the text in quotes, e.g. en: \"Example Co., Ltd.\"")
        return path + [name], f"is not a known field here (known fields: {known})"
    if v == "enum":
        opts = ", ".join(repr(o) for o in sch.get("enum", []))
        return path, f"{inst!r} is not allowed; use one of {opts}" + (f" — {_describe(sch)}" if _describe(sch) else "")
    if v == "pattern":
        desc = _describe(sch)
        if "^[^<>{}" in sch.get("pattern", ""):
            desc = "one line of plain text without the characters < > { }"
        elif "https?://" in sch.get("pattern", ""):
            desc = "an http:// or https:// address without spaces or quotes"
        elif sch.get("pattern", "").startswith("^[a-z0-9]+(-[a-z0-9]+)*$") or sch.get("pattern") == "^[a-z][a-z0-9-]*$":
            desc = desc or "lowercase letters, digits and hyphens"
        elif "\\d{4}" in sch.get("pattern", ""):
            desc = desc or "a date written YYYY, YYYY-MM or YYYY-MM-DD"
        shown = inst if len(str(inst)) <= 60 else str(inst)[:57] + "..."
        return path, f"{shown!r} is not valid here: expected {desc or 'a different format'}"
    if v == "type":
        want = sch.get("type")
        want = " or ".join(want) if isinstance(want, list) else want
        words = {"object": "a set of named fields (key: value)", "array": "a list (lines starting with '- ')",
                 "string": "text", "integer": "a whole number", "boolean": "true or false", "number": "a number"}
        want_s = " or ".join(words.get(w.strip(), w) for w in str(want).split(" or "))
        return path, f"should be {want_s}, but is {_kind(inst)}"
    if v in ("minLength", "maxLength"):
        return path, ("is empty; write some text" if v == "minLength" and not inst
                      else f"is {len(inst)} characters long; the limit is {sch.get(v)} ({'at least' if v == 'minLength' else 'at most'})")
    if v in ("minItems", "maxItems"):
        return path, f"has {len(inst)} items; {'at least' if v == 'minItems' else 'at most'} {sch.get(v)} allowed"
    if v == "uniqueItems":
        return path, "lists the same item twice"
    if v in ("minimum", "maximum"):
        return path, f"{inst!r} is {'too small' if v == 'minimum' else 'too large'} ({v} {sch.get(v)})"
    if v == "format":
        return path, f"{inst!r} is not a valid {sch.get('format')} (write YYYY-MM-DD)"
    return path, err.message


def _kind(x: Any) -> str:
    if isinstance(x, bool):
        return f"{x!r} (true/false)"
    if isinstance(x, dict):
        return "a set of named fields"
    if isinstance(x, list):
        return "a list"
    if isinstance(x, (int, float)):
        return f"the number {x!r}"
    if x is None:
        return "empty"
    return f"the text {str(x)[:40]!r}"


_FORMATS = jsonschema.FormatChecker()
_VALIDATORS: dict[int, tuple[dict, Any, Any]] = {}


def _validators(schema: dict) -> tuple[Any, Any]:
    """(fast check, full validator) for a schema, built once per schema object.

    The fast check is the schema compiled to Python by fastjsonschema (the
    schemas use only keywords that mean the same in draft 7 and 2020-12, and
    the ``date`` format is jsonschema's own check); it answers "valid or not"
    about seven times faster. Only a document it refuses goes through
    jsonschema, which finds every problem and says where.
    tests/test_hostile.py checks on random documents that the two agree.
    """
    hit = _VALIDATORS.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1], hit[2]
    full = jsonschema.Draft202012Validator(schema, format_checker=_FORMATS)
    try:
        import fastjsonschema

        # a deep copy: fastjsonschema rewrites the $refs of the schema it is given
        draft7 = dict(copy.deepcopy(schema), **{"$schema": "http://json-schema.org/draft-07/schema#"})
        fast = fastjsonschema.compile(draft7, formats={"date": lambda v: _FORMATS.conforms(v, "date")},
                                      use_default=False)
    except Exception:  # noqa: BLE001 - no fast path: jsonschema alone is just slower
        fast = None
    _VALIDATORS[id(schema)] = (schema, fast, full)
    return fast, full


def _fast_valid(fast: Any, data: Any) -> bool:
    if fast is None:
        return False
    try:
        fast(data)
    except Exception:  # noqa: BLE001 - any refusal (or surprise) goes to the full validator
        return False
    return True


def schema_problems(data: Any, loaded: Loaded, shown: str, schema: dict) -> list[Problem]:
    fast, validator = _validators(schema)
    if _fast_valid(fast, data):
        return []
    out = []
    for err in validator.iter_errors(data):
        # For oneOf/anyOf-free schemas the leaf errors are what we want.
        path, msg = _friendly(err)
        line = loaded.line(path)
        out.append(Problem(shown, line, path_str(path), msg))
    return out


def _texts(data: Any, path: tuple = ()) -> Iterable[tuple[tuple, str]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _texts(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _texts(v, path + (i,))
    elif isinstance(data, str):
        yield path, data


def _bilingual_nodes(data: Any, path: tuple = ()) -> Iterable[tuple[tuple, dict]]:
    """Every {ja: ..., en: ...} text object in a record."""
    if isinstance(data, dict):
        if "ja" in data and set(data) <= {"ja", "en"} and isinstance(data.get("ja"), str):
            yield path, data
            return
        for k, v in data.items():
            if k == "keywords":
                continue
            yield from _bilingual_nodes(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _bilingual_nodes(v, path + (i,))


def _date(s: str) -> dt.date | None:
    try:
        parts = [int(x) for x in s.split("-")]
        while len(parts) < 3:
            parts.append(1)
        return dt.date(*parts)
    except (ValueError, TypeError):
        return None


def crossref_problems(case: dict, loaded: Loaded, shown: str, stem: str, vocab: Vocab,
                      today: dt.date) -> list[Problem]:
    out: list[Problem] = []

    def add(path: tuple, msg: str) -> None:
        out.append(Problem(shown, loaded.line(path), path_str(path), msg))

    if case.get("id") != stem:
        add(("id",), f"'{case.get('id')}' must be the same as the file name ('{stem}')")
    for i, f in enumerate(case.get("fields") or []):
        if f not in vocab.by_field:
            add(("fields", i), f"'{f}' is not a roadmap field (known: {', '.join(vocab.by_field)})")
    for i, p in enumerate((case.get("location") or {}).get("prefectures") or []):
        if p not in vocab.by_pref:
            add(("location", "prefectures", i), f"'{p}' is not a prefecture code (use \"01\" to \"47\")")
    for i, t in enumerate(case.get("technologies") or []):
        if t not in vocab.by_tech:
            add(("technologies", i), f"'{t}' is not a known technology (known: {', '.join(vocab.by_tech)})")
    for i, t in enumerate((case.get("funding") or {}).get("types") or []):
        if t not in vocab.by_funding:
            add(("funding", "types", i), f"'{t}' is not a known funding type (known: {', '.join(vocab.by_funding)})")

    source_ids: list[str] = []
    for i, s in enumerate(case.get("sources") or []):
        sid = s.get("id")
        if sid in source_ids:
            add(("sources", i, "id"), f"the source id '{sid}' is used twice")
        source_ids.append(sid)

    def check_ref(path: tuple, ref: Any) -> None:
        if isinstance(ref, str) and ref not in source_ids:
            known = ", ".join(x for x in source_ids if x) or "none"
            add(path, f"'{ref}' is not the id of one of this record's sources (known: {known})")

    for i, o in enumerate(case.get("outcomes") or []):
        check_ref(("outcomes", i, "source"), o.get("source"))
    pop = (case.get("location") or {}).get("population")
    if isinstance(pop, dict):
        check_ref(("location", "population", "source"), pop.get("source"))
    for i, a in enumerate(case.get("awards") or []):
        check_ref(("awards", i, "source"), a.get("source"))
        prog = vocab.by_award.get(a.get("programme"))
        if prog is None:
            add(("awards", i, "programme"), f"'{a.get('programme')}' is not an award programme in vocab/awards.yml (known: {', '.join(vocab.by_award)})")
            continue
        ed = vocab.edition(a["programme"], a.get("year"))
        if ed is None:
            years = ", ".join(str(e["year"]) for e in prog.get("editions", [])) or "none yet"
            add(("awards", i, "year"), f"{a.get('year')} is not an edition of '{a['programme']}' in vocab/awards.yml (editions: {years}); add the edition there first")
            continue
        if vocab.prize(a["programme"], a["year"], a.get("prize")) is None:
            prizes = ", ".join(p["id"] for p in ed.get("prizes", []))
            add(("awards", i, "prize"), f"'{a.get('prize')}' is not a prize of {a['programme']} {a['year']} (prizes: {prizes})")

    period = case.get("period") or {}
    if isinstance(period.get("start"), int) and isinstance(period.get("end"), int) and period["end"] < period["start"]:
        add(("period", "end"), f"the end year {period['end']} is before the start year {period['start']}")
    if isinstance(period.get("start"), int) and period["start"] > today.year:
        add(("period", "start"), f"{period['start']} is in the future")

    for path, value in _texts(case):
        last = path[-1] if path else None
        if last in ("accessed", "added", "last_reviewed", "as_of", "date"):
            d = _date(value)
            if d is not None and d > today:
                add(path, f"{value} is in the future (today is {today.isoformat()})")
        if PLACEHOLDER.search(value) and last not in ("url",):
            add(path, f"contains placeholder text ({PLACEHOLDER.search(value).group(0)!r}); write the real text or leave the field out")

    pending = bool(case.get("translation_pending"))
    if not pending:
        for path, node in _bilingual_nodes(case):
            if "en" not in node:
                add(path, "the English text (en) is missing; write it, or set translation_pending: true")
    return out


OPTIONAL_LISTS = ("outcomes", "technologies", "partners", "awards")
OPTIONAL_VALUES = ("replication", "note", "funding", "keywords", "translation_pending")


def normalise(case: dict) -> dict:
    """Give every optional key a value, so templates need no existence checks."""
    for key in OPTIONAL_LISTS:
        case.setdefault(key, [])
    for key in OPTIONAL_VALUES:
        case.setdefault(key, None)
    case["location"].setdefault("municipalities", [])
    case["location"].setdefault("population", None)
    case["period"].setdefault("end", None)
    if case["funding"] is not None:
        case["funding"].setdefault("types", [])
        case["funding"].setdefault("note", None)
    case["translation_pending"] = bool(case["translation_pending"])
    for src in case["sources"]:
        src.setdefault("date", None)
    for o in case["outcomes"]:
        o.setdefault("unit", None)
    return case


def load_checked(path: Path, shown: str, schema: dict, what: str) -> tuple[Loaded | None, list[Problem]]:
    """Load a YAML file that must hold a mapping, and check it against ``schema``.

    Returns (document, problems): no document if it cannot be read or is not a
    mapping; the document and its schema problems otherwise.
    """
    loaded, problems = load_file(path, shown)
    if loaded is None:
        return None, problems
    if not isinstance(loaded.data, dict):
        return None, [Problem(shown, 1, "", f"{what} must be a set of named fields (id:, title:, …)")]
    return loaded, schema_problems(loaded.data, loaded, shown, schema)


def load_case_file(path: Path, shown: str, vocab: Vocab, today: dt.date,
                   schema: dict | None = None) -> tuple[dict | None, list[Problem]]:
    """Load and check one case file. Returns (record, problems); record is None on problems."""
    loaded, problems = load_checked(path, shown, schema or load_schema(), "a case file")
    if loaded is None:
        return None, problems
    data = loaded.data
    try:
        problems += crossref_problems(data, loaded, shown, path.stem, vocab, today)
    except (AttributeError, TypeError, KeyError, ValueError):
        # The cross-reference checks expect the shapes the schema describes; a record the
        # schema has already refused may not have them (found by tests/test_hostile.py).
        if not problems:
            raise
    if problems:
        return None, problems
    data["_raw"] = json.dumps(data, ensure_ascii=False)  # as written, for the open-data export (a string: a
    # copy of 3,000 records as Python objects took 44 MB; exports.public_record parses it when needed)
    normalise(data)
    data["_file"] = shown
    data["_line"] = {path_str(k): v for k, v in loaded.lines.items()}
    return data, []


def load_cases(cases_dir: Path, vocab: Vocab, root: Path, today: dt.date | None = None
               ) -> tuple[list[dict], list[Problem]]:
    """Load every case in ``cases_dir``; return valid records and all problems."""
    today = today or dt.date.today()
    schema = load_schema()
    records: list[dict] = []
    problems: list[Problem] = []
    if not cases_dir.is_dir():
        return [], []
    jobs = []
    for path in sorted(cases_dir.iterdir()):
        shown = _rel(path, root)
        if path.name.startswith(".") or path.name.lower() in ("readme.md",):
            continue
        if path.is_dir():
            problems.append(Problem(shown, 0, "", "folders are not allowed in cases/; put one case per .yml file"))
            continue
        if path.suffix != ".yml":
            problems.append(Problem(shown, 0, "", "case files must end in .yml"))
            continue
        jobs.append(functools.partial(load_case_file, path, shown, vocab, today, schema))
    _validators(schema)  # compiled once, before the work is shared with a second process
    for rec, probs in parallel.run(jobs):
        problems += probs
        if rec is not None:
            records.append(rec)
    # Duplicate titles or sources signal the same project twice.
    seen_titles: dict[str, str] = {}
    for rec in records:
        t = rec["title"]["ja"].strip()
        if t in seen_titles:
            problems.append(Problem(rec["_file"], rec["_line"].get("title", 1), "title",
                                    f"the same title is used by {seen_titles[t]}; is this the same project?"))
        seen_titles[t] = rec["_file"]
    records.sort(key=lambda r: r["id"])
    return records, problems


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
