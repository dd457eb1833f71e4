"""Markdown to HTML: the one module that imports Python-Markdown.

One `MarkdownRenderer` holds one configured `markdown.Markdown` instance and
resets it between documents, which is several times faster than building a
new instance per post.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass

import markdown
from markdown.extensions.toc import slugify_unicode

from .config import MarkdownConfig

MORE_MARKER = "<!--more-->"
_MORE = re.compile(r"<p>\s*<!--\s*more\s*-->\s*</p>|<!--\s*more\s*-->")
_FIRST_PARAGRAPH = re.compile(r"<p>(?!<img[^>]*>\s*</p>).*?</p>", re.DOTALL)
_FOOTNOTE_REF = re.compile(r'<sup id="fnref[^"]*">.*?</sup>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
# A pull quote is a blockquote whose first line is the marker `[!pullquote]`:
#     > [!pullquote]
#     > Long-form pieces earn links; short posts earn likes.
# The quote is the marker's paragraph.
_PULL_QUOTE = re.compile(r"<blockquote>\s*<p>\s*\[!pullquote\]\s*(.*?)</p>", re.DOTALL | re.IGNORECASE)
# Bumped whenever `RenderedMarkdown` changes shape, so cached results are rendered again.
RESULT_FORMAT = "2"


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


class MarkdownRenderer:
    """Renders Markdown bodies with publisher's fixed set of extensions."""

    def __init__(self, cfg: MarkdownConfig) -> None:
        self._words_per_minute = cfg.words_per_minute
        self._md = markdown.Markdown(
            extensions=["fenced_code", "codehilite", "tables", "footnotes", "toc", "attr_list",
                        "smarty", "sane_lists"],
            extension_configs={
                "codehilite": {"css_class": "highlight", "guess_lang": False, "wrapcode": True},
                "toc": {
                    "permalink": "#",
                    "permalink_class": "heading-anchor",
                    "permalink_title": "Link to this section",
                    "slugify": slugify_unicode,
                    "toc_depth": cfg.toc_depth,
                },
                "footnotes": {"BACKLINK_TITLE": "Back to reference %d"},
                "smarty": {"smart_angled_quotes": False},
            },
            output_format="html",
        )

    def render(self, text: str) -> RenderedMarkdown:
        """Render one document; the excerpt is the part before `<!--more-->`, else the first paragraph."""
        self._md.reset()
        body_html, quotes = mark_pull_quotes(self._md.convert(text))
        toc_tokens = getattr(self._md, "toc_tokens", [])
        toc_html = self._md.toc if _count_headings(toc_tokens) >= 2 else ""  # type: ignore[attr-defined]
        words = len(_WORD.findall(html.unescape(_TAG.sub(" ", body_html))))
        return RenderedMarkdown(
            html=_MORE.sub("", body_html),
            toc_html=toc_html,
            excerpt_html=_excerpt(body_html),
            word_count=words,
            reading_minutes=max(1, math.ceil(words / self._words_per_minute)),
            heading_count=_count_headings(toc_tokens),
            pull_quotes=quotes,
        )


def mark_pull_quotes(body_html: str) -> tuple[str, tuple[str, ...]]:
    """Give each pull quote the class `pullquote` (without its marker) and return their texts."""
    quotes: list[str] = []

    def mark(match: re.Match[str]) -> str:
        inner = match[1].strip()
        quotes.append(plain_text(inner))
        return f'<blockquote class="pullquote">\n<p>{inner}</p>'

    return _PULL_QUOTE.sub(mark, body_html), tuple(q for q in quotes if q)


def _excerpt(body_html: str) -> str:
    match = _MORE.search(body_html)
    if match:
        excerpt = body_html[: match.start()]
    else:
        first = _FIRST_PARAGRAPH.search(body_html)
        excerpt = first.group(0) if first else ""
    # Footnote markers would point at notes the excerpt does not carry.
    return _FOOTNOTE_REF.sub("", excerpt).strip()


def _count_headings(tokens: list[dict]) -> int:
    return sum(1 + _count_headings(token.get("children", [])) for token in tokens)


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, whitespace collapsed (for meta descriptions and summaries)."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


# Worker processes each keep one renderer, made once by `init_worker`. This is
# per-process state of the pool's workers, never touched by the main process.
_worker_renderer: MarkdownRenderer | None = None  # or a CmarkRenderer


def make_renderer(cfg: MarkdownConfig) -> MarkdownRenderer:
    """The renderer of the configured engine (`markdown.engine`)."""
    if cfg.engine == "cmark":
        from .cmark_engine import CmarkRenderer

        return CmarkRenderer(cfg)  # type: ignore[return-value]  # same interface
    return MarkdownRenderer(cfg)


def engine_version(cfg: MarkdownConfig) -> str:
    """The engine's name and version, for the render cache's key."""
    if cfg.engine == "cmark":
        from importlib.metadata import version

        return f"cmark {version('cmarkgfm')}"
    return f"python-markdown {markdown.__version__}"


def init_worker(cfg: MarkdownConfig) -> None:
    """Process-pool initializer: one configured renderer per worker."""
    global _worker_renderer
    _worker_renderer = make_renderer(cfg)


def render_in_worker(text: str) -> RenderedMarkdown:
    """Process-pool task: render one body with this worker's renderer."""
    assert _worker_renderer is not None, "init_worker was not called"
    return _worker_renderer.render(text)
