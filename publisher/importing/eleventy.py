"""An Eleventy site read for import: `_data/metadata.json`, Markdown posts and pages, directory data,
`_data/authors`, passthrough copies, the feed template's path.

URLs follow Eleventy's rules: a permalink from front matter, else directory data (`posts/posts.json`,
`posts.11tydata.json`, or a plain `permalink: "…"` string in a `.11tydata.js`, which is never run),
else `/<folder>/<file name>/` (a date before the name kept; `x/x.md` at `/x/`); Liquid in a
permalink (`page.fileSlug`, `page.filePathStem`, `page.date | date: '%Y/%m/%d'`, `title | slugify`,
a front-matter or data value) is evaluated here, dates in UTC. The input folder is the config's
`dir.input` when it names one.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from publisher.core import dates
from publisher.core.errors import BuildFailed
from publisher.core.owned import inside
from publisher.importing.eleventy_slugs import beyond_latin, slug_filter, slugify_filter
from publisher.importing.liquid import LiquidRewriter
from publisher.importing.model import Listing, SourceEntry, SourceSite
from publisher.importing.reading import (
    MARKDOWN,
    authors_of,
    entry_date,
    is_listing,
    listing_url,
    outside,
    read_data,
    read_data_file,
    read_front_matter,
    static_files,
    unless_unreadable,
)
from publisher.importing.report import Report

_TAGS_LIST = re.compile(r"tags\s*:\s*\[([^\]]*)\]")  # `tags: ["posts", "guides"]` in a .11tydata.js, lines and all
_TAG_STRING = re.compile(r"""tags\s*:\s*(["'`])(?P<value>[^"'`$]*)\1""")  # `tags: "posts"`
_COLLECTION = re.compile(r"""collections\s*(?:\.\s*(?P<dot>[A-Za-z_$][\w$]*)|\[\s*(["'])(?P<key>[^"'\]]+)\2\s*\])""")
_INPUT_DIR = re.compile(r"""\binput\s*:\s*(["'`])(?P<value>[^"'`$]+)\1""")  # `dir: { input: "src" }`
_PASSTHROUGH = re.compile(r"""addPassthroughCopy\(\s*(?:(["'`])(?P<path>[^"'`]+)\1|\{(?P<mapping>[^}]*)\})""")
_MAPPING = re.compile(r"""(["'`])(?P<source>[^"'`]+)\1\s*:\s*(["'`])(?P<target>[^"'`]*)\3""")
_PLAIN_PERMALINK = re.compile(r"""permalink\s*:\s*(["'`])(?P<value>[^"'`$]*)\1""")


def read_eleventy(project: Path, report: Report, permalink: str | None = None) -> SourceSite:
    config_js = "".join(p.read_text(encoding="utf-8") for p in project.glob("*.js")
                        if p.name.startswith(".eleventy") or p.name.startswith("eleventy.config"))
    named = _INPUT_DIR.search(config_js)
    root = project / named.group("value").strip("/") if named else project
    if root != project and (not root.is_dir() or outside(report, project, root)):  # `../..`: not the site's
        root = project
    metadata = read_data(root / "_data", "metadata")
    rewriter = LiquidRewriter(root / "_includes", report, {"metadata": metadata})
    site = SourceSite(generator="eleventy", title=str(metadata.get("title") or "Imported site"),
                      url=str(metadata.get("url") or "https://example.com/"),
                      description=str(metadata.get("description") or ""),
                      language=str(metadata.get("language") or "en"), timezone="UTC",
                      feed=_feed_path(root, metadata), authors=authors_of(read_data(root / "_data", "authors")),
                      rewrite=rewriter.body, shortcodes=lambda: rewriter.includes)
    site.static += _passthrough_copies(project, config_js, report)
    patterns: list[str] = []
    templates = [(path, {"metadata": metadata, **_folder_data(path.parent, root, report, permalink)})  # the cascade
                 for path in sorted(root.rglob("*")) if _is_template(path.relative_to(root))]
    posts = _posts_collection(root, templates)
    for path, folder_data in templates:
        entry = unless_unreadable(report, root, path, partial(_entry, root, path, folder_data, posts, report.notes))
        site.add(entry, path.relative_to(root).as_posix(), report.notes)
        if isinstance(entry, SourceEntry) and entry.kind == "post" and "permalink" in folder_data:
            patterns.append(str(folder_data["permalink"]))
    if patterns:
        site.permalink = _publisher_pattern(max(set(patterns), key=patterns.count))
    return site


def _is_template(relative: Path) -> bool:
    """Whether Eleventy renders the file by its default formats: not in a folder or file it leaves out (`_`, `.`,
    `node_modules`, its output `_site`)."""
    hidden = any(p.startswith(("_", ".")) or p in ("node_modules", "_site") for p in relative.parts)
    return relative.suffix in (*MARKDOWN, ".liquid", ".njk", ".html") and not hidden


def _posts_collection(root: Path, templates: list[tuple[Path, dict[str, Any]]]) -> str:
    """The tag whose collection holds the site's posts: Eleventy's docs mark posts `tags: post` (listed by
    `collections.post`), its base blog `tags: posts`, and any name will do. Of those two and the collections the
    site's templates and layouts list (`collections.blog`, `collections["blog"]`), the one the most files are
    tagged with (a topic tags fewer files than every post); on a tie, one a template lists, then `posts`."""
    listed = _listed_collections(root)
    tagged = Counter(tag for path, data in templates for tag in set(_tags(data) + _tags(_front_matter(root, path))))
    candidates = sorted((listed | {"posts", "post"}) - {"all"},
                        key=lambda name: (-tagged[name], name not in listed, name != "posts", name))
    return candidates[0]


def _listed_collections(root: Path) -> set[str]:
    """The collections the site's templates, layouts and includes name (`collections.post`, `collections['x']`),
    in any template language (a `.11ty.js` reads `data.collections.post`)."""
    names: set[str] = set()
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        skipped = any(part in ("node_modules", "_site") or part.startswith(".") for part in parts)
        if path.suffix in (*MARKDOWN, ".liquid", ".njk", ".html", ".js") and not skipped and _readable(root, path):
            text = path.read_text(encoding="utf-8", errors="replace")
            names.update(found.group("dot") or found.group("key") for found in _COLLECTION.finditer(text))
    return names


def _readable(root: Path, path: Path) -> bool:
    """Whether `path` is a file of the site's own (not one a symbolic link leads out to: the site is read, not
    trusted; the import names those when it reads the file)."""
    return path.is_file() and inside(path, os.path.realpath(root))


def _front_matter(root: Path, path: Path) -> dict[str, Any]:
    """A template's front matter, or none when it cannot be read (the import reports it when it reads the file)."""
    if not _readable(root, path):
        return {}
    try:
        return read_front_matter(root, path)[0]
    except BuildFailed:
        return {}


def _passthrough_copies(project: Path, config_js: str, report: Report) -> list[tuple[Path, str]]:
    """The files `addPassthroughCopy` publishes, each with its path under static/: a folder's, a file, a glob
    (`"img/**/*.jpg"`), or an object mapping a source to where it goes (`{"./public/": "/"}`). Paths are the
    project's, not the input folder's, as in Eleventy."""
    copies: list[tuple[Path, str]] = []
    for found in _PASSTHROUGH.finditer(config_js):
        pairs = ([(found.group("path"), None)] if found.group("path") is not None
                 else [(m.group("source"), m.group("target")) for m in _MAPPING.finditer(found.group("mapping"))])
        for source, target in pairs:
            copies += _copied(project, source, target, report)
    return copies


def _copied(project: Path, source: str, target: str | None, report: Report) -> list[tuple[Path, str]]:
    """The files one passthrough copy names, with their paths under static/ (`target`: where the source goes,
    a folder when it ends in `/`; None: where it is)."""
    relative = source.removeprefix("./").lstrip("/")
    if any(char in relative for char in "*?["):  # a glob: each file at its own path
        return [(path, path.relative_to(project).as_posix()) for path in sorted(project.glob(relative))
                if path.is_file() and not outside(report, project, path)]
    path = project / relative
    if outside(report, project, path):  # `../..` would list (and copy) the machine's files
        return []
    place = relative.rstrip("/") if target is None else target.strip("/")
    if path.is_file():
        renamed = target is not None and place and not target.endswith("/")
        return [(path, place if target is None or renamed else f"{place}/{path.name}".lstrip("/"))]
    return static_files(path, f"{place}/" if place else "")


def _entry(root: Path, path: Path, folder_data: dict[str, Any], posts: str,
           notes: list[str]) -> SourceEntry | Listing:
    """The post or page `path` is (a post: tagged `posts`, the tag of the posts' collection), or a listing."""
    metadata, written, body, body_line = read_front_matter(root, path)
    relative = path.relative_to(root)
    if is_listing(metadata, body) or path.stem == "404" or metadata.get("permalink") is False:
        return Listing(listing_url(metadata))
    merged = {**folder_data, **metadata}
    # Eleventy merges tags from data and front matter; a post it lists in no collection is a page here
    is_post = posts in _tags(folder_data) + _tags(metadata) and not _excluded_from_posts(merged, posts)
    _, file_slug = dates.date_from_filename(path.stem)
    when = entry_date(metadata, path.stem, ZoneInfo("UTC"))
    pattern = merged.get("permalink")
    if isinstance(pattern, str) and pattern.strip():
        page = _Page(file_slug, "/" + relative.with_suffix("").as_posix(), when)
        url = _render_permalink(pattern.strip(), page, merged)
        notes += [f"{relative.as_posix()}: its permalink slugifies {text!r}, whose letters Eleventy writes by a table "
                  f"the import does not have: check that {url} is its old URL" for text in _slugified(pattern, merged)
                  if beyond_latin(text)]
    else:  # Eleventy's default: the file's folder and whole name (a date before it kept); `x/x.md` is `/x/`
        folders = list(relative.parent.parts)
        if path.stem != "index" and (not folders or folders[-1] != path.stem):
            folders.append(path.stem)
        url = "/" + "".join(f"{folder}/" for folder in folders)
    if url.endswith((".xml", ".json", ".txt")):  # a feed or data file (`{{ metadata.feed.path }}`): not a page
        return Listing(None)
    own = metadata.get("permalink")
    if isinstance(own, str) and "{" in own:  # publisher keeps a post's own URL only when it is a plain path
        metadata = {**metadata, "permalink": url}
        written = ""
    if is_post and posts in _tags(metadata):  # the collection that makes it a post, which tag pages leave out
        metadata = {**metadata, "tags": [tag for tag in _tags(metadata) if tag != posts]}
        written = ""
    return SourceEntry(relative.as_posix(), "post" if is_post else "page", metadata, written, body, body_line, url,
                       slug=file_slug, draft=bool(merged.get("draft")), liquid=True)


def _excluded_from_posts(data: dict[str, Any], posts: str) -> bool:
    """Whether `eleventyExcludeFromCollections` keeps the file out of the posts' collection: `true` (every
    collection), or, since Eleventy 3, a list of the tags' collections naming `posts`. Eleventy still renders it."""
    excluded = data.get("eleventyExcludeFromCollections")
    return excluded is True or (isinstance(excluded, list) and posts in excluded)


def _tags(data: dict[str, Any]) -> list[str]:
    tags = data.get("tags") or []
    return [tags] if isinstance(tags, str) else [str(tag) for tag in tags]


@dataclass(frozen=True, slots=True)
class _Page:
    """Eleventy's `page` values a permalink may use."""

    file_slug: str  # the file's name without its extension, nor a date before it
    file_path_stem: str  # its path below the input folder, without its extension: `/posts/2020-01-03-stem`
    date: datetime | None


_NAMED = re.compile(r"([A-Za-z_][\w.]*)\s*(?:\|\s*(slug|slugify))?")  # `{{ title | slugify }}`, `metadata.x`
_FILTERS = {"slug": slug_filter, "slugify": slugify_filter}


def _slugified(pattern: str, data: dict[str, Any]) -> list[str]:
    """The texts a permalink passes through a slug filter (`{{ title | slugify }}`: the title)."""
    named = (_NAMED.fullmatch(expr.strip()) for expr in re.findall(r"\{\{-?(.*?)-?\}\}", pattern))
    return [str(_value_at(data, found.group(1))) for found in named
            if found and found.group(2) and _value_at(data, found.group(1)) is not None]


def _render_permalink(pattern: str, page: _Page, data: dict[str, Any]) -> str:
    """A permalink's Liquid, evaluated: `page.fileSlug`, `page.filePathStem`, `page.date | date: '…'`,
    `title | slugify`, and a front-matter or data value by its name (`{{ slug }}`)."""
    moment = (page.date or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)

    def value(found: re.Match[str]) -> str:
        expr = found.group(1).strip()
        date_format = re.fullmatch(r"page\.date\s*\|\s*date:\s*[\"'](.+?)[\"']", expr)
        if date_format:
            return moment.strftime(date_format.group(1))
        named = _NAMED.fullmatch(expr)
        if named and _value_at(data, named.group(1)) is not None:
            text = str(_value_at(data, named.group(1)))
            return _FILTERS[named.group(2)](text) if named.group(2) else text
        return {"page.fileSlug": page.file_slug, "page.filePathStem": page.file_path_stem}.get(expr, page.file_slug)

    return re.sub(r"\{\{-?(.*?)-?\}\}", value, pattern)


def _value_at(data: dict[str, Any], dotted: str) -> str | int | None:
    """A text or number of the data cascade by its dotted name (`title`, `metadata.feed.path`), else None."""
    found: Any = data
    for name in dotted.split("."):
        found = found.get(name) if isinstance(found, dict) else None
    return found if isinstance(found, (str, int)) else None


def _publisher_pattern(pattern: str) -> str:
    """`/blog/{{ page.date | date: '%Y/%m/%d' }}/{{ page.fileSlug }}/` -> `/blog/{year}/{month}/{day}/{slug}/`."""
    converted = re.sub(r"\{\{-?\s*page\.date\s*\|\s*date:\s*[\"'](.+?)[\"']\s*-?\}\}", lambda m: m.group(1).replace(
        "%Y", "{year}").replace("%m", "{month}").replace("%d", "{day}"), pattern)
    converted = re.sub(r"\{\{-?\s*(page\.fileSlug|title\s*\|\s*slug(ify)?)\s*-?\}\}", "{slug}", converted)
    ok = "{slug}" in converted and converted.endswith("/") and "%" not in converted and "{{" not in converted
    return converted if ok else "/{slug}/"


def _folder_data(folder: Path, root: Path, report: Report, override: str | None) -> dict[str, Any]:
    """The directory data of `folder` and its parents (nearest wins): JSON files, plain strings in `.js` ones."""
    data: dict[str, Any] = {}
    chain = [folder, *folder.parents]
    for directory in reversed(chain[: len(chain) - len(root.parents)]):
        for candidate in (directory / f"{directory.name}.json", directory / f"{directory.name}.11tydata.json"):
            if candidate.is_file():
                found = read_data_file(candidate, "data file")
                data.update(found if isinstance(found, dict) else {})
        script = directory / f"{directory.name}.11tydata.js"
        if script.is_file():
            text = script.read_text(encoding="utf-8")
            found = _PLAIN_PERMALINK.search(text)
            if found:
                data["permalink"] = found.group("value")
            elif "permalink" in text:
                if override is None:
                    report.notes.append(f"{script.relative_to(root)}: its permalink is computed by JavaScript; "
                                        "pass --permalink PATTERN")
                else:
                    data["permalink"] = _as_eleventy(override)
            listed, named = _TAGS_LIST.search(text), _TAG_STRING.search(text)
            if listed:
                data["tags"] = [tag.strip().strip("\"'`") for tag in listed.group(1).split(",") if tag.strip()]
            elif named:
                data["tags"] = [named.group("value")]
    return data


def _as_eleventy(pattern: str) -> str:
    """A publisher pattern given with --permalink in Eleventy's terms, to compute the old URLs with."""
    for name, layout in (("year", "%Y"), ("month", "%m"), ("day", "%d")):
        pattern = pattern.replace("{" + name + "}", "{{ page.date | date: '" + layout + "' }}")
    return pattern.replace("{slug}", "{{ page.fileSlug }}")


def _feed_path(root: Path, metadata: dict[str, Any]) -> str:
    """Where the site's feed template writes (a `permalink:` ending `.xml`, in any folder, the metadata's
    `feed.path` when it names that); `/feed.xml` when none does."""
    feed = metadata.get("feed")
    named = feed.get("path") if isinstance(feed, dict) else None
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        if (path.suffix not in (".njk", ".liquid", ".md") or not path.is_file()
                or any(p.startswith(("_", ".")) or p == "node_modules" for p in relative)):
            continue
        found = re.search(r"^permalink:\s*[\"']?([^\"'\n]+)", path.read_text(encoding="utf-8"), re.M)
        written = found.group(1).strip() if found else ""
        if re.fullmatch(r"\{\{-?\s*metadata\.feed\.path\s*-?\}\}", written) and isinstance(named, str):
            written = named
        if written.endswith(".xml") and "{" not in written:
            return "/" + written.lstrip("/")
    return "/feed.xml"
