"""One source file's front matter validated into a `Post` (no I/O, so it is easy to test).

Every field is read through `Fields`, which records a problem for a bad value
and goes on with a default, so one run reports every bad field of a file.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from publisher.config.model import SiteConfig
from publisher.content.discovery import forbidden_characters, repeated_fields, split_file
from publisher.content.fields import Fields, type_name
from publisher.content.links import is_external, with_slashes
from publisher.content.model import (
    KNOWN_KEYS,
    QUIET_KEYS,
    READ_KEYS,
    UNLISTED_KEY,
    Author,
    Kind,
    Post,
    SourceFile,
)
from publisher.content.urls import offer_url, page_url, post_url
from publisher.core import dates
from publisher.core.errors import BuildFailed, Problem
from publisher.core.queries import query_text, split_old_url
from publisher.core.slugs import (
    NAME_BYTES,
    as_page_path,
    control_character,
    control_said,
    is_safe_slug,
    is_site_path,
    is_site_target,
    nfc,
    overlong_part,
    slugify,
    too_long_said,
    written_slug,
)

PLACEHOLDER_SLUG = "untitled"  # stands in for a slug that cannot be made, so the rest can still be checked
# Bounds on what one post's front matter makes the build do. Each tag's page and its three feeds list every tag of
# each of its posts, so a post's tags cost their number squared: 1,000 tags made 121 MB of output in 14 s, and
# 20,000 took 11 GB of memory and were stopped after 10 minutes. A title is fitted into each network's share text,
# in time that grows with its length: a title of 1 MB took 19 s. Real ones are a few dozen of each.
MOST_TAGS = 1_000  # 400 are tested to list whole in every feed; real posts have a few dozen
MOST_TITLE_CHARACTERS = 10_000  # 300 words are some 1,800: absurd, and still a title (`publisher new` takes it)


def parse_source(source: SourceFile, cfg: SiteConfig) -> tuple[Post, list[Problem]]:
    """Validate one source file; return the post and its warnings.

    Raises `BuildFailed` with every bad field of the file (a file that cannot be
    read as text or front matter has one problem).
    """
    path = source.path
    split = split_file(source)
    if not split.metadata and not split.body.strip():
        raise BuildFailed([Problem(path, 1, "file", "is empty (expected front matter with at least a title)")])
    fields = Fields(path, split.metadata, split.field_lines)
    post = _post(source, split.body, split.body_line, fields, cfg)
    if fields.problems:
        raise BuildFailed(fields.problems)
    warnings = [*forbidden_characters(source), *repeated_fields(path, split), *_unknown_fields(fields, source.kind),
                *_updated_before_date(post, fields), *_slug_made(post, fields)]
    if post.updated is not None and post.date is not None and post.updated < post.date:
        post = replace(post, updated=post.date)  # never modified before it was published (feeds, sitemap, JSON-LD)
    return post, warnings


def _unknown_fields(fields: Fields, kind: Kind) -> list[Problem]:
    """A warning for each field publisher does not know, so a typo (`tittle:`) is noticed. Eleventy's
    `eleventyExcludeFromCollections` means nothing on a page, which no list shows, and says how on a post."""
    unknown = set(fields.meta) - KNOWN_KEYS - QUIET_KEYS - ({UNLISTED_KEY} if kind != "post" else set())
    return [fields.problem(key, _UNKNOWN.get(key, "unknown field (kept for templates as extra)"))
            for key in sorted(unknown, key=str)]


_UNKNOWN = {UNLISTED_KEY: "publisher lists every post (home page, tags, feeds): move the file to content/pages/ "
                          "for a page no list shows"}


def _updated_before_date(post: Post, fields: Fields) -> list[Problem]:
    """A warning when `updated` is a day before the post's date, a slip: the date stands for both. Earlier on the
    same day is none (`updated: 2026-03-01` of a post of that day at 09:00 means that day)."""
    if post.updated is None or post.date is None or post.updated.date() >= post.date.date():
        return []
    name = next(key for key in ("updated", "lastmod", "modified") if fields.meta.get(key) not in (None, ""))
    return [fields.problem(name, f"{post.updated.date()} is before the post's date ({post.date.date()}): "
                                 "the date is used for both")]


def _why_undated(stem: str) -> str:
    """What to do about a post with no date: its file name's date, when it has one that is no day, says why."""
    impossible = dates.filename_date_problem(stem)
    if impossible:
        return f"the file name's date {impossible} (rename the file, or add 'date: YYYY-MM-DD')"
    return f"missing (add 'date: YYYY-MM-DD' or name the file YYYY-MM-DD-{stem}.md)"


