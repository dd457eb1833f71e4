"""Where a Markdown body holds code (fenced and indented blocks, code spans), by CommonMark's rules.

The shortcode pass leaves these ranges alone, so a post about templates can
show `{{ … }}` in its code.
"""

from __future__ import annotations

import pyromark

from publisher.markdown.commonmark import OPTIONS


def code_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) string offsets of every code block's text and every code span, in order, not overlapping."""
    spans: list[tuple[int, int]] = []
    in_block = False
    for event, where in pyromark.events_with_range(text, options=OPTIONS):
        if not isinstance(event, dict):
            continue
        if "Code" in event or (in_block and "Text" in event):
            spans.append((where["start"], where["end"]))
        elif "Start" in event and isinstance(event["Start"], dict) and "CodeBlock" in event["Start"]:
            in_block = True
        elif "End" in event and event["End"] == "CodeBlock":
            in_block = False
    return _as_characters(text, _merged(spans))


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _as_characters(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parser counts UTF-8 bytes; Python strings count characters."""
    if text.isascii():
        return spans
    wanted = sorted({offset for span in spans for offset in span})
    chars: dict[int, int] = {}
    position = 0
    index = 0
    for char_index, char in enumerate(text):
        while index < len(wanted) and wanted[index] <= position:
            chars[wanted[index]] = char_index
            index += 1
        position += len(char.encode("utf-8"))
    for offset in wanted[index:]:
        chars[offset] = len(text)
    return [(chars[start], chars[end]) for start, end in spans]
