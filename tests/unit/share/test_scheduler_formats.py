"""Each scheduler's CSV as that scheduler's own import reads it: no row it would refuse or misread."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publisher.core.errors import BuildFailed
from tests.unit.share.test_round_two import items, run, site_with
from tests.unit.share.test_share_feed import NOW, when

# Re-shares sent to both (they get the announcement only by default), so that a past post still has upcoming rows.
FIELD_NETWORKS = ('[share]\npost_to = ["x", "pinterest", "reddit"]\n[share.schedule]\nreshare_after = ["2d"]\n'
                  '[share.networks.pinterest]\nreshares = true\n[share.networks.reddit]\nreshares = true')


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


def test_items_in_the_hour_the_clocks_show_twice_stay_apart_in_the_csvs(tmp_path: Path) -> None:
    """Two announcements in New York's second 01:00-02:00 of 1 November 2026 (06:30 and 06:45 UTC, 15 minutes
    apart as time passes) were both written "02:00": Sprout Social refuses a file with two messages of a profile
    closer than 10 minutes (the README's `min_gap`), and Hootsuite got two posts at one minute. Each is now
    written at least `min_gap` after the row before it, late rather than early."""
    site = site_with(tmp_path, '[share]\npost_to = ["x"]\nscheduler_timezone = "America/New_York"',
                     first="title: First\ndate: 2026-11-01 06:30:00+01:00",
                     second="title: Second\ndate: 2026-11-01 06:45:00+01:00")
    run(site)
    new_york = ZoneInfo("America/New_York")
    wanted = [datetime(2026, 11, 1, 6, 30, tzinfo=UTC), datetime(2026, 11, 1, 6, 45, tzinfo=UTC)]
    folder = site / ".publisher" / "share"
    sprout = [datetime.strptime(f"{row[0]} {row[1]}", "%m/%d/%Y %H:%M").replace(tzinfo=new_york)
              for f in sorted((folder / "sprout" / "x").glob("*.csv")) for row in rows(f)[1:]]
    hootsuite = [datetime.strptime(row[0], "%m/%d/%Y %H:%M").replace(tzinfo=new_york)
                 for f in sorted((folder / "hootsuite" / "x").glob("*.csv")) for row in rows(f)]
    buffer = [datetime.strptime(row[3], "%Y-%m-%d %H:%M").replace(tzinfo=new_york)
              for f in sorted((folder / "buffer" / "x").glob("*.csv")) for row in rows(f)[1:]]
    for times in (sprout, hootsuite, buffer):
        assert [t.strftime("%H:%M") for t in times[:2]] == ["02:00", "02:10"]
        assert all(read >= due for read, due in zip(times, wanted, strict=False))  # never early
        assert all(later - earlier >= timedelta(minutes=10) for earlier, later in pairwise(times))  # on the clock


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


PINTEREST = ('[share]\npost_to = ["pinterest"]\n[share.schedule]\nreshare_after = ["2d"]\n'
             '[share.networks.pinterest]\nboard = "Content marketing/Analytics"\nreshares = true')  # a re-share too
PIN_HEADER = ["Title", "Media URL", "Pinterest board", "Thumbnail", "Description", "Link", "Publish date", "Keywords"]


def pin_files(folder: Path) -> list[Path]:
    return sorted((folder / "share" / "pinterest" / "pinterest").glob("*.csv"))


def test_pinterests_own_bulk_upload_gets_a_csv_of_rows_it_takes(tmp_path: Path) -> None:
    # Pinterest Help, "Bulk upload Pins": this header; Title (at most 100), Media URL (a JPEG or PNG file) and the
    # board required; Publish date yyyy-mm-ddThh:mm:ss in UTC and in the future; at most 200 rows; no Link twice
    # in one file. The announcement and its re-share two days later share the card: two files, not one.
    title = "Pinterest boards, sections and the one CSV column that decides where a Pin lands " * 2
    site = site_with(tmp_path, PINTEREST,
                     pins=f"title: {title.strip()}\ndate: {when(timedelta(hours=-0.5))}\n"
                          "summary: Where a Pin is saved decides who finds it.\ntags: [content marketing, seo]")
    report = run(site)
    upcoming = [i for i in items(report, "pinterest", "pins") if datetime.fromisoformat(i["date_published"]) > NOW]
    assert [i["_publisher"]["variant"] for i in upcoming] == ["announce", "reshare-1"]
    files = pin_files(report.output_dir)
    assert [f.name for f in files] == ["2026-W36-2.csv", "2026-W36.csv"]
    found = []
    for file in files:
        header, *pins = rows(file)
        assert header == PIN_HEADER and 0 < len(pins) <= 200
        assert len({pin[5] for pin in pins}) == len({pin[1] for pin in pins}) == len(pins)  # no link, image twice
        for title_, media, board, thumbnail, description, link, date, keywords in pins:
            assert 0 < len(title_.encode("utf-16-le")) // 2 <= 100 and title_.endswith("…")
            assert media.startswith("https://hub.example/") and media.endswith(".png")
            assert board == "Content marketing/Analytics" and thumbnail == ""
            assert "\n" not in description and len(description.encode("utf-16-le")) // 2 <= 500
            assert description.endswith(" #ContentMarketing #seo")  # the text's lines joined: one line
            assert "utm_source=pinterest" in link and keywords == "content marketing, seo"
            assert datetime.strptime(date, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC) > NOW
            found.append((link, date))
    wanted = [(i["url"], datetime.fromisoformat(i["date_published"]).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"))
              for i in upcoming]
    assert sorted(found) == sorted(wanted)


def test_without_a_board_no_pinterest_csv_is_written_and_the_setting_is_named(tmp_path: Path) -> None:
    site = site_with(tmp_path, '[share]\npost_to = ["pinterest"]',
                     pins=f"title: Pins\ndate: {when(timedelta(hours=-0.5))}\nsummary: Where a Pin is saved.")
    report = run(site)
    assert not pin_files(report.output_dir)
    assert sorted((report.output_dir / "share" / "sprout" / "pinterest").glob("*.csv"))  # the others as before
    assert [str(w).split(": ")[:2] for w in report.warnings if "board" in w.field] == [
        ["publisher.toml", "share.networks.pinterest.board"]]


def test_setting_pinterests_board_alone_writes_its_bulk_upload_file(tmp_path: Path) -> None:
    """The README's way in, "set the board the Pins are saved to, then upload share/pinterest/pinterest/<week>.csv":
    that board alone wrote no Pinterest file and said nothing, as Pinterest was left out of the default networks.
    A table of an opt-in network asks for it, as a new network's table does; the default networks stay."""
    site = site_with(tmp_path, '[share.networks.pinterest]\nboard = "Content marketing"',
                     pins=f"title: Pins\ndate: {when(timedelta(hours=-0.5))}\nsummary: Where a Pin is saved.\n"
                          "image: https://images.example/board.png\nimage_alt: A board")
    report = run(site)
    assert [row[2] for file in pin_files(report.output_dir) for row in rows(file)[1:]] == ["Content marketing"]
    assert sorted((report.output_dir / "share" / "sprout" / "x").glob("*.csv"))  # the default networks as before


def test_a_pin_whose_image_pinterest_refuses_is_left_out_and_told_of(tmp_path: Path) -> None:
    # Pinterest fetches a Pin's image from its Media URL, a JPEG or PNG file: a WebP is refused.
    site = site_with(tmp_path, PINTEREST,
                     webp=f"title: WebP\ndate: {when(timedelta(hours=-0.5))}\nsummary: A photo of a board.\n"
                          "image: https://images.example/board.webp\nimage_alt: A board",
                     png=f"title: PNG\ndate: {when(timedelta(hours=-0.5))}\nsummary: A photo of a board.\n"
                         "image: https://images.example/board.png\nimage_alt: A board")
    report = run(site)
    share = report.output_dir / "share"
    planned = [row[3] for f in sorted((share / "sprout" / "pinterest").glob("*.csv")) for row in rows(f)]
    assert [link for link in planned if "/webp/" in link]  # planned for the other schedulers
    pinned = [pin[5] for f in pin_files(report.output_dir) for pin in rows(f)[1:]]
    assert [link for link in pinned if "/png/" in link] and not [link for link in pinned if "/webp/" in link]
    told = [str(w) for w in report.warnings if w.field == "image"]
    assert told == [("content/posts/webp.md:5: image: its image https://images.example/board.webp is not a JPEG or "
                     "PNG file, which is what Pinterest's bulk upload takes: its Pins are left out of Pinterest's "
                     "bulk-upload CSV")]


def test_a_board_is_a_pinterest_setting_and_a_line_of_text(tmp_path: Path) -> None:
    site = site_with(tmp_path, '[share.networks.pinterest]\nboard = 5\n[share.networks.x]\nboard = "Tips"')
    with pytest.raises(BuildFailed) as failed:
        run(site)
    message = str(failed.value)
    assert "share.networks.pinterest.board: must be a string" in message
    assert "share.networks.x.board: unknown setting" in message


def test_two_pins_with_one_title_go_to_two_files_as_pinterest_refuses_a_title_twice(tmp_path: Path) -> None:
    """A series titled alike ("Weekly roundup") put two rows of one title in a week's file, and Pinterest's bulk
    upload refuses a title repeated in a file: the second row goes to the week's `-2` file."""
    board = '[share]\npost_to = ["pinterest"]\n[share.networks.pinterest]\nboard = "Roundups"'
    site = site_with(tmp_path, board, **{
        name: f"title: Weekly roundup\ndate: {when(timedelta(hours=-hours))}\nsummary: What we read this week.\n"
              f"image: https://images.example/{name}.png\nimage_alt: A stack of magazines"
        for name, hours in (("first", 0.5), ("second", 0.4))})
    files = pin_files(run(site).output_dir)
    pins = [rows(file)[1:] for file in files]
    assert [file.name for file in files] == ["2026-W36-2.csv", "2026-W36.csv"]
    assert sorted(pin[1] for part in pins for pin in part) == ["https://images.example/first.png",
                                                               "https://images.example/second.png"]
    assert all(len({pin[0] for pin in part}) == len(part) for part in pins)
