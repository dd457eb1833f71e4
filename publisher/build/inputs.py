"""The files a build may read, as one `stat` of each saw them, and how a file watcher's reports update them.

A build lists every file below the content, static and theme folders (the up-to-date stamp is a digest of
that listing, `build.uptodate`), and the sources stage tells an unchanged source by its size, inode and
times (`build.sources`). `FileStates` is that one listing, made once per build.

`serve` watches those folders. While its watcher reports every change (`Changes`), a save `stat`s only the
files it reported and takes every other file's state from the last build's listing; at 10,000 posts that
is a quarter of a save. What the watcher cannot vouch for is walked as before:

- a folder not below a watched one (the theme that ships with publisher);
- a folder holding a symbolic link (a change to the link's target reports nothing here);
- everything, when `Changes` is None: before the watcher's first report was taken, after a folder
  appeared or moved (the files made in it before its watch began report nothing), and after a burst too
  large to trust (the kernel's event queue may have overflowed). `serve` decides these.
"""

from __future__ import annotations

import hashlib
import os
import stat as stat_module
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from publisher.core.files import FileState, file_state, open_file, state_of

SETTLE_NS = 3_000_000_000  # files changed more recently than this may change again unseen
MOST_CHANGES = 64  # a folder with more changed paths than this is walked again (as quick, and simpler)

Stat = FileState  # size, inode, modification and change times (ns)


@dataclass(frozen=True, slots=True)
class Changes:
    """What a file watcher saw change since the last build took its reports: below each of `watched`, every
    path created, changed, moved or deleted is in `paths`. Paths are absolute, their folders' symbolic links
    resolved."""

    watched: tuple[str, ...]
    paths: frozenset[str]

    def vouch_for(self, folder: str) -> bool:
        """Whether every change below `folder` (resolved) is in `paths`."""
        return any(folder == top or folder.startswith(top + os.sep) for top in self.watched)


@dataclass(frozen=True, slots=True)
class Listing:
    """What `list_files` saw: a digest of each file's path, size and modification time (and, for files others
    write, its change time), and the content digest of each file changed within the last few seconds.

    A file's modification time is whatever its writer sets: `cp -p`, `rsync -t`, `tar` and `unzip` put the
    old one back on other bytes of the same size. Its change time no one sets, and any write moves it. File
    systems keep times in coarse ticks, so a file written again within the tick may keep its size and times;
    for such files only their bytes tell.
    """

    digest: str
    recent: dict[str, str]  # path -> SHA-256 of its bytes

    def unchanged(self, now: Listing) -> bool:
        """Whether `now` (a later listing) sees the very files this one did."""
        return self.digest == now.digest and all(_content(path) == sha for path, sha in self.recent.items())


