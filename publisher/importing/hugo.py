"""A Hugo site read for import: its config, `content/`, `data/authors`, `static/`, page bundles.

URLs follow Hugo's rules (checked against Hugo 0.111): `[permalinks]` per section (or its
`[permalinks.page]` table; `:year`, `:month`, `:day`, `:slug`, `:title`, `:filename`, `:section`,
`:sections`…) with each date in its own offset (`timeZone` only for dates without one), `:slug` the
front matter's slug else the title made a path, `:title` the title made a path; a section without a
pattern publishes by the file's path, the front matter's slug for its name; every path in lower case
(unless `disablePathToLower`) and ending in `.html` with `uglyURLs`; a post's own `url:` as written
(with a trailing slash added when its last segment has no dot), and relative `aliases` resolved
against the post's folder. A post without `date` takes the next date Hugo reads (`publishDate`,
`pubDate`, `published`, `lastmod`, `modified`). A page bundle at the top (`content/about/index.md`)
is a page; a bundle's own files, in its folders too, are published beside it.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus
from zoneinfo import ZoneInfo

from publisher.core import dates
from publisher.core.text import opening_words
from publisher.importing.hugo_shortcodes import HugoRewriter
from publisher.importing.hugo_taxonomies import folded_taxonomies, taxonomy_redirects, term_path
from publisher.importing.jekyll_urls import publisher_pattern
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
    permalinks = _permalinks(config.get("permalinks"))
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
    paths = _Paths(lower=not config.get("disablePathToLower"), ugly=bool(config.get("uglyURLs")))
    for path in sorted(content.rglob("*")) if content.is_dir() else []:
        relative = path.relative_to(content)
        if not path.is_file() or relative.name.startswith(".") or _in_bundle(path, content):
            continue  # a bundle's own files are published with it, below
        if path.suffix not in MARKDOWN:  # beside a section's `_index.md`, or loose: Hugo publishes it at its path
            site.static.append((path, relative.as_posix()))
            continue
        if path.stem == "_index":
            _list_text(root, path, report)
            if path.parent != content:  # the site's own `_index.md` is its home page
                site.listings.append(_section_url(relative, paths))
            continue
        folders = _folders(relative)
        # Its section's list page (`/posts/`), whatever the file is: publisher's home page lists the posts.
        if folders:
            site.listings.append(paths.made(f"/{term_path(folders[0])}/"))
        rule = Rule(permalinks.get(folders[0]) if folders else None, tz, filename_dates, paths,
                    _sections(content, folders))
        kind = "post" if folders else "page"
        entry = unless_unreadable(report, root, path, partial(_entry, root, path, kind, rule, report))
        site.add(entry, relative.as_posix(), report.notes)
        if entry is not None and path.stem == "index":  # a page bundle: its files are published beside it
            folder = _bundle_folder(entry.url).lstrip("/")
            site.static += [(file, folder + name) for file, name in _bundle_files(path.parent)]
    site.listings[:] = sorted(set(site.listings))
    site.redirects.update(taxonomy_redirects(config, site.entries, paths.made))
    site.entries[:], folded = folded_taxonomies(config, site.entries)
    report.notes += folded
    if len(permalinks) > 1:
        report.notes.append(f"sections other than {section!r} keep their URLs through url: in each post")
    return site


def _list_text(root: Path, path: Path, report: Report) -> None:
    """A list page's own text (`_index.md`: the home page's, a section's), which publisher's lists do not show:
    named in the report when it has any, to move into a page or the theme by hand."""
    body = unless_unreadable(report, root, path, partial(read_front_matter, root, path))
    words = opening_words(body[2]) if body is not None else ""
    if words:
        shown = path.relative_to(root).as_posix()
        report.notes.append(f"{shown}: the text of a list page, which publisher's lists do not show: move it into "
                            f"a page, or into the theme's index template (it begins \"{words}\")")


def _section_url(index: Path, paths: _Paths) -> str:
    """The URL of the list page Hugo makes for a section's `_index.md` (`docs/A Dir/_index.md`: `/docs/a-dir/`),
    a nested one's too, whether the folders above it have one or not."""
    return paths.made("/" + "".join(f"{term_path(part)}/" for part in index.parent.parts))


def _permalinks(found: Any) -> dict[str, str]:
    """Each section's pattern: `[permalinks]`, or its `page` table (Hugo 0.115's form, beside `section`, `term`
    and `taxonomy`, which are the URLs of lists: publisher makes its own)."""
    table = found if isinstance(found, dict) else {}
    if isinstance(table.get("page"), dict):
        table = table["page"]
    return {str(key): str(value) for key, value in table.items() if not isinstance(value, dict)}


