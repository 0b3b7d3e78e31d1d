"""Hook: PDF handouts and the offline copy of the site.

After both languages are built (mkdocs-static-i18n builds ``en`` in a nested
build from its own on_post_build at priority -100, so this runs at -150 and
returns early inside that nested build):

1. ``regiot.pdf`` writes the case sheets, the casebooks and the course PDFs into
   ``pdf/`` of the site (in parallel, reusing ``.cache/pdf/`` when a PDF's input
   is unchanged);
2. the offline variant is built with ``mkdocs.offline.yml`` into a temporary
   folder, the PDFs are copied into it, and ``regiot.offline`` zips it into
   ``offline/regional-iot-knowledge-offline.zip`` (deterministic).

In the offline variant's own build (``extra.riot_offline`` or RIOT_OFFLINE=1)
this hook only rewrites raw-HTML links for file addresses (see regiot/offline.py).

Switches: RIOT_PDF=0 skips PDFs and the zip (quick builds); RIOT_OFFLINE_ZIP=0
skips only the zip. ``mkdocs serve`` skips both unless RIOT_PDF=1.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from regiot import offline, pdf
from regiot.hookstate import STATE

log = get_plugin_logger("pdf")
_COMMAND = {"name": "build"}


def on_startup(command: str, dirty: bool) -> None:
    _COMMAND["name"] = command


def is_offline(config: MkDocsConfig) -> bool:
    return bool(config.extra.get("riot_offline")) or os.environ.get("RIOT_OFFLINE") == "1"


def _enabled(name: str) -> bool:
    default = "0" if _COMMAND["name"] == "serve" else "1"
    return os.environ.get(name, os.environ.get("RIOT_PDF", default)) != "0"


# --- the offline variant's own build -------------------------------------------------------

#: Material's own partials, used as they are in the offline copy: the site's
#: overrides put Pagefind in the header, which cannot run from file://.
MATERIAL_PARTIALS = ("partials/header.html", "partials/search.html")


@event_priority(-110)  # after mkdocs-static-i18n has set up the language's theme
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not is_offline(config):
        return config
    import material

    root = Path(config.config_file_path).resolve().parent
    theme_dir = root / ".cache" / "offline-theme"
    src = Path(material.__file__).resolve().parent / "templates"
    for name in MATERIAL_PARTIALS:
        dest = theme_dir / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = (src / name).read_bytes()
        if not dest.is_file() or dest.read_bytes() != data:
            dest.write_bytes(data)
    if str(theme_dir) not in config.theme.dirs:
        config.theme.dirs.insert(0, str(theme_dir))
    return config


@event_priority(-50)  # after the markers are replaced (hooks/markers.py)
def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not is_offline(config) or config.use_directory_urls:
        return markdown
    if (page.meta or {}).get("riot_type") == "search":  # the Pagefind search page cannot work from file://
        lang = getattr(page.file, "locale", None) or "ja"
        return offline.SEARCH_PAGE.get(lang, offline.SEARCH_PAGE["en"]).format(title=page.title or "")
    pages = {offline.dir_url(f.dest_uri): f.dest_uri for f in files.documentation_pages()}
    zip_url = (config.site_url or "").rstrip("/") + "/" + offline.ZIP_PATH
    return offline.flat_links(markdown, page.file.dest_uri, pages, online={offline.ZIP_PATH: zip_url})


# --- every build: readable addresses for printing ---------------------------------------------

ESCAPED_LINK = re.compile(r'<a\s[^>]*?href="(https?://[^"]*%[0-9A-Fa-f]{2}[^"]*)"[^>]*>')


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Give external links with %-escapes (Japanese addresses) a decoded ``data-print-url``,
    which print.css prints after the link instead of the escaped address."""

    def add(m: re.Match) -> str:
        tag = m.group(0)
        if "data-print-url" in tag:
            return tag
        url = html.unescape(m.group(1))
        readable = unquote(url, errors="replace")
        if readable == url or "\ufffd" in readable or any(ord(c) < 32 for c in readable):
            return tag
        return f'{tag[:-1]} data-print-url="{html.escape(readable, quote=True)}">'

    return ESCAPED_LINK.sub(add, output)


