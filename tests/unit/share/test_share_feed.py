"""The share feed as a build writes it: read back with real clients (jsonschema,
feedparser, the csv module) and checked against each network's own rule."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import feedparser
import jsonschema
import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.commands.cli import main
from publisher.config.reader import load_config
from publisher.core.errors import BuildFailed
from publisher.social import link_label

SITES = Path(__file__).resolve().parents[2] / "sites"
SCHEMAS = Path(__file__).resolve().parents[2] / "discovery" / "schemas"
NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
SITE_URL = "https://hub.example.com/"
ALL_NETWORKS = ["x", "mastodon", "bluesky", "threads", "linkedin", "facebook", "pinterest", "reddit"]
QUOTED_BODY = """Opening paragraph of a long piece.

> [!pullquote]
> Long-form pieces earn links; short posts earn likes. 🧑‍💻

Middle paragraph.

> [!pullquote]
> Distribution is a schedule, not a mood.

Closing paragraph.
"""


# A body with something to say besides its first paragraph: re-shares are made of such sentences.
BODY = """Body text.

Long-form pieces earn links from the people a brand serves, week after week.

Why does a short post earn likes but never a lead from a buyer?

A hub of useful articles keeps working long after the social post has scrolled away."""


def write_post(site: Path, name: str, front: str, body: str = BODY) -> Path:
    path = site / "content" / "posts" / name
    path.write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")
    return path


def when(delta: timedelta) -> str:
    return (NOW + delta).strftime("%Y-%m-%d %H:%M:%S+00:00")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITES / "good", root)
    config = root / "publisher.toml"
    # A real top-level domain, so that X and Mastodon count each link as 23.
    text = config.read_text(encoding="utf-8").replace("https://hub.example/", SITE_URL)
    config.write_text(text + f"\n[share]\npost_to = {json.dumps(ALL_NETWORKS)}\n", encoding="utf-8")
    write_post(root, "quoted.md", "title: \"Long-form 🧑‍💻 that gets read: 长文 and العربية\"\n"
               f"date: {when(timedelta(days=-1))}\n"
               "summary: " + "A summary long enough to need shortening on the strict networks. " * 3 + "\n"
               "tags: [content marketing, seo, social media, e\u0301criture]", QUOTED_BODY)
    write_post(root, "own.md", f"title: Our own words\ndate: {when(timedelta(days=-3))}\nshare:\n"
               "  x: \"Read this: {url} #ours\"\n  networks: [x, mastodon]")
    write_post(root, "skipped.md", f"title: Not for social\ndate: {when(timedelta(days=-2))}\nshare:\n  skip: true")
    return root


def built(site: Path, **options) -> Path:
    build(BuildOptions(config=site / "publisher.toml", now=NOW, **options))
    return site / "output" / "share"


def feed(share: Path) -> dict:
    return json.loads((share / "share.json").read_text(encoding="utf-8"))


def items_of(share: Path, network: str | None = None) -> list[dict]:
    return [i for i in feed(share)["items"] if network in (None, i["_publisher"]["network"])]


def test_share_json_is_valid_against_its_own_schema_and_json_feed_1_1(site: Path) -> None:
    share = built(site)
    document = feed(share)
    own = json.loads((share / "share-feed.schema.json").read_text(encoding="utf-8"))
    jsonfeed = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text(encoding="utf-8"))
    for schema in (own, jsonfeed):
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["items"], "the share feed is empty"
    assert {i["_publisher"]["about"] for i in document["items"]} == {SITE_URL + "share/share-feed.schema.json"}


def test_a_post_at_a_non_ascii_url_has_uris_that_pass_the_schemas_format_check(site: Path) -> None:
    """`café-société`: every link, post URL and image of its items a URI (`caf%C3%A9-soci%C3%A9t%C3%A9`), as the
    schema says and schedulers take them, leading to the built page."""
    write_post(site, "cafe.md", f"title: Café\nslug: café-société\ndate: {when(timedelta(days=-2))}")
    share = built(site)
    checker = jsonschema.FormatChecker()
    assert "uri" in checker.checkers  # checked, not let by: rfc3986-validator is installed
    jsonschema.Draft202012Validator(json.loads((share / "share-feed.schema.json").read_text(encoding="utf-8")),
                                    format_checker=checker).validate(feed(share))
    items = [i for i in items_of(share) if "soci" in i["_publisher"]["post_url"]]
    assert items
    for item in items:
        assert item["_publisher"]["post_url"] == SITE_URL + "caf%C3%A9-soci%C3%A9t%C3%A9/"
        assert item["url"].startswith(SITE_URL + "caf%C3%A9-soci%C3%A9t%C3%A9/?utm_source=")
        path = unquote(urlsplit(item["url"]).path)
        assert (share.parent / path.lstrip("/") / "index.html").is_file()


def test_a_pin_of_a_post_with_nothing_but_a_title_says_its_title(site: Path) -> None:
    """No summary, body or tags: the pin's description (its text) is the title, never empty, which the schema and
    Pinterest refuse."""
    write_post(site, "bare.md", f"title: Just a title\ndate: {when(timedelta(days=-2))}", body="")
    share = built(site)
    pins = [i for i in items_of(share, "pinterest") if "bare" in i["url"]]
    assert pins and all(pin["content_text"] == "Just a title" for pin in pins)
    jsonschema.Draft202012Validator(json.loads((share / "share-feed.schema.json").read_text(encoding="utf-8")),
                                    format_checker=jsonschema.FormatChecker()).validate(feed(share))


def test_every_text_is_within_its_networks_limit_by_its_own_rule(site: Path) -> None:
    cfg, _ = load_config(site / "publisher.toml")
    items = items_of(built(site))
    assert {i["_publisher"]["network"] for i in items} == set(ALL_NETWORKS)
    for item in items:
        extension = item["_publisher"]
        network = cfg.share.profiles[extension["network"]]
        measure = network.measure(item["content_text"])
        assert measure.ok, (extension["network"], measure.problems(), item["content_text"])
        assert measure.count == extension["count"] and extension["limit"] == network.limit


def test_links_carry_utm_attribution_and_lead_to_built_pages(site: Path) -> None:
    share = built(site)
    for item in items_of(share):
        extension = item["_publisher"]
        link = urlsplit(item["url"])
        assert parse_qs(link.query) == {"utm_source": [extension["network"]], "utm_medium": ["social"],
                                        "utm_campaign": [urlsplit(extension["post_url"]).path.strip("/")],
                                        "utm_content": [extension["variant"]]}
        assert (share.parent / link.path.lstrip("/") / "index.html").is_file(), item["url"]


def test_bluesky_facets_point_at_the_label_and_hashtags_in_the_utf8_text(site: Path) -> None:
    items = items_of(built(site), "bluesky")
    assert items
    for item in items:
        data = item["content_text"].encode("utf-8")
        kinds = set()
        for facet in item["_publisher"]["facets"]:
            shown = data[facet["index"]["byteStart"]:facet["index"]["byteEnd"]].decode("utf-8")
            feature = facet["features"][0]
            kinds.add(feature["$type"])
            if feature["$type"].endswith("#link"):
                assert feature["uri"] == item["url"] and shown == link_label(item["url"])
            else:
                assert shown == "#" + feature["tag"]
        assert "app.bsky.richtext.facet#link" in kinds
        assert item["url"] not in item["content_text"]  # the text shows the short label


def test_each_network_feed_parses_with_stable_guids_and_due_items_only(site: Path) -> None:
    share = built(site)
    for network in ALL_NETWORKS:
        parsed = feedparser.parse((share / f"{network}.xml").read_bytes())
        assert not parsed.bozo, (network, parsed.get("bozo_exception"))
        due = [i for i in items_of(share, network) if datetime.fromisoformat(i["date_published"]) <= NOW]
        due.sort(key=lambda i: i["date_published"], reverse=True)
        assert [e.id for e in parsed.entries] == [i["id"] for i in due]
        for entry, item in zip(parsed.entries, due, strict=True):
            assert entry.guidislink is False and entry.link == item["url"]
            # An RSS description is HTML: the text escaped, its line breaks <br>; read back, it is the text, with
            # the link in full (on Bluesky too, whose share.json text shows a label: an RSS tool has no facets).
            text = item["_publisher"].get("text_with_link", item["content_text"])
            assert html.unescape(re.sub(r"<br\s*/?>", "", entry.description)) == text
            assert entry.description.count("<br") == text.count("\n")
            if "image" in item:
                assert entry.media_content[0]["url"] == item["image"]
                assert entry.content[0].value == item["_publisher"]["image_alt"]  # media:description


def test_csv_files_read_back_to_the_upcoming_texts(site: Path) -> None:
    share = built(site)
    upcoming = [i for i in items_of(share) if datetime.fromisoformat(i["date_published"]) > NOW]
    assert upcoming, "nothing upcoming: the fixture should have re-shares ahead"

    def rows(path: Path) -> list[list[str]]:
        raw = path.read_bytes()
        assert b"\r\n" in raw and raw.decode("utf-8")  # RFC 4180 line ends, UTF-8
        return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))

    networks = sorted({i["_publisher"]["network"] for i in upcoming})
    for network in networks:
        mine = [i for i in upcoming if i["_publisher"]["network"] == network]
        weeks = sorted((share / "sprout" / network).glob("*.csv"))  # a file per ISO week: 2026-W36.csv…
        assert weeks and all(re.fullmatch(r"\d{4}-W\d{2}\.csv", w.name) for w in weeks)
        sprout = [row for week in weeks for row in rows(week)[1:]]
        assert rows(weeks[0])[0] == ["date", "time_24hr", "message_text", "link"]
        assert [r[3] for r in sprout] == [i["url"] for i in mine]
        assert all(i["url"] not in r[2] for r, i in zip(sprout, mine, strict=True))  # the link has its column
        buffer = [row for week in sorted((share / "buffer" / network).glob("*.csv")) for row in rows(week)[1:]]
        if network in ("pinterest", "reddit"):  # the link is a field, and Buffer's CSV has no link column
            assert not (share / "buffer" / network).exists()
        else:
            assert [r[0] for r in buffer] == [i["_publisher"].get("text_with_link", i["content_text"]) for i in mine]
            assert [r[4] for r in buffer] == [i["_publisher"].get("image_alt", "") for i in mine]  # alt text
        hootsuite = [row for week in sorted((share / "hootsuite" / network).glob("*.csv")) for row in rows(week)]
        for row, item in zip(hootsuite, mine, strict=True):
            local = datetime.fromisoformat(item["date_published"])  # the site's zone, the CSVs' by default
            assert row[0] == local.strftime("%m/%d/%Y %H:%M") and local.minute % 5 == 0


def test_ids_survive_a_rebuild_and_a_body_edit(site: Path) -> None:
    first = [i["id"] for i in items_of(built(site))]
    shutil.rmtree(site / "output")
    assert [i["id"] for i in items_of(built(site, use_cache=False))] == first
    post = site / "content" / "posts" / "quoted.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Middle paragraph.", "A rewritten middle."),
                    encoding="utf-8")
    assert [i["id"] for i in items_of(built(site))] == first
    assert len(set(first)) == len(first)


def test_pull_quotes_become_reshare_variants(site: Path) -> None:
    quoted = [i for i in items_of(built(site), "mastodon") if "quoted" in i["url"] or "long-form" in i["url"]]
    kinds = {i["_publisher"]["variant"]: i["_publisher"]["kind"] for i in quoted}
    assert kinds == {"announce": "announce", "reshare-1": "quote", "reshare-2": "quote"}
    texts = {i["_publisher"]["variant"]: i["content_text"] for i in quoted}
    assert "Long-form pieces earn links; short posts earn likes. 🧑‍💻" in texts["reshare-1"]
    assert "Distribution is a schedule, not a mood." in texts["reshare-2"]


def test_writers_text_settings_and_skip_are_honoured(site: Path) -> None:
    items = items_of(built(site))
    own = [i for i in items if "/own" in i["url"] or "our-own-words" in i["url"]]
    assert {i["_publisher"]["network"] for i in own} == {"x", "mastodon"}
    announce = next(i for i in own if i["_publisher"]["network"] == "x" and i["_publisher"]["variant"] == "announce")
    assert announce["content_text"] == f"Read this: {announce['url']} #ours"
    assert not [i for i in items if "skipped" in i["url"] or "not-for-social" in i["url"]]


def test_no_two_items_of_a_network_are_less_than_ten_minutes_apart(site: Path) -> None:
    for n in range(6):  # six posts published in the same minute
        write_post(site, f"burst{n}.md", f"title: Burst {n}\ndate: {when(timedelta(hours=-5))}")
    items = items_of(built(site))
    for network in ALL_NETWORKS:
        times = sorted(datetime.fromisoformat(i["date_published"])
                       for i in items if i["_publisher"]["network"] == network)
        assert all(b - a >= timedelta(minutes=10) for a, b in pairwise(times)), network


def test_schedule_announces_after_the_publish_lag_and_reshares_at_posting_hours(site: Path) -> None:
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write('\n[share.schedule]\nreshare_after = ["1d"]\nhours = ["08:15"]\n')
    write_post(site, "timed.md", "title: Timed\ndate: 2026-08-20 10:02:00+02:00\nshare:\n  networks: [linkedin]")
    items = {i["_publisher"]["variant"]: i for i in items_of(built(site), "linkedin") if "timed" in i["url"]}
    # an hour after the post's date (the default publish_lag: the page is built by then), rounded up to 5 minutes
    assert items["announce"]["date_published"] == "2026-08-20T11:05:00+02:00"
    assert items["reshare-1"]["date_published"] == "2026-08-22T08:15:00+02:00"  # next 08:15 after a day


def test_a_writers_text_over_the_limit_is_an_error_naming_file_field_and_count(site: Path, capsys) -> None:
    write_post(site, "long.md", "title: Too long\ndate: 2026-08-01\nshare:\n  x: \"" + "word " * 60 + "{url}\"")
    before = (site / "output").exists()
    code = main(["build", "--config", str(site / "publisher.toml")])
    err = capsys.readouterr().err
    assert code == 1
    assert "content/posts/long.md:5: share.x: 323 of 280 weighted characters" in err  # the line of x:
    assert "Traceback" not in err and (site / "output").exists() == before


def test_unknown_network_in_front_matter_names_the_field_and_its_line(site: Path) -> None:
    write_post(site, "bad.md", "title: Bad\ndate: 2026-08-01\nshare:\n  skip: false\n  networks: [myspace]")
    with pytest.raises(BuildFailed) as failed:
        built(site)
    assert any(p.path == "content/posts/bad.md" and p.line == 6 and p.field == "share.networks"
               and "myspace" in p.message for p in failed.value.problems)


def test_a_writers_text_per_variant_is_named_by_its_own_line(site: Path) -> None:
    front = 'title: Variants\ndate: 2026-08-01\nshare:\n  x:\n    announce: "Short {url}"\n    reshare-%s: "%s{url}"'
    write_post(site, "variants.md", front % (1, "word " * 60))
    with pytest.raises(BuildFailed) as failed:
        built(site)
    assert [str(p) for p in failed.value.problems] == [
        "content/posts/variants.md:7: share.x.reshare-1: 323 of 280 weighted characters"]
    write_post(site, "variants.md", front % (9, ""))
    with pytest.raises(BuildFailed) as failed:
        built(site)
    assert [str(p) for p in failed.value.problems] == [(
        "content/posts/variants.md:7: share.x.reshare-9: this post has no variant 'reshare-9' "
        "(it has: announce, reshare-1, reshare-2)")]


def test_a_sites_own_template_replaces_the_themes(site: Path) -> None:
    folder = site / "themes" / "default" / "share"
    folder.mkdir(parents=True)
    (folder / "mastodon.txt").write_text("{{ kind | upper }}: {{ title }} {{ url }}\n", encoding="utf-8")
    items = items_of(built(site), "mastodon")
    assert all(i["content_text"].startswith(i["_publisher"]["kind"].upper() + ": ") for i in items
               if "own" not in i["url"])


def test_a_broken_template_is_one_problem_where_it_is_written_not_one_per_post(site: Path) -> None:
    """A pattern in the settings, or a theme's template, without the link: one line naming that file, not a line
    for each post and variant that uses it."""
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[share.networks.x]\ntemplate = "{title}"\n',
                      encoding="utf-8")
    folder = site / "themes" / "default" / "share"
    folder.mkdir(parents=True)
    (folder / "mastodon.txt").write_text("{{ title }}\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        built(site)
    line = config.read_text(encoding="utf-8").splitlines().index('template = "{title}"') + 1
    assert [str(problem) for problem in failed.value.problems] == [
        f"publisher.toml:{line}: share.networks.x.template: the x share template does not show the link ({{url}})",
        ("themes/default/share/mastodon.txt: share template: the mastodon share template does not show the link "
        "({url})")]


def test_an_unknown_name_in_a_share_template_reached_through_a_name_every_object_has_is_named(site: Path) -> None:
    """`{{ nothing_here.__class__ }}` in a share template: Python finds `__class__` on Jinja2's undefined value
    itself, so every Mastodon text began "<class 'jinja2.runtime.StrictUndefined'>" and the build succeeded."""
    folder = site / "themes" / "default" / "share"
    folder.mkdir(parents=True)
    (folder / "mastodon.txt").write_text('{{ nothing_here.__class__ }} {% include "_standard.txt" %}',
                                         encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        built(site)
    assert [str(problem) for problem in failed.value.problems] == [
        "themes/default/share/mastodon.txt:1: template: UndefinedError: 'nothing_here' is undefined"]


def test_share_preview_prints_each_network_with_its_count(site: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(site)
    assert main(["share", "content/posts/quoted.md"]) == 0
    out = capsys.readouterr().out
    for network in ALL_NETWORKS:
        assert f"{network} · announce" in out
    assert "/280 weighted characters" in out and f"link: {SITE_URL}" in out
    assert "in CSV and RSS, the link in full:" in out  # Bluesky's second text, with the UTM link written out
    assert "│ Read the full piece: https://hub.example.com/quoted/?utm_source=bluesky" in out
    assert main(["share", "content/posts/quoted.md", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert {r["network"] for r in records} == set(ALL_NETWORKS)
    assert all(bool(r["portable_text"]) == (r["network"] == "bluesky") for r in records)


def test_share_preview_shows_an_over_limit_text_and_exits_1(site: Path, capsys, monkeypatch) -> None:
    write_post(site, "long.md",
               "title: Too long\ndate: 2027-08-01\ndraft: true\nshare:\n  x: \"" + "word " * 60 + "{url}\"")
    monkeypatch.chdir(site)
    assert main(["share", "content/posts/long.md"]) == 1
    out = capsys.readouterr().out
    assert "323/280 weighted characters" in out and "over the limit" in out


def test_share_json_keeps_each_networks_recent_due_items_and_every_upcoming_one(site: Path) -> None:
    def due_and_upcoming(share: Path, network: str) -> tuple[int, int]:
        times = [datetime.fromisoformat(i["date_published"]) for i in items_of(share, network)]
        return sum(t <= NOW for t in times), sum(t > NOW for t in times)

    # first.md, second.md (January): the announcement only (their bodies have nothing else to say), long due;
    # own.md (3 days ago): 2 due, 1 ahead; quoted.md (yesterday): 1 due, 2 ahead
    assert due_and_upcoming(built(site), "x") == (5, 3)
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("recent = 4\n")  # still inside [share]
    assert due_and_upcoming(built(site), "x") == (4, 3)


def test_a_writers_text_is_checked_even_when_the_feed_no_longer_carries_it(site: Path) -> None:
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("recent = 0\n")  # still inside [share]: no due item is carried
    write_post(site, "old.md", "title: Old\ndate: 2020-01-01\nshare:\n  x: \"" + "word " * 60 + "{url}\"")
    with pytest.raises(BuildFailed) as failed:
        built(site)
    assert [str(p) for p in failed.value.problems] == [
        "content/posts/old.md:5: share.x: 323 of 280 weighted characters"]


def share_bytes(share: Path) -> dict[str, bytes]:
    return {path.relative_to(share).as_posix(): path.read_bytes() for path in sorted(share.rglob("*"))
            if path.is_file()}


def test_a_share_feed_whose_items_are_unchanged_is_kept_as_written(site: Path, monkeypatch) -> None:
    """Writing it takes feedgen for each network's RSS (0.035 s a build at 10,000 posts, with the JSON and CSV
    files): a `publisher build` whose share items, networks and items due are the last build's keeps its files."""
    import publisher.share.outputs as outputs

    first = share_bytes(built(site))
    post = site / "content" / "posts" / "quoted.md"  # an edit no share text shows
    post.write_text(post.read_text(encoding="utf-8").replace("Closing paragraph.", "A closing line."),
                    encoding="utf-8")

    def refused(*args: object) -> bytes:
        raise AssertionError("a share feed file was made again")

    monkeypatch.setattr(outputs, "share_rss", refused)
    monkeypatch.setattr(outputs, "share_json", refused)
    assert share_bytes(built(site)) == first


