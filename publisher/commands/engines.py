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
from publisher.core.errors import BuildFailed, Problem
from publisher.core.text import plain_text
from publisher.markdown.engines import convert_safely, make_converter
from publisher.markdown.result import ConversionFailed

OTHER_ENGINE = {"commonmark": "python-markdown", "python-markdown": "commonmark"}
_TYPOGRAPHY = str.maketrans({**dict.fromkeys("“”„«»「」『』", '"'), **dict.fromkeys("‘’‚‹›", "'"), "–": "--",
                             "—": "---", "…": "...", "\u00a0": " "})  # any language's quotation marks
CONTEXT = 40  # characters shown either side of a change


@dataclass(frozen=True, slots=True)
class Difference:
    source: str
    ours: str  # the text around the first change, with the site's engine
    theirs: str  # the same place with the other engine


@dataclass(frozen=True, slots=True)
class Comparison:
    """What `publisher engines` found: the engines, the sources that read differently, and those it could not
    compare (unreadable, or that the site's own engine cannot convert: `publisher build` stops on them too)."""

    ours: str
    theirs: str
    differences: list[Difference]
    problems: list[Problem]


def engine_differences(config: Path) -> Comparison:
    """The sources that read differently with the other engine, in source order (one that only the other engine
    cannot convert is such a source, its reason in place of its text)."""
    cfg, _ = load_config(config)
    ours = cfg.markdown.engine
    theirs = OTHER_ENGINE[ours]
    mine, other = make_converter(cfg.markdown), make_converter(replace(cfg.markdown, engine=theirs))
    found, problems = [], []
    for source in discover(cfg, ("post", "page", "offer")):
        try:
            post, _ = parse_source(source, cfg)
        except BuildFailed as failed:
            problems += failed.problems
            continue
        a, b = convert_safely(mine, post.body), convert_safely(other, post.body)
        if isinstance(a, ConversionFailed):
            problems.append(Problem(source.path, post.body_line, "body", a.reason))
        elif isinstance(b, ConversionFailed):
            found.append(Difference(source.path, _around(reading(a.html), 0, 0), f"[cannot convert: {b.reason}]"))
        elif (text_a := reading(a.html)) != (text_b := reading(b.html)):
            found.append(_first_change(source.path, text_a, text_b))
    return Comparison(ours, theirs, found, problems)


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
