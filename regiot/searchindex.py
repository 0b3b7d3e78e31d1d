"""Building the site's Pagefind bundles from the built HTML (plain Python, no MkDocs).

One bundle per language: ``pagefind/`` for the Japanese pages (with the terms
bundle ``pagefind/terms-ja/`` inside it) and ``<lang>/pagefind/`` for each other
language, so a page loads only its own language's index.

Memory. Pagefind 1.5.2 keeps every page it indexes in memory and, while it
builds the index, a word map of its own for each page: one run peaks at about
0.17 MB a page (English), or 290 MB for the Japanese dictionary plus 0.26 MB a
page (3,100 Japanese pages: 1.1 GB). So the bundles are built one Pagefind run at
a time, once every language is written, and a language with more pages than
``part_pages(lang)`` is indexed in parts, one run after the other, which
regiot/pagefindmerge.py merges into one bundle. The browser cannot tell: one
index chunk a query word, and ranking with the whole language's statistics.
Pages are dealt to the parts in turn (every n-th page).

Time. Pagefind reads copies of the indexed pages that hooks/search.py writes as
the build writes each page (``.riot-search/``, removed once indexed): the page's
head and article only (search_copy), a third of the bytes, which Pagefind parses
in 15 % less time and indexes the same way. The terms index is read from the
same copies. A merge (plain Python, one core) runs while the next Pagefind run
goes on, since a run leaves the second core idle much of the time (_run_steps).

Measured at 3,000 cases (docs/maintainers.md has the figures): Japanese in three
parts of about 1,030 pages peaks at about 560 MB a run, and the merge takes about
3 s; English (3,100 pages) in one run at about 540 MB.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .pagefindmerge import MergeError, merge
from .search import TERMS_LANGS, terms_page, terms_records

# Pages a Pagefind run indexes at most, so that a run stays under about 650 MB:
# languages the extended binary segments with a dictionary (about 290 MB) ...
SEGMENTED = ("ja", "zh")
SEGMENTED_PART_PAGES = 1200  # 290 + 0.26 × 1,200 ≈ 600 MB
PART_PAGES = 3500  # ... and the others: 0.17 × 3,500 ≈ 600 MB


def part_pages(lang: str) -> int:
    """The most pages one Pagefind run indexes for ``lang`` (RIOT_SEARCH_PART_PAGES overrides)."""
    override = os.environ.get("RIOT_SEARCH_PART_PAGES")
    if override:
        return int(override)
    return SEGMENTED_PART_PAGES if lang.split("-")[0] in SEGMENTED else PART_PAGES

# Parts of the content area that are not the page's own content: permalink anchors,
# the edit button, links to PDFs, the case finder's form, and lists and tables of
# other cases (each case is found on its own page; "related cases" or an award's
# winners would make a page match every title it lists, and make it heavy to load).
EXCLUDE = ", ".join([".headerlink", ".md-content__button", ".md-source-file", ".riot-pdf-links", ".riot-reviewed",
                     ".riot-finder", ".riot-case-table", ".riot-case-list", ".riot-related", ".riot-winners"])
# The indexed pages as Pagefind needs them (see search_copy), written as the build writes
# each page, at their paths in the site: <site>/.riot-search/, <site>/.riot-search/en/ ...
STAGE = ".riot-search"
_TAG = re.compile(r"<([a-z]+)\b")

# Pagefind's ready-made interfaces, which this site does not use (search.js does).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
# The terms bundle uses the main bundle's code and WebAssembly: keep only its data.
DATA_KEEP = ("pagefind-entry.json", "index", "fragment", "filter")


class SearchIndexError(Exception):
    """Pagefind failed; the message holds its output."""


def pagefind_binary() -> list[str]:
    """The extended (Japanese-segmenting) Pagefind binary installed from PyPI."""
    try:
        from pagefind.service import get_executable

        exe = get_executable()
        if exe is not None:
            return [str(exe)]
    except ImportError:
        pass
    return [sys.executable, "-m", "pagefind"]


def _log_lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip() and "stemming" not in ln and "root words" not in ln]


def _clean_bundle(bundle: Path) -> None:
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)


def search_copy(html: str) -> str | None:
    """What Pagefind reads of a page: ``None`` when nothing of it is indexed (no
    ``data-pagefind-body``); otherwise its head and the element with
    ``data-pagefind-body`` alone, without the navigation around it: a third of the
    bytes, the same index (tests/test_searchmerge.py), and 15 % less time for
    Pagefind (measured on 1,034 pages). The whole page when there are Pagefind
    attributes outside that element, or when its end cannot be found.
    """
    at = html.find(" data-pagefind-body")
    start = html.rfind("<", 0, at) if at >= 0 else -1
    found = _TAG.match(html, start) if start >= 0 else None
    if found is None:
        return None
    tag_pattern = re.compile(rf"<(/?){found.group(1)}\b")
    depth, end = 0, -1
    for m in tag_pattern.finditer(html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            close = html.find(">", m.end())
            end = close + 1 if close >= 0 else -1
            break
    body = html.find("<body")
    body_end = html.find(">", body) + 1 if body >= 0 else 0
    if end <= 0 or not 0 < body_end <= start:
        return html
    if html.find("data-pagefind", body_end, start) >= 0 or html.find("data-pagefind", end) >= 0:
        return html
    return html[:body_end] + html[start:end] + "</body></html>\n"


def indexed_pages(root: Path, skip: tuple[str, ...] = (), marked: bool = False) -> list[Path]:
    """The pages under ``root`` that Pagefind indexes (those with ``data-pagefind-body``), sorted.

    Only these go into the parts: Pagefind indexes the whole body of every page when
    none of its input marks a body, so a part must never be given pages without one.
    ``marked``: every page under ``root`` has one (the staged copies), no need to read them.
    """
    out = []
    for page in sorted(root.rglob("*.html")):
        rel = page.relative_to(root)
        if rel.parts[0] in skip or rel.parts[0].startswith("."):
            continue
        if marked:
            out.append(page)
            continue
        with open(page, encoding="utf-8", errors="replace") as f:
            if "data-pagefind-body" in f.read():
                out.append(page)
    return out


def split(pages: list[Path], part_pages: int) -> list[list[Path]]:
    """Deal the pages into as few parts of at most ``part_pages`` as needed, every n-th page to a part."""
    n = max(1, -(-len(pages) // max(1, part_pages)))
    return [pages[i::n] for i in range(n)]


def _link_tree(pages: list[Path], root: Path, stage: Path) -> None:
    """``stage`` holding the pages at their paths under ``root`` (hard links, or copies)."""
    for page in pages:
        dest = stage / page.relative_to(root)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, dest)
        except OSError:
            shutil.copyfile(page, dest)


class _Run:
    """One Pagefind run in its own process: started at once, waited for with :meth:`wait`.

    ``cleanup`` removes its input once it has ended, whether it succeeded or not.
    """

    def __init__(self, args: list[str], what: str, cleanup: Callable[[], None] | None = None) -> None:
        self.what, self.cleanup = what, cleanup
        try:
            self.proc = subprocess.Popen(pagefind_binary() + args, stdout=subprocess.PIPE,
                                         stderr=subprocess.STDOUT, text=True)
        except BaseException:
            if cleanup is not None:
                cleanup()
            raise

    def wait(self) -> list[str]:
        try:
            out, _ = self.proc.communicate()
        finally:
            if self.cleanup is not None:
                self.cleanup()
        if self.proc.returncode != 0:
            raise SearchIndexError(f"Pagefind failed to index {self.what}:\n{out}")
        return _log_lines(out)

    def stop(self) -> None:
        """End the run early (something else failed)."""
        self.proc.kill()
        try:
            self.wait()
        except SearchIndexError:
            pass


def _start(pages: list[Path], root: Path, out: Path, what: str) -> _Run:
    """A Pagefind run over ``pages`` (staged at their paths under ``root``) into the bundle ``out``."""
    # among the pages (hard links need the same file system), in a dot-folder indexed_pages skips
    stage = Path(tempfile.mkdtemp(prefix=".riot-index-", dir=root))
    try:
        _link_tree(pages, root, stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return _Run(["--site", str(stage), "--output-path", str(out), "--exclude-selectors", EXCLUDE, "--quiet"],
                what, cleanup=lambda: shutil.rmtree(stage, ignore_errors=True))


def _index(pages: list[Path], root: Path, out: Path, what: str) -> list[str]:
    """One Pagefind run over ``pages`` (under ``root``) into the bundle ``out``, waited for."""
    return _start(pages, root, out, what).wait()


# A step of the indexing: a function that starts a Pagefind run, and what finishes the
# bundle once that run has ended (merging its parts, or keeping its data), or None.
Step = tuple[Callable[[], _Run], Callable[[], list[str]] | None]


def _bundle_steps(root: Path, skip: tuple[str, ...], part_pages: int, stage: Path | None, tmp: Path) -> list[Step]:
    """The runs that index the pages under ``root`` (not those in the folders ``skip``) into
    ``root/pagefind/``, reading them from ``stage`` when the build staged them there (see
    search_copy): one run, or one a part and a merge of the parts (see the module's docstring)."""
    root = Path(root)
    bundle = root / "pagefind"
    shutil.rmtree(bundle, ignore_errors=True)
    staged = stage is not None and Path(stage).is_dir()
    source = Path(stage) if staged else root
    parts = split(indexed_pages(source, skip + ("pagefind",), marked=staged), part_pages)
    if len(parts) == 1:
        return [(functools.partial(_start, parts[0], source, bundle, str(root)), lambda: _clean_bundle(bundle) or [])]
    outs = [Path(tempfile.mkdtemp(prefix="part-", dir=tmp)) / "bundle" for _ in parts]

    def finish() -> list[str]:
        try:
            merged = merge(outs, bundle)
        except MergeError as exc:
            raise SearchIndexError(f"Merging the parts of the search index of {root} failed: {exc}") from None
        _clean_bundle(bundle)
        for out in outs:
            shutil.rmtree(out.parent, ignore_errors=True)
        return [f"{merged['pages']} pages indexed in {len(parts)} parts of at most {part_pages}, "
                f"merged into one index ({merged['words']} words, {merged['chunks']} chunks)"]

    return [(functools.partial(_start, pages, source, out, f"{root} (part {i + 1} of {len(parts)})"),
             finish if i == len(parts) - 1 else None)
            for i, (pages, out) in enumerate(zip(parts, outs, strict=True))]


def _run_steps(steps: list[Step]) -> list[str]:
    """The steps' Pagefind runs one after the other; what finishes a bundle (a merge: plain
    Python on one core) runs while the next run goes on, and a run leaves a core idle much of
    the time (a merge beside the next run: 2.7 s less at 3,000 cases). Only one Pagefind run at
    a time, for memory (see the module's docstring)."""
    lines: list[str] = []
    pending: Callable[[], list[str]] | None = None
    for start, finish in steps:
        run = start()
        try:
            if pending is not None:
                lines += pending()
                pending = None
        except BaseException:
            run.stop()
            raise
        lines += run.wait()
        pending = finish
    if pending is not None:
        lines += pending()
    return lines


def index_bundle(root: Path, skip: tuple[str, ...] = (), part_pages: int = PART_PAGES,
                 stage: Path | None = None) -> list[str]:
    """Index the pages under ``root`` (not those in the folders ``skip``) into ``root/pagefind/``,
    reading them from ``stage`` when the build staged them there; with more than
    ``part_pages`` pages, in parts merged into one bundle."""
    with tempfile.TemporaryDirectory(prefix=".riot-parts-", dir=root) as tmp:
        return _run_steps(_bundle_steps(Path(root), skip, part_pages, stage, Path(tmp)))


def _keep_data(bundle: Path) -> None:
    """Keep only a bundle's data: the terms bundle uses the main bundle's code."""
    for item in list(bundle.iterdir()):
        if not (item.name in DATA_KEEP or item.name.endswith(".pf_meta")):
            if item.is_dir():
                shutil.rmtree(item)
            else:
                item.unlink()


def build_all(site_dir: Path, other_langs: list[str], site: Any = None, default_lang: str = "ja") -> list[str]:
    """Every bundle of the site, one Pagefind run after the other: the default language's
    pages (all but the ``other_langs`` folders) into ``pagefind/``, each other language's
    into ``<lang>/pagefind/``, and the terms bundles."""
    site_dir = Path(site_dir)
    staged = site_dir / STAGE  # mirrors the site: the other languages' pages are in their folders
    try:
        with tempfile.TemporaryDirectory(prefix=".riot-parts-", dir=site_dir) as tmp:
            steps = _bundle_steps(site_dir, tuple(other_langs), part_pages(default_lang), staged, Path(tmp))
            for lang in other_langs:
                if (site_dir / lang).is_dir():
                    steps += _bundle_steps(site_dir / lang, (), part_pages(lang), staged / lang, Path(tmp))
            for lang in TERMS_LANGS:
                # read from the staged copies when there are some: the same head and article, a third of the bytes
                records = terms_records(staged if staged.is_dir() else site_dir, lang, site)
                if records:
                    steps.append(_terms_step(records, site_dir / "pagefind" / f"terms-{lang}", Path(tmp)))
            return _run_steps(steps)
    finally:
        shutil.rmtree(staged, ignore_errors=True)


def _terms_step(records: list[dict], dest: Path, tmp: Path) -> Step:
    """The terms bundle: one small page per record, indexed by the Pagefind binary into
    ``tmp`` and moved to ``dest`` once every bundle is merged (the merge replaces the
    folder ``dest`` is in), data only."""
    out = Path(tempfile.mkdtemp(prefix="terms-", dir=tmp)) / "bundle"

    def start() -> _Run:
        pages = Path(tempfile.mkdtemp(prefix="riot-terms-"))
        try:
            for r in records:
                page = Path(pages, r["url"].strip("/"), "index.html")
                page.parent.mkdir(parents=True, exist_ok=True)
                page.write_text(terms_page(r), encoding="utf-8")
        except BaseException:
            shutil.rmtree(pages, ignore_errors=True)
            raise
        return _Run(["--site", str(pages), "--output-path", str(out), "--quiet"], "the search terms",
                    cleanup=lambda: shutil.rmtree(pages, ignore_errors=True))

    def finish() -> list[str]:
        _keep_data(out)
        shutil.rmtree(dest, ignore_errors=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(out), dest)
        return []

    return start, finish
