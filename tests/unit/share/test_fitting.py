"""Fitting: hashtags first, then the summary at a sentence or clause end, then the title; never a link,
hashtag or grapheme, never a fragment or a cut quote."""

from __future__ import annotations

from dataclasses import replace

import pytest

from publisher.social.counting import x_weighted_length
from publisher.social.fitting import (
    CannotFit,
    SharePieces,
    ShareTemplateError,
    SnippetParts,
    clean_text,
    fit,
    pattern_template,
    shortenings,
    tidy,
)
from publisher.social.networks import BUILTIN_NETWORKS, COUNTING_RULES, Network, OverLimit

X = BUILTIN_NETWORKS["x"]
URL = "https://example.com/launch/?utm_source=x&utm_medium=social&utm_campaign=launch&utm_content=announce"
TAGS = ("content marketing", "SEO", "analytics")


def pieces(**changes: object) -> SharePieces:
    values: dict[str, object] = {
        "title": "Launch day",
        "summary": "A short summary.",
        "tags": TAGS,
        "cta": "Read it:",
        "url": URL,
    }
    values.update(changes)
    return SharePieces(**values)  # type: ignore[arg-type]


def test_a_short_text_is_left_alone() -> None:
    snippet = fit(X, pieces())
    assert snippet.text == f"Launch day\n\nA short summary.\n\nRead it: {URL}\n\n#ContentMarketing #SEO"
    assert snippet.count == x_weighted_length(snippet.text) == 10 + 2 + 16 + 2 + 9 + 23 + 2 + 22
    assert (snippet.limit, snippet.unit, snippet.shortened) == (280, "weighted characters", ())
    assert snippet.link_spans == ((snippet.text.index(URL), snippet.text.index(URL) + len(URL)),)


def test_hashtags_go_before_the_summary_is_cut_which_ends_at_a_sentence() -> None:
    summary = " ".join(f"Sentence {i:02d} has six words." for i in range(30))  # 929 characters
    snippet = fit(X, pieces(summary=summary))
    assert snippet.shortened == ("summary", "hashtags") and snippet.parts.hashtags == ()
    assert snippet.count <= 280
    cut = snippet.parts.summary
    assert cut.endswith("words.") and summary.startswith(cut)  # a whole sentence: no ellipsis needed
    # the longest cut that fits: one more sentence would not
    longer = summary[: summary.index(".", len(cut)) + 1]
    assert x_weighted_length(snippet.text.replace(cut, longer)) > 280


def test_the_hashtags_go_first_while_the_whole_summary_fits() -> None:
    network = Network("tiny", 58, COUNTING_RULES["characters"], template="{title} {summary} {url} {hashtags}")
    snippet = fit(network, pieces(url="https://ex.co/a", summary="Alpha beta gamma delta.", tags=("one", "two")))
    assert snippet.text == "Launch day Alpha beta gamma delta. https://ex.co/a #one"  # 55; with #two 60
    assert snippet.shortened == ("hashtags",)


def test_a_summary_is_cut_at_a_clause_end_with_an_ellipsis() -> None:
    summary = "Long-form pieces earn links from the people you serve, while short posts only earn likes"
    network = Network("tiny", 80, COUNTING_RULES["characters"], template="{summary} {url}")
    snippet = fit(network, pieces(summary=summary, url="https://ex.co/a"))
    assert snippet.parts.summary == "Long-form pieces earn links from the people you serve\u2026"


def test_a_summary_that_would_be_a_fragment_is_left_out_and_the_hashtags_come_back() -> None:
    network = Network("tiny", 60, COUNTING_RULES["characters"], template="{title} {summary} {url} {hashtags}")
    summary = "Most readers skim, and the rest of them read every word of it"  # no cut keeps four words
    snippet = fit(network, pieces(url="https://ex.co/a", summary=summary, tags=("one", "two")))
    assert snippet.text == "Launch day https://ex.co/a #one #two"
    assert snippet.shortened == ("summary",)


def test_a_quote_is_never_cut_another_one_whole_or_none() -> None:
    network = Network("tiny", 90, COUNTING_RULES["characters"], template="{summary} {url}")
    quote = "Long-form pieces earn links from the people you serve, while short posts only earn likes."
    other = "Publish less, but better."
    kept = fit(network, pieces(summary=quote, url="https://ex.co/a", summary_cuttable=False, alternatives=(other,)))
    assert kept.parts.summary == other
    alone = fit(network, pieces(summary=quote, url="https://ex.co/a", summary_cuttable=False))
    assert alone.parts.summary == "" and alone.text == "https://ex.co/a"


def test_then_the_title() -> None:
    network = Network("tiny", 40, COUNTING_RULES["characters"], template="{title} {summary} {url} {hashtags}")
    snippet = fit(network, pieces(title="The quite long title of a post", url="https://ex.co/a"))
    assert snippet.text == "The quite long title of\u2026 https://ex.co/a"  # 40
    assert snippet.shortened == ("summary", "hashtags", "title")



@pytest.mark.parametrize("title", ["Private \ue000\ue001 use", "X " + "\ue000" * 8000 + "\ue001"])
def test_a_title_of_private_use_characters_keeps_them_and_the_link(title: str) -> None:
    """The link stands in the text as a private-use marker none of the parts hold: it was looked for as a longer
    run of U+E000 each time (a title of 16,000 took 24 s)."""
    network = Network("roomy", 100_000, COUNTING_RULES["characters"], template="{title} {url}")
    snippet = fit(network, pieces(title=title, url="https://ex.co/a"))
    assert snippet.text == f"{title} https://ex.co/a"


