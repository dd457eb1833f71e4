"""Reading the many ways writers (and Jekyll, Hugo, Eleventy) write dates.

Text comes in two families, each read by one pattern:

- numeric: ISO 8601 / RFC 3339 and YAML timestamps (`2016-07-13`, `2016-7-3 9:00:00 -4`,
  `2016-07-13T15:00:00.000Z`, `2016/07/13 15:00`, `20160713T150000Z`, `2016-W28-3`,
  `2016-195`), and Go's `Time.String()` (`2016-07-13 15:00:00 -0400 EDT`);
- worded, with a month name: RFC 2822 (`Wed, 13 Jul 2016 15:00:00 -0400`), RFC 822 and 850,
  Go's ANSIC, UnixDate and RubyDate, JavaScript's `Date.toString()`, `July 13, 2016 3:00 PM`.

A zone is `Z`, `UTC`, `GMT`, `UT`, an offset (`-4`, `-04`, `-0400`, `-04:00`, also after
`GMT`/`UTC`) or an RFC 822 North American name (`EST` ... `PDT`); the offset is kept as
written. Without a zone the time is in the site's time zone.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

EXPECTED = "expected YYYY-MM-DD[ HH:MM[:SS]][ zone]"

# Names whose offset nobody disputes: UTC's, and RFC 822's North American zones (which email,
# Ruby and JavaScript all read alike). Others (IST, BST, CET...) are ambiguous or unknown to
# one of them, so they are refused rather than guessed.
_NAMED_ZONES = {
    "Z": 0, "UT": 0, "UTC": 0, "GMT": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}
_ZONE = r"(?P<zone>(?:gmt|utc|ut)?[+-](?:\d{1,2}:\d{2}|\d{1,4})|z|utc|ut|gmt|[ecmp][sd]t)"
_HALF_DAY = r"(?:\s*(?P<half>[ap])\.?m\.?)?"  # 3:00 PM, 3pm, 3 p.m.
_FRACTION = r"(?:[.,]\d+)?"

_NUMERIC = re.compile(
    r"(?P<date>\d{4}(?P<sep>[-/])\d{1,2}(?P=sep)\d{1,2}|\d{8}|\d{4}-?w\d{2}-?[1-7]|\d{4}-?\d{3})"
    r"(?:(?:(?P<t>t)|\s+)"
    # H:MM[:SS[.f]], or after the T also a bare hour or ISO basic HHMM[SS[.f]]
    rf"(?P<clock>\d{{1,2}}(?::\d{{2}}(?::\d{{2}}{_FRACTION})?)?|\d{{4}}(?:\d{{2}}{_FRACTION})?){_HALF_DAY}"
    # Go's Time.String() writes an abbreviation after the offset; the offset is what counts.
    rf"(?:\s*{_ZONE}(?:\s+(?P<abbreviation>(?-i:[A-Z]{{3,5}})|[+-]\d{{2}}(?:\d{{2}})?))?)?)?",
    re.IGNORECASE,
)

_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:(?:(?:mon|fri|sun)(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
    r"|sat(?:urday)?)\.?,?\s*)?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_WORDED_TIME = (
    rf"(?:(?:,\s*|\s+)(?P<clock>\d{{1,2}}:\d{{2}}(?::\d{{2}}{_FRACTION})?){_HALF_DAY}"
    rf"(?:\s*{_ZONE}(?:\s*\([^()]*\))?)?)?"  # JavaScript: GMT-0400 (Eastern Daylight Time)
)
_WORDED = (
    # 13 Jul 2016, 13-Jul-16 (RFC 822, 850), [Wed, ]13 July 2016 15:00[:00] [zone] (RFC 2822)
    re.compile(rf"{_WEEKDAY}{_DAY}[\s-]+{_MONTH}[\s,-]+(?P<year>\d{{4}}|\d{{2}}){_WORDED_TIME}", re.IGNORECASE),
    # July 13, 2016 3:00 PM; JavaScript's Wed Jul 13 2016 15:00:00 GMT-0400 (...);
    # the year after the time: Wed Jul 13 15:00:00 [EDT|-0400] 2016 (ANSIC, UnixDate, RubyDate)
    re.compile(
        rf"{_WEEKDAY}{_MONTH}\s+{_DAY}(?:,?\s+(?P<year>\d{{4}}))?{_WORDED_TIME}(?:\s+(?P<late_year>\d{{4}}))?",
        re.IGNORECASE,
    ),
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


YEARS = range(1000, 9000)  # what a post's date may be: its time zones, lags and re-shares stay within Python's years


def parse_date(value: object, tz: ZoneInfo) -> datetime:
    """Return an aware datetime; a date or time without a zone is in `tz`.

    Raises ValueError with a message fit for the user.
    """
    if isinstance(value, datetime):  # a YAML or TOML timestamp
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    parsed = _read(value.strip(), tz) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError(_why_unread(value))
    return parsed


def _why_unread(value: object) -> str:
    """The message for a date that did not read: why it is no day, or no time of day, when it is written as one
    (`'2026-03-01 25:00' is no time: there is no hour 25…`); else the forms that read."""
    text = value.strip() if isinstance(value, str) else ""
    no_day = _why_no_calendar_day(text)
    if no_day:
        return f"{value!r} is no day: {no_day}"
    no_time = _why_no_time(text)
    if no_time:
        return f"{value!r} is no time: {no_time}"
    return f"cannot read {value!r} ({EXPECTED})"


def _why_no_calendar_day(text: str) -> str:
    """Why a date written as YYYY-MM-DD (or with `/`), a time after it or not, is no day of the calendar; "" when
    it is one or is written otherwise. `cannot read '2026-02-30' (expected YYYY-MM-DD…)` sent the writer to a form
    they had used (Hugo's "day out of range" names the reason)."""
    match = _CALENDAR_DAY.match(text)
    return why_no_day(int(match[1]), int(match[3]), int(match[4])) if match else ""


_CALENDAR_DAY = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})(?![\d/-])")


