"""Turning the site model into output files: pages from templates, static
files and generated assets. Yields `OutputFile`s; writing is `writer`'s job.

Rendering decides nothing: which CTA a page shows, where the inline CTA goes,
breadcrumbs, clusters and neighbours all come from the site's placements.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import chain, takewhile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import jinja2
from markupsafe import Markup

from publisher.config.edit_links import file_edit_url
from publisher.config.model import SiteConfig
from publisher.content.model import Entry, Post, post_digest
from publisher.content.urls import (
    ARCHIVE,
    AUTHORS,
    HOME,
    NOT_FOUND,
    SEARCH,
    SEARCH_BUNDLE,
    SEARCH_MODULE,
    TAGS,
    Urls,
    feed_links,
)
from publisher.core.errors import ContentError, Problem
from publisher.core.hashing import digest
from publisher.core.memo import Memo
from publisher.core.owned import OwnFiles
from publisher.core.records import record
from publisher.core.slugs import as_page_path, is_nfc, nfc, url_key
from publisher.output.files import OutputFile
from publisher.pages.code_colours import pygments_css
from publisher.pages.fingerprints import Deferred, Fingerprinted, ReadRecorded, fingerprint
from publisher.pages.parallel import render_in_order
from publisher.pages.query_script import page_scripts, with_script
from publisher.pages.recipes import HeldEntries, KeptEntries, RecipeDigests
from publisher.pages.search import offers_search
from publisher.pages.seo import MetaBuilder
from publisher.pages.views import (
    cta_view,
    entry_view,
    group_view,
    page_view,
    pager_view,
    site_view,
)
from publisher.site.clusters import ClusterPlace
from publisher.site.funnel import HOME_CRUMB
from publisher.site.model import Crumb, Group, Site
from publisher.site.pagination import Pager, paginate
from publisher.templates.blocks import BlockCheck
from publisher.templates.i18n import Words
from publisher.templates.reads import SiteReads
from publisher.templates.theme import Theme, make_environment, template_error

if TYPE_CHECKING:  # the drawing libraries load only for a build that renders
    from publisher.images.previews import Previews


class PageMemo(Protocol):
    """What the build remembers of earlier pages (`build.cache.BuildCache`)."""

    @property
    def remembers_pages(self) -> bool:
        """False when nothing is remembered: then pages are not fingerprinted at all."""
        ...

    def page_is_current(self, path: str, page_fingerprint: str) -> bool:
        """True when `path` was written from a context with this fingerprint and is still on disk as written."""
        ...

    def remember_page(self, path: str, page_fingerprint: str, recipe: str, shown: ShownReads | None = None, *,
                      as_is: bool = False, entries: HeldEntries | None = None) -> None:
        """Note what `path` was written from in this build (its fingerprint, its recipe's digest or "", and for a
        page that shows many views, what it read of them); `as_is`: the file on disk was found current and is
        left as it is; `entries`: the sources of the entries its recipe holds (None: not known)."""
        ...

    def remember_structure(self, structure: str, entries: Mapping[str, str]) -> None:
        """Note the digest of this build's site structure and each entry's digest by its source (see
        `pages.recipes`), kept with the pages' recipes."""
        ...

    def unchanged_recipe(self, path: str, structure: str, entry_digest: Callable[[str], str | None]
                         ) -> tuple[str, KeptEntries] | None:
        """The digest of the recipe the last build recorded for the page at `path`, and the entries it held, when
        the site's structure had this digest then and each of those entries the digest it has now (`entry_digest`:
        None for a source the site no longer holds); else None."""
        ...

    def kept_sources(self, entries: KeptEntries) -> frozenset[str]:
        """The sources of entries `unchanged_recipe` gave."""
        ...

    def kept_page_is_current(self, path: str, page_fingerprint: str) -> bool:
        """As `page_is_current`, for a page that earlier builds of this process made with this fingerprint."""
        ...

    def fingerprint_of_recipe(self, path: str, recipe: str) -> str | None:
        """The fingerprint of the page an earlier build made at `path` from a recipe with this digest."""
        ...

    def kept_copy(self, page_fingerprint: str) -> str | None:
        """The path of a copy of the page made with this fingerprint, kept whole by an earlier build (see
        `build.page_copies`); None when there is none."""
        ...

    def keep_copy(self, path: str, page_fingerprint: str, html: bytes) -> str | None:
        """Keep the page rendered at `path` as its copy; the copy's path, for the output to link, or None when no
        copy is kept."""
        ...

    @property
    def recipe_salt(self) -> str:
        """What every recipe's digest starts from: the settings, templates, publisher's version and code."""
        ...

    @property
    def recipes_on_disk(self) -> bool:
        """Whether pages are told by their recipes' digests, kept on disk (a new process: no recipes in memory)."""
        ...

    @property
    def views(self) -> Memo[Fingerprinted]:
        """Each entry's view by the entry, its image and whether it is still to come (`serve`)."""
        ...

    @property
    def templates(self) -> Memo[jinja2.Environment]:
        """The theme's page templates by their folders, compiled by earlier builds of this process (`serve`);
        Jinja compiles a template again when its file changes."""
        ...

    @property
    def recipes(self) -> Memo[KeptPage]:
        """Each page's fingerprint (and what it read of its entries' views) by what it was made from
        (`PagePlan.recipe`), kept by earlier builds of this process (`serve`): a page made from the very same
        things is not even given a context again."""
        ...

    def kept_site_reads(self, template: str, find: Callable[[], frozenset[str] | None]) -> frozenset[str] | None:
        """What a page template reads of the site's view (`templates.reads`), as earlier builds found it, else
        `find()`."""
        ...

    def kept_blocks_shown(self, template: str, shown: Callable[[], bool]) -> bool:
        """Whether every block of a page template is shown by those it extends, as earlier builds found it for
        these templates, else `shown()`."""
        ...

    def shown_reads(self, path: str) -> ShownReads | None:
        """What the page at `path` read of the many views it showed, as the last build kept it (`ShownReads`)."""
        ...


