import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from publisher.content.frontmatter import split_source
from publisher.core.dates import EXPECTED, date_from_filename, parse_date

BERLIN = ZoneInfo("Europe/Berlin")


def _same(parsed: datetime, expected: str) -> None:
    """The same instant *and* the same offset (an offset written is an offset kept)."""
    want = datetime.fromisoformat(expected)
    assert (parsed, parsed.utcoffset()) == (want, want.utcoffset())


@pytest.mark.parametrize(("text", "expected"), [
    # YAML timestamps, ISO 8601 and RFC 3339 (Jekyll, Hugo, Eleventy); no zone: Berlin's
    ("2026-03-02", "2026-03-02T00:00:00+01:00"),
    ("2026-03-02 09:30", "2026-03-02T09:30:00+01:00"),
    ("2026-07-02 9:30", "2026-07-02T09:30:00+02:00"),
    ("2026-03-02T09:30:15", "2026-03-02T09:30:15+01:00"),
    ("2026-03-02t09:30:15", "2026-03-02T09:30:15+01:00"),
    ("2026-03-02   09:30:15", "2026-03-02T09:30:15+01:00"),
    ("2016-7-3 9:00:00", "2016-07-03T09:00:00+02:00"),  # YAML allows one-digit month and day
    ("2016-07-13T15", "2016-07-13T15:00:00+02:00"),  # ISO: the hour alone, after a T
    ("  2016-07-13 15:00  ", "2016-07-13T15:00:00+02:00"),
    # every offset notation
    ("2016-03-23 9:00:00 -4", "2016-03-23T09:00:00-04:00"),
    ("2016-03-23 09:00:00 -04", "2016-03-23T09:00:00-04:00"),
    ("2016-03-23 09:00:00 -0400", "2016-03-23T09:00:00-04:00"),
    ("2016-03-23 09:00:00 -04:00", "2016-03-23T09:00:00-04:00"),
    ("2016-03-23 09:00:00 -4:30", "2016-03-23T09:00:00-04:30"),
    ("2016-03-23 09:00:00 -400", "2016-03-23T09:00:00-04:00"),  # Ruby: the last two digits are minutes
    ("2016-03-23T09:00:00-04:00", "2016-03-23T09:00:00-04:00"),
    ("2016-03-23T09:00:00+0530", "2016-03-23T09:00:00+05:30"),
    ("2016-03-23 09:00:00+14", "2016-03-23T09:00:00+14:00"),
    ("2016-03-23 09:00:00 Z", "2016-03-23T09:00:00+00:00"),
    ("2016-03-23T09:00:00Z", "2016-03-23T09:00:00+00:00"),
    ("2016-03-23t09:00:00z", "2016-03-23T09:00:00+00:00"),
    ("2016-03-23 09:00:00 UTC", "2016-03-23T09:00:00+00:00"),
    ("2016-03-23 09:00:00 GMT", "2016-03-23T09:00:00+00:00"),
    ("2016-03-23 09:00:00 UT", "2016-03-23T09:00:00+00:00"),
    ("2016-03-23 09:00:00 +0000", "2016-03-23T09:00:00+00:00"),
    ("2016-03-23 09:00:00 -00:00", "2016-03-23T09:00:00+00:00"),
    ("2016-03-23 09:00 UTC+3", "2016-03-23T09:00:00+03:00"),
    ("2016-03-23 09:00 EST", "2016-03-23T09:00:00-05:00"),
    ("2016-07-13 09:00 PDT", "2016-07-13T09:00:00-07:00"),
    ("2026-03-16 10:00:00 +0100", "2026-03-16T10:00:00+01:00"),  # Jekyll's own example form
    # fractional seconds: milliseconds (JavaScript's toISOString), micro, nano (Hugo), comma
    ("2016-07-13T15:00:00.000Z", "2016-07-13T15:00:00+00:00"),
    ("2016-07-13T15:00:00.123Z", "2016-07-13T15:00:00.123+00:00"),
    ("2016-07-13 15:00:00.123456 -4", "2016-07-13T15:00:00.123456-04:00"),
    ("2016-07-13T15:00:00.123456789+01:00", "2016-07-13T15:00:00.123456+01:00"),
    ("2016-07-13T15:00:00,5", "2016-07-13T15:00:00.5+02:00"),
    # Hugo's layouts: Go's Time.String(), "2006-01-02 15:04:05Z07:00", slashes
    ("2016-07-13 15:00:00 -0400 EDT", "2016-07-13T15:00:00-04:00"),
    ("2016-07-13 15:00:00.5 +0000 UTC", "2016-07-13T15:00:00.5+00:00"),
    ("2016-07-13 15:00:00 -0300 -03", "2016-07-13T15:00:00-03:00"),
    ("2016-07-13 15:00:00-04:00", "2016-07-13T15:00:00-04:00"),
    ("2016/07/13 15:00", "2016-07-13T15:00:00+02:00"),
    ("2016/7/3", "2016-07-03T00:00:00+02:00"),
    # ISO 8601 basic format, week and ordinal dates (Eleventy reads all ISO 8601 with Luxon)
    ("20160713", "2016-07-13T00:00:00+02:00"),
    ("20160713T150000Z", "2016-07-13T15:00:00+00:00"),
    ("20160713T1500-0400", "2016-07-13T15:00:00-04:00"),
    ("2016-07-13T150000.25+01", "2016-07-13T15:00:00.25+01:00"),
    ("2016-W28-3", "2016-07-13T00:00:00+02:00"),
    ("2016W283T15:00Z", "2016-07-13T15:00:00+00:00"),
    ("2016-195", "2016-07-13T00:00:00+02:00"),
    ("2016195T15:00-04", "2016-07-13T15:00:00-04:00"),
    ("2016-366", "2016-12-31T00:00:00+01:00"),
    # twelve-hour clocks (Ruby's Time.parse, JavaScript's Date.parse)
    ("2016-07-13 3:00 PM", "2016-07-13T15:00:00+02:00"),
    ("2016-07-13 3pm", "2016-07-13T15:00:00+02:00"),
    ("2016-07-13 12:30 a.m. -4", "2016-07-13T00:30:00-04:00"),
    ("2016-07-13 12:30 PM", "2016-07-13T12:30:00+02:00"),
    # RFC 2822 / 1123 / 822 / 850 (Hugo's layouts, feeds, JavaScript's toUTCString)
    ("Wed, 13 Jul 2016 15:00:00 -0400", "2016-07-13T15:00:00-04:00"),
    ("Wed, 13 Jul 2016 15:00:00 GMT", "2016-07-13T15:00:00+00:00"),
    ("Wed,13 Jul 2016 15:00 EDT", "2016-07-13T15:00:00-04:00"),
    ("13 Jul 2016 15:00:00 +0530", "2016-07-13T15:00:00+05:30"),
    ("Wed, 13 Jul 2016 15:00:00 +0000 (UTC)", "2016-07-13T15:00:00+00:00"),
    ("13 Jul 16 15:00 -0400", "2016-07-13T15:00:00-04:00"),  # RFC 822: two-digit year
    ("01 Jan 70 00:00 GMT", "1970-01-01T00:00:00+00:00"),
    ("31 Dec 68 23:59 GMT", "2068-12-31T23:59:00+00:00"),
    ("Wednesday, 13-Jul-16 15:00:00 PDT", "2016-07-13T15:00:00-07:00"),  # RFC 850
    ("Wed, 13 Jul 2016 15:00:00", "2016-07-13T15:00:00+02:00"),
    # Go's ANSIC, UnixDate, RubyDate: the year after the time
    ("Wed Jul 13 15:00:00 2016", "2016-07-13T15:00:00+02:00"),
    ("Sun Jul  3 15:00:00 MST 2016", "2016-07-03T15:00:00-07:00"),
    ("Mon Jan 02 15:04:05 -0700 2006", "2006-01-02T15:04:05-07:00"),
    # JavaScript's Date.toString(), and dates as people write them
    ("Wed Jul 13 2016 15:00:00 GMT-0400 (Eastern Daylight Time)", "2016-07-13T15:00:00-04:00"),
    ("Wed Jul 13 2016 15:00:00 GMT+0200 (Mitteleuropäische Sommerzeit)", "2016-07-13T15:00:00+02:00"),
    ("02 Jan 2006", "2006-01-02T00:00:00+01:00"),
    ("13 July 2016", "2016-07-13T00:00:00+02:00"),
    ("13 July 2016 15:00", "2016-07-13T15:00:00+02:00"),
    ("July 13, 2016", "2016-07-13T00:00:00+02:00"),
    ("Jul. 13 2016", "2016-07-13T00:00:00+02:00"),
    ("Sept 13, 2016, 3:00 PM", "2016-09-13T15:00:00+02:00"),
    ("Wednesday, July 13th, 2016 3:00 pm EDT", "2016-07-13T15:00:00-04:00"),
    ("december 1 2016 09:30:15.5 z", "2016-12-01T09:30:15.5+00:00"),
])
def test_text_forms(text: str, expected: str) -> None:
    _same(parse_date(text, BERLIN), expected)