def _why_no_time(text: str) -> str:
    """Why the time in a date written in a form that reads is no time of day (an hour 25, `13:00 PM`, a minute 60,
    an offset `+25:00`): `a day's hours are 0 to 23, not 25`; "" when it is one, or the text is in no form that
    reads. `cannot read … (expected …)` sent the writer to a form they had used; Go's time.Parse, which reads
    Hugo's dates, names the part out of range ("hour out of range")."""
    numeric = _NUMERIC.fullmatch(text)
    match = numeric if numeric and _numeric_form_reads(numeric) else None
    if numeric is None:
        match = next(filter(None, (pattern.fullmatch(text) for pattern in _WORDED)), None)
    if match is None or not match["clock"]:
        return ""
    hour, minute, second = _clock(match["clock"])
    no_clock = why_no_clock(hour, minute, second, f"{match['half'].upper()}M" if match["half"] else "")
    if no_clock:
        return no_clock
    if match["zone"] and _zone(match["zone"]) is None:
        return f"{match['zone']!r} is no offset from UTC (its hours are 0 to 23, its minutes 0 to 59)"
    return ""


def why_no_clock(hour: int, minute: int, second: int = 0, half: str = "") -> str:
    """Why `hour`:`minute`:`second` (before `half`, "AM" or "PM", when given) is no time of day
    (`a day's hours are 0 to 23, not 25`), or "" when it is one."""
    if hour > 23:
        midnight = " (the midnight that ends a day is 00:00 of the next)" if hour == 24 and not minute else ""
        return f"a day's hours are 0 to 23, not {hour}{midnight}"
    if half and not 1 <= hour <= 12:
        return (f"an hour before {half} is 1 to 12, not {hour} (write {hour:02d}:{minute:02d} without {half} for "
                "the 24-hour clock)")
    if minute > 59:
        return f"an hour's minutes are 0 to 59, not {minute}"
    if second > 59:
        return f"a minute's seconds are 0 to 59, not {second}"
    return ""


def _clock(clock: str) -> tuple[int, int, int]:
    """The hour, minute and second of a clock as written (`9`, `9:05`, `09:05:30.5`, basic `0905`)."""
    hour, minute, second = re.findall(r"^(\d\d?):?(\d\d)?:?(\d\d)?", clock)[0]
    return int(hour), int(minute or 0), int(second or 0)


def _read(text: str, tz: ZoneInfo) -> datetime | None:
    """What `text` means, or None when it is no date or an impossible one."""
    try:
        match = _NUMERIC.fullmatch(text)
        if match:
            return _at(_calendar_day(match["date"]), match, tz) if _numeric_form_reads(match) else None
        for pattern in _WORDED:
            match = pattern.fullmatch(text)
            if match:
                return _at(_worded_day(match), match, tz)
    except ValueError:  # a month 13, a 30 February, an hour 25...
        return None
    return None


