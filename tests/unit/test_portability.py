"""A site written on a Mac or a Windows laptop builds on Linux CI as it did there: file names' case and Unicode
form, and what the other systems write, lose no page and break no link."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from PIL import Image

from publisher.build.pipeline import BuildOptions, build
from publisher.content.links import srcset_urls

from ..conftest import snapshot
from .test_responsive_images import images_of

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


def test_every_srcset_copy_of_an_image_named_with_hash_percent_or_question_mark_is_a_file_of_the_site(
        site_dir: Path) -> None:
    """A photo saved as `big pic #1.png` (Finder and Explorer allow `#`, `%`, `?` is Linux's only) got copies
    listed as `/img/big%20pic%20#1-480w-….webp`: the browser fetched `/img/big%20pic%20`, the rest being a
    fragment, and showed no image at that width. Each candidate, read as a browser reads a URL, is a file."""
    names = ["big pic #1.png", "100%.png", "why?.png"]
    for name in names:
        path = site_dir / "static" / "img" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (1600, 900), "teal").save(path)
    body = " ".join(f"![{n}](/img/{quote(n)})" for n in names)
    add_post(site_dir, "pics.md", "title: Pics\ndate: 2026-01-01", body)
    out, _ = run(site_dir)
    images = [img for img in images_of(out["pics/index.html"]) if img["alt"] in names]
    assert len(images) == 3
    for img in images:
        candidates = srcset_urls(img["srcset"])
        assert len(candidates) == 4, img
        for url in candidates:
            parts = urlsplit(url)
            assert not parts.fragment and not parts.query, url
            assert unquote(parts.path).lstrip("/") in out, url
