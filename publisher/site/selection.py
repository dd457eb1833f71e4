"""Which entries a build publishes, in what order, grouped by tag, author and year, each placed.

Also the checks on parsed posts that the site's shape needs (URLs, tags), run
before Markdown so they are reported with every other problem of the input.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain

from publisher.config.model import FunnelConfig
from publisher.content.ctas import Cta
from publisher.content.model import Author, Entry, Post
from publisher.content.urls import author_url, tag_key_url, year_url
from publisher.core.errors import Problem
from publisher.core.memo import Memo
from publisher.core.slugs import slugify, url_key
from publisher.site.clusters import Ranking, build_clusters, related_posts
from publisher.site.funnel import place_entries
from publisher.site.model import Group, Placement, Selection, Site
from publisher.site.redirects import redirects_of

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
}


def check_urls(posts: list[Post]) -> list[Problem]:
    """Every entry needs its own URL, one no site page uses, and one that stays inside the site."""
    problems: list[Problem] = []
    owners: dict[str, Post] = {}
    for post in sorted(posts, key=lambda p: p.source):
        first_segment = post.url.strip("/").split("/", 1)[0]
        if first_segment.casefold() in RESERVED_SEGMENTS and post.kind != "offer":
            owner = RESERVED_SEGMENTS[first_segment.casefold()]
            message = f"URL {post.url} is reserved for {owner} (choose another slug)"
            problems.append(Problem(post.source, post.line_of("slug"), "slug", message))
            continue
        key = url_key(post.url)
        if key in owners:
            message = f"URL {post.url} is already used by {owners[key].source} ({_way_out(post, owners[key])})"
            problems.append(Problem(post.source, post.line_of("slug"), "slug", message))
            continue
        owners[key] = post
    return problems


def _way_out(post: Post, other: Post) -> str:
    """How two entries with one URL can each have their own."""
    advice = "set a different slug in one of them"
    if post.kind == other.kind == "post" and post.date and other.date and post.date.date() != other.date.date():
        advice += ', or a permalink with the date in publisher.toml, e.g. permalink = "/{year}/{month}/{day}/{slug}/"'
    return advice


def check_tags(posts: list[Post]) -> list[Problem]:
    """Every tag must make a URL."""
    slugs = _tag_slugs(post.tags for post in posts)
    return [Problem(post.source, post.line_of("tags"), "tags",
                    f"cannot make a URL from the tag {tag!r} (use letters or digits)")
            for post in posts for tag in post.tags if not slugs[tag]]


def _tag_slugs(tags: Iterable[Iterable[str]]) -> dict[str, str]:
    """The slug of each tag (a site has a few dozen tags on thousands of posts: each is slugified once)."""
    return {tag: slugify(tag) for tag in set(chain.from_iterable(tags))}


@dataclass(frozen=True, slots=True)
class SiteMemos:
    """What `build_site` keeps between builds (`build.model.SiteModel`)."""

    related: Memo[Ranking] = field(default_factory=Memo)  # the related posts of every post
    placements: Memo[Placement] = field(default_factory=Memo)  # each post's placement, by source


def build_site(entries: list[Entry], selection: Selection, ctas: dict[str, Cta] | None = None,
               funnel: FunnelConfig = FunnelConfig(),  # noqa: B008 (frozen, never mutated)
               redirects: tuple[tuple[str, str], ...] = (), memos: SiteMemos | None = None) -> Site:
    """Select, order, group and place the entries (their tags checked by `check_tags` first).

    `memos`: what earlier builds found (`serve`), reused while what each is made from is the same."""
    memos = memos or SiteMemos()
    visible = [_dated(e, selection.now) for e in entries
               if (selection.drafts or not e.post.draft) and not e.post.redirect_to]
    moved = tuple((e.url, e.post.redirect_to) for e in entries if e.post.redirect_to
                  and (selection.drafts or not e.post.draft))
    posts = [e for e in visible if e.post.kind == "post"]
    published = [e for e in posts if selection.future or e.post.published <= selection.now]
    future = sorted((e for e in posts if e.post.published > selection.now),
                    key=lambda e: (e.post.published, e.post.source))
    published.sort(key=lambda e: (e.post.published, e.post.source), reverse=True)
    pages = sorted((e for e in visible if e.post.kind == "page"), key=lambda e: e.post.source)
    offers = sorted((e for e in visible if e.post.kind == "offer"), key=lambda e: e.post.source)
    clusters = build_clusters(tuple(published))
    return Site(
        posts=tuple(published),
        pages=tuple(pages),
        offers=tuple(offers),
        tags=_group_by_tag(published),
        authors=_group_by_author(published),
        years=_group_by_year(published),
        next_scheduled=None if selection.future or not future else future[0],
        hidden_drafts=sum(1 for e in entries if e.post.draft) if not selection.drafts else 0,
        hidden_future=0 if selection.future else len(future),
        clusters=clusters,
        related=related_posts(tuple(published), memos.related),
        ctas=dict(ctas or {}),
        redirects=redirects_of((*published, *pages, *offers), (*redirects, *moved)),
        previews=frozenset(e.post.source for e in (*published, *pages, *offers)
                           if e.post.draft or (e.post.kind == "post" and e.post.published > selection.now)),
        placements=place_entries(tuple(published), (*pages, *offers), clusters, dict(ctas or {}), funnel,
                                 memos.placements),
        scheduled=tuple(e for e in future if not e.post.draft),
    )


def _dated(entry: Entry, now: datetime) -> Entry:
    """A draft post written without a date is dated when drafts are built (now), as Jekyll dates it."""
    if entry.post.kind != "post" or entry.post.date is not None:
        return entry
    return replace(entry, post=replace(entry.post, date=now))


def _group_by_tag(posts: list[Entry]) -> tuple[Group, ...]:
    names: dict[str, str] = {}
    members: dict[str, list[Entry]] = defaultdict(list)
    slugs = _tag_slugs(entry.post.tags for entry in posts)
    # Oldest first, so a tag keeps the spelling it was first given.
    for entry in reversed(posts):
        for slug, tag in ((slugs[tag], tag) for tag in entry.post.tags):
            if slug:  # a tag that makes no URL was reported by `check_tags`
                names.setdefault(slug, tag)
                members[slug].append(entry)
    groups = [Group(slug, names[slug], tag_key_url(slug), tuple(reversed(members[slug]))) for slug in members]
    return tuple(sorted(groups, key=lambda g: (g.name.casefold(), g.key)))


def _group_by_author(posts: list[Entry]) -> tuple[Group, ...]:
    authors: dict[str, Author] = {}
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in posts:
        for author in entry.post.authors:
            authors.setdefault(author.key, author)
            members[author.key].append(entry)
    groups = [Group(key, authors[key].name, author_url(key), tuple(members[key]), authors[key]) for key in members]
    return tuple(sorted(groups, key=lambda g: (g.name.casefold(), g.key)))


def _group_by_year(posts: list[Entry]) -> tuple[Group, ...]:
    members: dict[int, list[Entry]] = defaultdict(list)
    for entry in posts:
        members[entry.post.published.year].append(entry)
    return tuple(Group(str(year), str(year), year_url(year), tuple(members[year]))
                 for year in sorted(members, reverse=True))
