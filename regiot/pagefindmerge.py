"""One Pagefind bundle from several bundles of the same language (plain Python).

Why. Pagefind 1.5's indexing holds, for a moment, a word map of its own for every
page it indexes (about 0.25 MB a page, on top of the ~290 MB Japanese dictionary),
so one run over 3,100 Japanese pages peaks at 1.1 GB. A site that large is indexed
in parts, one Pagefind run after the other, and the parts are merged here into
one bundle: the browser sees an index like one run's, with one chunk of the word
index per query and the ranking statistics of the whole language.

What a bundle holds (Pagefind 1.5.2; every data file is gzip of ``pagefind_dcd``
followed by CBOR, or JSON for fragments, and is named after its content's SHA-1):

* ``pagefind.<lang>_<hash>.pf_meta``: [version, pages [[fragment, word count]],
  index chunks [[from, to, file]], filters [[name, file]], sorts, meta fields];
* ``index/*.pf_index``: [[word, pages, variants]] in word order, each page as
  [page number as a delta from the previous one, positions, meta positions];
* ``filter/*.pf_filter``: [name, [[value, [page numbers]]]];
* ``fragment/*.pf_fragment``: one page's text and metadata, which does not depend
  on its number, so fragments are moved over as they are.

Merging numbers the pages of the second part after those of the first, and so
on, renumbers meta-field ids to the merged list of fields, and cuts the word
index into chunks the way Pagefind does (a chunk ends once it holds 20,000
positions). A word's pages are copied as encoded CBOR; only the first page a part
adds is written again, because page numbers are stored as differences. Reading
and writing 3,100 Japanese pages takes about 3 s. tests/test_searchmerge.py
checks, on bundles Pagefind built, that a bundle merged on its own comes out with
the same files holding the same data, and that merged parts hold the same words,
pages, positions, variants, filters and fields as one run over all the pages.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from pathlib import Path
from typing import Any

import cbor2

MAGIC = b"pagefind_dcd"
CHUNK_POSITIONS = 20000  # Pagefind's index_chunk_size
ENTRY = "pagefind-entry.json"
GZIP_LEVEL = 7
FORMAT = "1.5."  # the Pagefind versions whose bundle format this module knows
DATA_DIRS = ("index", "filter", "fragment")
_first, _locs, _meta_locs = itemgetter(0), itemgetter(1), itemgetter(2)  # of a page: [number, positions, meta]


class MergeError(Exception):
    """The bundles cannot be merged; the message says why."""


def full_hash(raw: bytes) -> str:
    """Pagefind's content hash: the SHA-1 digest, each byte in hex without padding."""
    return "".join(f"{b:x}" for b in hashlib.sha1(raw).digest())


def read_data(path: Path) -> bytes:
    raw = gzip.decompress(Path(path).read_bytes())
    if not raw.startswith(MAGIC):
        raise MergeError(f"{path} is not a Pagefind data file")
    return raw[len(MAGIC):]


def write_data(path: Path, raw: bytes) -> None:
    # Pagefind packs at level 9; 7 is three times as fast here and 1.3 % larger (measured on 3,100 pages)
    path.write_bytes(gzip.compress(MAGIC + raw, compresslevel=GZIP_LEVEL, mtime=0))


def _short_name(lang: str, raw: bytes, taken: dict[str, Any], value: Any, length: int = 7) -> str:
    """``<lang>_<first hex digits>``, one digit longer while the name is taken by something else."""
    digest = full_hash(raw)
    while True:
        name = f"{lang}_{digest[:length]}"
        if name not in taken or taken[name] == value or length >= len(digest):
            return name
        length += 1


def _move(src: Path, dest: Path) -> None:
    try:
        os.replace(src, dest)
    except OSError:
        shutil.copyfile(src, dest)


