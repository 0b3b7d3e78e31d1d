"""Build benchmarks: the real site in full, and synthetic corpora against plain Markdown.

1. The real site, everything a release builds: pages in both languages, the
   Pagefind index, PDFs (cold: RIOT_PDF_CACHE=0), the offline zip and the open-data
   exports — wall time and peak memory of the whole process tree.
2. For each synthetic corpus (bench/synthetic.py: the real cases topped up with
   fictional ones to N cases, × 2 languages),
   in the same run and on the same machine:
     * pipeline      — this repository's build (hooks, i18n plugin, overrides), no search
     * plain         — the same pages dumped as plain Markdown, stock Material, no search
     * pipeline+search — with the Pagefind index
     * plain+lunr    — stock Material with its search plugin (lunr)
   (from about 1,100 Japanese pages, pipeline+search indexes Japanese in parts
   and merges them: regiot/searchindex.py)
   PDFs are off in all four (RIOT_PDF=0): 2 × N case sheets would take hours and
   the plain baseline has none.

    .venv/bin/python bench/build.py                 # real site + 1,000 and 3,000 cases
    .venv/bin/python bench/build.py --sizes 200     # quicker
    .venv/bin/python bench/build.py --no-real
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.measure import dir_size, run  # noqa: E402

MKDOCS = str(Path(sys.executable).parent / "mkdocs")
OUT = ROOT / "bench" / "out"


def env(**extra: str) -> dict:
    e = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", SITE_URL="http://127.0.0.1:8000/")
    e.update(extra)
    return e


def count_pages(site_dir: Path) -> int:
    return sum(1 for _ in Path(site_dir).rglob("index.html"))


def build(project: Path, site_dir: Path, name: str, **extra: str) -> dict:
    if site_dir.exists():
        shutil.rmtree(site_dir)
    r = run([MKDOCS, "build", "--site-dir", str(site_dir)], cwd=project, env=env(**extra),
            log=OUT / f"build-{name}.log")
    r["pages"] = count_pages(site_dir)
    r["site_mb"] = round(dir_size(site_dir) / 2**20, 1)
    return r


def bundles(site: Path) -> list[Path]:
    """The Pagefind bundles of a built site: pagefind/ (Japanese) and <lang>/pagefind/."""
    return [b for b in [Path(site) / "pagefind", *sorted(Path(site).glob("*/pagefind"))] if b.is_dir()]


def real_site(work: Path, keep: bool = False) -> dict:
    """Full build of the real site (cold PDF cache). With ``keep`` the site stays in work/real-site."""
    site = work / "real-site"
    r = build(ROOT, site, "real-full", RIOT_PDF_CACHE="0")
    r["pagefind_mb"] = round(sum(dir_size(b) for b in bundles(site)) / 2**20, 2)
    r["pagefind_files"] = sum(1 for b in bundles(site) for _ in b.rglob("*"))
    r["pdfs"] = sum(1 for _ in (site / "pdf").rglob("*.pdf")) if (site / "pdf").is_dir() else 0
    if not keep:
        shutil.rmtree(site, ignore_errors=True)
    return r


def synthetic(n: int, work: Path) -> dict:
    from bench.plain import write_plain_project
    from bench.synthetic import make_synthetic_project

    # the real cases too (the courses link to them), topped up with fictional ones to n
    real = sum(1 for _ in (ROOT / "cases").glob("*.yml"))
    project = make_synthetic_project(work / f"synthetic-{n}", max(n - real, 0), seed=0, with_real_cases=True)
    plain = write_plain_project(project, work / f"plain-{n}", search=True)
    plain_nosearch = write_plain_project(project, work / f"plain-nosearch-{n}", search=False)
    res = {"cases": n}
    res["pipeline"] = build(project, work / "s1", f"{n}-pipeline", RIOT_PDF="0", RIOT_SEARCH="0")
    res["plain"] = build(plain_nosearch, work / "s2", f"{n}-plain", )
    res["pipeline_search"] = build(project, work / "s3", f"{n}-pipeline-search", RIOT_PDF="0")
    res["pagefind_mb"] = round(sum(dir_size(b) for b in bundles(work / "s3")) / 2**20, 2)
    res["plain_lunr"] = build(plain, work / "s4", f"{n}-plain-lunr")
    idx = work / "s4" / "search" / "search_index.json"
    res["lunr_index_mb"] = round(idx.stat().st_size / 2**20, 2) if idx.is_file() else None
    res["overhead"] = round(res["pipeline"]["seconds"] / res["plain"]["seconds"] - 1, 3)
    res["search_ratio"] = round(res["pipeline_search"]["seconds"] / res["plain_lunr"]["seconds"], 3)
    for d in ("s1", "s2", "s3", "s4"):
        shutil.rmtree(work / d, ignore_errors=True)
    shutil.rmtree(project, ignore_errors=True)
    shutil.rmtree(plain, ignore_errors=True)
    shutil.rmtree(plain_nosearch, ignore_errors=True)
    return res


def report(fig: dict) -> list[str]:
    lines = []
    r = fig.get("real")
    if r:
        lines.append(f"real site, full build: {r['seconds']:.1f} s, peak memory {r['peak_pss_mb']:.0f} MB "
                     f"(PSS; RSS sum {r['peak_mb']:.0f} MB), "
                     f"{r['pages']} pages, {r['pdfs']} PDFs, Pagefind index {r['pagefind_mb']} MB in "
                     f"{r['pagefind_files']} files, site {r['site_mb']} MB")
    for s in fig.get("synthetic", []):
        lines.append(f"{s['cases']:,} cases × 2 languages ({s['pipeline']['pages']:,} pages):")
        lines.append(f"  pipeline {s['pipeline']['seconds']:.1f} s vs plain Markdown {s['plain']['seconds']:.1f} s "
                     f"(overhead {s['overhead']:+.1%}; target ≤ +10%)")
        lines.append(f"  with search: pipeline + Pagefind {s['pipeline_search']['seconds']:.1f} s vs stock Material + lunr "
                     f"{s['plain_lunr']['seconds']:.1f} s (ratio {s['search_ratio']:.2f}; target < 1)")
        ps, pp = s["pipeline_search"], s["pipeline"]
        pf = ps.get("peak_pss_by_command_mb", {}).get("pagefind_extend", 0)
        lines.append(f"  peak memory (PSS, target < 1024 MB): pipeline {pp['peak_pss_mb']:.0f} MB; pipeline + Pagefind "
                     f"{ps['peak_pss_mb']:.0f} MB, of which Pagefind's processes up to {pf:.0f} MB; "
                     f"plain + lunr {s['plain_lunr']['peak_pss_mb']:.0f} MB")
        lines.append(f"  (RSS sums, counting pages shared by forked processes twice: pipeline {pp['peak_mb']:.0f} MB, "
                     f"pipeline + Pagefind {ps['peak_mb']:.0f} MB, plain + lunr {s['plain_lunr']['peak_mb']:.0f} MB)")
        lines.append(f"  index size: Pagefind {s['pagefind_mb']} MB (split, loaded in fragments), "
                     f"lunr search_index.json {s['lunr_index_mb']} MB (loaded whole)")
    return lines


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000])
    ap.add_argument("--no-real", action="store_true")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    fig: dict = {}
    with tempfile.TemporaryDirectory(prefix="riot-bench-") as tmp:
        work = Path(tmp)
        if not args.no_real:
            fig["real"] = real_site(work)
            print("\n".join(report({"real": fig["real"]})), flush=True)
        fig["synthetic"] = []
        for n in args.sizes:
            fig["synthetic"].append(synthetic(n, work))
            print("\n".join(report({"synthetic": [fig["synthetic"][-1]]})), flush=True)
    (OUT / "build.json").write_text(json.dumps(fig, indent=1), encoding="utf-8")
    return fig


if __name__ == "__main__":
    main()