def test_a_share_feed_whose_items_changed_is_written_as_a_clean_build_writes_it(site: Path, tmp_path: Path) -> None:
    built(site)
    post = site / "content" / "posts" / "own.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Read this:", "Read this now:"), encoding="utf-8")
    share = built(site)
    assert any("Read this now:" in item["content_text"] for item in items_of(share, "x"))
    (share / "x.xml").write_bytes(b"edited by hand")  # a kept file must be on disk as written, too
    clean = tmp_path / "clean"
    build(BuildOptions(config=site / "publisher.toml", now=NOW, output=clean, use_cache=False))
    assert share_bytes(built(site)) == share_bytes(clean / "share")
    later = NOW + timedelta(days=30)  # items fall due: the same items, not the same feed
    build(BuildOptions(config=site / "publisher.toml", now=later))
    build(BuildOptions(config=site / "publisher.toml", now=later, output=clean, use_cache=False))
    assert share_bytes(share) == share_bytes(clean / "share")


def test_share_preview_shows_the_image_the_build_shares(site: Path, capsys, monkeypatch) -> None:
    """A post whose image is an SVG (which networks do not show) is shared with its card: the preview says so, as
    the build's share feed does, rather than showing the SVG."""
    (site / "static" / "img").mkdir(parents=True)
    (site / "static" / "img" / "diagram.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>',
        encoding="utf-8")
    write_post(site, "pictured.md", f"title: Pictured\ndate: {when(timedelta(days=-1))}\nimage: /img/diagram.svg\n"
               "image_alt: A diagram")
    shared = {(i["_publisher"]["network"], i["image"]) for i in items_of(built(site)) if "/pictured/" in i["url"]}
    monkeypatch.chdir(site)
    assert main(["share", "content/posts/pictured.md", "--json"]) == 0
    previewed = {(record["network"], record["image"]) for record in json.loads(capsys.readouterr().out)}
    assert shared and previewed == shared
    assert all("/social/" in image for _, image in previewed), previewed


