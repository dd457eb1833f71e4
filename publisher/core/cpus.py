"""How many processors this process may really use, and so how many workers a build starts.

`os.cpu_count()` counts the machine's processors, not the ones this process may run on: under `taskset`, in a
container started with `--cpus=2` or on a CI runner given 2 of a 64-core host's processors, it said 64, and a
build started 64 Markdown workers, 64 page workers and 64 card workers, each a Python process holding its own
copy of the site, to share 2 processors. Here the count is the processors the scheduler lets this process run
on (its affinity), lowered to the control group's processor quota where there is one (cgroup v2 `cpu.max`,
v1 `cpu.cfs_quota_us` over `cpu.cfs_period_us`), rounded up: the ways Docker, Kubernetes and systemd limit
a container's processors.
"""

from __future__ import annotations

import math
import os
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path, PurePosixPath

from publisher.core.errors import ContentError

WORKERS_VARIABLE = "PUBLISHER_WORKERS"  # the environment variable that sets the number of workers outright
CGROUP_ROOT = Path("/sys/fs/cgroup")  # where Linux mounts the control groups
OWN_CGROUPS = Path("/proc/self/cgroup")  # which control groups this process is in
_V1_CPU_MOUNTS = ("cpu", "cpu,cpuacct", "cpuacct,cpu")  # where cgroup v1 mounts its cpu controller


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
    """The worker processes a build's pools start: `PUBLISHER_WORKERS` when set (a whole number, 1 or more, as
    Hugo reads `HUGO_NUMWORKERMULTIPLIER`), else one per usable processor (`usable_cpus`). A value that is not
    such a number is a `ContentError` naming the variable."""
    told = (os.environ if environ is None else environ).get(WORKERS_VARIABLE, "").strip()
    if not told:
        return usable_cpus()
    if not (told.isascii() and told.isdigit()) or int(told) < 1:
        raise ContentError("environment", None, WORKERS_VARIABLE,
                           f"cannot read {told!r} (expected a whole number of worker processes, 1 or more; "
                           "unset, one per usable processor)")
    return int(told)


def cgroup_cpu_quota(cgroup_root: Path = CGROUP_ROOT, membership: Path = OWN_CGROUPS) -> float | None:
    """The processors' worth of time the control groups this process is in allow it (2.0 for `cpu.max` "200000
    100000"), the tightest of its group's and its parents'; None where none sets a quota (or none can be read:
    not Linux, no cgroup file system mounted)."""
    try:
        listed = membership.read_text(encoding="utf-8")
    except OSError:
        return None
    quotas = [quota for line in listed.splitlines() for quota in _quotas_of(line, cgroup_root)]
    return min(quotas, default=None)


def _affinity_count() -> int:
    """The processors the scheduler lets this process run on, where the system says (Linux); else all."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _quotas_of(line: str, cgroup_root: Path) -> Iterator[float]:
    """The quotas set on one line's control group of `/proc/self/cgroup` ("hierarchy:controllers:path") and
    on its parents: a parent's quota bounds its children's."""
    hierarchy, _, rest = line.partition(":")
    controllers, _, path = rest.partition(":")
    if hierarchy == "0" and not controllers:  # cgroup v2: one hierarchy, every controller
        for folder in _group_and_parents(cgroup_root, path):
            quota = _v2_quota(folder / "cpu.max")
            if quota is not None:
                yield quota
    elif "cpu" in controllers.split(","):  # cgroup v1: the cpu controller's own hierarchy
        for mount in _V1_CPU_MOUNTS:
            for folder in _group_and_parents(cgroup_root / mount, path):
                quota = _v1_quota(folder)
                if quota is not None:
                    yield quota


def _group_and_parents(mount: Path, path: str) -> list[Path]:
    """The folders of the group at `path` and of its parents, up to the hierarchy's mount. In a container the
    group's path is often the host's while the mount shows the container's own group as its root: then the
    mount's root is the group."""
    group = mount.joinpath(*PurePosixPath(path).parts[1:])
    if not group.is_dir():
        return [mount] if mount.is_dir() else []
    return [group, *[parent for parent in group.parents if parent.is_relative_to(mount)]]


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


__all__ = ["WORKERS_VARIABLE", "build_workers", "cgroup_cpu_quota", "usable_cpus"]
