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
  so a busy day spreads over the next ones rather than bunching. A re-share
  that would wait more than `max_delay` (7 days) is left out: a site that
  publishes more than its networks' daily caps take never piles up years of
  re-shares.

The same slots always give the same times, whatever order they come in.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any, NamedTuple
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


def lanes_as_json(lanes: Mapping[str, Lane]) -> dict[str, Any]:
    """The lanes as JSON-ready data for `lanes_from_json`: each distinct lane once, an item as its time's
    wall-clock reading and fold (every time `schedule` gives is in its zone) and its slot's post URL and number;
    then the lane of each network."""
    at: dict[int, int] = {}  # id of a lane -> its place in the list
    distinct: list[list[list[Any]]] = []
    for lane in lanes.values():
        if id(lane) not in at:
            at[id(lane)] = len(distinct)
            distinct.append([[when.replace(tzinfo=None).isoformat(), when.fold, slot.post_url, slot.number]
                             for when, slot in lane.items])
    return {"lanes": distinct, "networks": {network: at[id(lane)] for network, lane in lanes.items()}}


def lanes_from_json(data: Any, slots: Mapping[tuple[str, int], Slot], tz: ZoneInfo) -> dict[str, Lane] | None:
    """The lanes `lanes_as_json` made `data` from, their times in `tz` and their slots those of `slots` by post
    URL and number; None when `data` is not such data, or names a slot that `slots` does not hold."""
    try:
        distinct = [Lane(tuple((_wall_time(wall, fold, tz), slots[(url, number)]) for wall, fold, url, number in items))
                    for items in data["lanes"]]
        networks = data["networks"]
        if not (isinstance(networks, dict) and all(type(at) is int and 0 <= at < len(distinct)
                                                    for at in networks.values()) and all(map(_in_order, distinct))):
            return None
        return {network: distinct[at] for network, at in networks.items()}
    except (KeyError, TypeError, ValueError):
        return None


def _in_order(lane: Lane) -> bool:
    """Whether the lane's items are in the order `_lane` gives them (`Lane.window` looks them up by time)."""
    keys = [(when.astimezone(UTC), slot.post_url, slot.number) for when, slot in lane.items]
    return all(earlier < later for earlier, later in pairwise(keys))


def _wall_time(wall: Any, fold: Any, tz: ZoneInfo) -> datetime:
    """The time `tz`'s clocks read as `wall` (ISO 8601, no offset), the earlier of two such (`fold` 0) or the
    later (1). Raises ValueError for anything else."""
    if type(wall) is not str or type(fold) is not int or fold not in (0, 1):
        raise ValueError("not a wall-clock time")
    moment = datetime.fromisoformat(wall)
    if moment.tzinfo is not None:
        raise ValueError("not a wall-clock time")
    return moment.replace(tzinfo=tz, fold=fold)


def wanted_time(slot: Slot, reshares: tuple[timedelta, ...], hours: tuple[time, ...], tz: ZoneInfo,
                lag: timedelta = timedelta()) -> datetime:
    """When `slot` would go out if nothing else were scheduled on its network: an announcement `lag` after
    the post's date at the earliest (the build that publishes the page runs in between)."""
    published = slot.published.astimezone(tz)
    if slot.number == 0:
        earliest = _after(published, lag, tz)
        if published.time() == time(0, 0):  # a date without a time: at a posting hour, however long the lag
            first = _real(datetime.combine(published.date(), hours[0], tzinfo=tz), tz)
            return _round_up(next_posting_hour(max(first, earliest), hours, tz))
        return _round_up(earliest)
    # A re-share's days are the calendar's: a day after 09:00 is 09:00 the next day, a clock change between or not.
    return _round_up(next_posting_hour(published + reshare_offset(slot.number, reshares), hours, tz))


def _after(moment: datetime, span: timedelta, tz: ZoneInfo) -> datetime:
    """`span` after `moment` as time passes (24 hours after 09:00 the day before the clocks go forward is 10:00),
    in `tz`: the lag is the time the build that publishes the page needs. Python adds to a zone's wall clock."""
    return (moment.astimezone(UTC) + span).astimezone(tz)


def _real(moment: datetime, tz: ZoneInfo) -> datetime:
    """`moment`, a wall-clock time in `tz`, as a time that happens: one a clock change skips (02:30 as the clocks
    go forward at 02:00) is the time the clock shows then (03:30)."""
    return moment.astimezone(UTC).astimezone(tz)


def reshare_offset(number: int, reshares: tuple[timedelta, ...]) -> timedelta:
    """How long after publication the `number`-th re-share is due."""
    if number <= len(reshares):
        return reshares[number - 1]
    last = reshares[-1]
    step = last - (reshares[-2] if len(reshares) > 1 else timedelta())
    return last + step * (number - len(reshares))


def next_posting_hour(moment: datetime, hours: tuple[time, ...], tz: ZoneInfo) -> datetime:
    """The first posting hour at or after `moment`, in `tz`."""
    local, instant = moment.astimezone(tz), moment.astimezone(UTC)
    for days in range(2):
        day = local.date() + timedelta(days=days)
        for hour in hours:
            candidate = _real(datetime.combine(day, hour, tzinfo=tz), tz)
            if candidate.astimezone(UTC) >= instant:  # compared as instants: one zone's are compared as wall times
                return candidate
    raise AssertionError("a posting hour always comes within two days")


