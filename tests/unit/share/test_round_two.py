"""Share feed, round 2 (issue 15): a share CTA of its own, hashtags a person would write, no stray mentions."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import pytest

from publisher.build.pipeline import BuildOptions, BuildReport, build
from publisher.core.errors import BuildFailed
from publisher.core.text import plain_text
from publisher.share.outputs import scheduler_batches
from publisher.share.plan import ShareItem
from publisher.social.counting import parse_tweet
from publisher.social.schedule import Slot, Spacing, schedule
from tests.unit.share.test_share_feed import NOW, SITES, when, write_post

REPO = Path(__file__).resolve().parents[3]
NEW_YORK = ZoneInfo("America/New_York")


def site_with(tmp_path: Path, config: str = "", **posts: str) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "good", site)
    with (site / "publisher.toml").open("a", encoding="utf-8") as settings:
        settings.write("\n" + config + "\n")
    for name, front in posts.items():
        write_post(site, f"{name}.md", front)
    return site


def items(report: BuildReport, network: str, source: str) -> list[dict[str, Any]]:
    feed = json.loads((report.output_dir / "share" / "share.json").read_text(encoding="utf-8"))
    return [item for item in feed["items"] if item["_publisher"]["network"] == network
            and item["_publisher"]["post_url"].endswith(f"/{source}/")]


def run(site: Path, **options: Any) -> BuildReport:
    return build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False, **options))


def test_the_share_cta_is_its_own_and_leads_into_the_link(tmp_path: Path) -> None:
    recent = when(timedelta(hours=-2))
    site = site_with(tmp_path, '[share.ctas]\ndecision = "Want the numbers?"',
                     plain=f"title: Plain\ndate: {recent}",
                     deciding=f"title: Deciding\ndate: {recent}\nstage: decision",
                     own=f"title: Own\ndate: {recent}\nstage: decision\nshare:\n  cta: See the checklist")
    report = run(site)
    texts = {name: items(report, "mastodon", name)[0]["content_text"] for name in ("plain", "deciding", "own")}
    assert re.search(r"Read the full piece: https://hub\.example/plain/\?utm_", texts["plain"])
    assert re.search(r"Want the numbers\? https://", texts["deciding"])  # a question needs no colon
    assert re.search(r"See the checklist: https://", texts["own"])  # the post's own wins over its stage's


def test_the_funnel_ctas_button_never_reaches_a_share_text(tmp_path: Path) -> None:
    out = tmp_path / "sample"
    report = build(BuildOptions(config=REPO / "publisher.toml", output=out, now=NOW, use_cache=False))
    texts = [item["content_text"] for item in
             json.loads((report.output_dir / "share" / "share.json").read_text(encoding="utf-8"))["items"]]
    assert texts and not [t for t in texts if "Book a 30-minute demo" in t or "?:" in t]


def test_an_unknown_stage_in_share_ctas_is_an_error(tmp_path: Path) -> None:
    site = site_with(tmp_path, '[share.ctas]\nnurture = "Stay a while"')
    with pytest.raises(BuildFailed) as failed:
        run(site)
    assert "share.ctas.nurture: unknown stage" in str(failed.value)


def test_hashtags_come_from_tags_only_capped_per_network_and_as_a_person_writes_them(tmp_path: Path) -> None:
    site = site_with(
        tmp_path, tagged=(f"title: Tagged\ndate: {when(timedelta(hours=-2))}\n"
                          "tags: [\"don't panic\", iOS, seo, content marketing, analytics, writing]\n"
                          "keywords: [b2b keyword research]"))
    report = run(site)
    hashtags = {network: re.findall(r"#\w+", items(report, network, "tagged")[0]["content_text"])
                for network in ("x", "threads", "bluesky", "mastodon", "linkedin", "facebook")}
    assert hashtags["mastodon"] == ["#DontPanic", "#iOS", "#seo", "#ContentMarketing"]  # capped at 4
    assert [len(hashtags[n]) for n in ("x", "threads", "bluesky", "linkedin", "facebook")] == [2, 1, 3, 3, 2]
    assert not any("B2b" in tag or "Keyword" in tag for tags in hashtags.values() for tag in tags)


def test_a_tag_that_loses_meaning_as_a_hashtag_is_a_warning_at_its_line(tmp_path: Path) -> None:
    site = site_with(tmp_path, lossy=f"title: Lossy\ndate: {when(timedelta(hours=-2))}\ntags: [C++, R&D, growth]")
    report = run(site)
    assert [str(w) for w in report.warnings if w.field == "tags"] == [
        ("content/posts/lossy.md:4: tags: 'C++' loses '+' as #C (write the hashtag you want in share.hashtags)"),
        ("content/posts/lossy.md:4: tags: 'R&D' loses '&' as #RD (write the hashtag you want in share.hashtags)"),
    ]


def test_a_mention_in_a_summary_tags_no_one(tmp_path: Path) -> None:
    site = site_with(tmp_path, mentioning=(f"title: Thanks to @maya\ndate: {when(timedelta(hours=-2))}\n"
                                           "summary: Ask @tomas_r or write to team@northlight.example."))
    report = run(site)
    text = items(report, "x", "mentioning")[0]["content_text"]
    assert "@\u2060maya" in text and "@\u2060tomas_r" in text and "team@northlight.example" in text
    assert not re.search(r"(?<![\w@])@[A-Za-z0-9_]", text)  # nothing twitter-text would read as a mention


def test_a_links_at_sign_is_left_whole(tmp_path: Path) -> None:
    """`/@handle` in a link is part of its path: a word joiner there would break the link in every network's text
    and point Bluesky's link facet at the host alone."""
    site = site_with(tmp_path, linking=("title: Follow https://mastodon.social/@northlight and @team\n"
                                        f"date: {when(timedelta(hours=-2))}\n"
                                        "summary: Or medium.com/@writer/post-1 today."))
    report = run(site)
    for network in ("x", "bluesky", "mastodon"):
        text = items(report, network, "linking")[0]["content_text"]
        assert "https://mastodon.social/@northlight" in text and "@\u2060team" in text, network
    facets = items(report, "bluesky", "linking")[0]["_publisher"]["facets"]
    uris = {feature["uri"] for facet in facets for feature in facet["features"] if "uri" in feature}
    assert "https://mastodon.social/@northlight" in uris


