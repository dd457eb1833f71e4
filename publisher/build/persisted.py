"""The model `publisher build` keeps on disk between runs (`serve` keeps its own in memory, see `build.model`).

What is kept: each source file's reading (the `sources` memo: a post or page parsed from its front matter,
by the file's size, inode and times), the largest part of a build that changes one post (about 5 s of
parsing at 10,000 posts). It is one JSON file per output folder in the cache, `model-<key>.json`, with
the salt it was made under: publisher's version and code, the settings and templates (`SiteModel.salt`).
A file of another salt (another version, other settings), or one that does not read back whole, is
ignored and written anew: nothing in it is used. Data only (`core.datacodec`, for the model's own
types), so a cache restored from elsewhere can hold wrong data at worst, never run code.

Beside it, each post's finished body (`KeptBodies`: the `bodies` memo's results, 1.8 s of loading and
link resolving at 10,000 posts), under the same salt: its HTML in a spool file, the rest as JSON lines.
"""

from __future__ import annotations

import glob
import json
import os
import zlib
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from publisher.build.bodies import Finished
from publisher.build.model import SiteModel
from publisher.build.sources import Parsed
from publisher.content.model import Author, Entry, Post
from publisher.core.datacodec import DataCodec, Unwritable
from publisher.core.errors import Problem
from publisher.core.files import FileState, file_state, state_of, write_atomically, writing_atomically
from publisher.core.hashing import digest
from publisher.core.spool import Spool, Spooled
from publisher.images.responsive import Variant
from publisher.markdown.result import RenderedMarkdown

FORMAT = "publisher-model-2"
_CODEC = DataCodec([Parsed, Post, Author, Problem])


@dataclass(frozen=True, slots=True)
class KeptModel:
    """The model's file in the cache, and what was read from it: each entry, and its line in the file (an entry
    a build left as it was is written back as it was read, not encoded again; a build that read a few files
    anew adds their lines at the end, see `_added`); and the finished bodies kept beside it (None when another
    build is using them)."""

    path: Path
    salt: str
    loaded: dict[Hashable, tuple[tuple[object, Any], bytes]]
    bodies: KeptBodies | None
    read_as: _ReadAs | None = None  # the file as it was read (None: nothing read from it)

    @classmethod
    def open(cls, path: Path, bodies: Path, salt: str, model: SiteModel) -> KeptModel:
        """Read the kept model into `model` when it was made under `salt`; else start with none. `bodies`: where
        the finished bodies are kept (see `KeptBodies`)."""
        loaded, read_as = _read(path, salt)
        model.sources.restore({key: entry for key, (entry, _) in loaded.items()})
        return cls(path, salt, loaded, KeptBodies.open(bodies, salt, model), read_as)

    def save(self, model: SiteModel) -> None:
        """Keep what `model` holds now (after a complete build), unless it is what was read."""
        if self.bodies is not None:
            self.bodies.save(model)
        entries = model.sources.entries()
        new = {key: entry for key, entry in entries.items() if not self._as_read(key, entry)}
        if not new and entries.keys() == self.loaded.keys():
            return
        if self._added(entries, new):
            return
        lines = [json.dumps({"format": FORMAT, "salt": self.salt}).encode("utf-8")]
        for key, entry in sorted(entries.items(), key=lambda item: str(item[0])):
            line = self.loaded[key][1] if key not in new else _model_line(key, entry)
            if line is not None:
                lines.append(line)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, b"\n".join(lines) + b"\n")

    def _added(self, entries: dict[Hashable, tuple[object, Any]], new: dict[Hashable, tuple[object, Any]]) -> bool:
        """Add the lines of the readings made anew at the end of the file, when it is still as it was read, holds
        every source the model does, and would not hold more lines no source reads than sources (a later line
        of a source takes the place of an earlier one): a one-post edit at 10,000 posts writes one line, not
        the 8 MB of all of them. False when the file must be written whole."""
        if (self.read_as is None or self.loaded.keys() - entries.keys()
                or not self.read_as.takes(self.path, len(new), len(entries))):
            return False
        lines = (_model_line(key, new[key]) for key in sorted(new, key=str))
        with self.path.open("ab") as file:
            file.write(b"".join(line + b"\n" for line in lines if line is not None))
        return True

    def close(self) -> None:
        """The build is over (kept or not): let the next one write the bodies' spool file."""
        if self.bodies is not None:
            self.bodies.close()

    def _as_read(self, key: Hashable, entry: tuple[object, Any]) -> bool:
        """Whether the build used the very reading that was read for `key`, for a file as it was then (a file of
        other times whose bytes are the same gives the very reading too: its line is written again, with the
        file's new state, or the next build would read the file again to tell)."""
        kept = self.loaded.get(key)
        return kept is not None and kept[0][1] is entry[1] and kept[0][0] == entry[0]


