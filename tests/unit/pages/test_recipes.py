"""A page's recipe digest tells apart entries that differ in anything a page may show of them.

A `publisher build` keeps a page whose recipe digest is the one the page manifest holds: two entries whose
digests were equal while they differed would leave a page showing the old one."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone

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


# A page's recipe as a whole: its entries, placements, pagers, previews and the site's view, nested in tuples, lists,
# dicts and dataclasses. Two recipes that differ in any value, its kind, or where it sits give two digests.

@dataclasses.dataclass(frozen=True)
class _Crumb:
    name: str
    url: str


@dataclasses.dataclass(frozen=True)
class _Other:
    name: str
    url: str


@dataclasses.dataclass(frozen=True)
class _Single:
    only: object


def _of(recipe: tuple[object, ...]) -> str | None:
    return RecipeDigests("salt", lambda _: ()).of(recipe)


_RECIPE = ("post", _entry(), (_Crumb("Home", "/"), _Crumb("A", "/a/")), [1, None, True, 2.5], {"k": "v"},
           _Single(Markup("<b>x</b>")), datetime(2026, 1, 2, tzinfo=UTC))


@pytest.mark.parametrize("other", [
    ("post", _entry(title="B"), *_RECIPE[2:]),  # an entry that shows otherwise
    ("page", *_RECIPE[1:]),  # a text
    (*_RECIPE[:2], (_Crumb("Home", "/"), _Crumb("A", "/b/")), *_RECIPE[3:]),  # a dataclass's field
    (*_RECIPE[:2], (_Other("Home", "/"), _Crumb("A", "/a/")), *_RECIPE[3:]),  # a dataclass of another kind
    (*_RECIPE[:2], (_Crumb("/", "Home"), _Crumb("A", "/a/")), *_RECIPE[3:]),  # fields swapped
    (*_RECIPE[:2], [_Crumb("Home", "/"), _Crumb("A", "/a/")], *_RECIPE[3:]),  # a list for a tuple
    (*_RECIPE[:3], [1, None, 1, 2.5], *_RECIPE[4:]),  # an int for a bool of the same value
    (*_RECIPE[:3], [1, "None", True, 2.5], *_RECIPE[4:]),  # a text that reads as None
    (*_RECIPE[:3], [1, None, True, 2.25], *_RECIPE[4:]),  # a number
    (*_RECIPE[:3], [1, None, True], 2.5, *_RECIPE[4:]),  # an item moved out of its list
    (*_RECIPE[:4], {"v": "k"}, *_RECIPE[5:]),  # a dict's key and value swapped
    (*_RECIPE[:4], {"j": "v"}, *_RECIPE[5:]),  # a dict's key alone
    (*_RECIPE[:5], _Single("<b>x</b>"), _RECIPE[6]),  # a str for Markup
    (*_RECIPE[:5], _Single(_Single(Markup("<b>x</b>"))), _RECIPE[6]),  # nested once more
    (*_RECIPE[:6], datetime(2026, 1, 2, 1, tzinfo=timezone(timedelta(hours=1)))),  # the same moment elsewhere
])
def test_recipes_that_differ_anywhere_give_other_digests(other: tuple[object, ...]) -> None:
    assert _of(other) != _of(_RECIPE)


def test_where_one_text_of_a_recipe_ends_and_the_next_starts_counts() -> None:
    assert _of(("post", "a", "str:b")) != _of(("post", "astr:", "b"))  # even a text that holds what tags a text


def test_a_recipe_made_anew_of_equal_values_gives_the_same_digest() -> None:
    anew = ("post", _entry(), (_Crumb("Home", "/"), _Crumb("A", "/a/")), [1, None, True, 2.5], {"k": "v"},
            _Single(Markup("<b>x</b>")), datetime(2026, 1, 2, tzinfo=UTC))
    assert anew is not _RECIPE and _of(anew) == _of(_RECIPE)
    digests = RecipeDigests("salt", lambda _: ())  # one object met again, its digest kept
    assert digests.of(_RECIPE) == digests.of(_RECIPE) == _of(_RECIPE)
    assert RecipeDigests("other salt", lambda _: ()).of(_RECIPE) != _of(_RECIPE)


def test_a_value_the_digest_does_not_cover_leaves_the_page_without_one() -> None:
    assert _of(("post", {"a", "b"})) is None
    assert _of(("post", _Single(object()))) is None
