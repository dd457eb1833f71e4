"""The list pages of a Hugo site's taxonomies (checked against Hugo 0.111's output): each term's page
(`/tags/content-strategy/`, `/categories/big-data/`, `/series/part-one/`) and each taxonomy's list of terms
(`/tags/`), with the URLs publisher gives the same lists: its tag page for a term (publisher has one tag system:
`tags`, `categories` and the site's own taxonomies such as `series` are all tags to it), its tag list for a
taxonomy's list, and the home page for a taxonomy whose field publisher reads as something else (`authors`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from publisher.content.model import KNOWN_KEYS
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
        moved |= {made(f"/{term_path(plural)}/"): TAGS if _read_as_tags(plural) else "/" for plural in plurals}
    for plural, terms in _terms(plurals, entries).items():
        if "term" in disabled:
            continue
        for term in terms:
            moved[made(f"/{term_path(plural)}/{term_path(term)}/").replace("#", "%23")] = (
                tag_url(term) if _read_as_tags(plural) else "/")
    # A `%` of the term's own (`%41`): a server reads it as an escape, Hugo wrote it as it is; left out.
    return {old: new for old, new in moved.items()
            if url_key(old) != url_key(new) and "%" not in old.replace("%23", "")}


def folded_taxonomies(config: Mapping[str, Any], entries: list[SourceEntry]) -> tuple[list[SourceEntry], list[str]]:
    """The entries with the terms of the site's own taxonomies (`[taxonomies] series = "series"`, front matter
    `series: [Part One]`) added to their tags, as publisher has one tag system and its tag page lists the posts as
    Hugo's term page did; the field itself moves under `params` (`post.extra.series` to templates), where it is
    no unknown field for `build --strict` to fail on. Also the report's note for each taxonomy folded."""
    own = [plural for plural in _taxonomies(config) if plural not in _AS_TAGS and plural not in KNOWN_KEYS]
    folded = [_with_terms_as_tags(entry, own) for entry in entries]
    used = sorted({plural for entry in entries for plural in own if plural in entry.metadata})
    notes = [f"Hugo's taxonomy {plural!r}: its terms are tags now (its term pages lead to their tag pages), the "
             f"field kept under params for templates (post.extra.{plural})" for plural in used]
    return folded, notes


def _with_terms_as_tags(entry: SourceEntry, plurals: list[str]) -> SourceEntry:
    """`entry` with the terms of `plurals` added to its tags and those fields moved under `params` (a `params`
    that is no table, which Hugo would refuse, is left as it is)."""
    present = [plural for plural in plurals if plural in entry.metadata]
    params = entry.metadata.get("params", {})
    if not present or not isinstance(params, dict):
        return entry
    metadata = {key: value for key, value in entry.metadata.items() if key not in present}
    tags = _term_list(entry.metadata.get("tags"))
    for plural in present:
        tags += [term for term in _term_list(entry.metadata[plural]) if term not in tags]
    metadata["tags"] = tags
    metadata["params"] = {**params, **{plural: entry.metadata[plural] for plural in present}}
    return replace(entry, metadata=metadata, front_matter="")  # written afresh: keys moved


def _term_list(value: Any) -> list[str]:
    """A taxonomy field's terms as Hugo reads them: one string is one term, a list its items."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [str(term) for term in items if isinstance(term, str | int | float) and str(term).strip()]


def _read_as_tags(plural: str) -> bool:
    """Whether publisher reads a taxonomy's terms as tags: `tags`, `categories` and the site's own (folded into
    tags by `folded_taxonomies`), not a field it reads otherwise (`authors`, `keywords`)."""
    return plural in _AS_TAGS or plural not in KNOWN_KEYS


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
            terms.update(dict.fromkeys(_term_list(entry.metadata.get(plural))))
    return {plural: list(terms) for plural, terms in found.items() if terms}
