"""Making every link in rendered content work from every page.

Writers link to other sources by file (`[see](other-post.md)`), to site files
by root-relative path (`/img/chart.svg`) or by relative path (`img/chart.svg`,
read from the site root where `static/` lands). Pages live at different
depths and the site may live under a sub-path (`https://x.github.io/repo/`), so
each such URL is rewritten to a path from the server root that includes the
site's base path. URLs with a scheme, `//host`, `#fragment` or `?query` only
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
    """Apply `rewrite` to every href/src; return the new HTML and the URLs it could not resolve."""
    missing: list[str] = []
    parts: list[str] = []
    done = 0
    for name_start, value_start in _link_attributes(html):
        if name_start < done:  # inside the value of the link before
            continue
        value_end = html.find('"', value_start)
        if value_end == -1:
            break
        url = html[value_start:value_end]
        new = rewrite(url)
        if new is None:
            missing.append(url)
            new = url
        parts += [html[done:value_start], new]
        done = value_end
    parts.append(html[done:])
    return "".join(parts), missing


def _link_attributes(html: str) -> list[tuple[int, int]]:
    """Where each `href="` or `src="` (also `data-src="` and the like) starts, and where its value starts.

    Two str.find scans: a regex for `href|src` would test every character of a long post.
    """
    found = []
    for name in ('href="', 'src="'):
        at = html.find(name, 1)
        while at != -1:
            before = html[at - 1]
            if before.isspace() or before == "-":
                found.append((at, at + len(name)))
            at = html.find(name, at + 1)
    found.sort()
    return found
