"""What `publisher ping` sends, as plain data: `indexnow` and `websub` make the notices a build can list, and
`sending`, which alone loads the network stack, posts them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Notice:
    """One POST a ping makes, as data: where, what, and how to speak of it."""

    service: str  # "IndexNow", "WebSub hub"
    url: str
    body: bytes
    content_type: str
    about: str  # what it tells, for the report: "12 URLs", "https://site/feed.xml"
    hints: tuple[tuple[int, str], ...] = ()  # (HTTP status, what it most likely means)

    def hint(self, status: int) -> str:
        return dict(self.hints).get(status, "")
