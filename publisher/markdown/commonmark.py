"""CommonMark + GFM, parsed by pulldown-cmark (the `pyromark` package) and written out here.

pyromark parses a body into events: a flat, typed walk of the document tree
(`Start`/`End` of each block and inline, text, code, HTML, breaks). `_Writer`
turns that walk into HTML, and that is where publisher's features are made,
from the tree rather than from HTML: heading ids and anchors, the table of
contents, footnotes numbered by first reference, highlighted code, pull quotes,
the excerpt (before `<!--more-->`, else the first paragraph), the word count.

Everything is a single pass over the events with explicit stacks, no
recursion, so absurdly nested input costs time linear in its size.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pyromark
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from publisher.config.model import MarkdownConfig, MarkdownWords
from publisher.core.quotes import ENGLISH
from publisher.core.text import collapsed, count_plain_words
from publisher.markdown.autolinks import as_typed, find_autolinks
from publisher.markdown.finishing import (
    CODE_BLOCK,
    PAGE_IDS,
    TABLE,
    fragment_encoded,
    keyboard_scrollable,
    note_key,
    raw_html_ids,
    talking_points,
    unique_id,
    unique_written_ids,
)
from publisher.markdown.quotation import localized_events
from publisher.markdown.result import RenderedMarkdown

_O = pyromark.Options
OPTIONS = (_O.ENABLE_TABLES | _O.ENABLE_FOOTNOTES | _O.ENABLE_STRIKETHROUGH | _O.ENABLE_TASKLISTS
           | _O.ENABLE_SMART_PUNCTUATION | _O.ENABLE_HEADING_ATTRIBUTES | _O.ENABLE_GFM)

PULL_QUOTE_MARKER = "[!pullquote]"
_HTML_LINK_OPEN = re.compile(r"<a[\s>]", re.IGNORECASE)
_HTML_LINK_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
# Raw HTML's elements of code and keys: text in them is shown as typed, as in a code span (`<kbd>'</kbd>` read ‘).
_HTML_CODE_OPEN = re.compile(r"<(?:code|kbd|samp|pre)[\s>]", re.IGNORECASE)
_HTML_CODE_CLOSE = re.compile(r"</(?:code|kbd|samp|pre)\s*>", re.IGNORECASE)
_MORE = re.compile(r"\s*<!--\s*more\s*-->\s*")
# What a body that names ids holds: a heading's written id (`{#id}`, `{.wide #id}`) or raw HTML's (`id=`). Each try
# stops at the next `{`, so a line of thousands of braces costs linear time.
_MAY_NAME_IDS = re.compile(r"\{[^{}\n]*#|\bid\s*=", re.IGNORECASE)
_HL_LINES = re.compile(r"""hl_lines=(["'])([\d -]*)\1""")
_HL_LINE = re.compile(r"(\d{1,9})(?:-(\d{1,9}))?")  # a line or a range of lines, as MkDocs and Hugo write them
_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_JOIN = re.compile(r"[-\s]+")
_ALIGN = {"Left": ' style="text-align: left;"', "Right": ' style="text-align: right;"',
          "Center": ' style="text-align: center;"', "None": ""}
_HREF_SAFE = "-_.+!*'(),%#@?=;:/$~&"


def escape(text: str) -> str:
    """Text or an attribute value as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def escape_href(url: str) -> str:
    """A link destination as an attribute: percent-encoded where URLs need it, then HTML-escaped."""
    return quote(url, safe=_HREF_SAFE).replace("&", "&amp;").replace("'", "&#x27;")


def fragment(element_id: str) -> str:
    """A link to the element of id `element_id` on this page, as an attribute: `#` and the id, percent-encoded
    where a URL's fragment needs it (`## Sale {#50%}` was linked as `#50%`, which no browser could follow and
    the Nu checker refuses); letters of any script stay as written."""
    return "#" + escape(fragment_encoded(element_id))


def heading_slug(text: str) -> str:
    """A heading's id from its text, as Python-Markdown's toc makes it, so anchors survive a change of engine."""
    value = _SLUG_DROP.sub("", unicodedata.normalize("NFKC", text)).strip().lower()
    return _SLUG_JOIN.sub("-", value)


class CommonMarkConverter:
    """Converts Markdown bodies to publisher's HTML with CommonMark + GFM rules."""

    def __init__(self, cfg: MarkdownConfig) -> None:
        self._words_per_minute = cfg.words_per_minute
        depth = str(cfg.toc_depth)
        top, _, bottom = depth.partition("-")
        self._toc_levels = (int(top), int(bottom)) if bottom else (1, int(top))
        self._highlighter = _Highlighter()
        self._autolinks = cfg.autolinks
        self._quotes = cfg.quotes
        self._words = cfg.words

    def convert(self, text: str) -> RenderedMarkdown:
        writer = _Writer(self._toc_levels, self._highlighter, self._words, autolinks=self._autolinks)
        events: Iterable[Any] = (pyromark.events(text, options=OPTIONS) if self._quotes == ENGLISH
                                 else localized_events(text, OPTIONS, self._quotes))
        if _MAY_NAME_IDS.search(text):  # the events are read twice, to take the ids the body names first
            events = list(events)
            writer.take_named_ids(events)
        writer.write_all(events)
        words = writer.words()
        html = writer.html()
        return RenderedMarkdown(
            html=html,
            toc_html=writer.toc_html(),
            excerpt_html=writer.excerpt_html(),
            word_count=words,
            reading_minutes=max(1, math.ceil(words / self._words_per_minute)),
            heading_count=len(writer.toc),
            pull_quotes=tuple(writer.pull_quotes),
            talking_points=talking_points(html),
        )