def test_a_title_with_no_word_short_enough_is_cut_by_grapheme() -> None:
    network = Network("tiny", 30, COUNTING_RULES["characters"], template="{title} {url}")
    snippet = fit(network, pieces(title="Donaudampfschifffahrtsgesellschaft", url="https://ex.co/a"))
    assert snippet.text == "Donaudampfsch\u2026 https://ex.co/a"  # 13 + 1 + 1 + 15 = 30


def test_cannot_fit_names_the_network_and_count() -> None:
    network = Network("tiny", 20, COUNTING_RULES["characters"], template="{title} {url}")
    with pytest.raises(CannotFit) as caught:
        fit(network, pieces(url="https://example.com/a-link-longer-than-the-limit"))
    assert caught.value.field == "share.tiny"
    assert str(caught.value).endswith("51 of 20 characters")
    assert str(caught.value.at("content/posts/x.md")).startswith("content/posts/x.md: share.tiny: cannot fit")


def test_cjk_is_cut_at_a_full_stop() -> None:
    summary = "故人西辞黄鹤楼，烟花三月下扬州。孤帆远影碧空尽，唯见长江天际流。" * 8
    snippet = fit(X, pieces(summary=summary, title="送孟浩然之广陵"))
    assert snippet.count <= 280 and "summary" in snippet.shortened
    cut = snippet.parts.summary
    assert len(cut) > 50 and summary.startswith(cut) and cut.endswith("\u3002")


def test_a_link_in_the_summary_is_never_cut() -> None:
    link = "https://example.com/a-long-path,with,commas-and-words-in-it"
    summary = f"Start with the guide at {link} and read it twice, then more words follow"
    network = Network("tiny", 120, COUNTING_RULES["characters"], template="{summary} {url}")
    snippet = fit(network, pieces(summary=summary, url="https://ex.co/a"))
    assert snippet.parts.summary == f"Start with the guide at {link} and read it twice\u2026"  # 101 + 1 + 15
    narrow = fit(replace(network, limit=90), pieces(summary=summary, url="https://ex.co/a"))
    assert narrow.parts.summary == ""  # the commas inside the link are no clause ends


def test_hashtags_in_the_text_are_never_cut() -> None:
    assert shortenings("Go #ContentMarketing now") == ["Go #ContentMarketing\u2026", "Go\u2026"]


def test_shortenings_end_with_the_ellipsis_not_punctuation() -> None:
    assert shortenings("One, two. Three (four)") == [
        "One, two. Three (four\u2026", "One, two. Three\u2026", "One, two\u2026", "One\u2026"]
    assert shortenings("word") == []
    assert shortenings("Donau", by_grapheme=True) == ["Dona\u2026", "Don\u2026", "Do\u2026", "D\u2026"]


def test_shortenings_never_split_a_grapheme() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    forms = shortenings(family * 3, by_grapheme=True)
    assert forms == [family * 2 + "\u2026", family + "\u2026"]


def test_fitting_is_deterministic() -> None:
    long = pieces(summary="Lorem ipsum dolor sit amet " * 40, title="A title " * 20)
    for network in BUILTIN_NETWORKS.values():
        assert fit(network, long) == fit(network, long)


def test_writers_own_text_is_checked_not_shortened() -> None:
    own = pattern_template("{title}! " + "x" * 300 + " {url}")
    with pytest.raises(OverLimit) as caught:
        fit(X, pieces(), own, shorten=False)
    assert not isinstance(caught.value, CannotFit)
    assert str(caught.value) == "336 of 280 weighted characters"
    ok = fit(X, pieces(), pattern_template("{title}! {url}"), shorten=False)
    assert ok.text == f"Launch day! {URL}" and ok.count == 35


def test_templates() -> None:
    parts = SnippetParts("T", "", (), "", "https://ex.co")
    assert pattern_template("{title}\n\n{summary}\n\n{cta} {url}\n\n{hashtags}")(parts) == "T\n\nhttps://ex.co"
    with pytest.raises(ShareTemplateError, match="placeholders"):
        pattern_template("{title} {link}")(parts)
    with pytest.raises(ShareTemplateError, match="does not show the link"):
        fit(X, pieces(), pattern_template("{title}"))
    # a callable template works as well as a pattern (a Jinja template's render, say)
    snippet = fit(X, pieces(), lambda p: f"{p.title} \u2192 {p.url} {p.hashtags_text}".strip())
    assert snippet.text == f"Launch day \u2192 {URL} #ContentMarketing #SEO"


def test_tidy() -> None:
    assert tidy("  a   b \n\n\n\n c  \n") == "a b\n\nc"


def test_link_field_networks() -> None:
    pinterest = fit(BUILTIN_NETWORKS["pinterest"], pieces(title="T " * 80))
    assert URL not in pinterest.text and pinterest.link == URL and pinterest.link_spans == ()
    assert pinterest.title is not None and len(pinterest.title) <= 100 and pinterest.title.endswith("\u2026")
    reddit = fit(BUILTIN_NETWORKS["reddit"], pieces(title="Launch day for the new hub"))
    assert reddit.text == "Launch day for the new hub" and reddit.title is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  two\n\nlines\t here  ", "two lines here"),
        ("caf\u0065\u0301", "caf\u00e9"),  # NFC
        ("no\x00nul\x07 bell", "nonul bell"),
        ("x\ufeff\ufffe\uffffy", "xy"),  # what X refuses
        ("\u0301\u0302leading marks", "leading marks"),  # would fuse with a space before
        ("trailing prepend\u0600", "trailing prepend"),  # would fuse with what follows
        ("\U0001f468\u200d", "\U0001f468"),  # a dangling ZWJ would join a following emoji
        ("\ud800lone surrogate", "lone surrogate"),
    ],
)
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
