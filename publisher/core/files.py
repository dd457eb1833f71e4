"""Files the build keeps for itself (caches), written so a reader never sees half of one."""

from __future__ import annotations

import errno
import io
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

FileState = tuple[int, int, int, int]  # size, inode, modification and change times (ns)
UNUSED_FOR = 30 * 86400  # seconds unused after which a build removes what the cache keeps for it
SWEPT_EVERY = 86400  # seconds between two looks for unused files in a folder of cache files (`forget_unlinked`)


def state_of(found: os.stat_result) -> FileState:
    """What tells a file from one written anew in its place: its size, inode and times."""
    return found.st_size, found.st_ino, found.st_mtime_ns, found.st_ctime_ns


def changed_at(state: FileState) -> int:
    """When the file was last written, as no program can set it back (ns): the later of its modification and change
    times. On Linux and macOS that is its change time, which every write, `utime` and link moves (a modification
    time is whatever its writer sets: `touch -r`, `cp -p`); on Windows, whose `st_ctime` is the file's creation,
    its modification time."""
    return max(state[2], state[3])


def file_state(path: str | os.PathLike[str]) -> FileState:
    """The state of the file at `path` now (links followed); raises OSError when there is none."""
    return state_of(os.stat(path))


def files_in(folder: str | os.PathLike[str]) -> dict[str, tuple[int, int]]:
    """Each plain file in `folder` (links not followed) by name: (its device, its inode), from one listing of the
    folder (no file looked at: 10,000 cards in one folder are one `scandir`, not 10,000 `stat`s). Empty when
    there is no such folder. As the folder was when listed: a file made or replaced since is not told."""
    try:
        device = os.stat(folder).st_dev
        with os.scandir(folder) as entries:
            return {entry.name: (device, entry.inode()) for entry in entries if entry.is_file(follow_symlinks=False)}
    except OSError:
        return {}


# Opening a named pipe to read waits until something writes to it: with this flag the open returns at once, and the
# file's type can be looked at (no such files on Windows, and no such flag).
_NO_WAIT = getattr(os, "O_NONBLOCK", 0)


class NotAFile(OSError):
    """What stands at a path is no file to read: a named pipe, a socket, a device, or a symbolic link to nothing or
    in a loop. `strerror` says which, as a problem's message does (`is a named pipe (FIFO), not a file`)."""


class FileTooLarge(OSError):
    """A file past the number of bytes its reader takes; `strerror` says how large it is, and the bound."""


def read_file(path: str | os.PathLike[str], most: int) -> bytes:
    """The bytes of the file at `path` (links followed). Raises `NotAFile` when it is a named pipe, socket or
    device (a named pipe's read waited for a writer: the build hung), or a link to nothing or in a loop, and
    `FileTooLarge` past `most` bytes, before reading them (read whole, a 2 GB file took 2 GB of memory and more)."""
    with open_file(path) as file:
        size = os.fstat(file.fileno()).st_size
        if size > most:
            raise _too_large(path, f"{size:,} bytes", most)
        data = file.read(most + 1)
    if len(data) > most:  # it grew while it was read
        raise _too_large(path, f"more than {most:,} bytes", most)
    return data


def open_file(path: str | os.PathLike[str]) -> io.BufferedReader:
    """The file at `path` (links followed), opened to read; raises `NotAFile` as `read_file` does, without waiting
    on a named pipe."""
    try:
        fileno = os.open(path, os.O_RDONLY | _NO_WAIT | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise as_not_a_file(path, error) from None
    file = open(fileno, "rb")  # noqa: SIM115  # the caller's to close
    mode = os.fstat(fileno).st_mode
    if not stat.S_ISREG(mode):
        file.close()
        raise NotAFile(errno.EINVAL, f"is {_kind_of(mode)}, not a file", os.fspath(path))
    return file


def _too_large(path: str | os.PathLike[str], size: str, most: int) -> FileTooLarge:
    return FileTooLarge(errno.EFBIG, f"is {size}, past the {most >> 20} MB a source may hold (split it; images and "
                                     "other files belong in static/)", os.fspath(path))


def as_not_a_file(path: str | os.PathLike[str], error: OSError) -> OSError:
    """`error`, met opening `path`, as a `NotAFile` when it says there is no file there to read (a socket cannot
    be opened; a link in a loop, or to nothing); else `error` itself."""
    if error.errno == errno.ELOOP:
        return NotAFile(errno.ELOOP, "is a symbolic link in a loop (it leads back to itself), not a file",
                        os.fspath(path))
    if error.errno == errno.ENXIO:
        return NotAFile(errno.ENXIO, "is a socket, not a file", os.fspath(path))
    if error.errno == errno.ENOENT and os.path.islink(path):
        return NotAFile(errno.ENOENT, f"is a symbolic link to {os.readlink(path)}, which is not there",
                        os.fspath(path))
    return error


def why_not_a_file(path: str | os.PathLike[str]) -> str:
    """Why what stands at `path` (links followed) is no file to copy (`is a named pipe (FIFO), not a file`, `is a
    symbolic link to ../logo.png, which is not there`), or "" for a file, a folder or nothing at all. Looked at
    with `stat` alone: opening a named pipe waits for a writer."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        found = as_not_a_file(path, error)
        return str(found.strerror) if isinstance(found, NotAFile) else ""
    return "" if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else f"is {_kind_of(mode)}, not a file"


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a device"


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file beside it, then put it in place in one step."""
    with writing_atomically(path) as file:
        file.write(data)


@contextmanager
def writing_atomically(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path` through, a part at a time: put in place in one step when the block ends, and
    removed, `path` left as it was, when the block fails."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("wb") as file:
            yield file
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def held_alone(path: Path) -> Iterator[bool]:
    """Whether this process holds the lock of the file at `path` (made when missing) for the block, and no other:
    False when another process holds it, the file cannot be made, or the system has no such locks (Windows)."""
    if sys.platform == "win32":
        yield False
        return
    import fcntl

    try:
        fileno = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            held = False
        else:
            held = True
        yield held
    finally:
        os.close(fileno)  # the lock goes with it


def forget_unlinked(candidates: Callable[[], Iterable[str | os.PathLike[str]]], marker: Path) -> None:
    """Remove the files among `candidates()` that no output links to (their one link is the cache's own) and that
    no write, link or unlink touched for `UNUSED_FOR` (a file's change time: a CI cache restored, or a copy, is
    new), looking at most once every `SWEPT_EVERY`, as the time of `marker` (touched then) tells: `candidates`
    is called only then. For content-addressed cache files (cards, image copies) that no build asked for: an
    output that links one keeps it, and one that wants it back makes it again."""
    now = time.time()
    try:
        if now - os.stat(marker).st_mtime < SWEPT_EVERY:
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    try:
        marker.touch()
        paths = list(candidates())
    except OSError:  # a cache that cannot be written or listed: nothing to forget
        return
    for path in paths:
        try:
            found = os.lstat(path)
            if stat.S_ISREG(found.st_mode) and found.st_nlink == 1 and now - found.st_ctime > UNUSED_FOR:
                os.unlink(path)
        except OSError:  # gone meanwhile, or not ours to remove
            continue
