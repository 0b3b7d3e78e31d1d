"""Building the site's Pagefind bundles from the built HTML (plain Python, no MkDocs).

One bundle per language: ``pagefind/`` for the Japanese pages (with the terms
bundle ``pagefind/terms-ja/`` inside it) and ``<lang>/pagefind/`` for each other
language, so a page loads only its own language's index. The Japanese index is
the slow one (Japanese segmentation); :func:`start_default` runs it in the
background so that it can overlap with building the other languages.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .search import TERMS_LANGS, terms_page, terms_records

# Parts of the content area that are not the page's own content: permalink anchors,
# the edit button, links to PDFs, the case finder's form, and lists and tables of
# other cases (each case is found on its own page; "related cases" or an award's
# winners would make a page match every title it lists, and make it heavy to load).
EXCLUDE = ", ".join([".headerlink", ".md-content__button", ".md-source-file", ".riot-pdf-links", ".riot-reviewed",
                     ".riot-finder", ".riot-case-table", ".riot-case-list", ".riot-related", ".riot-winners"])
# Pagefind's ready-made interfaces, which this site does not use (search.js does).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
# A terms bundle uses the main bundle's code and WebAssembly: keep only its data.
TERMS_KEEP = ("pagefind-entry.json", "index", "fragment", "filter")
# Pagefind's file glob for the default language's pages: everything but the en/ folder.
DEFAULT_GLOB = "{*.html,[!e]*/**/*.html,e[!n]*/**/*.html,en?*/**/*.html}"


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


def _run(cmd: list[str], what: str) -> list[str]:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index {what}:\n{result.stdout}\n{result.stderr}")
    return _log_lines(result.stdout + result.stderr)


def _clean_bundle(bundle: Path) -> None:
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)


@dataclass
class Pending:
    """The default language's index and its terms bundles, being built in the background."""

    proc: subprocess.Popen
    site_dir: Path
    terms: list[tuple[subprocess.Popen, tempfile.TemporaryDirectory, Path]] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)


def start_default(site_dir: Path, site: Any = None) -> Pending:
    """Start indexing the default language's pages (all but en/) into ``pagefind/``, and its terms bundles."""
    site_dir = Path(site_dir)
    shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    cmd = pagefind_binary() + ["--site", str(site_dir), "--glob", DEFAULT_GLOB, "--output-subdir", "pagefind",
                               "--exclude-selectors", EXCLUDE, "--quiet"]
    pending = Pending(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), site_dir)
    for lang in TERMS_LANGS:
        records = terms_records(site_dir, lang, site)
        if records:
            pending.terms.append(_start_terms(records, site_dir / "pagefind" / f"terms-{lang}"))
    return pending


def index_language(lang_dir: Path) -> list[str]:
    """Index one other language's pages (``site/<lang>/``) into ``<lang>/pagefind/``."""
    lang_dir = Path(lang_dir)
    shutil.rmtree(lang_dir / "pagefind", ignore_errors=True)
    lines = _run(pagefind_binary() + ["--site", str(lang_dir), "--output-subdir", "pagefind",
                                      "--exclude-selectors", EXCLUDE, "--quiet"], str(lang_dir))
    _clean_bundle(lang_dir / "pagefind")
    return lines


def finish(pending: Pending) -> list[str]:
    """Wait for the default language's index and its terms bundles."""
    out, _ = pending.proc.communicate()
    failed = pending.proc.returncode != 0
    lines = _log_lines(out)
    if failed:
        raise SearchIndexError(f"Pagefind failed to index the Japanese pages of {pending.site_dir}:\n{out}")
    _clean_bundle(pending.site_dir / "pagefind")
    for proc, tmp, dest in pending.terms:
        t_out, _ = proc.communicate()
        try:
            if proc.returncode != 0:
                raise SearchIndexError(f"Pagefind failed to index the search terms:\n{t_out}")
            lines += _log_lines(t_out)
            built = Path(tmp.name) / "bundle"
            shutil.rmtree(dest, ignore_errors=True)
            dest.mkdir(parents=True)
            for item in built.iterdir():  # only the data: the terms use the main bundle's code
                if item.name in TERMS_KEEP or item.name.endswith(".pf_meta"):
                    shutil.move(str(item), dest / item.name)
        finally:
            tmp.cleanup()
    return lines


def _start_terms(records: list[dict], out: Path) -> tuple[subprocess.Popen, tempfile.TemporaryDirectory, Path]:
    """The terms bundle: one small page per record, indexed by the Pagefind binary (started, not awaited)."""
    tmp = tempfile.TemporaryDirectory(prefix="riot-terms-")
    for r in records:
        page = Path(tmp.name, "pages", r["url"].strip("/"), "index.html")
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(terms_page(r), encoding="utf-8")
    # built beside the pages, and moved into the main bundle once that is written
    cmd = pagefind_binary() + ["--site", str(Path(tmp.name, "pages")), "--output-path", str(Path(tmp.name, "bundle")),
                               "--quiet"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), tmp, out
