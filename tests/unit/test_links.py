import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.content.links import composed, resolve_url, rewrite_links

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


def _under_r(html: str) -> str:
    return rewrite_links(html, lambda u: resolve_url(u, "content/posts/a.md", "/r/", SOURCES))[0]


@pytest.mark.parametrize(("html", "expected"), [
    ('<video poster="/img/p.jpg"></video>', '<video poster="/r/img/p.jpg"></video>'),
    ("<object data='/files/x.pdf'></object>", "<object data='/r/files/x.pdf'></object>"),
    ('<form action="/subscribe/">', '<form action="/r/subscribe/">'),
    ('<button formaction="/subscribe/">', '<button formaction="/r/subscribe/">'),
    ('<input type="submit" formaction="/subscribe/">', '<input type="submit" formaction="/r/subscribe/">'),
    ('<blockquote cite="/about/">', '<blockquote cite="/r/about/">'),
    ('<q cite="/about/">x</q> <del cite="/a/">y</del> <ins cite="/b/">z</ins>',
     '<q cite="/r/about/">x</q> <del cite="/r/a/">y</del> <ins cite="/r/b/">z</ins>'),
    ('<img src="/a.png" longdesc="/img/a.txt" alt="">', '<img src="/r/a.png" longdesc="/r/img/a.txt" alt="">'),
    ('<table background="/img/bg.png">', '<table background="/r/img/bg.png">'),
    ('<svg><image xlink:href="/img/a.png"/></svg>', '<svg><image xlink:href="/r/img/a.png"/></svg>'),
    ('<a href="/a/" ping="/track/ https://x.example/p\n/log/">', '<a href="/r/a/" ping="/r/track/ https://x.example/p\n/r/log/">'),
    ('<img data-poster="/p.jpg">', '<img data-poster="/r/p.jpg">'),
    ('<p cite="2026-01-01-b.md">', '<p cite="/r/b/">'),
])
def test_every_url_attribute_of_the_html_standard_is_rewritten(html: str, expected: str) -> None:
    assert _under_r(html) == expected


def test_a_media_element_gets_the_base_path_in_each_of_its_urls() -> None:
    html = ('<video src="/v.mp4" poster="/p.jpg"><source src="/v.webm"><track src="/v.vtt"></video>'
            '<audio src="/a.mp3"></audio><embed src="/e.swf"><iframe src="/i/"></iframe>'
            '<map><area href="/m/"></map><link href="/s.css"><svg><image href="/i.png"/></svg>')
    assert _under_r(html) == html.replace('="/', '="/r/')


@pytest.mark.parametrize("html", [
    '<div x-data="{ open: false }" data-action="click->menu#open" data-cite="x" data-style="a">',
    '<div class="action=" style="">', "<p>action='x' in prose has no space before</p>",
    '<form action="">', '<form action="#top">', '<video poster="//cdn.example/p.jpg">',
    '<object data="data:application/pdf;base64,AAA">', '<video poster="https://cdn.example/p.jpg">',
    '<a ping="https://x.example/p">',
])
def test_what_holds_no_url_of_the_site_is_left_alone(html: str) -> None:
    """Beside a poster that does get the base path."""
    assert _under_r(f'<video poster="/p.jpg"></video>{html}') == f'<video poster="/r/p.jpg"></video>{html}'


@pytest.mark.parametrize(("style", "expected"), [
    ("background: url(/img/bg.png)", "background: url(/r/img/bg.png)"),
    ('background: url("/img/bg.png")', 'background: url("/r/img/bg.png")'),
    # As a browser copies a style: what it reads is `url("/x.png")`.
    ("background: url(&quot;/x.png&quot;)", "background: url(&quot;/r/x.png&quot;)"),
    ("background: url(&#39;/x.png&#39;) , url(&quot;/a&amp;b&quot;)",
     "background: url(&#39;/r/x.png&#39;) , url(&quot;/a&amp;b&quot;)"),
    ("background: url( /img/bg.png )", "background: url( /r/img/bg.png )"),
    ("background: URL(img/bg.png) no-repeat, url(/b.png)", "background: URL(/r/img/bg.png) no-repeat, url(/r/b.png)"),
    # Beside one that is rewritten, what holds no URL of the site.
    ("background: url(data:image/png;base64,AAA=), url(b.png)",
     "background: url(data:image/png;base64,AAA=), url(/r/b.png)"),
    ("background: url(//cdn.example/a.png), url(https://x.example/b.png), url(b.png)",
     "background: url(//cdn.example/a.png), url(https://x.example/b.png), url(/r/b.png)"),
    ("fill: url(#gradient); background: url(b.png)", "fill: url(#gradient); background: url(/r/b.png)"),
    ("color: red; content: url(b.png)", "color: red; content: url(/r/b.png)"),
    ("background: url(\\/a.png), url(b.png)", "background: url(\\/a.png), url(/r/b.png)"),  # an escape: not guessed
])
def test_each_url_of_a_style_attribute_is_rewritten(style: str, expected: str) -> None:
    assert _under_r(f"<div style='{style}'>x</div>") == f"<div style='{expected}'>x</div>"


def test_quoted_urls_in_a_style_attribute_and_in_a_style_element() -> None:
    assert _under_r("<div style=\"background: url('/a.png')\">") == "<div style=\"background: url('/r/a.png')\">"
    html = ('<style media="screen">.hero { background: url("/img/hero.jpg") }\n'
            "@font-face { src: url(/fonts/a.woff2) format('woff2') }</style><p class=\"hero\">")
    assert _under_r(html) == html.replace("url(/", "url(/r/").replace('url("/', 'url("/r/')


