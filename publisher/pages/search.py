"""The readers' search: a Pagefind index of the posts and pages, made from their HTML.

Every page goes to Pagefind, which keeps its own rule: once any page marks
content with `data-pagefind-body`, only marked pages are indexed, and only
what is marked (a theme without the mark gets every page indexed whole). The
default theme marks a post's or page's article and leaves out what every page
repeats (`data-pagefind-ignore` on CTAs, tables of contents, cluster
navigation), so results are posts and pages. Pagefind's index and its own
interface files are output files like any other, under `pagefind/`: the writer
removes stale ones, the up-to-date check sees them, and the same pages give
the same bytes. Readers search in their browser from those files alone.

Pagefind's binary comes in a wheel (`pagefind[bin]`) and runs offline. It is
run as its command-line program over a scratch folder of the pages rather than
through the `pagefind` package's async API, whose service client waits 0.1 s
for each reply (one per page: 3.3 s for the 33 pages of the sample hub against
0.1 s for the command) and cannot read a reply over 2 MiB, as a large site's
in-memory index is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from publisher.config.model import CONFIG_NAME, SiteConfig
from publisher.core.errors import ConfigError
from publisher.output.files import OutputFile
from publisher.site.model import Site

SEARCH_FOLDER = "pagefind"  # in the output; the theme's search page loads pagefind/pagefind-ui.js
MEMORY_FOLDER = Path("/dev/shm")  # Linux's file system in memory, for the scratch copy when it has room
NOT_INDEXED = ".heading-anchor"  # the "#" link publisher's Markdown adds to each heading: not part of its title


def offers_search(cfg: SiteConfig, site: Site) -> bool:
    """Whether the site gets a search page and an index: when search is on and there is something to find
    (Pagefind cannot make an index of nothing)."""
    return cfg.search.enabled and bool(site.posts or site.pages)


class SearchPages:
    """The pages to index, noted as the build's files stream past on their way to the writer.

    `on_disk`: the index is made once the pages are written (`serve`): only their paths are noted, and
    their HTML is read from the output then, so no page is held in memory meanwhile."""

    def __init__(self, out_dir: Path, *, on_disk: bool = False) -> None:
        self.out_dir = out_dir
        self.on_disk = on_disk
        self.html: dict[str, bytes | None] = {}  # output path -> page (None: read it from the output)

    @classmethod
    def in_output(cls, out_dir: Path) -> SearchPages:
        """Every page the output folder holds (as a build notes them: each `.html` file but the index's own)."""
        pages = cls(out_dir, on_disk=True)
        index = out_dir / SEARCH_FOLDER
        for folder, subfolders, files in os.walk(out_dir):
            if Path(folder) == index:
                subfolders.clear()
                continue
            subfolders.sort()
            for name in sorted(files):
                if name.endswith(".html"):
                    pages.html[(Path(folder) / name).relative_to(out_dir).as_posix()] = None
        return pages

    def noting(self, files: Iterable[OutputFile]) -> Iterator[OutputFile]:
        """`files`, unchanged, keeping the HTML of each page (or its path)."""
        for file in files:
            if file.path.endswith(".html"):  # a page kept from the last build is read from the output when indexed
                self.html[file.path] = None if self.on_disk or file.keep else file.read()
            yield file

    def index(self) -> IndexBundle:
        """Pagefind's bundle for the pages noted so far, in a scratch folder (close it when done)."""
        return index_files(_Pages(self.out_dir, self.html))

    def bundle(self) -> Iterator[OutputFile]:
        """The index of the pages noted so far; a generator, so that chained after `noting` it runs once every
        page has gone past."""
        index = self.index()
        try:
            yield from index.files
        finally:
            index.close()


@dataclass(frozen=True, slots=True)
class _Pages(Mapping[str, bytes]):
    """Pages by output path: the HTML noted, else the page as the output holds it."""

    out_dir: Path
    noted: dict[str, bytes | None]

    def __getitem__(self, path: str) -> bytes:
        html = self.noted[path]
        return (self.out_dir / path).read_bytes() if html is None else html

    def __iter__(self) -> Iterator[str]:
        return iter(self.noted)

    def __len__(self) -> int:
        return len(self.noted)

    def size(self) -> int:
        """Bytes of all the pages (those on disk by their size, not read for it)."""
        return sum(len(html) if html is not None else (self.out_dir / path).stat().st_size
                   for path, html in self.noted.items())


@dataclass(frozen=True, slots=True)
class IndexBundle:
    """Pagefind's bundle, waiting in a scratch folder: output files read from there only as they are written
    (at 10,000 posts it is some 50 MB). `close()` removes the folder."""

    files: list[OutputFile]
    scratch: tempfile.TemporaryDirectory[str]

    def close(self) -> None:
        self.scratch.cleanup()


def index_files(pages: _Pages) -> IndexBundle:
    """Pagefind's bundle (index and interface) for `pages` (output path -> HTML), as files under pagefind/.

    The index holds URLs from the output's root (`/about/`); Pagefind's script puts the folder its bundle
    was loaded from in front (`/hub/about/` for a site under /hub/), so the index is the same wherever the
    site lives.
    """
    scratch = tempfile.TemporaryDirectory(prefix="publisher-search-", dir=_scratch_root(pages.size()))
    try:
        site, bundle = Path(scratch.name) / "site", Path(scratch.name) / "bundle"
        site.mkdir()
        for path in sorted(pages):  # in one order: Pagefind's index follows the order the folder was made in
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_bytes(pages[path])
        _run_pagefind(site, bundle)
        shutil.rmtree(site)  # the copies of the pages are done with
        files = [OutputFile(f"{SEARCH_FOLDER}/{file.relative_to(bundle).as_posix()}", source=file)
                 for file in sorted(bundle.rglob("*")) if file.is_file()]
    except BaseException:
        scratch.cleanup()
        raise
    return IndexBundle(files, scratch)


def _scratch_root(size: int) -> Path | None:
    """Where the scratch copy goes: in memory when there is room for it several times over (copying a
    1,000-post site's 28 MB of pages takes 0.06 s there, 1.3 to 2 s on a slow virtual disk), else the system's
    temporary folder (None)."""
    needed = 4 * size
    try:
        roomy = shutil.disk_usage(MEMORY_FOLDER).free > needed and os.access(MEMORY_FOLDER, os.W_OK)
    except OSError:  # no such folder (macOS, Windows)
        return None
    return MEMORY_FOLDER if roomy else None


def _run_pagefind(site: Path, bundle: Path) -> None:
    command = [str(_executable()), "--site", str(site), "--output-path", str(bundle), "--silent",
               "--exclude-selectors", NOT_INDEXED]
    try:
        done = subprocess.run(command, capture_output=True, text=True, errors="replace", check=False)
    except OSError as exc:
        raise _search_error(f"cannot run Pagefind ({exc.strerror or exc})") from None
    if done.returncode != 0:
        said = (done.stderr.strip() or done.stdout.strip() or f"exit status {done.returncode}").splitlines()[-1]
        raise _search_error(f"Pagefind could not index the pages: {said}")


def _executable() -> Path:
    """Pagefind's binary: $PAGEFIND_BINARY_PATH, else the one the `pagefind_bin` wheel brings, else on PATH."""
    from pagefind.service import get_executable  # only a build that indexes needs it

    found = get_executable()
    if found is None:
        raise _search_error("Pagefind's program is missing (pip install 'pagefind[bin]')")
    return found


def _search_error(message: str) -> ConfigError:
    return ConfigError(CONFIG_NAME, None, "search", f"{message}; or turn search off with [search] enabled = false")
