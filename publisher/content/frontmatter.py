"""Split a source file into front matter and body, and decode the front matter.

python-frontmatter finds the block (YAML between `---`, TOML between `+++` as
Hugo writes it); we decode it ourselves so that errors keep their line numbers
and dates stay strings for `dates.parse_date` to read with a clear message.
The line of every key is kept, nested ones under dotted names (`share.networks`),
so a problem with a setting can point at the line it is written on.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler

from publisher.core.text import FORBIDDEN

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


# Values that YAML aliases may repeat in one document: a few lines of anchors (`&a`) and aliases (`*a`), each
# repeating the one before nine times, make billions (nine levels took a build 74 s and 6 GB), where real front
# matter repeats a handful.
REPEATED_VALUES = 100_000


class TooManyRepeats(ValueError):
    """A YAML document whose aliases repeat more than `REPEATED_VALUES` values, or a value inside itself (`None`
    repeated: endless); `key` and `line` (0-based in the document) name the top-level field where it is."""

    def __init__(self, key: str, line: int, repeated: int | None) -> None:
        self.key, self.line = key, line
        where = f"under `{key}` " if key else ""
        super().__init__(f"a YAML alias repeats a value inside itself {where}(an endless value)" if repeated is None
                         else f"YAML aliases repeat {repeated:,} values {where}(at most {REPEATED_VALUES:,} a file)")


def check_repeats(root: yaml.Node) -> None:
    """Raise TooManyRepeats when the aliases in the document whose node is `root` repeat more values than
    `REPEATED_VALUES`, or a value inside itself: counted on the parsed nodes, where an alias is the node it names
    again, before anything is built of them."""
    sizes, endless = _expanded_sizes(root)
    repeated = sizes[id(root)] - len(sizes)
    if endless is None and repeated <= REPEATED_VALUES:
        return
    key, line = "", endless.start_mark.line if endless is not None else 0
    if isinstance(root, yaml.MappingNode) and root.value:
        if endless is None:  # the field that repeats the most
            name = max(root.value, key=lambda pair: sizes.get(id(pair[1]), 1))[0]
        else:  # the field written where the endless value is
            written = [name for name, _ in root.value if name.start_mark.line <= line]
            name = written[-1] if written else root.value[0][0]
        key, line = str(name.value) if isinstance(name, yaml.ScalarNode) else "", name.start_mark.line
    raise TooManyRepeats(key, line, None if endless is not None else repeated)


def _expanded_sizes(root: yaml.Node) -> tuple[dict[int, int], yaml.Node | None]:
    """The values of each node (by `id`) with every alias in it spelled out, itself included; and a node found
    inside itself, if any (which PyYAML builds as a value that refers to itself, endless when spelled out)."""
    sizes: dict[int, int] = {}
    started: set[int] = set()
    endless = None
    pending: list[tuple[yaml.Node, bool]] = [(root, False)]
    while pending:
        node, done = pending.pop()
        children = _children(node)
        if done:
            sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
        elif id(node) not in started:
            started.add(id(node))
            pending.append((node, True))
            pending.extend((child, False) for child in children)
        elif id(node) not in sizes:  # met again before its own values were counted: inside itself
            endless = endless or node
    return sizes, endless


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


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
    field_lines: dict[str, int]  # key ("title", or "share.networks" inside a mapping) -> 1-based line in the file
    body_line: int
    # A key written twice in one mapping -> the line of its first value, which YAML drops for the last
    # (`field_lines` has the last's line, where the value read is written).
    repeated: dict[str, int] = field(default_factory=dict)


def split_source(text: str) -> Split:
    """Decode the front matter of `text`; a file without front matter has empty metadata.

    Blank lines before the opening `---` are allowed (Hugo reads such files; so do line numbers here)."""
    blank = _BLANK_LINES_FIRST.match(text)
    skipped = blank.group(0).count("\n") if blank else 0
    text = text[blank.end():] if blank else text
    handler = frontmatter.detect_format(text, _HANDLERS)
    if handler is None:
        return Split({}, text, {}, 1 + skipped)
    try:
        fm_text, body = handler.split(text)
    except ValueError:
        raise FrontMatterError(1 + skipped, "front matter is not closed (expected a second '---' line)") from None
    # Line i (0-based) of the block is line first_line + i of the file.
    first_line = text[: text.find(fm_text)].count("\n") + 1 + skipped
    repeated: dict[str, int] = {}  # TOML refuses a key written twice
    if isinstance(handler, _TOMLHandler):
        metadata = _load_toml(fm_text, first_line)
        lines = _toml_field_lines(fm_text, first_line, metadata)
    else:
        metadata, lines, repeated = _load_yaml(fm_text, first_line)
    if metadata is None:
        metadata = {}
    if "\\" in fm_text:  # only an escape ("\\f", "\\v", "\\x0c") can make them in YAML or TOML
        metadata = _without_forbidden(metadata)
    if not isinstance(metadata, dict):
        kind = "a list" if isinstance(metadata, list) else f"a single {type(metadata).__name__} value"
        raise FrontMatterError(2, f"front matter is {kind}, expected fields as 'key: value' lines")
    body_line = text[: len(text) - len(body)].count("\n") + 1 + skipped
    return Split(metadata, body, lines, body_line, repeated)


_BLANK_LINES_FIRST = re.compile(r"(?:[ \t]*\n)+(?=(?:---|\+\+\+)[ \t]*\n)")


def _without_forbidden(value: Any, depth: int = 0) -> Any:
    """Decoded front matter with the characters XML forbids dropped (YAML's "\\f" escapes make them);
    past 50 levels of nesting (nothing publisher reads), values are left as they are."""
    if isinstance(value, str):
        return FORBIDDEN.sub("", value)
    if depth > 50:
        return value
    if isinstance(value, dict):
        return {key: _without_forbidden(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_forbidden(item, depth + 1) for item in value]
    return value


def _load_yaml(fm_text: str, first_line: int) -> tuple[Any, dict[str, int], dict[str, int]]:
    """The decoded block, the line of each key and the first line of each key written twice, read off the one
    parse (yaml.load's own two steps)."""
    loader = _Loader(fm_text)  # safe: _Loader is a SafeLoader
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, {}
        if "&" in fm_text and "*" in fm_text:  # no anchor and alias, nothing repeated
            check_repeats(node)
        lines, repeated = _yaml_field_lines(node, first_line)
        return loader.construct_document(node), lines, repeated
    except TooManyRepeats as exc:
        raise FrontMatterError(first_line + exc.line, str(exc)) from None
    except yaml.MarkedYAMLError as exc:
        mark = mark_to_fix(exc)
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or "cannot be read"
        context = f" ({exc.context})" if exc.context else ""
        written = fm_text.split("\n")
        fixed = _requoted(written[mark.line]) if mark and mark.line < len(written) else ""
        hint = f"; write the value in quotes: {fixed.strip()}" if fixed else ""
        raise FrontMatterError(line, f"invalid YAML: {problem}{context}{hint}") from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(first_line, f"invalid YAML: {exc}") from None
    finally:
        loader.dispose()


# Contexts whose mark is where the block around the mistake starts (the first key of the front matter, the first
# item of a list), not where the mistake is: `summary: 'It's fine'` on line 8 was reported at the title's line.
_BLOCK_CONTEXTS = ("while parsing a block", "while scanning a plain scalar")


def mark_to_fix(error: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """The place in the YAML to fix for `error`: where a bracket, a quote or a key missing its `:` was opened
    (noticed only lines later, at the end of the block), else where the reader stopped, as go-yaml (Hugo)
    reports it: the line of a stray quote, of a list item indented one space less, of a tab."""
    context = error.context or ""
    if error.problem_mark is not None and (error.context_mark is None or context.startswith(_BLOCK_CONTEXTS)):
        return error.problem_mark
    return error.context_mark or error.problem_mark


_KEY_AND_VALUE = re.compile(r"(\s*[\w.-]+:[ \t]+)(\S.*?)\s*")


def _requoted(line: str) -> str:
    """`key: value` with the value in quotes, when that is what the line lacks to read as YAML: a colon and space
    inside it (`title: Launch: the plan`), a start YAML reads as its own (`@`, a backtick, `%`, `[Update] new`), or
    quotes of the kind around it inside it (`summary: 'It's here'`). "" when the line is no such `key: value` or
    quoting would not make it read as the text written (an unclosed list or quote: the fix is to close it)."""
    found = _KEY_AND_VALUE.fullmatch(line)
    if found is None:
        return ""
    key, value = found.groups()
    if value[0] in "'\"":
        if len(value) < 2 or value[-1] != value[0]:  # a quote left open
            return ""
        value = value[1:-1]
    elif value[0] in "[{" and (value[-1] in "]}" or not {"]", "}"} & set(value)):  # a list or mapping, maybe open
        return ""
    fixed = key + _in_quotes(value)
    try:
        read = yaml.load(fixed, Loader=_Loader)  # safe: _Loader is a SafeLoader
    except yaml.YAMLError:
        return ""
    return fixed if isinstance(read, dict) and list(read.values()) == [value] else ""


def _in_quotes(text: str) -> str:
    """`text` as a quoted YAML value: in single quotes when it holds double ones only (`'He said "hi"'`, easier to
    read), else in double quotes, a `\\` and `"` in it escaped."""
    if '"' in text and "'" not in text:
        return f"'{text}'"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _load_toml(fm_text: str, first_line: int) -> Any:
    try:
        return tomllib.loads(fm_text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = first_line + int(match.group(1)) - 1 if match else first_line
        raise FrontMatterError(line, f"invalid TOML: {exc}") from None
    except RecursionError:  # tomllib reads arrays and tables within each other by recursion
        raise FrontMatterError(first_line, "is nested too deeply to read") from None


def _yaml_field_lines(root: yaml.Node, first_line: int) -> tuple[dict[str, int], dict[str, int]]:
    """Where each key of the block's mappings is written: `share` at the top, `share.networks` inside it; and,
    for a key written twice in one mapping, its first line (YAML keeps the last value; the key's line is the
    last's)."""
    lines: dict[str, int] = {}
    repeated: dict[str, int] = {}
    seen: set[int] = set()  # an alias repeats a node: each mapping is read once, under the key it is written at
    pending: list[tuple[str, yaml.Node]] = [("", root)]
    while pending:
        prefix, node = pending.pop()
        if not isinstance(node, yaml.MappingNode) or id(node) in seen:
            continue
        seen.add(id(node))
        inside: dict[str, yaml.Node] = {}  # each key's last value, the one YAML keeps
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                name = prefix + str(key.value)
                if name in inside:
                    repeated.setdefault(name, lines[name])
                    lines[name] = first_line + key.start_mark.line
                else:
                    lines.setdefault(name, first_line + key.start_mark.line)  # the first, as for a top-level key
                inside[name] = value
        pending.extend((name + ".", value) for name, value in reversed(inside.items()))  # read in the order written
    return lines, repeated


# A `key =` line (bare, quoted or dotted keys) and a `[table]` header; `[[array of tables]]` is not a mapping.
_TOML_KEY = re.compile(r"""\s*((?:[\w-]+|"[^"\n]*"|'[^'\n]*')(?:\s*\.\s*(?:[\w-]+|"[^"\n]*"|'[^'\n]*'))*)\s*=""")
_TOML_TABLE = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_TOML_PART = re.compile(r"""[\w-]+|"([^"\n]*)"|'([^'\n]*)'""")


def _toml_field_lines(fm_text: str, first_line: int, metadata: Any) -> dict[str, int]:
    """Where each key is written in TOML front matter: keys of a `[share]` table are `share.<key>`.

    Read line by line, so a line inside a multi-line string or array may look like a key:
    only names the decoded data has are kept.
    """
    lines: dict[str, int] = {}
    table: list[str] | None = []  # the current table's key path; None in an array of tables
    for offset, line in enumerate(fm_text.split("\n")):
        if line.lstrip().startswith("[["):
            table = None
            continue
        header = _TOML_TABLE.match(line)
        # A header must name a table the data has (`["a"]` on a line of a multi-line array does not).
        is_table = header is not None and isinstance(_value_at(metadata, _toml_path(header.group(1))), dict)
        if header is not None and is_table:
            path = _toml_path(header.group(1))
        elif table is not None and (match := _TOML_KEY.match(line)):
            path = table + _toml_path(match.group(1))
        else:
            continue
        for depth in range(1, len(path) + 1):
            if _value_at(metadata, path[:depth]) is not _ABSENT:
                lines.setdefault(".".join(path[:depth]), first_line + offset)
        if is_table:
            table = path
    return lines


def _toml_path(dotted: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group(2) if m.group(2) is not None else m.group(0)
            for m in _TOML_PART.finditer(dotted)]


_ABSENT = object()


def _value_at(data: Any, path: list[str]) -> Any:
    """`data["share"]["networks"]` for ["share", "networks"]; _ABSENT when there is no such key."""
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return _ABSENT
        data = data[part]
    return data
