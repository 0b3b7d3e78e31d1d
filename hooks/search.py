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
import time
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.pages import Page

from regiot import searchindex
from regiot.hookstate import STATE
from regiot.search import SECTIONS, TERMS_LANGS, WORDS

log = get_plugin_logger("search")


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
    if os.environ.get("RIOT_SEARCH", "1") == "0":
        log.info("RIOT_SEARCH=0: search index not built")
        return
    i18n = config.plugins.get("i18n")
    if i18n is None or not getattr(i18n, "building", False):
        # The default language is written: index it in the background while the others are built.
        STATE.extra["search_pending"] = searchindex.start_default(Path(config.site_dir), STATE.site)
        STATE.extra["finish_search_index"] = finish_search_index  # for hooks/languages.py
        if i18n is None:
            finish_search_index()
        return
    lang, t0 = i18n.current_language, time.perf_counter()
    try:
        lines = searchindex.index_language(Path(config.site_dir) / lang)
    except searchindex.SearchIndexError as exc:
        raise Abort(str(exc)) from None
    _log(lines)
    log.info(f"search index for '{lang}' built in {time.perf_counter() - t0:.1f} s")
    if lang == list(i18n.build_languages)[-1] and "search_pending" in STATE.extra:
        finish_search_index()  # the languages were built one after the other, in this process


def finish_search_index() -> None:
    """Wait for the default language's index and add the terms bundle (also called by hooks/languages.py)."""
    pending = STATE.extra.pop("search_pending", None)
    if pending is None:
        return
    try:
        _log(searchindex.finish(pending))
    except searchindex.SearchIndexError as exc:
        raise Abort(str(exc)) from None
    log.info(f"search index built in {time.perf_counter() - pending.started:.1f} s "
             "(the default language in the background while the others were built)")


def _log(lines: list[str]) -> None:
    for line in lines:
        log.info(line)
