"""sitemap.xml and robots.txt: how crawlers find every published page.

Past what one sitemap file may hold (50,000 URLs, 50 MB: `sitemap_split`),
/sitemap.xml is a sitemap index of /sitemap-1.xml, /sitemap-2.xml...,
beside it at the top of the site (a sitemap may list only URLs below its own
folder), each filled in URL order before the next; robots.txt points at the
index all the same. Under the limits the one sitemap is as it always was.

A post or page whose `canonical` is on another site (a syndicated piece) is
left out: a sitemap lists the URLs a site wants indexed as its own, and search
engines distrust one that lists pages which name another URL as the original.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import unquote, urlsplit

from publisher.config.model import SiteConfig
from publisher.content.model import Entry
from publisher.content.urls import ARCHIVE, AUTHORS, TAGS, Urls
from publisher.core.memo import Memo, Same
from publisher.core.records import record
from publisher.feeds.sitemap_split import PROTOCOL_LIMITS, SitemapLimits, split_runs
from publisher.output.files import OutputFile
from publisher.site.model import Site
from publisher.site.pagination import paginate
from publisher.site.reserved import sitemap_part


@record
class SitemapUrl:
    url: str  # site-relative
    lastmod: datetime | None


def sitemap_urls(site: Site, cfg: SiteConfig) -> list[SitemapUrl]:
    """Every published page a visitor can land on, with when its content last changed."""
    def newest(posts: tuple[Entry, ...]) -> datetime | None:
        return max((changed for e in posts if (changed := _changed(e)) is not None), default=None)

    home_pages = [SitemapUrl(p.url, newest(p.items)) for p in paginate(site.posts, "/", cfg.posts_per_page)]
    entries = [*home_pages, SitemapUrl(ARCHIVE, _newest(home_pages))]
    listed = [*site.posts, *site.pages, *(() if cfg.offers.noindex else site.offers)]  # never a thank-you page
    home, base = _origin(cfg.url), urlsplit(cfg.url).path.rstrip("/") + "/"
    entries += [SitemapUrl(e.url, _changed(e)) for e in listed
                if e.post.source not in site.previews and not _elsewhere(e.post.canonical, home)
                and not _another_here(e.post.canonical, base + e.url.lstrip("/"))]
    for groups, index in ((site.tags, TAGS), (site.authors, AUTHORS)):
        pages = [SitemapUrl(p.url, newest(p.items))
                 for group in groups for p in paginate(group.posts, group.url, cfg.posts_per_page)]
        entries += [*pages, SitemapUrl(index, _newest(pages))]
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


def sitemap_files(site: Site, cfg: SiteConfig, kept: Memo[Any] | None = None,
                  limits: SitemapLimits = PROTOCOL_LIMITS, *, robots: bool = True) -> Iterator[OutputFile]:
    """sitemap.xml (a sitemap index and its sitemaps past `limits`) and robots.txt. `kept`: what an earlier build
    of this process made (`serve`): the URLs (`kept_sitemap_urls`), and the sitemaps by their URLs and dates.
    `robots`: False when the site publishes a robots.txt of its own from a static folder, which stands."""
    urls, memo = Urls(cfg), kept or Memo()
    listed = kept_sitemap_urls(site, cfg, memo)
    yield from memo.get("sitemaps", (listed, limits), lambda: sitemaps(listed, urls, limits))
    if robots:
        yield OutputFile("robots.txt", robots_txt(cfg, urls).encode("utf-8"))


def robots_txt(cfg: SiteConfig, urls: Urls) -> str:
    """robots.txt: every path `[robots] disallow` names (under the base path) and where the sitemap is. Under a
    sub-path the file is published where no crawler reads it (RFC 9309 2.3: only `/robots.txt` at the top of the
    host counts), so it starts with a comment saying so: its lines are the ones to add to the host's own file
    (the config's warning says the same, `config.reader`)."""
    robots = [f"# Crawlers read only {urls.origin}/robots.txt: add the lines below to that file."
              ] if cfg.base_path != "/" else []
    robots += ["User-agent: *"]
    robots += [f"Disallow: {urls.path(path)}" for path in cfg.robots_disallow] or ["Disallow:"]
    robots += ["", f"Sitemap: {urls.uri('/sitemap.xml')}"]
    return "\n".join(robots) + "\n"


_URLSET_OPEN = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
                b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
_URLSET_CLOSE = b"</urlset>\n"
_INDEX_OPEN = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
               b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n')
_INDEX_CLOSE = b"</sitemapindex>\n"


def sitemaps(listed: tuple[SitemapUrl, ...], urls: Urls, limits: SitemapLimits = PROTOCOL_LIMITS
             ) -> tuple[OutputFile, ...]:
    """The sitemap of `listed` as sitemap.xml when it fits one file within `limits`; else sitemap.xml as the index
    of sitemap-1.xml, sitemap-2.xml..., each as full as `limits` let it be, in URL order."""
    lines = [_url_line(entry, urls) for entry in listed]
    runs = split_runs([len(line) for line in lines], len(_URLSET_OPEN) + len(_URLSET_CLOSE), limits)
    if len(runs) == 1:
        return (OutputFile("sitemap.xml", _URLSET_OPEN + b"".join(lines) + _URLSET_CLOSE),)
    parts = tuple(OutputFile(sitemap_part(number), _URLSET_OPEN + b"".join(lines[run.start:run.stop])
                             + _URLSET_CLOSE) for number, run in enumerate(runs, start=1))
    newest = [_newest(listed[run.start:run.stop]) for run in runs]
    index = [_index_line(urls.uri("/" + part.path), lastmod) for part, lastmod in zip(parts, newest, strict=True)]
    return (OutputFile("sitemap.xml", _INDEX_OPEN + b"".join(index) + _INDEX_CLOSE), *parts)


def _url_line(entry: SitemapUrl, urls: Urls) -> bytes:
    """One `<url>` of a sitemap, on a line of its own."""
    lastmod = f"<lastmod>{entry.lastmod.isoformat()}</lastmod>" if entry.lastmod else ""
    return f"  <url><loc>{escape(urls.uri(entry.url), quote=False)}</loc>{lastmod}</url>\n".encode()


def _index_line(uri: str, lastmod: datetime | None) -> bytes:
    """One `<sitemap>` of a sitemap index: where the sitemap is, and when the newest page it lists changed."""
    modified = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
    return f"  <sitemap><loc>{escape(uri, quote=False)}</loc>{modified}</sitemap>\n".encode()


def _newest(listed: Sequence[SitemapUrl]) -> datetime | None:
    """When the newest of these pages last changed."""
    return max((entry.lastmod for entry in listed if entry.lastmod is not None), default=None)
