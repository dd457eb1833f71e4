"""Turning the site model into output files: pages from templates, static
files and generated assets. Yields `OutputFile`s; writing is `writer`'s job."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2
from pygments.formatters import HtmlFormatter

from .config import SiteConfig
from .site import Entry, Site, paginate
from .theme import Theme, make_environment, template_error
from .views import Urls, entry_view, group_view, page_view, pager_view, site_view


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file of the built site: bytes to write, or a source file to copy."""

    path: str  # relative to the output directory, "/"-separated
    data: bytes | None = None
    source: Path | None = None


def render_site(site: Site, cfg: SiteConfig, theme: Theme, now: datetime) -> Iterator[OutputFile]:
    """Every file of the site, in a stable order."""
    env = make_environment(theme)
    renderer = _PageRenderer(env, cfg, site, now)
    try:
        yield from renderer.pages()
    except jinja2.TemplateError as exc:
        raise template_error(exc, cfg.root) from None
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        # Raised from inside a template (a filter given the wrong value): name the template.
        error = template_error(exc, cfg.root)
        if error.problem.line is None:
            raise
        raise error from None
    yield OutputFile("assets/pygments.css", pygments_css(cfg).encode())
    yield from static_files(theme, cfg)


class _PageRenderer:
    def __init__(self, env: jinja2.Environment, cfg: SiteConfig, site: Site, now: datetime) -> None:
        self.env, self.cfg, self.site, self.now = env, cfg, site, now
        self.urls = Urls(cfg)
        self.site_view = site_view(cfg, site, self.urls)
        self._entry_views: dict[str, dict[str, Any]] = {}

    def entry(self, entry: Entry) -> dict[str, Any]:
        view = self._entry_views.get(entry.post.source)
        if view is None:
            view = self._entry_views[entry.post.source] = entry_view(entry, self.urls, self.now)
        return view

    def render(self, template: str, site_url: str, page: dict[str, Any], **context: Any) -> OutputFile:
        html = self.env.get_template(template).render(site=self.site_view, page=page, **context)
        return OutputFile(output_path(site_url), html.encode("utf-8"))

    def pages(self) -> Iterator[OutputFile]:
        cfg, site, urls = self.cfg, self.site, self.urls
        for pager in paginate(site.posts, "/", cfg.posts_per_page):
            title = cfg.title if pager.number == 1 else f"{cfg.title} – page {pager.number}"
            yield self.render("home.html", pager.url, page_view("home", title, pager.url, urls, cfg.description),
                              posts=[self.entry(e) for e in pager.items], pagination=pager_view(pager, urls))
        for index, entry in enumerate(site.posts):
            newer = site.posts[index - 1] if index > 0 else None
            older = site.posts[index + 1] if index + 1 < len(site.posts) else None
            post = self.entry(entry)
            yield self.render("post.html", entry.url, page_view("post", entry.post.title, entry.url, urls, post["summary"]),
                              post=post, newer=newer and self.entry(newer), older=older and self.entry(older))
        for entry in site.pages:
            view = self.entry(entry)
            yield self.render("page.html", entry.url, page_view("page", entry.post.title, entry.url, urls, view["summary"]),
                              entry=view)
        yield self.render("tags.html", "/tags/", page_view("tags", "Tags", "/tags/", urls),
                          tags=[group_view(g, urls) for g in site.tags])
        yield from self.groups("tag.html", "tag", site.tags)
        yield self.render("authors.html", "/authors/", page_view("authors", "Authors", "/authors/", urls),
                          authors=[group_view(g, urls) for g in site.authors])
        yield from self.groups("author.html", "author", site.authors)
        yield self.render("archive.html", "/archive/", page_view("archive", "Archive", "/archive/", urls),
                          years=[{"year": g.name, "anchor": g.key, "posts": [self.entry(e) for e in g.posts]}
                                 for g in site.years])
        not_found = page_view("404", "Page not found", "/404.html", urls)
        yield self.render("404.html", "/404.html", not_found, recent=[self.entry(e) for e in site.posts[:5]])

    def groups(self, template: str, kind: str, groups) -> Iterator[OutputFile]:
        for group in groups:
            view = group_view(group, self.urls)
            for pager in paginate(group.posts, group.url, self.cfg.posts_per_page):
                title = group.name if pager.number == 1 else f"{group.name} – page {pager.number}"
                yield self.render(template, pager.url, page_view(kind, title, pager.url, self.urls),
                                  **{kind: view}, posts=[self.entry(e) for e in pager.items],
                                  pagination=pager_view(pager, self.urls))


def output_path(site_url: str) -> str:
    """`/a/b/` -> `a/b/index.html`; `/404.html` -> `404.html`."""
    path = site_url.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def pygments_css(cfg: SiteConfig) -> str:
    """Code colours for light mode, and dark mode when the reader's system asks for it."""
    light = HtmlFormatter(style=cfg.markdown.highlight_light).get_style_defs(".highlight")
    dark = HtmlFormatter(style=cfg.markdown.highlight_dark).get_style_defs(".highlight")
    dark = "\n".join("  " + line for line in dark.splitlines())
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


def static_files(theme: Theme, cfg: SiteConfig) -> Iterator[OutputFile]:
    """Theme static files, then the site's `static/`, which wins on the same path."""
    chosen: dict[str, Path] = {}
    for folder in (*reversed(theme.static_dirs), cfg.static_dir):
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts):
                chosen[path.relative_to(folder).as_posix()] = path
    for rel in sorted(chosen):
        yield OutputFile(rel, source=chosen[rel])
