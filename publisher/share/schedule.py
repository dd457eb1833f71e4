"""When each share item goes out: pure arithmetic on dates, no text involved.

- The announcement goes out when the post is published (a post dated without a
  time of day, i.e. at local midnight, at the network's first posting hour of
  that day).
- Re-share *n* goes out `reshares[n-1]` after publication, moved to the next
  posting hour of its network; re-shares beyond the configured offsets (a post
  with more pull quotes than offsets) keep the last interval.
- Every time is rounded up to a multiple of five minutes, which is what bulk
  schedulers such as Hootsuite accept.
- Within one network no two items are closer than `min_gap`: in order of
  (wanted time, post URL, variant), each item goes out at its wanted time or
  `min_gap` after the previous one, whichever is later.

The same slots always give the same times, whatever order they come in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

ROUNDING = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class Slot:
    """One item to schedule: a post's variant on a network."""

    network: str
    post_url: str
    number: int  # 0: the announcement; n: the n-th re-share
    published: datetime


def wanted_time(slot: Slot, reshares: tuple[timedelta, ...], hours: tuple[time, ...], tz: ZoneInfo) -> datetime:
    """When `slot` would go out if nothing else were scheduled on its network."""
    published = slot.published.astimezone(tz)
    if slot.number == 0:
        if published.time() == time(0, 0):
            return _round_up(datetime.combine(published.date(), hours[0], tzinfo=tz))
        return _round_up(published)
    return _round_up(next_posting_hour(published + reshare_offset(slot.number, reshares), hours, tz))


def reshare_offset(number: int, reshares: tuple[timedelta, ...]) -> timedelta:
    """How long after publication the `number`-th re-share is due."""
    if number <= len(reshares):
        return reshares[number - 1]
    last = reshares[-1]
    step = last - (reshares[-2] if len(reshares) > 1 else timedelta())
    return last + step * (number - len(reshares))


def next_posting_hour(moment: datetime, hours: tuple[time, ...], tz: ZoneInfo) -> datetime:
    """The first posting hour at or after `moment`, in `tz`."""
    local = moment.astimezone(tz)
    for days in range(2):
        day = local.date() + timedelta(days=days)
        for hour in hours:
            candidate = datetime.combine(day, hour, tzinfo=tz)
            if candidate >= local:
                return candidate
    raise AssertionError("a posting hour always comes within two days")


def schedule(slots: Iterable[Slot], reshares: tuple[timedelta, ...], hours_for, tz: ZoneInfo,
             min_gap: timedelta) -> dict[Slot, datetime]:
    """Every slot's time; `hours_for(network)` gives that network's posting hours."""
    by_network: dict[str, list[tuple[datetime, Slot]]] = defaultdict(list)
    for slot in slots:
        by_network[slot.network].append((wanted_time(slot, reshares, hours_for(slot.network), tz), slot))
    times: dict[Slot, datetime] = {}
    for wanted in by_network.values():
        previous: datetime | None = None
        for when, slot in sorted(wanted, key=lambda pair: (pair[0], pair[1].post_url, pair[1].number)):
            if previous is not None and when < previous + min_gap:
                when = _round_up(previous + min_gap)
            times[slot] = when
            previous = when
    return times


def _round_up(moment: datetime) -> datetime:
    """`moment` rounded up to a multiple of five minutes (seconds dropped)."""
    exact = moment.replace(second=0, microsecond=0)
    if exact < moment:
        exact += timedelta(minutes=1)
    extra = exact.minute % 5
    return exact + timedelta(minutes=(5 - extra) % 5)
