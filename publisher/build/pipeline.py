"""A build, stage by stage: config, sources, posts, HTML, site, files, output.

Read it top to bottom: each stage takes plain data and returns new data; only
discovery, theme loading and the writer touch the file system.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from publisher.build.bodies import Progress, bodies_to_html, pitches_to_html
from publisher.build.cache import BuildCache
from publisher.build.inputs import Changes, FileStates, PendingListing, Stat
from publisher.build.launch import EarlyIndex, Launch
from publisher.build.model import SiteModel
from publisher.build.options import CACHE_NAME, OUTPUT_NAME, BuildOptions
from publisher.build.persisted import KeptModel
from publisher.build.published import LOCK_NAME, keep_first_ids, published_paths, record_published
from publisher.build.search import PendingIndex, with_search_index
from publisher.build.sources import SourceBodies, SourceMemos, read_input
from publisher.build.uptodate import INDEX_PENDING, OutputDigests, Stamp, span
from publisher.config.model import SiteConfig
from publisher.config.reader import read_config, with_setting_lines
from publisher.content.ctas import Cta
from publisher.content.discovery import HIDDEN, files_not_read
from publisher.content.image_urls import as_image_url
from publisher.content.links import is_external
from publisher.content.model import FOLDERS, Entry, Post
from publisher.content.shortcodes import Shortcodes, expand_all
from publisher.core.cpus import NO_WORKERS, Workers, worker_plan
from publisher.core.errors import BuildFailed, ContentError, Problem, Problems
from publisher.core.files import file_state, why_not_a_file
from publisher.core.hashing import digest, tree_digest
from publisher.core.owned import OwnFiles, inside, links_below, links_out, owner_of
from publisher.core.portable import case_clashes, is_lower_ascii, windows_trouble
from publisher.core.slugs import url_key
from publisher.core.spool import DamagedSpool
from publisher.editorial.outputs import editorial_files
from publisher.feeds.sitemap import sitemap_files
from publisher.feeds.sitemap_split import PROTOCOL_LIMITS
from publisher.feeds.syndication import feed_files
from publisher.images.facts import ImageInfo, Photo, image_names, measure_images
from publisher.images.responsive import (
    WIDE_SIZES,
    ImageFacts,
    Original,
    Variant,
    image_attributes,
    image_variant_files,
    url_path,
)
from publisher.images.svgscripts import svg_script_warnings
from publisher.markdown.engines import engine_version
from publisher.markdown.result import RESULT_FORMAT
from publisher.output.files import OutputFile
from publisher.output.private import remove_private, sync_private_folder, write_private
from publisher.output.walk import EarlyWalk
from publisher.output.writer import WriteStats, undo_ahead, write_ahead, write_output
from publisher.pages.redirects import redirect_files
from publisher.pages.render import EntryFacts, is_published, output_path, render_ahead, render_pages, site_urls
from publisher.pages.search import SEARCH_FOLDER, IndexAhead, SearchPages, Shards, program_stamp, search_warnings
from publisher.share.outputs import private_share_files, share_files
from publisher.share.plan import ShareMemos, SharePlan, plan_share
from publisher.share.templates import ShareTemplates
from publisher.site.model import Selection, Site
from publisher.site.selection import SiteMemos, build_site
from publisher.templates.bodies import body_environment
from publisher.templates.i18n import FOLDER as I18N
from publisher.templates.i18n import load_words, settings_with_words
from publisher.templates.theme import Theme, load_theme

if TYPE_CHECKING:
    from publisher.images.previews import PreviewMemos, Previews


@dataclass(frozen=True, slots=True)
class BuildSummary:
    """What a build reports, as plain data; kept with the stamp so a skipped build reports it too."""

    posts: int
    pages: int
    tags: int
    authors: int
    hidden_drafts: int
    hidden_future: int
    next_post: tuple[str, str] | None  # (date, source) of the next scheduled post
    share_items: int
    share_networks: int
    share_upcoming: int
    next_share: str | None  # when the next share item falls due
    warnings: tuple[Problem, ...]
    files: int  # in the output folder

    @classmethod
    def of(cls, site: Site, share: SharePlan, warnings: list[Problem], files: int) -> BuildSummary:
        upcoming = share.upcoming()
        nxt = site.next_scheduled
        return cls(
            posts=len(site.posts),
            pages=len(site.pages),
            tags=len(site.tags),
            authors=len(site.authors),
            hidden_drafts=site.hidden_drafts,
            hidden_future=site.hidden_future,
            next_post=(nxt.post.date.isoformat(), nxt.post.source) if nxt and nxt.post.date else None,
            share_items=len(share.items),
            share_networks=len(share.networks),
            share_upcoming=len(upcoming),
            next_share=upcoming[0].scheduled.isoformat() if upcoming else None,
            warnings=tuple(warnings),
            files=files,
        )

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "warnings": [asdict(w) for w in self.warnings]}

    @classmethod
    def from_json(cls, data: Any) -> BuildSummary | None:
        try:
            return cls(**{**data, "next_post": data["next_post"] and tuple(data["next_post"]),
                          "warnings": tuple(Problem(**w) for w in data["warnings"])})
        except (KeyError, TypeError):
            return None


@dataclass(frozen=True, slots=True)
class BuildReport:
    config: SiteConfig
    site: Site
    share: SharePlan
    summary: BuildSummary
    output_dir: Path
    stats: WriteStats
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    previews: Previews | None = None  # each page's link-preview image
    search_index: PendingIndex | None = None  # with `search_later`: the search index, still to write
    workers: Workers = NO_WORKERS  # the processes each of its pools could start (`worker_plan`), and why

    @property
    def warnings(self) -> list[Problem]:
        return list(self.summary.warnings)


@dataclass(frozen=True, slots=True)
class UpToDate:
    """A build that was skipped: nothing it reads changed since the last one, which is still right."""

    output_dir: Path
    summary: BuildSummary
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    search_index: PendingIndex | None = None  # with `search_later`: the pages' index, still to make and write


@dataclass(frozen=True, slots=True)
class Ahead:
    """Pages to write before the rest of the build, for a writer who waits on them (`serve`): the pages of the
    posts and pages whose files changed, and those at `open_pages` (the URL paths open in a browser). A build
    that gets this far tells `written` which of them changed (their output paths), then goes on."""

    open_pages: frozenset[str]
    written: Callable[[list[str]], None]


@dataclass(frozen=True, slots=True)
class _Start:
    """What every build needs before it reads content: settings, theme, cache, now, the inputs' stamp."""

    options: BuildOptions
    cfg: SiteConfig
    problems: Problems  # the config's, so far
    theme: Theme
    cache: BuildCache
    now: datetime
    files: FileStates  # every file the build may read
    inputs: PendingListing  # their digest, with the options'
    changed: bool  # a watcher's report changed some file's state since the last build's listing (`serve`)
    code: str  # what tells publisher's code from another (`_code_digest`)
    edited: frozenset[str] = frozenset()  # the files a watcher saw change, by name from the site's folder
    walk: EarlyWalk | None = None  # the output, walked meanwhile when the model does not know it (`_walk_early`)
    workers: Workers = NO_WORKERS  # processes each pool starts (`worker_plan`), read once a build

    @property
    def static_dirs(self) -> list[Path]:
        """Folders of files published as they are (`static_folders`)."""
        return static_folders(self.cfg, self.theme)