# source -> the keys its view was read at (one tuple for every page of a build that read the same keys), and the
# token read at each: a page holds no pair per value (`serve` keeps the reads of 13,000 pages at 10,000 posts)
Reads = dict[str, tuple[tuple[str, ...], tuple[Any, ...]]]
KeptPage = tuple[str, Reads | None]  # a page's fingerprint, and for a page that shows views, what it read
MANY_VIEWS = 64  # a page that shows this many entries' views (the archive) is told by what it read (`ShownReads`)
CHECK_KEPT_RECIPES = False  # the tests' switch: walk each recipe taken as kept too, and fail when it is another
WELL_KNOWN = ".well-known"  # the one hidden folder of static/ that is published (see `is_published`)


@dataclass(frozen=True, slots=True)
class ShownReads:
    """What a page that shows many entries' views (the archive) was made from, kept on disk by `publisher build`:
    its recipe's shape (the recipe's digest with each entry counted by its source), the fingerprint of the page,
    and for each entry it shows, the entry's digest, the keys its templates read of the entry's view and the
    digest of the values read. A page of the same shape whose entries each have the same digest, or a view with
    the same values at those keys, is that page: a body edit leaves the archive as it is, without making the
    views of every post to tell. (`serve` compares the recipes themselves, in memory: `_kept_alike`.)"""

    shape: str
    fingerprint: str
    entries: dict[str, tuple[str, tuple[str, ...], str]]  # source -> (entry digest, keys read, values' digest)

    def to_json(self) -> dict[str, Any]:
        return {"shape": self.shape, "fingerprint": self.fingerprint,
                "entries": {source: [entry, list(keys), values] for source, (entry, keys, values)
                            in self.entries.items()}}

    @classmethod
    def from_json(cls, data: Any) -> ShownReads | None:
        """The record `to_json` wrote; None for anything else."""
        try:
            entries = {source: (entry, tuple(keys), values) for source, (entry, keys, values)
                       in data["entries"].items()}
            shown = cls(data["shape"], data["fingerprint"], entries)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        texts = [shown.shape, shown.fingerprint, *(part for source, (entry, keys, values) in entries.items()
                                                   for part in (source, entry, values, *keys))]
        return shown if all(type(text) is str for text in texts) else None


@dataclass(frozen=True, slots=True)
class PageInputs:
    """What one page is made from: its template, where it goes, and what the template sees."""

    template: str
    path: str
    context: dict[str, Any]


@record
class PagePlan:
    """A page before its context is made: where it goes, what it is made from, and how to make its inputs.

    `recipe` holds every value the page's context is made from besides the settings and templates (which
    the build's salt covers): its entries, their placements, the pager or group, its preview, the site's
    view and which shown posts are still to come. Equal recipes make equal pages."""

    path: str
    recipe: tuple[object, ...]
    make: Callable[[], PageInputs]
    template: str  # the one `make` names: its recipe holds what it reads of the site's view
    shows_views: bool = False  # its entries reach its context only through their views (the lists of posts)


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What the pages are given of each entry besides the site, by source: the `<img>` attributes of its own
    image (size, srcset), and its post as read with that post's digest (`content.model.post_digest`), which the
    recipes' digests take rather than the post's `repr` again."""

    images: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    posts: Mapping[str, tuple[Post, str]] = field(default_factory=dict)


@record
class RenderedPage:
    path: str
    fingerprint: str  # "" when pages are not remembered
    html: bytes | None  # None: the page on disk is current
    problem: Problem | None = None  # a template that failed
    recipe: str = ""  # the digest of its recipe ("": not taken)
    reads: Reads | None = None  # for a page that shows views: what its templates read of them
    shown: ShownReads | None = None  # for a page that shows many views, in `publisher build`: what it read
    made: bool = False  # its inputs were made (and its template rendered unless the page on disk matched them)
    entries: HeldEntries | None = None  # with `recipe`: the entries the recipe holds
    copy: str = ""  # with `html` None: the page's file is gone or changed, and this kept copy of it is linked


def _was_made(page: RenderedPage) -> bool:
    return page.made


def _output_file(page: RenderedPage, cache: PageMemo) -> OutputFile:
    """The page's file: as the output holds it, or its kept copy linked (one kept before, or this one's), else its
    bytes."""
    if page.copy:
        return OutputFile(page.path, source=page.copy, linked=True)
    if page.html is None:
        return OutputFile(page.path, keep=True)
    copy = cache.keep_copy(page.path, page.fingerprint, page.html) if page.fingerprint else None
    return OutputFile(page.path, page.html) if copy is None else OutputFile(page.path, source=copy, linked=True)


def render_pages(site: Site, cfg: SiteConfig, theme: Theme, now: datetime, previews: Previews, cache: PageMemo,
                 workers: int = 1, *, facts: EntryFacts | None = None) -> Iterator[OutputFile]:
    """Every page of the site from the theme's templates (on `workers` processes), then assets and static files.
    `facts`: what is known of each entry besides the site (see `EntryFacts`)."""
    renderer = _PageRenderer(_page_templates(theme, cache), cfg, site, now, previews, cache, facts or EntryFacts())
    recipes = cache.recipes
    for plan, page in render_in_order(renderer.pages, renderer.render, workers, made=_was_made,
                                      before_fork=renderer.take_structure):
        if page.problem is not None:
            raise ContentError(page.problem.path, page.problem.line, page.problem.field, page.problem.message)
        cache.remember_page(page.path, page.fingerprint, page.recipe, page.shown,
                            as_is=page.html is None and not page.copy, entries=page.entries)
        if page.fingerprint:
            recipes.put(plan.path, plan.recipe, (page.fingerprint, page.reads))
        yield _output_file(page, cache)
    yield OutputFile("assets/pygments.css",
                     pygments_css(cfg.markdown.highlight_light, cfg.markdown.highlight_dark).encode())
    yield from static_files(theme, cfg)


def render_ahead(site: Site, cfg: SiteConfig, theme: Theme, now: datetime, previews: Previews, cache: PageMemo,
                 paths: Set[str], *, facts: EntryFacts | None = None) -> list[OutputFile]:
    """The pages at these output paths, as `render_pages` makes them, for `serve` to write before the rest (the
    pages a writer waits on). Nothing is remembered of them: `render_pages` makes them again from its memos. A
    page whose template fails is left out, for `render_pages` to report."""
    renderer = _PageRenderer(_page_templates(theme, cache), cfg, site, now, previews, _Unremembered(cache),
                             facts or EntryFacts())
    pages = (renderer.render(plan) for plan in renderer.pages_at(paths))
    return [OutputFile(page.path, page.html) for page in pages if page.html is not None]


def _page_templates(theme: Theme, cache: PageMemo) -> jinja2.Environment:
    """The theme's page templates, compiled once per process while their folders are the same."""
    return cache.templates.get("pages", (theme.template_dirs, theme.words), partial(make_environment, theme))