def _folders(relative: Path) -> tuple[str, ...]:
    """The folders a content file is in (a bundle's `index.md`: those of its bundle's folder)."""
    return relative.parts[:-2] if relative.stem == "index" else relative.parts[:-1]


def _sections(content: Path, folders: tuple[str, ...]) -> tuple[str, ...]:
    """The sections a file is in: its top folder, and each folder below it that holds an `_index.md`."""
    sections = list(folders[:1])
    for depth in range(2, len(folders) + 1):
        if not any((content.joinpath(*folders[:depth]) / f"_index{suffix}").is_file() for suffix in MARKDOWN):
            break
        sections.append(folders[depth - 1])
    return tuple(sections)


def _in_bundle(path: Path, content: Path) -> bool:
    """Whether `path` is one of a page bundle's own files (in a folder at or below one with an `index.md`)."""
    return path.stem != "index" and any((folder / f"index{suffix}").is_file() for folder in path.parents
                                        if content in folder.parents for suffix in MARKDOWN)


def _bundle_files(folder: Path) -> list[tuple[Path, str]]:
    """A page bundle's own files, its folders' too, each with its path below the bundle."""
    return [(file, file.relative_to(folder).as_posix()) for file in sorted(folder.rglob("*"))
            if file.is_file() and file.suffix not in MARKDOWN
            and not any(part.startswith(".") for part in file.relative_to(folder).parts)]


def _bundle_folder(url: str) -> str:
    """Where a page bundle's files are published: the folder of its URL (`/posts/a.html`'s, with `uglyURLs`, is
    `/posts/a/`)."""
    return url if url.endswith("/") else url.removesuffix(".html") + "/"


@dataclass(frozen=True, slots=True)
class _Paths:
    """How Hugo writes every path: in lower case (unless `disablePathToLower`), as `x.html` with `uglyURLs`."""

    lower: bool
    ugly: bool

    def made(self, url: str) -> str:
        url = url.lower() if self.lower else url
        return url[:-1] + ".html" if self.ugly and url.endswith("/") and url != "/" else url


@dataclass(frozen=True, slots=True)
class Rule:
    """How one Hugo section makes its URLs."""

    pattern: str | None  # its [permalinks] entry, e.g. "/:year/:month/:slug/"; None: by the file's path
    tz: ZoneInfo  # for dates written without an offset
    filename_dates: bool  # [frontmatter] date lists ":filename"
    paths: _Paths
    sections: tuple[str, ...]  # the sections the file is in, outermost first


@dataclass(frozen=True, slots=True)
class _Names:
    """What a post's URL placeholders are made from, besides its date."""

    slug: str  # the front matter's slug, else the title made a path
    title: str  # the title made a path
    filename: str  # the file's name (a bundle's: its folder's)
    own_slug: str  # the front matter's slug, "" when it has none
    sections: tuple[str, ...]


_DATES = ("date", "publishDate", "pubDate", "pubdate", "published", "lastmod", "lastMod", "modified")  # Hugo's order


def _entry(root: Path, path: Path, kind: str, rule: Rule, report: Report) -> SourceEntry | None:
    metadata, written, body, body_line = read_front_matter(root, path)
    relative = path.relative_to(root / "content")
    unpublished = _not_rendered(metadata)
    if unpublished:
        report.notes.append(f"{relative.as_posix()}: {unpublished}, so Hugo published no page for it: not imported")
        return None
    name = relative.parent.name if path.stem == "index" else path.stem
    dated = next((key for key in _DATES if metadata.get(key)), "date")
    if dated != "date" and kind == "post":
        metadata, written = {**metadata, "date": metadata[dated]}, ""  # publisher reads `date` alone
    file_date, rest = dates.date_from_filename(name)
    from_file = rule.filename_dates and file_date is not None and not metadata.get("date")
    own_slug = term_path(str(metadata["slug"]) if metadata.get("slug") else (rest if from_file else ""))
    title = term_path(str(metadata.get("title") or name))
    names = _Names(own_slug or title, title, term_path(name), own_slug, rule.sections)
    when = entry_date(metadata, name, rule.tz) if metadata.get("date") or rule.filename_dates else None
    own = metadata.get("url")
    if isinstance(own, str) and own.strip():
        url = _with_slash(own.strip() if "/:" not in own else _expand(own.strip(), when, names, (path, report)))
    elif kind == "page":
        url = rule.paths.made(f"/{term_path(name)}/")
    elif rule.pattern is None:  # by the file's path: its folders, then its slug or name
        url = rule.paths.made("/" + "/".join(term_path(part) for part in (*_folders(relative), own_slug or name)) + "/")
    else:
        url = rule.paths.made(_expanded_path(_expand(rule.pattern, when, names, (path, report))))
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
        metadata = {**metadata, "image": _bundle_folder(url) + image}  # a bundle's image is beside the post
        written = ""
    if path.stem == "index":
        body = _bundle_links(body, path.parent, _bundle_folder(url))
    expired = _expired(metadata, name, rule.tz, relative.as_posix(), report)
    # Hugo dates a file of a section without a date in the year 1 (a docs page, say): publisher's posts have one.
    is_post = kind == "post" and when is not None
    return SourceEntry(relative.as_posix(), "post" if is_post else "page", metadata, written, body,
                       body_line, url, slug=names.slug, draft=bool(metadata.get("draft")) or expired, name=name)