# What PyYAML makes of each form: a datetime (aware or not), a date, or text. publisher's own
# front-matter loader keeps every timestamp as text; TOML (Hugo's +++) gives datetime objects.
@pytest.mark.parametrize(("written", "yaml_gives", "expected"), [
    ("2016-03-23", date, "2016-03-23T00:00:00+01:00"),
    ("2016-03-23 9:00:00 -4", datetime, "2016-03-23T09:00:00-04:00"),
    ("2016-03-23 09:00:00 -04", datetime, "2016-03-23T09:00:00-04:00"),
    ("2016-03-23 09:00:00 -04:00", datetime, "2016-03-23T09:00:00-04:00"),
    ("2016-03-23 09:00:00-4:30", datetime, "2016-03-23T09:00:00-04:30"),
    ("2016-03-23T09:00:00Z", datetime, "2016-03-23T09:00:00+00:00"),
    ("2016-07-13T15:00:00.000Z", datetime, "2016-07-13T15:00:00+00:00"),
    ("2016-07-13T15:00:00.123456789+01:00", datetime, "2016-07-13T15:00:00.123456+01:00"),
    ("2016-7-3 9:00:00", datetime, "2016-07-03T09:00:00+02:00"),  # naive: in the site's zone
    ("2016-03-23 09:00:00 -0400", str, "2016-03-23T09:00:00-04:00"),
    ("2016-03-23 09:00:00 UTC", str, "2016-03-23T09:00:00+00:00"),
    ("2016-03-23 09:00:00 +0000", str, "2016-03-23T09:00:00+00:00"),
    ("2016-03-23 09:00", str, "2016-03-23T09:00:00+01:00"),
    ("2016-03-23t09:00:00z", str, "2016-03-23T09:00:00+00:00"),
    ("Wed, 13 Jul 2016 15:00:00 -0400", str, "2016-07-13T15:00:00-04:00"),
    ("'2016-03-23 09:00:00 -4'", str, "2016-03-23T09:00:00-04:00"),  # quoted: always text
    ('"2016-03-23T09:00:00Z"', str, "2016-03-23T09:00:00+00:00"),
])
def test_yaml_values_read_as_their_text(written: str, yaml_gives: type, expected: str) -> None:
    by_pyyaml = yaml.safe_load(f"date: {written}")["date"]
    by_publisher = split_source(f"---\ndate: {written}\n---\n").metadata["date"]
    assert type(by_pyyaml) is yaml_gives
    assert isinstance(by_publisher, str)
    _same(parse_date(by_pyyaml, BERLIN), expected)
    _same(parse_date(by_publisher, BERLIN), expected)


