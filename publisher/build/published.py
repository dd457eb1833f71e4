"""The published-URL lock file, `publisher.urls`: every URL the site has published, one per line, sorted.

A publishing build (`publisher build` without --drafts or --future) adds the
URLs it publishes; nothing ever removes one but the writer, by deleting its
line. `publisher check` then fails for a listed URL that has neither a page nor
a redirect, so an old link cannot die unnoticed, even on a fresh CI checkout:
the file is committed with the site, like a lock file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from publisher.config.model import SiteConfig
from publisher.content.model import Post
from publisher.content.urls import Urls
from publisher.core.memo import Memo
from publisher.feeds.sitemap import kept_sitemap_urls
from publisher.site.model import Site

LOCK_NAME = "publisher.urls"
HEADER = ("# Every URL this site has published (publisher build adds new ones). `publisher check` fails for one\n"
          "# with neither a page nor a redirect: redirect it (aliases: in front matter), or delete its line.\n")


def published_paths(site: Site, cfg: SiteConfig, kept: Memo[Any] | None = None) -> list[str]:
    """The site-relative paths a visitor can land on: the sitemap's (as `kept` holds them, when the build made
    the sitemap with it: see `kept_sitemap_urls`)."""
    return sorted({url.url for url in kept_sitemap_urls(site, cfg, kept or Memo())})


def keep_first_ids(posts: list[Post], cfg: SiteConfig) -> list[Post]:
    """Posts whose URL changed keep the feed and share id they went out with.

    A post's id is its `id:`, else its permalink; but when one of its `aliases` is a URL this site
    published (listed in publisher.urls), that older URL is the id (the first such alias), so feed
    readers and schedulers see no new item when a date-based permalink moves with the date."""
    lock = cfg.root / LOCK_NAME
    if not lock.is_file() or not any(post.aliases for post in posts):
        return posts
    listed = {path for _, path in read_listed(lock.read_text(encoding="utf-8"))}
    urls = Urls(cfg)
    kept = []
    for post in posts:
        first = next((alias for alias in post.aliases if alias in listed), None)
        kept.append(replace(post, id=urls.absolute(first)) if first and not post.id and post.kind == "post" else post)
    return kept


def record_published(root: Path, paths: Iterable[str]) -> None:
    """Add `paths` to the lock file (made when missing); the file is rewritten only when it gains a line."""
    lock = root / LOCK_NAME
    known = {path for _, path in read_listed(lock.read_text(encoding="utf-8"))} if lock.is_file() else set()
    new = set(paths) - known
    if new or not lock.is_file():
        lock.write_text(HEADER + "".join(f"{path}\n" for path in sorted(known | new)), encoding="utf-8")


def read_listed(text: str) -> list[tuple[int, str]]:
    """(line number, path) of each URL in a lock file or a plain list; blank lines and `#` comments skipped, and
    a byte-order mark before the first line (an editor saving "UTF-8 with BOM" writes one: the header comment
    was read as a URL, and the first URL of a list as another one)."""
    lines = text.removeprefix("\ufeff").splitlines()
    return [(number, line.strip()) for number, line in enumerate(lines, start=1)
            if line.strip() and not line.lstrip().startswith("#")]


def listed_sitemaps(text: str) -> list[str] | None:
    """The `<loc>` of each sitemap a sitemap index lists (`<sitemapindex>`: WordPress's /wp-sitemap.xml, publisher's
    own /sitemap.xml past 50,000 URLs), as written; None for a sitemap or a list of URLs (`read_previous`)."""
    if "<sitemapindex" not in text[:2000]:
        return None
    root = ElementTree.fromstring(text)
    if not root.tag.endswith("sitemapindex"):  # a sitemap that says the word near its top
        return None
    return [element.text.strip() for element in root.iter() if element.tag.endswith("loc") and element.text]


def read_previous(text: str, cfg: SiteConfig) -> list[tuple[int | None, str]]:
    """The site-relative paths of a sitemap (its `<loc>`s) or of a list of URLs or paths; other hosts' left out.
    A sitemap index lists sitemaps, not pages: see `listed_sitemaps`."""
    if "<urlset" in text[:2000]:
        root = ElementTree.fromstring(text)
        return [(None, path) for element in root.iter() if element.tag.endswith("loc") and element.text
                for path in [_site_path(element.text.strip(), cfg)] if path]
    return [(number, path) for number, url in read_listed(text) for path in [_site_path(url, cfg)] if path]


def _site_path(url: str, cfg: SiteConfig) -> str:
    """`https://site/base/a/` or `/base/a/` -> `/a/`; "" for another site. A query stays (`/?p=123`, a WordPress
    plain permalink, is not the home page: `check` looks for its redirect)."""
    parts = urlsplit(url)
    site = urlsplit(cfg.url)
    if parts.netloc and parts.netloc.lower() != site.netloc.lower():
        return ""
    path = unquote(parts.path) or "/"
    base = cfg.base_path
    query = f"?{parts.query}" if parts.query else ""
    if path.startswith(base):
        return "/" + path[len(base):] + query
    return path + query if not parts.netloc else ""
