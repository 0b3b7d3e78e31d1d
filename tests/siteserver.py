"""For browser and link tests: the site server (regiot.devserver) and a guard that keeps a page on 127.0.0.1."""

from __future__ import annotations

from regiot.devserver import SiteServer  # noqa: F401 - the tests import it from here


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
