"""A Ghost export (Settings → Advanced → Import/Export → Export content) read for import: its tables.

The file is Ghost's JSON dump of its database tables, `{"db": [{"meta": {...}, "data": {...}}]}` (or, as
Ghost's importer also reads it, the `{"meta", "data"}` object alone): `data.posts`, `posts_tags`,
`posts_authors`, `posts_meta`, `tags`, `users` and `settings` (rows of `key`/`value`) are read here. It is
read, not trusted: a file too large to be an export, one that is not JSON or UTF-8, one nested past the
reader's depth, or one without Ghost's tables stops the import with one line naming the file (and the line
and column where JSON says what is wrong). A row or value of another shape than Ghost writes is read as
absent, never as a reason to stop.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publisher.core.errors import BuildFailed, Problem

MAX_BYTES = 512 * 1024 * 1024  # Ghost writes bodies three times (html, lexical or mobiledoc, plaintext): 10,000
# posts make some 300 MB; JSON read whole takes several times the file's size in memory


Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class GhostExport:
    """The tables of one export that the import reads, each a list of rows (dicts), and the settings by key."""

    version: str
    posts: list[Row]
    tags: list[Row]
    users: list[Row]
    posts_tags: list[Row]
    posts_authors: list[Row]
    posts_meta: list[Row]
    settings: dict[str, str] = field(default_factory=dict)


def read_ghost_export(path: Path) -> GhostExport:
    """The export at `path`; a file that cannot be one stops the import (BuildFailed, one problem)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BuildFailed([Problem(path.name, None, "export", f"is {size // (1024 * 1024)} MB, more than an export "
                                                              f"of {MAX_BYTES // (1024 * 1024)} MB can be read")])
    data = _read_json(path)
    tables = _data(data)
    if tables is None:
        raise BuildFailed([Problem(path.name, None, "export", "is not a Ghost export (no db[0].data.posts: "
                                                              "export it in Ghost's Settings → Advanced → "
                                                              "Import/Export)")])
    meta = _first(data).get("meta") if isinstance(_first(data), dict) else None
    version = meta.get("version") if isinstance(meta, dict) else None
    return GhostExport(version=str(version or ""), posts=_rows(tables, "posts"), tags=_rows(tables, "tags"),
                       users=_rows(tables, "users"), posts_tags=_rows(tables, "posts_tags"),
                       posts_authors=_rows(tables, "posts_authors"), posts_meta=_rows(tables, "posts_meta"),
                       settings=_settings(_rows(tables, "settings")))


def text(row: Row, key: str) -> str:
    """A field as text, "" when absent, null or of another type (a number is written out: ids may be numbers in
    old exports)."""
    value = row.get(key)
    if isinstance(value, bool) or value is None:
        return ""
    return str(value) if isinstance(value, (str, int)) else ""


def _read_json(path: Path) -> Any:
    """The file's JSON, whatever its name ends in; text that is not UTF-8 or JSON, or JSON nested past the
    reader's depth: BuildFailed naming the file (and the line and column JSON gives)."""
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        problem = Problem(path.name, None, "export", "is not UTF-8 text (a Ghost export is JSON)")
    except json.JSONDecodeError as error:
        problem = Problem(path.name, error.lineno, "export",
                          f"is not valid JSON ({error.msg}, column {error.colno}): not a whole Ghost export")
    except RecursionError:
        problem = Problem(path.name, None, "export", "is nested too deeply to read (no Ghost export is)")
    raise BuildFailed([problem])


def _first(data: Any) -> Any:
    """The export's object: `db[0]` in what Ghost writes, the whole file in the bare form."""
    if isinstance(data, dict) and isinstance(data.get("db"), list) and data["db"]:
        return data["db"][0]
    return data


def _data(data: Any) -> dict[str, Any] | None:
    """The export's `data` object, when it holds Ghost's posts table; else None."""
    first = _first(data)
    tables = first.get("data") if isinstance(first, dict) else None
    if isinstance(tables, dict) and isinstance(tables.get("posts"), list):
        return tables
    return None


def _rows(tables: dict[str, Any], name: str) -> list[Row]:
    rows = tables.get(name)
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _settings(rows: list[Row]) -> dict[str, str]:
    """The settings table's rows as key -> value (Ghost stores every value as text, arrays as JSON text)."""
    return {text(row, "key"): text(row, "value") for row in rows if text(row, "key")}
