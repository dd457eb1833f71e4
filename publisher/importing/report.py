"""What an import did: counts per construct converted, and what it could not map, by file and line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Unmapped:
    """A construct the import could call but not define: the site must write the named shortcode file."""

    path: str  # the source file, relative to the source site
    line: int
    construct: str  # as written, e.g. `{{ "maya" | team_link }}`
    shortcode: str  # the name of the shortcode file that would define it ("" when none would)
    advice: str = ""

    def __str__(self) -> str:
        todo = f"write themes/default/shortcodes/{self.shortcode}.html" if self.shortcode else self.advice
        return f"{self.path}:{self.line}: {self.construct[:80]} -> {todo}"


@dataclass(slots=True)
class Report:
    """Collected while converting; printed by `publisher import`."""

    converted: Counter[str] = field(default_factory=Counter)
    unmapped: list[Unmapped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # site-wide facts the user should know

    def count(self, construct: str) -> None:
        self.converted[construct] += 1

    def cannot_map(self, path: str, line: int, construct: str, shortcode: str = "", advice: str = "") -> None:
        self.unmapped.append(Unmapped(path, line, construct.strip(), shortcode, advice))

    def shortcodes_to_write(self) -> list[str]:
        return sorted({u.shortcode for u in self.unmapped if u.shortcode})
