"""Source files: find them on disk, then read each into a validated `Post`.

`discover` is the only function here that touches the file system;
`parse_source` works on bytes already read, so it is easy to test and to run
in parallel.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from . import dates
from .config import PERMALINK_FIELDS, SiteConfig
from .errors import ContentError, Problem
from .frontmatter_io import FrontMatterError, split_source
from .markdown import RenderedMarkdown
from .slugs import is_safe_slug, slugify
from .spool import Spooled

Kind = Literal["post", "page", "offer", "cta"]
Fail = Callable[[str, str], "ContentError"]  # (field, message) -> the error to raise
FOLDERS: tuple[tuple[Kind, str], ...] = (("post", "posts"), ("page", "pages"), ("offer", "offers"), ("cta", "ctas"))
SOURCE_SUFFIXES = (".md", ".markdown")

# Keys publisher understands. Aliases come from Jekyll, Hugo and Eleventy.
KNOWN_KEYS = frozenset({
    "title", "date", "updated", "lastmod", "modified", "slug", "summary", "description", "excerpt",
    "tags", "categories", "keywords", "author", "authors", "image", "image_alt", "stage", "cta",
    "pillar", "cluster", "draft", "published", "canonical", "share", "id", "layout", "permalink",
    "inline_cta", "asset",
})
# Keys other generators use that we accept quietly because they have no meaning here.
QUIET_KEYS = frozenset({"layout", "permalink"})


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


@dataclass(frozen=True, slots=True)
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
    share: dict[str, Any] = field(default_factory=dict)
    inline_cta: bool = True
    asset: str = ""  # offers: the download delivered on the thank-you page
    extra: dict[str, Any] = field(default_factory=dict)
    body_line: int = 1
    field_lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        """The line a front-matter field is written on (1 when it is absent)."""
        return self.field_lines.get(name, 1)


@dataclass(frozen=True, slots=True)
class Entry:
    """A post or page with its rendered body.

    A build keeps the body's HTML in a spool (`stored`, with `body.html`
    empty), so read it as `entry.html`; and it drops the Markdown source
    (`post.body` is empty) once it is rendered.
    """

    post: Post
    body: RenderedMarkdown
    stored: Spooled | None = None

    @property
    def html(self) -> str:
        return self.stored.text() if self.stored is not None else self.body.html

    @property
    def html_digest(self) -> str:
        return self.stored.digest if self.stored is not None else hashlib.sha256(self.body.html.encode("utf-8", "surrogatepass")).hexdigest()

    @property
    def url(self) -> str:
        return self.post.url


def discover(cfg: SiteConfig, kinds: Collection[Kind] = ("post", "page", "offer", "cta")) -> Iterator[SourceFile]:
    """Every source of these kinds under `content/`, in a stable order, each read only when its turn comes."""
    for kind, folder in FOLDERS:
        base = cfg.content_dir / folder
        if kind not in kinds or not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if _is_source(path, base):
                yield SourceFile(path.relative_to(cfg.root).as_posix(), kind, path.read_bytes())


def _is_source(path: Path, base: Path) -> bool:
    # Editors leave hidden swap and backup files next to sources; never read them.
    hidden = any(part.startswith((".", "_", "#")) for part in path.relative_to(base).parts)
    return path.suffix in SOURCE_SUFFIXES and not hidden and path.is_file()


def parse_source(source: SourceFile, cfg: SiteConfig) -> tuple[Post, list[Problem]]:
    """Validate one source file; return the post and warnings, or raise ContentError."""
    path = source.path
    text = decode_source(source)
    try:
        split = split_source(text)
    except FrontMatterError as exc:
        raise ContentError(path, exc.line, "front matter", str(exc)) from None
    meta, lines = split.metadata, split.field_lines
    if not split.metadata and not split.body.strip():
        raise ContentError(path, 1, "file", "is empty (expected front matter with at least a title)")

    def fail(name: str, message: str) -> ContentError:
        return ContentError(path, lines.get(name, 1), name, message)

    title = meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        raise fail("title", "missing (every post and page needs a title)")
    if not isinstance(title, (str, int, float)):
        raise fail("title", f"must be text, not {_type_name(title)}")

    stem = Path(path).stem
    filename_date, stem_rest = dates.date_from_filename(stem)
    slug = _read_slug(meta, stem_rest, fail)
    post_date = _read_date(meta, ("date",), cfg, fail) or (
        dates.parse_date(filename_date, cfg.tz) if filename_date else None)
    if source.kind == "post" and post_date is None:
        raise fail("date", f"missing (add 'date: YYYY-MM-DD' or name the file YYYY-MM-DD-{stem}.md)")

    warnings = [Problem(path, lines.get(key, 1), key, "unknown field (kept for templates as extra)")
                for key in sorted(set(meta) - KNOWN_KEYS, key=str)]
    post = Post(
        source=path,
        kind=source.kind,
        title=str(title).strip(),
        slug=slug,
        url=_permalink(cfg, source.kind, slug, post_date, fail),
        body=split.body,
        date=post_date,
        updated=_read_date(meta, ("updated", "lastmod", "modified"), cfg, fail),
        summary=_first_text(meta, ("summary", "description", "excerpt"), fail),
        tags=_merge_lists(meta, ("tags", "categories"), fail),
        keywords=_merge_lists(meta, ("keywords",), fail),
        authors=_read_authors(meta, cfg, fail),
        image=_text(meta, "image", fail),
        image_alt=_text(meta, "image_alt", fail),
        draft=_read_draft(meta, fail),
        canonical=_text(meta, "canonical", fail),
        stage=_text(meta, "stage", fail),
        cta=_text(meta, "cta", fail),
        pillar=_boolean(meta, "pillar", fail),
        cluster=_text(meta, "cluster", fail),
        id=_text(meta, "id", fail),
        share=_mapping(meta, "share", fail),
        inline_cta=_boolean(meta, "inline_cta", fail, default=True),
        asset=_text(meta, "asset", fail),
        extra={str(k): v for k, v in meta.items() if k not in KNOWN_KEYS},
        body_line=split.body_line,
        field_lines=dict(lines),
    )
    return post, warnings


def decode_source(source: SourceFile) -> str:
    """The text of a source file; binary data and bad UTF-8 are errors naming the line."""
    data = source.data
    if b"\x00" in data[:8192]:
        raise ContentError(source.path, 1, "file", "is binary, not a text file (expected UTF-8 Markdown)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(source.path, line, "file",
                           f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}; save the file as UTF-8)") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _read_slug(meta: dict[str, Any], stem: str, fail: Fail) -> str:
    value = meta.get("slug")
    if value is None:
        slug = slugify(stem)
        if not slug:
            raise fail("slug", f"cannot make a URL from the file name {stem!r} (set slug: in the front matter)")
        return slug
    slug = unicodedata.normalize("NFC", str(value).strip())
    if not is_safe_slug(slug):
        raise fail("slug", f"{slug!r} is not a safe URL segment (use letters, digits, '-', '_' or '.', no '/' or '..')")
    return slug


def _permalink(cfg: SiteConfig, kind: Kind, slug: str, when: datetime | None, fail: Fail) -> str:
    if kind == "offer":
        return f"/offers/{slug}/"
    if kind == "page" or when is None:
        return f"/{slug}/"
    parts = {"slug": slug, "year": f"{when.year:04d}", "month": f"{when.month:02d}", "day": f"{when.day:02d}"}
    assert set(parts) == set(PERMALINK_FIELDS)
    url = cfg.permalink.format(**parts)
    if ".." in url.split("/") or "//" in url or not url.startswith("/"):
        raise fail("slug", f"permalink {url!r} would leave the output directory")
    return url


def _read_date(meta: dict[str, Any], names: tuple[str, ...], cfg: SiteConfig, fail: Fail) -> datetime | None:
    for name in names:
        value = meta.get(name)
        if value is None or value == "":
            continue
        try:
            return dates.parse_date(value, cfg.tz)
        except ValueError as exc:
            raise fail(name, str(exc)) from None
    return None


def _first_text(meta: dict[str, Any], names: tuple[str, ...], fail: Fail) -> str:
    for name in names:
        value = _text(meta, name, fail)
        if value:
            return value
    return ""


def _text(meta: dict[str, Any], name: str, fail: Fail) -> str:
    value = meta.get(name)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise fail(name, f"must be text, not {_type_name(value)}")
    return str(value).strip()


def _merge_lists(meta: dict[str, Any], names: tuple[str, ...], fail: Fail) -> tuple[str, ...]:
    """Tags may be a list or a comma-separated string; aliases are merged, first spelling kept."""
    merged: dict[str, str] = {}
    for name in names:
        value = meta.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            items = [item for item in value.split(",")]
        elif isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
            items = [str(item) for item in value]
        else:
            raise fail(name, f"must be a list of words or a comma-separated string, not {_type_name(value)}")
        for item in items:
            item = " ".join(item.split())
            if item:
                merged.setdefault(item.casefold(), item)
    return tuple(merged.values())


def _read_authors(meta: dict[str, Any], cfg: SiteConfig, fail: Fail) -> tuple[Author, ...]:
    name = "authors" if "authors" in meta else "author"
    names = _merge_lists(meta, (name,), fail)
    authors = []
    for entry in names:
        known = cfg.authors.get(entry)
        if known:
            authors.append(Author(known.key, known.name, known.bio, known.url))
            continue
        key = slugify(entry)
        if not key:
            raise fail(name, f"cannot make an author page URL from {entry!r}")
        authors.append(Author(key, entry))
    return tuple(authors)


def _read_draft(meta: dict[str, Any], fail: Fail) -> bool:
    draft = _boolean(meta, "draft", fail)
    # Jekyll and Eleventy mark drafts with `published: false`.
    if "published" in meta:
        return draft or not _boolean(meta, "published", fail)
    return draft


def _boolean(meta: dict[str, Any], name: str, fail: Fail, default: bool = False) -> bool:
    value = meta.get(name, default)
    if not isinstance(value, bool):
        raise fail(name, f"must be true or false, not {value!r}")
    return value


def _mapping(meta: dict[str, Any], name: str, fail: Fail) -> dict[str, Any]:
    value = meta.get(name, {})
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail(name, f"must be a mapping of settings, not {_type_name(value)}")
    return value


def _type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)
