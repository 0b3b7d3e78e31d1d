"""Hook: let go of each page's Markdown and HTML as soon as the page is written.

MkDocs converts every page of a language before it renders the first one and
keeps them all to the end; mkdocs-static-i18n builds English while the Japanese
build is still on the stack. Nothing reads a page's ``markdown`` or ``content``
after its own template has been rendered, so dropping them here keeps the
build's memory to about one language's converted pages (see bench/build.py).
"""

from __future__ import annotations

from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page


@event_priority(-1000)  # the last on_post_page: the template has been rendered, the output is in hand
def on_post_page(output: str, page: Page, config) -> str:
    page.content = None
    page.markdown = ""  # not None: Page.title reads None as "not read yet", and later pages' navigation needs the title
    return output
