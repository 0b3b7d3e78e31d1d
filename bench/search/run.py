"""Search benchmark: the real site and a large synthetic corpus, measured in Chromium.

For each site and language it prints

* recall@5 on bench/search/queries.yml, typed into the header search box;
* the median query latency (from the search starting to the results shown,
  as search.js records it in ``data-riot-ms``);
* the bytes fetched for a first query in a fresh browser (as served, and
  with the JavaScript gzip-compressed as a static host would send it);
* the size of the search index;

and the build time with search and without (RIOT_SEARCH=0), both without PDFs.

    .venv/bin/python bench/search/run.py               # real site + 3,000 synthetic cases
    .venv/bin/python bench/search/run.py --cases 500   # a smaller synthetic corpus
    .venv/bin/python bench/search/run.py --real-only

The synthetic corpus also holds the real cases, so the query set still has its
answers among 3,000 others. There are no time limits: the figures are printed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.build import bundles  # noqa: E402
from bench.synthetic import build as build_project  # noqa: E402
from bench.synthetic import make_synthetic_project  # noqa: E402

QUERIES = Path(__file__).resolve().parent / "queries.yml"
from regiot.devserver import CHROMIUM, CHROMIUM_ARGS, SiteServer  # noqa: E402

MKDOCS = str(Path(sys.executable).parent / "mkdocs")


def load_queries(path: Path = QUERIES) -> dict[str, list[dict]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- Building ------------------------------------------------------------------------

def build(project: Path, site_dir: Path, search: bool = True) -> float:
    """``mkdocs build --strict`` without PDFs; returns seconds (and, with search, records
    the indexing time that hooks/search.py logs in ``INDEX_SECONDS``)."""
    log: list[str] = []
    took = build_project(project, site_dir, {"RIOT_PDF": "0", "RIOT_SEARCH": "1" if search else "0"}, output=log)
    m = re.search(r"search index built in ([0-9.]+) s", log[0])
    if m:
        INDEX_SECONDS[str(site_dir)] = float(m.group(1))
    return took


def build_both(project: Path, site_dir: Path) -> dict:
    """Build ``project`` without and with search (keeping the latter in ``site_dir``); the times."""
    without = site_dir.with_name(site_dir.name + "-nosearch")
    t_without = build(project, without, search=False)
    t_with = build(project, site_dir, search=True)
    shutil.rmtree(without, ignore_errors=True)
    return {"with_search": t_with, "without_search": t_without, "indexing": INDEX_SECONDS.get(str(site_dir))}


INDEX_SECONDS: dict[str, float] = {}


# --- Serving -------------------------------------------------------------------------

# --- Querying through the real interface ------------------------------------------------

def ui_search(page, query: str, timeout: float = 30_000) -> list[str]:
    """Type ``query`` into the header search box; return result paths (no leading '/')."""
    box = page.locator("#riot-search-input")
    if not box.is_visible():
        page.keyboard.press("/")
    box.fill(query)
    page.wait_for_function(
        "q => document.getElementById('riot-search-list').getAttribute('data-riot-query') === q",
        arg=query.strip(), timeout=timeout)
    hrefs = page.eval_on_selector_all("#riot-search-list a.riot-search-link", "els => els.map(a => a.pathname)")
    return [h.lstrip("/") for h in hrefs]


def last_latency_ms(page) -> int:
    return int(page.get_attribute("#riot-search-list", "data-riot-ms") or 0)


def recall(page, base: str, lang: str, queries: list[dict], k: int = 5) -> dict:
    page.goto(base + ("" if lang == "ja" else f"{lang}/"))
    hits, misses, latencies = 0, [], []
    for item in queries:
        paths = ui_search(page, item["q"])[:k]
        latencies.append(last_latency_ms(page))
        if any(e in paths for e in item["expect"]):
            hits += 1
        else:
            misses.append({"q": item["q"], "kind": item.get("kind"), "got": paths})
        page.fill("#riot-search-input", "")
    return {"hits": hits, "total": len(queries), "misses": misses,
            "median_ms": statistics.median(latencies) if latencies else 0}


def first_query_bytes(browser, base: str, lang: str, query: str) -> dict:
    """Bytes fetched from focusing the search box to the first results, in a fresh context."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(base + ("" if lang == "ja" else f"{lang}/"))
    page.wait_for_load_state("networkidle")
    fetched: list[tuple[str, int, int]] = []

    def on_response(resp):
        try:
            body = resp.body()
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            return
        name = resp.url.split("?")[0]
        gz = len(gzip.compress(body, 6)) if name.endswith((".js", ".json", ".css")) else len(body)
        fetched.append((name, len(body), gz))

    page.on("response", on_response)
    ui_search(page, query)
    page.wait_for_load_state("networkidle")
    ctx.close()
    other = "en" if lang == "ja" else "ja"
    foreign = [f for f in fetched if f"/{other}_" in f[0] or f".{other}_" in f[0] or f"wasm.{other}." in f[0]]
    return {"requests": len(fetched), "bytes": sum(f[1] for f in fetched), "bytes_gzip": sum(f[2] for f in fetched),
            "other_language_files": len(foreign), "files": sorted(fetched, key=lambda f: -f[1])}


