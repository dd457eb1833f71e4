"""The head start: Pagefind started by the `publisher` command on the part of the search index a one-post edit
falls in, before the rest of publisher is imported, and taken over by the build when the build's own guess is the
same (`build.head_start`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import publisher.build.persisted as persisted
from publisher.build.head_start import head_start
from publisher.build.pipeline import BuildOptions, build_if_changed
from publisher.core.errors import BuildFailed
from tests.unit.pages.test_search import NOW, children, counting_pagefind, in_parts, index_in, run

SCRATCH_ROOTS = (Path("/dev/shm"), Path(os.environ.get("TMPDIR", "/tmp")))


def built_once(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
               ) -> tuple[Path, BuildOptions, list[str]]:
    """The site built with its cache next to its settings (where the command line finds it) and its index in two
    parts, Pagefind's runs noted (see `counting_pagefind`); the options that build it again, and the command line
    that asks for that build."""
    in_parts(site, 1)
    runs = counting_pagefind(tmp_path, monkeypatch)
    options = BuildOptions(config=site / "publisher.toml", output=tmp_path / "out", now=NOW)
    build_if_changed(options)
    assert len(runs.read_text().splitlines()) == 2  # two parts
    return runs, options, ["build", "--config", str(options.config), "--output", str(options.output)]


def edit_second_post(site: Path) -> None:
    second = site / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")


def scratch_folders() -> set[Path]:
    """The early runs' scratch folders of this process (`publisher-search-ahead-<pid>-…`)."""
    return {folder for root in SCRATCH_ROOTS for folder in root.glob(f"publisher-search-ahead-{os.getpid()}-*")}


def started_nothing(argv: list[str]) -> bool:
    """Whether the head start for `argv` started no Pagefind (one it did start is ended)."""
    early = head_start(argv)
    if early is not None:
        early.close()
    return early is None and children() == []


