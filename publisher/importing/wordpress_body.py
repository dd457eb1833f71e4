"""A WordPress post's HTML made Markdown, as WordPress showed it.

Before converting, the text is made what WordPress shows: block comments (`<!-- wp:paragraph -->`) taken
out, a Custom HTML block (`wp:html`) kept as written, WordPress's own shortcodes expanded
(wordpress_shortcodes.py), a classic post's paragraphs made (`wpautop`), `<!--more-->` kept on a line of its
own (where publisher's excerpt ends too), and links to the old site's own pages made paths (a `?p=123` link:
the post's new URL), which `publisher check` then verifies.

The HTML is then converted by markdownify (MIT; headings, emphasis, links, images, lists, quotes, code,
simple tables), which reads it with Beautiful Soup. What Markdown cannot say is kept as raw HTML, which
publisher passes through: a figure with a caption, an iframe, video, audio, a form, a script, and a table with
merged cells. Text that Markdown or publisher's shortcodes would read as syntax is escaped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from publisher.importing.bodies import protect, rewrite_outside_code
from publisher.importing.wordpress_autop import wpautop
from publisher.importing.wordpress_shortcodes import (
    Attachment,
    ShortcodeContext,
    auto_embeds,
    expand_shortcodes,
    other_shortcodes,
)

_BLOCK_COMMENT = re.compile(r"<!--\s+/?wp:[a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?\s+(?:\{.*?\}\s+)?/?-->", re.DOTALL)
_HTML_BLOCK = re.compile(r"<!--\s+wp:html(?:\s+\{.*?\})?\s+-->(.*?)<!--\s+/wp:html\s+-->", re.DOTALL)
_MORE = re.compile(r"<!--more(.*?)?-->")
_NEXTPAGE = re.compile(r"<!--nextpage-->")
_RAW = frozenset({"iframe", "video", "audio", "object", "embed", "form", "script", "style", "svg", "math"})
_KEPT_ATTRIBUTES = frozenset({"src", "href", "alt", "title", "width", "height", "controls", "poster", "preload",
                              "allow", "allowfullscreen", "loading", "colspan", "rowspan", "scope", "type", "name",
                              "value", "action", "method", "frameborder", "start", "reversed", "lang", "dir"})


@dataclass(frozen=True, slots=True)
class BodySite:
    """What every body of one export reads: its attachments by id, the old site's hosts (a link to them becomes
    a path), and each post's URL by its id (for `?p=123` and `?page_id=123` links)."""

    attachments: dict[str, Attachment]
    hosts: frozenset[str]
    urls_by_id: dict[str, str]


@dataclass(slots=True)
class Converted:
    """A body as Markdown, what was converted (counted by construct), and shortcodes left as text (with offsets
    in the export's text of the post)."""

    markdown: str
    converted: Counter[str] = field(default_factory=Counter)
    left_as_text: list[tuple[str, int]] = field(default_factory=list)


def convert_body(html: str, post_id: str, site: BodySite) -> Converted:
    """A post's `content:encoded` as Markdown, as WordPress showed it."""
    result = Converted("", left_as_text=other_shortcodes(html))
    marks = _Marks(html)
    text = _HTML_BLOCK.sub(lambda found: marks.block(_raw(found.group(1))), html)
    result.converted["Custom HTML block (kept as HTML)"] += len(marks.made)
    text, mores = _MORE.subn(lambda _: marks.block("<!--more-->"), text)
    text, pages = _NEXTPAGE.subn("", text)
    result.converted.update({"<!--more-->": mores, "<!--nextpage--> (one page now)": pages})
    classic = "<!-- wp:" not in html
    text = _BLOCK_COMMENT.sub("", text)
    context = ShortcodeContext(site.attachments, post_id, lambda url: marks.block(_embed_call(url)))
    before = len(marks.made)
    text = auto_embeds(expand_shortcodes(text, context), context)
    result.converted["embeds"] += len(marks.made) - before
    if classic and text.strip():
        text = wpautop(text)
        result.converted["classic posts (paragraphs made as WordPress's wpautop makes them)"] += 1
    soup = BeautifulSoup(text, "html.parser")
    _link_paths(soup, site)
    markdown = _Converter(result.converted).convert_soup(soup).strip()
    markdown = rewrite_outside_code(markdown, lambda part, _: re.sub(r"\n{3,}", "\n\n", protect(part)),
                                    lambda part, _: part)
    result.markdown = marks.restore(markdown) + "\n" if markdown else ""
    result.converted = Counter({key: count for key, count in result.converted.items() if count})
    return result


def _embed_call(url: str) -> str:
    quoted = url.replace("\\", "\\\\").replace('"', '\\"')
    return f'{{{{ embed("{quoted}") }}}}'


def _raw(html: str) -> str:
    """HTML kept as a raw block: no blank line inside (Markdown would end the block there)."""
    return re.sub(r"\n\s*\n", "\n", html.strip())