def index_size(site: Path) -> dict:
    """Bytes per language bundle (pagefind/ for Japanese, <lang>/pagefind/ for the others) and the terms bundle."""
    out: dict[str, int] = {"total": 0}
    for bundle in bundles(site):
        if not (bundle / "pagefind-entry.json").is_file():
            continue
        entry = json.loads((bundle / "pagefind-entry.json").read_text())
        langs = list(entry["languages"])
        for f in bundle.rglob("*"):
            if not f.is_file():
                continue
            size = f.stat().st_size
            out["total"] += size
            rel = f.relative_to(bundle).as_posix()
            key = rel.split("/")[0] if rel.startswith("terms-") else "+".join(langs)
            out[key] = out.get(key, 0) + size
    return out


def kb(n: int) -> str:
    return f"{n / 1024:,.0f} KB"


def measure_site(browser, site: Path, label: str, queries: dict, first_queries: dict) -> dict:
    server = SiteServer(site)
    results: dict = {"label": label, "index": index_size(site), "langs": {}}
    try:
        for lang in ("ja", "en"):
            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            r = recall(page, server.url, lang, queries[lang])
            ctx.close()
            r["first_all"] = {q: first_query_bytes(browser, server.url, lang, q) for q in first_queries[lang]}
            r["first"] = max(r["first_all"].values(), key=lambda f: f["bytes"])
            results["langs"][lang] = r
    finally:
        server.close()
    return results


def report(res: dict) -> None:
    print(f"\n== {res['label']}")
    idx = res["index"]
    parts = ", ".join(f"{k} {kb(v)}" for k, v in sorted(idx.items()) if k != "total")
    print(f"  index size: {kb(idx['total'])} ({parts})")
    for lang, r in res["langs"].items():
        f = r["first"]
        print(f"  [{lang}] recall@5 {r['hits']}/{r['total']}   median latency {r['median_ms']:.0f} ms   "
              f"first query (largest): {kb(f['bytes'])} in {f['requests']} requests ({kb(f['bytes_gzip'])} with gzip on JS; "
              f"{f['other_language_files']} files of the other language)")
        print("      first query, each: " + ", ".join(f"{q} {kb(x['bytes'])} ({kb(x['bytes_gzip'])} gzip)"
                                                   for q, x in r["first_all"].items()))
        for m in r["misses"]:
            print(f"      miss: {m['q']} ({m['kind']}) -> {m['got']}")
        for name, n, _gz in f["files"][:8]:
            print(f"      {n:>9,} B  {name.split('/', 3)[-1]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Search benchmark (recall, latency, bytes, index size, build time)")
    ap.add_argument("--cases", type=int, default=3000, help="fictional cases in the synthetic corpus (default 3000)")
    ap.add_argument("--real-only", action="store_true", help="skip the synthetic corpus")
    ap.add_argument("--site", type=Path, help="reuse this build of the real site (skips its build timings)")
    ap.add_argument("--keep", type=Path, help="build into this folder and keep it")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    queries = load_queries()
    # first queries: a kanji word, a kana reading (also loads the terms index), a
    # three-word Japanese phrase; one and two English words. The largest is shown.
    first = {"ja": ["防災", "みまもり", "遠隔合同授業"], "en": ["telework", "satellite office"]}
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="riot-search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    figures: dict = {"builds": {}}
    try:
        if args.site:
            real_site = args.site
        else:
            real_site = work / "real-site"
            figures["builds"]["real"] = build_both(ROOT, real_site)
        sites = [(real_site, "real site")]
        if not args.real_only:
            project = make_synthetic_project(work / "synthetic", args.cases, with_real_cases=True)
            synth_site = work / "synthetic-site"
            figures["builds"]["synthetic"] = build_both(project, synth_site)
            sites.append((synth_site, f"synthetic: {args.cases:,} fictional + the real cases"))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            figures["sites"] = [measure_site(browser, site, label, queries, first) for site, label in sites]
            browser.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    for res in figures["sites"]:
        report(res)
    for name, b in figures["builds"].items():
        print(f"\n  build ({name}, no PDFs): {b['with_search']:.1f} s with search, {b['without_search']:.1f} s without "
              f"(difference {b['with_search'] - b['without_search']:+.1f} s; the indexing step itself took "
              f"{b['indexing'] or 0:.1f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