def test_a_pull_quote_too_long_for_a_network_gives_way_to_a_sentence_of_the_post(site: Path) -> None:
    """A quote is used whole or not at all: where X has no room for it, the re-share says another sentence of the
    post rather than the title alone; Mastodon, with room, carries the quote."""
    quote = ("Every long-form piece we publish is built to answer one question a buyer asks completely, with evidence, "
             "examples and numbers, so that the people who find it months later through search still learn "
             "something they can use the same afternoon, and remember who taught it to them.")
    write_post(site, "long-quote.md", f"title: Quoted at length\ndate: {when(timedelta(days=-1))}",
               f"{BODY}\n\n> [!pullquote]\n> {quote}\n")
    items = [i for i in items_of(built(site)) if "/long-quote/" in i["url"]]
    by_network = {(i["_publisher"]["network"], i["_publisher"]["variant"]): i["content_text"] for i in items}
    assert quote in by_network["mastodon", "reshare-1"]
    x_text = by_network["x", "reshare-1"]
    assert quote not in x_text
    assert any(sentence in x_text for sentence in BODY.split("\n\n")[1:]), x_text


def test_a_network_feed_with_nothing_due_yet_claims_no_build_date(site: Path) -> None:
    """A new hub whose first post's announcements are not due yet: each network's RSS has no items. Its channel
    said `<lastBuildDate>Thu, 01 Jan 1970 …` (feedgen's date for "no date" as publisher gave it), which RSS tools
    show as the feed's age; `lastBuildDate` is optional in RSS 2.0, so it is left out until an item is due."""
    for old in (site / "content" / "posts").iterdir():
        old.unlink()
    write_post(site, "fresh.md", f"title: Just out\ndate: {when(timedelta(minutes=-10))}")
    share = built(site)
    assert items_of(share), "the post's announcements should be upcoming"
    for network in ALL_NETWORKS:
        raw = (share / f"{network}.xml").read_bytes()
        parsed = feedparser.parse(raw)
        assert not parsed.bozo and parsed.entries == [], network
        assert b"lastBuildDate" not in raw and "updated" not in parsed.feed, network


