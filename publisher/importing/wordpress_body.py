"""A WordPress post's HTML made Markdown, as WordPress showed it.

Before converting, the text is made what WordPress shows: block comments (`<!-- wp:paragraph -->`) taken
out, a Custom HTML block (`wp:html`) kept as written (its `{{` and `{%` shown as text, as WordPress showed
them), WordPress's own shortcodes expanded (wordpress_shortcodes.py), a classic post's paragraphs made
(`wpautop`), `<!--more-->` kept on a line of its own (where publisher's excerpt ends too), and links to the old
site's own pages made paths (a `?p=123` link: the post's new URL), which `publisher check` then verifies.

The HTML is then made Markdown as every export's is (html_markdown.py: markdownify, with what Markdown cannot
say kept as HTML).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from publisher.importing.bodies import protect
from publisher.importing.html_markdown import Marks, embed_call, own_path, raw_block, soup_markdown
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
    marks = Marks(html)
    # The block is restored after the Markdown's `{{` are escaped, so its own are escaped here (WordPress showed
    # a Vue or Handlebars snippet's `{{ user.name }}` as text; publisher would run it).
    text = _HTML_BLOCK.sub(lambda found: marks.block(protect(raw_block(found.group(1)))), html)
    result.converted["Custom HTML block (kept as HTML)"] += len(marks.made)
    text, mores = _MORE.subn(lambda _: marks.block("<!--more-->"), text)
    text, pages = _NEXTPAGE.subn("", text)
    result.converted.update({"<!--more-->": mores, "<!--nextpage--> (one page now)": pages})
    classic = "<!-- wp:" not in html
    text = _BLOCK_COMMENT.sub("", text)
    context = ShortcodeContext(site.attachments, post_id, lambda url: marks.block(embed_call(url)))
    before = len(marks.made)
    text = auto_embeds(expand_shortcodes(text, context), context)
    result.converted["embeds"] += len(marks.made) - before
    if classic and text.strip():
        text = wpautop(text)
        result.converted["classic posts (paragraphs made as WordPress's wpautop makes them)"] += 1
    soup = BeautifulSoup(text, "html.parser")
    _link_paths(soup, site)
    result.markdown = soup_markdown(soup, result.converted, marks)
    result.converted = Counter({key: count for key, count in result.converted.items() if count})
    return result


def _link_paths(soup: BeautifulSoup, site: BodySite) -> None:
    """Links and images to the old site made paths (its pages keep their URLs here), `?p=123` its post's URL."""
    for tag, attribute in (("a", "href"), ("img", "src")):
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if isinstance(value, str):
                element[attribute] = _site_path(value.strip(), site)


def _site_path(url: str, site: BodySite) -> str:
    path = own_path(url, site.hosts)
    if path is None:
        return url  # elsewhere, relative, a fragment or mailto:: as written
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    for key in ("p", "page_id"):
        if parts.path in ("", "/") and query.get(key, [""])[0] in site.urls_by_id:
            return site.urls_by_id[query[key][0]] + (f"#{parts.fragment}" if parts.fragment else "")
    return _as_published(path, site)


def _as_published(path: str, site: BodySite) -> str:
    """`path` (its query and fragment kept), as the post or page it names is published: with or without its last
    slash, as WordPress's permalinks wrote it. WordPress sent `/about/` on to `/about` (its canonical redirect),
    so a link written either way reached the page; here the other spelling named no file."""
    head, mark, rest = path.partition("?") if "?" in path else path.partition("#")
    other = head[:-1] if head.endswith("/") and head != "/" else head + "/"
    published = set(site.urls_by_id.values())
    return other + mark + rest if head not in published and other in published else path
