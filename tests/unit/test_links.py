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


def test_single_quoted_links_are_rewritten_like_double_quoted_ones() -> None:
    html, missing = rewrite_links(
        "<a href='2026-01-01-b.md'>b</a> <img src='/img/x.png' alt=\"it's\"> <a href='no.md'>",
        lambda u: resolve_url(u, "content/posts/a.md", "/r/", SOURCES))
    assert html == "<a href='/r/b/'>b</a> <img src='/r/img/x.png' alt=\"it's\"> <a href='no.md'>"
    assert missing == ["no.md"]


@pytest.mark.parametrize(("html", "expected"), [
    ('<img srcset="/img/a.png 1x, /img/b.png 2x">', '<img srcset="/r/img/a.png 1x, /r/img/b.png 2x">'),
    ("<source srcset='img/a.png 480w,img/b.png 800w' media=\"x\">",
     "<source srcset='/r/img/a.png 480w,/r/img/b.png 800w' media=\"x\">"),
    ('<img srcset="/a.png" src="/b.png">', '<img srcset="/r/a.png" src="/r/b.png">'),
    # A URL's trailing commas end it; a comma inside one (a data: URL) does not.
    ('<img srcset="  /a.png,  /b.png 2x ,">', '<img srcset="  /r/a.png,  /r/b.png 2x ,">'),
    ('<img srcset="data:image/png;base64,AAA 1x, https://cdn.example/b.png 2x">',
     '<img srcset="data:image/png;base64,AAA 1x, https://cdn.example/b.png 2x">'),
    ('<img data-srcset="/a.png 1x">', '<img data-srcset="/r/a.png 1x">'),
])
def test_every_url_of_a_srcset_is_rewritten(html: str, expected: str) -> None:
    assert rewrite_links(html, lambda u: resolve_url(u, "content/posts/a.md", "/r/", SOURCES))[0] == expected


def test_an_unclosed_value_does_not_hide_later_links() -> None:
    html, _ = rewrite_links("<a href='/a/>x</a> <img src=\"/b.png\"> <a href=\"/c/", lambda u: "/r" + u)
    assert html == "<a href='/a/>x</a> <img src=\"/r/b.png\"> <a href=\"/c/"



@pytest.mark.parametrize("html", [" href='" * 100_000, ' src="' * 100_000 + " href='x'" * 100_000,
                                  ' srcset="' + ",," * 200_000 + " a" * 200_000 + '"', " src='x" * 100_000])
def test_unclosed_and_crowded_values_come_through_unchanged(html: str) -> None:
    """No time is asserted (benchmarks measure speed): a quadratic scan of these would not let the suite finish."""
    assert rewrite_links(html, lambda url: url)[0] == html

_REFERENCE = re.compile(r"""(?<=[\s-])(href|src|srcset)=(?:"([^"]*)"|'([^']*)')""")
# A srcset's image candidates as the HTML standard splits them (descriptors end at a comma).
_CANDIDATE = re.compile(r"[\s,]*(\S*[^\s,])(?:,+|[^,]*)")


def _reference_urls(html: str) -> list[str]:
    urls = []
    for match in _REFERENCE.finditer(html):
        value = match[2] if match[2] is not None else match[3]
        urls += [c[1] for c in _CANDIDATE.finditer(value)] if match[1] == "srcset" else [value]
    return urls


def _reference_rewrite(html: str) -> str:
    def attribute(match: re.Match[str]) -> str:
        quote, value = ('"', match[2]) if match[2] is not None else ("'", match[3])
        if match[1] == "srcset":
            value = _CANDIDATE.sub(lambda c: c[0].replace(c[1], f"[{c[1]}]", 1), value)
        else:
            value = f"[{value}]"
        return f"{match[1]}={quote}{value}{quote}"

    return _REFERENCE.sub(attribute, html)


_CHARS = list("hrefsct -=\"'a/x,1\n")
# Mostly attributes, well-formed or not (no quote, an unclosed one, the other quote inside), between bits of text.
_ATTRIBUTE = st.tuples(st.sampled_from([" ", "-", "\n", "x"]), st.sampled_from(["href", "src", "srcset"]),
                       st.sampled_from(['="', "='", "=", ' ="']), st.text(alphabet=list(" ,/ax2\"'"), max_size=12),
                       st.sampled_from(['"', "'", ""])).map("".join)
_HTML = st.one_of(st.text(alphabet=_CHARS, max_size=60),
                  st.lists(st.one_of(_ATTRIBUTE, st.text(alphabet=_CHARS, max_size=6)), max_size=8).map("".join))


@given(_HTML)
def test_rewriting_matches_a_plain_regex(html: str) -> None:
    """The hand-rolled scan finds exactly what the obvious (slower) regex finds."""
    assert rewrite_links(html, lambda url: f"[{url}]")[0] == _reference_rewrite(html)
    assert rewrite_links(html, lambda url: None)[1] == _reference_urls(html)
