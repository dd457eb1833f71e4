"""The readers' search: a Pagefind index of the posts and pages, made from their HTML.

Every page goes to Pagefind, which keeps its own rule: once any page marks
content with `data-pagefind-body`, only marked pages are indexed, and only
what is marked (a theme without the mark gets every page indexed whole). The
default theme marks a post's or page's article and leaves out what every page
repeats (`data-pagefind-ignore` on CTAs, tables of contents, cluster
navigation), so results are posts and pages. Pagefind's index and its own
interface files are output files like any other, under `pagefind/`: the writer
removes stale ones, the up-to-date check sees them, and the same pages give
the same bytes. Readers search in their browser from those files alone.

Pagefind's binary comes in a wheel (`pagefind[bin]`) and runs offline. It is
run as its command-line program over a scratch folder of the pages rather than
through the `pagefind` package's async API, whose service client waits 0.1 s
for each reply (one per page: 3.3 s for the 33 pages of the sample hub against
0.1 s for the command) and cannot read a reply over 2 MiB, as a large site's
in-memory index is.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
import weakref
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publisher import __version__
from publisher.core.cpus import build_workers
from publisher.core.errors import ConfigError, Problem
from publisher.core.files import FileState, file_state, state_of, write_atomically
from publisher.core.hashing import digest
from publisher.core.processes import ended_within
from publisher.core.slugs import is_plain_path
from publisher.output.files import OutputFile

# Light to import, this module: `publisher build` starts Pagefind early (`build.launch`) before it loads the rest
# of the build. The settings' and the site's modules take 0.35 s to import; they are used here for types alone.
if TYPE_CHECKING:
    from concurrent.futures import Executor

    from publisher.config.model import SiteConfig
    from publisher.site.model import Site

SEARCH_FOLDER = "pagefind"  # in the output; the theme's search page loads pagefind/pagefind-ui.js
PARTS_FOLDER = "parts"  # pagefind/parts/<n>/: the other parts of an index split in parts
PARTS_LIST = "parts.json"  # pagefind/parts.json: the folders of those parts, for the search page to merge
# Files a merged part's bundle is never read for: Pagefind's interface and its script, worker and WebAssembly
# (`mergeIndex` runs them once, the first part's: it reads of the other parts their entry, metadata, index
# and fragments alone).
_NOT_MERGED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.",
               "pagefind.js", "pagefind-worker.js", "wasm.")
_MARK = b"data-pagefind-body"
MEMORY_FOLDER = Path("/dev/shm")  # Linux's file system in memory, for the scratch copy when it has room
SCRATCH_NAME = "publisher-search-"  # each scratch folder's: publisher-search-[ahead-]<pid>-<random>
_SCRATCH_OF = re.compile(r"publisher-search-(?:ahead-)?(\d+)-\w+")  # ... and the process that made it
LEFT_BEHIND = 3600  # seconds unchanged after which a scratch folder of a process that is gone is removed
_STOP_POLL = 0.1  # seconds between looks at whether Pagefind is to stop, or stalled
STALLED = 10.0  # seconds without processor time after which a Pagefind run is taken to have stopped working
ATTEMPTS = 3  # Pagefind runs for one bundle before giving up
# What Pagefind is given of a page (`indexed_form`), named in the pages' facts: the cuts of another form are not taken
INDEXED_FORM = "the marked element (its text alone past 512 levels), the language and title"
NOT_INDEXED = ".heading-anchor"  # the "#" link publisher's Markdown adds to each heading: not part of its title
Cut = tuple[tuple[int, int], ...]  # what Pagefind is given of a page (`indexed_cut`): where each piece starts, ends
_RECORD = 7  # items of a page's record in `PageFacts`: its file's state (4), its facts (2), the cut it is given


class IndexStopped(KeyboardInterrupt):
    """The index was not made: it was asked to stop (`serve` stopping), or Ctrl-C reached Pagefind (a
    build stops as at any other Ctrl-C)."""


def offers_search(cfg: SiteConfig, site: Site) -> bool:
    """Whether the site gets a search page and an index: when search is on and there is something to find
    (Pagefind cannot make an index of nothing)."""
    return cfg.search.enabled and bool(site.posts or site.pages)


# Languages written without spaces between words, which only Pagefind's extended program splits into words (with
# the dictionaries it ships): the standard one takes each run of text between punctuation marks as one word.
UNSPACED_LANGUAGES = {"zh": "Chinese", "ja": "Japanese"}
STANDARD_WHEEL = "pagefind_bin"  # the wheel `pagefind[bin]` installs: Pagefind's standard program
EXTENDED_WHEEL = "pagefind_bin_extended"  # `pagefind[extended]`'s: the program that splits Chinese and Japanese


def search_warnings(cfg: SiteConfig, site: Site) -> list[Problem]:
    """What the readers' search will miss that an install mends: a Chinese or Japanese site indexed by Pagefind's
    standard program, whose search finds a word only where a run of text between punctuation marks starts. (A
    program named otherwise, by $PAGEFIND_BINARY_PATH or on PATH, may be the extended one: npm's is.)"""
    from publisher.config.model import CONFIG_NAME  # only now: see the imports

    language = UNSPACED_LANGUAGES.get(cfg.language.split("-")[0].lower())
    if language is None or not offers_search(cfg, site) or _program_source() != STANDARD_WHEEL:
        return []
    return [Problem(CONFIG_NAME, None, "site.language",
                    f"search finds a {language} word only where a sentence or phrase starts: Pagefind's standard "
                    f"program does not split {language} text into words; its extended one does, and is used once "
                    "installed (pip install 'pagefind[extended]'; add it to requirements.txt for CI)")]


@dataclass(frozen=True, slots=True)
class Shards:
    """How the index is split (`[search] shard_size`: pages per part, about), and where each part's bundle is
    kept between builds, by the pages it indexes (None: nowhere; every part is made anew)."""

    size: int = 1000
    store: Path | None = None
    # The kept bundles (their folders' paths) this process found whole (`_whole_bundle`), not read again: `serve`
    # keeps them in its model, where no walk tells which files the output holds as the store's very files.
    whole: set[str] = field(default_factory=set, compare=False, hash=False)


class SearchPages:
    """The pages to index, noted as the build's files stream past on their way to the writer.

    `on_disk`: the index is made once the pages are written (`serve`): only their paths are noted, and
    their HTML is read from the output then, so no page is held in memory meanwhile."""

    def __init__(self, out_dir: Path, shards: Shards, *, on_disk: bool = False, ahead: IndexAhead | None = None,
                 walked: Mapping[str, FileState] | None = None) -> None:
        self.out_dir = out_dir
        self.shards = shards
        self.on_disk = on_disk
        self.ahead = ahead  # Pagefind started early on some parts: waited for before the index is made
        self.walked = walked  # the output's files as the early walk found them (`output.walk`), if it did
        self.html: dict[str, bytes | None] = {}  # output path -> page (None: read it from the output)
        # The last index's page facts, as the early run read them (not read again: 0.03 s at 10,000 posts)
        self.known = ahead.known if ahead is not None and ahead.known.store == shards.store else PageFacts(shards.store)

    @classmethod
    def in_output(cls, out_dir: Path, shards: Shards) -> SearchPages:
        """Every page the output folder holds (as a build notes them: each `.html` file but the index's own)."""
        pages = cls(out_dir, shards, on_disk=True)
        index = out_dir / SEARCH_FOLDER
        for folder, subfolders, files in os.walk(out_dir):
            if Path(folder) == index:
                subfolders.clear()
                continue
            subfolders.sort()
            for name in sorted(files):
                if name.endswith(".html"):
                    pages.html[(Path(folder) / name).relative_to(out_dir).as_posix()] = None
        return pages

    def noting(self, files: Iterable[OutputFile]) -> Iterator[OutputFile]:
        """`files`, unchanged, keeping the HTML of each page (or its path)."""
        for file in files:
            if file.path.endswith(".html"):  # a page kept from the last build is read from the output when indexed
                self.html[file.path] = None if self.on_disk or file.keep else file.read()
            yield file

    def index(self, stop: threading.Event | None = None) -> IndexBundle:
        """Pagefind's bundle for the pages noted so far, in a scratch folder (close it when done). Setting
        `stop` meanwhile stops Pagefind and raises IndexStopped."""
        if self.ahead is not None:
            self.ahead.finish()
        index = index_files(_Pages(self.out_dir, self.html), self.shards, self.known, stop or threading.Event())
        if self.on_disk:
            self.known.save()
        return index

    def remember_written(self) -> None:
        """Keep the facts of the pages indexed from memory, now that the writer wrote them (a build that indexes
        as it writes): the next index then reads none of them again."""
        self.known.stamp_held(self.out_dir)
        self.known.save()

    def bundle(self) -> Iterator[OutputFile]:
        """The index of the pages noted so far; a generator, so that chained after `noting` it runs once every
        page has gone past. The files of the parts kept from earlier builds go first, while Pagefind's early
        run (`IndexAhead`) may still be making the part of an edited page: the writer takes them meanwhile."""
        indexing = _Indexing.start(_Pages(self.out_dir, self.html, self.walked), self.shards, self.known,
                                   threading.Event())
        try:
            yield from indexing.kept_files()
            if self.ahead is not None:
                self.ahead.finish()
            yield from indexing.made_files()
        finally:
            indexing.close()


@dataclass(frozen=True, slots=True)
class _Pages(Mapping[str, bytes]):
    """Pages by output path: the HTML noted, else the page as the output holds it."""

    out_dir: Path
    noted: dict[str, bytes | None]
    walked: Mapping[str, FileState] | None = None  # the output's files as walked before the build wrote any
    cuts: dict[str, Cut | None] = field(default_factory=dict)  # what Pagefind is given of each page known

    def __getitem__(self, path: str) -> bytes:
        html = self.noted[path]
        return (self.out_dir / path).read_bytes() if html is None else html

    def __iter__(self) -> Iterator[str]:
        return iter(self.noted)

    def __len__(self) -> int:
        return len(self.noted)

    def given(self, path: str) -> bytes:
        """What Pagefind is given of the page (`indexed_form`), cut again as noted when `facts` read it."""
        cut = self.cuts.get(path)
        return indexed_form(self[path]) if cut is None else cut_out(self[path], cut)

    def stamps(self) -> dict[str, FileState]:
        """The state of each page on disk: its size, inode and times (a file written anew has another inode and
        change time); as walked, when the walk found it."""
        walked = self.walked or {}
        return {path: walked.get(path) or file_state(os.path.join(self.out_dir, path))
                for path, html in self.noted.items() if html is None}

    def size(self, stamps: Mapping[str, FileState]) -> int:
        """Bytes of all the pages (those on disk by the size in their `stamps`, not read for it)."""
        return sum(len(html) if html is not None else stamps[path][0] for path, html in self.noted.items())

    def facts(self, known: PageFacts, stamps: Mapping[str, FileState]) -> dict[str, tuple[bool, str]]:
        """Each page's facts (see `page_facts`); a page on disk as it was when `known` was noted is not read."""
        found = {}
        for path, html in self.noted.items():
            if html is not None:
                found[path] = known.hold(path, *self._facts(path, html))
                continue
            stamp = stamps[path]
            facts = known.get(path, stamp)
            if facts is None:
                facts = known.note(path, stamp, *self._facts(path, self[path]))
            self.cuts[path] = known.given_cut(path)
            found[path] = facts
        return found

    def _facts(self, path: str, html: bytes) -> tuple[tuple[bool, str], Cut]:
        cut = self.cuts[path] = indexed_cut(html)
        return _facts_of(html, cut), cut


class PageFacts:
    """The facts of the pages on disk when the last index was made, by each file's size, inode and times (a
    file written anew has another inode and change time), kept in the store as `pages.json`."""

    NAME = "pages.json"

    def __init__(self, store: Path | None) -> None:
        self.store = store
        self.old: dict[str, list[Any]] | None = None  # read on first use: not while the pages are being built
        self.new: dict[str, list[Any]] = {}
        self.held: dict[str, tuple[tuple[bool, str], Cut]] = {}  # pages indexed from memory, not written yet

    def get(self, path: str, stamp: tuple[int, ...]) -> tuple[bool, str] | None:
        """The page's facts, when it is on disk as it was when they were noted (its `stamp`); the cut of it that
        Pagefind is given is then known too (`given_cut`)."""
        if self.old is None:
            self.old = self._load()
        kept = self.old.get(path)
        if not isinstance(kept, list) or len(kept) != _RECORD or kept[:4] != list(stamp):
            return None
        cut = _cut_read(kept[6], stamp[0])
        return None if cut is None else self.note(path, stamp, (bool(kept[4]), str(kept[5])), cut)

    def note(self, path: str, stamp: tuple[int, ...], facts: tuple[bool, str], cut: Cut) -> tuple[bool, str]:
        """Note the facts of the page at `path`, on disk as `stamp` says, and the cut of it Pagefind is given."""
        self.new[path] = [*stamp, *facts, [offset for piece in cut for offset in piece]]  # as kept: see `_cut_read`
        return facts

    def given_cut(self, path: str) -> Cut | None:
        """The cut of the page at `path` that Pagefind is given (`indexed_cut`), if noted."""
        noted = self.new.get(path)
        return None if noted is None else tuple(zip(noted[6][::2], noted[6][1::2], strict=True))

    def hold(self, path: str, facts: tuple[bool, str], cut: Cut) -> tuple[bool, str]:
        """Facts of a page not written yet: noted by `stamp_held` once it is."""
        self.held[path] = (facts, cut)
        return facts

    def stamp_held(self, out_dir: Path) -> None:
        """Note the held pages' facts with their files' stamps, now that they are written."""
        for path, (facts, cut) in self.held.items():
            try:
                self.note(path, file_state(os.path.join(out_dir, path)), facts, cut)
            except OSError:
                continue
        self.held = {}

    def given_on_disk(self, out_dir: Path, path: str) -> tuple[bytes, str]:
        """What Pagefind is given of the page the output holds at `path`, and its digest: read up to the end of the
        cut noted, when the file is as it was then (not cut again, nor its digest taken), else cut and noted now."""
        with open(os.path.join(out_dir, path), "rb") as file:
            stamp = state_of(os.fstat(file.fileno()))
            facts = self.get(path, stamp)
            cut = self.given_cut(path)
            if facts is not None and cut is not None:
                return cut_out(file.read(cut[-1][1]), cut), facts[1]
            html = file.read()
        cut = indexed_cut(html)
        return cut_out(html, cut), self.note(path, stamp, _facts_of(html, cut), cut)[1]

    def last_index(self) -> dict[str, tuple[bool, str]]:
        """Each page's facts as the last index found them, the files not looked at again: a guess at the pages."""
        if self.old is None:
            self.old = self._load()
        read: dict[str, Any] = self.old  # as the file says: not always what was written
        return {path: (bool(kept[4]), str(kept[5])) for path, kept in read.items()
                if isinstance(kept, list) and len(kept) == _RECORD}

    def _load(self) -> dict[str, list[Any]]:
        try:
            loaded = json.loads((self.store / self.NAME).read_bytes()) if self.store is not None else {}
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(loaded, dict) or loaded.get("form") != INDEXED_FORM or not isinstance(loaded.get("pages"),
                                                                                                 dict):
            return {}  # the digests of other forms of the pages
        pages: dict[str, list[Any]] = loaded["pages"]
        return pages

    def save(self) -> None:
        """Keep the facts noted this time (only those) for the next index."""
        if self.store is not None and self.new != self.old:
            self.store.mkdir(parents=True, exist_ok=True)
            write_atomically(self.store / self.NAME,
                             json.dumps({"form": INDEXED_FORM, "pages": self.new}, sort_keys=True).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class IndexBundle:
    """Pagefind's bundle, waiting in a scratch folder: output files read from there only as they are written
    (at 10,000 posts it is some 50 MB). `close()` removes the folder."""

    files: list[OutputFile]
    scratch: tempfile.TemporaryDirectory[str]

    def close(self) -> None:
        self.scratch.cleanup()


def index_files(pages: _Pages, shards: Shards, known: PageFacts, stop: threading.Event) -> IndexBundle:
    """Pagefind's bundle (index and interface) for `pages` (output path -> HTML), as files under pagefind/.

    The index holds URLs from the output's root (`/about/`); Pagefind's script puts the folder its bundle
    was loaded from in front (`/hub/about/` for a site under /hub/), so the index is the same wherever the
    site lives. A site with more pages than `shards.size` gets its index in parts (see `split_pages`), made
    side by side, each kept in `shards.store` by the pages it indexes. `known`: the pages' facts of the last
    index (see `PageFacts`), to which this one's are added.
    """
    indexing = _Indexing.start(pages, shards, known, stop)
    try:
        files = sorted([*indexing.kept_files(), *indexing.made_files()], key=lambda file: file.path)
    except BaseException:
        indexing.close()
        raise
    return IndexBundle(files, indexing.scratch)


@dataclass(frozen=True, slots=True)
class _Indexing:
    """One index in the making (see `index_files`): its parts, those kept in the store taken first."""

    jobs: list[_Part]
    store: Path | None
    scratch: tempfile.TemporaryDirectory[str]
    kept: dict[int, Path]  # part number -> its bundle, kept in the store (`kept_files`, then `made_files`)
    stop: threading.Event  # set, each part's Pagefind run ends

    @classmethod
    def start(cls, pages: _Pages, shards: Shards, known: PageFacts, stop: threading.Event) -> _Indexing:
        stamps = pages.stamps()
        scratch = _scratch("", pages.size(stamps))
        try:
            program = _Program.found(stop)
            parts = split_pages(indexed_pages(pages.facts(known, stamps)), shards.size)
        except BaseException:
            scratch.cleanup()
            raise
        in_output = _in_output(pages, shards.store)
        jobs = [_Part(number, part, pages, Path(scratch.name), shards.store, program, _bundle_key(program, part), known,
                      in_output, shards.whole) for number, part in parts]
        return cls(jobs, shards.store, scratch, {}, stop)

    def kept_files(self) -> list[OutputFile]:
        """The files of the parts whose bundles the store holds now."""
        for job in self.jobs:
            bundle = job.kept()
            if bundle is not None:
                self.kept[job.number] = bundle
        return self._files(self.kept)

    def made_files(self) -> list[OutputFile]:
        """The files of the other parts (each taken from the store if it holds it by now, else made, side by
        side), and the list of the parts; the store's bundles that no part uses are let go."""
        from concurrent.futures import ThreadPoolExecutor  # only now: see the imports (logging, 0.03 s)

        jobs = [job for job in self.jobs if job.number not in self.kept]
        with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), build_workers()))) as pool:
            try:
                made = dict(zip((job.number for job in jobs), pool.map(_Part.bundle, jobs), strict=True))
            except KeyboardInterrupt:
                self._end_runs(pool)
                raise
        if self.store is not None:
            _forget_parts_but(self.store, {*self.kept.values(), *made.values()})
        listed = [f"{PARTS_FOLDER}/{job.number}/" for job in self.jobs[1:]]
        return [*self._files(made), OutputFile(f"{SEARCH_FOLDER}/{PARTS_LIST}", data=json.dumps(listed).encode())]

    def _end_runs(self, pool: Executor) -> None:
        """End the parts' Pagefind runs and start no other. Ctrl-C or `kill` reaches the main thread alone, and
        leaving the pool waits for its threads: each would wait for its Pagefind to end (all of its work, and a
        run that had stalled made again), while the stopped build said nothing."""
        self.stop.set()
        pool.shutdown(cancel_futures=True)

    def _files(self, bundles: dict[int, Path]) -> list[OutputFile]:
        """The files of these parts' bundles: the first part's whole at pagefind/ (Pagefind's interface loads
        it), each other's index at pagefind/parts/<number>/ (listed in pagefind/parts.json for the search page
        to merge, `mergeIndex`: what it reads of them alone); a kept bundle's files are hard-linked, not
        copied."""
        first = self.jobs[0].number
        files: list[OutputFile] = []
        for number, bundle in bundles.items():
            folder = SEARCH_FOLDER if number == first else f"{SEARCH_FOLDER}/{PARTS_FOLDER}/{number}"
            made = str(bundle)
            for name in _files_under(bundle):
                if number == first or not name.startswith(_NOT_MERGED):
                    files.append(OutputFile(f"{folder}/{name}", source=os.path.join(made, name), linked=True))
        return files

    def close(self) -> None:
        self.scratch.cleanup()


