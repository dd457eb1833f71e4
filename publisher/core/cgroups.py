"""The control groups this process is in, as folders to read limits from: Docker, Kubernetes and systemd limit a
container's processors and memory there (`core.cpus`, `core.memory`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

CGROUP_ROOT = Path("/sys/fs/cgroup")  # where Linux mounts the control groups
OWN_CGROUPS = Path("/proc/self/cgroup")  # which control groups this process is in


def groups_of(cgroup_root: Path, membership: Path, *, v1_mounts: tuple[str, ...], v1_controller: str) -> Iterator[Path]:
    """The folders of the control groups this process is in and of their parents, whose limits bound their
    children's: cgroup v2's one hierarchy, and cgroup v1's hierarchy of `v1_controller`, mounted under one of
    `v1_mounts` ("cpu,cpuacct"). None where `membership` (/proc/self/cgroup) cannot be read: not Linux."""
    try:
        listed = membership.read_text(encoding="utf-8")
    except OSError:
        return
    for line in listed.splitlines():
        hierarchy, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if hierarchy == "0" and not controllers:  # cgroup v2: one hierarchy, every controller
            yield from _group_and_parents(cgroup_root, path)
        elif v1_controller in controllers.split(","):  # cgroup v1: the controller's own hierarchy
            for mount in v1_mounts:
                yield from _group_and_parents(cgroup_root / mount, path)


def _group_and_parents(mount: Path, path: str) -> list[Path]:
    """The folders of the group at `path` and of its parents, up to the hierarchy's mount. In a container the
    group's path is often the host's while the mount shows the container's own group as its root: then the
    mount's root is the group."""
    group = mount.joinpath(*PurePosixPath(path).parts[1:])
    if not group.is_dir():
        return [mount] if mount.is_dir() else []
    return [group, *[parent for parent in group.parents if parent.is_relative_to(mount)]]


__all__ = ["CGROUP_ROOT", "OWN_CGROUPS", "groups_of"]
