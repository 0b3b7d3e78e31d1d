"""Screenshot pages of a built site in headless Chromium (for looking at it as a person would).

    python scripts/screenshots.py SITE_DIR OUT_DIR path1 path2 ...   (paths like cases/ or en/cases/)

Serves SITE_DIR on 127.0.0.1 and writes one full-page PNG per path (and a
narrow mobile one with --mobile).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from regiot.devserver import CHROMIUM, CHROMIUM_ARGS, SiteServer


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("out")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--mobile", action="store_true")
    ap.add_argument("--dark", action="store_true")
    ap.add_argument("--height", type=int, default=0, help="clip to this height (0 = full page)")
    a = ap.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    server = SiteServer(Path(a.site))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        ctx = browser.new_context(viewport={"width": 390 if a.mobile else 1280, "height": 844 if a.mobile else 900},
                                  color_scheme="dark" if a.dark else "light")
        page = ctx.new_page()
        for path in a.paths:
            page.goto(server.url + path)
            page.wait_for_timeout(300)
            name = (path.strip("/").replace("/", "_") or "home") + ("-mobile" if a.mobile else "") + ("-dark" if a.dark else "") + ".png"
            if a.height:
                page.screenshot(path=str(out / name), clip={"x": 0, "y": 0, "width": 390 if a.mobile else 1280, "height": a.height})
            else:
                page.screenshot(path=str(out / name), full_page=True)
            print(out / name)
        browser.close()
    server.close()


if __name__ == "__main__":
    main()
