"""regiot.htmlpost: language marks and rel on external links, checked against the tag-by-tag reference."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from postprocess_reference import mark_languages as reference

from regiot.htmlpost import mark_languages

SITE = "https://example.org/site/"

# Well-formed fragments only: the fast version finds the end of an element that
# declares a language by counting its start and end tags, which is what a browser
# does for well-formed markup. Mis-nested markup ("<span><div></span></div>") is
# repaired by browsers in ways neither version copies; the site's own pages are checked
# after the build by tests/test_accessibility.py::test_mixed_language_text_has_lang,
# which parses every page into a tree and looks up each text run's declared language.
TEXT = st.sampled_from([
    "地域IoT実装", "「スマート農業」の実証", "（株）", "Regional IoT implementation in Japan", "the data and the people who use it",
    " ", "\n", "Smart City", "IoT", "2026年", "ICT地域活性化大賞", "R&amp;D for the small towns of Hokkaido",
    "lang=ja in the text of a page",
])
LEAF = st.sampled_from([
    "<br>", "<img alt=\"日本語の説明\" src=x.png>", "<!-- 日本語 comment with many English words -->",
    "<script>var s = '日本語 and some English words here';</script>", "<svg><text>地図 map of the whole country</text></svg>",
    "<title>タイトル Title of the page here</title>", "<script>var s = 'only English words in this script';</script>",
    "<!-- a comment with English words only -->", "<svg><text>a map of the whole country</text></svg>",
    "<style>/* styles for the whole site */</style>", "<script>w('<div lang=\"en\">')</script>",
    '<a hreflang="en" href="/en/">English version of this page</a>',
])
CONTAINER = st.sampled_from([
    ("<p>", "</p>"), ("<div>", "</div>"), ("<span>", "</span>"), ('<span lang="ja">', "</span>"),
    ('<span lang="en">', "</span>"), ('<div lang="en">', "</div>"), ('<p lang="ja-JP">', "</p>"),
    ('<a href="https://example.com/x">', "</a>"), ('<a href="/local/">', "</a>"), (f'<a href="{SITE}page/">', "</a>"),
    ('<a rel="external" href="//cdn.example/">', "</a>"), ('<a rel="noopener noreferrer" href="http://x/">', "</a>"),
])
FRAGMENT = st.recursive(
    st.one_of(TEXT, LEAF),
    lambda inner: st.tuples(CONTAINER, st.lists(inner, max_size=5)).map(lambda t: t[0][0] + "".join(t[1]) + t[0][1]),
    max_leaves=30,
)


def page(lang: str, body: str) -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>t</title></head><body>{body}</body></html>'


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["ja", "en"]), st.lists(FRAGMENT, max_size=8).map("".join))
def test_same_result_as_the_tag_by_tag_reference(lang, body):
    html = page(lang, body)
    assert mark_languages(html, site_url=SITE) == reference(html, site_url=SITE)


def test_english_page_marks_japanese_runs_outside_markup():
    html = page("en", '<p>Winner of the ICT地域活性化大賞 2019</p><p title="日本語">x</p><span lang="ja">日本語</span>'
                      "<script>'日本語'</script>")
    out = mark_languages(html)
    assert '<p>Winner of the ICT<span lang="ja">地域活性化大賞</span> 2019</p>' in out
    assert 'title="日本語"' in out and '<span lang="ja">日本語</span>' in out and "<script>'日本語'</script>" in out
    assert out.count('lang="ja"') == 2


def test_japanese_page_marks_english_sentences_only_in_japanese_free_text():
    html = page("ja", "<p>This sentence is in English.</p><p>日本語の文に Regional IoT implementation in Japan が入る。</p>"
                      '<div lang="en"><p>Quoted English text here with 実証 inside</p></div>')
    out = mark_languages(html)
    assert '<p><span lang="en">This sentence is in English.</span></p>' in out
    assert "<p>日本語の文に Regional IoT implementation in Japan が入る。</p>" in out
    assert 'with <span lang="ja">実証</span> inside' in out


def test_external_links_get_noopener_noreferrer():
    html = page("ja", '<a href="https://example.com/">a</a><a rel="external" href="http://x.example/">b</a>'
                      f'<a href="{SITE}x/">c</a><a href="../x/">d</a>')
    out = mark_languages(html, site_url=SITE)
    assert '<a href="https://example.com/" rel="noopener noreferrer">' in out
    assert '<a rel="external noopener noreferrer" href="http://x.example/">' in out
    assert f'<a href="{SITE}x/">' in out and '<a href="../x/">' in out
