"""Knowing, without building, that a build would change nothing.

A build's output depends on its input files, its settings and options, and
"now" (which posts are published, which share items are due). After each
build a stamp records all three:

- a digest of the path, size and modification time of every file the build
  could read (content, static files, theme folders, the settings file and
  publisher's own code) together with the options, plus a digest of the bytes
  of each file changed within the last few seconds (see `Listing`);
- a digest of the same for every file in the output folder, so an output
  someone edited or deleted is built again; the search index's folder apart
  from the pages, since `serve` writes it after them (an index still pending
  when `serve` stopped is made again from the pages, which stay right);
- the span of time the output stays right: from the latest post date or share
  time already passed to the next one still to come.

When a later build finds the same inputs and output and its "now" inside the
span, it would write the same bytes, so it is skipped.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

SETTLE_NS = 3_000_000_000  # files changed more recently than this may change again unseen


@dataclass(frozen=True, slots=True)
class Listing:
    """What `list_files` saw: a digest of each file's path, size and modification time, and the
    content digest of each file changed within the last few seconds.

    File systems keep times in coarse ticks, so a file written again within
    the tick may keep its size and time; for such files only their bytes tell.
    """

    digest: str
    recent: dict[str, str]  # path -> SHA-256 of its bytes

    def unchanged(self, now: Listing) -> bool:
        """Whether `now` (a later listing) sees the very files this one did."""
        return self.digest == now.digest and all(_content(path) == sha for path, sha in self.recent.items())


INDEX_PENDING = "search index pending"  # a Stamp's `index` while the pages wait for their search index


@dataclass(frozen=True, slots=True)
class Stamp:
    inputs: Listing
    outputs: str  # the output folder's digest, its search index's folder left out (`OutputDigests.pages`)
    index: str  # the search index folder's digest, or INDEX_PENDING
    since: datetime | None  # the output is right for `since <= now < until`
    until: datetime | None

    def covers(self, inputs: Listing, now: datetime, output: Callable[[], OutputDigests]) -> OutputDigests | None:
        """The digests of the output (`output()`, asked for last: the dearest) when a build from `inputs` at
        `now` would write the very pages it holds, else None."""
        if not (self.inputs.unchanged(inputs) and (self.since is None or self.since <= now)
                and (self.until is None or now < self.until)):
            return None
        digests = output()
        return digests if self.outputs == digests.pages else None

    def with_index(self, index: str) -> Stamp:
        return Stamp(self.inputs, self.outputs, index, self.since, self.until)

    def to_json(self) -> dict[str, Any]:
        return {"inputs": self.inputs.digest, "recent": self.inputs.recent, "outputs": self.outputs,
                "index": self.index, "since": self.since and self.since.isoformat(),
                "until": self.until and self.until.isoformat()}

    @classmethod
    def from_json(cls, data: Any) -> Stamp | None:
        try:
            recent = {str(path): str(sha) for path, sha in data["recent"].items()}
            return cls(Listing(data["inputs"], recent), data["outputs"], data["index"], _when(data["since"]),
                       _when(data["until"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


def _when(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def span(moments: Iterable[datetime], now: datetime) -> tuple[datetime | None, datetime | None]:
    """The latest of `moments` at or before `now` and the earliest after it (None when there is none)."""
    since = until = None
    for moment in moments:
        if moment <= now:
            since = moment if since is None or moment > since else since
        elif until is None or moment < until:
            until = moment
    return since, until


def list_files(folders: Iterable[Path], files: Iterable[Path] = (), extra: str = "", *, recent: bool = True,
               leave_out: Path | None = None) -> Listing:
    """Every file in `folders`, and `files`, by path, size and modification time (and `extra`, the options).

    `recent=False` leaves out the content of recently changed files, for
    listings only publisher writes to (the output); `leave_out`: a folder
    not listed.
    """
    stats: list[tuple[str, int, int]] = []
    for folder in folders:
        stats.append((f"folder {folder}", 0, 0))
        stats += sorted(_walk(str(folder), {str(leave_out)} if leave_out else set()))
    for path in files:
        try:
            stat = path.stat()
            stats.append((str(path), stat.st_size, stat.st_mtime_ns))
        except OSError:
            stats.append((f"missing {path}", 0, 0))
    h = hashlib.sha256(extra.encode("utf-8"))
    for name, size, mtime in stats:
        h.update(f"{name}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    settled = time.time_ns() - SETTLE_NS if recent else None
    return Listing(h.hexdigest(), {name: _content(name) for name, size, mtime in stats if settled and mtime > settled})


@dataclass(frozen=True, slots=True)
class OutputDigests:
    """Listing digests of the output folder (only publisher writes there: no content needed): of its pages
    and other files, and of its search index's folder, apart."""

    pages: str
    index: str

    @classmethod
    def of(cls, output_dir: Path, index_folder: str) -> OutputDigests:
        index = output_dir / index_folder
        return cls(list_files([output_dir], recent=False, leave_out=index).digest,
                   list_files([index], recent=False).digest)


def _content(path: str) -> str:
    try:
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return "unreadable"


def _walk(folder: str, seen: set[str]) -> Iterator[tuple[str, int, int]]:
    """(path, size, mtime) of each file below `folder`, following symbolic links but never around a loop
    (nor into a folder `seen` already holds)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir():
                if entry.path in seen:
                    continue
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if target in seen:
                        continue
                    seen.add(target)
                yield from _walk(entry.path, seen)
                continue
            stat = entry.stat()
        except OSError:
            continue
        yield entry.path, stat.st_size, stat.st_mtime_ns
