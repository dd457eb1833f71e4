"""Shortcodes: `{{ … }}` and `{% … %}` in a body, evaluated before Markdown, never inside code.

Bodies are Jinja2 templates run in a sandbox (see `templates.bodies`) with:
`site` (url, baseurl, title, description, language), `post` (title, url, slug,
date, tags), the filters `url`/`relative_url` and `absolute_url` (the base path
is added to every root-relative link later, by the Markdown stage, so `baseurl`
is empty and `url` returns the path) and `markdown`, the built-in shortcodes
`image`, `figure`, `youtube`, `embed`, `cta` and `post_url`, and the theme's own
`shortcodes/<name>.html`, callable as `{{ name(a, b, key=c) }}`, as a filter
`{{ value | name(b) }}` or around text, `{% call name(a) %}…{% endcall %}` (the
template sees `args`, its keyword arguments, `site`, `post`, and for a call
`body`, the inner text as Markdown source, and `caller()`). A body without `{{`
or `{%` is left as it is at no cost; `shortcodes: false` in a post, or
`[markdown] shortcodes = false`, turns the pass off.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from html import escape
from types import TracebackType
from typing import Any, Protocol

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from publisher.config.model import MarkdownWords, SiteConfig
from publisher.content.ctas import Cta
from publisher.content.image_urls import as_image_src
from publisher.content.links import link_key
from publisher.content.model import Post
from publisher.content.urls import Urls
from publisher.core.errors import Problem
from publisher.core.owned import OwnFiles
from publisher.core.slugs import slugify
from publisher.core.text import absent_private_use
from publisher.markdown.code import code_ranges
from publisher.markdown.engines import make_converter
from publisher.markdown.inline import inline_html
from publisher.templates.bodies import NotPrintable, shortcode_names
from publisher.templates.bounds import TooLarge
from publisher.templates.steps import TooMuchWork, carried_steps

BUILT_IN_NAMES = frozenset({"image", "figure", "youtube", "embed", "cta", "post_url"})


_DIRECTIVE = re.compile(r"%([-_0^#]*)([A-Za-z%])")  # a strftime directive, with glibc's and Ruby's flags


def liquid_date(words: MarkdownWords, value: object, layout: str = "%b %-d, %Y") -> str:
    """Liquid's `date` filter: a datetime (or ISO text) in a strftime layout, its month and day names (`%B`, `%b`,
    `%A`, `%a`; `%^B` in capitals) in the site's language, as Hugo's `time.Format` writes them: `words`' (English's
    as strftime's). Other directives are strftime's."""
    when = value if isinstance(value, (datetime, date)) else datetime.fromisoformat(str(value))
    return when.strftime(_DIRECTIVE.sub(partial(_named, words, when), layout))


def _named(words: MarkdownWords, when: date, directive: re.Match[str]) -> str:
    """A name directive as the name, ready for strftime (a `%` in it doubled); any other directive as written."""
    names = {"B": words.months, "b": words.months_short, "h": words.months_short,
             "A": words.weekdays, "a": words.weekdays_short}.get(directive[2])
    if names is None:
        return directive[0]
    name = names[when.month - 1] if len(names) == 12 else names[when.weekday()]
    return (name.upper() if "^" in directive[1] else name).replace("%", "%%")


# Liquid's filters that Jinja2 lacks or spells differently, so imported bodies read as they did.
LIQUID_FILTERS: dict[str, Callable[..., Any]] = {
    "append": lambda text, more: f"{text}{more}",
    "prepend": lambda text, more: f"{more}{text}",
    "downcase": lambda text: str(text).lower(),
    "upcase": lambda text: str(text).upper(),
    "strip_html": lambda text: re.sub(r"<[^>]*>", "", str(text)),
    "slugify": lambda text: slugify(str(text)),
    "size": len,
    "date": partial(liquid_date, MarkdownWords()),  # English's names; a site's body, its language's (`make`)
    "jsonify": lambda value: json.dumps(value, ensure_ascii=False, default=str),
}


class ShortcodeError(Exception):
    """A built-in shortcode's complaint about its arguments, shown to the writer as it is."""


