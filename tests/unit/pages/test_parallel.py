"""Pages rendered on several cores come back complete and in the serial order."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from publisher.pages.parallel import BLOCK, render_in_order


def jobs(count: int) -> Iterator[int]:
    yield from range(count)


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("count", [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, 7 * BLOCK + 5])
def test_every_job_once_in_order(count: int, workers: int) -> None:
    results = list(render_in_order(lambda: jobs(count), lambda job: job * job, workers))
    assert results == [(job, job * job) for job in range(count)]


def test_pages_are_rendered_in_other_processes() -> None:
    pids = {pid for _, pid in render_in_order(lambda: jobs(4 * BLOCK), lambda job: os.getpid(), 2)}
    assert len(pids) == 2 and os.getpid() not in pids


def test_a_failing_page_stops_the_build_with_its_traceback() -> None:
    def render(job: int) -> int:
        if job == 2 * BLOCK + 3:
            raise ValueError("page 35 is broken")
        return job

    with pytest.raises(RuntimeError, match="page 35 is broken"):
        list(render_in_order(lambda: jobs(5 * BLOCK), render, 2))


def test_with_other_threads_running_pages_are_rendered_here() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        pids = {pid for _, pid in render_in_order(lambda: jobs(4 * BLOCK), lambda job: os.getpid(), 2)}
    finally:
        stop.set()
        thread.join()
    assert pids == {os.getpid()}
