"""Pagefind started before the build is loaded: the first step of `publisher build`.

A one-post build at 10,000 posts ends last with Pagefind's run on the part of the search index the edited page
falls in (`pages.search.IndexAhead`). That run needs the output, the store of the index's parts and the pages
it is to wait for, not the build's modules (0.4 s to import), settings, theme or cache. So the last complete
`publisher build` into an output folder leaves a launch record in the cache (`Launch`), and the next reads it
with nothing else of the build loaded (`EarlyIndex.start`, from `commands.entry`), looks for the posts and
pages changed since, and starts Pagefind on their pages' parts.

A guess that costs no build its rightness, as any `IndexAhead` is: a part's bundle is kept by the digests of
the pages it was made from, so a run whose pages come out otherwise is ended, or its bundle kept for nothing.
The record is not trusted: one not as written, or naming a page's path that climbs out of its folder, starts
nothing; the settings or templates changed since (every page changes), nothing either.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from publisher import __version__
from publisher.build.options import BuildOptions, output_key, search_store
from publisher.core.files import write_atomically
from publisher.core.slugs import is_plain_path
from publisher.pages.search import MOST_AHEAD, IndexAhead, Shards

LAUNCH_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Launch:
    """What the last complete `publisher build` into an output folder leaves for the next to start Pagefind early
    by: the size of the parts its search index was split in; the files and folders whose change changes every
    page (the settings, the theme's folders), by path; the output path of each post's and page's page, by the
    path of its source from the site's folder. The record's time says when it was left (`keep`)."""

    shard_size: int
    settings: tuple[str, ...]
    pages: dict[str, str]

    def to_json(self) -> bytes:
        return json.dumps({"format": LAUNCH_FORMAT, "version": __version__, "shard_size": self.shard_size,
                           "settings": list(self.settings), "pages": self.pages}, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Launch | None:
        """The record in `data`; None when it is not one this publisher wrote as it writes them."""
        try:
            record = json.loads(data)
        except (ValueError, RecursionError):
            return None
        if type(record) is not dict or record.get("format") != LAUNCH_FORMAT or record.get("version") != __version__:
            return None
        size, settings, pages = record.get("shard_size"), record.get("settings"), record.get("pages")
        if (type(size) is not int or size < 1 or type(settings) is not list or type(pages) is not dict
                or not all(type(path) is str for path in (*settings, *pages.values()))
                or not all(map(is_plain_path, (*pages, *pages.values())))):
            return None
        return cls(size, tuple(settings), pages)

    def keep(self, folder: Path, out_dir: Path) -> None:
        """Leave the record for the next build into `out_dir`, as of now: written when it says otherwise than the
        one there, else that one's time moved on. A cache that cannot be written: the next starts nothing early."""
        path = launch_path(folder, out_dir)
        data = self.to_json()
        with contextlib.suppress(OSError):
            if _holds(path, data):
                os.utime(path)
            else:
                write_atomically(path, data)


def launch_path(folder: Path, out_dir: Path) -> Path:
    """Where the cache in `folder` keeps the launch record of builds into `out_dir`."""
    return folder / f"launch-{output_key(out_dir)}.json"


@dataclass(slots=True)
class EarlyIndex:
    """Pagefind's early run once its start was tried (`start`): `run` is None when there was nothing to start."""

    run: IndexAhead | None = None

    @classmethod
    def start(cls, options: BuildOptions) -> EarlyIndex:
        """Pagefind started on the parts of the search index that the pages of the posts and pages changed since
        the last complete build with these options fall in, waiting for those pages (see `IndexAhead`). Nothing
        for a build that keeps no cache, or makes its index after its pages (`serve`), or into a folder whose
        parts are kept by another name (`check`), or when the record says nothing (none, another's, settings
        changed since, no page or too many changed)."""
        folder = options.cache_folder()
        if folder is None or options.search_later or options.search_parts:
            return cls()
        try:
            out_dir = options.output_dir()
            path = launch_path(folder, out_dir)
            as_of = os.stat(path).st_mtime_ns
            launch = Launch.from_json(path.read_bytes())
            if launch is None or any(_changed_since(Path(setting), as_of) for setting in launch.settings):
                return cls()
            root = options.root
            edited = [page for source, page in launch.pages.items()
                      if _edited_since(os.path.join(root, source), as_of)]
        except (OSError, ValueError, RuntimeError):  # none left (a first build), a path that cannot be: the build says
            return cls()
        if not edited or len(edited) > MOST_AHEAD:
            return cls()
        return cls(IndexAhead.waiting(out_dir, Shards(launch.shard_size, search_store(folder, output_key(out_dir))),
                                      edited))

    def close(self) -> None:
        """End the run, if it still waits (a build that stopped, or found nothing to do)."""
        if self.run is not None:
            self.run.close()


def _edited_since(path: str, as_of: int) -> bool:
    """Whether the file at `path` changed after `as_of` (its change time, in ns); a file gone is not edited."""
    try:
        return os.stat(path).st_ctime_ns > as_of
    except OSError:
        return False


def _changed_since(path: Path, as_of: int) -> bool:
    """Whether the file or folder at `path`, or a file or folder under it, changed after `as_of`, or is gone."""
    try:
        if os.stat(path).st_ctime_ns > as_of:
            return True
    except OSError:
        return True
    for folder, folders, files in os.walk(path):
        for name in (*folders, *files):
            with contextlib.suppress(OSError):  # gone meanwhile: its folder changed
                if os.stat(os.path.join(folder, name)).st_ctime_ns > as_of:
                    return True
    return False


def _holds(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False
