"""Old URLs with a query (`/?p=123`, WordPress's plain permalinks): how one is read, and which addresses it
covers.

A static host serves the path's file whatever the query (`/?p=123` is the home page), so such a redirect is
made by a script on that page (`pages.query_script`). It covers an address whose query has each of its
parameters with its value, whatever other parameters the address has (`/?p=123&utm_source=x`). Parameters
that only say where a reader came from (`utm_*`) are never matched: they are carried to the new URL.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote

Query = tuple[tuple[str, str], ...]  # (name, value) pairs, sorted by name

TRACKING_PREFIX = "utm_"  # campaign parameters: the page ignores them, the redirect carries them along


def split_old_url(old: str) -> tuple[str, Query]:
    """`/?p=123` -> ("/", (("p", "123"),)): an old URL's path and its query's parameters, sorted by name, their
    escapes read. ValueError, saying why, for a query that cannot be matched: empty, a parameter without a
    name, one named twice, a fragment, or a campaign parameter (`utm_source`, carried along, never matched)."""
    path, _, query = old.partition("?")
    if "#" in query:
        raise ValueError("a fragment (#...) never reaches a server or a redirect: leave it out")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise ValueError(f"the query {query!r} is not name=value pairs joined by '&' (e.g. /?p=123)") from None
    names = [name for name, _ in pairs]
    for name in names:
        if not name.strip() or name != name.strip():
            raise ValueError(f"the query {query!r} has a parameter without a name or with spaces around it")
        if name.lower().startswith(TRACKING_PREFIX):
            raise ValueError(f"{name} is a campaign parameter, carried to the new URL, never matched: leave it out")
        if names.count(name) > 1:
            raise ValueError(f"the query names {name} twice")
    return path, tuple(sorted(pairs))


def query_text(query: Query) -> str:
    """The query as a URL writes it (`p=123&page_id=4`), escaped where it must be."""
    return "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in query)


def covers(rule: Query, address: Query) -> bool:
    """Whether an address with the query `address` is one a redirect of `rule` sends on: it has each of the
    rule's parameters with that value (its first, as a browser's URLSearchParams.get reads it)."""
    first: dict[str, str] = {}
    for name, value in address:
        first.setdefault(name, value)
    return all(first.get(name) == value for name, value in rule)


def read_query(query: str) -> Query:
    """An address's query (`p=123&utm_source=x`) as its (name, value) pairs, in order, escapes read."""
    return tuple(parse_qsl(query, keep_blank_values=True))


def only_tracking(address: Query) -> bool:
    """The address's query holds campaign parameters only (`utm_source=x`), which no page reads."""
    return all(name.lower().startswith(TRACKING_PREFIX) for name, _ in address)
