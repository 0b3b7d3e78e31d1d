"""PDF handouts (case sheets, casebook, course PDFs) from the built site.

Pure core, no MkDocs: the hook (``hooks/pdf.py``) calls :func:`plan` after both
languages are built and :func:`render_all` to write the PDFs.

Each PDF is a print HTML document assembled from the ``<article>`` of built
pages (so the PDF says exactly what the page says) with the Jinja templates in
``templates/pdf/``, and rendered with WeasyPrint:

* every part gets an id prefix, so the ids of several pages never clash and
  links between included pages become links inside the PDF (named
  destinations); links to pages that are not included become absolute links to
  the site, and external links get their address printed after them;
* ``h1``/``h2`` become bookmarks (CSS ``bookmark-level``), the contents list has
  page numbers (``target-counter``), every page has a number;
* the output is deterministic: metadata dates come from the build date
  (``SOURCE_DATE_EPOCH`` if set, else today at 00:00 UTC), the file identifier
  from the file name, ids from page paths; rendering the same input twice gives
  the same bytes, which also makes the render cache (keyed by the input) safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
import os
import posixpath
import re
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from .site import LANGS, tr

ARTICLE_START = re.compile(r'<article class="md-content__inner md-typeset"[^>]*>')
ARTICLE_END = "</article>"
CACHE_VERSION = "1"

#: Words printed in the PDFs (the pages' own words come from the built pages).
LABELS: dict[str, dict[str, str]] = {
    "ja": {
        "site_name": "地域IoT実装ナレッジ",
        "contents": "目次",
        "case_sheet": "事例シート",
        "casebook": "事例集",
        "casebook_lede": "総務省「地域IoT実装推進ロードマップ」の分野ごとに、表彰・選定された地域IoTの実装事例をまとめました。",
        "cases_count": "{n} 事例",
        "included": "収録",
        "course_pdf": "講座テキスト",
        "learner_edition": "受講者用",
        "instructor_edition": "講師用（講師メモ付き）",
        "audience": "対象",
        "total_time": "合計時間",
        "minutes": "{n} 分",
        "modules_count": "{n} 単元",
        "built": "作成日",
        "page_url": "ウェブ版",
        "scan": "QRコードからウェブ版を開けます。",
        "overview": "講座の概要",
        "module": "単元 {n}",
        "licence": "CC BY 4.0",
        "page": "ページ",
    },
    "en": {
        "site_name": "Regional IoT Knowledge",
        "contents": "Contents",
        "case_sheet": "Case sheet",
        "casebook": "Casebook",
        "casebook_lede": "Award-winning and officially recognised regional IoT projects in Japan, by field of MIC's Regional IoT Implementation Roadmap.",
        "cases_count": "{n} cases",
        "included": "Cases",
        "course_pdf": "Course handbook",
        "learner_edition": "Learner edition",
        "instructor_edition": "Instructor edition (with instructor notes)",
        "audience": "Audience",
        "total_time": "Total time",
        "minutes": "{n} min",
        "modules_count": "{n} modules",
        "built": "Built",
        "page_url": "Web version",
        "scan": "Scan the QR code to open the web version.",
        "overview": "Course overview",
        "module": "Module {n}",
        "licence": "CC BY 4.0",
        "page": "Page",
    },
}


# --- dates and paths ------------------------------------------------------------------

def build_datetime(environ: dict | None = None) -> dt.datetime:
    """The build's date: SOURCE_DATE_EPOCH if set, else today at 00:00 UTC."""
    env = os.environ if environ is None else environ
    epoch = (env.get("SOURCE_DATE_EPOCH") or "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    today = dt.datetime.now(tz=dt.UTC).date()
    return dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)


def lang_prefix(lang: str) -> str:
    return "" if lang == LANGS[0] else f"{lang}/"


def page_file(site_dir: Path, url: str) -> Path:
    """The built HTML file of a directory-style site URL ('' is the home page)."""
    return Path(site_dir) / url / "index.html" if url.endswith("/") or url == "" else Path(site_dir) / url


