"""The read-and-parse stage: every source file parsed and every check on the parsed input.

Everything found here goes to the build's one `Problems` collector, so the
config's problems, every bad field of every file, CTAs, clusters, tags, URLs
and share settings are reported together, before any Markdown is rendered.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Protocol, cast

from publisher.build.inputs import SETTLE_NS, FileStates, Stat
from publisher.config.model import SiteConfig
from publisher.content.ctas import (
    Cta,
    check_cta_references,
    cta_check_reads,
    offers_thanks_not_taken,
    parse_cta,
)
from publisher.content.discovery import SourcePath, read_source, source_paths
from publisher.content.model import Kind, Post, SourceFile, post_digest
from publisher.content.parse import parse_source
from publisher.content.shortcodes import has_template_code
from publisher.core.errors import BuildFailed, Problem, Problems
from publisher.core.files import FileTooLarge, NotAFile, as_not_a_file, file_state
from publisher.core.memo import Alike, Memo, Same
from publisher.core.records import record
from publisher.share.settings import check_share_settings
from publisher.site.clusters import check_clusters, cluster_check_reads
from publisher.site.redirects import check_redirects, redirect_check_reads
from publisher.site.selection import check_tags, check_urls, merged_tags, tag_check_reads, url_check_reads
from publisher.templates.i18n import Words

CTA_KINDS: tuple[Kind, ...] = ("cta",)
ENTRY_KINDS: tuple[Kind, ...] = ("post", "page", "offer")


@dataclass(frozen=True, slots=True)
class SourceMemos:
    """What earlier builds of one model read: the source files found, each file's parse, and the checks
    across all sources."""

    parsed: Memo[Parsed] = field(default_factory=Memo)
    checks: Memo[list[Problem]] = field(default_factory=Memo)
    found: Memo[tuple[SourcePath, ...]] = field(default_factory=Memo)
    share_checks: Memo[list[Problem]] = field(default_factory=Memo)  # each post's share settings' problems


def read_input(cfg: SiteConfig, words: Words, problems: Problems, cache: MarkdownCache,
               memos: SourceMemos | None = None, files: FileStates | None = None
               ) -> tuple[list[Post], dict[str, Cta], SourceBodies]:
    """Every post, page, offer and CTA under `content/`, read one file at a time, and checked as a whole.

    The posts come without their Markdown bodies (`post.body` is ""), which are in the `SourceBodies`:
    each body's cache key, and the body itself only when the Markdown stage will need it (its rendering
    is not in `cache`, or it has template code). So a build with its Markdown cached never holds every
    post's source at once, and a model kept between builds (`serve`) holds none.

    `words`: the theme's words in the site's language, a CTA's default button and phrase among them. A CTA
    parsed with other words is never taken from `memos`: the model they are kept in is forgotten when the theme's
    words change (its salt holds their digest: `build.pipeline._start`).

    `memos`: what earlier builds read. A file whose size, times and (while it may still change unseen) bytes
    are as they were is not read again; one of other times whose bytes are as they were (a checkout, a copy)
    is read but not parsed again; one parsed again whose front matter reads as before (a body edit)
    gives the very post it gave before, so the checks across all posts, each made from what it reads of them,
    are not made again (nor after a title edit: see `check_sources`). `files`: the build's listing of the
    content folder, which holds each file's size and times (else each is `stat`ed)."""
    kept = memos or SourceMemos()
    bodies = SourceBodies(cfg)
    sources = _Files(cfg, kept, bodies, files)
    ctas = read_ctas(sources.parsed(CTA_KINDS, partial(parse_cta, words=words)), problems)
    posts = read_posts(sources.parsed(ENTRY_KINDS, parse_source, cache), problems)
    shares = check_share_settings(posts, cfg, kept.share_checks)  # each post's own, kept while it is the same
    problems.errors += check_sources(posts, ctas, cfg, shares, kept.checks)
    problems.warnings += kept.checks.get("merged tags", (Alike(tuple(posts), tag_check_reads),),
                                         partial(merged_tags, posts))
    # Offers are few: checked on each build, with no memo's pass over every post to key it.
    problems.warnings += offers_thanks_not_taken([post for post in posts if post.kind == "offer"], ctas, cfg)
    return posts, ctas, bodies


