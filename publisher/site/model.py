"""The immutable site: which entries are published, in what order, how they are
grouped (tags, authors, years, clusters), and every decision a page needs
(`Placement`), so rendering only renders. Plain data, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from publisher.content.ctas import Cta
from publisher.content.model import Author, Entry
from publisher.core.queries import Query
from publisher.core.records import record
from publisher.site.clusters import Cluster, ClusterPlace


@record
class Crumb:
    """One step of a breadcrumb trail."""

    name: str
    url: str  # site-relative
    word: str = ""  # the key of the theme's word that names it in the site's language (`templates.i18n`): "home"


@record
class Placement:
    """Every decision about one entry's page, made before rendering."""

    breadcrumbs: tuple[Crumb, ...]
    cta: Cta | None = None
    thanks_url: str = ""  # where the CTA's form sends the reader once it is sent ("" when the CTA says nothing)
    inline_cta_at: int | None = None  # the offset in the entry's HTML where the inline CTA goes; None for none
    cluster: ClusterPlace | None = None  # its place in the cluster it leads or belongs to
    newer: Entry | None = None  # the neighbouring posts, by date
    older: Entry | None = None
    thanks_breadcrumbs: tuple[Crumb, ...] = ()  # offers: the trail of the thank-you page


@dataclass(frozen=True, slots=True)
class Redirect:
    """An old site-relative path that sends the reader to `target` (a site-relative path or an absolute URL)."""

    source: str
    target: str


@dataclass(frozen=True, slots=True)
class QueryRedirect:
    """An old URL with a query (`/?p=123`, WordPress's plain permalink) that sends the reader to `target`. A
    host serves `path`'s file whatever the query, so the page there carries a script that sends them on:
    the build's page at `path` (`on_page`), else a redirect page made there."""

    path: str  # site-relative, as a page's (`/`, `/index.php`)
    query: Query  # the parameters an address must have, sorted by name (`core.queries`)
    target: str
    on_page: bool = False  # a page of the build is at `path` (the home page, a post's), which carries the script


@dataclass(frozen=True, slots=True)
class Group:
    """Posts under one tag, author or year; `url` is the group's first page."""

    key: str
    name: str
    url: str
    posts: tuple[Entry, ...]
    author: Author | None = None


@dataclass(frozen=True, slots=True)
class Site:
    posts: tuple[Entry, ...]  # published, newest first
    pages: tuple[Entry, ...]
    offers: tuple[Entry, ...]
    tags: tuple[Group, ...]  # by name
    authors: tuple[Group, ...]  # by name
    years: tuple[Group, ...]  # newest first
    next_scheduled: Entry | None  # the earliest post left out for being in the future
    hidden_drafts: int
    hidden_future: int
    clusters: dict[str, Cluster] = field(default_factory=dict)  # by pillar slug
    related: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)  # source -> related posts (`clusters`)
    ctas: dict[str, Cta] = field(default_factory=dict)  # by id
    placements: dict[str, Placement] = field(default_factory=dict)  # source -> its page's decisions
    redirects: tuple[Redirect, ...] = ()  # by old path
    query_redirects: tuple[QueryRedirect, ...] = ()  # by path, then query
    previews: frozenset[str] = frozenset()  # sources shown only by --drafts or --future: never in the sitemap
    # Posts dated after `now` that are not drafts, soonest first, whether this build shows them (--future) or
    # not: what the team has planned, for the editorial calendar.
    scheduled: tuple[Entry, ...] = ()

    def placement(self, entry: Entry) -> Placement:
        return self.placements[entry.post.source]


@dataclass(frozen=True, slots=True)
class Selection:
    """Which posts a build publishes."""

    now: datetime
    drafts: bool = False
    future: bool = False


