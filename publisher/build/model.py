"""The incremental model: what each stage of the last builds made, and from what (see `core.memo`).

`serve` keeps one `SiteModel` for as long as it runs, so a save re-reads only
the files that changed, renders only their Markdown, and re-makes only the
share items and pages whose inputs are no longer what they were. Everything a
stage reads outside its inputs (settings, templates, the theme, publisher's
version) is in the model's salt: when the salt changes, nothing kept is used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from publisher.build.inputs import FileStates, Stat
from publisher.core.memo import Memo
from publisher.core.spool import Spool
from publisher.output.writer import OutputListing


@dataclass
class SiteModel:
    salt: str = ""  # settings, templates, version: what every kept result was made with
    found: Memo[Any] = field(default_factory=Memo)  # the source files of each kind, by the files listed
    sources: Memo[Any] = field(default_factory=Memo)  # path -> what the file parsed to (build.sources.Parsed)
    checks: Memo[Any] = field(default_factory=Memo)  # each check across all sources: its problems, by what it read
    share_checks: Memo[Any] = field(default_factory=Memo)  # source -> its share settings' problems, by its post
    bodies: Memo[Any] = field(default_factory=Memo)  # source -> its finished body (build.bodies.Finished)
    links: Memo[Any] = field(default_factory=Memo)  # the sources' URLs, by the very posts (build.bodies)
    related: Memo[Any] = field(default_factory=Memo)  # the related posts of every post, by source (site.clusters)
    placements: Memo[Any] = field(default_factory=Memo)  # each post's placement, by source (site.funnel)
    shares: Memo[Any] = field(default_factory=Memo)  # source -> its share settings and variants
    share_outlines: Memo[Any] = field(default_factory=Memo)  # source -> what the share schedule reads of them
    lanes: Memo[Any] = field(default_factory=Memo)  # the share schedule's lanes, by the slots they were made for
    share_items: Memo[Any] = field(default_factory=Memo)  # each share item, by what it is made from (share.plan)
    share_feed: Memo[Any] = field(default_factory=Memo)  # the share feed's files, by its items (share.outputs)
    previews: Memo[Any] = field(default_factory=Memo)  # source -> its post's link-preview card (images.previews)
    views: Memo[Any] = field(default_factory=Memo)  # source -> the entry's template view (pages.render)
    pages: Memo[Any] = field(default_factory=Memo)  # output path -> the page's fingerprint (pages.render)
    feeds: Memo[Any] = field(default_factory=Memo)  # feed folder -> its files (feeds.syndication)
    sitemap: Memo[Any] = field(default_factory=Memo)  # its URLs by the posts, the sitemap by them (feeds.sitemap)
    templates: Memo[Any] = field(default_factory=Memo)  # the theme's compiled page templates (pages.render)
    site_reads: Memo[Any] = field(default_factory=Memo)  # template -> what it reads of the site's view (pages.render)
    spool: Spool = field(default_factory=Spool)  # the HTML of the finished bodies
    kept_bodies: Any = None  # the finished bodies an earlier process kept (`publisher build`: build.persisted)
    output: OutputListing | None = None  # what the last build left in the output folder (output.writer)
    files: FileStates | None = None  # the files the last build listed (build.inputs): what `Changes` update
    manifest: tuple[Stat, Any] | None = None  # the pages' manifest as last read or written, and its file's state
    warm: bool = False  # a complete build filled it
    whole_bundles: set[str] = field(default_factory=set)  # kept search bundles found whole (`Shards.whole`)

    def begin(self, salt: str) -> None:
        """A build made with `salt` starts: when it differs from the last one's, forget everything."""
        if salt != self.salt:
            for memo in self.memos():
                memo.clear()
            self.spool = Spool()
            self.salt = salt
            self.warm = False
            self.output = None

    def settle(self, *, complete: bool) -> None:
        """A build ended (completely or not): see `Memo.settle`."""
        for memo in self.memos():
            memo.settle(complete=complete)
        self.warm = self.warm or complete

    def memos(self) -> list[Memo[Any]]:
        return [self.found, self.sources, self.checks, self.share_checks, self.bodies, self.links, self.related,
                self.placements, self.previews, self.shares, self.share_outlines, self.lanes, self.share_items,
                self.share_feed, self.views, self.pages, self.feeds, self.sitemap, self.templates, self.site_reads]