@dataclass(frozen=True, slots=True)
class _ReadAs:
    """A kept file of a line a source (the model's, the bodies' index) as a build read it: its size, inode and
    times, its lines (those a later line of their source replaced too), and whether it ended with a whole line
    (a line added after a cut one would not read back)."""

    state: FileState
    lines: int
    whole: bool

    def takes(self, path: Path, added: int, sources: int) -> bool:
        """Whether `added` lines may go at the end of the file at `path`, for `sources` sources: it ends with a
        whole line, is still as it was read (no other build wrote it since), and would then hold no more lines
        no source reads than a tenth of the sources (and `_SLACK_LINES`), each of which every build decodes for
        nothing; else it is to be written whole (a build that read every file anew, as CI's does, would have
        doubled it)."""
        unread = self.lines + added - sources
        return self.whole and unread <= sources // 10 + _SLACK_LINES and _stamp(path) == self.state


def _model_line(key: Hashable, entry: tuple[object, Any]) -> bytes | None:
    """A reading's line in the model's file; None for one the codec cannot write (a CTA, or front matter with a
    set: parsed again next time)."""
    try:
        return json.dumps([_CODEC.encode(key), *map(_CODEC.encode, entry)]).encode("utf-8")
    except (Unwritable, RecursionError):
        return None


def _read(path: Path, salt: str) -> tuple[dict[Hashable, tuple[tuple[object, Any], bytes]], _ReadAs | None]:
    """The entries of the file at `path` with their lines (a source's last line, when it has more), if it was
    made under `salt` and reads back whole, and what the file was then; else none. The lines are decoded as
    one JSON array (10,000 calls of the decoder took a fifth more), each of which must be a line's own."""
    try:
        with path.open("rb") as file:
            state = state_of(os.fstat(file.fileno()))
            first = file.readline()
            header = json.loads(first)
            if type(header) is not dict or header.get("format") != FORMAT or header.get("salt") != salt:
                return {}, None
            rest = file.read()
        whole = rest.endswith(b"\n") if rest else first.endswith(b"\n")
        lines = rest.split(b"\n") if rest else []
        if whole and lines:
            lines.pop()
        if not all(line.startswith(b"[") and line.endswith(b"]") for line in lines):
            return {}, None
        entries: dict[Hashable, tuple[tuple[object, Any], bytes]] = {}
        for line, (key, inputs, value) in zip(lines, _CODEC.loads(b"[" + b",".join(lines) + b"]"), strict=True):
            if type(value) is not Parsed:
                return {}, None
            entries[key] = ((inputs, value), line)
        return entries, _ReadAs(state, len(lines), whole)
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return {}, None


BODIES_FORMAT = "publisher-bodies-6"  # 3: each body with the images it was finished against; 4: `around` in two;
# 5: each body with the sources its links named, `around` the images' version alone; 6: its counts in the first array
_PROBLEMS = DataCodec([Problem])
_FIRST = json.JSONDecoder()
_SLACK = 1 << 20  # bytes of texts no line points to that a spool file may hold beyond as many as the lines do
_SLACK_LINES = 64  # lines no source reads that a kept file (the model, the bodies' index) may hold beyond a tenth


