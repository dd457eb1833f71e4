"""Whether work can go to forked processes."""

from __future__ import annotations

import multiprocessing
import threading


def can_fork() -> bool:
    """Forking is safe only while no other thread runs (as in `serve`, it is not), on a platform that forks."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
