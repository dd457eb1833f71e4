"""A one-post `publisher build`'s head start: Pagefind started on the part of the search index the edit falls in
as the process starts, before the rest of publisher is imported (0.25 s), where the build's own early start
(`pipeline._index_before_reading`) comes only once its settings, theme and caches are read. On a site whose
index is one part, 1,000 posts, that part is what the build waits for.

Each `publisher build` that keeps its model leaves a record beside it (`write_record`): where its model and
index parts are kept, the size of the index's parts, and the output path of each post's and page's page. The
console command (`commands.console`) reads it for the build it is asked for (`head_start`): the posts and pages
whose files changed after the model was kept, by their change times, are the pages to wait for, as the build's
own guess takes them. Like that guess, it decides nothing: the build takes the run over only when its own guess
is the same (the same output, parts and pages: `IndexAhead.is_for`), and ends it otherwise. A damaged or
foreign record, or an edit the record cannot place (a new file), starts nothing.

This module imports only what Pagefind's start needs (no settings, no Markdown, no templates), and is kept so.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from publisher import __version__
from publisher.core.files import write_atomically
from publisher.core.hashing import folder_key
from publisher.pages.search import MOST_AHEAD, IndexAhead, Shards

CACHE_FOLDER = ".publisher-cache"  # next to the settings file, unless the build is given another
RECORD_FORMAT = "publisher-head-start-1"


def record_path(cache_folder: Path, out_dir: Path) -> Path:
    """Where the record of the last build into `out_dir` is kept."""
    return cache_folder / f"head-start-{folder_key(out_dir)}.json"


def write_record(path: Path, model: Path, shards: Shards, pages: Mapping[str, str]) -> None:
    """Keep the record at `path`: the model's file, the index's parts, and each post's and page's output path by
    its source (from the site's folder); written only when it differs from the one kept."""
    data = json.dumps({"format": RECORD_FORMAT, "version": __version__, "model": str(model.resolve()),
                       "shard_size": shards.size, "store": str(shards.store.resolve()) if shards.store else None,
                       "pages": dict(sorted(pages.items()))}).encode("utf-8")
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomically(path, data)


def head_start(argv: Sequence[str]) -> IndexAhead | None:
    """Pagefind started on the parts of the index the pages edited since the last build fall in, when `argv` asks
    for a `publisher build` that uses the cache and its record tells where they are; else None."""
    asked = _build_asked(argv)
    if asked is None:
        return None
    config, output = asked
    out_dir = config.parent / "output" if output is None else Path.cwd() / output
    record = _read_record(record_path(config.parent / CACHE_FOLDER, out_dir))
    if record is None:
        return None
    model, shards, pages = record
    try:
        kept_at = os.stat(model).st_mtime_ns
    except OSError:
        return None
    edited = _edited_since(config.parent, pages, kept_at)
    return IndexAhead.waiting(out_dir, shards, edited) if edited else None


def _build_asked(argv: Sequence[str]) -> tuple[Path, Path | None] | None:
    """The settings file and output folder (None: the default) of the `publisher build` that `argv` asks for, read
    as the command line reads them; None for another command, a build without the cache, or a line that does
    not parse."""
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    parser.add_argument("command", nargs="?")
    parser.add_argument("--config", type=Path, default=Path("publisher.toml"))
    parser.add_argument("--output", type=Path)
    parser.add_argument("--no-cache", action="store_true")
    try:
        asked, _ = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    if asked.command != "build" or asked.no_cache:
        return None
    return asked.config, asked.output


def _read_record(path: Path) -> tuple[Path, Shards, dict[str, str]] | None:
    """The model's file, the index's parts and the pages by source, as the record at `path` holds them; None when
    there is none, or it is damaged or another version's."""
    try:
        record = json.loads(path.read_bytes())
        pages, size, store = record["pages"], record["shard_size"], record["store"]
        if record["format"] != RECORD_FORMAT or record["version"] != __version__:
            return None
        if type(size) is not int or type(store) is not str or type(pages) is not dict:
            return None
        if not all(type(page) is str for page in pages.values()):
            return None
        return Path(record["model"]), Shards(size, Path(store)), pages
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _edited_since(root: Path, pages: Mapping[str, str], kept_at: int) -> list[str] | None:
    """The output paths of the pages whose sources (from `root`) changed after `kept_at`; None when more than
    `MOST_AHEAD` did (a new site's worth: the build's own index makes those parts)."""
    edited = []
    for source, page in pages.items():
        try:
            changed = os.stat(os.path.join(root, source)).st_ctime_ns > kept_at
        except OSError:  # gone: the build finds out
            continue
        if changed:
            edited.append(page)
            if len(edited) > MOST_AHEAD:
                return None
    return edited