@pytest.mark.parametrize(("toml", "expected"), [
    ("2016-07-13T15:00:00-04:00", "2016-07-13T15:00:00-04:00"),
    ("2016-07-13 15:00:00Z", "2016-07-13T15:00:00+00:00"),
    ("2016-07-13T15:00:00", "2016-07-13T15:00:00+02:00"),
    ("2016-07-13", "2016-07-13T00:00:00+02:00"),
    ('"2016-07-13 15:00:00 -4"', "2016-07-13T15:00:00-04:00"),
])
def test_toml_values(toml: str, expected: str) -> None:
    _same(parse_date(tomllib.loads(f"date = {toml}")["date"], BERLIN), expected)


def test_datetime_objects() -> None:
    assert parse_date(date(2026, 1, 2), BERLIN).isoformat() == "2026-01-02T00:00:00+01:00"
    aware = datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=5)))
    assert parse_date(aware, BERLIN) is aware
    assert parse_date(datetime.combine(date(2026, 7, 2), time(3, 4)), BERLIN).isoformat() == "2026-07-02T03:04:00+02:00"


@pytest.mark.parametrize("value", [
    "2016-07-13 15:00 +12345",
    "2016-07-13 15:00 CET", "2016-07-13 15:00 IST", "2016-07-13 15:00 UTC UTC", "2016-07-13 15:00 -0400 edt",
    "2016-07-13 -04:00", "2016-07-13 15", "2016-07-13 1500", "2016-07-1315:00", "2016-07-13T", "2016/07-13",
    "2016-07-13 25", "2016-07-13 1500 PM",
    "2016-W54-1", "2016-W28-8", "2016-367", "2015-366", "2016-000",
    "Wed, 32 Jul 2016 15:00:00 -0400", "Wed, 13 Foo 2016 15:00:00 -0400",
    "Jul 13", "Jul 13 2016 15:00 2016", "Jul 13 1500 2016", "13 Jul 2016 GMT",
    "garbage", "yesterday", "02/03/2026", "2016", "2016-03", "15:00", "", "now",
    2016, 20160713, 1468436400, 3.5, True, time(15, 0), None, ["2016-07-13"],
])
def test_unreadable_dates_keep_the_one_line_message(value: object) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(value, BERLIN)
    assert str(caught.value) == f"cannot read {value!r} ({EXPECTED})"


