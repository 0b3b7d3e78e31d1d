"""regiot.parallel: two processes give the same results as one, in the same order, and report failures."""

from __future__ import annotations

import functools
import os

import pytest

from conftest import make_project
from regiot import parallel


def _square(i: int) -> int:
    return i * i


def _fail_on(i: int, bad: int) -> int:
    if i == bad:
        raise ValueError(f"task {i} failed")
    return i


def test_results_keep_their_order(monkeypatch):
    monkeypatch.setenv("RIOT_WORKERS", "2")
    tasks = [functools.partial(_square, i) for i in range(25)]
    assert parallel.run(tasks, min_tasks=1) == [i * i for i in range(25)]


@pytest.mark.parametrize("bad", [3, 4])  # one task of the child's share, one of this process's
def test_a_failing_task_fails_the_run(monkeypatch, bad):
    monkeypatch.setenv("RIOT_WORKERS", "2")
    tasks = [functools.partial(_fail_on, i, bad) for i in range(10)]
    with pytest.raises((ValueError, RuntimeError), match="task .* failed"):
        parallel.run(tasks, min_tasks=1)


def test_one_worker_runs_here(monkeypatch):
    monkeypatch.setenv("RIOT_WORKERS", "1")
    assert parallel.workers() == 1
    seen = []
    parallel.run([functools.partial(seen.append, i) for i in range(5)], min_tasks=1)
    assert seen == [0, 1, 2, 3, 4]  # all ran in this process, in order


def test_site_loads_and_renders_the_same_on_two_processes(tmp_path, monkeypatch):
    from regiot.render import Renderer
    from regiot.site import load_site

    project = make_project(tmp_path / "p")
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    results = {}
    for n in ("1", "2"):
        monkeypatch.setenv("RIOT_WORKERS", n)
        site = load_site(project)
        results[n] = ([{k: v for k, v in c.items()} for c in site.cases], list(Renderer(site, "https://example.org/").pages().items()))
    assert results["1"] == results["2"]
    assert len(results["2"][1]) > 50


@pytest.mark.parametrize("workers", ["1", "2"])
def test_plan_renders_the_same_pages_as_pages(tmp_path, monkeypatch, workers):
    """A build renders case pages when MkDocs reads them; the result is the same as rendering all at once,
    with the section pages rendered in one process or, each language's, in two (in the same order)."""
    from regiot.render import Renderer
    from regiot.site import load_site

    site = load_site(make_project(tmp_path / "p"))
    renderer = Renderer(site, "https://example.org/")
    monkeypatch.setenv("RIOT_WORKERS", "1")
    serial, _ = renderer.plan()
    monkeypatch.setenv("RIOT_WORKERS", workers)
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)  # share the work however few the cases
    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    now, later = renderer.plan()
    assert len(forks) == (1 if workers == "2" else 0)
    assert list(now.items()) == list(serial.items())
    assert set(later) == {f"cases/{c['id']}{sfx}.md" for c in site.cases for sfx in ("", ".en")}
    assert not set(now) & set(later)
    planned = {**now, **{src: render() for src, render in later.items()}}
    assert planned == renderer.pages()