def test_reddit_and_pinterest_get_the_announcement_only_and_the_others_their_reshares(site: Path) -> None:
    """Reddit refuses a link already submitted to the subreddit (`/api/submit` without `resubmit`: "that link has
    already been submitted"), and its text is the post's title each time; Pinterest counts the same Pin (image,
    page, board) saved again as spam. Neither gets a re-share; the networks that take one still do."""
    share = built(site)
    variants: dict[str, set[str]] = {}
    for item in items_of(share):
        variants.setdefault(item["_publisher"]["network"], set()).add(item["_publisher"]["variant"])
    assert variants["reddit"] == variants["pinterest"] == {"announce"}
    assert {"announce", "reshare-1", "reshare-2"} <= variants["x"] and "reshare-1" in variants["mastodon"]


def test_a_site_may_send_reshares_to_pinterest_and_a_writers_reddit_reshare_is_an_error(site: Path) -> None:
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[share.networks.pinterest]\nreshares = true\n",
                      encoding="utf-8")
    assert "reshare-1" in {i["_publisher"]["variant"] for i in items_of(built(site), "pinterest")}
    write_post(site, "reddit.md", 'title: Reddit\ndate: 2026-08-01\nshare:\n  reddit:\n'
               '    announce: "Our title"\n    reshare-1: "Our title, again"')
    with pytest.raises(BuildFailed) as failed:
        built(site)
    assert [str(p) for p in failed.value.problems] == [(
        "content/posts/reddit.md:7: share.reddit.reshare-1: reddit gets the announcement only (it refuses or flags "
        "the same link posted again): this text would never go out (reshares = true under [share.networks.reddit] "
        "sends re-shares)")]


