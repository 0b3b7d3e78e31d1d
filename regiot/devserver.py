"""A built site served on 127.0.0.1 as GitHub Pages serves it, and how to start Chromium.

Used by the tests, the benchmarks and scripts/screenshots.py (plain Python, no MkDocs).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
#: Debian's Chromium, headless, with nothing that reaches the network on its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: Files a web server such as GitHub Pages sends compressed.
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".mjs")


class SiteServer:
    """Serves ``directory`` under ``prefix`` (a project path such as ``/regional-iot/``, or ``/``) like
    GitHub Pages: the site's 404.html for missing pages. ``port`` 0 takes a free port. With
    ``compress``, text files go out gzipped with a cache lifetime, as GitHub Pages sends them."""

    def __init__(self, directory: Path, prefix: str = "/", port: int = 0, compress: bool = False):
        root = Path(directory)

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args, **kwargs):
                pass

            def end_headers(self):
                self.send_header("LinkChecker", "local test server")  # no request-rate limit
                if compress:
                    self.send_header("Cache-Control", "max-age=600")
                super().end_headers()

            def translate_path(self, path):
                clean = path.split("?", 1)[0].split("#", 1)[0]
                if not clean.startswith(prefix):
                    return str(root / "__outside_the_site__")
                return super().translate_path("/" + clean[len(prefix):])

            def send_head(self):
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                if (compress and path.suffix in TEXT and path.is_file()
                        and "gzip" in self.headers.get("Accept-Encoding", "")
                        and self.headers.get("If-Modified-Since") is None):
                    body = gzip.compress(path.read_bytes(), 6)
                    self.send_response(200)
                    self.send_header("Content-Type", self.guess_type(str(path)))
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
                    self.end_headers()
                    return io.BytesIO(body)
                return super().send_head()

            def send_error(self, code, message=None, explain=None):
                page404 = root / "404.html"
                if code == 404 and page404.is_file():
                    body = page404.read_bytes()
                    self.send_response(404)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                    return
                super().send_error(code, message, explain)

        handler = functools.partial(Handler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}{prefix}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
