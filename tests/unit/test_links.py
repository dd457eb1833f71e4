import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.content.links import resolve_url, rewrite_links

SOURCES = {"content/posts/a.md": "/a/", "content/posts/2026-01-01-b.md": "/b/", "content/pages/about.md": "/about/"}


@pytest.mark.parametrize(("url", "base", "expected"), [
    ("2026-01-01-b.md", "/", "/b/"),
    ("2026-01-01-b.md#part", "/repo/", "/repo/b/#part"),
    ("../pages/about.md", "/", "/about/"),
    ("/img/x.png", "/repo/", "/repo/img/x.png"),
    ("img/x.png", "/repo/", "/repo/img/x.png"),
    ("../../img/x.png", "/", "/img/x.png"),
    ("/tags/", "/repo/", "/repo/tags/"),
    ("/img/my%20chart.png", "/", "/img/my%20chart.png"),
    ("https://other.example/x.md", "/", "https://other.example/x.md"),
    ("//cdn.example/x.png", "/", "//cdn.example/x.png"),
    ("mailto:hi@example.com", "/", "mailto:hi@example.com"),
    ("#section", "/repo/", "#section"),
])
def test_resolve(url: str, base: str, expected: str) -> None:
    assert resolve_url(url, "content/posts/a.md", base, SOURCES) == expected


def test_link_to_unknown_source_is_reported() -> None:
    html, missing = rewrite_links('<a href="nope.md">x</a> <img src="/i.png">',
                                  lambda u: resolve_url(u, "content/posts/a.md", "/r/", SOURCES))
    assert missing == ["nope.md"]
    assert html == '<a href="nope.md">x</a> <img src="/r/i.png">'


def test_attributes_found_by_name_not_by_accident() -> None:
    html, _ = rewrite_links('<img data-src="/a.png" src="/b.png"><a class="x" data-x="1" href="/c/">set y="2"</a>',
                            lambda u: "/r" + u)
    assert html == '<img data-src="/r/a.png" src="/r/b.png"><a class="x" data-x="1" href="/r/c/">set y="2"</a>'


_REFERENCE = re.compile(r'(?<=[\s-])(?:href|src)="([^"]*)"')


@given(st.text(alphabet=list('hrefsc -="a/x\n'), max_size=60))
def test_rewriting_matches_a_plain_regex(html: str) -> None:
    """The hand-rolled scan finds exactly what the obvious (slower) regex finds."""
    expected = _REFERENCE.sub(lambda m: m[0].replace(f'"{m[1]}"', f'"[{m[1]}]"', 1), html)
    assert rewrite_links(html, lambda url: f"[{url}]")[0] == expected
    assert rewrite_links(html, lambda url: None)[1] == _REFERENCE.findall(html)