class _Unremembered:
    """A `PageMemo` that remembers no page (so each is made from its context), with the build's views and
    templates."""

    remembers_pages = False
    recipes_on_disk = False
    recipe_salt = ""

    def __init__(self, memo: PageMemo) -> None:
        self.views, self.templates, self.recipes = memo.views, memo.templates, memo.recipes
        self.kept_site_reads, self.kept_blocks_shown = memo.kept_site_reads, memo.kept_blocks_shown

    def page_is_current(self, path: str, page_fingerprint: str) -> bool:
        return False

    kept_page_is_current = page_is_current

    def remember_page(self, path: str, page_fingerprint: str, recipe: str, shown: ShownReads | None = None, *,
                      as_is: bool = False, entries: HeldEntries | None = None) -> None:
        return None

    def remember_structure(self, structure: str, entries: Mapping[str, str]) -> None:
        return None

    def unchanged_recipe(self, path: str, structure: str, entry_digest: Callable[[str], str | None]
                         ) -> tuple[str, KeptEntries] | None:
        return None

    def kept_sources(self, entries: KeptEntries) -> frozenset[str]:
        return frozenset()

    def fingerprint_of_recipe(self, path: str, recipe: str) -> str | None:
        return None

    def kept_copy(self, page_fingerprint: str) -> str | None:
        return None

    def keep_copy(self, path: str, page_fingerprint: str, html: bytes) -> str | None:
        return None

    def shown_reads(self, path: str) -> ShownReads | None:
        return None


def _checked(posts: Mapping[str, tuple[Post, str]]) -> Mapping[str, tuple[Post, str]]:
    """`posts`, each digest taken again (the tests' check, `CHECK_KEPT_RECIPES`): a build fails when one is another."""
    for source, (post, kept) in posts.items():
        if post_digest(post) != kept:
            raise AssertionError(f"{source}: its post's digest was taken as kept, but it is another")
    return posts


def _to_come(site: Site, now: datetime) -> tuple[str, ...]:
    """The sources of the entries the site shows that are dated after `now` (`--future`): the first posts (newest
    first), and any such page or offer."""
    posts = takewhile(lambda e: e.post.published > now, site.posts)
    others = (e for e in (*site.pages, *site.offers) if e.post.date and e.post.date > now)
    return tuple(e.post.source for e in chain(posts, others))