def test_a_reshare_that_would_repeat_an_earlier_text_goes_only_where_repeats_are_taken(site: Path) -> None:
    """X refuses a post repeating an earlier one (403 "You are not allowed to create a Tweet with duplicate
    content", v1.1 error 187), LinkedIn too (422 DUPLICATE_POST) and Facebook (#506 "Duplicate status message"):
    with a pattern of the title and the link, every re-share there said the announcement again and was refused.
    Mastodon takes a repeat: its re-shares stay."""
    config = site / "publisher.toml"
    settings = config.read_text(encoding="utf-8")
    pattern = '\n[share.networks.{}]\ntemplate = "{{title}} {{url}}"\n'
    config.write_text(settings + "".join(map(pattern.format, ("x", "linkedin", "facebook", "mastodon"))),
                      encoding="utf-8")
    share = built(site)
    for network in ("x", "linkedin", "facebook", "mastodon"):
        said: dict[str, list[str]] = {}
        for item in items_of(share, network):
            said.setdefault(item["_publisher"]["post_url"], []).append(item["content_text"].replace(item["url"], ""))
        repeated = [texts for texts in said.values() if len(set(texts)) < len(texts)]
        assert bool(repeated) == (network == "mastodon"), (network, repeated)
    # own.md's announcement on X is the writer's own text: its re-share, the title and the link, differs from it.
    assert {(i["_publisher"]["post_url"].endswith("/own/") or i["_publisher"]["variant"]) for i in
            items_of(share, "x")} == {"announce", True}
    # Re-shares with something else to say still go out where repeats are refused.
    config.write_text(settings + pattern.format("linkedin"), encoding="utf-8")
    assert "reshare-1" in {i["_publisher"]["variant"] for i in items_of(built(site), "x")}


