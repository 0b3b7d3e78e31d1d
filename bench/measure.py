"""Run a command and measure it: wall time, and peak memory of its whole process tree.

Peak memory is sampled over the command and all its descendants
(mkdocs, its forked second process, Pagefind, WeasyPrint workers …), read from
/proc, two ways:

* ``peak_mb``: the sum of their resident set sizes (RSS), every 0.2 s. A page of memory that a
  forked process still shares with its parent is counted in both.
* ``peak_pss_mb``: the sum of their proportional set sizes (PSS, from
  smaps_rollup), every second (reading it costs the kernel a walk of each
  process's page tables): a page shared by two processes counts half in each,
  so the sum is the memory the tree really occupies.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _tree(root: int) -> dict[int, int]:
    """{pid: resident bytes} of ``root`` and all its descendants."""
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
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        out[pid] = rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return out


def _tree_rss(root: int) -> int:
    return sum(_tree(root).values())


def _tree_pss(root: int) -> tuple[int, dict[str, int]]:
    """The PSS of the tree, and of each process by command name."""
    by_name: dict[str, int] = {}
    for pid in _tree(root):
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        by_name[name] = by_name.get(name, 0) + _pss(pid)
    return sum(by_name.values()), by_name


def run(cmd: list[str], cwd: Path | None = None, env: dict | None = None, log: Path | None = None) -> dict:
    """Run ``cmd``; return {seconds, peak_mb, peak_pss_mb, peak_pss_by_command_mb, returncode}. Raises on failure.

    ``peak_pss_by_command_mb`` is, for each command name (mkdocs, pagefind_extended …),
    the largest PSS its processes reached together.
    """
    out = open(log, "w") if log else subprocess.DEVNULL
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    peak = peak_pss = 0
    peak_by_name: dict[str, int] = {}
    stop = threading.Event()

    def sample():
        # RSS every 0.2 s; PSS (the kernel walks each process's page tables for it, which
        # costs CPU the build would otherwise have) once a second.
        nonlocal peak, peak_pss
        n = 0
        while not stop.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            if n % 5 == 0:
                total, by_name = _tree_pss(proc.pid)
                peak_pss = max(peak_pss, total)
                for name, size in by_name.items():
                    peak_by_name[name] = max(peak_by_name.get(name, 0), size)
            n += 1
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
    return {"seconds": round(seconds, 2), "peak_mb": round(peak / 2**20, 1),
            "peak_pss_mb": round(peak_pss / 2**20, 1), "returncode": code,
            "peak_pss_by_command_mb": {k: round(v / 2**20, 1) for k, v in sorted(peak_by_name.items(), key=lambda kv: -kv[1])}}


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())
