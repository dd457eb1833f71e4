from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from publisher.core.dates import date_from_filename, parse_date

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03-02", "2026-03-02T00:00:00+01:00"),
    ("2026-03-02 09:30", "2026-03-02T09:30:00+01:00"),
    ("2026-07-02 9:30", "2026-07-02T09:30:00+02:00"),
    ("2026-03-02T09:30:15", "2026-03-02T09:30:15+01:00"),
    ("2026-03-02T09:30:00Z", "2026-03-02T09:30:00+00:00"),
    ("2026-03-02T09:30:00-05:00", "2026-03-02T09:30:00-05:00"),
    ("2026-03-16 10:00:00 +0100", "2026-03-16T10:00:00+01:00"),  # Jekyll
])
def test_text_forms(text: str, expected: str) -> None:
    assert parse_date(text, BERLIN).isoformat() == expected


def test_yaml_values() -> None:
    assert parse_date(date(2026, 1, 2), BERLIN).isoformat() == "2026-01-02T00:00:00+01:00"
    aware = datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=5)))
    assert parse_date(aware, BERLIN) == aware


@pytest.mark.parametrize("text", ["2024-13-01", "2026-02-30", "yesterday", "02/03/2026", "2026-03-02 25:00"])
def test_impossible_dates_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected YYYY-MM-DD"):
        parse_date(text, BERLIN)


def test_date_from_file_name() -> None:
    assert date_from_filename("2026-01-26-long-form") == (date(2026, 1, 26), "long-form")
    assert date_from_filename("long-form") == (None, "long-form")
    assert date_from_filename("2026-13-26-x") == (None, "2026-13-26-x")
