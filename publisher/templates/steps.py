"""A budget on the work one body's template code does: `MOST_STEPS` steps, counted, never timed, so the same body
stops at the same step on every machine, and calls nested no deeper than `MOST_DEPTH`.

The bounds on values (`templates.bounds`) keep each step small, but not how many steps there are: two nested loops
of 10,000 with nothing in them, three of 1,000, a macro that calls itself twice at each of 30 levels or a loop that
sorts a long text each time held CI for minutes to hours. A step is:

- a loop's pass (the items an `if` in a `for` leaves out too) and a call (a macro, a shortcode, a method,
  `loop.cycle`, `caller()`) or a filter: one step each;
- the items a filter, a method, a slice or an `in` goes through: one step for each item of a list, a range or a
  dict, and for each character of a text given to a filter that goes through it character by character in Python
  (`sort`, `unique`, `map`…); one for each 1,000 characters of a text otherwise (copied, searched or changed
  whole, at the speed of C);
- the value a call, a filter, an operator or `~` makes, counted the same way.

A quarter of a million steps take some three seconds at most (a macro's call, the slowest step, takes up to
12 µs; `sort` goes through a million characters in about a second), and a real post takes a few thousand.

Each function a compiled body calls to count (`loop_pass`, `going_through`, `made`) is added to the body's syntax
tree before it is compiled (`counted_tree`), through Jinja2's public node classes; the count itself travels with
the render's variables under a name no template can write (`STEPS_NAME`), so a shortcode's template, an include or
a macro spends the same budget as the body that called it.
"""

from __future__ import annotations

from typing import Any

from jinja2 import nodes, pass_context
from jinja2.runtime import Context, Macro
from jinja2.sandbox import safe_range
from jinja2.visitor import NodeTransformer

MOST_STEPS = 250_000
MOST_DEPTH = 100  # calls inside calls: Python's own limit (1,000 frames) is some 150 macro calls deep

STEPS_NAME = "publisher steps"  # not a name a template can write (it holds a space)

# Filters that go through a text one character at a time in Python: `sort` takes about a second for a million.
BY_CHARACTER = frozenset({"batch", "groupby", "join", "list", "map", "max", "min", "reject", "rejectattr",
                          "select", "selectattr", "slice", "sort", "sum", "title", "unique", "urlize", "wordwrap"})
CHARACTERS_PER_STEP = 1_000  # of a text copied, searched or changed whole
COUNTED_TYPES = (list, tuple, dict, set, frozenset, range)
# Methods that add to a list, a dict or a set: what they make is bounded as a value (`templates.bounds`), and one of
# them in a loop grows what it adds to, which a count of its items would stop long before its bound.
GROWING = frozenset({"add", "append", "extend", "insert", "setdefault", "update"})


class TooMuchWork(Exception):
    """A body's template code went past `MOST_STEPS` steps or `MOST_DEPTH` nested calls: its message says which."""


class Steps:
    """The steps one body's evaluation has taken, and how deeply its calls are nested now. Its methods are out of a
    template's reach (the sandbox refuses names that start with `_`)."""

    def __init__(self) -> None:
        self._taken = 0
        self._depth = 0

    def _take(self, count: int, what: str) -> None:
        self._taken += count
        if self._taken > MOST_STEPS and count:
            raise TooMuchWork(f"{what} goes past {MOST_STEPS:,} steps, the most a body's template code may take "
                              "(loops inside loops, or a long list or text gone through in a loop?)")

    def _enter(self, what: str) -> None:
        self._depth += 1
        if self._depth > MOST_DEPTH:
            raise TooMuchWork(f"{what} is called inside more than {MOST_DEPTH} calls (a macro or shortcode that "
                              "calls itself with no end?)")

    def _leave(self) -> None:
        self._depth -= 1


def steps_of(context: Context) -> Steps:
    """The steps of the render `context` belongs to: those the render was given (`STEPS_NAME`), else its own new
    ones, kept in its variables so that includes and shortcodes it renders spend them too."""
    steps = context.parent.get(STEPS_NAME)
    if not isinstance(steps, Steps):
        steps = context.parent[STEPS_NAME] = Steps()
    return steps


def carried_steps(context: Context) -> dict[str, Steps]:
    """The render variables that make another template rendered from `context` (a shortcode's) spend its steps."""
    return {STEPS_NAME: steps_of(context)}


