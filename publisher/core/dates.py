"""Reading the many ways writers (and Jekyll, Hugo, Eleventy) write dates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

EXPECTED = "expected YYYY-MM-DD[ HH:MM[:SS]][ zone]"

_DATE_TIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$"
)


def parse_date(value: object, tz: ZoneInfo) -> datetime:
    """Return an aware datetime; a date or time without a zone is in `tz`.

    Raises ValueError with a message fit for the user.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=tz)
    if not isinstance(value, str):
        raise ValueError(f"cannot read {value!r} ({EXPECTED})")
    match = _DATE_TIME.match(value.strip())
    if not match:
        raise ValueError(f"cannot read {value!r} ({EXPECTED})")
    text = match["date"]
    clock = match["time"] or "00:00"
    if len(clock.split(":")[0]) == 1:
        clock = "0" + clock
    zone = match["zone"]
    try:
        parsed = datetime.fromisoformat(f"{text}T{clock}")
    except ValueError:
        raise ValueError(f"cannot read {value!r} ({EXPECTED})") from None
    if zone is None:
        return parsed.replace(tzinfo=tz)
    if zone == "Z":
        return parsed.replace(tzinfo=UTC)
    return datetime.fromisoformat(f"{text}T{clock}{zone[:3]}:{zone[-2:]}")


def date_from_filename(stem: str) -> tuple[date | None, str]:
    """Split a Jekyll-style `2026-01-26-title` stem into its date and the rest."""
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$", stem)
    if not match:
        return None, stem
    try:
        return date(int(match[1]), int(match[2]), int(match[3])), match[4]
    except ValueError:
        return None, stem
