"""What a page's templates can read of the site's view (`site` in every page template), found in their source.

A page is made again when anything it is made from changes (`pages.recipes`); the site's view is in every page's
recipe, and some of it changes with a post added or removed (the number of posts). Counting only the keys of
`site` that the page's template, and each template it extends, includes or imports, name (`site.post_count`,
`site["title"]`), a post added makes again the pages that show that number, not every page of the site.

Any other use of `site` (the whole of it given to a filter, a macro or `tojson`, a key in a variable, a method
called, the name given another value) or a template named by a variable leaves the answer unknown: then the
page counts all of the view, as every page did before.
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import chain

import jinja2
from jinja2 import meta, nodes

SITE = "site"  # the name of the site's view in every page template


class SiteReads:
    """What each page template can read of `site` (`keys`: the site view's), each template parsed once."""

    def __init__(self, env: jinja2.Environment, keys: Collection[str]) -> None:
        self.env, self.keys = env, keys
        self._named: dict[str, tuple[set[str] | None, list[str | None]]] = {}  # template -> its keys, its templates

    def of(self, template: str) -> frozenset[str] | None:
        """The keys that `template` and the templates it names can read of `site`; None when one of them uses
        `site` otherwise, names a template by a variable, or cannot be read or parsed."""
        read: set[str] = set()
        todo, seen = [template], set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            named, reached = self._of_one(name)
            if named is None or None in reached:
                return None
            read |= named
            todo += [name for name in reached if name is not None]
        return frozenset(read)

    def _of_one(self, template: str) -> tuple[set[str] | None, list[str | None]]:
        """The keys of `site` one template names (None: it uses `site` otherwise, or cannot be read), and the
        templates it names (None for one named by a variable)."""
        found = self._named.get(template)
        if found is None:
            try:
                if self.env.loader is None:
                    raise jinja2.TemplateNotFound(template)
                ast = self.env.parse(self.env.loader.get_source(self.env, template)[0], template)
            except (jinja2.TemplateError, OSError, UnicodeError):
                found = (None, [])
            else:
                found = (_keys_named(ast, self.keys), list(meta.find_referenced_templates(ast)))
            self._named[template] = found
        return found


def _keys_named(ast: nodes.Template, keys: Collection[str]) -> set[str] | None:
    """The keys of `site` the template names as `site.key` or `site["key"]`; None when it uses `site` otherwise."""
    named: set[str] = set()
    keyed: set[int] = set()  # the `site` names read so
    called = {id(call.node) for call in ast.find_all(nodes.Call)}
    reads = chain(((node, node.node, node.attr) for node in ast.find_all(nodes.Getattr)),
                  ((node, node.node, _constant(node.arg)) for node in ast.find_all(nodes.Getitem)))
    for node, of, key in reads:
        if not _is_site(of):
            continue
        if key is None or key not in keys or id(node) in called:
            return None
        named.add(key)
        keyed.add(id(of))
    for name in ast.find_all(nodes.Name):
        if name.name == SITE and id(name) not in keyed:
            return None  # read whole, or given another value (`set`, `for`, a macro's parameter)
    return named


def _is_site(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == SITE


def _constant(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


__all__ = ["SITE", "SiteReads"]
