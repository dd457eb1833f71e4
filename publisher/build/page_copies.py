"""The pages a `publisher build` wrote, kept in its cache (`.publisher-cache/pages-kept/`) as hard links to the
output's files: a build whose output has lost a page it would make the same again links the kept copy instead of
rendering it.

A CI job starts from a fresh checkout with the cache restored and no output folder: every page's record says
what it was made from (`build.cache`), and its recipe is as it was, but its file is gone, so each of 13,000
pages at 10,000 posts was rendered again (9 s of the page workers' time). A rendered page is written here and
linked into the output (as the cards are): the output's file is the copy, with its links counted before the
writer takes the files' states, which the up-to-date stamp and the search index's page facts keep. A copy is
kept under a digest of the page's fingerprint and of the salt of the code and theme that made it
(`BuildCache.recipe_salt`), so a copy is taken only for a page made from the same context by the same code and
templates, and its name ends in a checksum of its bytes (CRC-32), read again before the copy is taken: a copy
changed since (an output file edited in place is the same file as its copy) is passed over and the page
rendered. A link costs no room on the disk; where the cache and the output are on different file systems no
copies are kept, and pages are written as before.

A page's copy made from its last fingerprint goes once the page is written from another. Each copy is in the
folder named by the first two digits of its name, so making one, or finding one, lists a folder of some fifty
names, not one of 13,000.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

from publisher.core.files import SWEPT_EVERY
from publisher.core.hashing import checksum, digest

FOLDER_NAME = "pages-kept"
SWEPT_NAME = f"{FOLDER_NAME}.swept"  # beside the folder, touched when the copies no output links were last looked
# for (`PageCopies.forget_unlinked`), as `cards.swept` is for the cards


class PageCopies:
    """The kept copies in `folder` (None: none kept) of pages made under `salt`."""

    def __init__(self, folder: Path | None, salt: str) -> None:
        self.folder, self.salt = folder, salt
        self._listed: dict[str, dict[str, str]] = {}  # subfolder -> {key: file name}, listed on first use
        self._found: dict[str, str | None] = {}  # fingerprint -> what `find` gave

    def find(self, page_fingerprint: str) -> str | None:
        """The path of the kept copy of the page made with this fingerprint, when it holds the bytes its name
        says; None when there is none."""
        if self.folder is None or not page_fingerprint:
            return None
        if page_fingerprint not in self._found:
            self._found[page_fingerprint] = self._whole(self._key(page_fingerprint))
        return self._found[page_fingerprint]

    def _whole(self, key: str) -> str | None:
        """The path of the copy under `key`, when its bytes have the checksum its name ends in."""
        assert self.folder is not None
        name = self._names(key[:2]).get(key)
        if name is None:
            return None
        path = os.path.join(self.folder, key[:2], name)
        try:
            with open(path, "rb") as file:
                whole = checksum(file.read())
        except OSError:
            return None
        return path if f"{whole:08x}" == name.rpartition("-")[2] else None

    def put(self, page_fingerprint: str, data: bytes) -> str | None:
        """Keep `data`, the page made with this fingerprint, as its copy; the copy's path, for the output to link
        it, or None where none can be written (a full disk)."""
        if self.folder is None or not page_fingerprint:
            return None
        key = self._key(page_fingerprint)
        folder, name = self.folder / key[:2], f"{key}-{checksum(data):08x}"
        staged = folder / f".{name}.{os.getpid()}"
        try:  # written again under its name too: a copy there was not found whole (edited through the output)
            folder.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(data)
            os.replace(staged, folder / name)
        except OSError:
            with contextlib.suppress(OSError):
                staged.unlink()
            return None
        before = self._names(key[:2]).get(key)
        if before is not None and before != name:  # a copy of other bytes under the key: damaged, or never whole
            with contextlib.suppress(OSError):
                os.unlink(folder / before)
        self._names(key[:2])[key] = name
        self._found[page_fingerprint] = str(folder / name)
        return str(folder / name)

    def forget(self, page_fingerprint: str) -> None:
        """Remove the copy of the page made with this fingerprint (one written anew from another replaced it)."""
        if self.folder is not None and page_fingerprint:
            self._forget(self._key(page_fingerprint))
            self._found.pop(page_fingerprint, None)

    def _forget(self, key: str) -> None:
        """Remove the copy under `key`, whatever its checksum."""
        name = self._names(key[:2]).pop(key, None)
        if name is not None and self.folder is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.folder / key[:2] / name)

    def forget_unlinked(self) -> None:
        """Remove every copy no output links (its own name its one link), looking at most once every `SWEPT_EVERY`
        (as the time of the `SWEPT_NAME` file beside the folder tells: 13,000 copies at 10,000 posts). Call once the
        output is written, when each of its pages links its copy. A copy is kept by its page's fingerprint and the
        salt of the code and templates that made it, and removed by the record of the build before: a build
        after a template, a setting or publisher itself changed (other salt, no record of the pages) left every
        copy of the one before, each a whole site's pages."""
        if self.folder is None or not _sweep_due(self.folder.parent / SWEPT_NAME):
            return
        with contextlib.suppress(OSError), os.scandir(self.folder) as subfolders:
            for subfolder in subfolders:
                if subfolder.is_dir(follow_symlinks=False):
                    _remove_unlinked(subfolder.path)
                    self._listed.pop(subfolder.name, None)
        self._found.clear()

    def _names(self, subfolder: str) -> dict[str, str]:
        listed = self._listed.get(subfolder)
        if listed is None:
            listed = self._listed[subfolder] = {}
            assert self.folder is not None
            with contextlib.suppress(OSError), os.scandir(self.folder / subfolder) as entries:
                for entry in entries:
                    key, dash, crc = entry.name.rpartition("-")
                    if dash and not entry.name.startswith(".") and len(crc) == 8:
                        listed[key] = entry.name
        return listed

    def _key(self, page_fingerprint: str) -> str:
        return digest(self.salt, page_fingerprint)


def _sweep_due(marker: Path) -> bool:
    """Whether `SWEPT_EVERY` passed since `marker` was touched (or it is missing); touches it then."""
    try:
        if time.time() - marker.stat().st_mtime < SWEPT_EVERY:
            return False
    except FileNotFoundError:
        pass
    except OSError:
        return False
    try:
        marker.touch()
    except OSError:
        return False
    return True


def _remove_unlinked(folder: str) -> None:
    """Remove the copies in `folder` that no output links (one link: their own name), not a copy staged by a
    build running beside this one (`.name.pid`)."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if (not entry.name.startswith(".") and entry.is_file(follow_symlinks=False)
                        and entry.stat(follow_symlinks=False).st_nlink == 1):
                    os.unlink(entry.path)