def page_facts(html: bytes) -> tuple[bool, str]:
    """Whether a page marks content for Pagefind (a tag with `data-pagefind-body`: the words written as text,
    where a `<` is escaped, do not count), and the digest of what Pagefind is given of it (`indexed_form`)."""
    return _facts_of(html, indexed_cut(html))


def _facts_of(html: bytes, cut: Cut) -> tuple[bool, str]:
    """`page_facts` of `html`, from the cut of it Pagefind is given (a page cut short marks content)."""
    return (cut != ((0, len(html)),) or _marked_at(html) != -1), hashlib.sha256(cut_out(html, cut)).hexdigest()


def _marked_at(html: bytes) -> int:
    """Where the first tag marking content (`data-pagefind-body`) starts; -1 for none."""
    at = html.find(_MARK)
    while at != -1:
        after = html[at + len(_MARK):at + len(_MARK) + 1]
        if (html.rfind(b"<", 0, at) > html.rfind(b">", 0, at) and html[at - 1:at].isspace()
                and (after.isspace() or after in (b"=", b"/", b">"))):
            return html.rfind(b"<", 0, at)
        at = html.find(_MARK, at + 1)
    return -1


# What a page holds after the element marking its content counts for nothing in Pagefind's index (its parser
# drops text outside a marked element) but for these: another marked element, metadata, a filter or sort
# (`data-pagefind-*`, read anywhere), an old bundle's script it warns of, the first heading or image (the result's
# title and image when the page names none), the `<title>` (the title when there is no heading), the language.
_COUNTED_AFTER = (b"data-pagefind", b"_pagefind", b"<h1", b"<img", b"<title", b"<html")
# Before that element, the same count but an image (Pagefind's is the first after the first heading: one there
# counts already); the `<html>` start tag and the `<title>` are given, the rest is left out.
_COUNTED_BEFORE = (b"data-pagefind", b"_pagefind", b"<h1")
# Inside the marked element, what would hide a tag's text from the parser (a comment, CDATA, a processing
# instruction or other bogus comment, text that is not markup, foreign content): such a page is given whole.
_HIDING = re.compile(rb"<(?:[!?]|/[^a-z]|(?:s(?:cript|tyle|vg)|t(?:extarea|itle|emplate)|xmp|iframe"
                     rb"|no(?:embed|frames|script)|math|plaintext)[\s/>])")  # the names by their first letters: faster
