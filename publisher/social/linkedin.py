"""LinkedIn's Posts API takes a post's text ("commentary") in its "little" text format.

In it `\\ | { } @ [ ] ( ) < > # * _ ~` are reserved: unescaped, LinkedIn cuts the
post at the first one (a text with a parenthesis is published up to it). Links
are left as they are, so they still link; a hashtag becomes its template,
`{hashtag|\\#|ContentMarketing}`, so it stays a hashtag.
"""

from __future__ import annotations

import regex

from publisher.social.counting import extract_urls

_LINK = regex.compile(r"https?://\S+")  # what publisher writes into a share text: a link with its scheme
_RESERVED = regex.compile(r"([\\|{}@\[\]()<>#*_~])")
_HASHTAG = regex.compile(r"(?<![\p{L}\p{M}\p{Nd}_&])#([\p{L}\p{M}\p{Nd}_]*\p{L}[\p{L}\p{M}\p{Nd}_]*)")


def little_text(text: str) -> str:
    """`text` as LinkedIn's Posts API commentary: reserved characters escaped, links kept (`example.org/#faq` in
    a title too, not made a hashtag), hashtags as hashtags."""
    parts: list[str] = []
    done = 0
    for start, end in _links(text):
        parts += [_plain(text[done:start]), text[start:end]]
        done = end
    parts.append(_plain(text[done:]))
    return "".join(parts)


def _links(text: str) -> list[tuple[int, int]]:
    """Where the links of `text` are, in order, none overlapping: those with a scheme (publisher's own), and those
    twitter-text finds without one (`example.org/#faq`)."""
    found = sorted([link.span() for link in _LINK.finditer(text)]
                   + [(url.start, url.end) for url in extract_urls(text)])
    kept: list[tuple[int, int]] = []
    for start, end in found:
        if kept and start < kept[-1][1]:
            kept[-1] = (kept[-1][0], max(end, kept[-1][1]))
        else:
            kept.append((start, end))
    return kept


def _plain(text: str) -> str:
    pieces: list[str] = []
    done = 0
    for tag in _HASHTAG.finditer(text):
        pieces += [_RESERVED.sub(r"\\\1", text[done:tag.start()]),
                   "{hashtag|\\#|" + _RESERVED.sub(r"\\\1", tag.group(1)) + "}"]
        done = tag.end()
    pieces.append(_RESERVED.sub(r"\\\1", text[done:]))
    return "".join(pieces)
