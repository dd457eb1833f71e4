"""The default engine against the CommonMark 0.31.2 spec and the GFM extensions' own examples."""

from __future__ import annotations

import pytest

from publisher.config.model import MarkdownConfig
from publisher.markdown.commonmark import CommonMarkConverter

from .spec import COMMONMARK, GFM, GFM_KINDS, Example, examples, normalize

pytestmark = pytest.mark.skipif(not COMMONMARK.is_file(), reason=f"the spec examples are not here: {COMMONMARK}")

CONVERTER = CommonMarkConverter(MarkdownConfig())
# The spec's plain examples are CommonMark's, with no extension: some say a bare URL stays text (#613, #614).
PLAIN = CommonMarkConverter(MarkdownConfig(autolinks=False))
# What publisher does not do of GFM: the tag filter (see README, "Markdown").
KNOWN_GAPS = {"tagfilter"}


def spec_examples() -> list[Example]:
    return [*examples(COMMONMARK), *examples(GFM, GFM_KINDS)]


def passes(example: Example) -> bool:
    converter = CONVERTER if example.kind else PLAIN
    return normalize(converter.convert(example.markdown).html) == normalize(example.html)


def test_at_least_97_percent_of_the_spec_examples_pass() -> None:
    cases = spec_examples()
    failed = [f"{e.kind or 'commonmark'} #{e.number}" for e in cases if not passes(e)]
    assert len(cases) == 655 + 22
    assert 1 - len(failed) / len(cases) >= 0.97, failed


@pytest.mark.parametrize("kind", ["table", "strikethrough", "autolink"])
def test_every_table_strikethrough_and_autolink_example_passes(kind: str) -> None:
    cases = list(examples(GFM, (kind,)))
    assert cases and [e.number for e in cases if not passes(e)] == []


def test_the_failures_are_the_known_gaps_and_one_smart_punctuation_case() -> None:
    failed = [e for e in spec_examples() if not passes(e)]
    assert {e.kind for e in failed} - {""} <= KNOWN_GAPS
    assert len([e for e in failed if e.kind == ""]) <= 1  # `foo -->` outside a comment: the dash pair is typeset


def test_the_normalizer_tells_different_html_apart() -> None:
    assert normalize("<p>a <em>b</em></p>") == normalize("<p>a  <em>b</em></p>\n")
    assert normalize("<p>a <em>b</em></p>") != normalize("<p>a <strong>b</strong></p>")
    assert normalize('<h2 id="x">T<a class="heading-anchor" href="#x">#</a></h2>') == normalize("<h2>T</h2>")
    assert normalize('<table tabindex="0"><tr><td>a</td></tr></table>') == normalize("<table><tr><td>a</td></tr>"
                                                                                     "</table>")
    assert normalize('<pre tabindex="1">a</pre>') != normalize("<pre>a</pre>")
