"""The networks' lanes as `publisher build` keeps them on disk (`social.schedule.lanes_as_json`): read back, they
are the lanes scheduled, time for time (zone and fold too), and anything else reads back as nothing."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from publisher.social.schedule import Lane, Slot, Spacing, lanes_as_json, lanes_from_json, schedule

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)
SLOTS = [Slot(f"/p{n}/", number, MONDAY + timedelta(hours=n)) for n in range(6) for number in (0, 1, 2)]
BY_KEY = {(slot.post_url, slot.number): slot for slot in SLOTS}


def scheduled() -> dict[str, Lane]:
    """x and mastodon share one lane (the same posts and hours); linkedin posts at other hours."""
    hours = {"linkedin": (time(8, 0),)}
    return schedule({"x": SLOTS, "mastodon": SLOTS, "linkedin": SLOTS}, (timedelta(days=2), timedelta(days=14)),
                    lambda network: hours.get(network, (time(9, 0), time(17, 0))), BERLIN, Spacing())


def exactly(lanes: dict[str, Lane]) -> dict[str, list[tuple[object, ...]]]:
    """Each item as its wall-clock reading, fold, zone and slot: equal only for the very same times."""
    return {network: [(when.replace(tzinfo=None), when.fold, when.tzinfo, slot) for when, slot in lane.items]
            for network, lane in lanes.items()}


def round_trip(lanes: dict[str, Lane]) -> dict[str, Lane] | None:
    return lanes_from_json(json.loads(json.dumps(lanes_as_json(lanes))), BY_KEY, BERLIN)


def test_lanes_read_back_are_the_lanes_scheduled_and_still_shared() -> None:
    lanes = scheduled()
    back = round_trip(lanes)
    assert back is not None
    assert list(back) == ["x", "mastodon", "linkedin"]
    assert exactly(back) == exactly(lanes) and back == lanes
    assert back["x"] is back["mastodon"] and back["x"] is not back["linkedin"]
    assert len(lanes_as_json(lanes)["lanes"]) == 2  # a shared lane is written once
    assert all(a is b for (_, a), (_, b) in zip(back["x"].items, lanes["x"].items, strict=True))  # the very slots


def test_a_time_the_clocks_show_twice_reads_back_as_the_same_one() -> None:
    # 25 October 2026, 02:30 in Berlin: once in summer time (fold 0), an hour later in winter time (fold 1)
    first = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)
    second = first.replace(fold=1)
    assert second.utcoffset() != first.utcoffset()
    lanes = {"x": Lane(((first, SLOTS[0]), (second, SLOTS[1])))}
    back = round_trip(lanes)
    assert back is not None and exactly(back) == exactly(lanes)
    assert [when.utcoffset() for when, _ in back["x"].items] == [timedelta(hours=2), timedelta(hours=1)]


def damaged(change: Any) -> Any:
    data = json.loads(json.dumps(lanes_as_json(scheduled())))
    change(data)
    return data


@pytest.mark.parametrize("data", [
    None, [], "lanes", {}, {"lanes": []},
    damaged(lambda data: data["lanes"][0][0].__setitem__(2, "/no-such-post/")),  # a slot the posts do not have
    damaged(lambda data: data["lanes"][0][0].__setitem__(3, 7)),
    damaged(lambda data: data["lanes"][0][0].__setitem__(3, "0")),
    damaged(lambda data: data["lanes"][0][0].__setitem__(1, 2)),  # a fold is 0 or 1
    damaged(lambda data: data["lanes"][0][0].__setitem__(1, None)),
    damaged(lambda data: data["lanes"][0][0].__setitem__(0, "2026-11-02T10:00:00+01:00")),  # an offset: not a wall
    damaged(lambda data: data["lanes"][0][0].__setitem__(0, "Monday")),
    damaged(lambda data: data["lanes"][0][0].pop()),
    damaged(lambda data: data["lanes"][0].append("item")),
    damaged(lambda data: data["lanes"][0].insert(0, data["lanes"][0].pop())),  # out of time order
    damaged(lambda data: data["lanes"][0].append(data["lanes"][0][-1])),  # an item twice
    damaged(lambda data: data["networks"].update(x=2)),  # a lane that is not there
    damaged(lambda data: data["networks"].update(x=-1)),
    damaged(lambda data: data["networks"].update(x=True)),
    damaged(lambda data: data["networks"].update(x="0")),
    damaged(lambda data: data.update(networks=[0, 0, 1])),
])
def test_anything_but_lanes_as_written_reads_back_as_nothing(data: Any) -> None:
    assert lanes_from_json(data, BY_KEY, BERLIN) is None
