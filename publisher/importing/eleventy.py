"""An Eleventy site read for import: `_data/metadata.json`, Markdown posts and pages, directory data,
`_data/authors`, passthrough copies, the feed template's path.

URLs follow Eleventy's rules: a permalink from front matter, else directory data (`posts/posts.json`,
`posts.11tydata.json`, or a plain `permalink: "…"` string in a `.11tydata.js`, which is never run),
else `/<folder>/<fileSlug>/`; Liquid in a permalink (`page.fileSlug`, `page.date | date: '%Y/%m/%d'`,
`title | slugify`) is evaluated here, dates in UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from publisher.core import dates
from publisher.core.slugs import slugify
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

_TAGS_LIST = re.compile(r"tags\s*:\s*\[([^\]]*)\]")  # `tags: ["posts", "guides"]` in a .11tydata.js
_PLAIN_PERMALINK = re.compile(r"""permalink\s*:\s*(["'`])(?P<value>[^"'`$]*)\1""")


def read_eleventy(root: Path, report: Report, permalink: str | None = None) -> SourceSite:
    metadata = read_data(root / "_data", "metadata")
    rewriter = LiquidRewriter(root / "_includes", report, {"metadata": metadata})
    config_js = "".join(p.read_text(encoding="utf-8") for p in root.glob("*.js") if p.name.startswith(".eleventy")
                        or p.name.startswith("eleventy.config"))
    site = SourceSite(generator="eleventy", title=str(metadata.get("title") or "Imported site"),
                      url=str(metadata.get("url") or "https://example.com/"),
                      description=str(metadata.get("description") or ""),
                      language=str(metadata.get("language") or "en"), timezone="UTC",
                      feed=_feed_path(root), authors=authors_of(read_data(root / "_data", "authors")),
                      rewrite=rewriter.body, shortcodes=lambda: rewriter.includes)
    for copied in re.findall(r"addPassthroughCopy\(\s*[\"'`]([^\"'`]+)[\"'`]", config_js):
        if not outside(report, root, root / copied):  # `../..` would list (and copy) the machine's files
            site.static += static_files(root / copied, copied.strip("/") + "/")
    patterns: list[str] = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        hidden = any(p.startswith(("_", ".")) or p == "node_modules" for p in relative.parts)
        if path.suffix not in (*MARKDOWN, ".liquid", ".html") or hidden:
            continue
        folder_data = _folder_data(path.parent, root, report, permalink)
        entry = unless_unreadable(report, root, path, partial(_entry, root, path, folder_data))
        site.add(entry, relative.as_posix(), report.notes)
        if isinstance(entry, SourceEntry) and entry.kind == "post" and "permalink" in folder_data:
            patterns.append(str(folder_data["permalink"]))
    if patterns:
        site.permalink = _publisher_pattern(max(set(patterns), key=patterns.count))
    return site


def _entry(root: Path, path: Path, folder_data: dict[str, Any]) -> SourceEntry | Listing:
    metadata, written, body, body_line = read_front_matter(root, path)
    relative = path.relative_to(root)
    if is_listing(metadata, body) or path.stem == "404" or metadata.get("permalink") is False:
        return Listing(listing_url(metadata))
    merged = {**folder_data, **metadata}
    is_post = "posts" in _tags(folder_data) + _tags(metadata)  # Eleventy merges tags from data and front matter
    _, file_slug = dates.date_from_filename(path.stem)
    when = entry_date(metadata, path.stem, ZoneInfo("UTC"))
    pattern = merged.get("permalink")
    if isinstance(pattern, str) and pattern.strip():
        url = _render_permalink(pattern.strip(), file_slug, when, str(merged.get("title") or ""))
    else:
        folder = relative.parent.as_posix()
        url = ("/" if folder == "." else f"/{folder}/") + ("" if path.stem == "index" else f"{file_slug}/")
    own = metadata.get("permalink")
    if isinstance(own, str) and "{" in own:  # publisher keeps a post's own URL only when it is a plain path
        metadata = {**metadata, "permalink": url}
        written = ""
    return SourceEntry(relative.as_posix(), "post" if is_post else "page", metadata, written, body, body_line, url,
                       slug=file_slug, draft=bool(merged.get("draft")), liquid=True)


def _tags(data: dict[str, Any]) -> list[str]:
    tags = data.get("tags") or []
    return [tags] if isinstance(tags, str) else [str(tag) for tag in tags]


def _render_permalink(pattern: str, file_slug: str, when: datetime | None, title: str) -> str:
    moment = (when or datetime(1970, 1, 1, tzinfo=UTC)).astimezone(UTC)

    def value(found: re.Match[str]) -> str:
        expr = found.group(1).strip()
        date_format = re.fullmatch(r"page\.date\s*\|\s*date:\s*[\"'](.+?)[\"']", expr)
        if date_format:
            return moment.strftime(date_format.group(1))
        if re.fullmatch(r"title\s*\|\s*(slug|slugify)", expr):
            return slugify(title)
        return {"page.fileSlug": file_slug, "page.filePathStem": file_slug}.get(expr, file_slug)

    return re.sub(r"\{\{-?(.*?)-?\}\}", value, pattern)


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
            listed = _TAGS_LIST.search(text)
            if listed:
                data["tags"] = [tag.strip(" \"'") for tag in listed.group(1).split(",")]
    return data


def _as_eleventy(pattern: str) -> str:
    """A publisher pattern given with --permalink in Eleventy's terms, to compute the old URLs with."""
    for name, layout in (("year", "%Y"), ("month", "%m"), ("day", "%d")):
        pattern = pattern.replace("{" + name + "}", "{{ page.date | date: '" + layout + "' }}")
    return pattern.replace("{slug}", "{{ page.fileSlug }}")


def _feed_path(root: Path) -> str:
    for path in sorted(root.glob("*")):
        if path.suffix in (".njk", ".liquid", ".md") and path.is_file():
            found = re.search(r"^permalink:\s*[\"']?(/?[^\"'\n]+\.xml)", path.read_text(encoding="utf-8"), re.M)
            if found:
                return "/" + found.group(1).lstrip("/")
    return "/feed.xml"
