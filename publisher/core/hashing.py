"""One hashing rule for every cache key and fingerprint in the build."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def checksum(data: bytes) -> int:
    """A CRC-32 of `data`: what tells a kept file whole again without a digest's cost (`build.page_copies`)."""
    return zlib.crc32(data)


def digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each ended by a NUL byte so ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def tree_digest(root: Path, pattern: str) -> str:
    """SHA-256 of the files under `root` that match `pattern`: each one's path from `root`, size and bytes, in
    order of path. Their bytes, not their times: an install or a checkout gives the same files new times."""
    h = hashlib.sha256()
    for path in sorted(root.rglob(pattern)):
        data = path.read_bytes()
        h.update(b"%s\0%d\0" % (path.relative_to(root).as_posix().encode("utf-8", "surrogateescape"), len(data)))
        h.update(data)
    return h.hexdigest()


def code_digest(modules: Sequence[Path], libraries: Sequence[str] = ()) -> str:
    """What a result kept in the cache is made by: these modules of publisher, by their bytes, and these libraries,
    by their installed versions; so a change to the code keeps no result made by the code before, with no version
    to raise by hand. Where a module cannot be read (run from a zip), publisher's version stands for the code."""
    from importlib.metadata import version

    from publisher import __version__

    try:
        code = [hashlib.sha256(module.read_bytes()).hexdigest() for module in modules]
    except OSError:
        code = [f"version {__version__}"]
    return digest(*code, *(f"{library} {version(library)}" for library in libraries))


def feed_texts(h: Any, texts: Sequence[str]) -> None:
    """Feed the texts to the hash `h`: how many, each one's length, then all of them as UTF-8 (lone surrogates
    too), so no two lists of texts feed the same bytes. Three calls whatever their number: no `repr` escaping
    each character, no step in Python for each text."""
    h.update(b"%d[%s]" % (len(texts), ",".join(map(str, map(len, texts))).encode("ascii")))
    h.update("".join(texts).encode("utf-8", "surrogatepass"))
