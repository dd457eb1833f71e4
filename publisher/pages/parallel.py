"""Pages rendered on every core, in the order a serial build renders them.

The first pages are rendered in the build's own process. Only once it has
made `SERIAL` of them (a page kept from the last build is not made: its
recipe said it is current) does the rest go to workers: a one-post edit makes
a handful of a large site's pages, and forking workers that each walk all of
them cost more processor time than they saved (0.56 s of 6.56 s at 10,000
posts, on a build bound by processor time).

Each worker is forked from the build, so it already holds the site, the views
and the compiled templates: nothing is sent to it. It walks the same list of
pages as a serial build would, renders only its share of those not yet
rendered (every n-th block of `BLOCK` pages) and streams each block back; the
build takes the blocks in turn, so what it writes is byte for byte what one
process would write.

Forking is unsafe once other threads run (as in `serve`); then, with one
worker, or on a platform without fork, pages are rendered in this process.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator
from itertools import islice
from multiprocessing.connection import Connection
from typing import NamedTuple, TypeVar

from publisher.core.processes import can_fork
from publisher.core.spool import DamagedSpool

Job = TypeVar("Job")
Result = TypeVar("Result")

BLOCK = 16  # pages a worker renders before handing them over
SERIAL = 2 * BLOCK  # pages made in the build's process before the rest go to workers


def _always(result: object) -> bool:
    return True


def _nothing() -> None:
    return None


def render_in_order(jobs: Callable[[], Iterator[Job]], render: Callable[[Job], Result], workers: int, *,
                    made: Callable[[Result], bool] = _always, before_fork: Callable[[], None] = _nothing
                    ) -> Iterator[tuple[Job, Result]]:
    """(job, `render(job)`) for each of `jobs()`, in order: here until `SERIAL` results were `made`, then the
    rest over `workers` forked processes when that is safe, `before_fork()` called first (to take once what
    each worker would otherwise take again)."""
    here = jobs()
    done = made_here = 0
    parallel = workers > 1 and can_fork()
    for job in here:
        result = render(job)
        yield job, result
        done += 1
        made_here += made(result)
        if parallel and made_here >= SERIAL:
            break
    else:
        return
    before_fork()
    yield from _forked(here, jobs, render, workers, done)


def _forked(here: Iterator[Job], jobs: Callable[[], Iterator[Job]], render: Callable[[Job], Result],
            workers: int, done: int) -> Iterator[tuple[Job, Result]]:
    """The jobs left in `here` (those after the first `done` of `jobs()`), rendered by forked workers."""
    context = multiprocessing.get_context("fork")
    receivers: list[Connection] = []
    processes = []
    for number in range(workers):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(jobs, render, _Share(number, workers, done), sender),
                                  daemon=True)
        process.start()
        sender.close()
        receivers.append(receiver)
        processes.append(process)
    try:
        yield from zip(here, _in_turn(receivers), strict=True)  # the workers walk the jobs on their own
    finally:
        for process in processes:
            process.kill()
            process.join()


class _Share(NamedTuple):
    """Which jobs a worker renders: of those after the first `done`, the blocks `number`, `number + workers`..."""

    number: int
    workers: int
    done: int


def _in_turn(receivers: list[Connection]) -> Iterator[Result]:
    """Block 0 from worker 0, block 1 from worker 1, ... until a worker says the pages ran out."""
    block = 0
    while True:
        message = receivers[block % len(receivers)].recv()
        if message is None:
            return
        kind, payload = message
        if kind == "failed":
            raise RuntimeError(f"a page worker failed:\n{payload}")
        if kind == "damaged":
            raise DamagedSpool(payload)
        yield from payload
        block += 1


def _work(jobs: Callable[[], Iterator[Job]], render: Callable[[Job], Result], share: _Share,
          sender: Connection) -> None:
    """A worker: render the blocks of its share and send each; then the end."""
    try:
        batch: list[Result] = []
        for index, job in enumerate(islice(jobs(), share.done, None)):
            if (index // BLOCK) % share.workers != share.number:
                continue
            batch.append(render(job))
            if index % BLOCK == BLOCK - 1:
                sender.send(("ok", batch))
                batch = []
        if batch:
            sender.send(("ok", batch))
        sender.send(None)
    except DamagedSpool as damaged:  # the build drops its kept bodies and builds again (`build.pipeline`)
        sender.send(("damaged", str(damaged)))
    except BaseException:
        sender.send(("failed", traceback.format_exc()))
    finally:
        sender.close()
