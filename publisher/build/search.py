"""The search index in a build: written with the pages, or, for `serve`, right after them.

A build indexes the pages as they stream to the writer and adds the index at
the end of the same write, so the output is complete and all-or-nothing as
ever. `serve` cannot wait for Pagefind before it reloads the open tabs: it
writes the pages with the last index kept, reloads, then writes the new index
(`PendingIndex`), touching nothing but `pagefind/`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain

from publisher.config.model import SiteConfig
from publisher.core.errors import BuildFailed, ContentError
from publisher.output.files import OutputFile
from publisher.output.writer import WriteStats, write_output
from publisher.pages.search import SEARCH_FOLDER, SearchPages, kept_index, offers_search
from publisher.site.model import Site


def with_search_index(files: Iterable[OutputFile], cfg: SiteConfig, site: Site, *, later: bool
                      ) -> tuple[Iterable[OutputFile], SearchPages | None]:
    """`files`, then the index of their pages (or, with `later`, the index already on disk, kept), and the
    pages noted for a later index (None when the site offers no search or the index is made now)."""
    if not offers_search(cfg, site):
        return files, None
    pages = SearchPages(cfg.output_dir, on_disk=later)
    index = kept_index(cfg.output_dir) if later else pages.bundle()
    return chain(pages.noting(files), index), pages if later else None


@dataclass(frozen=True, slots=True)
class PendingIndex:
    """The search index of pages already written, still to make and write (by `serve`, after the reload)."""

    pages: SearchPages
    cfg: SiteConfig
    owned: bool  # the output folder is publisher's by convention (see `write_output`)
    done: Callable[[], None]  # records the now complete output (the build's stamp)

    def write(self) -> WriteStats:
        """Index the pages and write the index alone; raises BuildFailed when Pagefind fails (pages stay)."""
        return self.commit(self.prepare())

    def prepare(self) -> list[OutputFile]:
        """Run Pagefind over the pages: the index, not written yet (this touches nothing in the output, so a
        newer build may run meanwhile); raises BuildFailed when Pagefind fails."""
        try:
            return list(self.pages.bundle())
        except ContentError as exc:
            raise BuildFailed([exc.problem]) from None

    def commit(self, index: list[OutputFile]) -> WriteStats:
        """Write the prepared index into the output's `pagefind/` alone and record the complete output."""
        try:
            stats = write_output(index, self.cfg.output_dir, owned=self.owned, within=SEARCH_FOLDER)
        except ContentError as exc:
            raise BuildFailed([exc.problem]) from None
        self.done()
        return stats