def _post(source: SourceFile, body: str, body_line: int, fields: Fields, cfg: SiteConfig) -> Post:
    meta = fields.meta
    stem = Path(source.path).stem
    filename_date, stem_rest = dates.date_from_filename(stem)
    misdated = filename_date is not None and filename_date.year not in dates.YEARS
    if misdated:
        fields.fail("date", f"the file name's {filename_date} is outside the years {dates.YEARS[0]} to "
                            f"{dates.YEARS[-1]}")
        filename_date = None
    slug = _read_slug(fields, stem_rest)
    post_date = fields.date(("date",), cfg.tz) or (dates.parse_date(filename_date, cfg.tz) if filename_date else None)
    undated_draft = post_date is None and _read_draft(fields)  # dated when drafts are built (Jekyll's rule)
    if source.kind == "post" and post_date is None and meta.get("date") in (None, "") and not undated_draft \
            and not misdated:
        fields.fail("date", _why_undated(stem))
    return Post(
        source=source.path,
        kind=source.kind,
        title=_read_title(fields),
        slug=slug,
        url=_explicit_url(fields, slug, post_date) or _permalink(cfg, source.kind, slug, post_date, fields),
        body=body,
        date=post_date,
        updated=fields.date(("updated", "lastmod", "modified"), cfg.tz),
        summary=fields.first_text(("summary", "description", "excerpt")),
        tags=_read_tags(fields),
        keywords=fields.words(("keywords",)),
        keyphrase=" ".join(fields.text("keyphrase").split()),
        authors=_read_authors(fields, cfg),
        image=_read_image(fields),
        image_alt=fields.text("image_alt"),
        draft=_read_draft(fields),
        canonical=_read_canonical(fields, cfg.url),
        stage=fields.text("stage"),
        cta=fields.text("cta"),
        pillar=fields.boolean("pillar"),
        cluster=fields.text("cluster"),
        id=_read_id(fields),
        guid=fields.text("guid"),
        share=fields.mapping("share"),
        inline_cta=fields.boolean("inline_cta", default=True),
        asset=fields.text("asset"),
        aliases=_read_aliases(fields),
        redirect_to=_read_redirect_to(fields),
        shortcodes=fields.boolean("shortcodes", default=fields.boolean("render_with_liquid", default=True)),
        extra=_extra_fields(fields),
        written={str(k): v for k, v in meta.items() if k in KNOWN_KEYS and k not in READ_KEYS},
        body_line=body_line,
        field_lines=dict(fields.lines),
    )


def _extra_fields(fields: Fields) -> dict[str, Any]:
    """The fields templates see as `post.extra`: those publisher does not know, then the keys of Hugo's `params`,
    its place for custom fields (`params: {subtitle: …}` is `post.extra.subtitle`), which Hugo adds last."""
    unknown = {str(k): v for k, v in fields.meta.items() if k not in KNOWN_KEYS}
    return unknown | {str(k): v for k, v in fields.mapping("params").items()}


def _read_image(fields: Fields) -> str:
    """The post's image, a path written with Windows' `\\` (`img\\photo.jpg`) read with `/`, as browsers read it
    in a page: its card, its size and the link previews' `og:image` (which escaped it as `%5C`) find the file.
    Its letters in NFC, as static files are published (`pages.render.static_files`)."""
    image = fields.text("image")
    return image if is_external(image) else nfc(with_slashes(image))


def _read_canonical(fields: Fields, site_url: str) -> str:
    """The page that is the original of this one, as an absolute URL: a syndicated piece's elsewhere, or a path on
    this site (`/guide/`, made absolute below `site_url`, its base path too: link previews and search engines
    take absolute URLs alone). One `urlsplit` reads (`https://[::1/` stopped the build with a traceback where the
    sitemap read it)."""
    canonical = fields.text("canonical")
    if not canonical:
        return ""
    try:
        parts = urlsplit(canonical)
    except ValueError as error:
        fields.fail("canonical", f"is not a URL ({error})")
        return ""
    if parts.scheme in ("http", "https") and parts.netloc:
        return canonical
    if canonical.startswith("/") and not canonical.startswith("//") and is_site_path(parts.path):
        return site_url.rstrip("/") + canonical
    fields.fail("canonical", f"{canonical!r} is neither an absolute URL (https://…) nor a path on this site (/…)")
    return ""