class _PageRenderer:
    def __init__(self, env: jinja2.Environment, cfg: SiteConfig, site: Site, now: datetime,
                 previews: Previews, cache: PageMemo, facts: EntryFacts) -> None:
        self.env, self.cfg, self.site, self.now, self.cache = env, cfg, site, now, cache
        self.words = _words_of(env)
        self.post_images = facts.images
        self.urls = Urls(cfg)
        self.previews = previews
        self.view = site_view(cfg, site, self.urls)
        self.site_view = Fingerprinted(self.view)
        self.meta = MetaBuilder(cfg, self.urls, previews, feed_links("/", cfg.title, self.urls))
        self.query_scripts = _query_scripts(site, self.urls)
        self._entry_views: dict[str, Fingerprinted] = {}
        self.to_come = _to_come(site, now)
        self._shared: dict[str, tuple[object, ...]] = {}  # by template: see `shared`
        self._site_reads: SiteReads | None = None  # made when a template's reads are not in the memo
        self._blocks = BlockCheck(env)
        self._member_views: dict[tuple[str, bool], Fingerprinted] = {}
        self._recording: list[ReadRecorded] | None = None  # while a page that shows views is made
        self._keys_read: dict[tuple[str, ...], tuple[str, ...]] = {}  # each set of keys read, as one tuple
        posts = _checked(facts.posts) if CHECK_KEPT_RECIPES else facts.posts
        on_disk = cache.recipes_on_disk
        self.digests = RecipeDigests(cache.recipe_salt, self.view_inputs, posts=posts) if on_disk else None
        self.shapes = RecipeDigests(cache.recipe_salt, self.view_inputs, by_source=True) if self.digests else None
        self._by_source: dict[str, Entry] | None = None
        self._structure: str | None = None  # the digest of the site's structure (`structure`), once taken

    def entry(self, entry: Entry) -> Fingerprinted:
        """The entry's view, made once per build (and kept by earlier builds while the entry is the same)."""
        view = self._entry_views.get(entry.post.source)
        if view is None:
            image, to_come = self.view_inputs(entry)
            view = self.cache.views.get(entry.post.source, (entry, image, to_come), partial(self._view, entry, image))
            self._entry_views[entry.post.source] = view
        return view

    def shown(self, entry: Entry) -> Fingerprinted:
        """The entry's view on a page that shows views (`PagePlan.shows_views`), noting what its templates read."""
        view = self.entry(entry)
        if self._recording is None:
            return view
        recorded = ReadRecorded(view, entry.post.source)
        self._recording.append(recorded)
        return recorded

    def view_inputs(self, entry: Entry) -> tuple[Mapping[str, str], bool]:
        """What an entry's view is made from besides the entry: its image's attributes, and whether it is
        still to come (the view's `scheduled`)."""
        return self.post_images.get(entry.post.source, {}), bool(entry.post.date and entry.post.date > self.now)

    def _view(self, entry: Entry, image: Mapping[str, str]) -> Fingerprinted:
        return Fingerprinted(entry_view(entry, self.urls, self.now, image, show_date=self.words.date))

    def inputs(self, template: str, site_url: str, page: dict[str, Any], **context: Any) -> PageInputs:
        return PageInputs(template, output_path(site_url), {**context, "site": self.site_view, "page": page})

    def plan(self, site_url: str, recipe: tuple[object, ...], make: Callable[[], PageInputs], *, template: str,
             shows_views: bool = False) -> PagePlan:
        """The page at `site_url`, made by `make` with `template` from `recipe` (what the template reads of the
        site's view, what is still to come and the page's preview added; and the script of the old URLs with a
        query that it redirects, when it has one)."""
        recipe = (*recipe, self.shared(template), self.previews.of(site_url))
        script = self.query_scripts.get(url_key(as_page_path(site_url))) if self.query_scripts else None
        if script is not None:  # in the recipe and the context only then: other pages stay as they were
            recipe, make = (*recipe, script), partial(_with_query_script, make, script)
        return PagePlan(output_path(site_url), recipe, make, template, shows_views)

    def shared(self, template: str) -> tuple[object, ...]:
        """In the recipe of every page made with `template`: what its templates read of the site's view (all of
        it when that is not known, see `templates.reads`), and which posts it shows are still to come (their
        views say so). One object a template, so its digest is taken once."""
        made = self._shared.get(template)
        if made is None:
            keys = self.cache.kept_site_reads(template, partial(self._reads_of, template))
            read = self.view if keys is None else {key: self.view[key] for key in sorted(keys)}
            made = self._shared[template] = (read, self.to_come)
        return made

    def _reads_of(self, template: str) -> frozenset[str] | None:
        if self._site_reads is None:
            self._site_reads = SiteReads(self.env, self.view.keys())
        return self._site_reads.of(template)

    def render(self, plan: PagePlan) -> RenderedPage:
        """One page, unless the page on disk was made from the same recipe or inputs; a template's failure named."""
        cache, path = self.cache, plan.path
        recipe, entries = "", None
        if cache.remembers_pages:
            kept = cache.recipes.find(path, plan.recipe) or self._kept_alike(plan)
            if kept is not None and cache.kept_page_is_current(path, kept[0][0]):
                return RenderedPage(path, kept[0][0], None, reads=kept[0][1])
            recipe, entries = self._recipe(plan)
            known = cache.fingerprint_of_recipe(path, recipe) if recipe else None
            if known is not None and cache.page_is_current(path, known):  # an earlier process made it so
                return RenderedPage(path, known, None, recipe=recipe, entries=entries)
            copy = cache.kept_copy(known) if known is not None else None
            if copy is not None:  # its file is gone (a CI job's new output) or changed: made so before
                return RenderedPage(path, known or "", None, recipe=recipe, entries=entries, copy=copy)
            shown = self._kept_shown(plan)
            if shown is not None:
                return RenderedPage(path, shown.fingerprint, None, recipe=recipe, shown=shown, entries=entries,
                                    copy=self._copy_unless_current(path, shown.fingerprint))
        recording = self._recording = [] if plan.shows_views and cache.remembers_pages else None
        try:
            inputs = plan.make()
            if inputs.template != plan.template:
                raise AssertionError(f"{plan.path}: planned with {plan.template}, made with {inputs.template}")
            page_fingerprint = fingerprint([inputs.template, inputs.context]) if cache.remembers_pages else ""
            if page_fingerprint and cache.page_is_current(path, page_fingerprint):
                return RenderedPage(path, page_fingerprint, None, recipe=recipe, made=True, entries=entries)
            copy = cache.kept_copy(page_fingerprint) if page_fingerprint else None
            if copy is not None:
                return RenderedPage(path, page_fingerprint, None, recipe=recipe, made=True, entries=entries,
                                    copy=copy)
            html = self._render_template(inputs)
        finally:
            self._recording = None
        if isinstance(html, Problem):
            return RenderedPage(path, page_fingerprint, None, html, made=True)
        if QUERY_SCRIPT in inputs.context:
            html = with_script(html, inputs.context[QUERY_SCRIPT])
        reads = _reads(recording, self._keys_read)
        return RenderedPage(path, page_fingerprint, html.encode("utf-8"), recipe=recipe, reads=reads,
                            shown=self._shown(plan, page_fingerprint, reads), made=True, entries=entries)

    def _kept_alike(self, plan: PagePlan) -> tuple[KeptPage] | None:
        """For a page that shows views: what the last build kept for it, when its recipe differs only in
        entries of the same sources (in the same places) whose views hold what the page read of them before.
        A body edit leaves the lists that show the post, its title, date and excerpt, as they were."""
        last = self.cache.recipes.last(plan.path) if plan.shows_views else None
        if last is None:
            return None
        kept_recipe, (kept_fingerprint, reads) = last
        changed: list[Entry] = []
        if reads is None or not _alike(kept_recipe, plan.recipe, changed):
            return None
        for entry in changed:
            view = self.entry(entry)
            keys, tokens = reads.get(entry.post.source, ((), ()))
            if any(view.token(key) != token for key, token in zip(keys, tokens, strict=True)):
                return None
        return ((kept_fingerprint, reads),)

    def _kept_shown(self, plan: PagePlan) -> ShownReads | None:
        """For a page that shows many views, in `publisher build`: what the last build kept of it, when its recipe
        has the same shape, its page is on disk as written, and each entry it showed has the same digest or
        a view with the same values where the page read it (see `ShownReads`); with the entries' digests now."""
        kept = self.cache.shown_reads(plan.path) if plan.shows_views and self.shapes is not None else None
        if kept is None or self.shapes is None or self.digests is None or self.shapes.of(plan.recipe) != kept.shape:
            return None
        if not (self.cache.page_is_current(plan.path, kept.fingerprint) or self.cache.kept_copy(kept.fingerprint)):
            return None
        by_source = self._entries_by_source()
        entries = {}
        for source, (entry_digest, keys, values) in kept.entries.items():
            entry = by_source.get(source)
            if entry is None:
                return None
            digest_now = self.digests.entry(entry)
            if digest_now != entry_digest and self._values_now(entry, keys) != values:
                return None
            entries[source] = (digest_now, keys, values)
        return ShownReads(kept.shape, kept.fingerprint, entries)

    def _copy_unless_current(self, path: str, page_fingerprint: str) -> str:
        """The kept copy of the page at `path`, when its file is not as written with this fingerprint; else ""."""
        if self.cache.page_is_current(path, page_fingerprint):
            return ""
        return self.cache.kept_copy(page_fingerprint) or ""

    def _values_now(self, entry: Entry, keys: tuple[str, ...]) -> str | None:
        """The digest of the entry's view's values at `keys` (None: a key the view does not have)."""
        view = self.entry(entry)
        try:
            return _values_digest([view.token(key) for key in keys])
        except KeyError:
            return None

    def _shown(self, plan: PagePlan, page_fingerprint: str, reads: Reads | None) -> ShownReads | None:
        """What a page that shows many views read of them, for `_kept_shown` in the next build."""
        if self.shapes is None or self.digests is None or reads is None or len(reads) < MANY_VIEWS:
            return None
        shape, by_source = self.shapes.of(plan.recipe), self._entries_by_source()
        if shape is None or not all(source in by_source for source in reads):
            return None
        entries = {source: (self.digests.entry(by_source[source]), keys, _values_digest(tokens))
                   for source, (keys, tokens) in reads.items()}
        return ShownReads(shape, page_fingerprint, entries)

    def take_structure(self) -> None:
        """The site's structure and so each entry's digest (`structure`), taken before the page workers fork: each
        would take them again, and this process keeps them with the pages' records. (The first page rendered here
        has taken them already; this says so where the workers start.)"""
        if self.digests is not None:
            self.structure()

    def _entries_by_source(self) -> dict[str, Entry]:
        if self._by_source is None:
            site = self.site
            self._by_source = {entry.post.source: entry for entry in (*site.posts, *site.pages, *site.offers)}
        return self._by_source

    def _blocks_shown(self, template: str) -> bool:
        return self._blocks.first_unshown(template) is None

    def _render_template(self, inputs: PageInputs) -> str | Problem:
        """The page's HTML, or the problem of the template that failed."""
        if not self.cache.kept_blocks_shown(inputs.template, partial(self._blocks_shown, inputs.template)):
            unshown = self._blocks.first_unshown(inputs.template)
            if unshown is not None:
                return unshown.problem(self.cfg.root)
        try:
            return self.env.get_template(inputs.template).render(inputs.context)
        except (jinja2.TemplateError, RecursionError) as exc:  # RecursionError: templates including each other
            return template_error(exc, self.cfg.root).problem
        except (TypeError, ValueError, AttributeError, KeyError) as exc:
            # Raised from inside a template (a filter given the wrong value): name the template.
            error = template_error(exc, self.cfg.root)
            if error.problem.line is None:
                raise
            return error.problem

    def _recipe(self, plan: PagePlan) -> tuple[str, HeldEntries | None]:
        """The digest of the page's recipe ("": none, see `pages.recipes`) and the sources of the entries it holds:
        as the last build recorded them when the site's structure and each of those entries are as they were
        then (a page that does not show an edited post), without a walk through the recipe."""
        if self.digests is None:
            return "", None
        kept = self.cache.unchanged_recipe(plan.path, self.structure(), self._entry_digest)
        if kept is not None and not CHECK_KEPT_RECIPES:
            return kept
        made = self.digests.with_entries(plan.recipe)
        if kept is not None and made != (kept[0], self.cache.kept_sources(kept[1])):
            raise AssertionError(f"{plan.path}: its recipe was taken as kept, but it is another: {kept} {made}")
        return made or ("", None)

    def structure(self) -> str:
        """The digest of the site's structure (`RecipeDigests.structure`), taken once, and kept by the cache with
        each entry's digest."""
        if self._structure is None:
            assert self.digests is not None
            site, previews = self.site, self.previews
            entries = (*site.posts, *site.pages, *site.offers)
            self._structure = self.digests.structure(entries, self.view, self.to_come, site.ctas, previews.by_url,
                                                     previews.default)
            self.cache.remember_structure(self._structure, {e.post.source: self.digests.entry(e) for e in entries})
        return self._structure

    def _entry_digest(self, source: str) -> str | None:
        entry = self._entries_by_source().get(source)
        return None if entry is None or self.digests is None else self.digests.entry(entry)

    def pages(self) -> Iterator[PagePlan]:
        """Every page: home, posts, pages, offers, tags, authors, archive, 404, search."""
        yield from self.home_pages()
        yield from map(self.entry_page, (*self.site.posts, *self.site.pages))
        yield from self.offers()
        yield from self.site_pages()

    def pages_at(self, paths: Set[str]) -> Iterator[PagePlan]:
        """The pages of `pages()` at these output paths: posts and pages found by their URLs, the others by
        going through them (only when a path is left)."""
        urls = {url for path in paths for url in site_urls(path)}
        entries = [entry for entry in (*self.site.posts, *self.site.pages) if entry.post.url in urls]
        yield from map(self.entry_page, entries)
        left = paths - {output_path(entry.url) for entry in entries}
        if left:
            yield from (plan for plan in chain(self.home_pages(), self.offers(), self.site_pages())
                        if plan.path in left)

    def entry_page(self, entry: Entry) -> PagePlan:
        """A post's page, or a page of `content/pages/`."""
        site = self.site
        if entry.post.kind == "post":
            return self.plan(entry.url, ("post", entry, site.placement(entry), site.related.get(entry.post.source)),
                             partial(self.post, entry), template="post.html")
        return self.plan(entry.url, ("page", entry, site.placement(entry)), partial(self.standalone, entry),
                         template="page.html")

    def site_pages(self) -> Iterator[PagePlan]:
        """The site's own pages: tags, authors, archive, 404, search."""
        cfg, site = self.cfg, self.site
        yield self.plan(TAGS, ("tags", *map(_shown, site.tags)), self.tags_page, template="tags.html")
        yield from self.groups("tag", site.tags, with_feeds=cfg.feeds.per_tag)
        yield self.plan(AUTHORS, ("authors", *map(_shown, site.authors)), self.authors_page, template="authors.html")
        yield from self.groups("author", site.authors, with_feeds=False)
        yield self.plan(ARCHIVE, ("archive", site.years), self.archive_page, template="archive.html",
                        shows_views=True)
        yield self.plan(NOT_FOUND, ("404", site.posts[:5]), self.not_found_page, template="404.html",
                        shows_views=True)
        if offers_search(cfg, site):
            yield self.plan(SEARCH, ("search",), self.search, template="search.html")

    def standalone(self, entry: Entry) -> PageInputs:
        """A page of `content/pages/`."""
        meta = self.meta.entry(entry, self.crumbs(self.site.placement(entry).breadcrumbs))
        return self.inputs("page.html", entry.url, self.own_page("page", entry, meta),
                           entry=self.entry(entry), cta=self.cta(entry))

    def tags_page(self) -> PageInputs:
        words, site = self.words, self.cfg.title
        return self.listing("tags", words.text("tags"), TAGS, words.text("tags_lede", site=site),
                            [HOME_CRUMB, TAGS_CRUMB], tags=[group_view(g, self.urls) for g in self.site.tags])

    def authors_page(self) -> PageInputs:
        words, site = self.words, self.cfg.title
        return self.listing("authors", words.text("authors"), AUTHORS, words.text("authors_lede", site=site),
                            [HOME_CRUMB, AUTHORS_CRUMB], authors=[group_view(g, self.urls) for g in self.site.authors])

    def archive_page(self) -> PageInputs:
        years = [{"year": g.name, "anchor": g.key, "posts": [self.shown(e) for e in g.posts]} for g in self.site.years]
        words = self.words
        return self.listing("archive", words.text("archive"), ARCHIVE,
                            words.text("archive_description", site=self.cfg.title), [HOME_CRUMB, ARCHIVE_CRUMB],
                            years=years)

    def not_found_page(self) -> PageInputs:
        """The page hosts answer a missing URL with. Kept out of search engines (`noindex`): hosts serve it with
        a 404 status there, but at its own address (`/404.html`) with a 200, which would get it indexed."""
        title = self.words.text("not_found")
        meta = {**self.meta.listing("404", title, NOT_FOUND, "", []), "robots": "noindex"}
        return self.inputs("404.html", NOT_FOUND, self.page("404", title, NOT_FOUND, meta),
                           recent=[self.shown(e) for e in self.site.posts[:5]])

    def home_pages(self) -> Iterator[PagePlan]:
        for pager in paginate(self.site.posts, HOME, self.cfg.posts_per_page):
            yield self.plan(pager.url, ("home", pager), partial(self.home_page, pager), template="home.html",
                            shows_views=True)

    def home_page(self, pager: Pager) -> PageInputs:
        cfg = self.cfg
        first = pager.number == 1
        title = cfg.title if first else self.words.text("page_title", title=cfg.title,
                                                        number=self.words.number(pager.number))
        meta = self.meta.listing("home" if first else "home-page", title, pager.url, cfg.description,
                                 self.crumbs([HOME_CRUMB]))
        return self.inputs("home.html", pager.url, self.page("home", title, pager.url, meta),
                           posts=[self.shown(e) for e in pager.items], pagination=pager_view(pager, self.urls))

    def listing(self, kind: str, title: str, site_url: str, description: str, crumbs: list[Crumb],
                **context: Any) -> PageInputs:
        """A page of the site's own (tags, authors, archive, 404), from the template named after its kind."""
        meta = self.meta.listing(kind, title, site_url, description, self.crumbs(crumbs))
        return self.inputs(f"{kind}.html", site_url, self.page(kind, title, site_url, meta), **context)

    def crumbs(self, trail: Iterable[Crumb]) -> list[Crumb]:
        """A breadcrumb trail, each step the theme names (Home) named in the site's language."""
        return [dataclasses.replace(crumb, name=self.words.text(crumb.word)) if crumb.word else crumb
                for crumb in trail]

    def search(self) -> PageInputs:
        """The search page: Pagefind's own interface over the index `pages.search` makes. Kept out of search
        engines (`noindex`): it holds nothing until a reader types."""
        title = self.words.text("search_title")
        description = self.words.text("search_description", site=self.cfg.title)
        crumbs = self.crumbs([HOME_CRUMB, Crumb(title, SEARCH)])
        meta = {**self.meta.listing("search", title, SEARCH, description, crumbs), "robots": "noindex"}
        return self.inputs("search.html", SEARCH, self.page("search", title, SEARCH, meta),
                           bundle_url=self.urls.path(SEARCH_BUNDLE), parts_url=self.urls.path(SEARCH_MODULE))

    def post(self, entry: Entry) -> PageInputs:
        placed = self.site.placement(entry)
        cta = self.cta(entry)
        inline = None
        if cta is not None and placed.inline_cta_at is not None:
            inline = _split_html(entry, placed.inline_cta_at)
        crumbs = self.crumbs(placed.breadcrumbs)
        meta = self.meta.entry(entry, crumbs)
        return self.inputs("post.html", entry.url, self.own_page("post", entry, meta),
                           post=self.entry(entry), newer=placed.newer and self.entry(placed.newer),
                           older=placed.older and self.entry(placed.older), cta=cta, inline_cta=inline,
                           breadcrumbs=[{"name": c.name, "url": self.urls.path(c.url)} for c in crumbs],
                           cluster=placed.cluster and self.cluster(placed.cluster, entry),
                           related=[self.entry(e) for e in self.site.related.get(entry.post.source, ())])

    def offers(self) -> Iterator[PagePlan]:
        """Each offer: a landing page with its form, and a thank-you page that delivers the asset."""
        for entry in self.site.offers:
            placed = self.site.placement(entry)
            yield self.plan(entry.url, ("offer", entry, placed), partial(self.offer, entry), template="offer.html")
            yield self.plan(placed.thanks_url, ("thanks", entry, placed, self.previews.of(entry.url)),
                            partial(self.offer_thanks, entry), template="offer_thanks.html")

    def offer(self, entry: Entry) -> PageInputs:
        placed = self.site.placement(entry)
        meta = self.meta.entry(entry, self.crumbs(placed.breadcrumbs), noindex=self.cfg.offers.noindex)
        return self.inputs("offer.html", entry.url, self.own_page("offer", entry, meta),
                           entry=self.entry(entry), cta=self.cta(entry))

    def offer_thanks(self, entry: Entry) -> PageInputs:
        thanks = self.site.placement(entry).thanks_url
        meta = self.meta.entry(entry, self.crumbs(self.site.placement(entry).thanks_breadcrumbs), noindex=True)
        title = self.words.text("thanks_title", title=entry.post.title)
        return self.inputs("offer_thanks.html", thanks, self.page("thanks", title, thanks, meta),
                           entry=self.entry(entry), asset_url=self.urls.path(entry.post.asset))

    def cta(self, entry: Entry) -> dict[str, Any] | None:
        """The CTA view for a page: the form's hidden fields name this post, CTA and page."""
        placed = self.site.placement(entry)
        if placed.cta is None:
            return None
        return cta_view(placed.cta, entry, self.urls, thanks_url=placed.thanks_url)

    def cluster(self, place: ClusterPlace, current: Entry) -> dict[str, Any]:
        """The topic cluster a post belongs to (or leads, for its pillar), for navigation: the members its page
        lists (`ClusterPlace`), the place of the first of them in the reading path, and how many there are."""
        return {
            "pillar": self.entry(place.pillar),
            "is_pillar": place.pillar is current,
            "members": [self.member(e, current=e is current) for e in place.shown],
            "first": place.first,
            "count": place.count,
            "complete": place.complete,
        }

    def member(self, entry: Entry, *, current: bool) -> Fingerprinted:
        """A cluster member's view, saying whether it is the page being shown; each made once per build."""
        key = (entry.post.source, current)
        view = self._member_views.get(key)
        if view is None:
            view = self._member_views[key] = Fingerprinted(self.entry(entry), current=current)
        return view

    def own_page(self, kind: str, entry: Entry, meta: dict[str, Any]) -> dict[str, Any]:
        """`page` for a post's, page's or offer's own page: its title and URL, and where its source is edited."""
        return self.page(kind, entry.post.title, entry.url, meta, entry.post.source)

    def page(self, kind: str, title: str, site_url: str, meta: dict[str, Any], source: str = "") -> dict[str, Any]:
        """`page` for a template; `source`: the file a post, page or offer is made from, for its edit link."""
        return page_view(kind, title, site_url, self.urls, meta, file_edit_url(self.cfg.edit_url, source))

    def groups(self, kind: str, groups: tuple[Group, ...], *, with_feeds: bool) -> Iterator[PagePlan]:
        """Each tag's or author's pages (`tag.html`, `author.html`), paginated."""
        for group in groups:
            for pager in paginate(group.posts, group.url, self.cfg.posts_per_page):
                yield self.plan(pager.url, (kind, _shown(group), pager, with_feeds),
                                partial(self.group_page, kind, group, pager, with_feeds=with_feeds),
                                template=f"{kind}.html", shows_views=True)

    def group_page(self, kind: str, group: Group, pager: Pager, *, with_feeds: bool) -> PageInputs:
        crumbs = [HOME_CRUMB, TAGS_CRUMB if kind == "tag" else AUTHORS_CRUMB]
        feeds = feed_links(group.url, f"{self.cfg.title}: {group.name}", self.urls) if with_feeds else []
        description = (group.author.bio if group.author and group.author.bio
                       else self.words.text(f"{kind}_description", name=group.name, site=self.cfg.title))
        title = group.name if pager.number == 1 else self.words.text("page_title", title=group.name,
                                                                      number=self.words.number(pager.number))
        trail = self.crumbs([*crumbs, Crumb(group.name, group.url)])
        meta = self.meta.listing(kind, title, pager.url, description, trail, feeds)
        return self.inputs(f"{kind}.html", pager.url, self.page(kind, title, pager.url, meta),
                           **{kind: group_view(group, self.urls)}, posts=[self.shown(e) for e in pager.items],
                           pagination=pager_view(pager, self.urls))


