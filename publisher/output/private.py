"""Files for the team, not the public: written to `.publisher/` next to publisher.toml.

`output/` is public once deployed. What would reveal posts not yet published
(the editorial calendar, announcements of scheduled posts, the audit) goes to
`.publisher/` instead, which `init`'s .gitignore leaves out of the repository.
Several parts of publisher write there, each its own files, so a write
replaces only the files it is given: never a whole-folder sync like the
output writer's, which would delete the others'.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from publisher.output.files import OutputFile
from publisher.output.writer import remove_stale, safe_relative_path, same_bytes

PRIVATE_FOLDER = ".publisher"


def private_dir(root: Path) -> Path:
    """`.publisher/` of the site whose publisher.toml is in `root`."""
    return root / PRIVATE_FOLDER


def write_private(files: Iterable[OutputFile], root: Path) -> list[Path]:
    """Write `files` (paths relative to `.publisher/`) into the site's `.publisher/`; return those written.

    Each file is replaced atomically (a reader, e.g. a calendar app syncing
    the folder, sees the old file or the new one, never half of one); a file
    whose bytes did not change is left as it is, modification time included;
    every other file in the folder is left alone.
    """
    folder = private_dir(root)
    written = []
    for file in files:
        target = folder / safe_relative_path(file.path)
        data = file.read()
        if same_bytes(target, data):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        _replace(target, data)
        written.append(target)
    return written


def remove_private(paths: Iterable[str], root: Path) -> None:
    """Remove the files at `paths` (relative to `.publisher/`) that are there: files a build made before and makes
    no longer, which a tool reading them would take as current."""
    folder = private_dir(root)
    for path in paths:
        (folder / safe_relative_path(path)).unlink(missing_ok=True)


def _replace(target: Path, data: bytes) -> None:
    """Write a temporary file beside `target`, then rename it over `target` (atomic on one file system)."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def sync_private_folder(files: Sequence[OutputFile], root: Path, folder: str) -> list[Path]:
    """Write `files` (all under `folder`, e.g. "share/") into `.publisher/` and delete every other file
    under `.publisher/<folder>`: what a build no longer makes there (last week's CSV) must not linger."""
    written = write_private(files, root)
    remove_stale(private_dir(root), {safe_relative_path(file.path) for file in files},
                 within=safe_relative_path(folder.strip("/")))
    return written
