"""The URLs the site itself writes, which no post, page or redirect may take."""

from __future__ import annotations

import re

# Top-level URL segments the site itself uses; a post or page cannot take them.
RESERVED_SEGMENTS = {
    "page": "the home page's pagination",
    "tags": "the tag pages",
    "archive": "the archive",
    "authors": "the author pages",
    "assets": "theme assets",
    "offers": "offer landing pages (content/offers/)",
    "404.html": "the not-found page",
    "share": "the share feed",
    "search": "the search page",
    "pagefind": "the search index",
    "social": "link-preview cards and images",
    "feed.xml": "the site's RSS feed",
    "atom.xml": "the site's Atom feed",
    "feed.json": "the site's JSON feed",
    "sitemap.xml": "the sitemap",
    "robots.txt": "robots.txt",
    "_redirects": "the redirect rules",
    "redirects.map": "the redirect rules",
    # Written only when a setting asks (`[indexnow]` or `[websub]`; `[calendar] publish`), reserved either way, so a
    # post's URL does not stop working the day the setting is turned on
    "publisher-manifest.json": "the manifest publisher ping compares (written with [indexnow] or [websub])",
    "calendar.ics": "the editorial calendar ([calendar] publish = true)",
}


# The sitemaps a sitemap index lists, `sitemap-1.xml`, `sitemap-2.xml`...: beside /sitemap.xml, at the top of the
# site, since a sitemap may list only URLs below its own folder (sitemaps.org). Each number is reserved, used or not.
_SITEMAP_PART = re.compile(r"sitemap-[0-9]+\.xml")


def sitemap_part(number: int) -> str:
    """The path of the `number`th sitemap (from 1) that the sitemap index lists: `sitemap-1.xml`."""
    return f"sitemap-{number}.xml"


def reserved_for(segment: str) -> str | None:
    """What of the site's own a top-level URL segment (`tags`, `feed.xml`, `sitemap-2.xml`) is reserved for, in any
    case; None for a segment a post or page may take."""
    folded = segment.casefold()
    if folded in RESERVED_SEGMENTS:
        return RESERVED_SEGMENTS[folded]
    if _SITEMAP_PART.fullmatch(folded):
        return "one of the sitemaps the sitemap index lists (sitemap-1.xml, sitemap-2.xml...)"
    return None


def own_path(path: str) -> str | None:
    """What of the site's own a path (`/feed.xml`, `/tags/`) is, when it is one of them: the home page, a reserved
    file, or the first page of a reserved folder; None for any other path."""
    parts = [part for part in path.split("/") if part]
    if not parts:
        return "the home page"
    return reserved_for(parts[0]) if len(parts) == 1 else None