TAGS_CRUMB, AUTHORS_CRUMB = Crumb("Tags", TAGS, word="tags"), Crumb("Authors", AUTHORS, word="authors")
ARCHIVE_CRUMB = Crumb("Archive", ARCHIVE, word="archive")


def _words_of(env: jinja2.Environment) -> Words:
    """The theme's words the templates of `env` write (`make_environment`): the build writes the same in the
    pages' titles and breadcrumbs."""
    words = env.globals["i18n"]
    assert isinstance(words, Words)
    return words


def _shown(group: Group) -> tuple[object, ...]:
    """What a page shows of a tag or author beyond the posts on it (see `group_view`)."""
    return group.key, group.name, group.url, len(group.posts), group.author


QUERY_SCRIPT = "_query_redirects"  # the context's key for a page's script (`query_script`), which no template reads


def _query_scripts(site: Site, urls: Urls) -> dict[str, str]:
    """The script of each page of the build that old URLs with a query redirect from, by its path's key."""
    return {key: script.element for key, script in page_scripts(site.query_redirects, urls).items()}


def _with_query_script(make: Callable[[], PageInputs], script: str) -> PageInputs:
    """The page's inputs, with the script of its query redirects (so a change to them changes its fingerprint)."""
    inputs = make()
    return dataclasses.replace(inputs, context={**inputs.context, QUERY_SCRIPT: script})


