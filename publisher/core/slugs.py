"""Slugs and URL keys: the one place that decides what a URL segment may be."""

from __future__ import annotations

import re
import unicodedata

_SAFE_SLUG = re.compile(r"^[\w][\w.~-]*$")
_PLAIN_PARTS = frozenset(("", ".", ".."))  # parts a plain relative path has none of


def slugify(text: str) -> str:
    """Lower-case, hyphen-separated URL segment; keeps non-Latin letters."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s_-]+", "-", text).strip("-")


def written_slug(value: object) -> str:
    """A front matter `slug:` as a URL segment: a safe one as written (case kept, so no URL moves); one with
    spaces or punctuation slugified, as Jekyll's `:slug` and Hugo's `urlize` make it (`My Post` -> `my-post`).
    Empty when it names a path (`a/b`, `..`), which is no segment, or has no letter or digit to keep."""
    text = nfc(str(value).strip())
    if is_safe_slug(text):
        return text
    if any(mark in text for mark in ("/", "\\", "..")):
        return ""
    return slugify(text)


def is_safe_slug(slug: str) -> bool:
    """True when `slug` is one path segment that cannot climb out of its folder."""
    return bool(_SAFE_SLUG.match(slug)) and ".." not in slug


def nfc(text: str) -> str:
    """`text` in Unicode's composed form (NFC: `é` one character), as typed on every system; a Mac's file names
    come decomposed (NFD: `e` and a combining accent)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    """Whether `text` is in Unicode's composed form (see `nfc`)."""
    return text.isascii() or unicodedata.is_normalized("NFC", text)


def url_key(url: str) -> str:
    """Two URLs with the same key collide on case-insensitive or normalising file systems."""
    if url.isascii():  # most paths: the same key, a third of the time (the writer keys every output file)
        return url.lower()
    return unicodedata.normalize("NFKC", url).casefold()


def is_site_path(path: str) -> bool:
    """A site-relative path that stays inside the site: starts with '/', no '.' or '..' part, no '//', no scheme or
    query. A space may be in it: Jekyll publishes a category `big data` at `/big%20data/…`, a folder `big data`."""
    parts = path.split("/")
    return (path.startswith("/") and "//" not in path and ".." not in parts and "." not in parts
            and not any(c in path for c in "?#\\\0") and "://" not in path)


def is_site_target(target: str) -> bool:
    """A path on this site a redirect may send readers to (`is_site_path`), with a place on its page after `#`
    when it names one (`/archive/#y2024`): a meta refresh, a script and an HTTP redirect all keep it (RFC 9110,
    10.2.2: a Location with a fragment is where the browser goes)."""
    path, mark, place = target.partition("#")
    return is_site_path(path) and (not mark or (bool(place) and not any(c in place for c in "# \t\n\\\0")))


def is_plain_path(path: str) -> bool:
    """A relative file path written plainly, which cannot climb out of its folder (`a/b.html`: no leading, doubled
    or trailing slash, no `.` or `..` part, no backslash or NUL)."""
    return "\\" not in path and "\0" not in path and _PLAIN_PARTS.isdisjoint(path.split("/"))  # in C


def as_page_path(path: str) -> str:
    """`/old/launch` -> `/old/launch/` (a folder's index page); a path naming a file (`/old.html`) stays."""
    last = path.rsplit("/", 1)[-1]
    return path if path.endswith("/") or "." in last else path + "/"