def check_sources(posts: list[Post], ctas: dict[str, Cta], cfg: SiteConfig, shares: list[Problem],
                  kept: Memo[list[Problem]] | None = None) -> list[Problem]:
    """The problems only all the posts and CTAs together tell (two posts with one URL, a CTA no file holds),
    with those of each post's share settings (`shares`) in their place.

    `kept`: each check's problems as an earlier build found them, taken again while what the check reads of
    each post is as it was (`core.memo.Alike`): a title edit, or a body edit, makes none of them again."""
    memo: Memo[list[Problem]] = kept if kept is not None else Memo()
    listed = tuple(posts)

    def checked(name: str, reads: Callable[[Post], object], check: Callable[[], list[Problem]],
                *more: object) -> list[Problem]:
        return memo.get(name, (Alike(listed, reads), *more), check)

    return [*checked("urls", url_check_reads, partial(check_urls, posts)),
            *checked("tags", tag_check_reads, partial(check_tags, posts)),
            *checked("clusters", cluster_check_reads, partial(check_clusters, posts)),
            *checked("ctas", cta_check_reads, partial(check_cta_references, posts, ctas, cfg), Same(ctas.values())),
            *shares,
            *checked("redirects", redirect_check_reads, partial(check_redirects, posts, cfg))]


@dataclass
class SourceBodies:
    """The Markdown body of each post, apart from the post: those parsed by this build and those with
    template code (evaluated on every build) in memory; any other read again from its file when asked
    for (a post left as it was needs its body only when its links or the Markdown cache change).
    `expanded`: bodies with their template code evaluated (`content.shortcodes.expand_all`)."""

    cfg: SiteConfig
    found: dict[str, str] = field(default_factory=dict)  # source -> its body as written
    expanded: dict[str, str] = field(default_factory=dict)  # source -> its body, template code evaluated
    read: dict[str, Parsed] = field(default_factory=dict)  # source -> the reading of its file this build took
    anew: set[str] = field(default_factory=set)  # the sources this build parsed (not as they were last parsed)

    def has_template_code(self, post: Post) -> bool:
        return self.read[post.source].templated_body is not None

    def key(self, post: Post, markdown_key: Callable[[str], str]) -> str:
        """The cache key of the body the post renders (its evaluated body's, for one with template code)."""
        if post.source in self.expanded:
            return markdown_key(self.expanded[post.source])
        known = self.read[post.source].body_key
        return known if known is not None else markdown_key(self.written(post))

    def written(self, post: Post) -> str:
        """The post's body as written in its file; raises BuildFailed when the file went or changed into one
        that cannot be read since it was listed (the next build reads it anew)."""
        if post.source not in self.found:
            try:
                data = read_source(self.cfg.root / post.source)
            except OSError as exc:
                unread = _unreadable(post.source, str(self.cfg.root / post.source), exc)
                raise BuildFailed(unread.errors or unread.warnings) from None
            self.found[post.source] = parse_source(SourceFile(post.source, post.kind, data), self.cfg)[0].body
        return self.found[post.source]

    def of(self, post: Post) -> str:
        """The post's body as the Markdown stage renders it: evaluated, else as written."""
        return self.expanded[post.source] if post.source in self.expanded else self.written(post)


@record
class Parsed:
    """One source file read: what it parsed to (None when it did not), its warnings and its errors; for a
    post (which comes without its body), its body's Markdown cache key, or the body if it has template
    code (see `read_input`)."""

    source: str
    value: Any
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    templated_body: str | None = None  # a post's body with template code (`{{`, `{%`)
    body_key: str | None = None  # another post's body's Markdown cache key
    content: bytes | None = None  # the SHA-256 of the file's bytes it was parsed from
    post_digest: str | None = None  # a post's: `content.model.post_digest` of `value`


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
        if result.warnings:
            problems.warnings += result.warnings
        if result.errors:
            problems.errors += result.errors
        elif result.value is not None:  # else a file left out, with a warning
            yield result


