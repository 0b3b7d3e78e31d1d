"""The offline copy of the site: link rewriting for file:// and a deterministic zip.

Pure core, no MkDocs. The offline variant is built by ``mkdocs.offline.yml``
(Material's ``offline`` and lunr ``search`` plugins, ``use_directory_urls:
false``) from ``hooks/pdf.py``, which then calls :func:`make_zip`.

Generated pages write raw HTML links (``<a href="../../awards/">``) relative to
the directory-style address of the page, which MkDocs does not rewrite. In the
offline variant a page lives at ``cases/x.html`` instead of ``cases/x/``, so
:func:`flat_links` rewrites every relative ``href``/``src`` in raw HTML to the
file it means (``../awards/index.html``). Markdown links are not touched:
MkDocs already resolves them for either layout.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

ZIP_NAME = "regional-iot-knowledge-offline.zip"
ZIP_PATH = f"offline/{ZIP_NAME}"
ROOT_FOLDER = "regional-iot-knowledge"

RAW_URL = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"]*)"')

README = """地域IoT実装ナレッジ（オフライン版） / Regional IoT Knowledge (offline copy)

[日本語]
1. このフォルダの index.html をブラウザで開いてください（ダブルクリック）。
   英語版は en/index.html です。
2. インターネットに接続していなくても、ページの移動、検索、PDF（pdf フォルダ）が使えます。
3. 作成日: {date}。最新の内容はウェブ版をご覧ください: {url}

[English]
1. Open index.html in this folder in a web browser (double-click it).
   The English pages start at en/index.html.
2. Navigation, search and the PDFs (in the pdf folder) work without a network connection.
3. Built on {date}. The web version has the latest content: {url}

Content licensed under CC BY 4.0.
"""


#: The search page of the offline copy (the site's own search page needs Pagefind and a server).
SEARCH_PAGE = {
    "ja": "# {title} {{ #search }}\n\nオフライン版では、画面上部の検索欄を使ってください（キーボードの「/」でも開けます）。"
          "日本語と英語の全ページを検索できます。\n",
    "en": "# {title} {{ #search }}\n\nIn the offline copy, use the search box at the top of the page (or press \"/\"). "
          "It searches every page in Japanese and English.\n",
}


def dir_url(flat_url: str) -> str:
    """Directory-style address of a page from its flat file path: cases/x.html -> cases/x/."""
    if flat_url == "index.html" or flat_url == "":
        return ""
    if flat_url.endswith("/index.html"):
        return flat_url[: -len("index.html")]
    if flat_url.endswith(".html"):
        return flat_url[: -len(".html")] + "/"
    return flat_url


def _resolve(base_dir_url: str, rel: str) -> str:
    """Site path that ``rel`` points at from a page whose address is ``base_dir_url``."""
    base = "/" + base_dir_url
    if not base.endswith("/"):
        base = posixpath.dirname(base) + "/"
    path = posixpath.normpath(posixpath.join(base, rel))
    if (rel.endswith("/") or rel in (".", "..") or rel.endswith("/.") or rel.endswith("/..")) and path != "/":
        path += "/"
    return path.lstrip("/")


def flat_links(text: str, page_flat_url: str, pages: dict[str, str], online: dict[str, str] | None = None) -> str:
    """Rewrite relative ``href``/``src`` in raw HTML from directory-style to flat addresses.

    ``pages`` maps the directory-style address of every page to its file
    (``cases/x/`` -> ``cases/x.html``); ``online`` maps site paths that are not
    part of the offline copy to absolute addresses (the zip itself).
    """
    page_dir = dir_url(page_flat_url)
    here = posixpath.dirname("/" + page_flat_url) + "/"
    online = online or {}

    def fix(m: re.Match) -> str:
        url = m.group("url")
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or url.startswith(("#", "/", "?")) or not parts.path:
            return m.group(0)
        target = _resolve(page_dir, parts.path)
        if target in online:
            new = online[target]
        else:
            if target == "" or target.endswith("/"):
                target = pages.get(target, target + "index.html")
            new = posixpath.relpath("/" + target, here)
        if parts.query:
            new += "?" + parts.query
        if parts.fragment:
            new += "#" + parts.fragment
        return f'{m.group("attr")}="{new}"'

    return RAW_URL.sub(fix, text)


def zip_date(when: dt.datetime) -> tuple[int, int, int, int, int, int]:
    when = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC))
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def make_zip(src_dir: Path, zip_path: Path, when: dt.datetime, root: str = ROOT_FOLDER,
             extra: dict[str, bytes] | None = None) -> int:
    """Zip ``src_dir`` under ``root/`` with sorted entries and fixed dates and modes. Returns the entry count."""
    src_dir = Path(src_dir)
    files: dict[str, bytes | Path] = {}
    for dirpath, dirnames, filenames in os.walk(src_dir):
        dirnames.sort()
        for name in filenames:
            p = Path(dirpath) / name
            files[p.relative_to(src_dir).as_posix()] = p
    for name, data in (extra or {}).items():
        files[name] = data
    stamp = zip_date(when)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{root}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            src = files[name]
            data = src if isinstance(src, bytes) else src.read_bytes()
            zf.writestr(info, data, compresslevel=6)
    tmp.replace(zip_path)
    return len(files)


def readme(date: str, url: str) -> bytes:
    return ("\ufeff" + README.format(date=date, url=url)).replace("\n", "\r\n").encode("utf-8")
