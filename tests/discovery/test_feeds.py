"""Every feed, read by real clients: feedparser for RSS and Atom, a JSON Schema
for JSON Feed 1.1, and the Atom elements RFC 4287 requires."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import jsonschema
import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.core.errors import BuildFailed
from publisher.output.files import OutputFile

from ..conftest import snapshot
from .conftest import NOW, make_site, write_post

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "jsonfeed-1.1.schema.json").read_text())
ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED = ["pictured", "second", "hostile", "long-summary", "syndicated", "custom-id", "first"]  # newest first


def feed_files(out: Path, name: str) -> list[Path]:
    return sorted(out.rglob(name))


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_feedparser_reads_every_feed_without_complaint(built: Path, name: str) -> None:
    files = feed_files(built, name)
    # The site feed + one per tag (tags/index.html aside).
    assert len(files) == 1 + len(list((built / "tags").iterdir())) - 1
    for path in files:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.link.startswith("https://hub.example/")
            assert entry.title and entry.summary
            for url in _urls_in(entry.get("content", [{"value": ""}])[0]["value"]):
                assert url.startswith(("https://", "#")), (path, url)


def test_site_feed_entries_in_order_with_dates_content_authors_and_tags(built: Path) -> None:
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((built / name).read_bytes())
        slugs = [e.link.rstrip("/").rsplit("/", 1)[-1] for e in parsed.entries]
        assert slugs == PUBLISHED, name  # newest first, no draft, no future post
        pictured = parsed.entries[0]
        assert pictured.published_parsed[:5] == (2026, 3, 1, 11, 0)  # 12:00 in Berlin
        assert "<p>See" in pictured.content[0]["value"]
        assert 'href="https://hub.example/first/"' in pictured.content[0]["value"]
        assert 'src="https://hub.example/img/chart.png"' in pictured.content[0]["value"]
        assert {t.term for t in pictured.tags} == {"alpha", "gamma"}
        assert pictured.author == "Ann Author"
        assert pictured.summary == "A post with an image."
    rss = feedparser.parse((built / "feed.xml").read_bytes())
    assert rss.entries[0].media_content[0]["url"] == "https://hub.example/img/card.png"
    assert rss.entries[0].media_content[0]["width"] == "120"


def test_fragment_links_point_at_the_post_and_feeds_link_to_themselves(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "content" / "posts" / "notes.md").write_text(
        "---\ntitle: Notes\ndate: 2026-03-09\n---\n\n## Part one\n\nA note[^1].\n\n## Part two\n\n[^1]: The note.\n")
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((site / "output" / name).read_bytes())
        content = parsed.entries[0].content[0]["value"]
        assert 'href="https://hub.example/notes/#fn:1"' in content and 'href="#' not in content
        assert any(link.get("rel") == "self" and link["href"] == f"https://hub.example/{name}"
                   for link in parsed.feed.links)


def test_ids_are_permalinks_unless_front_matter_sets_one(built: Path) -> None:
    atom = feedparser.parse((built / "atom.xml").read_bytes())
    ids = {e.link.rstrip("/").rsplit("/", 1)[-1]: e.id for e in atom.entries}
    assert ids["first"] == "https://hub.example/first/"
    assert ids["custom-id"] == "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"
    rss = ET.fromstring((built / "feed.xml").read_bytes())
    guid = next(item.find("guid") for item in rss.iter("item") if item.findtext("title") == "Custom id")
    assert guid.get("isPermaLink") == "false"


def test_ids_survive_a_new_title_and_date(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    before = {e.id for e in feedparser.parse((site / "output" / "atom.xml").read_bytes()).entries}
    post = site / "content" / "posts" / "first.md"
    post.write_text(post.read_text().replace("title: First post", "title: A new title")
                    .replace("2026-01-05", "2026-01-07"))
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    after = {e.id for e in feedparser.parse((site / "output" / "atom.xml").read_bytes()).entries}
    assert before == after


def test_feed_updated_is_the_newest_content_never_the_clock(built: Path) -> None:
    atom = ET.fromstring((built / "atom.xml").read_bytes())
    assert atom.findtext(f"{ATOM}updated") == "2026-03-05T00:00:00+01:00"  # pictured.md's updated date
    rss = feedparser.parse((built / "feed.xml").read_bytes())
    assert rss.feed.updated_parsed[:3] == (2026, 3, 4)  # 2026-03-05 00:00 Berlin is the 4th in UTC


def test_json_feed_validates_and_matches(built: Path) -> None:
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    for path in feed_files(built, "feed.json"):
        document = json.loads(path.read_text())
        jsonschema.validate(document, SCHEMA, format_checker=checker)
    site = json.loads((built / "feed.json").read_text())
    assert [i["url"].rstrip("/").rsplit("/", 1)[-1] for i in site["items"]] == PUBLISHED
    pictured = site["items"][0]
    assert pictured["image"] == "https://hub.example/img/card.png"
    assert pictured["date_published"] == "2026-03-01T12:00:00+01:00"
    assert pictured["authors"][0]["name"] == "Ann Author" and pictured["tags"] == ["alpha", "gamma"]
    assert site["feed_url"] == "https://hub.example/feed.json"


def test_atom_has_every_element_rfc_4287_requires(built: Path) -> None:
    for path in feed_files(built, "atom.xml"):
        feed = ET.fromstring(path.read_bytes())
        assert feed.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert feed.find(f"{ATOM}{required}") is not None, (path, required)
        feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
        assert any(link.get("rel", "alternate") == "alternate" for link in feed.findall(f"{ATOM}link"))
        ids = [entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry")]
        assert len(ids) == len(set(ids)), "entry ids must be unique"
        for entry in feed.findall(f"{ATOM}entry"):
            for required in ("id", "title", "updated"):
                assert entry.findtext(f"{ATOM}{required}"), (path, required)
            assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
            content = entry.find(f"{ATOM}content")
            has_alternate = any(link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{ATOM}link"))
            assert content is not None or has_alternate
            assert content is None or content.get("type") in ("text", "html", "xhtml")
            for stamp in ("updated", "published"):
                value = entry.findtext(f"{ATOM}{stamp}")
                assert value is None or datetime.fromisoformat(value).tzinfo is not None


def test_feed_settings(tmp_path: Path) -> None:
    site = make_site(tmp_path, '\n[feeds]\nlimit = 2\ncontent = "summary"\n'
                               'utm = "utm_source=rss&utm_medium=feed"\ntags = false\n')
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    out = site / "output"
    assert not list((out / "tags").rglob("feed.xml"))
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((out / name).read_bytes())
        assert len(parsed.entries) == 2
        for entry in parsed.entries:
            assert entry.link.endswith("?utm_source=rss&utm_medium=feed")
            assert "utm_" not in entry.id
            assert "content" not in entry or not entry.content[0]["value"].startswith("<p>")
    items = json.loads((out / "feed.json").read_text())["items"]
    assert all("content_html" not in item and item["content_text"] for item in items)


def test_feeds_and_sitemap_are_identical_across_builds_and_clocks(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    outputs = []
    for index, now in enumerate((NOW, datetime(2026, 12, 24, 23, 59, tzinfo=UTC))):
        out = tmp_path / f"out{index}"
        build(BuildOptions(config=site / "publisher.toml", now=now, output=out, use_cache=False))
        outputs.append({k: v for k, v in snapshot(out).items() if k.endswith((".xml", ".json", ".txt"))})
    assert outputs[0] == outputs[1]
    assert "sitemap.xml" in outputs[0] and "feed.xml" in outputs[0]


def test_raw_html_links_in_single_quotes_and_srcset_get_the_base_path_and_are_absolute_in_feeds(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "content" / "posts" / "raw.md").write_text(
        "---\ntitle: Raw HTML\ndate: 2026-03-09\n---\n\n"
        "See <a href='first.md'>the first post</a> and <img src='/img/chart.png' alt='a chart'>.\n\n"
        '<picture><source srcset="/img/chart.png 1x, img/card.png 2x">'
        "<img srcset='/img/card.png 2x' src=\"/img/chart.png\" alt=''></picture>\n", encoding="utf-8")
    build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url="https://hub.example/journal/",
                       use_cache=False))
    page = (site / "output" / "raw" / "index.html").read_text()
    assert "href='/journal/first/'" in page and "src='/journal/img/chart.png'" in page
    assert 'srcset="/journal/img/chart.png 1x, /journal/img/card.png 2x"' in page
    assert "srcset='/journal/img/card.png 2x'" in page
    absolute = "https://hub.example/journal/"
    rss = ET.fromstring((site / "output" / "feed.xml").read_bytes())
    atom = ET.fromstring((site / "output" / "atom.xml").read_bytes())
    feed_json = json.loads((site / "output" / "feed.json").read_text())
    contents = [next(e.findtext("{http://purl.org/rss/1.0/modules/content/}encoded") for e in rss.iter("item")
                     if e.findtext("title") == "Raw HTML"),
                next(e.findtext(f"{ATOM}content") for e in atom.iter(f"{ATOM}entry")
                     if e.findtext(f"{ATOM}title") == "Raw HTML"),
                next(i["content_html"] for i in feed_json["items"] if i["title"] == "Raw HTML")]
    for content in contents:
        assert f"href='{absolute}first/'" in content and f"src='{absolute}img/chart.png'" in content
        assert f'srcset="{absolute}img/chart.png 1x, {absolute}img/card.png 2x"' in content
        assert f"srcset='{absolute}img/card.png 2x'" in content
        assert all(url.startswith("https://") for url in _urls_in(content)), content


def test_non_ascii_urls_are_uris_in_feeds_and_the_sitemap_and_iris_on_pages(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write_post(site, "smörgåsbord.md", "title: Smörgåsbord\ndate: 2026-03-09\ntags: [Café, alpha]")
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    out = site / "output"
    tag, post = "https://hub.example/tags/caf%C3%A9/", "https://hub.example/sm%C3%B6rg%C3%A5sbord/"
    assert "/tags/café/" in (out / "smörgåsbord" / "index.html").read_text()  # pages keep IRIs

    sitemap = ET.fromstring((out / "sitemap.xml").read_bytes())
    locs = {loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert {tag, post} <= locs and all(loc and loc.isascii() for loc in locs)

    rss = ET.fromstring((out / "tags" / "café" / "feed.xml").read_bytes())
    assert rss.findtext("channel/link") == tag
    assert rss.findtext("channel/item/link") == post
    atom = ET.fromstring((out / "tags" / "café" / "atom.xml").read_bytes())
    links = {link.get("rel"): link.get("href") for link in atom.findall(f"{ATOM}link")}
    assert links == {"self": tag + "atom.xml", "alternate": tag}
    assert atom.find(f"{ATOM}entry/{ATOM}link").get("href") == post
    assert atom.findtext(f"{ATOM}entry/{ATOM}id") == "https://hub.example/smörgåsbord/"  # ids never change
    document = json.loads((out / "tags" / "café" / "feed.json").read_text())
    assert (document["home_page_url"], document["feed_url"]) == (tag, tag + "feed.json")
    assert document["items"][0]["url"] == post
    site_feed = json.loads((out / "feed.json").read_text())
    assert site_feed["items"][0]["url"] == post


def test_each_author_is_named_once_per_entry(tmp_path: Path) -> None:
    """Atom's <author> names them (no dc:creator as well), RSS's dc:creator, JSON Feed's authors: once each,
    even when front matter names one person twice (by key and by name, or twice by one page's name)."""
    site = make_site(tmp_path)
    (site / "publisher.toml").write_text((site / "publisher.toml").read_text() + '\n[authors.bo]\nname = "Bo"\n')
    write_post(site, "two.md", "title: Two authors\ndate: 2026-03-09\nauthors: [ann, bo, Ann Author, bo-x, Bo X]")
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    out = site / "output"
    expected = [("Ann Author", "https://hub.example/authors/ann/"), ("Bo", "https://hub.example/authors/bo/"),
                ("bo-x", "https://hub.example/authors/bo-x/")]
    for path in feed_files(out, "atom.xml"):
        for entry in ET.fromstring(path.read_bytes()).iter(f"{ATOM}entry"):
            assert not [e for e in entry.iter() if e.tag.startswith("{http://purl.org/dc/")], path
            authors = [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri")) for a in entry.findall(f"{ATOM}author")]
            assert len(authors) == len(set(authors)), path
            if entry.findtext(f"{ATOM}title") == "Two authors":
                assert authors == expected
    rss = ET.fromstring((out / "feed.xml").read_bytes())
    two = next(item for item in rss.iter("item") if item.findtext("title") == "Two authors")
    assert [c.text for c in two.findall("{http://purl.org/dc/elements/1.1/}creator")] == [n for n, _ in expected]
    item = next(i for i in json.loads((out / "feed.json").read_text())["items"] if i["title"] == "Two authors")
    assert [(a["name"], a["url"]) for a in item["authors"]] == expected


def _urls_in(html: str) -> list[str]:
    """Every URL of every href, src and srcset, in either quote."""
    import re

    urls = []
    for name, double, single in re.findall(r"""(?<=[\s-])(href|src|srcset)=(?:"([^"]*)"|'([^']*)')""", html):
        value = double or single
        urls += [c.split()[0] for c in value.split(",") if c.strip()] if name == "srcset" else [value]
    return urls


def test_a_build_makes_again_only_the_feeds_that_show_what_changed(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`publisher build` leaves a feed as it is when its posts, their images and the settings are what the last
    build made it from and its files are on disk as written: a post edited outside the site feed's window makes
    only its tags' feeds again, and the feeds are what a clean build makes."""
    from publisher.feeds import syndication

    site = make_site(tmp_path, "\n[feeds]\nlimit = 2\n")  # the site feed: "pictured" and "second" alone
    config, out = site / "publisher.toml", site / "output"
    build(BuildOptions(config=config, now=NOW))
    made: list[str] = []
    files_of = syndication._files_of

    def noting(feed: syndication.Feed, *args: Any) -> tuple[OutputFile, ...]:
        made.append(feed.folder)
        return files_of(feed, *args)

    monkeypatch.setattr(syndication, "_files_of", noting)

    def edit_and_build(name: str, line: str) -> list[str]:
        made.clear()
        post = site / "content" / "posts" / name
        post.write_text(post.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
        build(BuildOptions(config=config, now=NOW))
        made_by_the_build = sorted(made)
        clean = tmp_path / "clean"
        build(BuildOptions(config=config, now=NOW, output=clean, use_cache=False))
        feeds = [path for path in snapshot(clean) if path.endswith(("feed.xml", "atom.xml", "feed.json"))]
        assert {path: snapshot(out)[path] for path in feeds} == {path: snapshot(clean)[path] for path in feeds}
        return made_by_the_build

    assert edit_and_build("long-summary.md", "Edited, in no feed's window.") == []
    assert edit_and_build("first.md", "Edited, in the beta feed.") == ["/tags/beta/"]  # its other tag's: alpha's two
    assert b"Edited, in the beta feed." in (out / "tags" / "beta" / "feed.xml").read_bytes()

    made.clear()
    (out / "tags" / "gamma" / "atom.xml").write_text("changed by hand", encoding="utf-8")
    build(BuildOptions(config=config, now=NOW))
    assert made == ["/tags/gamma/"]  # a file not as written is made again, with its feed's others
    assert feedparser.parse((out / "tags" / "gamma" / "atom.xml").read_bytes()).entries


def test_a_post_of_400_tags_lists_them_all_in_order_in_every_feed_it_is_in(tmp_path: Path) -> None:
    """Each tag's feed holds the post, and each lists all its tags (feedgen is given them as one list: one at a
    time, a post of 2,000 tags took hours)."""
    site = make_site(tmp_path, "\n[social.cards]\nenabled = false\n")
    tags = [f"topic-{number:03d}" for number in range(400)]
    write_post(site, "tagged.md", f"title: Tagged\ndate: 2026-03-10\ntags: [{', '.join(tags)}]")
    out = build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False)).output_dir
    for folder in (out, out / "tags" / "topic-000", out / "tags" / "topic-399"):
        for name in ("feed.xml", "atom.xml"):
            [entry] = [e for e in feedparser.parse((folder / name).read_bytes()).entries if "/tagged/" in e.link]
            assert [tag.term for tag in entry.tags] == tags, (folder, name)
        [item] = [i for i in json.loads((folder / "feed.json").read_bytes())["items"] if "/tagged/" in i["url"]]
        assert item["tags"] == tags


def test_a_summary_with_markup_characters_reads_as_written_in_rss_and_atom(tmp_path: Path) -> None:
    """RSS readers take a description as HTML: a summary's `<title>` would vanish and its `&` be read as an entity,
    unless it is written as HTML; Atom says the same words."""
    site = make_site(tmp_path)
    summary = "Always set the <title> element & the <meta name=description> tag, not &amp; alone."
    write_post(site, "markup.md", f"title: Markup\ndate: 2026-03-02 09:00\nsummary: '{summary}'")
    out = build(BuildOptions(config=site / "publisher.toml", now=NOW)).output_dir
    for name in ("feed.xml", "atom.xml"):
        entry = next(e for e in feedparser.parse((out / name).read_bytes()).entries if e.title == "Markup")
        assert html.unescape(entry.summary) == summary, name  # the text of the HTML feedparser hands a reader


def test_two_posts_with_one_id_is_an_error_naming_both(tmp_path: Path) -> None:
    """Feed readers know an item by its id: two posts with one would show as one (or the newer as the older's
    edit)."""
    site = make_site(tmp_path)
    write_post(site, "copy.md", "title: Copy\ndate: 2026-02-02\nid: urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=site / "publisher.toml", now=NOW))
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/posts/custom-id.md:4: id: 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66' is already the id of "
        "content/posts/copy.md (each post needs its own)")]


def test_the_rss_image_is_the_logo_only_when_rss_can_show_it(tmp_path: Path) -> None:
    """RSS 2.0's channel <image> is a GIF, JPEG or PNG: an SVG logo is left out of it (and of Atom's <logo>, which
    feedgen sets with it), a PNG one is there."""
    site = make_site(tmp_path)
    out = build(BuildOptions(config=site / "publisher.toml", now=NOW)).output_dir
    assert feedparser.parse((out / "feed.xml").read_bytes()).feed.image.href == "https://hub.example/img/chart.png"
    config = site / "publisher.toml"
    config.write_text(config.read_text().replace('logo = "/img/chart.png"', 'logo = "/img/logo.svg"'))
    out = build(BuildOptions(config=config, now=NOW)).output_dir
    assert b"<image>" not in (out / "feed.xml").read_bytes()
    assert b"logo.svg" not in (out / "atom.xml").read_bytes()


@pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])
def test_headings_in_feeds_carry_no_hash_link(tmp_path: Path, engine: str) -> None:
    """The "#" link after each heading shows on hover on the site (its stylesheet); feed readers show HTML without
    it, so every heading read "Part one#" there."""
    site = make_site(tmp_path, f'\n[markdown]\nengine = "{engine}"\n')
    write_post(site, "parts.md", "title: Parts\ndate: 2026-03-09",
               "## Part one\n\nSee [part two](#part-two).\n\n## Part two\n\nThe end.")
    out = build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False)).output_dir
    contents = [next(e for e in feedparser.parse((out / name).read_bytes()).entries if e.title == "Parts")
                .content[0]["value"] for name in ("feed.xml", "atom.xml")]
    contents.append(next(i for i in json.loads((out / "feed.json").read_bytes())["items"]
                         if i["title"] == "Parts")["content_html"])
    for content in contents:
        assert [text for _, text in re.findall(r"<h2 id=\"([^\"]+)\">(.*?)</h2>", content)] == ["Part one", "Part two"]
        assert '<a href="https://hub.example/parts/#part-two">part two</a>' in content
    assert 'class="heading-anchor"' in (out / "parts" / "index.html").read_text()  # the page keeps its links