def _alike(kept: object, new: object, changed: list[Entry]) -> bool:
    """Whether two recipes are the same but for entries of the same sources in the same places (those of `new`
    are added to `changed`): tuples and lists item by item, dataclasses field by field, else by value."""
    if kept is new:
        return True
    if type(kept) is not type(new):
        return False
    if isinstance(kept, Entry) and isinstance(new, Entry):
        changed.append(new)
        return kept.post.source == new.post.source
    if isinstance(kept, (tuple, list)) and isinstance(new, (tuple, list)):
        return len(kept) == len(new) and all(_alike(a, b, changed) for a, b in zip(kept, new, strict=True))
    if dataclasses.is_dataclass(kept) and not isinstance(kept, type):
        return all(_alike(getattr(kept, f.name), getattr(new, f.name), changed) for f in dataclasses.fields(kept))
    return kept == new


def _reads(recording: list[ReadRecorded] | None, keys_read: dict[tuple[str, ...], tuple[str, ...]]) -> Reads | None:
    """What a page's templates read of each view it was given, by the entry's source; each set of keys as the
    tuple `keys_read` holds for it (added when new)."""
    if recording is None:
        return None
    reads: dict[str, dict[str, Any]] = {}
    for view in recording:
        reads.setdefault(view.source, {}).update(view.read)
    return {source: (keys_read.setdefault(keys := tuple(read), keys), tuple(read.values()))
            for source, read in reads.items()}