def static_folders(cfg: SiteConfig, theme: Theme) -> list[Path]:
    """Folders of files published as they are: the theme's (default theme first), then the site's (wins)."""
    return [*reversed(theme.static_dirs), cfg.static_dir]


def build(options: BuildOptions, progress: Progress | None = None, model: SiteModel | None = None,
          changes: Changes | None = None) -> BuildReport:
    """Build the site; raises BuildFailed with every problem found, leaving the output untouched.

    `model`: what earlier builds of this process made (`serve` keeps one), reused where its inputs are equal;
    `changes`: what a file watcher saw change since the model's last build (see `build.inputs`)."""
    def once() -> BuildReport:
        lap = _Stopwatch()
        return _build_settling(_start(options, lap, model, changes, walk=True), lap, progress)

    return _again_if_damaged(once, options, model)


def build_if_changed(options: BuildOptions, progress: Progress | None = None, model: SiteModel | None = None,
                     changes: Changes | None = None, ahead: Ahead | None = None, early: EarlyIndex | None = None
                     ) -> BuildReport | UpToDate:
    """`build`, unless nothing it reads changed since the last build and that output is still right.
    `ahead`: pages to write first, as soon as the site is known (`serve`; see `Ahead`); `early`: Pagefind's early
    run, as the command started it before it loaded the build (`publisher build`; see `build.launch`).

    With `search_later` (`serve`), pages that are right with their search index still to make (a `serve`
    stopped while Pagefind ran) are up to date too: the index is left to `UpToDate.search_index`."""
    started = [early]

    def once() -> BuildReport | UpToDate:
        given, started[0] = started[0], None  # Pagefind's early run: the first attempt's alone
        return _build_if_changed(options, progress, model, changes, ahead, given)

    return _again_if_damaged(once, options, model)


Built = TypeVar("Built", BuildReport, BuildReport | UpToDate)


def _again_if_damaged(attempt: Callable[[], Built], options: BuildOptions, model: SiteModel | None) -> Built:
    """`attempt()`, made once more when a finished body it read from the cache was not as written there (its
    digest differs: the cache's file was damaged since): that attempt stops, leaving the output as it was, the
    cache's finished bodies are dropped (and everything `model` holds), and the build is made again from the
    posts' Markdown. A cache is never trusted to hold what it says."""
    try:
        try:
            return attempt()
        except DamagedSpool:
            cache = BuildCache(options.cache_folder(), options.output_dir())
            if cache.bodies_path is not None:
                cache.bodies_path.unlink(missing_ok=True)
            if model is not None:
                model.begin(f"{model.salt} damaged")  # forgets every result, the bodies with the rest
            return attempt()
    except BuildFailed as failed:  # a setting's problem found past the settings (`[redirects]`): at its line
        raise BuildFailed(with_setting_lines(failed.problems, options.config),
                          with_setting_lines(failed.warnings, options.config)) from None


def _build_if_changed(options: BuildOptions, progress: Progress | None, model: SiteModel | None,
                      changes: Changes | None, ahead: Ahead | None, early: EarlyIndex | None
                      ) -> BuildReport | UpToDate:
    lap = _Stopwatch()
    try:
        start = _start(options, lap, model, changes, walk=True)
        try:
            skipped = _up_to_date(start, lap)
        except BaseException:
            _close(start.walk)
            raise
    except BaseException:
        _close(early)
        raise
    if skipped is not None:
        _close(start.walk, early)
        return skipped
    return _build_settling(start, lap, progress, ahead, early)


def _up_to_date(start: _Start, lap: _Stopwatch) -> UpToDate | None:
    """The build skipped, when nothing it reads changed since the last one and that output is still right."""
    stamp, summary = start.cache.stamp, BuildSummary.from_json(start.cache.summary)
    # A save that changed a file's size or time is never up to date: its digest is made after the pages ahead.
    if stamp is None or summary is None or start.problems.errors or start.changed:
        return None
    output = stamp.covers(start.inputs.get(), start.now, partial(OutputDigests.of, start.cfg.output_dir, SEARCH_FOLDER))
    if output is None:
        return None
    if stamp.index == output.index:
        lap("up to date")
        return UpToDate(start.cfg.output_dir, summary, lap.elapsed(), lap.timings)
    if start.options.search_later and stamp.index == INDEX_PENDING:
        lap("up to date")
        return UpToDate(start.cfg.output_dir, summary, lap.elapsed(), lap.timings,
                        _index_of_pages_on_disk(start, stamp))
    return None


def _close(*started: EarlyWalk | EarlyIndex | IndexAhead | None) -> None:
    """End what was started early for a build that does not go on."""
    for each in started:
        if each is not None:
            each.close()


def _index_of_pages_on_disk(start: _Start, stamp: Stamp) -> PendingIndex:
    """The search index still to make for the pages the output holds, which `stamp` says are right."""
    out = start.cfg.output_dir

    def record(complete: bool) -> None:  # the pages are recorded already
        if complete:
            start.cache.save_stamp(stamp.with_index(OutputDigests.of(out, SEARCH_FOLDER).index))

    pages = SearchPages.in_output(out, Shards(start.cfg.search.shard_size, start.cache.search_store,
                                              start.cache.model.whole_bundles))
    return PendingIndex(pages, start.cfg, _is_default_output(start.cfg), record)


