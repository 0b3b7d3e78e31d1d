"""regiot.mdhtml: HTML blocks marked by the templates pass through Markdown whole and unchanged."""

from __future__ import annotations

import re

import markdown

from conftest import make_project
from regiot import mdhtml

# the Markdown extensions of mkdocs.yml, without and with regiot.mdhtml
EXTENSIONS = ["toc", "attr_list", "md_in_html", "admonition", "def_list", "footnotes", "tables",
              "pymdownx.details", "pymdownx.superfences"]
FENCES = re.compile(r"^<!-- /?riot-html -->\n", re.M)


def convert(text: str, fences: bool = True) -> tuple[str, markdown.Markdown]:
    md = markdown.Markdown(extensions=EXTENSIONS + (["regiot.mdhtml"] if fences else []))
    return md.convert(text), md


def lines(html: str) -> list[str]:
    return [ln for ln in html.splitlines() if ln.strip()]


def test_a_marked_block_comes_out_as_it_was_written():
    block = '<div class="x" id="a">\n<p>one *not emphasis*</p>\n\n<p>two &amp; <b>three</b></p>\n</div>'
    html, md = convert(f"# Title\n\n{mdhtml.OPEN}\n{block}\n{mdhtml.CLOSE}\n\nSome *text*.\n")
    assert block in html  # unchanged, the blank line inside it too, and no Markdown inside it
    assert "<em>text</em>" in html and md.riot_html_blocks == 1


def test_markers_in_code_and_unclosed_markers_are_left_alone():
    code = f"```html\n{mdhtml.OPEN}\n<div>x</div>\n{mdhtml.CLOSE}\n```\n"
    html, md = convert(code)
    assert "&lt;!-- riot-html --&gt;" in html and md.riot_html_blocks == 0
    html, md = convert(f"{mdhtml.OPEN}\n<div>*x*</div>\n\nText\n")
    assert md.riot_html_blocks == 0 and "<div>*x*</div>" in html and "<p>Text</p>" in html


def test_generated_pages_render_as_without_the_markers(tmp_path):
    """Every generated page gives the same HTML with the extension as md_in_html gives
    (but for blank lines), and a case page's HTML blocks are all marked (none left to parse)."""
    from regiot.render import Renderer
    from regiot.site import load_site

    site = load_site(make_project(tmp_path / "p"))
    pages = {src: text for src, text in Renderer(site, "https://example.org/").pages().items() if src.endswith(".md")}
    marked = 0
    for src, text in pages.items():
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        fast, md = convert(body)
        slow, _ = convert(FENCES.sub("", body), fences=False)
        assert lines(fast) == lines(slow), src
        marked += md.riot_html_blocks
        if src.startswith("cases/") and not src.startswith("cases/index"):
            assert md.riot_html_blocks and md.htmlStash.html_counter == md.riot_html_blocks, src
    assert marked > 10 * len(site.cases)


def test_the_site_uses_the_extension():
    import yaml

    from conftest import ROOT

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert "regiot.mdhtml" in names
