"""Both engines give the theme the markup it styles: anchors, contents, footnotes, code, pull quotes, excerpt."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

from publisher.config.model import MarkdownConfig
from publisher.core.text import plain_text
from publisher.markdown.engines import Converter, engine_version, make_converter
from publisher.markdown.finishing import PAGE_IDS
from publisher.markdown.result import RenderedMarkdown

ENGINES = ("commonmark", "python-markdown")
CFG = MarkdownConfig(words_per_minute=100)

DOCUMENT = """Intro with a note[^n] and *emphasis*.

<!-- more -->

## First part

Text "quoted" -- and done...

### A detail

```python
def greet(name: str) -> str:
    return f"Hello, {name} & <you>"
```

## First part

> [!pullquote]
> Long-form pieces earn links; short posts earn likes.

Between the quotes.

> An ordinary quote.

[^n]: The note's text.
"""


@pytest.fixture(params=ENGINES)
def converter(request: pytest.FixtureRequest) -> Converter:
    return make_converter(MarkdownConfig(words_per_minute=100, engine=request.param))


def convert(converter: Converter, text: str = DOCUMENT) -> RenderedMarkdown:
    return converter.convert(text)


def test_headings_get_ids_and_anchor_links(converter: Converter) -> None:
    html = convert(converter).html
    assert ('<h2 id="first-part">First part<a class="heading-anchor" href="#first-part" '
            'title="Link to this section">#</a></h2>') in html
    assert '<h2 id="first-part_1">' in html  # the same heading twice: the second id is made unique
    assert '<h3 id="a-detail">' in html



def test_two_thousand_headings_of_one_text_get_the_next_free_number_each(converter: Converter) -> None:
    """Each id counted from `_1` again took 16,000 such headings 35 s in publisher's own engine."""
    html = converter.convert("## Same\n\n## Same_2\n\n" + "## Same\n\n" * 2000).html
    numbers = [1, *range(3, 2002)]  # the first "Same" has none: 2,000 more, and `same_2` was taken
    assert re.findall(r'<h2 id="([^"]*)"', html) == ["same", "same_2", *(f"same_{n}" for n in numbers)]


def ids_in_order(html: str) -> list[str]:
    """Every id of `html`, in the order of its elements, as a browser's parser reads them."""
    return [element.get("id") for element in html5lib.parse(html, namespaceHTMLElements=False).iter()
            if element.get("id") is not None]


def test_every_id_is_unique_and_a_written_one_leads_to_its_heading_wherever_it_is(converter: Converter) -> None:
    """Python-Markdown kept `{#same}` given twice (invalid HTML; the second heading out of reach) and gave
    `## FAQ` the id of the `<a id="faq">` above it; the default engine did that too, and gave `## Pricing {#plans}`
    `plans_1` once `## Plans` above it had made `plans`, so the body's own link to `#plans` led to the wrong
    heading. The engines also differed there. Now both give the written ids first, then the others step aside."""
    out = converter.convert('## Plans\n\n## Pricing {#plans}\n\nSee [our plans](#plans).\n\n## A {#same}\n\n'
                            '## B {#same}\n\n<a id="faq"></a>\n\n## FAQ\n\nText <span id="note">x</span>.\n\n'
                            "## Note\n\n## Sign up {#cta}\n")
    ids = ids_in_order(out.html)
    assert ids == ["plans_1", "plans", "same", "same_1", "faq", "faq_1", "note", "note_1", "cta_1"]
    assert re.findall(r'<h2 id="plans">Pricing', out.html)
    assert re.findall(r'href="#([^"]+)"', out.toc_html) == [i for i in ids if i not in ("faq", "note")]


def test_contents_list_the_headings_to_the_configured_depth(converter: Converter) -> None:
    toc = convert(converter).toc_html
    assert toc.startswith('<div class="toc">')
    assert re.findall(r'href="#([^"]+)"', toc) == ["first-part", "a-detail", "first-part_1"]
    assert "<ul>" in toc.split('href="#first-part"')[1].split('href="#a-detail"')[0]  # h3 nested under its h2
    assert convert(converter, "## Only one\n\ntext\n").toc_html == ""


