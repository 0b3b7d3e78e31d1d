"""Hook: build the other languages in a second process while Japanese is built.

mkdocs-static-i18n builds each further language after the default one, from
its own on_post_build (priority -100), on the same core. On a machine with a
second core, this hook forks as soon as the data is loaded and the section
pages rendered (on_pre_build, after every other hook's): the child builds
English just as the plugin would (its ``building`` flag set, the site folder not
cleaned), gathering its own files; the parent cleans the site folder before it
forks (not after, when the child may be writing) and goes on with Japanese. Before the
plugin's on_post_build the parent waits for the child and marks English as
built, so the plugin does not build it a second time; then, with the child
gone, it builds the search index of every language (hooks/search.py).

Only for ``mkdocs build`` with the i18n plugin and without Material's search
plugin (the offline variant merges lunr entries across languages in one
process); ``RIOT_WORKERS=1`` builds the languages one after the other.
tests/test_build.py checks that both ways give the same site.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path

from mkdocs import utils
from mkdocs.commands import build as build_module
from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger

from regiot import parallel
from regiot.hookstate import STATE

log = get_plugin_logger("languages")
_RUN: dict = {"command": "build"}
# The theme's static templates (404.html, sitemap.xml) go to the site root in every
# language's build. Built one after the other, the last language's 404.html stays,
# and its sitemap lists every language's pages. The child writes its versions to a
# hand-over folder instead; the parent takes its 404.html and joins the sitemaps.


def on_startup(command: str, dirty: bool) -> None:
    _RUN["command"] = command
    _RUN["dirty"] = dirty


def _i18n(config: MkDocsConfig):
    return config.plugins.get("i18n")


@event_priority(-1000)  # after every other hook's on_pre_build
def on_pre_build(config: MkDocsConfig) -> None:
    i18n = _i18n(config)
    if (i18n is None or getattr(i18n, "building", False) or "pid" in _RUN or _RUN["command"] != "build"
            or "search" in config.plugins or parallel.workers() < 2 or not hasattr(os, "fork")):
        return
    others = [lang for lang in i18n.build_languages if lang != i18n.current_language]
    if not others:
        return
    if not _RUN.get("dirty"):
        utils.clean_directory(config.site_dir)
    _RUN["clean_directory"] = utils.clean_directory
    utils.clean_directory = lambda path: path  # MkDocs cleans after on_pre_build: done already
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    handoff = Path(tempfile.mkdtemp(prefix="riot-languages-"))
    pid = os.fork()
    if pid == 0:  # the child: the other languages, as mkdocs-static-i18n would build them
        code = 0
        try:
            i18n.building = True
            STATE.extra["search_in_first_process"] = True  # hooks/search.py: the parent indexes these pages
            utils.clean_directory = lambda path: path
            build_module._build_theme_template = _redirected(build_module._build_theme_template, handoff)
            for lang in others:
                i18n.current_language = lang
                build(config)
        except BaseException:  # noqa: BLE001 - reported, and the parent fails the build
            traceback.print_exc()
            code = 1
        finally:
            logging.shutdown()
            os._exit(code)
    _RUN.update(pid=pid, langs=others, handoff=handoff)
    log.info(f"building {', '.join(others)} in a second process (pid {pid})")


def _restore_cleaning() -> None:
    if "clean_directory" in _RUN:
        utils.clean_directory = _RUN.pop("clean_directory")


@event_priority(-95)  # after hooks/search.py has planned the search index (-90), before the i18n plugin (-100)
def on_post_build(config: MkDocsConfig) -> None:
    i18n = _i18n(config)
    if "pid" not in _RUN or i18n is None or getattr(i18n, "building", False):
        return
    pid, langs, handoff = _RUN.pop("pid"), _RUN.pop("langs"), _RUN.pop("handoff")
    _restore_cleaning()
    _, status = os.waitpid(pid, 0)
    try:
        if status != 0:
            raise Abort(f"building {', '.join(langs)} failed in the second process (see the messages above)")
        _take_over(handoff, Path(config.site_dir))
    finally:
        shutil.rmtree(handoff, ignore_errors=True)
    for lang in i18n.config.languages:
        if lang.locale in langs:
            lang.build = False  # built already: the plugin's own loop skips it
            _RUN.setdefault("restore", []).append(lang)
    finish = STATE.extra.get("finish_search_index")
    if finish is not None:
        finish()


def _redirected(build_theme_template, folder: Path):
    """The theme-template builder, writing into ``folder`` instead of the site root."""

    def wrapper(template_name, env, files, config, nav):
        site_dir, config.site_dir = config.site_dir, str(folder)
        try:
            build_theme_template(template_name, env, files, config, nav)
        finally:
            config.site_dir = site_dir

    return wrapper


def _take_over(handoff: Path, site_dir: Path) -> None:
    """The child's 404.html, and one sitemap: the parent's entries, then the child's."""
    if (handoff / "404.html").is_file():
        shutil.copy2(handoff / "404.html", site_dir / "404.html")
    mine, theirs = site_dir / "sitemap.xml", handoff / "sitemap.xml"
    if mine.is_file() and theirs.is_file():
        a, b = mine.read_text(encoding="utf-8"), theirs.read_text(encoding="utf-8")
        text = a[: a.rindex("\n</urlset>")] + b[b.index(">", b.index("<urlset")) + 1:]
        mine.write_text(text, encoding="utf-8")
        with gzip.GzipFile(site_dir / "sitemap.xml.gz", mode="wb", mtime=utils.get_build_timestamp()) as gz:
            gz.write(text.encode("utf-8"))


def on_build_error(error: Exception) -> None:
    """The default language's build failed: stop the second process too."""
    _restore_cleaning()
    if "pid" in _RUN:
        pid = _RUN.pop("pid")
        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        shutil.rmtree(_RUN.pop("handoff", ""), ignore_errors=True)


def on_shutdown() -> None:
    _restore_cleaning()
    for lang in _RUN.pop("restore", []):
        lang.build = True
