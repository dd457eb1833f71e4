"""Helpers the three readers share: front matter, dates as the sources read them, data files, static files."""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import yaml

from publisher.config.reader import split_toml_error
from publisher.content.frontmatter import FrontMatterError, TooManyRepeats, check_repeats, split_source
from publisher.core import dates
from publisher.core.errors import BuildFailed, Problem
from publisher.core.owned import inside
from publisher.core.slugs import slugify
from publisher.importing.report import Report
from publisher.markdown.code import code_ranges

MARKDOWN = (".md", ".markdown")
T = TypeVar("T")


def read_front_matter(root: Path, path: Path) -> tuple[dict[str, Any], str, str, int]:
    """(metadata, front matter as written when it is YAML else "", body, body line) of a source file."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    shown = path.relative_to(root).as_posix()
    if text.lstrip().startswith("{"):  # Hugo's JSON front matter
        try:
            metadata, end = json.JSONDecoder().raw_decode(text.lstrip())
        except ValueError as error:
            raise BuildFailed([Problem(shown, 1, "front matter", f"is not valid JSON ({error})")]) from None
        except RecursionError:
            raise BuildFailed([Problem(shown, 1, "front matter", "is nested too deeply to read")]) from None
        body = text.lstrip()[end:]
        return metadata, "", body.lstrip("\n"), text.count("\n") - body.lstrip("\n").count("\n") + 1
    text = re.sub(r"\A(\s*\n)+(?=---)", "", text)  # blank lines before the front matter
    text = re.sub(r"^(---|\+\+\+)[ \t]+$", r"\1", text, flags=re.MULTILINE)  # `---` with trailing spaces
    try:
        split = split_source(text)
    except FrontMatterError as error:
        raise BuildFailed([Problem(shown, error.line, "front matter", str(error))]) from None
    written = text[4:text.index("\n---", 3) + 1] if text.startswith("---\n") and "\n---" in text[3:] else ""
    return split.metadata, written, split.body, split.body_line


def _outside(ranges: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    edges = [0, *(edge for pair in ranges for edge in pair), length]
    return list(zip(edges[::2], edges[1::2], strict=True))


def unless_unreadable(report: Report, root: Path, path: Path, read: Callable[[], T]) -> T | None:
    """`read()`, or None with the file reported when its front matter cannot be read (YAML that Ruby reads
    but PyYAML refuses, such as a tab before a list item), or when it is a symbolic link out of the site
    (`outside`): the rest of the site is still imported."""
    if outside(report, root, path):
        return None
    try:
        return read()
    except BuildFailed as failed:
        for problem in failed.problems:
            report.cannot_map(path.relative_to(root).as_posix(), problem.line or 1, problem.message, "",
                              "not imported: fix its front matter and import again")
        return None


def outside(report: Report, root: Path, path: Path) -> bool:
    """Whether the file at `path` is outside the site at `root`, its links followed (a symbolic link to a file
    elsewhere on the machine, or a passthrough copy of `../..`): reported so, as it is not imported. A site
    given to `publisher import` is read, not trusted: `assets/key -> ~/.ssh/id_rsa` would be copied into the
    new site's static/, and published (see `core.owned`)."""
    if inside(path, os.path.realpath(root)):
        return False
    report.cannot_map(os.path.relpath(path, root), 1, "outside the site", "",
                      f"not imported: it is {os.path.realpath(path)} (copy the file in, and import again)")
    return True


def read_data(folder: Path, name: str) -> dict[str, Any]:
    """`<folder>/<name>.yml|yaml|json|toml`, whichever exists first ({} when none does)."""
    return read_first([folder / f"{name}{suffix}" for suffix in (".yml", ".yaml", ".json", ".toml")], "data file")


def read_first(paths: Iterable[Path], what: str) -> dict[str, Any]:
    """The mapping in the first of `paths` that is a file ({} when none is, or it holds something else), read
    by its suffix (`read_data_file`; `what`: the file's part in the site, as an error names it)."""
    for path in paths:
        if path.is_file():
            data = read_data_file(path, what)
            return data if isinstance(data, dict) else {}
    return {}