class KeptBodies:
    """Each post's finished body as the last `publisher build` left it (`build.bodies.Finished`), so the next
    one neither loads nor finishes again the bodies whose Markdown, links and images are as they were (each
    body's own images and the sources its links name: see `build.bodies.Finished`).

    The HTML stays where the build that finished it wrote it: in a spool file in the cache
    (`bodies-<key>-<n>.html`, see `core.spool`), each build writing its new bodies after the others, under
    a lock (a build that finds it taken keeps nothing). The rest is one line a post in `bodies-<key>.json`,
    under a header with the salt (as `KeptModel`'s), the digest of the images' version (`_around_digest`),
    and the spool file's number; a later line of a
    post takes the place of an earlier one: a build adds the lines of the bodies it finished to the end, and
    writes the index whole only when it must (see `_added`). Once the spool file holds more texts no line
    points to than texts lines point to, a save copies the latter to a file of the next number.

    A line is two JSON arrays, a tab between them (`_line`). The first is decoded when the line's post asks for
    its body: its source, what the body was finished from, where its HTML is, its excerpt, word count and reading
    time (lists show them), its images' copies, warnings and digest, the images it was finished against, the
    sources its links named with their URLs then, and the checksum of the second. The second holds
    the rest of the rendered Markdown but its HTML (the table of contents, heading count, pull quotes and talking
    points: two thirds of the line), decoded only when the body itself is asked for (`_KeptMarkdown`): a
    one-post edit at 10,000 posts does so for a few posts (the pages made again show their own tables of contents),
    and one that makes the archive again no longer decodes all 10,000 (0.15 s)."""

    def __init__(self, index: Path, salt: str, spool: Spool, kept: _KeptBodies) -> None:
        self.index, self.salt, self.spool = index, salt, spool
        self.around, self.number, self.lines = kept.around, kept.number, kept.lines
        self.read_as = kept  # what the index held when read: a save adds to it while it still does (`_added`)
        self.handed: dict[str, tuple[Finished, bytes]] = {}  # source -> what `find` gave, and its line
        self._around: tuple[tuple[str, object], str] | None = None  # the last `around` asked for, and its digest

    @classmethod
    def open(cls, index: Path, salt: str, model: SiteModel) -> KeptBodies | None:
        """The bodies kept at `index` when made under `salt` (else none, and their spool file emptied), with
        the model's spool set to their file; None when another build holds that file."""
        kept = _KeptBodies.read(index, salt)
        spool = Spool.in_file(_spool_path(index, kept.number), empty=not kept.lines)
        if spool is None:
            return None
        bodies = cls(index, salt, spool, kept)
        model.spool, model.kept_bodies = spool, bodies
        return bodies

    def find(self, post: Post, key: str, around: tuple[str, object], *, images_as_found: bool = False
             ) -> Finished | None:
        """The post's finished body as kept, when it was finished from a body of Markdown cache key `key`,
        starting on the same line, against an equal `around` (the images' version, see `build.bodies`); with
        `images_as_found`, whatever the images' version (the caller compares the body's own). The caller
        compares the URLs its links found (`Finished.links`)."""
        line = self.lines.get(post.source)
        if line is None:
            return None
        if not images_as_found and self._around_digest(around) != self.around:
            return None
        try:
            finished = self._decoded(post, key, line)
        except (ValueError, TypeError, KeyError, IndexError, RecursionError):
            return None
        if finished is not None:
            self.handed[post.source] = (finished, line)
        return finished

    def taken(self, source: str) -> bool:
        """Whether this build took the source's body as kept (else it finished it)."""
        return source in self.handed

    def _decoded(self, post: Post, key: str, line: bytes) -> Finished | None:
        tab = line.index(b"\t")
        (_, body_line, kept_key, offset, length, sha, excerpt, words, minutes, inline_at, copies, warnings,
         body_digest, images, links, checksum) = json.loads(line[:tab])
        if body_line != post.body_line or kept_key != key:
            return None
        end = len(line) - 1 if line.endswith(b"\n") else len(line)  # the second array's, before the line break
        if not (type(copies) is list and _all(str, sha, excerpt, body_digest)
                and _all(int, offset, length, checksum, words, minutes)
                and type(inline_at) in (int, type(None)) and 0 <= offset <= offset + length <= self.spool.size
                and zlib.crc32(memoryview(line)[tab + 1:end]) == checksum):
            raise ValueError("not a line a build wrote")
        body = _KeptMarkdown(excerpt, words, minutes, line, tab + 1)
        entry = Entry(post, body, Spooled(self.spool, offset, length, sha), inline_at, body_digest)
        made = tuple(Variant(path, width, height, Path(original), original_sha)
                     for path, width, height, original, original_sha in copies)
        problems = tuple(_PROBLEMS.decode(warnings)) if warnings != [] else ()
        looked = tuple((path, token) for path, token in images)
        named = tuple((source, url) for source, url in links)
        if not (all(_all(str, v.path, v.sha) and _all(int, v.width, v.height) for v in made)
                and _all(Problem, *problems) and all(_all(str, path, token) for path, token in looked)
                and all(type(source) is str and type(url) in (str, type(None)) for source, url in named)):
            raise ValueError("not a line a build wrote")
        return Finished(entry, made, problems, looked, named)

    def _around_digest(self, around: tuple[str, object]) -> str:
        """What bodies are finished against (one object for all the posts of a build): the images' version, as a
        digest."""
        if self._around is None or self._around[0] is not around:
            self._around = (around, digest(repr(around)))
        return self._around[1]

    def save(self, model: SiteModel) -> None:
        """Keep the bodies the model holds now (after a complete build), unless they are what was read."""
        finished: dict[str, tuple[Any, Finished]] = {
            str(source): (made_from, done) for source, (made_from, done) in model.bodies.entries().items()
            if isinstance(done, Finished) and done.entry.stored is not None and done.entry.stored.spool is self.spool}
        arounds = {self._around_digest(made_from[2]) for made_from, _ in finished.values()}
        if len(arounds) != 1:
            return
        [around] = arounds
        if (around == self.around and finished.keys() == self.lines.keys()
                and all(self._as_read(source, done) for source, (_, done) in finished.items())):
            return
        if self._wasteful(finished) and not self._move_to_new_file(finished):
            return
        if around == self.around and self._added(finished):
            return
        header = {"format": BODIES_FORMAT, "salt": self.salt, "around": around, "spool": self.number}
        with writing_atomically(self.index) as file:  # a line at a time: the index is 5 KB a post
            file.write(json.dumps(header).encode("ascii") + b"\n")
            for source, (made_from, done) in sorted(finished.items()):
                line = self.handed[source][1] if self._as_read(source, done) else _line(source, made_from, done)
                file.write(line if line.endswith(b"\n") else line + b"\n")
        for other in self.index.parent.glob(f"{glob.escape(self.index.stem)}-*.html"):  # files no index names
            if other != _spool_path(self.index, self.number):
                other.unlink(missing_ok=True)

    def _added(self, finished: dict[str, tuple[Any, Finished]]) -> bool:
        """Add the lines of the bodies finished anew at the end of the index, when it is still as it was read,
        for the same posts and spool file, and it would not hold more lines no post reads than posts (a line
        read later takes the place of an earlier one of its post): a one-post edit writes one line, not the
        50 MB of 10,000. False when the index must be written whole."""
        kept = self.read_as
        new = [source for source, (_, done) in sorted(finished.items()) if not self._as_read(source, done)]
        if (kept.number != self.number or kept.file is None or self.lines.keys() - finished.keys()
                or not kept.file.takes(self.index, len(new), len(finished))):
            return False
        with self.index.open("ab") as file:
            for source in new:
                file.write(_line(source, *finished[source]) + b"\n")
        return True

    def close(self) -> None:
        """Let the next build write the spool file (this one still reads it)."""
        self.spool.unlock()

    def _as_read(self, source: str, done: Finished) -> bool:
        handed = self.handed.get(source)
        return handed is not None and handed[0] is done

    def _wasteful(self, finished: dict[str, tuple[Any, Finished]]) -> bool:
        """Whether the spool file holds more texts no line points to than texts lines point to (and some)."""
        held = sum(done.entry.stored.length for _, done in finished.values() if done.entry.stored is not None)
        return self.spool.size > 2 * held + _SLACK

    def _move_to_new_file(self, finished: dict[str, tuple[Any, Finished]]) -> bool:
        """Copy the bodies' texts into a spool file of the next number (their lines are then written anew);
        False when that file is taken."""
        spool = Spool.in_file(_spool_path(self.index, self.number + 1), empty=True)
        if spool is None:
            return False
        for source, (made_from, done) in finished.items():
            assert done.entry.stored is not None
            moved = replace(done.entry, stored=spool.put(done.entry.stored.text()))
            finished[source] = (made_from, replace(done, entry=moved))
        self.spool.unlock()
        self.spool, self.number, self.handed = spool, self.number + 1, {}
        return True


