"""Blocks a child template fills that no template it extends shows (`templates.blocks`)."""

from __future__ import annotations

import jinja2
import pytest

from publisher.templates.blocks import BlockCheck

BASE = "<main>{% block content %}{% endblock %}</main>{% block head %}{% endblock %}"
LAYOUT = '{% extends "base.html" %}{% block content %}<div>{% block main %}{% endblock %}</div>{% endblock %}'


def check(page: str, **more: str) -> BlockCheck:
    env = jinja2.Environment(loader=jinja2.DictLoader({"base.html": BASE, "layout.html": LAYOUT, "page.html": page,
                                                       **more}))
    return BlockCheck(env)


def test_a_misspelt_block_is_found_at_its_line_with_the_blocks_the_parent_has() -> None:
    found = check('{% extends "base.html" %}\n{% block contnet %}Hello{% endblock %}').first_unshown("page.html")
    assert found is not None and (found.name, found.line, found.parent, found.shown) == (
        "contnet", 2, "base.html", ("content", "head"))


def test_a_block_of_the_middle_template_counts_and_so_does_one_misspelt_in_it() -> None:
    assert check('{% extends "layout.html" %}{% block main %}x{% endblock %}').first_unshown("page.html") is None
    found = check('{% extends "layout.html" %}', **{"layout.html": LAYOUT.replace("block content", "block contents")}
                  ).first_unshown("page.html")
    assert found is not None and (found.template, found.name) == ("layout.html", "contents")


@pytest.mark.parametrize("page", [
    '{% extends "base.html" %}{% block content %}{% block inner %}shown with content{% endblock %}{% endblock %}',
    '{% extends "base.html" %}{% block content %}{{ self.extra() }}{% endblock %}{% block extra %}x{% endblock %}',
    '{% extends layout %}{% block anything %}x{% endblock %}',  # the parent is known only when rendering
    '<p>{% block own %}a page extending nothing shows its own blocks{% endblock %}</p>',
    '{% extends "missing.html" %}{% block x %}{% endblock %}',  # rendering says the parent is missing
])
def test_blocks_that_are_shown_or_cannot_be_judged_are_not_reported(page: str) -> None:
    assert check(page).first_unshown("page.html") is None