def _build_settling(start: _Start, lap: _Stopwatch, progress: Progress | None, ahead: Ahead | None = None,
                    started: EarlyIndex | None = None) -> BuildReport:
    """`_build`, then the model keeps what the build made (all of it, or what it made before it stopped);
    a build with no model of its own (`publisher build`) starts from the one kept on disk and keeps its own.
    One that does not know its output from its last write walks the output meanwhile (`_Start.walk`).
    Pagefind's early run: as `started` (before the build was loaded), else started now, before the build reads
    its kept model (its decode takes 0.3 s at 10,000 posts), unless pages are written ahead (`serve`)."""
    walk = start.walk
    early = None
    try:
        if ahead is None:
            early = (started or EarlyIndex.start(start.options)).run
        else:
            _close(started)
        kept = _kept_model(start)
    except BaseException:
        _close(early, walk)
        raise
    try:
        report = _build(start, lap, progress, ahead, walk, early)
    except BaseException:
        start.cache.model.settle(complete=False)
        undo_ahead(start.cfg.output_dir, start.cache.written_ahead)  # the output as it was
        raise
    else:
        start.cache.model.settle(complete=True)
        if kept is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written: the next build parses again
                kept.save(start.cache.model)
            _leave_launch(start, report.site)
    finally:
        if kept is not None:
            kept.close()
        if walk is not None:
            walk.close()
    return report


def _leave_launch(start: _Start, site: Site) -> None:
    """What the next `publisher build` into this output starts Pagefind early by (see `build.launch`), when this
    one made a search index with its pages."""
    cfg, folder = start.cfg, start.cache.folder
    if folder is None or not cfg.search.enabled or start.options.search_later or start.options.search_parts:
        return
    settings = (start.options.config, *start.theme.dirs)
    pages = {entry.post.source: output_path(entry.post.url) for entry in (*site.posts, *site.pages)}
    Launch(cfg.search.shard_size, tuple(str(path.resolve()) for path in settings), pages).keep(folder, cfg.output_dir)


def _kept_model(start: _Start) -> KeptModel | None:
    """The model on disk, read into the build's own when it has none from earlier builds (not `serve`'s)."""
    path, bodies = start.cache.model_path, start.cache.bodies_path
    if path is None or bodies is None or not start.cache.own_model:
        return None
    return KeptModel.open(path, bodies, _model_salt(start), start.cache.model)


def _model_salt(start: _Start) -> str:
    """What the model kept on disk is made under: the build's settings and templates, and publisher's code."""
    return digest(start.cache.model.salt, start.code)


def _build(start: _Start, lap: _Stopwatch, progress: Progress | None, ahead: Ahead | None, walk: EarlyWalk | None,
           early: IndexAhead | None = None) -> BuildReport:
    loaded, early = _load_site_indexing_early(start, lap, progress, early_index=ahead is None, early=early)
    try:
        images = measure_images(start.static_dirs, _image_paths(loaded.site, start.cfg), loaded.photos)
        if ahead is not None:
            _write_ahead(start, loaded, images, ahead)
            lap("ahead")
        if early is not None:
            _deliver_ahead(start, loaded, images, early)
        return _render_and_write(start, lap, loaded, images, early, walk)
    except BuildFailed as failed:  # a stage past the site's (the share plan): with the warnings found before it
        raise BuildFailed(failed.problems, [*start.problems.warnings, *failed.warnings]) from None
    finally:
        if early is not None:
            early.close()


def _render_and_write(start: _Start, lap: _Stopwatch, loaded: _Loaded, images: Mapping[str, ImageInfo],
                      early: IndexAhead | None, walk: EarlyWalk | None) -> BuildReport:
    """Share plan, pages, feeds and every other file, written; `early`: the search index's parts started;
    `walk`: the output, walked meanwhile."""
    cfg, theme, cache, now = start.cfg, start.theme, start.cache, start.now
    from publisher.images.previews import plan_previews, preview_files  # Pillow, fontTools, resvg: only to render

    site, warnings, static_dirs = loaded.site, loaded.warnings, start.static_dirs
    previews, card_warnings = plan_previews(site, cfg, theme.dirs, static_dirs, images, _preview_memos(cache))
    share = plan_share(site, cfg, ShareTemplates(theme, cfg), now, fitted=cache.fitted, previews=previews,
                       memos=ShareMemos(cache.model.shares, cache.model.lanes, _kept_variants(cache),
                                        cache.model.share_items,
                                        kept_lanes=None if cache.model.warm else cache.kept_lanes,
                                        outlined=cache.model.share_outlines,
                                        outlines=None if cache.model.warm else cache.kept_share_outline))
    # Found after the site was read: --strict stops here for them
    own_robots = OwnFiles(static_dirs).find(ROBOTS_TXT) is not None
    later = [*card_warnings, *share.warnings, *search_warnings(cfg, site), *_svg_script_warnings(start),
             *_unwritten_robots_rules(cfg, own_robots)]
    if start.options.strict and later:
        raise BuildFailed(later)
    warnings = [*warnings, *later]
    lap("share")

    workers = start.workers.count
    editorial = editorial_files(site, share, cfg, team_files=start.options.team_files,
                                kept_calendar=cache.kept_calendar)
    found = walk.found() if walk is not None else None  # done by now: walked while the sources were read
    cache.walked = found.files if found is not None else None
    listed, cache.model.output = cache.model.output, None  # known again once this build's write is done
    # The page records and the sources' digest are made ready before the build waits for its search index;
    # `serve`, which indexes once the pages are written, makes them after that, not before its tabs reload.
    made_ready = [] if start.options.search_later else [_then(cache.prepare_pages), _then(start.inputs.get)]
    files = chain(render_pages(site, cfg, theme, now, previews, cache, workers, facts=loaded.entry_facts),
                  redirect_files(site, cfg, theme.words),
                  feed_files(site, cfg, previews, cache.model.feeds, cache if cache.recipes_on_disk else None),
                  sitemap_files(site, cfg, cache.model.sitemap, start.options.sitemap_limits or PROTOCOL_LIMITS,
                                robots=not own_robots),
                  share_files(share, cfg, cache.model.share_feed, cache if cache.recipes_on_disk else None),
                  editorial.public,
                  preview_files(previews, cache.folder / "cards" if cache.folder else None, workers,
                                in_output=listed.files if listed else frozenset(),
                                linked=found.inode if found is not None else None),
                  image_variant_files(_published_copies(site, loaded.image_copies),
                                      cache.folder / "images" if cache.folder else None, workers,
                                      in_output=listed.files if listed else frozenset(),
                                      linked=found.inode if found is not None else None),
                  *made_ready)
    everything, search = with_search_index(files, cfg, site, store=cache.search_store,
                                           later=start.options.search_later, ahead=early, walked=cache.walked,
                                           whole=cache.model.whole_bundles)
    index_later = search if search is not None and search.on_disk else None
    owned = _is_default_output(cfg)
    # Taken before the write, not after it: what waits on Pagefind's run is what needs the index.
    moments = span(_moments(site, share), now)
    published = published_paths(site, cfg, cache.model.sitemap) if start.options.record_urls else []
    try:
        stats = write_output(everything, cfg.output_dir, owned=owned, kept=SEARCH_FOLDER if index_later else "",
                             listed=listed, walk=walk, check=partial(_note_unportable_output, start, warnings),
                             refuse_files_on_folders=True)
    except ContentError as exc:  # a template or output-path problem found while writing
        raise BuildFailed([exc.problem]) from None
    cache.written_ahead.clear()  # written again with the rest: nothing to undo
    cache.model.output = stats.listing
    if search is not None and index_later is None:
        search.remember_written()
    if start.options.record_urls:
        record_published(cfg.root, published)
        # What it added are this build's own pages, which decide no post's id (`keep_first_ids` looks for
        # aliases, and an alias is never a page's URL): the output is what the file now holds makes.
        start.inputs.take_again(cfg.root / LOCK_NAME)
    if start.options.team_files:  # the team's files, outside the public output
        write_private(editorial.private, cfg.root)
        remove_private(editorial.private_gone, cfg.root)
        sync_private_folder(list(private_share_files(share, cfg)), cfg.root, "share/")  # announcements ahead
    summary = BuildSummary.of(site, share, with_setting_lines(warnings, start.options.config), stats.total)
    record = partial(_save_stamp, start, moments, summary)
    pending = None if index_later is None else PendingIndex(index_later, cfg, owned, record)
    if pending is None:  # else the pending index records the pages, once the tabs reload (`record_pages`)
        record(True, stats.found)
    cache.save_fits()
    lap("render and write")
    return BuildReport(cfg, site, share, summary, cfg.output_dir, stats, lap.elapsed(), lap.timings, previews,
                       pending, start.workers)


