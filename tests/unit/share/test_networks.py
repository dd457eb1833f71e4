"""Network profiles: limits, units, counts, hashtags and a site's settings."""

from __future__ import annotations

import dataclasses

import pytest

from publisher.core.errors import BuildFailed
from publisher.social.networks import (
    BUILTIN_NETWORKS,
    COUNTING_RULES,
    HashtagStyle,
    LinkDisplay,
    Network,
    OverLimit,
    configure_networks,
    format_hashtag,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
LINK = "https://example.com/the-launch/?utm_source=x&utm_medium=social"  # 62 characters


def test_builtin_profiles() -> None:
    summary = {
        name: (n.limit, n.unit, n.byte_limit, n.max_links, n.title_limit, n.link_display.value)
        for name, n in BUILTIN_NETWORKS.items()
    }
    assert summary == {
        "x": (280, "weighted characters", None, None, None, "full"),
        "mastodon": (500, "characters", None, None, None, "full"),
        "bluesky": (300, "graphemes", 3000, None, None, "label"),
        "threads": (500, "characters", None, 5, None, "full"),
        "linkedin": (3000, "characters", None, None, None, "full"),
        "facebook": (63206, "characters", None, None, None, "full"),
        "pinterest": (500, "characters", None, None, 100, "field"),
        "reddit": (300, "characters", None, None, None, "field"),
    }
    assert BUILTIN_NETWORKS["x"].max_hashtags == 2
    assert BUILTIN_NETWORKS["mastodon"].hashtag_style is HashtagStyle.CAMEL
    with pytest.raises(dataclasses.FrozenInstanceError):
        BUILTIN_NETWORKS["x"].limit = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        BUILTIN_NETWORKS["nope"] = BUILTIN_NETWORKS["x"]  # type: ignore[index]


# Each network's count of the same texts, counted by hand.
@pytest.mark.parametrize(
    ("network", "counts"),
    [
        # text:        "Hi 😀"  family   "日本"  link     "@a@b.social"
        ("x", (5, 2, 4, 23, 11)),  # emoji 2, CJK 2, link 23
        ("mastodon", (4, 7, 2, 23, 2)),  # code points, link 23, remote mention as local
        ("bluesky", (4, 1, 2, 62, 11)),  # graphemes, link as written
        ("threads", (7, 25, 2, 62, 11)),  # emoji as UTF-8 bytes
        ("linkedin", (5, 11, 2, 62, 11)),  # UTF-16 code units
        ("facebook", (5, 11, 2, 62, 11)),
        ("pinterest", (5, 11, 2, 62, 11)),
        ("reddit", (4, 7, 2, 62, 11)),  # code points
    ],
)
def test_counts_by_network(network: str, counts: tuple[int, ...]) -> None:
    texts = ("Hi \U0001f600", FAMILY, "日本", LINK, "@a@b.social")
    assert tuple(BUILTIN_NETWORKS[network].count(t) for t in texts) == counts


def test_measure_reports_each_limit() -> None:
    x = BUILTIN_NETWORKS["x"]
    assert x.measure("a" * 280).ok
    assert x.measure("a" * 301).problems() == ("301 of 280 weighted characters",)
    assert str(x.measure("a" * 301)) == "301 of 280 weighted characters"
    assert x.measure("ok\ufffe").problems() == ("characters x refuses: U+FFFE",)

    bluesky = BUILTIN_NETWORKS["bluesky"]
    heavy = FAMILY * 121  # 121 graphemes but 3025 bytes
    assert bluesky.measure(heavy).problems() == ("3025 of 3000 UTF-8 bytes",)
    assert bluesky.measure("a" * 301).problems() == ("301 of 300 graphemes",)

    threads = BUILTIN_NETWORKS["threads"]
    six = " ".join(f"https://example.com/{i}" for i in range(6))
    assert threads.measure(six).problems() == ("6 of 5 links",)
    assert threads.fits(" ".join(f"https://example.com/{i}" for i in range(5)))
    one_link = dataclasses.replace(threads, max_links=1)  # a network of the site's own: was "2 of 1 links"
    assert one_link.measure("https://a.example.com/ https://b.example.com/").problems() == ("2 of 1 link",)


def test_check_raises_over_limit_naming_post_and_network() -> None:
    x = BUILTIN_NETWORKS["x"]
    assert x.check("short").count == 5
    with pytest.raises(OverLimit) as caught:
        x.check("a" * 301)
    assert str(caught.value) == "301 of 280 weighted characters"
    assert caught.value.field == "share.x"
    assert str(caught.value.at("content/posts/x.md")) == "content/posts/x.md: share.x: 301 of 280 weighted characters"


@pytest.mark.parametrize(
    ("tag", "camel", "lower", "as_is"),
    [
        ("content marketing", "#ContentMarketing", "#contentmarketing", "#contentmarketing"),
        ("SEO", "#SEO", "#seo", "#SEO"),
        ("e-mail marketing", "#EMailMarketing", "#emailmarketing", "#emailmarketing"),
        ("B2B", "#B2B", "#b2b", "#B2B"),
        ("内容营销", "#内容营销", "#内容营销", "#内容营销"),
        ("caf\u0065\u0301 culture", "#Caf\u00e9Culture", "#caf\u00e9culture", "#caf\u00e9culture"),
        ("2026", None, None, None),  # a hashtag needs a letter
        ("!!!", None, None, None),
    ],
)
def test_format_hashtag(tag: str, camel: str | None, lower: str | None, as_is: str | None) -> None:
    assert format_hashtag(tag, HashtagStyle.CAMEL) == camel
    assert format_hashtag(tag, "lower") == lower
    assert format_hashtag(tag, "as-is") == as_is
    assert format_hashtag(tag, "none") is None


def test_network_hashtags_dedupe_and_cap() -> None:
    tags = ["content marketing", "Content-Marketing", "SEO", "2026", "analytics"]
    assert BUILTIN_NETWORKS["mastodon"].hashtags(tags) == ("#ContentMarketing", "#SEO", "#analytics")
    assert BUILTIN_NETWORKS["x"].hashtags(tags) == ("#ContentMarketing", "#SEO")
    assert BUILTIN_NETWORKS["threads"].hashtags(tags) == ("#ContentMarketing",)
    assert BUILTIN_NETWORKS["reddit"].hashtags(tags) == ()


def test_configure_networks_overrides_and_adds() -> None:
    networks = configure_networks(
        {
            "mastodon": {"limit": 1000},
            "x": {"max_hashtags": 1, "hashtag_style": "lower"},
            "misskey": {"counting": "characters", "limit": 3000, "url_length": 23},
        }
    )
    assert networks["mastodon"].limit == 1000
    assert networks["mastodon"].unit == "characters"
    assert networks["x"].hashtags(["Content Marketing", "SEO"]) == ("#contentmarketing",)
    assert networks["x"].limit == 280
    misskey = networks["misskey"]
    assert (misskey.limit, misskey.unit, misskey.rule) == (3000, "characters", COUNTING_RULES["characters"])
    assert misskey.count("see https://example.com/" + "a" * 50) == 4 + 23
    assert BUILTIN_NETWORKS["mastodon"].limit == 500  # the built-ins are untouched
    assert set(networks) == {*BUILTIN_NETWORKS, "misskey"}


def test_configure_networks_reports_every_problem() -> None:
    with pytest.raises(BuildFailed) as caught:
        configure_networks(
            {
                "x": {"limit": "lots", "max_hashtags": -1, "colour": "blue"},
                "mastodon": {"hashtag_style": "shouty", "counting": "words"},
                "misskey": {"limit": 3000},
                "Bad Name": {"counting": "characters", "limit": 10},
                "threads": 5,
            },
            source="site/publisher.toml",
        )
    assert str(caught.value).splitlines() == [
        "site/publisher.toml: share.networks.Bad Name: a network name is lower-case letters, digits, - and _",
        ("site/publisher.toml: share.networks.mastodon.counting: unknown counting rule 'words'"
         " (known: twitter, mastodon, graphemes, characters, utf16, threads)"),
        ("site/publisher.toml: share.networks.mastodon.hashtag_style: must be one of camel, lower, as-is, none,"
         " not 'shouty'"),
        ("site/publisher.toml: share.networks.misskey: a new network needs counting"
         " (built-in networks: x, mastodon, bluesky, threads, linkedin, facebook, pinterest, reddit)"),
        "site/publisher.toml: share.networks.threads: must be a table of settings",
        ("site/publisher.toml: share.networks.x.colour: unknown setting (known: limit, byte_limit, title_limit,"
         " url_length, max_links, max_hashtags, counting, hashtag_style, link, facets, reshares, unique_texts,"
             " template)"),
        "site/publisher.toml: share.networks.x.limit: must be a whole number of at least 1, not 'lots'",
        "site/publisher.toml: share.networks.x.max_hashtags: must be a whole number of at least 0, not -1",
    ]


def test_with_settings() -> None:
    x = BUILTIN_NETWORKS["x"].with_settings({"limit": 25000, "link": "label"})
    assert (x.limit, x.link_display) == (25000, LinkDisplay.LABEL)
    with pytest.raises(BuildFailed, match=r"share\.networks\.x\.limit"):
        BUILTIN_NETWORKS["x"].with_settings({"limit": True})


def test_a_network_is_a_plain_value() -> None:
    a = Network("n", 10, COUNTING_RULES["graphemes"])
    assert a == Network("n", 10, COUNTING_RULES["graphemes"])
    assert hash(a) == hash(Network("n", 10, COUNTING_RULES["graphemes"]))
