"""A post's share variants: the announcement, and re-shares that each say something else.

The announcement carries the post's summary. Each re-share carries other material of the post: its pull
quotes first, then its talking points (sentences of its own paragraphs and lists that read on their own,
questions first), each only when it is measurably different from the summary and from the material already
chosen, as networks and schedulers turn away near-duplicates. A post with too little to say gets fewer
re-shares rather than the same text again (a re-share the writer wrote a text for is kept).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from publisher.core.text import text_units

ANNOUNCE = "announce"
MAX_SIMILARITY = 0.5  # material at least this similar to chosen material is not used again
SPARES = 2  # sentences kept per re-share for a network with less room


@dataclass(frozen=True, slots=True)
class Variant:
    """One of a post's share texts: the announcement, or the n-th re-share with its material."""

    number: int
    quote: str = ""  # a pull quote, used whole or not at all
    material: str = ""  # another sentence of the post (a re-share without a quote)
    spares: tuple[str, ...] = ()  # other sentences, none of another variant's, for a network with less room
    # (for a quote too: it is used whole or not at all, and where it does not fit, a sentence says something)
    archive: bool = False  # goes out long after the post: its text says it is from the archive

    @property
    def name(self) -> str:
        return ANNOUNCE if self.number == 0 else f"reshare-{self.number}"

    @property
    def has_material(self) -> bool:
        """True for the announcement and for a re-share with something of its own to say."""
        return self.number == 0 or bool(self.quote or self.material)

    @property
    def kind(self) -> str:
        return ANNOUNCE if self.number == 0 else "quote" if self.quote else "reshare"


def post_variants(summary: str, quotes: Sequence[str], points: Sequence[str], reshares: int) -> tuple[Variant, ...]:
    """The announcement, then one re-share per pull quote (at least `reshares` in all when there is material
    enough): quotes first, then talking points, questions first, each unlike everything chosen before it.
    Points left over are dealt out as spares (a shorter one for a network with less room), no two
    re-shares with the same, the quotes' too (a quote too long for a network gives way to a sentence rather
    than leave the re-share with the title alone). Re-shares beyond
    the material have none: the plan leaves them out unless the writer gave them a text of their own."""
    count = max(reshares, len(quotes)) if reshares else 0
    quoted = min(count, len(quotes))
    wanted = count - quoted
    enough = wanted + count * SPARES
    said = [(text.lower(), _units(text)) for text in (summary, *quotes[:count])]
    pool: list[str] = []
    for point in sorted(points, key=lambda point: not point.endswith(("?", "\uff1f"))):  # stable: in order
        if len(pool) >= enough:
            break
        lowered, units = point.lower(), _units(point)
        matcher = SequenceMatcher(None, b=units, autojunk=False)  # indexes the point once for every comparison
        if all(lowered not in earlier and not _alike(matcher, known) for earlier, known in said):
            pool.append(point)
            said.append((lowered, units))
    materials, spares = pool[:wanted], pool[wanted:]
    saying = quoted + len(materials)  # the re-shares with something to say, each dealt spares in turn
    dealt = [tuple(spares[index::saying]) for index in range(saying)]
    variants = [Variant(0), *(Variant(n, quote=quote, spares=dealt[n - 1])
                              for n, quote in enumerate(quotes[:quoted], start=1))]
    for index, material in enumerate(materials):
        variants.append(Variant(len(variants), material=material, spares=dealt[quoted + index]))
    # the rest say nothing new (`has_material` is False): kept only for a text the writer wrote
    variants += [Variant(n) for n in range(len(variants), count + 1)]
    return tuple(variants)




def _alike(matcher: SequenceMatcher[str], units: list[str]) -> bool:
    """True when `units` and the matcher's text are MAX_SIMILARITY alike or more (difflib's quick upper bounds
    settle most pairs before its full ratio)."""
    matcher.set_seq1(units)
    return matcher.real_quick_ratio() >= MAX_SIMILARITY and matcher.quick_ratio() >= MAX_SIMILARITY \
        and matcher.ratio() >= MAX_SIMILARITY


def _units(text: str) -> list[str]:
    return text_units(text.lower())  # words, and each character of a script written without spaces
