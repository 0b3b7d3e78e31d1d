"""Hook: load and validate all data before anything is built.

Invalid data stops the build with every problem listed (file:line: field:
message) and no traceback, before a single page is written.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

from regiot.hookstate import STATE
from regiot.problems import ValidationFailed
from regiot.render import Renderer
from regiot.site import load_site


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if STATE.config_id == id(config) and STATE.site is not None:
        return config  # a second language build of the same run
    root = Path(config.config_file_path).resolve().parent
    try:
        site = load_site(root, repo_url=config.repo_url or "")
    except ValidationFailed as exc:
        raise Abort("\n" + exc.report()) from None
    STATE.config_id = id(config)
    STATE.site = site
    STATE.renderer = Renderer(site, config.site_url or "")
    STATE.pages, STATE.lazy = STATE.renderer.plan()
    STATE.edit_sources = STATE.renderer.edit_sources()
    STATE.extra = {}
    return config
