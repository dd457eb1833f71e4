"""The quotation marks a language writes, for smart punctuation: `"…"` and `'…'` become a German site's „…“ and
‚…‘, a French one's « … », as the site's `language` says (`[markdown] quotes` sets them outright).

The marks are CLDR's (47, each language's `delimiters`: what browsers show for `<q>` in that language), with French
no-break spaces inside its guillemets, as French typography sets them and as markdown-it's documented `quotes`
option for French and PHP SmartyPants' French settings write them."""

from __future__ import annotations

from dataclasses import dataclass

NO_BREAK_SPACE = "\u00a0"


@dataclass(frozen=True, slots=True)
class Quotes:
    """The marks that open and close a quotation, and one inside it (single quotes in English)."""

    double_open: str
    double_close: str
    single_open: str
    single_close: str


ENGLISH = Quotes("“", "”", "‘", "’")

# CLDR 47's quotation marks (double open, close, single open, close), by language tag; a tag not listed, as its
# language's (`de-AT` as `de`), and a language not listed writes English's “” ‘’, as CLDR's many do.
_CLDR: dict[str, str] = {
    **dict.fromkeys(("agq", "ff"), "„”‚’"),
    **dict.fromkeys(("am", "az-arab", "az-cyrl", "fa", "fr-ch", "gsw", "jgo", "kkj", "mzn", "sdh"), "«»‹›"),
    **dict.fromkeys(("ar", "lld", "ms-arab", "syr", "ur"), "”“’‘"),
    **dict.fromkeys(("ast", "blo", "bm", "br", "ca", "dyo", "el", "es-us", "eu", "ewo", "ie", "it", "kab", "kk", "lij",
                     "mg", "mua", "nnh", "pt-pt", "sc", "sg", "sq", "ti"), "«»“”"),
    **dict.fromkeys(("bas", "be", "cv", "ky", "ru", "sah", "uk"), "«»„“"),
    **dict.fromkeys(("bg", "lt"), "„“„“"),
    **dict.fromkeys(("bs-cyrl", "cs", "de", "dsb", "et", "hr", "hsb", "is", "lb", "luy", "mk", "sk", "sl"), "„“‚‘"),
    "bs": "„”‘’",
    **dict.fromkeys(("dua", "el-polyton", "ksf", "no", "rw"), "«»‘’"),
    **dict.fromkeys(("fi", "he", "lag", "rn", "sn", "sv"), "””’’"),
    "fr-ca": "«»”“",
    **dict.fromkeys(("fr", "hy", "yav"), "«»«»"),
    "hu": "„”»«",
    **dict.fromkeys(("ia", "nso", "ti-er", "tn"), "‘’“”"),
    **dict.fromkeys(("ja", "yue", "zh-hant", "zh-tw", "zh-hk", "zh-mo"), "「」『』"),  # zh-TW: Traditional, as written
    "ka": "„“«»",
    "nl": "‘’‘’",
    **dict.fromkeys(("nmg", "pl", "ro"), "„”«»"),
    **dict.fromkeys(("shi", "zgh"), "«»„”"),
    "sr": "„”’’",
    "st": "“’“”",
    "tk": "“”“”",
    "uz": "“”’‘",
}


def quotes_for(language: str) -> Quotes:
    """The quotation marks of a language tag (`de`, `pt-PT`, `zh-Hant-TW`): its own, else those of the tag without
    its last part, else English's."""
    parts = language.lower().split("-")
    while parts:
        marks = _CLDR.get("-".join(parts))
        if marks is not None:
            return spaced_for(parts[0], Quotes(*marks))
        parts.pop()
    return ENGLISH


def spaced_for(language: str, quotes: Quotes) -> Quotes:
    """`quotes`, with a no-break space inside each guillemet in French (`« Bonjour »`)."""
    if language != "fr":
        return quotes
    return Quotes(*(_spaced(mark) for mark in (quotes.double_open, quotes.double_close, quotes.single_open,
                                               quotes.single_close)))


def _spaced(mark: str) -> str:
    """A guillemet with a no-break space on the side of the quotation."""
    if mark in ("«", "‹"):
        return mark + NO_BREAK_SPACE
    if mark in ("»", "›"):
        return NO_BREAK_SPACE + mark
    return mark


def quotes_written(marks: object) -> Quotes | None:
    """`[markdown] quotes` as written: four characters (`"„“‚‘"`, as markdown-it's `quotes` option takes them), or a
    list of four strings (`["«\u00a0", "\u00a0»", "‹\u00a0", "\u00a0›"]`); None when it is neither."""
    if isinstance(marks, str) and len(marks) == 4:
        return Quotes(*marks)
    if isinstance(marks, list) and len(marks) == 4 and all(isinstance(mark, str) and mark for mark in marks):
        return Quotes(*marks)
    return None
