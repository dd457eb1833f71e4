"""Smart punctuation's quotation marks as the site's language writes them (`core.quotes`), in the default engine.

pulldown-cmark pairs `"` and `'` by CommonMark's rules and writes English's “…” and ‘…’. Each mark it made is a
text of its own, whose source is the one straight quote (events with their ranges, texts not merged), so a mark
the writer typed (a German writer's „…“), an entity (`&ldquo;`) or an escaped `\\"` is told from it and left as
it is. Its ’ is a closing quote or an apostrophe alike (`'It's'` pairs its first `'` with the apostrophe): here a
’ between two letters or digits, or with no ‘ open before it in its block, is an apostrophe and stays ’ in every
language; any other closes the last ‘ open. Texts are then merged as `pyromark.events` merges them.
"""

from __future__ import annotations

from typing import Any

import pyromark

from publisher.core.quotes import Quotes

_MADE = frozenset("“”‘’")  # what smart punctuation makes of a straight quote
_STRAIGHT = (b'"', b"'")
_INLINE = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"})


def localized_events(text: str, options: pyromark.Options, quotes: Quotes) -> list[Any]:
    """pyromark's events of `text`, adjacent texts merged, with the quotation marks smart punctuation made written
    as `quotes` says."""
    source = text.encode()
    pieces = list(pyromark.events_with_range(text, options=options, merge_text=False))
    marks = _Marks(quotes)
    events: list[Any] = []
    run: list[str] = []  # the texts since the last other event
    for at, (event, span) in enumerate(pieces):
        piece = event.get("Text") if isinstance(event, dict) else None
        if not isinstance(piece, str):
            if run:
                events.append({"Text": "".join(run)})
                run = []
            if marks.open_singles and not _is_inline(event):  # with none open, no mark looks back past the block
                marks.new_block()
            events.append(event)
            continue
        if piece in _MADE and source[span["start"]:span["end"]] in _STRAIGHT:
            piece = marks.written(piece, _first_text(pieces, at + 1))
        marks.saw(piece)
        run.append(piece)
    if run:
        events.append({"Text": "".join(run)})
    return events


class _Marks:
    """The marks of one block's quotations, each as `quotes` writes it."""

    def __init__(self, quotes: Quotes) -> None:
        self.quotes = quotes
        self.open_singles = 0  # ‘ opened in this block and not closed yet
        self.before = ""  # the character before the next text of the block

    def new_block(self) -> None:
        self.open_singles, self.before = 0, ""

    def saw(self, text: str) -> None:
        if text:
            self.before = text[-1]

    def written(self, made: str, after: str) -> str:
        """The mark for the one smart punctuation `made`, followed by `after` (its first character counts)."""
        if made == "“":
            return self.quotes.double_open
        if made == "”":
            return self.quotes.double_close
        if made == "‘":
            self.open_singles += 1
            return self.quotes.single_open
        within_word = self.before.isalnum() and after[:1].isalnum()
        if self.open_singles and not within_word:
            self.open_singles -= 1
            return self.quotes.single_close
        return "’"  # an apostrophe (`it's`, `’90s`, `Hans’ Buch`), the same in every language


def _first_text(pieces: list[Any], at: int) -> str:
    """The text of the piece at `at` when it is a text, else "" (a word ends where markup starts)."""
    if at < len(pieces) and isinstance(pieces[at][0], dict):
        return str(pieces[at][0].get("Text", ""))
    return ""


def _is_inline(event: Any) -> bool:
    """An event inside a block's text (emphasis, a link, code, a break…), which a quotation may span."""
    if not isinstance(event, dict):
        return event in ("SoftBreak", "HardBreak")
    kind, value = next(iter(event.items()))
    if kind in ("Start", "End"):
        name = value if isinstance(value, str) else next(iter(value))
        return name in _INLINE
    return kind not in ("Html", "Rule")  # code, inline HTML, footnote references, task markers, math
