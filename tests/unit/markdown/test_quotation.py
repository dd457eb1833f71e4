"""Smart punctuation's quotation marks as the site's language writes them, in both engines."""

from __future__ import annotations

import re
from html import unescape

import pyromark
import pytest

from publisher.config.model import MarkdownConfig
from publisher.core.quotes import ENGLISH, Quotes, quotes_for
from publisher.markdown.commonmark import OPTIONS
from publisher.markdown.engines import make_converter
from publisher.markdown.quotation import localized_events

from .spec import COMMONMARK, GFM, GFM_KINDS, examples

ENGINES = ("commonmark", "python-markdown")
NBSP = "\u00a0"


def rendered(text: str, language: str, engine: str = "commonmark") -> str:
    return make_converter(MarkdownConfig(engine=engine, quotes=quotes_for(language))).convert(text).html


def shown(html: str) -> str:
    """The text a reader sees of one paragraph, its spaces as they are (no-break ones included)."""
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("language", "expected"), [
    ("en", "He said “go” and ‘it’s fine’."),
    ("de", "He said „go“ and ‚it’s fine‘."),  # `it‘s` in Python-Markdown with German marks (its #396)
    ("de-AT", "He said „go“ and ‚it’s fine‘."),  # a region's language as its language's
    ("fr", f"He said «{NBSP}go{NBSP}» and «{NBSP}it’s fine{NBSP}»."),  # no-break spaces inside, as French sets them
    ("fr-CA", f"He said «{NBSP}go{NBSP}» and ”it’s fine“."),
    ("ru", "He said «go» and „it’s fine“."),
    ("pl", "He said „go” and «it’s fine»."),
    ("sv", "He said ”go” and ’it’s fine’."),
    ("ja", "He said 「go」 and 『it’s fine』."),
    ("zh-Hant-TW", "He said 「go」 and 『it’s fine』."),
    ("pt-BR", "He said “go” and ‘it’s fine’."),
    ("xx", "He said “go” and ‘it’s fine’."),  # a language CLDR does not know: English's
])
def test_quotes_are_the_sites_languages(engine: str, language: str, expected: str) -> None:
    """Every site's quotes were English's “…” and ‘…’: a German site showed “go” where German writes „go“, a
    French one “go” for « go »."""
    assert shown(rendered("He said \"go\" and 'it's fine'.\n", language, engine)) == expected


@pytest.mark.parametrize("engine", ENGINES)
def test_an_apostrophe_stays_one_with_another_languages_marks(engine: str) -> None:
    html = rendered("Sie sagte 'geht's' und O'Reilly kam, die '90er.\n", "de", engine)
    assert shown(html) == "Sie sagte ‚geht’s‘ und O’Reilly kam, die ’90er."


def test_marks_typed_as_marks_or_entities_are_left_as_written() -> None:
    """Only what smart punctuation made of `"` and `'` is the language's: a German writer's own „…“, an entity and
    an escaped quote are kept, and `Hans' Buch` (no quote open) keeps its apostrophe."""
    html = rendered('„Getippt“, &ldquo;Entität&rdquo;, \\"roh\\", Hans\' Buch und "neu".\n', "de")
    assert shown(html) == '„Getippt“, “Entität”, "roh", Hans’ Buch und „neu“.'


def test_quotes_across_markup_in_headings_lists_and_tables() -> None:
    html = rendered('## "Titel" {#t}\n\n## *"Zwei"*\n\n- \'eins\'\n- "zwei *drei*"\n\n| "a" |\n|---|\n| \'b\' |\n',
                    "de")
    assert '<h2 id="t">„Titel“' in html and "<em>„Zwei“</em>" in html
    assert "<li>‚eins‘</li>" in html and "<li>„zwei <em>drei</em>“</li>" in html
    assert "<th>„a“</th>" in html and "<td>‚b‘</td>" in html
    contents = make_converter(MarkdownConfig(quotes=quotes_for("de"))).convert('## "Eins"\n\n## Zwei\n').toc_html
    assert ">„Eins“</a>" in contents


def test_a_bare_url_in_quotes_ends_before_the_closing_mark() -> None:
    """A German `"https://x.de/a"` linked `https://x.de/a%22`: its closing „…“ mark was not known as punctuation."""
    html = rendered("Siehe \"https://x.de/a\" und 'https://y.de/b'.\n", "de")
    assert '„<a href="https://x.de/a">https://x.de/a</a>“' in html
    assert '‚<a href="https://y.de/b">https://y.de/b</a>‘' in html


def test_code_is_shown_as_typed() -> None:
    html = rendered('`"a"` and\n\n```\n"b" \'c\'\n```\n', "fr")
    assert "<code>&quot;a&quot;</code>" in html and "&quot;b&quot; &#39;c&#39;" in html.replace("'", "&#39;")


def test_marks_set_outright_are_used() -> None:
    quotes = Quotes("»", "«", "›", "‹")  # a German book's chevrons
    html = make_converter(MarkdownConfig(quotes=quotes)).convert("\"A\" 'b'\n").html
    assert html == "<p>»A« ›b‹</p>\n"


@pytest.mark.skipif(not COMMONMARK.is_file(), reason=f"the spec examples are not here: {COMMONMARK}")
def test_with_englishs_marks_the_events_are_pyromarks_own() -> None:
    """The events read with their ranges and merged here are those the default engine reads for English."""
    for example in [*examples(COMMONMARK), *examples(GFM, GFM_KINDS)]:
        text = example.markdown + '\n"Quoted" \'text\', it\'s *"marked"*.\n'
        assert localized_events(text, OPTIONS, ENGLISH) == list(pyromark.events(text, options=OPTIONS)), example


def test_a_talking_point_ends_at_a_quotation_closed_with_another_languages_mark() -> None:
    """German's closing “ was not known to end a sentence: two sentences were one talking point."""
    text = 'Er sagte allen Gästen im Saal: "Wir fangen heute etwas später an." Dann ging er leise aus dem Raum.\n'
    points = make_converter(MarkdownConfig(quotes=quotes_for("de"))).convert(text).talking_points
    assert points == ("Er sagte allen Gästen im Saal: „Wir fangen heute etwas später an.",
                      "Dann ging er leise aus dem Raum.")
