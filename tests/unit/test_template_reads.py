"""What a page's templates can read of the site's view, found in their source (`templates.reads`): the keys
named, through every template a page's template extends, includes or imports; unknown (None) for any other use
of `site`, so that such a page counts all of the view."""

from __future__ import annotations

import jinja2
import pytest

from publisher.templates.reads import SiteReads

KEYS = ("title", "nav", "post_count", "copyright_year", "logo_url")
BASE = ('<title>{{ site.title }}</title>{% block content %}{% endblock %}'
        '<footer>© {{ site["copyright_year"] }}</footer>')


def keys_read(templates: dict[str, str], template: str = "page.html") -> frozenset[str] | None:
    env = jinja2.Environment(loader=jinja2.DictLoader({"base.html": BASE, **templates}))
    return SiteReads(env, KEYS).of(template)


def test_the_keys_named_by_a_template_and_those_it_extends_includes_and_imports() -> None:
    assert keys_read({
        "page.html": '{% extends "base.html" %}{% import "macros.html" as m %}'
                     '{% block content %}{% include "nav.html" %}{{ m.logo() }}{% endblock %}',
        "nav.html": "{% for link in site.nav %}<a href={{ link.url }}>{{ link.title }}</a>{% endfor %}",
        "macros.html": "{% macro logo() %}<img src={{ site.logo_url }}>{% endmacro %}",
    }) == {"title", "copyright_year", "nav", "logo_url"}  # not post_count: no template here shows it
    assert keys_read({"page.html": '{% extends "base.html" %}'}) == {"title", "copyright_year"}


@pytest.mark.parametrize("body", [
    "{{ site|tojson }}",  # the whole view
    "{{ site }}",
    "{% set s = site %}{{ s.post_count }}",
    "{{ site[key] }}",  # a key in a variable
    "{{ site.get('post_count') }}",  # a method
    "{{ site.items()|list }}",
    "{{ site.unknown }}",  # not a key of the view
    "{% macro m(site) %}{{ site.x }}{% endmacro %}",  # the name given another value
    "{% for site in sites %}{{ site.title }}{% endfor %}",
    "{% include name %}",  # a template named by a variable
    '{% include "missing.html" %}',
    "{% if %}",  # cannot be parsed
])
def test_any_other_use_of_site_leaves_what_is_read_unknown(body: str) -> None:
    assert keys_read({"page.html": '{% extends "base.html" %}{% block content %}' + body + "{% endblock %}"}
                     ) is None


def test_an_included_template_using_site_otherwise_leaves_the_page_unknown() -> None:
    assert keys_read({"page.html": '{% include "part.html" %}', "part.html": "{{ site|length }}"}) is None


def test_each_template_is_parsed_once_for_all_the_pages_that_reach_it() -> None:
    env = jinja2.Environment(loader=jinja2.DictLoader({
        "base.html": BASE, "post.html": '{% extends "base.html" %}', "home.html": '{% extends "base.html" %}'
                                                                  "{{ site.post_count }}"}))
    parsed: list[str | None] = []
    real = env.parse

    def noting(source: str, name: str | None = None, filename: str | None = None) -> object:
        parsed.append(name)
        return real(source, name, filename)

    env.parse = noting  # type: ignore[method-assign]
    reads = SiteReads(env, KEYS)
    assert reads.of("post.html") == {"title", "copyright_year"}
    assert reads.of("home.html") == {"title", "copyright_year", "post_count"}
    assert sorted(parsed) == ["base.html", "home.html", "post.html"]
