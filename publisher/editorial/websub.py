"""WebSub (https://www.w3.org/TR/websub/): telling a hub that a feed changed, so subscribers get it at once.

Each feed names the hub (`<atom:link rel="hub">` in RSS, `<link rel="hub">` in
Atom, `hubs` in JSON Feed; see `feeds.syndication`) next to its own URL, the
topic. The protocol leaves publishing to the hub; every public hub takes the
PubSubHubbub form used here: a form-encoded POST of `hub.mode=publish` and
`hub.url=<topic>`, one per feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from publisher.editorial.notices import Notice


def websub_notices(feeds: Sequence[str], hub: str) -> list[Notice]:
    """One publish notice per feed URL."""
    return [Notice("WebSub hub", hub, urlencode({"hub.mode": "publish", "hub.url": feed}).encode("ascii"),
                   "application/x-www-form-urlencoded", feed)
            for feed in feeds]
