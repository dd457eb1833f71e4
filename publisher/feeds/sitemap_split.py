"""How many URLs one sitemap file may hold, and how a site's URLs are split when they do not fit one.

The sitemaps.org protocol caps one sitemap file at 50,000 URLs and at 50 MB
(52,428,800 bytes) uncompressed; search engines reject a larger one. Past
either limit a site publishes a sitemap index that lists several sitemaps.

A module of its own, light to import: `BuildOptions` carries the limits (the
protocol's, unless a test asks for smaller ones) before the rest of the build
is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MOST_URLS = 50_000  # URLs in one sitemap file (sitemaps.org)
MOST_BYTES = 52_428_800  # bytes of one sitemap file, uncompressed (sitemaps.org: 50 MB)


@dataclass(frozen=True, slots=True)
class SitemapLimits:
    """What one sitemap file may hold: the protocol's limits, smaller only in tests."""

    urls: int = MOST_URLS
    bytes: int = MOST_BYTES


PROTOCOL_LIMITS = SitemapLimits()


def split_runs(sizes: Sequence[int], overhead: int, limits: SitemapLimits = PROTOCOL_LIMITS) -> list[range]:
    """The items (each `sizes[i]` bytes once written) cut into consecutive runs, in their order, each fitting one
    file: at most `limits.urls` items, and `overhead` (the file's own opening and closing) plus theirs at most
    `limits.bytes`. Each file is filled before the next starts, so the same items always make the same runs.

    One run when everything fits (also for no items: a file of none); an item too large for a file even alone
    (never so for a URL) gets a run of its own."""
    runs: list[range] = []
    start, used = 0, overhead
    for index, size in enumerate(sizes):
        if index > start and (index - start >= limits.urls or used + size > limits.bytes):
            runs.append(range(start, index))
            start, used = index, overhead
        used += size
    runs.append(range(start, len(sizes)))
    return runs
