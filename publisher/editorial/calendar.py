"""The editorial calendar: scheduled posts and upcoming share items as an iCalendar file (RFC 5545).

The team subscribes to it in their calendar app. Pure: the site and the share
plan in, bytes out. It names posts not yet published, so the build writes it
to `.publisher/calendar.ics` unless `[calendar] publish = true` puts it in
`output/`.

Same input, same bytes, and each event keeps its UID from build to build, so
a calendar app moves a rescheduled event instead of showing a new one:

- UIDs are digests of what identifies the thing, never of its time: a post's
  `id` (else its site-relative URL), a share item's id (stable once it is out).
- DTSTAMP, which RFC 5545 requires, is the event's own time rather than the
  clock's: it changes exactly when the event is moved.
- Times are written in UTC, so the file needs no VTIMEZONE; apps show them in
  the reader's zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from publisher.config.model import SiteConfig
from publisher.content.model import Entry
from publisher.content.urls import Urls
from publisher.core.hashing import digest
from publisher.core.memo import Kept
from publisher.output.files import OutputFile
from publisher.share.plan import ShareItem, SharePlan
from publisher.site.model import Site

if TYPE_CHECKING:  # icalendar loads only for a build that writes the calendar
    from icalendar import Event

CALENDAR_PATH = "calendar.ics"
PRODUCT_ID = "-//publisher//editorial calendar//EN"
POST_LENGTH = timedelta(minutes=30)  # a publication is a moment; apps show a zero-length event poorly
SHARE_LENGTH = timedelta(minutes=15)
_NETWORK_NAMES = {"x": "X", "linkedin": "LinkedIn"}  # the rest read well capitalised


def calendar_file(site: Site, share: SharePlan, cfg: SiteConfig, kept: Kept | None = None) -> OutputFile:
    """`calendar.ics`: every scheduled post and every share item still to go out; as `kept` keeps it by its
    events and the `icalendar` that wrote it, if given (a calendar unchanged since the last build is not
    written again, which takes importing `icalendar`: 0.03 s)."""
    planned = _planned(site.scheduled, share.upcoming(), cfg)
    if kept is None:
        return OutputFile(CALENDAR_PATH, _document(planned, cfg.title))

    def make() -> str:  # kept as JSON text
        return _document(planned, cfg.title).decode("utf-8")

    writer = version("icalendar")  # another one may write the same events otherwise
    document: str = kept(digest("calendar", writer, PRODUCT_ID, cfg.title, repr(planned)), make)
    return OutputFile(CALENDAR_PATH, document.encode("utf-8"))


def _planned(posts: Iterable[Entry], items: Iterable[ShareItem], cfg: SiteConfig) -> tuple[_Planned, ...]:
    urls, domain = Urls(cfg), urlsplit(cfg.url).hostname or "localhost"
    return (*(_planned_post(entry, urls, domain) for entry in posts), *(_planned_share(item, domain) for item in items))


def _document(planned: Iterable[_Planned], title: str) -> bytes:
    """An iCalendar document with one event per post (at its date) and per share item (at its time).

    With nothing planned it holds no event: RFC 5545 asks for at least one
    component, but calendar apps (and `icalendar`) read an empty one as an
    empty calendar, which is the truth, where leaving the old file would not be.
    """
    from icalendar import Calendar, vText

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # Escaped as TEXT, an X- property's default type (RFC 5545 3.8.8.2): icalendar writes a plain string for an
    # X- property as it is, where a title's "," ";" or "\" is syntax (a "\n" in it read as a line break). On one
    # line: a calendar's name has none.
    calendar.add("x-wr-calname", vText(f"{' '.join(title.split())}: editorial calendar"))
    for event in planned:
        calendar.add_component(event.event())
    document: bytes = calendar.to_ical()
    return document


def _planned_post(entry: Entry, urls: Urls, domain: str) -> _Planned:
    post = entry.post
    lines = [post.source, urls.uri(post.url)] + ([post.summary] if post.summary else [])
    return _Planned(uid=f"post-{digest('post', post.id or post.url)[:24]}@{domain}", start=post.published,
                    length=POST_LENGTH, summary=f"Post: {post.title}", description="\n".join(lines),
                    url=urls.uri(post.url), categories=("post",))


def _planned_share(item: ShareItem, domain: str) -> _Planned:
    return _Planned(uid=f"share-{digest('share', item.id)[:24]}@{domain}", start=item.scheduled,
                    length=SHARE_LENGTH, summary=f"{network_name(item.network)}: {item.post_title}",
                    description=item.text_with_link, url=item.link, categories=("share", item.network))


@dataclass(frozen=True, slots=True)
class _Planned:
    """One event of the calendar, before it is written."""

    uid: str
    start: datetime
    length: timedelta
    summary: str
    description: str
    url: str
    categories: tuple[str, ...]

    def event(self) -> Event:
        from icalendar import Event

        event = Event()
        event.add("uid", self.uid)
        event.add("dtstamp", self.start.astimezone(UTC))
        event.add("dtstart", self.start.astimezone(UTC))
        event.add("duration", self.length)
        event.add("summary", self.summary)
        event.add("description", self.description)
        event.add("url", self.url)
        event.add("categories", list(self.categories))
        return event


def network_name(network: str) -> str:
    """A network as people write it: "X", "LinkedIn", "Mastodon"."""
    return _NETWORK_NAMES.get(network, network[:1].upper() + network[1:])
