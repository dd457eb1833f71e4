"""Pages rendered on several cores come back complete and in the serial order; a build that makes only a few
pages (the rest kept from the last build) forks no workers."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from publisher.pages.parallel import BLOCK, SERIAL, render_in_order


def jobs(count: int) -> Iterator[int]:
    yield from range(count)


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("count", [0, 1, BLOCK - 1, BLOCK, BLOCK + 1, SERIAL - 1, SERIAL, SERIAL + 1,
                                   SERIAL + 7 * BLOCK + 5])
def test_every_job_once_in_order(count: int, workers: int) -> None:
    results = list(render_in_order(lambda: jobs(count), lambda job: job * job, workers))
    assert results == [(job, job * job) for job in range(count)]


@pytest.mark.parametrize("workers", [2, 3])
def test_jobs_made_here_and_by_workers_come_in_order_when_few_are_made(workers: int) -> None:
    """Only every fifth job is made (the others kept): the switch to workers comes late, mid-block."""
    count = 5 * SERIAL + 3 * BLOCK + 7
    results = list(render_in_order(lambda: jobs(count), lambda job: (job, os.getpid()), workers,
                                   made=lambda result: result[0] % 5 == 0))
    assert [job for job, _ in results] == [made for made, _ in (result for _, result in results)] == list(range(count))
    here = [job for job, (_, pid) in results if pid == os.getpid()]
    assert here == list(range(5 * (SERIAL - 1) + 1))  # up to the SERIAL-th job made, then workers


def test_the_first_pages_made_here_the_rest_in_other_processes() -> None:
    pids = [pid for _, pid in render_in_order(lambda: jobs(SERIAL + 4 * BLOCK), lambda job: os.getpid(), 2)]
    assert set(pids[:SERIAL]) == {os.getpid()}
    assert len(set(pids[SERIAL:])) == 2 and os.getpid() not in pids[SERIAL:]


def test_pages_kept_from_the_last_build_fork_no_workers() -> None:
    """A one-post edit: of thousands of pages, a few are made; forking workers would cost more than it saves."""
    results = list(render_in_order(lambda: jobs(40 * BLOCK), lambda job: (job, os.getpid()), 2,
                                   made=lambda result: result[0] < SERIAL - 2 or result[0] == 30 * BLOCK))  # one short
    assert {pid for _, (_, pid) in results} == {os.getpid()}


def test_what_is_taken_before_forking_is_taken_once_and_seen_by_the_workers() -> None:
    taken: list[int] = []
    results = list(render_in_order(lambda: jobs(SERIAL + 4 * BLOCK), lambda job: len(taken), 2,
                                   before_fork=lambda: taken.append(1)))
    assert taken == [1]
    assert [seen for _, seen in results] == [0] * SERIAL + [1] * 4 * BLOCK


def test_nothing_is_taken_when_no_worker_forks() -> None:
    taken: list[int] = []
    list(render_in_order(lambda: jobs(4 * BLOCK), lambda job: job, 2, made=lambda result: False,
                         before_fork=lambda: taken.append(1)))
    assert taken == []


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


def test_a_damaged_text_met_in_a_worker_reaches_the_build_as_one() -> None:
    """A kept body read in a forked worker and found damaged stops the build as it would here: the build then
    drops its kept bodies and builds again (`build.pipeline`)."""
    from publisher.core.spool import DamagedSpool

    def render(job: int) -> int:
        if job == SERIAL + BLOCK:  # a worker's job
            raise DamagedSpool("a text kept in the cache is not as it was written (at byte 42)")
        return job

    with pytest.raises(DamagedSpool, match="at byte 42"):
        list(render_in_order(lambda: jobs(SERIAL + 4 * BLOCK), render, 2))
