"""The script that redirects old URLs with a query (`/?p=123`) from the page a host serves for them.

Every static host answers `/?p=123` with the file at `/` (the query is not part of its file name), and
only a few can redirect on a query (Netlify alone among those publisher writes rules for). So the page at
that path carries a small script, first in its `<head>` (right after `<meta charset>`, which must stay in
the first 1,024 bytes), which sends a reader whose address has the query on with `location.replace` (no
entry left in the history to come back to): the rule whose parameters the address has, the most of them
winning (`site.redirects.covering` picks the same); the address's campaign parameters (`utm_*`) carried to
the new URL; its fragment kept. Google renders pages and follows such a redirect (Search Central: "JavaScript
redirects"); a page of the site's own stays what it was for every other address.

The script comes before any `<meta http-equiv="Content-Security-Policy">` of the theme, so such a policy,
which binds only what follows it, does not block it.

A page of the site's own with many such redirects (a WordPress blog of 2,000 posts at `/?p=…`: 87 KB on the home
page, 11 KB gzipped) carries only a loader: when the address has a parameter some rule names, it loads the script
with the rules from a file of its own (`PageScript.file`), named by its content's digest so a host's cache never
serves an old one. Every other reader downloads some 300 bytes, whatever the number of redirects.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from publisher.content.urls import Urls, as_uri
from publisher.core.queries import query_text
from publisher.core.slugs import url_key
from publisher.site.model import QueryRedirect

# The rules as [query, URL] pairs; `f`: where to go when none matches (a redirect page's target), else null.
_CODE = ("(function(){{var r={rules},f={fallback},q=new URLSearchParams(location.search),t=null,n=-1;"
           "r.forEach(function(x){{var k=0,m=true;new URLSearchParams(x[0]).forEach(function(v,p){{k++;"
           "if(q.get(p)!==v)m=false}});if(m&&k>n){{t=x[1];n=k}}}});if(t===null)t=f;if(t===null)return;"
           "var u=new URL(t,location.href);q.forEach(function(v,p){{if(p.toLowerCase().indexOf(\"utm_\")===0&&"
           "!u.searchParams.has(p))u.searchParams.append(p,v)}});if(!u.hash)u.hash=location.hash;"
           "location.replace(u.href)}})();")
_SCRIPT = "<script>" + _CODE + "</script>\n"
# Loads the file at `src` holding `_CODE` when the address has one of the parameters `names` that the rules name.
_LOADER = ("<script>(function(){{var q=new URLSearchParams(location.search);if(!{names}.some(function(n){{"
           "return q.has(n)}}))return;var s=document.createElement(\"script\");s.src={src};"
           "document.head.appendChild(s)}})();</script>\n")
INLINE_LIMIT = 1024  # bytes of rules (some 25 redirects) carried inline; past it, the loader and a file
RULES_FOLDER = "/assets/redirects/"  # the files of rules that pages load
_HEAD = re.compile(r"<head(?:\s[^>]*)?>\s*(?:<meta\s+charset\s*=[^>]*>\s*)?", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!doctype[^>]*>\s*", re.IGNORECASE)


def query_script(redirects: Iterable[QueryRedirect], urls: Urls, fallback: str | None = None) -> str:
    """The `<script>` element for the redirects of one path, in their order; `fallback`: where a reader goes
    whose query none of them has (a redirect page's target), None on a page of the site's own."""
    rules = [[query_text(redirect.query), _url(redirect.target, urls)] for redirect in redirects]
    return _SCRIPT.format(rules=_json(rules), fallback=_json(None if fallback is None else _url(fallback, urls)))


@dataclass(frozen=True, slots=True)
class PageScript:
    """What a page of the site's own carries for the old URLs with a query at its path: `element`, first in its
    head; `file`, when the rules are too many to carry inline: the script it loads (output path, bytes)."""

    element: str
    file: tuple[str, bytes] | None = None


def page_script(redirects: Sequence[QueryRedirect], urls: Urls) -> PageScript:
    """The script of a page of the site's own for the redirects of its path: inline while their rules are at most
    `INLINE_LIMIT` bytes, else a loader of a file holding them, which only an address with a parameter some
    rule names (`p` of `/?p=123`) loads."""
    rules = _json([[query_text(redirect.query), _url(redirect.target, urls)] for redirect in redirects])
    if len(rules.encode("utf-8")) <= INLINE_LIMIT:
        return PageScript(_SCRIPT.format(rules=rules, fallback="null"))
    code = (_CODE.format(rules=rules, fallback="null") + "\n").encode("utf-8")
    path = f"{RULES_FOLDER}{hashlib.sha256(code).hexdigest()[:16]}.js"
    names = sorted({name for redirect in redirects for name, _ in redirect.query})
    return PageScript(_LOADER.format(names=_json(names), src=_json(urls.path(path))), (path.lstrip("/"), code))


def page_scripts(redirects: Iterable[QueryRedirect], urls: Urls) -> dict[str, PageScript]:
    """The script of each page of the build that old URLs with a query redirect from (`on_page`), by its
    path's key."""
    by_path: dict[str, list[QueryRedirect]] = {}
    for redirect in redirects:
        if redirect.on_page:
            by_path.setdefault(url_key(redirect.path), []).append(redirect)
    return {key: page_script(found, urls) for key, found in by_path.items()}


def with_script(html: str, script: str) -> str:
    """`html` with `script` first in its head (after `<meta charset>`); after the doctype when it has no head."""
    found = _HEAD.search(html) or _DOCTYPE.match(html)
    at = found.end() if found else 0
    return html[:at] + script + html[at:]


def _url(target: str, urls: Urls) -> str:
    return as_uri(urls.path(target))


def _json(value: object) -> str:
    """JSON to put inside a `<script>`: no `<` (a `</script>` or `<!--` in a URL would end or bend it)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