def work(value: object, by_character: bool = False) -> int:
    """The steps going through `value` takes: one per item of a list, range or dict; one per character of a text
    `by_character`, else one per `CHARACTERS_PER_STEP`; none for anything else."""
    if isinstance(value, (str, bytes)):
        return len(value) if by_character else len(value) // CHARACTERS_PER_STEP
    return len(value) if isinstance(value, COUNTED_TYPES) else 0


def take_steps(context: Context, count: int, what: str) -> None:
    """Count `count` steps of `what` against the render's budget (`TooMuchWork` past it)."""
    steps_of(context)._take(count, what)


def take_call(context: Context, called: Any) -> None:
    """A call's own step, taken before it runs."""
    take_steps(context, 1, f"the call of {_name(called)}")


def take_call_work(context: Context, called: Any, args: tuple[Any, ...], value: object) -> None:
    """The steps a call took once it has run: the value it returned, and the items a method of a text, list or dict
    went through (its own and those it was given, but for those that add to it, `GROWING`; a macro or a function
    takes what it is given at no cost). They
    are counted after the call, so that a value past its bound is reported as such (`templates.bounds`); the
    bounds keep any one call short."""
    owner = getattr(called, "__self__", None)
    count = work(value)
    if isinstance(owner, (str, bytes, *COUNTED_TYPES)) and _name(called)[:-2] not in GROWING:
        count += work(owner) + sum(work(arg) for arg in args)
    take_steps(context, count, f"the call of {_name(called)}")


def _name(called: Any) -> str:
    """What a body calls `called` (a macro's name is its `name`)."""
    if called is safe_range:
        return "range()"
    name = called.name if isinstance(called, Macro) else getattr(called, "__name__", "")
    return f"{name}()" if name else "a function"


def enter_call(context: Context, called: Any) -> None:
    """One call deeper (`TooMuchWork` past `MOST_DEPTH`)."""
    steps_of(context)._enter(_name(called))


def leave_call(context: Context) -> None:
    """One call less deep."""
    steps_of(context)._leave()


def counts_steps(called: Any) -> bool:
    """Whether `called` is one of the calls `counted_tree` adds, which count their own steps (what they are given
    is the body's own value, no value they make)."""
    return called in (loop_pass, going_through, made)


@pass_context
def loop_pass(context: Context) -> bool:
    """Called at each pass of a loop (`counted_tree`)."""
    take_steps(context, 1, "a loop's pass")
    return True


@pass_context
def going_through(context: Context, filter_name: str, value: Any) -> Any:
    """`value`, once the steps filter `filter_name` takes to go through it are counted."""
    take_steps(context, work(value, filter_name in BY_CHARACTER), f"the filter {filter_name}")
    return value


@pass_context
def made(context: Context, value: Any) -> Any:
    """`value`, once the steps of making it (or going through it) are counted."""
    take_steps(context, work(value), "a value")
    return value


def _imported(function_name: str, *args: nodes.Expr, lineno: int) -> nodes.Call:
    """A call, in the tree, of the function `function_name` of this module."""
    return nodes.Call(nodes.ImportedName(f"{__name__}.{function_name}"), list(args), [], None, None, lineno=lineno)


class _Counting(NodeTransformer):
    """The syntax tree with a call counting steps in each loop pass, around each filter, `~`, slice and `in`."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        counted = _imported("loop_pass", lineno=node.lineno)
        if node.test is not None:  # the items the test leaves out are gone through too
            node.test = nodes.And(counted, node.test, lineno=node.lineno)
        else:
            node.body = [nodes.ExprStmt(counted, lineno=node.lineno), *node.body]
        return node

    def visit_Filter(self, node: nodes.Filter) -> nodes.Node:
        self.generic_visit(node)
        if node.node is None:  # a `{% filter %}` block's: its text is made, and counted, by the block
            return node
        node.node = _imported("going_through", nodes.Const(node.name), node.node, lineno=node.lineno)
        return _imported("made", node, lineno=node.lineno)

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _imported("made", node, lineno=node.lineno)

    def visit_Getitem(self, node: nodes.Getitem) -> nodes.Node:
        self.generic_visit(node)
        return _imported("made", node, lineno=node.lineno) if isinstance(node.arg, nodes.Slice) else node

    def visit_Operand(self, node: nodes.Operand) -> nodes.Node:
        self.generic_visit(node)
        if node.op in ("in", "notin"):
            node.expr = _imported("made", node.expr, lineno=node.expr.lineno)
        return node


def counted_tree(tree: nodes.Template) -> nodes.Template:
    """`tree` with the calls that count its steps added (see the module's docstring)."""
    counted = _Counting().visit(tree)
    assert isinstance(counted, nodes.Template)
    return counted