def test_a_scheduler_with_a_link_column_gets_the_link_once_and_the_text_still_fits(tmp_path: Path) -> None:
    title = "A long title that takes room " * 3
    site = site_with(tmp_path, recent=(f"title: {title}\ndate: {when(timedelta(days=-1))}\n"
                                       "summary: " + "A sentence that says something useful. " * 8 + "\n"
                                       "tags: [content marketing, analytics, writing]"))
    out = run(site).output_dir
    for tool, message_column in (("hootsuite", 1), ("sprout", 2)):
        files = sorted((out / "share" / tool / "x").glob("*.csv"))
        rows = [row for file in files for row in list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"))))[
            (1 if tool == "sprout" else 0):]]
        assert rows, tool
        for row in rows:
            message, link = row[message_column], row[-1]
            assert link.startswith("https://hub.example/recent/?utm_source=x") and link not in message
            assert message.rstrip().endswith("Read the full piece:")  # the link the tool adds follows it
            assert parse_tweet(f"{message} {link}").weighted_length <= 280, message
    buffer_rows = [row for file in sorted((out / "share" / "buffer" / "x").glob("*.csv"))
                   for row in csv.DictReader(io.StringIO(file.read_text(encoding="utf-8")))]
    link = "https://hub.example/recent/?utm_source=x"
    assert buffer_rows and all(link in row["Text"] for row in buffer_rows)  # Buffer has no link column


def test_scheduler_csvs_are_in_the_schedulers_zone_one_file_per_week(tmp_path: Path) -> None:
    site = site_with(tmp_path, '[share]\nscheduler_timezone = "America/New_York"',
                     recent=f"title: Recent\ndate: {when(timedelta(days=-1))}")
    report = run(site)
    share = report.output_dir / "share"
    due = {item["id"]: datetime.fromisoformat(item["date_published"]) for item in items(report, "x", "recent")
           if datetime.fromisoformat(item["date_published"]) > NOW}
    files = sorted((share / "hootsuite" / "x").glob("*.csv"))
    assert due and [f.name for f in files] == sorted({f"{d.astimezone(NEW_YORK).isocalendar().year}-W"
                                                      f"{d.astimezone(NEW_YORK).isocalendar().week:02d}.csv"
                                                      for d in due.values()})
    times = [row[0] for f in files for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8")))]
    assert times == [d.astimezone(NEW_YORK).strftime("%m/%d/%Y %H:%M") for d in sorted(due.values())]
    assert not [w for w in report.warnings if w.field == "share.scheduler_timezone"]


def test_a_utc_site_is_warned_that_schedulers_read_csv_times_in_their_own_zone(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('timezone = "Europe/Berlin"', 'timezone = "UTC"'))
    report = run(site)
    assert [w.message.split(";")[0] for w in report.warnings if w.field == "share.scheduler_timezone"] == [
        "scheduler CSV times are written in UTC, as the site's time zone is UTC"]


def test_the_utc_warning_gives_new_york_as_an_example_not_as_the_users_zone(tmp_path: Path) -> None:
    """It said `set scheduler_timezone = "America/New_York" (yours)`, which read as a guess at the user's zone."""
    site = site_with(tmp_path)
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('timezone = "Europe/Berlin"', 'timezone = "UTC"'))
    report = run(site)
    assert [w.message.split("; ", 1)[1] for w in report.warnings if w.field == "share.scheduler_timezone"] == [
        ("a scheduler reads them in its profile's zone: set scheduler_timezone under [share] to that zone's name (for "
         "example, scheduler_timezone = \"America/New_York\" for a profile in New York)")]


