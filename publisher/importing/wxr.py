"""A WordPress export (WXR: Tools → Export) read as WordPress's own importer reads it, and no more trusting.

WXR is RSS 2.0 with WordPress's namespaces (`wp:`, `content:`, `excerpt:`, `dc:`; `wp:` is
`http://wordpress.org/export/1.0/` to `1.2/` by the export's version). The file is read in pieces with
expat, each `<item>` kept as a small record once it ends, so an export of many posts costs the memory of
what is imported, not of the XML. It is read, not trusted: a DTD or an entity declaration (a "billion
laughs"; WordPress writes neither) stops the reading at its line, as does XML that is not well formed, with
one line naming the file, the line and what is wrong. Control characters that XML 1.0 forbids, which
WordPress copies from pasted text into its exports unescaped, are left out and counted (WordPress's
importer then falls back on reading the file with regular expressions).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from publisher.core.errors import BuildFailed, Problem

_CHUNK = 1 << 20  # bytes read at a time
_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 controls but tab and newlines: never in UTF-8's
# multi-byte sequences, so taking them out of the bytes cannot split a character
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}
_WORDPRESS = re.compile(r"http://wordpress\.org/export/\d+\.\d+/(excerpt/)?$")


@dataclass(frozen=True, slots=True)
class Term:
    """A `<category>` of an item: its taxonomy (`category`, `post_tag`…), slug (`nicename`) and name."""

    domain: str
    slug: str
    name: str


@dataclass(slots=True)
class Item:
    """One `<item>`: its fields by prefixed name (`title`, `wp:post_type`, `content:encoded`…), terms, post meta,
    and the lines it and its content start on."""

    line: int
    fields: dict[str, str] = field(default_factory=dict)
    terms: list[Term] = field(default_factory=list)
    meta: list[tuple[str, str]] = field(default_factory=list)
    content_line: int = 0
    comments: int = 0

    def get(self, name: str) -> str:
        return self.fields.get(name, "").strip()

    def meta_values(self, key: str) -> list[str]:
        """Every value of one post meta key, in the order written (`_wp_old_slug` may be there many times)."""
        return [value for name, value in self.meta if name == key]


@dataclass(slots=True)
class Export:
    """The channel's fields, its authors (login -> their fields), categories (slug -> (parent slug, name)), and its
    items in the order written."""

    fields: dict[str, str] = field(default_factory=dict)
    authors: dict[str, dict[str, str]] = field(default_factory=dict)
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)
    category_ids: dict[str, str] = field(default_factory=dict)  # slug -> the category's id (`/?cat=7`)
    items: list[Item] = field(default_factory=list)
    controls_removed: int = 0
    is_wxr: bool = False


def read_export(path: Path, shown: str) -> Export:
    """The export at `path` (named `shown` in errors); not a readable WXR file: BuildFailed, one problem."""
    reader = _Reader(shown)
    try:
        with path.open("rb") as file:
            reader.read(file)
    except expat.ExpatError as error:
        raise _failed(shown, error.lineno, f"not an export that can be read ({expat.ErrorString(error.code)}, "
                                           f"column {error.offset + 1})") from None
    except OSError as error:
        raise _failed(shown, None, f"cannot be read ({error.strerror or error})") from None
    if not reader.export.is_wxr:
        raise _failed(shown, None, "not a WordPress export: no <wp:wxr_version> in its <channel> "
                                   "(make one in WordPress with Tools → Export)")
    return reader.export


class _Refused(Exception):
    """A construct the reader refuses, raised from expat's handlers, at the parser's line."""


def _failed(shown: str, line: int | None, message: str) -> BuildFailed:
    return BuildFailed([Problem(shown, line, "export", message)])


class _Reader:
    """expat's handlers, collecting the channel's fields and each item as it ends."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.export = Export()
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._entity
        self.path: list[str] = []
        self.text: list[str] = []
        self.item: Item | None = None
        self.group: dict[str, str] = {}  # the fields of the open wp:author, wp:category or wp:postmeta
        self.term: tuple[str, str] | None = None

    def read(self, file: BinaryIO) -> None:
        try:
            for chunk in iter(lambda: file.read(_CHUNK), b""):
                kept, removed = _FORBIDDEN.subn(b"", chunk)
                self.export.controls_removed += removed
                self.parser.Parse(kept, False)
            self.parser.Parse(b"", True)
        except _Refused as refused:
            raise _failed(self.shown, self.parser.CurrentLineNumber, str(refused)) from None

    def _doctype(self, *_: object) -> None:
        raise _Refused("a DOCTYPE (a WordPress export has none; it could declare entities that expand without "
                       "end): refused")

    def _entity(self, name: str, *_: object) -> None:
        raise _Refused(f"an entity declaration ({name}): refused (a WordPress export has none)")

    def _start(self, tag: str, attributes: dict[str, str]) -> None:
        name = _prefixed(tag)
        self.path.append(name)
        self.text = []
        depth = len(self.path)
        if name == "item" and depth == 3:
            self.item = Item(self.parser.CurrentLineNumber)
        elif self.item is not None and name == "category" and depth == 4:
            self.term = (attributes.get("domain", "category"), attributes.get("nicename", ""))
        elif name in ("wp:author", "wp:category", "wp:postmeta") and depth in (3, 4):
            self.group = {}
        elif self.item is not None and name == "content:encoded":
            self.item.content_line = self.parser.CurrentLineNumber

    def _text(self, data: str) -> None:
        self.text.append(data)

    def _end(self, tag: str) -> None:
        name = self.path.pop()
        text = "".join(self.text)
        self.text = []
        depth = len(self.path) + 1
        if self.item is None:
            self._channel_end(name, text, depth)
        else:
            self._item_end(self.item, name, text, depth)

    def _channel_end(self, name: str, text: str, depth: int) -> None:
        if depth == 3:
            if name == "wp:author" and self.group.get("wp:author_login"):
                self.export.authors[self.group["wp:author_login"]] = self.group
            elif name == "wp:category" and self.group.get("wp:category_nicename"):
                self.export.categories[self.group["wp:category_nicename"]] = (
                    self.group.get("wp:category_parent", ""), self.group.get("wp:cat_name", ""))
                self.export.category_ids[self.group["wp:category_nicename"]] = self.group.get("wp:term_id", "")
            elif name == "wp:wxr_version" and self.path == ["rss", "channel"]:
                self.export.is_wxr = True
            self.export.fields.setdefault(name, text.strip())
        elif depth == 4:
            self.group[name] = text.strip()

    def _item_end(self, item: Item, name: str, text: str, depth: int) -> None:
        if depth == 3:  # the item's end
            self.export.items.append(item)
            self.item = None
        elif depth == 4 and name == "category" and self.term is not None:
            item.terms.append(Term(self.term[0], self.term[1], text.strip()))
        elif depth == 4 and name == "wp:postmeta":
            item.meta.append((self.group.get("wp:meta_key", ""), self.group.get("wp:meta_value", "")))
        elif depth == 4 and name == "wp:comment":
            item.comments += 1
        elif depth == 5 and self.path[-1] == "wp:postmeta":
            self.group[name] = text.strip()
        elif depth == 4:
            item.fields.setdefault(name, text)


def _prefixed(tag: str) -> str:
    """expat's `namespace local` as WXR writes it: `wp:post_type`, `content:encoded`, `title`."""
    namespace, _, local = tag.rpartition(" ")
    if not namespace:
        return local
    if namespace in _NAMESPACES:
        return f"{_NAMESPACES[namespace]}:{local}"
    found = _WORDPRESS.match(namespace)
    if found:
        return f"{'excerpt' if found.group(1) else 'wp'}:{local}"
    return f"{{{namespace}}}{local}"


def items_of(export: Export, post_type: str) -> Iterator[Item]:
    """The export's items of one `wp:post_type`."""
    return (item for item in export.items if item.get("wp:post_type") == post_type)
