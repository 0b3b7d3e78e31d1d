"""Command line: ``python -m regiot validate | stats | new-case | issue-to-case``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .problems import ValidationFailed


def _root(arg: str | None) -> Path:
    return Path(arg or os.getcwd()).resolve()


def cmd_validate(args: argparse.Namespace) -> int:
    from .site import load_site

    try:
        site = load_site(_root(args.root))
    except ValidationFailed as exc:
        if args.format == "github":
            for p in exc.problems:
                print(p.github())
        print(exc.report(), file=sys.stderr if args.format == "github" else sys.stdout)
        return 1
    print(f"OK: {len(site.cases)} cases, {len(site.courses)} courses, "
          f"{sum(len(c.modules) for c in site.courses)} modules; no problems found.")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from .site import load_site
    from .stats import coverage, format_coverage

    try:
        site = load_site(_root(args.root))
    except ValidationFailed as exc:
        print(exc.report())
        return 1
    cov = coverage(site)
    print(format_coverage(cov))
    return 0 if cov["meets_targets"] or not args.check else 1


def cmd_new_case(args: argparse.Namespace) -> int:
    from .scaffold import new_case

    try:
        path = new_case(_root(args.root), args.id)
    except ValueError as exc:
        print(f"new-case: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {path}. Fill in every field, then run: make validate")
    return 0


def cmd_issue_to_case(args: argparse.Namespace) -> int:
    from .issueform import main_write

    if args.body_file == "-":
        body = sys.stdin.read()
    else:
        try:
            body = Path(args.body_file).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            print(f"issue-to-case: cannot read {args.body_file} ({exc.strerror})", file=sys.stderr)
            return 2
    out = Path(args.out) if args.out else None
    if out is not None and args.root and not out.is_absolute():
        out = _root(args.root) / out
    return main_write(body, args.id, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="regiot", description="Regional IoT Knowledge data tools")
    parser.add_argument("--root", help="project folder (default: current folder)")
    sub = parser.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("validate", help="check every case, course and vocabulary file")
    v.add_argument("--format", choices=["text", "github"], default="text",
                   help="github: also print GitHub Actions annotations")
    v.set_defaults(func=cmd_validate)
    s = sub.add_parser("stats", help="print corpus coverage (cases per field, block, prefecture)")
    s.add_argument("--check", action="store_true", help="exit 1 if the coverage targets are not met")
    s.set_defaults(func=cmd_stats)
    n = sub.add_parser("new-case", help="write cases/<id>.yml from the schema, every field commented")
    n.add_argument("id")
    n.set_defaults(func=cmd_new_case)
    i = sub.add_parser("issue-to-case",
                       help="turn a submitted 'propose a case' issue body into a checked case file")
    i.add_argument("body_file", metavar="BODY_FILE", help="file with the issue body as GitHub renders it ('-' for stdin)")
    i.add_argument("--id", help="case id (default: the form's file name, else made from the English title)")
    i.add_argument("--out", metavar="DIR", help="write DIR/<id>.yml (for example cases/) instead of printing the YAML")
    i.set_defaults(func=cmd_issue_to_case)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
