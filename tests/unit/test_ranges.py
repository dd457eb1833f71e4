"""Which bytes a Range header asks for: never a byte outside the file, never more bytes than the file holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from publisher.commands.ranges import ByteRange, asked_ranges

SPECS = st.one_of(st.from_regex(r"\A\d{0,6}-\d{0,6}\Z"), st.text(max_size=8))


@given(st.lists(SPECS, max_size=6), st.integers(min_value=0, max_value=200_000))
def test_the_ranges_asked_for_lie_in_the_file_and_add_up_to_it_at_most(specs: list[str], size: int) -> None:
    ranges = asked_ranges("bytes=" + ",".join(specs), size)
    if ranges is not None:
        assert all(0 <= r.first <= r.last < size for r in ranges)
        assert sum(r.last - r.first + 1 for r in ranges) <= size


def test_a_range_is_cut_to_the_file_and_one_wholly_past_it_left_out() -> None:
    assert asked_ranges("bytes=0-1, 500-1200, 2000-", 1000) == (ByteRange(0, 1), ByteRange(500, 999))
    assert asked_ranges("bytes=1000-", 1000) == ()
    assert asked_ranges("bytes=-5", 0) == ()
