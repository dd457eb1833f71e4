"""A page's recipe (`render.PagePlan.recipe`) as a digest, so a build in a new process can tell a page made
from the very same things without making its context again.

`serve` compares recipes in memory, by value; `publisher build` keeps, for each page, the digest of the
recipe it was made from with its fingerprint in the page manifest (`build.cache`). The digest is taken
over the same values: an entry counts by its post, its rendered Markdown, the digest of its HTML and
what its view is made from besides (its image's attributes, whether it is still to come), so an entry
whose HTML came out the same counts the same; dataclasses by their fields, containers by their items in
order. (Its post counts by its `repr`, a dataclass of plain values, each shown; its rendered Markdown by
the digest of its fields taken when it was finished, `Entry.body_digest`. A value whose `repr` shows an
address would differ from build to build: a page made again, never one kept wrongly.) A value it does not
know how to take (a set, an object of some other kind) leaves the page with no digest: then its context is
made and fingerprinted, as ever.

A recipe's shape is its digest with each entry counted by its source alone (`by_source`): what a page that
shows many views is told by, with what it read of each (`render.ShownReads`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from publisher.content.model import Entry
from publisher.core.spool import Spooled
from publisher.pages.fingerprints import Fingerprinted


class _Undigestible(Exception):
    """A value in a recipe that the digest does not cover."""


class RecipeDigests:
    """Digests of the recipes of one build's pages; each entry's part is taken once.

    `salt`: what every page is also made from (settings, templates, publisher's code and version).
    `view_inputs`: what an entry's view is made from besides the entry (see `render._PageRenderer.entry`)."""

    def __init__(self, salt: str, view_inputs: Callable[[Entry], object], *, by_source: bool = False) -> None:
        self.salt = salt.encode("utf-8")
        self.view_inputs = view_inputs
        self.by_source = by_source  # an entry counts by its source alone: the recipe's shape
        self._entries: dict[str, bytes] = {}  # source -> the entry's digest, taken this build
        self._fields: dict[type, tuple[str, ...]] = {}
        self._composites: dict[int, tuple[object, bytes]] = {}  # id -> (the object, its digest)

    def of(self, recipe: tuple[object, ...]) -> str | None:
        """The recipe's digest, or None when it holds a value the digest does not cover."""
        h = hashlib.sha256(self.salt)
        try:
            self._add(h, recipe)
        except _Undigestible:
            return None
        return h.hexdigest()

    def entry(self, entry: Entry) -> str:
        """The entry's digest (see `_entry`), in hex."""
        return self._entry(entry).hex()

    def _entry(self, entry: Entry) -> bytes:
        """An entry's digest: of the `repr` of its post (a dataclass of plain values, whose generated `repr` shows
        every field), its HTML's digest and its view's other inputs, then of its rendered Markdown's digest (taken
        when it was finished, `Entry.body_digest`). For a recipe's shape, of its source alone."""
        made = self._entries.get(entry.post.source)
        if made is None:
            if self.by_source:
                h = hashlib.sha256(("source:" + entry.post.source).encode("utf-8", "surrogatepass"))
            else:
                shown = repr((entry.post, entry.html_digest, entry.inline_cta_at, self.view_inputs(entry)))
                h = hashlib.sha256(shown.encode("utf-8", "surrogatepass"))
                h.update(entry.body_digest.encode("ascii"))
            made = self._entries[entry.post.source] = h.digest()
        return made

    def _add(self, h: Any, value: object) -> None:
        """Feed `value` to `h`, tagged by its kind, so values of other kinds or shapes never feed the same. A
        container or dataclass feeds its own digest, taken once per object: the site's view, a CTA or a
        cluster is in many recipes."""
        if value is None or isinstance(value, (bool, int, float)):
            h.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, str):  # a str, or Markup: its kind counts too
            data = value.encode("utf-8", "surrogatepass")
            h.update(f"{type(value).__name__}:{len(data)}:".encode())
            h.update(data)
        elif isinstance(value, Entry):
            h.update(b"E")
            h.update(self._entry(value))
        elif isinstance(value, (Fingerprinted, Spooled)):
            h.update(f"{type(value).__name__}#{value.digest};".encode())
        elif isinstance(value, (datetime, date)):
            h.update(f"{type(value).__name__}:{value.isoformat()}|{getattr(value, 'tzinfo', None)}|"
                     f"{getattr(value, 'fold', 0)};".encode())
        elif isinstance(value, PurePath):
            self._add(h, str(value))
        else:
            h.update(b"C")
            h.update(self._composite(value))

    def _composite(self, value: object) -> bytes:
        """The digest of a container or dataclass, kept by the object (held, so its id is not reused)."""
        kept = self._composites.get(id(value))
        if kept is not None:
            return kept[1]
        h = hashlib.sha256()
        if isinstance(value, (tuple, list)):
            h.update(f"{type(value).__name__}:{len(value)}(".encode())
            for item in value:
                self._add(h, item)
        elif type(value) is dict:
            h.update(f"dict:{len(value)}{{".encode())
            for key, item in value.items():
                self._add(h, key)
                self._add(h, item)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            h.update(f"@{type(value).__module__}.{type(value).__qualname__}(".encode())
            for name in self._field_names(type(value)):
                self._add(h, getattr(value, name))
        else:
            raise _Undigestible(type(value).__name__)
        made = h.digest()
        self._composites[id(value)] = (value, made)
        return made

    def _field_names(self, kind: type) -> tuple[str, ...]:
        names = self._fields.get(kind)
        if names is None:
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(kind))
        return names

