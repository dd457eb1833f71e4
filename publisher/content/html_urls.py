"""Where the URLs of an HTML text are: the values of its URL attributes and the CSS of its `<style>` elements.

The attributes are the HTML standard's that hold a URL (its index of
attributes: `href`, `src`, `action`, `formaction`, `cite`, `data`, `poster`,
`ping`, with `srcset`, the obsolete `longdesc` and `background`, and SVG's
`xlink:href`), and `style`, whose CSS may hold `url()`s. An attribute is
found by its name, on any element, when its value is quoted with `"` or `'`.
`data-src`, `data-href` and the like count as their names do for `href`,
`src`, `srcset` and `poster` (lazy-loading scripts keep the URL there), but
not for the others (`data-action`, `x-data` hold no URL).

Markdown escapes the `<` of code it shows, not always its quotes: in the text
of a `<code>` or `<pre>` element, `href='/a'` is shown, not an attribute. There
a value counts only inside a tag (`<code><a href="/a">` still does).

Found with `str.find`, not a regex nor a parser: bodies are scanned on every
cold build, and a regex for `href|src|...` tests every character (`str.find`
of a single character, `=`, is fastest of all).
"""

from __future__ import annotations

import bisect
from typing import Literal

Kind = Literal["url", "srcset", "urls", "css"]  # one URL; a srcset; URLs between spaces (`ping`); CSS
UrlValue = tuple[int, int, Kind]  # where the value starts, where it ends (its closing quote), its kind

# Each attribute whose value holds URLs: its kind, and whether `data-NAME` and the like count too.
ATTRIBUTES: dict[str, tuple[Kind, bool]] = {
    "href": ("url", True), "src": ("url", True), "srcset": ("srcset", True), "poster": ("url", True),
    "xlink:href": ("url", False), "action": ("url", False), "formaction": ("url", False),
    "cite": ("url", False), "data": ("url", False), "longdesc": ("url", False), "background": ("url", False),
    "ping": ("urls", False), "style": ("css", False),
}

_Named = tuple[str, Kind, bool]


def _by_ending() -> dict[str, tuple[_Named, ...]]:
    """The attributes by the last three letters of their names: what is looked up at each `="` or `='`."""
    by_ending: dict[str, tuple[_Named, ...]] = {}
    for name, (kind, dashed) in ATTRIBUTES.items():
        by_ending[name[-3:]] = (*by_ending.get(name[-3:], ()), (name, kind, dashed))
    return by_ending


_BY_ENDING = _by_ending()
_QUOTES = ('"', "'")
_Candidate = tuple[int, int, Kind, int]  # where the name starts, the value starts, its kind, its end (-1: unknown)


def url_values(html: str) -> list[UrlValue]:
    """Where each value holding URLs is, in order, none inside another: quoted attribute values (but the text of
    code), and `<style>` elements' CSS. A value whose quote is never closed, or a `<style>` never ended, is left
    out."""
    candidates = _outside_code_text(html, _attributes(html))
    found: list[UrlValue] = []
    done = 0
    for name_start, value_start, kind, end in sorted([*candidates, *_style_elements(html)]):
        if name_start < done:  # inside the value before
            continue
        if end == -1:
            end = html.find(html[value_start - 1], value_start)
            if end == -1:  # never closed; then no later value has this quote, so this search is not repeated
                continue
        found.append((value_start, end, kind))
        done = end
    return found


def _attributes(html: str) -> list[_Candidate]:
    """Each URL attribute with a quoted value, in order. At each `=` (found by one `str.find` for a single
    character, the fastest search there is) followed by a quote, the name before it is looked up by its last
    three letters: most are `class`, looked up and passed over."""
    found: list[_Candidate] = []
    at = html.find("=", 3)
    while at != -1:
        named = _BY_ENDING.get(html[at - 3:at])
        if named is not None and html.startswith(_QUOTES, at + 1):
            for name, kind, dashed in named:
                name_start = at - len(name)
                if name_start >= 1 and html.startswith(name, name_start):
                    before = html[name_start - 1]  # `data-src` counts as `src`, `class` not as `ass`
                    if before.isspace() or (dashed and before == "-"):
                        found.append((name_start, at + 2, kind, -1))
        at = html.find("=", at + 1)
    return found


def _style_elements(html: str) -> list[_Candidate]:
    """The CSS of each `<style>` element, from after its start tag to its `</style`. A `<style>` never ended
    (then none after it is) is left out."""
    found: list[_Candidate] = []
    at = html.find("<style")
    while at != -1:
        if html[at + 6:at + 7] in (">", " ", "\n", "\t", "\r", "\f"):
            content = html.find(">", at) + 1
            end = html.find("</style", content) if content else -1
            if end == -1:
                break
            found.append((content, content, "css", end))
            at = end
        at = html.find("<style", at + 1)
    return found


def _code_regions(html: str) -> list[tuple[int, int]]:
    """Where each `<pre>` and `<code>` element is, from its `<` to its end tag (or the end of the HTML), in order;
    a `<code>` inside a `<pre>` is in the `<pre>`'s."""
    starts = sorted([*_tag_starts(html, "pre"), *_tag_starts(html, "code")])
    regions: list[tuple[int, int]] = []
    for at, name in starts:
        if regions and at < regions[-1][1]:
            continue
        end = html.find(f"</{name}>", at)
        if end == -1:  # the rest is code text
            regions.append((at, len(html)))
            break
        regions.append((at, end))
    return regions


def _tag_starts(html: str, name: str) -> list[tuple[int, str]]:
    """Where each start tag `<NAME>` or `<NAME ...>` is."""
    found = []
    opening = "<" + name
    at = html.find(opening)
    while at != -1:
        if html[at + len(opening):at + len(opening) + 1] in (">", " ", "\n", "\t", "\r", "\f"):
            found.append((at, name))
        at = html.find(opening, at + 1)
    return found


def _outside_code_text(html: str, candidates: list[_Candidate]) -> list[_Candidate]:
    """The candidates but those in the text of a `<pre>` or `<code>` element (see the module's docstring).

    Most candidates are in a tag (the last `<` or `>` before them is a `<`): kept at once. The others are text,
    or follow a `>` in another attribute's value; only for them are the code elements looked for (five scans
    of the HTML, which most bodies do not need). One pass: each stretch of HTML is searched for `<` and `>` once.
    """
    kept: list[_Candidate] = []
    regions: list[tuple[int, int]] | None = None
    in_tag, scanned = False, 0
    for candidate in candidates:
        at = candidate[0]
        opened, closed = html.rfind("<", scanned, at), html.rfind(">", scanned, at)
        if opened != closed:  # one of them is there (-1 is the other): the later one says
            in_tag = opened > closed
        scanned = at
        if not in_tag:
            regions = _code_regions(html) if regions is None else regions
            if _inside(regions, at):
                continue
        kept.append(candidate)
    return kept


def _inside(regions: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` is inside one of the regions (in order, none inside another)."""
    index = bisect.bisect_right(regions, at, key=lambda region: region[0]) - 1
    return index >= 0 and at < regions[index][1]