def _then(step: Callable[[], object]) -> Iterator[OutputFile]:
    """No file: `step` taken once the files before it in a chain were made."""
    step()
    yield from ()


def _write_ahead(start: _Start, loaded: _Loaded, images: Mapping[str, ImageInfo], ahead: Ahead) -> None:
    """The pages of the edited posts and pages, and those open in a browser, written now (see `Ahead`)."""
    site = loaded.site
    edited = (entry.post.url for entry in (*site.posts, *site.pages) if entry.post.source in start.edited)
    paths = {output_path(url) for url in chain(edited, ahead.open_pages)}
    if not paths:
        return
    written = write_ahead(_rendered_ahead(start, loaded, images, paths), start.cfg.output_dir)
    start.cache.written_ahead.update(written)  # made again by the build, never taken as kept; undone if it fails
    if written:
        ahead.written(sorted(written))


def _rendered_ahead(start: _Start, loaded: _Loaded, images: Mapping[str, ImageInfo], paths: set[str]
                    ) -> list[OutputFile]:
    """The pages at these output paths, rendered before the others (see `render_ahead`)."""
    from publisher.images.previews import plan_previews

    site, cfg = loaded.site, start.cfg
    urls = {url for path in paths for url in site_urls(path)}  # their previews alone
    previews = plan_previews(site, cfg, start.theme.dirs, start.static_dirs, images, _preview_memos(start.cache),
                             only=urls)[0]
    return render_ahead(site, cfg, start.theme, start.now, previews, start.cache, paths,
                        facts=loaded.entry_facts)


def _preview_memos(cache: BuildCache) -> PreviewMemos:
    """What earlier builds planned of the previews: cards in this process's model, font facts in the cache."""
    from publisher.images.previews import PreviewMemos  # Pillow, fontTools, resvg: only to render

    return PreviewMemos(cache.model.previews, cache.kept_font_fact)


def _load_site_indexing_early(start: _Start, lap: Callable[[str], None], progress: Progress | None, *,
                              early_index: bool, early: IndexAhead | None = None
                              ) -> tuple[_Loaded, IndexAhead | None]:
    """`_load_site`, with Pagefind started early once the sources are read (`_index_early`) when `early_index`,
    unless it was started before (`early`). What was read goes once the site is made (a cold build's: every
    post's Markdown)."""
    try:
        read = _read_sources(start, lap)
    except BaseException:
        if early is not None:
            early.close()
        raise
    if early is None and early_index:
        early = _index_early(start, read)
    try:
        return _site_of(start, read, lap, progress), early
    except BaseException:
        if early is not None:
            early.close()
        raise


def _index_early(start: _Start, read: _Read) -> IndexAhead | None:
    """Pagefind started on the parts of the search index that the pages of the posts and pages read anew fall in,
    waiting for those pages (see `IndexAhead`): for `publisher build` (whose model, kept on disk, tells which
    files changed), when they are few. Not when it kept nothing (a first build, `check`'s new output folder):
    every page is then read anew, and a run would start on parts the store may hold already."""
    cfg, kept = start.cfg, start.cache.model.kept_bodies
    if kept is None or not kept.lines or start.options.search_later or not cfg.search.enabled:
        return None
    paths = {output_path(post.url) for post in read.posts
             if post.source in read.sources.anew and post.kind in ("post", "page")}
    return IndexAhead.waiting(cfg.output_dir, Shards(cfg.search.shard_size, start.cache.search_store), paths)


def _deliver_ahead(start: _Start, loaded: _Loaded, images: Mapping[str, ImageInfo], early: IndexAhead) -> None:
    """The pages Pagefind's early run waits for, rendered and handed to it (a page the site does not hold, a
    draft say, is not: its run is ended)."""
    site = loaded.site
    paths = early.awaited() & {output_path(entry.post.url) for entry in (*site.posts, *site.pages)}
    pages = _rendered_ahead(start, loaded, images, paths) if paths else []
    early.deliver({page.path: page.read() for page in pages})


def _save_stamp(start: _Start, moments: tuple[datetime | None, datetime | None], summary: BuildSummary,
                complete: bool, found: Mapping[str, Stat] | None = None) -> None:
    """Record the build for the up-to-date check. An output still waiting for its search index is recorded
    so: a `serve` stopped before indexing is never taken for complete, and the next only makes the index.
    `found`: each file of the output and its state, as the write that just ended left them (else walked)."""
    out = start.cfg.output_dir
    replaced = start.cache.forget_replaced_copies()
    if found is not None and replaced:
        found = _taken_again(found, out, replaced)
    output = OutputDigests.of(out, SEARCH_FOLDER) if found is None else OutputDigests.of_found(out, SEARCH_FOLDER,
                                                                                                found)
    stamp = Stamp(start.inputs.get(), output.pages, output.index if complete else INDEX_PENDING, *moments)
    start.cache.save_pages(stamp, summary.to_json())


