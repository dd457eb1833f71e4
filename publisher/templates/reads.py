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

from collections.abc import Collection, Iterator
from itertools import chain

import jinja2
from jinja2 import meta, nodes

SITE = "site"  # the name of the site's view in every page template


def site_keys_read(env: jinja2.Environment, template: str, keys: Collection[str]) -> frozenset[str] | None:
    """The keys of `keys` (the site view's) that `template` and the templates it names can read of `site`; None
    when one of them uses `site` otherwise, names a template by a variable, or cannot be read or parsed."""
    read: set[str] = set()
    for ast in _templates_reached(env, template):
        if ast is None:
            return None
        named = _keys_named(ast, keys)
        if named is None:
            return None
        read |= named
    return frozenset(read)


def _templates_reached(env: jinja2.Environment, template: str) -> Iterator[nodes.Template | None]:
    """The parsed source of `template` and of each template it reaches by `extends`, `include` and `import`,
    once each; None for one named by a variable or that cannot be read or parsed (then the walk ends)."""
    todo, seen = [template], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            if env.loader is None:
                raise jinja2.TemplateNotFound(name)
            source = env.loader.get_source(env, name)[0]
            ast = env.parse(source, name)
        except (jinja2.TemplateError, OSError, UnicodeError):
            yield None
            return
        yield ast
        for named in meta.find_referenced_templates(ast):
            if named is None:
                yield None
                return
            todo.append(named)


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


__all__ = ["SITE", "site_keys_read"]
