"""Counting rules, with examples counted by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.social import counting
from publisher.social.counting import (
    TWITTER_TEXT_V2,
    code_point_length,
    count_links,
    emoji_spans,
    extract_urls,
    grapheme_count,
    graphemes,
    links_counted_as,
    mastodon_length,
    parse_tweet,
    threads_length,
    top_level_domains,
    utf8_length,
    utf16_length,
    x_weighted_length,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 4 people, 3 ZWJ: 7 code points
PHOENIX = "\U0001f426\u200d\U0001f525"  # Unicode 15.1: bird + ZWJ + fire
HEAD_SHAKING = "\U0001f642\u200d\u2194\ufe0f"  # Unicode 15.1: face + ZWJ + left-right arrow + VS16
FAMILY_15_1 = "\U0001f9d1\u200d\U0001f9d1\u200d\U0001f9d2"  # Unicode 15.1: adult, adult, child
SWEDEN = "\U0001f1f8\U0001f1ea"
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"
KEYCAP_ONE = "1\ufe0f\u20e3"
THUMBS_UP_DARK = "\U0001f44d\U0001f3ff"
ASTRONAUT = "\U0001f9d1\U0001f3fd\u200d\U0001f680"  # person, skin tone, ZWJ, rocket


# --- graphemes, bytes, code units ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clusters", "utf8", "utf16", "code_points"),
    [
        ("abc", 3, 3, 3, 3),
        ("e\u0301", 1, 3, 2, 2),  # e + combining acute: one grapheme
        ("caf\u00e9", 4, 5, 4, 4),
        ("日本語", 3, 9, 3, 3),
        ("\u0645\u064e\u0631\u0652\u062d\u064e\u0628\u064b\u0627", 5, 18, 9, 9),  # Arabic: 5 letters, 4 harakat
        ("\u1100\u1161\u11a8", 1, 9, 3, 3),  # Hangul jamo L V T: one syllable
        (FAMILY, 1, 25, 11, 7),
        (PHOENIX, 1, 11, 5, 3),
        (SWEDEN, 1, 8, 4, 2),
        (SCOTLAND, 1, 28, 14, 7),
        (KEYCAP_ONE, 1, 7, 3, 3),
        ("\U0001f600", 1, 4, 2, 1),
    ],
)
def test_small_counts(text: str, clusters: int, utf8: int, utf16: int, code_points: int) -> None:
    assert grapheme_count(text) == clusters == len(graphemes(text))
    assert utf8_length(text) == utf8
    assert utf16_length(text) == utf16
    assert code_point_length(text) == code_points


# --- X ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("Hello", 5),
        ("Hello, 世界", 11),  # 7 Latin at 1, 2 CJK at 2
        ("Привет", 6),  # Cyrillic is in the first weight-100 range
        ("\u2014\u2019", 2),  # em dash and right quote: general punctuation weighs 1
        ("\u2026", 2),  # the ellipsis is outside the weight-100 ranges
        ("\U0001f600", 2),
        (FAMILY, 2),  # a ZWJ sequence is one emoji
        (PHOENIX, 2),  # Unicode 15.1 sequences count as one too
        (HEAD_SHAKING, 2),
        (FAMILY_15_1, 2),
        (ASTRONAUT, 2),
        (THUMBS_UP_DARK, 2),
        (SWEDEN, 2),
        (SCOTLAND, 2),
        (KEYCAP_ONE, 2),
        ("1\u20e3", 2),  # keycap without VS16
        ("\u00a9", 1),  # (c) is text unless VS16 follows ...
        ("\u00a9\ufe0f", 2),  # ... then it is an emoji
        ("\u263a", 2),  # a text-default pictograph still counts as an emoji
        ("\U0001fae9", 2),  # Unicode 16 (face with bags under eyes): astral, one emoji
        (SWEDEN + "\U0001f1eb", 4),  # a flag and a lone regional indicator
        ("\u0301", 1),  # a lone combining mark weighs its code point
        ("A\u030a", 1),  # NFC first: A + ring is Å
    ],
)
def test_x_weights(text: str, weight: int) -> None:
    assert x_weighted_length(text) == weight


def test_x_counts_every_link_23() -> None:
    long_link = "https://example.com/" + "a" * 200 + "?utm_source=x&utm_medium=social"
    assert x_weighted_length(long_link) == 23
    assert x_weighted_length("Read: " + long_link) == 6 + 23
    assert x_weighted_length("example.com") == 23  # no protocol, known TLD
    assert x_weighted_length("http://t.co") == 23  # shorter than 23 still counts 23
    assert x_weighted_length("example.notatld") == 15  # unknown TLD: not a link
    assert x_weighted_length("https://journal.northlight.example/post/") == 40  # .example is no TLD


def test_x_v2_weighs_emoji_by_code_point() -> None:
    assert x_weighted_length(FAMILY, TWITTER_TEXT_V2) == 4 * 2 + 3  # four astral, three ZWJ at 1
    assert x_weighted_length(FAMILY) == 2


def test_x_validity() -> None:
    assert parse_tweet("a" * 280).valid
    assert not parse_tweet("a" * 281).valid
    assert parse_tweet("\U0001f600" * 140).valid
    assert not parse_tweet("\U0001f600" * 141).valid
    assert not parse_tweet("").valid
    assert not parse_tweet("   ").valid
    assert not parse_tweet("fine\ufeff").valid  # U+FEFF, U+FFFE and U+FFFF are refused
    assert parse_tweet("\u202ahello\u202c").valid  # directional marks are fine
    assert parse_tweet("a" * 281).permillage == 1003


# --- links -----------------------------------------------------------------------------


def test_extract_urls() -> None:
    text = "See example.com/a-b, http://t.co/abc123?x=1 and https://bücher.de/x."
    assert [link.url for link in extract_urls(text)] == ["example.com/a-b", "http://t.co/abc123?x=1", "https://bücher.de/x"]
    assert [text[link.start : link.end] for link in extract_urls(text)] == [link.url for link in extract_urls(text)]
    assert [link.url for link in extract_urls(text, require_protocol=True)] == ["http://t.co/abc123?x=1", "https://bücher.de/x"]


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("write to a@example.com", 0),  # an e-mail address is not a link
        ("file.txt and notes.docx", 0),  # no such TLDs
        ("readme.md", 1),  # .md is Moldova's
        ("http://例え.jp/パス", 1),  # IDN host after a protocol
        ("例え.jp", 0),  # ... but not without one
        ("https://" + "a" * 64 + ".com", 0),  # a label longer than 63
        ("http://foobar.\u067e\u0627\u06a9\u0633\u062a\u0627\u0646/", 1),  # an IDN TLD
        ("-example.com", 0),  # a bare domain right after - _ . / is not a link
        ("one.com two.org three.net four.io five.dev six.co", 6),
    ],
)
def test_count_links(text: str, links: int) -> None:
    assert count_links(text) == links


# Pieces links are made of, and of what breaks them: labels that are and are not top-level domains, in ASCII,
# Latin with accents, Cyrillic and letters that fold to ASCII (Kelvin's K, long s), protocols, and separators.
_LINK_PIECES = ["a", "co", "com", "uk", "md", "a_b", "-a", "a-", "_a", "é", "É", "xn--p1ai", "xn--", "рф", "РФ",
                "пример", "\u212aim", "\u017f", "K", "http://", "HTTPS://", "t.co/", "1", "\u0301", "\u200e",
                ".", ".", ".", "..", " ", "/", "@", ":", "-", "_", "+", "(", ")", "?", "#", "=", "\n"]


def _scanned(text: str) -> list[tuple[tuple[int, int], str]]:
    """The link pattern's matches as its plain search over each window finds them: what `_link_matches` must
    find, in time that grows with the square of a run of labels."""
    pattern = counting._link_pattern()
    return [(found.span(), found.group("url")) for window in counting._LINK_WINDOW.finditer(text)
            for found in pattern.finditer(text, max(0, window.start() - 1), window.end())]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_LINK_PIECES), max_size=30).map("".join))
def test_links_are_found_where_the_patterns_search_finds_them(text: str) -> None:
    assert [(found.span(), found.group("url")) for found in counting._link_matches(text)] == _scanned(text)


@pytest.mark.parametrize(
    "text",
    [
        "xhttps://пример.рф and xhttp://a.com",  # a host right after a protocol the pattern does not start at
        "see a.m\u212a, b.u\u017f and c.\u212aim",  # top-level domains spelt with letters that fold to ASCII
        "x.co+ y.com@ z.io- w.xn--p1ai@",  # what may not follow a domain (but may follow a punycode one)
    ],
)
def test_links_are_found_where_the_patterns_search_finds_them_in_rare_spellings(text: str) -> None:
    found = [(match.span(), match.group("url")) for match in counting._link_matches(text)]
    assert found == _scanned(text)
    assert found  # each text holds links the scan finds


@pytest.mark.parametrize(
    ("run", "links"),
    [
        ("a." * 2000 + "a", []),  # no top-level domain: took 80 s
        ("a." * 2000 + "a_.com", []),  # a domain name label with an underscore
        ("a." * 2000 + "-a.b", []),
        ("a.com@" * 1000, []),  # what follows each .com makes it no domain
        ("a_b." * 2000 + "io", ["b.io"]),  # only the last label's end is a domain name (and after _: no link)
        ("a." * 2100 + "io", ["a." * 2100 + "io"]),  # one host, too long for a link (left out below)
        ("é" * 4000 + ".com", ["é" * 4000 + ".com"]),
        ("a_" * 4000 + "a.com", ["a.com"]),  # a domain name label starts after its last underscore
    ],
)
def test_a_long_run_of_labels_is_read_in_linear_time(run: str, links: list[str]) -> None:
    """Every candidate start of a run used to cost the run's length; each run here took the old scan seconds to
    minutes. The links around it are still found."""
    text = f"see example.com, {run} and https://example.org/x"
    assert [found.group("url") for found in counting._link_matches(text)] == ["example.com", *links,
                                                                                 "https://example.org/x"]
    assert [link.url for link in extract_urls(text)] == ["example.com", "https://example.org/x"]


def test_tld_list_has_both_forms_of_idn_names() -> None:
    tlds = top_level_domains()
    assert {"com", "co", "jp", "xn--mgbai9azgqp6j", "\u067e\u0627\u06a9\u0633\u062a\u0627\u0646"} <= tlds
    assert "example" not in tlds


def test_emoji_spans_stay_inside_grapheme_clusters() -> None:
    text = "a" + FAMILY + "b\u0301" + SWEDEN + "\u00a9"
    assert [text[s:e] for s, e in emoji_spans(text)] == [FAMILY, SWEDEN]


# --- Mastodon --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("Hello", 5),
        ("\U0001f600", 1),  # code points: an astral emoji is one
        (FAMILY, 7),
        ("@alice@example.social hi", len("@alice hi")),  # remote mention counts as local
        ("@alice hi", 9),
        ("mail me: bob@example.com", 24),  # not a mention: no @ before the user
        ("https://example.com/" + "x" * 100, 23),  # any recognised http(s) link: 23
        ("http://t.co", 23),  # even a short one
        ("Read https://example.com/a.", 5 + 23 + 1),  # the final period is not part of the link
        ("example.com", 11),  # without protocol Mastodon sees no link
        ("https://intranet.local/x", 24),  # no known TLD: Mastodon does not shorten it either
    ],
)
def test_mastodon_length(text: str, length: int) -> None:
    assert mastodon_length(text) == length


# --- Threads ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("Hello", 5),
        ("caf\u00e9", 4),
        ("日本", 2),
        ("\U0001f600", 4),  # emoji: their UTF-8 bytes
        ("a\U0001f600", 5),
        (FAMILY, 25),
        (SWEDEN, 8),
        (KEYCAP_ONE, 7),
        ("\u2764\ufe0f", 6),  # heart + VS16
        ("\u00a9", 2),  # (c) is a pictograph: counted as an emoji, to be safe
    ],
)
def test_threads_length(text: str, length: int) -> None:
    assert threads_length(text) == length


def test_links_counted_as() -> None:
    assert links_counted_as("go https://example.com/long/path now", 5) == "go xxxxx now"
    assert links_counted_as("go https://example.com/", None) == "go https://example.com/"