@pytest.mark.parametrize(("value", "reason"), [
    ("2024-13-01", "there is no month 13"), ("2016-00-10", "there is no month 0"),
    ("2016-02-30", "February 2016 has 29 days"), ("2015-02-29", "February 2015 has 28 days"),
    ("2026-04-31 09:30", "April 2026 has 30 days"), ("2026/6/31", "June 2026 has 30 days"),
    ("2026-02-29T09:30:00Z", "February 2026 has 28 days"), ("0000-01-01", "there is no year 0"),
])
def test_a_day_the_calendar_lacks_is_named_so_in_one_line(value: str, reason: str) -> None:
    """Written in the very form the message asked for, such a date read `cannot read '2026-02-30' (expected
    YYYY-MM-DD…)`: now the message says why there is no such day, as Hugo's "day out of range" does."""
    with pytest.raises(ValueError) as caught:
        parse_date(value, BERLIN)
    assert str(caught.value) == f"{value!r} is no day: {reason}"


@pytest.mark.parametrize(("value", "reason"), [
    ("2026-03-02 25:00", "a day's hours are 0 to 23, not 25"),
    ("2016-07-13 24:00", "a day's hours are 0 to 23, not 24 (the midnight that ends a day is 00:00 of the next)"),
    ("2016-07-13T25:00:00Z", "a day's hours are 0 to 23, not 25"),
    ("July 13, 2016 25:00", "a day's hours are 0 to 23, not 25"),
    ("2016-07-13 15:60", "an hour's minutes are 0 to 59, not 60"),
    ("2016-07-13 15:00:60", "a minute's seconds are 0 to 59, not 60"),
    ("2016-07-13 13:00 PM", "an hour before PM is 1 to 12, not 13 (write 13:00 without PM for the 24-hour clock)"),
    ("2016-07-13 0:30 am", "an hour before AM is 1 to 12, not 0 (write 00:30 without AM for the 24-hour clock)"),
    ("2016-07-13 15:00 -25", "'-25' is no offset from UTC (its hours are 0 to 23, its minutes 0 to 59)"),
    ("2016-07-13 15:00 +24:00", "'+24:00' is no offset from UTC (its hours are 0 to 23, its minutes 0 to 59)"),
    ("2016-07-13 15:00 -4:60", "'-4:60' is no offset from UTC (its hours are 0 to 23, its minutes 0 to 59)"),
    ("Wed, 13 Jul 2016 15:00:00 -4000", "'-4000' is no offset from UTC (its hours are 0 to 23, its minutes 0 to 59)"),
])
def test_a_time_the_clock_lacks_is_named_so_in_one_line(value: str, reason: str) -> None:
    """`date: 2026-03-02 25:00` and `13:00 PM` read `cannot read … (expected YYYY-MM-DD[ HH:MM[:SS]][ zone])`, a
    form the writer had used; now the message says which part is out of range, as an impossible day's does (and
    as Go's time.Parse, which reads Hugo's dates, says "hour out of range")."""
    with pytest.raises(ValueError) as caught:
        parse_date(value, BERLIN)
    assert str(caught.value) == f"{value!r} is no time: {reason}"


