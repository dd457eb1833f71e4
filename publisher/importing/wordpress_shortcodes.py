"""WordPress's own shortcodes in a post's text, made the HTML WordPress shows for them: `[caption]`,
`[gallery]`, `[embed]`, `[video]`, `[audio]`, and a URL alone on its line (WordPress's auto-embed).

An embed becomes a mark that the body converter turns into publisher's `embed()` (a YouTube or Vimeo
player behind a facade, else a link). Any other `[name …]` that reads as a shortcode (a plugin's, such
as `[contact-form-7 id="5"]`) is left as text and named in the report: WordPress shows a shortcode no
plugin defines as text too, and only the site knows which plugins it had.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)"""
                        r"""|"([^"]*)"|'([^']*)'|(\S+)""")
_OWN = ("caption", "wp_caption", "gallery", "embed", "video", "audio")


@dataclass(frozen=True, slots=True)
class Attachment:
    """A media file of the export: its URL, alt text, caption, the post it was uploaded to and its order there."""

    url: str
    alt: str = ""
    caption: str = ""
    parent: str = ""
    order: int = 0
    mime: str = ""


@dataclass(frozen=True, slots=True)
class ShortcodeContext:
    """What the shortcodes of one post read: the export's attachments by id, the post's own id, and how to make
    an embed's mark."""

    attachments: dict[str, Attachment]
    post_id: str
    embed: Callable[[str], str]  # URL -> the mark standing for publisher's embed() of it


def shortcode_attributes(text: str) -> dict[str, str]:
    """`id="a" width=300 'x'` -> {"id": "a", "width": "300", "0": "x"}, as WordPress's `shortcode_parse_atts`."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        for key, value in zip(groups[0:6:2], groups[1:6:2], strict=True):
            if key is not None:
                found[key.lower()] = value
                break
        else:
            found[str(len([k for k in found if k.isdigit()]))] = next(g for g in groups[6:] if g is not None)
    return found


def _shortcode(names: str) -> re.Pattern[str]:
    """WordPress's `get_shortcode_regex`: `[name attrs]`, `[name attrs/]`, `[name attrs]inner[/name]`, and
    `[[name]]` (escaped: shown as `[name]`)."""
    return re.compile(rf"\[(\[?)({names})(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)"
                      r"(?:(/)\]|\](?:([^\[]*(?:\[(?!/\2\])[^\[]*)*)\[/\2\])?)(\]?)", re.DOTALL)


_OWN_SHORTCODE = _shortcode("|".join(_OWN))
_ANY_SHORTCODE = _shortcode(r"[A-Za-z][\w-]*")
_LONE_URL = re.compile(r"^[ \t]*(?:<p>)?[ \t]*(https?://[^\s<>\"]+)[ \t]*(?:</p>)?[ \t]*$", re.MULTILINE)


def other_shortcodes(text: str) -> list[tuple[str, int]]:
    """The shortcodes of `text` that are not WordPress's own, each as written with its offset: those with an
    attribute (`[contact-form-7 id="5"]`), closed (`[tweet]…[/tweet]`, `[br/]`); not `[citation needed]`."""
    return [(found.group(0), found.start()) for found in _ANY_SHORTCODE.finditer(text)
            if found.group(2).lower() not in _OWN and not (found.group(1) == "[" and found.group(6) == "]")
            and ("=" in found.group(3) or found.group(5) is not None or found.group(4))]


def expand_shortcodes(text: str, context: ShortcodeContext) -> str:
    """`text` with WordPress's own shortcodes made HTML."""
    def own(found: re.Match[str]) -> str:
        if found.group(1) == "[" and found.group(6) == "]":  # `[[caption]]`: the text `[caption]`
            return found.group(0)[1:-1]
        return found.group(1) + _expanded(found, context) + found.group(6)

    return _OWN_SHORTCODE.sub(own, text)


def auto_embeds(text: str, context: ShortcodeContext) -> str:
    """A URL alone on its line (in a paragraph of its own in block content) made an embed, as WordPress's
    auto-embed does for the providers it knows (and a link for the others, as publisher's embed() does)."""
    return _LONE_URL.sub(lambda found: "\n" + context.embed(found.group(1)) + "\n", text)


def _expanded(found: re.Match[str], context: ShortcodeContext) -> str:
    name, attributes, inner = found.group(2), shortcode_attributes(found.group(3)), found.group(5) or ""
    if name in ("caption", "wp_caption"):
        return _caption(attributes, inner)
    if name == "gallery":
        return _gallery(attributes, context)
    if name == "embed":
        url = inner.strip() or attributes.get("src", "")
        return "\n" + context.embed(url) + "\n" if url else ""
    return _media(name, attributes)


def _caption(attributes: dict[str, str], inner: str) -> str:
    """`[caption]<img …> The caption[/caption]` (or `caption="…"`, WordPress before 3.4) as a figure."""
    found = re.match(r"\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)", inner, re.DOTALL | re.IGNORECASE)
    image, caption = (found.group(1), found.group(2).strip()) if found else (inner, "")
    caption = attributes.get("caption", caption)
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n<figure>{image}{figcaption}</figure>\n"


def _gallery(attributes: dict[str, str], context: ShortcodeContext) -> str:
    """`[gallery ids="4,5"]` (or, without ids, the images uploaded to the post, in their order) as figures."""
    if attributes.get("ids") or attributes.get("include"):
        wanted = re.split(r"\s*,\s*", (attributes.get("ids") or attributes["include"]).strip())
        shown = [context.attachments[key] for key in wanted if key in context.attachments]
    else:
        shown = sorted((a for a in context.attachments.values()
                        if a.parent == context.post_id and a.mime.startswith("image/")),
                       key=lambda a: (a.order, a.url))
    figures = []
    for attachment in shown:
        caption = f"<figcaption>{escape(attachment.caption)}</figcaption>" if attachment.caption else ""
        figures.append(f'<figure><img src="{escape(attachment.url)}" alt="{escape(attachment.alt)}">{caption}'
                       "</figure>")
    return "\n" + "\n".join(figures) + "\n"


def _media(name: str, attributes: dict[str, str]) -> str:
    """`[video src=…]`, `[audio mp3=…]`: the player WordPress shows, as HTML (browsers play it themselves)."""
    source = attributes.get("src") or next((value for key, value in attributes.items()
                                            if key in ("mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a")), "")
    if not source:
        return ""
    poster = f' poster="{escape(attributes["poster"])}"' if name == "video" and attributes.get("poster") else ""
    return f'\n<{name} controls preload="metadata" src="{escape(source)}"{poster}></{name}>\n'
