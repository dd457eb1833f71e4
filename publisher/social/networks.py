"""Network profiles: each network's limit, how it counts, how links and hashtags
show, and the default text pattern.

The built-in profiles (`BUILTIN_NETWORKS`) follow what each network enforces:

=========  =====================================  ======================================
network    limit                                  counted as
=========  =====================================  ======================================
x          280 weighted characters                twitter-text v3; every link 23
mastodon   500 characters                         code points; http(s) links 23;
                                                  ``@user@domain`` as ``@user``
bluesky    300 graphemes and 3000 UTF-8 bytes     grapheme clusters; the text shows a
                                                  short link label, the link is a facet
threads    500 characters, at most 5 links        code points; emoji as UTF-8 bytes
linkedin   3000 characters                        UTF-16 code units
facebook   63206 characters                       UTF-16 code units
pinterest  description 500, title 100             UTF-16 code units; the link is a field
reddit     title 300                              code points; the link is a field
=========  =====================================  ======================================

"Characters" on LinkedIn, Facebook and Pinterest are counted in UTF-16 code
units, what their web composers measure; that is never less than the code
points, so a text within it passes either reading.

A site changes a profile, or adds a network, with a table such as
``[share.networks.x]`` read by `configure_networks`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import regex

from publisher.core.errors import BuildFailed, ContentError, Problem, PublisherError
from publisher.core.text import counted
from publisher.social.counting import (
    INVALID_TWEET_CHARACTERS,
    TWITTER_TEXT_V3,
    code_point_length,
    count_links,
    grapheme_count,
    has_emoji,
    links_counted_as,
    mastodon_length,
    threads_length,
    utf8_length,
    utf16_length,
    x_library_length,
    x_weighted_length,
)

DEFAULT_TEMPLATE = "{title}\n\n{summary}\n\n{cta} {url}\n\n{hashtags}"


class HashtagStyle(StrEnum):
    """How a tag such as "content marketing" becomes a hashtag."""

    CAMEL = "camel"  # #ContentMarketing (screen readers read the words; Mastodon's advice)
    LOWER = "lower"  # #contentmarketing
    AS_IS = "as-is"  # #contentmarketing, spaces and punctuation removed, case kept
    NONE = "none"  # no hashtags on this network


class LinkDisplay(StrEnum):
    """Where the link to the post goes."""

    FULL = "full"  # the text shows the whole link
    LABEL = "label"  # the text shows a short label; the link travels as a facet (Bluesky)
    FIELD = "field"  # the link is a separate field of the post, not in the text


@dataclass(frozen=True, slots=True)
class CountingRule:
    """A named way of counting a text, in `unit`.

    `count(text, url_length)` returns the count; `url_length` is how many
    characters a link counts, or None for "as written".
    """

    name: str
    unit: str
    count: Callable[[str, int | None], int] = field(repr=False, compare=False)  # named by `name`


def _count_x(text: str, url_length: int | None) -> int:
    """X: twitter-text v3's weighted length, links at `url_length` (23)."""
    config = TWITTER_TEXT_V3 if url_length is None else replace(TWITTER_TEXT_V3, transformed_url_length=url_length)
    return x_weighted_length(text, config)


def _count_mastodon(text: str, url_length: int | None) -> int:
    """Mastodon: code points, http(s) links at `url_length` (23), remote mentions as local."""
    return mastodon_length(text, 23 if url_length is None else url_length)


def _count_graphemes(text: str, url_length: int | None) -> int:
    """Grapheme clusters (Bluesky)."""
    return grapheme_count(links_counted_as(text, url_length))


def _count_code_points(text: str, url_length: int | None) -> int:
    """Code points (Python's len)."""
    return code_point_length(links_counted_as(text, url_length))


def _count_utf16(text: str, url_length: int | None) -> int:
    """UTF-16 code units (JavaScript's length)."""
    return utf16_length(links_counted_as(text, url_length))


def _count_threads(text: str, url_length: int | None) -> int:
    """Threads: code points, emoji as their UTF-8 bytes."""
    return threads_length(links_counted_as(text, url_length))


