"""The search index written after the pages, as `serve` does: the last index stays until the new one is
written, the result equals a one-step build, and a build stopped before indexing is never taken as current."""

from __future__ import annotations

import gzip
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from publisher.build.model import SiteModel
from publisher.build.pipeline import BuildOptions, BuildReport, UpToDate, build, build_if_changed
from publisher.pages import search

from ..conftest import SlowPagefind, snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def index_of(output: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(output).items() if rel.startswith("pagefind/")}


def later(site: Path) -> BuildOptions:
    return BuildOptions(config=site / "publisher.toml", now=NOW, search_later=True)


def test_pages_written_before_their_index_are_recorded_after_it(site_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that writes its pages before their index (`serve`) makes the pages' records once the index is
    made, not before the pages are written (its tabs reload then); one that makes the index as it writes makes
    them ready before it waits for it."""
    from publisher.build.cache import BuildCache

    made_ready: list[str] = []
    real = BuildCache.prepare_pages
    monkeypatch.setattr(BuildCache, "prepare_pages", lambda cache: made_ready.append("records") or real(cache))
    cached = {"use_cache": True, "cache_dir": tmp_path / "cache"}
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, search_later=True, **cached))
    assert made_ready == []
    assert report.search_index is not None
    report.search_index.write()
    assert made_ready  # the pages recorded (pending their index, then with it)
    made_ready.clear()
    build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=tmp_path / "at-once", **cached))
    assert made_ready == ["records"]  # once, before the wait: the save takes them as made


def test_pages_first_then_the_index_gives_what_one_build_gives(site_dir: Path, tmp_path: Path) -> None:
    report = build(later(site_dir))
    assert index_of(report.output_dir) == {}  # the pages are there; the index comes after
    assert report.search_index is not None
    report.search_index.write()
    clean = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=tmp_path / "clean",
                               use_cache=False))
    assert snapshot(report.output_dir) == snapshot(clean.output_dir)


def test_the_last_index_is_served_until_the_new_one_is_written(site_dir: Path, tmp_path: Path) -> None:
    first = build(later(site_dir))
    assert first.search_index is not None
    first.search_index.write()
    before = index_of(first.output_dir)
    post = site_dir / "content" / "posts" / "second.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA word about zeppelins.\n", encoding="utf-8")
    second = build(later(site_dir))
    assert index_of(second.output_dir) == before  # kept as it was while the tabs reload
    assert second.search_index is not None
    second.search_index.write()
    fragments = [gzip.decompress(data) for rel, data in index_of(second.output_dir).items()
                 if rel.startswith("pagefind/fragment/")]
    assert any(b"zeppelins" in fragment for fragment in fragments)
    clean = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=tmp_path / "clean",
                               use_cache=False))
    assert snapshot(second.output_dir) == snapshot(clean.output_dir)


def test_pages_not_recorded_yet_are_built_again(site_dir: Path) -> None:
    pending = build(later(site_dir)).search_index
    assert pending is not None  # serve stopped right after writing the pages, before recording them
    assert isinstance(build_if_changed(later(site_dir)), BuildReport)


def test_a_serve_stopped_before_indexing_makes_only_the_index_next_time(site_dir: Path, tmp_path: Path) -> None:
    pending = build(later(site_dir)).search_index
    assert pending is not None
    pending.record_pages()  # as serve does once the tabs reload, before Pagefind runs
    # serve stopped before indexing: its pages are right, so the next start builds nothing and makes the index
    stopped = build_if_changed(later(site_dir))
    assert isinstance(stopped, UpToDate) and stopped.search_index is not None
    assert index_of(stopped.output_dir) == {}
    stopped.search_index.write()
    clean = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=tmp_path / "clean",
                               use_cache=False))
    assert snapshot(stopped.output_dir) == snapshot(clean.output_dir)
    again = build_if_changed(later(site_dir))
    assert isinstance(again, UpToDate) and again.search_index is None  # recorded complete


def test_pages_with_their_index_pending_are_built_again_by_a_build_that_indexes_at_once(site_dir: Path) -> None:
    pending = build(later(site_dir)).search_index
    assert pending is not None
    pending.record_pages()
    at_once = build_if_changed(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    assert isinstance(at_once, BuildReport)
    assert any(rel.startswith("pagefind/fragment/") for rel in index_of(at_once.output_dir))


def test_an_index_someone_deleted_is_made_again(site_dir: Path) -> None:
    first = build(later(site_dir))
    assert first.search_index is not None
    first.search_index.write()
    for file in sorted((first.output_dir / "pagefind").rglob("*"), reverse=True):
        file.unlink() if file.is_file() else file.rmdir()
    rebuilt = build_if_changed(later(site_dir))
    assert isinstance(rebuilt, BuildReport) and rebuilt.search_index is not None


def test_warming_the_model_up_leaves_a_pending_index_pending(site_dir: Path) -> None:
    from publisher.build.model import SiteModel
    from publisher.commands.cli import _warm_up

    pending = build(later(site_dir)).search_index
    assert pending is not None
    pending.record_pages()  # serve stopped before indexing
    _warm_up(later(site_dir), SiteModel(), index_current=False)  # serve starts again, the index still to make
    stopped = build_if_changed(later(site_dir))
    assert isinstance(stopped, UpToDate) and stopped.search_index is not None


def test_a_save_while_pagefind_runs_does_not_wait_and_the_older_index_is_dropped(site_dir: Path) -> None:
    from rich.console import Console

    from publisher.commands.cli import _SearchIndexer

    indexer = _SearchIndexer(Console(quiet=True))
    with indexer.building():
        first = build(later(site_dir))
    assert first.search_index is not None
    indexer.start(first)  # Pagefind runs for the first pages...
    post = site_dir / "content" / "posts" / "second.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA word about zebrafish.\n", encoding="utf-8")
    with indexer.building():  # ...while the next save builds at once, not after it
        second = build(later(site_dir))
    indexer.wait()  # the first index is made, then dropped: newer pages are on disk
    assert index_of(second.output_dir) == {}  # dropped, not written and later written over
    assert second.search_index is not None
    indexer.start(second)
    indexer.wait()
    fragments = [gzip.decompress(data) for rel, data in index_of(second.output_dir).items()
                 if rel.startswith("pagefind/fragment/")]
    assert any(b"zebrafish" in fragment for fragment in fragments)  # the index on disk is the newer pages'


@dataclass(frozen=True)
class SlowIndex:
    """`serve`'s indexer making the index of a build's pages with a Pagefind that takes a minute."""

    indexer: Any  # publisher.commands.cli._SearchIndexer
    report: BuildReport
    pid: int  # Pagefind's, once it runs
    bundle: Path  # where it makes the bundle


def slow_index(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SlowIndex:
    from rich.console import Console

    from publisher.commands.cli import _SearchIndexer

    pagefind = SlowPagefind.make(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(pagefind.program))
    indexer = _SearchIndexer(Console(quiet=True))
    with indexer.building():
        report = build(later(site))
    indexer.start(report)
    pid, arguments = pagefind.wait_until_running()
    return SlowIndex(indexer, report, pid, Path(arguments[arguments.index("--output-path") + 1]))


def test_a_save_stops_the_index_of_the_pages_it_replaces(site_dir: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    slow = slow_index(site_dir, tmp_path, monkeypatch)
    indexer = slow.indexer
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")  # the next index runs Pagefind's real program
    post = site_dir / "content" / "posts" / "second.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA word about axolotls.\n", encoding="utf-8")
    with indexer.building():
        second = build(later(site_dir))
    indexer.start(second)
    waiting = threading.Thread(target=indexer.wait)
    waiting.start()
    waiting.join(timeout=30)
    assert not waiting.is_alive(), "the newer index waited for the older one's Pagefind"
    with pytest.raises(ProcessLookupError):
        os.kill(slow.pid, 0)
    fragments = [gzip.decompress(data) for rel, data in index_of(second.output_dir).items()
                 if rel.startswith("pagefind/fragment/")]
    assert any(b"axolotls" in fragment for fragment in fragments)


def record_scratch_folders(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The scratch folders the indexer makes from now on, in this process (tests run in parallel: another
    process's folders come and go meanwhile)."""
    made: list[Path] = []
    real = tempfile.TemporaryDirectory

    def recording(*args: Any, **kwargs: Any) -> tempfile.TemporaryDirectory[str]:
        folder = real(*args, **kwargs)
        made.append(Path(folder.name))
        return folder

    monkeypatch.setattr(tempfile, "TemporaryDirectory", recording)
    return made


def test_no_scratch_folder_is_left_behind_whether_an_index_is_written_or_dropped(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    from publisher.commands.cli import _SearchIndexer

    made = record_scratch_folders(monkeypatch)
    build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))  # indexed within the build
    indexer = _SearchIndexer(Console(quiet=True))
    with indexer.building():
        first = build(later(site_dir))
    indexer.start(first)
    while len(made) < 2:  # the first index under way
        threading.Event().wait(0.01)
    post = site_dir / "content" / "posts" / "second.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    with indexer.building():
        second = build(later(site_dir))  # the first index is stopped, or dropped if already made
    indexer.wait()
    indexer.start(second)
    indexer.wait()
    assert any(rel.startswith("pagefind/fragment/") for rel in index_of(second.output_dir))
    assert len(made) == 3  # one per index: made in the build, stopped or dropped, made and written
    assert [folder for folder in made if folder.exists()] == []


