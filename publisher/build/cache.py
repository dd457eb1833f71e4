"""The build cache (`.publisher-cache/`): safe to delete, never needed for correctness.

Five things are kept between builds:

- rendered Markdown, one file per distinct body, keyed by a hash of the body,
  the Markdown settings and the package's version and code; a folder for each
  such salt, of which the current one and the one used before it are kept;
- fitted share texts, keyed by a hash of everything fitting saw (network
  profile, template, variant, the post's pieces), and, in a file of their own,
  each post's share variants, by its summary, quotes and sentences, and what
  the share schedule reads of each post, by its summary, `share:` and
  rendered Markdown; the networks' share schedule, by every post's URL, date, variants and networks
  and the schedule's settings; the related posts' ranking, by every post's
  date, source, tags, keywords and cluster; and the editorial calendar, by
  its events;
- the parts of the search index, by the pages each indexes (`pages.search`);
- the model of the last `publisher build` (`build.persisted`);
- a manifest of output pages: for each page, a fingerprint of everything its
  template saw (templates, settings, version and the full context) and the
  size and modification time of the file written for it. A page whose
  fingerprint and file are unchanged is not rendered again. In `publisher
  build`, each page's record holds the digest of its recipe too, and the
  entries that recipe held (by their place in the manifest's list of
  sources, beside each entry's digest and the digest of the site's
  structure: see `pages.recipes`). The manifest also
  keeps the last build's stamp and summary (see `uptodate`), and each feed
  file, by the digest of the recipe its feed was made from (see
  `feeds.syndication.feed_files`). Beside it, for
  each page that shows many posts' views (the archive), what it read of them
  (`pages.render.ShownReads`).

A cache file that cannot be read is treated as a miss. What is kept for an output folder that no build used
for `UNUSED_FOR` is removed (see `BuildCache._forget_unused_outputs`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publisher import __version__
from publisher.build.model import SiteModel
from publisher.build.options import output_key, search_store
from publisher.build.page_copies import FOLDER_NAME as COPIES_FOLDER
from publisher.build.page_copies import PageCopies
from publisher.build.uptodate import Stamp
from publisher.core.files import UNUSED_FOR, FileState, changed_at, file_state, state_of, write_atomically
from publisher.core.hashing import digest
from publisher.core.memo import Memo
from publisher.markdown.result import RenderedMarkdown
from publisher.pages.recipes import KeptEntries

if TYPE_CHECKING:
    from publisher.pages.recipes import HeldEntries
    from publisher.pages.render import KeptPage, ShownReads


_SALT_NAME = 16  # hex digits of a salt that name its folder of rendered Markdown
_USE_NOTED_EVERY = 86400  # seconds between two marks of an output folder's files as used (see `_note_use`)
_STRUCTURE = ("structure", "sources", "digests")  # what the manifest holds of the site's structure (`save_pages`)
_PER_OUTPUT = re.compile(r"(?:model|bodies|pages|reads|search|launch)-([0-9a-f]{16})(?:[-.].*)?")  # `_output_key` names


def _is_salt_folder(path: Path) -> bool:
    name = path.name
    return len(name) == _SALT_NAME and all(c in "0123456789abcdef" for c in name) and path.is_dir()


@dataclass
class BuildCache:
    """Markdown results and page fingerprints of earlier builds; `folder=None` disables caching.

    `markdown_salt` covers what changes rendered Markdown (settings, engine, publisher's version and code);
    `page_salt` what changes every page (templates, settings, version), so a
    template edit re-renders pages without re-rendering Markdown.
    """

    folder: Path | None
    out_dir: Path
    markdown_salt: str = ""
    page_salt: str = ""
    pages: dict[str, list[Any]] = field(default_factory=dict)  # path -> [fingerprint, size, when written
    # (`changed_at`: not its modification time, which anyone can set back on bytes edited by hand), recipe, and
    # with a recipe, the places of its entries in `kept_structure`'s sources]
    new_pages: dict[str, tuple[str, str, bool, HeldEntries | None]] = field(default_factory=dict)  # path ->
    # (fingerprint, recipe, the file left as it was, its recipe's entries), this build
    kept_structure: dict[str, Any] = field(default_factory=dict)  # what the manifest holds of the site's structure
    # and each entry's digest ({} for none), as read
    structure: tuple[str, dict[str, str]] | None = None  # this build's structure, and entry digests by source
    _changed: tuple[str, frozenset[int] | None] | None = None  # a structure, and the places of the kept entries
    # whose digest changed since (None: the last build's structure was another)
    recipe_salt: str = ""  # what every page's recipe digest starts from (see `pages.recipes`)
    own_model: bool = False  # the model is this build's own (`publisher build`), not one kept by `serve`
    output_trusted: bool = False  # the output holds what the model's last build wrote (see `kept_page_is_current`)
    written_ahead: dict[str, bytes | None] = field(default_factory=dict)  # pages this build wrote before the
    # rest (`serve`), with what each file held before (None: nothing)
    stamp: Stamp | None = None  # of the last build into out_dir
    summary: Any = None  # what the last build reported, as JSON
    fits: KeptResults = field(default_factory=lambda: KeptResults(None))  # fitted share texts
    variants: KeptResults = field(default_factory=lambda: KeptResults(None))  # each post's share variants
    outlines: KeptResults = field(default_factory=lambda: KeptResults(None))  # what the schedule reads of posts
    lanes: KeptResults = field(default_factory=lambda: KeptResults(None))  # the networks' share schedule
    rankings: KeptResults = field(default_factory=lambda: KeptResults(None))  # the related posts' ranking
    calendars: KeptResults = field(default_factory=lambda: KeptResults(None))  # the editorial calendar
    font_facts: KeptResults = field(default_factory=lambda: KeptResults(None))  # what each card font covers
    template_reads: KeptResults = field(default_factory=lambda: KeptResults(None))  # of the site's view, each
    model: SiteModel = field(default_factory=SiteModel)  # what earlier builds of this process made (`serve`)
    kept_shown: dict[str, Any] | None = None  # path -> what a page showing many views read (JSON), read on first use
    new_shown: dict[str, ShownReads] = field(default_factory=dict)  # the same, this build's
    search_name: str = ""  # what the search index's parts are kept under ("": the output folder, see `search_store`)
    walked: Mapping[str, FileState] | None = None  # the output's files as the early walk found them (`output.walk`):
    # a page's file told without a look at it (13,000 at 10,000 posts)
    prepared: _PreparedPages | None = None  # this build's page records, made ready (`prepare_pages`)
    copies: PageCopies = field(default_factory=lambda: PageCopies(None, ""))  # of the pages written (`publisher
    # build`'s), for a build whose output lost them (`build.page_copies`)
    written_copies: dict[str, str] = field(default_factory=dict)  # path -> fingerprint of each page whose copy
    # this build wrote: `save_pages` removes the copy of the fingerprint each replaced

    @classmethod
    def open(cls, folder: Path | None, out_dir: Path, *, markdown_salt: str, page_salt: str,
             model: SiteModel | None = None, code: str = "", page_copies: bool = True) -> BuildCache:
        """The cache in `folder` for builds into `out_dir`; `code` tells publisher's code from another (page
        recipes are kept by it: a page is made from them by the code); `page_copies`: keep the pages written
        (`build.page_copies`)."""
        page_salt = digest(__version__, page_salt)
        cache = cls(folder, out_dir, digest(__version__, markdown_salt), page_salt,
                    recipe_salt=digest(page_salt, code), own_model=model is None, model=model or SiteModel(),
                    fits=KeptResults(folder and folder / "share-fits.json"),
                    variants=KeptResults(folder and folder / "share-variants.json"),
                    outlines=KeptResults(folder and folder / "share-outlines.json"),
                    lanes=KeptResults(folder and folder / "share-lanes.json"),
                    rankings=KeptResults(folder and folder / "related.json"),
                    calendars=KeptResults(folder and folder / "calendar.json"),
                    font_facts=KeptResults(folder and folder / "fonts.json"),
                    template_reads=KeptResults(folder and folder / "template-reads.json"))
        cache.model.begin(digest(cache.markdown_salt, cache.page_salt))
        cache.output_trusted = cache.model.output is not None
        if page_copies and folder is not None and cache.own_model and _same_file_system(folder, out_dir):  # `serve`'s
            # output is the cache's own, never lost to CI; a copy on another file system would be a copy, not a link
            cache.copies = PageCopies(folder / COPIES_FOLDER, cache.recipe_salt)
        if folder is not None:
            cache._forget_old_markdown()
            cache._note_use()
            cache._forget_unused_outputs()
            try:
                stored = cache._read_manifest()
                if stored.get("salt") == cache.page_salt:
                    cache.pages = stored["pages"]
                    cache.stamp = Stamp.from_json(stored.get("stamp"))
                    cache.summary = stored.get("summary")
                    cache.kept_structure = {key: stored[key] for key in _STRUCTURE if key in stored}
            except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
                pass
        return cache

    def _manifest_path(self, key: str | None = None) -> Path:
        # One manifest per output folder: `serve` and `build` write to different ones.
        assert self.folder is not None
        return self.folder / f"pages-{key or self._output_key()}.json"

    def _read_manifest(self) -> Any:
        """The manifest as JSON; as the model kept it (`serve`), while the file is as this process left it."""
        path = self._manifest_path()
        state = file_state(str(path))
        kept = self.model.manifest
        if kept is not None and kept[0] == state:
            return kept[1]
        stored = json.loads(path.read_bytes())
        self.model.manifest = (state, stored)
        return stored

    def _output_key(self) -> str:
        return output_key(self.out_dir)

    @property
    def model_path(self) -> Path | None:
        """Where `publisher build` keeps its model between runs (see `build.persisted`)."""
        return None if self.folder is None else self.folder / f"model-{self._output_key()}.json"

    def forget_output(self) -> None:
        """Remove what is kept for this output folder alone (model, bodies, manifest, search index parts)."""
        if self.folder is None:
            return
        for path in self._kept_by_output().get(self._output_key(), []):
            _remove(path)

    def _kept_by_output(self) -> dict[str, list[Path]]:
        """The cache's files and folders kept for an output folder (`_output_key` names them), by its key; none
        when the cache cannot be listed."""
        assert self.folder is not None
        kept: dict[str, list[Path]] = {}
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                found = _PER_OUTPUT.fullmatch(entry.name)
                if found:
                    kept.setdefault(found.group(1), []).append(Path(entry.path))
        return kept

    @property
    def bodies_path(self) -> Path | None:
        """Where `publisher build` keeps the finished bodies between runs (see `build.persisted.KeptBodies`)."""
        return None if self.folder is None else self.folder / f"bodies-{self._output_key()}.json"

    @property
    def search_store(self) -> Path | None:
        """Where the parts of the output's search index are kept between builds (see `pages.search.Shards`): by the
        output folder, or by `search_name` for an output folder made anew each time (`check`'s)."""
        return None if self.folder is None else search_store(self.folder, self.search_name or self._output_key())

    # Markdown ---------------------------------------------------------------

    def markdown_key(self, body: str) -> str:
        return digest(self.markdown_salt, body)

    def load_markdown(self, key: str) -> RenderedMarkdown | None:
        if self.folder is None:
            return None
        try:
            stored = json.loads(self._markdown_path(key).read_text(encoding="utf-8"))
            return RenderedMarkdown(**{**stored, "pull_quotes": tuple(stored["pull_quotes"]),
                                       "talking_points": tuple(stored["talking_points"])})
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None

    def has_markdown(self, key: str) -> bool:
        """Whether a rendering of the body with this key is kept (and `load_markdown` will likely find it)."""
        return self.folder is not None and self._markdown_path(key).is_file()

    def store_markdown(self, key: str, rendered: RenderedMarkdown) -> None:
        """Keep a rendering; where it cannot be written (a full disk, its folder removed meanwhile by a build of
        other settings, see `_forget_old_markdown`), the body is rendered again next time."""
        if self.folder is None:
            return
        path = self._markdown_path(key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps(asdict(rendered), ensure_ascii=False).encode("utf-8"))

    def _markdown_path(self, key: str) -> Path:
        return self._markdown_folder() / key[:2] / key

    def _markdown_folder(self) -> Path:
        """Where the Markdown rendered under this build's salt is kept: a folder of its own for each salt."""
        assert self.folder is not None
        return self.folder / "markdown" / self.markdown_salt[:_SALT_NAME]

    def _forget_old_markdown(self) -> None:
        """Mark this salt's renderings as the last used, and remove those of every other salt (other Markdown
        settings, engine, version or code: 208 MB for the bench's 10,000 posts) but the one used last before it, so
        that a switch back (an engine tried, a second config beside this one) renders nothing again. Anything
        else in the folder (the layout before salts had folders) is removed too."""
        mine = self._markdown_folder()
        try:
            mine.mkdir(parents=True, exist_ok=True)
            os.utime(mine)
            salts: list[Path] = []
            stray: list[Path] = []
            for path in mine.parent.iterdir():
                if path != mine:
                    (salts if _is_salt_folder(path) else stray).append(path)
            salts.sort(key=lambda path: path.stat().st_mtime_ns)
        except OSError:  # a cache that cannot be written or listed: nothing to forget
            return
        for path in [*stray, *salts[:-1]]:
            _remove(path)

    def _note_use(self) -> None:
        """Mark what is kept for this output folder as used now (its manifest's modification time, which a CI
        cache restores), so that no build of another output folder takes it for unused (`_forget_unused_outputs`).
        At most once a day: a `serve` keeps the manifest it read while the file's state is as it was."""
        path = self._manifest_path()
        with contextlib.suppress(OSError):  # no manifest yet (the build writes it), or a cache that cannot be written
            if time.time() - os.stat(path).st_mtime > _USE_NOTED_EVERY:
                os.utime(path)

    def _forget_unused_outputs(self) -> None:
        """Remove what is kept for every other output folder no build used for `UNUSED_FOR` (model, bodies,
        manifest, search index parts: about 300 MB at 10,000 posts): one a `--output` once used, a preview per
        branch, a folder renamed. Last used is when the newest of its files was written or marked (`_note_use`);
        an output folder inside the cache (`serve`'s), named by its manifest, goes with it. A folder used again
        after that is built as after a first build: nothing removed is needed for it to come out right."""
        mine = self._output_key()
        for key, paths in sorted(self._kept_by_output().items()):
            if key != mine and time.time() - _last_used(paths) > UNUSED_FOR:
                self._forget_set(self._manifest_path(key), paths)

    def _forget_set(self, manifest: Path, paths: list[Path]) -> None:
        """Remove an output folder's kept files, and the folder itself when it lies inside the cache."""
        assert self.folder is not None
        try:
            output = Path(json.loads(manifest.read_bytes())["output"]).resolve()
        except (OSError, ValueError, KeyError, TypeError, RuntimeError):  # not as written (RecursionError: nesting)
            output = None
        cache = self.folder.resolve()
        if output is not None and output != cache and output.is_relative_to(cache):  # never a folder outside it
            paths = [*paths, output]
        for path in paths:
            _remove(path)

    # Share texts and variants --------------------------------------------

    def fitted(self, key: str, make: Callable[[], Any]) -> Any:
        """The JSON-ready result `make()` gave for `key` in an earlier build, else `make()` (fitted texts)."""
        return self.fits.get(key, make)

    def chosen_variants(self, key: str, make: Callable[[], Any]) -> Any:
        """As `fitted`, for each post's share variants (kept apart: a `serve` save reads no file for them)."""
        return self.variants.get(key, make)

    def kept_share_outline(self, key: str, read: Callable[[], Any], is_whole: Callable[[Any], bool]) -> Any:
        """As `fitted`, for what the share schedule reads of each post (`share.plan._Outline`), under the salt of
        the page recipes (settings, the share settings among them, templates and publisher's code)."""
        return self.outlines.get(f"{self.recipe_salt} {key}", read, is_whole)

    def kept_lanes(self, key: str, schedule: Callable[[], Any], is_whole: Callable[[Any], bool]) -> Any:
        """As `fitted`, for the networks' share schedule (a kept one `is_whole` does not take is made again)."""
        return self.lanes.get(key, schedule, is_whole)

    def kept_ranking(self, key: str, rank: Callable[[], Any], is_whole: Callable[[Any], bool]) -> Any:
        """As `fitted`, for the related posts' ranking (a kept one `is_whole` does not take is ranked again)."""
        return self.rankings.get(key, rank, is_whole)

    def kept_calendar(self, key: str, make: Callable[[], Any]) -> Any:
        """As `fitted`, for the editorial calendar's document."""
        return self.calendars.get(key, make)

    def kept_site_reads(self, template: str, find: Callable[[], frozenset[str] | None]) -> frozenset[str] | None:
        """What a page template reads of the site's view (`templates.reads`), as this process or the cache
        keeps it for these templates and publisher's code (parsing the theme's templates took 0.07 s a build)."""
        reads: frozenset[str] | None = self.model.site_reads.get(template, self.recipe_salt,
                                                                 partial(self._kept_reads, template, find))
        return reads

    def _kept_reads(self, template: str, find: Callable[[], frozenset[str] | None]) -> frozenset[str] | None:
        def found() -> list[str] | None:
            keys = find()
            return None if keys is None else sorted(keys)

        kept = self.template_reads.get(f"{self.recipe_salt} {template}", found,
                                       lambda kept: type(kept) is list and all(type(key) is str for key in kept))
        return None if kept is None else frozenset(kept)

    def kept_blocks_shown(self, template: str, shown: Callable[[], bool]) -> bool:
        """Whether every block of a page template is shown by the templates it extends (`templates.blocks`), as
        this process or the cache found it for these templates and publisher's code: parsing them took 20-28 ms
        of a one-post build. Only a `True` is kept: a template found wanting stops the build, and is looked at
        again in the next."""
        def found() -> bool | None:
            return True if shown() else None

        kept = self.model.site_reads.get(f"blocks {template}", self.recipe_salt, partial(
            self.template_reads.get, f"{self.recipe_salt} blocks {template}", found, lambda kept: kept is True))
        return kept is True

    def kept_font_fact(self, key: str, make: Callable[[], Any]) -> Any:
        """As `fitted`, for what a card font covers (`images.fonts.Fonts.kept`)."""
        return self.font_facts.get(key, make)

    def save_fits(self) -> None:
        """Keep this build's fits, variants, outlines, schedule, ranking, calendar, font facts and template reads
        (only those used; a kind not used at all stays as it was). A build with a warm model (`serve`) took most of
        its share items from the model, without asking for their fits: the others are kept too."""
        self.fits.save(keep_unused=self.model.warm)
        self.variants.save(keep_unused=self.model.warm)
        self.outlines.save()
        self.lanes.save()
        self.rankings.save()
        self.calendars.save()
        self.font_facts.save()
        self.template_reads.save()

    # Pages ------------------------------------------------------------------

    @property
    def remembers_pages(self) -> bool:
        """False without a cache folder: then pages are not fingerprinted at all."""
        return self.folder is not None

    def kept_page_is_current(self, path: str, page_fingerprint: str) -> bool:
        """As `page_is_current`, for a page the last build of this process wrote with this fingerprint (in its
        `recipes`): taken as current without a look when that build's write completed (`model.output`), as
        no one else writes `serve`'s folder; but for a page this build wrote ahead of the rest."""
        return (self.output_trusted and path not in self.written_ahead) or self.page_is_current(path, page_fingerprint)

    def page_is_current(self, path: str, page_fingerprint: str) -> bool:
        """True when `path` was written from a context with this fingerprint and is still on disk as written: of the
        size recorded, written when recorded (`changed_at`: on Linux and macOS its change time, which every write
        moves, and no program sets back):
        a page edited by hand to the same size with its modification time put back (or a kept copy of it edited,
        the same file; or the file through another name linked to it) was left as edited by every build."""
        stored = self.pages.get(path)
        if self.folder is None or not stored or stored[0] != page_fingerprint:
            return False
        state = self._state(path)
        return state is not None and [state[0], changed_at(state)] == stored[1:3]

    def _state(self, path: str) -> FileState | None:
        """The state of the output's file at `path`, as walked (a file the walk did not find is looked at), or
        None when there is none."""
        walked = self.walked.get(path) if self.walked is not None else None
        if walked is not None:
            return walked
        try:
            return file_state(os.path.join(self.out_dir, path))
        except OSError:
            return None

    @property
    def recipes_on_disk(self) -> bool:
        """True for `publisher build` (a model of its own, new in each process): pages are told by their recipes'
        digests, kept in the manifest. `serve` compares the recipes themselves, in its model; measured, taking
        digests in its first build made that build and the saves after it slower (27.5 s against 17 s for
        the first at 10,000 posts, 1.6 s against 1.3 s a save)."""
        return self.folder is not None and self.own_model

    def fingerprint_of_recipe(self, path: str, recipe: str) -> str | None:
        """The fingerprint of the page the last build wrote at `path` from a recipe with this digest."""
        stored = self.pages.get(path)
        return stored[0] if stored and len(stored) >= 4 and stored[3] == recipe else None

    def kept_copy(self, page_fingerprint: str) -> str | None:
        """The path of the whole kept copy of the page made with this fingerprint (`build.page_copies`), if any."""
        return self.copies.find(page_fingerprint)

    def keep_copy(self, path: str, page_fingerprint: str, html: bytes) -> str | None:
        """Keep the page rendered at `path` with this fingerprint as its copy (`build.page_copies`); the copy's path,
        which the output links, or None when no copy is kept."""
        copy = self.copies.put(page_fingerprint, html)
        if copy is not None:
            self.written_copies[path] = page_fingerprint
        return copy

    def remember_structure(self, structure: str, entries: Mapping[str, str]) -> None:
        """Note this build's site structure and each entry's digest by its source, kept with the pages."""
        self.structure = (structure, dict(entries))

    def unchanged_recipe(self, path: str, structure: str, entry_digest: Callable[[str], str | None]
                         ) -> tuple[str, KeptEntries] | None:
        """The recipe's digest the last build recorded for the page at `path`, and the entries it held (by their
        places in the kept list of sources), when the site's structure was `structure` then and each of those
        entries had the digest it has now (`entry_digest`); else None (see `pages.recipes`)."""
        changed = self._changed_entries(structure, entry_digest)
        stored = self.pages.get(path)
        if changed is None or not stored or len(stored) != 5 or type(stored[3]) is not str or not stored[3]:
            return None
        places, sources = stored[4], self.kept_structure["sources"]
        if type(places) is not list or not set(map(type, places)) <= {int} or not changed.isdisjoint(places):
            return None
        if places and not 0 <= min(places) <= max(places) < len(sources):
            return None
        return stored[3], KeptEntries(places)

    def kept_sources(self, entries: KeptEntries) -> frozenset[str]:
        """The sources of entries `unchanged_recipe` gave, by their places in the kept list."""
        sources = self.kept_structure["sources"]
        return frozenset(sources[place] for place in entries.places)

    def _changed_entries(self, structure: str, entry_digest: Callable[[str], str | None]) -> frozenset[int] | None:
        """The places in the kept sources of the entries whose digest is not the one kept, when the kept structure
        is `structure` (and whole); else None. Taken once a build."""
        if self._changed is None or self._changed[0] != structure:
            kept = self.kept_structure
            sources, digests = kept.get("sources"), kept.get("digests")
            whole = (kept.get("structure") == structure and type(sources) is list and type(digests) is list
                     and len(sources) == len(digests) and all(type(text) is str for text in (*sources, *digests))
                     and len(set(sources)) == len(sources))
            changed = None
            if whole:
                assert isinstance(sources, list) and isinstance(digests, list)
                pairs = enumerate(zip(sources, digests, strict=True))
                changed = frozenset(place for place, (source, kept) in pairs if entry_digest(source) != kept)
            self._changed = (structure, changed)
        return self._changed[1]

    @property
    def views(self) -> Memo[Any]:
        """Each entry's template view, as this process's earlier builds made it."""
        return self.model.views

    @property
    def templates(self) -> Memo[Any]:
        """The theme's page templates, compiled by this process's earlier builds."""
        return self.model.templates

    @property
    def recipes(self) -> Memo[KeptPage]:
        """Page fingerprints by what each page was made from, as this process's earlier builds made them."""
        return self.model.pages

    def remember_page(self, path: str, page_fingerprint: str, recipe: str = "", shown: ShownReads | None = None, *,
                      as_is: bool = False, entries: HeldEntries | None = None) -> None:
        """Note the fingerprint `path` was written from in this build, and its recipe's digest ("": none taken),
        kept by `save_pages`; for a page that shows many views, what it read of them; `as_is`: the page's file
        was found current (see `page_is_current`) and left as it was; `entries`: the sources of the entries its
        recipe held (None: not known)."""
        if self.folder is not None:
            self.new_pages[path] = (page_fingerprint, recipe, as_is, entries)
            if shown is not None:
                self.new_shown[path] = shown

    def shown_reads(self, path: str) -> ShownReads | None:
        """What the page at `path` read of the many views it showed, when the last `publisher build` into this
        output kept it (see `pages.render.ShownReads`), with the same recipe salt."""
        from publisher.pages.render import ShownReads

        if self.kept_shown is None:
            self.kept_shown = self._read_shown()
        kept = self.kept_shown.get(path)
        return None if kept is None else ShownReads.from_json(kept)

    def _shown_path(self) -> Path:
        assert self.folder is not None
        return self.folder / f"reads-{self._output_key()}.json"

    def _read_shown(self) -> dict[str, Any]:
        if self.folder is None or not self.recipes_on_disk:
            return {}
        try:
            stored = json.loads(self._shown_path().read_bytes())
            return stored["pages"] if stored["salt"] == self.recipe_salt and isinstance(stored["pages"], dict) else {}
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return {}

    def _shown_json(self) -> bytes | None:
        """What this build's pages that show many views read, as the file keeps it: made this build, else as the
        last build kept it for a page with the same fingerprint (a record tells what made a page, whichever build
        it was); None when that is what the file holds."""
        old = self._read_shown() if self.kept_shown is None else self.kept_shown
        pages = {}
        for path, (page_fingerprint, _, _, _) in sorted(self.new_pages.items()):
            made, kept = self.new_shown.get(path), old.get(path)
            if made is not None:
                pages[path] = made.to_json()
            elif isinstance(kept, dict) and kept.get("fingerprint") == page_fingerprint:
                pages[path] = kept
        return None if pages == old else json.dumps({"salt": self.recipe_salt, "pages": pages}).encode()

    def save_stamp(self, stamp: Stamp) -> None:
        """Record a new stamp for the output of the last build, whose pages and summary stay as recorded."""
        if self.folder is not None:
            self._save_manifest(json.dumps(self.pages), stamp, self.summary, self.kept_structure)

    def prepare_pages(self) -> None:
        """Make this build's page records ready for `save_pages`, once every page and feed was remembered: all but
        the size and time of the files written this build, which are in place only once the write is done. Called
        while the search index is made (a one-post build at 10,000 posts waits for Pagefind's run then), it leaves
        the few pages written to `save_pages` (its 13,000 records and their JSON took 0.1 s after that wait)."""
        if self.folder is None:
            return
        structure: dict[str, Any] = {}
        if self.structure is not None and self.recipes_on_disk:
            sources = sorted(self.structure[1])
            structure = {"structure": self.structure[0], "sources": sources,
                         "digests": [self.structure[1][source] for source in sources]}
        place = {source: number for number, source in enumerate(structure.get("sources", ()))}
        same_places = bool(place) and self.kept_structure.get("sources") == structure["sources"]  # a kept page's
        # entries as recorded
        known, written = {}, []
        for path, (page_fingerprint, recipe, as_is, entries) in sorted(self.new_pages.items()):
            held = self._places(entries, place, same_places) if recipe else None
            stored = self.pages.get(path)
            if as_is and stored and len(stored) >= 3 and stored[0] == page_fingerprint:  # as recorded: not looked at
                record = [page_fingerprint, stored[1], stored[2], recipe]
                known[path] = record if held is None else [*record, held]
            else:
                written.append((path, page_fingerprint, recipe, held))
        shown = self._shown_json() if self.recipes_on_disk else None
        self.prepared = _PreparedPages(len(self.new_pages), json.dumps(known), written, structure, shown)

    def save_pages(self, stamp: Stamp, summary: Any) -> None:
        """Record this build's pages, stamp and summary; call only after the output was written."""
        if self.folder is None:
            return
        if self.prepared is None or self.prepared.pages != len(self.new_pages):
            self.prepare_pages()
        prepared, self.prepared = self.prepared, None
        assert prepared is not None
        self.forget_replaced_copies()  # before the pages' states are taken: it may move their change times
        looked = {}
        for path, page_fingerprint, recipe, held in prepared.written:
            page = os.path.join(self.out_dir, path)
            try:
                stat = os.stat(page)
            except OSError:
                continue
            record = [page_fingerprint, stat.st_size, changed_at(state_of(stat)), recipe]
            looked[path] = record if held is None else [*record, held]
        self._forget_dropped_copies()
        self.copies.forget_unlinked()
        self._save_manifest(_joined(prepared.known, json.dumps(looked)), stamp, summary, prepared.structure)
        if prepared.shown is not None:
            write_atomically(self._shown_path(), prepared.shown)

    def forget_replaced_copies(self) -> list[str]:
        """Remove the copy of each page this build wrote anew from another fingerprint; the paths of those pages.
        Their files' change times may move: a page rendered to the bytes the output held is left as it was, and
        its new copy made a link to it (`output.writer`), so the old copy removed is another name of that file.
        Call before their states are taken (the up-to-date stamp's, the page records'); a second call does
        nothing."""
        replaced = []
        for path, page_fingerprint in self.written_copies.items():
            before = self.pages.get(path)
            if before and before[0] != page_fingerprint:
                self.copies.forget(before[0])
                replaced.append(path)
        self.written_copies.clear()
        return replaced

    def _forget_dropped_copies(self) -> None:
        """Remove the copy of each page this build no longer makes (a post deleted or moved)."""
        for path in self.pages.keys() - self.new_pages.keys():  # one difference of two sets: 1 ms at 13,000 pages
            record = self.pages[path]
            if record and isinstance(record[0], str):
                self.copies.forget(record[0])

    def _places(self, entries: HeldEntries | None, place: dict[str, int], same_places: bool) -> list[int] | None:
        """A recipe's entries by their places in this build's list of sources (`place`); None when not known.
        `same_places`: the list is the last build's, so entries as it recorded them are written as they are."""
        if entries is None or not place:
            return None
        if isinstance(entries, KeptEntries):
            if same_places:
                return entries.places
            entries = self.kept_sources(entries)
        try:
            return sorted(map(place.__getitem__, entries))
        except KeyError:  # an entry the site does not list: no record to trust
            return None

    def _save_manifest(self, pages: str, stamp: Stamp, summary: Any, structure: dict[str, Any]) -> None:
        """Write the manifest: `pages`, the pages' records as JSON text, with the rest."""
        assert self.folder is not None
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._manifest_path()
        rest = json.dumps({"salt": self.page_salt, "stamp": stamp.to_json(), "summary": summary,
                           "output": str(self.out_dir.resolve()), **structure})
        data = _joined(f'{{"pages": {pages}}}', rest).encode()
        write_atomically(path, data)
        if not self.own_model:  # kept for the next build of this process (`serve`), read as it would be read
            self.model.manifest = (file_state(str(path)), json.loads(data))


@dataclass(frozen=True, slots=True)
class _PreparedPages:
    """This build's page records made ready (`BuildCache.prepare_pages`): for how many pages; those known without a
    look at the output, as JSON text; those written this build, each (path, fingerprint, recipe, the places of its
    entries) to be looked at once the write is done; the site's structure as the manifest keeps it; and what the
    pages that show many views read, as their file keeps it (None: as it holds already)."""

    pages: int
    known: str
    written: list[tuple[str, str, str, list[int] | None]]
    structure: dict[str, Any]
    shown: bytes | None


def _same_file_system(folder: Path, out_dir: Path) -> bool:
    """Whether the cache's folder and the output are on one file system (the nearest folder of each there is)."""
    try:
        return _device(folder) == _device(out_dir)
    except OSError:
        return False


def _device(path: Path) -> int:
    while not path.exists() and path.parent != path:
        path = path.parent
    return os.stat(path).st_dev


def _joined(*objects: str) -> str:
    """The text of one JSON object holding the items of each of `objects` (the texts of JSON objects, as
    `json.dumps` writes them, no key in two of them)."""
    return "{" + ", ".join(inner for text in objects if (inner := text[1:-1].strip())) + "}"


def _remove(path: Path) -> None:
    """Remove a file or folder of the cache as far as it can: what cannot be removed (another user's, a folder
    that cannot be written) stays, and fails no build; a link goes, not what it points to."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _last_used(paths: list[Path]) -> float:
    """When an output folder's kept files were last used: the newest of their modification times (a build marks
    its manifest, `_note_use`, and writes what changed)."""
    times = [0.0]
    for path in paths:
        with contextlib.suppress(OSError):
            times.append(os.stat(path).st_mtime)
    return max(times)


class KeptResults:
    """JSON-ready results by key, kept in one file between builds (a JSON object): read on first use, and written
    back with the results this build used (not at all when it used none, or the same); see `save`."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict[str, Any] | None = None
        self.new: dict[str, Any] = {}
        self.read_as: FileState | None = None  # the file's state when it was read

    def get(self, key: str, make: Callable[[], Any], is_whole: Callable[[Any], bool] | None = None) -> Any:
        """The result kept for `key` (that `is_whole` takes, when given), else `make()`."""
        hashed = digest(__version__, key)
        if self.old is None:
            self.old = self._load()
        found = self.old.get(hashed)
        if found is None or (is_whole is not None and not is_whole(found)):
            found = make()
        self.new[hashed] = found
        return found

    def _load(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            with self.path.open("rb") as file:
                read_as = state_of(os.fstat(file.fileno()))
                stored = json.loads(file.read())
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(stored, dict):
            return {}
        self.read_as = read_as
        return stored

    def save(self, *, keep_unused: bool = False) -> None:
        """Write the results used since the file was read (and, with `keep_unused`, those not used as well).

        A few new or changed results are added at the end of the file as it was read, the results it holds that
        this build did not use left in it while they are at most a tenth of those it used: a one-post edit at
        10,000 posts changes one post's share variants, and the file of all of them (9.5 MB) written whole took
        0.08 s. Otherwise, or when the file is not as it was read (another build wrote it since), it is written
        whole. (A key added again at the end is read as its last value, as JSON's parsers do.)"""
        if self.path is None or self.old is None:
            return
        kept = {**self.old, **self.new} if keep_unused else self.new
        if kept == self.old:
            return
        added = {key: value for key, value in kept.items() if key not in self.old or self.old[key] != value}
        few_unused = len(self.old.keys() - kept.keys()) * 10 <= len(kept)
        if few_unused and (not added or self._add_at_end(added)):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, json.dumps(kept, ensure_ascii=False).encode("utf-8"))

    def _add_at_end(self, added: dict[str, Any]) -> bool:
        """Add these results at the end of the file, if it is as it was read and held some; whether it was."""
        if self.path is None or not self.old:
            return False
        tail = "".join(f", {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}" for key, value in added.items())
        try:
            with self.path.open("r+b") as file:
                if state_of(os.fstat(file.fileno())) != self.read_as:
                    return False
                file.seek(-1, os.SEEK_END)  # the object's closing brace: written over by the results, then one
                if file.read(1) != b"}":
                    return False
                file.seek(-1, os.SEEK_END)
                file.write(f"{tail}}}".encode())
        except OSError:
            return False
        return True
