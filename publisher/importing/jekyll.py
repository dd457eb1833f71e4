"""A Jekyll site read for import: `_config.yml`, `_posts/`, `_drafts/`, pages, `_data/authors`, assets.

URLs follow Jekyll's rules: the `permalink` pattern (or style: date, pretty, ordinal, none), dates
converted into the site's `timezone` (UTC when unset), `:title` keeping the file name's case, a
post's own `permalink:` exactly as written, pages at `/name/` (or `/name.html` for patterns without
a trailing slash).
"""

from __future__ import annotations

import posixpath
import re
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from publisher.core import dates
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
    unless_unreadable,
)
from publisher.importing.report import Report

STYLES = {"date": "/:categories/:year/:month/:day/:title:output_ext",
          "pretty": "/:categories/:year/:month/:day/:title/",
          "ordinal": "/:categories/:year/:y_day/:title:output_ext", "none": "/:categories/:title:output_ext",
          "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext"}
_NEVER_STATIC = {"Gemfile", "Gemfile.lock", "package.json", "package-lock.json", "README.md", "LICENSE", "CNAME"}


def read_jekyll(root: Path, report: Report) -> SourceSite:
    config = _config(root)
    tz = ZoneInfo(str(config.get("timezone") or "UTC"))
    pattern = str(config.get("permalink") or "date")
    pattern = STYLES.get(pattern, pattern)
    data = {path.stem: read_data(root / "_data", path.stem) for path in sorted((root / "_data").glob("*"))}
    rewriter = LiquidRewriter(root / "_includes", report, {"site.data": data})
    site = SourceSite(generator="jekyll", title=str(config.get("title") or "Imported site"),
                      url=str(config.get("url") or "https://example.com") + str(config.get("baseurl") or ""),
                      description=str(config.get("description") or ""), language=str(config.get("lang") or "en"),
                      timezone=tz.key, permalink=publisher_pattern(pattern), feed=_feed_path(config),
                      authors=authors_of(read_data(root / "_data", "authors")), rewrite=rewriter.body,
                      shortcodes=lambda: rewriter.includes)
    for folder, draft in (("_posts", False), ("_drafts", True)):
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else []:
            if path.suffix in (*MARKDOWN, ".html"):
                site.add(unless_unreadable(report, root, path, partial(_post, root, path, pattern, tz, draft)),
                         path.relative_to(root).as_posix(), report.notes)
    excluded = set(config.get("exclude") or []) | _NEVER_STATIC
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(p.startswith(("_", ".")) for p in relative.parts) or relative.parts[0] in excluded:
            continue
        if relative.parts[0] in ("vendor", "node_modules") or not _has_front_matter(path):
            if relative.parts[0] not in ("vendor", "node_modules"):
                site.static.append((path, relative.as_posix()))
            continue
        site.add(unless_unreadable(report, root, path, partial(_page, root, path, pattern)), relative.as_posix(),
                 report.notes)
    return site


def publisher_pattern(pattern: str) -> str:
    """A Jekyll or Hugo pattern in publisher's placeholders, as near as they go (posts it misses get `url:`)."""
    converted = re.sub(r":(year|month|day)\b", r"{\1}", pattern)
    converted = re.sub(r":(title|slug|filename)\b", "{slug}", converted)
    if ":" in converted or "{slug}" not in converted or not converted.endswith("/"):
        return "/{year}/{month}/{day}/{slug}/" if "{day}" in converted else "/{slug}/"
    return re.sub(r"/{2,}", "/", converted)


def _post(root: Path, path: Path, pattern: str, tz: ZoneInfo, draft: bool) -> SourceEntry:
    metadata, written, body, body_line = read_front_matter(root, path)
    _, rest = dates.date_from_filename(path.stem)
    title = str(metadata.get("slug") or rest)
    when = entry_date(metadata, path.stem, tz)
    own = metadata.get("permalink")
    if isinstance(own, str) and own.strip():
        url = own.strip()
    elif when is None:
        url = f"/{title}/"
    else:
        url = _expand(pattern, when.astimezone(tz), title, _categories(metadata, root, path))
    return SourceEntry(path.relative_to(root).as_posix(), "post", metadata, written, body, body_line, url,
                       slug=title, draft=draft, liquid=metadata.get("render_with_liquid") is not False)


def _page(root: Path, path: Path, pattern: str) -> SourceEntry | Listing:
    metadata, written, body, body_line = read_front_matter(root, path)
    relative = path.relative_to(root)
    if is_listing(metadata, body) or (relative.stem in ("index", "404") and len(relative.parts) == 1):
        return Listing(listing_url(metadata))
    own = metadata.get("permalink")
    stem = relative.with_suffix("").as_posix()
    url = own.strip() if isinstance(own, str) and own.strip() else (
        f"/{stem}/" if pattern.endswith("/") else f"/{stem}.html")
    return SourceEntry(relative.as_posix(), "page", metadata, written, body, body_line, url,
                       slug=relative.stem, liquid=metadata.get("render_with_liquid") is not False)


def _expand(pattern: str, when: datetime, title: str, categories: list[str]) -> str:
    values = {"year": f"{when.year:04d}", "month": f"{when.month:02d}", "day": f"{when.day:02d}",
              "i_month": str(when.month), "i_day": str(when.day), "short_year": f"{when.year % 100:02d}",
              "hour": f"{when.hour:02d}", "minute": f"{when.minute:02d}", "second": f"{when.second:02d}",
              "y_day": f"{when.timetuple().tm_yday:03d}", "title": title,
              "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"), "categories": "/".join(categories),
              "output_ext": ".html", "week": f"{when.isocalendar().week:02d}", "short_day": when.strftime("%a")}
    url = re.sub(r":(\w+)", lambda m: _placeholder(m.group(1), values), pattern)
    return posixpath.normpath(url) + ("/" if url.endswith("/") else "") if url != "/" else url


def _placeholder(name: str, values: dict[str, str]) -> str:
    for key in sorted(values, key=len, reverse=True):  # `:output_ext` before `:title`…
        if name.startswith(key):
            return values[key] + name[len(key):]
    return ":" + name


def _categories(metadata: dict[str, Any], root: Path, path: Path) -> list[str]:
    found = metadata.get("categories", metadata.get("category")) or []
    words = found.split() if isinstance(found, str) else [str(c) for c in found]
    folders = [p for p in path.relative_to(root).parts[:-1] if p not in ("_posts", "_drafts")]
    return [w.lower() for w in folders + words]


def _config(root: Path) -> dict[str, Any]:
    return read_first([root / "_config.yml", root / "_config.yaml"], "settings")


def _feed_path(config: dict[str, Any]) -> str:
    feed = config.get("feed")
    path = feed.get("path") if isinstance(feed, dict) else None
    return "/" + str(path or "feed.xml").lstrip("/")


def _has_front_matter(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(5).lstrip(b"\xef\xbb\xbf").startswith(b"---")