@pytest.mark.parametrize("html", [
    # Markdown shows code with its `<` escaped, not always its quotes (CommonMark keeps `'`, Python-Markdown `"`).
    "<p><code>&lt;video poster='/img/p.jpg' src='/v.mp4'&gt;</code></p>",
    "<p><code>&lt;a href=\"/x/\"&gt;</code> and <code>style='background:url(/b.png)'</code></p>",
    "<pre><code>&lt;a href='/x/'&gt;indented&lt;/a&gt;\n&lt;form action='/s/'&gt;\n</code></pre>",
    '<pre tabindex="0"><span></span><code><span class="s">\'/a.jpg\'</span> src=\'/b.png\'</code></pre>',
    "<pre>never closed <code> src='/a.png'",
])
def test_urls_shown_in_code_are_left_alone(html: str) -> None:
    assert _under_r(html) == html


def test_tags_written_inside_code_still_get_the_base_path() -> None:
    html = "<pre><code class=\"x\"><a href='/a/'>a</a> href='/shown/' <img src=\"/b.png\"></code></pre><a href='/c/'>"
    assert _under_r(html) == ("<pre><code class=\"x\"><a href='/r/a/'>a</a> href='/shown/' <img src=\"/r/b.png\">"
                              "</code></pre><a href='/r/c/'>")


@pytest.mark.parametrize("html", [
    "<style>a { background: url(/a.png) }",  # never ended: left as it is
    "<style>a::after { content: '</style>' } b { background: url(/x.png) }</style>",
    ' style="' + "url(" * 200_000, " style='" + "background: url(/a.png) " * 50_000 + "'",
    "<style>" * 100_000, "<style" * 100_000, "<code>" * 100_000 + " src='x'" * 100_000,
    "<pre>" * 50_000 + "</pre>" * 50_000 + " href='/x'" * 50_000, " poster='" * 100_000,
    "<style>" + "url('" * 100_000 + "</style>", " ping='" + " /a" * 100_000 + "'",
    "<p>" + "style=&quot;url(&quot;" * 100_000, ' style="' + "url(&quot;/a" * 100_000 + '"',
])
def test_hostile_html_comes_through_without_hanging(html: str) -> None:
    """No time is asserted: a quadratic scan of these would not let the suite finish. What comes before them
    is rewritten as ever."""
    assert rewrite_links(html, lambda url: url)[0] == html
    before = '<video poster="/p.jpg"></video>'
    assert _under_r(before + html).startswith('<video poster="/r/p.jpg"></video>')


def test_a_style_element_ends_at_its_end_tag_as_html_reads_it() -> None:
    """HTML ends a `<style>` at its first `</style`, even inside a CSS string: what follows is text."""
    html = ("<style>a { background: url(/a.png) } a::after { content: '</style>' } b { background: url(/x.png) }"
            "</style><img src='/i.png'>")
    assert _under_r(html) == html.replace("url(/a.png)", "url(/r/a.png)").replace("'/i.png'", "'/r/i.png'")


# The attributes of one URL, as a plain regex reads them: `data-NAME` counts for the first four names alone.
_URL_ATTRIBUTE = re.compile(r"""(?:(?<=[\s-])(?:href|src|poster)|(?<=\s)(?:xlink:href|action|formaction|cite|data"""
                            r"""|longdesc|background))=(?:"([^"]*)"|'([^']*)')""")
_URL_NAMES = ["href", "src", "poster", "xlink:href", "action", "formaction", "cite", "data", "longdesc", "background",
              "data-poster", "x-data", "data-action", "form-action", "xlink:src", "hxlink:href"]
_URL_HTML = st.lists(st.one_of(
    st.tuples(st.sampled_from([" ", "-", "\n", "x", ":"]), st.sampled_from(_URL_NAMES),
              st.sampled_from(['="', "='", "="]), st.text(alphabet=list(" /ax\"'"), max_size=8),
              st.sampled_from(['"', "'", ""])).map("".join),
    st.text(alphabet=list(" -=\"'a/x\n"), max_size=6)), max_size=8).map("".join)


@given(_URL_HTML)
def test_url_attributes_match_a_plain_regex(html: str) -> None:
    def mark(match: re.Match[str]) -> str:
        group = 1 if match[1] is not None else 2
        start, end = match.start(group) - match.start(), match.end(group) - match.start()
        return match[0][:start] + f"[{match[group]}]" + match[0][end:]

    assert rewrite_links(html, lambda url: f"[{url}]")[0] == _URL_ATTRIBUTE.sub(mark, html)


@pytest.mark.parametrize(("written", "published"), [
    ("/img/cafe%CC%81.png", "/img/caf%C3%A9.png"),  # pasted from a Mac's Finder, escaped by Markdown
    ("/img/cafe\u0301.png", "/img/caf%C3%A9.png"),  # raw HTML
    ("/a%2Fb/cafe%CC%81%20menu.txt", "/a%2Fb/caf%C3%A9%20menu.txt"),  # escapes of ASCII characters kept as written
    ("/img/caf%c3%a9.png", "/img/caf%c3%a9.png"),  # composed already: as written
    ("/img/100%.png", "/img/100%.png"),
])
def test_a_local_path_is_written_with_its_letters_composed(written: str, published: str) -> None:
    """Static files are published in NFC: a path to one typed or pasted decomposed names the same file."""
    assert composed(written) == published
    assert resolve_url(written, "content/posts/a.md", "/", {}) == published
