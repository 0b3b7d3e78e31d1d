"""Run every benchmark and print the figures (`make bench`).

    .venv/bin/python bench/run_all.py                    # everything (about 35 minutes on 2 cores)
    .venv/bin/python bench/run_all.py --sizes 1000       # one synthetic size
    .venv/bin/python bench/run_all.py --write-page       # also put the figures on docs/maintainers*.md

Figures: full build of the real site (time, peak memory, Pagefind index size);
synthetic corpora against plain Markdown on stock Material (overhead, search,
memory); a case page in Chromium (bytes, time, third-party requests); PDF time
per course; and bench/search/run.py (search quality and speed) unless
--skip-search. Everything goes to bench/out/figures.json as well. These are
measurements, not tests: nothing fails on a figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import build, pageload, pdf_courses  # noqa: E402

OUT = ROOT / "bench" / "out"
PAGES = {"ja": ROOT / "docs" / "maintainers.md", "en": ROOT / "docs" / "maintainers.en.md"}
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def machine() -> str:
    import os

    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, AttributeError):
        pass
    return f"{platform.machine()}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def write_page(lines: list[str], command: str, when: str) -> None:
    block = "\n".join([START, "", f"Measured {when} on {machine()} with:", "", "```sh", command, "```", "",
                       "```text", *lines, "```", "", END])
    for path in PAGES.values():
        text = path.read_text(encoding="utf-8")
        if START in text and END in text:
            text = text[: text.index(START)] + block + text[text.index(END) + len(END):]
            path.write_text(text, encoding="utf-8")


PARTS = ("real", "pageload", "pdf", "synthetic", "search")


def summary(fig: dict) -> list[str]:
    lines: list[str] = []
    if fig.get("real"):
        lines += build.report({"real": fig["real"]})
    if fig.get("pageload"):
        lines += pageload.report(fig["pageload"])
    if "pdf_courses" in fig:
        lines += pdf_courses.report(fig["pdf_courses"])
    if fig.get("synthetic"):
        lines += build.report({"synthetic": fig["synthetic"]})
    if fig.get("search_output"):
        keep = [ln for ln in fig["search_output"].splitlines()
                if ln.lstrip().startswith(("==", "index size", "[ja]", "[en]", "build (", "first query"))]
        lines += ["bench/search/run.py (search quality and speed, its own synthetic corpus):", *keep]
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000])
    ap.add_argument("--parts", default=",".join(PARTS),
                    help="comma-separated parts to run (default: all); the others keep their last figures")
    ap.add_argument("--skip-search", action="store_true", help="do not run bench/search/run.py")
    ap.add_argument("--write-page", action="store_true", help="put the figures on docs/maintainers.md and .en.md")
    ap.add_argument("--note", default="", help="a line to add under the figures (e.g. how the machine was loaded)")
    args = ap.parse_args(argv)
    parts = {p for p in args.parts.split(",") if p} - ({"search"} if args.skip_search else set())
    OUT.mkdir(parents=True, exist_ok=True)
    saved = OUT / "figures.json"
    fig: dict = json.loads(saved.read_text(encoding="utf-8")) if saved.is_file() and parts != set(PARTS) else {}

    with tempfile.TemporaryDirectory(prefix="riot-bench-") as tmp:
        work = Path(tmp)
        if "real" in parts:
            fig["real"] = build.real_site(work, keep=True)
            print("\n".join(build.report({"real": fig["real"]})), flush=True)
        elif parts & {"pageload", "pdf"}:
            build.build(ROOT, work / "real-site", "site-for-pageload")  # not measured (PDFs from the cache)
        if "pageload" in parts:
            fig["pageload"] = pageload.measure(work / "real-site")
            print("\n".join(pageload.report(fig["pageload"])), flush=True)
        if "pdf" in parts:
            fig["pdf_courses"] = pdf_courses.measure(work / "real-site")
            print("\n".join(pdf_courses.report(fig["pdf_courses"])), flush=True)
        if "synthetic" in parts:
            fig["synthetic"] = []
            for n in args.sizes:
                fig["synthetic"].append(build.synthetic(n, work))
                print("\n".join(build.report({"synthetic": [fig["synthetic"][-1]]})), flush=True)
    if "search" in parts and (ROOT / "bench" / "search" / "run.py").is_file():
        res = subprocess.run([sys.executable, str(ROOT / "bench" / "search" / "run.py")], cwd=ROOT,
                             capture_output=True, text=True)
        fig["search_output"] = (res.stdout + ("" if res.returncode == 0 else "\n" + res.stderr[-2000:]))[-6000:]
        print(fig["search_output"], flush=True)
    when = dt.date.today().isoformat()
    fig["when"], fig["machine"] = when, machine()
    saved.write_text(json.dumps(fig, indent=1, ensure_ascii=False), encoding="utf-8")
    lines = summary(fig) + ([f"note: {args.note}"] if args.note else [])
    print("\n".join(["", "== figures ==", *lines]))
    if args.write_page:
        write_page(lines, "make bench  # = .venv/bin/python bench/run_all.py", when)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