@dataclass(frozen=True, slots=True)
class Stowed:
    """A body's code ranges, each stowed as a marker: its number between `open` and `close`, two characters the
    body does not hold (so no text of its own reads as a marker)."""

    open: str
    close: str
    codes: list[str]

    def back(self, text: str) -> str:
        """`text` with each marker replaced by its code range, in one pass: a range is never read again for
        markers (replaced one by one, a range holding the next one's marker twice doubled the body at each: 600
        bytes made a 21 MB page)."""
        if not self.codes:
            return text
        marker = re.compile(f"{self.open}([0-9]+){self.close}")
        return marker.sub(self._code, text)

    def _code(self, found: re.Match[str]) -> str:
        number = int(found.group(1))
        return self.codes[number] if number < len(self.codes) else found.group(0)


@dataclass(frozen=True, slots=True)
class Shortcodes:
    """Everything bodies may call, made once per build."""

    env: SandboxedEnvironment
    cfg: SiteConfig
    source_urls: Mapping[str, str]  # source path -> site-relative URL, for post_url
    ctas: Mapping[str, Cta]
    own: OwnFiles  # the site's static files, which `image` and `figure` name

    @classmethod
    def make(cls, env: SandboxedEnvironment, cfg: SiteConfig, source_urls: Mapping[str, str],
             ctas: Mapping[str, Cta], own: OwnFiles | None = None) -> Shortcodes:
        shortcodes = cls(env, cfg, source_urls, ctas, own or OwnFiles(()))
        urls = Urls(cfg)
        converter = make_converter(cfg.markdown)
        # The Markdown stage gives every root-relative link the base path, so these leave it to that stage.
        env.filters.update(url=_site_path, relative_url=_site_path, absolute_url=urls.absolute,
                           markdown=_markdown_filter(converter.convert))
        built_in = {"image": shortcodes.image, "figure": shortcodes.figure, "youtube": shortcodes.youtube,
                    "embed": shortcodes.embed, "cta": shortcodes.cta, "post_url": shortcodes.post_url}
        assert set(built_in) == BUILT_IN_NAMES
        env.globals.update(built_in)
        env.filters.update(built_in)  # `{{ url | embed("title") }}`, as every shortcode can be called
        env.filters.update(LIQUID_FILTERS, markdownify=env.filters["markdown"],
                           date=partial(liquid_date, cfg.markdown.words))  # month and day names in its language
        for name in shortcode_names(env):
            env.globals[name] = env.filters[name] = _theme_shortcode(env, name)
        return shortcodes

    def expand(self, post: Post) -> tuple[Post, Problem | None]:
        """The post with its body evaluated, or the post as it was and the problem that stopped it."""
        if not post.shortcodes or not self.cfg.markdown.shortcodes or not has_template_code(post.body):
            return post, None
        body, stowed = _stow_code(post.body)
        used: dict[str, None] = {}  # the CTAs the body calls, once each, in order (a list of every call was read
        # whole at each: 32,000 calls took 30 s)
        try:
            template = self.env.from_string(body)
            expanded = template.render(site=self.site_view(), post=_post_view(post), _source=post.source,
                                       _stowed=stowed, _post=post, _ctas_used=used, _calls=_Calls())
        except jinja2.TemplateSyntaxError as error:
            return post, self._problem(post, error.lineno, _message(error, self.cfg))
        except Exception as error:
            return post, self._problem(post, _template_line(error.__traceback__), _message(error, self.cfg))
        return replace(post, body=stowed.back(expanded), body_ctas=tuple(used)), None

    def image(self, src: str, alt: str = "", title: str = "") -> str:
        """An image: `src` a file of the site as written (`/img/big pic #1.jpg`, `as_image_src`) or a URL."""
        title_attr = f' title="{escape(title)}"' if title else ""
        return f'<img src="{escape(as_image_src(src, self.own))}" alt="{escape(alt)}"{title_attr}>'

    @jinja2.pass_context
    def figure(self, context: jinja2.runtime.Context, src: str, alt: str = "", caption: str = "") -> str:
        """An image with its caption, the caption's inline Markdown rendered (`inline_html`), as Hugo's is (its
        code spans were stowed with the body's: put back first)."""
        caption_html = f"<figcaption>{inline_html(_put_back(context, caption))}</figcaption>" if caption else ""
        return f"<figure>{self.image(src, alt)}{caption_html}</figure>"

    @jinja2.pass_context
    def cta(self, context: jinja2.runtime.Context, cta_id: str) -> str:
        """An inline call to action: the CTA's headline and button, linking to its page or to the post's form."""
        cta = self.ctas.get(cta_id)
        if cta is None:
            known = ", ".join(sorted(self.ctas)) or "none: add content/ctas/<id>.md"
            raise ShortcodeError(f"cta: no call to action has the id {cta_id!r} (known: {known})")
        post: Post = context["_post"]
        if cta.form is not None and post.cta and post.cta != cta_id:
            raise ShortcodeError(f"cta({cta_id!r}) points to the form at the end of the post, but the post's "
                              f"cta is {post.cta!r}: call cta({post.cta!r}) or change cta:")
        other_form = next((used for used in context["_ctas_used"] if used != cta_id
                           and self.ctas[used].form is not None), None) if cta.form is not None else None
        if other_form:
            raise ShortcodeError(f"cta({cta_id!r}): the body already points to the form of {other_form!r}; "
                              "a post has one form")
        context["_ctas_used"][cta_id] = None
        href = cta.link or "#cta"
        label = escape(cta.headline)
        return (f'<aside class="cta-inline" aria-label="{label}"><p><strong>{label}</strong> '
                f'<a href="{escape(href)}">{escape(cta.button)} →</a></p></aside>')

    def youtube(self, video: str, title: str = "") -> str:
        """A privacy-enhanced YouTube player, loaded on a click, with a plain link for where frames do not load
        (feeds); its title, when the body gives none, is the site's word for a video."""
        return self._player(f"https://www.youtube-nocookie.com/embed/{video}",
                            f"https://www.youtube.com/watch?v={video}", title)

    def embed(self, url: str, title: str = "") -> str:
        """A YouTube or Vimeo player in its privacy-enhanced form, loaded on a click (`player`), with a plain link
        beneath it (what feed readers keep); anything else is that plain link alone, never a frame of an arbitrary
        page."""
        for pattern, frame, page in _VIDEO_HOSTS:
            found = pattern.match(url)
            if found:
                return self._player(frame.format(found.group(1)), page.format(found.group(1)), title)
        return f'<p class="embed"><a href="{escape(url)}">{escape(title or url)}</a></p>'

    def _player(self, frame: str, page: str, title: str) -> str:
        """`player` in the site's language: its words (`MarkdownWords`), and the facade page's `lang`."""
        words = self.cfg.markdown.words
        title = title or words.video
        return player(frame, page, title, words.play_video.replace("{title}", title), self.cfg.language)

    def site_view(self) -> dict[str, Any]:
        cfg = self.cfg
        authors = {key: {"name": a.name, "bio": a.bio, "url": a.url} for key, a in cfg.authors.items()}
        return {"url": cfg.url.rstrip("/"), "baseurl": "", "title": cfg.title,  # base path: see `make`
                "description": cfg.description, "language": cfg.language, "authors": authors}

    def post_url(self, source: str) -> str:
        """The URL (base path included) of another source: `post_url("2016-07-13-launch.md")`."""
        source = link_key(source)  # a Mac's file name, or the writer's typing, in NFD: one file still
        wanted = posixpath.basename(source)
        for path, url in self.source_urls.items():
            path = link_key(path)
            if path == source or posixpath.basename(path) in (wanted, wanted + ".md"):
                return url
        raise ShortcodeError(f"post_url: no post or page is the file {source!r}")

    def _problem(self, post: Post, line: int | None, message: str) -> Problem:
        return Problem(post.source, post.body_line + (line or 1) - 1, "shortcode", message)


