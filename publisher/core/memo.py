"""What a stage made last time, and from what: the unit of the incremental build.

A `Memo` keeps, for each key (a source file, a page), the inputs a result was
made from and the result. Asked again, it hands back the kept result only when
the inputs are equal (`==`) to the kept ones, else it makes a new one. Being
right thus never depends on knowing what changed: a result is reused only for
the very inputs it was made from. Inputs are compared by value, and values
that are the same object compare at once, so a stage that reuses its inputs'
objects (a post left as it was) is checked in constant time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any, Generic, TypeVar

Made = TypeVar("Made")
Value = TypeVar("Value")

# What a new process (`publisher build`) finds of an earlier one's result on disk: (key, make, is_whole) -> the
# JSON-ready result kept under `key` when `is_whole` takes it, else `make()` (`build.cache.KeptResults.get`).
KeptOnDisk = Callable[[str, Callable[[], Any], Callable[[Any], bool]], Any]
# The same for a result taken whole whenever kept: (key, make) -> the result kept under `key`, else `make()`.
Kept = Callable[[str, Callable[[], Any]], Any]


class Memo(Generic[Made]):
    """Results by key, each with the inputs it was made from; see the module's docstring."""

    __slots__ = ("_kept", "_used")

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[object, Made]] = {}
        self._used: dict[Hashable, tuple[object, Made]] = {}

    def get(self, key: Hashable, inputs: object, make: Callable[[], Made]) -> Made:
        """The result kept for `key` when it was made from inputs equal to `inputs`, else `make()`."""
        found = self.find(key, inputs)
        made = make() if found is None else found[0]
        self.put(key, inputs, made)
        return made

    def get_same(self, key: Hashable, inputs: object, make: Callable[[], Made]) -> Made:
        """`get`, for inputs that count as the same only when they are the very same object (an equal one is not:
        `1 == True`), in one lookup: for a result kept per post, asked for 10,000 times a build (`Same` around
        each post took 5 µs, as long as what it kept)."""
        kept = self._used.get(key) or self._kept.get(key)
        made = kept[1] if kept is not None and kept[0] is inputs else make()
        self._used[key] = (inputs, made)
        return made

    def find(self, key: Hashable, inputs: object) -> tuple[Made] | None:
        """(the result,) kept for `key` when it was made from inputs equal to `inputs`, else None."""
        kept = self._used.get(key) or self._kept.get(key)
        if kept is not None and (kept[0] is inputs or kept[0] == inputs):
            return (kept[1],)
        return None

    def last(self, key: Hashable) -> tuple[object, Made] | None:
        """(the inputs, the result) last kept for `key`, whatever the inputs are now."""
        return self._used.get(key) or self._kept.get(key)

    def put(self, key: Hashable, inputs: object, made: Made) -> None:
        """Keep `made` as what `inputs` make for `key`."""
        self._used[key] = (inputs, made)

    def settle(self, *, complete: bool) -> None:
        """The end of a build. A complete one used every key it still has: forget the others. One that stopped
        part way keeps both what it made and what it did not reach."""
        if complete:
            self._kept = self._used
        else:
            self._kept.update(self._used)
        self._used = {}

    def entries(self) -> dict[Hashable, tuple[object, Made]]:
        """What is kept, by key: (the inputs, the result); read it after `settle`."""
        return dict(self._kept)

    def restore(self, entries: dict[Hashable, tuple[object, Made]]) -> None:
        """Keep `entries` (from `entries` of an earlier model) as if an earlier build had made them."""
        self._kept.update(entries)

    def clear(self) -> None:
        """Forget everything kept."""
        self._kept, self._used = {}, {}


class Same:
    """Inputs equal only to inputs of the very same objects, in the same groups and order. For a result made
    from many values, compared in a pass of identity checks; and for one that depends on how a value is
    written, not only on what it equals (`1 == True`, and two spellings of one instant are equal)."""

    __slots__ = ("groups",)
    __hash__ = None  # type: ignore[assignment]  # compared, never a key

    def __init__(self, *groups: Iterable[object]) -> None:
        self.groups = tuple(tuple(group) for group in groups)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Same) and len(self.groups) == len(other.groups)
                and all(len(mine) == len(theirs) and all(a is b for a, b in zip(mine, theirs, strict=True))
                        for mine, theirs in zip(self.groups, other.groups, strict=True)))


class Alike(Generic[Value]):
    """Inputs equal to inputs of as many values in the same order, each the very same object or one of which
    `reads` (what the result takes of each value) shows the same, written the same (`repr`: `1 == True`, but a
    message names a value as written). For a result made from a few fields of each of many values: the checks
    across all posts, which an edit of a post's other fields (its title) leaves as they were. Compared in a
    pass of identity checks, `reads` taken only of the values that are not the same objects."""

    __slots__ = ("reads", "values")
    __hash__ = None  # type: ignore[assignment]  # compared, never a key

    def __init__(self, values: Iterable[Value], reads: Callable[[Value], object]) -> None:
        self.values = tuple(values)
        self.reads = reads

    def __eq__(self, other: object) -> bool:
        if not (isinstance(other, Alike) and other.reads is self.reads and len(other.values) == len(self.values)):
            return False
        reads = self.reads
        return all(mine is theirs or repr(reads(mine)) == repr(reads(theirs))
                   for mine, theirs in zip(self.values, other.values, strict=True))
