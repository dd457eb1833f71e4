"""What every engine does to its HTML alike: the excerpt, pull quotes, talking points, heading counts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from publisher.core.text import plain_text

MORE = re.compile(r"<p>\s*<!--\s*more\s*-->\s*</p>|<!--\s*more\s*-->")


_FIRST_PARAGRAPH = re.compile(r"<p>(?!<img[^>]*>\s*</p>).*?</p>", re.DOTALL)


FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
# The "#" link the Markdown writers add to each heading: not part of the heading's words.
HEADING_ANCHOR = re.compile(r"<a\b[^>]*\bclass=\"heading-anchor\"[^>]*>[^<]*</a>")


# A pull quote is a blockquote whose first line is the marker `[!pullquote]`:
#     > [!pullquote]
#     > Long-form pieces earn links; short posts earn likes.
# The quote is the marker's paragraph.
_PULL_QUOTE = re.compile(r"<blockquote>\s*<p>\s*\[!pullquote\]\s*(.*?)</p>", re.DOTALL | re.IGNORECASE)


# A code block and a table scroll sideways when wider than the text column: a reader without a mouse reaches
# their hidden part with the arrow keys once the block can take the keyboard's focus (WCAG 2.1.1; axe-core's
# `scrollable-region-focusable`), as GitHub's do.
CODE_BLOCK = '<div class="highlight"><pre tabindex="0">'
TABLE = '<table tabindex="0">'


# The ids the default theme gives the parts of a page around a body: the `<main>` a skip link leads to, the
# CTA its inline pointer links to (`#cta`), the cluster and related lists' titles. A heading's id steps aside from
# them as from another heading's (`## CTA` is `cta_1`): `## CTA` had the id of the CTA, twice on the page, and the
# pointer to the form led to that heading.
PAGE_IDS = frozenset({"main", "cta", "cta-title", "cluster-title", "related-title"})


# An `id` in a start tag of raw HTML, its value quoted or not. A tag is read up to the next `<` or `>` at most, so
# a line of thousands of unclosed `<a` costs time linear in its length.
_RAW_HTML_ID = re.compile(r"""<[A-Za-z][^<>]*?\sid\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'=<>`]+))""",
                          re.IGNORECASE)


def raw_html_ids(html: str) -> set[str]:
    """The ids that raw HTML in a body gives its elements (`<a id="faq"></a>`, `<div id='pricing'>`)."""
    return {next(value for value in found.groups() if value is not None) for found in _RAW_HTML_ID.finditer(html)}


def unique_id(anchor: str, taken: set[str], numbered: dict[str, int]) -> str:
    """`anchor`, or when it is taken or empty, `anchor_1`, `anchor_2`… (Python-Markdown's rule): the first free
    number, added to `taken`. `numbered` keeps each anchor's last number across calls, since an id is never freed
    (counted from 1 each time, 16,000 headings of one text took 35 s)."""
    base, number = anchor, numbered.get(anchor, 0)
    while anchor in taken or not anchor:
        number += 1
        anchor = f"{base}_{number}"
    numbered[base] = number
    taken.add(anchor)
    return anchor


def unique_written_ids(written: Iterable[str], taken: set[str], numbered: dict[str, int]) -> list[str]:
    """The ids written on headings (`## Plans {#pricing}`), in the order of the headings, each unique on the page:
    the first heading of an id keeps it, a later one, or one whose id the page already has (`taken`: the page
    around the body, raw HTML's), gets `_1`, `_2`… Both engines give every written id before any made from a
    heading's text, which then steps aside from them all: a link written to `#pricing` leads to the heading that
    says so, wherever it is. Python-Markdown kept a written id given twice (invalid HTML, the second heading out of
    reach), and the default engine gave a written id `_1` when an earlier heading's text made the same id."""
    return [unique_id(anchor, taken, numbered) for anchor in written]


# What a URL's fragment may not hold as written (RFC 3987; the Nu checker refuses a `#`, a space or a `%` that
# starts no escape): percent-encoded in a link to an id; a browser decodes a link's fragment to find the element.
_NOT_IN_FRAGMENT = str.maketrans({c: f"%{ord(c):02X}" for c in ' "#%<>[\\]^`{|}' + "".join(map(chr, range(32)))})


def fragment_encoded(element_id: str) -> str:
    """`element_id` as a URL's fragment: percent-encoded where a fragment needs it, letters of any script kept."""
    return element_id.translate(_NOT_IN_FRAGMENT)


def note_key(label: str) -> str:
    """The key of a footnote's ids (`fn:key`, `fnref:key`) in both engines: its label, spaces as `-`, and what a
    link may not hold percent-encoded, so that the id is its own link (`[^50%]` is `fn:50%25`; it was `fn:50%`,
    linked as `#fn:50%`, which no browser follows, and `[^my note]` was an id of two words in Python-Markdown)."""
    return fragment_encoded("-".join(label.split()))


def keyboard_scrollable(html: str) -> str:
    """`html` with its code blocks (as Pygments writes them) and tables able to take the keyboard's focus."""
    return html.replace('<div class="highlight"><pre>', CODE_BLOCK).replace("<table>", TABLE)


