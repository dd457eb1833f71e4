"""The share feed's files in `output/share/`: JSON Feed, CSV for bulk schedulers, the schema.

- `share.json`: a JSON Feed 1.1 of every item the plan carries, with a
  `_publisher` extension object per item (described by `share-feed.schema.json`,
  written next to it).
- `<scheduler>/<network>/<ISO week>.csv` (sprout, buffer, hootsuite): one
  network's upcoming items of one week, which is what a bulk import into one
  profile wants, each week imported once; `-2`, `-3`… past 350 rows. Times and
  weeks are in `[share] scheduler_timezone` (default: the site's). No Buffer file
  for a network whose link is a field: Buffer's CSV has no column to carry it.
- `pinterest/pinterest/<ISO week>.csv`: Pinterest's own bulk upload, once
  `[share.networks.pinterest] board` names the board (`share.pins` has its rules):
  times in UTC, `-2`, `-3`… past 200 rows or for a row whose link or image a
  row of the file has already.

Each network's RSS feed (`<network>.xml`) is written by `feeds.share_rss`, the
one module that uses feedgen.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from publisher.config.model import SiteConfig
from publisher.content.urls import SHARE_FOLDER, Urls
from publisher.core.memo import Memo
from publisher.feeds.syndication import JSON_FEED_VERSION, KeptFiles, kept_or_made, share_rss
from publisher.output.files import OutputFile
from publisher.pages.recipes import RecipeDigests
from publisher.share import pins
from publisher.share.plan import ShareItem, SharePlan
from publisher.social.linkedin import little_text
from publisher.social.networks import LinkDisplay, Network
from publisher.social.schedule import ROUNDING

FOLDER = SHARE_FOLDER.lstrip("/")
SCHEMA_NAME = "share-feed.schema.json"


def share_files(plan: SharePlan, cfg: SiteConfig, memo: Memo[tuple[OutputFile, ...]] | None = None,
                kept: KeptFiles | None = None) -> Iterator[OutputFile]:
    """Every public file of the share feed (none when sharing is off): without the items of posts not yet
    published, unless `[share] publish_scheduled`.

    `memo`: the files as an earlier build of this process made them (`serve`), reused for the same items,
    networks and items due by now (a save that changes no share item writes the same feed). `kept`: the files
    the last `publisher build` wrote, and what from (as for the feeds, `feeds.syndication.feed_files`): files
    made from the very same items, networks and items due, and on disk as written, are left as they are (the
    feed's JSON, CSV and each network's RSS took 0.035 s a build at 10,000 posts)."""
    if not cfg.share.enabled:
        return
    shown = plan if cfg.share.publish_scheduled else plan.published()
    inputs = (shown.items, shown.networks, tuple(item.scheduled <= shown.now for item in shown.items))
    recipe = RecipeDigests(kept.recipe_salt).of(("share feed", *inputs)) if kept else None
    paths = _feed_makers(shown, cfg, FOLDER) if recipe else {}  # the files, by path
    make = partial((memo or Memo()).get, FOLDER, inputs, lambda: tuple(_feed_files(shown, cfg, FOLDER)))
    yield from kept_or_made(kept, recipe, paths, make)


def private_share_files(plan: SharePlan, cfg: SiteConfig) -> Iterator[OutputFile]:
    """The share feed with the announcements of posts not yet published, for `.publisher/share/` (outside the
    public output): only when there are some and they are not published anyway."""
    if cfg.share.enabled and not cfg.share.publish_scheduled and plan.has_ahead:
        yield from _feed_files(plan, cfg, "share/")


def _feed_files(plan: SharePlan, cfg: SiteConfig, folder: str) -> Iterator[OutputFile]:
    for path, make in _feed_makers(plan, cfg, folder).items():
        yield OutputFile(path, make())


def _feed_makers(plan: SharePlan, cfg: SiteConfig, folder: str) -> dict[str, Callable[[], bytes]]:
    """The share feed's files in `folder`, each by its path with what makes its bytes (asked only when needed)."""
    urls, zone = Urls(cfg), cfg.scheduler_tz
    makers: dict[str, Callable[[], bytes]] = {folder + SCHEMA_NAME: schema_bytes,
                                              folder + "share.json": partial(share_json, plan, cfg, urls)}
    for network in plan.networks:
        # The plan keeps `recent`.
        makers[f"{folder}{network}.xml"] = partial(_network_rss, plan, network, cfg)
    for network in plan.networks:
        for name, scheduler in schedulers_for(cfg.share.profiles[network], cfg.share.pinterest_board).items():
            written_zone = scheduler.zone or zone
            taken = written_apart([item for item in plan.upcoming(network) if scheduler.takes(item)], written_zone,
                                  cfg.share.min_gap)
            for week, part, items in scheduler_batches(taken, zone, scheduler.rows, scheduler.apart):
                path = f"{folder}{name}/{network}/{week}{'' if part == 1 else f'-{part}'}.csv"
                makers[path] = partial(_scheduler_csv, scheduler.table, items, written_zone)
    return makers