COUNTING_RULES: Mapping[str, CountingRule] = MappingProxyType(
    {
        rule.name: rule
        for rule in (
            CountingRule("twitter", "weighted characters", _count_x),
            CountingRule("mastodon", "characters", _count_mastodon),
            CountingRule("graphemes", "graphemes", _count_graphemes),
            CountingRule("characters", "characters", _count_code_points),
            CountingRule("utf16", "characters", _count_utf16),
            CountingRule("threads", "characters", _count_threads),
        )
    }
)


@dataclass(frozen=True, slots=True)
class Measure:
    """A text measured against one network's limits."""

    network: str
    count: int
    limit: int
    unit: str
    byte_count: int | None = None
    byte_limit: int | None = None
    links: int = 0
    max_links: int | None = None
    rejected: str = ""  # characters the network refuses, as found in the text
    tool_count: int | None = None  # X: the twitter-text library's count where it is larger (newer emoji)

    @property
    def ok(self) -> bool:
        """True when the network would take the text."""
        return not self.problems()

    def problems(self) -> tuple[str, ...]:
        """What is over the limit, e.g. ("301 of 280 weighted characters",)."""
        found: list[str] = []
        if self.count > self.limit:
            found.append(f"{self.count} of {self.limit} {self.unit}")
        elif self.tool_count is not None and self.tool_count > self.limit:
            found.append(f"{self.tool_count} of {self.limit} {self.unit} as the twitter-text library counts newer"
                         " emoji")
        if self.byte_limit is not None and self.byte_count is not None and self.byte_count > self.byte_limit:
            found.append(f"{self.byte_count} of {self.byte_limit} UTF-8 bytes")
        if self.max_links is not None and self.links > self.max_links:
            found.append(f"{self.links} of {counted(self.max_links, 'link')}")
        if self.rejected:
            listed = ", ".join(f"U+{ord(c):04X}" for c in self.rejected)
            found.append(f"characters {self.network} refuses: {listed}")
        return tuple(found)

    def __str__(self) -> str:
        return "; ".join(self.problems()) or f"{self.count} of {self.limit} {self.unit}"


class OverLimit(PublisherError):
    """A share text a network would refuse (too long, too many links...).

    `str(error)` is the message, e.g. "301 of 280 weighted characters"; `at(path)`
    turns it into the usual one-line report::

        content/posts/x.md: share.x: 301 of 280 weighted characters
    """

    def __init__(self, measure: Measure, message: str | None = None) -> None:
        self.measure = measure
        self.network = measure.network
        super().__init__(message or str(measure))

    @property
    def field(self) -> str:
        return f"share.{self.network}"

    def at(self, path: str, line: int | None = None) -> ContentError:
        """The same problem as a `ContentError` naming the post."""
        return ContentError(path, line, self.field, str(self))


@dataclass(frozen=True, slots=True)
class ImageRules:
    """What a network takes as a post's image (its documented upload limits)."""

    max_bytes: int = 5_000_000
    # A sorted tuple, not a set: the settings' repr keys the build cache and must not vary between runs.
    types: tuple[str, ...] = ("image/gif", "image/jpeg", "image/png", "image/webp")
    max_pixels: int | None = None  # width × height


_JPEG_PNG = ("image/jpeg", "image/png")


