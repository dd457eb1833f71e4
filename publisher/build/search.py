"""The search index in a build: written with the pages, or, for `serve`, right after them.

A build indexes the pages as they stream to the writer and adds the index at
the end of the same write, so the output is complete and all-or-nothing as
ever. `serve` cannot wait for Pagefind before it reloads the open tabs: it
writes the pages with the last index kept, reloads, then writes the new index
(`PendingIndex`), touching nothing but `pagefind/`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from publisher.config.model import SiteConfig
from publisher.core.errors import BuildFailed, ContentError
from publisher.core.files import FileState
from publisher.output.files import OutputFile
from publisher.output.writer import WriteStats, write_output
from publisher.pages.search import SEARCH_FOLDER, IndexAhead, IndexBundle, SearchPages, Shards, offers_search
from publisher.site.model import Site


def with_search_index(files: Iterable[OutputFile], cfg: SiteConfig, site: Site, *, store: Path | None,
                      later: bool, ahead: IndexAhead | None = None, walked: Mapping[str, FileState] | None = None,
                      whole: set[str] | None = None) -> tuple[Iterable[OutputFile], SearchPages | None]:
    """`files` (then the index of their pages, unless `later`), and the pages noted (None when the site offers
    no search). With `later` (`pages.on_disk`), the index is made from the pages once written, and the writer
    keeps the last one on disk meanwhile (`write_output(kept=SEARCH_FOLDER)`); else call
    `pages.remember_written()` once they are written. `store`: where the index's parts are kept; `ahead`:
    Pagefind started early on some of them, waited for before the index is made; `walked`: the output's files
    as the early walk found them (the pages kept as they were are not looked at again); `whole`: the kept
    bundles this process found whole (`Shards.whole`: `serve`'s model keeps them)."""
    if not offers_search(cfg, site):
        return files, None
    shards = Shards(cfg.search.shard_size, store, whole if whole is not None else set())
    if later:
        pages = SearchPages(cfg.output_dir, shards, on_disk=True)
        return pages.noting(files), pages
    pages = SearchPages(cfg.output_dir, shards, ahead=ahead, walked=walked)
    return chain(pages.noting(files), pages.bundle()), pages


@dataclass(frozen=True, slots=True)
class PendingIndex:
    """The search index of pages already written, still to make and write (by `serve`, after the reload)."""

    pages: SearchPages
    cfg: SiteConfig
    owned: bool  # the output folder is publisher's by convention (see `write_output`)
    record: Callable[[bool], None]  # records the output for the up-to-date check: (its index written?)

    def write(self) -> WriteStats:
        """Index the pages and write the index alone; raises BuildFailed when Pagefind fails (pages stay)."""
        self.record_pages()
        return self.commit(self.prepare())

    def record_pages(self) -> None:
        """Record the pages as written, their index pending (done after the tabs reload: it lists the output)."""
        self.record(False)

    def done(self) -> None:
        """Record the output as complete: the index on disk is the one of its pages."""
        self.record(True)

    def prepare(self, stop: threading.Event | None = None) -> IndexBundle:
        """Run Pagefind over the pages: the index, not written yet (this touches nothing in the output, so a
        newer build may run meanwhile); raises BuildFailed when Pagefind fails, IndexStopped once `stop` is
        set. Commit or close it."""
        try:
            return self.pages.index(stop)
        except ContentError as exc:
            raise BuildFailed([exc.problem]) from None

    def commit(self, index: IndexBundle) -> WriteStats:
        """Write the prepared index into the output's `pagefind/` alone and record the complete output."""
        try:
            stats = write_output(index.files, self.cfg.output_dir, owned=self.owned, within=SEARCH_FOLDER)
        except ContentError as exc:
            raise BuildFailed([exc.problem]) from None
        finally:
            index.close()
        self.done()
        return stats
