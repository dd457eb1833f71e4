"""The editorial calendar: what the team's calendar app reads from `.publisher/calendar.ics`."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar, Event
from icalendar.parser import unescape_backslash

from publisher.build.pipeline import BuildOptions, build

NOW = datetime(2026, 2, 5, tzinfo=UTC)  # tests/sites/good's second post is out, its announcements still to go


def add_post(site: Path, name: str, front: str, body: str = "Body.") -> None:
    (site / "content" / "posts" / name).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


def build_calendar(site: Path, **options: object) -> bytes:
    build(BuildOptions(config=site / "publisher.toml", now=NOW, **options))  # type: ignore[arg-type]
    return (site / ".publisher" / "calendar.ics").read_bytes()


def events(document: bytes) -> dict[str, Event]:
    """The calendar's events by summary, as a calendar app reads them."""
    found = {}
    for event in Calendar.from_ical(document).walk("VEVENT"):
        assert str(event["SUMMARY"]) not in found, f"two events named {event['SUMMARY']}"
        found[str(event["SUMMARY"])] = event
    return found


def uids(document: bytes) -> dict[str, str]:
    return {summary: str(event["UID"]) for summary, event in events(document).items()}


def test_scheduled_posts_and_upcoming_share_items_are_events(site_dir: Path) -> None:
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00\nsummary: What comes next.")
    calendar = events(build_calendar(site_dir))
    post = calendar["Post: Our 2027 plan"]
    assert post.decoded("DTSTART") == datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert "content/posts/plan.md" in str(post["DESCRIPTION"]) and "What comes next." in str(post["DESCRIPTION"])
    assert str(post["URL"]) == "https://hub.example/plan/"
    shares = {summary: event for summary, event in calendar.items() if summary != "Post: Our 2027 plan"}
    assert set(shares) >= {"X: Second post", "Mastodon: Second post", "LinkedIn: Second post"}
    assert all(event.decoded("DTSTART") > NOW for event in shares.values())  # upcoming only
    x_share = shares["X: Second post"]
    assert "Second post" in str(x_share["DESCRIPTION"]) and "utm_source=x" in str(x_share["URL"])
    assert "First post" not in " ".join(calendar)  # its share items have all gone out
    bluesky = shares["Bluesky: Second post"]  # its text shows a short label: the event carries the link in full
    assert str(bluesky["URL"]) in str(bluesky["DESCRIPTION"]) and "…" not in str(bluesky["DESCRIPTION"])


def test_every_event_has_what_rfc_5545_requires(site_dir: Path) -> None:
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    document = build_calendar(site_dir)
    calendar = Calendar.from_ical(document)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"])
    found = calendar.walk("VEVENT")
    assert len(found) > 1
    for event in found:
        for name in ("UID", "DTSTAMP", "DTSTART", "DURATION", "SUMMARY"):
            assert name in event, f"{event['SUMMARY']} has no {name}"
        assert event.decoded("DTSTAMP").utcoffset().total_seconds() == 0  # DTSTAMP is in UTC
    assert len({str(event["UID"]) for event in found}) == len(found)
    lines = document.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines)  # CRLF, long lines folded
    assert document.count(b"\n") == document.count(b"\r\n")


def test_same_input_same_bytes_and_the_same_uids_after_unrelated_edits(site_dir: Path) -> None:
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    first = build_calendar(site_dir)
    assert build_calendar(site_dir) == first
    (site_dir / "content" / "posts" / "first.md").write_text(
        "---\ntitle: First post, edited\ndate: 2026-01-05 10:00\n---\n\nAnother body.\n", encoding="utf-8")
    add_post(site_dir, "other.md", "title: Another plan\ndate: 2027-05-01 09:00")
    after = uids(build_calendar(site_dir))
    assert {summary: after[summary] for summary in uids(first)} == uids(first)
    assert "Post: Another plan" in after