_TAG_NAME = re.compile(rb"<([a-z][a-z0-9-]*)")


def _text_up_to(end: bytes) -> bytes:
    """A pattern of text up to the end tag starting `end` (`</script`), that tag's name ending there."""
    return rb"[^<]*+(?:<(?!" + end[1:] + rb"[\t\n\f\r />])[^<]*+)*+" + end + rb"(?=[\t\n\f\r />])"


# What comes before the marked element, in lower case, when it is plain markup read one way only: an optional
# doctype and `<html>` start tag, then text, comments, scripts, styles, other start and end tags, and one optional
# `<title>`. A tag's attributes are read with their quotes, a script's, style's or title's text up to its end tag,
# as HTML's parser does; anything else there (an unquoted `<`, an unclosed quote, a `<textarea>`, foreign
# content, a second title) and the page's beginning is given as it is. Possessive throughout: no backtracking.
# Scripts and styles are spelled out, not one pattern with a back reference: Python 3.11's `re` misplaces a group
# captured inside a possessive repeat ("The span of capturing group is wrong").
_ATTRIBUTES = rb"""(?:\s++[^\s"'>/=]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]++))?+)*+\s*+/?+"""
_OTHER = (rb"[^<]++|<!--(?>-?>|[^-]*+(?:-(?!-!?>)[^-]*+)*+--!?>)"
          + b"".join(rb"|<" + name + _ATTRIBUTES + rb">" + _text_up_to(b"</" + name) + rb"[^>]*+>"
                     for name in (b"script", b"style"))
          + rb"|<(?!(?:html|title|script|style|textarea|xmp|iframe|noembed|noframes|noscript|plaintext|template"
          rb"|svg|math)[\s/>])[a-z][a-z0-9-]*+" + _ATTRIBUTES + rb">|</[a-z][a-z0-9-]*+\s*+>")