def has_template_code(body: str) -> bool:
    """Whether a body has anything for the shortcodes to evaluate (`{{ … }}`, `{% … %}`)."""
    return "{{" in body or "{%" in body


class SourceBodies(Protocol):
    """Posts' bodies kept apart from the posts (`build.sources.SourceBodies`)."""

    expanded: dict[str, str]  # source -> its body, template code evaluated

    def has_template_code(self, post: Post) -> bool:
        """Whether the post's body has `{{` or `{%` in it."""
        ...

    def written(self, post: Post) -> str:
        """The post's body as written in its file."""
        ...


def expand_all(posts: list[Post], shortcodes: Shortcodes, problems: list[Problem], bodies: SourceBodies
               ) -> list[Post]:
    """Every post's template code evaluated. The posts come and go without their bodies: each evaluated body
    goes to `bodies.expanded`; a post that fails keeps its body as written, its problem noted."""
    expanded = []
    for post in posts:
        if not bodies.has_template_code(post):
            expanded.append(post)
            continue
        result, problem = shortcodes.expand(replace(post, body=bodies.written(post)))
        if problem is not None:
            problems.append(problem)
        bodies.expanded[post.source] = result.body
        expanded.append(replace(result, body=""))
    return expanded


def _site_path(path: str) -> str:
    """A path on the site as a link: `about/` -> `/about/`; URLs with a scheme stay as they are."""
    return path if "://" in path or path.startswith(("#", "mailto:")) else "/" + path.lstrip("/")


