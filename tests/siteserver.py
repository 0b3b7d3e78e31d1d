"""A built site served over HTTP on 127.0.0.1, as GitHub Pages serves it, for browser and link tests."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path


class SiteServer:
    """Serves ``directory`` under ``prefix`` (a project path such as ``/regional-iot/``, or ``/``) like
    GitHub Pages: the site's 404.html for missing pages. ``port`` 0 takes a free port."""

    def __init__(self, directory: Path, prefix: str = "/", port: int = 0):
        root = Path(directory)

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args, **kwargs):
                pass

            def end_headers(self):
                self.send_header("LinkChecker", "local test server")  # no request-rate limit
                super().end_headers()

            def translate_path(self, path):
                clean = path.split("?", 1)[0].split("#", 1)[0]
                if not clean.startswith(prefix):
                    return str(root / "__outside_the_site__")
                return super().translate_path("/" + clean[len(prefix):])

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


def only_localhost(ctx) -> list[str]:
    """Let a browser context reach 127.0.0.1 (and data:, blob:, file:) only; returns the list of refused URLs."""
    outside: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:", "file:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    ctx.route("**/*", guard)
    return outside