def _entry(bundle: Path) -> tuple[dict, str]:
    try:
        entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MergeError(f"{bundle / ENTRY}: {exc}") from None
    langs = list(entry.get("languages", {}))
    if len(langs) != 1:
        raise MergeError(f"{bundle}: a part must hold one language, it holds {langs or 'none'}")
    return entry, langs[0]


def _remap(pages: list, remap: list[int]) -> None:
    """Meta-field ids (in meta positions, -1 - id) from a part's list of fields to the merged one."""
    for page in pages:
        if page[2]:
            page[2] = [-remap[-x - 1] - 1 if x < 0 else x for x in page[2]]


def _array_head(n: int) -> bytes:
    """The CBOR head of an array of ``n`` items, in its shortest form (as minicbor writes it)."""
    if n < 24:
        return bytes([0x80 | n])
    for first, size in ((0x98, 1), (0x99, 2), (0x9A, 4)):
        if n < 1 << (8 * size):
            return bytes([first]) + n.to_bytes(size, "big")
    raise MergeError(f"an array of {n} items is too long for a Pagefind index")


def _array_len(fp: io.BytesIO) -> int:
    first = fp.read(1)
    if not first or first[0] >> 5 != 4:
        raise MergeError("unexpected data in an index chunk (an array was expected)")
    info = first[0] & 0x1F
    if info < 24:
        return info
    size = {24: 1, 25: 2, 26: 4}.get(info)
    if size is None:
        raise MergeError("unexpected array length in an index chunk")
    return int.from_bytes(fp.read(size), "big")


class _Word:
    """A word of the merged index, or one of its variants (an accented form). Its pages
    are kept as encoded CBOR (``bodies``): a part's pages are copied as they are, but
    for the first one when it moves. Page numbers are deltas: the first page of a
    later part was counted from 0, it is now counted from the last page before it."""

    __slots__ = ("bodies", "count", "last", "size", "variants")

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.count = 0
        self.last = 0
        self.size = 0  # what Pagefind counts to cut chunks: positions + meta positions + 1 a page
        self.variants: dict[str, _Word] = {}

    def add(self, pages: list, body: bytes, offset: int, remap: list[int] | None) -> None:
        if not pages:
            return
        last = offset + sum(map(_first, pages))
        if remap is not None:
            _remap(pages, remap)
            body = b"".join(map(cbor2.dumps, pages))
        shift = offset - self.last
        if shift:
            first = cbor2.dumps(pages[0])
            pages[0][0] += shift
            body = cbor2.dumps(pages[0]) + body[len(first):]
        self.bodies.append(body)
        self.count += len(pages)
        self.size += sum(map(len, map(_locs, pages))) + sum(map(len, map(_meta_locs, pages))) + len(pages)
        self.last = last

    def encode(self, word: str) -> list[bytes]:
        """[word, pages, [[form, pages] …]] as CBOR, in pieces."""
        out = [b"\x83", cbor2.dumps(word), _array_head(self.count), *self.bodies, _array_head(len(self.variants))]
        for form, variant in self.variants.items():
            out += [b"\x82", cbor2.dumps(form), _array_head(variant.count), *variant.bodies]
        return out


def _chunk_words(raw: bytes):
    """The words of an index chunk: (word, pages, the pages' CBOR without the array head, variants)."""
    fp = io.BytesIO(raw)
    decoder = cbor2.CBORDecoder(fp, read_size=1)  # read no further than asked: fp.tell() marks where a value ends
    if _array_len(fp) != 1:
        raise MergeError("unexpected index chunk")
    for _ in range(_array_len(fp)):
        if _array_len(fp) != 3:
            raise MergeError("unexpected word entry in an index chunk")
        word = decoder.decode()
        start = fp.tell()
        pages = decoder.decode()
        end = fp.tell()
        yield word, pages, raw[start + len(_array_head(len(pages))):end], decoder.decode()


def _prefixes(a: str, b: str) -> tuple[str, str]:
    common = 0
    for x, y in zip(b, a, strict=False):
        if x != y:
            break
        common += 1
    return a[:common + 1], b[:common + 1]


