"""Making every link in rendered content work from every page.

Writers link to other sources by file (`[see](other-post.md)`), to site files
by root-relative path (`/img/chart.svg`) or by relative path (`img/chart.svg`,
read from the site root where `static/` lands). Pages live at different
depths and the site may live under a sub-path (`https://x.github.io/repo/`), so
each such URL is rewritten to a path from the server root that includes the
site's base path: in `href`, `src` and every URL of a `srcset`, quoted with
`"` (as Markdown writes them) or `'` (raw HTML may). URLs with a scheme, `//host`, `#fragment` or `?query` only
are left alone.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from urllib.parse import unquote, urlsplit

from publisher.content.model import SOURCE_SUFFIXES


def is_external(url: str) -> bool:
    if url.startswith(("https://", "http://", "#")):  # most links; no need to split them
        return True
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc) or url.startswith(("#", "?")) or url == ""


def resolve_url(url: str, source: str, base_path: str, source_urls: Mapping[str, str]) -> str | None:
    """Where `url`, written in the file `source`, points to; None for a Markdown link to no known file."""
    if is_external(url):
        return url
    parts = urlsplit(url)
    suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    path = parts.path
    if path.endswith(SOURCE_SUFFIXES) and not path.startswith("/"):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source), unquote(path)))
        site_url = source_urls.get(target)
        if site_url is None:
            return None
        return base_path + site_url.lstrip("/") + suffix
    # Root-relative and relative paths both start from the site root.
    clean = posixpath.normpath("/" + path.lstrip("/"))
    clean = clean.lstrip("/") + ("/" if path.endswith("/") and clean != "/" else "")
    return base_path + clean.lstrip("/") + suffix


def rewrite_links(html: str, rewrite: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """Apply `rewrite` to every URL of every href/src/srcset, quoted with `"` or `'`.

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
    for name_start, value_start, is_srcset in _link_attributes(html):
        if name_start < done:  # inside the value of the link before
            continue
        value_end = html.find(html[value_start - 1], value_start)
        if value_end == -1:  # never closed; then no later value has this quote, so this search is not repeated
            continue
        value = html[value_start:value_end]
        parts += [html[done:value_start], _rewrite_srcset(value, apply) if is_srcset else apply(value)]
        done = value_end
    parts.append(html[done:])
    return "".join(parts), missing


_NAMES = (("href=", False), ("src=", False), ("srcset=", True))


def _link_attributes(html: str) -> list[tuple[int, int, bool]]:
    """Where each `href=`, `src=` or `srcset=` with a quoted value starts (also `data-src=` and the
    like), where its value starts (after the quote), and whether it is a srcset.

    One str.find scan per name: a regex for `href|src|srcset` would test every character of a long post.
    """
    found = []
    for name, is_srcset in _NAMES:
        at = html.find(name, 1)
        while at != -1:
            before = html[at - 1]
            value_start = at + len(name) + 1
            if (before.isspace() or before == "-") and html[value_start - 1:value_start] in ("\"", "'"):
                found.append((at, value_start, is_srcset))
            at = html.find(name, at + 1)
    found.sort()
    return found


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
