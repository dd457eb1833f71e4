"""One hashing rule for every cache key and fingerprint in the build."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any


def digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each ended by a NUL byte so ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def feed_texts(h: Any, texts: Iterable[str]) -> None:
    """Feed each text to the hash `h` as UTF-8 (lone surrogates too) after its length in bytes, so no two lists
    of texts feed the same bytes; without the escaping of a `repr`, which is several times slower."""
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        h.update(b"%d:" % len(data))
        h.update(data)
