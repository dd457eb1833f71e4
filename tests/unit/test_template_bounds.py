"""What a body's template code may make: every value, and the evaluated body, within `LARGEST` characters or
items. Each expression here asked, in one step or in a loop, for a gigabyte or more (minutes of CI, or 8 GB)."""

import time

import pytest

from publisher.templates.bodies import body_environment
from publisher.templates.bounds import LARGEST, TooLarge
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
    environment = body_environment(Theme(()))
    started = time.perf_counter()
    with pytest.raises(TooLarge, match=f"stop at {LARGEST:,}|stop at 100,000|more than 100,000 lists"):
        environment.from_string(body).render()
    assert time.perf_counter() - started < 5


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
