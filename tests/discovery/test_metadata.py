"""What link previews and crawlers read in each page's head, and the sitemap."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser

from publisher.build.pipeline import BuildOptions, build

from .conftest import HOSTILE_TITLE, NOW, make_site, write_post

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict[str, str]] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            self.meta.setdefault(values.get("property") or values["name"], []).append(values.get("content", ""))
        if tag == "link":
            self.links.append(values)
        self._in_jsonld = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_jsonld = False


def head(out: Path, page: str) -> Head:
    parser = Head()
    parser.feed((out / page).read_text(encoding="utf-8"))
    return parser


def jsonld(parsed: Head) -> dict[str, dict]:
    return {block["@type"]: block for block in map(json.loads, parsed.jsonld)}


def test_every_page_has_valid_json_ld(built: Path) -> None:
    for page in built.rglob("*.html"):
        parsed = Head()
        parsed.feed(page.read_text(encoding="utf-8"))
        assert parsed.jsonld or page.name == "404.html", page
        for block in parsed.jsonld:
            data = json.loads(block)
            assert data["@context"] == "https://schema.org" and data["@type"]


def test_post_json_ld_has_the_required_properties(built: Path) -> None:
    blocks = jsonld(head(built, "pictured/index.html"))
    posting = blocks["BlogPosting"]
    for key in ("headline", "datePublished", "dateModified", "author", "publisher", "mainEntityOfPage", "image"):
        assert posting[key], key
    assert posting["datePublished"] == "2026-03-01T12:00:00+01:00"
    assert posting["dateModified"] == "2026-03-05T00:00:00+01:00"
    assert posting["author"][0]["name"] == "Ann Author"
    assert posting["publisher"]["@type"] == "Organization" and posting["publisher"]["logo"]["url"] == "https://hub.example/img/chart.png"
    assert posting["mainEntityOfPage"]["@id"] == "https://hub.example/pictured/"
    assert [item["name"] for item in blocks["BreadcrumbList"]["itemListElement"]] == ["Home", "With a picture"]
    assert jsonld(head(built, "index.html"))["WebSite"]["url"] == "https://hub.example/"


def test_hostile_title_cannot_break_out_of_json_ld_or_meta(built: Path) -> None:
    html = (built / "hostile" / "index.html").read_text(encoding="utf-8")
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL):
        assert "</script" not in block.lower() and "<!--" not in block and "\u2028" not in block
    parsed = head(built, "hostile/index.html")
    assert jsonld(parsed)["BlogPosting"]["headline"] == HOSTILE_TITLE
    assert parsed.meta["og:title"] == [HOSTILE_TITLE]
    assert "<script>alert(1)</script>" not in html


def test_open_graph_and_twitter_cards(built: Path) -> None:
    meta = head(built, "pictured/index.html").meta
    assert meta["og:type"] == ["article"] and meta["og:url"] == ["https://hub.example/pictured/"]
    assert meta["og:image"] == ["https://hub.example/img/card.png"]
    assert (meta["og:image:width"], meta["og:image:height"]) == (["120"], ["63"])
    assert meta["og:site_name"] == ["Test Hub"] and meta["og:description"] == ["A post with an image."]
    assert meta["article:published_time"] == ["2026-03-01T12:00:00+01:00"]
    assert meta["article:modified_time"] == ["2026-03-05T00:00:00+01:00"]
    assert meta["article:tag"] == ["alpha", "gamma", "pictures", "charts"]
    # 120×63 is below the 300×157 X's large card shows (7b22411): the summary card
    assert meta["twitter:card"] == ["summary"] and meta["twitter:site"] == ["@testhub"]
    assert meta["keywords"] == ["pictures, charts"]
    first = head(built, "first/index.html").meta  # no image of its own: a generated card
    assert first["twitter:card"] == ["summary_large_image"] and first["og:image:alt"] == ["First post"]
    assert re.fullmatch(r"https://hub\.example/social/first-[0-9a-f]{10}\.png", first["og:image"][0])
    assert (first["og:image:width"], first["og:image:height"]) == (["1200"], ["630"])


def test_description_is_cut_cleanly_and_canonical_can_point_elsewhere(built: Path) -> None:
    description = head(built, "long-summary/index.html").meta["description"][0]
    assert len(description) <= 160 and description.endswith("wordy…")
    links = head(built, "syndicated/index.html").links
    assert {"rel": "canonical", "href": "https://elsewhere.example/original/"} in links


def test_feed_links_on_every_page_and_tag_feeds_on_tag_pages(built: Path) -> None:
    for page in ("index.html", "first/index.html", "about/index.html", "tags/alpha/index.html"):
        feeds = [link["href"] for link in head(built, page).links if link.get("rel") == "alternate"]
        assert {"/feed.xml", "/atom.xml", "/feed.json"} <= set(feeds), page
    tag_feeds = [link["href"] for link in head(built, "tags/alpha/index.html").links if link.get("rel") == "alternate"]
    assert "/tags/alpha/feed.xml" in tag_feeds


def test_sitemap_lists_exactly_the_published_pages(built: Path) -> None:
    root = ET.fromstring((built / "sitemap.xml").read_bytes())
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root.findall(f"{SITEMAP}url")}
    pages = {"https://hub.example/" + p.relative_to(built).as_posix().removesuffix("index.html")
             for p in built.rglob("index.html")}
    # Left out: a post whose canonical is on another site, and the search page (noindex: results, not content).
    assert set(urls) == pages - {"https://hub.example/syndicated/", "https://hub.example/search/"}
    assert "https://hub.example/draft/" not in urls and "https://hub.example/future/" not in urls
    assert not any("404" in url for url in urls)
    assert urls["https://hub.example/pictured/"] == "2026-03-05T00:00:00+01:00"
    assert urls["https://hub.example/first/"] == "2026-01-05T10:00:00+01:00"


def test_robots_points_at_the_sitemap(built: Path) -> None:
    assert (built / "robots.txt").read_text() == "User-agent: *\nDisallow:\n\nSitemap: https://hub.example/sitemap.xml\n"


def test_an_image_on_another_host_without_a_scheme_is_previewed_from_that_host(tmp_path: Path) -> None:
    """`image: //cdn.example/launch.jpg` is on the CDN, as the post's page shows it; its link preview, JSON-LD and
    feeds named `https://hub.example//cdn.example/launch.jpg`, a page of ours that is not there."""
    site = make_site(tmp_path)
    write_post(site, "cdn.md", "title: From the CDN\ndate: 2026-03-09\nimage: //cdn.example/launch.jpg\n"
               "image_alt: A rocket")
    out = build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False)).output_dir
    image = "https://cdn.example/launch.jpg"
    parsed = head(out, "cdn/index.html")
    assert parsed.meta["og:image"] == [image] and parsed.meta["twitter:image"] == [image]
    assert jsonld(parsed)["BlogPosting"]["image"] == image
    [entry] = [e for e in feedparser.parse((out / "feed.xml").read_bytes()).entries if e.title == "From the CDN"]
    assert entry.media_content[0]["url"] == image
    [item] = [i for i in json.loads((out / "feed.json").read_bytes())["items"] if i["title"] == "From the CDN"]
    assert item["image"] == image


def test_an_svg_on_another_site_is_no_link_preview_a_card_is(tmp_path: Path) -> None:
    """Networks refuse SVG (X: "SVG is not supported"), and one on another site is not ours to convert: the post's
    page, the home page and the share feed showed it as their preview image, so the link showed no picture."""
    site = make_site(tmp_path, 'image = "https://cdn.example/brand.svg"\n')
    write_post(site, "diagram.md", "title: A diagram\ndate: 2026-03-09\nimage: https://cdn.example/diagram.svg?v=2\n"
               "image_alt: Boxes and arrows")
    out = build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False)).output_dir
    card = re.compile(r"https://hub\.example/social/[a-z0-9-]+\.png")
    for page in ("diagram/index.html", "index.html"):
        meta = head(out, page).meta
        assert card.fullmatch(meta["og:image"][0]) and meta["twitter:image"] == meta["og:image"], page
        assert (meta["og:image:width"], meta["og:image:height"]) == (["1200"], ["630"]), page
    [entry] = [e for e in feedparser.parse((out / "feed.xml").read_bytes()).entries if e.title == "A diagram"]
    assert card.fullmatch(entry.media_content[0]["url"])
    shared = json.loads((out / "share" / "share.json").read_bytes())["items"]
    assert shared and not [item["image"] for item in shared if ".svg" in item.get("image", "")]
    assert '<img src="https://cdn.example/diagram.svg?v=2"' in (out / "diagram" / "index.html").read_text()


def test_an_author_named_by_key_and_by_name_is_one_author_on_the_page(tmp_path: Path) -> None:
    """`authors: [ann, Ann Author]` names one person twice: the feeds listed her once, but the byline read "by Ann
    Author and Ann Author", JSON-LD had two Persons and Open Graph two article:author, one with a page of her
    own (/authors/ann-author/) beside hers."""
    site = make_site(tmp_path)
    write_post(site, "twice.md", "title: Twice\ndate: 2026-03-09\nauthors: [ann, Ann Author, ann-author]")
    out = build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False)).output_dir
    parsed = head(out, "twice/index.html")
    assert [(a["name"], a["url"]) for a in jsonld(parsed)["BlogPosting"]["author"]] == [
        ("Ann Author", "https://hub.example/authors/ann/")]
    assert parsed.meta["article:author"] == ["Ann Author"]
    page = (out / "twice" / "index.html").read_text(encoding="utf-8")
    assert page.count('href="/authors/ann/"') == 1 and "/authors/ann-author/" not in page
    assert not (out / "authors" / "ann-author").exists()


def test_an_author_name_with_a_comma_is_one_author(tmp_path: Path) -> None:
    """`author: "Acme, Inc."` is one author, as Jekyll and Hugo read it: the byline read "by Acme and Inc.", JSON-LD
    had two Persons, and the site two author pages, /authors/acme/ and /authors/inc/. A string of keys (`ann, bo`)
    is still each of them."""
    site = make_site(tmp_path)
    (site / "publisher.toml").write_text((site / "publisher.toml").read_text() + '\n[authors.bo]\nname = "Bo"\n')
    write_post(site, "company.md", 'title: By the company\ndate: 2026-03-09\nauthor: "Acme,  Inc."')
    write_post(site, "pair.md", 'title: By two\ndate: 2026-03-10\nauthors: "ann, bo"')
    out = build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False)).output_dir
    company = jsonld(head(out, "company/index.html"))["BlogPosting"]["author"]
    assert [(a["name"], a["url"]) for a in company] == [("Acme, Inc.", "https://hub.example/authors/acme-inc/")]
    assert not (out / "authors" / "inc").exists()
    [entry] = [e for e in feedparser.parse((out / "atom.xml").read_bytes()).entries if e.title == "By the company"]
    assert [author.name for author in entry.authors] == ["Acme, Inc."]
    pair = jsonld(head(out, "pair/index.html"))["BlogPosting"]["author"]
    assert [a["name"] for a in pair] == ["Ann Author", "Bo"]


def test_a_page_with_no_words_of_its_own_is_described_by_the_site(tmp_path: Path) -> None:
    """A post that is only a picture (no summary, no text) had no meta description, `og:description`,
    `twitter:description` or JSON-LD description: networks showed a bare title. It gets the site's description,
    as Hugo's and jekyll-seo-tag's templates fall back to it; a post with words of its own keeps them."""
    site = make_site(tmp_path)
    write_post(site, "gallery.md", "title: Gallery\ndate: 2026-03-02", "![a chart](/img/chart.png)")
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    site_description = "A small site the broken cases start from."
    gallery = head(site / "output", "gallery/index.html")
    for name in ("description", "og:description", "twitter:description"):
        assert gallery.meta.get(name) == [site_description], name
    assert jsonld(gallery)["BlogPosting"]["description"] == site_description
    assert head(site / "output", "pictured/index.html").meta["description"] == ["A post with an image."]
