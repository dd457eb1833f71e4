"""Share feed, round 2 (issue 15) on a site of awkward posts (tests/sites/awkward): long titles, emoji old and
new, CJK, Arabic, URLs and mentions in summaries, punctuated tags, a long pull quote, a scheduled post."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path
from typing import Any

import feedparser
import pytest
from PIL import Image

from publisher.build.pipeline import BuildOptions, build
from publisher.social.counting import grapheme_count, parse_tweet, x_library_length, x_weighted_length

SITES = Path(__file__).resolve().parents[2] / "sites"
REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 9, 2, 12, 0, tzinfo=UTC)  # scheduled.md (September 8) is not published yet
GOLDEN_NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
MAX_SIMILARITY = 0.6  # the issue measured 0.96 between an announcement and its re-shares


@pytest.fixture(scope="module")
def awkward(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("awkward") / "site"
    shutil.copytree(SITES / "awkward", site)
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    return site


def items(share: Path, network: str | None = None) -> list[dict[str, Any]]:
    feed = json.loads((share / "share.json").read_text(encoding="utf-8"))
    return [i for i in feed["items"] if network in (None, i["_publisher"]["network"])]


def public(site: Path) -> Path:
    return site / "output" / "share"


def without_links(text: str) -> str:
    return re.sub(r"https?://\S+|\S+\.example(?:\.com)?/\S*", "", text)


def similarity(first: str, second: str) -> float:
    """difflib's ratio over the words of two texts, links left out (a character of a script written without
    spaces counts as a word)."""
    def units(text: str) -> list[str]:  # a word, or one character of a script written without spaces
        return re.findall(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+",
                          without_links(text).lower())
    return SequenceMatcher(None, units(first), units(second), autojunk=False).ratio()


def test_bluesky_outside_share_json_carries_the_full_link_and_still_fits(awkward: Path) -> None:
    bluesky = items(public(awkward), "bluesky") + items(awkward / ".publisher" / "share", "bluesky")
    assert bluesky
    for item in bluesky:
        full = item["_publisher"]["text_with_link"]
        assert item["url"] in full and item["url"] not in item["content_text"]  # share.json keeps the label
        assert grapheme_count(full) <= 300 and len(full.encode("utf-8")) <= 3000
    rss = feedparser.parse((public(awkward) / "bluesky.xml").read_bytes())
    due = {i["id"]: i for i in items(public(awkward), "bluesky")}
    assert rss.entries and all(due[e.id]["url"] in e.description.replace("&amp;", "&") for e in rss.entries)
    rows = [row for path in sorted((awkward / ".publisher" / "share" / "buffer" / "bluesky").glob("*.csv"))
            for row in list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))[1:]]
    assert rows and all("?utm_source=bluesky" in row[0] for row in rows)


def test_bluesky_items_carry_a_link_card_and_a_facet_for_every_url(awkward: Path) -> None:
    with_url = 0
    for item in items(public(awkward), "bluesky"):
        extension = item["_publisher"]
        card = extension["embed"]
        assert card["$type"] == "app.bsky.embed.external"
        assert card["external"]["uri"] == item["url"] and card["external"]["thumb"] == item["image"]
        assert card["external"]["title"] and card["external"]["description"]
        text = item["content_text"].encode("utf-8")
        linked = {text[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode(): f["features"][0]["uri"]
                  for f in extension["facets"] if f["features"][0]["$type"].endswith("#link")}
        if "example.org/checklist" in item["content_text"]:
            assert linked["https://example.org/checklist"] == "https://example.org/checklist"
            with_url += 1
    assert with_url  # the summary with a URL in it reaches Bluesky whole at least once


def test_no_summary_is_cut_to_a_fragment_and_no_quote_is_cut(awkward: Path) -> None:
    quotes = (("A quote this long cannot be cut without changing what its author said, so when it does not fit a "
               "network whole, fitting leaves it out and uses the post's other material."),
              "Count like the strictest tool that will ever see the text, and nothing you schedule will bounce.")
    whole_quotes = 0
    for item in items(public(awkward)):
        for line in item["content_text"].split("\n"):
            if line.endswith("\u2026") and not line.startswith("The extraordinarily"):  # a title cut is a last resort
                assert len(line.split()) >= 4 or (not line.isascii() and len(line) >= 10), (item["id"], line)
                assert not re.search(r"\b(and|the|a|of|to)\u2026$", line), (item["id"], line)
        if item["_publisher"]["kind"] == "quote" and "“" in item["content_text"]:
            quoted = re.search(r"“([^”]*)”", item["content_text"])
            assert quoted and quoted[1].replace("\u2019", "'") in quotes, item["id"]  # whole, never cut
            whole_quotes += 1
    assert whole_quotes  # some network took a pull quote whole


def test_x_texts_fit_the_twitter_text_librarys_count_too(awkward: Path) -> None:
    x = items(public(awkward), "x") + items(awkward / ".publisher" / "share", "x")
    emoji = [i for i in x if "\U0001f9d1\U0001f3fd\u200d\U0001f4bb" in i["content_text"]]
    assert emoji, "the emoji post's texts keep some of its emoji"
    for item in x:
        text = item["content_text"]
        assert parse_tweet(text).valid and item["_publisher"]["count"] == x_weighted_length(text)
        assert x_library_length(text) <= 280, item["id"]  # what a scheduler running twitter-text counts


def test_reshares_say_something_else_than_the_announcement_and_each_other(awkward: Path, tmp_path: Path) -> None:
    for site, now in ((awkward, NOW), (REPO, GOLDEN_NOW)):
        by_post: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        output = tmp_path / site.name
        build(BuildOptions(config=site / "publisher.toml", output=output, now=now, use_cache=False))
        for item in items(output / "share"):
            extension = item["_publisher"]
            by_post[(extension["post_url"], extension["network"])][extension["variant"]] = item["content_text"]
        compared = 0
        for (post, network), texts in by_post.items():  # Reddit's, its title each time, is an announcement only
            for (a, first), (b, second) in combinations(sorted(texts.items()), 2):
                assert similarity(first, second) < MAX_SIMILARITY, (post, network, a, b, first, second)
                compared += 1
        assert compared > 20


def test_archive_wording_only_for_reshares_more_than_90_days_after_the_post(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "awkward", site)
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write('\n[share.schedule]\nreshare_after = ["2d", "120d"]\n')
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    mastodon = items(site / ".publisher" / "share", "mastodon")
    assert any(item["_publisher"]["variant"] == "reshare-2" for item in mastodon)
    for item in mastodon:
        archived = "From the archive" in item["content_text"]
        assert archived == (item["_publisher"]["variant"] == "reshare-2"), item["id"]


def test_a_scheduled_posts_announcement_goes_to_the_team_after_the_publish_lag(awkward: Path) -> None:
    scheduled = "https://awkward.example.com/scheduled/"
    assert not [i for i in items(public(awkward)) if i["_publisher"]["post_url"] == scheduled]  # output/ is public
    ahead = [i for i in items(awkward / ".publisher" / "share") if i["_publisher"]["post_url"] == scheduled]
    announce = [i for i in ahead if i["_publisher"]["kind"] == "announce"]
    assert len(announce) == len({i["_publisher"]["network"] for i in ahead}) > 1
    post_date = datetime(2026, 9, 8, 9, 0, tzinfo=UTC) + timedelta(hours=4)  # 09:00 in New York
    assert all(datetime.fromisoformat(i["date_published"]) >= post_date + timedelta(hours=1) for i in announce)
    week = awkward / ".publisher" / "share" / "sprout" / "x" / "2026-W37.csv"
    assert "A post scheduled for next week" in week.read_text(encoding="utf-8")
    assert "A post scheduled for next week" not in (public(awkward) / "sprout" / "x" / "2026-W37.csv").read_text(
        encoding="utf-8")


def test_publish_scheduled_puts_the_announcements_in_the_public_share_feed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITES / "awkward", site)
    text = (site / "publisher.toml").read_text(encoding="utf-8")
    (site / "publisher.toml").write_text(text.replace("[share]\n", "[share]\npublish_scheduled = true\n"),
                                         encoding="utf-8")
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    assert [i for i in items(public(site)) if i["_publisher"]["post_url"].endswith("/scheduled/")]
    assert not (site / ".publisher" / "share").exists()


def test_the_sample_hubs_share_ids_are_the_ones_already_out(tmp_path: Path) -> None:
    pinned = set((Path(__file__).parent / "sample_hub_share_ids.txt").read_text(encoding="utf-8").split())
    build(BuildOptions(config=REPO / "publisher.toml", output=tmp_path / "out", now=GOLDEN_NOW, use_cache=False))
    ids = {i["id"] for i in items(tmp_path / "out" / "share")}
    assert ids and ids <= pinned  # no item is renamed; a re-share with nothing new to say is left out
    assert {i for i in pinned if i.endswith("-announce")} <= ids


def test_a_scheduled_posts_announcements_show_its_own_image_and_the_sites_alt_text(tmp_path: Path) -> None:
    """Announced ahead, a post with its own photo shows that photo and its alt text (the file is public already),
    not the site's image; one without shows the site's image with `[social] image_alt`. No card or copy named
    after the post reaches output/ before the post does."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "awkward", site)
    (site / "static" / "img").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 630), "#2e7d8c").save(site / "static" / "img" / "hero.png")
    Image.new("RGB", (1200, 630), "#0b4f6c").save(site / "static" / "img" / "site.png")
    post = site / "content" / "posts" / "scheduled.md"
    post.write_text(post.read_text(encoding="utf-8").replace(
        "tags: [editorial calendar]", "tags: [editorial calendar]\nimage: /img/hero.png\nimage_alt: A teal card"),
        encoding="utf-8")
    (site / "content" / "posts" / "plain-ahead.md").write_text(
        '---\ntitle: "Another one ahead"\ndate: 2026-09-09 09:00:00-04:00\nsummary: "Also ahead."\n---\n\nText.\n',
        encoding="utf-8")
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write('\n[social]\nimage = "/img/site.png"\nimage_alt = "The hub\'s logo on teal"\n')
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    ahead = items(site / ".publisher" / "share")
    own = [i for i in ahead if i["_publisher"]["post_url"].endswith("/scheduled/")]
    plain = [i for i in ahead if i["_publisher"]["post_url"].endswith("/plain-ahead/")]
    assert own and plain
    assert {(i["image"], i["_publisher"]["image_alt"]) for i in own} == {
        ("https://awkward.example.com/img/hero.png", "A teal card")}
    assert {(i["image"], i["_publisher"]["image_alt"]) for i in plain} == {
        ("https://awkward.example.com/img/site.png", "The hub's logo on teal")}
    assert not [path for path in (site / "output").rglob("*") if "scheduled" in path.name or "plain-ahead" in path.name]
    home = (site / "output" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image:alt" content="The hub&#39;s logo on teal">' in home


def test_no_reshare_of_the_sample_hub_opens_by_pointing_back_at_a_sentence_it_does_not_carry(tmp_path: Path) -> None:
    # "That shift only pays off if you can tell which routes deliver readers who matter." went out as the UTM post's
    # second re-share: which shift, a reader asks, who never saw the sentence before it in the post.
    output = tmp_path / "hub"
    build(BuildOptions(config=REPO / "publisher.toml", output=output, now=GOLDEN_NOW, use_cache=False))
    reshares = [item["content_text"] for item in items(output / "share")
                if item["_publisher"]["kind"] == "reshare" and item["_publisher"]["network"] == "mastodon"]
    assert len(reshares) > 5
    opening = re.compile(r"(That|These|Those|Such|But|And|So|Also|Then|Thus|Hence|However)\b")
    assert not [text for text in reshares if opening.match(text)]
