"""Finding source files under `content/` and decoding their bytes: the content stage's only I/O."""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import NamedTuple

from publisher.config.model import SiteConfig
from publisher.content.frontmatter import FrontMatterError, Split, split_source
from publisher.content.model import FOLDERS, Kind, SourceFile, is_source_name
from publisher.core.errors import BuildFailed, ContentError, Problem
from publisher.core.files import read_file
from publisher.core.owned import inside, owner_of
from publisher.core.text import FORBIDDEN, counted

HIDDEN = (".", "_", "#")  # first characters of names that are never sources
# The most bytes a source may hold: a long guide is 100 KB, a book in one file 3 MB. Read whole, a 2 GB file took
# more than 2 GB of memory; past this it is an error naming its size, before it is read.
MOST_SOURCE_BYTES = 32 << 20


class SourcePath(NamedTuple):
    """A source file found under `content/`: where it is, its name from the site's folder, and its kind."""

    file: str  # the file's path, `cfg.content_dir` joined with its folders
    name: str  # e.g. content/posts/hello.md
    kind: Kind


def discover(cfg: SiteConfig, kinds: Collection[Kind] = ("post", "page", "offer", "cta")) -> Iterator[SourceFile]:
    """Every source of these kinds under `content/`, in a stable order, each read only when its turn comes."""
    for found in source_paths(cfg, kinds):
        yield SourceFile(found.name, found.kind, read_source(found.file))


def read_source(path: str | Path) -> bytes:
    """The bytes of the source file at `path`: raises `core.files.NotAFile` for a named pipe, socket, device or
    link to nothing, `core.files.FileTooLarge` past `MOST_SOURCE_BYTES`."""
    return read_file(path, MOST_SOURCE_BYTES)


def source_paths(cfg: SiteConfig, kinds: Collection[Kind]) -> Iterator[SourcePath]:
    """Every source of these kinds under `content/`, in a stable order (by path parts), nothing read."""
    for kind, folder in FOLDERS:
        base = cfg.content_dir / folder
        if kind not in kinds or not base.is_dir():
            continue
        prefix, top = base.relative_to(cfg.root).as_posix(), str(base)
        for relative in sorted(_sources_below(top, owner_of(cfg.content_dir)), key=_by_folders):
            yield SourcePath(f"{top}{os.sep}{relative}", f"{prefix}/{relative}", kind)


def files_not_read(content: str, paths: list[str]) -> list[Problem]:
    """A warning for each file of `paths` (named from the site's folder, below the content folder named `content`)
    that no build reads: Markdown outside the folders of sources (`content/about.md`, `content/blog/a.md`, where
    Hugo reads a page and a section), and any other file (`content/posts/photo.jpg`, beside its post as in a Hugo
    bundle), which is not published. Both were left out without a word, a post's image broken with no clue why.
    Hidden names (`.gitkeep`, `_drafts/`) and a folder of sources named in another case (an error of its own)
    are passed over."""
    kinds = {folder for _, folder in FOLDERS}
    problems = []
    for path in paths:
        inside_content = path[len(content) + 1:]
        top, _, rest = inside_content.partition("/")
        if any(name.startswith(HIDDEN) for name in inside_content.split("/")) or (rest and top.lower() in kinds
                                                                                  and top not in kinds):
            continue
        if not is_source_name(path):
            name = rest if top in kinds else inside_content  # as a post beside it links it: `images/a.png`
            problems.append(Problem(path, None, "file", (
                f"is not published: only Markdown is read from {content}/ (move it to static/, as static/{name}, "
                f"which a post shows as /{name} or {name})")))
        elif not rest or top not in kinds:
            folders = ", ".join(f"{content}/{folder}/" for folder in sorted(kinds))
            problems.append(Problem(path, None, "file", (
                f"is not read: sources are read from {folders} (move it to {content}/pages/ for a page, "
                f"{content}/posts/ for a post)")))
    return problems


def _by_folders(relative: str) -> str:
    """Sorts paths as lists of their names: a folder's files before a name that only starts like it."""
    return relative.replace("/", "\0")