def read_data_file(path: Path, what: str) -> Any:
    """What a site's data or settings file holds, read as JSON, TOML or else YAML by its suffix. A file that
    cannot be read so (not UTF-8, not valid, nested past the reader's depth) stops the import with one line
    naming it, and its line where the reader tells it (BuildFailed), rather than a traceback."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # past a BOM, as Jekyll reads (`bom|utf-8`): Notepad's
        if path.suffix == ".json":
            return json.loads(text)
        return tomllib.loads(text) if path.suffix == ".toml" else _yaml(text)
    except UnicodeDecodeError:
        problem = Problem(str(path), None, what, "is not UTF-8 text")
    except json.JSONDecodeError as error:
        problem = Problem(str(path), error.lineno, what, f"is not valid JSON ({error.msg})")
    except tomllib.TOMLDecodeError as error:
        line, message = split_toml_error(str(error))
        problem = Problem(str(path), line, what, f"is not valid TOML ({message})")
    except TooManyRepeats as error:
        problem = Problem(str(path), error.line + 1, what, str(error))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = Problem(str(path), mark.line + 1 if mark is not None else None, what,
                          f"is not valid YAML ({getattr(error, 'problem', None) or error})")
    except RecursionError:
        problem = Problem(str(path), None, what, "is nested too deeply to read")
    except ValueError as error:  # a value YAML's reader refuses (a date with month 13)
        problem = Problem(str(path), None, what, f"cannot be read ({error})")
    raise BuildFailed([problem])


def _yaml(text: str) -> Any:
    """`yaml.safe_load`, refusing a document whose aliases repeat too much (`check_repeats`) before building it."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_repeats(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def authors_of(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """An authors data file as `[authors]` tables: key -> name, bio, url."""
    authors = {}
    for key, value in data.items():
        if isinstance(value, dict) and slugify(str(key)):
            fields = {"name": value.get("name") or value.get("display_name") or key,
                      "bio": value.get("bio") or value.get("description") or "",
                      "url": value.get("url") or value.get("website") or ""}
            authors[slugify(str(key))] = {k: str(v) for k, v in fields.items() if v}
    return authors


def site_timezone(value: Any, settings: str, field: str) -> ZoneInfo:
    """The source site's time zone (UTC when unset); one that is not a known zone name stops the import with
    one line naming the settings file and field (Hugo's `Local` is the machine's zone: no site has it)."""
    name = str(value or "UTC")
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        pass
    raise BuildFailed([Problem(settings, None, field, f"{name!r} is not a time zone name (such as \"Europe/London\")")])


def entry_date(metadata: dict[str, Any], stem: str, tz: ZoneInfo) -> datetime | None:
    """The front matter's date (it wins), else the file name's; None when neither is readable."""
    value = metadata.get("date")
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, tzinfo=tz)
    if value not in (None, ""):
        try:
            return dates.parse_date(value, tz)
        except ValueError:
            return None
    day, _ = dates.date_from_filename(stem)
    return dates.parse_date(day, tz) if day else None


def static_files(folder: Path, target: str = "") -> list[tuple[Path, str]]:
    """Every file under `folder`, with its path under static/ (`target` prefixed)."""
    if not folder.is_dir():
        return []
    return [(path, f"{target}{path.relative_to(folder).as_posix()}") for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts)]


def listing_url(metadata: dict[str, Any]) -> str | None:
    """The plain URL of a listing template, which publisher's home page replaces; None for feeds and the like."""
    permalink = metadata.get("permalink")
    if "pagination" in metadata or not isinstance(permalink, str) or "{" in permalink or ":" in permalink:
        return None
    return permalink if permalink.startswith("/") and permalink.endswith("/") and permalink != "/" else None


def is_listing(metadata: dict[str, Any], body: str) -> bool:
    """A template that lists posts, paginates or writes a feed: publisher makes its own."""
    permalink = str(metadata.get("permalink") or "")
    prose = "".join(body[start:end] for start, end in _outside(code_ranges(body), len(body)))
    return (bool(re.search(r"collections\.|paginator|site\.posts|\bpagination\b", prose))
            or "pagination" in metadata or permalink.endswith((".xml", ".json", ".txt")))
