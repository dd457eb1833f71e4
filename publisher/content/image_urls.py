"""An image's site path, as a writer gives it (front matter's `image:`, the `image` and `figure` shortcodes'
`src`), made the URL of the very file it names."""

from __future__ import annotations

import re
from pathlib import Path

from publisher.content.links import is_external
from publisher.content.urls import as_uri
from publisher.core.owned import OwnFiles

_READ_AS_URL_SIGNS = re.compile(r"[%#?]")  # what a URL reads as an escape, its fragment and its query


def as_image_url(path: str, own: OwnFiles) -> str:
    """A front-matter image's site path as a URL: where it names a file of the site as written, a `#`, `?` or `%`
    in that file's name is escaped (`/img/big pic #1.jpg` -> `/img/big pic %231.jpg`), as Hugo reads a front
    matter's image as the name of a file (`Resources.GetMatch`); any other path is a URL already
    (`/img/my%20pic.jpg`, `/img/sprite.svg#logo`) and stays as written. Written as is, the browser read the rest
    of the name as a fragment or a query, or a `%` as an escape, and fetched another file."""
    if is_external(path) or not _READ_AS_URL_SIGNS.search(path):
        return path
    relative = path.lstrip("/")
    if ".." in Path(relative).parts or own.find(relative) is None:
        return path
    return _READ_AS_URL_SIGNS.sub(lambda sign: f"%{ord(sign[0]):02X}", path)


def as_image_src(path: str, own: OwnFiles) -> str:
    """An image's path as an `<img src>`: `as_image_url`, then as a URI (`as_uri`: a space, a quote or a letter
    past ASCII percent-encoded), which an external URL is made too, as written otherwise. A space left in `src` is
    invalid HTML (the Nu checker: "Illegal character in path segment")."""
    return as_uri(as_image_url(path, own))