def test_stopping_serve_stops_pagefind_at_once_and_leaves_nothing_half_made(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    made = record_scratch_folders(monkeypatch)
    slow = slow_index(site_dir, tmp_path, monkeypatch)  # `serve` must not wait for its Pagefind on Ctrl-C
    stopping = threading.Thread(target=slow.indexer.stop)
    stopping.start()
    stopping.join(timeout=20)
    assert not stopping.is_alive(), "stop() waited for Pagefind"
    with pytest.raises(ProcessLookupError):
        os.kill(slow.pid, 0)  # Pagefind was stopped, not left running
    assert not slow.bundle.exists()  # no half-made bundle left in the store
    assert [folder for folder in made if folder.exists()] == []
    assert index_of(slow.report.output_dir) == {}
    again = build_if_changed(later(site_dir))  # the next start makes the index that was stopped
    assert isinstance(again, UpToDate) and again.search_index is not None


def test_a_process_that_keeps_its_model_reads_each_kept_part_once(site_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve` (one model across builds, no walk of its output) reads a kept part's files to know it whole the
    first time it takes that part as kept, and not at each save after."""
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n[search]\nshard_size = 1\n")  # two parts: /about/ and /first/, and /second/
    checked: list[str] = []
    real = search._whole_bundle
    monkeypatch.setattr(search, "_whole_bundle", lambda bundle, in_output: checked.append(bundle.name)
                        or real(bundle, in_output))
    model = SiteModel()
    options = BuildOptions(config=site_dir / "publisher.toml", now=NOW, search_later=True, use_cache=True,
                           cache_dir=tmp_path / "cache")
    post = site_dir / "content" / "posts" / "second.md"
    for save in range(3):
        post.write_text(post.read_text(encoding="utf-8") + f"\nA word about zeppelin number {save}.\n",
                        encoding="utf-8")
        report = build(options, model=model)
        assert report.search_index is not None
        report.search_index.write()
    assert checked and all(count == 1 for count in map(checked.count, checked))  # each kept part read once
    clean = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=tmp_path / "clean",
                               use_cache=False))
    assert index_of(report.output_dir) == index_of(clean.output_dir)
