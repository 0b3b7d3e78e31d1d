"""Markdown extension: HTML blocks marked by the page templates pass through whole.

Generated pages (a case, a field, the case list …) are Markdown for their
headings, table of contents and anchors, but most of what they hold is HTML
that the templates write (regiot/templates/). Python-Markdown (``md_in_html``)
and MkDocs (to collect anchor ids) each parse every tag of such HTML blocks
with ``html.parser``: at 3,000 cases that was about a third of the build's time.

A block written between two lines ::

    <!-- riot-html -->
    <div class="riot-facts">…</div>
    <!-- /riot-html -->

is put into Markdown's HTML stash as it stands, as ``md_in_html`` would put a
raw HTML block, and comes out of the page unchanged, without being parsed.
What is between the lines must be complete, block-level HTML (its first tag a
block element such as ``div``, ``p``, ``ol``, ``h1``): Markdown in it is not
processed and its ids are not seen by MkDocs's anchor validation. A line that
opens a block without a closing line is left as it is (an HTML comment).

Use in mkdocs.yml: ``markdown_extensions: [regiot.mdhtml]``. Pure Python-Markdown;
nothing from MkDocs.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

OPEN = "<!-- riot-html -->"
CLOSE = "<!-- /riot-html -->"
# after code blocks are set aside (superfences, 25), before MkDocs (21) and md_in_html (20) read raw HTML
PRIORITY = 22


class HtmlBlocks(Preprocessor):
    """Stash each marked HTML block whole; count them in ``md.riot_html_blocks``."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        block: list[str] | None = None
        count = 0
        for line in lines:
            if block is None:
                if line == OPEN:
                    block = []
                else:
                    out.append(line)
            elif line == CLOSE:
                out += ["", self.md.htmlStash.store("\n".join(block)), ""]
                count += 1
                block = None
            else:
                block.append(line)
        if block is not None:  # never closed: left to Markdown as it was written
            out += [OPEN, *block]
        self.md.riot_html_blocks = count  # type: ignore[attr-defined]
        return out


class HtmlBlocksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.register(HtmlBlocks(md), "riot_html_blocks", PRIORITY)


def makeExtension(**kwargs) -> HtmlBlocksExtension:  # noqa: N802 (Python-Markdown's entry point)
    return HtmlBlocksExtension(**kwargs)
