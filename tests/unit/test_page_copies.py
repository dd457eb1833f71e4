"""A build whose output lost its pages (a CI job: a fresh checkout, the cache restored, no output folder) links the
copies the cache kept of them, rendering none, and writes what a clean build writes."""

import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.page_copies import FOLDER_NAME, SWEPT_NAME
from publisher.build.pipeline import BuildOptions, build
from tests.conftest import noting_rendered_pages, snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def _build(site: Path, **options: object) -> Path:
    return build(BuildOptions(config=site / "publisher.toml", now=NOW, workers=1, **options)).output_dir  # type: ignore[arg-type]


def _clean_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build of `site` as it is now writes with no cache at all."""
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("output", ".publisher-cache"))
    return snapshot(_build(fresh))


def test_a_build_into_a_new_output_links_the_kept_pages_rendering_none(site_dir: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = _build(site_dir)
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    shutil.rmtree(out)
    rendered = noting_rendered_pages(monkeypatch)
    _build(site_dir)
    assert rendered == []
    assert snapshot(out) == _clean_build(site_dir, tmp_path)
    assert all((out / page).stat().st_nlink == 2 for page in pages)  # the output's file is the kept copy


def test_an_edit_renders_its_pages_and_their_old_copies_go(site_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    out = _build(site_dir)
    kept = site_dir / ".publisher-cache" / FOLDER_NAME
    copies = len([p for p in kept.rglob("*") if p.is_file()])
    post = site_dir / "content" / "posts" / "second.md"
    post.write_text(post.read_text().replace("A second post", "A second post, edited"))
    _build(site_dir)
    assert len([p for p in kept.rglob("*") if p.is_file()]) == copies  # one copy a page, not one per edit
    shutil.rmtree(out)
    rendered = noting_rendered_pages(monkeypatch)
    _build(site_dir)
    assert rendered == []
    assert snapshot(out) == _clean_build(site_dir, tmp_path)


def test_a_copy_changed_through_the_output_is_passed_over(site_dir: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """An output file edited in place is the same file as its kept copy: the copy no longer holds the page."""
    out = _build(site_dir)
    page = out / "first" / "index.html"
    with page.open("r+b") as file:  # in place, as some editors and tools write
        file.write(b"<!-- edited by hand -->")
    shutil.rmtree(out)
    rendered = noting_rendered_pages(monkeypatch)
    _build(site_dir)
    assert rendered == ["first/index.html"]
    assert snapshot(out) == _clean_build(site_dir, tmp_path)
    shutil.rmtree(out)
    rendered.clear()
    _build(site_dir)
    assert rendered == []  # its copy was made again


def test_no_copies_are_kept_without_a_cache(site_dir: Path) -> None:
    out = _build(site_dir, use_cache=False)
    assert all(p.stat().st_nlink == 1 for p in out.rglob("*.html"))
    assert not (site_dir / ".publisher-cache").exists()


def test_a_deleted_posts_copies_go_with_its_pages(site_dir: Path) -> None:
    out = _build(site_dir)
    (site_dir / "content" / "posts" / "second.md").unlink()
    _build(site_dir)
    kept = site_dir / ".publisher-cache" / FOLDER_NAME
    copies = {(p.stat().st_dev, p.stat().st_ino) for p in kept.rglob("*") if p.is_file()}
    assert copies == {(p.stat().st_dev, p.stat().st_ino) for p in out.rglob("*.html")}  # each page's, and no more



def test_the_copies_a_settings_change_left_go_a_day_later(site_dir: Path) -> None:
    """A change of the settings or templates (or publisher upgraded) keeps the pages anew under another salt, with
    no record of the copies before, which stayed: a whole site's pages each time, at 10,000 posts 13,000 files
    that no output links and no build reads, in every CI cache from then on. Once a day a build removes them."""
    out = _build(site_dir)
    kept = site_dir / ".publisher-cache" / FOLDER_NAME
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text().replace('title = "Test Hub"', 'title = "Test Bub"'))  # on every page
    day_ago = time.time() - 86400 - 60
    os.utime(kept.parent / SWEPT_NAME, (day_ago, day_ago))
    _build(site_dir)
    copies = {(p.stat().st_dev, p.stat().st_ino) for p in kept.rglob("*") if p.is_file()}
    assert copies == {(p.stat().st_dev, p.stat().st_ino) for p in out.rglob("*.html")}  # each page's, and no more
    assert all(p.stat().st_nlink == 2 for p in kept.rglob("*") if p.is_file())


def test_no_copy_is_looked_for_twice_a_day(site_dir: Path) -> None:
    """The copies are listed at most once a day (13,000 at 10,000 posts): an orphan made since stays until then."""
    _build(site_dir)
    kept = site_dir / ".publisher-cache" / FOLDER_NAME
    orphan = kept / "00" / f"{'0' * 64}-00000000"
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"<p>an old page</p>")
    (site_dir / "content" / "posts" / "second.md").write_text("---\ntitle: Second\ndate: 2026-02-05\n---\n\nNew.\n")
    _build(site_dir)
    assert orphan.exists()
