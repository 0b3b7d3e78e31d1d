"""Merging Pagefind bundles (regiot/pagefindmerge.py), on bundles the Pagefind binary builds.

A large language is indexed in parts, one Pagefind run after the other, and the
parts are merged into one bundle. The merged bundle must hold exactly what one
run over all the pages holds: the same words at the same positions of the same
pages, the same filters and metadata fields. A bundle merged on its own must come
out byte for byte as Pagefind wrote it (same files, same names, same data).
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
from pathlib import Path

import cbor2
import pytest

from regiot import pagefindmerge, searchindex
from regiot.pagefindmerge import MergeError, contents, full_hash, merge, read_data

VOCAB = [f"w{i:04d}" for i in range(3000)]


def _page(root: Path, rel: str, title: str, body: str, lang: str = "en", attrs: str = "") -> None:
    path = root / rel / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>'
                    f'<nav>not indexed</nav><main data-pagefind-body {attrs}><h1>{title}</h1>{body}</main>'
                    f"</body></html>", encoding="utf-8")


def _site(root: Path, n: int = 9) -> Path:
    """n pages of English: enough words for several index chunks, accented words (Pagefind
    keeps their forms as variants), a filter, and a metadata field only some pages have."""
    rnd = random.Random(7)
    for i in range(n):
        words = " ".join(rnd.choice(VOCAB) for _ in range(2600))
        accents = "Café au lait in Málaga. A cafe in Malaga." if i % 2 else "Résumé of the naïve plan."
        attrs = f'data-pagefind-filter="type:{"case" if i % 3 else "course"}"'
        if i % 3 == 2:  # a field that only some parts have: ids must be renumbered when merged
            attrs += f' data-pagefind-meta="author:Author {i}"'
        _page(root, f"p{i:02d}", f"Page {i} of the fixture", f"<p>{accents}</p><p>{words}</p>", attrs=attrs)
    return root


def _pagefind(site: Path, out: Path) -> Path:
    searchindex._Run(["--site", str(site), "--output-path", str(out), "--quiet"], "a test site").wait()
    return out


def _parts(site: Path, tmp: Path, n: int) -> list[Path]:
    """Pagefind run once a part (pages dealt in turn, as regiot/searchindex.py deals them)."""
    pages = searchindex.indexed_pages(site)
    outs = []
    for i, part in enumerate(searchindex.split(pages, -(-len(pages) // n))):
        stage = tmp / f"stage-{i}"
        searchindex._link_tree(part, site, stage)
        outs.append(_pagefind(stage, tmp / f"part-{i}"))
    return outs


def _data_files(bundle: Path) -> dict[str, bytes]:
    """Every data file of a bundle by name, unpacked (the gzip level may differ, the data may not)."""
    return {str(p.relative_to(bundle)): read_data(p) if p.suffix.startswith(".pf_") else p.read_bytes()
            for p in sorted(bundle.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def fixture_bundles(tmp_path_factory):
    """The fixture site indexed in one run, and in three parts merged."""
    tmp = tmp_path_factory.mktemp("merge")
    site = _site(tmp / "site")
    whole = _pagefind(site, tmp / "whole")
    merged = tmp / "merged"
    summary = merge(_parts(site, tmp, 3), merged)
    return whole, merged, summary


def test_merged_parts_hold_what_one_run_holds(fixture_bundles):
    whole, merged, summary = fixture_bundles
    one, parts = contents(whole), contents(merged)
    assert parts == one
    # the fixture exercises what the merge has to get right
    assert len(one["pages"]) == 9 == summary["pages"]
    assert summary["chunks"] > 1, "the words should fill several index chunks"
    assert one["variants"], "accented words should be kept as variants"
    assert "author" in one["meta_fields"] and one["filters"]["type"]
    entry = json.loads((merged / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 9
    assert (merged / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").is_file()
    # code and WebAssembly come from the first part
    assert (merged / "pagefind.js").is_file() and list(merged.glob("wasm.*.pagefind"))


def test_merged_bundle_is_named_and_cut_as_pagefind_would(fixture_bundles):
    whole, merged, _ = fixture_bundles
    meta = {b: cbor2.loads(read_data(next(b.glob("*.pf_meta")))) for b in (whole, merged)}
    # the same chunk boundaries (chunks end once they hold 20,000 positions) ...
    assert [c[:2] for c in meta[merged][2]] == [c[:2] for c in meta[whole][2]]
    # ... and every data file is named after its content, as Pagefind names them
    for folder in ("index", "filter", "fragment"):
        for f in (merged / folder).iterdir():
            assert f.stem == f"en_{full_hash(read_data(f))[:7]}", f


@pytest.mark.parametrize("which", ["fixture", "real-ja", "real-en"])
def test_a_bundle_merged_on_its_own_comes_out_unchanged(which, fixture_bundles, real_site, tmp_path):
    src = {"fixture": fixture_bundles[0], "real-ja": real_site / "pagefind",
           "real-en": real_site / "en" / "pagefind"}[which]
    part = tmp_path / "part"
    shutil.copytree(src, part, ignore=shutil.ignore_patterns("terms-*"))
    before = _data_files(part)
    merge([part], tmp_path / "out")
    assert _data_files(tmp_path / "out") == before


def test_a_fragment_name_taken_by_an_earlier_part_gets_a_longer_one(tmp_path):
    site = _site(tmp_path / "site", n=4)
    first, second = _parts(site, tmp_path, 2)
    # give a page of the second part the name of one in the first part (as a 7-digit clash would)
    taken = cbor2.loads(read_data(next(first.glob("*.pf_meta"))))[1][0][0]
    meta_file = next(second.glob("*.pf_meta"))
    meta = cbor2.loads(read_data(meta_file))
    old = meta[1][0][0]
    moved = second / "fragment" / f"{taken}.pf_fragment"
    (second / "fragment" / f"{old}.pf_fragment").rename(moved)
    longer = f"en_{full_hash(read_data(moved))[:8]}"  # one digit more of its own hash, as Pagefind does
    meta[1][0][0] = taken
    meta_file.write_bytes(gzip.compress(pagefindmerge.MAGIC + cbor2.dumps(meta)))
    merge([first, second], tmp_path / "out")
    got = contents(tmp_path / "out")
    assert sorted(got["pages"]) == [f"/p{i:02d}/" for i in range(4)]
    names = sorted(p.stem for p in (tmp_path / "out" / "fragment").iterdir())
    assert len(names) == 4 and taken in names and longer in names, names


def test_parts_that_cannot_be_merged_are_refused_with_the_reason(tmp_path):
    en = _site(tmp_path / "en", n=2)
    fr = tmp_path / "fr"
    _page(fr, "a", "Une page", "<p>Bonjour le monde</p>", lang="fr")
    with pytest.raises(MergeError, match="language fr, the first part's is en"):
        merge([_pagefind(en, tmp_path / "b-en"), _pagefind(fr, tmp_path / "b-fr")], tmp_path / "out")
    sorted_site = tmp_path / "sorted"
    _page(sorted_site, "a", "Dated", '<p data-pagefind-sort="date">2020-01-01</p>')
    with pytest.raises(MergeError, match="sort orders cannot be merged"):
        merge([_pagefind(sorted_site, tmp_path / "b-sorted")], tmp_path / "out")
    # a damaged index chunk: refused, and nothing is left half-written
    damaged = _pagefind(en, tmp_path / "b-damaged")
    chunk = next((damaged / "index").iterdir())
    chunk.write_bytes(gzip.compress(pagefindmerge.MAGIC + b"\xff"))
    with pytest.raises(MergeError, match="an array was expected"):
        merge([damaged], tmp_path / "out")
    assert not (tmp_path / "out.merging").exists()
    # a bundle format this module does not know (another Pagefind version)
    newer = _pagefind(en, tmp_path / "b-newer")
    meta_file = next(newer.glob("*.pf_meta"))
    meta = cbor2.loads(read_data(meta_file))
    meta[0] = "1.6.0"
    meta_file.write_bytes(gzip.compress(pagefindmerge.MAGIC + cbor2.dumps(meta)))
    with pytest.raises(MergeError, match="Pagefind 1.6.0 wrote it"):
        merge([newer], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_index_bundle_indexes_a_large_language_in_parts_and_leaves_one_bundle(fixture_bundles, tmp_path):
    whole, _, _ = fixture_bundles
    site = _site(tmp_path / "site")
    lines = searchindex.index_bundle(site, (), part_pages=4)
    assert any("9 pages indexed in 3 parts of at most 4, merged into one index" in ln for ln in lines), lines
    assert contents(site / "pagefind") == contents(whole)
    assert not [p for p in site.iterdir() if p.name.startswith(".")], "staging folders left behind"
    assert not (site / "pagefind" / "pagefind-ui.js").exists()


def test_how_many_pages_a_run_indexes_depends_on_the_language(monkeypatch):
    monkeypatch.delenv("RIOT_SEARCH_PART_PAGES", raising=False)
    assert searchindex.part_pages("ja") == searchindex.SEGMENTED_PART_PAGES < searchindex.part_pages("en")
    assert searchindex.part_pages("zh-TW") == searchindex.SEGMENTED_PART_PAGES
    monkeypatch.setenv("RIOT_SEARCH_PART_PAGES", "60")
    assert searchindex.part_pages("ja") == searchindex.part_pages("en") == 60


# --- What Pagefind reads: the staged copy of a page -------------------------------------

PAGE = ('<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>T</title></head>'
        '<body class="x"><header><nav><a href="/">ホーム</a></nav></header><div class="md-main">'
        '<article class="md-content__inner" data-pagefind-body data-pagefind-filter="type:case">'
        '<h1>見出し</h1><article class="inner"><p>入れ子</p></article><p>本文</p></article>'
        '<footer>フッター</footer></div><script>var a = "</article>";</script></body></html>')


def test_the_staged_copy_keeps_the_head_and_the_indexed_element_only():
    copy = searchindex.search_copy(PAGE)
    assert copy.startswith('<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>T</title></head>'
                           '<body class="x"><article class="md-content__inner" data-pagefind-body')
    assert "<p>入れ子</p></article><p>本文</p></article></body></html>" in copy  # the nested article is kept whole
    assert "ホーム" not in copy and "フッター" not in copy and "<script>" not in copy
    assert searchindex.search_copy(PAGE.replace(" data-pagefind-body", "")) is None
    # Pagefind attributes outside the element, or no end to it: the whole page
    outside = PAGE.replace("<footer>", '<footer data-pagefind-meta="author:A">')
    assert searchindex.search_copy(outside) == outside
    unclosed = PAGE.split("<p>本文</p>")[0]
    assert searchindex.search_copy(unclosed) == unclosed


def test_a_staged_site_is_indexed_as_the_built_pages_would_be(fixture_bundles, tmp_path):
    """index_bundle reads the staged copies when the build wrote them (in parts here, too)."""
    whole, _, _ = fixture_bundles
    site = _site(tmp_path / "site")
    stage = tmp_path / "stage"
    for page in searchindex.indexed_pages(site):
        dest = stage / page.relative_to(site)
        dest.parent.mkdir(parents=True)
        dest.write_text(searchindex.search_copy(page.read_text(encoding="utf-8")), encoding="utf-8")
    for page in site.rglob("index.html"):  # the built pages are not read: the stage is
        page.write_text(page.read_text(encoding="utf-8").replace("w0", "zz"), encoding="utf-8")
    for part_pages in (100, 4):
        searchindex.index_bundle(site, (), part_pages=part_pages, stage=stage)
        assert contents(site / "pagefind") == contents(whole), part_pages


# --- The order of the work: one Pagefind run at a time, a merge beside the next run ---------

class _FakeRun:
    def __init__(self, name: str, log: list[str]):
        self.name, self.log = name, log
        log.append(f"start {name}")

    def wait(self) -> list[str]:
        self.log.append(f"end {self.name}")
        return [self.name]

    def stop(self) -> None:
        self.log.append(f"stop {self.name}")


def test_a_bundle_is_finished_while_the_next_run_goes_on_and_runs_never_overlap():
    log: list[str] = []

    def step(name: str, finish: bool):
        def done() -> list[str]:
            log.append(f"finish {name}")
            return [f"finished {name}"]
        return (lambda: _FakeRun(name, log)), (done if finish else None)

    lines = searchindex._run_steps([step("ja-1", False), step("ja-2", True), step("en", True), step("terms", True)])
    assert log == ["start ja-1", "end ja-1", "start ja-2", "end ja-2",
                   "start en", "finish ja-2", "end en",  # the Japanese merge beside the English run
                   "start terms", "finish en", "end terms", "finish terms"]
    assert lines == ["ja-1", "ja-2", "finished ja-2", "en", "finished en", "terms", "finished terms"]


def test_a_failing_merge_stops_the_run_beside_it():
    log: list[str] = []

    def broken() -> list[str]:
        raise searchindex.SearchIndexError("merge failed")

    with pytest.raises(searchindex.SearchIndexError, match="merge failed"):
        searchindex._run_steps([((lambda: _FakeRun("ja", log)), broken), ((lambda: _FakeRun("en", log)), None)])
    assert log == ["start ja", "end ja", "start en", "stop en"]


def test_a_failing_pagefind_run_is_reported_with_its_output(tmp_path):
    with pytest.raises(searchindex.SearchIndexError, match="Pagefind failed to index a missing folder"):
        searchindex._Run(["--site", str(tmp_path / "missing"), "--output-path", str(tmp_path / "out")],
                         "a missing folder").wait()
