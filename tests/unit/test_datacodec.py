"""The codec of the model kept on disk: what it writes reads back equal and of the same types, what it cannot
write exactly it refuses, and what it did not write it does not read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.core.datacodec import DataCodec, Unwritable


@dataclass(frozen=True, slots=True)
class Inner:
    name: str
    when: datetime | None = None


@dataclass(frozen=True, slots=True)
class Outer:
    title: str
    inner: tuple[Inner, ...] = ()
    extra: dict[Any, Any] = field(default_factory=dict)
    flag: bool = False
    weight: float = 0.0


CODEC = DataCodec([Inner, Outer])


@given(st.builds(Outer, st.text(), extra=st.dictionaries(st.text(max_size=3), st.integers() | st.booleans()),
                 flag=st.booleans(), weight=st.floats(allow_nan=False, allow_infinity=False)))
def test_a_dataclass_with_values_near_its_defaults_reads_back_the_same(value: Outer) -> None:
    back = round_trip(value)  # a field equal to its default is not written: False is not 0, -0.0 is not 0.0
    assert same(back.extra, value.extra) and repr(back.weight) == repr(value.weight) and back == value


def round_trip(value: Any) -> Any:
    """`value` written and read back, by `decode` and by `loads`, which read the same."""
    text = json.dumps(CODEC.encode(value))
    decoded, loaded = CODEC.decode(json.loads(text)), CODEC.loads(text)
    assert same(loaded, decoded)
    return decoded


def same(left: Any, right: Any) -> bool:
    """Equal, and of the same types all the way down (== alone takes 1 for True and a list for no tuple)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, (list, tuple)):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict):
        return list(left) == list(right) and all(same(left[k], right[k]) for k in left)
    if isinstance(left, datetime):
        return left == right and left.tzinfo == right.tzinfo and left.fold == right.fold \
            and left.tzname() == right.tzname()
    return bool(left == right)


BERLIN = ZoneInfo("Europe/Berlin")
plain = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
    | st.binary(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=3) | st.integers(), inner, max_size=3),
    max_leaves=12)


@given(plain)
def test_plain_data_reads_back_the_same(value: Any) -> None:
    assert same(round_trip(value), value)


def test_a_dataclass_reads_back_with_its_times_zones_and_fold() -> None:
    ambiguous = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=1)  # the second 02:30 of the night clocks go back
    value = Outer("T", (Inner("a", ambiguous), Inner("b", datetime(2026, 1, 1, tzinfo=UTC)),
                        Inner("c", datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=-5)))), Inner("d")),
                  {1: "one", "2": (True, 0)}, flag=True)
    back = round_trip(value)
    assert back == value and same(back.inner, value.inner) and same(back.extra, value.extra)
    assert back.inner[0].when.utcoffset() == timedelta(hours=1)  # the fold kept: winter time


@pytest.mark.parametrize("value", [
    {1, 2}, float("nan"), float("inf"), datetime(2026, 1, 1, tzinfo=UTC).date(), type("Markup", (str,), {})("<b>"),
    datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=1), "CET")), object(),
])
def test_what_cannot_be_read_back_exactly_is_refused(value: Any) -> None:
    with pytest.raises(Unwritable):
        CODEC.encode(Outer("T", extra={"x": value}))


@pytest.mark.parametrize("data", [
    {"@": "Secret", "=": {}},  # a type it was not made for
    {"@": "Inner", "=": {"name": "a", "shell": "rm -rf"}},  # a field the type does not have
    {"@": "Inner", "=": ["a"]}, {"@": "Inner", "=": {"{": [["name", "a"]]}},  # fields, not a dict
    {"(": "abc"}, {"b": "zz"}, {"T": "yesterday", "z": None, "f": 0},
    {"T": "2026-01-01T00:00:00", "z": "../etc", "f": 0}, {"x": 1}, {"(": [], "{": []},
])
def test_what_it_did_not_write_is_not_read(data: Any) -> None:
    with pytest.raises(ValueError):
        CODEC.decode(data)
    with pytest.raises(ValueError):
        CODEC.loads(json.dumps(data))


@pytest.mark.parametrize("data", [
    [{"name": "a"}],  # a dataclass's fields, with no dataclass to take them
    {"(": [{"name": "a"}, {"@": "Inner", "=": {"name": "b"}}]},
    {"@": "Inner", "=": {"name": {"when": None}}},
    "[1, 2", b"\xff",
])
def test_loads_takes_an_object_as_fields_only_where_a_dataclass_takes_them(data: Any) -> None:
    with pytest.raises(ValueError):
        CODEC.loads(data if isinstance(data, (str, bytes)) else json.dumps(data))


def test_a_dataclass_with_a_field_named_as_a_tag_is_refused() -> None:
    @dataclass
    class Tagged:
        b: str

    with pytest.raises(TypeError, match="named as a tag"):
        DataCodec([Tagged])