@dataclass(frozen=True, slots=True)
class _KeptBodies:
    """What the index file of the kept bodies holds: see `KeptBodies`."""

    around: str = ""
    number: int = 0  # of the spool file
    lines: dict[str, bytes] = field(default_factory=dict)  # source -> its (last) line, not decoded yet
    file: _ReadAs | None = None  # the index's file as it was read (None: nothing read from it)

    @classmethod
    def read(cls, index: Path, salt: str) -> _KeptBodies:
        """The index at `index`, if it was made under `salt`; else none."""
        try:
            with index.open("rb") as file:
                stamp = state_of(os.fstat(file.fileno()))
                first = file.readline()
                header = json.loads(first)
                if (type(header) is not dict or header.get("format") != BODIES_FORMAT or header.get("salt") != salt
                        or type(header.get("around")) is not str or type(header.get("spool")) is not int):
                    return cls()
                lines, count, whole = {}, 0, first.endswith(b"\n")
                for line in file:
                    source, _ = _FIRST.raw_decode(line[:line.find(b"\t")].decode("ascii"), 1)  # its first item
                    lines[source] = line
                    count, whole = count + 1, line.endswith(b"\n")
                return cls(header["around"], header["spool"], lines, _ReadAs(stamp, count, whole))
        except (OSError, ValueError, KeyError, TypeError, IndexError, RecursionError):
            return cls()