def _not_rendered(metadata: dict[str, Any]) -> str:
    """Why Hugo 0.111 renders no page for a content file (a headless bundle, `_build: {render: never}`), else ""."""
    if metadata.get("headless") is True:
        return "a headless bundle (headless: true)"
    options = metadata.get("_build", metadata.get("build"))
    render = options.get("render", "always") if isinstance(options, dict) else "always"
    return "" if render in (True, "always") else f"_build: render is {render!r}"


_EXPIRY = ("expiryDate", "expirydate", "unpublishdate")  # Hugo's names for when a page stops being published


def _expired(metadata: dict[str, Any], name: str, tz: ZoneInfo, shown: str, report: Report) -> bool:
    """Whether Hugo no longer publishes the file (its `expiryDate` has passed): it comes in as a draft, so that
    what the team took down stays down. One that expires later is named in the report: publisher has no expiry."""
    key = next((key for key in _EXPIRY if metadata.get(key)), None)
    expires = entry_date({"date": metadata[key]}, name, tz) if key else None
    if expires is None:
        return False
    if expires <= datetime.now(UTC):
        report.notes.append(f"{shown}: expired on {expires.date()} ({key}), so Hugo no longer published it: "
                            "imported as a draft")
        return True
    report.notes.append(f"{shown}: expires on {expires.date()} ({key}); publisher does not take pages down by "
                        "date: make it a draft then")
    return False


def _bundle_links(body: str, folder: Path, url: str) -> str:
    """A page bundle's links to its own files (`![chart](chart.svg)`, `images/pic.png`) made absolute: the files
    go to `url`, its folder."""
    for _, name in _bundle_files(folder):
        found = re.escape(name)
        body = re.sub(rf"(\]\(|\b(?:src|href)=[\"'])(?:\./)?{found}(?=[)\"'\s])", rf"\g<1>{url}{name}", body)
    return body


def _expanded_path(url: str) -> str:
    """The path Hugo 0.111 writes a `[permalinks]` pattern's result at: unescaped as a query is (`+` a space, `%2B`
    a `+`), then made a path again, so `:title` `C++ Tips` (`c++-tips`) is at `/c-tips/`, `N Two C++` at
    `/n-two-c-/`. Hugo's own page path (no pattern) and a `url:` are not unescaped."""
    return term_path(unquote_plus(url))


def _expand(pattern: str, when: datetime | None, names: _Names, at: tuple[Path, Report]) -> str:
    """The URL a pattern gives; a placeholder Hugo 0.111 does not have is reported (`at`: the file, the report)."""
    # An undated draft is in Hugo's year 1.
    values = {"year": f"{when.year}" if when else "1", "month": f"{when.month:02d}" if when else "01",
              "day": f"{when.day:02d}" if when else "01", "slug": names.slug, "title": names.title,
              "filename": names.filename, "slugorfilename": names.own_slug or names.filename,
              "section": names.sections[0] if names.sections else "", "sections": "/".join(names.sections),
              "yearday": str(when.timetuple().tm_yday) if when else "1",
              "monthname": when.strftime("%B").lower() if when else "january",
              "weekday": str(when.isoweekday() % 7) if when else "1",
              "weekdayname": when.strftime("%A").lower() if when else "monday"}

    def placeholder(found: re.Match[str]) -> str:
        if found.group(1) in values:
            return values[found.group(1)]
        path, report = at
        report.cannot_map(path.as_posix(), 1, f"permalink placeholder {found.group(0)}", "",
                          "write the post's old URL as its url:")
        return found.group(0)

    return re.sub(r":(\w+)", placeholder, pattern)


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