def test_a_week_of_more_than_350_rows_is_split_into_parts() -> None:
    start = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday: all 400 in ISO week 50
    item = ShareItem(id="", network="x", variant="announce", kind="announce", scheduled=start, text="t", count=1,
                     limit=280, unit="", link="https://x/", post_url="https://x/", post_title="T", source="p.md")
    many = [replace(item, id=f"i{n:03d}", scheduled=start + timedelta(minutes=10 * n)) for n in range(400)]
    parts = [(week, part, len(rows)) for week, part, rows in scheduler_batches(many, ZoneInfo("UTC"))]
    assert parts == [("2026-W50", 1, 350), ("2026-W50", 2, 50)]


def test_network_rss_descriptions_read_right_as_html(tmp_path: Path) -> None:
    site = site_with(tmp_path, tagged=(f"title: Why <share> tags vanish & how\ndate: {when(timedelta(hours=-2))}\n"
                                       "summary: One line. Then another."))
    out = run(site).output_dir
    entry = next(e for e in feedparser.parse((out / "share" / "mastodon.xml").read_bytes()).entries
                 if "vanish" in e.title)
    shown = html.unescape(re.sub(r"<br\s*/?>", "", entry.description))  # what an HTML client shows, as text
    assert shown.startswith("Why <share> tags vanish & how\n\n") and "&utm_medium=social" in shown
    assert "<share>" not in entry.description and entry.description.count("<br") >= 4  # a text, lines apart


def test_linkedin_items_carry_a_text_the_posts_api_will_not_cut(tmp_path: Path) -> None:
    site = site_with(tmp_path, paren=(f"title: Calls to action (by stage)\ndate: {when(timedelta(hours=-2))}\n"
                                      "summary: What to ask for [and when] at *each* stage.\n"
                                      "tags: [content marketing]"))
    item = items(run(site), "linkedin", "paren")[0]
    commentary = item["_publisher"]["linkedin_commentary"]
    opening = "Calls to action \\(by stage\\)\n\nWhat to ask for \\[and when\\] at \\*each\\* stage."
    assert commentary.startswith(opening)
    assert item["url"] in commentary  # the link as it is: it still links
    assert "{hashtag|\\#|ContentMarketing}" in commentary
    assert re.sub(r"\\(.)", r"\1", commentary.replace("{hashtag|\\#|ContentMarketing}", "#ContentMarketing")
                  .replace(item["url"], "URL")) == item["content_text"].replace(item["url"], "URL")
    assert all("linkedin_commentary" not in i["_publisher"] for i in items(run(site), "x", "paren"))


HOURS = (time(9, 0), time(12, 30), time(17, 0))
BERLIN = ZoneInfo("Europe/Berlin")


def lane_times(slots: list[Slot], spacing: Spacing) -> list[tuple[datetime, Slot]]:
    lanes = schedule({"x": slots}, (timedelta(days=2), timedelta(days=14)), lambda network: HOURS, BERLIN, spacing)
    return [(when.astimezone(BERLIN), slot) for when, slot in lanes["x"].items]


def test_reshares_spread_over_posting_hours_within_a_daily_cap_not_ten_minutes_apart() -> None:
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)
    slots = [Slot(f"/p{n}/", number, monday + timedelta(minutes=n)) for n in range(8) for number in (0, 1)]
    placed = lane_times(slots, Spacing())
    reshares = [when for when, slot in placed if slot.number == 1]
    assert all(when.time() in HOURS for when in reshares)  # each at a posting hour…
    assert len(set(reshares)) == len(reshares)  # …its own
    per_day = Counter(when.date() for when, _ in placed)
    reshare_days = {when.date() for when in reshares}
    assert all(per_day[day] <= 3 for day in reshare_days)  # the cap holds wherever re-shares go
    assert min(reshares) == datetime(2026, 11, 4, 12, 30, tzinfo=BERLIN)  # two days on, the next posting hour



