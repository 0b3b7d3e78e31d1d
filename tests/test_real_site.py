"""The real site builds and its pages look right in Chromium."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PAGE_TYPES = [
    ("", "地域IoT実装ナレッジ"),
    ("cases/", "事例一覧"),
    ("cases/rumoi-sea-cucumber-it-fishing/", "IT"),
    ("fields/", "ロードマップの分野"),
    ("fields/health/", "医療・介護・健康"),
    ("regions/", "地域から探す"),
    ("regions/01/", "北海道"),
    ("awards/", "表彰・選定"),
    ("status/", "実装状況"),
    ("about/", "このサイトについて"),
]


@pytest.mark.parametrize("path, h1", PAGE_TYPES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_page_types_render_in_both_languages(page, served_site, path, h1, lang):
    prefix = "en/" if lang == "en" else ""
    resp = page.goto(served_site + prefix + path)
    assert resp.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").first.inner_text().strip()
    if lang == "ja":
        assert h1 in page.locator("h1").first.inner_text()
    assert page.riot_js_errors == []


def test_404_is_bilingual(page, served_site):
    resp = page.goto(served_site + "no/such/page/")
    assert resp.status == 404
    body = page.locator("body").inner_text()
    assert "ページが見つかりません" in body and "Page not found" in body


def test_map_has_47_focusable_prefectures_with_counts(page, served_site, real_site):
    import re

    from conftest import ROOT
    from regiot.site import load_site

    site = load_site(ROOT)
    page.goto(served_site + "regions/")
    tiles = page.locator("svg.riot-map a")
    assert tiles.count() == 47
    for i in range(47):
        tile = tiles.nth(i)
        code = tile.get_attribute("data-code")
        expected = sum(1 for c in site.cases if c["location"]["prefectures"][0] == code)
        assert int(tile.get_attribute("data-count")) == expected
        assert tile.get_attribute("href") == f"{code}/"
        assert re.match(r".+: \d+件$", tile.get_attribute("aria-label"))
    # keyboard: the tiles are reachable with Tab and Enter follows the link
    tiles.first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/regions/01/")