def _taken_again(found: Mapping[str, Stat], out: Path, paths: Iterable[str]) -> Mapping[str, Stat] | None:
    """`found` (by path joined to `out`'s), with the state of the output's files at these `paths` (from `out`)
    taken again: one whose old kept copy was removed since the write took it. None when one cannot be."""
    again = dict(found)
    try:
        for rel in paths:
            joined = os.path.join(out, rel.replace("/", os.sep))
            again[joined] = file_state(joined)
    except OSError:
        return None
    return again


def _start(options: BuildOptions, lap: Callable[[str], None], model: SiteModel | None = None,
           changes: Changes | None = None, *, walk: bool = False) -> _Start:
    """What every build needs before it reads content; `walk`: a build that writes the output, which is walked
    meanwhile when the model does not know it (`_walk_early`)."""
    previous = None
    if model is not None:  # its listing is known again once this build lists the files: `changes` are taken
        previous, model.files = model.files, None
    problems = Problems()
    own = read_config(options.config, problems)
    cfg = own.with_overrides(url=options.base_url, output_dir=options.output_dir())
    if cfg.url != own.url:  # a preview's URLs: the team's files keep the site's own (as `serve`'s do)
        options = replace(options, team_files=False)
    check_output_dir(cfg)
    walked = _walk_early(cfg, model) if walk else None
    try:
        now = options.now or build_time()
        workers = Workers(options.workers) if options.workers else worker_plan()
        try:
            theme = load_theme(cfg)
            theme = replace(theme, words=load_words(theme.dirs, cfg.root, cfg.language, problems))
            cfg = _social_image_as_url(settings_with_words(cfg, theme.words), theme)
        except BuildFailed as failed:  # no theme, no templates to go on with: report it with the config's problems
            problems.errors += failed.problems
            problems.raise_errors()
        code = _code_digest()
        cache = BuildCache.open(options.cache_folder(), cfg.output_dir,
                                markdown_salt=RESULT_FORMAT + engine_version(cfg.markdown) + repr(cfg.markdown) + code,
                                page_salt=repr(cfg) + theme.template_digest(), model=model, code=code,
                                page_copies=options.page_copies)
        cache.search_name = options.search_parts
        files = cache.model.files = FileStates.scan([cfg.content_dir, cfg.static_dir, *theme.dirs, cfg.root / I18N],
                                                    [options.config.resolve(), cfg.root / LOCK_NAME],
                                                    previous=previous, changes=changes)
    except BaseException:
        _close(walked)
        raise
    settings = repr(replace(options, now=None, workers=0)) + sys.version + engine_version(cfg.markdown) + code
    if cfg.search.enabled:  # another Pagefind program may index the same pages otherwise
        settings += program_stamp()
    lap("config")
    changed = previous is not None and changes is not None and (files.folders != previous.folders
                                                                 or files.files != previous.files)
    return _Start(options, cfg, problems, theme, cache, now, files, PendingListing(files, settings), changed, code,
                  _edited(cfg, changes), walked, workers)


def _walk_early(cfg: SiteConfig, model: SiteModel | None) -> EarlyWalk | None:
    """The output walked from now on, on a core the build leaves idle (see `output.walk`), when the model does not
    know it from its last write (`publisher build`). Started as soon as the output folder is known: at 10,000
    posts, started once the build had its theme, cache and listing, it held that core for a quarter of a second
    beside Pagefind's early run, which the build waits for."""
    return EarlyWalk.start(cfg.output_dir) if model is None or model.output is None else None


def _edited(cfg: SiteConfig, changes: Changes | None) -> frozenset[str]:
    """The changed files inside the site's folder, by name from it (`content/posts/a.md`): none when not known."""
    if changes is None:
        return frozenset()
    root = os.path.realpath(cfg.root) + os.sep
    return frozenset(path[len(root):].replace(os.sep, "/") for path in changes.paths if path.startswith(root))


def _kept_variants(cache: BuildCache) -> Callable[[str, Callable[[], Any]], Any] | None:
    """Share variants from the cache when the model has none yet (a new process); a warm model (`serve`)
    keeps them itself, and makes only an edited post's, which costs less than reading the file."""
    return None if cache.model.warm else cache.chosen_variants


@functools.cache
def _code_digest() -> str:
    """What tells publisher's code from another: its files' paths and bytes (2.5 ms more than their times, which
    every `pip install` in CI makes new: the model kept in the cache was dropped by every CI build). Taken once a
    process: the code it runs (a `serve` whose files are edited meanwhile keeps what it makes under its own)."""
    return tree_digest(Path(__file__).resolve().parents[1], "*.py")


def _moments(site: Site, share: SharePlan) -> Iterator[datetime]:
    """When the output could change with no file changing: post dates and share times."""
    for entry in (*site.posts, *site.pages, *site.offers):
        if entry.post.date is not None:
            yield entry.post.date
    if site.next_scheduled is not None:
        yield site.next_scheduled.post.published
    for item in share.items:
        yield item.scheduled


@dataclass(frozen=True, slots=True)
class _Loaded:
    site: Site
    warnings: list[Problem]
    image_copies: dict[str, tuple[Variant, ...]]  # by source: the WebP copies its HTML lists
    entry_facts: EntryFacts  # by source: its front-matter image's size and srcset attributes, its post's digest
    photos: dict[str, Photo]  # by path as written: each front-matter image and `[social] image` a copy can be made of


@dataclass(frozen=True, slots=True)
class _Read:
    """The sources read: posts (without their bodies), CTAs, and the bodies (`build.sources.SourceBodies`)."""

    posts: list[Post]
    ctas: dict[str, Cta]
    sources: SourceBodies


def _load_site(start: _Start, lap: Callable[[str], None], progress: Progress | None = None) -> _Loaded:
    """Every stage between the settings and the output: sources, posts, HTML, the site."""
    return _site_of(start, _read_sources(start, lap), lap, progress)


def _read_sources(start: _Start, lap: Callable[[str], None]) -> _Read:
    """Every source read (a file as it was last read is not read again), its template code evaluated."""
    cfg, problems = start.cfg, start.problems
    model = start.cache.model
    memos = SourceMemos(model.sources, model.checks, model.found, model.share_checks)
    if _note_links_out(start):  # content/ or static/ itself linked out of the site: nothing is read through it
        problems.raise_errors()
    content = _listed_paths(start, cfg.content_dir)  # one pass over the listing, for both notes
    _note_unportable_sources(start, content)
    _note_files_not_read(start, content)
    _note_static_non_files(start)
    posts, ctas, sources = read_input(cfg, start.theme.words, problems, start.cache, memos, start.files)
    problems.raise_errors()
    shortcodes = Shortcodes.make(body_environment(start.theme), cfg, {post.source: post.url for post in posts},
                                 ctas, OwnFiles(start.static_dirs))
    posts = keep_first_ids(expand_all(posts, shortcodes, problems.errors, sources), cfg)
    problems.raise_errors()
    lap("read and parse")
    return _Read(posts, ctas, sources)