def test_a_writers_reshare_text_repeating_an_earlier_one_is_an_error_where_repeats_are_refused(site: Path) -> None:
    write_post(site, "again.md", 'title: Again\ndate: 2026-08-01\nshare:\n  x:\n    announce: "Read this: {url}"\n'
               '    reshare-1: "Read this: {url}"\n  mastodon:\n    announce: "Read it {url}"\n'
               '    reshare-1: "Read it {url}"')
    with pytest.raises(BuildFailed) as failed:
        built(site)
    assert [str(p) for p in failed.value.problems] == [(
        "content/posts/again.md:7: share.x.reshare-1: the same text as announce: x refuses a post that repeats an "
        "earlier one (write another, or leave it out)")]


def test_a_repeat_is_left_out_whether_or_not_the_feed_still_carries_what_it_repeats(site: Path) -> None:
    """With no due item carried (`recent = 0`), an upcoming re-share that repeats an announcement long gone from
    the feed is left out all the same: the same sources give the same feed whenever the build runs."""
    config = site / "publisher.toml"
    pattern = '\n[share.networks.{}]\ntemplate = "{{title}} {{url}}"\n'
    config.write_text(config.read_text(encoding="utf-8") + "recent = 0\n"  # still inside [share]
                      + pattern.format("x") + pattern.format("mastodon"), encoding="utf-8")
    share = built(site)
    assert items_of(share, "x") == []
    assert {i["_publisher"]["variant"] for i in items_of(share, "mastodon")} >= {"reshare-1", "reshare-2"}


