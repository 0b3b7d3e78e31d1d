"""Render the site's data to Markdown pages through Jinja templates.

Generated pages are Markdown so that MkDocs builds their headings, table of
contents and anchors; everything that comes from a contributor's file is
written into HTML blocks and escaped by Jinja's autoescape, so no contributor
text is ever interpreted as Markdown, HTML or a template.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

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


def suffix(lang: str) -> str:
    return "" if lang == "ja" else f".{lang}"


class Renderer:
    """Renders every generated page of a :class:`Site`."""

    def __init__(self, site: Site, site_url: str = ""):
        self.site = site
        self.site_url = site_url
        self.env = make_env()

    def _render(self, template: str, src: str, lang: str, **ctx: Any) -> str:
        url = page_url(src)

        def link(to: str) -> str:
            return rel(url, to)

        return self.env.get_template(template).render(
            site=self.site, lang=lang, S=self.site.strings[lang], link=link, url=url,
            vocab=self.site.vocab, **ctx)

    def pages(self) -> dict[str, str]:
        """All generated pages: {source path with language suffix: Markdown}."""
        out: dict[str, str] = {}
        for lang in LANGS:
            sfx = suffix(lang)
            out[f"cases/index{sfx}.md"] = self._render("case_index.md.j2", "cases/index.md", lang)
            for case in self.site.cases:
                src = f"cases/{case['id']}.md"
                out[f"cases/{case['id']}{sfx}.md"] = self._render(
                    "case.md.j2", src, lang, case=case, related=self.site.related(case))
        return out

    def edit_sources(self) -> dict[str, str]:
        """Which data file each generated page comes from (for 'edit this page')."""
        out = {}
        for case in self.site.cases:
            for lang in LANGS:
                out[f"cases/{case['id']}{suffix(lang)}.md"] = case["_file"]
        return out

    def snippet(self, name: str, src: str, lang: str) -> str:
        """A fragment for a marker ``<!-- riot:NAME -->`` in a hand-written page."""
        return self._render(f"snippets/{name}.md.j2", src, lang)
