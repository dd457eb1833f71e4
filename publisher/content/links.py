"""Making every link in rendered content work from every page.

Writers link to other sources by file (`[see](other-post.md)`), to site files
by root-relative path (`/img/chart.svg`) or by relative path (`img/chart.svg`,
read from the site root where `static/` lands). Pages live at different
depths and the site may live under a sub-path (`https://x.github.io/repo/`), so
each such URL is rewritten to a path from the server root that includes the
site's base path: in every attribute that holds URLs (`href`, `src`, every URL
of a `srcset`, `poster`, `action`, `data`, `cite`...) quoted with `"` (as
Markdown writes them) or `'` (raw HTML may), and in every `url()` of CSS in
`style` attributes and `<style>` elements (`content.html_urls` finds them, and
leaves out the text of code). URLs with a scheme, `//host`, `#fragment` or
`?query` only are left alone.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Callable, Mapping
from urllib.parse import quote, unquote, urlsplit

from publisher.content.css_urls import rewrite_css_urls
from publisher.content.html_urls import Kind, url_values
from publisher.content.model import is_source_name
from publisher.core.slugs import is_nfc, nfc


def is_external(url: str) -> bool:
    if url.startswith(("https://", "http://", "#")):  # most links; no need to split them
        return True
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) or url.startswith(("#", "?")) or url == ""


_BACKSLASH = re.compile(r"\\|%5[Cc]")


def with_slashes(url: str) -> str:
    """A path written with Windows' separator (`img\\photo.jpg`) read with `/`, before its `?` or `#`: browsers
    read `\\` so (WHATWG URL, path state), and Markdown engines escape it as `%5C` (CommonMark), which a server
    on Windows reads as `\\` and finds the file, and one on Linux does not. A URL without either is returned
    as it is."""
    if "\\" not in url and "%5" not in url:
        return url
    end = min((at for at in (url.find("?"), url.find("#")) if at != -1), default=len(url))
    return _BACKSLASH.sub("/", url[:end]) + url[end:]


_ASCII_ESCAPE = re.compile(r"(%[0-7][0-9A-Fa-f])")
_ASCII_SHOWN = "".join(map(chr, range(33, 127)))  # left as they are by `quote`


def composed(path: str) -> str:
    """A URL's path (`%`-escaped or not) with its letters in NFC, as the site publishes its files (`/img/café.png`
    with `é` one character): a name pasted from a Mac's Finder comes with `e` and a combining accent (NFD), which
    as a URL names no file of a Linux host's. A path already composed is returned as it is; so is every escape of
    an ASCII character (`%2F` stays one)."""
    if (path.isascii() and "%" not in path) or is_nfc(unquote(path)):
        return path
    pieces = _ASCII_ESCAPE.split(path)  # odd pieces are the escapes of ASCII characters, kept
    return "".join(piece if at % 2 else quote(nfc(unquote(piece)), safe=_ASCII_SHOWN)
                   for at, piece in enumerate(pieces))


def link_key(source: str) -> str:
    """A source's name as links find it, in NFC: a Mac names a file `café.md` with `e` + U+0301 (NFD; a git
    checkout on Linux keeps it so) while the writer types `é`, and the two must name one file."""
    return source if source.isascii() else unicodedata.normalize("NFC", source)


def resolve_url(url: str, source: str, base_path: str, source_urls: Mapping[str, str]) -> str | None:
    """Where `url`, written in the file `source`, points to; None for a Markdown link to no known file.
    `source_urls` is keyed by `link_key`."""
    if is_external(url):
        return url
    parts = urlsplit(with_slashes(url))
    suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    path = parts.path
    if is_source_name(path) and not path.startswith("/"):
        target = link_key(posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path))))
        site_url = source_urls.get(target)
        if site_url is None:
            return None
        return base_path + site_url.lstrip("/") + suffix
    # Root-relative and relative paths both start from the site root.
    clean = posixpath.normpath("/" + composed(path).lstrip("/"))
    clean = clean.lstrip("/") + ("/" if path.endswith("/") and clean != "/" else "")
    return base_path + clean.lstrip("/") + suffix


def rewrite_links(html: str, rewrite: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """Apply `rewrite` to every URL of every URL attribute (`href`, `src`, each of a `srcset`, `poster`...) and
    every `url()` of CSS, in `style` attributes and `<style>` elements (see `content.html_urls`).

    Return the new HTML and the URLs `rewrite` could not resolve (it returned None for them).
    """
    missing: list[str] = []

    def apply(url: str) -> str:
        new = rewrite(url)
        if new is None:
            missing.append(url)
            return url
        return new

    parts: list[str] = []
    done = 0
    for value_start, value_end, kind in url_values(html):
        parts += [html[done:value_start], _REWRITERS[kind](html[value_start:value_end], apply)]
        done = value_end
    parts.append(html[done:])
    return "".join(parts), missing


def _rewrite_url(value: str, rewrite: Callable[[str], str]) -> str:
    return rewrite(value)


_SPACES = re.compile(r"([ \t\n\r\f]+)")  # ASCII whitespace, kept by split


def _rewrite_spaced(value: str, rewrite: Callable[[str], str]) -> str:
    """Apply `rewrite` to each URL of a list between spaces (`ping="/a /b"`), the spaces kept."""
    parts = _SPACES.split(value)
    return "".join(part if index % 2 or not part else rewrite(part) for index, part in enumerate(parts))


_SPACE = " \t\n\r\f"  # ASCII whitespace, what separates a srcset's URLs from their descriptors


def _rewrite_srcset(value: str, rewrite: Callable[[str], str]) -> str:
    """Apply `rewrite` to each image candidate's URL of a srcset (`/a.png 1x, /b.png 2x`).

    As the HTML standard reads it: a URL is a run of non-space characters (it may hold
    commas, as data: URLs do) less any trailing commas; its descriptors run to the next comma.
    """
    parts: list[str] = []
    done = pos = 0
    end = len(value)
    while pos < end:
        while pos < end and (value[pos] in _SPACE or value[pos] == ","):
            pos += 1
        if pos == end:
            break
        url_start = pos
        while pos < end and value[pos] not in _SPACE:
            pos += 1
        url_end = pos
        while value[url_end - 1] == ",":
            url_end -= 1
        parts += [value[done:url_start], rewrite(value[url_start:url_end])]
        done = url_end
        if url_end == pos:  # no trailing comma: descriptors follow, up to the next comma
            comma = value.find(",", pos)
            pos = end if comma == -1 else comma
    parts.append(value[done:])
    return "".join(parts)


def srcset_urls(value: str) -> list[str]:
    """The URL of each image candidate of a srcset, in order (as `_rewrite_srcset` reads them)."""
    return _found_urls(_rewrite_srcset, value)


def css_urls(css: str) -> list[str]:
    """The URL of each `url()` of `css` (but fragment-only ones), in order (as `rewrite_css_urls` reads them)."""
    return _found_urls(rewrite_css_urls, css)


def _found_urls(rewriter: Callable[[str, Callable[[str], str]], str], text: str) -> list[str]:
    """The URLs `rewriter` would rewrite in `text`, in order: it is run with a rewrite that notes each, and
    changes none."""
    found: list[str] = []

    def note(url: str) -> str:
        found.append(url)
        return url

    rewriter(text, note)
    return found


_REWRITERS: dict[Kind, Callable[[str, Callable[[str], str]], str]] = {
    "url": _rewrite_url, "srcset": _rewrite_srcset, "urls": _rewrite_spaced, "css": rewrite_css_urls,
}
