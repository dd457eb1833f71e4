"""One hashing rule for every cache key and fingerprint in the build."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any


def digest(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each ended by a NUL byte so ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


def feed_texts(h: Any, texts: Sequence[str]) -> None:
    """Feed the texts to the hash `h`: how many, each one's length, then all of them as UTF-8 (lone surrogates
    too), so no two lists of texts feed the same bytes. Three calls whatever their number: no `repr` escaping
    each character, no step in Python for each text."""
    h.update(b"%d[%s]" % (len(texts), ",".join(map(str, map(len, texts))).encode("ascii")))
    h.update("".join(texts).encode("utf-8", "surrogatepass"))
