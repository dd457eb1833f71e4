"""Properties of fitting over pieces drawn from all of Unicode.

For every network, whatever the title, summary, tags and call to action:

- the text is within the network's limits by its own rule (checked again
  here with independent counts where there is one);
- the link is there, whole (as the text itself, or as a label with a facet);
- no grapheme is cut: every grapheme of the text is one of the pieces',
  the template's or the ellipsis, and a shortened piece is a grapheme prefix
  of the original;
- the same input gives the same output.
"""

from __future__ import annotations

import pytest
import regex
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from publisher.social.bluesky import LINK_FEATURE
from publisher.social.counting import extract_urls, parse_tweet
from publisher.social.fitting import (
    ELLIPSIS,
    CannotFit,
    FittedSnippet,
    SharePieces,
    clean_text,
    fit,
    lead_in,
    without_mentions,
)
from publisher.social.networks import BUILTIN_NETWORKS, LinkDisplay, Network

EMOJI = [
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",  # family (ZWJ)
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag
    "\U0001f426\u200d\U0001f525",  # phoenix (15.1)
    "\U0001f642\u200d\u2194\ufe0f",  # head shaking horizontally (15.1)
    "\U0001f9d1\u200d\U0001f9d1\u200d\U0001f9d2",  # family: adult, adult, child (15.1)
    "\U0001f9d1\U0001f3fd\u200d\U0001f680",  # astronaut, medium skin tone
    "\U0001f44d\U0001f3ff",
    "\U0001f1f8\U0001f1ea",  # flag of Sweden
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # flag of Scotland
    "1\ufe0f\u20e3",
    "\u2764\ufe0f\u200d\U0001f525",
    "\u00a9\ufe0f",
    "\U0001fae9",  # Unicode 16
]
CJK = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=12)
KANA_HANGUL = st.text(st.characters(min_codepoint=0x3040, max_codepoint=0x30FF)
                      | st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=8)
ARABIC = st.text(st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), min_size=1, max_size=10)  # with harakat
MARKS = st.text(st.characters(categories=["Mn", "Mc", "Me"]), min_size=1, max_size=4)
LATIN = st.text(st.characters(min_codepoint=0x41, max_codepoint=0x7A) | st.sampled_from("éøßçñ-,.!?:#@/"),
                min_size=1, max_size=12)
ANYTHING = st.text(max_size=8)  # all of Unicode but surrogates: controls, marks, symbols, unassigned
CHUNK = st.one_of(
    st.sampled_from(EMOJI),
    CJK,
    KANA_HANGUL,
    ARABIC,
    LATIN,
    ANYTHING,
    st.tuples(LATIN, MARKS).map("".join),  # a word with combining marks
    MARKS,
    st.sampled_from(["example.com/page", "https://example.org/x-y", "#tag", "@user@example.social"]),
)


def _text(min_chunks: int, max_chunks: int) -> st.SearchStrategy[str]:
    """Chunks of any of the above, mostly separated by spaces (so there are words to cut at)."""
    separators = st.sampled_from([" ", " ", " ", "", "\n", "\u3000", "\u00a0", ", "])
    chunks = st.lists(st.tuples(CHUNK, separators), min_size=min_chunks, max_size=max_chunks)
    return chunks.map(lambda pairs: "".join(a + b for a, b in pairs))


URLS = st.sampled_from(
    [
        "https://example.com/the-launch/?utm_source=x&utm_medium=social&utm_campaign=the-launch&utm_content=announce",
        "https://journal.example.org/2026/%E5%86%85%E5%AE%B9/?utm_source=bluesky&utm_medium=social",
        "https://ex.co/a",
        "https://bücher.de/neu?utm_source=mastodon",
    ]
)
# Short and long pieces, so that some texts fit as they are and others need every step.
PIECES = st.builds(
    SharePieces,
    title=st.one_of(_text(1, 6), _text(20, 60)),
    url=URLS,
    summary=st.one_of(_text(0, 8), _text(30, 100)),
    tags=st.lists(_text(1, 3), max_size=8).map(tuple),
    cta=_text(0, 3),
)
GRAPHEME = regex.compile(r"\X")


def _graphemes(text: str) -> list[str]:
    return GRAPHEME.findall(text)


def _check_within_limits(network: Network, snippet: FittedSnippet) -> None:
    """Within every limit, by the network's rule and by independent counts."""
    assert network.measure(snippet.text).ok
    assert snippet.count == network.count(snippet.text) <= network.limit
    if network.name == "x":
        assert parse_tweet(snippet.text).valid
    if network.name == "bluesky":
        assert len(_graphemes(snippet.text)) <= 300
        assert len(snippet.text.encode("utf-8")) <= 3000
    if network.name == "threads":
        assert len(extract_urls(snippet.text)) <= 5


