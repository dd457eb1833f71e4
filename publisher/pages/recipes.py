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

A recipe's digest comes with the sources of the entries it holds, however deep (`with_entries`), and the site's
structure has a digest of its own (`structure`): each entry's post and view inputs, in the site's order, and the
values many pages share. Every other value of a recipe (a pager, a placement, a related list, a preview) is made
from those and from the entries it holds alone: so while the structure is the same, a recipe whose entries each
have the digest they had has the digest it had, and `publisher build` takes it as kept without a walk through
it (`render._PageRenderer.render`; a body edit at 10,000 posts walks the few pages that show the post).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from operator import attrgetter
from pathlib import PurePath

from publisher.content.model import Entry, Post, post_digest
from publisher.core.records import record
from publisher.core.spool import Spooled
from publisher.pages.fingerprints import Fingerprinted


@record
class KeptEntries:
    """The entries a page's recipe held as the last build recorded them: their places in its list of sources,
    which the page memo keeps (`render.PageMemo.kept_sources`; a page rendered by a worker sends back these
    numbers alone)."""

    places: list[int]


HeldEntries = frozenset[str] | KeptEntries  # the sources of the entries a recipe holds, as found or as kept


def _no_view_inputs(entry: Entry) -> tuple[()]:
    return ()


class _Undigestible(Exception):
    """A value in a recipe that the digest does not cover."""


