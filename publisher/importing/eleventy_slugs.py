"""Eleventy's two slug filters, as they make a permalink's segment: `slugify` (Eleventy 1.0 and later:
@sindresorhus/slugify with `decamelize: false`) and the older `slug` (the `slugify` package of npm, with
`lower: true`). Both write Latin letters in ASCII (`slugify` writes German umlauts `ä` as `ae`, `slug` as
`a`) and `&` as `and`. Letters of other scripts they write by tables of their own that the import does not
hold: `beyond_latin` tells when a text has such letters."""

from __future__ import annotations

import re
import unicodedata

# Letters that do not decompose into an ASCII letter and a mark, as lodash's `deburr` writes them.
_LATIN = {"Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Þ": "TH", "þ": "th", "Ð": "D", "ð": "d", "Đ": "D", "đ": "d",
          "Ł": "L", "ł": "l", "Œ": "OE", "œ": "oe", "\u0131": "i", "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t", "Ŋ": "N",
          "ŋ": "n", "ĸ": "k", "Ŀ": "L", "ŀ": "l", "\u017f": "s", "Ĳ": "IJ", "ĳ": "ij", "ß": "ss"}
# Symbols the `slugify` package of npm writes as words or ASCII (its `charMap`), those not letters.
_SLUG_SYMBOLS = {"$": "dollar", "%": "percent", "&": "and", "<": "less", ">": "greater", "|": "or", "¢": "cent",
                 "£": "pound", "¤": "currency", "¥": "yen", "©": "(c)", "®": "(r)", "€": "euro", "™": "tm",
                 "–": "-", "‘": "'", "’": "'", "…": "...", "†": "+", "•": "*", "∑": "sum", "∞": "infinity",
                 "♥": "love"}
_GERMAN = {"ä": "ae", "Ä": "Ae", "ö": "oe", "Ö": "Oe", "ü": "ue", "Ü": "Ue", "ẞ": "SS"}  # @sindresorhus's own


def slugify_filter(text: str) -> str:
    """Eleventy's `slugify`: `Tips & Tricks für Café` -> `tips-and-tricks-fuer-cafe`."""
    ascii_text = _in_ascii(text.replace("&", " and "), _GERMAN).lower()
    return re.sub(r"[^a-z\d]+", "-", ascii_text).strip("-")


def slug_filter(text: str) -> str:
    """Eleventy's `slug`: `C++ & Go: für Café` -> `c++-and-go:-fur-cafe` (it keeps `$*_+~.()'"!:@` and writes
    a few symbols as words: `$` as `dollar`)."""
    text = unicodedata.normalize("NFC", text)
    mapped = "".join(_SLUG_SYMBOLS.get(char, " " if char == "-" else char) for char in text)
    kept = re.sub(r"[^\w\s$*+~.()'\"!\-:@]+", "", _in_ascii(mapped, {}), flags=re.ASCII)
    return re.sub(r"\s+", "-", kept.strip()).lower()


def beyond_latin(text: str) -> bool:
    """Whether `text` has letters the filters write by tables the import does not hold (Cyrillic, Greek…)."""
    return any(not char.isascii() and unicodedata.category(char)[0] == "L" for char in _in_ascii(text, _GERMAN))


def _in_ascii(text: str, special: dict[str, str]) -> str:
    """Latin letters in ASCII: `special` ones as it says, the others as `deburr` writes them (marks dropped)."""
    text = "".join(special.get(char) or _LATIN.get(char, char) for char in unicodedata.normalize("NFC", text))
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
