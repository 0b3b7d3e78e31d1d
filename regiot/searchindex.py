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
    """The default language's index, being built in the background."""

    proc: subprocess.Popen
    site_dir: Path
    started: float = field(default_factory=time.perf_counter)


def start_default(site_dir: Path) -> Pending:
    """Start indexing the default language's pages (all but en/) into ``pagefind/``."""
    site_dir = Path(site_dir)
    shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
    cmd = pagefind_binary() + ["--site", str(site_dir), "--glob", DEFAULT_GLOB, "--output-subdir", "pagefind",
                               "--exclude-selectors", EXCLUDE, "--quiet"]
    return Pending(subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True), site_dir)


def index_language(lang_dir: Path) -> list[str]:
    """Index one other language's pages (``site/<lang>/``) into ``<lang>/pagefind/``."""
    lang_dir = Path(lang_dir)
    shutil.rmtree(lang_dir / "pagefind", ignore_errors=True)
    lines = _run(pagefind_binary() + ["--site", str(lang_dir), "--output-subdir", "pagefind",
                                      "--exclude-selectors", EXCLUDE, "--quiet"], str(lang_dir))
    _clean_bundle(lang_dir / "pagefind")
    return lines


def finish(pending: Pending, site: Any = None) -> list[str]:
    """Wait for the default language's index, then add the terms bundle beside it."""
    out, _ = pending.proc.communicate()
    if pending.proc.returncode != 0:
        raise SearchIndexError(f"Pagefind failed to index the Japanese pages of {pending.site_dir}:\n{out}")
    lines = _log_lines(out)
    bundle = pending.site_dir / "pagefind"
    _clean_bundle(bundle)
    for lang in TERMS_LANGS:
        records = terms_records(pending.site_dir, lang, site)
        if records:
            lines += terms_index(records, bundle / f"terms-{lang}")
    return lines


def terms_index(records: list[dict], out: Path) -> list[str]:
    """The terms bundle: one small page per record, indexed by the Pagefind binary."""
    if out.exists():
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory(prefix="riot-terms-") as tmp:
        for r in records:
            page = Path(tmp, r["url"].strip("/"), "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(terms_page(r), encoding="utf-8")
        lines = _run(pagefind_binary() + ["--site", tmp, "--output-path", str(out), "--quiet"], "the search terms")
    for item in out.iterdir():
        if item.name in TERMS_KEEP or item.name.endswith(".pf_meta"):
            continue
        shutil.rmtree(item) if item.is_dir() else item.unlink()
    return lines