ROWS_PER_FILE = 350  # Hootsuite's and Sprout's bulk-upload limit


def _takes_all(item: ShareItem) -> bool:
    return True


def _shares_nothing(item: ShareItem) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True, slots=True)
class Scheduler:
    """A scheduler's bulk-upload CSV: how it writes one network's rows, which items it takes and how many rows
    one file may hold."""

    table: Callable[[list[ShareItem]], bytes]
    rows: int = ROWS_PER_FILE
    takes: Callable[[ShareItem], bool] = _takes_all  # an item it would refuse gets no row
    apart: Callable[[ShareItem], tuple[str, ...]] = _shares_nothing  # values no two rows of one file may share
    zone: ZoneInfo | None = None  # the zone it reads times in (None: `[share] scheduler_timezone`)


def schedulers_for(network: Network, pinterest_board: str = "") -> dict[str, Scheduler]:
    """The schedulers whose CSV can carry the network's items whole, by name. Buffer's has no link column and a
    network whose link is a field (Pinterest's destination link, Reddit's link post) has no link in its text: a
    Buffer row would make a pin or post that links nowhere, so such a network gets no Buffer file. Pinterest's
    own bulk upload takes the `pinterest` network's items once the board they are saved to is known."""
    names = [name for name in SCHEDULERS if not (name == "buffer" and network.link_display is LinkDisplay.FIELD)]
    chosen = {name: SCHEDULERS[name] for name in names}
    if network.name == "pinterest" and pinterest_board:
        chosen["pinterest"] = pinterest_scheduler(pinterest_board)
    return chosen


def _network_rss(plan: SharePlan, network: str, cfg: SiteConfig) -> bytes:
    return share_rss(network, plan.due(network), cfg)


def _scheduler_csv(table: Callable[[list[ShareItem]], bytes], items: list[ShareItem], zone: ZoneInfo) -> bytes:
    """A scheduler's CSV of these items, their times in `zone` (the one the scheduler reads them in)."""
    return table([replace(item, scheduled=scheduler_time(item.scheduled, zone)) for item in items])


def scheduler_time(moment: datetime, zone: ZoneInfo) -> datetime:
    """`moment` as a CSV without an offset can say it in `zone`. A wall-clock time that comes twice as the clocks
    go back (01:30 on New York's first Sunday of November) names the first of the two to a scheduler: the second
    is written as the first time after the repeated hour that comes once (02:00), so that an item goes out a
    little late, never an hour early (an announcement before its page is out)."""
    local = moment.astimezone(UTC).astimezone(zone)  # by way of UTC: the same zone's astimezone changes nothing
    while local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        local = (local.astimezone(UTC) + ROUNDING).astimezone(zone)
    return local


def written_apart(items: list[ShareItem], zone: ZoneInfo, gap: timedelta) -> list[ShareItem]:
    """`items` by time, each at the time a CSV in `zone` says (`scheduler_time`), at least `gap` after the one
    before it both on the clock and as time passes. The plan keeps a network's items `gap` apart as time passes,
    but the hour the clocks show twice is written as the hour after it: two items in it were both written 02:00,
    and Sprout Social refuses a file with two messages of a profile closer than 10 minutes. A moved item goes out
    later, never earlier."""
    spaced: list[ShareItem] = []
    for item in sorted(items, key=lambda i: (i.scheduled.astimezone(UTC), i.id)):
        when = scheduler_time(item.scheduled, zone)
        while spaced and _too_soon_after(spaced[-1].scheduled, when, gap):
            when = scheduler_time((when.astimezone(UTC) + ROUNDING).astimezone(zone), zone)
        spaced.append(replace(item, scheduled=when))
    return spaced


