"""Long texts kept in an unnamed temporary file rather than in memory.

A site's rendered posts are its largest data (about 17 KB of HTML a post,
170 MB for 10,000), yet each is needed only while its own page and feed entry
are made. A `Spool` writes each text once to a temporary file that the system
deletes as soon as it is closed, and reads it back on demand; or, for texts
kept between processes (`Spool.in_file`), to a named file that only grows, so
a text written by an earlier process is read where it was written.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO

from publisher.core.records import record

if sys.platform != "win32":  # file locks: where there are none, no spool is kept in a file
    import fcntl


class DamagedSpool(OSError):
    """A text read from a spool is not the one put there (its digest differs): the file was damaged since."""


class Spool:
    def __init__(self, fileno: int | None = None) -> None:
        """A spool in a temporary file; or, given an open file's descriptor (which it then owns), one that
        writes after what that file holds."""
        if fileno is None:
            # Open for the Spool's whole life, not a `with` block: the system deletes it once collected.
            self._file: IO[bytes] | None = tempfile.TemporaryFile(prefix="publisher-spool-")  # noqa: SIM115
            fileno, end = self._file.fileno(), 0
        else:
            self._file, end = None, os.fstat(fileno).st_size
        self._fileno = fileno
        self._lock = threading.Lock()
        self._end = end
        self._checked: set[int] = set()  # the offsets of the texts read whole, as put (`Spooled.text`)

    @classmethod
    def in_file(cls, path: Path, *, empty: bool = False) -> Spool | None:
        """A spool writing after the texts the file at `path` holds (made if need be), for one process at a
        time: it holds an exclusive lock on the file until `unlock`. None when another process holds it.
        `empty`: start a new, empty file at `path` (texts read from the old one stay readable)."""
        if sys.platform == "win32":
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fileno = _locked(path, os.O_CREAT)
            if fileno is not None and empty:
                path.unlink()  # not emptied: a spool of this process may still read it
                os.close(fileno)
                fileno = _locked(path, os.O_CREAT | os.O_EXCL)
        except OSError:  # a folder that cannot be written, a file made meanwhile
            return None
        return None if fileno is None else cls(fileno)

    def unlock(self) -> None:
        """Let another spool write to the file of this one, made `in_file` (this one still reads it)."""
        if self._file is None and sys.platform != "win32":
            fcntl.flock(self._fileno, fcntl.LOCK_UN)

    @property
    def size(self) -> int:
        """The file's bytes: what it held when the spool was made, and what was put since."""
        return self._end

    def __del__(self) -> None:
        if getattr(self, "_file", True) is None:  # made `in_file`: its file is closed with it
            os.close(self._fileno)

    def put(self, text: str) -> Spooled:
        data = text.encode("utf-8", "surrogatepass")
        with self._lock:
            offset = self._end
            self._end += len(data)
        written = 0
        while written < len(data):
            written += os.pwrite(self._fileno, data[written:], offset + written)
        return Spooled(self, offset, len(data), hashlib.sha256(data).hexdigest())

    def read_checked(self, offset: int, length: int, digest: str) -> str:
        """The text at `offset`, when its bytes have the SHA-256 `digest` it was put with (looked at once a process:
        a text written by an earlier process is read from a file that may have been damaged since); else raises
        DamagedSpool."""
        data = self._bytes(offset, length)
        if offset not in self._checked:
            if hashlib.sha256(data).hexdigest() != digest:
                raise DamagedSpool(f"a text kept in the cache is not as it was written (at byte {offset})")
            self._checked.add(offset)
        return data.decode("utf-8", "surrogatepass")

    def _bytes(self, offset: int, length: int) -> bytes:
        parts = []
        while length:
            part = os.pread(self._fileno, length, offset)
            if not part:
                raise OSError(f"the spool file ended {length} bytes early")
            parts.append(part)
            offset += len(part)
            length -= len(part)
        return b"".join(parts)


def _locked(path: Path, flags: int) -> int | None:
    """The file at `path`, opened to read and write and locked for this process alone; None if it is taken."""
    fileno = os.open(path, os.O_RDWR | os.O_CLOEXEC | flags, 0o644)
    try:
        fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fileno)
        return None
    return fileno


@record
class Spooled:
    """One text in a spool, with the SHA-256 of its UTF-8 bytes."""

    spool: Spool
    offset: int
    length: int
    digest: str

    def text(self) -> str:
        """The text, checked against its digest (see `Spool.read_checked`)."""
        return self.spool.read_checked(self.offset, self.length, self.digest)