@dataclass(frozen=True, slots=True)
class Network:
    """One network's profile. Build variants with `with_settings` or `dataclasses.replace`."""

    name: str
    limit: int
    rule: CountingRule
    url_length: int | None = None  # what a link counts; None: as written
    byte_limit: int | None = None  # a second limit in UTF-8 bytes (Bluesky)
    max_links: int | None = None
    hashtag_style: HashtagStyle = HashtagStyle.CAMEL
    max_hashtags: int | None = None  # None: all of them
    link_display: LinkDisplay = LinkDisplay.FULL
    title_limit: int | None = None  # a separate title field (Pinterest), counted like the text
    facets: bool = False  # links and hashtags travel as rich-text facets (Bluesky)
    rejects: str = ""  # characters that make the network refuse a text
    template: str = DEFAULT_TEMPLATE  # the default text, placeholders as in `pattern_template`
    images: ImageRules = ImageRules()
    reshares: bool = True  # False: the announcement only, where a second post of the same link is refused
    unique_texts: bool = False  # True: the network refuses a post whose text repeats an earlier one

    @property
    def unit(self) -> str:
        """What `limit` counts, e.g. "weighted characters"."""
        return self.rule.unit

    def count(self, text: str) -> int:
        """`text`'s length by this network's rule."""
        return self.rule.count(text, self.url_length)

    def measure(self, text: str) -> Measure:
        """`text` against every limit of this network."""
        return Measure(
            network=self.name,
            count=self.count(text),
            limit=self.limit,
            unit=self.unit,
            byte_count=utf8_length(text) if self.byte_limit is not None else None,
            byte_limit=self.byte_limit,
            links=count_links(text) if self.max_links is not None else 0,
            max_links=self.max_links,
            rejected="".join(dict.fromkeys(c for c in text if c in self.rejects)),
            tool_count=self._tool_count(text),
        )

    def _tool_count(self, text: str) -> int | None:
        """X: what the twitter-text library that composers and schedulers run counts, when it may count more
        than X (emoji newer than its list); a text must fit both."""
        if self.rule.name != "twitter" or self.url_length != 23 or not has_emoji(text):
            return None
        return x_library_length(text)

    def fits(self, text: str) -> bool:
        """True when the network would take `text`."""
        return self.measure(text).ok

    def check(self, text: str) -> Measure:
        """Measure a hand-written text; raise `OverLimit` when the network would refuse it."""
        measure = self.measure(text)
        if not measure.ok:
            raise OverLimit(measure)
        return measure

    def hashtags(self, tags: Iterable[str]) -> tuple[str, ...]:
        """The post's tags as this network's hashtags: styled, without repeats, capped."""
        if self.hashtag_style is HashtagStyle.NONE or self.max_hashtags == 0:
            return ()
        found: dict[str, str] = {}
        for tag in tags:
            hashtag = format_hashtag(tag, self.hashtag_style)
            if hashtag and hashtag.casefold() not in found:
                found[hashtag.casefold()] = hashtag
        styled = tuple(found.values())
        return styled if self.max_hashtags is None else styled[: self.max_hashtags]

    def with_settings(self, settings: Mapping[str, Any], *, source: str = "publisher.toml") -> Network:
        """This profile with a site's settings applied (see `configure_networks`)."""
        problems: list[Problem] = []
        network = _apply_settings(self, settings, f"share.networks.{self.name}", source, problems)
        if problems:
            raise BuildFailed(problems)
        return network


_WORD = regex.compile(r"[\p{L}\p{M}\p{Nd}]+")
_APOSTROPHES = regex.compile(r"(?<=\p{L})['\u2019\u02BC](?=\p{L})")  # ' ’ and the modifier letter
_DROPPED_QUIETLY = regex.compile(r"[\s\-_'\u2019\u02BC#]")
_HAS_LETTER = regex.compile(r"\p{L}")


def format_hashtag(tag: str, style: HashtagStyle | str) -> str | None:
    """"content marketing" -> "#ContentMarketing" (camel), "#contentmarketing" (lower)...

    Apostrophes go ("don't panic" -> "#DontPanic"); other spaces, punctuation and
    symbols are dropped (see `hashtag_losses`). Camel case joins words and
    capitalises only their first letters, so a word written with capitals keeps
    them ("iOS", "SEO"), and a one-word tag stays as written ("seo" -> "#seo").
    A tag with no letter left ("2024", "!!!") gives None: a hashtag needs a letter.
    """
    words = _WORD.findall(_APOSTROPHES.sub("", unicodedata.normalize("NFC", tag)))
    style = HashtagStyle(style)
    if style is HashtagStyle.CAMEL and len(words) > 1:
        words = [word[0].upper() + word[1:] for word in words]
    elif style is HashtagStyle.LOWER:
        words = [word.lower() for word in words]
    elif style is HashtagStyle.NONE:
        return None
    body = unicodedata.normalize("NFC", "".join(words))
    return f"#{body}" if _HAS_LETTER.search(body) else None


def hashtag_losses(tag: str) -> str:
    """The characters of `tag` a hashtag cannot carry and that change its meaning ("C++" loses "++",
    "R&D" loses "&"); spaces, hyphens, underscores and apostrophes go quietly."""
    kept = "".join(_WORD.findall(tag))
    return "".join(dict.fromkeys(c for c in tag if c not in kept and not _DROPPED_QUIETLY.match(c)))