class _Highlighter:
    """Pygments, as Python-Markdown's codehilite writes it; lexers looked up once per language."""

    def __init__(self) -> None:
        self._formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)
        self._lexers: dict[str, Lexer | None] = {}

    def block(self, code: str, info: str) -> str:
        language = info.split(maxsplit=1)[0].lstrip(".").strip("{}") if info.strip() else ""
        lexer = self._lexer(language)
        hl_lines = _HL_LINES.search(info)
        if lexer is None and hl_lines is None:  # what Pygments' plain-text lexer would write, without Pygments
            return f'{CODE_BLOCK}<span></span><code>{escape(code)}</code></pre></div>\n'
        formatter = self._formatter
        if hl_lines is not None:
            formatter = HtmlFormatter(cssclass="highlight", wrapcode=True,
                                      hl_lines=_line_numbers(hl_lines[2], code.count("\n") + 1))
        return keyboard_scrollable(str(highlight(code, lexer or get_lexer_by_name("text"), formatter)))

    def _lexer(self, language: str) -> Lexer | None:
        if language not in self._lexers:
            try:
                self._lexers[language] = get_lexer_by_name(language) if language else None
            except ClassNotFound:
                self._lexers[language] = None
        return self._lexers[language]


@dataclass(slots=True)
class _Heading:
    level: int
    id: str
    classes: tuple[str, ...]
    parts: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    note_refs: set[int] = field(default_factory=set)  # its parts that are footnote references


class _LaterReference(str):
    """A footnote reference inside a note's text: written (numbered, counted) only if that note is shown."""

    __slots__ = ("written",)
    written: str

    def __new__(cls, written: str) -> _LaterReference:
        reference = super().__new__(cls, "")
        reference.written = written
        return reference


