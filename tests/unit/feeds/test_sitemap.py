"""sitemap.xml and robots.txt as crawlers read them, for a site under a sub-path."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, BuildReport, build
from publisher.config.model import OffersConfig, SiteConfig
from publisher.content.model import Entry
from publisher.feeds.sitemap import sitemap_files
from publisher.site.model import Site
from tests.discovery.conftest import NOW, make_site

BASE = "https://example.com/journal/"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CTA = """---
id: playbook
stage: consideration
kind: download
headline: Get the playbook
button: Send it
form:
  action: https://forms.example.com/leads
---
A guide.
"""


def add(site: Path, folder: str, name: str, text: str) -> None:
    (site / "content" / folder).mkdir(parents=True, exist_ok=True)
    (site / "content" / folder / name).write_text(text, encoding="utf-8")


def make(root: Path) -> Path:
    """The discovery site (drafts, a scheduled post, updated dates, an author) with pages and an offer."""
    site = make_site(root, '\n[robots]\ndisallow = ["/drafts/"]\n')
    add(site, "pages", "privacy.md", "---\ntitle: Privacy\nupdated: 2026-04-01\n---\n\nWe keep nothing.\n")
    add(site, "pages", "hidden.md", "---\ntitle: Hidden\ndraft: true\n---\n\nNot yet.\n")
    add(site, "ctas", "playbook.md", CTA)
    add(site, "offers", "playbook.md",
        "---\ntitle: The playbook\ncta: playbook\nasset: /files/playbook.pdf\n---\n\nA guide.\n")
    return site


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    site = make(tmp_path_factory.mktemp("sitemap"))
    return build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False))


def sitemap(site: Site, cfg: SiteConfig) -> dict[str, datetime | None]:
    """Each <loc> of the sitemap with its <lastmod>, parsed as XML."""
    files = {f.path: f for f in sitemap_files(site, cfg)}
    root = ET.fromstring(files["sitemap.xml"].data)
    assert root.tag == f"{NS}urlset"
    found: dict[str, datetime | None] = {}
    for url in root.findall(f"{NS}url"):
        loc, lastmod = url.findtext(f"{NS}loc"), url.findtext(f"{NS}lastmod")
        assert loc is not None and loc not in found
        found[loc] = datetime.fromisoformat(lastmod) if lastmod else None
    return found


def page_urls(output: Path) -> set[str]:
    """The URL of every HTML page the build wrote."""
    urls = set()
    for page in output.rglob("*.html"):
        rel = page.relative_to(output).as_posix()
        urls.add(BASE + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel))
    return urls


def test_every_indexable_page_the_build_wrote_is_listed_and_nothing_else(report: BuildReport) -> None:
    listed = set(sitemap(report.site, report.config))
    written = page_urls(report.output_dir)
    left_out = {BASE + "404.html", BASE + "offers/playbook/", BASE + "offers/playbook/thanks/",
                BASE + "syndicated/",  # its canonical is https://elsewhere.example/original/
                BASE + "search/"}  # noindex: a search page is no content of its own
    assert left_out <= written  # the build did write them...
    assert listed == written - left_out  # ...and the sitemap lists every other page, and only pages that exist


def test_every_published_post_page_tag_and_author_is_listed_with_an_absolute_url(report: BuildReport) -> None:
    listed = sitemap(report.site, report.config)
    assert all(loc.startswith(BASE) for loc in listed)
    site = report.site
    expected = [e.url for e in (*site.posts, *site.pages) if not e.post.canonical]
    expected += [g.url for g in (*site.tags, *site.authors)]
    assert site.posts and site.pages and site.tags and site.authors
    missing = [url for url in expected if BASE + url.lstrip("/") not in listed]
    assert not missing


def test_drafts_scheduled_posts_and_noindex_offers_are_absent(report: BuildReport) -> None:
    listed = " ".join(sitemap(report.site, report.config))
    for slug in ("draft/", "future/", "hidden/", "offers/"):
        assert BASE + slug not in listed, slug
    assert report.site.hidden_drafts and report.site.hidden_future  # the site does have them


def test_offers_are_listed_when_indexable_but_never_their_thank_you_page(report: BuildReport) -> None:
    cfg = replace(report.config, offers=OffersConfig(noindex=False))
    listed = sitemap(report.site, cfg)
    assert BASE + "offers/playbook/" in listed
    assert not [loc for loc in listed if "thanks" in loc]


@pytest.mark.parametrize(("canonical", "listed"), [
    ("https://elsewhere.example/original/", False),
    ("http://example.com/journal/pictured/", False),  # another scheme is another origin
    ("https://example.com:8443/journal/pictured/", False),
    ("//elsewhere.example/original/", False),
    ("https://example.com/journal/pictured/", True),
    ("HTTPS://Example.COM:443/journal/pictured/", True),
    ("https://example.com/journal/second/", False),  # another page of this site: that one is listed, not this
    ("/journal/pictured/", True),
    ("/journal/second/", False),
    ("", True),
])
def test_a_post_or_page_whose_canonical_names_another_page_is_left_out(report: BuildReport, canonical: str,
                                                                       listed: bool) -> None:
    """A sitemap lists canonical URLs alone (Google's and Bing's guidance): a page whose canonical is another page,
    on another site or this one, is left out."""
    def with_canonical(entries: tuple[Entry, ...], slug: str) -> tuple[Entry, ...]:
        return tuple(replace(e, post=replace(e.post, canonical=canonical)) if e.post.slug == slug else e
                     for e in entries)

    site = replace(report.site, posts=with_canonical(report.site.posts, "pictured"))
    locs = sitemap(site, report.config)
    assert (BASE + "pictured/" in locs) is listed
    page = replace(report.site, pages=with_canonical(report.site.pages, "privacy"))
    assert (BASE + "privacy/" in sitemap(page, report.config)) is (canonical == "")  # each names another page
    assert BASE + "first/" in locs and BASE + "tags/gamma/" in locs  # the tag page of a post left out stays


def test_lastmod_is_updated_else_date(report: BuildReport) -> None:
    listed = sitemap(report.site, report.config)
    for entry in (e for e in (*report.site.posts, *report.site.pages) if not e.post.canonical):
        assert listed[BASE + entry.url.lstrip("/")] == (entry.post.updated or entry.post.date), entry.post.source
    pictured = next(e.post for e in report.site.posts if e.post.slug == "pictured")
    assert pictured.updated is not None and pictured.updated != pictured.date  # the case that tells them apart


def test_a_listing_changes_when_its_newest_post_does(report: BuildReport) -> None:
    listed = sitemap(report.site, report.config)
    site = report.site
    assert listed[BASE] == max(e.post.updated or e.post.date for e in site.posts)
    for group in (*site.tags, *site.authors):
        assert listed[BASE + group.url.lstrip("/")] == max(e.post.updated or e.post.date for e in group.posts)


def test_the_sitemap_is_the_same_bytes_every_time_and_whatever_the_group_order(report: BuildReport) -> None:
    def data(site: Site) -> bytes:
        return next(f.data for f in sitemap_files(site, report.config) if f.path == "sitemap.xml")

    first = data(report.site)
    assert first == data(report.site) == (report.output_dir / "sitemap.xml").read_bytes()
    shuffled = replace(report.site, tags=report.site.tags[::-1], authors=report.site.authors[::-1],
                       pages=report.site.pages[::-1])
    assert data(shuffled) == first
    assert first.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')


def test_urls_are_escaped_for_xml(report: BuildReport) -> None:
    cfg = replace(report.config, url="https://example.com/r&d/")
    listed = sitemap(report.site, cfg)  # parsing fails unless "&" is written as "&amp;"
    assert listed and all(loc.startswith("https://example.com/r&d/") for loc in listed)


def test_robots_txt_points_at_the_sitemap_and_disallows_under_the_sub_path(report: BuildReport) -> None:
    robots = next(f for f in sitemap_files(report.site, report.config) if f.path == "robots.txt")
    lines = robots.data.decode("utf-8").splitlines()
    assert "Disallow: /journal/drafts/" in lines
    assert f"Sitemap: {BASE}sitemap.xml" in lines


def test_a_drafts_and_future_build_still_lists_no_drafts_or_scheduled_posts(tmp_path: Path) -> None:
    site = make(tmp_path)
    preview = build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False,
                                 drafts=True, future=True))
    listed = sitemap(preview.site, preview.config)
    assert BASE + "hidden/" not in listed  # a draft page is left out...
    assert BASE + "draft/" not in listed  # ...and so should a draft post be
    assert BASE + "future/" not in listed


def test_a_site_under_a_sub_path_is_told_its_robots_rules_belong_at_the_top_of_the_host(tmp_path: Path) -> None:
    """Crawlers read only https://example.com/robots.txt (RFC 9309 2.3); the build wrote the rules to
    /journal/robots.txt, where they did nothing, and said nothing. Now the build warns at the setting's line with
    the lines to put in the host's file, and the published file says the same in a comment."""
    site = make(tmp_path)
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://hub.example/", BASE), encoding="utf-8")
    report = build(BuildOptions(config=config, now=NOW, use_cache=False))
    [warning] = [w for w in report.warnings if w.field == "robots.disallow"]
    assert (warning.path, warning.line) == ("publisher.toml", config.read_text().splitlines().index(
        'disallow = ["/drafts/"]') + 1)
    assert "crawlers read only https://example.com/robots.txt" in warning.message
    assert "Disallow: /journal/drafts/; Sitemap: https://example.com/journal/sitemap.xml" in warning.message
    robots = (site / "output" / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert robots[0] == "# Crawlers read only https://example.com/robots.txt: add the lines below to that file."
    assert robots[1:] == ["User-agent: *", "Disallow: /journal/drafts/", "", f"Sitemap: {BASE}sitemap.xml"]


def test_a_site_at_the_top_of_its_host_gets_no_such_warning_or_comment(tmp_path: Path) -> None:
    site = make(tmp_path)
    report = build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    assert not [w for w in report.warnings if w.field == "robots.disallow"]
    assert (site / "output" / "robots.txt").read_text(encoding="utf-8").startswith("User-agent: *\n")


def test_a_robots_txt_of_the_sites_own_is_published_in_place_of_publishers(tmp_path: Path) -> None:
    """A site's own static/robots.txt, with rules `[robots] disallow` cannot write (a group for one crawler),
    stopped the build: "robots.txt: path: two files would be written to robots.txt (rename one of them)", which
    no site can do. jekyll-sitemap writes its robots.txt only `unless file_exists?("robots.txt")`, and Hugo only
    when asked: the site's own is published, and the setting it leaves unwritten is warned of at its line."""
    site = make(tmp_path)
    own = b"User-agent: GPTBot\nDisallow: /\n"
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "robots.txt").write_bytes(own)
    config = site / "publisher.toml"
    report = build(BuildOptions(config=config, now=NOW, use_cache=False))
    assert (site / "output" / "robots.txt").read_bytes() == own
    [warning] = [w for w in report.warnings if w.field == "robots.disallow"]
    assert (warning.path, warning.line) == ("publisher.toml", config.read_text().splitlines().index(
        'disallow = ["/drafts/"]') + 1)
    assert warning.message.startswith("not written: the site's own static/robots.txt is published instead")
    (site / "static" / "robots.txt").unlink()  # and publisher's is back once the site's own is gone
    report = build(BuildOptions(config=config, now=NOW, use_cache=False))
    assert (site / "output" / "robots.txt").read_text(encoding="utf-8").startswith("User-agent: *\nDisallow: /drafts/")
    assert not [w for w in report.warnings if w.field == "robots.disallow"]