def test_footnotes_link_both_ways(converter: Converter) -> None:
    html = convert(converter).html
    assert '<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">1</a></sup>' in html
    assert '<div class="footnote">' in html and '<li id="fn:n">' in html
    assert ('<a aria-label="Back to reference 1" class="footnote-backref" href="#fnref:n" '
            'title="Back to reference 1">&#8617;</a>') in html  # named in words, not "leftwards arrow with hook"


def test_code_is_highlighted_with_the_themes_classes(converter: Converter) -> None:
    html = convert(converter).html
    assert '<div class="highlight"><pre tabindex="0"><span></span><code><span class="k">def</span>' in html
    assert "&amp; &lt;you&gt;" in html  # escaped inside the highlighted string


def test_pull_quotes_are_marked_and_collected(converter: Converter) -> None:
    out = convert(converter)
    assert '<blockquote class="pullquote">\n<p>Long-form pieces earn links; short posts earn likes.</p>' in out.html
    assert "[!pullquote]" not in out.html
    assert out.pull_quotes == ("Long-form pieces earn links; short posts earn likes.",)
    assert "<blockquote>\n<p>An ordinary quote.</p>" in out.html


def test_excerpt_stops_at_the_more_marker_without_footnote_markers(converter: Converter) -> None:
    out = convert(converter)
    assert out.excerpt_html == "<p>Intro with a note and <em>emphasis</em>.</p>"
    assert "<!--" not in out.html.split("<h2")[0]  # the marker itself is not published


def test_an_excerpt_of_a_heading_carries_neither_its_anchor_nor_its_footnote_markers(converter: Converter) -> None:
    """A heading with a footnote before `<!--more-->`: the excerpt read "A heading1#" as text (meta description,
    feeds' summaries, share texts), its links pointing into a page it is not on."""
    out = convert(converter, "## A heading[^b]\n\nText[^c] here.\n\n<!--more-->\n\nMore.\n\n## Second[^b]\n\n"
                             "[^b]: Note B.\n[^c]: Note C.\n")
    assert out.excerpt_html == '<h2 id="a-heading">A heading</h2>\n<p>Text here.</p>'
    assert plain_text(out.excerpt_html) == "A heading Text here."
    assert 'A heading<sup id="fnref:b">' in out.html and out.html.count('class="heading-anchor"') == 2


def test_excerpt_without_a_marker_is_the_first_text_paragraph(converter: Converter) -> None:
    out = convert(converter, "![cover](/c.png)\n\nFirst words.\n\nSecond.\n")
    assert out.excerpt_html == "<p>First words.</p>"


def test_smart_punctuation(converter: Converter) -> None:
    text = plain_text(convert(converter).html)
    assert "“quoted” – and done…" in text


def test_words_and_reading_time(converter: Converter) -> None:
    out = convert(converter, " ".join(["word"] * 250) + "\n")
    assert out.word_count == 250 and out.reading_minutes == 3


def test_each_document_starts_afresh(converter: Converter) -> None:
    first = convert(converter)
    second = convert(converter, "## First part\n\nPlain.\n")
    assert '<h2 id="first-part">' in second.html  # ids are not carried over from the document before
    assert convert(converter) == first


def test_engine_versions_differ_so_a_switch_renders_everything_again() -> None:
    assert len({engine_version(MarkdownConfig(engine=name)) for name in ENGINES}) == 2


# What only the default (CommonMark + GFM) engine does --------------------------------------------

COMMONMARK = make_converter(CFG)


def test_gfm_tables_strikethrough_and_task_lists() -> None:
    text = "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n~~gone~~ but ~5 stays\n\n- [x] done\n- [ ] next\n"
    html = COMMONMARK.convert(text).html
    assert '<th style="text-align: left;">a</th>' in html and '<td style="text-align: right;">2</td>' in html
    assert "<del>gone</del> but ~5 stays" in html
    assert '<input type="checkbox" disabled checked aria-label="done"> done' in html
    assert '<input type="checkbox" disabled aria-label="to do"> next' in html


def test_heading_attributes_set_the_id_and_class() -> None:
    html = COMMONMARK.convert("## Pricing {#plans .wide}\n\n## Plans\n").html
    assert '<h2 id="plans" class="wide">Pricing' in html
    assert '<h2 id="plans_1">Plans' in html  # a written id is kept; the slug made later steps aside