def _check_link(network: Network, snippet: FittedSnippet, url: str) -> None:
    """The link is in the text whole, or shown by a label with a facet over exactly its bytes."""
    if network.link_display is LinkDisplay.FIELD:
        assert snippet.link == url
        return
    shown = snippet.parts.url
    assert snippet.link_spans and all(snippet.text[a:b] == shown for a, b in snippet.link_spans)
    if network.link_display is LinkDisplay.FULL:
        assert shown == url
        if network.name == "x":  # X sees it as one link, so it counts 23
            assert url in [link.url for link in extract_urls(snippet.text)]
    if network.facets:
        encoded = snippet.text.encode("utf-8")
        links = [f for f in snippet.facets if f.feature == LINK_FEATURE and f.value == url]
        assert links and all(encoded[f.byte_start : f.byte_end] == shown.encode("utf-8") for f in links)
        for other in (f for f in snippet.facets if f.feature == LINK_FEATURE and f.value != url):  # a URL written
            written = encoded[other.byte_start : other.byte_end].decode("utf-8")  # in the text links as written
            assert other.value in (written, f"https://{written}")


def _is_grapheme_prefix(short: str, whole: str) -> bool:
    return _graphemes(whole)[: len(_graphemes(short))] == _graphemes(short)


def _check_no_grapheme_cut(network: Network, snippet: FittedSnippet, pieces: SharePieces) -> None:
    """Shortened pieces are grapheme prefixes; every grapheme of the text comes from somewhere."""
    # The pieces as fitting takes them: tidied, mentions defused, the CTA ready to lead in to its link.
    title, summary = without_mentions(clean_text(pieces.title)), without_mentions(clean_text(pieces.summary))
    cta = lead_in(clean_text(pieces.cta))
    hashtags = network.hashtags(pieces.tags)
    used = snippet.parts
    for cut, whole, is_summary in ((used.summary, summary, True), (used.title, title, False)):
        if cut != whole and cut:  # cut with an ellipsis, or (a summary) after a whole sentence
            closes = is_summary and cut.endswith((".", "!", "?", "\u3002", "\uff01", "\uff1f"))
            assert (closes and _is_grapheme_prefix(cut, whole)) or (
                cut.endswith(ELLIPSIS) and _is_grapheme_prefix(cut[: -len(ELLIPSIS)], whole))
    assert used.hashtags == hashtags[: len(used.hashtags)]
    assert used.cta == cta
    known = {ELLIPSIS, " ", "\n"}
    for piece in (title, summary, cta, used.url, *hashtags):
        known.update(_graphemes(piece))
    assert set(_graphemes(snippet.text)) <= known


@pytest.mark.parametrize("network_name", sorted(BUILTIN_NETWORKS))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pieces=PIECES)
def test_fitted_snippets_keep_every_promise(network_name: str, pieces: SharePieces) -> None:
    network = BUILTIN_NETWORKS[network_name]
    try:
        snippet = fit(network, pieces)
    except CannotFit as error:  # only when even title-cut-to-a-grapheme + CTA + link is refused
        event(f"{network.name}: cannot fit")
        assert not error.measure.ok
        assert network.name in ("x", "threads", "bluesky") or network.title_limit is not None
        return
    event(f"{network.name}: gave up {', '.join(snippet.shortened) or 'nothing'}")
    _check_within_limits(network, snippet)
    _check_link(network, snippet, pieces.url)
    _check_no_grapheme_cut(network, snippet, pieces)
    assert fit(network, pieces) == snippet  # deterministic


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pieces=PIECES)
def test_the_tightest_networks_always_fit_a_short_call_to_action(pieces: SharePieces) -> None:
    """With a modest call to action, X and Bluesky always find a text (no CannotFit)."""
    short = SharePieces(pieces.title, pieces.url, pieces.summary, pieces.tags, "Read more:")
    for name in ("x", "bluesky", "mastodon"):
        snippet = fit(BUILTIN_NETWORKS[name], short)
        _check_within_limits(BUILTIN_NETWORKS[name], snippet)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_the_fast_x_count_agrees_with_parse_tweet(text):
    from publisher.social.counting import parse_tweet, x_weighted_length

    for suffix in ("", " https://journal.example.com/post/?utm_source=x", " 👨‍👩‍👧‍👦🇩🇪"):
        assert x_weighted_length(text + suffix) == parse_tweet(text + suffix).weighted_length


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["https://", "http://", "www.", "example.com", "t.co/abc", ".", "/", "?q=1", " ", "\n",
                                 "\u3000", "é", "-", "@", "#", "a", "日本", "(x)", "\u200f", "中文.com"]), max_size=14))
def test_link_windows_find_what_a_whole_text_scan_finds(pieces):
    from publisher.social.counting import _link_matches, _link_pattern

    text = "".join(pieces)
    whole = [m.span("url") for m in _link_pattern().finditer(text)]
    assert [m.span("url") for m in _link_matches(text)] == whole