def case_sheet_path(case_id: str, lang: str) -> str:
    return f"pdf/cases/{case_id}.{lang}.pdf"


def casebook_path(lang: str) -> str:
    return f"pdf/casebook.{lang}.pdf"


def course_pdf_path(course_id: str, lang: str, instructor: bool = False) -> str:
    return f"pdf/courses/{course_id}{'.instructor' if instructor else ''}.{lang}.pdf"


def extract_article(text: str) -> str:
    """The inner HTML of Material's content ``<article>`` of a built page."""
    m = ARTICLE_START.search(text)
    end = text.rfind(ARTICLE_END)
    if m is None or end < m.end():
        raise ValueError("no Material content <article> in the page")
    return text[m.end():end]


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of ``url`` (error correction M, like the pages' own)."""
    import segno

    return Markup(segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff"))


# --- rewriting a page's article into a part of a print document -----------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
#: Elements (by class) that are screen tools, not content.
DROP_CLASSES = {"headerlink", "md-content__button", "md-source-file", "riot-qr", "riot-course-tools",
                "riot-prevnext", "riot-pdf-links", "riot-no-print", "md-button--download"}
DROP_TAGS = {"script", "style", "noscript", "button", "form", "input", "template", "iframe"}


@dataclass
class LinkMap:
    """Where links go: pages included in the document become anchors, others the site."""

    site_url: str
    anchors: dict[str, str] = field(default_factory=dict)  # site path ("en/cases/x/") -> id prefix

    def absolute(self, path: str) -> str:
        return self.site_url.rstrip("/") + "/" + path


@dataclass
class Part:
    """One page's article, rewritten for print."""

    url: str                      # site path of the page, e.g. "en/cases/x/"
    prefix: str                   # id prefix of the part, e.g. "case-x--"
    html: Markup
    title: str
    headings: list[tuple[int, str, str]]  # (level, id, text) of h1/h2
    resources: list[str]          # site paths of local files the part uses (images)


class _Rewriter(HTMLParser):
    def __init__(self, url: str, prefix: str, links: LinkMap, drop_classes: set[str], drop_ids: set[str]):
        super().__init__(convert_charrefs=True)
        self.url, self.prefix, self.links = url, prefix, links
        self.drop_classes, self.drop_ids = drop_classes, drop_ids
        self.out: list[str] = []
        self.stack: list[str] = []
        self.dropping = 0          # depth inside a dropped element (0: not dropping)
        self.headings: list[tuple[int, str, str]] = []
        self._heading: list | None = None
        self.resources: list[str] = []
        self._link_text: list | None = None
        self._link_url: str | None = None

    # links and ids
    def resolve(self, value: str) -> tuple[str, str | None]:
        """(new href, printable address or None)."""
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            if parts.scheme in ("http", "https"):
                readable = unquote(value, errors="replace")
                return value, (value if "\ufffd" in readable or any(ord(c) < 32 for c in readable) else readable)
            return value, None
        if value.startswith("#"):
            return "#" + self.prefix + value[1:], None
        path = posixpath.normpath(posixpath.join("/" + self.url, parts.path)).lstrip("/")
        if parts.path.endswith("/") and path:
            path += "/"
        if path == ".":
            path = ""
        if path.endswith("index.html"):
            path = path[: -len("index.html")]
        if path in self.links.anchors:
            target = self.links.anchors[path] + (parts.fragment or "top")
            return "#" + target, None
        return self.links.absolute(path) + (f"#{parts.fragment}" if parts.fragment else ""), None

    def src(self, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme or parts.netloc or value.startswith("data:"):
            return value
        path = posixpath.normpath(posixpath.join("/" + self.url, parts.path)).lstrip("/")
        self.resources.append(path)
        return path  # relative to the site root, the print document's base URL

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        out = []
        cls = dict(attrs).get("class") or ""
        for name, value in attrs:
            if value is None:
                out.append(f" {name}")
                continue
            if name == "id":
                value = self.prefix + value
            elif name == "href" and tag == "a":
                value, printable = self.resolve(value)
                if printable:
                    self._link_url = printable
            elif name in ("src",) and tag in ("img", "source"):
                value = self.src(value)
            elif name in ("srcset", "download", "rel", "target", "title", "aria-pressed",
                          "data-print-url") and tag in ("a", "img"):
                continue  # (data-print-url is set again below, from the href)
            out.append(f' {name}="{html.escape(value, quote=True)}"')
        if tag == "details":
            out = [f' class="admonition {html.escape(cls)}"' if n.startswith(" class=") else n for n in out]
            if not cls:
                out.append(' class="admonition"')
        return "".join(out)

    # parser events
    def _drops(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in DROP_TAGS:
            return True
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        return bool(classes & self.drop_classes) or (a.get("id") in self.drop_ids)

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            if tag not in VOID:
                self.dropping += 1
            return
        if self._drops(tag, attrs):
            if tag not in VOID:
                self.dropping = 1
            return
        if tag in ("h1", "h2"):
            self._heading = [int(tag[1]), dict(attrs).get("id") or "", []]
        if tag == "a":
            self._link_text, self._link_url = [], None
        out_tag = {"details": "div", "summary": "p"}.get(tag, tag)
        attrs_html = self._attrs(tag, attrs)
        if tag == "summary":
            attrs_html = ' class="admonition-title"'
        if tag == "a" and self._link_url:
            attrs_html += f' data-print-url="{html.escape(self._link_url, quote=True)}"'
        self.out.append(f"<{out_tag}{attrs_html}>")
        if tag not in VOID:
            self.stack.append(out_tag)

    def handle_startendtag(self, tag, attrs):
        if self.dropping or self._drops(tag, attrs):
            return
        self.out.append(f"<{tag}{self._attrs(tag, attrs)}/>")

    def handle_endtag(self, tag):
        if self.dropping:
            if tag not in VOID:
                self.dropping -= 1
            return
        if tag in VOID:
            return
        out_tag = {"details": "div", "summary": "p"}.get(tag, tag)
        if out_tag not in self.stack:
            return  # stray end tag
        while self.stack:
            open_tag = self.stack.pop()
            self.out.append(f"</{open_tag}>")
            if open_tag == out_tag:
                break
        if tag in ("h1", "h2") and self._heading is not None:
            level, hid, text = self._heading
            self.headings.append((level, self.prefix + hid if hid else "", " ".join("".join(text).split())))
            self._heading = None
        if tag == "a" and self._link_text is not None:
            text = "".join(self._link_text).strip()
            if self._link_url and text == self._link_url:
                # the address is the link text already: don't print it twice
                for i in range(len(self.out) - 1, -1, -1):
                    if self.out[i].startswith("<a ") and "data-print-url" in self.out[i]:
                        self.out[i] = re.sub(r' data-print-url="[^"]*"', "", self.out[i])
                        break
            self._link_text, self._link_url = None, None

    def handle_data(self, data):
        if self.dropping:
            return
        if self._heading is not None:
            self._heading[2].append(data)
        if self._link_text is not None:
            self._link_text.append(data)
        self.out.append(html.escape(data, quote=False))

    def handle_entityref(self, name):  # pragma: no cover - convert_charrefs=True
        self.handle_data(html.unescape(f"&{name};"))

    def handle_comment(self, data):
        pass

    def result(self) -> str:
        while self.stack:
            self.out.append(f"</{self.stack.pop()}>")
        return "".join(self.out)


def make_part(site_dir: Path, url: str, prefix: str, links: LinkMap, *, instructor: bool = True,
              drop_ids: Iterable[str] = (), drop_classes: Iterable[str] = ()) -> Part:
    """Read the built page at site path ``url`` and rewrite its article for print."""
    text = page_file(site_dir, url).read_text(encoding="utf-8")
    drop = set(DROP_CLASSES) | set(drop_classes)
    if not instructor:
        drop.add("instructor")
    rw = _Rewriter(url, prefix, links, drop, set(drop_ids))
    rw.feed(extract_article(text))
    rw.close()
    body = SHORT_TH.sub(lambda m: f'<th{m.group(1)} style="white-space: nowrap">{m.group(2)}</th>'
                       if "style=" not in m.group(1) else m.group(0), rw.result())
    h1 = next((t for lv, _, t in rw.headings if lv == 1), "")
    return Part(url=url, prefix=prefix, html=Markup(body), title=h1, headings=rw.headings, resources=rw.resources)


#: Short column headings (e.g. 演習) stay on one line: CJK text may otherwise break between any
#: two characters, and a narrow number column squeezes its heading to one character a line.
SHORT_TH = re.compile(r"<th((?:\s[^>]*)?)>([^<]{1,6})</th>")
ID_ATTR = re.compile(r'\sid="([^"]*)"')
LOCAL_HREF = re.compile(r'href="#([^"]*)"')


def fix_local_links(doc: str, prefixes: Iterable[str]) -> str:
    """Point links to anchors that are not in the document at their part's top (or drop them)."""
    ids = set(ID_ATTR.findall(doc))
    prefixes = sorted(set(prefixes), key=len, reverse=True)

    def fix(m: re.Match) -> str:
        target = html.unescape(m.group(1))
        if target in ids:
            return m.group(0)
        for p in prefixes:
            if target.startswith(p) and p + "top" in ids:
                return f'href="#{html.escape(p + "top", quote=True)}"'
        return 'href="#"' if "top" not in ids else 'href="#top"'

    return LOCAL_HREF.sub(fix, doc)


# --- print documents ------------------------------------------------------------------

@dataclass
class Job:
    """One PDF to write: its print HTML and where it goes (relative to the site dir)."""

    out: str
    html: str
    resources: list[str] = field(default_factory=list)
    kind: str = ""
    title: str = ""

    def key(self, site_dir: Path) -> str:
        """Cache key: everything the PDF depends on."""
        import weasyprint

        h = hashlib.sha256()
        h.update(f"{CACHE_VERSION}\0{weasyprint.__version__}\0{self.out}\0".encode())
        h.update(self.html.encode("utf-8"))
        for res in sorted(set(self.resources)):
            p = Path(site_dir) / res
            h.update(res.encode() + b"\0" + (p.read_bytes() if p.is_file() else b"-"))
        return h.hexdigest()


def css_string(value: Any) -> Markup:
    """A CSS string literal (for ``content:`` in the print CSS template)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return Markup(f'"{text}"')


_ENV = None


def _env():
    global _ENV
    if _ENV is None:
        from .render import make_env

        _ENV = make_env()
        _ENV.filters["css_string"] = css_string
    return _ENV


@dataclass
class Context:
    """What every document needs to know about the build."""

    site_dir: Path
    site_url: str
    print_css: str
    built: dt.datetime
    site_names: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.site_url.rstrip("/") + "/" + path

    def labels(self, lang: str) -> dict[str, str]:
        out = dict(LABELS.get(lang) or LABELS["en"])
        if self.site_names.get(lang):
            out["site_name"] = self.site_names[lang]
        return out

    def common(self, lang: str, kind: str, title: str, description: str = "") -> dict[str, Any]:
        return {
            "lang": lang, "L": self.labels(lang), "kind": kind, "title": title, "description": description,
            "print_css": Markup(self.print_css), "built": self.built.strftime("%Y-%m-%d"),
            "built_w3c": self.built.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }


def _render(template: str, **ctx: Any) -> str:
    return _env().get_template(template).render(**ctx)


#: A case's "related cases" are links for browsing the site, not part of a handout.
CASE_DROPS = {"drop_ids": {"related"}, "drop_classes": {"riot-related"}}


def case_sheet_job(ctx: Context, case: dict, lang: str) -> Job:
    url = f"{lang_prefix(lang)}cases/{case['id']}/"
    links = LinkMap(ctx.site_url, {url: "case--"})
    part = make_part(ctx.site_dir, url, "case--", links, **CASE_DROPS)
    page_url = ctx.url(url)
    doc = _render("pdf/case_sheet.html.j2", **ctx.common(lang, "case-sheet", part.title, tr(case["summary"], lang)),
                  part=part, page_url=page_url, qr=qr_svg(page_url), case=case)
    doc = fix_local_links(doc, ["case--"])
    return Job(out=case_sheet_path(case["id"], lang), html=doc, resources=part.resources, kind="case-sheet",
               title=part.title)


def casebook_job(ctx: Context, site, lang: str) -> Job:
    """All cases, grouped by their main roadmap field, with a contents list."""
    v = site.vocab
    groups = []
    urls = {c["id"]: f"{lang_prefix(lang)}cases/{c['id']}/" for c in site.cases}
    links = LinkMap(ctx.site_url, {u: f"case-{cid}--" for cid, u in urls.items()})
    for f in v.fields:
        cases = sorted((c for c in site.cases if c["fields"][0] == f["id"]),
                       key=lambda c: (c["location"]["prefectures"][0], c["id"]))
        if not cases:
            continue
        parts = [make_part(ctx.site_dir, urls[c["id"]], f"case-{c['id']}--", links, **CASE_DROPS)
                 for c in cases]
        groups.append({"field": f, "name": tr(f, lang), "description": tr(f.get("description"), lang),
                       "id": f"field-{f['id']}", "parts": parts})
    index_url = f"{lang_prefix(lang)}cases/"
    page_url = ctx.url(index_url)
    L = ctx.labels(lang)
    doc = _render("pdf/casebook.html.j2", **ctx.common(lang, "casebook", f"{L['casebook']} — {L['site_name']}",
                                                       L["casebook_lede"]),
                  groups=groups, count=len(site.cases), page_url=page_url, qr=qr_svg(page_url))
    doc = fix_local_links(doc, [p.prefix for g in groups for p in g["parts"]])
    resources = [r for g in groups for p in g["parts"] for r in p.resources]
    return Job(out=casebook_path(lang), html=doc, resources=resources, kind="casebook", title=L["casebook"])


def course_job(ctx: Context, course, lang: str, instructor: bool = False) -> Job:
    """A course: cover, contents, the syllabus page, then every module in order."""
    base = f"{lang_prefix(lang)}courses/{course.id}/"
    anchors = {base: "course--"}
    anchors.update({f"{base}{m.id}/": f"m-{m.id}--" for m in course.modules})
    links = LinkMap(ctx.site_url, anchors)
    overview = make_part(ctx.site_dir, base, "course--", links, instructor=instructor)
    modules = [make_part(ctx.site_dir, f"{base}{m.id}/", f"m-{m.id}--", links, instructor=instructor)
               for m in course.modules]
    page_url = ctx.url(base)
    L = ctx.labels(lang)
    title = tr(course.title, lang)
    doc = _render("pdf/course.html.j2", **ctx.common(lang, "course", title, tr(course.data.get("summary"), lang)),
                  course=course, overview=overview, modules=list(zip(course.modules, modules, strict=True)),
                  instructor=instructor, page_url=page_url, qr=qr_svg(page_url),
                  audience=tr(course.data.get("audience"), lang), minutes=course.minutes,
                  edition=L["instructor_edition"] if instructor else L["learner_edition"])
    doc = fix_local_links(doc, ["course--"] + [p.prefix for p in modules])
    resources = overview.resources + [r for p in modules for r in p.resources]
    return Job(out=course_pdf_path(course.id, lang, instructor), html=doc, resources=resources, kind="course",
               title=title)


def plan(ctx: Context, site, langs: Iterable[str] = LANGS) -> list[Job]:
    """Every PDF of the site: case sheets, casebooks, course PDFs (both editions)."""
    jobs: list[Job] = []
    for lang in langs:
        for case in site.cases:
            jobs.append(case_sheet_job(ctx, case, lang))
        if site.cases:
            jobs.append(casebook_job(ctx, site, lang))
        for course in site.courses:
            for instructor in (False, True):
                jobs.append(course_job(ctx, course, lang, instructor))
    return jobs


def cost(job: Job) -> int:
    """A rough rendering cost, to start the longest PDFs first."""
    return len(job.html)


# --- rendering ------------------------------------------------------------------------

def render_pdf(doc: str, base_url: str, out_name: str) -> bytes:
    """Render a print HTML document to PDF bytes (deterministic)."""
    from weasyprint import HTML

    ident = hashlib.md5(out_name.encode("utf-8")).hexdigest().encode("ascii")
    return HTML(string=doc, base_url=base_url).write_pdf(pdf_identifier=ident)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


#: WeasyPrint's complaints about print.css rules that are meant for browsers only.
BENIGN_WARNINGS = ("line-break", "mask-image", "details-content", "keep-all")


def notable_warnings(results: Iterable[Result]) -> dict[str, int]:
    """WeasyPrint's warnings worth reporting (missing anchors, images …), with how many PDFs had each."""
    counts: dict[str, int] = {}
    for r in results:
        for msg in sorted(set(r.warnings)):
            if not any(b in msg for b in BENIGN_WARNINGS):
                counts[msg] = counts.get(msg, 0) + 1
    return counts


def _render_job(args: tuple[str, str, str]) -> tuple[bytes, float, list[str]]:
    """Render one document; also return WeasyPrint's warnings (missing anchors, images, CSS)."""
    doc, base_url, out_name = args
    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        t0 = time.perf_counter()
        data = render_pdf(doc, base_url, out_name)
        return data, time.perf_counter() - t0, collect.messages
    finally:
        logger.removeHandler(collect)


@dataclass
class Result:
    out: str
    seconds: float
    cached: bool
    size: int
    warnings: list[str] = field(default_factory=list)


def render_all(jobs: list[Job], site_dir: Path, cache_dir: Path | None = None, workers: int = 0) -> list[Result]:
    """Render every job into ``site_dir``; reuse ``cache_dir/<key>.pdf`` when the input is unchanged."""
    site_dir = Path(site_dir)
    base_url = site_dir.resolve().as_uri() + "/"
    results: dict[str, Result] = {}
    todo: list[tuple[Job, str]] = []
    for job in jobs:
        key = job.key(site_dir)
        cached = cache_dir / f"{key}.pdf" if cache_dir else None
        dest = site_dir / job.out
        dest.parent.mkdir(parents=True, exist_ok=True)
        if cached is not None and cached.is_file():
            data = cached.read_bytes()
            dest.write_bytes(data)
            results[job.out] = Result(job.out, 0.0, True, len(data))
        else:
            todo.append((job, key))
    todo.sort(key=lambda t: -cost(t[0]))  # longest first: the workers finish together
    workers = workers or min(len(todo), os.cpu_count() or 1)
    args = [(job.html, base_url, job.out) for job, _ in todo]
    if workers > 1 and len(todo) > 1:
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method)) as pool:
            rendered = list(pool.map(_render_job, args, chunksize=1))
    else:
        rendered = [_render_job(a) for a in args]
    for (job, key), (data, seconds, warnings) in zip(todo, rendered, strict=True):
        (site_dir / job.out).write_bytes(data)
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = cache_dir / f"{key}.tmp{os.getpid()}"
            tmp.write_bytes(data)
            tmp.replace(cache_dir / f"{key}.pdf")
        results[job.out] = Result(job.out, seconds, False, len(data), warnings)
    return [results[j.out] for j in jobs]


def prune_cache(cache_dir: Path, keep: Iterable[str]) -> None:
    """Remove cached PDFs that this build did not use."""
    keep = set(keep)
    if not cache_dir.is_dir():
        return
    for p in cache_dir.glob("*.pdf"):
        if p.stem not in keep:
            p.unlink(missing_ok=True)
