"""Hook: replace ``<!-- riot:NAME -->`` markers in hand-written pages.

Each marker is rendered by the core from ``regiot/templates/snippets/NAME.md.j2``
in the page's language. An unknown marker fails the build.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from regiot.hookstate import STATE
from regiot.render import TEMPLATES

MARKER = re.compile(r"<!--\s*riot:([a-z0-9-]+)\s*-->")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    lang = getattr(page.file, "locale", None) or "ja"
    src = getattr(page.file, "norm_src_uri", page.file.src_uri)

    def replace(m: re.Match) -> str:
        name = m.group(1)
        if not (TEMPLATES / "snippets" / f"{name}.md.j2").is_file():
            raise Abort(f"{page.file.src_uri}: unknown marker <!-- riot:{name} -->")
        return STATE.renderer.snippet(name, src, lang)

    return MARKER.sub(replace, markdown)
