"""Data Academy courses: loading and checking course.yml and the module Markdown files.

A course is ``courses/<course-id>/course.yml`` with ``<module-id>.ja.md`` and
``<module-id>.en.md`` per module and documented CSV datasets in ``data/``.
Module files are Markdown with YAML front matter. They are checked for:
explicit heading ids identical in both languages, timed sections adding up,
every exercise followed by a worked solution, instructor notes, no raw HTML
and only http(s), relative or anchor links.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .cases import PLACEHOLDER, load_checked, schema_problems
from .problems import Problem
from .yamlio import MAX_BYTES, YamlError, parse

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "course.schema.json"
LANGS = ("ja", "en")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID = re.compile(r"^(?P<text>.*?)\s*\{\s*#(?P<id>[a-z0-9]+(?:-[a-z0-9]+)*)\s*\}$")
ADMONITION = re.compile(r"^(!!!|\?\?\?\+?)\s+([a-z]+)(?:\s+\"(.*)\")?\s*$")
RAW_HTML = re.compile(r"<\s*[A-Za-z!/?]")
LINK = re.compile(r"\]\(\s*<?([^)>]*)")
REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S*)", re.MULTILINE)
ATTR_LIST = re.compile(r"\{\s*:?\s*(?:[#.][\w-]|[A-Za-z_][\w:-]*\s*=)")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
BAD_SCHEME = re.compile(r"^\s*(javascript|data|vbscript|file):", re.IGNORECASE)
FENCE = re.compile(r"^\s*(```|~~~)")
RESERVED_IDS = {"key-points", "sources", "related-cases", "objectives", "agenda"}


@lru_cache(maxsize=2)
def load_schema(path: Path = SCHEMA_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


_MODULE_SCHEMAS: dict[int, tuple[dict, dict]] = {}


def _module_schema(schema: dict) -> dict:
    """The schema of module front matter ($defs/module with the course schema's $defs), made once."""
    hit = _MODULE_SCHEMAS.get(id(schema))
    if hit is None or hit[0] is not schema:
        module_schema = dict(schema["$defs"]["module"])
        module_schema["$defs"] = schema["$defs"]
        hit = _MODULE_SCHEMAS[id(schema)] = (schema, module_schema)
    return hit[1]


@dataclass
class Module:
    id: str
    course: str
    minutes: int
    title: dict[str, str]
    meta: dict[str, dict] = field(default_factory=dict)   # front matter per language
    body: dict[str, str] = field(default_factory=dict)    # Markdown body per language
    files: dict[str, str] = field(default_factory=dict)   # file path per language
    fields: list[str] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    headings: list[tuple[int, str]] = field(default_factory=list)
    heading_titles: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> id -> text
    exercises: int = 0


@dataclass
class Course:
    id: str
    data: dict
    modules: list[Module]
    file: str
    folder: Path

    @property
    def title(self) -> dict:
        return self.data["title"]

    @property
    def fields(self) -> list[str]:
        return self.data["fields"]

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.modules)

    def session_minutes(self, session: dict) -> int:
        return sum(self.module(m).minutes for m in session["modules"])

    def module(self, module_id: str) -> Module:
        return next(m for m in self.modules if m.id == module_id)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line where the body starts) or None if there is none."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    if end == -1:
        return None
    fm = text[4:end + 1]
    body = text[end + 5:]
    return fm, body, fm.count("\n") + 3


def _without_code(text: str) -> str:
    """The text with fenced blocks and code spans blanked out (line count kept)."""
    out, fenced = [], False
    for line in text.split("\n"):
        if FENCE.match(line):
            fenced = not fenced
            out.append("")
            continue
        out.append("" if fenced else re.sub(r"`[^`]*`", "", line))
    return "\n".join(out)


