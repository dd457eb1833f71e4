"""Long texts kept in an unnamed temporary file rather than in memory.

A site's rendered posts are its largest data (about 17 KB of HTML a post,
170 MB for 10,000), yet each is needed only while its own page and feed entry
are made. A `Spool` writes each text once to a temporary file that the system
deletes as soon as it is closed, and reads it back on demand.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass


class Spool:
    def __init__(self) -> None:
        # Open for the Spool's whole life, not a `with` block: the system deletes it once collected.
        self._file = tempfile.TemporaryFile(prefix="publisher-spool-")  # noqa: SIM115 - see above
        self._lock = threading.Lock()
        self._end = 0

    def put(self, text: str) -> Spooled:
        data = text.encode("utf-8", "surrogatepass")
        with self._lock:
            offset = self._end
            self._end += len(data)
        written = 0
        while written < len(data):
            written += os.pwrite(self._file.fileno(), data[written:], offset + written)
        return Spooled(self, offset, len(data), hashlib.sha256(data).hexdigest())

    def read(self, offset: int, length: int) -> str:
        parts = []
        while length:
            part = os.pread(self._file.fileno(), length, offset)
            if not part:
                raise OSError(f"the spool file ended {length} bytes early")
            parts.append(part)
            offset += len(part)
            length -= len(part)
        return b"".join(parts).decode("utf-8", "surrogatepass")


@dataclass(frozen=True, slots=True)
class Spooled:
    """One text in a spool, with the SHA-256 of its UTF-8 bytes."""

    spool: Spool
    offset: int
    length: int
    digest: str

    def text(self) -> str:
        return self.spool.read(self.offset, self.length)
