"""A build that would change nothing is skipped; every change that matters is noticed."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from publisher.build.model import SiteModel
from publisher.build.pipeline import BuildOptions, BuildReport, UpToDate, build, build_if_changed
from publisher.commands.cli import main

from ..conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def settle(site: Path) -> None:
    """Files as a writer leaves them: saved a while ago (each call a little later than the last)."""
    when = time.time() - 600
    for path in [site, *site.rglob("*")]:
        if "output" not in path.relative_to(site).parts:
            os.utime(path, (when, when))


def again(site: Path, model: SiteModel | None = None, **options) -> BuildReport | UpToDate:
    options.setdefault("now", NOW)
    return build_if_changed(BuildOptions(config=site / "publisher.toml", **options), model=model)


def clean(site: Path, tmp: Path, **options) -> dict[str, bytes]:
    out = tmp / "clean"
    shutil.rmtree(out, ignore_errors=True)
    options.setdefault("now", NOW)
    build(BuildOptions(config=site / "publisher.toml", output=out, use_cache=False, **options))
    return snapshot(out)


@pytest.fixture
def built(site_dir: Path) -> Path:
    settle(site_dir)
    assert isinstance(again(site_dir), BuildReport)
    return site_dir


def test_a_build_with_nothing_changed_is_skipped(built: Path) -> None:
    out = built / "output"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()}
    report = again(built)
    assert isinstance(report, UpToDate)
    site_files = [p for p in before if p.name != ".publisher-output"]  # the folder's marker is not the site's
    assert (report.summary.posts, report.summary.pages, report.summary.files) == (2, 1, len(site_files))
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.rglob("*") if p.is_file()} == before


def _edit_body(site: Path) -> None:
    path = site / "content" / "posts" / "first.md"
    path.write_text(path.read_text().replace("summary: The first post.", "summary: The 1st post."))  # same length


def _add_post(site: Path) -> None:
    (site / "content" / "posts" / "third.md").write_text("---\ntitle: Third\ndate: 2026-03-01\n---\n\nThird.\n")


def _remove_page(site: Path) -> None:
    (site / "content" / "pages" / "about.md").unlink()


def _add_static_file(site: Path) -> None:
    (site / "static" / "robots-extra.txt").parent.mkdir(exist_ok=True)
    (site / "static" / "robots-extra.txt").write_text("hello\n")


def _override_template(site: Path) -> None:
    with (site / "publisher.toml").open("a") as config:
        config.write('\n[theme]\nname = "mine"\n')
    folder = site / "themes" / "mine" / "templates"
    folder.mkdir(parents=True)
    (folder / "404.html").write_text("<p>Lost</p>\n")


def _retitle_site(site: Path) -> None:
    config = site / "publisher.toml"
    config.write_text(config.read_text().replace('title = "Test Hub"', 'title = "Test Bub"'))  # same length


@pytest.mark.parametrize("change", [_edit_body, _add_post, _remove_page, _add_static_file, _override_template,
                                    _retitle_site])
def test_any_input_change_builds_again(built: Path, tmp_path: Path, change: Callable[[Path], None]) -> None:
    change(built)
    settle(built)
    assert isinstance(again(built), BuildReport)
    assert snapshot(built / "output") == clean(built, tmp_path)
    assert isinstance(again(built), UpToDate)


def test_an_output_file_changed_or_deleted_is_built_again(built: Path, tmp_path: Path) -> None:
    (built / "output" / "first" / "index.html").write_text("defaced")
    (built / "output" / "tags" / "alpha" / "index.html").unlink()
    assert isinstance(again(built), BuildReport)
    assert snapshot(built / "output") == clean(built, tmp_path)


def test_a_file_saved_twice_within_one_clock_tick_is_noticed(built: Path, tmp_path: Path) -> None:
    post = built / "content" / "posts" / "first.md"
    _edit_body(built)  # just saved, not settled
    assert isinstance(again(built), BuildReport)
    assert isinstance(again(built), UpToDate)  # its bytes are as the last build read them
    stat = post.stat()
    post.write_text(post.read_text().replace("The 1st post.", "The 2nd post."))  # same size...
    os.utime(post, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # ...and, as within one tick, the same time
    assert isinstance(again(built), BuildReport)
    assert "The 2nd post." in (built / "output" / "first" / "index.html").read_text()
    assert snapshot(built / "output") == clean(built, tmp_path)


def test_a_post_copied_in_with_its_old_time_kept_is_built_again(built: Path, tmp_path: Path) -> None:
    """`cp -p`, `rsync -t`, `tar` and `unzip` put the file's old modification time on the new bytes: a post of
    the same size copied in so, long after the last build, is built again, by `publisher build` and in `serve`
    (the listing said "up to date" from the size and modification time alone, and both kept the old post)."""
    model, served = SiteModel(), tmp_path / "served"
    assert isinstance(again(built, output=served, model=model), BuildReport)
    post = built / "content" / "posts" / "first.md"
    kept = post.stat()
    copy = tmp_path / "first.md"
    copy.write_text(post.read_text().replace("The first post.", "The FIRST post."))  # the same size
    shutil.copy2(copy, post)  # as `cp -p`: other bytes, the old time
    os.utime(post, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert (post.stat().st_size, post.stat().st_mtime_ns) == (kept.st_size, kept.st_mtime_ns)
    assert isinstance(again(built), BuildReport)
    assert isinstance(again(built, output=served, model=model), BuildReport)
    assert "The FIRST post." in (built / "output" / "index.html").read_text()
    assert snapshot(built / "output") == snapshot(served) == clean(built, tmp_path)


def test_other_options_build_again(built: Path) -> None:
    assert isinstance(again(built, drafts=True), BuildReport)
    assert isinstance(again(built, base_url="https://other.example/"), BuildReport)
    assert isinstance(again(built, use_cache=False), BuildReport)


def test_a_scheduled_post_is_published_when_its_time_comes(built: Path, tmp_path: Path) -> None:
    (built / "content" / "posts" / "later.md").write_text("---\ntitle: Later\ndate: 2026-09-10\n---\n\nSoon.\n")
    settle(built)
    report = again(built)
    assert isinstance(report, BuildReport) and report.summary.next_post is not None
    assert isinstance(again(built, now=NOW + timedelta(days=5)), UpToDate)  # nothing due yet
    published = NOW + timedelta(days=10)
    report = again(built, now=published)
    assert isinstance(report, BuildReport) and "later/index.html" in snapshot(built / "output")
    assert snapshot(built / "output") == clean(built, tmp_path, now=published)


def test_a_share_item_falling_due_builds_again(built: Path, tmp_path: Path) -> None:
    # Published just before now: its re-shares (made of its other sentences) are still to come.
    (built / "content" / "posts" / "fresh.md").write_text(
        "---\ntitle: Fresh\ndate: 2026-08-31 12:00\n---\n\nNew.\n\n"
        "A second paragraph with a sentence that could stand alone in a re-share.\n\n"
        "Why would anyone read a third paragraph about the same small test post?\n")
    settle(built)
    report = again(built)
    assert isinstance(report, BuildReport) and report.summary.next_share is not None
    due = datetime.fromisoformat(report.summary.next_share)
    assert isinstance(again(built, now=due - timedelta(minutes=1)), UpToDate)
    before = snapshot(built / "output")
    assert isinstance(again(built, now=due), BuildReport)
    after = snapshot(built / "output")
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed and all(path.startswith("share/") for path in changed)  # the item is in its network's feed now
    assert snapshot(built / "output") == clean(built, tmp_path, now=due)


def test_an_earlier_now_builds_again(built: Path) -> None:
    assert isinstance(again(built, now=datetime(2026, 1, 1, tzinfo=UTC)), BuildReport)  # before every post


def test_warnings_are_reported_again_when_up_to_date(built: Path) -> None:
    with (built / "content" / "posts" / "second.md").open("a") as post:
        post.write("\nSee [this](missing.md).\n")
    settle(built)
    first = again(built)
    second = again(built)
    assert isinstance(first, BuildReport) and isinstance(second, UpToDate)
    assert second.summary.warnings == first.summary.warnings and "missing.md" in str(first.summary.warnings[0])


def test_the_command_says_up_to_date(built: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(built)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(NOW.timestamp())))
    _edit_body(built)
    settle(built)
    assert main(["build"]) == 0
    assert main(["build"]) == 0
    err = capsys.readouterr().err
    assert "✓ Built 2 posts and 1 page" in err and "✓ Up to date: 2 posts and 1 page," in err


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts this process's open files in /proc")
def test_a_skipped_build_leaves_no_walk_of_the_output_behind(built: Path) -> None:
    """The output's walk starts as soon as the settings name the folder (`pipeline._walk_early`), before the build
    knows whether it is up to date: a skipped build ends it, its pipe closed (`serve` builds all day long)."""
    import multiprocessing

    again(built)  # whatever a first call opens once a process
    before = open_files()
    for _ in range(3):
        assert isinstance(again(built), UpToDate)
    assert multiprocessing.active_children() == []
    assert open_files() == before


def test_a_build_stopped_by_a_missing_theme_leaves_no_walk_of_the_output_running(built: Path) -> None:
    import multiprocessing

    from publisher.core.errors import BuildFailed

    config = built / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", '[site]\ntheme = "nowhere"\n'),
                      encoding="utf-8")
    with pytest.raises(BuildFailed, match="nowhere"):
        again(built)
    assert multiprocessing.active_children() == []


def _edit_keeping_size_and_time(page: Path) -> None:
    """Other bytes of the same size in `page`, written in place (the same file), its modification time put back
    (`os.utime`, `touch -r`, `cp -p`, an editor that keeps it)."""
    before = page.stat()
    data = page.read_bytes()
    assert b"<title>" in data
    with page.open("r+b") as file:
        file.write(data.replace(b"<title>", b"<TITLE>", 1))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (page.stat().st_size, page.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def _in_the_output(site: Path, page: Path, tmp_path: Path) -> None:
    _edit_keeping_size_and_time(page)


def _through_another_name(site: Path, page: Path, tmp_path: Path) -> None:
    other = tmp_path / "the-same-file.html"  # a hard link: another name of the page's file
    os.link(page, other)
    _edit_keeping_size_and_time(other)
    other.unlink()


def _its_kept_copy(site: Path, page: Path, tmp_path: Path) -> None:
    kept = site / ".publisher-cache" / "pages-kept"
    copies = [copy for copy in kept.rglob("*") if copy.is_file() and copy.samefile(page)]
    assert len(copies) == 1
    _edit_keeping_size_and_time(copies[0])


@pytest.mark.parametrize("edit", [_in_the_output, _through_another_name, _its_kept_copy])
@pytest.mark.parametrize("input_changed", [False, True], ids=["nothing-else", "the-about-page-edited"])
def test_a_page_edited_to_the_same_size_and_time_is_written_again(built: Path, tmp_path: Path, edit: Callable[
        [Path, Path, Path], None], input_changed: bool) -> None:
    """Same input, same output: a page of the output changed by hand, its size and modification time as the
    build left them, is written again, as Hugo and Eleventy write every page. It was left as edited: the build
    was skipped as up to date, and a build that was not (the about page edited) took the page for the one it
    wrote, by its size and modification time alone."""
    page = built / "output" / "first" / "index.html"
    edit(built, page, tmp_path)
    assert b"<TITLE>" in page.read_bytes()
    if input_changed:  # a real build, which makes this page from the same inputs
        other = built / "content" / "pages" / "about.md"
        other.write_text(other.read_text() + "\nOne more word.\n")  # (not `settle`d: that sets the pages' times
        # too, through their kept copies)
    assert isinstance(again(built), BuildReport)
    assert b"<TITLE>" not in page.read_bytes()
    assert snapshot(built / "output") == clean(built, tmp_path)
    assert isinstance(again(built), UpToDate)


def test_a_build_whose_pages_come_out_as_the_output_holds_them_is_up_to_date_after(built: Path) -> None:
    """A post edited so that pages showing it are made from other inputs to the same bytes (a word more in its
    body: its reading time and word count are in their inputs, not on them): each such page's new kept copy
    becomes its file, and its old copy goes, which moves the file's change time. The next build is skipped, as
    before the change time counted."""
    post = built / "content" / "posts" / "second.md"
    post.write_text(post.read_text() + "\nOne more word.\n")
    settle(built)
    assert isinstance(again(built), BuildReport)
    assert isinstance(again(built), UpToDate)


def test_a_check_leaves_the_build_up_to_date(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`publisher check` links the cards from the cache into its own folder, which moves their change times: the
    output's cards count by their size and modification time alone, so the build after a check is skipped."""
    cards = list((built / "output" / "social").rglob("*.png"))
    before = {card: card.stat().st_ctime_ns for card in cards}
    monkeypatch.chdir(built)
    main(["check"])  # (it finds a missing image in the test site: a check's findings change nothing here)
    assert cards and {card: card.stat().st_ctime_ns for card in cards} != before
    assert isinstance(again(built), UpToDate)
