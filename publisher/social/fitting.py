"""Fitting a share text into a network's limits, as a person would.

A text is rendered from its pieces (title, summary, hashtags, call to action,
link) by a template. When the network would refuse it, fitting gives up, in
this order and only as much as needed:

1. the hashtags, dropped from the last, the summary kept whole (then, for a
   re-share whose title is optional, the title);
2. the summary, cut only where a sentence or a clause ends (CJK too: at its
   full stop, exclamation and question marks, commas and semicolons), never
   to a fragment of fewer than four words; a summary that may not be cut (a
   pull quote: cutting it would misquote) gives way to one of its
   alternatives, whole; else no summary, and the hashtags come back as far
   as they fit;
3. the title, cut at a word boundary (or, for a first word too long on its own,
   at a grapheme boundary) and ended with an ellipsis.

Cuts never fall inside a link, a hashtag, a mention or a grapheme cluster, and
the link itself is never touched. The result depends on nothing but the input:
the same pieces and template always give the same text. When even the shortest
form is refused, `CannotFit` says by how much.

Pieces are tidied first (`clean_text`): NFC, whitespace runs to one space, no
control or non-characters, nothing at either end that would fuse with the text
around it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial

import regex

from publisher.core.errors import PublisherError
from publisher.core.text import absent_private_use, collapsed
from publisher.social.bluesky import Facet, link_facet, link_label, tag_facets
from publisher.social.counting import UrlSpan, extract_urls, graphemes
from publisher.social.networks import LinkDisplay, Measure, Network, OverLimit

ELLIPSIS = "\u2026"


@dataclass(frozen=True, slots=True)
class SharePieces:
    """What a share text is made of, before any network's style or limits."""

    title: str
    url: str  # the full link, tracking parameters included
    summary: str = ""
    tags: tuple[str, ...] = ()  # plain tags ("content marketing"); each network styles them
    cta: str = ""  # the call to action, e.g. "Get the playbook:"
    link_label: str | None = None  # what a LABEL network shows for the link; default: `link_label(url)`
    summary_cuttable: bool = True  # False for a quote: whole or not at all
    alternatives: tuple[str, ...] = ()  # summaries to use, whole, when the summary does not fit whole
    title_optional: bool = False  # a re-share: the title goes before the summary is cut


@dataclass(frozen=True, slots=True)
class SnippetParts:
    """The pieces as one rendering uses them: cleaned, styled and possibly shortened."""

    title: str
    summary: str
    hashtags: tuple[str, ...]  # styled, with "#"
    cta: str
    url: str  # the link as the text shows it (the label on Bluesky)

    @property
    def hashtags_text(self) -> str:
        """The hashtags joined by spaces."""
        return " ".join(self.hashtags)

    def as_dict(self) -> dict[str, str]:
        """The values a template sees: title, summary, hashtags (joined), cta, url."""
        return {
            "title": self.title,
            "summary": self.summary,
            "hashtags": self.hashtags_text,
            "cta": self.cta,
            "url": self.url,
        }


Template = Callable[[SnippetParts], str]


class ShareTemplateError(PublisherError):
    """A share template that cannot be used (unknown placeholder, no link)."""


class CannotFit(OverLimit):
    """Even the shortest form of a text is refused by the network."""


@dataclass(frozen=True, slots=True)
class FittedSnippet:
    """A text ready to post on one network, with its count."""

    network: str
    text: str
    count: int  # in `unit`, by the network's own rule
    limit: int
    unit: str
    measure: Measure  # every limit (bytes, links...) of the network
    parts: SnippetParts  # what the text was rendered from
    link: str  # the full link
    link_spans: tuple[tuple[int, int], ...]  # where the shown link is in `text` (string indices)
    facets: tuple[Facet, ...] = ()  # Bluesky: the link and hashtags as rich-text facets
    title: str | None = None  # a separate title field (Pinterest), fitted to its own limit
    shortened: tuple[str, ...] = ()  # what fitting gave up: "summary", "hashtags", "title"