@dataclass(slots=True)
class _Footnotes:
    """Footnotes numbered in the order they are first referenced, as GitHub does: the body's references in its
    order, then those in the notes shown, note by note. A label is matched as CommonMark matches one (`_label`:
    its case and runs of white space set aside, as pulldown-cmark binds a reference), the first definition of it
    wins, and each note gets an id of its own (`keys`). A note that is never referenced is left out, and so are
    the references in its text (`_LaterReference`): a note referenced only there was listed, its back-link
    leading to a reference not on the page."""

    back_to_reference: str  # a back-link's name, `{number}` the note's (`MarkdownWords.back_to_reference`)
    numbers: dict[str, int] = field(default_factory=dict)  # label (`_label`) -> its number
    order: list[str] = field(default_factory=list)  # the labels in the order of their numbers
    references: dict[str, int] = field(default_factory=dict)  # label -> references so far
    definitions: dict[str, list[str]] = field(default_factory=dict)  # label -> its HTML, in parts
    keys: dict[str, str] = field(default_factory=dict)  # label -> its id's key, from the label first referenced
    taken: set[str] = field(default_factory=set)  # the keys given (a set of `keys`' values, kept: 20,000 notes
    # made it anew for each, 6 s)

    def reference(self, written: str) -> str:
        label = _label(written)
        number = self.numbers.get(label)
        if number is None:
            number = self.numbers[label] = len(self.numbers) + 1
            self.order.append(label)
        count = self.references[label] = self.references.get(label, 0) + 1
        key = self.keys.get(label) or self._new_key(label, written)
        ref_id = f"fnref:{key}" if count == 1 else f"fnref{count}:{key}"
        return f'<sup id="{escape(ref_id)}"><a class="footnote-ref" href="#fn:{escape(key)}">{number}</a></sup>'

    def define(self, written: str, parts: list[str]) -> None:
        self.definitions.setdefault(_label(written), parts)

    def _new_key(self, label: str, written: str) -> str:
        """The id key of a label first referenced as `written`: `_note_key`, with `-2`, `-3`… when another label
        has it (`a b` and `a-b` were both `a-b`: two notes of one id)."""
        base = key = note_key(written)
        number = 1
        while key in self.taken:
            number += 1
            key = f"{base}-{number}"
        self.keys[label] = key
        self.taken.add(key)
        return key

    def html(self) -> str:
        texts: dict[str, str] = {}  # each note shown -> its text, in the order of their numbers
        for label in self.order:  # grows as the references in the notes' texts number more notes
            if label in self.definitions:
                texts[label] = "".join(self.reference(part.written) if isinstance(part, _LaterReference)
                                       else part for part in self.definitions[label])
        if not texts:
            return ""
        items = [self._item(label, text) for label, text in texts.items()]
        return '<div class="footnote">\n<hr>\n<ol>\n' + "".join(items) + "</ol>\n</div>\n"

    def _item(self, label: str, text: str) -> str:
        key, number = self.keys[label], self.numbers[label]
        # Named in words, as GitHub names them: a link's name is its text, and "↩" was read "leftwards arrow with
        # hook" (the title is a description at most, and most screen readers skip it).
        name = escape(self.back_to_reference.replace("{number}", str(number)))
        backrefs = "".join(
            f'<a aria-label="{name}" class="footnote-backref" href="#{"fnref" if n == 1 else f"fnref{n}"}:'
            f'{escape(key)}" title="{name}">&#8617;</a>' for n in range(1, self.references[label] + 1))
        body = text.rstrip("\n")
        if body.endswith("</p>"):
            body = body[:-4] + "&#160;" + backrefs + "</p>"
        else:
            body += f"\n<p>{backrefs}</p>"
        return f'<li id="{escape("fn:" + key)}">\n{body}\n</li>\n'


def _label(written: str) -> str:
    """A footnote's label as CommonMark matches it: case folded, runs of white space as one space."""
    return " ".join(written.split()).casefold()