_VIDEO_HOSTS = (
    (re.compile(r"^https?://(?:www\.|m\.)?(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/)([\w-]{6,})"),
     "https://www.youtube-nocookie.com/embed/{}", "https://www.youtube.com/watch?v={}"),
    (re.compile(r"^https?://(?:www\.)?vimeo\.com/(\d+)"),
     "https://player.vimeo.com/video/{}?dnt=1", "https://vimeo.com/{}"),
)


# The frame's own page until a click (`srcdoc`): a play button over the video's title, in the frame's colours.
_FACADE_STYLE = ("html,body{height:100%;margin:0}a{display:flex;height:100%;align-items:center;justify-content:center;"
                 "gap:.6em;padding:1em;box-sizing:border-box;background:#111;color:#fff;font:600 1.1rem/1.3 system-ui,"
                 "sans-serif;text-align:center;text-decoration:none}a:hover span,a:focus span{background:#c00}"
                 "a:focus-visible{outline:3px solid #fff;outline-offset:-6px}span{flex:none;display:grid;"
                 "place-items:center;width:3em;height:2.1em;border-radius:.5em;background:#333;font-size:1.4em}")


def player(frame: str, page: str, title: str, play: str, language: str) -> str:
    """A video player as a facade: the frame shows a page of its own (`srcdoc`, in `language`), a button-like link
    saying `play` that loads the player, playing, in its place. Until that click the reader's browser asks the
    video's host for nothing (no player script, cookie or storage of theirs), and no script of the site's is
    needed. `title` names the frame and the plain link beneath it (what feed readers keep)."""
    playing = frame + ("&" if "?" in frame else "?") + "autoplay=1"
    # The frame's page is a document of its own, which takes no language from the page around it: without `lang`
    # a screen reader reads its link in the reader's default voice.
    facade = (f'<!doctype html><html lang="{escape(language)}"><meta name="color-scheme" content="dark">'
              f'<style>{_FACADE_STYLE}</style>'
              f'<a href="{escape(playing)}"><span aria-hidden="true">\u25b6</span> {escape(play)}</a>')
    return (f'<figure class="video"><iframe srcdoc="{escape(facade)}" title="{escape(title)}" '
            'allow="autoplay; fullscreen; picture-in-picture" allowfullscreen></iframe>'
            f'<figcaption><a href="{escape(page)}">{escape(title)}</a></figcaption></figure>')


SHORTCODE_CALLS = 100_000  # calls of the site's own shortcodes in one body, those they call counted