def _numeric_form_reads(match: re.Match[str]) -> bool:
    """Whether a match of `_NUMERIC` is in a form that reads, its numbers aside."""
    clock = match["clock"] or ""
    if clock and not match["t"] and ":" not in clock and not (match["half"] and len(clock) <= 2):
        return False  # a bare hour (but 3pm) or a basic-format clock needs the T
    return not match["abbreviation"] or match["zone"][-1].isdigit()  # Go writes one only after a numeric offset


def _calendar_day(text: str) -> date:
    """An ISO 8601 calendar, week or ordinal date (extended or basic), or Y/M/D with slashes."""
    week = re.fullmatch(r"(\d{4})-?w(\d{2})-?(\d)", text, re.IGNORECASE)
    if week:
        return date.fromisocalendar(int(week[1]), int(week[2]), int(week[3]))
    parts = re.split(r"[-/]", text)
    if len(parts) == 3:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    digits = "".join(parts)
    if len(digits) == 8:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    year, day_of_year = int(digits[:4]), int(digits[4:])
    first = date(year, 1, 1)
    if not 1 <= day_of_year <= first.replace(year=year + 1).toordinal() - first.toordinal():
        raise ValueError(f"day {day_of_year} of {year}")
    return first + timedelta(days=day_of_year - 1)


def _worded_day(match: re.Match[str]) -> date:
    years = [year for year in (match["year"], match.groupdict().get("late_year")) if year]
    if len(years) != 1:
        raise ValueError("one year is needed")
    year = int(years[0])
    if len(years[0]) == 2:  # RFC 822: 69-99 are 19xx, 00-68 are 20xx (as POSIX, Go and email read them)
        year += 1900 if year >= 69 else 2000
    return date(year, _MONTHS.index(match["month"][:3].lower()) + 1, int(match["day"]))


def _at(day: date, match: re.Match[str], tz: ZoneInfo) -> datetime | None:
    """`day` at the match's clock (midnight without one), in the match's zone or else in `tz`."""
    clock = match["clock"] or "0"
    hour, minute, second = _clock(clock)
    fraction = re.search(r"[.,](\d+)", clock)
    micro = int(fraction[1][:6].ljust(6, "0")) if fraction else 0  # beyond microseconds is cut, as by PyYAML
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"].lower() == "p" else 0)
    zone = _zone(match["zone"]) if match["zone"] else tz
    if zone is None:
        return None
    return datetime(day.year, day.month, day.day, hour, minute, second, micro, tzinfo=zone)


def _zone(text: str) -> tzinfo | None:
    """A name of _NAMED_ZONES, or an offset: `-4`, `-04`, `-400`, `-0400`, `-04:00`, `GMT-0400`."""
    name = text.upper()
    if name in _NAMED_ZONES:
        hours = _NAMED_ZONES[name]
        return timezone(timedelta(hours=hours)) if hours else UTC
    sign, digits = re.findall(r"([+-])(.*)", text)[0]
    if ":" in digits:
        hours_text, minutes_text = digits.split(":")
    else:  # of three or four digits, the last two are minutes
        hours_text, minutes_text = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
    if int(hours_text) > 23 or int(minutes_text) > 59:
        return None
    offset = timedelta(hours=int(hours_text), minutes=int(minutes_text))
    return timezone(-offset if sign == "-" else offset) if offset else UTC


_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")


def why_no_day(year: int, month: int, day: int) -> str:
    """Why `year`-`month`-`day` is no day of the calendar (`February 2026 has 28 days`), or "" when it is one."""
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    length = (31, 29 if calendar.isleap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    if not 1 <= day <= length:
        return f"{_MONTH_NAMES[month - 1]} {year} has {length} days"
    return "" if date.min.year <= year else f"there is no year {year}"


def filename_date_problem(stem: str) -> str:
    """Why the `YYYY-MM-DD-` a file name starts with is no day (`2026-02-30: February 2026 has 28 days`), or ""
    when it is one or the name starts with none: such a file was told to add a date, or to be named
    `YYYY-MM-DD-2026-02-30-launch.md`."""
    match = _FILENAME_DATE.match(stem)
    if not match:
        return ""
    reason = why_no_day(int(match[1]), int(match[2]), int(match[3]))
    return f"{match[1]}-{match[2]}-{match[3]}: {reason}" if reason else ""


_FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


def date_from_filename(stem: str) -> tuple[date | None, str]:
    """Split a Jekyll-style `2026-01-26-title` stem into its date and the rest."""
    match = _FILENAME_DATE.match(stem)
    if not match:
        return None, stem
    try:
        return date(int(match[1]), int(match[2]), int(match[3])), match[4]
    except ValueError:
        return None, stem
