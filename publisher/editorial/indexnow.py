"""IndexNow (https://www.indexnow.org/documentation): telling search engines which URLs changed.

The site proves it owns its URLs with a key: the build publishes the key as a
text file at the site's root (`/<key>.txt`), and each submission names that
file (`keyLocation`), so a site under a sub-path (`https://user.github.io/repo/`)
works too. A submission is a JSON POST of at most 10,000 URLs; one engine
shares it with every other IndexNow engine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import urlsplit

from publisher.config.model import IndexNowConfig
from publisher.editorial.notices import Notice
from publisher.output.files import OutputFile

BATCH = 10_000  # the protocol's limit of URLs per POST
# What IndexNow's documented status codes mean for the site owner.
HINTS = (
    (400, "the request is malformed"),
    (403, "the key is not valid: is the key file deployed, holding the key?"),
    (422, "the URLs are not on the host named, or the key does not match the protocol's form"),
    (429, "too many requests: try again later"),
)


def key_file(key: str) -> OutputFile:
    """`<key>.txt` at the site's root, holding the key and nothing else (no newline: engines compare exactly)."""
    return OutputFile(f"{key}.txt", key.encode("ascii"))


def key_location(site: str, key: str) -> str:
    return f"{site}{key}.txt"


def indexnow_notices(urls: Sequence[str], site: str, settings: IndexNowConfig) -> list[Notice]:
    """The POSTs that submit `urls` (absolute, on `site`) to the endpoint, 10,000 at a time."""
    notices = []
    for start in range(0, len(urls), BATCH):
        batch = list(urls[start:start + BATCH])
        document = {"host": urlsplit(site).netloc, "key": settings.key,
                    "keyLocation": key_location(site, settings.key), "urlList": batch}
        notices.append(Notice("IndexNow", settings.endpoint, json.dumps(document, ensure_ascii=False).encode(),
                              "application/json; charset=utf-8", f"{len(batch)} URL{'s' if len(batch) != 1 else ''}",
                              HINTS))
    return notices
