"""The one URL scheme: every site-relative URL publisher makes is made here.

Site-relative URLs (`/tags/seo/`) are what the model keeps; `Urls` turns them
into what a browser requests (the site's base path included) and into
absolute URLs for link previews, and URIs for feeds and sitemaps.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote, urlsplit

from publisher.config.model import PERMALINK_FIELDS, SiteConfig
from publisher.core.slugs import slugify

HOME = "/"
TAGS = "/tags/"
AUTHORS = "/authors/"
ARCHIVE = "/archive/"
NOT_FOUND = "/404.html"
SHARE_FOLDER = "/share/"
SEARCH = "/search/"
SEARCH_BUNDLE = "/pagefind/"  # Pagefind's index and its own interface files
# The default theme's module the search page hands Pagefind's interface: the last search typed alone, and an index
# in parts searched as one (its `pagefind.js` imports ../../pagefind/)
SEARCH_MODULE = "/assets/search/"


class Urls:
    """Site-relative paths to what a browser requests (base path included) and to absolute URLs."""

    def __init__(self, cfg: SiteConfig) -> None:
        self.base_path = cfg.base_path
        self.origin = cfg.url[: -len(cfg.base_path)] if cfg.base_path != "/" else cfg.url.rstrip("/")
        self.scheme = urlsplit(cfg.url).scheme

    def path(self, site_url: str) -> str:
        """`/tags/seo/` -> `/journal/tags/seo/` when the site lives at /journal/; a space as `%20`, as no URL holds
        one (`/big data/` is the folder a request for `/big%20data/` reads)."""
        if site_url.startswith(("http://", "https://", "//", "mailto:", "#")):
            return site_url
        return self.base_path + site_url.lstrip("/").replace(" ", "%20")

    def server_path(self, site_url: str) -> str:
        """The path as a server matches it once it has decoded the request (nginx's `$uri`): `/big data/`."""
        if site_url.startswith(("http://", "https://")):
            return site_url
        return self.base_path + site_url.lstrip("/")

    def absolute(self, site_url: str) -> str:
        """The absolute URL, as an IRI: a tag `café` is `https://x/tags/café/`, as pages show it. A URL without
        a scheme (`//cdn.example/a.jpg`) takes the site's, as a browser on the site's pages reads it."""
        path = self.path(site_url)
        if path.startswith("//"):  # another host: after the site's origin it named a page of ours that is not there
            return f"{self.scheme}:{path}"
        return path if "://" in path else self.origin + path

    def uri(self, site_url: str) -> str:
        """The absolute URL as a URI (`https://x/tags/caf%C3%A9/`), for feeds and sitemaps, whose readers
        and crawlers expect URIs."""
        return as_uri(self.absolute(site_url))


_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")
_URI_SAFE = "!#$%&'()*+,/:;=?@[]~"  # reserved characters and `%`; letters, digits and `-._` are always kept
_NOTHING_TO_QUOTE = re.compile(r"[A-Za-z0-9_.~!#$%&'()*+,/:;=?@\[\]-]*")  # what `quote` keeps as it is, host or not


def as_uri(iri: str) -> str:
    """An IRI as a URI (RFC 3987, 3.1): in its path, query and fragment, each character a URI cannot
    hold (non-ASCII, space, `"`, `<`...) is percent-encoded as UTF-8; escapes already there stay as
    they are, and so does the host."""
    if _NOTHING_TO_QUOTE.fullmatch(iri):  # most URLs (13,000 in a sitemap at 10,000 posts): `quote` keeps them
        return iri
    authority = _AUTHORITY.match(iri)
    start = authority.end() if authority else 0
    return iri[:start] + quote(iri[start:], safe=_URI_SAFE)


def tag_url(tag: str) -> str:
    return f"{TAGS}{slugify(tag)}/"


def tag_key_url(key: str) -> str:
    """The URL of a tag already reduced to its slug."""
    return f"{TAGS}{key}/"


def author_url(key: str) -> str:
    return f"{AUTHORS}{key}/"


def year_url(year: int | str) -> str:
    """The year's place on the archive page (its heading's id is `y2024`: an id may not start with a digit in
    CSS selectors)."""
    return f"{ARCHIVE}#y{year}"


def offer_url(slug: str) -> str:
    return f"/offers/{slug}/"


def thanks_url(offer: str) -> str:
    """The thank-you page of an offer at `offer`."""
    return offer + "thanks/"


def page_url(slug: str) -> str:
    return f"/{slug}/"


def post_url(permalink: str, slug: str, when: datetime) -> str:
    """A dated post's URL from the site's `permalink` pattern (it may still try to leave the site: check it)."""
    parts = {"slug": slug, "year": f"{when.year:04d}", "month": f"{when.month:02d}", "day": f"{when.day:02d}"}
    assert set(parts) == set(PERMALINK_FIELDS)
    return permalink.format(**parts)


def pager_url(first: str, number: int) -> str:
    """Page `number` of a paginated list whose first page is at `first`."""
    return first if number == 1 else f"{first}page/{number}/"


# Each site-wide or per-tag feed: (kind, file name in the folder, media type).
FEED_FORMATS = (("rss", "feed.xml", "application/rss+xml"), ("atom", "atom.xml", "application/atom+xml"),
                ("json", "feed.json", "application/feed+json"))
FEED_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


def feed_links(folder: str, title: str, urls: Urls) -> list[dict[str, str]]:
    """`<link rel="alternate">` data for the feeds in `folder`."""
    return [{"type": mime, "title": f"{title} ({FEED_NAMES[kind]})", "href": urls.path(folder + name)}
            for kind, name, mime in FEED_FORMATS]


def share_feed_url(network: str) -> str:
    return f"{SHARE_FOLDER}{network}.xml"