def _too_soon_after(earlier: datetime, later: datetime, gap: timedelta) -> bool:
    """Whether `later` is within `gap` of `earlier` as its clock reads or as time passes (times of one zone)."""
    on_the_clock = later.replace(tzinfo=None) - earlier.replace(tzinfo=None)
    return on_the_clock < gap or later.astimezone(UTC) - earlier.astimezone(UTC) < gap


def scheduler_batches(items: list[ShareItem], zone: ZoneInfo, rows: int = ROWS_PER_FILE,
                      apart: Callable[[ShareItem], tuple[str, ...]] = _shares_nothing
                      ) -> Iterator[tuple[str, int, list[ShareItem]]]:
    """(ISO week, part, items) of one network's upcoming items: a file per week of the scheduler's zone, so
    each week is imported once, split into parts of at most `rows` rows, no two rows of a part sharing a value
    of `apart` (Pinterest refuses a link or a title twice in one file)."""
    weeks: dict[str, list[ShareItem]] = {}
    for item in sorted(items, key=lambda i: (i.scheduled.astimezone(UTC), i.id)):
        iso = item.scheduled.astimezone(zone).isocalendar()
        weeks.setdefault(f"{iso.year}-W{iso.week:02d}", []).append(item)
    for name, week in weeks.items():
        for part, batch in enumerate(_parts(week, rows, apart), start=1):
            yield name, part, batch


def _parts(items: list[ShareItem], rows: int, apart: Callable[[ShareItem], tuple[str, ...]]
           ) -> list[list[ShareItem]]:
    """`items` in files, each item, in order, in the first file with room that holds none of its `apart` values."""
    parts: list[tuple[list[ShareItem], set[str]]] = []
    for item in items:
        values = set(apart(item))
        part = next((p for p in parts if len(p[0]) < rows and not values & p[1]), None)
        if part is None:
            part = ([], set())
            parts.append(part)
        part[0].append(item)
        part[1].update(values)
    return [batch for batch, _ in parts]


def schema_bytes() -> bytes:
    """The JSON Schema of share.json, as shipped in the package."""
    return resources.files(__package__).joinpath(SCHEMA_NAME).read_bytes()


