"""HTTP range requests (RFC 9110 §14): which bytes of a file a `Range: bytes=…` header asks for.

Media players ask for parts of a file: Safari plays a video or audio file only from a server that answers
`Range: bytes=0-1` with 206 Partial Content, and Chromium lets a reader seek in one only then.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import BinaryIO

_SPEC = re.compile(r"(\d*)-(\d*)", re.ASCII)  # `a-b`, `a-` (from a to the end), `-n` (the last n bytes)


@dataclass(frozen=True, slots=True)
class ByteRange:
    """Bytes `first` to `last` of a file, both included, as a `Content-Range` names them."""

    first: int
    last: int

    def content_range(self, size: int) -> str:
        return f"bytes {self.first}-{self.last}/{size}"

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    def read(self, body: BinaryIO) -> bytes:
        body.seek(self.first)
        return body.read(self.length)


def asked_ranges(header: str, size: int) -> tuple[ByteRange, ...] | None:
    """The ranges of a `size`-byte file that a Range header asks for, in its order, each cut to the file; none
    when every one starts past its end (416). None when the header is to be ignored and the whole file sent, as
    RFC 9110 allows or asks: another unit than bytes, a range that is not valid (`5-2`, `x`), or ranges that
    add up to more than the file (`0-,0-,0-…`, which would make one request send the file many times)."""
    unit, _, specs = header.partition("=")
    if unit.strip().lower() != "bytes":
        return None
    found = [_SPEC.fullmatch(spec.strip()) for spec in specs.split(",") if spec.strip()]
    if not found or not all(spec and _valid(spec[1], spec[2]) for spec in found):
        return None
    ranges = tuple(chosen for spec in found if spec and (chosen := _in_file(spec[1], spec[2], size)))
    return None if sum(r.last - r.first + 1 for r in ranges) > size else ranges


def _valid(first: str, last: str) -> bool:
    return bool(first or last) and not (first and last and int(last) < int(first))


def _in_file(first: str, last: str, size: int) -> ByteRange | None:
    """The range `first-last` of a `size`-byte file, its end cut to the file's; None when it has no byte in it."""
    if not first:  # the last `last` bytes
        return ByteRange(max(0, size - int(last)), size - 1) if int(last) > 0 and size > 0 else None
    if int(first) >= size:
        return None
    return ByteRange(int(first), min(int(last), size - 1) if last else size - 1)


def byteranges(body: BinaryIO, size: int, ranges: tuple[ByteRange, ...], content_type: str) -> tuple[str, bytes]:
    """The `multipart/byteranges` answer to several ranges of a `size`-byte file (RFC 9110 §14.6): its
    Content-Type and its bytes. The boundary is a digest of the parts: the same ranges of the same file give the
    same bytes, and no part holds it."""
    chosen = [r.read(body) for r in ranges]
    boundary = hashlib.sha256(b"".join(chosen)).hexdigest()[:40].encode()
    parts = [b"--%s\r\nContent-Type: %s\r\nContent-Range: %s\r\n\r\n%s\r\n" % (
        boundary, content_type.encode(), r.content_range(size).encode(), part)
        for r, part in zip(ranges, chosen, strict=True)]
    return f"multipart/byteranges; boundary={boundary.decode()}", b"".join(parts) + b"--%s--\r\n" % boundary