def mark_pull_quotes(body_html: str) -> tuple[str, tuple[str, ...]]:
    """Give each pull quote the class `pullquote` (without its marker) and return their texts."""
    quotes: list[str] = []

    def mark(match: re.Match[str]) -> str:
        inner = match[1].strip()
        quotes.append(plain_text(inner))
        return f'<blockquote class="pullquote">\n<p>{inner}</p>'

    html = str(body_html)  # a Markup's slice is Markup, and a string joined to it would be escaped
    end = _after_last(html, "</p>")  # no quote ends past it: each quote is tried once, not to the end
    return _PULL_QUOTE.sub(mark, html[:end]) + html[end:], tuple(q for q in quotes if q)


def _after_last(html: str, end_tag: str) -> int:
    """Where the last `end_tag` (in lower or upper case) ends in `html`; 0 when it has none."""
    at = max(html.rfind(end_tag), html.rfind(end_tag.upper()))
    return 0 if at == -1 else at + len(end_tag)


# Talking points: sentences of a body's own paragraphs and list items that could stand alone in a re-share.
# Quotes, code, tables and figures are left out (their text is someone else's, or not prose).
_PROSE = re.compile(r"<(p|li)>")
_NOT_PROSE = re.compile(r"<(blockquote|pre|table|figure|aside|details)\b", re.IGNORECASE)
# A sentence ends at . ! ? and the closing marks after it, in any language's quotes (`core.quotes`).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’“‘«»‹›」』)]*\s+(?=[\"'“‘„‚«»‹›「『(]?[A-Z0-9])|(?<=[\u3002\uff01\uff1f])")
_LINK_TEXT = re.compile(r"https?://|www\.", re.IGNORECASE)
POINT_WORDS = (6, 40)  # a talking point is a sentence of 6 to 40 words
MAX_POINTS = 24


def talking_points(body_html: str) -> tuple[str, ...]:
    """Sentences of the body's paragraphs and list items, in order, that read on their own: complete
    (ending with . ! ? or a CJK full stop, exclamation or question mark), 6 to 40 words (or 12 to 120
    characters in a script without spaces), no link."""
    points: list[str] = []
    left, done = [], 0
    for start, _, _, end in elements(_NOT_PROSE, body_html):
        left += [body_html[done:start], " "]
        done = end
    prose = "".join([*left, body_html[done:]])
    for _, inside, inside_end, _ in elements(_PROSE, prose):
        for sentence in _SENTENCE_END.split(plain_text(prose[inside:inside_end])):
            sentence = sentence.strip()
            if _stands_alone(sentence) and sentence not in points:
                points.append(sentence)
                if len(points) == MAX_POINTS:
                    return tuple(points)
    return tuple(points)


def elements(start_tag: re.Pattern[str], html: str) -> Iterator[tuple[int, int, int, int]]:
    """Each element of `html` that `start_tag` finds the start of (its name the first group), up to the first end
    tag of that name after it (in the pattern's case rule), as `<(name)…>.*?</\\1>` finds them, in order and apart:
    where it starts, where what follows `start_tag`'s match starts, where its end tag starts, and where it ends.
    One pass: that pattern tried each start with no end tag after it to the end of the text (`<aside>` 16,000
    times, never closed, took 35 s). A start with no end tag after it means none of that name comes after it."""
    done, unclosed = 0, set()
    for found in start_tag.finditer(html):
        name = found[1].lower() if start_tag.flags & re.IGNORECASE else found[1]
        if found.start() < done or name in unclosed:
            continue
        end = re.compile(f"</{re.escape(found[1])}>", start_tag.flags & re.IGNORECASE).search(html, found.end())
        if end is None:
            unclosed.add(name)
            continue
        done = end.end()
        yield found.start(), found.end(), end.start(), end.end()


# A sentence that opens by pointing back ("That shift only pays off…", "But…") says nothing on its own in a
# re-share, read without the sentence before it. English words: `This` is left, which opens as many sentences
# that stand alone ("This week we…") as not.
_POINTS_BACK = re.compile(r"(?:that|these|those|such|but|and|so|also|then|thus|hence|however)\b", re.IGNORECASE)


def _stands_alone(sentence: str) -> bool:
    if not sentence.endswith((".", "!", "?", "\u3002", "\uff01", "\uff1f")) or _LINK_TEXT.search(sentence):
        return False
    if _POINTS_BACK.match(sentence):
        return False
    if not sentence[0].isupper() and not sentence[0].isdigit() and sentence[0].isascii():
        return False
    words = len(sentence.split())
    if words == 1:  # a script without spaces
        return 12 <= len(sentence) <= 120
    return POINT_WORDS[0] <= words <= POINT_WORDS[1]


def without_heading_anchors(html: str) -> str:
    """`html` less the "#" link each heading carries: shown on hover by the site's stylesheet, it shows on every
    heading where HTML is read without it (a feed reader: "Why clusters work#")."""
    return HEADING_ANCHOR.sub("", html)


def excerpt_of(body_html: str) -> str:
    match = MORE.search(body_html)
    if match:
        excerpt = body_html[: match.start()]
    else:
        first = _FIRST_PARAGRAPH.search(body_html, 0, _after_last(body_html, "</p>"))  # none ends past it
        excerpt = first.group(0) if first else ""
    # Footnote markers would point at notes the excerpt does not carry, heading anchors into the page.
    return without_heading_anchors(FOOTNOTE_REF.sub("", excerpt)).strip()


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
