from publisher.config.model import MarkdownConfig
from publisher.core.text import plain_text
from publisher.markdown.python_markdown import PythonMarkdownConverter

RENDER = PythonMarkdownConverter(MarkdownConfig(words_per_minute=100))


def test_the_extensions_writers_rely_on() -> None:
    out = RENDER.convert(
        'Intro "quoted" -- dash[^1].\n\n## First part {#first .lead}\n\n```python\nprint("hi")\n```\n\n'
        "### Sub\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<aside>raw html</aside>\n\n[^1]: The note.\n")
    html = out.html
    assert "&ldquo;quoted&rdquo;" in html and "&ndash;" in html  # smart quotes
    assert '<h2 class="lead" id="first">' in html  # attribute lists
    assert 'class="heading-anchor" href="#first"' in html  # heading anchors
    assert '<span class="nb">print</span>' in html  # Pygments classes
    assert '<div class="highlight"><pre tabindex="0">' in html  # reached from the keyboard, to scroll it
    assert '<table tabindex="0">' in html and "<td>1</td>" in html
    assert '<div class="footnote">' in html
    assert "<aside>raw html</aside>" in html  # raw HTML passes through
    assert 'href="#first"' in out.toc_html and 'href="#sub"' in out.toc_html


def test_excerpt_from_more_marker() -> None:
    out = RENDER.convert("One[^n].\n\nTwo.\n\n<!--more-->\n\nThree.\n\n[^n]: note\n")
    assert out.excerpt_html == "<p>One.</p>\n<p>Two.</p>"  # footnote marker dropped from the excerpt
    assert "more" not in out.html


def test_excerpt_is_first_text_paragraph() -> None:
    out = RENDER.convert("![cover](/c.png)\n\nFirst words.\n\nSecond.\n")
    assert out.excerpt_html == "<p>First words.</p>"


def test_word_count_and_reading_time() -> None:
    out = RENDER.convert(" ".join(["word"] * 250) + "\n\n## Head ing\n")
    assert out.word_count == 252
    assert out.reading_minutes == 3


def test_no_toc_for_a_single_heading() -> None:
    assert RENDER.convert("## Only\n\ntext\n").toc_html == ""


def test_renderer_is_reset_between_documents() -> None:
    RENDER.convert("Text[^a].\n\n[^a]: first\n")
    second = RENDER.convert("## Intro\n\nPlain.\n")
    assert "footnote" not in second.html
    assert 'id="intro"' in second.html  # ids do not become intro_1 from the previous document


def test_plain_text() -> None:
    assert plain_text("<p>A &amp; <em>B</em>\n C</p>") == "A & B C"


def test_pull_quotes_are_marked_and_collected_without_their_marker() -> None:
    text = ("Intro.\n\n> [!pullquote]\n> Long-form pieces *earn* links.\n\n"
            "A paragraph.\n\n> An ordinary quote.\n\nMore.\n\n> [!PullQuote]\n> Second one.\n")
    rendered = PythonMarkdownConverter(MarkdownConfig()).convert(text)
    assert rendered.pull_quotes == ("Long-form pieces earn links.", "Second one.")
    assert rendered.html.count('<blockquote class="pullquote">') == 2
    assert "<blockquote>\n<p>An ordinary quote.</p>" in rendered.html
    assert "[!pullquote]" not in rendered.html.lower()
    assert "<em>earn</em>" in rendered.html
