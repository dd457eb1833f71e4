"""Which plural form a count takes in a language: the Unicode CLDR's cardinal plural rules
(supplemental/plurals.xml, as unicode.org's language_plural_rules chart gives them; French and Spanish have had
`many` since CLDR 38) for the languages the default theme's words come in, for whole numbers (what templates
count: posts, minutes).

- English and German: `one` for 1, `other` for the rest (0 posts, 2 posts).
- French: `one` for 0 and 1 (0 article, 1 article), `many` for a non-zero multiple of a million
  (1 000 000 d'articles), `other` for the rest.
- Spanish: `one` for 1, `many` for a non-zero multiple of a million (1 000 000 de artículos), `other` for the rest.

Another language counts as English does: a site writing in it whose forms differ (Polish, Russian, Arabic) gives
the `other` form to every count but 1.
"""

from __future__ import annotations

from collections.abc import Callable

CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def _one_for_one(count: int) -> str:
    return "one" if count == 1 else "other"


def _french(count: int) -> str:
    if count in (0, 1):
        return "one"
    return "many" if _millions(count) else "other"


def _spanish(count: int) -> str:
    if count == 1:
        return "one"
    return "many" if _millions(count) else "other"


def _millions(count: int) -> bool:
    """CLDR's `e = 0 and i != 0 and i % 1000000 = 0 and v = 0`, for a whole number written without exponent."""
    return count != 0 and count % 1_000_000 == 0


_RULES: dict[str, Callable[[int], str]] = {"en": _one_for_one, "de": _one_for_one, "fr": _french, "es": _spanish}


def plural_category(language: str, count: int) -> str:
    """The CLDR plural category (`one`, `many`, `other`…) of a whole `count` in a language tag (`fr-CA` as `fr`)."""
    rule = _RULES.get(base_language(language), _one_for_one)
    return rule(abs(count))


def base_language(language: str) -> str:
    """A language tag's language, lower case: `de-AT` -> `de`."""
    return language.split("-")[0].lower()