def test_announcements_of_one_minute_go_out_in_turn_each_min_gap_after_the_last() -> None:
    """Each announcement walked past every one taken before it at that time (4,000 posts of one date took 34 s);
    it now goes on from where the last walk from that time ended: the same times."""
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)
    slots = [Slot(f"/p{n:04d}/", 0, monday) for n in range(2000)] + [Slot("/late/", 0, monday + timedelta(hours=3))]
    placed = {slot.post_url: when for when, slot in lane_times(slots, Spacing())}
    wanted = placed["/p0000/"]
    assert [placed[f"/p{n:04d}/"] for n in range(2000)] == [wanted + n * timedelta(minutes=10) for n in range(2000)]
    assert placed["/late/"] == wanted + 2000 * timedelta(minutes=10)  # its own time was taken: after the run


def test_an_announcement_goes_out_on_time_and_a_reshare_makes_way() -> None:
    earlier = Slot("/old/", 1, datetime(2026, 10, 30, 9, 0, tzinfo=BERLIN))  # wants 1 Nov 09:00
    new = Slot("/new/", 0, datetime(2026, 11, 1, 9, 0, tzinfo=BERLIN))
    placed = {slot.post_url: when for when, slot in lane_times([earlier, new], Spacing())}
    assert placed["/new/"] == datetime(2026, 11, 1, 9, 0, tzinfo=BERLIN)
    assert placed["/old/"] == datetime(2026, 11, 1, 12, 30, tzinfo=BERLIN)


def test_weekdays_only_keeps_reshares_off_the_weekend() -> None:
    thursday = datetime(2026, 11, 5, 10, 0, tzinfo=BERLIN)  # re-share 1 wants Saturday 7 November
    placed = lane_times([Slot("/p/", 0, thursday), Slot("/p/", 1, thursday)], Spacing(weekdays_only=True))
    reshare = next(when for when, slot in placed if slot.number == 1)
    assert reshare == datetime(2026, 11, 9, 9, 0, tzinfo=BERLIN)  # Monday's first posting hour


def test_a_backlog_of_reshares_fills_each_open_day_in_turn() -> None:
    # 400 posts on one Monday: 800 re-shares at 3 a day, weekdays only, queue for about a year. Each goes to the
    # first posting hour with room at or after its wanted time: no open hour is skipped, no closed day used.
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)
    slots = [Slot(f"/p{n:03d}/", number, monday + timedelta(seconds=n)) for n in range(400) for number in (0, 1, 2)]
    placed = lane_times(slots, Spacing(weekdays_only=True, max_delay=timedelta(days=400)))
    reshares = sorted(when for when, slot in placed if slot.number)
    per_day = Counter(when.date() for when, _ in placed)
    assert len(reshares) == 800 and all(when.weekday() < 5 and when.time() in HOURS for when in reshares)
    announcing = {when.date() for when, slot in placed if slot.number == 0}  # 10 minutes apart: three days
    assert all(count <= 3 for day, count in per_day.items() if day not in announcing)
    open_days = sorted({when.date() for when in reshares})
    assert all(per_day[day] == 3 for day in open_days[:-1])  # every day before the last one is filled
    span = [open_days[0] + timedelta(days=n) for n in range((open_days[-1] - open_days[0]).days + 1)]
    assert {day for day in span if day.weekday() < 5} == set(open_days)  # no weekday skipped


def test_a_reshare_that_would_wait_more_than_max_delay_is_left_out() -> None:
    # 40 posts on one Monday: 80 re-shares at 3 a day would queue for a month; a week late is the most
    monday = datetime(2026, 11, 2, 10, 0, tzinfo=BERLIN)
    slots = [Slot(f"/p{n:02d}/", number, monday + timedelta(minutes=n)) for n in range(40) for number in (0, 1, 2)]
    placed = lane_times(slots, Spacing())
    firsts = [when for when, slot in placed if slot.number == 1]  # wanted from Wednesday 4 November
    assert 0 < len(firsts) < 40 and max(firsts) <= datetime(2026, 11, 11, 10, 0, tzinfo=BERLIN) + timedelta(hours=3)
    assert len([slot for _, slot in placed if slot.number == 0]) == 40  # every announcement goes out