# --- after both languages are built -----------------------------------------------------------

def _site_names(config: MkDocsConfig) -> dict[str, str]:
    names = {}
    i18n = config.plugins.get("i18n")
    for lang in getattr(getattr(i18n, "config", None), "languages", None) or []:
        name = lang.get("site_name") if isinstance(lang, dict) else getattr(lang, "site_name", None)
        locale = lang.get("locale") if isinstance(lang, dict) else getattr(lang, "locale", None)
        if locale and name:
            names[locale] = name
    names.setdefault("ja", getattr(i18n, "original_configs", {}).get("site_name") or config.site_name)
    return names


def build_pdfs(config: MkDocsConfig, root: Path) -> list[pdf.Result]:
    site_dir = Path(config.site_dir)
    css = (Path(config.docs_dir) / "assets" / "print.css").read_text(encoding="utf-8")
    ctx = pdf.Context(site_dir=site_dir, site_url=config.site_url or "http://127.0.0.1:8000/", print_css=css,
                      built=pdf.build_datetime(), site_names=_site_names(config))
    t0 = time.perf_counter()
    jobs = pdf.plan(ctx, STATE.site)
    t_plan = time.perf_counter() - t0
    cache = root / ".cache" / "pdf"
    results = pdf.render_all(jobs, site_dir, cache_dir=cache if os.environ.get("RIOT_PDF_CACHE", "1") != "0" else None)
    pdf.prune_cache(cache, [j.key(site_dir) for j in jobs])
    fresh = [r for r in results if not r.cached]
    total = time.perf_counter() - t0
    per = f", {sum(r.seconds for r in fresh) / len(fresh):.2f} s per PDF rendered" if fresh else ""
    for msg, n in sorted(pdf.notable_warnings(results).items()):
        log.info(f"WeasyPrint: {msg} (in {n} PDF{'s' if n > 1 else ''})")
    log.info(f"{len(results)} PDFs ({len(fresh)} rendered, {len(results) - len(fresh)} from cache) in "
             f"{total:.1f} s (assembling {t_plan:.1f} s{per})")
    return results


def build_offline_zip(config: MkDocsConfig, root: Path) -> Path:
    site_dir = Path(config.site_dir)
    offline_cfg = root / "mkdocs.offline.yml"
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="riot-offline-") as tmp:
        out = Path(tmp) / "site"
        env = dict(os.environ, RIOT_OFFLINE="1", RIOT_SEARCH="0", RIOT_PDF="0", NO_MKDOCS_2_WARNING="1")
        cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(offline_cfg), "-d", str(out)]
        if config.strict:
            cmd.append("--strict")
        result = subprocess.run(cmd, cwd=root, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise Abort(f"The offline copy failed to build:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
        t_build = time.perf_counter() - t0
        if (site_dir / "pdf").is_dir():
            shutil.copytree(site_dir / "pdf", out / "pdf", dirs_exist_ok=True)
        built = pdf.build_datetime()
        online = (config.site_url or "").rstrip("/") + "/"
        zip_path = site_dir / offline.ZIP_PATH
        n = offline.make_zip(out, zip_path, built,
                             extra={"README.txt": offline.readme(built.strftime("%Y-%m-%d"), online)})
    log.info(f"offline copy: {n} files, {zip_path.stat().st_size / 1e6:.1f} MB, built in {t_build:.1f} s, "
             f"zipped in {time.perf_counter() - t0 - t_build:.1f} s")
    return zip_path


@event_priority(-150)
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # inside the nested build of a language: run once, at the very end
    if is_offline(config) or STATE.site is None:
        return
    root = Path(config.config_file_path).resolve().parent
    if not _enabled("RIOT_PDF"):
        log.info("PDFs and the offline copy are not built (RIOT_PDF=0, or `mkdocs serve` without RIOT_PDF=1)")
        return
    build_pdfs(config, root)
    if not _enabled("RIOT_OFFLINE_ZIP"):
        return
    if not (root / "mkdocs.offline.yml").is_file():
        log.info("no mkdocs.offline.yml beside mkdocs.yml: the offline copy is not built")
        return
    build_offline_zip(config, root)
