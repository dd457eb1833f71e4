"""HTML shaped to be slow for the patterns that read rendered bodies: tags and elements that never end.

Each pattern of the shape `<(name)…>.*?</\\1>` or `<[^>]*>` tried every start with no end after it to the end of
the text, so such a body cost the square of its size (16,000 starts: 16 to 35 s). These check what each reads of
such HTML, at sizes the old patterns took seconds for; timing is left to benchmarks.
"""

from __future__ import annotations

from markupsafe import Markup

from publisher.core.text import count_words, plain_text
from publisher.editorial.body_text import read_body
from publisher.markdown.finishing import excerpt_of, mark_pull_quotes, talking_points

SENTENCE = "This sentence stands on its own and ends well."


def test_talking_points_pass_over_elements_that_never_end() -> None:
    body = f"<p>{SENTENCE}</p>\n<p>" + "x <aside> " * 4000 + "</p>\n" + "<li>\n" * 4000 + f"<li>{SENTENCE}</li>"
    assert talking_points(body) == (SENTENCE,)  # the `<aside>`s never end: nothing is taken out for them
    quoted = f"<p>{SENTENCE}</p><blockquote><p>Someone else's words, not ours at all.</p></blockquote>"
    assert talking_points(quoted) == (SENTENCE,)  # a quote that ends is taken out


def test_text_of_tags_that_never_end_is_kept_as_text() -> None:
    assert plain_text(Markup("<p>An <code>excerpt</code> marked safe.</p>")) == "An excerpt marked safe."  # not escaped
    assert plain_text("<p>One</p>" + "<p " * 8000) == "One " + " ".join(["<p"] * 8000)
    assert plain_text("<b>a</b>" + "<" * 32000) == "a" + "<" * 32000
    assert count_words("<i>two words</i>" + "<" * 32000) == 2


def test_pull_quotes_and_the_first_paragraph_past_paragraphs_that_never_end() -> None:
    quote = "<blockquote><p>[!pullquote] Kept.</p></blockquote>"
    marked, quotes = mark_pull_quotes(quote + "<blockquote><p>[!pullquote] x " * 2000)
    assert quotes == ("Kept.",) and marked.startswith('<blockquote class="pullquote">\n<p>Kept.</p>')
    assert excerpt_of("<p>x " * 16000) == ""
    assert excerpt_of("<p><img src=a.png></p><p>First.</p>" + "<p>x " * 16000) == "<p>First.</p>"


def test_the_audit_reads_paragraphs_and_links_past_ones_that_never_end() -> None:
    body = "<div>\n" + "<p>x " * 16000 + "<p>Closed.</p><h2>Part</h2>" + "<a " * 8000 + '<a href="/x/">x</a>'
    read = read_body(body)
    assert (read.paragraphs, read.subheadings, read.links) == (("Closed.",), ("Part",), ("/x/",))  # one `<a` tag
