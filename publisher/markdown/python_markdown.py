"""Markdown to HTML: the one module that imports Python-Markdown.

One `PythonMarkdownConverter` holds one configured `markdown.Markdown` instance and
resets it between documents, which is several times faster than building a
new instance per post.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.smarty import SmartyExtension, SubstituteTextPattern
from markdown.extensions.toc import TocExtension, TocTreeprocessor, slugify_unicode

from publisher.config.model import MarkdownConfig
from publisher.core.quotes import ENGLISH, Quotes
from publisher.core.text import count_words
from publisher.markdown.finishing import (
    MORE,
    PAGE_IDS,
    count_headings,
    excerpt_of,
    keyboard_scrollable,
    mark_pull_quotes,
    note_key,
    raw_html_ids,
    talking_points,
    unique_written_ids,
)
from publisher.markdown.result import RenderedMarkdown


class PythonMarkdownConverter:
    """Renders Markdown bodies with publisher's fixed set of extensions."""

    def __init__(self, cfg: MarkdownConfig) -> None:
        self._words_per_minute = cfg.words_per_minute
        words = cfg.words  # the anchors' and back-links' names, in the site's language
        # Python-Markdown fills in the note's number with `str.format`: `{}` is the number, any other brace doubled
        backlink_title = words.back_to_reference.replace("{", "{{").replace("}", "}}").replace("{{number}}", "{}")
        self._md = markdown.Markdown(
            extensions=["fenced_code", "codehilite", "tables", _Footnotes(BACKLINK_TITLE=backlink_title),
                        _Contents(permalink="#", permalink_class="heading-anchor",
                                  permalink_title=words.heading_link, slugify=slugify_unicode,
                                  toc_depth=cfg.toc_depth),
                        "attr_list", _smarty(cfg.quotes), "sane_lists"],
            extension_configs={
                "codehilite": {"css_class": "highlight", "guess_lang": False, "wrapcode": True},
            },
            output_format="html",
        )

    def convert(self, text: str) -> RenderedMarkdown:
        """Render one document; the excerpt is the part before `<!--more-->`, else the first paragraph."""
        self._md.reset()
        body_html, quotes = mark_pull_quotes(keyboard_scrollable(self._md.convert(text)))
        toc_tokens = getattr(self._md, "toc_tokens", [])
        toc_html = self._md.toc if count_headings(toc_tokens) >= 2 else ""  # type: ignore[attr-defined]
        words = count_words(body_html)
        return RenderedMarkdown(
            html=MORE.sub("", body_html),
            toc_html=toc_html,
            excerpt_html=excerpt_of(body_html),
            word_count=words,
            reading_minutes=max(1, math.ceil(words / self._words_per_minute)),
            heading_count=count_headings(toc_tokens),
            pull_quotes=quotes,
            talking_points=talking_points(body_html),
        )


def _smarty(quotes: Quotes) -> SmartyExtension:
    """Python-Markdown's smart punctuation, with the site's quotation marks (its own entities for English's)."""
    if quotes == ENGLISH:
        return SmartyExtension(smart_angled_quotes=False)
    return _LocalizedSmarty(quotes)


# A `'` inside a word (`it's`), or before a year or decade written short (`'90s`, `die '90er`, `Sommer '24`).
_APOSTROPHE = r"(?<=\w)'(?=\w)|(?<!\w)'(?=\d{2}(?:s|er)?\b(?!'))"


class _LocalizedSmarty(SmartyExtension):
    """smarty with `quotes`' marks, and ’ for an apostrophe in every language: smarty writes its closing single
    quote for one inside a word or before a decade, which German's marks made `geht‘s` and `O‘Reilly`
    (Python-Markdown#396, open upstream). It pairs no marks, so `Hans' Buch` still gets the closing quote."""

    def __init__(self, quotes: Quotes) -> None:
        super().__init__(smart_angled_quotes=False, substitutions={
            "left-double-quote": quotes.double_open, "right-double-quote": quotes.double_close,
            "left-single-quote": quotes.single_open, "right-single-quote": quotes.single_close})

    def educateQuotes(self, md: markdown.Markdown) -> None:
        super().educateQuotes(md)
        apostrophe = SubstituteTextPattern(_APOSTROPHE, ("&rsquo;",), md)
        self.inlinePatterns.register(apostrophe, "smarty-apostrophe", 31)  # tried before the quotes' (30 and below)


class _Footnotes(FootnoteExtension):
    """Python-Markdown's footnotes, with the ids and back-links' names the default engine gives them."""

    def makeFootnoteId(self, id: str) -> str:
        return super().makeFootnoteId(note_key(id))

    def makeFootnoteRefId(self, id: str, found: bool = False) -> str:
        return super().makeFootnoteRefId(note_key(id), found)

    def makeFootnotesDiv(self, root: etree.Element) -> etree.Element | None:
        """The notes, each back-link named in words by its title: "↩" was read "leftwards arrow with hook"."""
        div = super().makeFootnotesDiv(root)
        for link in div.iter("a") if div is not None else ():
            if link.get("class") == "footnote-backref":
                link.set("aria-label", link.get("title", ""))
        return div


class _PageAwareContents(TocTreeprocessor):
    """Python-Markdown's heading ids, each unique on the page as in the default engine: the written ones first
    (`unique_written_ids`; Python-Markdown kept one written twice), then those made from a heading's text, which
    step aside from them, from the ids of the page around the body (`PAGE_IDS`) and from raw HTML's: it sees
    those as elements of the document while it gives ids."""

    def run(self, doc: etree.Element) -> None:
        taken = set(PAGE_IDS)
        for stashed in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(stashed, str):
                taken |= raw_html_ids(stashed)
        headings = [element for element in doc.iter() if element.tag in _HEADINGS and element.get("id")]
        written = unique_written_ids([str(heading.get("id")) for heading in headings], set(taken), {})
        for heading, heading_id in zip(headings, written, strict=True):
            heading.set("id", heading_id)
        stand_ins = [etree.SubElement(doc, "span", {"id": taken_id}) for taken_id in sorted(taken)]
        try:
            super().run(doc)
        finally:
            for stand_in in stand_ins:
                doc.remove(stand_in)


_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))


class _Contents(TocExtension):
    TreeProcessorClass = _PageAwareContents
