"""`record`: an immutable dataclass for the values a build makes by the ten thousand.

A build of 10,000 posts makes about 200,000 of a few kinds of value (each
post, entry, parsed source, page plan, output file and sitemap URL). A frozen
dataclass checks its immutability at run time, and pays for it in every
`__init__`: each field is set through `object.__setattr__`, about four times
the cost of a plain slotted one (2.0 µs against 0.5 µs with eight fields).

`record` makes the same class as `@dataclass(frozen=True, slots=True)` — the
same fields, equality, hash and `dataclasses.replace` — but leaves the
immutability to the type checker: `dataclass_transform(frozen_default=True)`
tells mypy a record is frozen, so an assignment to a field fails `make lint`
(mypy --strict) rather than the build. Values made a few at a time stay
`@dataclass(frozen=True, slots=True)`, and so does `images.cards.CardSpec`:
that module's bytes are part of every card's name (`previews.drawing_code`),
and an edit there renames every card, which networks then fetch anew.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[_T]) -> type[_T]:
    """`cls` as a slotted dataclass with equality and a hash, frozen for the type checker (see the module)."""
    return dataclass(slots=True, unsafe_hash=True)(cls)
