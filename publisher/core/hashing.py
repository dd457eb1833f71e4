"""One hashing rule for every cache key and fingerprint in the build."""

from __future__ import annotations

import hashlib


def digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each ended by a NUL byte so ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()