def _note_links_out(start: _Start) -> bool:
    """The symbolic links the build does not follow, out of the site's folder or the theme's (`core.owned`): a
    warning for each file or folder left out, looked for only in folders the listing found a link in, and an
    error for `content/` or `static/` itself linked out of the site's folder (all of it would be left out).
    True when there is such an error."""
    cfg, linked, problems = start.cfg, start.files.linked, start.problems
    site_folders = [(folder, owner_of(folder)) for folder in (cfg.content_dir, cfg.static_dir)]
    linked_out = [folder for folder, owner in site_folders if folder.is_symlink() and not inside(folder, owner)]
    for folder in linked_out:
        problems.errors.append(Problem(
            _shown(folder, cfg.root), None, "folder", f"is a symbolic link to {os.readlink(folder)}, outside the "
            "site's folder: publisher reads content/ and static/ only from inside it (move the folder in)"))
    owners = [*site_folders, *((theme, os.path.realpath(theme)) for theme in start.theme.dirs)]
    problems.warnings += [
        Problem(_shown(link, cfg.root), None, "file", f"is a symbolic link to {target}, outside the site's folder: "
                "left out (links are followed only to files inside the site's folder, or the theme's: copy the file "
                "in instead)")
        for folder, owner in owners if str(folder) in linked for link, target in links_out(folder, owner)]
    return bool(linked_out)


def _note_unportable_sources(start: _Start, content: list[str]) -> None:
    """A warning for each file in `content/` or `static/` that Windows cannot hold (`core.portable`): a team's
    Windows writer could not check out the site. An error for names in `content/` that a Mac or Windows would
    take for others (`_refuse_case_clashes`); `static/`'s are refused as the output's (`output.writer`). `content`:
    the listing's paths in `content/` (`_listed_paths`)."""
    cfg = start.cfg
    static = _listed_paths(start, cfg.static_dir)
    start.problems.warnings += [Problem(path, None, "file", reason)
                                for path, reason in windows_trouble(content + static)]
    start.problems.errors += _refuse_case_clashes(_shown(cfg.content_dir, cfg.root), content)


def _note_files_not_read(start: _Start, content: list[str]) -> None:
    """A warning for each file of `content/` (its paths in the listing, `content`) no build reads
    (`content.discovery.files_not_read`)."""
    start.problems.warnings += files_not_read(_shown(start.cfg.content_dir, start.cfg.root), sorted(content))


def _listed_paths(start: _Start, folder: Path) -> list[str]:
    """The path from the site's folder of each file the build's listing holds in `folder` (`content/posts/a.md`)."""
    shown, cut = _shown(folder, start.cfg.root) + "/", len(str(folder)) + 1  # `_shown` for each path took 40 ms
    return [shown + path[cut:].replace(os.sep, "/") for path in start.files.folders.get(str(folder), {})]


def _refuse_case_clashes(content: str, paths: list[str]) -> list[Problem]:
    """An error for each two files or folders of `content` (its name from the site's folder) that differ only in
    case or Unicode form, and for a folder of posts, pages, offers or CTAs not named in lower case (`Posts/`):
    a checkout on a Mac or Windows holds one file of two so named, and one folder for two, where the build read
    `Posts/` as `posts/`, while on Linux it was left out: the same commit built two sites. Hidden names aside."""
    if is_lower_ascii(paths):  # most sites' (0.2 ms at 10,000 posts)
        return []
    misspelt = _misspelt_kind_folders(content, paths)
    problems = [Problem(folder, None, "folder", (
        f"the build reads {right}, in lower case: on Linux the files in {folder} are left out, while macOS and "
        f"Windows read them as {right} (rename it {right.removeprefix(content + '/')})")) for folder, right in misspelt]
    left_out = {name for pair in misspelt for name in pair}
    for first, other in case_clashes(paths):
        if {first, other} & left_out or _is_hidden(first) or _is_hidden(other):
            continue
        one = "these folders are one" if other.endswith("/") else "one would overwrite the other on checkout"
        problems.append(Problem(other, None, "path", (
            f"{other} and {first} differ only in case or Unicode form: on macOS and Windows {one}, and a build "
            "there makes another site (rename one of them)")))
    return problems


def _misspelt_kind_folders(content: str, paths: list[str]) -> list[tuple[str, str]]:
    """(`content/Posts/`, `content/posts/`) for each folder of `content` named as a folder of sources of one kind in
    another case or Unicode form. Only paths past lower case ASCII are looked at: those of most sites are not."""
    top = content + "/"
    right = {url_key(folder): f"{top}{folder}/" for _, folder in FOLDERS}
    tops = {top + path[len(top):].partition("/")[0] + "/" for path in paths
            if not (path.isascii() and path.islower()) and "/" in path[len(top):]}
    return [(folder, right[key]) for folder in sorted(tops)
            for key in [url_key(folder[len(top):-1])] if key in right and folder != right[key]]


def _is_hidden(path: str) -> bool:
    """Whether a name of `path` is one the build never reads (`.git/`, `_drafts/`, `#a.md#`)."""
    return any(name.startswith(HIDDEN) for name in path.split("/"))


def _note_static_non_files(start: _Start) -> None:
    """A warning for each named pipe, socket or device in a static folder, and each symbolic link there to nothing
    or in a loop, which are not published: left out without a word, the page that links to one broke with no clue
    why. Looked for in the build's listing, among the files of no size (as those are), and, for links, in the
    folders it found a link in; never opened (a named pipe's read waits for a writer)."""
    found: list[Problem] = []
    for folder in start.static_dirs:
        top = os.path.join(str(folder), "")
        odd = [path for path, state in _listed_below(start.files, top) if state[0] == 0]
        odd += [link for link in _links_in_linked(start, folder) if not os.path.exists(link)]  # a listing has none
        for path in odd:
            reason = why_not_a_file(path) if is_published(Path(path[len(top):])) else ""
            if reason:
                found.append(Problem(_shown(Path(path), start.cfg.root), None, "file", f"{reason}: left out"))
    start.problems.warnings += sorted(found, key=lambda problem: problem.path)


