"""Hook: the site's search index (Pagefind), built in the same step as the site.

* ``on_page_context`` gives templates the section label of the page (事例 / Case …),
  its type (a Pagefind filter) and the words of the search interface, in the
  page's language.
* ``on_post_build`` builds one Pagefind bundle per language with the extended
  binary (Japanese segmentation): ``pagefind/`` for the Japanese pages and
  ``en/pagefind/`` for the English ones; a page loads only its language's bundle.
  Then the terms bundle ``pagefind/terms-ja/``: each page's readings, synonyms
  and keywords as whole, unsegmented words (see regiot/search.py), which
  search.js merges in for kana queries. All of it runs once every language is
  written, one Pagefind run at a time, and large languages in parts merged
  into one bundle (regiot/searchindex.py), so that the build's memory stays under 1 GB: when
  hooks/languages.py builds English in a second process, that process leaves
  its pages to this one and has ended before indexing starts; when
  mkdocs-static-i18n builds English in this process (from its on_post_build,
  priority -100, after this hook's -90 for Japanese), indexing starts after the
  last language. Before it starts, the memory Python has freed is handed back
  to the system (regiot/memory.py).

Only the content area (``data-pagefind-body`` on Material's article, see
overrides/main.html) is indexed, without the parts listed in EXCLUDE. Set
``RIOT_SEARCH=0`` to skip indexing (the benchmarks time a build without search;
the offline copy uses Material's lunr search instead).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.pages import Page

from regiot import memory, searchindex
from regiot.hookstate import STATE
from regiot.search import SECTIONS, TERMS_LANGS, WORDS

log = get_plugin_logger("search")


def _indexing() -> bool:
    return os.environ.get("RIOT_SEARCH", "1") != "0"


def on_pre_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return
    # MkDocs keeps dot-folders when it cleans the site: drop pages staged by an earlier build
    shutil.rmtree(Path(config.site_dir) / searchindex.STAGE, ignore_errors=True)


@event_priority(-500)  # after the hooks that change the page (hooks/postprocess.py), before hooks/release.py
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Stage what Pagefind will read of the page (its head and article) as the page is written."""
    if _indexing():
        copy = searchindex.search_copy(output)
        if copy is not None:
            dest = Path(config.site_dir, searchindex.STAGE, page.file.dest_uri)  # en pages: en/…
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(copy, encoding="utf-8")
    return output


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


@event_priority(-90)  # before mkdocs-static-i18n (-100) builds the other languages from its on_post_build
def on_post_build(config: MkDocsConfig) -> None:
    if not _indexing():
        log.info("RIOT_SEARCH=0: search index not built")
        return
    i18n = config.plugins.get("i18n")
    if i18n is None or not getattr(i18n, "building", False):
        # The default language is written; the others follow (in this process or another one).
        others = [lang for lang in getattr(i18n, "build_languages", []) if lang != i18n.current_language] if i18n else []
        STATE.extra["search_plan"] = (Path(config.site_dir), others, i18n.current_language if i18n else "ja")
        STATE.extra["finish_search_index"] = finish_search_index  # called by hooks/languages.py
        if not others:
            finish_search_index()
        return
    if STATE.extra.get("search_in_first_process"):
        return  # a second process building English (hooks/languages.py): the first one indexes its pages
    if i18n.current_language == list(i18n.build_languages)[-1]:
        finish_search_index()  # the languages were built one after the other, in this process


def finish_search_index() -> None:
    """Build every language's bundle and the terms bundles (also called by hooks/languages.py)."""
    plan = STATE.extra.pop("search_plan", None)
    if plan is None:
        return
    site_dir, others, default_lang = plan
    freed = memory.give_back()
    t0 = time.perf_counter()
    try:
        lines = searchindex.build_all(site_dir, others, STATE.site, default_lang)
    except (searchindex.SearchIndexError, ValueError) as exc:
        raise Abort(str(exc)) from None
    _log(lines)
    log.info(f"search index built in {time.perf_counter() - t0:.1f} s"
             + (f" ({freed} MB of freed memory handed back first)" if freed else ""))


def _log(lines: list[str]) -> None:
    for line in lines:
        log.info(line)
