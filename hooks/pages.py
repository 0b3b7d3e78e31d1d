"""Hook: add the generated pages (cases, indexes …) to the build.

Files are registered before mkdocs-static-i18n (priority -100) so that it
treats them like hand-written ``.md``/``.en.md`` pages, and their Markdown is
attached once it has run (in on_nav), because the plugin re-creates every
file object. Case pages are rendered only when MkDocs reads them
(on_page_read_source), so a build never holds all of them at once.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from regiot.hookstate import STATE


@event_priority(50)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    generated = [*STATE.pages, *STATE.lazy]
    clashes = sorted(src for src in generated if files.get_file_from_path(src) is not None)
    if clashes:
        raise Abort("These pages are generated from data and must not also exist in docs/: " + ", ".join(clashes))
    for src in generated:
        files.append(File(src, config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


@event_priority(-200)
def on_nav(nav, config: MkDocsConfig, files: Files):
    # After the i18n plugin has re-created the file objects: attach the Markdown.
    for f in files:
        if f.src_uri in STATE.pages:
            f.content_string = STATE.pages[f.src_uri]
    return nav


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    render = STATE.lazy.get(page.file.src_uri)
    return render() if render is not None else None


def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    data_file = STATE.edit_sources.get(page.file.src_uri)
    if data_file:
        page.edit_url = (f"{config.repo_url.rstrip('/')}/edit/main/{data_file}" if config.repo_url else None)
    return context
