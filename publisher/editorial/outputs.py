"""What the editorial tools add to a build: files for the public output and files for the team only."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from publisher.config.model import SiteConfig
from publisher.core.memo import Kept
from publisher.editorial.calendar import CALENDAR_PATH, calendar_file
from publisher.editorial.ping import ping_files
from publisher.output.files import OutputFile
from publisher.share.plan import SharePlan
from publisher.site.model import Site


@dataclass(frozen=True, slots=True)
class EditorialFiles:
    public: tuple[OutputFile, ...]  # for output/: the ping manifest, the IndexNow key, the calendar if published
    private: tuple[OutputFile, ...]  # for .publisher/: the calendar unless published (it names unpublished posts)
    private_gone: tuple[str, ...] = ()  # paths in .publisher/ no longer made: the calendar once it is published


def editorial_files(site: Site, share: SharePlan, cfg: SiteConfig, *, team_files: bool,
                    kept_calendar: Kept | None = None) -> EditorialFiles:
    """The calendar (public only with `[calendar] publish = true`; made only where it is written: a build
    without `team_files` writes no private one; as `kept_calendar` keeps it) and the files `publisher ping`
    reads."""
    public = tuple(ping_files(site, cfg))
    calendar = partial(calendar_file, site, share, cfg, kept_calendar)
    if cfg.calendar.publish:  # the private one, from before, would show a calendar app old plans: it goes
        return EditorialFiles((*public, calendar()), (), (CALENDAR_PATH,) if team_files else ())
    return EditorialFiles(public, (calendar(),) if team_files else ())