def test_highlighted_lines_are_marked_and_a_line_number_of_thousands_of_digits_is_none() -> None:
    """A number of 5,000 digits, past Python's limit for reading an integer, stopped the build with a traceback."""
    html = COMMONMARK.convert(f'```python hl_lines="2 {"9" * 5000}"\nx = 1\ny = 2\n```\n').html
    assert html.count('<span class="hll">') == 1 and '<span class="hll"><span class="n">y</span>' in html



@pytest.mark.parametrize(("text", "notes", "refs"), [
    ("Text[^Note].\n\n[^note]: The note.\n", [("Note", "The note.")], ["Note"]),  # it was left out, unlinked
    ("A[^x].\n\n[^X]: big.\n\n[^x]: small.\n", [("x", "big.")], ["x"]),  # the later one was shown
    ("A[^a b] B[^a-b].\n\n[^a b]: one.\n\n[^a-b]: two.\n", [("a-b", "one."), ("a-b-2", "two.")],
     ["a-b", "a-b-2"]),  # both were `a-b`: the second reference led to the first note
])
def test_footnote_labels_match_as_commonmark_matches_them_and_each_note_has_an_id_of_its_own(
        text: str, notes: list[tuple[str, str]], refs: list[str]) -> None:
    html = COMMONMARK.convert(text).html
    assert re.findall(r'<li id="fn:([^"]+)">\n<p>([^&<]+)&#160;', html) == notes
    assert re.findall(r'<sup id="fnref:[^"]+"><a class="footnote-ref" href="#fn:([^"]+)">', html) == refs


def test_hostile_text_is_escaped_and_links_are_encoded() -> None:
    html = COMMONMARK.convert('a < b & "c" [a](</p q?x=1&y="2">) ![b <c>](</i m.png> "t\\"")\n').html
    assert "a &lt; b &amp; “c”" in html
    assert '<a href="/p%20q?x=1&amp;y=%222%22">a</a>' in html
    assert '<img src="/i%20m.png" alt="b &lt;c&gt;" title="t&quot;">' in html


def test_a_marker_inside_a_paragraph_ends_the_excerpt_with_that_paragraph() -> None:
    out = COMMONMARK.convert("One <!--more--> two.\n\nThree.\n")
    assert out.excerpt_html == "<p>One  two.</p>"



@pytest.mark.parametrize(("label", "key"), [("50%", "50%25"), ("a#b", "a%23b"), ('"q"', "%22q%22"),
                                            ("my note", "my-note"), ("café", "café")])
def test_a_notes_ids_are_valid_and_their_own_links_whatever_its_label(converter: Converter, label: str,
                                                                       key: str) -> None:
    """`[^50%]`, `[^a#b]` and `[^"q"]` were linked as `#fn:50%`, `#fn:a#b`, `#fn:"q"` (not URLs: the Nu checker
    refused them, and no browser follows `%` starting no escape); Python-Markdown made `[^my note]` the id
    `fn:my note`, which HTML refuses. Both engines make the same ids, as before for plain labels."""
    html = converter.convert(f"Text[^{label}] and again[^{label}].\n\n[^{label}]: The note.\n").html
    key = key.replace('"', "&quot;")
    assert f'<sup id="fnref:{key}"><a class="footnote-ref" href="#fn:{key}">1</a></sup>' in html
    assert f'<li id="fn:{key}">' in html
    assert f'href="#fnref:{key}"' in html and f'href="#fnref2:{key}"' in html and f'<sup id="fnref2:{key}">' in html


def test_links_to_headings_are_valid_urls_whatever_their_id() -> None:
    """`## Sale {#50%}` was linked as `#50%`, which no browser follows; the id stays as written."""
    html = COMMONMARK.convert("## Custom {#a%b}\n\n## Other {#c#d}\n").html
    assert '<h2 id="a%b">Custom<a class="heading-anchor" href="#a%25b"' in html
    assert '<h2 id="c#d">' in html and 'href="#c%23d"' in html
    toc = COMMONMARK.convert("## Custom {#a%b}\n\n## Café 日本\n").toc_html
    assert re.findall(r'href="([^"]+)"', toc) == ["#a%25b", "#café-日本"]  # letters of any script stay as written


