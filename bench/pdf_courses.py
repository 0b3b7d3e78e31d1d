"""PDF time per course: each course PDF (both languages, learner and instructor
editions) rendered on its own, one at a time, from a built site.

    .venv/bin/python bench/pdf_courses.py SITE_DIR    # a site built from this repository
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def measure(site_dir: Path) -> dict:
    from regiot import pdf
    from regiot.site import load_site

    site = load_site(ROOT)
    css = (ROOT / "docs" / "assets" / "print.css").read_text(encoding="utf-8")
    ctx = pdf.Context(site_dir=Path(site_dir), site_url=os.environ.get("SITE_URL", "http://127.0.0.1:8000/"),
                      print_css=css, built=pdf.build_datetime())
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="riot-pdf-") as tmp:
        base_url = Path(site_dir).resolve().as_uri() + "/"
        for course in site.courses:
            for lang in ("ja", "en"):
                for instructor in (False, True):
                    t0 = time.perf_counter()
                    job = pdf.course_job(ctx, course, lang, instructor)
                    data = pdf.render_pdf(job.html, base_url, job.out)
                    took = time.perf_counter() - t0
                    (Path(tmp) / "x.pdf").write_bytes(data)
                    key = f"{course.id}/{lang}/{'instructor' if instructor else 'learner'}"
                    out[key] = {"seconds": round(took, 2), "kb": round(len(data) / 1024), "modules": len(course.modules)}
    return out


def report(fig: dict) -> list[str]:
    if not fig:
        return ["course PDFs: no courses are built (RIOT_COURSES)"]
    lines = []
    by_course: dict[str, list] = {}
    for key, r in fig.items():
        by_course.setdefault(key.split("/")[0], []).append((key, r))
    for cid, rows in by_course.items():
        parts = ", ".join(f"{k.split('/', 1)[1]} {r['seconds']:.1f} s ({r['kb']} KB)" for k, r in rows)
        lines.append(f"course PDF {cid} ({rows[0][1]['modules']} modules): {parts}")
    return lines


if __name__ == "__main__":
    fig = measure(Path(sys.argv[1]))
    print(json.dumps(fig, indent=1))
    print("\n".join(report(fig)))
