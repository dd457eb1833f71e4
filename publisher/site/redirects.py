"""Redirects: old URLs that must keep working, from front matter (Hugo `aliases`, Jekyll `redirect_from`)
and `[redirects]` in publisher.toml, checked against the site's own URLs."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import PurePosixPath

from publisher.config.model import SiteConfig
from publisher.content.model import Entry, Post
from publisher.core.errors import Problem
from publisher.core.queries import Query, covers, split_old_url
from publisher.core.slugs import as_page_path, url_key
from publisher.site.model import QueryRedirect, Redirect
from publisher.site.reserved import own_path, reserved_for


def check_redirects(posts: list[Post], cfg: SiteConfig) -> list[Problem]:
    """An old path may not be a page's URL, nor claimed twice. A draft's URL may redirect until it is published
    (an imported post kept from readers for now: see `redirects_of`)."""
    pages = {url_key(post.url): post.source for post in posts if not post.draft}
    claimed: dict[str, str] = {}
    problems = []
    for old, origin, line, field in _claims(posts, cfg):
        key = url_key(old)
        owner = own_path(old)
        if "?" in old:
            problem = _query_problem(old)
            if problem:
                problems.append(Problem(origin, line, field, problem))
            elif key in claimed:
                problems.append(Problem(origin, line, field, f"{old} already redirects elsewhere ({claimed[key]})"))
            else:
                claimed[key] = origin
        elif owner is not None:
            problems.append(Problem(origin, line, field, f"{old} is {owner}; a redirect would replace it"))
        elif key in pages:
            problems.append(Problem(origin, line, field, f"{old} is the URL of {pages[key]}; a redirect would hide it"))
        elif key in claimed:
            problems.append(Problem(origin, line, field, f"{old} already redirects elsewhere ({claimed[key]})"))
        else:
            claimed[key] = origin
    return problems + _loops(cfg.redirects)


def _query_problem(old: str) -> str:
    """Why an old URL with a query cannot be redirected, or "": its path is the home page, a page of the site's
    or any other path, but not one of the site's own files or folders (`/feed.xml`, `/tags/…`), where no
    script of publisher's may run, nor a file a host sends as no page (`/index.php`: Python's server and
    static hosts give it a type of PHP's or none, and a browser downloads it)."""
    path = old.partition("?")[0]
    parts = [part for part in path.split("/") if part]
    owner = reserved_for(parts[0]) if parts else None
    if owner is not None:
        return f"{path} is {owner}, which carries no redirect of its own: redirect a query on a page of yours"
    suffix = PurePosixPath(path).suffix.lower()
    if not path.endswith("/") and suffix not in ("", ".html", ".htm"):
        return (f"a static host sends {path} as a {suffix} file to download, not as a page, so no script of a page "
                "there can send readers on")
    return ""


def _loops(configured: tuple[tuple[str, str], ...]) -> list[Problem]:
    """A redirect of the settings that comes back to where it started, through others or at once (`"/a/" =
    "/a/"`): a browser gives up on it. Posts' aliases lead to pages, so only the settings' can loop."""
    configured = tuple((old, new) for old, new in configured if "?" not in old)  # a query's redirect cannot loop
    targets: dict[str, str] = {}
    for old, new in configured:
        targets.setdefault(url_key(as_page_path(old)), new)
    problems = []
    for old, new in configured:
        start, path, at = url_key(as_page_path(old)), [old], new
        while len(path) <= len(targets):  # past that, a loop that does not pass through `old`: reported at its own
            path.append(at)
            key = url_key(as_page_path(at.partition("#")[0])) if at.startswith("/") else ""
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
    return post.source, post.url, post.aliases, field, post.line_of(field), post.draft


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
    """Every redirect of the published entries and the settings without a query, by old path; not one of the
    settings' from the URL of an entry published (a draft's, shown by `--drafts`: its page is there)."""
    entries = tuple(entries)
    found = [Redirect(old, entry.url) for entry in entries for old in entry.post.aliases if "?" not in old]
    pages = {url_key(as_page_path(entry.url)) for entry in entries} if configured else set()
    found += [Redirect(old, new) for old, new in configured
              if "?" not in old and url_key(as_page_path(old)) not in pages]
    return tuple(sorted(found, key=lambda r: r.source))


def query_redirects_of(entries: Collection[Entry], configured: tuple[tuple[str, str], ...]
                       ) -> tuple[QueryRedirect, ...]:
    """Every redirect of an old URL with a query (`/?p=123`) of the published entries and the settings, by path
    and query; each says whether a page of the build is at its path (the home page, an entry's), to carry it."""
    wanted = [(old, entry.url) for entry in entries for old in entry.post.aliases if "?" in old]
    wanted += [(old, new) for old, new in configured if "?" in old]
    if not wanted:  # most sites': no pass over every entry's URL
        return ()
    pages = {url_key(as_page_path(entry.url)) for entry in entries} | {"/"}
    found = []
    for old, new in wanted:
        path, query = split_old_url(old)  # read before: it can be split
        found.append(QueryRedirect(path, query, new, on_page=url_key(path) in pages))
    return tuple(sorted(found, key=lambda r: (r.path, r.query)))


def covering(redirects: Iterable[QueryRedirect], path: str, address: Query) -> QueryRedirect | None:
    """The redirect that sends an address (its path and query) on, as the page's script picks it: of those
    whose parameters it has, the one with the most (then the first by query)."""
    key = url_key(as_page_path(path))
    found = [r for r in redirects if url_key(r.path) == key and covers(r.query, address)]
    return max(found, key=lambda r: len(r.query), default=None)
