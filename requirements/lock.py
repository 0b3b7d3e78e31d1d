"""Re-resolve requirements/site.txt and test.txt from the .in files.

Uses pip's resolver (``pip install --dry-run --report``) so the pins are the
exact versions pip would install today, transitive dependencies included.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def resolve(infile: Path) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
                        "-r", str(infile), "--report", str(report)], check=True)
        data = json.loads(report.read_text())
    pins = []
    for item in data["install"]:
        meta = item["metadata"]
        name = meta["name"]
        if name.lower() == "pagefind":
            name = "pagefind[extended]"
        pins.append(f"{name}=={meta['version']}")
    return sorted(pins, key=str.lower)


def main() -> None:
    site = resolve(HERE / "site.in")
    test = [p for p in resolve(HERE / "test.in") if p not in site and p.replace("[extended]", "") not in site]
    (HERE / "site.txt").write_text("# Generated from site.in by 'make lock' (pip's resolver report). Exact versions.\n"
                                   + "\n".join(site) + "\n")
    (HERE / "test.txt").write_text("# Generated from test.in by 'make lock'. Exact versions; includes the site's.\n"
                                   "-r site.txt\n" + "\n".join(test) + "\n")
    print(f"site.txt: {len(site)} pins; test.txt: {len(test)} more")


if __name__ == "__main__":
    main()
