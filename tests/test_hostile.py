"""Untrusted content gate.

Contributors' files are untrusted. ``tests/fixtures/hostile/`` holds a corpus of
hostile case records:

* ``rejected/*.yml`` — each must be refused with a clear message (its first line
  ``# expect: …`` gives a part of it) and never a traceback: ``javascript:`` /
  ``data:`` URLs, tags and template syntax in titles, alias bombs, custom and
  Python tags, huge strings, deep nesting, non-UTF-8 bytes, tabs, NULs …
* ``accepted/*.yml`` — valid records full of ``<script>``, ``<img onerror>``,
  Markdown and HTML injection, Jinja syntax, entities, BOM and CRLF, bidi
  controls — which must be rendered inert.

A fixture site is built from the accepted records (plus hostile course Markdown
that the course loader accepts) and every page of it is inspected in Chromium:
no script runs (``window.__pwned`` canary), no attribute or element is injected,
the hostile text shows up as text, and there are no CSP violations. On the real
site: every external link has ``rel="noopener noreferrer"``, every page carries
the CSP ``<meta>`` without ``unsafe-eval``, and no page type reports a CSP
violation. Hypothesis feeds random YAML, bytes and strings to the loader.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from gates import csp_violations, guarded_page, write_results
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitecrawl import FEATURE_TYPES, REQUIRED_TYPES, site_pages
from siteserver import SiteServer

from conftest import FIXTURES, MKDOCS, ROOT, make_project
from regiot.cases import load_case_file, load_cases, load_schema
from regiot.problems import Problem
from regiot.vocab import load_vocab
from regiot.yamlio import MAX_BYTES, load_bytes

HOSTILE = FIXTURES / "hostile"
REJECTED = sorted((HOSTILE / "rejected").glob("*.yml"))
ACCEPTED = sorted((HOSTILE / "accepted").glob("*.yml"))
TODAY = dt.date(2026, 11, 26)
PWN = "window.__pwned=1"


@pytest.fixture(scope="module")
def vocab():
    return load_vocab(ROOT / "vocab", ROOT)


def expectation(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: "), f"{path.name} needs a '# expect: …' first line"
    return first[len("# expect: "):].strip()


def load_one(path: Path, tmp_path: Path, vocab) -> tuple[list[dict], list[Problem]]:
    cases = tmp_path / "cases"
    cases.mkdir(exist_ok=True)
    shutil.copy2(path, cases / path.name)
    return load_cases(cases, vocab, tmp_path, TODAY)


def assert_clear(problems: list[Problem], name: str) -> None:
    for p in problems:
        assert p.file == f"cases/{name}"
        assert p.message.strip() and "Traceback" not in p.message
        assert len(str(p)) < 600, f"a message should be short enough to read: {str(p)[:200]}…"


# --- The corpus ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", REJECTED, ids=lambda p: p.stem)
def test_hostile_record_is_rejected_clearly(path, tmp_path, vocab):
    records, problems = load_one(path, tmp_path, vocab)
    assert records == [], f"{path.name} was accepted"
    text = "\n".join(str(p) for p in problems)
    assert expectation(path) in text, text
    assert_clear(problems, path.name)


def test_oversized_file_is_rejected(tmp_path, vocab):
    path = tmp_path / "src" / "oversized.yml"
    path.parent.mkdir()
    path.write_text("id: oversized\nnote: '" + "x" * (MAX_BYTES + 10) + "'\n", encoding="utf-8")
    records, problems = load_one(path, tmp_path, vocab)
    assert records == [] and "the limit is" in str(problems[0])


@pytest.mark.parametrize("path", ACCEPTED, ids=lambda p: p.stem)
def test_hostile_but_valid_record_loads(path, tmp_path, vocab):
    records, problems = load_one(path, tmp_path, vocab)
    assert problems == [] and len(records) == 1


# --- Course Markdown -------------------------------------------------------------------------

COURSE_PAYLOADS = {
    "raw-script": f"<script>{PWN}</script>",
    "raw-img-onerror": f'text <img src=x onerror="{PWN}"> text',
    "autolink-javascript": f"<javascript:{PWN}>",
    "html-comment": "<!-- riot:status-summary -->",
    "md-in-html": '<div markdown="1">x</div>',
    "jinja": "{{ config }} {% include 'base.html' %}",
    "link-javascript": f"[click](javascript:{PWN})",
    "image-javascript": f"![x](javascript:{PWN})",
    "link-data": "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "reference-javascript": f"[click][evil]\n\n[evil]: javascript:{PWN}",
    "link-entity-javascript": f"[click](javascript&#58;{PWN})",
    "link-tab-javascript": f"[click](java\tscript:{PWN})",
    "link-split-line": f"[click](\njavascript:{PWN})",
    "attr-list-onclick": f'[click](https://example.org/){{ onclick="{PWN}" }}',
    "attr-list-href": '[click](https://example.org/){ href="javascript:window.__pwned=1" }',
    "attr-list-paragraph": f'A paragraph.\n{{: onmouseover="{PWN}" }}',
    "attr-list-image": f'![x](https://example.org/x.png){{ onerror="{PWN}" }}',
    "escaped-entities": f"&lt;script&gt;{PWN}&lt;/script&gt;",
}


def course_with(payloads: list[str], dest: Path) -> Path:
    """A copy of the fixture course whose first module (both languages) contains the payloads."""
    folder = dest / "test-course"
    shutil.copytree(FIXTURES / "site" / "courses" / "test-course", folder)
    for lang in ("ja", "en"):
        f = folder / f"first-steps.{lang}.md"
        text = f.read_text(encoding="utf-8")
        assert "More text." in text
        f.write_text(text.replace("More text.", "More text.\n\n" + "\n\n".join(payloads) + "\n", 1), encoding="utf-8")
    return folder


def course_verdict(name: str, tmp_path: Path, vocab):
    from regiot.courses import load_course

    folder = course_with([COURSE_PAYLOADS[name]], tmp_path / "courses")
    return load_course(folder, tmp_path, vocab, TODAY)


@pytest.mark.parametrize("name", sorted(COURSE_PAYLOADS))
def test_course_markdown_is_rejected_or_inert(name, tmp_path, vocab, request):
    """Raw HTML and script URLs in course Markdown are refused; what is accepted must render inert.

    Accepted payloads go into the hostile site (test_hostile_site_is_inert), whose
    DOM inspection fails if one of them injects an attribute, element or URL.
    """
    course, problems = course_verdict(name, tmp_path, vocab)
    if course is None:
        assert problems and all(p.message.strip() for p in problems)
        assert any(p.line > 0 for p in problems), "the message should give the line"
        return
    # accepted: it must come out of Markdown without markup of its own
    import markdown

    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkdocsLoader)
    exts = [e if isinstance(e, str) else next(iter(e)) for e in cfg["markdown_extensions"]]
    html = markdown.markdown(COURSE_PAYLOADS[name], extensions=exts)
    assert not DANGER.search(html), (
        f"course Markdown {name!r} is accepted by regiot/courses.py and renders to active HTML:\n  {html}")


class _MkdocsLoader(yaml.SafeLoader):
    pass


_MkdocsLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_MkdocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)

DANGER = re.compile(r"""<\s*(script|iframe|object|embed|base|form|meta|link|style)\b|\son[a-z]+\s*=|"""
                    r"""(href|src|action|formaction|xlink:href)\s*=\s*["']?\s*(javascript|vbscript|data)(:|&#0*58;|&colon;)""" +
                    r"""|(href|src)\s*=\s*["']?[^"'>]*&#""", re.I)