class RecipeDigests:
    """Digests of the recipes of one build's pages; each entry's part is taken once.

    `salt`: what every page is also made from (settings, templates, publisher's code and version).
    `view_inputs`: what an entry's view is made from besides the entry (see `render._PageRenderer.entry`); by
    default nothing, for a file that shows no view of its entries (a feed) or holds none (the share feed)."""

    def __init__(self, salt: str, view_inputs: Callable[[Entry], object] | None = None, *,
                 by_source: bool = False, posts: Mapping[str, tuple[Post, str]] | None = None) -> None:
        self.salt = salt.encode("utf-8")
        self.view_inputs = view_inputs or _no_view_inputs
        self.by_source = by_source  # an entry counts by its source alone: the recipe's shape
        self.posts = posts or {}  # by source: the post as read, and its digest taken then (`post_digest`)
        self._entries: dict[str, bytes] = {}  # source -> the entry's digest, taken this build
        self._posts: dict[str, bytes] = {}  # source -> the digest of the entry's post and view inputs (`_entry`)
        self._dataclasses: dict[type, tuple[bytes, Callable[[object], tuple[object, ...]]]] = {}  # see `_dataclass`
        self._composites: dict[int, tuple[object, bytes, tuple[str, ...]]] = {}  # id -> (the object, its digest,
        # the sources of the entries it holds, as met)

    def of(self, recipe: tuple[object, ...]) -> str | None:
        """The recipe's digest, or None when it holds a value the digest does not cover."""
        made = self.with_entries(recipe)
        return None if made is None else made[0]

    def with_entries(self, recipe: tuple[object, ...]) -> tuple[str, frozenset[str]] | None:
        """The recipe's digest and the sources of the entries it holds (in containers and dataclasses too), or None
        when it holds a value the digest does not cover."""
        parts = [self.salt]
        held: list[str] = []
        try:
            self._feed_all(parts, (recipe,), held)
        except _Undigestible:
            return None
        return hashlib.sha256(b"".join(parts)).hexdigest(), frozenset(held)

    def entry(self, entry: Entry) -> str:
        """The entry's digest (see `_entry`), in hex."""
        return self._entry(entry).hex()

    def structure(self, entries: Iterable[Entry], *shared: object) -> str:
        """The digest of the site's structure: each of `entries` (the site's, in its order) by its source, post and
        view inputs (not its body: see the module's docstring), and the values in `shared` (those many pages hold:
        the site's view, the previews), by their `repr` (one showing an address differs from build to build: no
        recipe is then taken as kept)."""
        h = hashlib.sha256(self.salt)
        for entry in entries:
            self._entry(entry)
            source = entry.post.source.encode("utf-8", "surrogatepass")
            h.update(b"%d:%s" % (len(source), source) + self._posts[entry.post.source])
        h.update(repr(shared).encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def _entry(self, entry: Entry) -> bytes:
        """An entry's digest: of the digest of the `repr` of its post (`post_digest`: as taken when its file was
        parsed, for the very post read then) and of its view's other inputs, then of its HTML's digest, where an
        inline CTA may go and its rendered Markdown's digest (taken when it was finished, `Entry.body_digest`). For
        a recipe's shape, of its source alone."""
        made = self._entries.get(entry.post.source)
        if made is None:
            if self.by_source:
                h = hashlib.sha256(("source:" + entry.post.source).encode("utf-8", "surrogatepass"))
            else:
                known = self.posts.get(entry.post.source)
                of_post = known[1] if known is not None and known[0] is entry.post else post_digest(entry.post)
                post = f"{of_post} {self.view_inputs(entry)!r}".encode("utf-8", "surrogatepass")
                self._posts[entry.post.source] = hashed = hashlib.sha256(post).digest()
                h = hashlib.sha256(hashed + repr((entry.html_digest, entry.inline_cta_at)).encode("ascii"))
                h.update(entry.body_digest.encode("ascii"))
            made = self._entries[entry.post.source] = h.digest()
        return made

    def _feed_all(self, parts: list[bytes], values: Iterable[object], held: list[str]) -> None:
        """Add the bytes of each of `values` to `parts`, tagged by its kind, so values of other kinds or shapes never
        add the same, and the sources of the entries among them to `held`. A container or dataclass adds its own
        digest, taken once per object: the site's view, a CTA or a cluster is in many recipes. (The kinds met most
        often are taken here without a call each: 400,000 values a build at 10,000 posts.)"""
        entries, entry_digest, composite, met = self._entries, self._entry, self._composite, self._dataclasses
        for value in values:
            if type(value) is str:
                data = value.encode("utf-8", "surrogatepass")
                parts += (b"str:%d:" % len(data), data)
            elif type(value) is Entry:
                made = entries.get(value.post.source)
                parts += (b"E", entry_digest(value) if made is None else made)
                held.append(value.post.source)
            elif value is None:
                parts.append(b"NoneType:None;")
            elif type(value) is int:
                parts.append(b"int:%d;" % value)
            elif type(value) in (tuple, list, dict) or type(value) in met:
                parts += (b"C", composite(value, held))
            else:
                self._feed_other(parts, value, held)

    def _feed_other(self, parts: list[bytes], value: object, held: list[str]) -> None:
        """`_feed` for the kinds met less often: a bool or float, a str of a subclass (Markup: its kind counts
        too), a fingerprinted value, a date, a path, a dataclass."""
        if isinstance(value, (bool, int, float)):
            parts.append(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, str):
            data = value.encode("utf-8", "surrogatepass")
            parts += (f"{type(value).__name__}:{len(data)}:".encode(), data)
        elif isinstance(value, Entry):
            parts += (b"E", self._entry(value))
            held.append(value.post.source)
        elif isinstance(value, (Fingerprinted, Spooled)):
            parts.append(f"{type(value).__name__}#{value.digest};".encode())
        elif isinstance(value, (datetime, date)):
            parts.append(f"{type(value).__name__}:{value.isoformat()}|{getattr(value, 'tzinfo', None)}|"
                         f"{getattr(value, 'fold', 0)};".encode())
        elif isinstance(value, PurePath):
            self._feed_all(parts, (str(value),), held)
        else:
            parts += (b"C", self._composite(value, held))

    def _composite(self, value: object, held: list[str]) -> bytes:
        """The digest of a container or dataclass, kept by the object (held, so its id is not reused), with the
        sources of the entries it holds, added to `held`."""
        kept = self._composites.get(id(value))
        if kept is not None:
            held += kept[2]
            return kept[1]
        start = len(held)
        if isinstance(value, (tuple, list)):
            parts = [b"%s:%d(" % (type(value).__name__.encode(), len(value))]
            self._feed_all(parts, value, held)
        elif type(value) is dict:
            parts = [b"dict:%d{" % len(value)]
            self._feed_all(parts, (part for pair in value.items() for part in pair), held)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            prefix, values = self._dataclass(type(value))
            parts = [prefix]
            self._feed_all(parts, values(value), held)
        else:
            raise _Undigestible(type(value).__name__)
        made = hashlib.sha256(b"".join(parts)).digest()
        self._composites[id(value)] = (value, made, tuple(held[start:]))
        return made

    def _dataclass(self, kind: type) -> tuple[bytes, Callable[[object], tuple[object, ...]]]:
        """What a dataclass's digest starts with, and the values of its fields, in order."""
        known = self._dataclasses.get(kind)
        if known is None:
            names = [f.name for f in dataclasses.fields(kind)]
            values = attrgetter(*names) if len(names) > 1 else (lambda value: tuple(getattr(value, n) for n in names))
            known = self._dataclasses[kind] = (f"@{kind.__module__}.{kind.__qualname__}(".encode(), values)
        return known