def share_json(plan: SharePlan, cfg: SiteConfig, urls: Urls) -> bytes:
    """A JSON Feed 1.1 whose items are the texts to post, by scheduled time."""
    about = urls.absolute(f"/{FOLDER}{SCHEMA_NAME}")
    document = {
        "version": JSON_FEED_VERSION,
        "title": f"{cfg.title}: share feed",
        "home_page_url": cfg.url,
        "feed_url": urls.absolute(f"/{FOLDER}share.json"),
        "description": f"Ready-to-post texts linking to {cfg.title}, one item per network and variant.",
        "language": cfg.language,
        "authors": [{"name": cfg.title, "url": cfg.url}],
        "items": [_json_item(item, about) for item in plan.items],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(item: ShareItem, about: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": item.id,
        "url": item.link,
        "title": item.title or item.post_title,
        "content_text": item.text,
        "date_published": item.scheduled.isoformat(),
    }
    if item.image:
        data["image"] = item.image
    if item.tags:
        data["tags"] = list(item.tags)
    extension: dict[str, Any] = {
        "about": about,
        "network": item.network,
        "variant": item.variant,
        "kind": item.kind,
        "post_url": item.post_url,
        "count": item.count,
        "limit": item.limit,
        "unit": item.unit,
        "cta": item.cta,
    }
    if item.image:
        extension["image_alt"] = item.image_alt
    if item.network == "linkedin":  # the Posts API cuts a plain text at its first "(" or "#"
        extension["linkedin_commentary"] = little_text(item.text)
    if item.facets:
        extension["facets"] = list(item.facets)
    if item.portable_text:
        extension["text_with_link"] = item.portable_text  # the link in full, where facets cannot go
    if item.network == "bluesky":
        extension["embed"] = bluesky_embed(item)
    data["_publisher"] = extension
    return data


def bluesky_embed(item: ShareItem) -> dict[str, Any]:
    """Bluesky's link card (`app.bsky.embed.external`) for the item: the client uploads `thumb` as a blob."""
    external = {"uri": item.link, "title": item.post_title, "description": item.summary}
    if item.image:
        external["thumb"] = item.image
    return {"$type": "app.bsky.embed.external", "external": external}


def _csv(rows: list[list[str]], header: list[str] | None) -> bytes:
    """RFC 4180: comma-separated, CRLF line ends, fields quoted when they need it; UTF-8."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def with_link_column(item: ShareItem) -> tuple[str, str]:
    """The message and the link column for a scheduler that takes the link in a field of its own and adds it
    after the message (Hootsuite, Sprout).

    Where the link ends its line (`Read the full piece: <link>`), it is taken out and what led into it moves to
    the end, where the link will follow: same pieces, same length once the link is added, so it still fits the
    network. Where words follow the link on its line (a writer's `Read {url} today`), or it is there twice,
    moving it would change what the text says (`Read today <link>`): the message is the text as it is, the
    link in it, and the link column is left empty, so the link is not added a second time."""
    text = item.text_with_link
    lines = text.split("\n")
    at = next((n for n, line in enumerate(lines) if item.link in line), None)
    if at is None:  # the link is a field of the network's own (Pinterest, Reddit)
        return text, item.link
    if text.count(item.link) > 1 or not lines[at].rstrip().endswith(item.link):
        return text, ""
    lead = lines[at].rstrip().removesuffix(item.link).strip()
    rest = "\n".join(lines[:at] + lines[at + 1:]).strip("\n")
    rest = re.sub(r"\n{3,}", "\n\n", rest)
    return (f"{rest}\n\n{lead}" if lead and rest else rest or lead), item.link


def sprout_csv(items: list[ShareItem]) -> bytes:
    """Sprout Social bulk scheduling: date (mm/dd/yyyy), time_24hr, message_text, link (not in the message)."""
    return _csv([[i.scheduled.strftime("%m/%d/%Y"), i.scheduled.strftime("%H:%M"), *with_link_column(i)]
                 for i in items], ["date", "time_24hr", "message_text", "link"])


def buffer_csv(items: list[ShareItem]) -> bytes:
    """Buffer bulk upload: Text (the link in it), Image URL, Tags (comma-separated), Posting Time
    (yyyy-mm-dd hh:mm), and the image's alt text."""
    return _csv([[i.text_with_link, i.image, ",".join(i.tags), i.scheduled.strftime("%Y-%m-%d %H:%M"),
                  i.image_alt if i.image else ""] for i in items],
                ["Text", "Image URL", "Tags", "Posting Time", "Image Alt Text"])


def hootsuite_csv(items: list[ShareItem]) -> bytes:
    """Hootsuite bulk composer: no header; date and time (mm/dd/yyyy hh:mm), message, link (which Hootsuite
    adds after the message: it is not in the message too)."""
    return _csv([[i.scheduled.strftime("%m/%d/%Y %H:%M"), *with_link_column(i)] for i in items], None)


def pinterest_csv(items: list[ShareItem], board: str) -> bytes:
    """Pinterest's bulk upload: Title, Media URL (the Pin's image), Pinterest board, Thumbnail (a video's cover:
    empty), Description (on one line, as the file takes it), Link, Publish date (yyyy-mm-ddThh:mm:ss, UTC),
    Keywords (the post's tags). See `share.pins`."""
    return _csv([_pin_row(item, board) for item in items], list(pins.HEADER))


def _pin_row(item: ShareItem, board: str) -> list[str]:
    keywords = ", ".join(tag.replace(",", " ") for tag in item.tags)  # a comma would split a tag in two
    return [item.title or item.post_title, item.image, board, "", _one_line(item.text), item.link,
            item.scheduled.astimezone(UTC).strftime(pins.DATE_FORMAT), keywords]


def _one_line(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def _pin_takes(item: ShareItem) -> bool:
    return not pins.pin_image_problem(item.image)  # a Pin is an image: an item without one is told of in the plan


def _pin_apart(item: ShareItem) -> tuple[str, ...]:
    """What two rows of one file may not share: Pinterest's bulk upload refuses a link or a title twice in a file,
    and rows sharing an image have failed after the first."""
    return (f"link {item.link}", f"image {item.image}", f"title {item.title or item.post_title}")


def pinterest_scheduler(board: str) -> Scheduler:
    """Pinterest's own bulk upload, saving each Pin to `board`: at most 200 rows, a link, an image and a title once a
    file, times in UTC."""
    return Scheduler(partial(pinterest_csv, board=board), pins.MAX_ROWS, _pin_takes, _pin_apart, ZoneInfo("UTC"))


SCHEDULERS = {"sprout": Scheduler(sprout_csv), "buffer": Scheduler(buffer_csv), "hootsuite": Scheduler(hootsuite_csv)}