def test_a_headings_id_steps_aside_from_the_ids_of_the_page_around_the_body(converter: Converter) -> None:
    """`## CTA` had the id `cta` of the CTA below the body (twice on the page: invalid HTML), and the inline
    pointer to the form (`#cta`) led to that heading; `## Main` took the `<main>`'s id."""
    out = converter.convert("## CTA\n\n## Main\n\n## Main\n\n## Related title\n\nText.\n")
    assert re.findall(r'<h2 id="([^"]+)"', out.html) == ["cta_1", "main_1", "main_2", "related-title_1"]
    assert re.findall(r'href="#([^"]+)"', out.toc_html) == ["cta_1", "main_1", "main_2", "related-title_1"]


def test_the_ids_headings_step_aside_from_are_those_of_the_default_themes_pages_with_a_body() -> None:
    templates = Path(__file__).resolve().parents[3] / "themes" / "default" / "templates"
    around_a_body = [templates / name for name in ("base.html", "post.html", "page.html", "offer.html")]
    written = {found for path in [*around_a_body, *sorted((templates / "partials").glob("*.html"))]
               for found in re.findall(r'\bid="([^"{]+)"', path.read_text(encoding="utf-8"))}
    assert written == PAGE_IDS


@pytest.mark.parametrize("kind", ["Note", "Tip", "Important", "Warning", "Caution"])
def test_an_alert_says_its_kind_in_words(kind: str) -> None:
    """`> [!WARNING]` gave a quote of class `alert-warning` and nothing else: the warning looked, and was read
    aloud, as any quote. GitHub shows the kind as the alert's first line."""
    html = COMMONMARK.convert(f"> [!{kind.upper()}]\n> Back up first.\n").html
    assert html == (f'<blockquote class="alert alert-{kind.lower()}">\n<p class="alert-title">{kind}</p>\n'
                    "<p>Back up first.</p>\n</blockquote>\n")


def test_a_note_referenced_only_from_a_note_never_referenced_is_left_out_with_it() -> None:
    """`[^orphan]`, referenced only in the text of a note the body never references, was listed, its back-link
    leading to a reference that is not on the page; and a note referenced from the body and from such a note had
    a second back-link to nowhere."""
    html = COMMONMARK.convert("Body[^used] and[^both].\n\n[^unused]: Refers to[^orphan] and[^both].\n"
                              "[^orphan]: Orphan.\n[^used]: Used, refers to[^inner].\n[^inner]: Inner.\n"
                              "[^both]: Both.\n").html
    assert re.findall(r'<li id="fn:([^"]+)">', html) == ["used", "both", "inner"]
    assert "orphan" not in html and "unused" not in html and 'href="#fnref2:both"' not in html
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    assert all(target in ids for target in re.findall(r'href="#([^"]+)"', html))  # every link leads somewhere
    assert re.findall(r'class="footnote-ref" href="#fn:[^"]+">(\d+)<', html) == ["1", "2", "3"]


def test_text_in_raw_htmls_code_and_keys_is_shown_as_typed() -> None:
    """Smart punctuation went into raw HTML's `<code>`, `<kbd>` and `<samp>`: `<kbd>'</kbd>` showed the key ‘,
    `<code>it's "x" -- y</code>` was `it’s “x” – y`, and a URL in it became a link; as in a code span, no more."""
    html = COMMONMARK.convert("Press <kbd>'</kbd>, run <code>it's \"x\" -- y... https://x.com</code>, "
                              "<SAMP>don't</SAMP>, but \"this\" isn't.\n\nOpen <code>a'b\n\nNext 'para'.\n").html
    assert "<kbd>'</kbd>" in html and "<SAMP>don't</SAMP>" in html
    assert "<code>it's &quot;x&quot; -- y... https://x.com</code>" in html
    assert "but “this” isn’t." in html
    assert "<p>Next ‘para’.</p>" in html  # a <code> left open ends with its paragraph


def test_highlighted_lines_may_be_ranges_cut_to_the_block() -> None:
    """`hl_lines="2-3"`, as MkDocs and Hugo write a range, was ignored: the block showed no line marked."""
    code = "\n".join(f"x{n} = {n}" for n in range(1, 7))
    html = COMMONMARK.convert(f'```python hl_lines="2-3 5 6-999999999 4-1"\n{code}\n```\n').html
    marked = re.findall(r'<span class="hll"><span class="n">(x\d)</span>', html)
    assert marked == ["x2", "x3", "x5", "x6"]
