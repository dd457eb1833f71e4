"""Fingerprints of template contexts, so a page whose inputs did not change is not rendered again."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from publisher.core.hashing import digest


def fingerprint(value: Any) -> str:
    """A stable hash of a template context (dicts, lists, strings, numbers, dates).

    A `Fingerprinted` value inside it counts by its own digest, so a post's
    view (with its whole HTML) is hashed once per build, not once per page
    that shows it.
    """
    return digest(json.dumps(value, sort_keys=True, default=_plain))


class Fingerprinted(Mapping[str, Any]):
    """A template view that knows its own digest (computed once, on first use).

    A mapping, not a dict: json.dumps hands what is not a dict to `_plain`,
    which puts the digest in its place, so a page's fingerprint is one C-speed
    json.dumps of its context.
    """

    __slots__ = ("_data", "_digest")

    def __init__(self, data: Mapping[str, Any] = {}, **more: Any) -> None:
        self._data: dict[str, Any] = {**(data._data if isinstance(data, Fingerprinted) else data), **more}
        self._digest: str | None = None

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        return value.make() if isinstance(value, Deferred) else value

    def token(self, key: str) -> Any:
        """What tells the value at `key` from another: the value, or a deferred one's digest (not made)."""
        value = self._data[key]
        return ("#", value.digest) if isinstance(value, Deferred) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __str__(self) -> str:
        """Its keys and values, as a dict shows them: what `{{ post }}` prints in a template, which was
        `<publisher.pages.fingerprints.Fingerprinted object at 0x7f…>`, another address in each build."""
        return repr({key: self[key] for key in self})

    def __repr__(self) -> str:
        """Its keys and values, a value not made yet by its digest (a view inside a list a template prints, a
        recipe's digest): the same views, the same text, in every build."""
        return repr({key: self.token(key) for key in self})

    @property
    def digest(self) -> str:
        """Long text (a post's HTML) is hashed as it is: escaping it for JSON costs ten times more."""
        if self._digest is None:
            long = {key: value for key, value in self._data.items() if isinstance(value, str) and len(value) > 1024}
            rest = {key: value for key, value in self._data.items() if key not in long}
            parts = (part for key in sorted(long) for part in (key, str(len(long[key])), long[key]))
            self._digest = digest(fingerprint(rest), *parts)
        return self._digest


class ReadRecorded(Fingerprinted):
    """An entry's view (`source`'s) noting each value a template reads from it (`read`, by `token`), so
    the page is kept while those values stay the same (`render.PagePlan.shows_views`). Every way a
    template reads a mapping's values goes through `__getitem__`; the keys are the same for every entry."""

    __slots__ = ("_view", "read", "source")

    def __init__(self, view: Fingerprinted, source: str) -> None:  # shares the view's data and digest
        self._data, self._digest = view._data, None
        self._view, self.source = view, source
        self.read: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        self.read[key] = self._view.token(key)
        return self._view[key]

    def __repr__(self) -> str:
        """The view's `repr`, every value noted as read (a template printing a list of views shows them all)."""
        for key in self:
            self.read[key] = self._view.token(key)
        return repr(self._view)

    @property
    def digest(self) -> str:
        return self._view.digest


@dataclass(frozen=True, slots=True)
class Deferred:
    """A value of a `Fingerprinted` view made only when a template reads it, known by its digest until then."""

    digest: str
    make: Callable[[], Any]


def _plain(value: Any) -> Any:
    if isinstance(value, (Fingerprinted, Deferred)):
        return {"#": value.digest}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return repr(value)