_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")


def _read_id(fields: Fields) -> str:
    """The id feed readers know the post by, when set: an absolute URI, as Atom requires (RFC 4287 §4.2.6)."""
    value = fields.text("id")
    if value and not _URI_SCHEME.fullmatch(value):
        fields.fail("id", f"{value!r} is not an absolute URI (write a URL, urn:uuid:… or tag:example.com,2026:name)")
        return ""
    return value


def _read_title(fields: Fields) -> str:
    title = fields.meta.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        fields.fail("title", "missing (every post and page needs a title)")
        return ""
    if not isinstance(title, (str, int, float)):
        fields.fail("title", f"must be text, not {type_name(title)}")
        return ""
    text = str(title).strip()
    if len(text) > MOST_TITLE_CHARACTERS:
        fields.fail("title", f"has {len(text):,} characters, past the {MOST_TITLE_CHARACTERS:,} a title may have "
                             "(is the body in it? put a long description in summary:)")
        return text[:MOST_TITLE_CHARACTERS]
    return text


def _read_tags(fields: Fields) -> tuple[str, ...]:
    """The post's tags, `categories` merged in: at most `MOST_TAGS`."""
    tags = fields.words(("tags", "categories"))
    if len(tags) > MOST_TAGS:
        name = "tags" if "tags" in fields.meta else "categories"
        fields.fail(name, f"{len(tags):,} tags, past the {MOST_TAGS:,} a post may have (each tag's page and feeds list "
                          "every tag of each of its posts)")
        return tags[:MOST_TAGS]
    return tags


def _read_slug(fields: Fields, stem: str) -> str:
    value = fields.meta.get("slug")
    if value is None:
        slug = slugify(stem)
        if not slug:
            fields.fail("slug", f"cannot make a URL from the file name {stem!r} (set slug: in the front matter)")
            return PLACEHOLDER_SLUG
        return slug
    slug = written_slug(value)
    if not slug:
        rule = "use letters, digits, '-', '_' or '.', no '/' or '..'"
        fields.fail("slug", f"{nfc(str(value).strip())!r} is not a safe URL segment ({rule})")
        return PLACEHOLDER_SLUG
    return slug


def _slug_made(post: Post, fields: Fields) -> list[Problem]:
    """A warning when `slug:` was slugified (`My Post`, which Jekyll and Hugo take), saying the URL it made."""
    value = fields.meta.get("slug")
    if value is None or is_safe_slug(nfc(str(value).strip())):
        return []
    return [fields.problem("slug", f"{nfc(str(value).strip())!r} is no URL segment: made {post.slug!r}, so the "
                                   f"{post.kind} is at {post.url} (write slug: {post.slug} to keep this quiet)")]


def _permalink(cfg: SiteConfig, kind: Kind, slug: str, when: datetime | None, fields: Fields) -> str:
    if kind == "offer":
        return offer_url(slug)
    if kind == "page" or when is None:
        return page_url(slug)
    url = post_url(cfg.permalink, slug, when)
    if ".." in url.split("/") or "//" in url or not url.startswith("/"):
        fields.fail("slug", f"permalink {url!r} would leave the output directory")
        return page_url(PLACEHOLDER_SLUG)
    return url


# Placeholders a post's own `url:` may hold (Hugo allows them there), from the post's slug and date.
_URL_PLACEHOLDER = re.compile(r":(year|month|day|slug|title|filename)\b")


def _explicit_url(fields: Fields, slug: str, when: datetime | None) -> str | None:
    """A post's own URL (Hugo `url:`, Jekyll and Eleventy `permalink:`), kept exactly as written.

    Case, dots and a missing trailing slash stay (`/Launch.html`, `/about`): old links must keep
    working. Hugo's placeholders (`/:year/:month/:slug/`) are filled in from the post."""
    for key in ("url", "permalink"):
        value = fields.meta.get(key)
        if value is None or value is False or (isinstance(value, str) and "{" in value):
            continue  # `permalink: false` and Eleventy's templated permalinks are not an address
        if not isinstance(value, str) or not value.strip():
            fields.fail(key, "must be a path on this site, e.g. /2016/07/launch/")
            return None
        path = "/" + _URL_PLACEHOLDER.sub(lambda m: _url_part(m.group(1), slug, when), value.strip().lstrip("/"))
        if "%" in path:  # a server decodes `%41` to `A` before it looks for the file: the file is named decoded
            if _BAD_ESCAPE.search(path):
                fields.fail(key, f"{value!r}: '%' starts an escape such as %20 (write the character itself)")
                return None
            path = unquote(path)
        if not is_site_path(path):
            fields.fail(key, f"{value!r} is not a path on this site (no '..', '//', query or scheme)")
            return None
        return path
    return None


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a `%` no two hex digits follow


