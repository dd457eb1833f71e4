"""Source files: find them on disk, then read each into a validated `Post`.

`discover` is the only function here that touches the file system;
`parse_source` works on bytes already read, so it is easy to test and to run
in parallel.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from publisher.core.records import record
from publisher.core.spool import Spooled
from publisher.markdown.result import RenderedMarkdown, body_digest

Kind = Literal["post", "page", "offer", "cta"]
FOLDERS: tuple[tuple[Kind, str], ...] = (("post", "posts"), ("page", "pages"), ("offer", "offers"), ("cta", "ctas"))
SOURCE_SUFFIXES = (".md", ".markdown")


def is_source_name(name: str) -> bool:
    """Whether a file or link name is a Markdown source's: `.md` or `.markdown` in any case, as Jekyll reads
    them (`Launch.MD`, written on Windows or a case-insensitive Mac, is a post there too)."""
    return name.lower().endswith(SOURCE_SUFFIXES)

# Keys publisher understands. Aliases come from Jekyll, Hugo and Eleventy.
KNOWN_KEYS = frozenset({
    "title", "date", "updated", "lastmod", "modified", "slug", "summary", "description", "excerpt",
    "tags", "categories", "keywords", "author", "authors", "image", "image_alt", "stage", "cta",
    "pillar", "cluster", "draft", "published", "canonical", "share", "id", "guid", "layout", "permalink",
    "inline_cta", "asset", "aliases", "redirect_from", "shortcodes", "url", "redirect_to", "render_with_liquid",
    "keyphrase", "params",
})
# Keys other generators use that we accept quietly because they have no meaning here (kept as extra): Eleventy's
# navigation plugin builds menus publisher's `[site] nav` makes.
QUIET_KEYS = frozenset({"layout", "excerpt_separator", "eleventyNavigation"})
# Eleventy's "render this, list it nowhere": a page here, which no list, feed or tag shows; a post is always listed.
UNLISTED_KEY = "eleventyExcludeFromCollections"
# The fields a body sees as `post.<name>` as the post reads them (`shortcodes._post_view`), not as written: a post
# keeps only its other known fields as written (`Post.written`), so the kept model holds no field twice.
READ_KEYS = frozenset({"title", "url", "slug", "date", "tags", "summary", "image"})


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file's bytes and the path to show the user (relative to the site)."""

    path: str
    kind: Kind
    data: bytes


@dataclass(frozen=True, slots=True)
class Author:
    key: str
    name: str
    bio: str = ""
    url: str = ""


@record
class Post:
    """A post or standalone page, its front matter validated."""

    source: str
    kind: Kind
    title: str
    slug: str
    url: str  # site-relative, e.g. "/publisher-stage/"
    body: str
    date: datetime | None = None
    updated: datetime | None = None
    summary: str = ""
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    keyphrase: str = ""  # the search phrase the post is written for (`publisher audit`); else its first keyword
    authors: tuple[Author, ...] = ()
    image: str = ""
    image_alt: str = ""
    draft: bool = False
    canonical: str = ""
    stage: str = ""
    cta: str = ""
    pillar: bool = False
    cluster: str = ""
    id: str = ""
    guid: str = ""  # the RSS guid and JSON Feed id an old feed gave the post, any text (Ghost's: its database id)
    share: dict[str, Any] = field(default_factory=dict)
    inline_cta: bool = True
    asset: str = ""  # offers: the download delivered on the thank-you page
    shortcodes: bool = True  # `{{ … }}` in the body is evaluated (false: shown as written)
    aliases: tuple[str, ...] = ()  # old site-relative URLs that redirect here (Hugo aliases, Jekyll redirect_from)
    body_ctas: tuple[str, ...] = ()  # CTAs the body calls with `cta(id)`, in order
    redirect_to: str = ""  # Jekyll's `redirect_to`: this file's URL only redirects there (a path or a URL)
    extra: dict[str, Any] = field(default_factory=dict)
    # The fields of KNOWN_KEYS as written in the front matter (`author: maya`, `description:`), which a body
    # reaches by name as `post.author`, as Jekyll's `page.author` and Hugo's `.Params.author` give them (but
    # READ_KEYS, which the body sees as read).
    written: dict[str, Any] = field(default_factory=dict)
    body_line: int = 1
    field_lines: dict[str, int] = field(default_factory=dict)

    @property
    def published(self) -> datetime:
        """A post's date: every post has one (parsing makes sure of it); pages and offers may have none."""
        if self.date is None:
            raise ValueError(f"{self.source}: a post needs a date")
        return self.date

    def line_of(self, name: str) -> int:
        """The line a front-matter field is written on: a nested one by its dotted name (`share.networks`),
        else the line of the nearest enclosing field written (`share`); 1 when none is."""
        while name not in self.field_lines and "." in name:
            name = name.rpartition(".")[0]
        return self.field_lines.get(name, 1)


class BodyToRead(Protocol):
    """A rendered body kept on disk, read when first asked for (see `Entry.rendered`); its excerpt and counts at
    hand."""

    excerpt_html: str
    word_count: int
    reading_minutes: int

    def read(self) -> RenderedMarkdown: ...


@record
class Entry:
    """A post or page with its rendered body.

    A build keeps the body's HTML in a spool (`stored`, with `body.html`
    empty), so read it as `entry.html`; and it drops the Markdown source
    (`post.body` is empty) once it is rendered.
    """

    post: Post
    # The rendered body, read as `body`: one kept by an earlier build is decoded only when asked for (by a page
    # made again that shows its table of contents, or share variants chosen again). Its excerpt, which the share
    # feed reads of every post, and its counts, which lists show, are at hand either way.
    rendered: RenderedMarkdown | BodyToRead
    stored: Spooled | None = None
    inline_cta_at: int | None = None  # where in `html` an inline CTA may go (after the n-th top-level paragraph)
    body_digest_kept: str = ""  # `body_digest`, taken when the body was finished and kept with it ("": not taken)

    @property
    def body(self) -> RenderedMarkdown:
        rendered = self.rendered
        return rendered if isinstance(rendered, RenderedMarkdown) else rendered.read()

    @property
    def excerpt_html(self) -> str:
        """`body.excerpt_html`, without reading a kept body."""
        return self.rendered.excerpt_html

    @property
    def word_count(self) -> int:
        """`body.word_count`, without reading a kept body."""
        return self.rendered.word_count

    @property
    def reading_minutes(self) -> int:
        """`body.reading_minutes`, without reading a kept body (lists show it)."""
        return self.rendered.reading_minutes

    @property
    def body_digest(self) -> str:
        """The digest of what `body` holds (`markdown.result.body_digest`): as kept, else taken now."""
        return self.body_digest_kept or body_digest(self.body)

    @property
    def html(self) -> str:
        return self.stored.text() if self.stored is not None else self.body.html

    @property
    def html_digest(self) -> str:
        if self.stored is not None:
            return self.stored.digest
        return hashlib.sha256(self.body.html.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def url(self) -> str:
        return self.post.url


def post_digest(post: Post) -> str:
    """The digest of a post's `repr` (a dataclass of plain values, whose generated `repr` shows every field): what
    tells one post from another across builds. Taken when its file is parsed and kept with its reading
    (`build.sources.Parsed`): the `repr`s of 10,000 posts took 0.1 s a build."""
    return hashlib.sha256(repr(post).encode("utf-8", "surrogatepass")).hexdigest()
