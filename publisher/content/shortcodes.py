"""Shortcodes: `{{ … }}` and `{% … %}` in a body, evaluated before Markdown, never inside code.

Bodies are Jinja2 templates run in a sandbox (see `templates.bodies`) with:
`site` (url, baseurl, title, description, language), `post` (title, url, slug,
date, tags), the filters `url`/`relative_url` and `absolute_url` (the base path
is added to every root-relative link later, by the Markdown stage, so `baseurl`
is empty and `url` returns the path), the built-in shortcodes `image`, `figure`, `youtube` and
`post_url`, and the theme's own `shortcodes/<name>.html`, callable as
`{{ name(a, b, key=c) }}` or as a filter `{{ value | name(b) }}` (the template
sees `args`, its keyword arguments, `site` and `post`). A body without `{{` or
`{%` is left as it is at no cost; `shortcodes: false` in a post, or
`[markdown] shortcodes = false`, turns the pass off.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from html import escape
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from publisher.config.model import SiteConfig
from publisher.content.model import Post
from publisher.content.urls import Urls
from publisher.core.errors import Problem
from publisher.markdown.code import code_ranges
from publisher.templates.bodies import shortcode_names

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # private-use characters around a stowed code range's number


@dataclass(frozen=True, slots=True)
class Shortcodes:
    """Everything bodies may call, made once per build."""

    env: SandboxedEnvironment
    cfg: SiteConfig
    source_urls: Mapping[str, str]  # source path -> site-relative URL, for post_url

    @classmethod
    def make(cls, env: SandboxedEnvironment, cfg: SiteConfig, source_urls: Mapping[str, str]) -> Shortcodes:
        shortcodes = cls(env, cfg, source_urls)
        urls = Urls(cfg)
        # The Markdown stage gives every root-relative link the base path, so these leave it to that stage.
        env.filters.update(url=_site_path, relative_url=_site_path, absolute_url=urls.absolute)
        env.globals.update(image=image, figure=figure, youtube=youtube, post_url=shortcodes.post_url)
        for name in shortcode_names(env):
            env.globals[name] = env.filters[name] = _theme_shortcode(env, name)
        return shortcodes

    def expand(self, post: Post) -> tuple[Post, Problem | None]:
        """The post with its body evaluated, or the post as it was and the problem that stopped it."""
        if not post.shortcodes or not self.cfg.markdown.shortcodes or ("{{" not in post.body
                                                                         and "{%" not in post.body):
            return post, None
        body, stowed = _stow_code(post.body)
        try:
            template = self.env.from_string(body)
            expanded = template.render(site=self.site_view(), post=_post_view(post), _source=post.source)
        except jinja2.TemplateSyntaxError as error:
            return post, self._problem(post, error.lineno, _message(error, self.cfg))
        except Exception as error:
            return post, self._problem(post, _template_line(error.__traceback__), _message(error, self.cfg))
        return replace(post, body=_unstow_code(expanded, stowed)), None

    def site_view(self) -> dict[str, str]:
        cfg = self.cfg
        return {"url": cfg.url.rstrip("/"), "baseurl": "", "title": cfg.title,  # base path: see `make`
                "description": cfg.description, "language": cfg.language}

    def post_url(self, source: str) -> str:
        """The URL (base path included) of another source: `post_url("2016-07-13-launch.md")`."""
        wanted = posixpath.basename(source)
        for path, url in self.source_urls.items():
            if path == source or posixpath.basename(path) in (wanted, wanted + ".md"):
                return url
        raise LookupError(f"post_url: no post or page is the file {source!r}")

    def _problem(self, post: Post, line: int | None, message: str) -> Problem:
        return Problem(post.source, post.body_line + (line or 1) - 1, "shortcode", message)


def expand_all(posts: list[Post], shortcodes: Shortcodes, problems: list[Problem]) -> list[Post]:
    """Every post with its shortcodes expanded; a post that fails keeps its body, its problem noted."""
    expanded = []
    for post in posts:
        result, problem = shortcodes.expand(post)
        if problem is not None:
            problems.append(problem)
        expanded.append(result)
    return expanded


def _site_path(path: str) -> str:
    """A path on the site as a link: `about/` -> `/about/`; URLs with a scheme stay as they are."""
    return path if "://" in path or path.startswith(("#", "mailto:")) else "/" + path.lstrip("/")


def image(src: str, alt: str = "", title: str = "") -> str:
    title_attr = f' title="{escape(title)}"' if title else ""
    return f'<img src="{escape(src)}" alt="{escape(alt)}"{title_attr}>'


def figure(src: str, alt: str = "", caption: str = "") -> str:
    caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{image(src, alt)}{caption_html}</figure>"


def youtube(video: str, title: str = "Video") -> str:
    """A privacy-enhanced, lazy YouTube player, with a plain link for where frames do not load (feeds)."""
    key = escape(video)
    return (f'<figure class="video"><iframe src="https://www.youtube-nocookie.com/embed/{key}" '
            f'title="{escape(title)}" loading="lazy" allowfullscreen></iframe>'
            f'<figcaption><a href="https://www.youtube.com/watch?v={key}">{escape(title)}</a></figcaption></figure>')


def _theme_shortcode(env: SandboxedEnvironment, name: str) -> Callable[..., str]:
    @jinja2.pass_context
    def call(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> str:
        template = env.get_template(f"{name}.html")
        return template.render(args=list(args), site=context.get("site"), post=context.get("post"), **kwargs)

    return call


def _post_view(post: Post) -> dict[str, Any]:
    return {"title": post.title, "url": post.url, "slug": post.slug, "date": post.date, "tags": list(post.tags)}


def _stow_code(body: str) -> tuple[str, list[str]]:
    """The body with each code range replaced by a marker, and the ranges' text, so templates never see code."""
    stowed: list[str] = []
    parts: list[str] = []
    done = 0
    for start, end in code_ranges(body):
        parts += [body[done:start], f"{MARK_OPEN}{len(stowed)}{MARK_CLOSE}"]
        stowed.append(body[start:end])
        done = end
    parts.append(body[done:])
    return "".join(parts), stowed


def _unstow_code(text: str, stowed: list[str]) -> str:
    for number, code in enumerate(stowed):
        text = text.replace(f"{MARK_OPEN}{number}{MARK_CLOSE}", code)
    return text


def _message(error: Exception, cfg: SiteConfig) -> str:
    if isinstance(error, jinja2.UndefinedError) and " is undefined" in str(error):
        name = str(error).split("'")[1] if "'" in str(error) else str(error)
        return (f"unknown shortcode, filter or variable {name!r} "
                f"(a shortcode is written in themes/{cfg.theme}/shortcodes/{name}.html)")
    if isinstance(error, jinja2.TemplateAssertionError) and "No filter named" in str(error):
        name = str(error).split("'")[1]
        return f"unknown filter {name!r} (a shortcode is written in themes/{cfg.theme}/shortcodes/{name}.html)"
    return f"{type(error).__name__}: {error}"


def _template_line(trace: TracebackType | None) -> int | None:
    """The line of the body template where an error was raised (Jinja2 maps its frames to template lines)."""
    line = None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
