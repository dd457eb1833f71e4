"""Shared fixtures: a small site to build, and the golden-file switch."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).parent / "sites"
# 2026-11-01T00:00:00Z: after every sample post but the one scheduled for 2027.
FIXED_EPOCH = "1793491200"
SOAK = "PUBLISHER_SOAK"  # `make soak`: how many times their usual examples the slow property tests draw


def examples(usual: int) -> int:
    """How many examples a slow property test draws: `usual`, times `$PUBLISHER_SOAK` when that is a whole number
    above 0 (`make soak`: each run draws new ones)."""
    factor = os.environ.get(SOAK, "")
    return usual * int(factor) if factor.isdigit() and int(factor) > 0 else usual


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C reaches the tests, and every `publisher` they start, as a terminal delivers it. A run started in
    the background by a shell without job control (`make test &` in a script) inherits Ctrl-C ignored, and
    so would each `serve` the tests start: the tests that press Ctrl-C would wait for processes that never
    stop."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


# The modules of the longest tests (`make test` names them: each 10-55 s on one core), run first. pytest-xdist's
# worksteal gives each worker a run of the collection and lets an idle one take the end of another's: started
# last, one of these held a worker for most of a minute after the other had nothing left to take.
LONGEST_FIRST = ("test_incremental_model.py", "test_incremental.py", "test_every_page.py", "test_wheel.py",
                 "test_pathological.py", "test_damaged_cache.py", "test_leads.py", "test_kept_bodies.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests' modules first, each module's tests together and in their order (a module's fixtures
    are made once), the rest as collected."""
    items.sort(key=lambda item: LONGEST_FIRST.index(item.path.name) if item.path.name in LONGEST_FIRST
               else len(LONGEST_FIRST))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture(autouse=True)
def kept_results_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page recipe a build takes as kept, its structure and entries as they were, is walked too, and every
    post's share outline taken as kept is read too; the build fails when one is another (`pages.recipes`,
    `share.plan._Readings`): each test's builds check what the skips rely on."""
    from publisher.pages import render
    from publisher.share import plan

    monkeypatch.setattr(render, "CHECK_KEPT_RECIPES", True)
    monkeypatch.setattr(plan, "CHECK_KEPT_OUTLINES", True)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """A copy of tests/sites/good to build and change."""
    target = tmp_path / "site"
    shutil.copytree(SITES / "good", target)
    return target


def noting_rendered_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The output path of each page a build renders from its template, noted from now on (pages rendered in
    forked workers are not: build with one worker, or few pages)."""
    from publisher.pages.render import PageInputs, _PageRenderer

    noted: list[str] = []
    real = _PageRenderer._render_template

    def noting(renderer: _PageRenderer, inputs: PageInputs) -> object:
        noted.append(inputs.path)
        return real(renderer, inputs)

    monkeypatch.setattr(_PageRenderer, "_render_template", noting)
    return noted


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def counting_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pagefind's real program behind a script that notes the folder each run indexes, one line a run, in the
    returned file."""
    from pagefind.service import get_executable

    log, script = tmp_path / "pagefind-runs", tmp_path / "pagefind"
    script.write_text(f'#!/bin/sh\necho "$2" >> "{log}"\nexec "{get_executable()}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    return log


@dataclass(frozen=True)
class SlowPagefind:
    """A Pagefind that takes a minute: `program` to put in $PAGEFIND_BINARY_PATH; once it runs, `started`
    holds its process id and arguments."""

    program: Path
    started: Path

    @classmethod
    def make(cls, folder: Path) -> SlowPagefind:
        program, started = folder / "pagefind", folder / "pagefind-started"
        program.write_text(f'#!/bin/sh\necho "$$ $*" > "{started}.tmp" && mv "{started}.tmp" "{started}"\n'
                           "exec sleep 60\n", encoding="utf-8")
        program.chmod(0o755)
        return cls(program, started)

    def wait_until_running(self) -> tuple[int, list[str]]:
        """Its process id and arguments, once it runs."""
        deadline = time.monotonic() + 30
        while not self.started.exists():
            assert time.monotonic() < deadline, "Pagefind never ran"
            time.sleep(0.05)
        pid, *arguments = self.started.read_text(encoding="utf-8").split()
        return int(pid), arguments
