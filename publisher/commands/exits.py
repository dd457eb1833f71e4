"""Exit codes of a command stopped by a signal: 128 and the signal's number, as shells say; and SIGTERM taken as
Ctrl-C while a command runs (`stopped_on_terminate`). Light to import: the console command's first step uses it."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

INTERRUPTED = 130  # SIGINT (Ctrl-C)
TERMINATED = 143  # SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM came: the command stops as at Ctrl-C (see `stopped_on_terminate`)."""


def exit_code(stopped: KeyboardInterrupt) -> int:
    """The exit code of a command stopped so: SIGTERM's (`Terminated`), else Ctrl-C's."""
    return TERMINATED if isinstance(stopped, Terminated) else INTERRUPTED


@contextmanager
def stopped_on_terminate() -> Iterator[None]:
    """While a command runs, `kill` (SIGTERM, as process managers, CI runners cancelling a job and scripts stop a
    program) stops it as Ctrl-C does: a running Pagefind is ended and its scratch folder removed, and a build
    leaves the output as it was, where the default action would leave Pagefind and its folder behind. A process
    forked meanwhile (a page worker, a pool drawing cards) is ended by SIGTERM at once, as by default:
    `multiprocessing` ends its workers so. The handler there before is put back once the command ends."""
    if threading.current_thread() is not threading.main_thread():  # only there can Python take a signal
        yield
        return
    owner = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != owner:  # a forked worker
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Terminated

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before if before is not None else signal.SIG_DFL)


def interrupt_behind(error: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM (`Terminated`) behind `error`, if any. A signal's handler raises its interrupt
    wherever the interpreter is, and where that is inside the making of a class (a module being imported, its
    dataclasses made), Python 3.11 raises the RuntimeError "Error calling __set_name__" in its place, with the
    interrupt as its cause."""
    seen: set[int] = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return cause
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return None
