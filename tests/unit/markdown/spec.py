"""The CommonMark and GFM spec examples from ../shared/testdata, and HTML compared as the spec's own tests do.

Publisher's decorations are set aside before comparing: heading ids and
anchors, highlighted-code wrappers, typographic punctuation, the task list's
label and table alignment written as style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

TESTDATA = Path(__file__).resolve().parents[3].parent / "shared" / "testdata" / "commonmark"
COMMONMARK = TESTDATA / "commonmark-0.31.2-spec.txt"
GFM = TESTDATA / "gfm-0.29-spec.txt"
FENCE = "`" * 32 + " example"
GFM_KINDS = ("table", "strikethrough", "autolink", "tagfilter")  # the GFM extensions' own examples


@dataclass(frozen=True, slots=True)
class Example:
    number: int
    kind: str
    markdown: str
    html: str


def examples(path: Path, kinds: tuple[str, ...] = ("",)) -> Iterator[Example]:
    """The spec's examples of the given kinds ("" for the plain ones), tabs restored."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number, at = 0, 0
    while at < len(lines):
        if not lines[at].startswith(FENCE):
            at += 1
            continue
        kind = lines[at][len(FENCE):].strip()
        end = lines.index("`" * 32, at + 1)
        dot = lines.index(".", at + 1)
        number += 1
        if kind in kinds:
            markdown = "\n".join(lines[at + 1:dot]) + "\n"
            html = "\n".join(lines[dot + 1:end]) + ("\n" if end > dot + 1 else "")
            yield Example(number, kind, markdown.replace("→", "\t"), html.replace("→", "\t"))
        at = end + 1


_BLOCK = {"address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div", "dl", "dt",
          "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head",
          "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu", "nav", "ol", "p", "pre",
          "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"}
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "--", "—": "---", "…": "..."})


class _Normalizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0  # inside a heading anchor
        self.pre = 0
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if self.skip or (tag == "a" and values.get("class") == "heading-anchor"):
            self.skip += tag == "a"
            return
        if tag == "div" and values.get("class") == "highlight":
            self.stack.append("")
            return
        if tag == "span" and self.pre:
            self.stack.append("")
            return
        self.stack.append(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            values.pop("id", None)
            values.pop("class", None)
        if tag == "code" and self.pre:
            values.pop("class", None)
        if tag == "input":
            values.pop("aria-label", None)
        if tag in ("pre", "table") and values.get("tabindex") == "0":  # to scroll it with the keyboard
            del values["tabindex"]
        style = values.pop("style", "")
        if style.startswith("text-align: "):
            values["align"] = style[len("text-align: "):].rstrip(";")
        self.pre += tag == "pre"
        self.out.append(f"<{tag}" + "".join(f' {k}="{values[k]}"' for k in sorted(values)) + ">")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img", "input") and self.stack:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= tag == "a"
            return
        if tag in ("br", "hr", "img", "input"):
            return
        opened = self.stack.pop() if self.stack else tag
        if not opened:
            return
        self.pre -= tag == "pre"
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = data.translate(_TYPOGRAPHY)
        self.out.append(data if self.pre else re.sub(r"\s+", " ", data))

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


def normalize(html: str) -> str:
    """HTML in a canonical form: sorted attributes, collapsed whitespace outside <pre>, decorations gone."""
    parser = _Normalizer()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out)
    block = "|".join(sorted(_BLOCK))
    text = re.sub(rf"\s*(</?(?:{block})\b[^>]*>)\s*", r"\1", text)
    return text.strip()