_PLAIN_LEAD = re.compile(rb"\s*+(?:<!doctype[^>]*+>\s*+)?+(?P<html><html" + _ATTRIBUTES + rb">)?(?:" + _OTHER
                         + rb")*+(?P<title><title" + _ATTRIBUTES + rb">" + _text_up_to(b"</title") + rb"[^>]*+>)?(?:"
                         + _OTHER + rb")*+", re.DOTALL)
# Pagefind's time on a page grows with the square of how deep its elements nest (Pagefind 1.5.2, one page: 10,000
# levels 0.18 s, 40,000 levels 2.3 s, 130,000 levels 29 s), so one hostile post could hold every build for
# minutes. Past 512 levels, where Blink's HTML parser stops nesting too, Pagefind is given the text alone
# (`_flattened`); content of fewer tags than `_MANY_TAGS` is not looked at: nested as deep as it could be, it costs
# Pagefind 0.05 s at most, and counting the levels of every page with code in it would cost the build more.
_DEEPEST = 512
_MANY_TAGS = 4096
_TAG_START = re.compile(rb"</?[a-z]")
_TAG = re.compile(rb"<(/?)(?:(?=(area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr)[\s/>]))?"
                  rb"[a-z][a-z0-9-]*+" + _ATTRIBUTES + rb">")  # a start tag (or void element's) or an end tag


def indexed_form(html: bytes) -> bytes:
    """What Pagefind is given of a page: its `indexed_cut`."""
    return cut_out(html, indexed_cut(html))


def cut_out(html: bytes, cut: Cut) -> bytes:
    """The pieces of `html` that `cut` names, joined."""
    if len(cut) == 1 and cut[0][0] == 0:
        return html[:cut[0][1]]  # the page itself when the cut is whole
    return b"".join(html[start:end] for start, end in cut)


def indexed_cut(html: bytes) -> Cut:
    """What Pagefind is given of a page: the element that marks its content, when nothing after it counts in the
    index (`_COUNTED_AFTER`) and that end is told for sure, with what comes before it (see `_lead`); else the whole
    page. Content nested past `_DEEPEST` levels is given as its text from there (`_flattened`), when its end is
    told for sure.

    A post's page shows its neighbours and related posts after its content, and the site's header, styles and
    metadata before it: a post's new title or a new post changes those pages and not their entries in the index,
    nor does a new menu entry, so the parts of the index they fall in are kept rather than made again. Pagefind
    reads less, too: a sixth less of a post's page at 10,000 posts, for some 4% less of its time."""
    whole = ((0, len(html)),)
    start = _marked_at(html)
    if start == -1:
        return whole
    page = html.lower()
    end = _element_end(page, start)
    if end is None:
        return whole
    content = _flattened(page, start, end) or ((start, end),)
    if any(page.find(counted, end) != -1 for counted in _COUNTED_AFTER):
        return whole if len(content) == 1 else _joined(((0, start), *content, (end, len(html))))
    return _joined((*_lead(page, start), *content))


def _joined(pieces: Cut) -> Cut:
    """`pieces`, those that meet as one."""
    cut: list[tuple[int, int]] = []
    for piece in pieces:
        if cut and cut[-1][1] == piece[0]:
            cut[-1] = (cut[-1][0], piece[1])
        else:
            cut.append(piece)
    return tuple(cut)


def _lead(page: bytes, start: int) -> Cut:
    """What Pagefind is given of a page (in lower case) before the element marking its content, which starts at
    `start`: its `<html>` start tag (the index's language) and `<title>` (a result's title when its content has
    no heading), when nothing else there counts (`_COUNTED_BEFORE`) and it is plain markup (`_PLAIN_LEAD`), so
    that the element's start tag is surely one; else all of it."""
    plain = (None if any(page.find(counted, 0, start) != -1 for counted in _COUNTED_BEFORE)
             else _PLAIN_LEAD.fullmatch(page, 0, start))
    if plain is None:
        return ((0, start),)
    return tuple(plain.span(name) for name in ("html", "title") if plain.start(name) != -1)


def _cut_read(data: Any, size: int) -> Cut | None:
    """A cut as `PageFacts` keeps it (where each piece starts and ends, in one flat list: a third less time to
    encode and decode than pairs, at 13,000 pages), for a page of `size` bytes; None when it is not one."""
    if not isinstance(data, list) or not data or len(data) % 2 or not all(type(offset) is int for offset in data):
        return None
    if data[0] < 0 or not all(low < high for low, high in pairwise(data)) or data[-1] > size:
        return None  # pieces in order, none empty or overlapping
    return tuple(zip(data[::2], data[1::2], strict=True))


def _element_end(page: bytes, start: int) -> int | None:
    """Where the element whose start tag is at `start` ends, in `page` (lower case): after the end tag at which
    the count of its tags first comes back to none; None when it never does, or the count may be wrong (a tag of
    its name inside a tag, as an attribute's name or in its value, or anything inside that hides a tag)."""
    name = _TAG_NAME.match(page, start)
    if name is None:
        return None
    depth = 0
    for tag in _tags_named(name.group(1)).finditer(page, start):
        if tag.start() != start and not _between_tags(page, start, tag.start()):
            return None
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = page.find(b">", tag.end() - 1) + 1
            return end if end > 0 and not _HIDING.search(page, start, end) else None
    return None


def _flattened(page: bytes, start: int, end: int) -> Cut | None:
    """The pieces of the element at `start`..`end` (in `page`, lower case) that Pagefind is given when its content
    nests deeper than `_DEEPEST` levels: all of it but the tags nested deeper, whose text is then read as the
    text of the deepest level kept. None when it does not nest so deep, holds fewer than `_MANY_TAGS` tags (which
    cost Pagefind little however deep), or holds a `<` that does not start a tag as `_TAG` reads one (it is then
    given as it is)."""
    if page.count(b"<", start, end) < _MANY_TAGS:  # 7 µs for a post's page at 10,000 posts, where counting the
        return None  # tags alone took 32 µs, a quarter of the cut's time
    starts = len(_TAG_START.findall(page, start, end))
    pieces, depth, deepest, kept_from, tags = [], 0, 0, start, 0
    for tag in _TAG.finditer(page, start, end):
        tags += 1
        if tag.group(2):  # a void element: a child of the open one
            level = depth + 1
        elif tag.group(1):
            level, depth = depth, max(depth - 1, 0)  # an end tag of nothing open ends nothing
        else:
            level = depth = depth + 1
        deepest = max(deepest, level)
        if level > _DEEPEST:
            if tag.start() > kept_from:
                pieces.append((kept_from, tag.start()))
            kept_from = tag.end()
    if tags != starts or deepest <= _DEEPEST:
        return None
    if end > kept_from:
        pieces.append((kept_from, end))
    return tuple(pieces)


