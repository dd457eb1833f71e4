"""When each share item goes out: pure arithmetic on dates, no text involved.

- The announcement goes out `publish_lag` after the post's date, so that the
  build publishing the page has run (a post dated without a time of day, i.e.
  at local midnight, at the network's first posting hour of that day, if that
  is later).
- Re-share *n* goes out `reshares[n-1]` after publication, moved to the next
  posting hour of its network; re-shares beyond the configured offsets (a post
  with more pull quotes than offsets) keep the last interval.
- Every time is rounded up to a multiple of five minutes, which is what bulk
  schedulers such as Hootsuite accept.
- Announcements are placed first, each at its wanted time or `min_gap` after
  another announcement of that network. Re-shares then fill posting hours: one
  item per posting hour (nothing within `min_gap` of it), at most `daily_cap`
  items a day on a network, and with `weekdays_only` none on a Saturday or a
  Sunday; a re-share whose hour is taken moves to the next free posting hour,
  so a busy day spreads over the next ones rather than bunching.

The same slots always give the same times, whatever order they come in.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

ROUNDING = timedelta(minutes=5)


class Slot(NamedTuple):
    """One item to schedule: a post's variant (a tuple: hashed in C, there are many)."""

    post_url: str
    number: int  # 0: the announcement; n: the n-th re-share
    published: datetime


@dataclass(frozen=True, slots=True)
class Lane:
    """One network's items in time order. Networks with the same posts and hours share a lane."""

    items: tuple[tuple[datetime, Slot], ...]

    def window(self, now: datetime, recent: int) -> tuple[tuple[datetime, Slot], ...]:
        """The `recent` latest items due at `now`, then every upcoming one."""
        first_upcoming = bisect_right(self.items, now, key=lambda item: item[0])
        return self.items[max(0, first_upcoming - recent):]


def wanted_time(slot: Slot, reshares: tuple[timedelta, ...], hours: tuple[time, ...], tz: ZoneInfo,
                lag: timedelta = timedelta()) -> datetime:
    """When `slot` would go out if nothing else were scheduled on its network: an announcement `lag` after
    the post's date at the earliest (the build that publishes the page runs in between)."""
    published = slot.published.astimezone(tz)
    if slot.number == 0:
        earliest = published + lag
        if published.time() == time(0, 0):
            return _round_up(max(datetime.combine(published.date(), hours[0], tzinfo=tz), earliest))
        return _round_up(earliest)
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


@dataclass(frozen=True, slots=True)
class Spacing:
    """How a network's items keep apart (`[share.schedule]`)."""

    min_gap: timedelta = timedelta(minutes=10)
    daily_cap: int = 3  # items a day on one network, announcements included; re-shares wait for room
    weekdays_only: bool = False  # re-shares only Monday to Friday
    publish_lag: timedelta = timedelta()  # an announcement waits this long after its post's date


def schedule(members: Mapping[str, Sequence[Slot]], reshares: tuple[timedelta, ...],
             hours_for: Callable[[str], tuple[time, ...]], tz: ZoneInfo, spacing: Spacing) -> dict[str, Lane]:
    """Each network's lane, from the slots of the posts it shares (`members`) and its posting hours."""
    lanes: dict[tuple[tuple[time, ...], tuple[Slot, ...]], Lane] = {}
    result = {}
    for network, slots in members.items():
        key = (hours_for(network), tuple(slots))
        if key not in lanes:
            lanes[key] = _lane(key[1], reshares, key[0], tz, spacing)
        result[network] = lanes[key]
    return result


def _lane(slots: tuple[Slot, ...], reshares: tuple[timedelta, ...], hours: tuple[time, ...], tz: ZoneInfo,
          spacing: Spacing) -> Lane:
    """Announcements at their times (apart by `min_gap`), then re-shares in free posting hours."""
    wanted = sorted(((wanted_time(slot, reshares, hours, tz, spacing.publish_lag), slot) for slot in slots),
                    key=lambda pair: (pair[1].number > 0, pair[0], pair[1].post_url, pair[1].number))
    taken: list[datetime] = []  # sorted
    per_day: dict[date, int] = {}
    items = []
    for when, slot in wanted:
        if slot.number == 0:
            while _too_close(when, taken, spacing.min_gap):
                when = _round_up(when + spacing.min_gap)
        else:
            when = _free_hour(when, hours, tz, spacing, taken, per_day)
        insort(taken, when)
        day = when.astimezone(tz).date()
        per_day[day] = per_day.get(day, 0) + 1
        items.append((when, slot))
    return Lane(tuple(sorted(items, key=lambda pair: (pair[0], pair[1].post_url, pair[1].number))))


def _free_hour(when: datetime, hours: tuple[time, ...], tz: ZoneInfo, spacing: Spacing, taken: list[datetime],
               per_day: dict[date, int]) -> datetime:
    """The first posting hour at or after `when` with nothing near it, on a day with room (a weekday if asked)."""
    for _ in range(len(hours) * 400):  # a year of posting hours: more than any lane needs
        local = when.astimezone(tz)
        full = per_day.get(local.date(), 0) >= spacing.daily_cap
        weekend = spacing.weekdays_only and local.weekday() >= 5
        if not full and not weekend and not _too_close(when, taken, spacing.min_gap):
            return when
        later = when + timedelta(minutes=1)
        when = _round_up(next_posting_hour(later if not (full or weekend) else _next_day(local, tz), hours, tz))
    raise AssertionError("a free posting hour always comes within a year")


def _next_day(local: datetime, tz: ZoneInfo) -> datetime:
    return datetime.combine(local.date() + timedelta(days=1), time(0, 0), tzinfo=tz)


def _too_close(when: datetime, taken: list[datetime], gap: timedelta) -> bool:
    at = bisect_left(taken, when - gap + timedelta(microseconds=1))
    return at < len(taken) and taken[at] < when + gap


def _round_up(moment: datetime) -> datetime:
    """`moment` rounded up to a multiple of five minutes (seconds dropped)."""
    exact = moment.replace(second=0, microsecond=0)
    if exact < moment:
        exact += timedelta(minutes=1)
    extra = exact.minute % 5
    return exact + timedelta(minutes=(5 - extra) % 5)
