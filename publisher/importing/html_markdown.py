"""HTML made Markdown for the importers of exported sites (WordPress, Ghost), by markdownify.

markdownify (MIT) converts headings, emphasis, links, images, lists, quotes, code blocks with their language
(`class="language-php"`, Prism's and the editors' own) and simple tables; it reads the HTML with Beautiful Soup.
What Markdown cannot say is kept as raw HTML, which publisher passes through: a figure with a caption, an iframe,
video, audio, a form, a script, and a table with merged cells. Text that Markdown or publisher's shortcodes
would read as syntax is escaped. `Marks` holds what the conversion must leave alone (kept HTML, an embed call)
in a paragraph of its own until the Markdown is made.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

from publisher.importing.bodies import protect, rewrite_outside_code

MAX_NESTING = 64  # markdownify converts an element in about three calls of Python's: 64 levels stay far below the
# interpreter's 1,000 however deep the caller is; no editor nests a post's HTML half as deep
_RAW = frozenset({"iframe", "video", "audio", "object", "embed", "form", "script", "style", "svg", "math"})
_KEPT_ATTRIBUTES = frozenset({"src", "href", "alt", "title", "width", "height", "controls", "poster", "preload",
                              "allow", "allowfullscreen", "loading", "colspan", "rowspan", "scope", "type", "name",
                              "value", "action", "method", "frameborder", "start", "reversed", "lang", "dir", "async",
                              "defer"})


def soup_markdown(soup: BeautifulSoup, counts: Counter[str], marks: Marks) -> str:
    """The Markdown of `soup` (its constructs counted in `counts`), `{{`/`{%` in text kept text, blank lines one,
    and each mark made what it stands for; "" for a body with nothing in it. Tags nested past `MAX_NESTING`
    levels are taken out, their text kept (markdownify's recursion would stop the import with a traceback)."""
    flatten(soup, counts)
    markdown = _Converter(counts).convert_soup(soup).strip()
    markdown = rewrite_outside_code(markdown, lambda part, _: re.sub(r"\n{3,}", "\n\n", protect(part)),
                                    lambda part, _: part)
    return marks.restore(markdown) + "\n" if markdown else ""


def flatten(soup: BeautifulSoup, counts: Counter[str]) -> None:
    """`flatten_deep` at `MAX_NESTING`, the tags taken out counted in `counts`."""
    taken = flatten_deep(soup, MAX_NESTING)
    if taken:
        counts[f"tags nested past {MAX_NESTING} levels (taken out, their text kept)"] += taken


def flatten_deep(soup: BeautifulSoup, limit: int) -> int:
    """Each tag `limit` levels down made to hold only the text of what it held (its tags taken out); how many
    tags were taken out. The tree is walked with a list, not by recursion, as it may be nested past what
    recursion reaches; each too-deep part is read once (`get_text` walks it in a loop), so 5,000 levels take
    no longer than 5,000 paragraphs."""
    taken = 0
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        children = [child for child in tag.contents if isinstance(child, Tag)]
        if depth < limit:
            stack.extend((child, depth + 1) for child in children)
        elif children:
            taken += sum(1 for inner in tag.descendants if isinstance(inner, Tag))
            text = tag.get_text()
            tag.clear()
            tag.append(text)
    return taken


def embed_call(url: str, title: str = "") -> str:
    """publisher's `{{ embed("url") }}` (a YouTube or Vimeo player, else a link), with its title when given."""
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    return f"{{{{ embed({quoted(url)}{', ' + quoted(title) if title else ''}) }}}}"


def raw_block(html: str) -> str:
    """HTML kept as a raw block: no blank line inside (Markdown would end the block there)."""
    return re.sub(r"\n\s*\n", "\n", html.strip())


def own_path(url: str, hosts: frozenset[str]) -> str | None:
    """A link to the old site (its host one of `hosts`, or a path from its root) as a path on this site, with its
    query and fragment (its pages keep their URLs here, and `publisher check` verifies each); None for a link
    elsewhere, relative, a fragment or `mailto:`, which stay as written."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", "") or (parts.netloc and parts.netloc.lower() not in hosts):
        return None
    if not parts.netloc and not url.startswith("/"):
        return None
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=~-._")
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def host_variants(hosts: set[str]) -> frozenset[str]:
    """Each host with and without `www.`: a link to either is a link to one of the old site's own pages."""
    return frozenset(host for name in hosts if name for host in (name, name.removeprefix("www."),
                                                                  "www." + name.removeprefix("www.")))


class Marks:
    """Stand-ins for what the conversion must leave alone (kept HTML, `<!--more-->`, an embed call): characters
    of Unicode's private use area that the body does not hold, in a paragraph of their own."""

    def __init__(self, text: str) -> None:
        self.start = next(chr(code) for code in range(0xE000, 0xF8FF) if chr(code) not in text)
        self.made: dict[str, str] = {}

    def block(self, replacement: str) -> str:
        """The HTML of a paragraph holding the mark of `replacement`."""
        mark = f"{self.start}{len(self.made)}{self.start}"
        self.made[mark] = replacement
        return f"\n\n<p>{mark}</p>\n\n"

    def restore(self, markdown: str) -> str:
        """`markdown` with each mark made what it stands for."""
        if not self.made:
            return markdown
        return re.sub(re.escape(self.start) + r"\d+" + re.escape(self.start),
                      lambda found: self.made.get(found.group(0), ""), markdown)


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

    def convert_video(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """The browser's player, kept as HTML (markdownify's own makes it a link around the poster image)."""
        return self._kept(el, parent_tags, "<video> (kept as HTML)")

    def convert_script(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Kept as HTML: markdownify's own drops it, and a pasted embed (a tweet, a form) is drawn by its script."""
        return self._kept(el, parent_tags, "<script> (kept as HTML)")

    def convert_style(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        """Kept as HTML: markdownify's own drops it, and the post's own markup may need it."""
        return self._kept(el, parent_tags, "<style> (kept as HTML)")

    def _kept(self, el: Tag, parent_tags: set[str], construct: str) -> str:
        self.counts[construct] += 1
        html = raw_block(str(cleaned(el)))
        return html if "_inline" in parent_tags else f"\n\n{html}\n\n"

    def __getattr__(self, name: str) -> Callable[..., str]:
        """`convert_iframe` and the like: the element kept as HTML."""
        if name.startswith("convert_") and name[8:] in _RAW:
            return lambda el, text, parent_tags: self._kept(el, parent_tags, f"<{name[8:]}> (kept as HTML)")
        raise AttributeError(name)


def cleaned(element: Tag) -> Tag:
    """The element with only the attributes that say what it shows (an editor's classes, ids, styles and
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
