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

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
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


def schedule(members: Mapping[str, Sequence[Slot]], reshares: tuple[timedelta, ...],
             hours_for: Callable[[str], tuple[time, ...]], tz: ZoneInfo, min_gap: timedelta) -> dict[str, Lane]:
    """Each network's lane, from the slots of the posts it shares (`members`) and its posting hours."""
    lanes: dict[tuple[tuple[time, ...], tuple[Slot, ...]], Lane] = {}
    result = {}
    for network, slots in members.items():
        key = (hours_for(network), tuple(slots))
        if key not in lanes:
            lanes[key] = _lane(key[1], reshares, key[0], tz, min_gap)
        result[network] = lanes[key]
    return result


def _lane(slots: tuple[Slot, ...], reshares: tuple[timedelta, ...], hours: tuple[time, ...], tz: ZoneInfo,
          min_gap: timedelta) -> Lane:
    """Slots at their wanted times, in order of (time, post URL, variant), each `min_gap` after the previous."""
    wanted = sorted(((wanted_time(slot, reshares, hours, tz), slot) for slot in slots),
                    key=lambda pair: (pair[0], pair[1].post_url, pair[1].number))
    items = []
    previous: datetime | None = None
    for when, slot in wanted:
        if previous is not None and when < previous + min_gap:
            when = _round_up(previous + min_gap)
        items.append((when, slot))
        previous = when
    return Lane(tuple(items))


def _round_up(moment: datetime) -> datetime:
    """`moment` rounded up to a multiple of five minutes (seconds dropped)."""
    exact = moment.replace(second=0, microsecond=0)
    if exact < moment:
        exact += timedelta(minutes=1)
    extra = exact.minute % 5
    return exact + timedelta(minutes=(5 - extra) % 5)
