"""Readers' search as built: Pagefind's index of the posts and pages, the search page, and the switch to turn
it off. The index is made by Pagefind's real binary and read back from the files it wrote."""

from __future__ import annotations

import gzip
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.core.errors import BuildFailed
from tests.conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def run(site: Path, **options: object) -> Path:
    report = build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False, **options))  # type: ignore[arg-type]
    return report.output_dir


def found_urls(output: Path) -> set[str]:
    """The URL of every page the index can return (each fragment is a gzipped, tagged JSON record)."""
    records = [gzip.decompress(path.read_bytes()) for path in (output / "pagefind" / "fragment").iterdir()]
    return {json.loads(record[record.index(b"{"):])["url"] for record in records}


def test_the_index_holds_the_posts_and_pages_and_nothing_else(site_dir: Path) -> None:
    output = run(site_dir)
    assert found_urls(output) == {"/first/", "/second/", "/about/"}  # no home, tag, author, 404
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_bytes())
    assert entry["languages"]["en"]["page_count"] == 3
    assert (output / "pagefind" / "pagefind-ui.js").is_file() and (output / "pagefind" / "pagefind-ui.css").is_file()


def test_the_search_page_loads_the_bundle_under_the_base_path_and_is_linked_from_every_page(site_dir: Path) -> None:
    output = run(site_dir, base_url="https://example.com/hub/")
    page = (output / "search" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="/hub/pagefind/pagefind-ui.css">' in page
    assert '<script src="/hub/pagefind/pagefind-ui.js" defer></script>' in page
    assert 'bundlePath: "/hub/pagefind/"' in page
    assert '<meta name="robots" content="noindex">' in page  # a page of results to be, not content
    assert "<noscript>" in page and "Search needs JavaScript" in page
    for other in ("index.html", "first/index.html", "tags/index.html", "404.html"):
        assert '<a href="/hub/search/">Search</a>' in (output / other).read_text(encoding="utf-8"), other
    assert "/search/" not in (output / "sitemap.xml").read_text(encoding="utf-8")


def test_search_can_be_turned_off(site_dir: Path) -> None:
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n[search]\nenabled = false\n")
    output = run(site_dir)
    assert not (output / "pagefind").exists() and not (output / "search").exists()
    assert "/search/" not in (output / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in (output / "first" / "index.html").read_text(encoding="utf-8")  # harmless


def test_what_every_post_repeats_is_left_out_of_the_index(site_dir: Path) -> None:
    (site_dir / "content" / "posts" / "third.md").write_text(
        "---\ntitle: Third post\ndate: 2026-03-01\n---\n\n## Plain heading\n\nWords about zeppelins.\n",
        encoding="utf-8")
    output = run(site_dir)
    post = (output / "third" / "index.html").read_text(encoding="utf-8")
    assert "<article class=\"post\" data-pagefind-body>" in post
    records = [gzip.decompress(path.read_bytes()) for path in (output / "pagefind" / "fragment").iterdir()]
    third = json.loads(next(r[r.index(b"{"):] for r in records if b"zeppelins" in r))
    assert third["meta"]["title"] == "Third post"
    assert [anchor["text"] for anchor in third["anchors"] if anchor["element"] == "h2"] == ["Plain heading"]  # no "#"


def test_the_same_site_gives_the_same_index_bytes(site_dir: Path, tmp_path: Path) -> None:
    one = run(site_dir, output=tmp_path / "one")
    two = run(site_dir, output=tmp_path / "two")
    first = {rel: data for rel, data in snapshot(one).items() if rel.startswith("pagefind/")}
    assert first and first == {rel: data for rel, data in snapshot(two).items() if rel.startswith("pagefind/")}


def test_a_pagefind_failure_is_one_line_and_leaves_the_output_as_it_was(site_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    output = run(site_dir)
    before = snapshot(output)
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: could not read the site' >&2\nexit 1\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(failing))  # Pagefind's own switch for which binary to run
    (site_dir / "content" / "posts" / "first.md").write_text("---\ntitle: First, edited\ndate: 2026-01-05\n---\n\nX.\n",
                                                             encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert [str(p) for p in failed.value.problems] == [
        ("publisher.toml: search: Pagefind could not index the pages: Error: could not read the site; "
         "or turn search off with [search] enabled = false")]
    assert snapshot(output) == before


def test_a_missing_pagefind_program_is_named(site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere" / "pagefind"))
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert str(failed.value.problems[0]).startswith("publisher.toml: search: cannot run Pagefind (No such file")


def test_a_site_with_nothing_to_find_has_no_search_yet(tmp_path: Path) -> None:
    site = tmp_path / "empty"
    (site / "content" / "posts").mkdir(parents=True)
    shutil.copy(Path(__file__).parents[2] / "sites" / "good" / "publisher.toml", site / "publisher.toml")
    output = run(site)  # Pagefind refuses to index nothing: no search page to link to a missing index
    assert not (output / "pagefind").exists() and not (output / "search").exists()
    assert "/search/" not in (output / "index.html").read_text(encoding="utf-8")


def test_a_theme_without_the_mark_gets_every_page_indexed_whole(site_dir: Path) -> None:
    templates = site_dir / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "post.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ post.title }}</h1>{{ post.html }}{% endblock %}')
    (templates / "page.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ entry.title }}</h1>{{ entry.html }}{% endblock %}')
    assert {"/first/", "/second/", "/about/", "/", "/tags/"} <= found_urls(run(site_dir))  # Pagefind's own rule
