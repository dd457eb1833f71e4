"""A page's recipe digest tells apart entries that differ in anything a page may show of them.

A `publisher build` keeps a page whose recipe digest is the one the page manifest holds: two entries whose
digests were equal while they differed would leave a page showing the old one."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from markupsafe import Markup

from publisher.content.model import Entry, Post
from publisher.markdown.result import RenderedMarkdown
from publisher.pages.recipes import RecipeDigests

BODY = RenderedMarkdown(html="<p>Hi.</p>", toc_html="<ol><li>One</li></ol>", excerpt_html="<p>Hi.</p>",
                        word_count=120, reading_minutes=1, heading_count=2,
                        pull_quotes=("A quote.", "Another."), talking_points=("A point.",))


def _entry(body: RenderedMarkdown = BODY, **post: object) -> Entry:
    fields: dict[str, object] = {"source": "content/posts/a.md", "kind": "post", "title": "A", "slug": "a",
                                 "url": "/a/", "body": "", "date": datetime(2026, 1, 2, tzinfo=UTC), **post}
    return Entry(Post(**fields), body)  # type: ignore[arg-type]


def _digest(entry: Entry) -> str:
    return RecipeDigests("salt", lambda _: ()).entry(entry)


def _unlike(value: object) -> object:
    if isinstance(value, str):
        return value + "!"
    if isinstance(value, tuple):
        return (*value, "more")
    assert isinstance(value, int)
    return value + 1


@pytest.mark.parametrize("name", [field.name for field in dataclasses.fields(RenderedMarkdown)])
def test_a_rendered_body_that_differs_in_any_field_gives_another_digest(name: str) -> None:
    other = dataclasses.replace(BODY, **{name: _unlike(getattr(BODY, name))})
    assert _digest(_entry(other)) != _digest(_entry(BODY))


def test_an_equal_body_made_anew_gives_the_same_digest() -> None:
    copy = RenderedMarkdown(**{field.name: getattr(BODY, field.name) for field in dataclasses.fields(BODY)})
    texts = dataclasses.replace(copy, toc_html="".join(["<ol><li>", "One</li></ol>"]))  # another str object
    assert _digest(_entry(texts)) == _digest(_entry(BODY))


def test_a_finished_body_marked_safe_gives_the_digest_of_the_same_body_read_back_from_disk() -> None:
    # A build finishes an edited post's body with its table of contents and excerpt as Markup (`build.bodies`);
    # the next one reads them back as str: the same texts, the same page.
    finished = dataclasses.replace(BODY, toc_html=Markup(BODY.toc_html), excerpt_html=Markup(BODY.excerpt_html))
    assert _digest(_entry(finished)) == _digest(_entry(BODY))


@pytest.mark.parametrize("moved", [
    {"pull_quotes": ("A quote.",), "talking_points": ("Another.", "A point.")},  # a text from one list to the next
    {"pull_quotes": ("A quote.Another.",)},  # two texts as one
    {"pull_quotes": ("A quote.A", "nother.")},  # the same texts, cut elsewhere
    {"toc_html": "<ol><li>One</li></ol><p>Hi.</p>", "excerpt_html": ""},  # a text from one field to the next
    {"pull_quotes": ("A quote.", "Another.", ""), "talking_points": ("A point.",)},  # an empty text more
    {"word_count": 1, "reading_minutes": 20},  # numbers that read the same side by side
    {"toc_html": "<ol><li>\udc80</li></ol>"},  # a lone surrogate
])
def test_texts_that_move_between_fields_give_another_digest(moved: dict[str, object]) -> None:
    assert _digest(_entry(dataclasses.replace(BODY, **moved))) != _digest(_entry(BODY))


def test_where_one_text_ends_counts() -> None:
    ends = dataclasses.replace(BODY, toc_html="x", excerpt_html="sy")
    assert _digest(_entry(ends)) != _digest(_entry(dataclasses.replace(ends, toc_html="xs", excerpt_html="y")))


def test_the_post_and_the_view_inputs_count_too() -> None:
    assert _digest(_entry(title="B")) != _digest(_entry())
    shown = RecipeDigests("salt", lambda _: ("image", 640))
    assert shown.entry(_entry()) != _digest(_entry())


def test_a_body_digest_kept_with_the_body_counts_as_the_one_taken_now() -> None:
    # A build keeps each finished body's digest (`Entry.body_digest_kept`): the next, taking it as kept, tells
    # the same pages as one that hashed the body's texts again.
    from publisher.markdown.result import body_digest

    kept = dataclasses.replace(_entry(), body_digest_kept=body_digest(BODY))
    assert _digest(kept) == _digest(_entry())
    assert _digest(dataclasses.replace(_entry(), body_digest_kept="0" * 64)) != _digest(_entry())
