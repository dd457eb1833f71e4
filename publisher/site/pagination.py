"""Splitting a list of posts into pages: `/`, `/page/2/`, ..."""

from __future__ import annotations

from publisher.content.model import Entry
from publisher.content.urls import pager_url
from publisher.core.records import record


@record
class Pager:
    """One page of a paginated list."""

    number: int
    total: int
    items: tuple[Entry, ...]
    url: str
    prev_url: str | None
    next_url: str | None
    urls: tuple[str, ...]


def paginate(items: tuple[Entry, ...], first_url: str, per_page: int) -> list[Pager]:
    """Split a list into pages at `first_url`, `first_url + 'page/2/'`, ... (always at least one)."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [()]
    urls = tuple(pager_url(first_url, n) for n in range(1, len(chunks) + 1))
    return [
        Pager(n, len(chunks), chunk, urls[n - 1],
              urls[n - 2] if n > 1 else None, urls[n] if n < len(chunks) else None, urls)
        for n, chunk in enumerate(chunks, start=1)
    ]