_PINTEREST_TEMPLATE = "{summary}\n\n{hashtags}"  # the title and the link are fields of their own

# Image limits: X's media upload (5 MB); Mastodon's default instance (16 MiB, 33,177,600 pixels, as
# mastodon.social's /api/v2/instance says); Bluesky's image blob (1,000,000 bytes); Threads' (8 MB, JPEG
# or PNG); LinkedIn's (5 MB, JPEG, PNG or GIF, under 36,152,320 pixels); Facebook's photos (4 MB);
# Pinterest's and Reddit's (20 MB).
# Duplicates: X refuses a post whose text repeats an earlier one (API v2: 403 "You are not allowed to create a Tweet
# with duplicate content", v1.1 error 187 "Status is a duplicate"), LinkedIn too (422 DUPLICATE_POST, "Content is a
# duplicate of urn:li:share:…"), and Facebook (#506 "Duplicate status message", #368 "Posting the same content
# repeatedly on Facebook isn't allowed"). Reddit refuses a link already submitted to the subreddit (`/api/submit`
# without `resubmit`: "that link has already been submitted"), and Pinterest counts the same Pin saved to the same
# board again as spam ("Don't create or save content that is repetitive"): those two get the announcement only.
X = Network(
    "x", 280, COUNTING_RULES["twitter"], url_length=23, max_hashtags=2, rejects=INVALID_TWEET_CHARACTERS,
    unique_texts=True,
)
MASTODON = Network("mastodon", 500, COUNTING_RULES["mastodon"], url_length=23, max_hashtags=4,
                   images=ImageRules(16_777_216, max_pixels=33_177_600))
BLUESKY = Network(
    "bluesky", 300, COUNTING_RULES["graphemes"], byte_limit=3000, link_display=LinkDisplay.LABEL, facets=True,
    max_hashtags=3,
    images=ImageRules(1_000_000, ("image/jpeg", "image/png", "image/webp")),
)
THREADS = Network("threads", 500, COUNTING_RULES["threads"], max_links=5, max_hashtags=1,  # one topic tag a post
                  images=ImageRules(8_000_000, _JPEG_PNG))
LINKEDIN = Network("linkedin", 3000, COUNTING_RULES["utf16"], max_hashtags=3,
                   images=ImageRules(5_000_000, ("image/gif", *_JPEG_PNG), max_pixels=36_152_320), unique_texts=True)
FACEBOOK = Network("facebook", 63206, COUNTING_RULES["utf16"], max_hashtags=2,
                   images=ImageRules(4_000_000, ("image/gif", *_JPEG_PNG)), unique_texts=True)
# Pinterest's API takes 800 characters of description, but its app and the schedulers (Buffer: "Pinterest boards
# 500") stop at 500, and a scheduler refuses a longer pin.
PINTEREST = Network(
    "pinterest", 500, COUNTING_RULES["utf16"], title_limit=100, link_display=LinkDisplay.FIELD,
    template=_PINTEREST_TEMPLATE, images=ImageRules(20_000_000, _JPEG_PNG), reshares=False,
)
REDDIT = Network(
    "reddit", 300, COUNTING_RULES["characters"], hashtag_style=HashtagStyle.NONE, link_display=LinkDisplay.FIELD,
    template="{title}", images=ImageRules(20_000_000, ("image/gif", *_JPEG_PNG)), reshares=False,
)

BUILTIN_NETWORKS: Mapping[str, Network] = MappingProxyType(
    {n.name: n for n in (X, MASTODON, BLUESKY, THREADS, LINKEDIN, FACEBOOK, PINTEREST, REDDIT)}
)


# --- Site settings --------------------------------------------------------------------

_POSITIVE = ("limit", "byte_limit", "title_limit", "url_length")
_COUNTS = ("max_links", "max_hashtags")
_SWITCHES = ("facets", "reshares", "unique_texts")
SETTINGS = (*_POSITIVE, *_COUNTS, "counting", "hashtag_style", "link", *_SWITCHES, "template")


