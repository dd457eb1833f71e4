"""A Jekyll site read for import: `_config.yml`, `_posts/`, `_drafts/`, pages, collections, `_data/authors`,
assets.

URLs follow Jekyll's rules (`Jekyll::URL`, `Drops::UrlDrop`): the `permalink` pattern (or style:
date, pretty, ordinal, none), dates converted into the site's `timezone` (UTC when unset), `:title`
the slug in Jekyll's pretty mode keeping its case, `:slug` in its default mode, `:categories` the
folders above `_posts/` and the front matter's, an empty placeholder taking the `/` before it, a
post's or page's own `permalink:` (or the one its `defaults:` give it) with its placeholders filled
in, pages at `/name/` (or `/name.html` for patterns without a trailing slash) and a folder's `index`
at the folder. Posts come from every `_posts/` folder of the site, as Jekyll reads them. A feed
entry's id is jekyll-feed's (`post.id`: the URL's folder and the slug), which the imported post
keeps as its `id:`. Front matter defaults (`defaults:`) apply as in Jekyll (`jekyll_defaults`), and
the values among them that publisher reads (tags, author, image…) are written into each post or
page they apply to. A collection Jekyll publishes (`output: true`) comes in as pages at its documents' URLs
(`/:collection/:path`, or its `permalink`). The placeholders are filled in by `jekyll_urls`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from publisher.core import dates
from publisher.core.slugs import is_safe_slug
from publisher.core.text import opening_words
from publisher.importing.jekyll_defaults import JekyllDefaults, deep_merge
from publisher.importing.jekyll_urls import (
    STYLES,
    UrlNames,
    expand,
    jekyll_slugify,
    page_url,
    post_id,
    publisher_pattern,
)
from publisher.importing.liquid import LiquidRewriter
from publisher.importing.model import Listing, SourceEntry, SourceSite
from publisher.importing.reading import (
    MARKDOWN,
    authors_of,
    entry_date,
    is_listing,
    listing_url,
    read_data,
    read_first,
    read_front_matter,
    site_timezone,
    unless_unreadable,
)
from publisher.importing.report import Report

# Jekyll's `site` values publisher's templates have too (`site.title` follows publisher.toml), or lists it makes:
# never written in as the settings' constants.
_SITE_OWN = frozenset({"title", "url", "baseurl", "description", "lang", "time", "posts", "pages", "data", "tags",
                       "categories", "collections", "documents", "static_files", "html_pages", "related_posts"})
_NEVER_STATIC = {"Gemfile", "Gemfile.lock", "package.json", "package-lock.json", "README.md", "LICENSE", "CNAME"}


def read_jekyll(root: Path, report: Report) -> SourceSite:
    config = _config(root)
    tz = site_timezone(config.get("timezone"), "_config.yml", "timezone")
    pattern = str(config.get("permalink") or "date")
    pattern = STYLES.get(pattern, pattern)
    collections = _collections(config)
    pattern = str(collections.pop("posts", {}).get("permalink") or pattern)  # the posts collection's own, if set
    data = {path.stem: read_data(root / "_data", path.stem) for path in sorted((root / "_data").glob("*"))}
    settings = {key: value for key, value in config.items() if key not in _SITE_OWN}  # `site.author`: a constant
    rewriter = LiquidRewriter(root / "_includes", report, {"site.data": data, "site": settings})
    url = str(config.get("url") or "https://example.com") + str(config.get("baseurl") or "")
    site = SourceSite(generator="jekyll", title=str(config.get("title") or "Imported site"), url=url,
                      description=str(config.get("description") or ""), language=str(config.get("lang") or "en"),
                      timezone=tz.key, permalink=publisher_pattern(pattern), feed=_feed_path(config),
                      authors=authors_of(read_data(root / "_data", "authors")), rewrite=rewriter.body,
                      shortcodes=lambda: rewriter.includes)
    excluded = set(config.get("exclude") or []) | _NEVER_STATIC
    defaults = JekyllDefaults.of(config, root)
    rule = _PostRule(pattern, tz, url.rstrip("/") if _feed_ids_are_post_ids(root, config) else None, defaults)
    for folder, draft in (("_posts", False), ("_drafts", True)):
        for posts in _post_folders(root, folder, excluded):
            for path in sorted(posts.rglob("*")):
                inside_posts = path.relative_to(posts).parts
                if path.suffix in (*MARKDOWN, ".html") and not any(p.startswith(("_", ".")) for p in inside_posts):
                    site.add(unless_unreadable(report, root, path, partial(_post, root, path, rule, draft)),
                             path.relative_to(root).as_posix(), report.notes)
    for label, settings in collections.items():
        documents = root / str(config.get("collections_dir") or "") / f"_{label}"
        _read_collection(_Collection(label, documents, settings), root, rule, site, report)
    _paginated(config, site)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(p.startswith(("_", ".")) for p in relative.parts) or relative.parts[0] in excluded:
            continue
        if relative.parts[0] in ("vendor", "node_modules") or not _has_front_matter(path):
            if relative.parts[0] not in ("vendor", "node_modules"):
                site.static.append((path, relative.as_posix()))
            continue
        if path.suffix not in (*MARKDOWN, ".html", ".htm"):
            _processed_asset(root, path, site, report)
            continue
        site.add(unless_unreadable(report, root, path, partial(_page, root, path, rule)), relative.as_posix(),
                 report.notes)
    return site


def _paginated(config: dict[str, Any], site: SourceSite) -> None:
    """jekyll-paginate's pages of posts (`paginate: 5`: `/page2/`, `/page3/`… by `paginate_path`): publisher lists
    as many posts a page, and each old page leads to its like (`/page/2/`)."""
    per_page = config.get("paginate")
    if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 1:
        return
    site.posts_per_page = per_page
    posts = sum(1 for entry in site.entries if entry.kind == "post" and not entry.draft)
    path = "/" + str(config.get("paginate_path") or "/page:num/").strip("/") + "/"
    for number in range(2, -(-posts // per_page) + 1):
        old, new = path.replace(":num", str(number)), f"/page/{number}/"
        if old != new:  # `paginate_path: /page/:num/` is publisher's own
            site.redirects[old] = new


def _collections(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The site's collections by label, each with its settings (`collections:`, a list of labels or a table)."""
    written = config.get("collections")
    table = {str(label): {} for label in written} if isinstance(written, list) else written
    return {str(label): settings if isinstance(settings, dict) else {}
            for label, settings in (table.items() if isinstance(table, dict) else ())}


