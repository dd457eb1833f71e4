"""GFM's autolinks in the default engine: where a bare URL becomes a link and where it must not (the spec's own
examples are in test_conformance.py)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from publisher.config.model import MarkdownConfig
from publisher.config.reader import read_config
from publisher.core.errors import BuildFailed, Problems
from publisher.markdown.autolinks import find_autolinks
from publisher.markdown.commonmark import CommonMarkConverter
from publisher.markdown.engines import engine_version

CONVERTER = CommonMarkConverter(MarkdownConfig())


def html(markdown: str) -> str:
    return CONVERTER.convert(markdown).html


def test_a_bare_url_a_www_address_and_an_email_address_become_links() -> None:
    assert html("Read https://example.com/guide, then www.example.org or write to team@example.com.\n") == (
        '<p>Read <a href="https://example.com/guide">https://example.com/guide</a>, then '
        '<a href="http://www.example.org">www.example.org</a> or write to '
        '<a href="mailto:team@example.com">team@example.com</a>.</p>\n')


def test_a_scheme_in_capitals_is_a_scheme_and_a_letter_before_it_is_not() -> None:
    assert html("HTTPS://Example.com/A and xhttp://example.com\n") == (
        '<p><a href="HTTPS://Example.com/A">HTTPS://Example.com/A</a> and xhttp://example.com</p>\n')


def test_text_already_in_a_link_an_image_or_code_makes_no_link_of_its_own() -> None:
    out = html("[see https://a.example/x](https://b.example/) and <a href=\"/y\">https://c.example/z</a> "
               "![https://d.example/pic](p.png) `https://e.example/`\n\n    https://f.example/\n")
    assert out.count("<a ") == 2
    assert '<a href="https://b.example/">see https://a.example/x</a>' in out
    assert '<a href="/y">https://c.example/z</a>' in out
    assert 'alt="https://d.example/pic"' in out
    assert "<code>https://e.example/</code>" in out
    assert "<code>https://f.example/\n</code></pre>" in out


def test_a_url_after_a_raw_link_closes_is_linked_again() -> None:
    out = html('<a href="/y">here</a> then https://after.example/\n')
    assert '<a href="https://after.example/">https://after.example/</a>' in out


def test_smart_punctuation_does_not_change_a_url() -> None:
    out = html("See https://example.com/a--b/it's... \"quoted\" --\n")
    assert '<a href="https://example.com/a--b/it&#x27;s">https://example.com/a--b/it\'s</a>… “quoted” –' in out


def test_a_url_that_would_break_out_of_its_attribute_is_escaped() -> None:
    out = html('https://example.com/a"onmouseover="alert(1)\n')
    assert '<a href="https://example.com/a%22onmouseover=%22alert(1)">' in out
    assert 'onmouseover="' not in out


def test_a_link_in_a_heading_keeps_the_contents_entry_plain() -> None:
    result = CONVERTER.convert("## See www.example.org\n\n## Two\n")
    assert '<a href="http://www.example.org">www.example.org</a>' in result.html
    assert '<a href="#see-wwwexampleorg">See www.example.org</a>' in result.toc_html


def test_autolinks_off_leaves_text_as_it_is() -> None:
    off = CommonMarkConverter(MarkdownConfig(autolinks=False))
    assert off.convert("Read https://example.com/guide\n").html == "<p>Read https://example.com/guide</p>\n"
    assert engine_version(MarkdownConfig()) == engine_version(MarkdownConfig(autolinks=False))  # the key has repr(cfg)


def test_the_setting_is_read_from_the_config_and_checked(tmp_path: Path) -> None:
    config = tmp_path / "publisher.toml"
    config.write_text('[site]\ntitle = "T"\nurl = "https://hub.example/"\n\n[markdown]\nautolinks = false\n')
    assert read_config(config, Problems()).markdown.autolinks is False
    config.write_text('[site]\ntitle = "T"\nurl = "https://hub.example/"\n\n[markdown]\nautolinks = "no"\n')
    problems = Problems()
    try:
        read_config(config, problems)
        problems.raise_errors()
    except BuildFailed as failed:
        assert any(p.field == "markdown.autolinks" for p in failed.problems)
    else:
        raise AssertionError("a string for a boolean was taken")


@given(st.lists(st.sampled_from([*"ab.-_@:/()<;&?! wxhtps", "www.", "https://", "ftp://"]), max_size=40)
       .map("".join))
def test_links_are_in_order_apart_and_hold_no_space_or_angle_bracket(text: str) -> None:
    at = 0
    for link in find_autolinks(text):
        assert at <= link.start < link.end <= len(text)
        shown = text[link.start:link.end]
        assert not any(char.isspace() or char == "<" for char in shown)
        assert link.href.endswith(shown)
        assert shown[-1] not in "?!.,:*_~'\""
        at = link.end


def test_a_run_of_www_starts_is_read_once_and_a_link_after_it_is_found() -> None:
    """Each `www.` after `_` starts an address whose domain runs on to the run's end: read from each start, 32,000
    of them took 34 s. The domain is read from its end now, and its run's end kept for the starts inside it."""
    text = "_www." * 32_000 + " and www.example.com."
    assert [(link.start, link.href) for link in find_autolinks(text)] == [(len(text) - 16, "http://www.example.com")]