def test_an_excerpt_reads_as_text_without_spaces_before_punctuation(tmp_path: Path) -> None:
    assert plain_text("<p>Write with <code>code</code> and <strong>bold</strong>.</p><p>Then <a href='/x'>a "
                      "link</a>, a list:</p><ul><li>one</li><li>two</li></ul>") == (
        "Write with code and bold. Then a link, a list: one two")
    site = site_with(tmp_path)
    write_post(site, "inline.md", f"title: Inline\ndate: {when(timedelta(hours=-2))}",
               body="Write with `code` and **bold**. It reads as one sentence.")
    text = items(run(site), "mastodon", "inline")[0]["content_text"]
    assert "Write with code and bold. It reads as one sentence." in text


def test_x_fits_to_the_twitter_text_librarys_count_where_newer_emoji_make_it_larger() -> None:
    from publisher.social.counting import x_library_length, x_weighted_length
    from publisher.social.fitting import SharePieces, fit
    from publisher.social.networks import BUILTIN_NETWORKS

    technologist = "\U0001f9d1\U0001f3fd\u200d\U0001f4bb"  # Emoji 12.1: X counts 2, the library 5 or more
    assert x_weighted_length(technologist) == 2 and x_library_length(technologist) >= 5
    summary = " ".join([f"Sentence {technologist} number {n}." for n in range(40)])
    snippet = fit(BUILTIN_NETWORKS["x"], SharePieces(title="Emoji", summary=summary, url="https://ex.co/a"))
    assert snippet.count == x_weighted_length(snippet.text)  # the count reported is X's own
    assert x_library_length(snippet.text) <= 280 < x_library_length(snippet.text) + 60  # and fits the library's


# Pinterest gets the announcement only unless a site sends it re-shares: these send them, to see their quotes.
PINS_WITH_RESHARES = '[share]\npost_to = ["x", "mastodon", "pinterest"]\n[share.networks.pinterest]\nreshares = true'


def test_a_pull_quote_with_quotation_marks_of_its_own_is_quoted_once(tmp_path: Path) -> None:
    """A pull quote that quotes someone (`"We doubled our leads," says Ann.`) was wrapped in quotation marks again,
    and every network got `““We doubled our leads,” says Ann.”`: its own marks are single ones inside now, and a
    quote wholly in quotation marks is shown as written."""
    site = site_with(tmp_path, PINS_WITH_RESHARES)
    write_post(site, "said.md", f"title: Said\ndate: {when(timedelta(hours=-2))}",
               'Body text.\n\n> [!pullquote]\n> "We doubled our leads," says Ann.\n\n'
               '> [!pullquote]\n> "Every lead is a person."\n')
    report = run(site)
    for network in ("x", "mastodon", "pinterest"):
        quotes = [item["content_text"].split("\n")[0] for item in items(report, network, "said")
                  if item["_publisher"]["kind"] == "quote"]
        assert quotes == ["\u201c\u2018We doubled our leads,\u2019 says Ann.\u201d",
                          "\u201cEvery lead is a person.\u201d"], network


@pytest.mark.parametrize(("language", "quoted"), [
    ("de", ["\u201e\u201aWir haben verdoppelt,\u2018 sagt Ann.\u201c", "\u201eJeder Lead ist ein Mensch.\u201c"]),
    ("fr", ["\u00ab\u00a0\u00ab\u00a0Nous avons doubl\u00e9,\u00a0\u00bb dit Ann.\u00a0\u00bb",
            "\u00ab\u00a0Chaque lead est une personne.\u00a0\u00bb"]),
])
def test_a_pull_quote_is_shared_in_the_site_s_quotation_marks(tmp_path: Path, language: str,
                                                               quoted: list[str]) -> None:
    """A German site's pages show „…“ (`[markdown] quotes`, from its language): its shares said “…” around them."""
    site = site_with(tmp_path, PINS_WITH_RESHARES)
    settings = site / "publisher.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("[site]", f'[site]\nlanguage = "{language}"', 1),
                        encoding="utf-8")
    said = "Wir haben verdoppelt" if language == "de" else "Nous avons doublé"
    every = "Jeder Lead ist ein Mensch." if language == "de" else "Chaque lead est une personne."
    says = "sagt" if language == "de" else "dit"
    write_post(site, "said.md", f"title: Said\ndate: {when(timedelta(hours=-2))}",
               f'Body text.\n\n> [!pullquote]\n> "{said}," {says} Ann.\n\n> [!pullquote]\n> "{every}"\n')
    report = run(site)
    for network in ("x", "mastodon", "pinterest"):
        quotes = [item["content_text"].split("\n")[0] for item in items(report, network, "said")
                  if item["_publisher"]["kind"] == "quote"]
        assert quotes == quoted, network