@dataclass(frozen=True, slots=True)
class _Collection:
    """A collection of the site but its posts: its label, its folder (`_docs/`) and its settings."""

    label: str
    folder: Path
    settings: dict[str, Any]

    def template(self, site_pattern: str) -> str:
        """Its URL pattern: its own `permalink`, else Jekyll's `/:collection/:path` with the site's style's ending
        (`Utils.add_permalink_suffix`: `/` for a pattern ending in one, else `:output_ext`)."""
        own = self.settings.get("permalink")
        if isinstance(own, str) and own.strip():
            return own.strip()
        return "/:collection/:path" + ("/" if site_pattern.endswith("/") else ":output_ext")


def _read_collection(collection: _Collection, root: Path, rule: _PostRule, site: SourceSite, report: Report) -> None:
    """A collection's documents, as pages at the URLs Jekyll gave them, and its other files, published beside
    them; a collection Jekyll does not publish (`output` not true) is named in the report, and not imported."""
    files = [path for path in sorted(collection.folder.rglob("*")) if path.is_file()
             and not any(part.startswith((".", "_")) for part in path.relative_to(collection.folder).parts)]
    if not files:
        return
    shown = collection.folder.relative_to(root).as_posix()
    if collection.settings.get("output") is not True:
        report.notes.append(f"{shown}/: a collection Jekyll does not publish (output is not true): not imported")
        return
    template = collection.template(rule.pattern)
    for path in files:
        inside = path.relative_to(collection.folder).as_posix()
        if path.suffix not in (*MARKDOWN, ".html") or not _has_front_matter(path):
            site.static.append((path, f"{collection.label}/{inside}"))
        else:
            site.add(unless_unreadable(report, root, path, partial(_document, root, path, collection, template, rule)),
                     f"{shown}/{inside}", report.notes)


def _document(root: Path, path: Path, collection: _Collection, template: str, rule: _PostRule) -> SourceEntry:
    """A document of a collection, as a page at its URL: its own `permalink` or its collection's, with the
    placeholders of `Drops::UrlDrop` (`:path` the document's path in the collection's folder, no extension)."""
    read = _Read.of(root, path, rule, collection.label)
    metadata = read.metadata()
    _, rest = dates.date_from_filename(path.stem)
    when = entry_date(metadata, path.stem, rule.tz)
    own = metadata.get("permalink")
    inside = path.relative_to(collection.folder).with_suffix("").as_posix().rstrip(".")
    names = UrlNames(str(metadata.get("slug") or rest), path.stem, _categories(metadata, root, path),
                     collection.label, "/" + inside)
    url = expand(own.strip() if isinstance(own, str) and own.strip() else template,
                 when.astimezone(rule.tz) if when else None, names)
    return read.entry(root, path, "page", url, slug=path.stem, liquid=metadata.get("render_with_liquid") is not False,
                      title=_title_of(metadata, names.slug))


