"""What the audit reads in a rendered body: its paragraphs, subheadings, image alt texts and link targets.

Bodies reach the audit as the HTML publisher's own Markdown writers made, so a
few regular expressions read them (read only, never rewritten). They are
several times faster than an HTML parser here, which keeps the audit of a
thousand posts within seconds.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from publisher.core.text import plain_text
from publisher.markdown.finishing import HEADING_ANCHOR

# A paragraph or a subheading, whole (neither nests in itself, nor in the other: the text of one ends where another
# starts); `<p\b` does not match `<pre>`. Its start tag holds no `<` (publisher's writers escape it), so neither
# scans on past one never closed: `<p>x ` 16,000 times with no `</p>` took 24 s, each tried to the end.
_BLOCK = re.compile(r"<(p|h[2-6])\b[^<>]*>([^<]*+(?:<(?!(?:p|h[2-6])\b|/\1\s*>)[^<]*+)*+)</\1\s*>",
                    re.IGNORECASE)
_TAG = re.compile(r"<(img|a)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\s(alt|href)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class BodyText:
    """The parts of a body the audit's rules read, as plain text, in the order they appear."""

    paragraphs: tuple[str, ...]  # each `<p>` with words in it (an image alone is no paragraph)
    subheadings: tuple[str, ...]  # h2 to h6
    image_alts: tuple[str, ...]  # the alt text of every image, empty ones included
    links: tuple[str, ...]  # every link's href, as written in the HTML (entities decoded)

    @property
    def first_paragraph(self) -> str:
        return self.paragraphs[0] if self.paragraphs else ""


def read_body(fragment: str) -> BodyText:
    """The paragraphs, subheadings, image alt texts and link targets of a rendered body."""
    paragraphs, subheadings = [], []
    for match in _BLOCK.finditer(fragment):
        if match[1].lower() == "p":
            text = plain_text(match[2])
            if text:
                paragraphs.append(text)
        else:
            subheadings.append(plain_text(HEADING_ANCHOR.sub("", match[2])))
    alts, links = [], []
    for match in _TAG.finditer(fragment, 0, fragment.rfind(">") + 1):  # `<a ` never ended tried each to the end
        attributes = {name.lower(): html.unescape(double or single)
                      for name, double, single in _ATTRIBUTE.findall(match[2])}
        if match[1].lower() == "img":
            alts.append(" ".join(attributes.get("alt", "").split()))
        elif "href" in attributes:
            links.append(attributes["href"])
    return BodyText(tuple(paragraphs), tuple(subheadings), tuple(alts), tuple(links))