def _values_digest(tokens: Iterable[Any]) -> str:
    """The digest of the values a page read of a view (by `Fingerprinted.token`): of their `repr`, which tells a
    `str` from a `Markup` and shows every field of a plain value (one whose `repr` shows an address differs
    from build to build: the page is made again, never kept wrongly)."""
    return digest(repr(tuple(tokens)))


def _split_html(entry: Entry, at: int) -> Fingerprinted:
    """The post's HTML before and after `at`, read from the spool only when the template shows them."""
    def part(before: bool) -> Deferred:
        key = f"{entry.html_digest}:{at}:{'before' if before else 'after'}"
        return Deferred(key, lambda: Markup(entry.html[:at] if before else entry.html[at:]))

    return Fingerprinted({"before": part(True), "after": part(False)})


def output_path(site_url: str) -> str:
    """`/a/b/` -> `a/b/index.html`; `/404.html` -> `404.html`; `/a/b` -> `a/b.html`, which GitHub Pages,
    Netlify, Cloudflare Pages and `publisher serve` answer for `/a/b` (Jekyll's rule for such permalinks)."""
    path = site_url.lstrip("/")
    if path == "" or path.endswith("/"):
        return path + "index.html"
    return path if "." in path.rsplit("/", 1)[-1] else path + ".html"