@dataclass(frozen=True, slots=True)
class FileStates:
    """Every file below `folders` (symbolic links followed), and each of `files`, with its `Stat`."""

    folders: dict[str, dict[str, Stat]]  # folder -> path -> its state
    files: dict[str, Stat | None]  # None: missing
    linked: frozenset[str]  # the folders holding a symbolic link

    @classmethod
    def scan(cls, folders: Iterable[Path | str], files: Iterable[Path | str] = (), *,
             leave_out: Path | None = None, previous: FileStates | None = None,
             changes: Changes | None = None) -> FileStates:
        """The state of each file now. With `previous` (an earlier scan) and `changes` (what a watcher saw
        since), a folder the watcher vouches for is updated from the changed paths alone."""
        listed: dict[str, dict[str, Stat]] = {}
        linked: set[str] = set()
        for folder in map(str, folders):
            kept = _updated(folder, previous, changes)
            if kept is not None:
                listed[folder] = kept
                continue
            links: list[str] = []
            listed[folder] = dict(_walk(folder, {str(leave_out)} if leave_out else set(), links))
            if links:
                linked.add(folder)
        return cls(listed, {str(path): _stat(str(path)) for path in files}, frozenset(linked))

    def take_again(self, path: Path | str) -> None:
        """The state of one of `files` as it is now (see `PendingListing.take_again`)."""
        if str(path) in self.files:
            self.files[str(path)] = _stat(str(path))

    def stat_of(self, path: str) -> Stat | None:
        """The state of the file at `path` (a string as the scan joined it), if the scan listed it."""
        for folder, states in self.folders.items():
            if path.startswith(folder) and path[len(folder):len(folder) + 1] == os.sep:
                return states.get(path)
        return None

    def listing(self, extra: str = "", *, recent: bool = True) -> Listing:
        """The digest of every path, size and modification time (and `extra`, the options); with `recent` (files
        others write: the inputs), each file's change time and the bytes' digest of each file changed within
        the last few seconds too."""
        return Listing(self.digest(extra, changed=recent), self.recent() if recent else {})

    def digest(self, extra: str = "", *, changed: bool = True) -> str:
        """The digest of every path, size and modification time, and `extra`; with `changed`, change times too."""
        return self.with_files(self.folders_digest(extra, changed=changed), changed=changed)

    def folders_digest(self, extra: str = "", *, changed: bool = True,
                       shared: Callable[[str], bool] | None = None) -> str:
        """The digest of every path, size and modification time in the folders, and `extra` (see `with_files`);
        with `changed`, each file's change time too (see `Listing`). Without it, the change time of each file but
        those `shared` says others link too (the output's cards: a card linked from the cache into another
        output changes its change time, not its bytes); None: of none."""
        h = hashlib.sha256(extra.encode("utf-8"))
        for folder, states in self.folders.items():
            # A folder with a symbolic link in it says so: the link replaced by a copy (times kept) lists the
            # same files, but sources are not looked for through links (`content.discovery`).
            kind = "linked" if folder in self.linked else "folder"
            h.update(f"{kind} {folder}\x000\x000\n".encode("utf-8", "surrogateescape"))
            lines = "".join([_line(path, state, changed or (shared is not None and not shared(path)))
                             for path, state in sorted(states.items())])
            h.update(lines.encode("utf-8", "surrogateescape"))  # one update: 34,000 files of output at 10,000 posts
        return h.hexdigest()

    def with_files(self, folders: str, *, changed: bool = True) -> str:
        """`digest`, from the folders' (`folders_digest`) and the single files' states: a single file taken again
        (`take_again`) is digested without the 10,000 sources' states at 10,000 posts (0.03 s)."""
        h = hashlib.sha256(folders.encode("ascii"))
        for path, single in self.files.items():
            line = f"missing {path}\x000\x000\n" if single is None else _line(path, single, changed)
            h.update(line.encode("utf-8", "surrogateescape"))
        return h.hexdigest()

    def recent(self) -> dict[str, str]:
        """The bytes' digest of each file changed within the last few seconds, by path."""
        settled = time.time_ns() - SETTLE_NS
        every = [(path, state) for states in self.folders.values() for path, state in states.items()]
        every += [(path, state) for path, state in self.files.items() if state is not None]
        return {path: _content(path) for path, state in every if state[2] > settled}


def _line(path: str, state: Stat, changed: bool) -> str:
    """A file's line in a listing's digest: its path, size and modification time, and its change time when
    `changed`."""
    if changed:
        return f"{path}\0{state[0]}\0{state[2]}\0{state[3]}\n"
    return f"{path}\0{state[0]}\0{state[2]}\n"