def _url_part(name: str, slug: str, when: datetime | None) -> str:
    if name in ("slug", "title", "filename"):
        return slug
    if when is None:
        return name  # an undated page: the placeholder stays visible in its URL rather than guessed
    return {"year": f"{when.year:04d}", "month": f"{when.month:02d}", "day": f"{when.day:02d}"}[name]


def _read_aliases(fields: Fields) -> tuple[str, ...]:
    """Hugo's `aliases` and Jekyll's `redirect_from`: old paths on this site, each made to start with '/'."""
    found = []
    for name in ("aliases", "redirect_from"):
        for alias in fields.words((name,)):
            path, mark, query = ("/" + alias.strip().lstrip("/")).partition("?")
            path = unquote(path) if "%" in path and not _BAD_ESCAPE.search(path) else path  # as a server reads it
            if not is_site_path(path) or "%" in path:
                fields.fail(name, f"{alias!r} is not a path on this site (e.g. /2016/07/old-title/)")
                continue
            control = control_character(path)
            if control:  # `%0A`: a folder whose name holds a line break
                fields.fail(name, control_said(alias, control))
                continue
            overlong = overlong_part(path)
            if overlong:  # its redirect page could be written on no disk
                fields.fail(name, too_long_said("an old path's part", overlong, NAME_BYTES))
                continue
            if not mark:
                found.append(as_page_path(path))
                continue
            try:
                _, pairs = split_old_url(f"{path}?{query}")
            except ValueError as error:
                fields.fail(name, f"{alias!r}: {error}")
                continue
            found.append(f"{as_page_path(path)}?{query_text(pairs)}")
    return tuple(dict.fromkeys(found))


def _read_redirect_to(fields: Fields) -> str:
    """Jekyll's `redirect_to`: a URL with a scheme, or a path on this site."""
    target = (fields.text("redirect_to") or "").strip()
    if target and "://" not in target and not is_site_target("/" + target.lstrip("/")):
        fields.fail("redirect_to", f"{target!r} is neither a URL nor a path on this site")
        return ""
    return target if not target or "://" in target else "/" + target.lstrip("/")


def _read_authors(fields: Fields, cfg: SiteConfig) -> tuple[Author, ...]:
    """The post's authors in order, each once: one named again, by key or name (`[maya, Maya Lindqvist]`), or by
    another spelling of one page's name (`[bo-x, Bo X]`), is the author named first (as the feeds list them)."""
    name = "authors" if "authors" in fields.meta else "author"
    authors: list[Author] = []
    named: set[str] = set()  # every key and name seen, a left-out author's too (`[ann, Ann Author, ann-author]`)
    for entry in _author_entries(fields, name, cfg):
        known = cfg.authors.get(entry)
        key = known.key if known else slugify(entry)
        if not key:
            fields.fail(name, f"cannot make an author page URL from {entry!r}")
            continue
        if overlong_part(key):  # the author's page could be written on no disk
            fields.fail(name, too_long_said("the author page's URL part", key, NAME_BYTES))
            continue
        author = Author(known.key, known.name, known.bio, known.url) if known else Author(key, entry)
        if named.isdisjoint((author.key, author.name)):
            authors.append(author)
        named.update((author.key, author.name))
    return tuple(authors)


def _author_entries(fields: Fields, name: str, cfg: SiteConfig) -> tuple[str, ...]:
    """What `author`/`authors` names: a list's items; a string with commas is a list of `[authors]` keys when each
    part is one (`maya, tomas`), else one name, as Jekyll and Hugo read it (`Acme, Inc.`, `Martin Luther King, Jr.`)."""
    entries = fields.words((name,))
    value = fields.meta.get(name)
    if isinstance(value, str) and len(entries) > 1 and not all(entry in cfg.authors for entry in entries):
        return (" ".join(value.split()),)
    return entries


def _read_draft(fields: Fields) -> bool:
    draft = fields.boolean("draft")
    # Jekyll and Eleventy mark drafts with `published: false`.
    if "published" in fields.meta:
        return draft or not fields.boolean("published", default=True)
    return draft