@functools.cache
def _tags_named(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<(/?)" + re.escape(name) + rb"[\s/>]")


def _between_tags(page: bytes, start: int, at: int) -> bool:
    """Whether `at` is outside any tag: the last `<` before it (from `start`) was closed by a `>`, with no quote
    left open before that `>` (which may then stand inside an attribute's value)."""
    opened, closed = page.rfind(b"<", start, at), page.rfind(b">", start, at)
    if closed < opened:
        return False
    tag = page[opened:closed]
    return tag.count(b'"') % 2 == 0 and tag.count(b"'") % 2 == 0


def indexed_pages(facts: Mapping[str, tuple[bool, str]]) -> dict[str, str]:
    """The pages Pagefind would index, each with its digest, by Pagefind's own rule: once any page marks content
    with `data-pagefind-body`, only the marked pages (each part of a split index must follow the rule of the
    whole), else every page."""
    marked = {path: sha for path, (is_marked, sha) in facts.items() if is_marked}
    return marked or {path: sha for path, (_, sha) in facts.items()}


def split_pages(pages: dict[str, str], size: int) -> list[tuple[int, dict[str, str]]]:
    """The pages in parts of about `size`, each (its number, its pages), those with none left out.

    A page's part is decided by its path alone (a hash of it, modulo the number of parts), so adding or
    editing a post changes one part and leaves the others, and their kept bundles, as they were. The number
    of parts is a power of two: it changes only when the site doubles or halves."""
    wanted = -(-len(pages) // size)
    count = 1 << max(wanted - 1, 0).bit_length()
    parts: dict[int, dict[str, str]] = {}
    for path in sorted(pages):
        number = int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:8], "big") % count
        parts.setdefault(number, {})[path] = pages[path]
    return sorted(parts.items())


@dataclass(frozen=True, slots=True)
class _Part:
    """One part of the index: its pages (path -> digest of the HTML), where to read them, the scratch folder
    to copy them to, and where bundles are kept (None: not kept)."""

    number: int
    digests: dict[str, str]
    pages: _Pages
    scratch: Path
    store: Path | None
    program: _Program
    key: str  # what its bundle is kept by in the store (`_bundle_key`)
    known: PageFacts  # the pages' facts of the last index: its last bundle's key (`last`), for a part made
    in_output: frozenset[int]  # the inodes of the output's files, on the store's device, as walked (`_in_output`)
    whole: set[str]  # the kept bundles found whole in this process (`Shards.whole`)

    def kept(self) -> Path | None:
        """The folder of the bundle kept for exactly these pages, if the store holds one whole (`_whole_bundle`);
        one that is not is removed, and the part made again."""
        if self.store is None:
            return None
        kept = self.store / self.key
        if not kept.is_dir():
            return None
        if str(kept) in self.whole or _whole_bundle(kept, self.in_output):
            self.whole.add(str(kept))
            return kept
        _forget_bundle(kept)
        return None

    def bundle(self) -> Path:
        """The folder of this part's bundle: the one kept for exactly these pages, else a new one."""
        kept = self.kept()
        if kept is not None:
            return kept
        key = self.key
        site = self.scratch / f"site-{self.number}"
        _copy_pages(self.digests, self.pages, site)
        in_scratch = self.scratch / f"bundle-{self.number}"
        if self.store is None:
            made, last = in_scratch, None
        else:
            made, last = _made_at(in_scratch, self.store / f"{key}.{os.getpid()}.{threading.get_ident()}.tmp",
                                  self.last())
        try:
            self.program.run(site, made)
        except BaseException:  # stopped, or failed: no half-made bundle is left in the store
            shutil.rmtree(made, ignore_errors=True)
            raise
        shutil.rmtree(site)  # the copies of the pages are done with
        if self.store is None:
            return made
        kept = self.store / key
        return kept if _keep(made, kept, last) else made

    def last(self) -> Path:
        """The folder of the part's last bundle in the store, kept by its pages as the last index had them (which
        the store may no longer hold)."""
        assert self.store is not None
        last = self.known.last_index()
        return self.store / _bundle_key(self.program, {path: last[path][1] for path in self.digests if path in last})


MOST_AHEAD = 16  # pages awaited beyond which a build starts no Pagefind early (an edit, not a new site)
# `sh -c`, one for each page Pagefind waits for: once told "go" (a line on its input), it fills the page's named
# pipe from the page's file ($1 into $2); when its input ends untold (the build gone, killed even), it opens and
# closes the pipe, so Pagefind reads the page as empty and ends rather than waiting for it for good; and should
# Pagefind ($3, its process) be gone too, it stops waiting to open a pipe no one will read, within a second.
_WRITE_PAGE = ('if read -r go; then exec cat -- "$1" > "$2"; fi; : > "$2" & opening=$!; '
               'while kill -0 "$3" 2>/dev/null && kill -0 "$opening" 2>/dev/null; do sleep 1; done; '
               'kill "$opening" 2>/dev/null; exit 0')


@dataclass(frozen=True, slots=True)
class _Awaited:
    """A part of the index as a Pagefind started early sees it: its pages as the output holds them (path -> page),
    and the pages to come (path -> whether the page marks content, as the part's split took it)."""

    pages: dict[str, bytes]
    digests: dict[str, str]  # of those pages (path -> digest of the page as given)
    awaited: dict[str, bool]
    last: dict[str, str]  # the part's pages as the last index had them (path -> digest): its last bundle's key


class IndexAhead:
    """Pagefind started early (`publisher build`), once the build knows which pages its edit may change (those of
    the sources it read anew), before it has rendered them: on each part of the index those pages fall in, as the
    last index split the pages, with the part's other pages as the output holds them and, in place of each page
    to come, a named pipe. Pagefind reads and parses the other pages meanwhile, on the core the build leaves idle
    (about half its work: 1.28 s of the 2.3 s of processor time a part of 625 pages takes), and reads each pipe
    once the build has rendered its page (`deliver`). It runs at a lower priority.

    Each bundle that comes out whole goes to the store under the key of the pages it was made from
    (`_bundle_key`), where the build's own index finds it kept when the part's pages came out the same (a body
    edit); a part whose pages came out otherwise is made again then. A run whose pages did not come as awaited
    (not rendered, or marking content otherwise than its split took them), or whose bundle the store holds
    already, is ended when they come."""

    def __init__(self, runs: list[_Run], scratch: tempfile.TemporaryDirectory[str], known: PageFacts) -> None:
        self.runs, self.scratch = runs, scratch
        self.known = known  # the last index's page facts, read for the parts' other pages: the build's index takes them
        # Ended too when dropped unclosed, or at the interpreter's exit, before the scratch folder goes (finalizers
        # run newest first): removed first, it would take the named pipes with it, and leave Pagefind waiting for
        # a page no writer can open.
        self._ended = weakref.finalize(self, _end_runs, runs)

    @classmethod
    def waiting(cls, out_dir: Path, shards: Shards, paths: Collection[str]) -> IndexAhead | None:
        """Pagefind started on the parts the pages at `paths` (output paths) fall in, waiting for those pages;
        None when there is nothing to start (no store, no last index, too many pages, no named pipes, no
        Pagefind)."""
        if shards.store is None or not paths or len(paths) > MOST_AHEAD or not hasattr(os, "mkfifo"):
            return None
        try:
            program = _Program.found(threading.Event())
            known = PageFacts(shards.store)
            parts = _awaiting_parts(out_dir, known, shards.size, paths)
        except (ConfigError, OSError):  # no Pagefind, a page gone: the build's own index says so, or need not
            return None
        if not parts:
            return None
        size = sum(len(html) for part in parts for html in part.pages.values())
        started = cls([], _scratch("ahead-", size), known)
        try:
            for number, part in enumerate(parts):
                site = Path(started.scratch.name) / f"site-{number}"
                started.runs.append(_Run.start(program, part, site, shards.store))
        except OSError:  # a full disk, a program that cannot start: nothing early, then
            started.close()
            return None
        except BaseException:  # stopped meanwhile (Ctrl-C): nothing left running
            started.close()
            raise
        return started

    def awaited(self) -> set[str]:
        """The output paths of the pages Pagefind waits for."""
        return {path for run in self.runs for path in run.part.awaited}

    def deliver(self, pages: Mapping[str, bytes]) -> None:
        """Hand Pagefind the pages it waits for, rendered (output path -> page); a run whose pages did not come
        as awaited, or whose bundle the store holds already, is ended."""
        for run in self.runs:
            run.deliver(pages)

    def finish(self) -> None:
        """Wait for Pagefind, and keep each bundle that came out whole in the store (a stalled run is ended, and
        one still waiting for its pages too)."""
        for run in self.runs:
            if run.kept is None:
                continue
            if run.wait() and run.made.is_dir():
                _keep(run.made, run.kept, run.last)
        self.close()

    def close(self) -> None:
        """End what still runs, and remove what it made that is not kept."""
        self._ended()
        self.runs = []
        self.scratch.cleanup()