def configure_networks(
    table: Mapping[str, Any],
    *,
    base: Mapping[str, Network] = BUILTIN_NETWORKS,
    source: str = "publisher.toml",
) -> dict[str, Network]:
    """The built-in profiles with a site's ``[share.networks.<name>]`` tables applied.

    A table for a known network changes only what it names::

        [share.networks.mastodon]
        limit = 1000                 # this instance allows more
        [share.networks.x]
        max_hashtags = 1

    A new network needs `counting` (one of `COUNTING_RULES`) and `limit`::

        [share.networks.misskey]
        counting = "characters"
        limit = 3000

    Every problem (unknown setting, wrong type) is collected and raised together
    in `BuildFailed`, each naming its setting, e.g. ``share.networks.x.limit``.
    """
    problems: list[Problem] = []
    networks = dict(base)
    if not isinstance(table, Mapping):
        raise BuildFailed([Problem(source, None, "share.networks", "must be a table of networks")])
    for name, settings in table.items():
        where = f"share.networks.{name}"
        if not isinstance(settings, Mapping):
            problems.append(Problem(source, None, where, "must be a table of settings"))
            continue
        start = networks.get(name) or _new_network(name, settings, where, source, problems)
        if start is not None:
            networks[name] = _apply_settings(start, settings, where, source, problems)
    if problems:
        raise BuildFailed(problems)
    return networks


def _new_network(
    name: str, settings: Mapping[str, Any], where: str, source: str, problems: list[Problem]
) -> Network | None:
    """A bare profile for a network publisher does not know yet."""
    if not regex.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        problems.append(Problem(source, None, where, "a network name is lower-case letters, digits, - and _"))
        return None
    missing = [key for key in ("counting", "limit") if key not in settings]
    if missing:
        known = ", ".join(BUILTIN_NETWORKS)
        problems.append(
            Problem(source, None, where, f"a new network needs {' and '.join(missing)} (built-in networks: {known})")
        )
        return None
    return Network(name, 1, COUNTING_RULES["characters"])


def _apply_settings(
    network: Network, settings: Mapping[str, Any], where: str, source: str, problems: list[Problem]
) -> Network:
    """`network` with each valid setting applied; each invalid one added to `problems`."""
    changes: dict[str, Any] = {}

    def problem(key: str, message: str) -> None:
        problems.append(Problem(source, None, f"{where}.{key}", message))

    for key, value in settings.items():
        if key in _POSITIVE or key in _COUNTS:
            lowest = 1 if key in _POSITIVE else 0
            if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
                problem(key, f"must be a whole number of at least {lowest}, not {value!r}")
            else:
                changes[key] = value
        elif key == "counting":
            if isinstance(value, str) and value in COUNTING_RULES:
                changes["rule"] = COUNTING_RULES[value]
            else:
                problem(key, f"unknown counting rule {value!r} (known: {', '.join(COUNTING_RULES)})")
        elif key == "hashtag_style":
            if isinstance(value, str) and value in set(HashtagStyle):
                changes[key] = HashtagStyle(value)
            else:
                problem(key, f"must be one of {', '.join(s.value for s in HashtagStyle)}, not {value!r}")
        elif key == "link":
            if isinstance(value, str) and value in set(LinkDisplay):
                changes["link_display"] = LinkDisplay(value)
            else:
                problem(key, f"must be one of {', '.join(d.value for d in LinkDisplay)}, not {value!r}")
        elif key in _SWITCHES:
            if isinstance(value, bool):
                changes[key] = value
            else:
                problem(key, f"must be true or false, not {value!r}")
        elif key == "template":
            if isinstance(value, str) and value.strip():
                changes[key] = value
            else:
                problem(key, "must be a non-empty text with placeholders such as {title} and {url}")
        else:
            problem(key, f"unknown setting (known: {', '.join(SETTINGS)})")
    return replace(network, **changes)


__all__ = [
    "BLUESKY",
    "BUILTIN_NETWORKS",
    "COUNTING_RULES",
    "DEFAULT_TEMPLATE",
    "FACEBOOK",
    "LINKEDIN",
    "MASTODON",
    "PINTEREST",
    "REDDIT",
    "THREADS",
    "CountingRule",
    "HashtagStyle",
    "LinkDisplay",
    "Measure",
    "Network",
    "OverLimit",
    "X",
    "configure_networks",
    "format_hashtag",
]
