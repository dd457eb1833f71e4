"""Blocks a template fills that the template it extends never shows.

Jinja2 renders a child template's blocks only where a template it extends has a block of that name, and drops
the others without a word: `{% block footr %}` in a theme's `post.html`, or `{% block footer %}` over a
`base.html` that has none, and the footer the designer wrote vanishes from every page. This finds such a block
in the template a page is made with and each template it extends, so the build names it at its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from publisher.core.errors import Problem
from publisher.templates.theme import shown_path


@dataclass(frozen=True, slots=True)
class UnshownBlock:
    """A block of `template` (at `filename`, `line`) that none of the templates it extends shows."""

    template: str
    filename: str
    line: int
    name: str
    parent: str
    parent_filename: str
    shown: tuple[str, ...]  # the blocks the templates it extends have

    def problem(self, root: Path) -> Problem:
        """The one-line problem at the block's line, its file named from the site's folder (`root`)."""
        shown = ", ".join(self.shown) or "none"
        parent = shown_path(self.parent_filename, root)
        whose = parent if not Path(parent).is_absolute() else "the default theme's"
        return Problem(shown_path(self.filename, root), self.line, "template",
                       f"block {self.name!r} is never shown: {self.parent!r} ({whose}), which this template "
                       f"extends, has no block of that name (its blocks: {shown})")


class BlockCheck:
    """Finds unshown blocks in page templates, each template parsed once."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._parsed: dict[str, tuple[nodes.Template, str] | None] = {}
        self._found: dict[str, UnshownBlock | None] = {}

    def first_unshown(self, template: str) -> UnshownBlock | None:
        """The first block of `template`, or of a template it extends, that is never shown; None when every block
        is, or when the chain cannot be followed (a parent named by a variable, a template that does not load:
        rendering says what is wrong with those)."""
        if template not in self._found:
            self._found[template] = self._first_unshown(template, set())
        return self._found[template]

    def _first_unshown(self, template: str, seen: set[str]) -> UnshownBlock | None:
        parsed = self._parse(template)
        parent = _parent_of(parsed[0]) if parsed is not None else None
        if parsed is None or parent is None or template in seen:
            return None
        seen.add(template)
        shown, parent_parsed = self._blocks_of_chain(parent, set()), self._parse(parent)
        if shown is None or parent_parsed is None:
            return None
        ast, filename = parsed
        called, parent_filename = _called_by_self(ast), parent_parsed[1]
        for block in _outer_blocks(ast):
            if block.name not in shown and block.name not in called:
                return UnshownBlock(template, filename, block.lineno, block.name, parent, parent_filename,
                                    tuple(sorted(shown)))
        return self._first_unshown(parent, seen)

    def _blocks_of_chain(self, template: str, seen: set[str]) -> set[str] | None:
        """Every block `template` and the templates it extends have; None when one cannot be followed."""
        parsed = self._parse(template)
        if parsed is None or template in seen:
            return None
        seen.add(template)
        names = {block.name for block in parsed[0].find_all(nodes.Block)}
        parent = _parent_of(parsed[0])
        if parent is None:
            return names if not _extends_by_variable(parsed[0]) else None
        above = self._blocks_of_chain(parent, seen)
        return None if above is None else names | above

    def _parse(self, template: str) -> tuple[nodes.Template, str] | None:
        if template not in self._parsed:
            try:
                if self.env.loader is None:
                    raise jinja2.TemplateNotFound(template)
                source, filename, _ = self.env.loader.get_source(self.env, template)
                self._parsed[template] = (self.env.parse(source, template, filename), filename or template)
            except (jinja2.TemplateError, OSError, UnicodeError):
                self._parsed[template] = None
        return self._parsed[template]


def _parent_of(ast: nodes.Template) -> str | None:
    """The template this one extends, when named as a constant."""
    for extends in ast.find_all(nodes.Extends):
        if isinstance(extends.template, nodes.Const) and isinstance(extends.template.value, str):
            return extends.template.value
        return None
    return None


def _extends_by_variable(ast: nodes.Template) -> bool:
    return any(True for _ in ast.find_all(nodes.Extends))


def _called_by_self(ast: nodes.Template) -> set[str]:
    """The blocks the template shows itself, as `{{ self.name() }}`."""
    return {node.attr for node in ast.find_all(nodes.Getattr)
            if isinstance(node.node, nodes.Name) and node.node.name == "self"}


def _outer_blocks(ast: nodes.Template) -> list[nodes.Block]:
    """The blocks not inside another block of the same template: a child's blocks that its parent must show (one
    nested in them is shown with them)."""
    blocks = list(ast.find_all(nodes.Block))
    nested = {id(inner) for block in blocks for inner in block.find_all(nodes.Block)}
    return sorted((block for block in blocks if id(block) not in nested), key=lambda block: block.lineno)


__all__ = ["BlockCheck", "UnshownBlock"]
