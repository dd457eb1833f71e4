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
from publisher.output.files import OutputFile
from publisher.pages.render import output_path
from publisher.site.model import Redirect, Site
from publisher.templates.i18n import Words


def redirect_files(site: Site, cfg: SiteConfig, words: Words) -> Iterator[OutputFile]:
    """A page per redirect, then the host files; nothing when the site has no redirects. `words`: the theme's
    words, in which the page says where it moved."""
    if not site.redirects:
        return
    urls = Urls(cfg)
    for redirect in site.redirects:
        yield OutputFile(output_path(redirect.source), redirect_page(redirect, cfg, urls, words).encode("utf-8"))
    # Netlify's and Cloudflare's `_redirects` want each path URL-encoded (`/authors/c%C3%A9line`), and a space
    # would split its line; nginx matches `$uri`, the request already decoded, and sends the target as written.
    yield OutputFile("_redirects", "".join(f"{as_uri(urls.path(r.source))} {as_uri(urls.path(r.target))} 301\n"
                                           for r in site.redirects).encode("utf-8"))
    yield OutputFile("redirects.map", "".join(f'"{urls.server_path(r.source)}" "{as_uri(urls.path(r.target))}";\n'
                                              for r in site.redirects).encode("utf-8"))


def redirect_page(redirect: Redirect, cfg: SiteConfig, urls: Urls, words: Words) -> str:
    """A valid HTML page that sends the reader on, in the site's language."""
    target = escape(urls.path(redirect.target))
    canonical = escape(urls.absolute(redirect.target))
    link = Markup(f'<a href="{target}">{canonical}</a>')  # HTML already: both parts are escaped above
    return (f'<!doctype html>\n<html lang="{escape(cfg.language)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(words.text('moved_title', site=cfg.title))}</title>\n"
            f'<link rel="canonical" href="{canonical}">\n<meta name="robots" content="noindex">\n'
            f'<meta http-equiv="refresh" content="0; url={target}">\n</head>\n<body>\n'
            f"<p>{words('moved', link=link)}</p>\n</body>\n</html>\n")
