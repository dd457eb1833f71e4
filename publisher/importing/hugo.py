"""A Hugo site read for import: its config, `content/`, `data/authors`, `static/`, page bundles.

URLs follow Hugo's rules: `[permalinks]` per section (`:year`, `:month`, `:day`, `:slug`, `:title`,
`:filename`, `:section`…) with each date in its own offset (`timeZone` only for dates without one),
`:slug` the front matter's slug else the title made a path, a post's own `url:` as written (with a
trailing slash added when its last segment has no dot), and relative `aliases` resolved against the
post's folder.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from publisher.core import dates
from publisher.importing.hugo_shortcodes import HugoRewriter
from publisher.importing.jekyll import publisher_pattern
from publisher.importing.model import SourceEntry, SourceSite
from publisher.importing.reading import (
    MARKDOWN,
    authors_of,
    entry_date,
    read_data,
    read_first,
    read_front_matter,
    site_timezone,
    static_files,
    unless_unreadable,
)
from publisher.importing.report import Report


def read_hugo(root: Path, report: Report) -> SourceSite:
    config = _config(root)
    tz = site_timezone(config.get("timeZone") or config.get("timezone"), _settings_name(root), "timeZone")
    permalinks = {str(k): str(v) for k, v in (config.get("permalinks") or {}).items()}
    filename_dates = ":filename" in (config.get("frontmatter") or {}).get("date", [])
    params = config.get("params") or {}
    rewriter = HugoRewriter(root / "layouts" / "shortcodes", report)
    content = root / "content"
    section = next(iter(permalinks), "posts")
    site = SourceSite(generator="hugo", title=str(config.get("title") or "Imported site"),
                      url=str(config.get("baseURL") or config.get("baseurl") or "https://example.com/"),
                      description=str(params.get("description") or ""),
                      language=str(config.get("languageCode") or "en").split("-")[0], timezone=tz.key,
                      permalink=publisher_pattern(permalinks.get(section, "/:section/:slug/")), feed="/index.xml",
                      authors=authors_of(read_data(root / "data", "authors")), rewrite=rewriter.body,
                      shortcodes=lambda: rewriter.templates, static=static_files(root / "static"))
    for path in sorted(content.rglob("*")) if content.is_dir() else []:
        if path.suffix not in MARKDOWN or path.stem == "_index":
            continue
        relative = path.relative_to(content)
        kind = "post" if len(relative.parts) > 1 else "page"
        rule = Rule(permalinks.get(relative.parts[0], "/:section/:filename/"), tz, filename_dates)
        entry = unless_unreadable(report, root, path, partial(_entry, root, path, kind, rule))
        site.add(entry, relative.as_posix(), report.notes)
        if entry is not None and path.stem == "index":  # a page bundle: its files are published beside it
            site.static += [(file, entry.url.lstrip("/") + file.name) for file in sorted(path.parent.iterdir())
                            if file.is_file() and file.suffix not in MARKDOWN]
    if len(permalinks) > 1:
        report.notes.append(f"sections other than {section!r} keep their URLs through url: in each post")
    return site


@dataclass(frozen=True, slots=True)
class Rule:
    """How one Hugo section makes its URLs."""

    pattern: str  # its [permalinks] entry, e.g. "/:year/:month/:slug/"
    tz: ZoneInfo  # for dates written without an offset
    filename_dates: bool  # [frontmatter] date lists ":filename"


def _entry(root: Path, path: Path, kind: str, rule: Rule) -> SourceEntry:
    metadata, written, body, body_line = read_front_matter(root, path)
    relative = path.relative_to(root / "content")
    name = relative.parent.name if path.stem == "index" else path.stem
    file_date, rest = dates.date_from_filename(name)
    from_file = rule.filename_dates and file_date is not None and not metadata.get("date")
    slug = str(metadata.get("slug") or (rest if from_file else urlize(str(metadata.get("title") or name))))
    when = entry_date(metadata, name, rule.tz) if metadata.get("date") or rule.filename_dates else None
    own = metadata.get("url")
    if isinstance(own, str) and own.strip():
        url = _with_slash(own.strip() if "/:" not in own else _expand(own.strip(), when, slug, name, relative))
    elif kind == "page":
        url = f"/{urlize(name)}/"
    else:
        url = _expand(rule.pattern, when, slug, name, relative)
    aliases = [posixpath.normpath(posixpath.join(posixpath.dirname(url.rstrip("/")), a)) + ("/" if a.endswith("/")
               else "") if not a.startswith("/") else a for a in _words(metadata.get("aliases"))]
    if aliases:
        metadata = {**metadata, "aliases": aliases}
        written = ""  # rewritten: relative aliases made absolute
    if isinstance(own, str):
        metadata = {**metadata, "url": url}
        written = ""
    image = metadata.get("image")
    if path.stem == "index" and isinstance(image, str) and image and not image.startswith("/") and "://" not in image:
        metadata = {**metadata, "image": url + image}  # a bundle's image is beside the post: at its URL
        written = ""
    if path.stem == "index":
        body = _bundle_links(body, path.parent, url)
    return SourceEntry(relative.as_posix(), "post" if kind == "post" else "page", metadata, written, body,
                       body_line, url, slug=slug, draft=bool(metadata.get("draft")), name=name)


def _bundle_links(body: str, folder: Path, url: str) -> str:
    """A page bundle's links to its own files (`![chart](chart.svg)`) made absolute: the files go to its URL."""
    for file in folder.iterdir():
        if file.is_file() and file.suffix not in MARKDOWN:
            name = re.escape(file.name)
            body = re.sub(rf"(\]\(|\b(?:src|href)=[\"'])(?:\./)?{name}(?=[)\"'\s])", rf"\g<1>{url}{file.name}", body)
    return body


def urlize(text: str) -> str:
    """Hugo's path for a title: lower case, spaces to hyphens, punctuation other than `-_.` dropped."""
    text = re.sub(r"[^\w\s./_-]", "", text.lower())
    return re.sub(r"\s+", "-", text.strip())


def _expand(pattern: str, when: datetime | None, slug: str, name: str, relative: Path) -> str:
    # An undated draft is in Hugo's year 1.
    values = {"year": f"{when.year}" if when else "1", "month": f"{when.month:02d}" if when else "01",
              "day": f"{when.day:02d}" if when else "01", "slug": slug, "title": slug, "filename": name,
              "section": relative.parts[0], "yearday": str(when.timetuple().tm_yday) if when else "1",
              "monthname": when.strftime("%B").lower() if when else "january"}
    return re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), pattern)


def _with_slash(url: str) -> str:
    return url if url.endswith("/") or "." in url.rsplit("/", 1)[-1] else url + "/"


def _words(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value or []]


_SETTINGS = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.yml", "config.yml")


def _config(root: Path) -> dict[str, Any]:
    return read_first([root / name for name in _SETTINGS], "settings")


def _settings_name(root: Path) -> str:
    """The settings file `_config` read, as a problem names it."""
    return next((name for name in _SETTINGS if (root / name).is_file()), _SETTINGS[0])
