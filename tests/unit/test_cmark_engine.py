"""The cmark engine renders like the default (Python-Markdown) engine where a reader can tell."""

import html
import os

import pytest

from publisher.config.model import MarkdownConfig
from publisher.core.text import plain_text
from publisher.markdown.cmark import _OPTIONS, CmarkConverter, _to_html
from publisher.markdown.python_markdown import PythonMarkdownConverter

CFG = MarkdownConfig(words_per_minute=100)
CMARK = CmarkConverter(CFG)
DEFAULT = PythonMarkdownConverter(CFG)

PYTHON_BLOCK = '```python\ndef greet(name: str) -> str:\n    return f"Hello, {name} & <you>"\n```\n'


def both(text: str):
    return DEFAULT.convert(text), CMARK.convert(text)


def test_gfm_table_strikethrough_autolink_tasklist() -> None:
    out = CMARK.convert(
        "| a | b |\n|:--|:-:|\n| 1 | 2 |\n\n~~gone~~ but ~5 stays\n\nSee https://example.com/x\n\n- [x] done\n")
    assert "<table>" in out.html and "<td style=\"text-align: left;\">1</td>" in out.html
    assert "<del>gone</del> but ~5 stays" in out.html  # one tilde is not strikethrough
    assert '<a href="https://example.com/x">https://example.com/x</a>' in out.html
    assert '<input type="checkbox" checked="" disabled="" /> done' in out.html


def test_table_markup_matches_default() -> None:
    default, cmark = both("| Stage | Share |\n|:------|------:|\n| top | 40% |\n| bottom | 5% |\n")
    assert cmark.html == default.html


def test_footnotes_link_to_a_note_like_the_default_engine() -> None:
    text = "Claim[^src] and again[^src], plus[^2].\n\n[^src]: The source.\n[^2]: Another note.\n"
    default, cmark = both(text)
    assert '<sup id="fnref:src"><a class="footnote-ref" href="#fn:src">1</a></sup>' in cmark.html
    assert '<li id="fn:src">' in cmark.html and "The source." in cmark.html
    assert cmark.html == default.html  # same markup, backlinks and titles included


def test_footnote_ending_in_a_list_gets_its_backlink_paragraph() -> None:
    default, cmark = both("Text[^l].\n\n[^l]: Intro.\n\n    - one\n    - two\n")
    assert cmark.html == default.html


def test_python_code_block_is_highlighted_exactly_as_by_default() -> None:
    default, cmark = both(PYTHON_BLOCK)
    assert cmark.html.startswith('<div class="highlight"><pre><span></span><code><span class="k">def</span>')
    assert cmark.html == default.html


@pytest.mark.parametrize("block", [
    "```\nplain <b> & text\n```\n",  # fenced, no language
    "    indented <code>\n    second line\n",  # indented
    "    #!python\n    print('shebang header')\n",  # indented, first-line language header
    '```python hl_lines="2"\na = 1\nb = 2\n```\n',
    "```{.js .wide}\nlet x = 1;\n```\n",
    "```nosuchlanguage\nzzz\n```\n",
    "```python\nif x:\n\treturn 1\n```\n",  # tabs expanded as by the default engine
])
def test_other_code_blocks_match_the_default(block: str) -> None:
    default, cmark = both(block)
    assert cmark.html == default.html


def test_heading_ids_anchors_and_toc_match_the_default() -> None:
    text = ("Intro.\n\n## Setup\n\ntext\n\n## Setup\n\n### Setup\n\n## Überblick für Café\n\n"
            "## 日本語の見出し\n\n### Custom {#setup_1x .wide}\n\n#### Too deep for the toc\n\n"
            "## Ends with hashes ##\n\n## Code `a<b` & more\n")
    default, cmark = both(text)
    assert cmark.html == default.html
    assert cmark.toc_html == default.toc_html
    assert cmark.heading_count == default.heading_count == 8
    assert 'id="setup_2"' in cmark.html and 'id="überblick-für-café"' in cmark.html
    assert ('<h2 id="setup">Setup<a class="heading-anchor" href="#setup" '
            'title="Link to this section">#</a></h2>') in cmark.html
    assert '<h3 class="wide" id="setup_1x">Custom<a class="heading-anchor"' in cmark.html


def test_custom_ids_are_reserved_before_slugs_are_made() -> None:
    default, cmark = both("## First\n\n## Other {#first}\n")
    assert cmark.html == default.html
    assert 'id="first_1"' in cmark.html