def _links_in_linked(start: _Start, folder: Path) -> list[str]:
    """The symbolic links below `folder` that lead inside its owner (`core.owned`; those out of it are warned of as
    such), looked for only when the listing found a link in a folder holding it."""
    if not any(inside(folder, os.path.realpath(linked)) or str(folder) == linked for linked in start.files.linked):
        return []
    owner = owner_of(folder)
    return [link for link in links_below(folder) if inside(link, owner)]


def _note_unportable_output(start: _Start, warnings: list[Problem], paths: Collection[str]) -> None:
    """A warning (an error with --strict, before the output changes) for each path of the output that Windows
    cannot hold: a Windows writer's build could not write it, nor a checkout of the output hold it. A static
    file warned of as a source is not warned of again."""
    cfg = start.cfg
    folder = _shown(cfg.output_dir, cfg.root)
    static = _shown(cfg.static_dir, cfg.root)
    warned = {problem.path for problem in warnings}
    found = [Problem(f"{folder}/{path}", None, "path", reason)
             for path, reason in windows_trouble(paths, prefix=len(folder) + 1) if f"{static}/{path}" not in warned]
    if found and start.options.strict:
        raise BuildFailed(found)
    warnings += found


# A robots.txt of the site's own in a static folder is published in place of publisher's, as jekyll-sitemap
# (`unless file_exists?("robots.txt")`) and Hugo (which writes one only when asked) leave a site's own: rules
# `[robots] disallow` cannot write (a crawler's own User-agent group, Allow) are written there
ROBOTS_TXT = "robots.txt"


def _unwritten_robots_rules(cfg: SiteConfig, own_robots: bool) -> list[Problem]:
    """A warning when `[robots] disallow` is set but the site publishes its own robots.txt, which is not written."""
    if not (own_robots and cfg.robots_disallow):
        return []
    return [Problem("publisher.toml", None, "robots.disallow",
                    "not written: the site's own static/robots.txt is published instead of publisher's (add these "
                    "rules to it, then remove the setting)")]


def _svg_script_warnings(start: _Start) -> list[Problem]:
    """Scripts in the SVG files the site publishes from its static folders and its theme's (`images.svgscripts`)."""
    return svg_script_warnings((_shown(svg, start.cfg.root), svg) for svg in _published_svgs(start))


def _published_svgs(start: _Start) -> list[Path]:
    """The SVG files the static folders publish (the site's over the theme's, as `pages.render.static_files` picks
    them), found in the build's listing of its inputs: walking the folders again cost a one-post build 0.1-0.2 s
    at 5,000 static files."""
    folders = start.static_dirs
    own, chosen = OwnFiles(folders), {}
    for folder in folders:
        top = os.path.join(str(folder), "")
        for path, _ in _listed_below(start.files, top):
            if path.lower().endswith(".svg"):
                relative = Path(path[len(top):])
                if own.owns(folder, Path(path)) and is_published(relative):
                    chosen[relative.as_posix()] = Path(path)
    return [chosen[relative] for relative in sorted(chosen)]


def _listed_below(files: FileStates, top: str) -> Iterator[tuple[str, Stat]]:
    """The path and state of each file the listing holds below the folder `top` (its path and a separator)."""
    for folder, states in files.folders.items():
        if top.startswith(os.path.join(folder, "")):
            yield from ((path, state) for path, state in states.items() if path.startswith(top))


def _shown(path: Path, root: Path) -> str:
    """A path as messages name it: from the site's folder when inside it."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _site_of(start: _Start, read: _Read, lap: Callable[[str], None], progress: Progress | None = None) -> _Loaded:
    """The posts' HTML, and the site made of them."""
    report = progress or (lambda stage, done, total: None)
    cfg, options, problems = start.cfg, start.options, start.problems
    posts, ctas, sources = read.posts, read.ctas, read.sources
    images = ImageFacts(start.static_dirs, start.cache.folder / "images" if start.cache.folder else None)
    bodies = bodies_to_html(posts, sources, cfg, start.cache, problems, report, start.workers.count, images)
    ctas = pitches_to_html(ctas, posts, cfg, problems)
    problems.raise_errors()  # a body no engine could convert
    lap("markdown")
    selection = Selection(now=start.now, drafts=options.drafts, future=options.future)
    entries = _images_as_urls(bodies.entries, OwnFiles(start.static_dirs))
    site = build_site(entries, selection, ctas, cfg.funnel, cfg.redirects,
                      SiteMemos(start.cache.model.related, start.cache.model.placements,
                                None if start.cache.model.warm else start.cache.kept_ranking))
    if options.strict and problems.warnings:
        raise BuildFailed(problems.warnings)
    post_images, copies = _post_images(site, cfg, images, bodies.image_copies)
    photos = _preview_photos(site, cfg, images)
    images.save()
    lap("site")
    as_read = {source: (parsed.value, parsed.post_digest) for source, parsed in sources.read.items()
               if parsed.post_digest is not None}
    return _Loaded(site, problems.warnings, copies, EntryFacts(post_images, as_read), photos)


def _images_as_urls(entries: list[Entry], own: OwnFiles) -> list[Entry]:
    """The entries with each front-matter image as a URL (`as_image_url`): every page, feed and share item that
    shows it then links the very file (`big pic #1.jpg` was linked as `big%20pic%20#1.jpg`, a fragment)."""
    return [_with_image_url(entry, own) for entry in entries]


def _social_image_as_url(cfg: SiteConfig, theme: Theme) -> SiteConfig:
    """The settings with `[social] image` as a URL (`as_image_url`), as a post's front-matter image is: it names a
    file too, and `brand #1.jpg` was every page's og:image as `brand%20#1.jpg`, which networks fetch as `brand `."""
    image = cfg.social.image
    url = as_image_url(image, OwnFiles(static_folders(cfg, theme))) if image else ""
    return cfg if url == image else replace(cfg, social=replace(cfg.social, image=url))


def _with_image_url(entry: Entry, own: OwnFiles) -> Entry:
    url = as_image_url(entry.post.image, own) if entry.post.image else ""
    return entry if url == entry.post.image else replace(entry, post=replace(entry.post, image=url))