# --- The hostile site in Chromium ------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory, vocab):
    """Fixture site: the fixture corpus plus every accepted hostile record and course payload."""
    tmp = tmp_path_factory.mktemp("hostile")
    cases = tmp / "cases-src"
    shutil.copytree(FIXTURES / "site" / "cases", cases)
    for f in ACCEPTED:
        shutil.copy2(f, cases / f.name)
    accepted_payloads = []
    for name in sorted(COURSE_PAYLOADS):
        course, _ = course_verdict(name, tmp_path_factory.mktemp("probe"), vocab)
        if course is not None:
            accepted_payloads.append(name)
    courses = tmp / "courses-src"
    courses.mkdir()
    course_with([COURSE_PAYLOADS[n] for n in accepted_payloads], courses)
    project = make_project(tmp / "project", cases_from=cases, courses_from=courses)
    # Not --strict: MkDocs' strict mode happens to refuse some hostile links (as warnings about
    # unrecognised relative links); here everything the loaders accept must reach the browser.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1:8000/", RIOT_COURSES="1", RIOT_PDF="0")
    result = subprocess.run([MKDOCS, "build", "--no-strict", "--site-dir", "site"], cwd=project, capture_output=True, text=True,
                            env=env, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    server = SiteServer(project / "site")
    yield project / "site", server.url, accepted_payloads
    server.close()


INSPECT_JS = r"""() => {
  const bad = [];
  const origin = location.origin;
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const n = a.name.toLowerCase(), v = (a.value || '').replace(/[\u0000-\u0020]/g, '').toLowerCase();
      if (n.startsWith('on')) bad.push(`${el.tagName} has event handler ${n}="${a.value.slice(0, 60)}"`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(n) &&
          (v.startsWith('javascript:') || v.startsWith('vbscript:') || v.startsWith('data:text') || n === 'srcdoc'))
        bad.push(`${el.tagName} ${n}="${a.value.slice(0, 60)}"`);
      if (n === 'style' && /position\s*:\s*fixed|expression\(|url\(/i.test(a.value) && el.closest('article'))
        bad.push(`${el.tagName} style="${a.value.slice(0, 60)}"`);
    }
  }
  for (const el of document.querySelectorAll('iframe, object, embed, frame, base, form[action^="javascript"], article meta, article link, article style'))
    bad.push(`element <${el.tagName.toLowerCase()}>`);
  for (const s of document.scripts) {
    if (s.src) {
      const u = new URL(s.src);
      if (u.origin !== origin) bad.push(`script from ${s.src}`);
    } else if (/__pwned/.test(s.textContent)) {
      bad.push(`inline script: ${s.textContent.slice(0, 60)}`);
    } else if (s.closest('article')) {
      bad.push(`inline script in the content: ${s.textContent.slice(0, 60)}`);
    }
  }
  return bad;
}"""

# Literal text that must appear, as text, on the page built from each accepted record.
VISIBLE = {
    "script-in-prose": f"<script>{PWN}</script>",
    "img-onerror-in-prose": f'<img src=x onerror="{PWN}">',
    "markdown-in-title": f"[click](javascript:{PWN})",
    "jinja-in-prose": "{{ config }}",
    "html-entities-and-breakout": "&lt;script&gt;",
}


def poke(pg) -> None:
    """Hover and focus everything that could carry a handler, so an injected one would run."""
    pg.evaluate("""() => {
      for (const el of document.querySelectorAll('article *')) {
        for (const t of ['mouseover', 'mouseenter', 'focus', 'focusin', 'animationstart', 'load', 'error'])
          el.dispatchEvent(new Event(t, {bubbles: false}));
      }
    }""")


@pytest.mark.browser
@pytest.mark.slow
def test_hostile_site_is_inert(browser, hostile_site, figures):
    site_dir, base, accepted_payloads = hostile_site
    pages = [p for p in site_pages(site_dir) if not (p.type == "404" and p.lang == "en")]
    findings: dict[str, list[str]] = {}
    with guarded_page(browser) as (pg, problems):
        pg.add_init_script("Object.defineProperty(window, '__pwned', {set() { window.__pwnedHit = (window.__pwnedHit || 0) + 1; }, get() { return undefined; }, configurable: false});")
        for p in pages:
            pg.goto(base + p.path)
            pg.wait_for_load_state("load")
            poke(pg)
            pg.wait_for_timeout(50)
            bad = pg.evaluate(INSPECT_JS)
            if pg.evaluate("window.__pwnedHit || 0"):
                bad.append("a script ran (window.__pwned was set)")
            bad += [f"CSP: {v}" for v in csp_violations(pg, problems)]
            if bad:
                findings[p.path or "/"] = bad
            problems["console"].clear()
        # the hostile text is shown as text on its case page
        for stem, text in VISIBLE.items():
            for prefix in ("", "en/"):
                pg.goto(f"{base}{prefix}cases/{stem}/")
                body = pg.locator("article").inner_text()
                assert text in body, f"{prefix}cases/{stem}/ does not show {text!r} as text"
        assert problems["js"] == [], problems["js"]
    write_results("hostile-site", {"pages": len(pages), "course_payloads_accepted": accepted_payloads, "findings": findings})
    figures.append(f"hostile site: {len(pages)} pages inspected, {len(ACCEPTED)} hostile records and "
                   f"{len(accepted_payloads)} accepted course payloads, {sum(map(len, findings.values()))} injections found")
    assert not findings, "hostile content was not inert:\n" + "\n".join(
        f"  /{path}: " + "; ".join(msgs[:5]) for path, msgs in findings.items())


# --- The real site ---------------------------------------------------------------------------

@pytest.mark.slow
def test_external_links_have_noopener_noreferrer(real_site, figures):
    from bs4 import BeautifulSoup

    missing: dict[str, list[str]] = {}
    count = 0
    pages = site_pages(real_site)
    for p in pages:
        if p.type == "404" and p.lang == "en":
            continue
        soup = BeautifulSoup(p.file.read_text(encoding="utf-8"), "html.parser")
        for a in soup.find_all("a", href=True):
            href = a["href"].strip()
            if not re.match(r"^(https?:)?//", href, re.I) or href.startswith("http://127.0.0.1:8000/"):
                continue
            count += 1
            rel = set(a.get("rel") or [])
            if not {"noopener", "noreferrer"} <= rel:
                missing.setdefault(p.path or "/", []).append(href)
    figures.append(f"external links: {count} on {len(pages)} pages, {sum(map(len, missing.values()))} without rel=noopener noreferrer")
    assert not missing, "external links without rel=\"noopener noreferrer\":\n" + "\n".join(
        f"  /{path}: {', '.join(sorted(set(h))[:4])}" for path, h in list(missing.items())[:20])


@pytest.mark.slow
def test_every_page_has_the_csp_meta(real_site):
    from bs4 import BeautifulSoup

    for p in site_pages(real_site):
        soup = BeautifulSoup(p.file.read_text(encoding="utf-8"), "html.parser")
        metas = soup.find_all("meta", attrs={"http-equiv": re.compile("^content-security-policy$", re.I)})
        assert len(metas) == 1, f"/{p.path}: {len(metas)} CSP <meta> elements"
        policy = metas[0]["content"]
        directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
        assert "'unsafe-eval'" not in policy, f"/{p.path}: the CSP allows unsafe-eval"
        assert directives.get("default-src") == ["'self'"] and directives.get("object-src") == ["'none'"], policy
        assert directives.get("base-uri") == ["'self'"], policy
        head = str(soup.head)
        assert head.find("Content-Security-Policy") < head.find("<script"), \
            f"/{p.path}: the CSP <meta> must come before the first script"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ("ja", "en"))
