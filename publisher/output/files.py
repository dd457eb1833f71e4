"""The unit the renderers produce and the writer consumes."""

from __future__ import annotations

from pathlib import Path

from publisher.core.records import record


@record
class OutputFile:
    """A file of the built site: bytes to write, or a source file to copy."""

    path: str  # relative to the output directory, "/"-separated
    data: bytes | None = None
    source: str | Path | None = None  # a path as text where many are made at once (a Path takes 5 us)
    keep: bool = False  # the file already in the output is current: its maker looked (`cache.BuildCache`), or
    # knows the output as the last write left it (`serve`); the writer does not look again
    linked: bool = False  # `source` is publisher's own cache file, never changed in place: hard-link it
    inode: tuple[int, int] | None = None  # (device, inode) of a linked `source`, as its maker's listing of the
    # cache found it: the writer then tells the output's file is still that one without listing the cache itself

    def read(self) -> bytes:
        """The file's bytes: `data`, else the source file's."""
        if self.data is not None:
            return self.data
        if self.source is None:
            raise ValueError(f"{self.path}: an OutputFile needs data or a source")
        with open(self.source, "rb") as file:
            return file.read()
