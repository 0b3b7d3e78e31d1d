"""Run a list of independent tasks on two cores, keeping their order.

Loading thousands of case files and rendering their pages is plain Python and
takes one core; MkDocs, which waits for the result, uses one core too. On a
machine with a second core, a forked child process takes every other task
while this process does the rest; the child sends its results back pickled.

Forking shares everything already loaded (vocabularies, templates, the site)
without pickling it. Only on platforms with ``os.fork`` and when there are at
least ``MIN_TASKS`` tasks; otherwise, or with ``RIOT_WORKERS=1``, the tasks run
here, one after the other. Either way the results are the same
(tests/test_parallel.py).
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import Any

MIN_TASKS = 200


def workers() -> int:
    """How many processes to use: RIOT_WORKERS, or 2 when there is a second core."""
    env = os.environ.get("RIOT_WORKERS", "")
    if env.isdigit() and int(env) > 0:
        return min(int(env), 2)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return 2 if cores > 1 and hasattr(os, "fork") else 1


def run(tasks: Sequence[Callable[[], Any]], min_tasks: int | None = None) -> list[Any]:
    """Call every task; return their results in order."""
    if workers() < 2 or len(tasks) < (MIN_TASKS if min_tasks is None else min_tasks):
        return [t() for t in tasks]
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: every odd task
        os.close(read_fd)
        code = 0
        try:
            try:
                payload = pickle.dumps(("ok", [tasks[i]() for i in range(1, len(tasks), 2)]), pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
                payload = pickle.dumps(("error", traceback.format_exc()))
                code = 1
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        mine = [tasks[i]() for i in range(0, len(tasks), 2)]
    except BaseException:
        os.close(read_fd)
        os.waitpid(pid, 0)
        raise
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    status, theirs = pickle.loads(data) if data else ("error", "the worker process ended without a result")
    if status != "ok":
        raise RuntimeError(f"a worker process failed:\n{theirs}")
    out: list[Any] = [None] * len(tasks)
    out[0::2], out[1::2] = mine, theirs
    return out
