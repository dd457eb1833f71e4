"""The list pages of a Hugo site's taxonomies (checked against Hugo 0.111's output): each term's page
(`/tags/content-strategy/`, `/categories/big-data/`) and each taxonomy's list of terms (`/tags/`), with
the URLs publisher gives the same lists: its tag page for a term of `tags` or `categories` (both are
tags to publisher), its tag list for those taxonomies' lists, and the home page for other taxonomies."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from publisher.content.urls import TAGS, tag_url
from publisher.core.slugs import url_key
from publisher.importing.model import SourceEntry

_DEFAULT = {"tag": "tags", "category": "categories"}  # Hugo's taxonomies when the settings name none
_AS_TAGS = frozenset({"tags", "categories"})  # what publisher reads as tags
_KEPT = frozenset("./\\_#+~-@")  # besides letters, marks and digits: what Hugo keeps of a term in its path
_HEX_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")  # a `%` Hugo keeps: one that starts an escape


def taxonomy_redirects(config: Mapping[str, Any], entries: Iterable[SourceEntry],
                       made: Callable[[str], str]) -> dict[str, str]:
    """Old list URL -> publisher's, for each taxonomy's list of terms and the terms the site's published posts use
    (`made`: Hugo's path of a URL, in lower case or `.html` as the site's settings say); a list publisher keeps at
    its URL is left out."""
    disabled = {str(kind).lower() for kind in config.get("disableKinds") or []}
    moved: dict[str, str] = {}
    plurals = _taxonomies(config)
    if "taxonomy" not in disabled and "taxonomyterm" not in disabled:  # Hugo lists a taxonomy no post uses too
        moved |= {made(f"/{term_path(plural)}/"): TAGS if plural in _AS_TAGS else "/" for plural in plurals}
    for plural, terms in _terms(plurals, entries).items():
        if "term" in disabled:
            continue
        for term in terms:
            moved[made(f"/{term_path(plural)}/{term_path(term)}/").replace("#", "%23")] = (
                tag_url(term) if plural in _AS_TAGS else "/")
    # A `%` of the term's own (`%41`): a server reads it as an escape, Hugo wrote it as it is; left out.
    return {old: new for old, new in moved.items()
            if url_key(old) != url_key(new) and "%" not in old.replace("%23", "")}


def term_path(term: str) -> str:
    """A term, title, slug or file name as Hugo writes it in a path (`PathSpec.UnicodeSanitize`, case kept): letters,
    marks, digits, `./\\_#+~-@` and a `%` before two hex digits kept, a run of spaces one hyphen (none after a
    hyphen), anything else dropped."""
    kept: list[str] = []
    space = False
    for index, char in enumerate(term):
        if char in _KEPT or _is_letter_mark_or_digit(char) or _HEX_ESCAPE.match(term, index):
            if space and char != "-":
                kept.append("-")
            kept.append(char)
            space = False
        elif char.isspace() and kept and kept[-1] != "-":
            space = True
    return "".join(kept)


def _is_letter_mark_or_digit(char: str) -> bool:
    """Go's `unicode.IsLetter`, `IsMark` or `IsDigit` (a decimal digit: not `Ⅻ` nor `½`)."""
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd"


def _taxonomies(config: Mapping[str, Any]) -> list[str]:
    """The plural names of the site's taxonomies (`[taxonomies]`, else Hugo's tags and categories)."""
    written = config.get("taxonomies")
    table = written if isinstance(written, dict) else _DEFAULT
    return [str(plural) for plural in table.values() if plural]


def _terms(plurals: list[str], entries: Iterable[SourceEntry]) -> dict[str, list[str]]:
    """Each taxonomy's terms in the front matter of the published posts and pages, in the order met."""
    found: dict[str, dict[str, None]] = {plural: {} for plural in plurals}
    for entry in entries:
        if entry.draft or entry.metadata.get("draft") is True:
            continue
        for plural, terms in found.items():
            value = entry.metadata.get(plural)
            for term in [value] if isinstance(value, str) else value if isinstance(value, list) else []:
                if isinstance(term, str | int | float) and str(term).strip():
                    terms[str(term)] = None
    return {plural: list(terms) for plural, terms in found.items() if terms}
