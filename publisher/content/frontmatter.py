"""Split a source file into front matter and body, and decode the front matter.

python-frontmatter finds the block (YAML between `---`, TOML between `+++` as
Hugo writes it); we decode it ourselves so that errors keep their line numbers
and dates stay strings for `dates.parse_date` to read with a clear message.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

try:  # the C loader is several times faster on large sites
    _BaseLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[misc]  # a base chosen at run time (C or Python loader)
    """Safe YAML that leaves timestamps as text, so every date form is read by one function."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class _TOMLHandler(BaseHandler):
    """Hugo-style `+++` TOML front matter, read with the standard library."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


_HANDLERS = (YAMLHandler(), _TOMLHandler())


class FrontMatterError(ValueError):
    """The front matter block cannot be decoded; `line` is 1-based in the file."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Split:
    """A source file cut into its decoded front matter and Markdown body."""

    metadata: dict[str, Any]
    body: str
    field_lines: dict[str, int]  # top-level key -> 1-based line in the file
    body_line: int


def split_source(text: str) -> Split:
    """Decode the front matter of `text`; a file without front matter has empty metadata."""
    handler = frontmatter.detect_format(text, _HANDLERS)
    if handler is None:
        return Split({}, text, {}, 1)
    try:
        fm_text, body = handler.split(text)
    except ValueError:
        raise FrontMatterError(1, "front matter is not closed (expected a second '---' line)") from None
    # Line i (0-based) of the block is line first_line + i of the file.
    first_line = text[: text.find(fm_text)].count("\n") + 1
    metadata = _load_toml(fm_text, first_line) if isinstance(handler, _TOMLHandler) else _load_yaml(fm_text, first_line)
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        kind = "a list" if isinstance(metadata, list) else f"a single {type(metadata).__name__} value"
        raise FrontMatterError(2, f"front matter is {kind}, expected fields as 'key: value' lines")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    return Split(metadata, body, _field_lines(fm_text, first_line), body_line)


def _load_yaml(fm_text: str, first_line: int) -> Any:
    try:
        return yaml.load(fm_text, Loader=_Loader)  # safe: _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket or quote is noticed at the end of the block; the
        # context mark points at where it was opened, which is what to fix.
        mark = exc.context_mark or exc.problem_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or "cannot be read"
        context = f" ({exc.context})" if exc.context else ""
        raise FrontMatterError(line, f"invalid YAML: {problem}{context}") from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(first_line, f"invalid YAML: {exc}") from None


def _load_toml(fm_text: str, first_line: int) -> Any:
    try:
        return tomllib.loads(fm_text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = first_line + int(match.group(1)) - 1 if match else first_line
        raise FrontMatterError(line, f"invalid TOML: {exc}") from None


_KEY = re.compile(r"""^["']?([^\s:="'#][^:="']*?)["']?\s*[:=]""")


def _field_lines(fm_text: str, first_line: int) -> dict[str, int]:
    """Where each top-level key is written, so errors can point at its line."""
    lines: dict[str, int] = {}
    for offset, line in enumerate(fm_text.split("\n")):
        if line[:1] in (" ", "\t", "-", "#", ""):
            continue
        match = _KEY.match(line)
        if match:
            lines.setdefault(match.group(1).strip(), first_line + offset)
    return lines