@dataclass(frozen=True, slots=True)
class _PostRule:
    """How the site makes a post's URL and its feed entry's id."""

    pattern: str  # the `permalink` pattern, a style spelled out
    tz: ZoneInfo  # the site's `timezone`: dates are converted into it
    feed_base: str | None  # the site's URL when its feed's entry ids are `post.id` (jekyll-feed's), else None
    defaults: JekyllDefaults  # the front matter defaults of `_config.yml`


def _post_folders(root: Path, name: str, excluded: set[str]) -> list[Path]:
    """Every `_posts` (or `_drafts`) folder Jekyll reads: the site's own and one in any folder it publishes
    (`blog/_posts/`, whose posts take `blog` as a category)."""
    found = []
    for folder in sorted(root.rglob(name)):
        above = folder.relative_to(root).parts[:-1]
        if folder.is_dir() and not any(p.startswith(("_", ".")) for p in above) and (
                not above or above[0] not in (*excluded, "vendor", "node_modules")):
            found.append(folder)
    return found


_SITES_OWN_FILES = frozenset({"feed.xml", "atom.xml", "sitemap.xml", "robots.txt", "feed.json"})  # publisher's
_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n(?:.*?\n)??---[ \t]*(?:\r?\n|\Z)", re.DOTALL)  # as Jekyll's


def _processed_asset(root: Path, path: Path, site: SourceSite, report: Report) -> None:
    """A file that is not a page but has front matter, which Jekyll runs through Liquid (or Sass): published
    as the rest of it when it holds no template code, else reported (publisher serves static files as they are)."""
    relative = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    front = _FRONT_MATTER.match(text)
    rest = text[front.end():] if front else text
    if relative in _SITES_OWN_FILES or "/" + relative == site.feed or is_listing({}, rest):
        site.add(Listing(None), relative, report.notes)  # a feed, sitemap or list of posts: publisher makes its own
    elif path.suffix in (".scss", ".sass"):
        report.cannot_map(relative, 1, "Sass with front matter", "",
                          f"compile it to CSS and put it in static/{posixpath.splitext(relative)[0]}.css")
    elif "{{" in rest or "{%" in rest:
        report.cannot_map(relative, 1, "Liquid in a file that is not a page", "",
                          f"write its output as static/{relative}")
    else:
        site.static_made[relative] = rest.encode("utf-8")


def _feed_ids_are_post_ids(root: Path, config: dict[str, Any]) -> bool:
    """Whether the site's feed gave each post `post.id` as its entry id: jekyll-feed does (listed under
    `plugins`, or `gems` before Jekyll 3.5) unless the site writes its own feed template, which then says."""
    own = root / _feed_path(config).lstrip("/")
    if own.is_file():
        return "post.id" in own.read_text(encoding="utf-8", errors="replace")
    plugins = [*(config.get("plugins") or []), *(config.get("gems") or [])]
    return "jekyll-feed" in [str(plugin) for plugin in plugins]


# What publisher reads in front matter as Jekyll means it: written into the imported files when defaults give it
# (`layout`, `permalink` and a theme's own switches, such as Minimal Mistakes' `share: true`, are not).
_INHERITED = frozenset({"tags", "categories", "author", "authors", "image", "image_alt", "description",
                        "summary", "excerpt", "keywords", "draft", "published", "canonical", "stage", "cta", "pillar",
                        "cluster"})


@dataclass(frozen=True, slots=True)
class _Read:
    """A post or page file as read: its own front matter (decoded and as written), its body, and its defaults."""

    own: dict[str, Any]
    written: str
    body: str
    body_line: int
    inherited: dict[str, Any]  # what its defaults give it (`defaults:`)

    @classmethod
    def of(cls, root: Path, path: Path, rule: _PostRule, kind: str) -> _Read:
        own, written, body, body_line = read_front_matter(root, path)
        return cls(own, written, body, body_line, rule.defaults.values(path.relative_to(root).as_posix(), kind))

    def metadata(self) -> dict[str, Any]:
        """The front matter as Jekyll reads it: the defaults, with the file's own over them."""
        return deep_merge(self.inherited, self.own)

    def entry(self, root: Path, path: Path, kind: Literal["post", "page"], url: str, **details: Any) -> SourceEntry:
        """The file as the import writes it: its own front matter, with the defaults' values publisher reads
        (`_INHERITED`) that it lacks."""
        added = {key: value for key, value in self.inherited.items() if key in _INHERITED and key not in self.own}
        return SourceEntry(path.relative_to(root).as_posix(), kind, self.own, self.written, self.body, self.body_line,
                           url, inherited=added, **details)