def test_the_message_the_broken_site_expects() -> None:
    with pytest.raises(ValueError) as caught:
        parse_date("2024-13-01", BERLIN)
    assert str(caught.value) == "'2024-13-01' is no day: there is no month 13"


@pytest.mark.parametrize("text", [
    "Wed, 13 Jul 2016 15:00:00 -0400", "13 Jul 2016 15:00 +0530", "Wed, 13 Jul 2016 15:00:00 GMT",
    "Wed, 13 Jul 16 15:00:00 PST", "Wednesday, 13-Jul-16 15:00:00 EDT", "Wed Jul 13 15:00:00 -0400 2016",
])
def test_rfc_2822_reads_as_the_standard_library_reads_it(text: str) -> None:
    theirs = parsedate_to_datetime(text)
    ours = parse_date(text, BERLIN)
    assert (ours, ours.utcoffset()) == (theirs, theirs.utcoffset())


# --- every form publisher reads, written from random instants and read back -------------------

# A day's margin each side, so that any offset keeps the instant inside datetime's range.
_FIRST = datetime.combine(date.min + timedelta(days=1), time.min)
_LAST = datetime.combine(date.max - timedelta(days=1), time.max)
_MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _offset_parts(offset: timedelta) -> tuple[str, int, int]:
    minutes = int(offset.total_seconds()) // 60
    return ("-" if minutes < 0 else "+"), abs(minutes) // 60, abs(minutes) % 60


# name -> (the offsets it can write, in minutes; how it writes one)
_ZONES: dict[str, tuple[st.SearchStrategy[int], Callable[[str, int, int], str]]] = {
    "+HH:MM": (st.integers(-1439, 1439), lambda s, h, m: f"{s}{h:02d}:{m:02d}"),
    "+HHMM": (st.integers(-1439, 1439), lambda s, h, m: f"{s}{h:02d}{m:02d}"),
    "+H:MM": (st.integers(-1439, 1439), lambda s, h, m: f"{s}{h}:{m:02d}"),
    "+HMM": (st.integers(-599, 599), lambda s, h, m: f"{s}{h}{m:02d}"),
    "+HH": (st.integers(-23, 23).map(lambda h: h * 60), lambda s, h, m: f"{s}{h:02d}"),
    "+H": (st.integers(-23, 23).map(lambda h: h * 60), lambda s, h, m: f"{s}{h}"),
    "GMT+HHMM": (st.integers(-1439, 1439), lambda s, h, m: f"GMT{s}{h:02d}{m:02d}"),
    "UTC+H": (st.integers(-23, 23).map(lambda h: h * 60), lambda s, h, m: f"UTC{s}{h}"),
    "+HHMM NAME": (st.integers(-1439, 1439), lambda s, h, m: f"{s}{h:02d}{m:02d} XYZ"),
    "Z": (st.just(0), lambda s, h, m: "Z"),
    "UTC": (st.just(0), lambda s, h, m: "UTC"),
    "GMT": (st.just(0), lambda s, h, m: "GMT"),
}


@st.composite
def _zoned(draw: st.DrawFn, notations: list[str]) -> tuple[datetime, str]:
    """A random aware datetime and its zone written in one of `notations`."""
    notation = draw(st.sampled_from(notations))
    offsets, write = _ZONES[notation]
    minutes = draw(offsets)
    zone = timezone(timedelta(minutes=minutes))
    moment = draw(st.datetimes(min_value=_FIRST, max_value=_LAST))
    moment = moment.replace(tzinfo=zone)
    text = write(*_offset_parts(timedelta(minutes=minutes)))
    return moment, text


def _ymd(d: datetime) -> str:
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