def test_a_one_post_build_takes_over_the_pagefind_its_command_started(site_dir: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    runs, options, argv = built_once(site_dir, tmp_path, monkeypatch)
    edit_second_post(site_dir)
    early = head_start(argv)
    assert early is not None and early.awaited() == {"second/index.html"}
    report = build_if_changed(options, early=early)
    made = runs.read_text().splitlines()[2:]
    assert len(made) == 1 and "publisher-search-ahead-" in made[0]  # the head start's run, and no other
    assert index_in(report.output_dir) == index_in(run(site_dir, output=tmp_path / "clean"))
    assert children() == [] and scratch_folders() == set()


def test_a_head_start_the_build_would_not_make_is_ended(site_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The record says the index is in two parts; the settings now say one (every page changes with them)."""
    runs, options, argv = built_once(site_dir, tmp_path, monkeypatch)
    edit_second_post(site_dir)
    early = head_start(argv)
    assert early is not None
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("shard_size = 1\n", "shard_size = 1000\n"),
                      encoding="utf-8")
    head_started, processes = early.scratch.name, [run.process for run in early.runs]
    running_when_read: list[bool] = []
    real = persisted.KeptModel.open.__func__  # type: ignore[attr-defined]

    def noting(cls: type[persisted.KeptModel], *args: Any) -> persisted.KeptModel:
        running_when_read.append(any(process.poll() is None for process in processes))
        return real(cls, *args)  # type: ignore[no-any-return]

    monkeypatch.setattr(persisted.KeptModel, "open", classmethod(noting))
    report = build_if_changed(options, early=early)
    assert running_when_read == [False]  # ended as soon as the build knew its own guess
    made = [folder for folder in runs.read_text().splitlines()[2:] if not folder.startswith(head_started)]
    assert len(made) == 1  # the build's own run (the head start's, ended, may have been too quick to be noted)
    assert index_in(report.output_dir) == index_in(run(site_dir, output=tmp_path / "clean"))
    assert children() == [] and scratch_folders() == set()


def test_a_build_that_fails_ends_its_head_start(site_dir: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _, options, argv = built_once(site_dir, tmp_path, monkeypatch)
    edit_second_post(site_dir)
    early = head_start(argv)
    assert early is not None
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n[site\n")  # not TOML: the build stops before it reads a source
    with pytest.raises(BuildFailed):
        build_if_changed(options, early=early)
    assert children() == [] and scratch_folders() == set()


@pytest.mark.parametrize("asked", [["serve"], ["check"], ["build", "--no-cache"], ["build", "--config"], [],
                                   ["build", "--output", "elsewhere"]])
def test_only_a_build_into_the_recorded_output_with_its_cache_gets_a_head_start(
        asked: list[str], site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, argv = built_once(site_dir, tmp_path, monkeypatch)
    edit_second_post(site_dir)
    given = asked if asked in ([], ["build", "--config"]) else [*asked[:1], *argv[1:], *asked[1:]]  # the last wins
    assert started_nothing(given)


@pytest.mark.parametrize("damage", ["garbage", "not an object", "another version", "a part size in words",
                                    "pages not by source", "no model"])
def test_a_damaged_record_starts_nothing(damage: str, site_dir: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, argv = built_once(site_dir, tmp_path, monkeypatch)
    edit_second_post(site_dir)
    [record] = (site_dir / ".publisher-cache").glob("head-start-*.json")
    data = json.loads(record.read_bytes())
    if damage == "another version":
        data["version"] = "0.0.1"
    elif damage == "a part size in words":
        data["shard_size"] = "one"
    elif damage == "pages not by source":
        data["pages"] = list(data["pages"].values())
    elif damage == "no model":
        del data["model"]
    text = {"garbage": b"\x00\xff{", "not an object": b"[1, 2]"}.get(damage, json.dumps(data).encode())
    record.write_bytes(text)
    assert started_nothing(argv)


def test_the_record_notes_each_posts_page_drafts_too(site_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft's page is not made, but the build's own guess takes it as its model holds it: so does the record."""
    (site_dir / "content" / "posts" / "third.md").write_text(
        "---\ntitle: Third\ndate: 2026-03-01\ndraft: true\n---\n\nNot yet.\n", encoding="utf-8")
    built_once(site_dir, tmp_path, monkeypatch)
    [record] = (site_dir / ".publisher-cache").glob("head-start-*.json")
    pages = json.loads(record.read_bytes())["pages"]
    assert pages == {"content/pages/about.md": "about/index.html", "content/posts/first.md": "first/index.html",
                     "content/posts/second.md": "second/index.html", "content/posts/third.md": "third/index.html"}


def test_the_command_imports_nothing_a_build_needs_later_before_its_head_start() -> None:
    """What makes the head start early: the settings, Markdown, templates and the rest are imported after it."""
    code = "import json, sys, publisher.commands.console; print(json.dumps(sorted(sys.modules)))"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(json.loads(shown.stdout))
    later = {"publisher.build.pipeline", "publisher.commands.cli", "publisher.config.model", "publisher.site.model",
             "jinja2", "markdown", "yaml", "rich", "PIL", "pagefind.service", "asyncio"}
    assert "publisher.pages.search" in modules and modules.isdisjoint(later)


def test_the_publisher_command_gives_a_one_post_build_its_head_start(site_dir: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    runs, _, argv = built_once(site_dir, tmp_path, monkeypatch)
    edit_second_post(site_dir)
    done = subprocess.run([sys.executable, "-m", "publisher", *argv], check=False, capture_output=True, text=True,
                          env=os.environ | {"SOURCE_DATE_EPOCH": str(int(NOW.timestamp()))})
    assert done.returncode == 0, done.stderr
    made = runs.read_text().splitlines()[2:]
    assert len(made) == 1 and "publisher-search-ahead-" in made[0]
    assert index_in(tmp_path / "out") == index_in(run(site_dir, output=tmp_path / "clean"))
