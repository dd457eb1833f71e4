"""When an item goes out, from its post's date and the network's posting hours: a date without a time, and the
days the clocks change (`publisher.social.schedule`)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from publisher.social.schedule import Slot, Spacing, next_posting_hour, schedule, wanted_time

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HOURS = (time(2, 30), time(9, 0))
DAY = (timedelta(days=1),)


def test_a_date_without_a_time_is_announced_at_a_posting_hour_however_long_the_lag() -> None:
    """`publish_lag = "24h"` (a daily build) after `date: 2026-12-10`: the next posting hour, not midnight."""
    slot = Slot("/p/", 0, datetime(2026, 12, 10, tzinfo=STOCKHOLM))
    hours = (time(9, 0), time(17, 0))
    assert wanted_time(slot, DAY, hours, STOCKHOLM, lag=timedelta(hours=24)) == datetime(2026, 12, 11, 9, 0,
                                                                                         tzinfo=STOCKHOLM)
    assert wanted_time(slot, DAY, hours, STOCKHOLM) == datetime(2026, 12, 10, 9, 0, tzinfo=STOCKHOLM)


def test_a_posting_hour_the_clocks_skip_is_the_time_they_show() -> None:
    """02:30 on the night the clocks go from 02:00 to 03:00 does not happen: the item goes at 03:30, written so."""
    found = next_posting_hour(datetime(2027, 3, 28, 1, 30, tzinfo=STOCKHOLM), HOURS, STOCKHOLM)
    assert found.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert (found.hour, found.minute, found.utcoffset()) == (3, 30, timedelta(hours=2))


def test_the_publish_lag_is_time_passing_and_a_reshare_day_is_the_calendars() -> None:
    """Across the night the clocks go forward: `publish_lag = "24h"` is 24 hours (the build that publishes the page
    runs in between), while a re-share "a day" after a 09:00 post is at 09:00 the next day."""
    published = datetime(2027, 3, 27, 9, 0, tzinfo=STOCKHOLM)
    announced = wanted_time(Slot("/p/", 0, published), DAY, (time(9, 0),), STOCKHOLM, lag=timedelta(hours=24))
    assert announced.astimezone(UTC) - published.astimezone(UTC) == timedelta(hours=24)
    assert (announced.hour, announced.minute) == (10, 0)
    reshared = wanted_time(Slot("/p/", 1, published), DAY, (time(9, 0),), STOCKHOLM)
    assert reshared == datetime(2027, 3, 28, 9, 0, tzinfo=STOCKHOLM)


def test_a_time_rounded_up_into_the_hour_the_clocks_skip_is_the_time_they_show() -> None:
    """A post at 00:58 with an hour's lag is due at 01:58, rounded up to five minutes: that is 03:00 as the clocks
    go from 02:00 to 03:00, not a 02:00 that never comes (written so in a scheduler's CSV, which refuses it)."""
    slot = Slot("/p/", 0, datetime(2027, 3, 28, 0, 58, tzinfo=STOCKHOLM))
    due = wanted_time(slot, DAY, HOURS, STOCKHOLM, lag=timedelta(hours=1))
    assert due.astimezone(UTC) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)
    assert (due.hour, due.minute, due.utcoffset()) == (3, 0, timedelta(hours=2))


def test_announcements_min_gap_apart_are_that_far_apart_as_time_passes_across_a_clock_change() -> None:
    """Two announcements due at 02:55, as the clocks go back from 03:00 to 02:00: the second goes out ten minutes
    after the first (02:05 the second time), not at 03:05, an hour and ten minutes later."""
    due = datetime(2026, 10, 25, 2, 55, tzinfo=STOCKHOLM)  # 00:55 UTC, before the clocks go back
    slots = [Slot(f"/p{n}/", 0, due) for n in range(2)]
    lane = schedule({"x": slots}, DAY, lambda _: HOURS, STOCKHOLM, Spacing())["x"]
    first, second = (when.astimezone(UTC) for when, _ in lane.items)
    assert first == datetime(2026, 10, 25, 0, 55, tzinfo=UTC) and second - first == timedelta(minutes=10)