@pytest.mark.parametrize("ptype", list(REQUIRED_TYPES) + list(FEATURE_TYPES))
def test_no_csp_violations(browser, gate_pages, ptype, lang):
    url = gate_pages.url(ptype, lang)
    with guarded_page(browser) as (pg, problems):
        pg.goto(url + ("?q=IoT" if ptype == "search" else ""))
        pg.wait_for_load_state("load")
        try:
            pg.wait_for_load_state("networkidle", timeout=5000)
        except Exception:  # noqa: BLE001
            pass
        if ptype == "module":
            pg.goto(url + "?instructor=1")
            pg.wait_for_load_state("load")
        assert csp_violations(pg, problems) == []
        assert problems["js"] == []


# --- Property-based tests --------------------------------------------------------------------

PROPS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
YAML_TOKENS = st.sampled_from(["&a ", "*a", "!!python/object:os.system ", "!!binary ", "!x ", "<<: ", "\t", "{", "}", "[", "]",
                               ": ", "- ", "? ", "---\n", "...\n", "|\n  ", ">\n  ", "'", '"', "#", "%YAML 1.1\n", "\ufeff",
                               "\x00", "\x07", "\r\n", "\n", "  ", "id: x\n", "title: ", "{{ x }}", "<script>", "2026-13-45",
                               "1e400", "0x1F", ".inf", "~", "null", "\u202e", "é"])


