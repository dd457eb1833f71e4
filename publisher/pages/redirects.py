"""The files that keep old URLs working: a small page at each old path, `_redirects`, an nginx map.

The page works on any static host (a meta refresh, a canonical link for
search engines, a plain link for everyone else, `noindex`); hosts that read
`_redirects` (Netlify, Cloudflare Pages) answer with a real 301 instead, and
nginx can include `redirects.map` in a `map` block.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from markupsafe import Markup

from publisher.config.model import SiteConfig
from publisher.content.urls import Urls, as_uri
from publisher.core.slugs import url_key
from publisher.output.files import OutputFile
from publisher.pages.query_script import page_scripts, query_script
from publisher.pages.render import output_path
from publisher.site.model import QueryRedirect, Redirect, Site
from publisher.templates.i18n import Words


def redirect_files(site: Site, cfg: SiteConfig, words: Words) -> Iterator[OutputFile]:
    """The rules that pages of the site's own load for old URLs with a query (when too many to carry inline),
    a page per redirect, then the host files; nothing when the site has no redirects. `words`: the theme's
    words, in which the page says where it moved. An old path that old URLs with a query redirect from too
    gets the script that sends those on (`query_script`), and no host rule: a host would send `/old/?id=5`
    where `/old/` goes, query and all, before the page could read it."""
    urls = Urls(cfg)
    loaded = {script.file for script in page_scripts(site.query_redirects, urls).values() if script.file}
    yield from (OutputFile(path, code) for path, code in sorted(loaded))
    queried = _query_redirects_by_path(site)
    if not site.redirects and not queried:
        return
    for redirect in _with_query_paths(site.redirects, queried):
        found = queried.get(url_key(redirect.source))
        page = redirect_page(redirect, cfg, urls, words, query_script(found, urls, redirect.target) if found else "")
        yield OutputFile(output_path(redirect.source), page.encode("utf-8"))
    ruled = [r for r in site.redirects if url_key(r.source) not in queried]
    # Netlify's and Cloudflare's `_redirects` want each path URL-encoded (`/authors/c%C3%A9line`), and a space
    # would split its line; nginx matches `$uri`, the request already decoded, and sends the target as written.
    yield OutputFile("_redirects", "".join(f"{as_uri(urls.path(r.source))} {as_uri(urls.path(r.target))} 301\n"
                                           for r in ruled if not is_host_pattern(r.source)).encode("utf-8"))
    yield OutputFile("redirects.map", "".join(f"{nginx_string(urls.server_path(r.source))} "
                                              f"{nginx_string(nginx_literal_uri(as_uri(urls.path(r.target))))};\n"
                                              for r in ruled).encode("utf-8"))


def is_host_pattern(path: str) -> bool:
    """Whether `_redirects` would read this old path as a pattern of many: a `*` is a splat matching anything
    from there, a part starting with `:` a placeholder matching any part (Netlify's, Cloudflare Pages' and
    GitLab Pages' rules). Such a path gets no rule there, its page alone sending readers on: `/*/` made every
    page of a Cloudflare site (where "redirects are always followed, regardless of whether or not an asset
    matches") redirect to one post."""
    return "*" in path or any(part.startswith(":") for part in path.split("/"))


def nginx_string(text: str) -> str:
    """`text` as one quoted string of nginx's configuration: a `"` or `\\` in it escaped, as nginx's reader
    unescapes them. Written bare, an old path's `"` ended the string: nginx refused the whole configuration, or
    read the rest of the path as rules of its own (`/x" "$arg_u"; "/y/` sent `/x?u=…` anywhere)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_literal_uri(uri: str) -> str:
    """A URI as a map's value reads it as written: nginx expands `$name` in a value to a variable (its docs: the
    resulting value can contain text and variables) and has no escape for `$`, so it is written `%24`, which a
    server decodes to the `$` of the file's name as it does `%20` to a space."""
    return uri.replace("$", "%24")


def _query_redirects_by_path(site: Site) -> dict[str, list[QueryRedirect]]:
    """The redirects of old URLs with a query that no page of the build carries, by their path's key."""
    found: dict[str, list[QueryRedirect]] = {}
    for redirect in site.query_redirects:
        if not redirect.on_page:
            found.setdefault(url_key(redirect.path), []).append(redirect)
    return found


def _with_query_paths(redirects: tuple[Redirect, ...], queried: dict[str, list[QueryRedirect]]) -> list[Redirect]:
    """The redirects, and one to the home page for each path that only old URLs with a query redirect from
    (`/index.php?p=5`): what the old site showed there without one. By old path."""
    redirected = {url_key(redirect.source) for redirect in redirects}
    only_queried = [Redirect(found[0].path, "/") for key, found in queried.items() if key not in redirected]
    return sorted([*redirects, *only_queried], key=lambda r: r.source)


def redirect_page(redirect: Redirect, cfg: SiteConfig, urls: Urls, words: Words, script: str = "") -> str:
    """A valid HTML page that sends the reader on, in the site's language. With `script` (see `query_script`),
    the script sends every reader on, and the meta refresh is for those without scripts only: both at once
    would race."""
    target = escape(urls.path(redirect.target))
    # The page itself is the canonical one: a search engine drops a fragment there, and Google reads a canonical
    # link with one as a mistake.
    canonical = escape(urls.absolute(redirect.target.partition("#")[0]))
    link = Markup(f'<a href="{target}">{canonical}</a>')  # HTML already: both parts are escaped above
    refresh = f'<meta http-equiv="refresh" content="0; url={target}">'
    return (f'<!doctype html>\n<html lang="{escape(cfg.language)}">\n<head>\n<meta charset="utf-8">\n'
            + (f"{script}<noscript>{refresh}</noscript>\n" if script else "")
            + f"<title>{escape(words.text('moved_title', site=cfg.title))}</title>\n"
            f'<link rel="canonical" href="{canonical}">\n<meta name="robots" content="noindex">\n'
            # no icon: a browser asks a page without one for /favicon.ico, a 404 on most hosts, while it moves on
            '<link rel="icon" href="data:,">\n'
            + ("" if script else f"{refresh}\n")
            + f"</head>\n<body>\n<p>{words('moved', link=link)}</p>\n</body>\n</html>\n")
