"""sitemap.xml and robots.txt: how crawlers find every published page.

A post or page whose `canonical` is on another site (a syndicated piece) is
left out: a sitemap lists the URLs a site wants indexed as its own, and search
engines distrust one that lists pages which name another URL as the original.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import unquote, urlsplit

from publisher.config.model import SiteConfig
from publisher.content.model import Entry
from publisher.content.urls import ARCHIVE, AUTHORS, TAGS, Urls
from publisher.core.memo import Memo, Same
from publisher.core.records import record
from publisher.output.files import OutputFile
from publisher.site.model import Site
from publisher.site.pagination import paginate


@record
class SitemapUrl:
    url: str  # site-relative
    lastmod: datetime | None


def sitemap_urls(site: Site, cfg: SiteConfig) -> list[SitemapUrl]:
    """Every published page a visitor can land on, with when its content last changed."""
    def newest(posts: tuple[Entry, ...]) -> datetime | None:
        return max((changed for e in posts if (changed := _changed(e)) is not None), default=None)

    def latest(urls: list[SitemapUrl]) -> datetime | None:
        return max((url.lastmod for url in urls if url.lastmod is not None), default=None)

    home_pages = [SitemapUrl(p.url, newest(p.items)) for p in paginate(site.posts, "/", cfg.posts_per_page)]
    entries = [*home_pages, SitemapUrl(ARCHIVE, latest(home_pages))]
    listed = [*site.posts, *site.pages, *(() if cfg.offers.noindex else site.offers)]  # never a thank-you page
    home, base = _origin(cfg.url), urlsplit(cfg.url).path.rstrip("/") + "/"
    entries += [SitemapUrl(e.url, _changed(e)) for e in listed
                if e.post.source not in site.previews and not _elsewhere(e.post.canonical, home)
                and not _another_here(e.post.canonical, base + e.url.lstrip("/"))]
    for groups, index in ((site.tags, TAGS), (site.authors, AUTHORS)):
        pages = [SitemapUrl(p.url, newest(p.items))
                 for group in groups for p in paginate(group.posts, group.url, cfg.posts_per_page)]
        entries += [*pages, SitemapUrl(index, latest(pages))]
    return sorted(entries, key=lambda u: u.url)


def _changed(entry: Entry) -> datetime | None:
    return entry.post.updated or entry.post.date


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str, scheme: str = "") -> tuple[str, str, int | None]:
    """(scheme, host, port) of an absolute URL, compared as browsers do: case-insensitive, default ports filled in."""
    parts = urlsplit(url)
    scheme = (parts.scheme or scheme).lower()
    try:
        port = parts.port
    except ValueError:  # not a number: no origin of ours
        port = -1
    return scheme, (parts.hostname or "").lower(), port if port is not None else _DEFAULT_PORTS.get(scheme)


def _elsewhere(canonical: str, home: tuple[str, str, int | None]) -> bool:
    """Whether a post's `canonical` names a page on another site ("" and a path on this site do not)."""
    if not canonical or not urlsplit(canonical).netloc:
        return False
    return _origin(canonical, scheme=home[0]) != home


def _another_here(canonical: str, own: str) -> bool:
    """Whether a post's `canonical`, on this site, names another page than its own (`own`: its path): search
    engines are to list that page, not this one (a sitemap lists canonical URLs alone)."""
    return bool(canonical) and unquote(urlsplit(canonical).path).rstrip("/") != unquote(own).rstrip("/")


def kept_sitemap_urls(site: Site, cfg: SiteConfig, kept: Memo[Any]) -> tuple[SitemapUrl, ...]:
    """`sitemap_urls`, as `kept` holds them for the very posts and the same previews (a body edit changes
    neither): made once a build for the sitemap and the lock file of published URLs, and kept between the
    builds of one process (`serve`)."""
    made_from = (Same(*((entry.post for entry in entries) for entries in (site.posts, site.pages, site.offers))),
                 site.previews)
    listed: tuple[SitemapUrl, ...] = kept.get("urls", made_from, lambda: tuple(sitemap_urls(site, cfg)))
    return listed


def sitemap_files(site: Site, cfg: SiteConfig, kept: Memo[Any] | None = None) -> Iterator[OutputFile]:
    """sitemap.xml and robots.txt. `kept`: what an earlier build of this process made (`serve`): the URLs
    (`kept_sitemap_urls`), and the sitemap by its URLs and their dates."""
    urls, memo = Urls(cfg), kept or Memo()
    listed = kept_sitemap_urls(site, cfg, memo)
    yield OutputFile("sitemap.xml", memo.get("sitemap.xml", listed, lambda: _sitemap(listed, urls)))
    robots = ["User-agent: *"]
    robots += [f"Disallow: {urls.path(path)}" for path in cfg.robots_disallow] or ["Disallow:"]
    robots += ["", f"Sitemap: {urls.uri('/sitemap.xml')}"]
    yield OutputFile("robots.txt", ("\n".join(robots) + "\n").encode("utf-8"))


def _sitemap(listed: tuple[SitemapUrl, ...], urls: Urls) -> bytes:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for entry in listed:
        lastmod = f"<lastmod>{entry.lastmod.isoformat()}</lastmod>" if entry.lastmod else ""
        lines.append(f"  <url><loc>{escape(urls.uri(entry.url), quote=False)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")
