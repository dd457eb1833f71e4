"""Where a setting is written in `publisher.toml`, so a problem with its value can name the line.

tomllib gives values, not positions; this reads the text the way a person
scans it: table headers (`[indexnow]`, `[[nav]]`), then `key = ...` lines
under them, dotted keys (`indexnow.key = ...`) and inline tables
(`indexnow = { key = ... }`) included. Values spread over several lines
(multi-line strings, arrays) are not parsed: their inner lines could be
taken for keys only if they look exactly like `key = value`, which is rare
enough for a hint that only says where to look.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator

_HEADER = re.compile(r"\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""  # a bare key, a basic string (escapes too), a literal
_KEY = re.compile(rf"\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")


def key_line(text: str, name: str) -> int | None:
    """The 1-based line where the dotted setting `name` (e.g. "indexnow.key") is written; None when not found."""
    for number, written in _written_keys(text):
        if written == name or name.startswith(written + ".") or written.startswith(name + "."):
            return number  # the key itself, an inline table holding it, or a dotted key inside it
    return None


def top_key_lines(text: str) -> dict[str, int]:
    """The 1-based line each top-level key is first written on, as `key_line` finds each (a table's first key
    line for a table): one pass over the text for every key, where `key_line` makes one for each."""
    found: dict[str, int] = {}
    for number, written in _written_keys(text):
        found.setdefault(written.split(".", 1)[0], number)
    return found


def line_holding(text: str, values: set[str]) -> tuple[int, str] | None:
    """The line and dotted key (`site.logo`, `nav.url`) of the one `key = "value"` line whose quoted value is one of
    `values`; None when no line, or more than one, holds one."""
    lines = text.splitlines()
    needles = [f"{quote}{value}{quote}" for value in values for quote in "\"'"]
    found = [(number, key) for number, key in _written_keys(text)
             if any(needle in lines[number - 1].split("=", 1)[-1] for needle in needles)]
    return found[0] if len(found) == 1 else None


def _written_keys(text: str) -> Iterator[tuple[int, str]]:
    """(line number, the dotted key with its table's name before it) of each `key = ...` line, in order."""
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _dotted(header[1])
            continue
        key = _KEY.match(line)
        if key is not None:
            yield number, f"{table}.{_dotted(key[1])}" if table else _dotted(key[1])


def _dotted(key: str) -> str:
    """`a . "b"` -> `a.b`: a TOML key path as the reader names it (`"/a\\tb/"`: with its escape read)."""
    parts = re.findall(r"\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+)", key)
    return ".".join(_escapes_read(quoted) if quoted else literal or bare for quoted, literal, bare in parts)


def _escapes_read(quoted: str) -> str:
    """A TOML basic string's text (between its `"`) as TOML reads it: `\\t` a tab; as written when unreadable."""
    if "\\" not in quoted:
        return quoted
    try:
        return str(tomllib.loads(f'key = "{quoted}"')["key"])
    except tomllib.TOMLDecodeError:
        return quoted