def _post(root: Path, path: Path, rule: _PostRule, draft: bool) -> SourceEntry:
    read = _Read.of(root, path, rule, "posts")
    metadata = read.metadata()
    _, rest = dates.date_from_filename(path.stem)
    slug = str(metadata.get("slug") or re.sub(r"\.+\Z", "", rest))  # Jekyll's `data["slug"]`
    when = entry_date(metadata, path.stem, rule.tz)
    own = metadata.get("permalink")
    if when is None:
        url = own.strip() if isinstance(own, str) and own.strip() else f"/{slug}/"
    else:
        names = UrlNames(slug, path.stem, _categories(metadata, root, path))
        template = own.strip() if isinstance(own, str) and own.strip() else rule.pattern
        url = expand(template, when.astimezone(rule.tz), names)
    title = jekyll_slugify(slug, pretty=True, cased=True)
    feed_id = rule.feed_base + post_id(url, slug) if rule.feed_base is not None else ""
    return read.entry(root, path, "post", url, slug=title if is_safe_slug(title) else "", draft=draft,
                      liquid=metadata.get("render_with_liquid") is not False, feed_id=feed_id,
                      title=_title_of(metadata, slug), split=_split_lists(metadata))


def _title_of(metadata: dict[str, Any], slug: str) -> str:
    """The title Jekyll gives a post without one (`Utils.titleize_slug`); "" when it has one."""
    if metadata.get("title"):
        return ""
    return " ".join(word.capitalize() for word in slug.split("-"))


def _split_lists(metadata: dict[str, Any]) -> dict[str, list[str]]:
    """`tags` and `categories` written as one string of words, as Jekyll splits them (`tags: seo analytics` is two
    tags), to write as lists."""
    return {key: value.split() for key, value in metadata.items()
            if key in ("tags", "categories") and isinstance(value, str) and len(value.split()) > 1}


def _page(root: Path, path: Path, rule: _PostRule) -> SourceEntry | Listing:
    read = _Read.of(root, path, rule, "pages")
    metadata, relative = read.metadata(), path.relative_to(root)
    if is_listing(metadata, read.body):
        return Listing(listing_url(metadata))
    if relative.stem in ("index", "404") and len(relative.parts) == 1:  # where publisher writes its own
        return Listing(listing_url(metadata), text=opening_words(read.body) if relative.stem == "index" else "")
    own = metadata.get("permalink")
    stem = relative.with_suffix("").as_posix()
    if isinstance(own, str) and own.strip():
        url = page_url(own.strip(), relative)
    elif relative.stem == "index":  # Jekyll's `/:path/`: a folder's index is the folder
        url = f"/{relative.parent.as_posix()}/"
    else:
        url = f"/{stem}/" if rule.pattern.endswith("/") else f"/{stem}.html"
    return read.entry(root, path, "page", url, slug=relative.stem,
                      liquid=metadata.get("render_with_liquid") is not False)


def _categories(metadata: dict[str, Any], root: Path, path: Path) -> list[str]:
    """A post's categories as Jekyll 4 reads them (`Document#populate_categories`): the folders above its `_posts`
    folder, its `categories` (a string of words split, a list's items as they are: `[big data]` is one), then its
    `category`. A category may hold a space: Jekyll's URL then has `%20` there, its folder the space."""
    parts = path.relative_to(root).parts
    folders = list(parts[:parts.index("_posts")]) if "_posts" in parts else []
    single, many = metadata.get("category"), metadata.get("categories")
    words = many.split() if isinstance(many, str) else [str(c) for c in many or [] if c is not None]
    if single not in (None, ""):
        words.append(str(single))
    return [*folders, *words]


def _config(root: Path) -> dict[str, Any]:
    return read_first([root / "_config.yml", root / "_config.yaml"], "settings")


def _feed_path(config: dict[str, Any]) -> str:
    feed = config.get("feed")
    path = feed.get("path") if isinstance(feed, dict) else None
    return "/" + str(path or "feed.xml").lstrip("/")


def _has_front_matter(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(5).lstrip(b"\xef\xbb\xbf").startswith(b"---")