# --- Templates ---------------------------------------------------------------------


def pattern_template(pattern: str) -> Template:
    """A template from a pattern such as ``"{title} {url}"``.

    Placeholders: {title}, {summary}, {hashtags}, {cta}, {url}; write a literal
    brace twice. Spaces and blank lines left by empty pieces are tidied away.
    """

    def render(parts: SnippetParts) -> str:
        try:
            text = pattern.format_map(parts.as_dict())
        except (KeyError, IndexError, ValueError) as error:
            known = ", ".join("{" + name + "}" for name in parts.as_dict())
            raise ShareTemplateError(f"cannot use the pattern {pattern!r}: {error} (placeholders: {known})") from None
        return tidy(text)

    return render


_SPACES = regex.compile(r"[ \t]{2,}")
_BLANK_LINES = regex.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Collapse runs of spaces, trim every line, keep at most one blank line in a row."""
    lines = [_SPACES.sub(" ", line).strip(" \t") for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


# --- Cleaning the pieces -----------------------------------------------------------

# Controls (but line breaks and tabs), surrogates, non-characters and the byte-order
# mark: nothing a post should carry, and X refuses U+FFFE, U+FEFF and U+FFFF.
_UNWANTED = regex.compile(r"(?![\t\n\v\f\r\x85])[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}\ufeff]")


_MENTION = regex.compile(r"(?<![\w@])([@\uFF20])(?=[\w])")  # @ or the full-width @, before a name
_CLOSING_PUNCTUATION = tuple(".!?:;…\u3002\uFF01\uFF1F\uFF1A")  # and the CJK full stop, !, ?, :


def without_mentions(text: str) -> str:
    """`@name` in a title or summary kept as text: a word joiner after the `@`, so no network tags a
    stranger who happens to hold that handle (an address such as `a@b.example` is left alone, and so is a
    link's `@`: `https://mastodon.social/@brand` still leads there)."""
    if "@" not in text and "\uFF20" not in text:
        return text
    links = extract_urls(text)
    return _MENTION.sub(lambda found: found.group(0) if _within(links, found.start()) else found.group(1) + "\u2060",
                        text)


def _within(links: Iterable[UrlSpan], at: int) -> bool:
    """Whether `at` falls inside one of `links`."""
    return any(link.start <= at < link.end for link in links)


def lead_in(cta: str) -> str:
    """A share CTA ready to stand before its link: `Read the full piece` -> `Read the full piece:`;
    `Want the next one?` stays as it is."""
    return cta if not cta or cta.endswith(_CLOSING_PUNCTUATION) else cta + ":"


def clean_text(text: str) -> str:
    """One piece of a share text, tidied so that it can be cut and joined safely.

    NFC; controls, surrogates and non-characters (U+FFFE, U+FFFF...) and the
    byte-order mark removed; every run of whitespace one space, but no-break
    spaces (French `« Bonjour »`), which stay; trimmed. A
    leading mark that would fuse with a space before it, and a trailing
    prepended character that would fuse with what follows, are dropped too.
    """
    text = _UNWANTED.sub("", text)
    text = collapsed(text)
    while True:
        text = unicodedata.normalize("NFC", text)
        before = text
        while text and len(graphemes(" " + text[:8])[0]) > 1:
            text = text[1:].lstrip(" ")
        while text and _fuses_with_next(text):
            text = text[:-1].rstrip(" ")
        if text == before:
            return text


def _fuses_with_next(text: str) -> bool:
    """True when `text`'s last grapheme would absorb a character written after it."""
    tail = text[-8:]
    return any(graphemes(tail + follower)[-1] != follower for follower in ("x", "\U0001f600"))


# --- Shorter forms -------------------------------------------------------------------

_WORD_BOUNDARY = regex.compile(r"\b", regex.WORD)
# What a cut drops from the end before the ellipsis: spaces, dashes, openers, pauses.
_TRAILING_CHAR = regex.compile(
    r"[\s\p{Pd}\p{Ps}\p{Pi},.;:!?\u2026\u2025\u3001\u3002\uff0c\uff0e\uff1b\uff1a\uff01\uff1f\u00b7\u060c\u061b\u061f]"
)
_UNCUTTABLE = regex.compile(r"https?://\S+|[#\uff03][\p{L}\p{M}\p{Nd}_]+|@[\w.\-]+@[\w.\-]+\w|@\w+")


def shortenings(text: str, ellipsis: str = ELLIPSIS, *, by_grapheme: bool = False) -> list[str]:
    """Shorter forms of `text`, longest first, each a prefix ended with `ellipsis`.

    Prefixes end at word boundaries (UAX #29), never inside a link, hashtag,
    mention or grapheme cluster, and drop the spaces and punctuation before the
    ellipsis. With `by_grapheme`, prefixes shorter than the shortest word also
    end at every grapheme boundary, down to one grapheme, for a first word too
    long on its own.
    """
    return [text[:end] + ellipsis for end in _cut_ends(text, ellipsis, by_grapheme=by_grapheme)]


def _cut_ends(text: str, ellipsis: str, *, by_grapheme: bool = False) -> list[int]:
    """Where the prefixes of `shortenings` end, longest first (linear in the text's length)."""
    boundaries = _grapheme_boundaries(text)
    inside = _inside_uncuttable(text)
    trimmed = _trimmed_ends(text)

    def usable(cuts: Iterable[int]) -> set[int]:
        ends = set()
        for cut in cuts:
            if not 0 < cut < len(text) or cut not in boundaries:
                continue
            end = trimmed[cut]
            if end > 0 and end in boundaries and not inside[end] and _ellipsis_stands_alone(text, end, ellipsis):
                ends.add(end)
        return ends

    ends = usable(m.start() for m in _WORD_BOUNDARY.finditer(text))
    if by_grapheme:
        shortest = min(ends, default=len(text))
        ends |= usable(b for b in boundaries if b < shortest)
    return sorted(ends, reverse=True)


def _trimmed_ends(text: str) -> list[int]:
    """For each cut in `text`, where it ends once the spaces and punctuation before it are dropped.

    One pass, so a text of nothing but punctuation costs linear time, not a walk back from every cut.
    """
    trimmed = [0] * (len(text) + 1)
    for index in range(1, len(text) + 1):
        trimmed[index] = trimmed[index - 1] if _TRAILING_CHAR.match(text, index - 1) else index
    return trimmed


def _ellipsis_stands_alone(text: str, end: int, ellipsis: str) -> bool:
    """True when `text[:end] + ellipsis` ends with the ellipsis as a grapheme of its own."""
    return graphemes(text[max(0, end - 8) : end] + ellipsis)[-1] == ellipsis


def _grapheme_boundaries(text: str) -> set[int]:
    """The string indices between grapheme clusters, 0 and len(text) included."""
    boundaries = {0}
    position = 0
    for cluster in graphemes(text):
        position += len(cluster)
        boundaries.add(position)
    return boundaries


def _inside_uncuttable(text: str) -> list[bool]:
    """For each index of `text`, whether it falls strictly inside a link, hashtag or mention."""
    inside = [False] * (len(text) + 1)
    spans = [(link.start, link.end) for link in extract_urls(text)]
    spans += [match.span() for match in _UNCUTTABLE.finditer(text)]
    for start, stop in spans:
        inside[start + 1 : stop] = [True] * max(0, stop - start - 1)
    return inside


# --- Rendering and measuring -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Attempt:
    """One rendering of some parts, measured."""

    parts: SnippetParts
    text: str
    link_spans: tuple[tuple[int, int], ...]
    measure: Measure


@dataclass(frozen=True, slots=True)
class _Renderer:
    """Renders parts with a template and measures the text on a network."""

    network: Network
    template: Template
    shown_link: str

    def __call__(self, parts: SnippetParts) -> _Attempt:
        """Render `parts`, locating the link through a marker the template copies as it is."""
        marker = _marker(parts, self.shown_link)
        raw = unicodedata.normalize("NFC", self.template(replace(parts, url=marker)))
        chunks = raw.split(marker)
        if len(chunks) < 2 and self.network.link_display is not LinkDisplay.FIELD:
            raise ShareTemplateError(f"the {self.network.name} share template does not show the link ({{url}})")
        text, spans = chunks[0], []
        for chunk in chunks[1:]:
            spans.append((len(text), len(text) + len(self.shown_link)))
            text += self.shown_link + chunk
        return _Attempt(replace(parts, url=self.shown_link), text, tuple(spans), self.network.measure(text))


def _marker(parts: SnippetParts, link: str) -> str:
    """A private-use string found in none of the parts, to stand in for the link: U+E000 U+E001, else the first
    private-use character they do not hold, found in one pass (a longer run of U+E000 looked for anew each time
    took 24 s for a title of 16,000 of them)."""
    everything = "\n".join((*parts.as_dict().values(), link))
    if "\ue000\ue001" not in everything:
        return "\ue000\ue001"
    free = absent_private_use(everything, 1)
    if free is not None:
        return free[0]
    marker = "\ue000\ue001"  # every private-use character there: a run of U+E000 long enough
    while marker in everything:
        marker = "\ue000" + marker
    return marker


def _first_fitting(count: int, fits: Callable[[int], bool]) -> int | None:
    """The index of the first of `count` forms (0 is the longest) that fits, by bisection.

    The shortest and the longest are tried first; between them the search keeps
    a fitting form at one end, so the index it returns always fits. None when
    even the shortest does not.
    """
    last = count - 1
    if not fits(last):
        return None
    if last == 0 or fits(0):
        return 0
    good, bad = last, 0
    while good - bad > 1:
        middle = (good + bad) // 2
        good, bad = (middle, bad) if fits(middle) else (good, middle)
    return good


def _longest_fitting(count: int, candidate: Callable[[int], SnippetParts], render: _Renderer) -> _Attempt | None:
    """The rendering of the first of `count` candidates (0 is the longest) that fits."""
    attempts: dict[int, _Attempt] = {}

    def fits(index: int) -> bool:
        attempts[index] = render(candidate(index))
        return attempts[index].measure.ok

    index = _first_fitting(count, fits)
    return None if index is None else attempts[index]


def _forms(text: str, ellipsis: str) -> tuple[int, Callable[[int], str]]:
    """`text` and its shortenings at grapheme boundaries, as a count and a lookup, longest first."""
    ends = _cut_ends(text, ellipsis, by_grapheme=True)

    def form(index: int) -> str:
        return text if index == 0 else text[: ends[index - 1]] + ellipsis

    return 1 + len(ends), form


# --- Fitting ---------------------------------------------------------------------------


def fit(
    network: Network,
    pieces: SharePieces,
    template: Template | None = None,
    *,
    ellipsis: str = ELLIPSIS,
    shorten: bool = True,
) -> FittedSnippet:
    """The share text for `network`, shortened as little as the network needs.

    `template` renders the parts (default: the network's pattern). With
    `shorten=False` the text is used as rendered, as for a writer's own text,
    and `OverLimit` is raised when the network would refuse it. Raises
    `CannotFit` when even the shortest form is refused, and
    `ShareTemplateError` when the template cannot be used.
    """
    render = _Renderer(network, template or pattern_template(network.template), _shown_link(network, pieces))
    full = SnippetParts(
        title=without_mentions(clean_text(pieces.title)),
        summary=without_mentions(clean_text(pieces.summary)),
        hashtags=network.hashtags(pieces.tags),
        cta=lead_in(clean_text(pieces.cta)),
        url=render.shown_link,
    )
    if shorten:
        chosen = _shorten(full, pieces, render, ellipsis)
    else:
        chosen = render(full)
        if not chosen.measure.ok:
            raise OverLimit(chosen.measure)
    title = _fit_title_field(network, full.title, ellipsis) if network.title_limit is not None else None
    return FittedSnippet(
        network=network.name,
        text=chosen.text,
        count=chosen.measure.count,
        limit=network.limit,
        unit=network.unit,
        measure=chosen.measure,
        parts=chosen.parts,
        link=pieces.url,
        link_spans=chosen.link_spans,
        facets=_facets(network, chosen, pieces.url),
        title=title,
        shortened=_what_changed(full, chosen, render),
    )


def _shorten(full: SnippetParts, pieces: SharePieces, render: _Renderer, ellipsis: str) -> _Attempt:
    """Give up hashtags, then the summary (cut where a sentence or clause ends, else an alternative, else
    none, the hashtags back as far as they fit), then the title, then the call to action (a long link, as a
    long slug makes it, leaves no room for both), until the text fits."""
    found = _with_fewer_hashtags(full, render)
    if found:
        return found
    bare = replace(full, hashtags=())
    if pieces.title_optional and full.summary:  # a re-share's point matters more than the title it repeats
        bare = replace(bare, title="")
        if (attempt := render(bare)).measure.ok:
            return attempt
    summaries = _summary_forms(full.summary, pieces, ellipsis)
    found = _longest_fitting(len(summaries), lambda i: replace(bare, summary=summaries[i]), render) \
        if summaries else None
    if found:
        return found
    found = _with_fewer_hashtags(replace(full, summary=""), render)
    if found:
        return found
    titles, title = _forms(full.title, ellipsis)
    bare = replace(full, summary="", hashtags=())
    for last in (bare, replace(bare, cta="")):  # the call to action last: the title says what the link is
        found = _longest_fitting(titles, partial(_titled, last, title), render)
        if found:
            return found
    shortest = render(replace(bare, title=title(titles - 1), cta=""))
    note = _link_too_long(pieces.url) if _is_most_of_it(render(replace(bare, title="", cta="")).measure) else ""
    raise CannotFit(
        shortest.measure,
        f"cannot fit even the shortest text (title {title(titles - 1)!r} and the link, no summary, hashtags"
        f" or call to action{note}): {shortest.measure}",
    )


def _titled(parts: SnippetParts, title: Callable[[int], str], index: int) -> SnippetParts:
    """`parts` with the title's form at `index` (see `_forms`)."""
    return replace(parts, title=title(index))


def _is_most_of_it(measure: Measure) -> bool:
    """Whether a text (the call to action and the link, nothing else) takes more than half of what the network
    allows: X counts any link as 23, Bluesky's and Threads' texts for tools without facets count it whole."""
    return measure.count * 2 > measure.limit


def _link_too_long(url: str) -> str:
    """What to shorten when the link takes most of the room: a slug is in it twice by default (its path and
    `utm_campaign`), so a long file name was an error that named only the title, cut to one letter."""
    return (f"; the link {url} alone is {len(url)} characters: a shorter slug, or fewer [share.utm] parameters, "
            "leaves room")


def _with_fewer_hashtags(parts: SnippetParts, render: _Renderer) -> _Attempt | None:
    """`parts` with as many of its hashtags (from the first) as fit; None when not even none do."""
    count = len(parts.hashtags) + 1
    return _longest_fitting(count, lambda i: replace(parts, hashtags=parts.hashtags[: count - 1 - i]), render)


def _summary_forms(summary: str, pieces: SharePieces, ellipsis: str) -> list[str]:
    """Shorter summaries, longest first: cuts at sentence and clause ends (when it may be cut), then the
    alternatives that are shorter, whole."""
    forms = [summary[:end] + ("" if closes else ellipsis)
             for end, closes in _sentence_cuts(summary, ellipsis)] if pieces.summary_cuttable else []
    others = sorted({clean for text in pieces.alternatives if (clean := without_mentions(clean_text(text)))
                     and len(clean) < len(summary)}, key=lambda text: (-len(text), text))
    return forms + others


_SENTENCE_STOP = regex.compile(
    r"[.!?\u2026][\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]?[\p{Lu}\p{Nd}])|[\u3002\uff01\uff1f]"
)
_CLAUSE_STOP = regex.compile(r"\s*(?:[,;:]|\s[\u2013\u2014]|\u2014)(?=\s)|[\uff0c\uff1b\u3001]")
MIN_CUT_WORDS = 4  # a cut summary keeps at least this many words (or 10 graphemes of a script without spaces)


def _sentence_cuts(text: str, ellipsis: str) -> list[tuple[int, bool]]:
    """(end, closes) of every place `text` may be cut, longest first: after a sentence's stop (closes: the
    text reads complete as it is) or before a clause's comma, semicolon, colon or dash (the ellipsis ends it).
    Never inside a link, hashtag or mention, never leaving fewer than MIN_CUT_WORDS words."""
    inside, boundaries = _inside_uncuttable(text), _grapheme_boundaries(text)
    cuts = {match.end(): True for match in _SENTENCE_STOP.finditer(text)}
    cuts |= {match.start(): False for match in _CLAUSE_STOP.finditer(text) if match.start() not in cuts}
    return [(end, closes) for end, closes in sorted(cuts.items(), reverse=True)
            if 0 < end < len(text.rstrip()) and end in boundaries and not inside[end] and _long_enough(text[:end])
            and (closes or _ellipsis_stands_alone(text, end, ellipsis))]


def _long_enough(text: str) -> bool:
    """At least MIN_CUT_WORDS words; in a script written without spaces (CJK), at least 10 graphemes."""
    words = len(text.split())
    return words >= MIN_CUT_WORDS or (words <= 2 and not text.isascii() and len(graphemes(text)) >= 10)


def _fit_title_field(network: Network, title: str, ellipsis: str) -> str:
    """A separate title field (Pinterest) shortened to its own limit, counted like the text."""
    limit = network.title_limit or 0
    count, form = _forms(title, ellipsis)
    index = _first_fitting(count, lambda i: network.count(form(i)) <= limit)
    if index is not None:
        return form(index)
    measure = Measure(network.name, network.count(title), limit, f"{network.unit} in the title")
    raise CannotFit(measure, f"cannot fit the title even cut to one grapheme: {measure}")


def _shown_link(network: Network, pieces: SharePieces) -> str:
    """The link as the text shows it: in full, or as a short label."""
    if network.link_display is LinkDisplay.LABEL:
        return unicodedata.normalize("NFC", pieces.link_label or link_label(pieces.url))
    return pieces.url


def _facets(network: Network, attempt: _Attempt, uri: str) -> tuple[Facet, ...]:
    """Bluesky's rich-text facets for the text: the link (each place it shows), every other URL written in
    the text (Bluesky links nothing by itself), then the hashtags."""
    if not network.facets:
        return ()
    links = [link_facet(attempt.text, attempt.parts.url, uri, start=start) for start, _ in attempt.link_spans]
    taken = [range(start, end) for start, end in attempt.link_spans]
    for found in extract_urls(attempt.text):
        if not any(found.start in span for span in taken):
            target = found.url if "://" in found.url else "https://" + found.url
            links.append(link_facet(attempt.text, found.url, target, start=found.start))
    return (*links, *tag_facets(attempt.text))


def _what_changed(full: SnippetParts, chosen: _Attempt, render: _Renderer) -> tuple[str, ...]:
    """Which pieces fitting gave up, in the order it gives them up.

    A piece the template does not show (the summary on Reddit) is not reported.
    """
    changed = []
    for name in ("summary", "hashtags", "title", "cta"):
        if getattr(chosen.parts, name) != getattr(full, name):
            restored = replace(chosen.parts, **{name: getattr(full, name)})
            if render(restored).text != chosen.text:
                changed.append(name)
    return tuple(changed)
