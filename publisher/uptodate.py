"""Knowing, without building, that a build would change nothing.

A build's output depends on its input files, its settings and options, and
"now" (which posts are published, which share items are due). After each
build a stamp records all three:

- a digest of the path, size and modification time of every file the build
  could read (content, static files, theme folders, the settings file and
  publisher's own code) together with the options;
- a digest of the same for every file in the output folder, so an output
  someone edited or deleted is built again;
- the span of time the output stays right: from the latest post date or share
  time already passed to the next one still to come.

When a later build finds the same inputs and output and its "now" inside the
span, it would write the same bytes, so it is skipped.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

SETTLE_NS = 3_000_000_000  # files changed more recently than this may change again unseen


@dataclass(frozen=True, slots=True)
class Stamp:
    inputs: str | None  # None: some input had only just changed, so the stamp never matches
    outputs: str | None
    since: datetime | None  # the output is right for `since <= now < until`
    until: datetime | None

    def covers(self, inputs: str | None, outputs: str | None, now: datetime) -> bool:
        return (inputs is not None and self.inputs == inputs and self.outputs == outputs
                and (self.since is None or self.since <= now) and (self.until is None or now < self.until))

    def to_json(self) -> dict[str, Any]:
        return {"inputs": self.inputs, "outputs": self.outputs,
                "since": self.since and self.since.isoformat(), "until": self.until and self.until.isoformat()}

    @classmethod
    def from_json(cls, data: Any) -> Stamp | None:
        try:
            return cls(data["inputs"], data["outputs"], _when(data["since"]), _when(data["until"]))
        except (KeyError, TypeError, ValueError):
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


def files_digest(folders: Iterable[Path], files: Iterable[Path] = (), extra: str = "", *, settled: bool = True) -> str | None:
    """A digest of the path, size and modification time of every file in `folders` and of `files`.

    With `settled`, None when a file changed within the last few seconds: file
    systems keep times in coarse ticks, so a file written again within the
    same tick may keep its size and time, and no digest of them could tell.
    """
    stats: list[tuple[str, int, int]] = []
    for folder in folders:
        stats.append((f"folder {folder}", 0, 0))
        stats += sorted(_walk(str(folder), len(str(folder)) + 1, set()))
    for path in files:
        try:
            stat = path.stat()
            stats.append((f"file {path}", stat.st_size, stat.st_mtime_ns))
        except OSError:
            stats.append((f"missing {path}", 0, 0))
    if settled and max((mtime for _, _, mtime in stats), default=0) > time.time_ns() - SETTLE_NS:
        return None
    h = hashlib.sha256(extra.encode("utf-8"))
    for name, size, mtime in stats:
        h.update(f"{name}\0{size}\0{mtime}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _walk(folder: str, strip: int, seen: set[str]) -> Iterator[tuple[str, int, int]]:
    """(path, size, mtime) of each file below `folder`, following symbolic links but never around a loop."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir():
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if target in seen:
                        continue
                    seen.add(target)
                yield from _walk(entry.path, strip, seen)
                continue
            stat = entry.stat()
        except OSError:
            continue
        yield entry.path[strip:], stat.st_size, stat.st_mtime_ns