class _Writer:
    """One document's events to HTML, with what publisher collects on the way."""

    def __init__(self, toc_levels: tuple[int, int], highlighter: _Highlighter, words: MarkdownWords, *,
                 autolinks: bool) -> None:
        self.parts: list[str] = []  # where output goes now: the body, or a heading's or a footnote's buffer
        self.body = self.parts
        self.toc_levels = toc_levels
        self.highlighter = highlighter
        self.toc: list[tuple[int, str, str]] = []  # (level, id, label HTML)
        self.ids: set[str] = set(PAGE_IDS)  # the page's own, and the headings' so far
        self.numbered: dict[str, int] = {}  # each id's last number taken (`unique_id`)
        self.written_ids: deque[str] = deque()  # the headings' written ids, made unique (`take_named_ids`)
        self.labels = words  # what the writer says in words (anchors' titles, alerts' titles…), the site's language
        self.footnotes = _Footnotes(words.back_to_reference)
        self.pull_quotes: list[str] = []
        self.text: list[str] = []  # every word of the body, for the count
        self.blocks: list[str] = []  # open container blocks
        self.heading: _Heading | None = None
        self.note_label: str | None = None
        self.code: tuple[str, list[str]] | None = None  # (info string, text) of the code block being read
        self.image_depth = 0  # > 0 while inside an image: its content is alt text
        self.link_depth = 0  # > 0 inside a link, Markdown's or raw HTML's: its text makes no links of its own
        self.raw_code_depth = 0  # > 0 inside raw HTML's <code>, <kbd>, <samp> or <pre>: its text is as typed
        self.autolinks = autolinks  # GFM's autolinks: bare URLs, `www.` and email addresses in text made links
        self.table: list[str] = []  # alignment of each column of the table being written
        self.cell = 0
        self.in_head = False
        self.quote_at: int | None = None  # where the open blockquote's tag is, while it may be a pull quote
        self.quote: list[str] | None = None  # the text of a blockquote's first paragraph, while it is read
        self.quote_marked = False  # that paragraph starts with the pull-quote marker
        self.body_rows = False  # the table being written has a <tbody>
        self.parts_of_note: list[str] = []
        self.image: dict[str, Any] = {}
        self.first_paragraph: tuple[int, int] | None = None  # the excerpt without a marker: (start, end) part
        self.paragraph_start: int | None = None
        self.paragraph_only_image = True
        self.more_at: int | None = None  # the part the excerpt ends at, when the writer marked one
        self.more_pending = False  # a marker inside a block: the excerpt ends with that block
        # Parts left out of the excerpt: footnote references, which point at notes it does not carry, and heading
        # anchors, which point into the page (a heading before `<!--more-->` read "A heading1#").
        self.not_in_excerpt: set[int] = set()

    # results ------------------------------------------------------------------

    def html(self) -> str:
        return "".join(self.body) + self.footnotes.html()

    def excerpt_html(self) -> str:
        if self.more_at is not None:
            start, end = 0, self.more_at
        elif self.first_paragraph is not None:
            start, end = self.first_paragraph
        else:
            return ""
        return "".join(p for i, p in enumerate(self.body[start:end], start) if i not in self.not_in_excerpt).strip()

    def words(self) -> int:
        return count_plain_words(" ".join(self.text))

    def toc_html(self) -> str:
        if len(self.toc) < 2:
            return ""
        out: list[str] = ['<div class="toc">\n']
        levels: list[int] = []
        for level, anchor, label in self.toc:
            if levels and level > levels[-1]:
                out.append("<ul>\n")
                levels.append(level)
            else:
                while levels and level < levels[-1] and len(levels) > 1:
                    out.append("</li>\n</ul>\n")
                    levels.pop()
                if levels:
                    out.append("</li>\n")
                else:
                    out.append("<ul>\n")
                    levels.append(level)
            out.append(f'<li><a href="{fragment(anchor)}">{label}</a>')
        out.append("</li>\n</ul>\n" * len(levels))
        out.append("</div>\n")
        return "".join(out)

    # the walk -----------------------------------------------------------------

    def take_named_ids(self, events: Iterable[Any]) -> None:
        """Take the ids the body names before any heading is written: raw HTML's, then the headings' written ones
        (`unique_written_ids`), so that an id made from a heading's text steps aside from them wherever they are."""
        written: list[str] = []
        for event in events:
            if not isinstance(event, dict):
                continue
            kind, value = next(iter(event.items()))
            if kind in ("Html", "InlineHtml"):
                self.ids |= raw_html_ids(value)
            elif kind == "Start" and isinstance(value, dict) and "Heading" in value and value["Heading"].get("id"):
                written.append(value["Heading"]["id"])
        self.written_ids = deque(unique_written_ids(written, self.ids, self.numbered))

    def write_all(self, events: Iterable[Any]) -> None:
        for event in events:  # pyromark merges adjacent text: a text event is all the text up to the next event
            if isinstance(event, str):
                self.simple(event)
                continue
            kind, value = next(iter(event.items()))
            if kind == "Text":
                self.write_text(value)
            elif kind == "Start":
                self.start(value)
            elif kind == "End":
                self.end(value)
            else:
                self.inline(kind, value)
        if self.more_pending:
            self.more_at = len(self.body)

    def out(self, html: str) -> None:
        self.parts.append(html)

    def newline(self) -> None:
        """Blocks start on a line of their own."""
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def write_text_run(self, run: list[str]) -> None:
        """The text events read since the last other event, as one text (then none are left)."""
        self.write_text(run[0] if len(run) == 1 else "".join(run))
        run.clear()

    def write_text(self, text: str) -> None:
        if self.code is not None:
            self.code[1].append(text)
            return
        if self.raw_code_depth:
            text = as_typed(text)  # smart punctuation undone: code's quotes, dashes and dots are what they are
        if self.quote is not None:
            if not self.quote and not self.quote_marked and text.startswith(PULL_QUOTE_MARKER):
                self.quote_marked = True  # the marker is not part of the quote
                text = text[len(PULL_QUOTE_MARKER):].lstrip()
                if not text:
                    return
            self.quote.append(text)
        if text.strip():
            self.paragraph_only_image = self.paragraph_only_image and self.image_depth > 0
        self.text.append(text)
        if self.heading is not None:
            self.heading.text.append(text)
        linkable = self.autolinks and not (self.link_depth or self.image_depth or self.raw_code_depth)
        self.out(_linked(text) if linkable else escape(text))

    def simple(self, event: str) -> None:
        if event == "SoftBreak":
            if self.quote is not None and self.quote_marked and not self.quote:  # the line break after the marker
                return
            if self.quote is not None:
                self.quote.append(" ")
            self.out(" " if self.image_depth else "\n")
        elif event == "HardBreak":
            self.out(" " if self.image_depth else "<br>\n")
        elif event == "Rule":
            self.newline()
            self.out("<hr>\n")

    def inline(self, kind: str, value: Any) -> None:
        if kind == "Code":
            self.text.append(value)
            self.paragraph_only_image = False
            if self.heading is not None:
                self.heading.text.append(value)
            self.out(escape(value) if self.image_depth else f"<code>{escape(value)}</code>")
        elif kind in ("Html", "InlineHtml"):
            if self.image_depth:  # alt text is an attribute: HTML there is text, or it would break out
                self.out(escape(value))
            else:
                self.raw_html(value, block=kind == "Html")
        elif kind == "FootnoteReference":
            self.paragraph_only_image = False
            if self.parts is self.body:
                self.not_in_excerpt.add(len(self.parts))
            elif self.heading is not None and self.parts is self.heading.parts:
                self.heading.note_refs.add(len(self.parts))
            self.out(self.footnotes.reference(value) if self.note_label is None else _LaterReference(value))
        elif kind == "TaskListMarker":
            checked = " checked" if value else ""
            name = self.labels.task_done if value else self.labels.task_to_do
            self.out(f'<input type="checkbox" disabled{checked} aria-label="{escape(name)}"> ')
        elif kind in ("InlineMath", "DisplayMath"):
            self.out(escape(value))

    def raw_html(self, html: str, *, block: bool) -> None:
        if _MORE.fullmatch(html):
            if block and not self.blocks:
                self.more_at = len(self.body)
            elif self.more_at is None:
                self.more_pending = True
            return
        self.paragraph_only_image = False
        if not block and _HTML_LINK_OPEN.match(html):
            self.link_depth += 1
        elif not block and self.link_depth and _HTML_LINK_CLOSE.match(html):
            self.link_depth -= 1
        elif not block and _HTML_CODE_OPEN.match(html):
            self.raw_code_depth += 1
        elif not block and self.raw_code_depth and _HTML_CODE_CLOSE.match(html):
            self.raw_code_depth -= 1
        self.out(html)

    # blocks and inlines -------------------------------------------------------

    def start(self, tag: Any) -> None:
        name, data = (tag, None) if isinstance(tag, str) else next(iter(tag.items()))
        if self.image_depth and name != "Image":
            return  # alt text is plain text
        handler = _STARTS.get(name)
        if handler is not None:
            handler(self, data)

    def end(self, tag: Any) -> None:
        name = tag if isinstance(tag, str) else next(iter(tag))
        if self.image_depth and name != "Image":
            return
        handler = _ENDS.get(name)
        if handler is not None:
            handler(self, tag)
        if name in _INLINE_BLOCKS:
            self.raw_code_depth = 0  # a <code> left open ends with its block, not the rest of the body
        if not self.blocks and self.more_pending and name in _BLOCKS and self.heading is None:
            self.more_at, self.more_pending = len(self.body), False

    def start_paragraph(self, _: Any) -> None:
        self.newline()
        if not self.blocks and self.parts is self.body:
            self.paragraph_start, self.paragraph_only_image = len(self.body), True
        if self.quote_at is not None and len(self.parts) == self.quote_at + 1:  # a blockquote's first paragraph
            self.quote, self.quote_marked = [], False
        self.out("<p>")

    def end_paragraph(self, _: Any) -> None:
        self.out("</p>\n")
        if self.quote is not None:
            self.end_pull_quote()
        if self.paragraph_start is not None:
            if self.first_paragraph is None and not self.paragraph_only_image:
                self.first_paragraph = (self.paragraph_start, len(self.body))
            self.paragraph_start = None

    def end_pull_quote(self) -> None:
        """A blockquote whose first paragraph starts with the marker is a pull quote: its class, its text kept."""
        assert self.quote is not None and self.quote_at is not None
        if self.quote_marked:
            self.parts[self.quote_at] = '<blockquote class="pullquote">\n'
            quote = collapsed("".join(self.quote))
            if quote:
                self.pull_quotes.append(quote)
        self.quote, self.quote_at, self.quote_marked = None, None, False

    def start_heading(self, data: dict[str, Any]) -> None:
        self.newline()
        level = int(data["level"][1])
        self.heading = _Heading(level, data.get("id") or "", tuple(data.get("classes") or ()))
        self.parts = self.heading.parts

    def end_heading(self, _: Any) -> None:
        heading = self.heading
        assert heading is not None
        self.heading, self.parts = None, self.body if self.note_label is None else self.parts_of_note
        text = "".join(heading.text)
        anchor = self.heading_id(heading.id, text)
        classes = f' class="{escape(" ".join(heading.classes))}"' if heading.classes else ""
        in_body = self.parts is self.body
        self.out(f'<h{heading.level} id="{escape(anchor)}"{classes}>')
        for number, part in enumerate(heading.parts):
            self._out_of_excerpt(in_body and number in heading.note_refs)
            self.out(part)
        self._out_of_excerpt(in_body)
        self.out(f'<a class="heading-anchor" href="{fragment(anchor)}" title="{escape(self.labels.heading_link)}">'
                 '#</a>')
        self.out(f"</h{heading.level}>\n")
        top, bottom = self.toc_levels
        if top <= heading.level <= bottom:
            self.toc.append((heading.level, anchor, escape(" ".join(text.split()))))

    def _out_of_excerpt(self, left_out: bool) -> None:
        """The next part is left out of the excerpt, when `left_out`."""
        if left_out:
            self.not_in_excerpt.add(len(self.parts))

    def heading_id(self, written: str, text: str) -> str:
        """A heading's id: its written one as `take_named_ids` made it unique, else one made from its text."""
        if written and self.written_ids:
            return self.written_ids.popleft()
        return unique_id(written or heading_slug(text), self.ids, self.numbered)

    def start_quote(self, kind: Any) -> None:
        self.newline()
        self.blocks.append("blockquote")
        if kind is None:
            self.quote_at = len(self.parts)
            self.out("<blockquote>\n")
        else:
            # GitHub's alerts: the kind (Note, Tip, Important, Warning, Caution) is said in words, as GitHub
            # shows it, in the site's language; a class alone left a warning looking, and read, as any quote.
            self.out(f'<blockquote class="alert alert-{escape(str(kind).lower())}">\n'
                     f'<p class="alert-title">{escape(self.labels.alert_title(str(kind)))}</p>\n')

    def end_quote(self, _: Any) -> None:
        self.blocks.pop()
        self.quote_at = None
        self.newline()
        self.out("</blockquote>\n")

    def start_code(self, kind: Any) -> None:
        info = kind.get("Fenced", "") if isinstance(kind, dict) else ""
        self.code = (info, [])

    def end_code(self, _: Any) -> None:
        assert self.code is not None
        info, text = self.code
        self.code = None
        code = "".join(text)
        self.text.append(code)
        self.newline()
        self.out(self.highlighter.block(code, info))

    def start_list(self, start: Any) -> None:
        self.newline()
        self.blocks.append("list")
        if start is None:
            self.out("<ul>\n")
        else:
            self.out("<ol>\n" if start == 1 else f'<ol start="{start}">\n')

    def end_list(self, tag: Any) -> None:
        self.blocks.pop()
        self.newline()
        self.out("</ol>\n" if tag["List"] else "</ul>\n")

    def start_item(self, _: Any) -> None:
        self.newline()
        self.out("<li>")

    def end_item(self, _: Any) -> None:
        self.out("</li>\n")

    def start_note(self, label: str) -> None:
        self.note_label = label
        self.parts_of_note = []
        self.parts = self.parts_of_note
        self.blocks.append("note")

    def end_note(self, _: Any) -> None:
        assert self.note_label is not None
        self.blocks.pop()
        self.footnotes.define(self.note_label, self.parts_of_note)
        self.note_label, self.parts = None, self.body

    def start_table(self, alignments: Any) -> None:
        self.newline()
        self.blocks.append("table")
        self.table, self.body_rows = list(alignments), False
        self.out(f"{TABLE}\n")

    def end_table(self, _: Any) -> None:
        self.blocks.pop()
        self.out("</tbody>\n</table>\n" if self.body_rows else "</table>\n")
        self.table = []

    def start_head(self, _: Any) -> None:
        self.in_head, self.cell = True, 0
        self.out("<thead>\n<tr>\n")

    def end_head(self, _: Any) -> None:
        self.in_head = False
        self.out("</tr>\n</thead>\n")

    def start_row(self, _: Any) -> None:
        self.cell = 0
        if not self.body_rows:
            self.body_rows = True
            self.out("<tbody>\n")
        self.out("<tr>\n")

    def end_row(self, _: Any) -> None:
        self.out("</tr>\n")

    def start_cell(self, _: Any) -> None:
        align = _ALIGN.get(self.table[self.cell], "") if self.cell < len(self.table) else ""
        self.out(f"<th{align}>" if self.in_head else f"<td{align}>")

    def end_cell(self, _: Any) -> None:
        self.out("</th>\n" if self.in_head else "</td>\n")
        self.cell += 1

    def start_link(self, data: dict[str, Any]) -> None:
        url = data["dest_url"]
        if data["link_type"] == "Email":
            url = "mailto:" + url
        title = f' title="{escape(data["title"])}"' if data["title"] else ""
        self.paragraph_only_image = False
        self.link_depth += 1
        self.out(f'<a href="{escape_href(url)}"{title}>')

    def end_link(self, _: Any) -> None:
        self.link_depth -= 1
        self.out("</a>")

    def start_image(self, data: dict[str, Any]) -> None:
        self.image_depth += 1
        if self.image_depth == 1:
            self.image = data
            self.out(f'<img src="{escape_href(data["dest_url"])}" alt="')

    def end_image(self, _: Any) -> None:
        self.image_depth -= 1
        if self.image_depth == 0:
            title = self.image["title"]
            self.out(f'" title="{escape(title)}">' if title else '">')

    def start_html_block(self, _: Any) -> None:
        self.newline()


