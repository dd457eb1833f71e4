"""What a Markdown body becomes, whichever engine rendered it."""

from __future__ import annotations

from dataclasses import dataclass

# Bumped whenever `RenderedMarkdown` changes shape, so cached results are rendered again.
RESULT_FORMAT = "3"


@dataclass(frozen=True, slots=True)
class ConversionFailed:
    """A body the engine could not convert, and why, in words for the writer."""

    reason: str


@dataclass(frozen=True, slots=True)
class RenderedMarkdown:
    """What a Markdown body becomes."""

    html: str
    toc_html: str
    excerpt_html: str
    word_count: int
    reading_minutes: int
    heading_count: int
    pull_quotes: tuple[str, ...] = ()  # plain text of each pull quote, in order
    talking_points: tuple[str, ...] = ()  # sentences that could stand alone in a re-share (finishing.py)