class _Marks:
    """Stand-ins for what the conversion must leave alone (kept HTML, `<!--more-->`, an embed call): characters
    of Unicode's private use area that the body does not hold, in a paragraph of their own."""

    def __init__(self, text: str) -> None:
        self.start = next(chr(code) for code in range(0xE000, 0xF8FF) if chr(code) not in text)
        self.made: dict[str, str] = {}

    def block(self, replacement: str) -> str:
        mark = f"{self.start}{len(self.made)}{self.start}"
        self.made[mark] = replacement
        return f"\n\n<p>{mark}</p>\n\n"

    def restore(self, markdown: str) -> str:
        if not self.made:
            return markdown
        return re.sub(re.escape(self.start) + r"\d+" + re.escape(self.start),
                      lambda found: self.made.get(found.group(0), ""), markdown)


def _link_paths(soup: BeautifulSoup, site: BodySite) -> None:
    """Links and images to the old site made paths (its pages keep their URLs here), `?p=123` its post's URL."""
    for tag, attribute in (("a", "href"), ("img", "src")):
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if isinstance(value, str):
                element[attribute] = _site_path(value.strip(), site)


def _site_path(url: str, site: BodySite) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or (parts.netloc and parts.netloc.lower() not in site.hosts):
        return url
    if not parts.netloc and not url.startswith("/"):
        return url  # relative, a fragment or mailto:: as written
    query = parse_qs(parts.query)
    for key in ("p", "page_id"):
        if parts.path in ("", "/") and query.get(key, [""])[0] in site.urls_by_id:
            return site.urls_by_id[query[key][0]] + (f"#{parts.fragment}" if parts.fragment else "")
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~-._")
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


class _Converter(MarkdownConverter):
    """markdownify, with what Markdown cannot say kept as HTML and text escaped where Markdown or publisher
    would read it as syntax."""

    def __init__(self, counts: Counter[str]) -> None:
        super().__init__(heading_style="ATX", bullets="-", newline_style="backslash", escape_misc=False,
                         code_language_callback=_code_language)
        self.counts = counts

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = text.replace("\\", "\\\\")
        text = re.sub(r"([`\[\]])", r"\\\1", text)
        text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
        text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
        text = re.sub(r"(^|\n)(\s*)([#>+=~-])", r"\1\2\\\3", text)  # a heading, quote, list item or underline
        text = re.sub(r"(^|\n)(\s*\d{1,9})([.)])", r"\1\2\\\3", text)  # `2024. A year`: not a numbered list
        if parent_tags & {"td", "th"}:
            text = text.replace("|", "\\|")
        return re.sub(r"([*_])", r"\\\1", text)

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        alt = re.sub(r"([\[\]\\])", r"\\\1", str(el.get("alt") or ""))
        src = str(el.get("src") or "")
        title = str(el.get("title") or "")
        if "_inline" in parent_tags:
            return alt
        target = f"<{src}>" if re.search(r"[\s()<>]", src) else src
        return f"![{alt}]({target}" + (' "{}"'.format(title.replace('"', '\\"')) if title else "") + ")"

    def convert_figure(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if el.find("figcaption") is not None and el.find(["img", "video", "audio", "iframe"]) is not None:
            return self._kept(el, parent_tags, "figures with a caption (kept as HTML)")
        return f"\n\n{text.strip()}\n\n" if text.strip() else ""

    def convert_table(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        cells = el.find_all(["td", "th"])
        if any(cell.get("colspan") or cell.get("rowspan") or cell.find(["p", "ul", "ol", "table", "pre"])
               for cell in cells):
            return self._kept(el, parent_tags, "tables with merged cells or blocks in cells (kept as HTML)")
        # markdownify's README has converters subclassed and `super().convert_<tag>` called; its type stub names
        # only convert() and convert_soup().
        return str(super().convert_table(el, text, parent_tags))  # type: ignore[misc]

    def _kept(self, el: Tag, parent_tags: set[str], construct: str) -> str:
        self.counts[construct] += 1
        html = _raw(str(_cleaned(el)))
        return html if "_inline" in parent_tags else f"\n\n{html}\n\n"

    def __getattr__(self, name: str) -> Callable[..., str]:
        """`convert_iframe` and the like: the element kept as HTML."""
        if name.startswith("convert_") and name[8:] in _RAW:
            return lambda el, text, parent_tags: self._kept(el, parent_tags, f"<{name[8:]}> (kept as HTML)")
        raise AttributeError(name)


def _cleaned(element: Tag) -> Tag:
    """The element with only the attributes that say what it shows (WordPress's classes, ids, styles and
    `srcset`s of other sizes left out)."""
    for tag in [element, *element.find_all(True)]:
        tag.attrs = {key: value for key, value in tag.attrs.items() if key in _KEPT_ATTRIBUTES
                     or key.startswith(("aria-", "data-"))}
    return element


def _code_language(element: Any) -> str | None:
    """A code block's language, from `class="language-php"` on it or its `<code>` (Prism's, and plugins')."""
    for tag in (element, element.find("code")):
        classes = tag.get("class") if isinstance(tag, Tag) else None
        for name in classes or []:
            if name.startswith("language-"):
                return str(name.removeprefix("language-"))
    return None
