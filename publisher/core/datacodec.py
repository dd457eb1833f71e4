"""Plain data to JSON and back, exactly: what a build keeps on disk is data, never code.

A `DataCodec` writes None, booleans, whole numbers, finite floats, strings,
bytes, lists, tuples, dicts (any keys it can write), datetimes (with a
`ZoneInfo` zone, a fixed offset or none) and the dataclasses it was made for,
and reads them back equal and of the same types. Anything else is refused
(`Unwritable`) rather than written approximately: a set, a subclass of str, a
NaN, a plain date. Reading makes only those types, through their
constructors, so a file that was tampered with can at worst hold wrong data,
which the caller's salt and checks are for; one that does not decode raises
`ValueError`.

Tagged forms (a JSON object is always a tagged value, never a dict):
`{"(": [...]}` a tuple, `{"{": [[key, value], ...]}` a dict, `{"b": hex}`
bytes, `{"T": iso, "z": zone or offset seconds or null, "f": fold}` a
datetime, `{"@": class name, "=": {field: value}}` a dataclass (the fields
that differ from their defaults). A dataclass's fields are never named as a tag
is, so `loads` can read the tags as the JSON parser meets them, innermost first.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo


class Unwritable(ValueError):
    """A value the codec cannot write exactly."""


class DataCodec:
    """Writes and reads plain data and the dataclasses named at its making (see the module's docstring)."""

    def __init__(self, types: Iterable[type]) -> None:
        self._types: dict[str, type] = {}
        self._defaults: dict[str, list[tuple[str, Any]]] = {}  # each field's default (_NONE: none)
        for cls in types:
            if not dataclasses.is_dataclass(cls) or not all(f.init for f in dataclasses.fields(cls)):
                raise TypeError(f"{cls.__name__}: only dataclasses whose fields are all set by __init__")
            if any(f.name in _TAGS for f in dataclasses.fields(cls)):
                raise TypeError(f"{cls.__name__}: a field is named as a tag is ({' '.join(sorted(_TAGS))})")
            self._types[cls.__name__] = cls
            self._defaults[cls.__name__] = [(f.name, _default(f)) for f in dataclasses.fields(cls)]

    def encode(self, value: Any) -> Any:
        """`value` as JSON-ready data; raises Unwritable for what cannot be read back exactly."""
        kind = type(value)
        if value is None or kind in (bool, int, str):
            return value
        if kind is float:
            if not math.isfinite(value):
                raise Unwritable(f"the number {value!r}")
            return value
        if kind is list:
            return [self.encode(item) for item in value]
        if kind is tuple:
            return {"(": [self.encode(item) for item in value]}
        if kind is dict:
            return {"{": [[self.encode(key), self.encode(item)] for key, item in value.items()]}
        if kind is bytes:
            return {"b": value.hex()}
        if kind is datetime:
            return {"T": value.replace(tzinfo=None).isoformat(), "z": _zone(value), "f": value.fold}
        if self._types.get(kind.__name__) is kind:
            return {"@": kind.__name__, "=": {name: self.encode(getattr(value, name))
                                              for name, default in self._defaults[kind.__name__]
                                              if not _same(getattr(value, name), default)}}
        raise Unwritable(f"a value of type {kind.__name__}")

    def decode(self, data: Any) -> Any:
        """What `encode` was given, from the JSON value it made; raises ValueError for data it did not write."""
        reading = _Reading(self._types)
        try:
            return reading.checked(reading.bottom_up(data))
        except (KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
            raise ValueError(f"not data this codec writes: {exc}") from None

    def loads(self, text: str | bytes) -> Any:
        """What `encode` was given, from its JSON text: `decode(json.loads(text))`, in one pass (the tags are
        read as the parser meets them, innermost first); raises ValueError for data it did not write."""
        reading = _Reading(self._types)
        try:
            return reading.checked(json.loads(text, object_hook=reading.tagged))
        except (KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
            raise ValueError(f"not data this codec writes: {exc}") from None


_NONE = object()  # a field with no default
_TAGS = frozenset("({bTzf@=")  # the keys of the tagged forms


class _Fields(dict[str, Any]):
    """A dataclass's fields as they were read, before the object that names the dataclass."""


class _Reading:
    """`DataCodec.loads` and `decode` at work: each JSON object, its items read already, to what its tag says;
    an object that is no tagged value is a dataclass's fields, each of which the dataclass's object must take
    (counted)."""

    def __init__(self, types: dict[str, type]) -> None:
        self.types = types
        self.fields_made = self.fields_used = 0

    def tagged(self, data: dict[str, Any]) -> Any:
        size = len(data)
        if size == 1 and "(" in data:
            return tuple(_list(data["("]))
        if size == 1 and "{" in data:
            return dict(_list(data["{"]))
        if size == 1 and "b" in data:
            return bytes.fromhex(data["b"])
        if size == 3 and "T" in data and "z" in data and "f" in data:
            return datetime.fromisoformat(data["T"]).replace(tzinfo=_tzinfo(data["z"]), fold=data["f"])
        if size == 2 and "@" in data and "=" in data:
            cls, fields = self.types.get(data["@"]), data["="]
            if cls is None or type(fields) is not _Fields:
                raise ValueError(f"not a type this codec reads: {data['@']!r}")
            self.fields_used += 1
            return cls(**fields)
        if _TAGS.isdisjoint(data):
            self.fields_made += 1
            return _Fields(data)
        raise ValueError(f"not data this codec writes: {sorted(data)}")

    def bottom_up(self, data: Any) -> Any:
        """`data`, a JSON value, read as `json.loads` reads it with `tagged` as its hook: each object once its
        items are read."""
        kind = type(data)
        if kind is str or kind is int or data is None or kind is bool or kind is float:
            return data
        if kind is list:
            return [self.bottom_up(item) for item in data]
        if kind is dict:
            return self.tagged({key: self.bottom_up(item) for key, item in data.items()})
        raise ValueError(f"not data this codec writes: {kind.__name__}")

    def checked(self, value: Any) -> Any:
        """`value`, once read whole: every dataclass's fields were taken by its dataclass."""
        if self.fields_made != self.fields_used:
            raise ValueError("not data this codec writes: an object that is not a tagged value")
        return value


def _default(field: dataclasses.Field[Any]) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return _NONE


def _same(value: Any, default: Any) -> bool:
    """Whether a field's value is its default, of the very type (False is not 0): then it is not written."""
    return (default is not _NONE and type(value) is type(default) and value == default
            and (type(value) is not float or repr(value) == repr(default)))  # -0.0 is not 0.0


def _list(data: Any) -> list[Any]:
    if type(data) is not list:
        raise ValueError(f"a list expected, not {type(data).__name__}")
    return data


def _zone(value: datetime) -> str | int | None:
    zone = value.tzinfo
    if zone is None:
        return None
    if type(zone) is ZoneInfo:
        return zone.key
    offset = zone.utcoffset(None) if type(zone) is timezone else None
    if offset is not None and zone.tzname(None) == timezone(offset).tzname(None) and not offset.microseconds:
        return offset.days * 86400 + offset.seconds  # a fixed offset of whole seconds, with no name of its own
    raise Unwritable(f"the time zone {zone!r}")


def _tzinfo(zone: Any) -> ZoneInfo | timezone | None:
    if zone is None:
        return None
    if type(zone) is str:
        return ZoneInfo(zone)
    if type(zone) is int:
        return timezone(timedelta(seconds=zone))
    raise ValueError(f"not a time zone: {zone!r}")
