"""Redirects: old URLs that must keep working, from front matter (Hugo `aliases`, Jekyll `redirect_from`)
and `[redirects]` in publisher.toml, checked against the site's own URLs."""

from __future__ import annotations

from collections.abc import Iterable

from publisher.config.model import SiteConfig
from publisher.content.model import Entry, Post
from publisher.core.errors import Problem
from publisher.core.slugs import as_page_path, url_key
from publisher.site.model import Redirect
from publisher.site.reserved import own_path


def check_redirects(posts: list[Post], cfg: SiteConfig) -> list[Problem]:
    """An old path may not be a page's URL, nor claimed twice."""
    pages = {url_key(post.url): post.source for post in posts}
    claimed: dict[str, str] = {}
    problems = []
    for old, origin, line, field in _claims(posts, cfg):
        key = url_key(old)
        owner = own_path(old)
        if owner is not None:
            problems.append(Problem(origin, line, field, f"{old} is {owner}; a redirect would replace it"))
        elif key in pages:
            problems.append(Problem(origin, line, field, f"{old} is the URL of {pages[key]}; a redirect would hide it"))
        elif key in claimed:
            problems.append(Problem(origin, line, field, f"{old} already redirects elsewhere ({claimed[key]})"))
        else:
            claimed[key] = origin
    return problems + _loops(cfg.redirects)


def _loops(configured: tuple[tuple[str, str], ...]) -> list[Problem]:
    """A redirect of the settings that comes back to where it started, through others or at once (`"/a/" =
    "/a/"`): a browser gives up on it. Posts' aliases lead to pages, so only the settings' can loop."""
    targets: dict[str, str] = {}
    for old, new in configured:
        targets.setdefault(url_key(as_page_path(old)), new)
    problems = []
    for old, new in configured:
        start, path, at = url_key(as_page_path(old)), [old], new
        while len(path) <= len(targets):  # past that, a loop that does not pass through `old`: reported at its own
            path.append(at)
            key = url_key(as_page_path(at)) if at.startswith("/") else ""
            if key == start:
                problems.append(Problem("publisher.toml", None, f"redirects.{old}",
                                        f"comes back to itself ({' -> '.join(path)}): browsers give up"))
            if key == start or key not in targets:
                break
            at = targets[key]
    return problems


def redirect_check_reads(post: Post) -> tuple[object, ...]:
    """What `check_redirects` reads of a post."""
    field = _aliases_field(post)
    return post.source, post.url, post.aliases, field, post.line_of(field)


def _aliases_field(post: Post) -> str:
    """The field a post's old paths are under (Hugo's name unless it uses Jekyll's)."""
    return "aliases" if "aliases" in post.field_lines else "redirect_from"


def _claims(posts: list[Post], cfg: SiteConfig) -> Iterable[tuple[str, str, int | None, str]]:
    """(old path, file, line, field) of every redirect the input asks for."""
    for post in sorted(posts, key=lambda p: p.source):
        field = _aliases_field(post)
        for old in post.aliases:
            yield old, post.source, post.line_of(field), field
    for old, _ in cfg.redirects:
        yield old, "publisher.toml", None, f"redirects.{old}"


def redirects_of(entries: Iterable[Entry], configured: tuple[tuple[str, str], ...]) -> tuple[Redirect, ...]:
    """Every redirect of the published entries and the settings, by old path."""
    found = [Redirect(old, entry.url) for entry in entries for old in entry.post.aliases]
    found += [Redirect(old, new) for old, new in configured]
    return tuple(sorted(found, key=lambda r: r.source))