def scan_body(body: str, shown: str, first_line: int) -> tuple[dict[str, Any], list[Problem]]:
    """Headings, admonitions and hazards of a module body."""
    problems: list[Problem] = []
    headings: list[tuple[int, str, int]] = []
    titles: dict[str, str] = {}
    admonitions: list[tuple[str, str | None, int, int]] = []  # (kind, title, line, indent-level block end)
    in_fence = False
    lines = body.split("\n")
    for i, line in enumerate(lines):
        ln = first_line + i
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        stripped = re.sub(r"`[^`]*`", "", line)
        if RAW_HTML.search(stripped):
            problems.append(Problem(shown, ln, "", "raw HTML is not allowed in course pages; write Markdown (for a literal '<', put a space after it or use `code`)"))
        m_head = HEADING.match(line)
        attr_text = HEADING_ID.sub(lambda hm: hm.group("text"), m_head.group(2)) if m_head else stripped
        if ATTR_LIST.search(attr_text if m_head else stripped):
            problems.append(Problem(shown, ln, "", "attribute lists ({ … }) are only allowed as heading ids, written '{ #id }' at the end of a heading"))
        if "{{" in stripped or "{%" in stripped:
            problems.append(Problem(shown, ln, "", "template syntax ({{ or {%) is not allowed in course pages"))
        if PLACEHOLDER.search(stripped):
            problems.append(Problem(shown, ln, "", f"contains placeholder text ({PLACEHOLDER.search(stripped).group(0)!r})"))
        m = HEADING.match(line)
        if m and not line.startswith("    "):
            level = len(m.group(1))
            hm = HEADING_ID.match(m.group(2))
            if level == 1:
                problems.append(Problem(shown, ln, "", "do not write a '# ' title in the body; the title comes from the front matter"))
            elif not hm:
                problems.append(Problem(shown, ln, "", f"the heading {m.group(2)[:40]!r} needs an explicit id, e.g. '## Title {{ #my-id }}', identical in ja and en"))
            elif hm.group("id") in RESERVED_IDS:
                problems.append(Problem(shown, ln, "", f"the heading id '{hm.group('id')}' is used by the page itself; choose another"))
            else:
                headings.append((level, hm.group("id"), ln))
                titles[hm.group("id")] = hm.group("text").strip()
        a = ADMONITION.match(line)
        if a:
            admonitions.append((a.group(2), a.group(3), ln, i))
    # links and reference definitions, which may span lines or hide their scheme in entities
    plain = _without_code(body)
    for rx in (LINK, REFDEF):
        for m in rx.finditer(plain):
            raw_url = m.group(1)
            url = "".join(ch for ch in html.unescape(raw_url) if ch.isprintable() and not ch.isspace())
            scheme = SCHEME.match(url)
            ln = first_line + plain.count("\n", 0, m.start(1))
            if "&" in raw_url or (scheme and scheme.group(1).lower() not in ("http", "https", "mailto")) or BAD_SCHEME.match(url):
                problems.append(Problem(shown, ln, "", f"the link {raw_url.strip()[:40]!r} is not allowed; use an http(s) address, a relative .md link or a #anchor (no HTML entities)"))
    # exercises must be followed by a solution (the next admonition at the top level)
    exercises = 0
    for k, (kind, _title, ln, idx) in enumerate(admonitions):
        if kind == "exercise":
            exercises += 1
            nxt = admonitions[k + 1] if k + 1 < len(admonitions) else None
            if nxt is None or nxt[0] != "solution":
                problems.append(Problem(shown, ln, "", "every '!!! exercise' must be followed by a '??? solution' with a worked solution"))
        if kind == "solution" and not lines[idx].startswith("???"):
            problems.append(Problem(shown, ln, "", "solutions must be collapsible: write '??? solution \"…\"'"))
    kinds = {a[0] for a in admonitions}
    info = {"headings": [(lv, hid) for lv, hid, _ in headings], "heading_lines": {hid: ln for _, hid, ln in headings},
            "exercises": exercises, "instructor": "instructor" in kinds, "titles": titles}
    return info, problems