def test_a_site_feed_with_no_post_yet_claims_no_build_date(tmp_path: Path) -> None:
    """Before the first post, RSS said `<lastBuildDate>Thu, 01 Jan 1970 …`; the optional element is left out."""
    site = make_site(tmp_path)
    for post in (site / "content" / "posts").iterdir():
        post.unlink()
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    raw = (site / "output" / "feed.xml").read_bytes()
    parsed = feedparser.parse(raw)
    assert not parsed.bozo and parsed.entries == []
    assert b"lastBuildDate" not in raw and "updated" not in parsed.feed


def test_a_guid_of_any_text_is_rsss_guid_and_json_feeds_id_and_two_alike_are_an_error(tmp_path: Path) -> None:
    """An old feed's guid (Ghost's was its database id, not a URI) is repeated as written where RSS and JSON Feed
    take any text; Atom, whose id must be an IRI, gets a `urn:uuid:` made from it."""
    site = make_site(tmp_path)
    write_post(site, "moved.md", "title: Moved\ndate: 2026-02-03\nguid: 5f3c9a1b2d4e6f7a8b9c0d1e")
    out = build(BuildOptions(config=site / "publisher.toml", now=NOW)).output_dir
    [rss] = [e for e in feedparser.parse((out / "feed.xml").read_bytes()).entries if e.title == "Moved"]
    assert rss.id == "5f3c9a1b2d4e6f7a8b9c0d1e" and rss.guidislink is False
    [item] = [i for i in json.loads((out / "feed.json").read_bytes())["items"] if i["title"] == "Moved"]
    assert item["id"] == "5f3c9a1b2d4e6f7a8b9c0d1e"
    [atom] = [e for e in feedparser.parse((out / "atom.xml").read_bytes()).entries if e.title == "Moved"]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", atom.id), atom.id
    write_post(site, "copy.md", "title: Copy\ndate: 2026-02-04\nguid: 5f3c9a1b2d4e6f7a8b9c0d1e")
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=site / "publisher.toml", now=NOW))
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/posts/moved.md:4: guid: '5f3c9a1b2d4e6f7a8b9c0d1e' is already the guid of "
         "content/posts/copy.md (each post needs its own)")]
