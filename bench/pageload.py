"""A case page in Chromium: bytes transferred and load time, first and repeat visit.

Serves a built site on 127.0.0.1 as GitHub Pages does — text files
gzip-compressed when the browser accepts it, Last-Modified and Cache-Control:
max-age=600 — and opens the largest case page of each language in a fresh
browser profile (first visit), then again in the same profile (repeat visit).
Bytes are what went over the wire (Chrome's encodedDataLength: headers and
bodies); ``decoded`` is the size of the files themselves. Every request outside
127.0.0.1 is counted as third-party (the target is zero; the network is not
intercepted, because interception turns the browser cache off).

    .venv/bin/python bench/pageload.py SITE_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from regiot.devserver import CHROMIUM, SiteServer  # noqa: E402
from regiot.devserver import CHROMIUM_ARGS as ARGS  # noqa: E402


def visit(page, cdp, url: str, site: Path, base: str) -> dict:
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="load")
    try:
        page.wait_for_load_state("networkidle", timeout=5000)
    except Exception:  # noqa: BLE001
        pass
    timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return {load: n.loadEventEnd, dcl: n.domContentLoadedEventEnd}; }""")
    decoded = 0
    for rid in sizes:
        u = urls.get(rid, "")
        path = u[len(base):].split("?")[0].split("#")[0] if u.startswith(base) else ""
        f = site / (path + "index.html" if path.endswith("/") or path == "" else path)
        decoded += f.stat().st_size if f.is_file() else 0
    return {"requests": len(sizes), "bytes": sum(sizes.values()), "decoded": decoded,
            "load_ms": round(timing["load"]), "dcl_ms": round(timing["dcl"])}


def measure(site: Path) -> dict:
    from playwright.sync_api import sync_playwright
    from sitecrawl import representatives

    site = Path(site)
    reps = representatives(site)
    server = SiteServer(site, compress=True)
    base = server.url
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for lang in ("ja", "en"):
                page_info = reps[("case", lang)]
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                third: list[str] = []
                ctx.on("request", lambda r, third=third: third.append(r.url)
                       if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
                page = ctx.new_page()
                cdp = ctx.new_cdp_session(page)
                cdp.send("Network.enable")
                url = base + page_info.path
                first = visit(page, cdp, url, site, base)
                cdp2 = ctx.new_cdp_session(page)
                cdp2.send("Network.enable")
                page.goto("about:blank")
                repeat = visit(page, cdp2, url, site, base)
                out[lang] = {"page": "/" + page_info.path, "html_bytes": page_info.size, "first": first,
                             "repeat": repeat, "third_party": third}
                ctx.close()
            browser.close()
    finally:
        server.close()
    return out


def report(fig: dict) -> list[str]:
    lines = []
    for lang, r in fig.items():
        f, rp = r["first"], r["repeat"]
        lines.append(f"case page ({lang}) {r['page']}: first visit {f['bytes'] / 1024:.0f} KB transferred "
                     f"(gzip; {f['decoded'] / 1024:.0f} KB uncompressed) in {f['requests']} requests, load {f['load_ms']} ms; "
                     f"repeat visit {rp['bytes'] / 1024:.1f} KB in {rp['requests']} requests, load {rp['load_ms']} ms; "
                     f"third-party requests: {len(r['third_party'])} (targets: < 300 KB first visit, 0 third-party)")
    return lines


if __name__ == "__main__":
    fig = measure(Path(sys.argv[1]))
    print(json.dumps(fig, indent=1))
    print("\n".join(report(fig)))
