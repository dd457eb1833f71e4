"""How many processors this process may really use, and so how many workers a build starts.

`os.cpu_count()` counts the machine's processors, not the ones this process may run on: under `taskset`, in a
container started with `--cpus=2` or on a CI runner given 2 of a 64-core host's processors, it said 64, and a
build started 64 Markdown workers, 64 page workers and 64 card workers, each a Python process holding its own
copy of the site, to share 2 processors. Here the count is the processors the scheduler lets this process run
on (its affinity), lowered to the control group's processor quota where there is one (cgroup v2 `cpu.max`,
v1 `cpu.cfs_quota_us` over `cpu.cfs_period_us`), rounded up: the ways Docker, Kubernetes and systemd limit
a container's processors.

Each worker is a Python process holding its own copy of the site, and as many Pagefind runs index the search's parts
side by side, each a process too, so the count is also no more than the memory the build may use holds
(`core.memory`): the build's own process, and a worker's worth for each worker. Measured on 2026-12-07, cold builds
(`--no-cache`) of `bench/corpus.py`'s posts, peaks sampled every 0.1 s from /proc/PID/smaps_rollup: at 1,000 posts
the build's process 176 MB (RSS), each worker 11 to 31 MB of its own (PSS 26 to 67 MB), Pagefind 255 MB; at 10,000
posts the build's process 977 to 992 MB, of their own a Markdown worker 20 to 58 MB, a page worker 82 to 199 MB, a
card worker 44 to 157 MB, a Pagefind part run 137 to 173 MB, the card workers and the Pagefind runs at the same
time. In a 2 GB control group (cgroup v1 `memory.limit_in_bytes`) the build with 5 workers ended well (peak PSS of
the build and its children 1,417 MB), with 8, what a runner of 8 processors started, the kernel's OOM killer ended
it (SIGKILL, exit 137, no message; peak sampled 1,865 MB). The estimates below are those of 10,000 posts: the
build's 1,000 MB, and 250 MB a worker, which holds 4 in 2 GB.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from publisher.core.cgroups import CGROUP_ROOT, OWN_CGROUPS, groups_of
from publisher.core.errors import ContentError
from publisher.core.memory import MEMINFO, MemoryLimit, memory_limit

WORKERS_VARIABLE = "PUBLISHER_WORKERS"  # the environment variable that sets the number of workers outright
_V1_CPU_MOUNTS = ("cpu", "cpu,cpuacct", "cpuacct,cpu")  # where cgroup v1 mounts its cpu controller
MB = 1024 * 1024  # as `docker run -m` and Kubernetes' "Mi" count them
BUILD_MEMORY = 1000 * MB  # what the build's own process holds (10,000 posts: 977 MB)
WORKER_MEMORY = 250 * MB  # a worker's own, and the Pagefind run of a search part beside it (see above)


@dataclass(frozen=True, slots=True)
class Workers:
    """The worker processes each of a build's pools starts (1: none, the build's process does the work), and,
    when memory held the count below one per usable processor, those processors and the limit that did."""

    count: int
    processors: int = 0
    memory: MemoryLimit | None = None


NO_WORKERS = Workers(1)  # the build's own process does the work


def usable_cpus(affinity: Collection[int] | None = None, *, cgroup_root: Path = CGROUP_ROOT,
                membership: Path = OWN_CGROUPS) -> int:
    """The processors this process may use: those it may run on (`affinity`; default: the system's answer),
    no more than its control groups' processor quota allows (rounded up), at least 1."""
    cpus = len(affinity) if affinity is not None else _affinity_count()
    quota = cgroup_cpu_quota(cgroup_root, membership)
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(1, cpus)


def build_workers(environ: Mapping[str, str] | None = None) -> int:
    """The worker processes a build's pools start (`worker_plan`)."""
    return worker_plan(environ).count


def worker_plan(environ: Mapping[str, str] | None = None, *, affinity: Collection[int] | None = None,
                cgroup_root: Path = CGROUP_ROOT, membership: Path = OWN_CGROUPS, meminfo: Path = MEMINFO) -> Workers:
    """The worker processes a build's pools start: `PUBLISHER_WORKERS` when set (a whole number, 1 or more, as
    Hugo reads `HUGO_NUMWORKERMULTIPLIER`), else one per usable processor (`usable_cpus`), no more than the
    memory the build may use holds (`workers_memory_holds`). A value that is not such a number is a
    `ContentError` naming the variable."""
    told = (os.environ if environ is None else environ).get(WORKERS_VARIABLE, "").strip()
    if told:
        return Workers(_told_workers(told))
    processors = usable_cpus(affinity, cgroup_root=cgroup_root, membership=membership)
    limit = memory_limit(cgroup_root, membership, meminfo)
    held = processors if limit is None else workers_memory_holds(limit.bytes)
    if held >= processors:
        return Workers(processors)
    return Workers(held, processors, limit)


def workers_memory_holds(limit: int) -> int:
    """The workers `limit` bytes hold beside the build's own process, each estimated from a build of
    10,000 posts (`BUILD_MEMORY`, `WORKER_MEMORY`); at least 1, which is no worker: the build's process does
    the work and needs no more than it would anyway."""
    return max(1, (limit - BUILD_MEMORY) // WORKER_MEMORY)


def cgroup_cpu_quota(cgroup_root: Path = CGROUP_ROOT, membership: Path = OWN_CGROUPS) -> float | None:
    """The processors' worth of time the control groups this process is in allow it (2.0 for `cpu.max` "200000
    100000"), the tightest of its group's and its parents'; None where none sets a quota (or none can be read:
    not Linux, no cgroup file system mounted)."""
    return min(_quotas_of(cgroup_root, membership), default=None)


def _told_workers(told: str) -> int:
    """`PUBLISHER_WORKERS`'s count; a `ContentError` naming the variable when it is no whole number, 1 or more."""
    if not (told.isascii() and told.isdigit()) or int(told) < 1:
        raise ContentError("environment", None, WORKERS_VARIABLE,
                           f"cannot read {told!r} (expected a whole number of worker processes, 1 or more; "
                           "unset, one per usable processor)")
    return int(told)


def _affinity_count() -> int:
    """The processors the scheduler lets this process run on, where the system says (Linux); else all."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _quotas_of(cgroup_root: Path, membership: Path) -> Iterator[float]:
    """The quotas set on this process's control groups and on their parents: a parent's quota bounds its
    children's."""
    for folder in groups_of(cgroup_root, membership, v1_mounts=_V1_CPU_MOUNTS, v1_controller="cpu"):
        for quota in (_v2_quota(folder / "cpu.max"), _v1_quota(folder)):
            if quota is not None:
                yield quota


def _v2_quota(cpu_max: Path) -> float | None:
    """`cpu.max`'s "$MAX $PERIOD" as processors (MAX / PERIOD); None for "max" (no limit) or no such file."""
    words = _read_words(cpu_max)
    if len(words) != 2 or words[0] == "max":
        return None
    return _ratio(words[0], words[1])


def _v1_quota(folder: Path) -> float | None:
    """`cpu.cfs_quota_us` over `cpu.cfs_period_us` as processors; None for -1 (no limit) or no such files."""
    quota, period = _read_words(folder / "cpu.cfs_quota_us"), _read_words(folder / "cpu.cfs_period_us")
    if len(quota) != 1 or len(period) != 1:
        return None
    return _ratio(quota[0], period[0])


def _ratio(quota: str, period: str) -> float | None:
    """quota / period, both whole positive microseconds; None for anything else (-1 is v1's "no limit")."""
    if not (quota.isdigit() and period.isdigit()) or int(quota) == 0 or int(period) == 0:
        return None
    return int(quota) / int(period)


def _read_words(path: Path) -> list[str]:
    """The words of a small control-group file; none when it cannot be read."""
    try:
        return path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return []


__all__ = ["BUILD_MEMORY", "MB", "NO_WORKERS", "WORKERS_VARIABLE", "WORKER_MEMORY", "Workers", "build_workers",
           "cgroup_cpu_quota", "usable_cpus", "worker_plan", "workers_memory_holds"]
