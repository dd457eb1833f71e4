"""What a body's template code may make: every value, and the evaluated body, within `LARGEST` characters or
items. Each expression here asked, in one step or in a loop, for a gigabyte or more (minutes of CI, or 8 GB)."""

import tracemalloc

import pytest

from publisher.templates.bodies import body_environment
from publisher.templates.bounds import LARGEST, TooLarge
from publisher.templates.steps import MOST_STEPS, TooMuchWork
from publisher.templates.theme import Theme

GIGABYTE = [
    "{{ 'a' * 10**9 }}", "{{ 10**9 * 'a' }}", "{{ [1] * 10**9 }}", "{{ ('a' * 1000) * 1000000 }}",
    "{{ 'x'.center(10**9) }}", "{{ 'x'.ljust(10**9, '😀') }}", "{{ 'x'.rjust(10**9) }}", "{{ '7'.zfill(10**9) }}",
    "{{ '\t'.expandtabs(10**9) }}", "{{ 'x' | center(10**9) }}", "{{ 'a\nb' | indent(10**9) }}",
    "{{ '{:>1000000000}'.format(1) }}", "{{ '{:{w}}'.format(1, w=10**9) }}", "{{ '%1000000000d' % 1 }}",
    "{{ '%*d' % (10**9, 1) }}", "{{ '%1000000000d' | format(1) }}", "{{ lipsum(10**6) }}",
    "{{ range(100000) | join('a' * 1000000) }}", "{{ ('a' * 1000000).join('b' * 1000000) }}",
    "{{ ('ab' * 1000000).replace('a', 'a' * 1000) }}", "{{ ('ab' * 1000000) | replace('a', 'a' * 1000) }}",
    "{{ [1] | batch(10**9, 0) | list }}", "{{ [1] | slice(10**9) | list }}", "{{ 9 ** (9 ** 9) }}",
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "{% set items = [1] %}{% for i in range(60) %}{{ items.extend(items) }}{% endfor %}",
    "{% macro twice(s, n) %}{{ twice(s ~ s, n - 1) if n else s }}{% endmacro %}{{ twice('ab', 60) }}",
    "{% set s = 'a' * 1000000 %}{% for i in range(100000) %}{{ s }}{% endfor %}",
]


@pytest.mark.parametrize("body", GIGABYTE)
def test_a_value_past_the_bound_stops_before_it_is_made(body: str) -> None:
    """Counted in bytes, not timed: the most memory the render ever held is what a value at the bound takes (10
    million items of a list, 80 MB, or characters of a text), far short of the gigabyte asked for."""
    template = body_environment(Theme(())).from_string(body)
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match=f"stop at {LARGEST:,}|stop at 100,000|more than 100,000 lists"):
            template.render()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 256 * 2**20


def test_what_bodies_write_is_as_before() -> None:
    """Padding, repetition, joins, formats and sums of ordinary sizes read as Jinja2 always wrote them."""
    body = ("{{ 'x' | center(5) }}|{{ 'ab' * 3 }}|{{ 3 * [0] }}|{{ [1, 2] + [3] }}|{{ 2 ** 10 }}|{{ 10 % 3 }}|"
            "{{ '%5d' % 3 }}|{{ '%s-%s' | format(1, 2) }}|{{ '{:>4}'.format(7) }}|{{ ', '.join(['a', 'b']) }}|"
            "{{ range(3) | map('string') | join('-') }}|{{ 'a.b'.replace('.', '::') }}|{{ 'a\nb' | indent(2) }}|"
            "{{ [1, 2, 3] | batch(2, 0) | list }}|{{ lipsum(2, False, 5, 6) | wordcount > 9 }}|"
            "{% set ns = namespace(n='') %}{% for i in range(3) %}{% set ns.n = ns.n ~ i %}{% endfor %}{{ ns.n }}")
    assert body_environment(Theme(())).from_string(body).render() == (
        "  x  |ababab|[0, 0, 0]|[1, 2, 3]|1024|1|    3|1-2|   7|a, b|0-1-2|a::b|a\n  b|[[1, 2], [3, 0]]|True|012")


