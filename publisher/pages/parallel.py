"""Pages rendered on every core, in the order a serial build renders them.

Each worker is forked from the build, so it already holds the site, the views
and the compiled templates: nothing is sent to it. It walks the same list of
pages as a serial build would, renders only its share (every n-th block of
`BLOCK` pages) and streams each block back; the build takes the blocks in turn,
so what it writes is byte for byte what one process would write.

Forking is unsafe once other threads run (as in `serve`); then, with one
worker, or on a platform without fork, pages are rendered in this process.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import TypeVar

from publisher.core.processes import can_fork

Job = TypeVar("Job")
Result = TypeVar("Result")

BLOCK = 16  # pages a worker renders before handing them over


def render_in_order(jobs: Callable[[], Iterator[Job]], render: Callable[[Job], Result],
                    workers: int) -> Iterator[tuple[Job, Result]]:
    """(job, `render(job)`) for each of `jobs()`, in order, over `workers` forked processes when that is safe."""
    if workers <= 1 or not can_fork():
        yield from ((job, render(job)) for job in jobs())
        return
    context = multiprocessing.get_context("fork")
    receivers: list[Connection] = []
    processes = []
    for number in range(workers):
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_work, args=(jobs, render, number, workers, sender), daemon=True)
        process.start()
        sender.close()
        receivers.append(receiver)
        processes.append(process)
    try:
        yield from zip(jobs(), _in_turn(receivers), strict=True)  # the jobs again: the workers keep theirs
    finally:
        for process in processes:
            process.kill()
            process.join()


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
        yield from payload
        block += 1


def _work(jobs: Callable[[], Iterator[Job]], render: Callable[[Job], Result], number: int, workers: int,
          sender: Connection) -> None:
    """A worker: render the blocks `number`, `number + workers`, ... and send each; then the end."""
    try:
        batch: list[Result] = []
        for index, job in enumerate(jobs()):
            if (index // BLOCK) % workers != number:
                continue
            batch.append(render(job))
            if index % BLOCK == BLOCK - 1:
                sender.send(("ok", batch))
                batch = []
        if batch:
            sender.send(("ok", batch))
        sender.send(None)
    except BaseException:
        sender.send(("failed", traceback.format_exc()))
    finally:
        sender.close()
