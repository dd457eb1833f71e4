import pytest

from publisher.links import resolve_url, rewrite_links

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