def test_a_rescheduled_and_retitled_post_keeps_its_uid(site_dir: Path) -> None:
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    before = events(build_calendar(site_dir))["Post: Our 2027 plan"]
    add_post(site_dir, "plan.md", "title: The 2027 plan\ndate: 2027-04-01 09:00\nslug: plan")
    after = events(build_calendar(site_dir))["Post: The 2027 plan"]
    assert after["UID"] == before["UID"]
    assert after.decoded("DTSTART") != before.decoded("DTSTART")


def test_with_a_dated_permalink_an_id_keeps_a_rescheduled_posts_uids(site_dir: Path) -> None:
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text().replace("[site]\n", '[site]\npermalink = "/{year}/{month}/{slug}/"\n', 1))
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    add_post(site_dir, "kept.md", "title: Kept plan\nid: tag:hub.example,2026:kept\ndate: 2027-03-01 09:00")
    before = uids(build_calendar(site_dir))
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-04-01 09:00")  # a new URL: new UIDs (README)
    add_post(site_dir, "kept.md", "title: Kept plan\nid: tag:hub.example,2026:kept\ndate: 2027-04-01 09:00")
    after = uids(build_calendar(site_dir))
    assert after["Post: Our 2027 plan"] != before["Post: Our 2027 plan"]
    kept = [summary for summary in before if summary.endswith(": Kept plan")]
    assert len(kept) > 1 and all(after[summary] == before[summary] for summary in kept)


def test_drafts_and_published_posts_are_not_scheduled(site_dir: Path) -> None:
    add_post(site_dir, "idea.md", "title: An idea\ndate: 2027-03-01 09:00\ndraft: true")
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    calendar = events(build_calendar(site_dir, drafts=True, future=True))  # a preview build lists the same
    posts = {summary for summary in calendar if summary.startswith("Post: ")}
    assert posts == {"Post: Our 2027 plan"}


def test_the_calendar_stays_out_of_the_public_output(site_dir: Path) -> None:
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    build_calendar(site_dir)
    output = site_dir / "output"
    assert not (output / "calendar.ics").exists()
    assert not any(b"Our 2027 plan" in path.read_bytes() for path in output.rglob("*") if path.is_file())
    (site_dir / ".publisher" / "audit.html").write_text("another tool's file")
    build_calendar(site_dir)
    assert (site_dir / ".publisher" / "audit.html").read_text() == "another tool's file"  # left alone


def test_publish_true_puts_it_in_the_output(site_dir: Path) -> None:
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text() + "\n[calendar]\npublish = true\n")
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    build(BuildOptions(config=config, now=NOW))
    assert "Post: Our 2027 plan" in events((site_dir / "output" / "calendar.ics").read_bytes())
    assert not (site_dir / ".publisher" / "calendar.ics").exists()


def test_publish_true_removes_the_private_calendar_of_earlier_builds(site_dir: Path) -> None:
    """The README says `publish = true` writes the calendar to `output/` instead. A site that turned it on kept
    `.publisher/calendar.ics` of its last private build, which a team's calendar app, subscribed to it, went on
    showing: a post rescheduled since stayed at its old date there."""
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    assert "Post: Our 2027 plan" in events(build_calendar(site_dir))
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text() + "\n[calendar]\npublish = true\n")
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-04-01 09:00")
    build(BuildOptions(config=config, now=NOW))
    published = events((site_dir / "output" / "calendar.ics").read_bytes())
    assert published["Post: Our 2027 plan"].decoded("DTSTART").date().isoformat() == "2027-04-01"
    assert not (site_dir / ".publisher" / "calendar.ics").exists()
    assert (site_dir / ".publisher" / "share").is_dir()  # the team's other files stay


def test_nothing_planned_is_an_empty_calendar(site_dir: Path) -> None:
    late = datetime(2027, 1, 1, tzinfo=UTC)  # every share item has gone out
    build(BuildOptions(config=site_dir / "publisher.toml", now=late))
    calendar = Calendar.from_ical((site_dir / ".publisher" / "calendar.ics").read_bytes())
    assert calendar.walk("VEVENT") == [] and str(calendar["VERSION"]) == "2.0"


