"""Slugs and URL keys: the one place that decides what a URL segment may be."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

_SAFE_SLUG = re.compile(r"^[\w][\w.~-]*$")
_PLAIN_PARTS = frozenset(("", ".", ".."))  # parts a plain relative path has none of
# The longest name of a file or folder that ext4, APFS and NTFS hold: 255 bytes (UTF-8, the strictest count: NTFS
# counts UTF-16 units). A longer part of a URL cannot be written on any of them.
NAME_BYTES = 255
# A page's link-preview card is named after its URL's last part, `-<10 hex digits>.png` added (images.previews).
PAGE_PART_BYTES = NAME_BYTES - len("-0123456789.png")


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


def overlong_part(path: str, limit: int = NAME_BYTES) -> str:
    """The first part of `path` ('/'-separated) longer than `limit` bytes of UTF-8, or "" when none is."""
    if len(path) <= limit // 4:  # most paths: no part of them can be (a character is 4 bytes of UTF-8 at most)
        return ""
    return next((part for part in path.split("/") if len(part.encode("utf-8")) > limit), "")


def too_long_said(what: str, part: str, limit: int) -> str:
    """Why `what` (`the URL's part`), `part`, of more than `limit` bytes is refused, for a problem's message."""
    shown = part if len(part) <= 40 else f"{part[:20]}…{part[-10:]}"
    card = f", and a page's card adds {NAME_BYTES - limit} to its last part" if limit < NAME_BYTES else ""
    return (f"{what} {shown!r} is {len(part.encode('utf-8'))} bytes long, past {limit}: no file system holds a "
            f"name of more than {NAME_BYTES} bytes{card} (shorten it)")


def control_character(path: str) -> str:
    """The first control character (Unicode's `Cc`: a line break, a tab, DEL…) in an old path once its escapes
    are decoded, as a server reads the address (`/old%0Aline/` asks for `old` and a line break), or ""."""
    return next((char for char in unquote(path) if unicodedata.category(char) == "Cc"), "")


def control_said(written: str, char: str) -> str:
    """Why an old path, `written`, holding the control character `char` is refused, for a problem's message."""
    return (f"{written!r} holds the control character U+{ord(char):04X} once decoded, as a server reads an "
            f"address: no redirect page or host's rule can answer it (a folder so named Windows refuses; "
            f"redirects.map breaks its rule's line) (remove it)")


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
