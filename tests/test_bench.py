"""The benchmarks' baseline (bench/plain.py) is stock: the same pages, nothing of this site's own build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, make_project


def test_the_plain_baseline_is_stock_markdown_and_builds(tmp_path):
    sys.path.insert(0, str(ROOT))
    from bench.plain import write_plain_project
    from regiot import mdhtml

    plain = write_plain_project(make_project(tmp_path / "p"), tmp_path / "plain", search=True)
    config = (plain / "mkdocs.yml").read_text(encoding="utf-8")
    assert "regiot" not in config and "hooks" not in config and "i18n" not in config
    assert "md_in_html" in config and "  - search:" in config
    pages = list((plain / "docs").rglob("*.md"))
    assert len(pages) > 50
    marks = {mdhtml.OPEN, mdhtml.CLOSE}
    assert not [p for p in pages if marks & {line.strip() for line in p.read_text(encoding="utf-8").splitlines()}]
    assert not [p for p in pages if "<!-- riot:" in p.read_text(encoding="utf-8")]
    result = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q", "--site-dir", str(tmp_path / "site")],
                            cwd=plain, capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1",
                                                                             "DISABLE_MKDOCS_2_WARNING": "true", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "site" / "search" / "search_index.json").is_file()
    assert (tmp_path / "site" / "en" / "cases" / "index.html").is_file()