@dataclass(frozen=True, slots=True)
class _Files:
    """The site's source files, each parsed anew only when it is not as it was when last parsed."""

    cfg: SiteConfig
    memos: SourceMemos
    bodies: SourceBodies
    files: FileStates | None  # the build's listing: each file's size and times

    def parsed(self, kinds: tuple[Kind, ...], parse: Callable[[SourceFile, SiteConfig], tuple[Any, list[Problem]]],
               cache: MarkdownCache | None = None) -> Iterator[Parsed]:
        """Each source of these kinds, parsed (or as parsed before); with `cache`, posts come without their
        bodies (see `read_input`)."""
        body_of = None if cache is None else _BodyOf(cache, self.bodies.found)
        listing = self._content_listing()
        for path, name, kind in self._found(kinds):
            listed = listing.get(path) if listing is not None else self.files.stat_of(path) if self.files else None
            parsed = self._unchanged(name, kind, listed)
            if parsed is None:
                try:
                    stamp, data = _file_stamp(path, listed)
                except OSError as exc:
                    if os.path.lexists(path):  # there, but it cannot be read
                        yield _unreadable(name, path, exc)
                    continue  # (else gone since it was listed: the next build sees it gone)
                source = SourceFile(name, kind, data) if data is not None else _Unread(name, kind, path)
                parsed = self.memos.parsed.get(name, (kind, stamp), partial(self._parse, source, parse, body_of))
            if cache is not None:
                self.bodies.read[name] = parsed
                if parsed.templated_body is not None:
                    self.bodies.found[name] = parsed.templated_body
            yield parsed

    def _content_listing(self) -> dict[str, Stat] | None:
        """The listing's states of the files below the content folder (where every source is), if it has them."""
        return self.files.folders.get(str(self.cfg.content_dir)) if self.files is not None else None

    def _found(self, kinds: tuple[Kind, ...]) -> tuple[SourcePath, ...]:
        """The sources of these kinds (`content.discovery.source_paths`); as the last build found them while
        the listing of the content folder holds the very same paths, and no symbolic link (which the listing
        follows and the sources' search does not)."""
        folder = str(self.cfg.content_dir)
        states = self.files.folders.get(folder) if self.files is not None else None
        if states is None or self.files is None or folder in self.files.linked:
            return tuple(source_paths(self.cfg, kinds))
        return self.memos.found.get(kinds, states.keys(), lambda: tuple(source_paths(self.cfg, kinds)))

    def _unchanged(self, name: str, kind: Kind, listed: Stat | None) -> Parsed | None:
        """What the file parsed to last time, when the listing holds the very state it was parsed in (the
        watcher saw no change to it: `build.inputs.Changes`) and that state had settled (no bytes to compare);
        else None. This is the memo's own answer, without making the inputs to ask it."""
        last = self.memos.parsed.last(name)
        if last is None or listed is None:
            return None
        inputs, parsed = last
        kept_kind, (kept_state, kept_sha) = cast("tuple[Kind, tuple[Stat, bytes | None]]", inputs)  # a str: no
        # type object made on each of thousands of calls
        if kept_kind != kind or kept_state is not listed or kept_sha is not None:
            return None
        self.memos.parsed.put(name, inputs, parsed)
        return parsed

    def _parse(self, source: SourceFile | _Unread,
               parse: Callable[[SourceFile, SiteConfig], tuple[Any, list[Problem]]], body_of: _BodyOf | None) -> Parsed:
        """The file parsed; what it parsed to before, when its bytes are the same (its size or times alone
        changed: a checkout, a cache restored on another machine); holding the very post the file gave before,
        when it reads the same (every post is parsed without its body, so a body edit gives such a post)."""
        if isinstance(source, _Unread):
            try:
                read = source.read()
            except OSError as exc:  # removed or made unreadable since it was listed
                self.bodies.anew.add(source.path)
                return _unreadable(source.path, source.file, exc)
        else:
            read = source
        content = hashlib.sha256(read.data).digest()
        last = self.memos.parsed.last(source.path)
        if last is not None and cast("tuple[Kind, Any]", last[0])[0] == read.kind and last[1].content == content:
            return last[1]
        made = _parse(read, parse, self.cfg, body_of, content)
        self.bodies.anew.add(source.path)
        if not isinstance(made.value, Post):
            return made
        made = replace(made, post_digest=post_digest(made.value))
        before = last[1] if last is not None else None
        if before is not None and isinstance(before.value, Post) and made.post_digest == (
                before.post_digest or post_digest(before.value)):  # the `repr`, not `==`: 1 == True, and two
            return replace(made, value=before.value, post_digest=made.post_digest)  # spellings of one instant
        return made


