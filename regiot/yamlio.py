"""Safe YAML loading that remembers the line of every value.

Contributors' files are untrusted. This loader:

* uses PyYAML's safe constructors only (custom tags such as ``!!python/object``
  are rejected);
* refuses anchors and aliases (no "billion laughs"), duplicate keys, documents
  nested deeper than ``MAX_DEPTH`` and files larger than ``MAX_BYTES``;
* decodes strictly as UTF-8 (a leading BOM is allowed and removed);
* turns dates into ISO strings, so ``accessed: 2026-11-26`` works quoted or not;
* returns a map from each value's path (``("sources", 0, "url")``) to its line.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

MAX_BYTES = 256 * 1024
MAX_DEPTH = 12

Path_ = tuple


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


@dataclass
class Loaded:
    """A parsed document and the line of every value in it."""

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line(self, path: tuple | list) -> int:
        """Line of the value at ``path``, or of its nearest parent that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), 1)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and anchors."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlError(event.start_mark.line + 1,
                            "YAML aliases (*name) are not allowed; write the value out in full")
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlError(event.start_mark.line + 1,
                            "YAML anchors (&name) are not allowed; write the value out in full")
        depth = getattr(self, "_depth", 0)
        if depth > MAX_DEPTH:
            raise YamlError(event.start_mark.line + 1,
                            f"the document is nested more than {MAX_DEPTH} levels deep")
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth


def _scalar(loader: _Loader, node: yaml.ScalarNode) -> Any:
    if node.tag == "tag:yaml.org,2002:str":
        return node.value  # what SafeConstructor.construct_yaml_str returns, without the bookkeeping
    value = loader.construct_object(node, deep=True)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        raise YamlError(node.start_mark.line + 1, "binary values are not allowed")
    return value


def _convert(loader: _Loader, node: yaml.Node, path: tuple, lines: dict, depth: int) -> Any:
    line = node.start_mark.line + 1
    lines[path] = line
    if depth > MAX_DEPTH:
        raise YamlError(line, f"the document is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, yaml.ScalarNode):
        return _scalar(loader, node)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise YamlError(line, f"unsupported YAML value (the custom tag {node.tag!r} is not allowed)")
        return [_convert(loader, item, path + (i,), lines, depth + 1)
                for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise YamlError(line, f"unsupported YAML value (the custom tag {node.tag!r} is not allowed)")
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_node.start_mark.line + 1, "keys must be plain words")
            if key_node.tag == "tag:yaml.org,2002:merge" or key_node.value == "<<":
                raise YamlError(key_node.start_mark.line + 1, "YAML merge keys (<<) are not allowed")
            key = _scalar(loader, key_node)
            if key == "<<":
                raise YamlError(key_node.start_mark.line + 1, "YAML merge keys (<<) are not allowed")
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise YamlError(key_node.start_mark.line + 1, f"key {key!r} must be a word")
            key = str(key)
            if key in out:
                raise YamlError(key_node.start_mark.line + 1, f"'{key}' appears twice")
            out[key] = _convert(loader, value_node, path + (key,), lines, depth + 1)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    raise YamlError(line, "unsupported YAML node")  # pragma: no cover


_CLoader = getattr(yaml, "CSafeLoader", None)
# What could start an anchor, alias or tag (an indicator at the start of a token),
# a tab or a merge key: a file containing any of them takes the careful
# pure-Python path below. "R&D" or "楽しむ!" do not match; " & " does, harmlessly.
_CAREFUL = re.compile(r"(?:^|[\s\[\]{},])[&*!]|\t|<<")
_FAST_BOUND = 2000  # a nesting bound far below what would strain libyaml's recursion


def _fast(text: str) -> Loaded | None:
    """Parse with libyaml when the text cannot hold anything the careful loader refuses.

    libyaml composes the nodes (with their lines) in C; the same conversion as
    the careful path then checks depth, keys and merge keys. Returns None when
    libyaml is missing, the text needs the careful path, or anything goes wrong,
    so every error message comes from the careful path.
    """
    if _CLoader is None or _CAREFUL.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    # Upper bound of the nesting depth: indentation plus every bracket and dash.
    indent = max((len(m) for m in re.findall(r"(?m)^ +", text)), default=0)
    if indent + text.count("[") + text.count("{") + text.count("- ") > _FAST_BOUND:
        return None
    loader = _CLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Loaded(None, {(): 1})
        lines: dict[tuple, int] = {}
        return Loaded(_convert(loader, node, (), lines, 0), lines)
    except Exception:  # noqa: BLE001 - the careful path reports it properly
        return None
    finally:
        loader.dispose()


def parse(text: str) -> Loaded:
    """Parse one YAML document from text. Raises :class:`YamlError`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    fast = _fast(text)
    if fast is not None:
        return fast
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a control character the YAML reader refuses
        line = text[: exc.position].count("\n") + 1
        raise YamlError(line, f"this is not valid YAML (the character U+{exc.character:04X} is not allowed; "
                              "remove it or write it as an escape in a quoted string)") from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 1
            problem = (exc.problem or "not valid YAML").strip()
            if "\t" in text and "tab" in problem.lower() or "found character '\\t'" in problem:
                problem = "tabs are not allowed for indentation in YAML; use spaces"
            raise YamlError(line, f"this is not valid YAML ({problem})") from None
        except yaml.YAMLError as exc:
            raise YamlError(1, f"this is not valid YAML ({exc})") from None
        if node is None:
            return Loaded(None, {(): 1})
        lines: dict[tuple, int] = {}
        try:
            data = _convert(loader, node, (), lines, 0)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            raise YamlError(mark.line + 1 if mark else 1,
                            f"unsupported YAML value ({(exc.problem or '').strip()})") from None
        except (ValueError, OverflowError, RecursionError, TypeError) as exc:
            raise YamlError(1, f"unsupported YAML value ({exc})") from None
        return Loaded(data, lines)
    finally:
        loader.dispose()


def load_file(path: Path, display: str | None = None) -> tuple[Loaded | None, list[Problem]]:
    """Load a YAML file; return the document or the problems that stop it loading."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 0, "", f"cannot be read ({exc.strerror})")]
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str) -> tuple[Loaded | None, list[Problem]]:
    if len(raw) > MAX_BYTES:
        return None, [Problem(name, 0, "", f"the file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, "", "the file is not UTF-8 text; save it as UTF-8")]
    if "\x00" in text:
        return None, [Problem(name, 0, "", "the file contains NUL characters")]
    try:
        return parse(text), []
    except YamlError as exc:
        return None, [Problem(name, exc.line, "", exc.message)]
