"""Knowing, without building, that a build would change nothing.

A build's output depends on its input files, its settings and options, and
"now" (which posts are published, which share items are due). After each
build a stamp records all three:

- a digest of the path, size and modification time of every file the build
  could read (content, static files, theme folders, the settings file and
  publisher's own code) together with the options, plus a digest of the bytes
  of each file changed within the last few seconds (see `Listing`);
- a digest of the same for every file in the output folder, with its change
  time (but for the cards and image copies linked from the cache, see
  `_pages_digest`), so an output someone edited or deleted is built again,
  its modification time put back or not; the search index's folder apart
  from the pages, since `serve` writes it after them (an index still pending
  when `serve` stopped is made again from the pages, which stay right);
- the span of time the output stays right: from the latest post date or share
  time already passed to the next one still to come.

When a later build finds the same inputs and output and its "now" inside the
span, it would write the same bytes, so it is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from publisher.build.inputs import FileStates, Listing, Stat, list_files

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


@dataclass(frozen=True, slots=True)
class OutputDigests:
    """Listing digests of the output folder (only publisher writes there: no content needed): of its pages
    and other files, and of its search index's folder, apart."""

    pages: str
    index: str

    @classmethod
    def of(cls, output_dir: Path, index_folder: str) -> OutputDigests:
        """The digests of the output folder as it is now (walked)."""
        index = output_dir / index_folder
        return cls(_pages_digest(FileStates.scan([output_dir], leave_out=index)),
                   list_files([index], recent=False).digest)

    @classmethod
    def of_found(cls, output_dir: Path, index_folder: str, found: Mapping[str, Stat]) -> OutputDigests:
        """As `of`, from the state of every file in the output, by its path joined to the folder's (what the
        writer's walk for stale files found, `WriteStats.found`), not from a walk of its own: the same digests
        for the same files, without `stat`ing 34,000 files again at 10,000 posts."""
        top, index = str(output_dir), str(output_dir / index_folder)
        inside = index + os.sep
        pages = {path: state for path, state in found.items() if not path.startswith(inside)}
        indexed = {path: state for path, state in found.items() if path.startswith(inside)}
        return cls(_pages_digest(FileStates({top: pages}, {}, frozenset())),
                   FileStates({index: indexed}, {}, frozenset()).listing(recent=False).digest)


# What a build links from its cache into the output, and `publisher check` into its own folder too: cards (`.png`,
# `.jpg`) and image copies (`.webp`). Each link made or removed moves the file's change time, not its bytes.
_LINKED_FROM_CACHE = (".png", ".jpg", ".webp")


def _pages_digest(states: FileStates) -> str:
    """The digest of the output's files, their search index apart: each file's path, size and modification time,
    and its change time, but for cards and image copies (`_LINKED_FROM_CACHE`). A page edited by hand to the same
    size, its modification time put back (`os.utime`, `touch -r`), or through another name linked to it, was taken
    for the page the build wrote, and the build skipped: no program sets a change time back."""
    return states.with_files(states.folders_digest(changed=False, shared=_is_linked_from_cache), changed=False)


def _is_linked_from_cache(path: str) -> bool:
    return path.endswith(_LINKED_FROM_CACHE)