def _unreadable(name: str, path: str, exc: OSError) -> Parsed:
    """The source `name` (at `path`) that could not be read: an error, but a warning when it is no file at all (a
    named pipe, a link to nothing), which is left out as a link out of the site is. Without one, the post was
    lost without a word, and a build after one that did not see it said "Up to date"."""
    found = exc if isinstance(exc, NotAFile) else as_not_a_file(path, exc)
    if isinstance(found, NotAFile):
        return Parsed(name, None, warnings=[Problem(name, None, "file", f"{found.strerror}: left out")])
    reason = str(found.strerror) if isinstance(found, FileTooLarge) else f"cannot be read ({found.strerror})"
    return Parsed(name, None, errors=[Problem(name, None, "file", reason)])


def _file_stamp(path: str, listed: Stat | None) -> tuple[tuple[Stat, bytes | None], bytes | None]:
    """What tells a file changed: its size, inode and times (`listed`, else `stat`ed now), and, for a file
    changed within the last few seconds (whose times may stay the same through another write), a digest of
    its bytes, read for that."""
    found = listed if listed is not None else file_state(path)
    data = _read(path) if time.time_ns() - found[2] < SETTLE_NS else None
    sha = hashlib.sha256(data).digest() if data is not None else None
    return (found, sha), data


@record
class _Unread:
    """A source file not read yet: read only when it is parsed."""

    path: str
    kind: Kind
    file: str

    def read(self) -> SourceFile:
        return SourceFile(self.path, self.kind, _read(self.file))


def _read(path: str) -> bytes:
    return read_source(path)


def _parse(source: SourceFile, parse: Callable[[SourceFile, SiteConfig], tuple[Any, list[Problem]]],
           cfg: SiteConfig, body_of: _BodyOf | None, content: bytes) -> Parsed:
    """`source` parsed; `content`: the SHA-256 of its bytes, kept with what they parse to."""
    try:
        value, warnings = parse(source, cfg)
    except BuildFailed as failed:
        return Parsed(source.path, None, errors=list(failed.problems), content=content)
    if body_of is None or not isinstance(value, Post):
        return Parsed(source.path, value, warnings, content=content)
    if has_template_code(value.body):
        body_of.found[source.path] = value.body
        return Parsed(source.path, replace(value, body=""), warnings, templated_body=value.body, content=content)
    key = body_of.cache.markdown_key(value.body)
    if not body_of.cache.has_markdown(key):  # to render: kept
        body_of.found[source.path] = value.body
    return Parsed(source.path, replace(value, body=""), warnings, body_key=key, content=content)


class MarkdownCache(Protocol):
    """The Markdown cache's keys (`build.cache.BuildCache`)."""

    def markdown_key(self, body: str) -> str: ...

    def has_markdown(self, key: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class _BodyOf:
    """Where a post's body goes when it is parsed: its key from `cache`, the body into `found` if needed."""

    cache: MarkdownCache
    found: dict[str, str]
