"""Exit codes of a command stopped by a signal: 128 and the signal's number, as shells say; SIGTERM taken as
Ctrl-C while a command runs (`stopped_on_terminate`), and no stop lost where Python cannot raise it. Light to
import: the console command's first step uses it."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

INTERRUPTED = 130  # SIGINT (Ctrl-C)
TERMINATED = 143  # SIGTERM
_SENT_AGAIN_AFTER = 0.02  # seconds: a dropped stop is sent again once the finaliser that dropped it has returned


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
    `multiprocessing` ends its workers so. A stop Python had to drop is sent again (`_stops_sent_again`). The
    handler there before is put back once the command ends."""
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
        with _stops_sent_again():
            yield
    finally:
        signal.signal(signal.SIGTERM, before if before is not None else signal.SIG_DFL)


@contextmanager
def _stops_sent_again() -> Iterator[None]:
    """A signal's handler raises its interrupt wherever the interpreter is. Where that is a finaliser (a
    `__del__`, such as the regex module's, run as the build drops a pattern; a weakref's callback; the garbage
    collector), Python cannot raise it: it prints "Exception ignored in …" with a traceback, and the build went on
    as if no Ctrl-C had come, waiting out a Pagefind run of a minute. Such a dropped stop is sent again, from a
    thread a moment later (once this hook has returned: raised in the hook, it would be dropped too), so that it
    falls where the command can stop; other dropped errors are reported as before."""
    before = sys.unraisablehook

    def send_again(unraisable: sys.UnraisableHookArgs) -> None:
        if not isinstance(unraisable.exc_value, KeyboardInterrupt):
            before(unraisable)
            return
        again = signal.SIGTERM if isinstance(unraisable.exc_value, Terminated) else signal.SIGINT
        timer = threading.Timer(_SENT_AGAIN_AFTER, os.kill, (os.getpid(), again))
        timer.daemon = True
        timer.start()

    sys.unraisablehook = send_again
    try:
        yield
    finally:
        sys.unraisablehook = before


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