def site_urls(path: str) -> tuple[str, ...]:
    """Each site URL that `output_path` takes to `path`."""
    if path.endswith("index.html"):
        return (f"/{path.removesuffix('index.html')}", f"/{path}")
    return (f"/{path}", f"/{path.removesuffix('.html')}")


def is_published(rel: Path) -> bool:
    """Whether a file of a static folder (its path from there) is published: not a hidden one (`.DS_Store`,
    `.gitkeep`, an editor's swap file), except in `.well-known/`, the folder a host's other services read
    (RFC 8615: `security.txt`, Android's `assetlinks.json`, Apple's `apple-app-site-association`, the
    `atproto-did` that makes the site's domain a Bluesky handle)."""
    parts = rel.parts[1:] if rel.parts[:1] == (WELL_KNOWN,) else rel.parts
    return not any(part.startswith(".") for part in parts)


def static_files(theme: Theme, cfg: SiteConfig) -> Iterator[OutputFile]:
    """Theme static files, then the site's `static/`, which wins on the same path; a link out of the site's
    folder (or the theme's) is not followed (`core.owned`). Each is published at its path in NFC, as Hugo
    publishes names: a Mac names a file `café.png` with `e` and a combining accent (NFD), a git checkout on Linux
    keeps that name, and the page's `/img/café.png`, typed as `é`, then named no file of a Linux host's."""
    chosen: dict[str, Path] = {}
    folders = (*reversed(theme.static_dirs), cfg.static_dir)
    own = OwnFiles(folders)
    for folder in folders:
        if not folder.is_dir():
            continue
        mine: dict[str, Path] = {}
        for path in folder.rglob("*"):
            if own.owns(folder, path) and is_published(path.relative_to(folder)):
                _choose_once(mine, folder, path)
        chosen.update(mine)
    for rel in sorted(chosen):
        yield OutputFile(rel, source=chosen[rel])


def _choose_once(chosen: dict[str, Path], folder: Path, path: Path) -> None:
    """`chosen[its path from folder, in NFC] = path`, unless another file of `folder` has this path in another
    Unicode form: an error naming both, as a Mac holds one file for the two, and one URL would publish both."""
    rel = nfc(path.relative_to(folder).as_posix())
    other = chosen.setdefault(rel, path)
    if other != path:
        mac, typed = sorted((path.relative_to(folder).as_posix(), other.relative_to(folder).as_posix()),
                            key=is_nfc)  # the path not in NFC first
        raise ContentError((folder / mac).as_posix(), None, "path", (
            f"{rel} is there twice, its name in two Unicode forms ({mac!a}, an accent apart as macOS writes names, "
            f"and {typed!a}): a Mac holds one file for both, and both would be published at one URL (remove one of "
            "them)"))