@PROPS
@given(st.binary(max_size=600))
def test_random_bytes_never_crash_the_loader(raw):
    loaded, problems = load_bytes(raw, "cases/random.yml")
    assert (loaded is None) == bool(problems)
    for p in problems:
        assert p.message.strip()


@PROPS
@given(st.lists(st.one_of(YAML_TOKENS, st.text(max_size=12)), max_size=40).map("".join))
def test_random_yaml_text_never_crashes_the_loader(text):
    loaded, problems = load_bytes(text.encode("utf-8", "surrogatepass"), "cases/random.yml")
    assert (loaded is None) == bool(problems)
    for p in problems:
        assert p.message.strip()


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
                    st.sampled_from(["javascript:alert(1)", "https://example.org/", "<script>x</script>", "{{ 7*7 }}", "2026-11-01", "15"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)


def _valid_record() -> dict:
    return yaml.safe_load((FIXTURES / "site" / "cases" / "alpha-town-farm-sensors.yml").read_text(encoding="utf-8"))


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _set(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value


@pytest.fixture(scope="module")
def fixture_renderer(tmp_path_factory):
    from regiot.render import Renderer
    from regiot.site import load_site

    project = make_project(tmp_path_factory.mktemp("render-project"))
    site = load_site(project)
    return site, Renderer(site, "http://127.0.0.1:8000/")


@PROPS
@given(st.data())
def test_random_case_documents_give_a_problem_or_a_valid_record(tmp_path_factory, fixture_renderer, data):
    import jsonschema

    vocab = fixture_renderer[0].vocab  # the real vocabularies with the fixture awards
    rec = _valid_record()
    for _ in range(data.draw(st.integers(0, 3))):
        paths = [p for p in _paths(rec) if p]  # again: an earlier change may have replaced a branch
        _set(rec, data.draw(st.sampled_from(paths)), data.draw(VALUES))
    if data.draw(st.booleans()):
        rec[data.draw(st.text(max_size=10))] = data.draw(VALUES)
    try:
        text = yaml.safe_dump(rec, allow_unicode=True)
    except (yaml.YAMLError, UnicodeEncodeError):
        return
    folder = tmp_path_factory.mktemp("prop")
    path = folder / "alpha-town-farm-sensors.yml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    record, problems = load_case_file(path, "cases/alpha-town-farm-sensors.yml", vocab, TODAY)
    assert (record is None) == bool(problems)
    if record is not None:
        jsonschema.validate(json.loads(record["_raw"]), load_schema())
    for p in problems:
        assert p.message.strip() and p.file == "cases/alpha-town-farm-sensors.yml"


HOSTILE_TEXT = st.lists(st.sampled_from(list("<>&\"'{}%#*_[]()!:=/\\`|-\n ") + [
    "script", "img", "onerror", "javascript", "{{", "{%", "&lt;", "&#60;", "<!--", "-->", "riot:", "あ", "\u202e", "a"]),
    min_size=1, max_size=40).map("".join)


TAG = re.compile(r"<[^>]*>")


@PROPS
@given(text=HOSTILE_TEXT, field=st.sampled_from(["background", "approach", "summary", "note"]), lang=st.sampled_from(["ja", "en"]))
def test_random_prose_is_escaped_in_rendered_pages(fixture_renderer, text, field, lang):
    """Whatever a contributor writes in prose, the page has no tag or attribute the template did not write."""
    site, renderer = fixture_renderer

    def body(value: str) -> str:
        case = dict(site.cases[0])
        case[field] = {"ja": value, "en": value}
        out = renderer._render("case.md.j2", f"cases/{case['id']}.md", lang, case=case, related=site.related(case))
        return out.split("\n---\n", 1)[1]

    allowed = set(TAG.findall(body("x"))) | {"<p>", "</p>"}
    hostile = body(text)
    assert set(TAG.findall(hostile)) <= allowed, set(TAG.findall(hostile)) - allowed


@PROPS
@given(st.one_of(st.lists(st.one_of(YAML_TOKENS, st.text(max_size=12)), max_size=40).map("".join),
                 VALUES.map(lambda v: yaml.safe_dump({"k": v}, allow_unicode=True, sort_keys=False))))
def test_fast_and_careful_loaders_agree(text):
    """libyaml's fast path returns exactly what the careful pure-Python path returns, or steps aside."""
    from regiot import yamlio

    fast = yamlio._fast(text.lstrip("\ufeff"))
    saved, yamlio._CLoader = yamlio._CLoader, None
    try:
        careful = yamlio.parse(text)
    except yamlio.YamlError:
        careful = None
    finally:
        yamlio._CLoader = saved
    if fast is not None:
        assert careful is not None and (fast.data, fast.lines) == (careful.data, careful.lines)