@dataclass(frozen=True, slots=True)
class Spacing:
    """How a network's items keep apart (`[share.schedule]`)."""

    min_gap: timedelta = timedelta(minutes=10)
    daily_cap: int = 3  # items a day on one network, announcements included; re-shares wait for room
    weekdays_only: bool = False  # re-shares only Monday to Friday
    publish_lag: timedelta = timedelta()  # an announcement waits this long after its post's date
    max_delay: timedelta = timedelta(days=7)  # a re-share that cannot go out this soon after its time is left out


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
                    key=lambda pair: (pair[1].number > 0, _instant(pair[0]), pair[1].post_url, pair[1].number))
    taken: list[datetime] = []  # sorted, in UTC: one zone's times compare as wall-clock readings, and the hour the
    # clocks go back reads the same twice
    days = _Days(spacing, tz)
    # Where the walk from each wanted time last ended: the times before it were too close then, and stay so (`taken`
    # only grows), so the next walk from that time goes on from there (one step for each announcement taken before
    # at that time, and 4,000 posts of one date took 34 s).
    walked: dict[datetime, datetime] = {}
    items = []
    for when, slot in wanted:
        if slot.number == 0:
            wanted_at = _instant(when)
            when = walked.get(wanted_at, when)
            while _too_close(when, taken, spacing.min_gap):
                when = _round_up(_after(when, spacing.min_gap, tz))  # 10 minutes passing, a clock change or not
            walked[wanted_at] = when
        else:
            latest = when + spacing.max_delay
            when = _free_hour(when, hours, tz, spacing, taken, days)
            if when > latest:  # the network's days are full that long: this re-share would only pile up
                continue
        insort(taken, _instant(when))
        days.add(when)
        items.append((when, slot))
    return Lane(tuple(sorted(items, key=lambda pair: (_instant(pair[0]), pair[1].post_url, pair[1].number))))


def _instant(moment: datetime) -> datetime:
    """`moment` in UTC, to compare and order: two times of one zone compare as its clocks read them, so the second
    02:30 of the night the clocks go back would come before the first 02:55."""
    return moment.astimezone(UTC)


@dataclass
class _Days:
    """Items per local day of one lane, and for each closed day (full, or a weekend with `weekdays_only`) a
    link towards the next open one, shortened as it is followed: a re-share never walks over a run of full
    days one by one (a lane of thousands of re-shares would otherwise take quadratic time)."""

    spacing: Spacing
    tz: ZoneInfo
    counts: dict[date, int] = field(default_factory=dict)
    onward: dict[date, date] = field(default_factory=dict)  # a closed day -> a later day, closer to an open one

    def add(self, when: datetime) -> None:
        day = when.astimezone(self.tz).date()
        self.counts[day] = self.counts.get(day, 0) + 1
        if self.counts[day] >= self.spacing.daily_cap:
            self.onward[day] = day + timedelta(days=1)

    def first_open(self, day: date) -> date:
        """The first day from `day` on on which a re-share may go out."""
        path = []
        while True:
            if self.spacing.weekdays_only and day.weekday() >= 5 and day not in self.onward:
                self.onward[day] = day + timedelta(days=1)
            if day not in self.onward:
                break
            path.append(day)
            day = self.onward[day]
        for passed in path:  # path compression: the next search jumps straight here
            self.onward[passed] = day
        return day


def _free_hour(when: datetime, hours: tuple[time, ...], tz: ZoneInfo, spacing: Spacing, taken: list[datetime],
               days: _Days) -> datetime:
    """The first posting hour at or after `when` with nothing near it, on a day with room (a weekday if asked)."""
    for _ in range(len(hours) * 400):  # a year of posting hours on open days: more than any lane needs
        local = when.astimezone(tz)
        open_day = days.first_open(local.date())
        if open_day != local.date():
            when = _round_up(next_posting_hour(datetime.combine(open_day, time(0, 0), tzinfo=tz), hours, tz))
            continue
        if not _too_close(when, taken, spacing.min_gap):
            return when
        when = _round_up(next_posting_hour(when + timedelta(minutes=1), hours, tz))
    raise AssertionError("a free posting hour always comes within a year")


def _too_close(when: datetime, taken: list[datetime], gap: timedelta) -> bool:
    """Whether an item is within `gap` of `when` as time passes (`taken`: times in UTC, sorted)."""
    instant = _instant(when)
    at = bisect_left(taken, instant - gap + timedelta(microseconds=1))
    return at < len(taken) and taken[at] < instant + gap


def _round_up(moment: datetime) -> datetime:
    """`moment` rounded up to a multiple of five minutes (seconds dropped), as time passes: 01:58 as the clocks go
    from 02:00 to 03:00 is 03:00, not a 02:00 that never comes (which a scheduler refuses). Every zone's offset is a
    multiple of five minutes, so the minutes are a multiple of five in each (a scheduler's zone too)."""
    instant = moment.astimezone(UTC)
    exact = instant.replace(second=0, microsecond=0)
    if exact < instant:
        exact += timedelta(minutes=1)
    extra = exact.minute % 5
    return (exact + timedelta(minutes=(5 - extra) % 5)).astimezone(moment.tzinfo)