def _line_numbers(written: str, lines: int) -> list[int]:
    """The lines `hl_lines` names: numbers and ranges (`"2 4-6"`; a range was ignored, the block shown with no
    line marked), each range cut to the block's `lines` (`1-999999999` makes no list of a billion). A number of
    more than nine digits names no line a body has (one of 5,000 digits, past Python's limit for reading an
    integer, stopped the build with a traceback)."""
    numbers: list[int] = []
    for word in written.split():
        found = _HL_LINE.fullmatch(word)
        if found is not None:
            first = int(found[1])
            numbers += range(first, min(int(found[2] or first), lines) + 1)
    return numbers


def _linked(text: str) -> str:
    """Text as HTML, with GFM's autolinks made links (bare URLs, `www.` and email addresses), shown and linked as
    typed where smart punctuation changed them."""
    if "://" not in text and "www." not in text and "@" not in text:  # most text (see `find_autolinks`)
        return escape(text)
    links = find_autolinks(text)
    parts: list[str] = []
    at = 0
    for link in links:
        parts += (escape(text[at:link.start]),
                  f'<a href="{escape_href(as_typed(link.href))}">{escape(as_typed(text[link.start:link.end]))}</a>')
        at = link.end
    parts.append(escape(text[at:]))
    return "".join(parts)


