"""The read-and-parse stage: every source file parsed and every check on the parsed input.

Everything found here goes to the build's one `Problems` collector, so the
config's problems, every bad field of every file, CTAs, clusters, tags, URLs
and share settings are reported together, before any Markdown is rendered.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from publisher.build.uptodate import SETTLE_NS
from publisher.config.model import SiteConfig
from publisher.content.ctas import Cta, check_cta_references, parse_cta
from publisher.content.discovery import source_paths
from publisher.content.model import Kind, Post, SourceFile
from publisher.content.parse import parse_source
from publisher.core.errors import BuildFailed, Problem, Problems
from publisher.core.memo import Memo
from publisher.share.settings import check_share_settings
from publisher.site.clusters import check_clusters
from publisher.site.redirects import check_redirects
from publisher.site.selection import check_tags, check_urls

CTA_KINDS: tuple[Kind, ...] = ("cta",)
ENTRY_KINDS: tuple[Kind, ...] = ("post", "page", "offer")


def read_input(cfg: SiteConfig, problems: Problems, memo: Memo[Parsed] | None = None
               ) -> tuple[list[Post], dict[str, Cta]]:
    """Every post, page, offer and CTA under `content/`, read one file at a time, and checked as a whole.

    `memo`: what earlier builds parsed, by file; a file whose size, times and (while it may still change
    unseen) bytes are as they were is not read again."""
    files = _Files(cfg, memo or Memo())
    ctas = read_ctas(files.parsed(CTA_KINDS, parse_cta), problems)
    posts = read_posts(files.parsed(ENTRY_KINDS, parse_source), problems)
    problems.errors += [*check_urls(posts), *check_tags(posts), *check_clusters(posts),
                        *check_cta_references(posts, ctas, cfg), *check_share_settings(posts, cfg),
                        *check_redirects(posts, cfg)]
    return posts, ctas


@dataclass(frozen=True, slots=True)
class Parsed:
    """One source file read: what it parsed to (None when it did not), its warnings and its errors."""

    source: str
    value: Any
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def read_posts(parsed: Iterable[Parsed], problems: Problems) -> list[Post]:
    """Every source that parsed, collecting every problem rather than stopping at the first."""
    return [result.value for result in _noted(parsed, problems)]


def read_ctas(parsed: Iterable[Parsed], problems: Problems) -> dict[str, Cta]:
    """The site's calls to action by id; two files with one id is an error."""
    ctas: dict[str, Cta] = {}
    for result in _noted(parsed, problems):
        cta = result.value
        if cta.id in ctas:
            problems.error(result.source, 1, "id", f"{cta.id!r} is already the id of {ctas[cta.id].source}")
        else:
            ctas[cta.id] = cta
    return ctas


def _noted(parsed: Iterable[Parsed], problems: Problems) -> Iterator[Parsed]:
    """Each source that parsed; every problem and warning goes to `problems`."""
    for result in parsed:
        problems.errors += result.errors
        problems.warnings += result.warnings
        if not result.errors:
            yield result


@dataclass(frozen=True, slots=True)
class _Files:
    """The site's source files, each parsed anew only when it is not as it was when last parsed."""

    cfg: SiteConfig
    memo: Memo[Parsed]

    def parsed(self, kinds: tuple[Kind, ...],
               parse: Callable[[SourceFile, SiteConfig], tuple[Any, list[Problem]]]) -> Iterator[Parsed]:
        for path, name, kind in source_paths(self.cfg, kinds):
            try:
                stamp, data = _file_stamp(path)
            except OSError:  # gone since it was listed: the next build sees it gone
                continue
            source = SourceFile(name, kind, data) if data is not None else _Unread(name, kind, path)
            yield self.memo.get(name, (kind, stamp), partial(_parse, source, parse, self.cfg))


def _file_stamp(path: Path) -> tuple[tuple[object, ...], bytes | None]:
    """What tells a file changed: its size, inode and times, and, for a file changed within the last few seconds
    (whose times may stay the same through another write), a digest of its bytes, read for that."""
    stat = path.stat()
    data = path.read_bytes() if time.time_ns() - stat.st_mtime_ns < SETTLE_NS else None
    sha = hashlib.sha256(data).digest() if data is not None else None
    return (stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, sha), data


@dataclass(frozen=True, slots=True)
class _Unread:
    """A source file not read yet: read only when it is parsed."""

    path: str
    kind: Kind
    file: Path

    def read(self) -> SourceFile:
        return SourceFile(self.path, self.kind, self.file.read_bytes())


def _parse(source: SourceFile | _Unread, parse: Callable[[SourceFile, SiteConfig], tuple[Any, list[Problem]]],
           cfg: SiteConfig) -> Parsed:
    try:
        value, warnings = parse(source.read() if isinstance(source, _Unread) else source, cfg)
    except BuildFailed as failed:
        return Parsed(source.path, None, errors=list(failed.problems))
    except OSError as exc:  # removed or made unreadable since it was listed
        unreadable = Problem(source.path, None, "file", f"cannot be read ({exc.strerror})")
        return Parsed(source.path, None, errors=[unreadable])
    return Parsed(source.path, value, warnings)
