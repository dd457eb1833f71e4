"""Typed reads of a file's front matter that note every bad value and go on.

Posts, pages, offers and CTAs are read through `Fields`: a bad value becomes a
`Problem` naming the file, the field's line and the field, and reads as a
default, so one build reports every bad field of every file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from publisher.core import dates
from publisher.core.errors import Problem


@dataclass(slots=True)
class Fields:
    """Typed reads of one file's front matter; a bad value is recorded as a problem and read as a default."""

    path: str
    meta: dict[str, Any]
    lines: dict[str, int]
    problems: list[Problem] = field(default_factory=list)

    def problem(self, name: str, message: str) -> Problem:
        """A problem at the line of `name`; a nested `form.action` at its own line, else its parent's."""
        line = self.lines.get(name) or self.lines.get(name.split(".", 1)[0], 1)
        return Problem(self.path, line, name, message)

    def fail(self, name: str, message: str) -> None:
        self.problems.append(self.problem(name, message))

    def text(self, name: str) -> str:
        value = self.meta.get(name)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self.fail(name, f"must be text, not {type_name(value)}")
            return ""
        return str(value).strip()

    def first_text(self, names: tuple[str, ...]) -> str:
        return next((value for value in (self.text(name) for name in names) if value), "")

    def boolean(self, name: str, default: bool = False) -> bool:
        value = self.meta.get(name, default)
        if not isinstance(value, bool):
            self.fail(name, f"must be true or false, not {value!r}")
            return default
        return value

    def mapping(self, name: str) -> dict[str, Any]:
        value = self.meta.get(name, {})
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(name, f"must be a mapping of settings, not {type_name(value)}")
            return {}
        return value

    def date(self, names: tuple[str, ...], tz: ZoneInfo) -> datetime | None:
        """The first of `names` that is set, read in the site's time zone."""
        for name in names:
            value = self.meta.get(name)
            if value is None or value == "":
                continue
            try:
                found = dates.parse_date(value, tz)
            except ValueError as exc:
                self.fail(name, str(exc))
                return None
            if found.year not in dates.YEARS:
                self.fail(name, f"{value!s} is outside the years {dates.YEARS[0]} to {dates.YEARS[-1]}")
                return None
            return found
        return None

    def words(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Tags may be a list or a comma-separated string; aliases are merged, first spelling kept."""
        merged: dict[str, str] = {}
        for name in names:
            for item in self._items(name):
                item = " ".join(item.split())
                if item:
                    merged.setdefault(item.casefold(), item)
        return tuple(merged.values())

    def _items(self, name: str) -> list[str]:
        value = self.meta.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            return value.split(",")
        if isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value):
            return [str(item) for item in value]
        self.fail(name, f"must be a list of words or a comma-separated string, not {type_name(value)}")
        return []


def type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false"}.get(type(value), type(value).__name__)
