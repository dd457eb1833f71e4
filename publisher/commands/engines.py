"""`publisher engines`: the pages whose text reads differently with the other Markdown engine.

For a site moving between Python-Markdown and CommonMark: each post, page and
offer body is converted with both engines and their text compared, typography
and whitespace aside, so what is left is what a reader would see change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from publisher.config.reader import load_config
from publisher.content.discovery import discover
from publisher.content.parse import parse_source
from publisher.core.errors import BuildFailed
from publisher.core.text import plain_text
from publisher.markdown.engines import make_converter

OTHER_ENGINE = {"commonmark": "python-markdown", "python-markdown": "commonmark"}
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "--", "—": "---", "…": "...",
                             "\u00a0": " "})
CONTEXT = 40  # characters shown either side of a change


@dataclass(frozen=True, slots=True)
class Difference:
    source: str
    ours: str  # the text around the first change, with the site's engine
    theirs: str  # the same place with the other engine


def engine_differences(config: Path) -> tuple[str, str, list[Difference]]:
    """(the site's engine, the other engine, the sources that read differently), in source order."""
    cfg, _ = load_config(config)
    ours = cfg.markdown.engine
    theirs = OTHER_ENGINE[ours]
    mine, other = make_converter(cfg.markdown), make_converter(replace(cfg.markdown, engine=theirs))
    found = []
    for source in discover(cfg, ("post", "page", "offer")):
        try:
            post, _ = parse_source(source, cfg)
        except BuildFailed:
            continue  # `publisher build` reports it
        a, b = reading(mine.convert(post.body).html), reading(other.convert(post.body).html)
        if a != b:
            found.append(_first_change(source.path, a, b))
    return ours, theirs, found


def reading(html: str) -> str:
    """What a reader reads of a body: its text, typography and spacing aside."""
    return re.sub(r"\s+", " ", plain_text(html).translate(_TYPOGRAPHY)).strip()


def _first_change(source: str, a: str, b: str) -> Difference:
    block = next(op for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal")
    _, a_start, a_end, b_start, b_end = block
    return Difference(source, _around(a, a_start, a_end), _around(b, b_start, b_end))


def _around(text: str, start: int, end: int) -> str:
    """The change, widened to whole words, with some text either side."""
    start = text.rfind(" ", 0, start) + 1
    space = text.find(" ", end)
    end = len(text) if space == -1 else space
    before = ("…" if start > CONTEXT else "") + text[max(0, start - CONTEXT):start]
    after = text[end:end + CONTEXT] + ("…" if end + CONTEXT < len(text) else "")
    return f"{before}[{text[start:end]}]{after}"
