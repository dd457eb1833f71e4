"""What of the files under a site's folders is the site's own: a symbolic link out of them is not followed.

A source or static file that is a symbolic link to a file elsewhere on the machine would publish that file:
`static/env.txt -> /proc/self/environ` put the build's environment on the site, with CI's tokens in it, and
`content/posts/a.md -> /etc/passwd` made a page of it. As Jekyll does, a link is followed only to a file
inside the folder that holds the one it is in (`content/` and `static/` are the site's folder's, a theme's
`static/` is the theme's): a link from `static/logo.png` to `../brand/logo.png` is followed, one to `/etc/…`
or `../../elsewhere/…` is left out, with a warning (`links_out`).
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path


def owner_of(folder: Path | str) -> str:
    """The folder whose files `folder`'s may link to: the one holding it, its links followed."""
    return os.path.realpath(os.path.dirname(os.path.abspath(folder)))


def inside(path: Path | str, owner: str) -> bool:
    """Whether `path`, its links followed, is in the folder `owner` (a real path, see `owner_of`)."""
    return os.path.realpath(path).startswith(owner.rstrip(os.sep) + os.sep)


@dataclass(frozen=True, slots=True)
class OwnFiles:
    """Files looked up by their path from folders published as they are (a theme's `static/`, then the site's:
    later folders win), each only when it is the site's own. A plain file in a folder whose real path is its
    owner's costs one `lstat`, as the `is_file` it replaces did; each folder's real path is taken once."""

    folders: Sequence[Path]
    _folders_inside: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    def find(self, relative: str) -> Path | None:
        """The file at `relative` (`images/a.png`) in the last folder that holds it as its own; None if none. A
        name past ASCII is looked for in both Unicode forms: a page's `café.png` is typed with `é` (NFC), and
        a Mac names the file with `e` and a combining accent (NFD); a Linux checkout keeps either."""
        for folder in reversed(self.folders):
            for spelled in _spellings(relative):
                path = folder / spelled
                if self.owns(folder, path):
                    return path
        return None

    def owns(self, folder: Path, path: Path) -> bool:
        """Whether `path`, below `folder`, is a file of the site's own (a link to a file inside `folder`'s owner,
        or a plain file in a folder inside it)."""
        try:
            found = os.lstat(path)
        except OSError:
            return False
        if stat.S_ISLNK(found.st_mode):
            return os.path.isfile(path) and inside(path, owner_of(folder))
        return stat.S_ISREG(found.st_mode) and self._folder_inside(folder, path.parent)

    def _folder_inside(self, folder: Path, holder: Path) -> bool:
        key = str(holder)
        known = self._folders_inside.get(key)
        if known is None:
            known = self._folders_inside[key] = inside(holder, owner_of(folder))
        return known


def _spellings(relative: str) -> tuple[str, ...]:
    """`relative` as written, then in the other Unicode forms a file system may hold it in (NFC, NFD)."""
    if relative.isascii():
        return (relative,)
    return tuple(dict.fromkeys((relative, *(unicodedata.normalize(form, relative) for form in ("NFC", "NFD")))))


def links_out(folder: Path, owner: str) -> Iterator[tuple[Path, str]]:
    """Each symbolic link below `folder` (links to folders not followed) that leads out of `owner` (a real path,
    see `owner_of`), with where it leads as written: what the build leaves out, and warns of."""
    for link in links_below(folder):
        if not inside(link, owner):
            yield Path(link), os.readlink(link)


def links_below(folder: Path) -> Iterator[str]:
    """The path of each symbolic link below `folder`, links to folders not followed."""
    waiting = [str(folder)]
    while waiting:
        try:
            with os.scandir(waiting.pop()) as listing:
                entries = list(listing)
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                yield entry.path
            elif entry.is_dir(follow_symlinks=False):
                waiting.append(entry.path)
