"""One source file's front matter validated into a `Post` (no I/O, so it is easy to test)."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from publisher.config.model import SiteConfig
from publisher.content.discovery import decode_source
from publisher.content.frontmatter import FrontMatterError, split_source
from publisher.content.model import KNOWN_KEYS, Author, Fail, Kind, Post, SourceFile
from publisher.content.urls import offer_url, page_url, post_url
from publisher.core import dates
from publisher.core.errors import ContentError, Problem
from publisher.core.slugs import is_safe_slug, slugify


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
        return offer_url(slug)
    if kind == "page" or when is None:
        return page_url(slug)
    url = post_url(cfg.permalink, slug, when)
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
