"""The URLs the site itself writes, which no post, page or redirect may take."""

from __future__ import annotations

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
}


def own_path(path: str) -> str | None:
    """What of the site's own a path (`/feed.xml`, `/tags/`) is, when it is one of them: the home page, a reserved
    file, or the first page of a reserved folder; None for any other path."""
    parts = [part for part in path.split("/") if part]
    if not parts:
        return "the home page"
    if len(parts) == 1 and parts[0].casefold() in RESERVED_SEGMENTS:
        return RESERVED_SEGMENTS[parts[0].casefold()]
    return None