def _stamp(path: Path) -> FileState | None:
    try:
        return file_state(path)
    except OSError:
        return None


def _all(kind: type, *values: object) -> bool:
    """Whether every value is of exactly this type (a line from elsewhere may hold anything)."""
    return set(map(type, values)) <= {kind}  # one pass in C: 40 values a post, 10,000 posts a build


def _spool_path(index: Path, number: int) -> Path:
    return index.with_name(f"{index.stem}-{number}.html")


def _line(source: str, made_from: tuple[Any, ...], done: Finished) -> bytes:
    """A finished body's line in the index: its two JSON arrays (see `KeptBodies`; JSON in ASCII: any text,
    surrogates too), a tab between them."""
    post, key, _ = made_from
    body, stored = done.entry.body, done.entry.stored
    assert stored is not None
    rendered = json.dumps([body.toc_html, body.heading_count, list(body.pull_quotes),
                           list(body.talking_points)]).encode("ascii")
    copies = [[v.path, v.width, v.height, str(v.source), v.sha] for v in done.copies]
    first = json.dumps([source, post.body_line, key, stored.offset, stored.length, stored.digest, body.excerpt_html,
                        body.word_count, body.reading_minutes, done.entry.inline_cta_at, copies,
                        _PROBLEMS.encode(list(done.warnings)), done.entry.body_digest,
                        [list(pair) for pair in done.images], [list(pair) for pair in done.links],
                        zlib.crc32(rendered)]).encode("ascii")
    return first + b"\t" + rendered


class _KeptMarkdown:
    """A kept body's rendered Markdown but its HTML: its excerpt and counts, and the second part of its line, whose
    checksum `find` has compared, decoded when the body is first asked for (`Entry.body`), then held."""

    __slots__ = ("_line", "_read", "_start", "excerpt_html", "reading_minutes", "word_count")

    def __init__(self, excerpt_html: str, word_count: int, reading_minutes: int, line: bytes, start: int) -> None:
        self.excerpt_html, self.word_count, self.reading_minutes = excerpt_html, word_count, reading_minutes
        self._line, self._start = line, start
        self._read: RenderedMarkdown | None = None

    def read(self) -> RenderedMarkdown:
        if self._read is None:
            toc, headings, quotes, points = json.loads(self._line[self._start:])
            if not (_all(list, quotes, points) and _all(str, toc, *quotes, *points) and type(headings) is int):
                raise ValueError("a kept body's line holds what no build wrote, though its checksum is right")
            self._read = RenderedMarkdown("", toc, self.excerpt_html, self.word_count, self.reading_minutes, headings,
                                          tuple(quotes), tuple(points))
        return self._read
