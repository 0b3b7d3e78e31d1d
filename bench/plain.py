"""The same pages as plain Markdown, for stock MkDocs-Material (the baseline of bench/build.py).

``write_plain_project(project, dest, search=True)`` loads the project's data with
the core (``regiot.site.load_site`` + ``regiot.render.Renderer(...).pages()``),
writes every generated page and the hand-written pages (markers resolved) into
a plain ``docs/`` tree — Japanese at the root, English under ``en/`` — and a
``mkdocs.yml`` for the stock Material theme: no hooks, no i18n plugin, no
theme overrides, the same Markdown extensions but this site's own
(``regiot.mdhtml``, whose markers are taken out of the pages: stock Markdown
parses every HTML block), and Material's own search (lunr in the browser) when
``search`` is true.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from regiot import mdhtml  # noqa: E402

MARKER = re.compile(r"<!--\s*riot:([a-z0-9-]+)\s*-->")
HTML_MARKS = re.compile(rf"^(?:{re.escape(mdhtml.OPEN)}|{re.escape(mdhtml.CLOSE)})\n", re.M)  # the marker lines
OWN_EXTENSION = re.compile(r"^\s*- regiot\..*\n", re.M)
DROP_KEYS = ("hooks", "plugins", "extra_javascript", "watch", "validation", "strict", "extra")


def _top_level_blocks(text: str) -> list[tuple[str, str]]:
    """[(key, block text)] of a YAML file's top-level entries (comments go with the next key)."""
    blocks: list[tuple[str, str]] = []
    key, buf = "", []
    for line in text.splitlines(keepends=True):
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*):", line)
        if m:
            blocks.append((key, "".join(buf)))
            key, buf = m.group(1), []
        buf.append(line)
    blocks.append((key, "".join(buf)))
    return blocks


def plain_config(project: Path, search: bool) -> str:
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    out = []
    for key, block in _top_level_blocks(text):
        if key in DROP_KEYS:
            continue
        block = block.replace("  custom_dir: overrides\n", "")
        if key == "markdown_extensions":
            block = OWN_EXTENSION.sub("", block)
        out.append(block)
    out.append("strict: false\n")
    out.append("plugins:\n  - search:\n      lang: [ja, en]\n" if search else "plugins: []\n")
    return "".join(out)


def _dest(src: str) -> str:
    """cases/x.en.md -> en/cases/x.md; feed.en.xml -> en/feed.xml; cases/x.md stays."""
    m = re.match(r"^(.*)\.en\.([a-z0-9]+)$", src)
    return f"en/{m.group(1)}.{m.group(2)}" if m else src


def write_plain_project(project: Path, dest: Path, search: bool = True) -> Path:
    from regiot.render import Renderer
    from regiot.site import load_site

    project, dest = Path(project), Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    site = load_site(project)
    renderer = Renderer(site, "http://127.0.0.1:8000/")
    for src, content in renderer.pages().items():
        out = docs / _dest(src)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(HTML_MARKS.sub("", content), encoding="utf-8")
    for f in (project / "docs").rglob("*"):
        rel = f.relative_to(project / "docs").as_posix()
        if f.is_dir():
            continue
        out = docs / _dest(rel)
        out.parent.mkdir(parents=True, exist_ok=True)
        if f.suffix == ".md":
            lang = "en" if rel.endswith(".en.md") else "ja"
            src = re.sub(r"\.en\.md$", ".md", rel)
            text = f.read_text(encoding="utf-8")
            text = MARKER.sub(lambda m, src=src, lang=lang: renderer.snippet(m.group(1), src, lang), text)
            out.write_text(text, encoding="utf-8")
        else:
            shutil.copy2(f, out)
    (dest / "mkdocs.yml").write_text(plain_config(project, search), encoding="utf-8")
    return dest