def test_toc_marker_and_single_heading() -> None:
    default, cmark = both("[TOC]\n\n## One\n\n## Two\n")
    assert cmark.html == default.html and cmark.html.startswith('<div class="toc">')
    assert CMARK.convert("## Only\n\ntext\n").toc_html == ""


def test_raw_html_headings_are_left_alone() -> None:
    default, cmark = both('<h2 class="raw">Raw</h2>\n\n## Real\n')
    assert '<h2 class="raw">Raw</h2>' in cmark.html
    assert cmark.toc_html == default.toc_html and cmark.heading_count == default.heading_count == 1


def test_excerpt_from_more_marker_and_first_paragraph() -> None:
    for text in ("One[^n].\n\nTwo.\n\n<!--more-->\n\nThree.\n\n[^n]: note\n",
                 "![cover](/c.png)\n\nFirst words.\n\nSecond.\n",
                 "Lead in.\n<!--more-->\nRest.\n"):
        default, cmark = both(text)
        assert cmark.excerpt_html == default.excerpt_html
        assert "more" not in cmark.html
    assert CMARK.convert("One[^n].\n\nTwo.\n\n<!--more-->\n\nThree.\n\n[^n]: note\n").excerpt_html == \
        "<p>One.</p>\n<p>Two.</p>"


def test_word_count_and_reading_time_close_to_the_default() -> None:
    text = ('It\'s a "long-form" post -- with state-of-the-art words... and 1,500 readers[^1].\n\n'
            "## A heading\n\n" + " ".join(["word"] * 250) + "\n\n- one\n- two\n\n"
            + PYTHON_BLOCK + "\n| a | b |\n|---|---|\n| c | d |\n\n[^1]: A note.\n")
    default, cmark = both(text)
    assert abs(cmark.word_count - default.word_count) <= 2
    assert cmark.reading_minutes == default.reading_minutes == 3


def test_smart_punctuation_reads_the_same() -> None:
    default, cmark = both('"Quoted," she said -- it\'s done... --- right?\n')
    assert "“Quoted,” she said – it’s done… — right?" in cmark.html
    assert plain_text(cmark.html) == plain_text(default.html)


def test_raw_html_passes_through() -> None:
    text = ('<aside class="note">raw <b>html</b></aside>\n\nInline <span class="x">span</span>.\n\n'
            '<script>x()</script>\n')
    default, cmark = both(text)
    for fragment in ('<aside class="note">raw <b>html</b></aside>', '<span class="x">span</span>',
                     "<script>x()</script>"):
        assert fragment in cmark.html and fragment in default.html


def test_pull_quotes_match_the_default() -> None:
    default, cmark = both("> [!pullquote]\n> Long-form pieces earn links.\n\nBody.\n")
    assert cmark.pull_quotes == default.pull_quotes
    assert cmark.html == default.html


def test_output_is_deterministic_and_not_carried_between_documents() -> None:
    text = "Text[^a].\n\n## Intro\n\n" + PYTHON_BLOCK + "\n[^a]: first\n"
    first = CMARK.convert(text)
    assert CMARK.convert(text) == first == CmarkConverter(CFG).convert(text)
    second = CMARK.convert("## Intro\n\nPlain.\n")
    assert "footnote" not in second.html and 'id="intro"' in second.html


def test_empty_document() -> None:
    default, cmark = both("  \n")
    assert cmark == default


def test_no_sourcepos_leaks_into_output() -> None:
    out = CMARK.convert("# T\n\n> quote\n\n1. a\n2. b\n\n| x |\n|---|\n| y |\n\n    code\n\n[^1]\n\n[^1]: n\n")
    assert "data-sourcepos" not in out.html and "data-sourcepos" not in html.unescape(out.toc_html)


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs Linux /proc")
def test_renders_do_not_leak_cmark_memory() -> None:
    # cmarkgfm's own wrapper never frees the parsed tree (~0.4 MB per render of this text).
    text = ("## Part\n\nSome *text* with a [link](/x) and a note[^1].\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "- item\n- item\n\n" * 60 + "[^1]: The note.\n")

    def rss_mb() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6

    for _ in range(20):
        _to_html(text, _OPTIONS)
    before = rss_mb()
    for _ in range(200):
        _to_html(text, _OPTIONS)
    assert rss_mb() - before < 20
