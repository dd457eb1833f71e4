"""The ping manifest: every page URL with a hash of its main content, published at /publisher-manifest.json.

`publisher ping` compares this build's manifest with the previous deploy's to
tell search engines only what changed. The hash covers what a reader comes
for, not the whole page, so a change to the theme or the navigation, which
alters every page, re-pings nothing:

- a post, page or offer: its title and body (the HTML of its Markdown);
- a listing (home, tags, authors, archive and their later pages): the URL,
  title, summary and date of each post it lists, so it changes when a post
  joins or leaves it, or is retitled or redated.

The URLs are exactly the sitemap's (drafts, scheduled posts and pages whose
canonical is on another site are never in it). Feeds are listed too, each with
a hash of the posts it carries (their URL, main content and dates), so that a
WebSub hub is told only of the feeds that changed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from publisher.config.model import SiteConfig
from publisher.content.model import Entry
from publisher.content.urls import ARCHIVE, AUTHORS, TAGS, Urls, as_uri
from publisher.core.errors import PublisherError
from publisher.core.hashing import digest
from publisher.feeds.sitemap import SitemapUrl, sitemap_urls
from publisher.feeds.syndication import Feed, feed_paths, site_feeds
from publisher.output.files import OutputFile
from publisher.site.model import Site
from publisher.site.pagination import paginate

MANIFEST_PATH = "publisher-manifest.json"
MANIFEST_FORMAT = 1  # raised when the meaning of a hash changes: an older manifest then counts as none
HASH_LENGTH = 16  # hex digits: 64 bits tell one version of a page from the next; 10,000 pages stay a small file


@dataclass(frozen=True, slots=True)
class Manifest:
    """What one build published, as `publisher ping` compares it."""

    site: str  # the site URL the build was made for
    pages: Mapping[str, str]  # absolute page URL -> hash of its main content
    feeds: Mapping[str, str]  # absolute feed URL -> hash of the posts it carries

    def to_json(self) -> bytes:
        document = {"format": MANIFEST_FORMAT, "site": self.site, "pages": dict(sorted(self.pages.items())),
                    "feeds": dict(sorted(self.feeds.items()))}
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes, where: str) -> Manifest:
        """Read a manifest; `where` names it in the one-line error raised when it is not one of ours."""
        try:
            document = json.loads(data)
        except (ValueError, RecursionError):  # UnicodeDecodeError included; nesting past the decoder's depth
            raise PublisherError(f"{where}: not a publisher manifest (not JSON)") from None
        if not isinstance(document, dict) or document.get("format") != MANIFEST_FORMAT:
            raise PublisherError(f"{where}: not a publisher manifest of format {MANIFEST_FORMAT}")
        site, pages, feeds = document.get("site"), document.get("pages"), document.get("feeds")
        if not isinstance(site, str) or not _is_table(pages) or not _is_table(feeds):
            raise PublisherError(f"{where}: not a publisher manifest (expected site, pages and feeds)")
        return cls(site, pages, feeds)


def _is_table(value: Any) -> TypeGuard[dict[str, str]]:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def site_manifest(site: Site, cfg: SiteConfig) -> Manifest:
    """The manifest of a built site."""
    urls = Urls(cfg)
    entries = {entry.url: entry for entry in (*site.posts, *site.pages, *site.offers)}
    listings = _listings(site, cfg)
    pages = {urls.uri(page.url): _page_hash(page, entries.get(page.url), listings.get(page.url))
             for page in sitemap_urls(site, cfg)}
    feeds = {urls.uri(path): _feed_hash(feed, urls) for feed in site_feeds(site, cfg) for path in feed_paths(feed)}
    return Manifest(as_uri(cfg.url), pages, feeds)


def manifest_file(manifest: Manifest) -> OutputFile:
    return OutputFile(MANIFEST_PATH, manifest.to_json())


def _listings(site: Site, cfg: SiteConfig) -> dict[str, tuple[Entry, ...]]:
    """The posts each listing page shows, by its site-relative URL (the indexes of tags and authors: every
    group's posts, in order, which gives their names and counts)."""
    listed = {page.url: page.items for page in paginate(site.posts, "/", cfg.posts_per_page)}
    for group in (*site.tags, *site.authors):
        listed |= {page.url: page.items for page in paginate(group.posts, group.url, cfg.posts_per_page)}
    listed[TAGS] = tuple(entry for group in site.tags for entry in group.posts)
    listed[AUTHORS] = tuple(entry for group in site.authors for entry in group.posts)
    listed[ARCHIVE] = site.posts
    return listed


def _page_hash(page: SitemapUrl, entry: Entry | None, listed: tuple[Entry, ...] | None) -> str:
    if entry is not None:
        return _short(digest("entry", entry.post.title, entry.html_digest))
    if listed is not None:
        return _short(digest("listing", *(part for entry in listed for part in _as_listed(entry))))
    return _short(digest("page", page.lastmod.isoformat() if page.lastmod else ""))  # a page of another kind


def _as_listed(entry: Entry) -> tuple[str, ...]:
    """What a listing shows of a post."""
    return entry.url, entry.post.title, entry.post.summary, entry.post.published.isoformat()


def _feed_hash(feed: Feed, urls: Urls) -> str:
    parts: list[str] = [feed.title]
    for entry in feed.posts:
        post = entry.post
        parts += [urls.uri(post.url), post.title, entry.html_digest, post.published.isoformat(),
                  post.updated.isoformat() if post.updated else ""]
    return _short(digest("feed", *parts))


def _short(hexdigest: str) -> str:
    return hexdigest[:HASH_LENGTH]


@dataclass(frozen=True, slots=True)
class Changes:
    """What a ping tells: page URLs search engines should crawl again, feeds a hub should fetch again."""

    pages: tuple[str, ...]  # new, changed and removed pages, sorted
    feeds: tuple[str, ...]  # new and changed feeds, sorted

    @property
    def empty(self) -> bool:
        return not self.pages and not self.feeds


def changes_since(previous: Manifest, current: Manifest) -> Changes:
    """Pages that are new, changed or gone (IndexNow asks for deleted URLs too, so engines drop them), and
    feeds that are new or changed; never one that is the same in both.

    A removed page is told only when it was on the current site's URL: after a move to another address,
    the old host's URLs are not this site's to submit (IndexNow refuses URLs of another host)."""
    pages = _differing(previous.pages, current.pages)
    pages |= {url for url in previous.pages.keys() - current.pages.keys() if url.startswith(current.site)}
    return Changes(tuple(sorted(pages)), tuple(sorted(_differing(previous.feeds, current.feeds))))


def everything(current: Manifest) -> Changes:
    """Every page and feed of the manifest (`publisher ping --all`)."""
    return Changes(tuple(sorted(current.pages)), tuple(sorted(current.feeds)))


def _differing(previous: Mapping[str, str], current: Mapping[str, str]) -> set[str]:
    return {url for url, hashed in current.items() if previous.get(url) != hashed}

