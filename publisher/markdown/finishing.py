"""What every engine does to its HTML alike: the excerpt, pull quotes, heading counts."""

from __future__ import annotations

import re

from publisher.core.text import plain_text

MORE_MARKER = "<!--more-->"


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


def count_headings(tokens: list[dict]) -> int:
    return sum(1 + count_headings(token.get("children", [])) for token in tokens)
