"""The sandboxed Jinja2 environment that evaluates `{{ … }}` and `{% … %}` in post bodies.

A body can reach what its shortcodes and filters offer, never Python's
internals (`{{ ''.__class__ }}` is an error), nor make a value past a bound
(`templates.bounds`). The site's shortcodes are the theme's
`shortcodes/<name>.html` files, the site's theme over the default's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from publisher.markdown.code import code_ranges
from publisher.templates.bounds import BoundedSandbox
from publisher.templates.theme import KeyNamingUndefined, Theme, theme_loader

# Jinja2 comments (`{# … #}`) are off: `{#id}` is a Markdown heading attribute, and Liquid has no such
# comments. The delimiters are private-use characters, which no text holds.
_NO_COMMENTS = {"comment_start_string": "\ue00e{", "comment_end_string": "}\ue00e"}


class NotPrintable(Exception):
    """A body prints a function or a generator itself, not what it gives (its message is shown as it is)."""


def body_environment(theme: Theme) -> BoundedSandbox:
    """The environment bodies are evaluated in: the theme's shortcodes, Jinja2's sandbox, every value bounded."""
    folders = [str(d / "shortcodes") for d in theme.dirs if (d / "shortcodes").is_dir()]
    return BoundedSandbox(loader=theme_loader(folders), undefined=KeyNamingUndefined, finalize=printable,
                          autoescape=False, keep_trailing_newline=True, **_NO_COMMENTS)


def printable(value: Any) -> Any:
    """What `{{ value }}` writes in a body: `value`, unless it is a function or a generator, whose text is Python's
    name for it and its memory address (`{{ post.title.upper }}`, the call's `()` forgotten, wrote
    `<built-in method upper of str object at 0x7f…>`, other bytes in each build)."""
    if isinstance(value, str | jinja2.Undefined) or not (callable(value) or isinstance(value, Iterator)):
        return value  # an undefined value is callable too: Jinja2 writes it ("" for `'x' if false`) or names it
    if callable(value):
        name = getattr(value, "__name__", "a function")
        raise NotPrintable(f"{{{{ … }}}} writes the function {name} itself: call it, as {name}(…)")
    raise NotPrintable("{{ … }} writes a generator, not its items: end it with | list or | join(\", \")")


def template_syntax_error(body: str) -> jinja2.TemplateSyntaxError | None:
    """The first error Jinja2 finds in `body` read as a build reads it (its code spans and blocks left out, which
    are never evaluated, and no comments), or None."""
    try:
        SandboxedEnvironment(**_NO_COMMENTS).parse(_without_code(body))
    except jinja2.TemplateSyntaxError as error:
        return error
    return None


def _without_code(body: str) -> str:
    """`body` with the text of its code blanked out, its lines kept (an error's line number stays the body's)."""
    parts: list[str] = []
    done = 0
    for start, end in code_ranges(body):
        parts += [body[done:start], re.sub(r"[^\n]", " ", body[start:end])]
        done = end
    parts.append(body[done:])
    return "".join(parts)


def jinja_filter_names() -> list[str]:
    """The filters every body has from Jinja2 itself (`lower`, `default`, `join`…)."""
    return sorted(SandboxedEnvironment().filters)


def shortcode_names(env: SandboxedEnvironment) -> list[str]:
    """The names of the theme's shortcodes (`shortcodes/figure.html` -> `figure`)."""
    loader = env.loader
    if loader is None:
        return []
    return sorted({name[:-5] for name in loader.list_templates() if name.endswith(".html") and "/" not in name})