def _post_images(site: Site, cfg: SiteConfig, images: ImageFacts, copies: dict[str, tuple[Variant, ...]]
                 ) -> tuple[dict[str, dict[str, str]], dict[str, tuple[Variant, ...]]]:
    """The `<img>` attributes of each entry's front-matter image (its size, and its copies in `srcset`), and
    every entry's copies with those of its image added."""
    attributes, copies = {}, dict(copies)
    for entry in (*site.posts, *site.pages, *site.offers):
        original = _image_found(images, entry.post.image) if entry.post.image else None
        if original is not None:
            src = cfg.base_path + url_path(original.path)
            attributes[entry.post.source] = image_attributes(original, src, cfg.base_path, lazy=False,
                                                             sizes=WIDE_SIZES)
            copies[entry.post.source] = (*copies.get(entry.post.source, ()), *original.variants)
    return attributes, copies


def _image_found(images: ImageFacts, path: str) -> Original | None:
    """The site's image a front-matter `image` names (`image_names`), as its link preview finds it."""
    return next((found for name in image_names(path) if (found := images.find(name)) is not None), None)


def _preview_photos(site: Site, cfg: SiteConfig, images: ImageFacts) -> dict[str, Photo]:
    """What a link preview's copy of each front-matter image (announced posts' too) and of `[social] image` would be
    made from, by path as written: found before the images' facts are kept, so the next build reads none of them
    again."""
    photos = {}
    for path in sorted(_front_matter_images(site) | {cfg.social.image}):
        if path and not is_external(path):
            original = _image_found(images, path)
            if original is not None and original.photo is not None:
                photos[path] = original.photo
    return photos


def preview_share(options: BuildOptions, source: str) -> tuple[SharePlan, Site]:
    """Every share item of one post (drafts and future posts included), over-limit texts reported, not refused."""
    from publisher.images.previews import plan_previews  # Pillow, fontTools, resvg: only to render

    start = _start(replace(options, drafts=True, future=True), lambda stage: None)
    loaded = _load_site(start, lambda stage: None)
    site = loaded.site
    urls = {entry.url for entry in site.posts if entry.post.source == source}
    images = measure_images(start.static_dirs, _image_paths(site, start.cfg), loaded.photos)
    # The post's image as the build plans it: its card, if it gets one.
    previews, _ = plan_previews(site, start.cfg, start.theme.dirs, start.static_dirs, images,
                                _preview_memos(start.cache), only=urls)
    plan = plan_share(site, start.cfg, ShareTemplates(start.theme, start.cfg), start.now, fitted=start.cache.fitted,
                      only={source}, lenient=True, previews=previews)
    return plan, site


@dataclass(frozen=True, slots=True)
class SiteAsOf:
    """The site a build would publish, with its settings and the moment that decided what is published."""

    config: SiteConfig
    site: Site
    now: datetime


def site_as_of(options: BuildOptions) -> SiteAsOf:
    """Read, check and assemble the site as a build does, without rendering or writing any output: for tools that
    read the published site (the audit). Raises BuildFailed with every problem of the input, as a build does."""
    start = _start(options, lambda stage: None)
    return SiteAsOf(start.cfg, _load_site(start, lambda stage: None).site, start.now)


class _Stopwatch:
    """Records the time since the previous lap under each stage's name."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.started = self.last = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.last
        self.last = now


def _published_copies(site: Site, copies: dict[str, tuple[Variant, ...]]) -> list[Variant]:
    """The image copies the published pages list (a hidden draft's wait for it)."""
    return [variant for entry in (*site.posts, *site.pages, *site.offers)
            for variant in copies.get(entry.post.source, ())]


def _image_paths(site: Site, cfg: SiteConfig) -> set[str]:
    """The images link previews may show: front matter's (announced posts' too) and the site's own."""
    return _front_matter_images(site) | {cfg.social.image, cfg.logo}


def _front_matter_images(site: Site) -> set[str]:
    """The `image:` of every post, page and offer, announced posts' too ("" for those with none)."""
    return {entry.post.image for entry in (*site.posts, *site.pages, *site.offers, *site.scheduled)}


# The last second a datetime holds (9999-12-31T23:59:59Z): a SOURCE_DATE_EPOCH past it names no time
_LAST_EPOCH = 253_402_300_799


def build_time() -> datetime:
    """'Now' for deciding which posts are published; SOURCE_DATE_EPOCH pins it for reproducible builds.

    Unset or empty, it is the clock (the spec leaves that to the tool). Set to anything but whole seconds
    since 1970 (`1.7e9`, `-1`, a date such as `git log --format=%cI` prints), it is a `ContentError`: the spec
    says a build SHOULD stop there, and one that went on with the clock was not the reproducible build asked
    for, without a word (https://reproducible-builds.org/specs/source-date-epoch/)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(tz=UTC)
    if not (epoch.isascii() and epoch.isdigit()) or int(epoch) > _LAST_EPOCH:
        raise ContentError("environment", None, "SOURCE_DATE_EPOCH",
                           f"cannot read {epoch!r} (expected whole seconds since 1970-01-01 UTC, as `date +%s` or "
                           "`git log -1 --format=%ct` prints them)")
    return datetime.fromtimestamp(int(epoch), tz=UTC)


def forget_output(options: BuildOptions) -> None:
    """Remove what the cache keeps for the output folder of `options` alone: for builds into a folder that is
    deleted next (`check`), whose cache files no build would read again."""
    cfg = _settings_of(options)
    if cfg is not None:  # else no build got as far as the cache
        BuildCache(options.cache_folder(), options.output_dir()).forget_output()


def cache_folder(options: BuildOptions) -> Path | None:
    """The cache folder a build with `options` would use, before any build: None with no cache, or no settings
    to find it by."""
    cfg = _settings_of(options)
    return None if cfg is None else options.cache_folder()


def _settings_of(options: BuildOptions) -> SiteConfig | None:
    """The settings a build with `options` reads; None where they cannot be read (the build reports why)."""
    try:
        return read_config(options.config, Problems())
    except BuildFailed:
        return None


def _is_default_output(cfg: SiteConfig) -> bool:
    """`output/` and the serve folder in `.publisher-cache/` are publisher's by convention."""
    out = cfg.output_dir.resolve()
    root = cfg.root.resolve()
    return out == root / OUTPUT_NAME or (root / CACHE_NAME) in out.parents


def check_output_dir(cfg: SiteConfig) -> None:
    """The output folder is emptied of stale files, so it must never hold the site's own sources."""
    out = cfg.output_dir.resolve()
    root = cfg.root.resolve()
    protected = [root / name for name in ("content", "static", "themes")]
    inside_sources = out == root or out in root.parents or any(out == p or p in out.parents for p in protected)
    if inside_sources or (out / "publisher.toml").exists() or (out / ".git").exists():
        message = f"{cfg.output_dir} holds or is inside the site's sources; choose a separate folder such as output/"
        raise BuildFailed([Problem("command line", None, "--output", message)])
