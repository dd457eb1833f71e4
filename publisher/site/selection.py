"""Which entries a build publishes, in what order, grouped by tag, author and year, each placed.

Also the checks on parsed posts that the site's shape needs (URLs, tags), run
before Markdown so they are reported with every other problem of the input.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain

from publisher.config.model import FunnelConfig
from publisher.content.ctas import Cta
from publisher.content.model import Author, Entry, Post
from publisher.content.urls import author_url, tag_key_url, year_url
from publisher.core.errors import Problem
from publisher.core.memo import KeptOnDisk, Memo
from publisher.core.slugs import PAGE_PART_BYTES, overlong_part, slugify, too_long_said, url_key
from publisher.site.clusters import Ranking, build_clusters, related_posts
from publisher.site.funnel import place_entries
from publisher.site.model import Group, Placement, Selection, Site
from publisher.site.redirects import query_redirects_of, redirects_of
from publisher.site.reserved import reserved_for


def check_urls(posts: list[Post]) -> list[Problem]:
    """Every entry needs its own URL, one no site page uses, and one that stays inside the site; and its own
    feed id and guid, when it sets them."""
    problems: list[Problem] = []
    owners: dict[str, Post] = {}
    ids: dict[str, Post] = {}
    for post in sorted(posts, key=lambda p: p.source):
        if post.id and post.id in ids:  # readers would show one of the two, or the newer one as the older's edit
            message = f"{post.id!r} is already the id of {ids[post.id].source} (each post needs its own)"
            problems.append(Problem(post.source, post.line_of("id"), "id", message))
        ids.setdefault(post.id, post)
        first_segment = post.url.strip("/").split("/", 1)[0].casefold()
        owner = "the home page" if post.url.strip("/") == "" else reserved_for(first_segment)
        if owner is not None and (post.kind, first_segment) != ("offer", "offers"):
            field = _url_field(post)
            message = f"URL {post.url} is reserved for {owner} (choose another {field})"
            problems.append(Problem(post.source, post.line_of(field), field, message))
            continue
        overlong = overlong_part(post.url, PAGE_PART_BYTES)
        if overlong:  # the build could write neither its folder nor its card on any disk
            field = _url_field(post)
            problems.append(Problem(post.source, post.line_of(field), field,
                                    too_long_said("the URL's part", overlong, PAGE_PART_BYTES)))
            continue
        key = url_key(post.url)
        if key in owners:  # said at the one that wrote its URL (by slug, url or permalink), else at the later file
            other = owners[key]
            said, of = (other, post) if _writes_url(other) and not _writes_url(post) else (post, other)
            message = f"URL {said.url} is already used by {of.source} ({_way_out(said, of)})"
            problems.append(Problem(said.source, said.line_of(_url_field(said)), _url_field(said), message))
            continue
        owners[key] = post
    return problems + _shared_guids(posts)


def _shared_guids(posts: list[Post]) -> list[Problem]:
    """A `guid` another post has too: RSS readers would show one of the two (or the later as the other's edit)."""
    problems: list[Problem] = []
    guids: dict[str, Post] = {}
    for post in sorted(posts, key=lambda p: p.source):
        if post.guid in guids:
            message = f"{post.guid!r} is already the guid of {guids[post.guid].source} (each post needs its own)"
            problems.append(Problem(post.source, post.line_of("guid"), "guid", message))
        elif post.guid:
            guids[post.guid] = post
    return problems


def _url_field(post: Post) -> str:
    """The field a post's URL comes from: `url` or `permalink` when written, else `slug` (written or not)."""
    return next((name for name in ("url", "permalink") if name in post.field_lines), "slug")


def _writes_url(post: Post) -> bool:
    """Whether a post's front matter writes its URL (a slug, url or permalink), not its file name."""
    return any(name in post.field_lines for name in ("slug", "url", "permalink"))


def url_check_reads(post: Post) -> tuple[object, ...]:
    """What `check_urls` reads of a post: its problems are as they were while this is (`core.memo.Alike`)."""
    field = _url_field(post)
    return post.source, post.url, post.kind, post.date, field, post.line_of(field), post.id, post.line_of("id"), \
        post.guid, post.line_of("guid"), "slug" in post.field_lines


def _way_out(post: Post, other: Post) -> str:
    """How two entries with one URL can each have their own."""
    advice = "set a different slug in one of them"
    if post.kind == other.kind == "post" and post.date and other.date and post.date.date() != other.date.date():
        advice += ', or a permalink with the date in publisher.toml, e.g. permalink = "/{year}/{month}/{day}/{slug}/"'
    return advice


def check_tags(posts: list[Post]) -> list[Problem]:
    """Every tag must make a URL, of a length a file system holds (its page's folder, its card's name)."""
    slugs = _tag_slugs(post.tags for post in posts)
    return [Problem(post.source, post.line_of("tags"), "tags", message)
            for post in posts for tag in post.tags for message in [_tag_url_trouble(tag, slugs[tag])] if message]


def _tag_url_trouble(tag: str, slug: str) -> str:
    """Why `tag` (its URL's part `slug`) makes no URL a build can write, or ""."""
    if not slug:
        return f"cannot make a URL from the tag {tag!r} (use letters or digits)"
    if overlong_part(slug, PAGE_PART_BYTES):
        return too_long_said("the tag's URL part", slug, PAGE_PART_BYTES)
    return ""


def merged_tags(posts: list[Post]) -> list[Problem]:
    """Warnings for tags that are different words but make one URL (`C++` and `C#` are `/tags/c/`), which then
    share one page: said once for each, at the first post (by file) that spells it otherwise than the first."""
    slugs = _tag_slugs(post.tags for post in posts)
    first: dict[str, tuple[str, str]] = {}  # slug -> the first tag met: its key (case and Unicode forms aside), it
    told: set[str] = set()
    warnings = []
    for post in sorted(posts, key=lambda p: p.source):
        for tag in post.tags:
            slug, key = slugs[tag], unicodedata.normalize("NFC", tag).casefold()
            if not slug or first.setdefault(slug, (key, tag))[0] == key or key in told:
                continue
            told.add(key)
            warnings.append(Problem(post.source, post.line_of("tags"), "tags",
                                    f"{tag!r} makes the same URL as {first[slug][1]!r}, /tags/{slug}/: the two "
                                    "share one page (write one spelling, or tags that differ in letters)"))
    return warnings


def tag_check_reads(post: Post) -> tuple[object, ...]:
    """What `check_tags` reads of a post."""
    return post.source, post.tags, post.line_of("tags")


def _tag_slugs(tags: Iterable[Iterable[str]]) -> dict[str, str]:
    """The slug of each tag (a site has a few dozen tags on thousands of posts: each is slugified once)."""
    return {tag: slugify(tag) for tag in set(chain.from_iterable(tags))}


@dataclass(frozen=True, slots=True)
class SiteMemos:
    """What `build_site` keeps between builds (`build.model.SiteModel`)."""

    related: Memo[Ranking] = field(default_factory=Memo)  # the related posts of every post
    placements: Memo[Placement] = field(default_factory=Memo)  # each post's placement, by source
    ranking: KeptOnDisk | None = None  # the related posts' ranking as kept on disk (a new process, `build`)


def build_site(entries: list[Entry], selection: Selection, ctas: dict[str, Cta] | None = None,
               funnel: FunnelConfig = FunnelConfig(),  # noqa: B008 (frozen, never mutated)
               redirects: tuple[tuple[str, str], ...] = (), memos: SiteMemos | None = None) -> Site:
    """Select, order, group and place the entries (their tags checked by `check_tags` first).

    `memos`: what earlier builds found (`serve`), reused while what each is made from is the same."""
    memos = memos or SiteMemos()
    chosen = _choose(entries, selection)
    published, future, pages, offers = chosen.published, chosen.future, chosen.pages, chosen.offers
    clusters = build_clusters(published)
    return Site(
        posts=published,
        pages=pages,
        offers=offers,
        tags=_group_by_tag(published),
        authors=_group_by_author(published),
        years=_group_by_year(published),
        next_scheduled=None if selection.future or not future else future[0],
        hidden_drafts=chosen.hidden_drafts,
        hidden_future=0 if selection.future else len(future),
        clusters=clusters,
        related=related_posts(published, memos.related, memos.ranking),
        ctas=dict(ctas or {}),
        redirects=redirects_of((*published, *pages, *offers), (*redirects, *chosen.moved)),
        query_redirects=query_redirects_of((*published, *pages, *offers), redirects),
        previews=chosen.previews,
        placements=place_entries(published, (*pages, *offers), clusters, dict(ctas or {}), funnel,
                                 memos.placements),
        scheduled=tuple(e for e in future if not e.post.draft),
    )


@dataclass(frozen=True, slots=True)
class _Chosen:
    """The entries a build publishes, by kind and order, and what it leaves out."""

    published: tuple[Entry, ...]  # posts, newest first
    future: tuple[Entry, ...]  # posts dated after now (in `published` too with --future), soonest first
    pages: tuple[Entry, ...]  # by source
    offers: tuple[Entry, ...]  # by source
    moved: tuple[tuple[str, str], ...]  # (URL, where it redirects to) of the entries that only redirect
    previews: frozenset[str]  # sources shown only by --drafts or --future
    hidden_drafts: int


def _choose(entries: list[Entry], selection: Selection) -> _Chosen:
    """Which entries are published and which are left out: one pass over them (a serve's save makes it
    for thousands of posts before the edited page is written)."""
    now, drafts = selection.now, selection.drafts
    published: list[Entry] = []
    future: list[Entry] = []
    pages: list[Entry] = []
    offers: list[Entry] = []
    moved: list[tuple[str, str]] = []
    shown_drafts: list[str] = []
    hidden_drafts = 0
    for entry in entries:
        post = entry.post
        if post.draft and not drafts:
            hidden_drafts += 1
            continue
        if post.redirect_to:
            moved.append((entry.url, post.redirect_to))
            continue
        if post.draft:
            shown_drafts.append(post.source)
        if post.kind == "post":
            date = post.date
            if date is None:  # a draft's (parsing gives every other post a date)
                entry, date = _dated(entry, now), now
            if date > now:
                future.append(entry)
            if selection.future or date <= now:
                published.append(entry)
        elif post.kind == "page":
            pages.append(entry)
        elif post.kind == "offer":
            offers.append(entry)
    future.sort(key=lambda e: (e.post.date, e.post.source))
    published.sort(key=lambda e: (e.post.date, e.post.source), reverse=True)
    hidden = set() if selection.future else {e.post.source for e in future}  # a hidden future draft is no preview
    previews = {source for source in shown_drafts if source not in hidden}
    if selection.future:
        previews.update(e.post.source for e in future)
    return _Chosen(tuple(published), tuple(future), tuple(sorted(pages, key=lambda e: e.post.source)),
                   tuple(sorted(offers, key=lambda e: e.post.source)), tuple(moved), frozenset(previews),
                   hidden_drafts)


def _dated(entry: Entry, now: datetime) -> Entry:
    """A draft post written without a date is dated when drafts are built (now), as Jekyll dates it."""
    return replace(entry, post=replace(entry.post, date=now))


def _group_by_tag(posts: Sequence[Entry]) -> tuple[Group, ...]:
    """A group per tag slug, its posts newest first, named as the oldest post spells the tag."""
    by_tag: dict[str, list[Entry]] = defaultdict(list)
    for entry in posts:
        for tag in entry.post.tags:
            by_tag[tag].append(entry)
    spellings: dict[str, list[str]] = defaultdict(list)
    for tag in by_tag:
        slug = slugify(tag)
        if slug:  # a tag that makes no URL was reported by `check_tags`
            spellings[slug].append(tag)
    groups = [Group(slug, tags[0], tag_key_url(slug), tuple(by_tag[tags[0]])) if len(tags) == 1
              else _spellings_group(slug, tags, posts) for slug, tags in spellings.items()]
    return tuple(sorted(groups, key=lambda g: (g.name.casefold(), g.key)))


def _spellings_group(slug: str, tags: list[str], posts: Sequence[Entry]) -> Group:
    """The group of a tag written in more than one way ("SEO", "seo"), named as the oldest post spells it."""
    spellings = set(tags)
    members = [entry for entry in posts if not spellings.isdisjoint(entry.post.tags)]  # once, however many it has
    oldest_first = (tag for entry in reversed(posts) for tag in entry.post.tags if tag in spellings)
    return Group(slug, next(oldest_first), tag_key_url(slug), tuple(members))


def _group_by_author(posts: Sequence[Entry]) -> tuple[Group, ...]:
    authors: dict[str, Author] = {}
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in posts:
        for author in entry.post.authors:
            authors.setdefault(author.key, author)
            members[author.key].append(entry)
    groups = [Group(key, authors[key].name, author_url(key), tuple(members[key]), authors[key]) for key in members]
    return tuple(sorted(groups, key=lambda g: (g.name.casefold(), g.key)))


def _group_by_year(posts: Sequence[Entry]) -> tuple[Group, ...]:
    members: dict[int, list[Entry]] = defaultdict(list)
    for entry in posts:
        members[entry.post.published.year].append(entry)
    return tuple(Group(str(year), str(year), year_url(year), tuple(members[year]))
                 for year in sorted(members, reverse=True))
