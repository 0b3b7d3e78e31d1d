"""Hook: the site's search index (Pagefind), built in the same step as the site.

* ``on_page_context`` gives templates the section label of the page (事例 / Case …),
  its type (a Pagefind filter) and the words of the search interface, in the
  page's language.
* ``on_post_build`` runs once, after both languages are built (mkdocs-static-i18n
  builds ``en`` in a nested build from its own on_post_build at priority -100),
  and runs Pagefind's extended binary (Japanese segmentation) over the output:
  one bundle, ``pagefind/``, with one index per ``<html lang>``; the browser
  loads only the index of the page's language.
* It then builds the small terms bundle ``pagefind/terms-ja/``: each page's
  readings, synonyms and keywords as whole, unsegmented words (see
  regiot/search.py), which search.js merges in for kana queries.

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
        "terms": f"pagefind/terms-{lang}/" if lang in TERMS_LANGS else "",
    }
    return context


@event_priority(-150)
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # inside the nested build of a language: index once, at the very end
    if os.environ.get("RIOT_SEARCH", "1") == "0":
        log.info("RIOT_SEARCH=0: search index not built")
        return
    site_dir = Path(config.site_dir)
    cmd = _pagefind_binary() + ["--site", str(site_dir), "--output-subdir", "pagefind",
                                "--exclude-selectors", EXCLUDE, "--quiet"]
    t0 = time.perf_counter()
    _run(cmd, str(site_dir))
    bundle = site_dir / "pagefind"
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    for lang in TERMS_LANGS:
        records = terms_records(site_dir, lang, STATE.site)
        if records:
            _terms_index(records, bundle / f"terms-{lang}")
    log.info(f"search index built in {time.perf_counter() - t0:.1f} s")


def _run(cmd: list[str], what: str) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise Abort(f"Pagefind failed to index {what}:\n{result.stdout}\n{result.stderr}")
    for line in (result.stdout + result.stderr).splitlines():
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
