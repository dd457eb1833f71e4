"""cmark's pathological inputs: each converts, and a site of them all builds, without a traceback or a hang.

Time is not asserted (benchmarks measure speed); a super-linear pass would show
here as a suite that does not finish.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.config.model import MarkdownConfig
from publisher.markdown.commonmark import CommonMarkConverter

from .pathological import PATHOLOGICAL

CONVERTER = CommonMarkConverter(MarkdownConfig())


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_each_input_converts(name: str) -> None:
    out = CONVERTER.convert(PATHOLOGICAL[name])
    assert out.html.count("<") >= out.html.count("</")  # written out, tags and all


def test_deep_nesting_is_kept_not_cut() -> None:
    assert CONVERTER.convert(PATHOLOGICAL["nested block quotes"]).html.count("<blockquote>") == 50000
    assert CONVERTER.convert(PATHOLOGICAL["deeply nested lists"]).html.count("<ul>") > 100


def test_a_site_of_pathological_posts_builds(site_dir: Path) -> None:
    posts = site_dir / "content" / "posts"
    for number, (name, text) in enumerate(sorted(PATHOLOGICAL.items()), start=1):
        (posts / f"p{number:02d}.md").write_text(f"---\ntitle: {name}\ndate: 2026-01-{number:02d}\n---\n\n{text}",
                                                 encoding="utf-8")
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=datetime(2026, 9, 1, tzinfo=UTC),
                                use_cache=False))
    assert all((report.output_dir / f"p{n:02d}" / "index.html").is_file() for n in range(1, len(PATHOLOGICAL) + 1))