# name -> (how the date and clock are written, what of the instant survives)
_CLOCKS: dict[str, tuple[Callable[[datetime], str], Callable[[datetime], datetime]]] = {
    "ISO T, seconds": (lambda d: f"{_ymd(d)}T{d:%H:%M:%S}", lambda d: d.replace(microsecond=0)),
    "ISO space, seconds": (lambda d: f"{_ymd(d)} {d:%H:%M:%S}", lambda d: d.replace(microsecond=0)),
    "ISO T, minutes": (lambda d: f"{_ymd(d)}T{d:%H:%M}", lambda d: d.replace(second=0, microsecond=0)),
    "ISO space, one-digit hour": (
        lambda d: f"{_ymd(d)} {d.hour}:{d:%M}", lambda d: d.replace(second=0, microsecond=0)),
    "ISO T, microseconds": (lambda d: f"{_ymd(d)}T{d:%H:%M:%S.%f}", lambda d: d),
    "ISO space, milliseconds": (
        lambda d: f"{_ymd(d)} {d:%H:%M:%S}.{d.microsecond // 1000:03d}",
        lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000)),
    "ISO T, nanoseconds": (lambda d: f"{_ymd(d)}T{d:%H:%M:%S.%f}789", lambda d: d),
    "ISO basic": (lambda d: f"{d.year:04d}{d:%m%d}T{d:%H%M%S}", lambda d: d.replace(microsecond=0)),
    "slashes": (lambda d: f"{d.year:04d}/{d:%m/%d %H:%M:%S}", lambda d: d.replace(microsecond=0)),
}


@pytest.mark.parametrize("clock", list(_CLOCKS))
@given(zoned=_zoned(list(_ZONES)), space=st.sampled_from(["", " "]))
def test_numeric_forms_read_back_the_instant_and_offset(clock: str, zoned: tuple[datetime, str], space: str) -> None:
    moment, zone = zoned
    write, kept = _CLOCKS[clock]
    parsed = parse_date(f"{write(moment)}{space}{zone}", BERLIN)
    expected = kept(moment)
    assert (parsed, parsed.utcoffset()) == (expected, expected.utcoffset())


@pytest.mark.parametrize("clock", list(_CLOCKS))
@given(moment=st.datetimes(min_value=_FIRST, max_value=_LAST))
def test_numeric_forms_without_a_zone_are_in_the_site_zone(clock: str, moment: datetime) -> None:
    write, kept = _CLOCKS[clock]
    assert parse_date(write(moment), BERLIN) == kept(moment).replace(tzinfo=BERLIN)


def _worded(moment: datetime, zone: str, form: str) -> str:
    day, month, year = moment.day, _MONTH_NAMES[moment.month - 1], f"{moment.year:04d}"
    weekday, clock = _DAY_NAMES[moment.weekday()], f"{moment:%H:%M:%S}"
    return {
        "RFC 2822": f"{weekday}, {day:02d} {month} {year} {clock} {zone}",
        "JavaScript toString": f"{weekday} {month} {day:02d} {year} {clock} GMT{zone} (Some Time)",
        "RubyDate": f"{weekday} {month} {day:02d} {clock} {zone} {year}",
        "UnixDate": f"{weekday} {month} {day:>2} {clock} {zone} {year}",
    }[form]


@pytest.mark.parametrize("form", ["RFC 2822", "JavaScript toString", "RubyDate", "UnixDate"])
@given(zoned=_zoned(["+HHMM"]))
def test_worded_forms_read_back_the_instant_and_offset(form: str, zoned: tuple[datetime, str]) -> None:
    moment, zone = zoned
    parsed = parse_date(_worded(moment, zone, form), BERLIN)
    expected = moment.replace(microsecond=0)
    assert (parsed, parsed.utcoffset()) == (expected, expected.utcoffset())


@given(zoned=_zoned(["+HHMM"]))
def test_what_email_writes_reads_back(zoned: tuple[datetime, str]) -> None:
    moment = zoned[0].replace(microsecond=0)
    parsed = parse_date(format_datetime(moment), BERLIN)
    assert (parsed, parsed.utcoffset()) == (moment, moment.utcoffset())
    assert parse_date(format_datetime(moment.astimezone(UTC), usegmt=True), BERLIN) == moment


def test_date_from_file_name() -> None:
    assert date_from_filename("2026-01-26-long-form") == (date(2026, 1, 26), "long-form")
    assert date_from_filename("long-form") == (None, "long-form")
    assert date_from_filename("2026-13-26-x") == (None, "2026-13-26-x")
