"""Bounds on what a body's template code can make: no value, and no evaluated body, past `LARGEST` characters
(or items, for a list).

Jinja2's sandbox keeps a body away from Python's internals and `range()` to 100,000 numbers, but one expression
could still ask for any amount of memory: `{{ 'a' * 10**9 }}` and `{{ 'x'.center(10**9) }}` held a build for over
a minute, `{{ [1] * 10**9 }}` asked for 8 GB. A pull request's body is built by CI, so each way one step multiplies
a size is checked before the step is taken (`*`, `**`, `%` and `format` widths, padding, `join`, `replace`,
`indent`, `lipsum`), and every value a call or a filter returns, every value set in a `namespace()` and the
body's output after.
"""

from __future__ import annotations

import math
import random
import re
import string
from collections.abc import Callable, Generator, Iterable, Sized
from functools import wraps
from typing import Any

from jinja2 import nodes
from jinja2.constants import LOREM_IPSUM_WORDS
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace
from markupsafe import Markup, escape

from publisher.templates.steps import (
    counted_tree,
    counts_steps,
    enter_call,
    leave_call,
    take_call,
    take_call_work,
    take_steps,
    work,
)
from publisher.templates.theme import fail_if_undefined

LARGEST = 10_000_000  # characters of a string, or items of a list: a long post is some 100,000 characters
LARGEST_DIGITS = 100_000  # of an integer a power makes (Python prints 4,300 digits at most anyway)
MOST_SLICES = 100_000  # `slice(n)` makes n lists, however few items there are: as many as `range()` numbers


class TooLarge(Exception):
    """A body's template code asked for a value past `LARGEST`: its message names the step."""


def size(value: object) -> int:
    """How many characters or items `value` holds (0 for a number or anything else without a length)."""
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else 0


def ensure_within(made: int, what: str) -> None:
    """Stop when a step would make `made` characters or items, more than a body may hold."""
    if made > LARGEST:
        raise TooLarge(f"{what} would make {made:,} characters or items; a body's values stop at {LARGEST:,}")


def checked(value: Any, what: str) -> Any:
    """`value`, once it is found within the bound."""
    ensure_within(size(value), what)
    return value


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


# A printf conversion (`%-10.3f`, `%(name)*d`): its width and precision, a number or `*` (taken from the values).
_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_NUMBER = re.compile(r"\d+")


def check_printf(template: str, values: object) -> None:
    """`template % values` pads to no width past the bound (`'%1000000000d' % 1` asks for a gigabyte)."""
    widths = [int(w) for spec in _PRINTF_SPEC.findall(template) for w in spec if w.isdigit()]
    if "*" in template:  # a width taken from the values
        widths += [_int(v) for v in (values if isinstance(values, tuple) else (values,))]
    ensure_within(len(template) + sum(widths), "'%' formatting")


def check_format(template: str, args: Iterable[object], kwargs: dict[str, object]) -> None:
    """`template.format(...)` pads to no width past the bound (`'{:>1000000000}'.format(1)`)."""
    widths = []
    for _, _, spec, _ in string.Formatter().parse(template):
        widths += [int(number) for number in _NUMBER.findall(spec or "")]
        if spec and "{" in spec:  # a width given as a value: `{:{w}}`
            widths += [_int(v) for v in [*args, *kwargs.values()]]
    ensure_within(len(template) + sum(widths), "format()")


def check_power(base: object, exponent: object) -> None:
    """`base ** exponent` has no more than `LARGEST_DIGITS` digits (`9 ** (9 ** 9)` computes for minutes)."""
    if isinstance(base, int) and isinstance(exponent, int) and exponent > 0 and abs(base) > 1:
        digits = exponent * math.log10(abs(base))
        if digits > LARGEST_DIGITS:
            raise TooLarge(f"'**' would make a number of {digits:,.0f} digits; a body's stop at {LARGEST_DIGITS:,}")


