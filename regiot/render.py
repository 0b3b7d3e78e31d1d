"""Render the site's data to Markdown pages through Jinja templates.

Generated pages are Markdown so that MkDocs builds their headings, table of
contents and anchors; everything that comes from a contributor's file is
written into HTML blocks and escaped by Jinja's autoescape, so no contributor
text is ever interpreted as Markdown, HTML or a template.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import parallel
from .site import LANGS, Site, page_url, rel, tr

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _paragraphs(text: str) -> Markup:
    """Plain text -> <p> elements, one per blank-line-separated paragraph, one line each."""
    paras = [" ".join(p.split()) for p in str(text).split("\n\n")]
    return Markup("").join(Markup("<p>{}</p>").format(p) for p in paras if p)


def _fm(value: Any) -> Markup:
    """A value for YAML front matter: a JSON string is a valid YAML scalar."""
    return Markup(json.dumps(str(value), ensure_ascii=False))


def make_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["t"] = tr
    env.filters["paras"] = _paragraphs
    env.filters["fm"] = _fm
    return env


MAP_LEGEND = [(0, "0"), (1, "1"), (2, "2"), (3, "3–4"), (4, "5+")]


def map_level(n: int) -> int:
    """Colour class of a prefecture on the map by its number of cases."""
    return 0 if n == 0 else 1 if n == 1 else 2 if n == 2 else 3 if n <= 4 else 4


def suffix(lang: str) -> str:
    return "" if lang == "ja" else f".{lang}"


class Renderer:
    """Renders every generated page of a :class:`Site`."""

    def __init__(self, site: Site, site_url: str = ""):
        self.site = site
        self.site_url = site_url
        site.site_url = (site_url or "/").rstrip("/") + "/"
        self.env = make_env()

    def _render(self, template: str, src: str, lang: str, **ctx: Any) -> str:
        url = page_url(src)

        def link(to: str) -> str:
            return rel(url, to)

        def shared(to: str) -> str:
            """Link to a file published once for both languages (under the Japanese root)."""
            return rel(url, to) if lang == "ja" else rel(url, "") + "../" + to

        return self.env.get_template(template).render(
            site=self.site, lang=lang, S=self.site.strings[lang], link=link, shared=shared, url=url,
            vocab=self.site.vocab, **ctx)

    def pages(self) -> dict[str, str]:
        """All generated pages: {source path with language suffix: Markdown}.

        The pages are rendered in groups (one per case page, one per section),
        shared between two processes when the corpus is large (regiot.parallel).
        """
        if self.site.cases:
            self.site.related(self.site.cases[0])  # builds the related-cases index before the work is shared
        tasks: list[Callable[[], dict[str, str]]] = []
        for lang in LANGS:
            tasks += self._section_tasks(lang)
            for case in self.site.cases:
                tasks.append(functools.partial(self._case_page, case, lang))
        out: dict[str, str] = {}
        for group in parallel.run(tasks):
            out.update(group)
        return out

    def plan(self) -> tuple[dict[str, str], dict[str, Callable[[], str]]]:
        """The generated pages for a build: the section pages and data files rendered now,
        and the case pages as functions that render one when it is needed.

        A build reads each page once, so case pages need not all be held in memory at
        once (with 3,000 cases their Markdown is about 130 MB), and when the languages
        are built in two processes each renders only its own. ``pages()`` renders the
        same pages (tests/test_parallel.py compares them).
        """
        if self.site.cases:
            self.site.related(self.site.cases[0])  # built once, before a second process is forked
        # With many cases the section pages take seconds: each language's on one core
        # (parallel.run gives every other task to a second process: here the English ones).
        by_lang = [self._section_tasks(lang) for lang in LANGS]
        tasks = [task for same in zip(*by_lang, strict=True) for task in same]
        share = len(self.site.cases) >= parallel.MIN_TASKS
        results = parallel.run(tasks, min_tasks=1 if share else len(tasks) + 1)
        now: dict[str, str] = {}
        for i in range(len(LANGS)):  # in the order of one language after the other
            for group in results[i::len(LANGS)]:
                now.update(group)
        later = {f"cases/{case['id']}{suffix(lang)}.md": functools.partial(self._case_markdown, case, lang)
                 for lang in LANGS for case in self.site.cases}
        return now, later

    def _section_tasks(self, lang: str) -> list[Callable[[], dict[str, str]]]:
        sfx = suffix(lang)
        return [functools.partial(self._one, f"cases/index{sfx}.md", "case_index.md.j2", "cases/index.md", lang),
                functools.partial(self.analysis_pages, lang), functools.partial(self.course_pages, lang),
                functools.partial(self.data_pages, lang)]

    def _one(self, key: str, template: str, src: str, lang: str) -> dict[str, str]:
        return {key: self._render(template, src, lang)}

    def _case_page(self, case: dict, lang: str) -> dict[str, str]:
        return {f"cases/{case['id']}{suffix(lang)}.md": self._case_markdown(case, lang)}

    def _case_markdown(self, case: dict, lang: str) -> str:
        return self._render("case.md.j2", f"cases/{case['id']}.md", lang, case=case, related=self.site.related(case))

    def analysis_pages(self, lang: str) -> dict[str, str]:
        """Fields, regions, awards and implementation-status pages."""
        from . import stats

        site, v, sfx = self.site, self.site.vocab, suffix(lang)
        out: dict[str, str] = {}
        S = site.strings[lang]
        field_counts = {f["id"]: sum(1 for c in site.cases if f["id"] in c["fields"]) for f in v.fields}
        out[f"fields/index{sfx}.md"] = self._render("fields_index.md.j2", "fields/index.md", lang, counts=field_counts)
        for f in v.fields:
            cases = sorted((c for c in site.cases if f["id"] in c["fields"]),
                           key=lambda c: (c["fields"][0] != f["id"], c["location"]["prefectures"][0], c["id"]))
            out[f"fields/{f['id']}{sfx}.md"] = self._render(
                "field.md.j2", f"fields/{f['id']}.md", lang, field=f, cases=cases,
                roadmap=site.roadmap.get(f["id"]), courses=site.courses_for_field(f["id"]))
        pref_counts = {p["code"]: sum(1 for c in site.cases if c["location"]["prefectures"][0] == p["code"])
                       for p in v.prefectures}
        out[f"regions/index{sfx}.md"] = self._render(
            "regions_index.md.j2", "regions/index.md", lang, counts=pref_counts, level=map_level,
            legend=[(lv, label) for lv, label in MAP_LEGEND])
        for p in v.prefectures:
            block = v.by_block[p["block"]]
            cases = [c for c in site.cases if p["code"] in c["location"]["prefectures"]]
            cases.sort(key=lambda c: (c["location"]["prefectures"][0] != p["code"], c["id"]))
            in_pref = {c["id"] for c in cases}
            block_cases = [c for c in site.cases if c["id"] not in in_pref and site.block_of(c)["id"] == block["id"]]
            out[f"regions/{p['code']}{sfx}.md"] = self._render(
                "region.md.j2", f"regions/{p['code']}.md", lang, pref=p, block=block, cases=cases,
                block_cases=block_cases)
        programmes = []
        for prog in v.awards:
            editions = []
            for ed in prog["editions"]:
                winners = [(v.prize(prog["id"], ed["year"], a["prize"]), c) for c in site.cases
                           for a in c["awards"] if a["programme"] == prog["id"] and a["year"] == ed["year"]]
                if winners:
                    editions.append((ed, winners))
            if editions:
                programmes.append((prog, sorted(editions, key=lambda e: -e[0]["year"])))
        out[f"awards/index{sfx}.md"] = self._render("awards.md.j2", "awards/index.md", lang, programmes=programmes)
        st = stats.status(site)
        out[f"status/index{sfx}.md"] = self._render(
            "status.md.j2", "status/index.md", lang, st=st, gaps=stats.gaps(site, st),
            stage_rows=[(S["stages"][k], n) for k, n in st["by_stage"]],
            funding_rows=[(tr(v.by_funding[k], lang), n) for k, n in st["by_funding"] if n],
            tech_rows=[(tr(v.by_tech[k], lang), n) for k, n in st["by_tech"] if n])
        return out

    def data_pages(self, lang: str) -> dict[str, str]:
        """The open-data page and files, and the Atom feed of new cases."""
        from . import exports

        sfx = suffix(lang)
        base = self.site.site_url + ("" if lang == "ja" else f"{lang}/")
        entries = exports.feed_entries(self.site)
        out = {
            f"data/index{sfx}.md": self._render("data.md.j2", "data/index.md", lang, columns=exports.csv_columns(lang)),
            f"feed{sfx}.xml": self._render("atom.xml.j2", "feed.xml", lang, base=base, entries=entries,
                                           updated=max((c["added"] for c in entries), default="2026-01-01")),
        }
        if lang == "ja":
            root = self.site.root
            out["data/cases.json"] = exports.cases_json(self.site)
            out["data/cases.csv"] = exports.cases_csv(self.site)
            out["data/case.schema.json"] = (root / "schema" / "case.schema.json").read_text(encoding="utf-8")
            out["data/course.schema.json"] = (root / "schema" / "course.schema.json").read_text(encoding="utf-8")
        return out

    def qr(self, url: str, lang: str) -> tuple[str, Markup]:
        """Absolute URL of a page and an inline SVG QR code of it."""
        import segno

        base = (self.site_url or "/").rstrip("/") + "/"
        full = base + ("" if lang == "ja" else f"{lang}/") + url
        svg = segno.make(full, error="m").svg_inline(scale=3, border=2, dark="#000", light="#fff")
        return full, Markup(svg)

    def course_pages(self, lang: str) -> dict[str, str]:
        site, sfx = self.site, suffix(lang)
        out: dict[str, str] = {}
        out[f"courses/index{sfx}.md"] = self._render("courses_index.md.j2", "courses/index.md", lang)
        for course in site.courses:
            src = f"courses/{course.id}/index.md"
            qr_url, qr_svg = self.qr(page_url(src), lang)
            out[f"courses/{course.id}/index{sfx}.md"] = self._render(
                "course.md.j2", src, lang, course=course, qr_url=qr_url, qr_svg=qr_svg)
            for i, mod in enumerate(course.modules):
                msrc = f"courses/{course.id}/{mod.id}.md"
                qr_url, qr_svg = self.qr(page_url(msrc), lang)
                related = [c for c in site.cases if set(c["fields"]) & set(mod.fields or course.fields)]
                related.sort(key=lambda c: (-len(set(c["fields"]) & set(mod.fields or course.fields)), c["id"]))
                out[f"courses/{course.id}/{mod.id}{sfx}.md"] = self._render(
                    "module.md.j2", msrc, lang, course=course, module=mod, index=i + 1,
                    prev=course.modules[i - 1] if i else None,
                    next=course.modules[i + 1] if i + 1 < len(course.modules) else None,
                    body=Markup(mod.body[lang]), related=related[:6], qr_url=qr_url, qr_svg=qr_svg)
            for ds in course.data["datasets"]:  # downloadable under both languages' URLs
                stem = ds["file"][: -len(".csv")]
                out[f"courses/{course.id}/{stem}{sfx}.csv"] = (course.folder / ds["file"]).read_text(encoding="utf-8-sig")
        return out

    def edit_sources(self) -> dict[str, str]:
        """Which data file each generated page comes from (for 'edit this page')."""
        out = {}
        for case in self.site.cases:
            for lang in LANGS:
                out[f"cases/{case['id']}{suffix(lang)}.md"] = case["_file"]
        for course in self.site.courses:
            for lang in LANGS:
                out[f"courses/{course.id}/index{suffix(lang)}.md"] = course.file
                for mod in course.modules:
                    out[f"courses/{course.id}/{mod.id}{suffix(lang)}.md"] = mod.files[lang]
        return out

    def snippet(self, name: str, src: str, lang: str) -> str:
        """A fragment for a marker ``<!-- riot:NAME -->`` in a hand-written page."""
        return self._render(f"snippets/{name}.md.j2", src, lang)