def _tag(open_html: str, close_html: str) -> tuple[Any, Any]:
    def start(writer: _Writer, _: Any) -> None:
        writer.out(open_html)

    def end(writer: _Writer, _: Any) -> None:
        writer.out(close_html)

    return start, end


_EMPHASIS, _STRONG, _STRIKE = _tag("<em>", "</em>"), _tag("<strong>", "</strong>"), _tag("<del>", "</del>")
_SUPER, _SUB = _tag("<sup>", "</sup>"), _tag("<sub>", "</sub>")
_STARTS: dict[str, Any] = {
    "Paragraph": _Writer.start_paragraph, "Heading": _Writer.start_heading, "BlockQuote": _Writer.start_quote,
    "CodeBlock": _Writer.start_code, "List": _Writer.start_list, "Item": _Writer.start_item,
    "FootnoteDefinition": _Writer.start_note, "Table": _Writer.start_table, "TableHead": _Writer.start_head,
    "TableRow": _Writer.start_row, "TableCell": _Writer.start_cell, "Link": _Writer.start_link,
    "Image": _Writer.start_image, "HtmlBlock": _Writer.start_html_block,
    "Emphasis": _EMPHASIS[0], "Strong": _STRONG[0], "Strikethrough": _STRIKE[0],
    "Superscript": _SUPER[0], "Subscript": _SUB[0],
}
_ENDS: dict[str, Any] = {
    "Paragraph": _Writer.end_paragraph, "Heading": _Writer.end_heading, "BlockQuote": _Writer.end_quote,
    "CodeBlock": _Writer.end_code, "List": _Writer.end_list, "Item": _Writer.end_item,
    "FootnoteDefinition": _Writer.end_note, "Table": _Writer.end_table, "TableHead": _Writer.end_head,
    "TableRow": _Writer.end_row, "TableCell": _Writer.end_cell, "Link": _Writer.end_link,
    "Image": _Writer.end_image,
    "Emphasis": _EMPHASIS[1], "Strong": _STRONG[1], "Strikethrough": _STRIKE[1],
    "Superscript": _SUPER[1], "Subscript": _SUB[1],
}
_INLINE_BLOCKS = {"Paragraph", "Heading", "TableCell"}  # the blocks that hold inlines
_BLOCKS = {"Paragraph", "Heading", "BlockQuote", "CodeBlock", "List", "Table", "HtmlBlock", "FootnoteDefinition"}
