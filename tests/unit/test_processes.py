"""Waiting on a child process: told it ended, reaped, on systems with and without process file descriptors."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from publisher.core.processes import ended_within

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]


@pytest.fixture(params=["pidfd", "popen"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each way of waiting: a process file descriptor (Linux), and Popen's own where there is none."""
    if request.param == "pidfd" and not hasattr(os, "pidfd_open"):
        pytest.skip("no os.pidfd_open on this system")
    if request.param == "popen":
        monkeypatch.delattr(os, "pidfd_open", raising=False)
    return str(request.param)


def test_a_running_process_is_not_told_ended_and_one_that_ends_is_reaped(way: str) -> None:
    process = subprocess.Popen(SLEEPER)
    try:
        assert not ended_within(process, 0.05)
        assert process.returncode is None
        process.send_signal(signal.SIGTERM)
        while not ended_within(process, 5):
            pass
        assert process.returncode == -signal.SIGTERM  # reaped: no zombie left behind
    finally:
        process.kill()
        process.wait()


def test_a_process_that_ended_before_the_wait_is_told_ended_at_once(way: str) -> None:
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    while not ended_within(process, 5):
        pass
    assert process.returncode == 3
    assert ended_within(process, 0)  # asked again: still ended


def test_a_process_reaped_elsewhere_is_told_ended() -> None:
    """A pid whose process was reaped behind Popen's back (no process file descriptor can be had for it)."""
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(0)"])
    os.waitpid(process.pid, 0)
    assert ended_within(process, 5)