def test_a_value_at_the_bound_is_made() -> None:
    """A body may hold a long value: ten million characters, made in one step or written out."""
    rendered = body_environment(Theme(())).from_string(f"{{{{ 'a' * {LARGEST} }}}}").render()
    assert len(rendered) == LARGEST


def test_values_the_template_code_never_made_are_not_checked() -> None:
    """Only growth is bounded: a long value the post itself holds is read as it is."""
    template = body_environment(Theme(())).from_string("{{ text | length }}")
    assert template.render(text="a" * (LARGEST + 1)) == str(LARGEST + 1)


# Each ran for minutes to hours with nothing bounding how many steps it took (two nested loops of 10,000 with no
# output ran for a minute): a pull request's post held CI that long.
ENDLESS = [
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    "{% for a in range(100000) %}{% for b in range(100000) if b < 0 %}{% endfor %}{% endfor %}",
    "{% for a in range(100000) %}{% for b in range(100000) %}{{ loop.cycle('', '') }}{% endfor %}{% endfor %}",
    "{% macro twice(n) %}{{ twice(n - 1) if n else '' }}{{ twice(n - 1) if n else '' }}{% endmacro %}{{ twice(60) }}",
    "{% for x in [1, 2] recursive %}{% if loop.depth < 60 %}{{ loop([1, 2]) }}{% endif %}{% endfor %}",
    "{% for a in range(100000) %}{{ range(100000) | sort | join | length }}{% endfor %}",
    "{% set s = 'ba' * 5000000 %}{% for a in range(100000) %}{{ s | sort | first }}{% endfor %}",
    "{% set s = 'a' * 10000000 %}{% for a in range(100000) %}{% set t = s ~ a %}{% endfor %}",
    "{% set s = 'a' * 10000000 %}{% for a in range(100000) %}{% set t = s[a:] %}{% endfor %}",
    "{% set s = 'a' * 10000000 %}{% for a in range(100000) %}{% set t = s.upper() %}{% endfor %}",
    "{% set s = range(100000) | list %}{% for a in range(100000) %}{% if -1 in s %}{% endif %}{% endfor %}",
    "{% set s = range(100000) | list %}{% for a in range(100000) %}{{ s.count(-1) }}{% endfor %}",
]


@pytest.mark.parametrize("body", ENDLESS)
def test_template_code_stops_after_a_quarter_of_a_million_steps(body: str) -> None:
    """Each stops at the step the budget counts to; how long that takes on a machine is `bench/template_steps.py`'s
    to print, not a test's to time."""
    environment = body_environment(Theme(()))
    with pytest.raises(TooMuchWork, match=f"goes past {MOST_STEPS:,} steps"):
        environment.from_string(body).render()


def test_the_step_a_body_stops_at_is_counted_not_timed() -> None:
    """The same body stops at the same pass on every machine, however fast: 500 passes of the outer loop and 499
    of the inner one in each are `MOST_STEPS` and are made; one more inner pass is one too many."""
    template = body_environment(Theme(())).from_string("{% for a in outer %}{% for b in inner %}{% endfor %}"
                                                       "{% endfor %}done")
    assert MOST_STEPS == 500 + 500 * 499
    assert template.render(outer=range(500), inner=range(499)) == "done"
    with pytest.raises(TooMuchWork, match="a loop's pass goes past 250,000 steps"):
        template.render(outer=range(500), inner=range(500))


def test_a_macro_calling_itself_with_no_end_is_named() -> None:
    """It stopped with Python's `RecursionError: maximum recursion depth exceeded in __instancecheck__`."""
    template = body_environment(Theme(())).from_string("{% macro again(n) %}{{ again(n) }}{% endmacro %}{{ again(1) }}")
    with pytest.raises(TooMuchWork, match=r"^again\(\) is called inside more than 100 calls \(a macro or shortcode "
                                          r"that calls itself with no end\?\)$"):
        template.render()
