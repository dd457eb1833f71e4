"""What the body rewriters share: code left alone, arguments parsed, line numbers, the names publisher knows.

A body is split into code (fenced, indented, spans: never evaluated by publisher,
so only the source's escapes are removed there) and text, which the Liquid or
Hugo rewriter turns into publisher's Jinja2 shortcode syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from publisher.content.shortcodes import BUILT_IN_NAMES, LIQUID_FILTERS
from publisher.markdown.code import code_ranges
from publisher.templates.bodies import jinja_filter_names


@dataclass(frozen=True, slots=True)
class Place:
    """Where a body is: its file (relative to the source site) and the line its first character is on."""

    path: str
    first_line: int
    fields: frozenset[str] = frozenset()  # front-matter keys, which Eleventy bodies name bare (`{{ title }}`)
    written: frozenset[str] | None = None  # every key of the imported file's front matter (None: not known)

    def line(self, text: str, offset: int) -> int:
        return self.first_line + text.count("\n", 0, offset)


def rewrite_outside_code(body: str, text: Callable[[str, int], str], code: Callable[[str, int], str]) -> str:
    """`body` with each text part passed through `text(part, offset)` and each code range through `code`."""
    parts: list[str] = []
    done = 0
    for start, end in code_ranges(body):
        parts += [text(body[done:start], done), code(body[start:end], start)]
        done = end
    parts.append(text(body[done:], done))
    return "".join(parts)


def protect(text: str) -> str:
    """Literal text in which `{{` and `{%` must stay text (publisher would evaluate them)."""
    return re.sub(r"\{([{%#])", lambda m: '{{ "{' + m.group(1) + '" }}', text)


def known_filters() -> frozenset[str]:
    return frozenset(jinja_filter_names()) | BUILT_IN_NAMES | frozenset(LIQUID_FILTERS) | {
        "url", "relative_url", "absolute_url", "markdown", "markdownify"}


def identifier(name: str) -> str:
    """A shortcode's name as Jinja2 can call it: `image-caption.html` -> `image_caption`."""
    stem = re.sub(r"\.(html|liquid|njk|md)$", "", name.strip("'\""))
    ident = re.sub(r"\W", "_", stem.rsplit("/", 1)[-1])
    return ident if ident and not ident[0].isdigit() else f"sc_{ident}"


_ARGUMENT = re.compile(r"""\s*,?\s*(?:(?P<key>[A-Za-z_][\w-]*)\s*(?:=|:(?!//))\s*)?"""
                       r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,"']+)""")


def parse_arguments(text: str, variables: Callable[[str], str | None]) -> tuple[list[str], list[tuple[str, str]]]:
    """Tag or shortcode arguments (`"a" "b"`, `"a", "b"`, `k=v k2="x"`, `k: v`) as Jinja2 expressions.

    A bare word is a variable when `variables(word)` names it (its Jinja2 form), else a string: Jekyll
    plugins and Hugo shortcodes take bare words (`{% youtube dQw4w9WgXcQ %}`)."""
    positional: list[str] = []
    named: list[tuple[str, str]] = []
    for found in _ARGUMENT.finditer(text):
        value = found.group("value")
        if value[0] not in "\"'":
            value = variables(value) or _literal(value)
        elif value[0] == "'":
            value = '"' + value[1:-1].replace('"', '\\"') + '"'
        if found.group("key"):
            named.append((found.group("key").replace("-", "_"), value))
        else:
            positional.append(value)
    return positional, named


def call(name: str, positional: list[str], named: list[tuple[str, str]]) -> str:
    return f"{name}({', '.join([*positional, *(f'{k}={v}' for k, v in named)])})"


def _literal(word: str) -> str:
    if re.fullmatch(r"-?\d+(\.\d+)?|true|false", word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
