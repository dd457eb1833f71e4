"""Bluesky facets: byte offsets over UTF-8, the full link behind a short label."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.social.bluesky import LINK_FEATURE, TAG_FEATURE, byte_span, link_facet, link_label, tag_facets
from publisher.social.fitting import SharePieces, fit
from publisher.social.networks import BUILTIN_NETWORKS

URI = "https://journal.example.com/the-launch/?utm_source=bluesky&utm_medium=social&utm_campaign=the-launch"


def test_link_facet_counts_bytes_not_characters() -> None:
    text = "日本語 \U0001f468\u200d\U0001f469\u200d\U0001f467 read: example.com/launch"
    facet = link_facet(text, "example.com/launch", URI)
    encoded = text.encode("utf-8")
    assert encoded[facet.byte_start : facet.byte_end].decode("utf-8") == "example.com/launch"
    assert facet.byte_start == len("日本語 \U0001f468\u200d\U0001f469\u200d\U0001f467 read: ".encode())  # 9+1+18+7
    assert facet.byte_start == 35 and facet.byte_end == 53
    assert facet.to_record() == {
        "index": {"byteStart": 35, "byteEnd": 53},
        "features": [{"$type": LINK_FEATURE, "uri": URI}],
    }


def test_link_facet_at_a_given_place_and_missing_label() -> None:
    text = "a.com and a.com"
    assert link_facet(text, "a.com", URI, start=10).byte_start == 10
    with pytest.raises(ValueError, match="not in the text"):
        link_facet(text, "b.com", URI)
    with pytest.raises(ValueError):
        link_facet(text, "a.com", URI, start=3)


def test_byte_span() -> None:
    assert byte_span("é€😀x", 3, 4) == (9, 10)
    assert byte_span("é€😀x", 0, 2) == (0, 5)


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://www.example.com/", "example.com"),
        ("https://example.com/launch/?utm_source=bluesky#top", "example.com/launch/"),
        ("https://example.com/2026/a-rather-long-post-slug/", "example.com/2026/a-rather-long\u2026"),
        ("https://user@example.com:8443/x", "example.com:8443/x"),
        ("not a url", "not a url"),
    ],
)
def test_link_label(url: str, label: str) -> None:
    assert link_label(url) == label


def test_tag_facets() -> None:
    text = "Über #ContentMarketing und #SEO, #2026 and x#no #日本語"
    facets = tag_facets(text)
    encoded = text.encode()
    assert [encoded[f.byte_start : f.byte_end].decode() for f in facets] == ["#ContentMarketing", "#SEO", "#日本語"]
    assert [f.value for f in facets] == ["ContentMarketing", "SEO", "日本語"]
    assert facets[0].to_record()["features"] == [{"$type": TAG_FEATURE, "tag": "ContentMarketing"}]


def test_fitted_bluesky_snippet_carries_the_link_as_a_facet() -> None:
    pieces = SharePieces(
        title="Über den Start: 日本語 und \U0001f680",
        summary="Ein längerer Text. " * 5,  # fits whole with the hashtag (hashtags go before a summary is cut)
        tags=("content marketing",),
        cta="Lies mehr:",
        url=URI,
    )
    snippet = fit(BUILTIN_NETWORKS["bluesky"], pieces)
    label = "journal.example.com/the-launch/"
    assert snippet.parts.url == label and label in snippet.text and URI not in snippet.text
    links = [f for f in snippet.facets if f.feature == LINK_FEATURE]
    assert len(links) == 1 and links[0].value == URI
    encoded = snippet.text.encode("utf-8")
    assert encoded[links[0].byte_start : links[0].byte_end] == label.encode("utf-8")
    tags = [f for f in snippet.facets if f.feature == TAG_FEATURE]
    assert [encoded[f.byte_start : f.byte_end].decode() for f in tags] == ["#ContentMarketing"]


def test_a_bluesky_text_cut_to_fit_keeps_the_link_facet_on_its_label() -> None:
    summary = "Ein längerer Text. " * 30  # too long: the hashtag goes first, then the summary is cut
    pieces = SharePieces(title="Über den Start: 日本語 und \U0001f680", summary=summary,
                         tags=("content marketing",), cta="Lies mehr:", url=URI)
    snippet = fit(BUILTIN_NETWORKS["bluesky"], pieces)
    assert snippet.parts.summary and snippet.parts.summary != summary.strip() and not snippet.parts.hashtags
    (link,) = [f for f in snippet.facets if f.feature == LINK_FEATURE]
    encoded = snippet.text.encode("utf-8")
    assert link.value == URI and encoded[link.byte_start : link.byte_end] == b"journal.example.com/the-launch/"


@settings(max_examples=200, deadline=None)
@given(before=st.text(), label=st.text(min_size=1), after=st.text())
def test_facet_bytes_are_the_label(before: str, label: str, after: str) -> None:
    text = before + label + after
    facet = link_facet(text, label, URI, start=len(before))
    encoded = text.encode("utf-8", "surrogatepass")
    assert encoded[facet.byte_start : facet.byte_end] == label.encode("utf-8", "surrogatepass")


def test_the_facet_points_at_the_link_not_at_the_same_words_in_the_title() -> None:
    label = "journal.example.com/the-launch/"
    snippet = fit(BUILTIN_NETWORKS["bluesky"], SharePieces(title=f"Über {label} — 日本", url=URI))
    assert snippet.text.count(label) == 2
    (facet,) = [f for f in snippet.facets if f.feature == LINK_FEATURE and f.value == URI]
    encoded = snippet.text.encode("utf-8")
    assert encoded[facet.byte_start : facet.byte_end] == label.encode("utf-8")
    assert facet.byte_start == len(snippet.text[: snippet.text.rindex(label)].encode("utf-8"))
    # the same words in the title are a URL of their own: linked as written, not to the post's UTM link
    (written,) = [f for f in snippet.facets if f.feature == LINK_FEATURE and f.value != URI]
    assert written.value == f"https://{label}" and written.byte_start < facet.byte_start


def test_every_url_in_a_bluesky_text_is_a_link_facet() -> None:
    summary = "Start from the checklist at https://example.org/checklist and the guide at docs.example.com/guide."
    snippet = fit(BUILTIN_NETWORKS["bluesky"], SharePieces(title="Launch", summary=summary, url=URI))
    encoded = snippet.text.encode("utf-8")
    links = {encoded[f.byte_start : f.byte_end].decode(): f.value for f in snippet.facets
             if f.feature == LINK_FEATURE}
    assert links["https://example.org/checklist"] == "https://example.org/checklist"
    assert links["docs.example.com/guide"] == "https://docs.example.com/guide"
    assert links["journal.example.com/the-launch/"] == URI
