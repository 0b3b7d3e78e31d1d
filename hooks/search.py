"""Hook: the site's search index (Pagefind), built in the same step as the site.

* ``on_page_context`` gives templates the section label of the page (事例 / Case …),
  its type (a Pagefind filter) and the words of the search interface, in the
  page's language.
* ``on_post_build`` builds one Pagefind bundle per language with the extended
  binary (Japanese segmentation): ``pagefind/`` for the Japanese pages and
  ``en/pagefind/`` for the English ones; a page loads only its language's bundle.
  mkdocs-static-i18n builds English in a nested build from its own on_post_build
  (priority -100). This hook runs just before it (-90): in the Japanese build it
  starts Pagefind on the Japanese pages in the background, so the index is built
  on the second core while English is built; in the English build it indexes the
  English pages, waits for the Japanese index and adds the terms bundle
  ``pagefind/terms-ja/``: each page's readings, synonyms and keywords as whole,
  unsegmented words (see regiot/search.py), which search.js merges in for kana
  queries.

Only the content area (``data-pagefind-body`` on Material's article, see
overrides/main.html) is indexed, without the parts listed in EXCLUDE. Set
``RIOT_SEARCH=0`` to skip indexing (the benchmarks time a build without search;
the offline copy uses Material's lunr search instead).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.pages import Page

from regiot.hookstate import STATE
from regiot.search import SECTIONS, TERMS_LANGS, WORDS, terms_page, terms_records

log = get_plugin_logger("search")

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


def _pagefind_binary() -> list[str]:
    try:
        from pagefind.service import get_executable

        exe = get_executable()
        if exe is not None:
            return [str(exe)]
    except ImportError:
        pass
    return [sys.executable, "-m", "pagefind"]


def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    lang = getattr(page.file, "locale", None) or config.theme.language or "ja"
    lang = lang if lang in WORDS else "ja"
    kind = str((page.meta or {}).get("riot_type") or ("home" if page.is_homepage else "page"))
    context["riot_search"] = {
        "section": SECTIONS[lang].get(kind, SECTIONS[lang]["page"]),
        "type": kind,
        "index": kind != "search",
        "words": WORDS[lang],
        "lang": lang,
        "page": "search/" if lang == "ja" else f"{lang}/search/",
        "bundle": "pagefind/" if lang == "ja" else f"{lang}/pagefind/",
        "terms": f"pagefind/terms-{lang}/" if lang in TERMS_LANGS else "",
    }
    return context


# Pagefind's file glob for the Japanese pages: everything but the en/ folder.
JA_GLOB = "{*.html,[!e]*/**/*.html,e[!n]*/**/*.html,en?*/**/*.html}"
_JA_RUN: dict = {}


def _clean_bundle(bundle: Path) -> None:
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)


@event_priority(-90)  # before mkdocs-static-i18n (-100) builds the other languages from its on_post_build
def on_post_build(config: MkDocsConfig) -> None:
    if os.environ.get("RIOT_SEARCH", "1") == "0":
        log.info("RIOT_SEARCH=0: search index not built")
        return
    i18n = config.plugins.get("i18n")
    site_dir = Path(config.site_dir)
    if i18n is None or not getattr(i18n, "building", False):
        # The Japanese build is written: index it in the background while English is built.
        shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
        cmd = _pagefind_binary() + ["--site", str(site_dir), "--glob", JA_GLOB, "--output-subdir", "pagefind",
                                    "--exclude-selectors", EXCLUDE, "--quiet"]
        _JA_RUN.update(proc=subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True),
                       t0=time.perf_counter(), site_dir=site_dir)
        if i18n is None:
            _finish()
        return
    lang = i18n.current_language
    t0 = time.perf_counter()
    out = _JA_RUN["site_dir"] / lang
    shutil.rmtree(out / "pagefind", ignore_errors=True)
    _run(_pagefind_binary() + ["--site", str(out), "--output-subdir", "pagefind",
                               "--exclude-selectors", EXCLUDE, "--quiet"], str(out))
    _clean_bundle(out / "pagefind")
    log.info(f"search index for '{lang}' built in {time.perf_counter() - t0:.1f} s")
    if lang == list(i18n.build_languages)[-1]:
        _finish()


def _finish() -> None:
    """Wait for the Japanese index, then build the terms bundle beside it."""
    proc, site_dir = _JA_RUN.pop("proc"), _JA_RUN["site_dir"]
    out, _ = proc.communicate()
    if proc.returncode != 0:
        raise Abort(f"Pagefind failed to index the Japanese pages of {site_dir}:\n{out}")
    _log_output(out)
    bundle = site_dir / "pagefind"
    _clean_bundle(bundle)
    for lang in TERMS_LANGS:
        records = terms_records(site_dir, lang, STATE.site)
        if records:
            _terms_index(records, bundle / f"terms-{lang}")
    log.info(f"search index for 'ja' and the terms built in {time.perf_counter() - _JA_RUN.pop('t0'):.1f} s "
             "(while the other languages were built)")


def _run(cmd: list[str], what: str) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise Abort(f"Pagefind failed to index {what}:\n{result.stdout}\n{result.stderr}")
    _log_output(result.stdout + result.stderr)


def _log_output(text: str) -> None:
    for line in text.splitlines():
        if line.strip() and "stemming" not in line and "root words" not in line:
            log.info(line.strip())


def _terms_index(records: list[dict], out: Path) -> None:
    """The terms bundle: one small page per record, indexed by the Pagefind binary."""
    if out.exists():
        shutil.rmtree(out)
    with tempfile.TemporaryDirectory(prefix="riot-terms-") as tmp:
        for r in records:
            page = Path(tmp, r["url"].strip("/"), "index.html")
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(terms_page(r), encoding="utf-8")
        _run(_pagefind_binary() + ["--site", tmp, "--output-path", str(out), "--quiet"], "the search terms")
    for item in out.iterdir():
        if item.name in TERMS_KEEP or item.name.endswith(".pf_meta"):
            continue
        shutil.rmtree(item) if item.is_dir() else item.unlink()
