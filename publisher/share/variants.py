"""A post's share variants: the announcement and its re-shares."""

from __future__ import annotations

from dataclasses import dataclass

ANNOUNCE = "announce"


@dataclass(frozen=True, slots=True)
class Variant:
    """One of a post's share texts: the announcement, or the n-th re-share (a pull quote if there is one)."""

    number: int
    quote: str = ""

    @property
    def name(self) -> str:
        return ANNOUNCE if self.number == 0 else f"reshare-{self.number}"

    @property
    def kind(self) -> str:
        return ANNOUNCE if self.number == 0 else "quote" if self.quote else "reshare"