def check_repeat(left: object, right: object) -> None:
    """`text * n` (or `n * text`, a list too) stays within the bound."""
    times, sequence = (left, right) if isinstance(left, int) else (right, left)
    if isinstance(times, int):
        ensure_within(size(sequence) * times, "'*'")


def check_join(separator: object, items: list[Any]) -> None:
    """`separator.join(items)` stays within the bound: the separator goes between every two items."""
    ensure_within(size(separator) * max(len(items) - 1, 0) + sum(size(str(i)) for i in items), "join")


def check_replace(text: object, old: object, new: object, count: object = -1) -> None:
    """`text.replace(old, new)` stays within the bound: each `old` found becomes `new`."""
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        found = text.count(old) if old else len(text) + 1
        if isinstance(count, int) and count >= 0:
            found = min(found, count)
        ensure_within(len(text) + found * (len(new) - len(old)), "replace")


def check_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A string's method that pads or repeats (`center`, `ljust`, `rjust`, `zfill`, `expandtabs`, `join`,
    `replace`) stays within the bound."""
    owner, name = getattr(method, "__self__", None), getattr(method, "__name__", "")
    if not isinstance(owner, (str, bytes)):
        return
    if name in ("center", "ljust", "rjust", "zfill") and args:
        ensure_within(_int(args[0]), name)
    elif name == "expandtabs":
        tab = _int(args[0] if args else kwargs.get("tabsize", 8))
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        ensure_within(len(owner) + tabs * tab, name)
    elif name == "join" and args:
        check_join(owner, list(args[0]))
    elif name == "replace" and len(args) >= 2:
        check_replace(owner, *args[:3])


class BoundedNamespace(Namespace):
    """`namespace()`, whose values stay within the bound: `{% set ns.s = ns.s ~ ns.s %}` in a loop of 40 asks for
    a million times a megabyte."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, checked(value, f"namespace value {name!r}"))