def _chunks(words: dict[str, _Word]) -> list[list[str]]:
    """The words in order, cut as Pagefind cuts them: a chunk ends once it holds CHUNK_POSITIONS."""
    chunks, chunk, size = [], [], 0
    for word in sorted(words):
        size += words[word].size
        chunk.append(word)
        if size >= CHUNK_POSITIONS:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


def _chunk_ranges(chunks: list[list[str]]) -> list[list[str]]:
    ranges = [[c[0], c[-1]] for c in chunks]
    for i in range(len(ranges) - 1):
        to, frm = _prefixes(ranges[i][1], ranges[i + 1][0])
        if to >= ranges[i][0]:
            ranges[i][1] = to
        ranges[i + 1][0] = frm
    return ranges


def merge(parts: list[Path], dest: Path) -> dict:
    """Merge the bundles ``parts`` (same language, same Pagefind version) into ``dest``.

    ``dest`` gets the first part's code and WebAssembly and the merged data; the
    parts' fragment files are moved there. Returns a summary: language, pages,
    words, chunks.
    """
    parts = [Path(p) for p in parts]
    if not parts:
        raise MergeError("no bundles to merge")
    entries = [_entry(p) for p in parts]
    lang = entries[0][1]
    metas = []
    for part, (entry, part_lang) in zip(parts, entries, strict=True):
        if part_lang != lang:
            raise MergeError(f"{part}: language {part_lang}, the first part's is {lang}")
        info = entry["languages"][lang]
        meta = cbor2.loads(read_data(part / f"pagefind.{info['hash']}.pf_meta"))
        if not str(meta[0]).startswith(FORMAT):
            raise MergeError(f"{part}: Pagefind {meta[0]} wrote it; this merge knows the bundles of Pagefind "
                             f"{FORMAT}x (see tests/test_searchmerge.py before changing FORMAT)")
        if metas and meta[0] != metas[0][1][0]:
            raise MergeError(f"{part}: Pagefind {meta[0]}, the first part's is {metas[0][1][0]}")
        if meta[4]:
            raise MergeError(f"{part}: sort orders cannot be merged (data-pagefind-sort)")
        metas.append((part, meta))

    staging = dest.with_name(dest.name + ".merging")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        summary = _merge_into(staging, parts, metas, lang)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    entry = entries[0][0]
    entry["languages"][lang].update(hash=summary.pop("meta_hash"), page_count=summary["pages"])
    (staging / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    staging.rename(dest)
    return summary


def _merge_into(staging: Path, parts: list[Path], metas: list, lang: str) -> dict:
    """The merged data of the parts, written into ``staging`` (see merge)."""
    fields = sorted({f for _, meta in metas for f in meta[5]})
    words: dict[str, _Word] = {}
    filters: dict[str, dict[str, list[int]]] = {}
    pages: list[list] = []
    fragments: dict[str, Path] = {}  # merged name -> file
    shutil.copytree(parts[0], staging, ignore=shutil.ignore_patterns(*DATA_DIRS, "*.pf_meta"))
    for folder in DATA_DIRS:
        (staging / folder).mkdir()
    # zlib lets go of the GIL: files are unpacked and packed in threads while CBOR is read and written
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for part, meta in metas:
            offset = len(pages)
            remap = [fields.index(f) for f in meta[5]]
            remap = None if remap == list(range(len(remap))) else remap
            for frag, word_count in meta[1]:
                src = part / "fragment" / f"{frag}.pf_fragment"
                name = frag
                if frag in fragments:  # the same short name in an earlier part: a longer one, as Pagefind does
                    name = _short_name(lang, read_data(src), fragments, src, len(frag) - len(lang))
                fragments[name] = src
                pages.append([name, word_count])
            chunk_files = [part / "index" / f"{chunk_file}.pf_index" for _, _, chunk_file in meta[2]]
            for raw in pool.map(read_data, chunk_files):
                for word, word_pages, body, variants in _chunk_words(raw):
                    entry = words.get(word)
                    if entry is None:
                        entry = words[word] = _Word()
                    entry.add(word_pages, body, offset, remap)
                    for form, form_pages in variants:  # rare: encoded again
                        variant = entry.variants.setdefault(form, _Word())
                        variant.add(form_pages, b"".join(map(cbor2.dumps, form_pages)), offset, remap)
            for name, filter_file in meta[3]:
                values = cbor2.loads(read_data(part / "filter" / f"{filter_file}.pf_filter"))[1]
                merged = filters.setdefault(name, {})
                for value, numbers in values:
                    merged.setdefault(value, []).extend(n + offset for n in numbers)
        for name, src in fragments.items():
            _move(src, staging / "fragment" / f"{name}.pf_fragment")

        writing = []
        chunks = _chunks(words)
        index_meta, taken = [], {}
        for (frm, to), chunk in zip(_chunk_ranges(chunks), chunks, strict=True):
            raw = b"".join([b"\x81", _array_head(len(chunk)), *(b for w in chunk for b in words[w].encode(w))])
            name = _short_name(lang, raw, taken, raw)
            taken[name] = raw
            writing.append(pool.submit(write_data, staging / "index" / f"{name}.pf_index", raw))
            index_meta.append([frm, to, name])
        filter_meta, taken = [], {}
        for fname, values in filters.items():
            raw = cbor2.dumps([fname, [[v, sorted(n)] for v, n in values.items()]])
            name = _short_name(lang, raw, taken, raw)
            taken[name] = raw
            writing.append(pool.submit(write_data, staging / "filter" / f"{name}.pf_filter", raw))
            filter_meta.append([fname, name])
        raw_meta = cbor2.dumps([metas[0][1][0], pages, index_meta, filter_meta, [], fields])
        meta_hash = f"{lang}_{full_hash(raw_meta)[:len(lang) + 8]}"
        write_data(staging / f"pagefind.{meta_hash}.pf_meta", raw_meta)
        for job in writing:
            job.result()
    return {"language": lang, "pages": len(pages), "words": len(words), "chunks": len(chunks), "meta_hash": meta_hash}


def contents(bundle: Path) -> dict:
    """What a bundle holds, independent of page numbers and file names (for tests and checks):
    pages {url: word count}, words {word: {url: [positions, meta positions by field name]}},
    variants {word: {form: {url: …}}}, filters {name: {value: [urls]}}, meta fields."""
    bundle = Path(bundle)
    entry, lang = _entry(bundle)
    meta = cbor2.loads(read_data(bundle / f"pagefind.{entry['languages'][lang]['hash']}.pf_meta"))
    urls = [json.loads(read_data(bundle / "fragment" / f"{frag}.pf_fragment"))["url"] for frag, _ in meta[1]]
    fields = meta[5]

    def by_url(pages: list) -> dict:
        out, number = {}, 0
        for delta, locs, meta_locs in pages:
            number += delta
            named = [fields[-x - 1] if x < 0 else x for x in meta_locs]
            out[urls[number]] = [locs, named]
        return out

    words: dict[str, dict] = {}
    variants: dict[str, dict] = {}
    for _, _, chunk_file in meta[2]:
        for word, pages, forms in cbor2.loads(read_data(bundle / "index" / f"{chunk_file}.pf_index"))[0]:
            words[word] = by_url(pages)
            if forms:
                variants[word] = {form: by_url(p) for form, p in forms}
    filters = {}
    for name, filter_file in meta[3]:
        values = cbor2.loads(read_data(bundle / "filter" / f"{filter_file}.pf_filter"))[1]
        filters[name] = {value: sorted(urls[n] for n in numbers) for value, numbers in values}
    return {"language": lang, "version": meta[0], "pages": dict(zip(urls, (wc for _, wc in meta[1]), strict=True)),
            "words": words, "variants": variants, "filters": filters, "meta_fields": fields}