def _end_runs(runs: list[_Run]) -> None:
    for run in runs:
        run.end()


@dataclass(frozen=True, slots=True)
class _Writer:
    """What fills an awaited page's named pipe (`_WRITE_PAGE`) from `page`, a file, once told to."""

    page: Path
    process: subprocess.Popen[bytes]

    def go(self) -> None:
        """Fill the pipe: `page` holds the page now."""
        assert self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        self.process.stdin.close()


@dataclass(slots=True)
class _Run:
    """Pagefind making a part's bundle at `made`, waiting for the part's pages to come (`deliver`); `kept`:
    where the bundle is to be kept, once they came (None before, and for a run ended then); `last`: the part's
    last bundle, when `made` is in the scratch folder (see `_made_at`)."""

    process: subprocess.Popen[bytes]
    part: _Awaited
    site: Path
    made: Path
    last: Path | None
    store: Path
    program: _Program
    kept: Path | None = None
    writers: dict[str, _Writer] = field(default_factory=dict)  # awaited path -> what fills its pipe

    @classmethod
    def start(cls, program: _Program, part: _Awaited, site: Path, store: Path) -> _Run:
        """Pagefind started on the part's pages, copied to `site`, with a named pipe for each awaited page (all in
        one order, as `_copy_pages` puts them), and the pipes' writers, waiting to be told."""
        for path in sorted([*part.pages, *part.awaited]):
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            if path in part.awaited:
                os.mkfifo(site / path)
            else:
                (site / path).write_bytes(part.pages[path])
        made, last = _made_at(site.with_name(f"{site.name}-bundle"), store / f"{site.name}.{os.getpid()}.ahead.tmp",
                              store / _bundle_key(program, part.last))
        process = subprocess.Popen(_gently(program.command(site, made)), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run = cls(process, part, site, made, last, store, program)
        try:
            for number, path in enumerate(sorted(part.awaited)):
                page = site.with_name(f"{site.name}-page-{number}")
                run.writers[path] = _Writer(page, subprocess.Popen(
                    ["sh", "-c", _WRITE_PAGE, "sh", str(page), str(site / path), str(process.pid)],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        except BaseException:  # no shell, or stopped meanwhile: nothing left running
            run.end()
            raise
        return run

    def deliver(self, pages: Mapping[str, bytes]) -> None:
        """Fill the awaited pages' pipes with `pages`, and know where the bundle is to be kept; or end the run
        when a page did not come, or came marking content otherwise than awaited, or the store holds the bundle
        of these pages already."""
        came = {path: pages[path] for path in self.part.awaited if path in pages}
        cuts = {path: indexed_cut(html) for path, html in came.items()}
        facts = {path: _facts_of(html, cuts[path]) for path, html in came.items()}
        if len(came) < len(self.part.awaited) or any(facts[path][0] != self.part.awaited[path] for path in came):
            self.end()
            return
        kept = self.store / _bundle_key(self.program,
                                        {**self.part.digests, **{path: sha for path, (_, sha) in facts.items()}})
        if kept.is_dir():
            self.end()
            return
        try:
            for path, writer in self.writers.items():
                writer.page.write_bytes(cut_out(came[path], cuts[path]))
                writer.go()
        except OSError:  # a full disk, a writer gone: this part is made at the end
            self.end()
            return
        self.kept = kept

    def wait(self) -> bool:
        """Until it ends, or stalls (then it is ended: see `_Program.run`); whether it made its bundle from the
        whole of each page (Pagefind and the pipes' writers all came through)."""
        working = _Working(self.process.pid)
        while not ended_within(self.process, _STOP_POLL):
            if working.stalled():
                self.process.kill()
        writers = [writer.process for writer in self.writers.values()]
        for writer in writers:  # done once Pagefind read its page; one still there never saw it read
            if not ended_within(writer, _STOP_POLL):
                writer.kill()
                writer.wait()
        return self.process.returncode == 0 and all(writer.returncode == 0 for writer in writers)

    def end(self) -> None:
        """End Pagefind and the pipes' writers, if they still run, and remove what it made; nothing is kept."""
        for process in (self.process, *(writer.process for writer in self.writers.values())):
            if process.poll() is None:  # killed before its input ends: a writer would take that for a build gone
                process.kill()
                process.wait()
            if process.stdin is not None:
                process.stdin.close()
        shutil.rmtree(self.made, ignore_errors=True)
        self.kept = None


EARLY_NICENESS = 19  # how much lower Pagefind's early run goes than the build (see `_gently`)


def _gently(command: list[str]) -> list[str]:
    """`command`, run at the lowest priority (`nice`) where the system has it: beside the build, it takes the
    processor time the build leaves idle, rather than slowing the build down; once the build comes to wait for
    it, that is all of it. (Started before the edited page is rendered, it is done before the build's last files
    at 10,000 posts: in-process one-post builds there, five of each in turn, took 3.56 s at niceness 19 against
    3.62 s at 10; an earlier three, 3.43 s at 19, 3.49 s at 12 and 3.63 s at 5. While it started after the page
    and ended the build, 5 did better than 10: then the build's page workers held the other core.)"""
    nice = shutil.which("nice")
    return [nice, "-n", str(EARLY_NICENESS), *command] if nice else command


def _awaiting_parts(out_dir: Path, known: PageFacts, size: int, paths: Collection[str]) -> list[_Awaited]:
    """The parts the pages at `paths` fall in, as the last index split the pages with those pages in it: each such
    part's other pages as the output holds them, and its pages at `paths`, each marking content as the last
    index found it (a new page: as any page did then, the theme's way)."""
    last = known.last_index()
    if not last:
        return []
    marks = any(marked for marked, _ in last.values())
    awaited = {path: last[path][0] if path in last else marks for path in paths}
    facts = {**last, **{path: (marked, "") for path, marked in awaited.items()}}
    parts = []
    for _, part in split_pages(indexed_pages(facts), size):
        if not part.keys().isdisjoint(awaited):
            if not all(map(is_plain_path, part)):  # a store not as written: nothing read or made where it points
                return []
            given = {path: known.given_on_disk(out_dir, path) for path in part if path not in awaited}
            parts.append(_Awaited({path: page for path, (page, _) in given.items()},
                                  {path: sha for path, (_, sha) in given.items()},
                                  {path: awaited[path] for path in part if path in awaited},
                                  {path: last[path][1] for path in part if path in last}))
    return parts


def _bundle_key(program: _Program, digests: Mapping[str, str]) -> str:
    """What a part's bundle is kept by in the store: Pagefind's program, and each of its pages by the digest of
    what it is given of it (`indexed_form`)."""
    return digest(__version__, program.stamp, NOT_INDEXED, INDEXED_FORM,
                  *(part for item in sorted(digests.items()) for part in item))


def _made_at(in_scratch: Path, in_store: Path, last: Path) -> tuple[Path, Path | None]:
    """Where Pagefind makes a part's bundle, and the part's last bundle it is then settled against: in the scratch
    folder (`in_scratch`) when the store holds that last bundle (see `_settle`), else in the store beside its
    place (`in_store`, a folder left by a killed build removed), to be put there whole."""
    if last.is_dir():
        return in_scratch, last
    shutil.rmtree(in_store, ignore_errors=True)
    return in_store, None


def _keep(made: Path, kept: Path, last: Path | None) -> bool:
    """Keep the bundle at `made` in the store at `kept`, whole: put there when it was made beside it (`last`
    None), else settled against the part's last bundle (`_settle`), with the size and CRC-32 of each of its
    files beside it (`_SUMS`); whether the store holds it now (another build may have kept the same bundle
    meanwhile: as good)."""
    sums: dict[str, list[int]] | None = None
    if last is not None:
        sums = _settle(made, kept, last)
    else:
        with contextlib.suppress(OSError):
            os.replace(made, kept)
            sums = {name: _file_sum(kept / name) for name in _files_under(kept)}
    held = kept.is_dir()
    if held and sums is not None:  # put there by this build: its sums (another build's came with its own)
        with contextlib.suppress(OSError):
            write_atomically(_sums_path(kept), json.dumps({"files": sums}, sort_keys=True).encode("utf-8"))
    if held:  # what is left at `made`: the bundle settled, or the same as another build's kept meanwhile
        shutil.rmtree(made, ignore_errors=True)
    return held


_SUMS = ".sums.json"  # beside a kept bundle's folder, `<key>.sums.json`: each of its files' size and CRC-32


def _sums_path(bundle: Path) -> Path:
    return bundle.with_name(bundle.name + _SUMS)


def _sum_of(data: bytes) -> list[int]:
    return [len(data), zlib.crc32(data)]


def _file_sum(path: Path) -> list[int]:
    return _sum_of(path.read_bytes())


def _whole_bundle(bundle: Path, in_output: frozenset[int]) -> bool:
    """Whether the kept bundle at `bundle` holds the files its sums name, and no other, each of the size and
    CRC-32 noted when it was kept: a cache is never trusted to hold what its names say (a file cut short,
    overwritten or gone would be published as it is). A file the output holds as that very file (its inode in
    `in_output`) was whole when it was put there, and is not read: a one-post build reads only the few files
    its edited part made anew, a CI build (a new output) each kept part's files once (67 MB at 10,000 posts)."""
    try:
        sums = json.loads(_sums_path(bundle).read_bytes())["files"]
        inodes = _inodes_under(bundle)
        if not isinstance(sums, dict) or sums.keys() != inodes.keys():
            return False
        for name, inode in inodes.items():
            if inode not in in_output and _file_sum(bundle / name) != sums[name]:
                return False
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return False
    return True


def _forget_bundle(bundle: Path) -> None:
    """Remove a kept bundle and its sums."""
    _sums_path(bundle).unlink(missing_ok=True)
    shutil.rmtree(bundle, ignore_errors=True)


def _in_output(pages: _Pages, store: Path | None) -> frozenset[int]:
    """The inodes of the output's files as its walk found them, when the output and the store are on one device
    (where a kept bundle's file can be the output's very file); else none."""
    if pages.walked is None or store is None:
        return frozenset()
    try:
        if os.stat(pages.out_dir).st_dev != os.stat(store).st_dev:
            return frozenset()
    except OSError:
        return frozenset()
    return frozenset(state[1] for state in pages.walked.values())


def _inodes_under(folder: Path) -> dict[str, int]:
    """The relative path of every file under `folder` with its inode, from listings of its folders (no file
    looked at), links not followed."""
    found: dict[str, int] = {}
    pending = [(str(folder), "")]
    while pending:
        path, prefix = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    found[prefix + entry.name] = entry.inode()
    return found


def _settle(made: Path, kept: Path, last: Path) -> dict[str, list[int]] | None:
    """Put the bundle Pagefind made at `made`, in the scratch folder, in the store at `kept`: each of its files
    with the same bytes as the part's last bundle's file of its name (`last`) a link to that file, the others
    copied; nothing there when that fails (a full disk). Returns each file's size and CRC-32 (None: not put).

    An edit changes its part's index and metadata and the edited page's fragment, and leaves the part's
    other pages' fragments (hundreds) and the interface's files as they were: made in the scratch folder, in
    memory, they cost no new file on disk (creating a part's 700 files there, just after the last bundle's were
    removed, cost Pagefind's run 0.8–1.2 s of system time in a one-post build at 10,000 posts, where it now
    takes 0.3–0.4 s in all), and the output's files, the last bundle's, are the new bundle's as they stand:
    the writer leaves them, and links only the files that changed."""
    staging = kept.with_name(f"{kept.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    folders: set[Path] = set()
    sums = {}
    try:
        for name in _files_under(made):
            target = staging / name
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            data = (made / name).read_bytes()
            sums[name] = _sum_of(data)
            if not _linked_if_same(last / name, data, target):
                target.write_bytes(data)
        os.replace(staging, kept)
    except OSError:  # another build kept the same bundle meanwhile (as good), or a full disk: not kept
        shutil.rmtree(staging, ignore_errors=True)
        return None
    return sums


def _linked_if_same(kept: Path, data: bytes, target: Path) -> bool:
    """Link the kept file at `kept` at `target` when it is a plain file of the bytes `data`; whether it was."""
    try:
        found = os.lstat(kept)
        if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
            return False
        with open(kept, "rb") as old:
            if old.read() != data:
                return False
        os.link(kept, target, follow_symlinks=False)
    except OSError:
        return False
    return True


def _copy_pages(paths: Iterable[str], pages: _Pages, site: Path) -> None:
    """The pages at `paths` into the folder Pagefind reads, one at a time (a part's pages are never all in
    memory), in one order: Pagefind's index follows the order the folder was made in."""
    for path in sorted(paths):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(pages.given(path))


def _forget_parts_but(store: Path, used: set[Path]) -> None:
    """Remove the kept bundles this index no longer uses (and any left half-made), and their sums."""
    for entry in store.iterdir():
        if entry.is_dir() and entry not in used:
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.endswith(_SUMS) and entry.with_name(entry.name.removesuffix(_SUMS)) not in used:
            entry.unlink(missing_ok=True)


def _files_under(folder: Path) -> Iterator[str]:
    """The relative path of every file under `folder` (a bundle: a few folders of many files)."""
    for parent, _, names in os.walk(folder):
        prefix = os.path.relpath(parent, folder).replace(os.sep, "/")
        for name in names:
            yield name if prefix == "." else f"{prefix}/{name}"


def _scratch(kind: str, size: int) -> tempfile.TemporaryDirectory[str]:
    """A scratch folder for Pagefind's copy of `size` bytes of pages (and the bundles it makes there to be settled
    in the store, `_settle`), named for this process
    (`publisher-search-<kind><pid>-…`), once the folders left behind beside it are removed (`_remove_left_behind`)."""
    root = _scratch_root(size)
    _remove_left_behind(Path(root if root is not None else tempfile.gettempdir()))
    return tempfile.TemporaryDirectory(prefix=f"{SCRATCH_NAME}{kind}{os.getpid()}-", dir=root)


def _remove_left_behind(root: Path) -> None:
    """Remove the scratch folders in `root` that builds killed outright (SIGKILL, out of memory) left there: their
    process is gone, and they have not changed for `LEFT_BEHIND` seconds (time given a process of another
    container, whose number this one cannot see). In `/dev/shm` they would hold memory until the machine
    restarts (at 10,000 posts, 20 MB for an edit's part, hundreds for a new site's). Only on POSIX systems."""
    if os.name != "posix":
        return
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                named = _SCRATCH_OF.fullmatch(entry.name)
                if named is not None and not _alive(int(named[1])) and _left_long_ago(entry):
                    shutil.rmtree(entry.path, ignore_errors=True)
    except OSError:  # a folder that cannot be listed: nothing to remove
        return


def _alive(pid: int) -> bool:
    """Whether process `pid` is there (one of another user is: it cannot be signalled)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # there, but not ours
        pass
    return True


def _left_long_ago(entry: os.DirEntry[str]) -> bool:
    """Whether `entry` is a folder of this user's unchanged for `LEFT_BEHIND` seconds."""
    try:
        found = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return (entry.is_dir(follow_symlinks=False) and found.st_uid == os.getuid()
            and time.time() - found.st_mtime > LEFT_BEHIND)


def _scratch_root(size: int) -> Path | None:
    """Where the scratch copy goes: in memory when there is room for it several times over (copying a
    1,000-post site's 28 MB of pages takes 0.06 s there, 1.3 to 2 s on a slow virtual disk), else the system's
    temporary folder (None)."""
    needed = 4 * size
    try:
        roomy = shutil.disk_usage(MEMORY_FOLDER).free > needed and os.access(MEMORY_FOLDER, os.W_OK)
    except OSError:  # no such folder (macOS, Windows)
        return None
    return MEMORY_FOLDER if roomy else None


@dataclass(frozen=True, slots=True)
class _Program:
    """Pagefind's program, and what tells it from another (its path, size and time: another may write other
    bundles, so kept ones are told apart by it); each run is stopped once `stop` is set."""

    path: Path
    stamp: str
    stop: threading.Event

    @classmethod
    def found(cls, stop: threading.Event) -> _Program:
        path, source = _program()
        try:
            stamp = _identity(path, source)
        except OSError as exc:
            raise _search_error(f"cannot run Pagefind ({exc.strerror or exc})") from None
        return cls(path, stamp, stop)

    def run(self, site: Path, bundle: Path) -> None:
        """Index the pages in `site` into a bundle at `bundle`; raises IndexStopped once `stop` is set.

        Pagefind now and then stops working part way, every thread waiting, for good (seen with 1.5.2 about
        once in fifty runs on a loaded machine). A run that has used no processor time for `STALLED` seconds
        is taken for such, ended, and made again (`ATTEMPTS` runs in all)."""
        command = self.command(site, bundle)
        for _ in range(ATTEMPTS):
            if self.stop.is_set():  # a part whose thread took it as the build stopped: no run starts
                raise IndexStopped
            shutil.rmtree(bundle, ignore_errors=True)  # what a stalled run left
            try:
                process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True, errors="replace")
            except OSError as exc:
                raise _search_error(f"cannot run Pagefind ({exc.strerror or exc})") from None
            with process:
                said = self._outputs(process)
            if said is not None:
                break
        else:
            raise _search_error(f"Pagefind stopped working ({ATTEMPTS} runs, each idle for {STALLED:g} s)")
        if self.stop.is_set() or process.returncode == -signal.SIGINT:  # stopped, not failed
            raise IndexStopped
        if process.returncode != 0:
            raise _search_error(f"Pagefind could not index the pages: {_why(*said, process.returncode)}")

    def command(self, site: Path, bundle: Path) -> list[str]:
        """The command that indexes the pages in `site` into a bundle at `bundle`."""
        return [str(self.path), "--site", str(site), "--output-path", str(bundle), "--silent",
                "--exclude-selectors", NOT_INDEXED]

    def _outputs(self, process: subprocess.Popen[str]) -> tuple[str, str] | None:
        """What `process` printed once it ended, or once `stop` is set (it is killed then); None when it stalled
        (killed too)."""
        working = _Working(process.pid)
        while True:
            try:
                return process.communicate(timeout=_STOP_POLL)
            except subprocess.TimeoutExpired:  # retrying loses no output
                stalled = working.stalled()
                if self.stop.is_set() or stalled:
                    process.kill()
                    said = process.communicate()
                    return None if stalled and not self.stop.is_set() else said


class _Working:
    """Whether a running program still works: its processor time (Linux's /proc) went up within `STALLED`
    seconds. Where that cannot be read, it is taken to work."""

    def __init__(self, pid: int) -> None:
        self.stat = Path(f"/proc/{pid}/stat")
        self.used = self._used()
        self.since = time.monotonic()

    def stalled(self) -> bool:
        used = self._used()
        if used is None or used != self.used:
            self.used, self.since = used, time.monotonic()
            return False
        return time.monotonic() - self.since > STALLED

    def _used(self) -> int | None:
        """Its user and system time so far, in clock ticks (all its threads)."""
        try:
            fields = self.stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return int(fields[11]) + int(fields[12])


def _why(out: str, err: str, status: int) -> str:
    """What a failed Pagefind run said of why: a panic's message (Rust prints it after `panicked at <place>:`, and
    a note on backtraces last), else its last line."""
    lines = [line.strip() for line in (err.strip() or out.strip()).splitlines() if line.strip()]
    panic = next((n for n, line in enumerate(lines) if "panicked at" in line), None)
    if panic is not None and panic + 1 < len(lines):
        return lines[panic + 1]
    told = [line for line in lines if not line.startswith("note:")]
    return told[-1] if told else f"exit status {status}"


def _executable() -> Path:
    """Pagefind's binary, looked for as the `pagefind` package looks for it (`pagefind.service.get_executable`):
    $PAGEFIND_BINARY_PATH, else the one a `pagefind_bin_extended` or `pagefind_bin` wheel brings, else
    `pagefind_extended` or `pagefind` on PATH. Not through that function: its module imports asyncio for the
    package's service client, 0.06 s of every build's start that runs no service."""
    return _program()[0]


def _program_source() -> str:
    """Where Pagefind's binary is found (see `_program`); "" when it is missing (the build says so when it runs)."""
    try:
        return _program()[1]
    except ConfigError:
        return ""


def _program() -> tuple[Path, str]:
    """Pagefind's binary (see `_executable`), and where it was found: "PAGEFIND_BINARY_PATH", the wheel's module
    name, or "PATH"."""
    named = os.getenv("PAGEFIND_BINARY_PATH")
    if named is not None:
        return Path(named), "PAGEFIND_BINARY_PATH"
    for wheel in (EXTENDED_WHEEL, STANDARD_WHEEL):
        try:
            found: Path = importlib.import_module(wheel).get_executable()
        except ImportError:
            continue
        return found, wheel
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if on_path is None:
        raise _search_error("Pagefind's program is missing (pip install 'pagefind[bin]')")
    return Path(on_path), "PATH"


def program_stamp() -> str:
    """What tells Pagefind's program from another (`_identity`; "" when it is missing, which the build says once
    it runs it). Another program (an upgrade, the extended one installed) may make another index of the same
    pages, so a build is not up to date once it changed."""
    try:
        return _identity(*_program())
    except (ConfigError, OSError):
        return ""


def _identity(path: Path, source: str) -> str:
    """What tells Pagefind's program from another. A wheel's, by the wheel and its version, and its size: an
    install writes the program with the time it ran, and CI installs anew each run, so that every part of the
    index, kept by the program's time, was made again in every CI build (27 s at 10,000 posts). Another, by its
    path, size and time."""
    size = path.stat().st_size
    if source in (EXTENDED_WHEEL, STANDARD_WHEEL):
        with contextlib.suppress(PackageNotFoundError):  # a copy of the module without its wheel's metadata
            return f"{source}=={version(source)}:{size}"
    return f"{path}:{size}:{path.stat().st_mtime_ns}"


def _search_error(message: str) -> ConfigError:
    from publisher.config.model import CONFIG_NAME  # only now: see the imports

    return ConfigError(CONFIG_NAME, None, "search", f"{message}; or turn search off with [search] enabled = false")
