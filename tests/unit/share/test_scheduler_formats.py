"""Each scheduler's CSV as that scheduler's own import reads it: no row it would refuse or misread."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.unit.share.test_round_two import items, run, site_with
from tests.unit.share.test_share_feed import NOW, when

FIELD_NETWORKS = '[share]\npost_to = ["x", "pinterest", "reddit"]\n[share.schedule]\nreshare_after = ["2d"]'


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_a_network_whose_link_is_a_field_gets_no_buffer_file_that_would_lose_the_link(tmp_path: Path) -> None:
    site = site_with(tmp_path, FIELD_NETWORKS,
                     recent=f"title: Recent\ndate: {when(timedelta(days=-1))}\nsummary: What the pin says.")
    report = run(site)
    share = report.output_dir / "share"
    for network in ("pinterest", "reddit"):
        upcoming = [i for i in items(report, network, "recent") if datetime.fromisoformat(i["date_published"]) > NOW]
        assert upcoming, network
        # Buffer's CSV has no link column and these texts hold no link: a row would make a pin linking nowhere.
        assert not (share / "buffer" / network).exists(), network
        for tool, link_column in (("hootsuite", 2), ("sprout", 3)):
            files = sorted((share / tool / network).glob("*.csv"))
            links = [row[link_column] for f in files for row in rows(f)[(1 if tool == "sprout" else 0):]]
            assert links == [i["url"] for i in upcoming], (tool, network)
    assert sorted((share / "buffer" / "x").glob("*.csv"))  # a network with the link in its text keeps Buffer's


def test_a_pin_description_fits_the_500_characters_schedulers_take(tmp_path: Path) -> None:
    summary = " ".join(f"Sentence number {n} says one more useful thing about pins." for n in range(12))
    assert 600 < len(summary) < 800  # within Pinterest's API limit, over what its app and Buffer take
    site = site_with(tmp_path, FIELD_NETWORKS, long=f"title: Long\ndate: {when(timedelta(days=-1))}\n"
                     f"summary: {summary}")
    pins = items(run(site), "pinterest", "long")
    assert pins and all(len(pin["content_text"].encode("utf-16-le")) // 2 <= 500 for pin in pins)
    assert all(pin["_publisher"]["limit"] == 500 for pin in pins)


def test_a_link_with_words_after_it_stays_in_the_message_and_is_not_added_again(tmp_path: Path) -> None:
    site = site_with(tmp_path, '[share]\npost_to = ["x"]',
                     own=f"title: Own\ndate: {when(timedelta(minutes=-10))}\nshare:\n"
                         "  x: \"Read {url} today, before the Monday meeting.\"",
                     tagged=f"title: Tagged\ndate: {when(timedelta(minutes=-20))}\ntags: [attribution]\nshare:\n"
                            "  x: \"Five UTM parameters, one naming scheme: {url} {hashtags}\"")
    report = run(site)
    share = report.output_dir / "share"
    for source in ("own", "tagged"):
        announce = next(i for i in items(report, "x", source) if i["_publisher"]["variant"] == "announce")
        assert datetime.fromisoformat(announce["date_published"]) > NOW
        hootsuite = [row for f in sorted((share / "hootsuite" / "x").glob("*.csv")) for row in rows(f)]
        sprout = [row[2:] for f in sorted((share / "sprout" / "x").glob("*.csv")) for row in rows(f)[1:]]
        for tool, found in (("hootsuite", [r[1:] for r in hootsuite]), ("sprout", sprout)):
            row = next(r for r in found if announce["url"] in r[0] or announce["url"] == r[1])
            # Moving the link to the end would say "Read today, before the Monday meeting. <link>": the text
            # goes as written, and the link column is empty so that the scheduler adds no second link.
            assert row == [announce["content_text"], ""], (tool, source)


def test_a_time_the_clocks_show_twice_is_never_written_so_a_scheduler_reads_it_an_hour_early(tmp_path: Path) -> None:
    # Berlin's clocks went back a week before; New York's go back at 02:00 on 1 November 2026, so that 01:30
    # comes twice there. The post is out at 05:30 UTC and announced an hour later, at 06:30 UTC: 01:30 the
    # second time. Written "11/01/2026 01:30", a scheduler in New York reads the first 01:30 (05:30 UTC), and
    # the announcement goes out with the page, before the build that publishes it has run.
    site = site_with(tmp_path, '[share]\npost_to = ["x"]\nscheduler_timezone = "America/New_York"',
                     later="title: Later\ndate: 2026-11-01 06:30:00+01:00")
    run(site)
    rows_ = [row for f in sorted((site / ".publisher" / "share" / "hootsuite" / "x").glob("*.csv"))
             for row in rows(f)]
    announce = rows_[0][0]
    wanted = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    read_as = datetime.strptime(announce, "%m/%d/%Y %H:%M").replace(tzinfo=ZoneInfo("America/New_York"))
    assert read_as >= wanted and read_as - wanted < timedelta(hours=1), announce  # a little late, never early
    assert announce == "11/01/2026 02:00"
    sprout = [row for f in sorted((site / ".publisher" / "share" / "sprout" / "x").glob("*.csv")) for row in rows(f)]
    assert sprout[1][:2] == ["11/01/2026", "02:00"]


def test_no_row_names_a_time_the_clocks_skip(tmp_path: Path) -> None:
    # Berlin's clocks go from 02:00 to 03:00 on 28 March 2027. Announced an hour after 00:58, rounded up to five
    # minutes: 03:00, not "03/28/2027 02:00", a time that never comes there (the site's zone is the CSVs').
    site = site_with(tmp_path, '[share]\npost_to = ["x"]', early="title: Early\ndate: 2027-03-28 00:58:00+01:00")
    run(site)
    times = [row[0] for f in sorted((site / ".publisher" / "share" / "hootsuite" / "x").glob("*.csv"))
             for row in rows(f)]
    assert times[0] == "03/28/2027 03:00"
    berlin = ZoneInfo("Europe/Berlin")
    for text in times:
        wall = datetime.strptime(text, "%m/%d/%Y %H:%M").replace(tzinfo=berlin)
        assert wall.astimezone(UTC).astimezone(berlin).strftime("%m/%d/%Y %H:%M") == text  # a time that happens
