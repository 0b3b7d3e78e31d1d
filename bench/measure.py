"""Run a command and measure it: wall time, and peak memory of its whole process tree.

Peak memory is sampled every 0.2 s as the sum of the resident set sizes of the
command and all its descendants (mkdocs, Pagefind, WeasyPrint workers …), read
from /proc.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        pid, ppid = int(d), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, log: Path | None = None) -> dict:
    """Run ``cmd``; return {seconds, peak_mb, max_single_mb, returncode}. Raises on failure."""
    out = open(log, "w") if log else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    peak = 0
    stop = threading.Event()

    def sample():
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            stop.wait(0.2)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    code = proc.wait()
    seconds = time.perf_counter() - t0
    stop.set()
    t.join()
    if log:
        out.close()
    if code != 0:
        tail = Path(log).read_text(encoding="utf-8", errors="replace")[-3000:] if log else ""
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({code}) in {cwd}\n{tail}")
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 1), "returncode": code}


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