def steady_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # Jinja2's names
    """Jinja2's `lipsum`, the same text in every build and to no more than the bound (`lipsum(10**6)` wrote for
    minutes). Jinja2's draws its words from the process's random generator, so a post with `{{ lipsum(2) }}` as a
    placeholder was different bytes in each build (and each deploy); these are drawn from a generator seeded by
    the arguments: the same call, the same paragraphs."""
    ensure_within(_int(n) * _int(max) * 12, "lipsum")  # a word of lorem ipsum and its space: 12 at most
    draw = random.Random(f"lipsum {n} {html} {min} {max}")
    words = LOREM_IPSUM_WORDS.split()
    paragraphs = [_lorem_paragraph(draw, words, draw.randrange(min, max)) for _ in range(n)]
    if not html:
        return "\n\n".join(paragraphs)
    return Markup("\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs))


def _lorem_paragraph(draw: random.Random, words: list[str], count: int) -> str:
    """`count` words of lorem ipsum, in sentences of 10 to 20 words."""
    chosen = [draw.choice(words) for _ in range(count)]
    sentences = []
    while chosen:
        length = draw.randrange(10, 21)
        sentence, chosen = chosen[:length], chosen[length:]
        sentences.append(" ".join(sentence).capitalize() + ".")
    return " ".join(sentences)


def listed(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """`values` with a one-time iterable (a generator, `map`'s) made a list, so it can be measured and still used."""
    return tuple(v if isinstance(v, (Sized, Context, EvalContext)) or not isinstance(v, Iterable) else list(v)
                 for v in values)


def bounded_filter(name: str, apply: Callable[..., Any]) -> Callable[..., Any]:
    """Filter `name`, its growth checked before it runs and its value after (the `jinja_pass_arg` mark that makes
    Jinja2 pass the context first is kept by `wraps`)."""

    @wraps(apply)
    def call(*args: Any, **kwargs: Any) -> Any:
        if name == "join":
            args = listed(args)
        check_filter(name, [a for a in args if not isinstance(a, (Context, EvalContext))], kwargs)
        return checked(apply(*args, **kwargs), name)

    return call


def check_filter(name: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """The filters that multiply a size in one step stay within the bound (`args`: the value first)."""
    value, rest = (args[0], args[1:]) if args else ("", [])
    if name == "center":
        ensure_within(_int(rest[0] if rest else kwargs.get("width")), name)
    elif name == "indent":
        width = rest[0] if rest else kwargs.get("width", 4)
        pad = len(width) if isinstance(width, str) else _int(width)
        ensure_within(size(value) + pad * (str(value).count("\n") + 1), name)
    elif name == "format" and isinstance(value, str):
        check_printf(value, tuple(rest) or tuple(kwargs.values()))
    elif name == "join":
        check_join(rest[0] if rest else kwargs.get("d", ""), list(value))
    elif name == "replace" and len(rest) >= 2:
        check_replace(str(value), *rest[:3])
    elif name == "batch" and (len(rest) > 1 or "fill_with" in kwargs):
        ensure_within(_int(rest[0] if rest else kwargs.get("linecount")), name)
    elif name == "slice" and _int(rest[0] if rest else kwargs.get("slices")) > MOST_SLICES:
        raise TooLarge(f"slice would make more than {MOST_SLICES:,} lists")


def _bounded_concat(parts: Iterable[str]) -> str:
    """A template's output, joined while it stays within the bound (a loop writing a long value each time). The
    error is raised where the template stands, so that it names the template's line."""
    kept: list[str] = []
    total = 0
    for part in parts:
        total += len(part)
        try:
            ensure_within(total, "the body's template code")
        except TooLarge as error:
            if isinstance(parts, Generator):
                parts.throw(error)
            raise
        kept.append(part)
    return "".join(kept)


class BoundedSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with every value a body makes bounded (see the module's docstring), and the steps its
    template code takes counted (`templates.steps`)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    concat = staticmethod(_bounded_concat)  # what `Template.render` joins the output with

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals.update(namespace=BoundedNamespace, lipsum=steady_lipsum)
        for name, apply in list(self.filters.items()):
            self.filters[name] = bounded_filter(name, apply)

    def compile(self, source: str | nodes.Template, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        """Jinja2's `compile`, the template's steps counted (`templates.steps.counted_tree`)."""
        tree = counted_tree(self.parse(source, name, filename) if isinstance(source, str) else source)
        if raw:  # two calls: Jinja2 types `raw` by its literal value, one overload each
            return super().compile(tree, name, filename, raw=True, defer_init=defer_init)
        return super().compile(tree, name, filename, raw=False, defer_init=defer_init)

    def getattr(self, obj: Any, attribute: str) -> Any:
        fail_if_undefined(obj)  # `x.__class__` of an unknown `x`: "'x' is undefined", not an unsafe attribute
        return super().getattr(obj, attribute)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            check_repeat(left, right)
        elif operator == "**":
            check_power(left, right)
        elif operator == "%" and isinstance(left, str):
            check_printf(left, right)
        elif operator == "+":
            ensure_within(size(left) + size(right), "'+'")
        result = checked(super().call_binop(context, operator, left, right), f"{operator!r}")
        take_steps(context, 1 + work(result), f"{operator!r}")
        return result

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # Jinja2's names
        if counts_steps(__obj):
            return super().call(__context, __obj, *args, **kwargs)
        for value in [*args, *kwargs.values()]:
            checked(value, "a call's value")
        if getattr(__obj, "__name__", "") == "join":
            args = listed(args)
        check_method(__obj, args, kwargs)
        take_call(__context, __obj)
        enter_call(__context, __obj)
        try:
            result = checked(super().call(__context, __obj, *args, **kwargs), "a call")
        finally:
            leave_call(__context)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (list, dict, set)):  # `items.extend(items)` in a loop doubles the list each time
            checked(owner, f"{getattr(__obj, '__name__', 'a call')}()")
        take_call_work(__context, __obj, args, result)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template: str = value.__self__

        def formatted(*args: Any, **kwargs: Any) -> str:
            check_format(template, args[0].values() if value.__name__ == "format_map" and args else args, kwargs)
            return str(checked(wrapped(*args, **kwargs), "format()"))

        return formatted
