"""How a language writes a whole number readers see (a count of posts, a page's number): its digits in groups,
with the Unicode CLDR's grouping separator, minimum grouping digits and group sizes (CLDR 48, as ICU 78's
`Intl.NumberFormat` writes them) for the languages the default theme's words come in, and their regions, and Hindi.

- English: 1,234 and 12,345 (en-ZA, en-SE, en-FI a no-break space; en-CH 12'345; en-DE, en-AT, en-BE, en-NL,
  en-DK 12.345).
- German: 1.234 (de-AT a no-break space, de-CH and de-LI 1'234).
- French: 1 234 with a narrow no-break space, U+202F (fr-CA a no-break space, U+00A0; fr-LU and fr-MA 1.234).
- Spanish: 12.345, but 1234: a group starts only past two digits (`minimumGroupingDigits` 2). Latin America's
  group from four digits: 1,234 (es-419, es-MX, es-US…), 1.234 (es-AR, es-CO, es-CL…), es-CR a no-break space.
- Indian English (en-IN) and Hindi: 1,234, then groups of two before the last three (12,34,567), as CLDR's
  pattern `#,##,##0.###` says (lakh and crore).

Another language is written in digits alone, as before (a wrong separator reads worse than none).
"""

from __future__ import annotations

from typing import NamedTuple

NO_BREAK = "\u00a0"
NARROW_NO_BREAK = "\u202f"

INDIAN = 2  # the size of the groups before the last three, in CLDR's `#,##,##0.###`


class Grouping(NamedTuple):
    """How a language groups a number's digits: its separator, the digits a group needs before it to start
    (CLDR's `minimumGroupingDigits`), and the size of the groups before the last three (3, or 2 in India's
    `#,##,##0`)."""

    separator: str
    minimum: int
    before_last: int = 3


# Language tag (lower case) -> its grouping (`Grouping`'s fields, the last where not 3).
_GROUPING: dict[str, tuple[str, int] | tuple[str, int, int]] = {
    "en": (",", 1),
    "en-in": (",", 1, INDIAN),
    "hi": (",", 1, INDIAN),
    **dict.fromkeys(("en-za", "en-se", "en-fi"), (NO_BREAK, 1)),
    "en-ch": ("'", 1),
    **dict.fromkeys(("en-de", "en-at", "en-be", "en-nl", "en-dk"), (".", 1)),
    "de": (".", 1),
    "de-at": (NO_BREAK, 1),
    **dict.fromkeys(("de-ch", "de-li"), ("'", 1)),
    "fr": (NARROW_NO_BREAK, 1),
    "fr-ca": (NO_BREAK, 1),
    **dict.fromkeys(("fr-lu", "fr-ma"), (".", 1)),
    "es": (".", 2),
    **dict.fromkeys(("es-419", "es-mx", "es-us", "es-pe", "es-gt", "es-do", "es-hn", "es-ni", "es-pa", "es-pr",
                     "es-sv", "es-cu", "es-bz", "es-br"), (",", 1)),
    **dict.fromkeys(("es-ar", "es-co", "es-cl", "es-ve", "es-uy", "es-ec", "es-bo", "es-py"), (".", 1)),
    "es-cr": (NO_BREAK, 1),
}


def grouped(number: int, language: str) -> str:
    """`number` as readers of `language` (a tag: `de`, `de-AT`, `es_419`) write it: `12.345` in German."""
    separator, minimum, before_last = _grouping(language)
    digits = str(abs(number))
    if not separator or len(digits) < 3 + minimum:  # 1234 has one digit before its group, 12345 two
        return str(number)
    return ("-" if number < 0 else "") + separator.join(_groups(digits, before_last))


def _groups(digits: str, before_last: int) -> list[str]:
    """`digits` cut into the last three and, before them, groups of `before_last` (the first may be shorter):
    `1234567` is 1 234 567, or 12 34 567 in groups of two."""
    rest, last = digits[:-3], digits[-3:]
    head = len(rest) % before_last or before_last
    return [part for part in (rest[:head], *(rest[start:start + before_last]
                                            for start in range(head, len(rest), before_last)), last) if part]


def _grouping(language: str) -> Grouping:
    """The grouping of a tag: its region's (a script between them aside: `de-Latn-AT` is `de-AT`), else its
    language's, else none."""
    parts = language.replace("_", "-").lower().split("-")
    region = next((part for part in parts[1:] if len(part) == 2 or part.isdigit()), "")
    found = _GROUPING.get(f"{parts[0]}-{region}") or _GROUPING.get(parts[0])
    return Grouping(*found) if found else Grouping("", 1)
