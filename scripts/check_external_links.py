#!/usr/bin/env python3
"""Check that the source pages cited by the cases still answer.

Reads every ``cases/*.yml``, collects the ``sources[].url`` addresses and asks each
one with a HEAD request, falling back to a GET when a server refuses HEAD or fails.
Addresses that do not answer with a success (after redirects) are reported:

* always as a plain list on standard output (``cases/x.yml:12: <url>: <reason>``);
* with ``--github`` (or when run inside GitHub Actions), also as warning
  annotations on the file and line, and as a table in the job summary.

The exit status is 0 whatever the links do: a dead source is work for an editor,
not a reason to block anyone. Requests to one host are made one after another
with a short pause; different hosts are checked in parallel. After three addresses
in a row on one host get no answer at all (time-out, refused connection), the rest
of that host's addresses are reported without asking again.

This script needs the network, so it is not part of ``make test``; the weekly
workflow ``.github/workflows/links.yml`` runs it. Usage::

    python scripts/check_external_links.py [--root .] [--github] [--timeout 15]
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import ssl
import sys
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from regiot.yamlio import load_file  # noqa: E402  (after the path set-up above)

USER_AGENT = "Mozilla/5.0 (compatible; regional-iot-knowledge-link-check/1.0)"
MAX_READ = 64 * 1024
HOST_GIVE_UP = 3
RETRY_WITH_GET = {400, 401, 403, 404, 405, 406, 409, 429, 500, 501, 502, 503, 504}


@dataclass(frozen=True)
class Use:
    """Where an address is cited."""

    file: str
    line: int


@dataclass(frozen=True)
class Result:
    url: str
    ok: bool
    detail: str  # "200 OK", "404 Not Found", "timed out", …


def collect(root: Path) -> dict[str, list[Use]]:
    """Every http(s) source address of every case, with where it is cited."""
    found: dict[str, list[Use]] = defaultdict(list)
    cases = root / "cases"
    if not cases.is_dir():
        return {}
    for path in sorted(cases.glob("*.yml")):
        shown = path.relative_to(root).as_posix()
        loaded, _ = load_file(path, shown)
        if loaded is None or not isinstance(loaded.data, dict):
            continue  # `make validate` reports broken files
        for i, src in enumerate(loaded.data.get("sources") or []):
            url = src.get("url") if isinstance(src, dict) else None
            if isinstance(url, str) and urlsplit(url).scheme in ("http", "https"):
                found[url].append(Use(shown, loaded.line(("sources", i, "url"))))
    return dict(found)


def make_opener(use_env_proxies: bool = True) -> urllib.request.OpenerDirector:
    handlers: list = [urllib.request.HTTPRedirectHandler(), urllib.request.HTTPSHandler(context=ssl.create_default_context())]
    if not use_env_proxies:
        handlers.insert(0, urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"{exc.code} {exc.reason}"
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"certificate problem ({reason.verify_message})"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return str(reason) or type(reason).__name__


def _request(opener: urllib.request.OpenerDirector, url: str, method: str, timeout: float) -> str:
    """Return 'NNN Reason' for a success; raise for a failure."""
    req = urllib.request.Request(url, method=method, headers={
        "User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8",
        "Accept-Language": "ja,en;q=0.8",
    })
    with opener.open(req, timeout=timeout) as resp:
        if method == "GET":
            resp.read(MAX_READ)
        return f"{resp.status} {resp.reason}"


def check_url(url: str, timeout: float = 20.0, opener: urllib.request.OpenerDirector | None = None) -> Result:
    """HEAD, then GET if the server refuses HEAD or fails; ok when either succeeds."""
    opener = opener or make_opener()
    parts = urlsplit(url)
    target = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))
    try:
        return Result(url, True, _request(opener, target, "HEAD", timeout))
    except urllib.error.HTTPError as exc:
        if exc.code not in RETRY_WITH_GET:
            return Result(url, False, _describe(exc))
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError):
        pass  # some servers drop HEAD requests; try GET before deciding
    try:
        return Result(url, True, _request(opener, target, "GET", timeout))
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        return Result(url, False, _describe(exc))


def check_all(urls: list[str], timeout: float = 20.0, workers: int = 6, pause: float = 0.5,
              opener: urllib.request.OpenerDirector | None = None) -> dict[str, Result]:
    """Check every address: hosts in parallel, one request at a time per host."""
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).netloc.lower()].append(url)

    def run_host(host_urls: list[str]) -> list[Result]:
        out: list[Result] = []
        unreachable = 0  # consecutive addresses the host did not answer at all
        for i, url in enumerate(host_urls):
            if unreachable >= HOST_GIVE_UP:
                out.append(Result(url, False, f"not checked: the host did not answer {HOST_GIVE_UP} addresses in a row"))
                continue
            if i:
                time.sleep(pause)
            res = check_url(url, timeout, opener)
            unreachable = unreachable + 1 if not res.ok and not res.detail[:3].isdigit() else 0
            out.append(res)
        return out

    results: dict[str, Result] = {}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for batch in pool.map(run_host, by_host.values()):
            for res in batch:
                results[res.url] = res
    return results


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotations(dead: list[Result], uses: dict[str, list[Use]]) -> list[str]:
    lines = []
    for res in dead:
        for use in uses[res.url]:
            lines.append(f"::warning file={_escape_prop(use.file)},line={use.line},title=Source link does not answer::"
                         + _escape_data(f"{res.url} — {res.detail}. Check the page; if it has moved, cite its new address."))
    return lines


def summary(results: dict[str, Result], uses: dict[str, list[Use]]) -> str:
    dead = [r for r in results.values() if not r.ok]
    out = ["## 情報源のリンク確認 / Source link check", "",
           f"{len(results)} 件のアドレスを確認し、{len(dead)} 件が応答しませんでした。 / "
           f"Checked {len(results)} addresses; {len(dead)} did not answer.", ""]
    if dead:
        out += ["| ファイル / File | アドレス / Address | 結果 / Result |", "|---|---|---|"]
        for res in sorted(dead, key=lambda r: r.url):
            url = res.url.replace("|", "%7C").replace("`", "%60")
            for use in uses[res.url]:
                out.append(f"| `{use.file}:{use.line}` | `{url}` | {res.detail.replace('|', '/')} |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check that the source pages cited by the cases still answer.")
    parser.add_argument("--root", default=str(ROOT), help="project folder (default: this repository)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for each request")
    parser.add_argument("--workers", type=int, default=6, help="hosts checked at the same time")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between two requests to the same host")
    parser.add_argument("--github", action="store_true",
                        help="also print GitHub warning annotations and write the job summary")
    args = parser.parse_args(argv)

    root = Path(args.root).resolve()
    uses = collect(root)
    results = check_all(sorted(uses), args.timeout, args.workers, args.pause)
    dead = sorted((r for r in results.values() if not r.ok), key=lambda r: r.url)

    print(f"Checked {len(results)} source addresses: {len(results) - len(dead)} answered, {len(dead)} did not.")
    for res in dead:
        for use in uses[res.url]:
            print(f"  {use.file}:{use.line}: {res.url}: {res.detail}")

    github = args.github or os.environ.get("GITHUB_ACTIONS") == "true"
    if github:
        for line in annotations(dead, uses):
            print(line)
        summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_path:
            with open(summary_path, "a", encoding="utf-8") as fh:
                fh.write(summary(results, uses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
