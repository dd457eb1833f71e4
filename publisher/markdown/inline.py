"""A line of Markdown, such as a figure's caption, as inline HTML that cannot break the element it is put in.

Hugo renders its `figure` shortcode's caption as Markdown (gohugo.io, "Figure shortcode": "Markdown within
the value of caption will be rendered"). Here only the inline part of CommonMark is kept: emphasis, strong,
strikethrough, code spans, links and line breaks. HTML written in the text is shown as text, and block syntax
(`# `, `- `, `> `) as the text it holds, so a caption stays one run of text inside its `<figcaption>`.
"""

from __future__ import annotations

from typing import Any

import pyromark

from publisher.markdown.commonmark import escape, escape_href

_OPTIONS = pyromark.Options.ENABLE_STRIKETHROUGH
_TAGS = {"Emphasis": "em", "Strong": "strong", "Strikethrough": "del"}


def inline_html(text: str) -> str:
    """`text`, read as CommonMark, as inline HTML (see the module's docstring): `*Fig. 1* by [Ana](/ana/)` ->
    `<em>Fig. 1</em> by <a href="/ana/">Ana</a>`."""
    parts: list[str] = []
    image_depth = 0  # inside an image, only its alt text is kept, as text
    for event in pyromark.events(text, options=_OPTIONS):
        kind, value = _kind_and_value(event)
        if kind in ("Start", "End"):
            name, data = _kind_and_value(value)
            image_depth += (name == "Image") * (1 if kind == "Start" else -1)
            if not image_depth and name != "Image":
                parts.append(_tag(kind == "End", name, data))
        else:
            parts.append(_inline(kind, value, in_image=bool(image_depth)))
    return "".join(parts).strip()


def _kind_and_value(event: Any) -> tuple[str, Any]:
    """An event (or a tag) as pyromark gives it, `"SoftBreak"` or `{"Text": "…"}`, as its kind and value."""
    return (event, None) if isinstance(event, str) else next(iter(event.items()))


def _tag(closing: bool, name: str, data: dict[str, Any] | None) -> str:
    """The HTML of an inline element's start or end; "" for a block's (its text is kept)."""
    if name == "Link":
        if closing:
            return "</a>"
        assert data is not None
        url = ("mailto:" if data["link_type"] == "Email" else "") + data["dest_url"]
        title = f' title="{escape(data["title"])}"' if data["title"] else ""
        return f'<a href="{escape_href(url)}"{title}>'
    tag = _TAGS.get(name)
    if tag is None:
        return "" if closing else " "  # a block's text runs on from the last one's, a space between
    return f"</{tag}>" if closing else f"<{tag}>"


def _inline(kind: str, value: Any, *, in_image: bool) -> str:
    """The HTML of a leaf event: text, code, HTML as text, a break."""
    if kind == "Code" and not in_image:
        return f"<code>{escape(value)}</code>"
    if kind in ("Text", "Code", "Html", "InlineHtml", "InlineMath", "DisplayMath"):
        return escape(value)
    if kind == "HardBreak" and not in_image:
        return "<br>"
    return " " if kind in ("SoftBreak", "HardBreak", "Rule") else ""