class PendingListing:
    """The `Listing` of a build's `FileStates`: the bytes of recently changed files are read at once, before
    the build reads its sources (a listing may claim only bytes as old as those the build read, or older);
    the digest is made when first asked for (in `serve`, after the pages a writer waits on)."""

    __slots__ = ("_extra", "_files", "_folders", "_listing", "_recent")

    def __init__(self, files: FileStates, extra: str) -> None:
        self._files, self._extra, self._recent = files, extra, files.recent()
        self._folders: str | None = None  # the folders' digest, once made (`FileStates.folders_digest`)
        self._listing: Listing | None = None

    def get(self) -> Listing:
        if self._listing is None:
            if self._folders is None:
                self._folders = self._files.folders_digest(self._extra)
            self._listing = Listing(self._files.with_files(self._folders), self._recent)
        return self._listing

    def take_again(self, path: Path | str) -> None:
        """One of the single files listed as it is now (its state, and its bytes if it just changed): a file the
        build itself wrote after the listing, and whose new bytes make the same output."""
        self._files.take_again(path)
        self._recent.pop(str(path), None)
        state = self._files.files.get(str(path))
        if state is not None and state[2] > time.time_ns() - SETTLE_NS:
            self._recent[str(path)] = _content(str(path))
        self._listing = None


def list_files(folders: Iterable[Path], files: Iterable[Path] = (), extra: str = "", *, recent: bool = True,
               leave_out: Path | None = None) -> Listing:
    """Every file in `folders`, and `files`, by path, size and modification time (and `extra`, the options).

    `recent=False` leaves out the content of recently changed files, for
    listings only publisher writes to (the output); `leave_out`: a folder
    not listed.
    """
    return FileStates.scan(folders, files, leave_out=leave_out).listing(extra, recent=recent)


def _updated(folder: str, previous: FileStates | None, changes: Changes | None) -> dict[str, Stat] | None:
    """`folder`'s states from `previous` with the changed paths `stat`ed again, when the watcher vouches for
    every change below it; else None (walk it)."""
    if previous is None or changes is None or folder in previous.linked or folder not in previous.folders:
        return None
    real = os.path.realpath(folder)
    if not changes.vouch_for(real):
        return None
    below = [path for path in changes.paths if path.startswith(real) and path[len(real):len(real) + 1] == os.sep]
    if len(below) > MOST_CHANGES:
        return None
    states = dict(previous.folders[folder])
    for path in below:
        if not _restat(states, folder + path[len(real):]):
            return None
    return states


def _restat(states: dict[str, Stat], path: str) -> bool:
    """Bring `path`'s entry (and, for a folder, its files') up to date; False when only a walk can (a
    symbolic link appeared)."""
    was_file = states.pop(path, None) is not None
    if not was_file:  # new, or a folder (or was one): what was below it is listed anew
        below = path + os.sep
        for gone in [known for known in states if known.startswith(below)]:
            del states[gone]
    try:
        found = os.lstat(path)
    except OSError:  # gone
        return True
    if stat_module.S_ISLNK(found.st_mode):
        return False
    if stat_module.S_ISDIR(found.st_mode):
        links: list[str] = []
        states.update(_walk(path, set(), links))
        return not links
    states[path] = state_of(found)
    return True


def _stat(path: str) -> Stat | None:
    try:
        return file_state(path)
    except OSError:
        return None


def _content(path: str) -> str:
    """The SHA-256 of the bytes of the file at `path`; "unreadable" for none, or a named pipe, socket or device
    (listed as files are, but never read: reading a named pipe waits for a writer)."""
    try:
        with open_file(path) as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return "unreadable"


def _walk(folder: str, seen: set[str], links: list[str]) -> Iterator[tuple[str, Stat]]:
    """(path, state) of each file below `folder`, following symbolic links (noted in `links`) but never
    around a loop (nor into a folder `seen` already holds)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_symlink():
                links.append(entry.path)
            if entry.is_dir():
                if entry.path in seen:
                    continue
                if entry.is_symlink():
                    target = os.path.realpath(entry.path)
                    if target in seen:
                        continue
                    seen.add(target)
                yield from _walk(entry.path, seen, links)
                continue
            found = entry.stat()
        except OSError:
            continue
        yield entry.path, state_of(found)  # a named pipe, socket or device too, never read (`_content`): a source
        # so named is reported (`build.sources`), and one made after a build makes the next one no longer up to date
