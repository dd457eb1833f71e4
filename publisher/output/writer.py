"""Writing the built site: only inside the output directory, all or nothing.

Changed files are first written to a staging folder inside the output
directory; only when every file has been produced are they moved into place
(`os.replace`, atomic per file) and stale files removed. A build that fails
while producing files leaves the previous output exactly as it was. Files
whose bytes did not change are not touched, so their modification times (and
rsync/CDN caches) survive a rebuild.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from itertools import chain, takewhile
from pathlib import Path
from typing import Literal

from publisher.core.errors import ContentError
from publisher.core.files import FileState, files_in, state_of
from publisher.core.slugs import is_plain_path, url_key
from publisher.output.files import OutputFile
from publisher.output.walk import STAGING_NAME, EarlyWalk, Found

# Marks a folder as publisher's: files in it that a build does not produce are
# removed. A non-empty folder without it is refused, so a mistyped --output can
# never delete someone's documents.
MARKER_NAME = ".publisher-output"
MARKER_TEXT = b"This folder is built by publisher. Files a build does not produce are removed from it.\n"

# The modes of what a build puts in the output, whatever the umask of the shell that ran it or the mode of the
# file it came from: a web server reads the output as another user (nginx as www-data), and rsync -a, tar and
# zip carry each file's mode to the host. Under umask 077 (a hardened laptop or CI runner) pages were written
# 0600 in folders 0700, which the host answered with 403, and the same input gave other modes on each machine.
FILE_MODE = 0o644
FOLDER_MODE = 0o755
# Windows keeps no such modes (a file it can write reads back as 0o666): there a mode is never found wrong
MODES_KEPT = os.name != "nt"


@dataclass(frozen=True, slots=True)
class OutputListing:
    """The files a write left in its output folder, the folder `kept` apart. Given to the next write into
    the same folder, it finds the stale files by difference instead of walking every folder: for `serve`,
    whose folder no one else writes to."""

    kept: str
    files: frozenset[str]


@dataclass(frozen=True, slots=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int
    listing: OutputListing | None = None  # what the output holds now (None for a write `within` a folder)
    changed: frozenset[str] | None = None  # the paths written or removed (None: a walk removed files, untold)
    found: dict[str, FileState] | None = None  # each file the output holds and its state, as the walk for stale
    # files left it (see `Walked`; None: no walk of the whole output, or it met a link)

    @property
    def total(self) -> int:
        return self.written + self.unchanged


def write_output(files: Iterable[OutputFile], out_dir: Path, *, owned: bool = False, within: str = "",
                 kept: str = "", listed: OutputListing | None = None, walk: EarlyWalk | None = None,
                 check: Callable[[Collection[str]], None] | None = None,
                 refuse_files_on_folders: bool = False) -> WriteStats:
    """Make `out_dir` hold exactly `files`; raise (leaving it untouched) if producing them fails.

    `owned`: the folder is publisher's by convention (the site's `output/`), so
    it is claimed even without the marker. `within`: a folder of the output
    (e.g. "pagefind"); then only that folder is made to hold exactly `files`,
    and the rest of the output stays as it is (`serve` writes the search index
    after the pages). `kept`: a folder of the output left as it is, its files
    counted as unchanged (`serve`'s last search index, until the new one).
    `listed`: what the last write into `out_dir` left there (`WriteStats.listing`), when nothing else
    changed the folder since: stale files are found by difference, not by a walk. `walk`: the output walked
    since the build began (`output.walk`), to the same end, for a write of the whole output. A file marked
    `keep` is taken to be on disk as it was written (its maker looked); a walk reports one that is gone.
    `check`: called with every path written once all are made, before any is moved into place: what it raises
    leaves the output as it was. `refuse_files_on_folders`: a file whose path is a folder of another file written
    is an error (a site's build), rather than the later of the two taking the other's place.
    """
    claim_output_dir(out_dir, owned=owned)
    staging = out_dir / STAGING_NAME
    shutil.rmtree(staging, ignore_errors=True)  # left over from a killed build
    staging.mkdir(parents=True)  # staged files sit side by side in it; it goes when the build is written
    staged: dict[str, Path] = {}
    seen: set[str] = set()
    folded: dict[str, OutputFile] = {}  # files with capitals or past ASCII, by their path as a case-insensitive
    # disk compares it: a path in lower case ASCII is its own, and is in `seen` (34,000 keys took 16-25 ms)
    kept_files: list[str] = []
    published_as_is: dict[str, OutputFile] = {}  # the static files among them, to name one in a problem
    relinked: list[str] = []  # files left as they were whose state may change yet (see `_holds_same`)
    unchanged = 0
    found: Found | None = walk.found() if walk is not None and not (within or kept) else None
    cache_files = _CacheFiles()
    try:
        written = listed.files if listed is not None else frozenset()  # each path checked when it was written
        for index, file in enumerate(files):
            rel = file.path if file.path in written and file.path != MARKER_NAME else safe_relative_path(file.path)
            if within and not rel.startswith(within + "/"):
                raise ContentError(rel, None, "path", f"outside {within}/, the only folder this write may change")
            if rel in seen:
                raise _written_twice(rel, file, published_as_is.get(rel))
            if not (rel.isascii() and rel.islower()) or rel in folded:  # else none written so far clashes with it
                _check_one_on_every_disk(rel, file, folded, seen)
            seen.add(rel)
            if file.keep:  # its maker looked (see `OutputFile.keep`): the walk below makes sure it is still there
                kept_files.append(rel)
                continue
            if file.linked and file.source is not None:
                walked = found.inode(rel) if found else None
                cached = (file.inode or cache_files.inode(file.source)) if walked else None
                if walked is not None and walked == cached:  # still its cache file: told without a call or a
                    unchanged += 1  # path joined (20,000 cards and index files at 10,000 posts)
                    continue
                held = _holds_same(os.path.join(out_dir, rel), file.source, walked)
                if held:
                    unchanged += 1
                    if held != "linked":  # linked to an older cache file, which may go: its link count changes
                        relinked.append(rel)
                    if held == "copy":
                        _adopt(os.path.join(out_dir, rel), file.source, staging / f"adopt-{index}")
                    continue
                linked = staging / str(index)
                if _link(file.source, linked):  # a name, not a copy: no bytes read or written
                    staged[rel] = linked
                    continue
            staged_path = staging / str(index)
            if file.data is None and file.source is not None:  # a file published as it is (a static file):
                # compared and copied a block at a time, never read whole (a 4 GB file took 4 GB of memory)
                published_as_is[rel] = file
                if _same_file(out_dir / rel, file.source):
                    unchanged += 1
                    continue
                shutil.copyfile(file.source, staged_path)
                staged[rel] = staged_path
                continue
            data = file.read()
            if same_bytes(out_dir / rel, data):
                unchanged += 1
                continue
            staged_path.write_bytes(data)
            staged[rel] = staged_path
        if any(map(_may_clash_with_a_folder, folded.values())):  # else no two folders clash
            _check_folders_on_every_disk(seen, folded)
        # A path that is a file on disk already is no folder of another: a write of no new path looks at none
        if refuse_files_on_folders and _any_new_path(seen, listed, found):
            _check_no_file_where_a_folder_is(seen, published_as_is)
        if check is not None:
            check(seen)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    way = _Way(out_dir)
    for rel, staged_path in staged.items():
        target = out_dir / rel
        way.clear(target)
        _readable_by_all(staged_path)
        os.replace(staged_path, target)
    shutil.rmtree(staging, ignore_errors=True)
    seen.add(MARKER_NAME)
    changed: frozenset[str] | None
    states: dict[str, FileState] | None = None
    if listed is not None and listed.kept == kept and not within:
        gone = _remove_listed(out_dir, {rel for rel in listed.files - seen if not _inside(rel, kept)})
        removed, changed = len(gone), frozenset(staged).union(gone)
    elif found is not None:  # walked early: the stale files are found by difference, as for `listed`
        _check_kept(kept_files, found.files.__contains__)
        gone = _remove_listed(out_dir, found.files.keys() - seen, found.empty)
        removed, changed = len(gone), frozenset(staged).union(gone)
        states = found.now(out_dir, seen, {*staged, *relinked})
    else:  # a walk of the output finds what is stale: which files it removed is not told
        walking = Walked()
        removed = remove_stale(out_dir, seen, within, kept, walked=walking)
        changed = None if removed else frozenset(staged)
        if walking.plain:
            top = str(out_dir)
            _check_kept([rel for rel in kept_files if not _inside(rel, kept)],
                        lambda rel: os.path.join(top, rel.replace("/", os.sep)) in walking.states)
        states = walking.states if walking.plain and not (within or kept) else None
    listing = None if within else OutputListing(kept, frozenset(seen))
    return WriteStats(len(staged), unchanged + len(kept_files) + _count_files(out_dir, kept), removed, listing,
                      changed, states)


def _shown(file: OutputFile) -> str:
    """How a problem names an output file: by its source when it has one (`static/Img/x.png`), else its path."""
    source = _source_of(file)
    return Path(source).as_posix() if source else file.path


def _written_twice(rel: str, file: OutputFile, earlier: OutputFile | None) -> ContentError:
    """The error for a second file at `rel` (`earlier`: the first, when it is a static file). Named at the static
    file when one of the two is, and the other is a file the build makes (`static/feed.xml` beside the feed): only
    that one can be renamed or removed. Named before at `feed.xml`, which is no file of the writer's."""
    static = [one for one in (earlier, file) if one is not None and _source_of(one) is not None]
    if len(static) == 1:
        return ContentError(_shown(static[0]), None, "path",
                            f"the build writes a file of its own to {rel}: rename or remove this one")
    return ContentError(_shown(file), None, "path", f"two files would be written to {rel} (rename one of them)")


def _source_of(file: OutputFile) -> str | Path | None:
    """The site's file an output file is published from (a static file); None for a file publisher made, kept in
    its cache or not: a problem named at `.publisher-cache/pages-kept/23/23972b…` told the writer nothing, and
    named another file once the cache was gone (`--no-cache`, a CI build) or publisher's code changed."""
    return None if file.linked else file.source


def _check_one_on_every_disk(rel: str, file: OutputFile, folded: dict[str, OutputFile], seen: set[str]) -> None:
    """Refuse a path that differs from one already written only in case or Unicode form (`Img/x.png`, `img/x.png`;
    `café` typed, `café` from a Mac's file name): a Mac's or Windows' disk holds one file for both, so a build
    there lost one of them without a word, and the site differed from a Linux build. Named at a source file of
    the two, when one has a source (a static file clashing with a page publisher makes). `rel`: a path with
    capitals or past ASCII, or one in `folded`; `seen`: the paths written so far."""
    key = url_key(rel)
    other = folded.setdefault(key, file)
    if other is file and (key == rel or key not in seen):
        return
    other_path = key if other is file else other.path  # else a path in lower case ASCII, written before
    named = other if other is not file and _source_of(other) is not None and _source_of(file) is None else file
    raise ContentError(_shown(named), None, "path", f"{rel} and {other_path} differ only in case or Unicode form: "
                                                    "on macOS and Windows one would overwrite the other (rename one "
                                                    "of them)")


def _may_clash_with_a_folder(file: OutputFile) -> bool:
    """Whether a path with capitals or past ASCII may be one folder with another on a Mac's or Windows' disk: its
    folders are not in lower case ASCII (`Img/a.png`), or its name has no extension (`Docs`, as `docs/` may be)."""
    folder, _, name = file.path.rpartition("/")
    return url_key(folder) != folder or "." not in name


def _check_folders_on_every_disk(seen: set[str], folded: dict[str, OutputFile]) -> None:
    """Refuse two folders, or a folder and a file, that differ only in case or Unicode form (`Img/a.png` beside
    `img/b.png`): a Mac's or Windows' disk holds one folder for both, so a build there put both files in `Img/`,
    and `/img/b.png` was missing from the site it made (a case-sensitive host has no `img/`). `seen`: every path
    written; `folded`: those with capitals or past ASCII, by key (`_check_one_on_every_disk`). Called only when
    one of those has such a folder: a site whose folders are all in lower case ASCII pays nothing."""
    spelled: dict[str, tuple[str, str]] = {}  # each folder's key: (the folder as first written, a path in it)
    for rel in sorted(seen):  # sorted: the same clash is named whatever order the files came in
        folder = rel.rpartition("/")[0]
        while folder:
            first = spelled.setdefault(url_key(folder), (folder, rel))
            if first[0] != folder:
                _refuse_folder(first, folder, rel, folded)
            if first[1] != rel:  # known already, and so is every folder above it
                break
            folder = folder.rpartition("/")[0]
    for key, first in spelled.items():  # a file where another disk has this folder (`Docs` beside `docs/a.html`)
        file = folded[key].path if key in folded else key if key in seen else first[0]
        if file != first[0]:
            _refuse_folder(first, file, file, folded)


def _any_new_path(seen: set[str], listed: OutputListing | None, found: Found | None) -> bool:
    """Whether a path written is not a file of the output already, as the last write's listing or the walk has
    it (True when neither is known)."""
    if listed is not None:
        return not listed.files >= seen
    if found is not None:
        return not found.files.keys() >= seen
    return True


def _check_no_file_where_a_folder_is(seen: set[str], published_as_is: dict[str, OutputFile]) -> None:
    """Refuse a file whose path is a folder of another file written (`static/welcome` beside the post at
    `welcome/index.html`, or a post whose slug is `publisher-manifest.json` on a site that publishes its ping
    manifest there): a disk holds one of the two, and the one written last took the other's place without a
    word, the page (or the file) missing from a build that said it succeeded. Named at the static file of the
    two, when one is."""
    folders: set[str] = set()
    for rel in seen:
        folder = rel.rpartition("/")[0]
        while folder and folder not in folders:  # a folder known already: so is every folder above it
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    clashes = folders & seen
    if not clashes:
        return
    file = min(clashes)  # the same clash named whatever order the files came in
    inside = min(rel for rel in seen if rel.startswith(file + "/"))
    named = next((published_as_is[rel] for rel in (file, inside) if rel in published_as_is), None)
    raise ContentError(_shown(named) if named is not None else file, None, "path",
                       f"{file} would be a file and the folder of {inside} too: a disk holds one of the two, and "
                       "the site would lack the other (rename one of them)")


def _refuse_folder(first: tuple[str, str], other: str, rel: str, folded: dict[str, OutputFile]) -> None:
    """Raise for the folder `first` (the folder, a path in it) and `other`, a folder or file one disk holds as one
    with it; `rel`: the path that has `other`. Named at a source file of the two paths, if one has a source."""
    files = [folded[url_key(path)] for path in (rel, first[1]) if url_key(path) in folded]
    named = next((file for file in files if _source_of(file) is not None), None)
    what = "folder and file" if rel == other else "folders"
    raise ContentError(_shown(named) if named is not None else rel, None, "path",
                       f"{first[0]}/ and {other}{'' if rel == other else '/'} differ only in case or Unicode form: on "
                       f"macOS and Windows these {what} are one (rename one of them)")


def _check_kept(kept_files: list[str], is_there: Callable[[str], bool]) -> None:
    """Every file marked `keep` is in the output, as a walk found it (`is_there`, by path from the output
    folder): one removed meanwhile by someone else is reported, and the next build, finding no such page,
    makes it."""
    for rel in kept_files:
        if not is_there(rel):
            raise ContentError(rel, None, "path", "was removed from the output while the build ran; build again")


def write_ahead(files: Iterable[OutputFile], out_dir: Path) -> dict[str, bytes | None]:
    """Write these few files into `out_dir` now, each in one step, before the build's `write_output` (`serve`
    writes first the pages a writer waits on). Returns what each file whose bytes changed held before (None: it
    was not there), for `undo_ahead` if the build fails. Writes nothing into a folder no build has claimed yet,
    nor where a folder stands; `write_output` still makes the folder hold exactly the build's files."""
    if not (out_dir / MARKER_NAME).is_file():
        return {}
    before: dict[str, bytes | None] = {}
    for file in files:
        try:
            rel = safe_relative_path(file.path)
        except ContentError:  # the build's own write reports it
            continue
        data, old = file.read(), _bytes_of(out_dir / rel)
        if data == old or _in_the_way(out_dir, rel):
            continue
        before[rel] = old
        _replace(out_dir, rel, data)
    return before


def _bytes_of(path: Path) -> bytes | None:
    """The file's bytes; None when there is no file to read."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _in_the_way(out_dir: Path, rel: str) -> bool:
    """A folder stands where the file goes, or a file where one of its folders goes (`write_output` clears it)."""
    return (out_dir / rel).is_dir() or any((out_dir / folder).is_file() for folder in Path(rel).parents[:-1])


def undo_ahead(out_dir: Path, before: dict[str, bytes | None]) -> None:
    """Put back what `write_ahead` replaced (`before`, from it): the build it was ahead of failed. A file that
    cannot be put back is left (the next write finds it differs from what it writes)."""
    for rel, data in before.items():
        with contextlib.suppress(OSError):
            if data is None:
                _remove_listed(out_dir, {rel})  # and the folders it leaves empty
            else:
                _replace(out_dir, rel, data)


def _replace(out_dir: Path, rel: str, data: bytes) -> None:
    """The file at `rel` holds `data`, in one step (staged in the staging folder, which the next write empties)."""
    staging = out_dir / STAGING_NAME
    staging.mkdir(exist_ok=True)
    staged = staging / "ahead"
    staged.write_bytes(data)
    _readable_by_all(staged)
    _make_folders((out_dir / rel).parent, out_dir)
    os.replace(staged, out_dir / rel)
    shutil.rmtree(staging, ignore_errors=True)


def _inside(rel: str, folder: str) -> bool:
    return bool(folder) and rel.startswith(folder + "/")


def _remove_listed(out_dir: Path, stale: Collection[str], empty: Collection[str] = ()) -> list[str]:
    """Remove these files of the output (paths from `out_dir`) and these `empty` folders, and the folders that
    leaves empty; the files removed."""
    removed = []
    for rel in sorted(stale):
        try:
            os.unlink(out_dir / rel)
        except OSError:  # gone already, or a folder of this build's files stands there now
            continue
        removed.append(rel)
        _remove_empty_folders(out_dir, Path(rel).parents[:-1])
    for rel in sorted(empty, reverse=True):  # the deepest first
        _remove_empty_folders(out_dir, [Path(rel), *Path(rel).parents[:-1]])
    return removed


def _remove_empty_folders(out_dir: Path, folders: Iterable[Path]) -> None:
    """Remove each of these folders (paths from `out_dir`, the deepest first) while it is empty."""
    for folder in folders:
        try:
            os.rmdir(out_dir / folder)
        except OSError:  # not empty
            break


def _count_files(out_dir: Path, folder: str) -> int:
    return sum(len(names) for _, _, names in os.walk(out_dir / folder)) if folder else 0


class _CacheFiles:
    """The cache files linked into the output, told by their folders' listings (`files_in`): whether the output's
    file is still the cache file it was linked to, without a look at either (10,000 cards and 10,000 index
    fragments at 10,000 posts). A folder is listed when its first file comes: its files are made before they
    are handed to the writer, and a cache file's name says what it holds. (A maker that listed the folder itself
    gives each file's inode with it, `OutputFile.inode`: the cards' folder is then not listed again.)"""

    def __init__(self) -> None:
        self.folders: dict[str, dict[str, tuple[int, int]]] = {}

    def inode(self, source: str | Path) -> tuple[int, int] | None:
        """(the device, the inode) of the cache file at `source`, as its folder was listed; None when unknown."""
        folder, name = os.path.split(source)
        listed = self.folders.get(folder)
        if listed is None:
            listed = self.folders[folder] = files_in(folder)
        return listed.get(name)


def _holds_same(target: str, source: str | Path, walked: tuple[int, int] | None = None
                ) -> Literal["linked", "copy", "apart", ""]:
    """Whether the output's file at `target` is `source` ("linked", by an earlier write) or a plain file of the
    same bytes ("copy"; "apart" on another file system), else "": a cache file made again with the same bytes (a
    search index part made anew, where most of its hundreds of files come out the same) leaves the output's
    file as it is. `walked`: (the device, the inode) of the file at `target` as the early walk found it, which
    tells a link without a look at the output. (The writer tells most links before it asks: the walk's inode
    against the one `source`'s folder listing found, `_CacheFiles`, without a look at either.)"""
    try:
        theirs = os.stat(source)
        if walked == (theirs.st_dev, theirs.st_ino):
            return "linked"
        mine = os.lstat(target)
        if os.path.samestat(mine, theirs):
            return "linked"
        if not stat.S_ISREG(mine.st_mode) or mine.st_size != theirs.st_size:
            return ""
        if not _same_blocks(target, source):
            return ""
        return "copy" if mine.st_dev == theirs.st_dev else "apart"
    except OSError:
        return ""


def _adopt(target: str, source: str | Path, staged: Path) -> None:
    """The cache file at `source` replaced by a link to the output's file at `target`, which holds the same bytes
    (`_holds_same` said "copy"): the output's file stays as it is, and the next write tells the two the same by
    their inode, without reading either. A search index part made anew comes out with most of its hundreds of
    files the same as the output holds; left apart, each would be read again at every build from then on (all
    16 parts' 11,000 files at 10,000 posts, once each part was made again once: 0.3 s a build). `staged`: a free
    name in the output's staging folder, on the output's file system. Where no link can be made there, or the
    cache file cannot be replaced, nothing changes."""
    try:
        os.link(target, staged)
    except OSError:
        return
    try:
        os.replace(staged, source)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(staged)


def _readable_by_all(path: Path) -> None:
    """Give the file at `path` the output's file mode (`FILE_MODE`), unless it has it: a file linked from the
    cache is changed only when its mode differs (a change of mode is a change of the file's state)."""
    if MODES_KEPT and stat.S_IMODE(os.stat(path).st_mode) != FILE_MODE:
        os.chmod(path, FILE_MODE)


def _make_folders(folder: Path, top: Path) -> None:
    """Make `folder` and those above it up to `top` (already there), each it makes with `FOLDER_MODE`."""
    missing = [each for each in takewhile(top.__ne__, chain((folder,), folder.parents)) if not each.is_dir()]
    folder.mkdir(parents=True, exist_ok=True)
    for each in missing:
        os.chmod(each, FOLDER_MODE)


def _link(source: str | Path, staged: Path) -> bool:
    """Hard-link `source` at `staged`; False where links cannot be made (another file system)."""
    try:
        os.link(source, staged)
    except OSError:
        return False
    return True


def claim_output_dir(out_dir: Path, *, owned: bool = False) -> None:
    """Create the output folder, or accept an existing one only if it is empty or publisher's own."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ContentError(str(out_dir), None, "output", "is a file, not a folder")
    marker = out_dir / MARKER_NAME
    if not owned and out_dir.is_dir() and not marker.is_file() and any(out_dir.iterdir()):
        raise ContentError(str(out_dir), None, "output",
                           "is not empty and was not built by publisher; choose an empty or new folder "
                           "(publisher removes files it did not write from its output)")
    if not out_dir.is_dir():
        out_dir.mkdir(parents=True)
        os.chmod(out_dir, FOLDER_MODE)
    if not marker.is_file():
        marker.write_bytes(MARKER_TEXT)
        os.chmod(marker, FILE_MODE)
    elif MODES_KEPT and stat.S_IMODE(marker.stat().st_mode) != FILE_MODE:  # an older build's, under a private
        _open_to_all(out_dir)  # umask: the files it left unchanged since would keep modes no web server can read


def _open_to_all(out_dir: Path) -> None:
    """Give every file and folder of the output its mode (`FILE_MODE`, `FOLDER_MODE`), the marker last: once
    it has its mode, this is not done again."""
    for folder, folders, files in os.walk(out_dir):
        folders[:] = [name for name in folders if name != STAGING_NAME]
        for name in folders:
            if not os.path.islink(os.path.join(folder, name)):
                os.chmod(os.path.join(folder, name), FOLDER_MODE)
        for name in files:
            if name != MARKER_NAME and not os.path.islink(os.path.join(folder, name)):
                os.chmod(os.path.join(folder, name), FILE_MODE)
    os.chmod(out_dir, FOLDER_MODE)
    os.chmod(out_dir / MARKER_NAME, FILE_MODE)


def safe_relative_path(path: str) -> str:
    """Refuse any output path that could land outside the output directory, or is not written plainly
    (`a/b.html`: no leading, doubled or trailing slash, no `.` or `..` part, no backslash or NUL)."""
    if not is_plain_path(path):  # 34,000 paths at 10,000 posts
        raise ContentError(path, None, "path", "would be written outside the output directory")
    first = path.split("/", 1)[0]
    if first in (STAGING_NAME, MARKER_NAME):
        raise ContentError(path, None, "path", f"{first} is reserved by publisher")
    return path


def _same_file(path: Path, source: str | Path) -> bool:
    """Whether the file at `path` (not a link) holds the bytes of the file at `source`."""
    try:
        mine, theirs = os.lstat(path), os.stat(source)
        return (stat.S_ISREG(mine.st_mode) and mine.st_size == theirs.st_size
                and (os.path.samestat(mine, theirs) or _same_blocks(path, source)))
    except OSError:
        return False


def _same_blocks(one: str | Path, other: str | Path) -> bool:
    """Whether two files of the same size hold the same bytes, read a megabyte at a time."""
    with open(one, "rb") as first, open(other, "rb") as second:
        while True:
            block = first.read(1 << 20)
            if block != second.read(1 << 20):
                return False
            if not block:
                return True


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        return (path.is_file() and not path.is_symlink() and path.stat().st_size == len(data)
                and path.read_bytes() == data)
    except OSError:
        return False


class _Way:
    """The way cleared for each file a write moves into the output: what an older build left in it (a folder or a
    link where the file goes, a file or a link where one of its folders goes) removed, and its folders made.
    Each folder is looked at and made once, not once for each file in it, and a file in a folder this write made
    is not looked for (34,000 files in 13,000 folders at 10,000 posts, into an output folder a CI build starts
    empty)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.ready: set[Path] = {out_dir}  # folders found or made to be folders, with every folder above them
        self.made: set[Path] = set()  # those this write made: nothing of an older build is in them

    def clear(self, target: Path) -> None:
        folder = target.parent
        if folder not in self.ready:
            self._make(folder)
        if folder in self.made and target not in self.ready:  # (a folder this write made for other files)
            return
        mode = _mode(target)
        if mode is not None and stat.S_ISDIR(mode):
            shutil.rmtree(target)
            self.ready = {kept for kept in self.ready if kept != target and target not in kept.parents}
        elif mode is not None and stat.S_ISLNK(mode):
            target.unlink()

    def _make(self, folder: Path) -> None:
        """Make `folder`, where a file or a link of an older build stands in the way of it or of a folder above."""
        above = list(takewhile(self.out_dir.__ne__, chain((folder,), folder.parents)))  # nearest first
        for each in above:
            if each in self.ready:
                break
            mode = _mode(each)
            if mode is not None and (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                each.unlink()
                mode = None
            if mode is None:
                self.made.add(each)
        folder.mkdir(parents=True, exist_ok=True)
        for each in above:
            if each in self.made and each not in self.ready:
                os.chmod(each, FOLDER_MODE)
        self.ready.update(above)


def _mode(path: Path) -> int | None:
    """The mode of what stands at `path` (a link's own), or None when nothing can (a file where a folder of its
    path goes, say)."""
    try:
        return os.lstat(path).st_mode
    except OSError:
        return None


def remove_stale(out_dir: Path, keep: set[str], within: str = "", kept: str = "", *,
                 walked: Walked | None = None) -> int:
    """Remove every file under `out_dir` (or its folder `within`) that is not in `keep`, then empty folders;
    leave the folder `kept` as it is. Returns how many files were removed; `walked` is told what was left."""
    top = str(out_dir)
    start = os.path.join(top, within) if within else top
    pruning = _Pruning(top, keep, os.path.join(top, kept), walked)
    return _prune(start, pruning)[0] if os.path.isdir(start) else 0


@dataclass(slots=True)
class Walked:
    """What a walk for stale files left: each file's state, by its path joined to the output folder's as
    `os.scandir` joins it; `plain` is False when one of them is a symbolic link (whose state a walk that
    follows links takes from its target)."""

    states: dict[str, FileState] = field(default_factory=dict)
    plain: bool = True

    def note(self, entry: os.DirEntry[str]) -> None:
        """Note a file left: its state, or that it is a link (or could not be `stat`ed)."""
        try:
            if not entry.is_symlink():
                self.states[entry.path] = state_of(entry.stat())
                return
        except OSError:
            pass
        self.plain = False


@dataclass(frozen=True, slots=True)
class _Pruning:
    top: str
    keep: set[str]  # paths from `top`, e.g. "a/index.html"
    left_out: str  # a folder left as it is
    walked: Walked | None = None  # told what is left


def _prune(folder: str, pruning: _Pruning) -> tuple[int, bool]:
    """(files removed below `folder`, whether it is empty now); folders emptied below it are removed. A link
    to a folder is removed as a stale file would be (a build writes no such link)."""
    removed = remaining = 0
    prefix = "" if folder == pruning.top else folder[len(pruning.top) + 1:].replace(os.sep, "/") + "/"
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                count, empty = (0, False) if entry.path == pruning.left_out else _prune(entry.path, pruning)
                removed += count
                if empty:
                    os.rmdir(entry.path)
                else:
                    remaining += 1
            elif prefix + entry.name in pruning.keep and not (entry.is_symlink() and entry.is_dir()):
                remaining += 1
                if pruning.walked is not None:
                    pruning.walked.note(entry)
            else:
                removed += not entry.is_dir()  # a link to a folder is not counted as a file
                os.unlink(entry.path)
    return removed, remaining == 0
