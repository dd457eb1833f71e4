from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.config.model import SiteConfig
from publisher.content.urls import Urls, as_uri, tag_url


@pytest.mark.parametrize(("iri", "uri"), [
    ("https://x/tags/café/", "https://x/tags/caf%C3%A9/"),
    ("https://x/tags/日本/feed.xml", "https://x/tags/%E6%97%A5%E6%9C%AC/feed.xml"),
    ("https://x/img/my%20chart.png", "https://x/img/my%20chart.png"),  # an escape is not escaped again
    ("https://x/a b/?q=ü&r=1#sé", "https://x/a%20b/?q=%C3%BC&r=1#s%C3%A9"),
    ("https://x:8080/p/(1);a=b,c*!'@~$", "https://x:8080/p/(1);a=b,c*!'@~$"),  # what a URI may hold stays
    ("https://user@host.example/ä", "https://user@host.example/%C3%A4"),
    ("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"),
])
def test_an_iri_becomes_a_uri(iri: str, uri: str) -> None:
    assert as_uri(iri) == uri
    assert as_uri(uri) == uri


@given(st.text(alphabet=st.sampled_from([*"aZ09-._~!#$%&'()*+,/:;=?@[]", " ", '"', "<", "`", "{", "|", "^", "\\",
                                        "\t", "\n", "\x7f", "é", "日"]), max_size=12))
def test_a_url_comes_out_as_quoting_its_path_query_and_fragment_makes_it(tail: str) -> None:
    """However a URL is told to hold nothing to escape (most of them, told without a call of `quote`), it comes
    out as `quote` makes it: with the host as it is, and `quote`'s own rule after it."""
    for iri in (tail, f"https://h.example/{tail}"):
        start = len("https://h.example") if iri.startswith("https:") else 0
        assert as_uri(iri) == iri[:start] + quote(iri[start:], safe="!#$%&'()*+,/:;=?@[]~"), iri


def test_feeds_and_sitemaps_get_uris_and_pages_keep_iris() -> None:
    urls = Urls(SiteConfig(root=Path("."), title="H", url="https://h.example/blög/"))
    assert tag_url("Café") == "/tags/café/"
    assert urls.path(tag_url("Café")) == "/blög/tags/café/"
    assert urls.absolute(tag_url("Café")) == "https://h.example/blög/tags/café/"
    assert urls.uri(tag_url("Café")) == "https://h.example/bl%C3%B6g/tags/caf%C3%A9/"
    assert urls.uri("https://elsewhere.example/ü") == "https://elsewhere.example/%C3%BC"