def _sources_below(top: str, owner: str) -> Iterator[str]:
    """The path from `top` (`a/b.md`) of each Markdown file below it. Editors leave hidden swap and backup
    files next to sources: names starting with `.`, `_` or `#` are left out, and so are such folders.
    Symbolic links to folders are not followed, nor those to files outside `owner` (`core.owned`); a file's
    type comes from its folder's listing (no `stat`).
    Folders wait on a list, not on the call stack, so no depth of nesting is too deep."""
    folders = [(top, "")]
    while folders:
        folder, prefix = folders.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError:  # gone or unreadable since it was found: no sources there
            continue
        for entry in entries:
            if entry.name.startswith(HIDDEN):
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append((entry.path, f"{prefix}{entry.name}/"))
            elif is_source_name(entry.name) and _may_be_read(entry, owner):
                yield prefix + entry.name


def _may_be_read(entry: os.DirEntry[str], owner: str) -> bool:
    """Whether an entry named as a source (not a folder) is read: all but a symbolic link to a folder, or to a
    file outside `owner`. A link in a loop, which cannot be followed, is read, to be reported."""
    if not entry.is_symlink():
        return True
    try:
        if entry.is_dir():
            return False
    except OSError:  # a loop of links
        return True
    return inside(entry.path, owner)


def decode_source(source: SourceFile) -> str:
    """The text of a source file; binary data and bad UTF-8 are errors naming the line."""
    data = source.data
    try:
        source.path.encode("utf-8")
    except UnicodeEncodeError:  # a name the file system gave as bytes: URLs, feeds and the cache are UTF-8
        shown = source.path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise ContentError(shown, None, "file", "its name is not valid UTF-8 (rename the file)") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16's byte-order marks (UTF-32's start as one does)
        raise ContentError(source.path, 1, "file", "is UTF-16 (Notepad's \"Unicode\"), not UTF-8: save it as UTF-8 "
                                                   "(in Notepad: Save As, Encoding: UTF-8)")
    if b"\x00" in data[:8192]:
        raise ContentError(source.path, 1, "file", "is binary, not a text file (expected UTF-8 Markdown)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}; save the file as UTF-8)"
        raise ContentError(source.path, line, "file", message) from None
    return FORBIDDEN.sub("", _with_newlines(text.removeprefix("\ufeff")))


def _with_newlines(text: str) -> str:
    """`text` with each line ending a `\\n`: Windows' CRLF, and the lone CR of classic Mac OS editors (and of some
    exports), which YAML and CommonMark read as a line ending too; left in, a file with lone CRs was one line, with
    no front matter found in it ("title: missing")."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# FORBIDDEN characters are dropped from every source as it is read, with a warning: the feed writer would
# refuse the whole build. Their UTF-8 bytes, to find the line of the first:
_FORBIDDEN_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xef\xbf[\xbe\xbf]")


def forbidden_characters(source: SourceFile) -> list[Problem]:
    """A warning naming the line of the first character `decode_source` dropped, if it dropped any."""
    found = _FORBIDDEN_BYTES.search(source.data)
    if found is None:
        return []
    count = len(_FORBIDDEN_BYTES.findall(source.data))
    line = source.data.count(b"\n", 0, found.start()) + 1
    shown = found.group(0).decode("utf-8", errors="replace")
    dropped = counted(count, "control character")
    return [Problem(source.path, line, "text", f"dropped {dropped} that XML and HTML forbid "
                                              f"(the first is U+{ord(shown):04X}; text pasted from Word or a PDF?)")]


def repeated_fields(path: str, split: Split) -> list[Problem]:
    """A warning at each key written twice in a file's front matter, naming the line whose value YAML dropped:
    the first `tags:` of two was ignored without a word (Hugo's and Eleventy's YAML readers refuse such a file;
    Jekyll's also keeps the last, so a Jekyll site still builds)."""
    return [Problem(path, split.field_lines[name], name,
                    f"written twice: this value is used, the one at line {first} is ignored (YAML keeps the last)")
            for name, first in sorted(split.repeated.items(), key=lambda item: item[1])]


def split_file(source: SourceFile) -> Split:
    """A source's front matter and body; a file that is not text or whose front matter cannot be read
    raises `BuildFailed` with its one problem."""
    try:
        return split_source(decode_source(source))
    except FrontMatterError as exc:
        raise BuildFailed([Problem(source.path, exc.line, "front matter", str(exc))]) from None
    except ContentError as exc:
        raise BuildFailed([exc.problem]) from None
