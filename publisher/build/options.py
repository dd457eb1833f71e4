"""What a build is asked to do, and the folders that follows from before any setting is read.

A module of its own, light to import: `publisher build` reads its options and starts Pagefind early
(`build.launch`) before it loads the rest of the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from publisher.core.hashing import digest

if TYPE_CHECKING:  # not imported to run: `publisher build` reads its options before it loads any stage
    from publisher.feeds.sitemap_split import SitemapLimits

CACHE_NAME = ".publisher-cache"  # the cache folder's, next to the config
OUTPUT_NAME = "output"  # the output folder's, next to the config


@dataclass(frozen=True, slots=True)
class BuildOptions:
    config: Path = Path("publisher.toml")
    output: Path | None = None
    cache_dir: Path | None = None  # default: .publisher-cache/ next to the config
    use_cache: bool = True
    workers: int = 0  # processes each pool starts; 0: `worker_plan` (PUBLISHER_WORKERS, else per core and memory)
    drafts: bool = False
    future: bool = False
    strict: bool = False
    base_url: str | None = None
    now: datetime | None = None  # default: SOURCE_DATE_EPOCH, else the clock
    record_urls: bool = False  # add the published URLs to publisher.urls (a publishing build)
    search_later: bool = False  # write the pages first and leave the search index to BuildReport.search_index
    team_files: bool = True  # write .publisher/ (calendar, announcements ahead); not for serve's preview URLs
    search_parts: str = ""  # the name the search index's parts are kept by in the cache ("": the output folder's)
    page_copies: bool = True  # keep each page written in the cache, for a build whose output lost it
    # (`build.page_copies`); not for `check`'s scratch output, removed once checked
    sitemap_limits: SitemapLimits | None = None  # what one sitemap file holds (None: sitemaps.org's), smaller in tests

    @property
    def root(self) -> Path:
        """The site's folder: the config's (`SiteConfig.root`)."""
        return self.config.parent

    def output_dir(self) -> Path:
        """The folder the build writes: `output`, relative to the working folder, else output/ next to the config."""
        if self.output is None:
            return self.root / OUTPUT_NAME
        return self.output if self.output.is_absolute() else Path.cwd() / self.output

    def cache_folder(self) -> Path | None:
        """The cache folder the build uses; None with `use_cache` off."""
        if not self.use_cache:
            return None
        return self.cache_dir or self.root / CACHE_NAME


def output_key(out_dir: Path) -> str:
    """What the cache names the files it keeps for the output folder `out_dir` by (`model-<key>.json`, ...)."""
    return digest(str(out_dir.resolve()))[:16]


def search_store(folder: Path, name: str) -> Path:
    """Where the cache in `folder` keeps the parts of a search index (see `pages.search.Shards`), by `name`: the
    output folder's key (`output_key`), or the name a build gives them (`BuildOptions.search_parts`)."""
    return folder / f"search-{name}"