def test_a_calendar_unchanged_since_the_last_build_is_taken_as_kept(site_dir: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing it takes `icalendar` and its import (0.03 s a build): a build whose calendar shows what the last
    one's did takes the document it wrote."""
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    first = build_calendar(site_dir)
    (site_dir / "content" / "posts" / "first.md").write_text(
        "---\ntitle: First post, edited\ndate: 2026-01-05 10:00\n---\n\nAnother body.\n", encoding="utf-8")

    def refused(self: Calendar) -> bytes:
        raise AssertionError("the calendar was written again")

    monkeypatch.setattr(Calendar, "to_ical", refused)
    assert build_calendar(site_dir) == first


def test_a_calendar_whose_events_changed_is_written_anew(site_dir: Path) -> None:
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    build_calendar(site_dir)
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-02 09:00")
    moved = build_calendar(site_dir)
    assert events(moved)["Post: Our 2027 plan"].decoded("DTSTART") == datetime(2027, 3, 2, 8, 0, tzinfo=UTC)
    assert moved == build_calendar(site_dir, use_cache=False)


def test_a_calendar_kept_by_another_icalendar_is_written_again(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another release may write the same events otherwise: what the cache kept is no clean build's then."""
    import publisher.editorial.calendar as calendar

    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00")
    build_calendar(site_dir)
    written: list[bool] = []
    real = Calendar.to_ical

    def noted(self: Calendar) -> bytes:
        written.append(True)
        return real(self)

    monkeypatch.setattr(Calendar, "to_ical", noted)
    build_calendar(site_dir)
    assert written == []
    monkeypatch.setattr(calendar, "version", lambda name: "99.0")
    build_calendar(site_dir)
    assert written == [True]


def test_a_preview_build_leaves_the_teams_files_as_the_sites_own(site_dir: Path, tmp_path: Path) -> None:
    """`publisher build --base-url <preview> --output <elsewhere>`: the team's calendar and announcements keep the
    site's links and ids (a subscribed calendar would otherwise see every event replaced)."""
    add_post(site_dir, "plan.md", "title: Our 2027 plan\ndate: 2027-03-01 09:00\nsummary: What comes next.")
    own = build_calendar(site_dir)
    team = {path: path.read_bytes() for path in (site_dir / ".publisher").rglob("*") if path.is_file()}
    assert any("share" in path.parts for path in team)  # the announcements ahead are there too
    build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, base_url="https://preview.example/pr-5/",
                       output=tmp_path / "preview"))
    assert b"preview.example" in (tmp_path / "preview" / "index.html").read_bytes()
    assert {path: path.read_bytes() for path in (site_dir / ".publisher").rglob("*") if path.is_file()} == team
    assert (site_dir / ".publisher" / "calendar.ics").read_bytes() == own
    same_site = build_calendar(site_dir, base_url="https://hub.example/")  # the site's own URL: a build as any
    assert uids(same_site) == uids(own)


def test_the_calendars_name_reads_as_the_site_title_however_it_is_punctuated(site_dir: Path) -> None:
    """X-WR-CALNAME is TEXT (RFC 5545 3.8.8.2), where `,` `;` `\\` are escaped (3.3.11): unescaped, a title's
    `\\n` read as a line break and its `,` as a list's separator."""
    config = site_dir / "publisher.toml"
    text = config.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    config.write_text(text.replace(title, 'title = "Acme, Inc; R\\\\news \\"Labs\\""', 1))
    raw = str(Calendar.from_ical(build_calendar(site_dir))["X-WR-CALNAME"])  # icalendar keeps an X- property raw
    assert re.search(r"(?<!\\)[,;]", raw.replace("\\\\", "")) is None  # every `,` `;` escaped
    assert unescape_backslash(raw) == 'Acme, Inc; R\\news "Labs": editorial calendar'  # as TEXT reads
