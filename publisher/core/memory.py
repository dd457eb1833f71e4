"""How much memory a build may use: the tightest of its control groups' limits and the machine's free memory.

A container or CI runner given 8 processors and 2 GB (`docker run -m 2g`, a Kubernetes memory limit, systemd's
`MemoryMax=`) has its processes killed by the kernel's OOM killer once they hold more than the limit: the build
ends with exit 137 and no message. The limit is read where those set it: cgroup v2 `memory.max` ("max": none),
cgroup v1 `memory.limit_in_bytes` (a huge number: none), on this process's group and its parents, whose limits
bound their children's; and `MemAvailable` in /proc/meminfo, what the machine can still give without swapping.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from publisher.core.cgroups import CGROUP_ROOT, OWN_CGROUPS, groups_of

MEMINFO = Path("/proc/meminfo")  # the machine's memory, `MemAvailable` among it


@dataclass(frozen=True, slots=True)
class MemoryLimit:
    """The bytes a build may hold, and where that figure was read (`memory.max`, `memory.limit_in_bytes`,
    `MemAvailable`), for a user who wants to know why a build started fewer workers."""

    bytes: int
    source: str


def memory_limit(cgroup_root: Path = CGROUP_ROOT, membership: Path = OWN_CGROUPS,
                 meminfo: Path = MEMINFO) -> MemoryLimit | None:
    """The tightest of the memory limits of the control groups this process is in (and their parents') and of
    the machine's available memory; None where none can be read (not Linux)."""
    limits = [*_cgroup_limits(cgroup_root, membership), *_available(meminfo)]
    return min(limits, key=lambda limit: limit.bytes, default=None)


def _cgroup_limits(cgroup_root: Path, membership: Path) -> Iterator[MemoryLimit]:
    """The memory limits set on this process's control groups and their parents, v2 and v1 alike."""
    for folder in groups_of(cgroup_root, membership, v1_mounts=("memory",), v1_controller="memory"):
        for name in ("memory.max", "memory.limit_in_bytes"):
            limit = _whole_number(folder / name)
            if limit is not None:
                yield MemoryLimit(limit, name)


def _available(meminfo: Path) -> Iterator[MemoryLimit]:
    """`MemAvailable` (in kB) of /proc/meminfo, when it says."""
    try:
        lines = meminfo.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    for line in lines:
        name, _, value = line.partition(":")
        words = value.split()
        if name == "MemAvailable" and words and words[0].isdigit():
            yield MemoryLimit(int(words[0]) * 1024, name)


def _whole_number(path: Path) -> int | None:
    """A control-group file's one whole number; None for "max" (v2's no limit), nothing, or no such file. v1's
    no limit is a number near 2**63, larger than any machine's memory, so the machine's figure wins over it."""
    try:
        words = path.read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        return None
    if len(words) != 1 or not words[0].isdigit():
        return None
    return int(words[0])


__all__ = ["MEMINFO", "MemoryLimit", "memory_limit"]
