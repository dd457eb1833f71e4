"""A Ghost post's HTML made Markdown, as Ghost showed it.

Ghost renders each post (from its Lexical or Mobiledoc source) into the `html` field the export holds; its
editor's cards are `<figure>`s and `<div>`s of class `kg-card kg-<name>-card` (Koenig's renderers). Before
converting, `__GHOST_URL__` (Ghost's stand-in for its own address in links and images) becomes the site's root,
and each card becomes what publisher shows the same way:

| card | becomes |
| --- | --- |
| HTML (`<!--kg-card-begin: html-->`) | kept as written |
| image, gallery | Markdown images; one with a caption a figure kept as HTML (as WordPress's) |
| bookmark | `{{ embed(url, "title") }}` (a link) and its description |
| embed of YouTube or Vimeo | `{{ embed(url, "title") }}` (publisher's player); any other embed kept as HTML |
| video, audio | the browser's player (Ghost's buttons left out) |
| callout | a quote, its emoji first |
| toggle | `<details>` and `<summary>`, kept as HTML |
| button, file, header, product | a link, headings and text |
| code with a caption | the code block with its language, the caption after it |
| signup, call to action | left out (they sign readers up to Ghost's members) |

Links to the site's own host become paths (its pages keep their URLs here), and the HTML is then made Markdown
as every export's is (html_markdown.py).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from publisher.importing.bodies import protect
from publisher.importing.html_markdown import Marks, embed_call, flatten, own_path, raw_block, soup_markdown

GHOST_URL = "__GHOST_URL__"
_HTML_CARD = re.compile(r"<!--kg-card-begin: html-->(.*?)<!--kg-card-end: html-->", re.DOTALL)
_CARD_COMMENT = re.compile(r"<!--kg-card-(?:begin|end): [a-z-]+-->")
_MEMBERS_ONLY = "<!--members-only-->"  # where a members' post's public preview ends
_VIDEO_FRAMES = (
    (re.compile(r"^(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]{6,})"), "https://www.youtube.com/watch?v={}"),
    (re.compile(r"^(?:https?:)?//player\.vimeo\.com/video/(\d+)"), "https://vimeo.com/{}"),
)
_LEFT_OUT = frozenset({"signup", "cta", "call-to-action", "email-cta", "email"})


@dataclass(slots=True)
class Converted:
    """A body as Markdown and what was converted, counted by construct."""

    markdown: str
    converted: Counter[str] = field(default_factory=Counter)


def site_paths(text: str) -> str:
    """`__GHOST_URL__/about/` -> `/about/`, and `__GHOST_URL__` alone (the home page) -> `/`."""
    return text.replace(GHOST_URL + "/", "/").replace(GHOST_URL, "/")


def convert_html(body: str, hosts: frozenset[str]) -> Converted:
    """A post's `html` as Markdown, as Ghost showed it; links to `hosts` (the site's own) made paths."""
    result = Converted("")
    counts = result.converted
    marks = Marks(body)
    text = site_paths(body)
    text, kept = _HTML_CARD.subn(lambda found: marks.block(protect(raw_block(found.group(1)))), text)
    counts["HTML cards (kept as written)"] += kept
    counts["<!--members-only--> (the preview's end: left out)"] += text.count(_MEMBERS_ONLY)
    text = _CARD_COMMENT.sub("", text.replace(_MEMBERS_ONLY, ""))
    soup = BeautifulSoup(text, "html.parser")
    flatten(soup, counts)
    for card in soup.find_all(class_="kg-card"):
        _convert_card(card, soup, marks, counts)
    _link_paths(soup, hosts)
    result.markdown = soup_markdown(soup, counts, marks)
    result.converted = Counter({key: count for key, count in counts.items() if count})
    return result


def convert_plaintext(body: str) -> Converted:
    """A post's `plaintext` (what Ghost keeps beside its Lexical or Mobiledoc source) as Markdown paragraphs, its
    text escaped where Markdown would read it as syntax."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", body) if part.strip()]
    markup = "".join(f"<p>{html.escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)
    return convert_html(markup, frozenset())


def _convert_card(card: Tag, soup: BeautifulSoup, marks: Marks, counts: Counter[str]) -> None:
    """The card in Markdown's terms, in its place (a card inside one already converted is left as it is now)."""
    if not _attached(card, soup):
        return
    kind = _card_kind(card)
    made = _converted_card(kind, card, marks)
    if made is None:
        counts[f"Ghost {kind or 'unnamed'} cards (converted as their HTML: check them)"] += 1
        for decoration in card.find_all(["svg", "button"]):
            decoration.decompose()
        card["class"] = " ".join(name for name in card.get_attribute_list("class") if name and name != "kg-card")
        return
    counts[f"Ghost {kind} cards{' (left out)' if kind in _LEFT_OUT else ''}"] += 1
    card.replace_with(BeautifulSoup(made, "html.parser"))


def _attached(card: Tag, soup: BeautifulSoup) -> bool:
    return any(parent is soup for parent in card.parents)


def _card_kind(card: Tag) -> str:
    """`kg-bookmark-card` -> `bookmark`."""
    for name in card.get_attribute_list("class"):
        found = re.fullmatch(r"kg-([a-z0-9-]+)-card", name or "")
        if found:
            return found.group(1)
    return ""


def _converted_card(kind: str, card: Tag, marks: Marks) -> str | None:
    """The HTML (or a mark's paragraph) standing for a card; None for a card of a kind not known here."""
    if kind in _LEFT_OUT:
        return ""
    if kind in ("image", "code"):
        return _figure(card)
    converters = {"bookmark": _bookmark, "gallery": _gallery, "embed": _embed, "video": _media, "audio": _media,
                  "callout": _callout, "toggle": _toggle, "button": _links, "file": _file, "header": _header,
                  "product": _product}
    convert = converters.get(kind)
    return convert(card, marks) if convert is not None else None


def _figure(card: Tag) -> str:
    """An image card (its `srcset`, sizes and classes left to the converter to drop), or a code card: a caption
    kept in the figure with an image, after the code as a paragraph."""
    caption = card.find("figcaption")
    if card.find("pre") is not None:
        return str(card.find("pre")) + (f"<p>{caption.decode_contents()}</p>" if caption is not None else "")
    image = card.find(["a", "img"])
    shown = str(image) if image is not None else ""
    if caption is not None and caption.get_text(strip=True):
        return f"<figure>{shown}<figcaption>{_caption_text(caption)}</figcaption></figure>"
    return f"<p>{shown}</p>"


def _caption_text(caption: Tag) -> str:
    """A caption's HTML, without the `<p>` and `<span style="white-space: pre-wrap">` Ghost wraps it in."""
    for wrapper in caption.find_all(["p", "span"]):
        wrapper.unwrap()
    return caption.decode_contents().strip()


def _bookmark(card: Tag, marks: Marks) -> str:
    link = card.find("a", class_="kg-bookmark-container") or card.find("a")
    url = str(link.get("href") or "") if isinstance(link, Tag) else ""
    if not url:
        return ""
    title = _text_of(card, "kg-bookmark-title")
    description = _text_of(card, "kg-bookmark-description")
    return marks.block(embed_call(url, title)) + (f"<p>{html.escape(description)}</p>" if description else "")


def _gallery(card: Tag, marks: Marks) -> str:
    """The gallery's images one a paragraph; with a caption, one figure of them all (kept as HTML)."""
    images = [str(image) for image in card.find_all("img")]
    caption = card.find("figcaption")
    if caption is not None and caption.get_text(strip=True):
        return f"<figure>{''.join(images)}<figcaption>{_caption_text(caption)}</figcaption></figure>"
    return "".join(f"<p>{image}</p>" for image in images)


def _embed(card: Tag, marks: Marks) -> str | None:
    """A YouTube or Vimeo player as publisher's embed(); any other embed (a post, a map) kept as Ghost showed it."""
    frame = card.find("iframe")
    source = str(frame.get("src") or "") if isinstance(frame, Tag) else ""
    caption = card.find("figcaption")
    after = f"<p>{_caption_text(caption)}</p>" if caption is not None and caption.get_text(strip=True) else ""
    for pattern, page in _VIDEO_FRAMES:
        found = pattern.match(source)
        if found and isinstance(frame, Tag):
            return marks.block(embed_call(page.format(found.group(1)), str(frame.get("title") or ""))) + after
    inner = "".join(str(child) for child in card.contents if child is not caption)
    return marks.block(protect(raw_block(inner))) + after


def _media(card: Tag, marks: Marks) -> str:
    """A video or audio card as the browser's own player, with Ghost's title or caption after it."""
    player = card.find(["video", "audio"])
    if not isinstance(player, Tag) or not player.get("src"):
        return ""
    name = player.name
    poster = f' poster="{html.escape(str(player["poster"]))}"' if player.get("poster") else ""
    made = f'<{name} controls preload="metadata" src="{html.escape(str(player["src"]))}"{poster}></{name}>'
    words = _text_of(card, "kg-audio-title") or _text_of(card, "kg-video-title")
    caption = card.find("figcaption")
    if caption is not None and caption.get_text(strip=True):
        words = caption.get_text(" ", strip=True)
    return f"<p>{made}</p>" + (f"<p>{html.escape(words)}</p>" if words else "")


def _callout(card: Tag, marks: Marks) -> str:
    emoji = _text_of(card, "kg-callout-emoji")
    words = card.find(class_="kg-callout-text")
    inner = words.decode_contents() if isinstance(words, Tag) else html.escape(card.get_text(" ", strip=True))
    return f"<blockquote><p>{html.escape(emoji) + ' ' if emoji else ''}{inner}</p></blockquote>"


def _toggle(card: Tag, marks: Marks) -> str:
    """A toggle as HTML's own `<details>`, which opens on a click without a script (Ghost's needs one)."""
    heading = _text_of(card, "kg-toggle-heading-text")
    content = card.find(class_="kg-toggle-content")
    inner = content.decode_contents() if isinstance(content, Tag) else ""
    inner = re.sub(r'<span style="white-space: pre-wrap;">(.*?)</span>', r"\1", inner, flags=re.DOTALL)
    return marks.block(protect(raw_block(f"<details>\n<summary>{html.escape(heading)}</summary>\n{inner}\n"
                                         "</details>")))


def _links(card: Tag, marks: Marks) -> str:
    """A button card: its link, as a paragraph."""
    return "".join(f'<p><a href="{html.escape(str(link.get("href") or ""))}">{html.escape(link.get_text(strip=True))}'
                   "</a></p>" for link in card.find_all("a") if link.get("href"))


def _file(card: Tag, marks: Marks) -> str:
    link = card.find("a")
    if not isinstance(link, Tag) or not link.get("href"):
        return ""
    name = _text_of(card, "kg-file-card-title") or _text_of(card, "kg-file-card-filename") or "Download"
    caption = _text_of(card, "kg-file-card-caption")
    return (f'<p><a href="{html.escape(str(link["href"]))}">{html.escape(name)}</a>'
            + (f" ({html.escape(caption)})" if caption else "") + "</p>")


def _header(card: Tag, marks: Marks) -> str:
    """A header card (Ghost's first design and its second): its heading, subheading and button."""
    heading = card.find(class_=re.compile(r"^kg-header-card-(header|heading)$"))
    subheading = card.find(class_=re.compile(r"^kg-header-card-(subheader|subheading)$"))
    parts = []
    if isinstance(heading, Tag) and heading.get_text(strip=True):
        parts.append(f"<h2>{html.escape(heading.get_text(' ', strip=True))}</h2>")
    if isinstance(subheading, Tag) and subheading.get_text(strip=True):
        parts.append(f"<p>{html.escape(subheading.get_text(' ', strip=True))}</p>")
    button = card.find("a", class_="kg-header-card-button")
    if isinstance(button, Tag):
        parts.append(_links(_wrapped(button), marks))
    return "".join(parts)


def _product(card: Tag, marks: Marks) -> str:
    """A product card: its image, title, description and button."""
    image = card.find("img")
    title = _text_of(card, "kg-product-card-title")
    description = card.find(class_="kg-product-card-description")
    button = card.find("a")
    return ((f"<p>{image}</p>" if image is not None else "") + (f"<h3>{html.escape(title)}</h3>" if title else "")
            + (description.decode_contents() if isinstance(description, Tag) else "")
            + (_links(_wrapped(button), marks) if isinstance(button, Tag) else ""))


def _wrapped(link: Tag) -> Tag:
    holder = BeautifulSoup("<div></div>", "html.parser").div
    assert holder is not None
    holder.append(link.extract())
    return holder


def _text_of(card: Tag, class_name: str) -> str:
    found = card.find(class_=class_name)
    return found.get_text(" ", strip=True) if isinstance(found, Tag) else ""


def _link_paths(soup: BeautifulSoup, hosts: frozenset[str]) -> None:
    """Links and images to the site's own host made paths (its pages keep their URLs here)."""
    for tag, attribute in (("a", "href"), ("img", "src")):
        for element in soup.find_all(tag):
            value = element.get(attribute)
            if isinstance(value, str):
                element[attribute] = own_path(value.strip(), hosts) or value