class _Calls:
    """The site's shortcodes called so far in one body's evaluation, those called by others included: past
    `SHORTCODE_CALLS` it stops. Shortcodes that each call the next ten times make ten times more work at each
    level, and nothing else bounds it (six levels of Jekyll includes, imported, took 45 s; seven did not end in
    two minutes). Its count is out of a template's reach (the sandbox refuses names that start with `_`)."""

    def __init__(self) -> None:
        self._count = 0

    def _one_more(self, name: str) -> None:
        self._count += 1
        if self._count > SHORTCODE_CALLS:
            raise ShortcodeError(f"{name}: more than {SHORTCODE_CALLS:,} shortcode calls in one body "
                                 "(shortcodes that call others in a loop, or many times over?)")


def _theme_shortcode(env: SandboxedEnvironment, name: str) -> Callable[..., str]:
    @jinja2.pass_context
    def call(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> str:
        calls = context.get("_calls")
        if isinstance(calls, _Calls):
            calls._one_more(name)  # the count is kept from templates (`_Calls`), not from this module
        template = env.get_template(f"{name}.html")
        caller = kwargs.pop("caller", None)
        if caller is not None:  # {% call name(…) %}inner{% endcall %}: the inner text, code put back
            kwargs.update(caller=caller, body=_put_back(context, str(caller())))
        return template.render(args=list(args), site=context.get("site"), post=context.get("post"), _calls=calls,
                               **kwargs, **carried_steps(context))  # its steps are the body's

    return call


def _markdown_filter(convert: Callable[[str], Any]) -> Callable[..., str]:
    @jinja2.pass_context
    def markdown(context: jinja2.runtime.Context, text: str) -> str:
        """Markdown source (a paired shortcode's `body`) as HTML."""
        return str(convert(_put_back(context, str(text))).html)

    return markdown


def _put_back(context: jinja2.runtime.Context, text: str) -> str:
    """`text` with the body's code ranges put back (`Stowed.back`), in a body's template."""
    stowed = context.get("_stowed")
    return stowed.back(text) if isinstance(stowed, Stowed) else text


def _post_view(post: Post) -> dict[str, Any]:
    """What a body sees as `post`: its main fields, and every other front-matter field by name, as written
    (`{{ post.author }}` of a post with `author: maya` failed: only fields publisher does not know were there)."""
    return {**post.written, **post.extra, "title": post.title, "url": post.url, "slug": post.slug,
            "date": post.date, "tags": list(post.tags), "summary": post.summary, "image": post.image}


def _stow_code(body: str) -> tuple[str, Stowed]:
    """The body with each code range replaced by a marker, and the ranges' text, so templates never see code."""
    open_mark, close_mark = absent_private_use(body, 2) or ("\ue000", "\ue001")
    stowed = Stowed(open_mark, close_mark, [])
    parts: list[str] = []
    done = 0
    for start, end in code_ranges(body):
        parts += [body[done:start], f"{stowed.open}{len(stowed.codes)}{stowed.close}"]
        stowed.codes.append(body[start:end])
        done = end
    parts.append(body[done:])
    return "".join(parts), stowed


def _message(error: Exception, cfg: SiteConfig) -> str:
    if isinstance(error, (ShortcodeError, TooLarge, TooMuchWork, NotPrintable)):
        return str(error)
    if isinstance(error, jinja2.UndefinedError) and " is undefined" in str(error):
        name = str(error).split("'")[1] if "'" in str(error) else str(error)
        return (f"unknown shortcode, filter or variable {name!r} "
                f"(a shortcode is written in themes/{cfg.theme}/shortcodes/{name}.html)")
    if isinstance(error, jinja2.TemplateAssertionError) and "No filter named" in str(error):
        name = str(error).split("'")[1]
        return f"unknown filter {name!r} (a shortcode is written in themes/{cfg.theme}/shortcodes/{name}.html)"
    if isinstance(error, jinja2.UndefinedError) and str(error).startswith("no key "):  # a field the post lacks
        return f"{error}: one only some posts have is written with | default('')"
    return f"{type(error).__name__}: {error}"


def _template_line(trace: TracebackType | None) -> int | None:
    """The line of the body template where an error was raised (Jinja2 maps its frames to template lines)."""
    line = None
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