@pytest.mark.parametrize("template", ["pattern", "theme"])
def test_a_reshare_left_out_as_a_repeat_leaves_its_posting_hour_to_one_that_goes_out(tmp_path: Path,
                                                                                       template: str) -> None:
    """With one item a day on X and a template of the title and the link, two posts' re-shares repeat their
    announcements and are left out. They held the days they would have taken all the same: the third post's
    re-share, a text of the writer's own, went out on 4 November, two days late, behind two empty days. Now it
    goes out when it is due, 3 November at 09:00, in the Buffer CSV and the share feed alike."""
    root = tmp_path / "site"
    (root / "content" / "posts").mkdir(parents=True)
    pattern = 'template = "{title} {url}"' if template == "pattern" else ""
    (root / "publisher.toml").write_text(
        '[site]\ntitle = "Repeats"\nurl = "https://repeats.example.com/"\ntimezone = "UTC"\n\n'
        '[share]\npost_to = ["x"]\nscheduler_timezone = "UTC"\n\n'
        '[share.schedule]\nhours = ["09:00", "12:30", "17:00"]\ndaily_cap = 1\nreshare_after = ["2d"]\n\n'
        f"[share.networks.x]\n{pattern}\n", encoding="utf-8")
    if template == "theme":
        (root / "themes" / "default" / "share").mkdir(parents=True)
        (root / "themes" / "default" / "share" / "x.txt").write_text("{{ title }} {{ url }}\n", encoding="utf-8")
    own = '\nshare:\n  x:\n    reshare-1: "Our second word on post three: {url}"'
    for number, day in ((1, "2026-10-30"), (2, "2026-10-31"), (3, "2026-11-01")):
        write_post(root, f"p{number}.md", f"title: Post {number}\ndate: {day}T08:00:00Z\n"
                   f"summary: What post {number} is about.{own if number == 3 else ''}")
    build(BuildOptions(config=root / "publisher.toml", now=datetime(2026, 11, 1, 8, 30, tzinfo=UTC)))
    share = root / "output" / "share"
    rows = [row for path in sorted((share / "buffer" / "x").glob("*.csv"))
            for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))]
    assert [(row["Posting Time"], row["Text"].split(" https://")[0]) for row in rows] == [
        ("2026-11-01 09:00", "Post 3"), ("2026-11-03 09:00", "Our second word on post three:")]
    document = feed(share)
    jsonschema.Draft202012Validator(json.loads((share / "share-feed.schema.json").read_text(encoding="utf-8")),
                                    format_checker=jsonschema.FormatChecker()).validate(document)
    assert [(item["_publisher"]["post_url"], item["_publisher"]["variant"], item["date_published"])
            for item in document["items"]] == [
        ("https://repeats.example.com/p1/", "announce", "2026-10-30T09:00:00+00:00"),
        ("https://repeats.example.com/p2/", "announce", "2026-10-31T09:00:00+00:00"),
        ("https://repeats.example.com/p3/", "announce", "2026-11-01T09:00:00+00:00"),
        ("https://repeats.example.com/p3/", "reshare-1", "2026-11-03T09:00:00+00:00")]
