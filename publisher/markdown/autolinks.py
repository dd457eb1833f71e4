"""GFM's autolinks extension: bare URLs, `www.` addresses and email addresses in text, found as cmark-gfm
finds them (GFM spec 0.29, "Autolinks (extension)"), for the writer to make links of.

- A URL starts with `http://`, `https://` or `ftp://`, in any case (no letter before it); a `www.` address at the start
  of the text or after a space or one of `*`, `_`, `~`, `(`. Either is followed by a valid domain (segments of
  letters, digits, `_` and `-` between periods, at least one period, no `_` in the last two segments), then
  by anything up to a space or `<`.
- An email address is letters, digits and `.+-_`, an `@`, then a domain with at least one period that ends
  in a letter (a period after it is left out).
- Then the end is trimmed, again and again: a trailing `?!.,:*_~'"` (or what smart punctuation made of
  `...`, `'` and `"`); a `;` (with the `&name` before it when it looks like an entity); a `)` that has no
  `(` to match in the link.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

_START = re.compile(r"(?<![A-Za-z])(?i:https?|ftp)://|(?<![^\s*_~(])www\.|@")  # a scheme in any case
_DOMAIN = re.compile(r"[\w.-]*")  # letters and digits of any script, `_`, `-` and periods
_REST = re.compile(r"[^\s<]*")  # a link goes on to a space or `<`
# Smart punctuation's quotation marks, in any language's (`core.quotes`): what it makes of `"` and of `'`.
_DOUBLE_MARKS = "“”„«»「」『』"
_SINGLE_MARKS = "‘’‚‹›"
_TRAILING = frozenset("?!.,:*_~'\"…" + _DOUBLE_MARKS + _SINGLE_MARKS)  # with what smart punctuation makes of
# `...`, `'` and `"`
_LOCAL = frozenset(string.ascii_letters + string.digits + ".+-_")  # an email address's part before the `@`
_SMART = str.maketrans({**dict.fromkeys(_SINGLE_MARKS, "'"), **dict.fromkeys(_DOUBLE_MARKS, '"')})
_DASHES = (("…", "..."), ("—", "---"), ("–", "--"))


@dataclass(frozen=True, slots=True)
class Autolink:
    start: int  # where it is in the text
    end: int
    href: str  # the URL it links to: `http://` before a `www.` address, `mailto:` before an email address


def find_autolinks(text: str) -> list[Autolink]:
    """The autolinks in `text` (one text node: no markup inside), in order."""
    links: list[Autolink] = []
    if "://" not in text and "www." not in text and "@" not in text:  # most text: no regular expression run
        return links
    at = 0
    runs = _DomainRuns(text)
    while (found := _START.search(text, at)) is not None:
        link = (_email(text, found.start()) if found.group() == "@"
                else _address(text, found.start(), found.end(), runs))
        if link is None or link.start < at:
            at = found.end()
            continue
        links.append(link)
        at = link.end
    return links


def as_typed(text: str) -> str:
    """A link found in text that smart punctuation went over, with the quotes, dashes and dots as typed."""
    text = text.translate(_SMART)
    for typographic, typed in _DASHES:
        text = text.replace(typographic, typed)
    return text


@dataclass
class _DomainRuns:
    """The last run of domain characters read (`_DOMAIN`), whose end is the end of the run from any place inside
    it: `_www.` 32,000 times (each `www.` a start, and `_` a domain character) read the rest of the run from each
    start, 34 s."""

    text: str
    start: int = -1
    end: int = -1

    def end_from(self, at: int) -> int:
        if not self.start <= at <= self.end:
            self.start, self.end = at, _run_end(_DOMAIN, self.text, at)
        return self.end


def _address(text: str, start: int, after_prefix: int, runs: _DomainRuns) -> Autolink | None:
    """A URL or `www.` address starting at `start`, its scheme or `www.` ending at `after_prefix`."""
    www = text.startswith("www.", start)
    domain_end = runs.end_from(after_prefix)
    if not _valid_domain(text, after_prefix, domain_end, short=www):
        return None
    end = _trimmed(text, start, _run_end(_REST, text, domain_end))
    if end < domain_end and not _valid_domain(text, after_prefix, end, short=www):
        return None  # the trailing punctuation left out was the domain's
    link = text[start:end]
    return Autolink(start, end, ("http://" + link) if www else link)


def _run_end(pattern: re.Pattern[str], text: str, at: int) -> int:
    """Where the run of `pattern` (which matches the empty string too) from `at` ends."""
    found = pattern.match(text, at)
    return found.end() if found is not None else at


def _valid_domain(text: str, start: int, end: int, *, short: bool) -> bool:
    """Whether `text[start:end]` is a domain: segments of letters, digits, `_` and `-` between periods, at least one
    period (`short`: none needed, after `www.`), no `_` in the last two segments. Read from its end: what comes
    before its last two segments is never looked at (split whole at each start, a long run cost its square)."""
    if end <= start:
        return False
    last = text.rfind(".", start, end)
    if last == -1 and not short:
        return False
    before = text.rfind(".", start, last) if last != -1 else -1
    return text.find("_", before + 1 if before != -1 else start, end) == -1


def _email(text: str, at_sign: int) -> Autolink | None:
    """The email address around the `@` at `at_sign`."""
    start = at_sign
    while start > 0 and text[start - 1] in _LOCAL:
        start -= 1
    if start == at_sign:
        return None
    end, periods = at_sign + 1, 0
    while end < len(text):
        char = text[end]
        if char.isalnum() or char in "-_":
            end += 1
        elif char == "." and end + 1 < len(text) and text[end + 1].isalnum():
            periods += 1
            end += 1
        else:
            break
    if periods == 0 or not text[end - 1].isalpha():  # (a period is never last: it is taken only before a letter)
        return None
    end = _trimmed(text, start, end)
    return Autolink(start, end, "mailto:" + text[start:end])


def _trimmed(text: str, start: int, end: int) -> int:
    """The end of the link in `text[start:end]` once trailing punctuation, an entity-like `&name;` and
    unmatched closing parentheses are left out."""
    unmatched = text.count(")", start, end) - text.count("(", start, end)
    while end > start:
        char = text[end - 1]
        if char in _TRAILING:
            end -= 1
        elif char == ";":
            name = end - 2
            while name > start and text[name].isalnum():
                name -= 1
            end = name if name < end - 2 and text[name] == "&" else end - 1
        elif char == ")" and unmatched > 0:
            end -= 1
            unmatched -= 1
        else:
            break
    return end