def load_module(path: Path, shown: str, schema: dict, vocab, today: dt.date) -> tuple[dict | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 0, "", f"cannot be read ({exc.strerror})")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(shown, 0, "", f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, raw[: exc.start].count(b"\n") + 1, "", "the file is not UTF-8 text; save it as UTF-8")]
    split = split_front_matter(text.replace("\r\n", "\n"))
    if split is None:
        return None, [Problem(shown, 1, "", "a module file must start with front matter between '---' lines")]
    fm_text, body, body_line = split
    try:
        loaded = parse(fm_text)
    except YamlError as exc:
        return None, [Problem(shown, exc.line + 1, "", exc.message)]
    loaded.lines = {k: v + 1 for k, v in loaded.lines.items()}
    meta = loaded.data
    if not isinstance(meta, dict):
        return None, [Problem(shown, 2, "", "the front matter must be a set of named fields (id:, title:, …)")]
    problems = schema_problems(meta, loaded, shown, _module_schema(schema))
    info, probs = scan_body(body, shown, body_line)
    problems += probs
    stem = path.name.rsplit(".", 2)[0]
    if meta.get("id") != stem:
        problems.append(Problem(shown, loaded.line(("id",)), "id", f"'{meta.get('id')}' must be the same as the file name ('{stem}')"))
    for i, f in enumerate(meta.get("fields") or []):
        if f not in vocab.by_field:
            problems.append(Problem(shown, loaded.line(("fields", i)), f"fields[{i}]", f"'{f}' is not a roadmap field (known: {', '.join(vocab.by_field)})"))
    sections = meta.get("sections") or []
    h2 = [hid for lv, hid in info["headings"] if lv == 2]
    if isinstance(sections, list) and all(isinstance(s, dict) for s in sections):
        ids = [s.get("id") for s in sections]
        if ids != h2:
            problems.append(Problem(shown, loaded.line(("sections",)), "sections",
                                    f"the section ids {ids} must be the '## ' heading ids in order: {h2}"))
        total = sum(s.get("minutes", 0) for s in sections if isinstance(s.get("minutes"), int))
        if isinstance(meta.get("minutes"), int) and total != meta["minutes"]:
            problems.append(Problem(shown, loaded.line(("minutes",)), "minutes",
                                    f"is {meta['minutes']} but the sections add up to {total}"))
    if info["exercises"] == 0:
        problems.append(Problem(shown, body_line, "", "a module needs at least one '!!! exercise' with a '??? solution'"))
    if not info["instructor"]:
        problems.append(Problem(shown, body_line, "", "a module needs instructor notes ('!!! instructor \"…\"')"))
    for i, s in enumerate(meta.get("sources") or []):
        acc = s.get("accessed") if isinstance(s, dict) else None
        if isinstance(acc, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", acc) and acc > today.isoformat():
            problems.append(Problem(shown, loaded.line(("sources", i, "accessed")), f"sources[{i}].accessed", f"{acc} is in the future"))
    return {"meta": meta, "body": body, "info": info, "loaded": loaded}, problems


def load_course(folder: Path, root: Path, vocab, today: dt.date) -> tuple[Course | None, list[Problem]]:
    rel = lambda p: p.resolve().relative_to(root.resolve()).as_posix()  # noqa: E731
    schema = load_schema()
    cfile = folder / "course.yml"
    shown = rel(cfile)
    loaded, problems = load_checked(cfile, shown, schema, "course.yml")
    if loaded is None or problems:
        return None, problems
    data = loaded.data
    if data["id"] != folder.name:
        problems.append(Problem(shown, loaded.line(("id",)), "id", f"'{data['id']}' must be the same as the folder name ('{folder.name}')"))
    for i, f in enumerate(data["fields"]):
        if f not in vocab.by_field:
            problems.append(Problem(shown, loaded.line(("fields", i)), f"fields[{i}]", f"'{f}' is not a roadmap field (known: {', '.join(vocab.by_field)})"))
    for key in ("prerequisites", "outcomes"):
        if len(data[key]["ja"]) != len(data[key]["en"]):
            problems.append(Problem(shown, loaded.line((key,)), key, "ja and en must have the same number of items"))
    mods = data["modules"]
    for s_i, sched in enumerate(data["schedules"]):
        listed = [m for sess in sched["sessions"] for m in sess["modules"]]
        if sorted(listed) != sorted(mods):
            problems.append(Problem(shown, loaded.line(("schedules", s_i)), f"schedules[{s_i}]",
                                    f"must list every module exactly once (missing: {sorted(set(mods) - set(listed))}, "
                                    f"extra or repeated: {sorted(m for m in set(listed) if listed.count(m) != 1 or m not in mods)})"))
    documented = {}
    data.setdefault("datasets", [])
    for ds in data["datasets"]:
        ds.setdefault("source", None)
        for col in ds["columns"]:
            col.setdefault("unit", None)
    for d_i, ds in enumerate(data["datasets"]):
        path = folder / ds["file"]
        documented[ds["file"]] = ds
        if not path.is_file():
            problems.append(Problem(shown, loaded.line(("datasets", d_i, "file")), f"datasets[{d_i}].file", f"{ds['file']} does not exist"))
            continue
        if not ds["fictional"] and not ds["source"]:
            problems.append(Problem(shown, loaded.line(("datasets", d_i)), f"datasets[{d_i}]", "real (non-fictional) data needs a source"))
        try:
            text = path.read_text(encoding="utf-8-sig")
            header = next(csv.reader(io.StringIO(text)))
            rows = list(csv.reader(io.StringIO(text)))[1:]
        except (UnicodeDecodeError, StopIteration, csv.Error) as exc:
            problems.append(Problem(rel(path), 1, "", f"is not a readable UTF-8 CSV file ({exc.__class__.__name__})"))
            continue
        names = [c["name"] for c in ds["columns"]]
        if header != names:
            problems.append(Problem(shown, loaded.line(("datasets", d_i, "columns")), f"datasets[{d_i}].columns",
                                    f"must document the CSV's columns in order: {header}"))
        if any(len(r) != len(header) for r in rows if r):
            problems.append(Problem(rel(path), 0, "", "every row must have as many values as the header"))
    data_dir = folder / "data"
    if data_dir.is_dir():
        for f in sorted(data_dir.iterdir()):
            if f"data/{f.name}" not in documented:
                problems.append(Problem(rel(f), 0, "", "this file is not documented in course.yml datasets"))
    modules: list[Module] = []
    expected_files = {f"{m}.{lang}.md" for m in mods for lang in LANGS} | {"course.yml"}
    for f in sorted(folder.iterdir()):
        if f.is_file() and f.name not in expected_files:
            problems.append(Problem(rel(f), 0, "", "this file is not a module listed in course.yml (modules:), or its name does not end in .ja.md / .en.md"))
    for m_id in mods:
        module = Module(id=m_id, course=data["id"], minutes=0, title={})
        per_lang = {}
        for lang in LANGS:
            path = folder / f"{m_id}.{lang}.md"
            mshown = rel(path) if path.exists() else f"{shown[:-len('course.yml')]}{m_id}.{lang}.md"
            if not path.is_file():
                problems.append(Problem(mshown, 0, "", f"is missing: every module in course.yml needs a .{lang}.md file"))
                continue
            res, probs = load_module(path, mshown, schema, vocab, today)
            problems += probs
            if res is None:
                continue
            per_lang[lang] = (res, mshown)
            meta = res["meta"]
            module.meta[lang] = meta
            module.body[lang] = res["body"]
            module.files[lang] = mshown
            module.title[lang] = meta.get("title", m_id)
            module.heading_titles[lang] = res["info"]["titles"]
            for ds in meta.get("datasets") or []:
                if ds not in documented:
                    problems.append(Problem(mshown, res["loaded"].line(("datasets",)), "datasets", f"{ds} is not documented in course.yml datasets"))
        if len(per_lang) == 2:
            (ja, ja_file), (en, en_file) = per_lang["ja"], per_lang["en"]
            if ja["info"]["headings"] != en["info"]["headings"]:
                problems.append(Problem(en_file, 0, "", f"heading ids must be identical to {ja_file} in the same order "
                                        f"(ja: {[h for _, h in ja['info']['headings']]}, en: {[h for _, h in en['info']['headings']]})"))
            for key in ("minutes", "sections", "datasets", "fields"):
                if ja["meta"].get(key) != en["meta"].get(key):
                    problems.append(Problem(en_file, en["loaded"].line((key,)), key, f"must be the same as in {ja_file}"))
            if ja["info"]["exercises"] != en["info"]["exercises"]:
                problems.append(Problem(en_file, 0, "", f"has {en['info']['exercises']} exercises but {ja_file} has {ja['info']['exercises']}"))
            module.minutes = ja["meta"].get("minutes", 0)
            module.fields = list(ja["meta"].get("fields") or [])
            module.datasets = list(ja["meta"].get("datasets") or [])
            module.sections = list(ja["meta"].get("sections") or [])
            module.headings = ja["info"]["headings"]
            module.exercises = ja["info"]["exercises"]
        modules.append(module)
    if problems:
        return None, problems
    return Course(id=data["id"], data=data, modules=modules, file=shown, folder=folder), []


def load_courses(courses_dir: Path, site, today: dt.date | None = None) -> tuple[list[Course], list[Problem]]:
    today = today or dt.date.today()
    if not courses_dir.is_dir():
        return [], []
    courses, problems = [], []
    root = site.root
    for folder in sorted(courses_dir.iterdir()):
        if folder.name.startswith(".") or folder.name.lower() == "readme.md":
            continue
        if not folder.is_dir():
            problems.append(Problem(folder.relative_to(root).as_posix(), 0, "", "only course folders belong in courses/"))
            continue
        course, probs = load_course(folder, root, site.vocab, today)
        problems += probs
        if course is not None:
            courses.append(course)
    return courses, problems
