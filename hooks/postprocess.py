"""Hook: last touches to every rendered page (and 404.html), in one pass.

External links get ``rel="noopener noreferrer"`` and text in the other language
a ``lang`` attribute; the work is done by :func:`regiot.htmlpost.mark_languages`.
"""

from __future__ import annotations

from regiot.htmlpost import mark_languages


def on_post_page(output: str, page, config) -> str:
    return mark_languages(output, site_url=config.site_url or "")


def on_post_template(output_content: str, template_name: str, config) -> str:
    if template_name.endswith(".html"):
        return mark_languages(output_content, site_url=config.site_url or "")
    return output_content
