"""Bluesky rich text: the link (and hashtags) of a post as facets.

Bluesky does not find links in a post's text: the client sends each link as a
facet, a byte range of the UTF-8 text plus the URI it points to. That lets the
visible text show a short label (``journal.example/the-launch…``) while the
facet carries the full tracking link. Byte offsets are over UTF-8, never
string indices: ``text.encode()[facet.byte_start:facet.byte_end]`` is the label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import regex

from publisher.social.counting import graphemes

LINK_FEATURE = "app.bsky.richtext.facet#link"
TAG_FEATURE = "app.bsky.richtext.facet#tag"
_MAX_TAG_LENGTH = 64  # graphemes, Bluesky's limit for a tag


@dataclass(frozen=True, slots=True)
class Facet:
    """One facet: bytes `byte_start`..`byte_end` of the UTF-8 text are a link or a tag."""

    byte_start: int
    byte_end: int
    feature: str  # LINK_FEATURE or TAG_FEATURE
    value: str  # the URI of a link, the tag (without "#") of a tag

    def to_record(self) -> dict[str, Any]:
        """The facet as Bluesky's ``app.bsky.richtext.facet`` record (JSON-ready)."""
        key = "uri" if self.feature == LINK_FEATURE else "tag"
        return {
            "index": {"byteStart": self.byte_start, "byteEnd": self.byte_end},
            "features": [{"$type": self.feature, key: self.value}],
        }


def byte_span(text: str, start: int, end: int) -> tuple[int, int]:
    """String indices `start`..`end` of `text` as UTF-8 byte offsets."""
    byte_start = len(text[:start].encode("utf-8"))
    return byte_start, byte_start + len(text[start:end].encode("utf-8"))


def link_facet(text: str, label: str, uri: str, *, start: int | None = None) -> Facet:
    """The facet making `label` in `text` a link to `uri`.

    `start` is the label's string index in `text`; by default its first
    occurrence. Raises ValueError when the label is not there.
    """
    if start is None:
        start = text.find(label)
    if not label or start < 0 or text[start : start + len(label)] != label:
        raise ValueError(f"the link label {label!r} is not in the text")
    byte_start, byte_end = byte_span(text, start, start + len(label))
    return Facet(byte_start, byte_end, LINK_FEATURE, uri)


# A hashtag as Bluesky's client finds one: after a space or at the start, not all digits.
_TAG = regex.compile(r"(?<=^|\s)[#\uff03]((?!\ufe0f)[^\s\p{P}\p{S}]*\p{L}[^\s\p{P}\p{S}]*)")


def tag_facets(text: str) -> tuple[Facet, ...]:
    """A tag facet for every hashtag in `text` (``#ContentMarketing``)."""
    facets = []
    for match in _TAG.finditer(text):
        tag = match.group(1)
        if len(graphemes(tag)) <= _MAX_TAG_LENGTH:
            byte_start, byte_end = byte_span(text, match.start(), match.end())
            facets.append(Facet(byte_start, byte_end, TAG_FEATURE, tag))
    return tuple(facets)


def link_label(url: str, *, max_path: int = 20, ellipsis: str = "…") -> str:
    """A short, readable label for `url`: host and path, no scheme, query or fragment.

    ``https://www.example.com/2026/the-launch-post/?utm_source=bluesky`` becomes
    ``example.com/2026/the-launch-pos…``; a path longer than `max_path`
    graphemes is cut (never inside a grapheme) and ends with `ellipsis`.
    """
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[-1]
    host = host[4:] if host.lower().startswith("www.") else host
    path = "" if parts.path in ("", "/") else parts.path
    clusters = graphemes(path)
    if len(clusters) > max_path:
        path = "".join(clusters[: max_path - 1]) + ellipsis
    return host + path
