"""A site written on a Mac or a Windows laptop builds on Linux CI as it did there: file names' case and Unicode
form, and what the other systems write, lose no page and break no link."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from publisher.build.pipeline import BuildOptions, build

from ..conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def run(site: Path) -> tuple[dict[str, bytes], list[str]]:
    """The built output's files, and the warnings, as lines."""
    report = build(BuildOptions(config=site / "publisher.toml", now=NOW))
    return snapshot(report.output_dir), [str(w) for w in report.warnings]


def add_post(site: Path, name: str, front: str, body: str = "Body.") -> None:
    (site / "content" / "posts" / name).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


def test_a_source_whose_extension_is_in_capitals_is_a_post_and_links_reach_it(site_dir: Path) -> None:
    """`Launch.MD` (as Windows tools and some Mac editors save it) was left out without a word: the page was lost,
    and a link to it pointed nowhere. Jekyll reads Markdown extensions in any case."""
    add_post(site_dir, "Launch.MD", "title: Launch\ndate: 2026-01-01")
    add_post(site_dir, "notes.Markdown", "title: Notes\ndate: 2026-01-02", "See [the launch](Launch.MD).")
    out, warnings = run(site_dir)
    assert "launch/index.html" in out and "notes/index.html" in out
    assert b'href="/launch/"' in out["notes/index.html"]
    assert warnings == []
