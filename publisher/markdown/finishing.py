"""What every engine does to its HTML alike: the excerpt, pull quotes, heading counts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from publisher.core.text import plain_text

MORE = re.compile(r"<p>\s*<!--\s*more\s*-->\s*</p>|<!--\s*more\s*-->")


_FIRST_PARAGRAPH = re.compile(r"<p>(?!<img[^>]*>\s*</p>).*?</p>", re.DOTALL)


FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)


# A pull quote is a blockquote whose first line is the marker `[!pullquote]`:
#     > [!pullquote]
#     > Long-form pieces earn links; short posts earn likes.
# The quote is the marker's paragraph.
_PULL_QUOTE = re.compile(r"<blockquote>\s*<p>\s*\[!pullquote\]\s*(.*?)</p>", re.DOTALL | re.IGNORECASE)


def mark_pull_quotes(body_html: str) -> tuple[str, tuple[str, ...]]:
    """Give each pull quote the class `pullquote` (without its marker) and return their texts."""
    quotes: list[str] = []

    def mark(match: re.Match[str]) -> str:
        inner = match[1].strip()
        quotes.append(plain_text(inner))
        return f'<blockquote class="pullquote">\n<p>{inner}</p>'

    return _PULL_QUOTE.sub(mark, body_html), tuple(q for q in quotes if q)


def excerpt_of(body_html: str) -> str:
    match = MORE.search(body_html)
    if match:
        excerpt = body_html[: match.start()]
    else:
        first = _FIRST_PARAGRAPH.search(body_html)
        excerpt = first.group(0) if first else ""
    # Footnote markers would point at notes the excerpt does not carry.
    return FOOTNOTE_REF.sub("", excerpt).strip()


_BLOCK = re.compile(r"<(/?)(blockquote|ul|ol|div|table|details|figure|aside|section|dl)\b[^>]*>|</p>", re.IGNORECASE)


def paragraph_end(html: str, count: int) -> int | None:
    """The offset just after the `count`-th top-level paragraph of `html`; None when it has fewer (or count is 0)."""
    if count <= 0:
        return None
    depth = seen = 0
    for match in _BLOCK.finditer(html):
        if match.group(0).lower() == "</p>":
            if depth == 0:
                seen += 1
                if seen == count:
                    return match.end()
        else:
            depth += -1 if match.group(1) else 1
    return None


def count_headings(tokens: Sequence[Mapping[str, Any]]) -> int:
    return sum(1 + count_headings(token.get("children", [])) for token in tokens)
