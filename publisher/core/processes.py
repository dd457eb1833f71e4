"""Whether work can go to forked processes, and waiting on child processes."""

from __future__ import annotations

import multiprocessing
import os
import select
import subprocess
import threading
from typing import Any


def can_fork() -> bool:
    """Forking is safe only while no other thread runs (as in `serve`, it is not), on a platform that forks."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def ended_within(process: subprocess.Popen[Any], seconds: float) -> bool:
    """Whether `process` ended within `seconds` (it is reaped then: its `returncode` is set). Woken the moment it
    ends where the system tells that (a process file descriptor, Linux 5.3 and later): `Popen.wait` with a
    timeout looks every 50 ms at most, so a build waiting on Pagefind's run went on up to 50 ms after it ended
    (10 ms for the median of eight waits of 0.2-1.1 s, 2 ms this way)."""
    if process.poll() is not None:
        return True
    try:
        handle = os.pidfd_open(process.pid)
    except (AttributeError, OSError):  # no such call here, or the process is gone (reaped elsewhere): Popen's way
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True
    try:
        ended = select.poll()
        ended.register(handle, select.POLLIN)
        told = ended.poll(seconds * 1000)
    finally:
        os.close(handle)
    return bool(told) and process.poll() is not None
