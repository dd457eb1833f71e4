"""How many workers a build starts: one per processor the process may use (its affinity, its control group's
quota), not one per processor of the machine, no more than its memory holds; `PUBLISHER_WORKERS` sets it
outright."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from publisher.commands.cli import main
from publisher.core.cgroups import CGROUP_ROOT, OWN_CGROUPS, groups_of
from publisher.core.cpus import MB, Workers, build_workers, cgroup_cpu_quota, usable_cpus, worker_plan
from publisher.core.errors import ContentError
from publisher.core.memory import MemoryLimit

SITES = Path(__file__).parents[1] / "sites"
SIXTY_FOUR = frozenset(range(64))  # a CI runner's view of its 64-core host
V2_ONLY = "0::/\n"  # /proc/self/cgroup in a container with its own cgroup v2 namespace
GB = 1024 * MB  # as `docker run -m 2g` counts
EIGHT = "800000 100000\n"  # cpu.max of `docker run --cpus=8`
HOST_MEMINFO = "MemTotal:       65536000 kB\nMemFree:        60000000 kB\nMemAvailable:   62000000 kB\n"  # 64 GB
V1_NO_LIMIT = "9223372036854771712\n"  # memory.limit_in_bytes where none is set


def cgroups(root: Path, listed: str, files: dict[str, str]) -> Path:
    """A fake /sys/fs/cgroup under `root` holding `files` (path under it -> text), and the /proc/self/cgroup
    that lists this process's groups as `listed`; the latter's path returned."""
    for name, text in files.items():
        (root / "cgroup" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "cgroup" / name).write_text(text, encoding="ascii")
    (root / "cgroup").mkdir(exist_ok=True)
    membership = root / "self-cgroup"
    membership.write_text(listed, encoding="ascii")
    return membership


@pytest.mark.parametrize(("cpu_max", "cpus"), [
    ("200000 100000\n", 2),  # docker run --cpus=2
    ("150000 100000\n", 2),  # --cpus=1.5: rounded up, the half processor is still worth a worker
    ("50000 100000\n", 1),  # --cpus=0.5: at least one
    ("max 100000\n", 64),  # no limit
])
def test_a_container_quota_bounds_the_processors_of_a_64_core_host(tmp_path: Path, cpu_max: str, cpus: int) -> None:
    membership = cgroups(tmp_path, V2_ONLY, {"cpu.max": cpu_max})
    assert usable_cpus(SIXTY_FOUR, cgroup_root=tmp_path / "cgroup", membership=membership) == cpus


def test_the_affinity_bounds_the_count_when_it_is_below_the_quota(tmp_path: Path) -> None:
    """`taskset -c 0,1` in a container allowed 8 processors: 2."""
    membership = cgroups(tmp_path, V2_ONLY, {"cpu.max": "800000 100000"})
    assert usable_cpus({0, 1}, cgroup_root=tmp_path / "cgroup", membership=membership) == 2


def test_a_parent_groups_quota_bounds_its_child(tmp_path: Path) -> None:
    """A CI job's step in a group of its own, under the job's group that carries the limit (systemd, Kubernetes)."""
    membership = cgroups(tmp_path, "0::/job/step\n", {"job/cpu.max": "300000 100000", "job/step/cpu.max": "max 100000",
                                                      "cpu.max": "max 100000"})
    assert usable_cpus(SIXTY_FOUR, cgroup_root=tmp_path / "cgroup", membership=membership) == 3


def test_a_group_path_the_container_does_not_see_is_read_at_the_mounts_root(tmp_path: Path) -> None:
    """Without its own cgroup namespace, a container lists the host's path of its group, while /sys/fs/cgroup
    shows that group as its root."""
    membership = cgroups(tmp_path, "0::/system.slice/docker-4f1c.scope\n", {"cpu.max": "200000 100000"})
    assert usable_cpus(SIXTY_FOUR, cgroup_root=tmp_path / "cgroup", membership=membership) == 2


def test_a_cgroup_v1_quota_is_read_from_the_cpu_controllers_hierarchy(tmp_path: Path) -> None:
    listed = "5:memory:/docker/4f1c\n3:cpu,cpuacct:/docker/4f1c\n1:name=systemd:/docker/4f1c\n"
    membership = cgroups(tmp_path, listed, {"cpu,cpuacct/docker/4f1c/cpu.cfs_quota_us": "400000\n",
                                            "cpu,cpuacct/docker/4f1c/cpu.cfs_period_us": "100000\n",
                                            "cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
                                            "cpu,cpuacct/cpu.cfs_period_us": "100000\n"})
    assert usable_cpus(SIXTY_FOUR, cgroup_root=tmp_path / "cgroup", membership=membership) == 4


def test_no_quota_anywhere_leaves_the_affinity(tmp_path: Path) -> None:
    """v1 without a limit (-1), unreadable or missing files, and no /proc/self/cgroup at all (not Linux)."""
    listed = "3:cpu,cpuacct:/\n0::/\n"
    membership = cgroups(tmp_path, listed, {"cpu,cpuacct/cpu.cfs_quota_us": "-1\n",
                                            "cpu,cpuacct/cpu.cfs_period_us": "100000\n", "cpu.max": "garbage\n"})
    assert usable_cpus(SIXTY_FOUR, cgroup_root=tmp_path / "cgroup", membership=membership) == 64
    assert cgroup_cpu_quota(tmp_path / "cgroup", tmp_path / "no-such-file") is None
    assert usable_cpus(set(), cgroup_root=tmp_path / "cgroup", membership=tmp_path / "no-such-file") == 1


def test_publisher_workers_sets_the_count_outright() -> None:
    assert build_workers({"PUBLISHER_WORKERS": "3"}) == 3
    assert build_workers({"PUBLISHER_WORKERS": " 1 "}) == 1
    assert build_workers({"PUBLISHER_WORKERS": ""}) == usable_cpus() == build_workers({})


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5", "\uff14"])  # the last a full-width 4
def test_a_publisher_workers_that_is_no_count_is_a_one_line_error(
        value: str, site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ContentError):
        build_workers({"PUBLISHER_WORKERS": value})
    monkeypatch.setenv("PUBLISHER_WORKERS", value)
    monkeypatch.chdir(site_dir)
    assert main(["build"]) == 1
    said = (f"error: environment: PUBLISHER_WORKERS: cannot read '{value}' (expected a whole number of worker "
            "processes, 1 or more; unset, one per usable processor)")
    assert capsys.readouterr().err.splitlines() == [said]
    assert not (site_dir / "output").exists()


def plan(root: Path, listed: str, files: dict[str, str], meminfo: str = HOST_MEMINFO,
         environ: dict[str, str] | None = None) -> Workers:
    """`worker_plan` on a 64-core host, in the fake control groups `cgroups` makes of `listed` and `files`, the
    machine's /proc/meminfo saying `meminfo`."""
    membership = cgroups(root, listed, files)
    (root / "meminfo").write_text(meminfo, encoding="ascii")
    return worker_plan(environ or {}, affinity=SIXTY_FOUR, cgroup_root=root / "cgroup", membership=membership,
                       meminfo=root / "meminfo")


@pytest.mark.parametrize(("memory_max", "workers"), [
    (f"{2 * GB}\n", Workers(4, 8, MemoryLimit(2 * GB, "memory.max"))),  # the build's 1,000 MB, and 4 of 250 MB
    (f"{GB}\n", Workers(1, 8, MemoryLimit(GB, "memory.max"))),  # room for the build alone: no worker
    (f"{4 * GB}\n", Workers(8)),  # room for 15: one per processor
    ("max\n", Workers(8)),  # no limit
])
def test_a_containers_memory_limit_bounds_its_workers(tmp_path: Path, memory_max: str, workers: Workers) -> None:
    """`docker run --cpus=8 -m 2g` started 8 workers, each a copy of the site, and 8 Pagefind runs beside them:
    at 10,000 posts, in a 2 GB control group, the kernel's OOM killer ended the build (exit 137, no message)."""
    assert plan(tmp_path, V2_ONLY, {"cpu.max": EIGHT, "memory.max": memory_max}) == workers


def test_a_parent_groups_memory_limit_bounds_its_child(tmp_path: Path) -> None:
    """A CI job's step in a group of its own, under the job's group that carries the limit (systemd's
    `MemoryMax=`, a Kubernetes pod's limit): 1.5 GB holds the build and 2 workers."""
    files = {"job/memory.max": f"{3 * GB // 2}\n", "job/step/memory.max": "max\n", "memory.max": "max\n"}
    assert plan(tmp_path, "0::/job/step\n", files) == Workers(2, 64, MemoryLimit(3 * GB // 2, "memory.max"))


def test_a_cgroup_v1_memory_limit_is_read_from_the_memory_controllers_hierarchy(tmp_path: Path) -> None:
    listed = "4:memory:/docker/4f1c\n3:cpu,cpuacct:/docker/4f1c\n1:name=systemd:/docker/4f1c\n"
    files = {"memory/docker/4f1c/memory.limit_in_bytes": f"{2 * GB}\n", "memory/memory.limit_in_bytes": V1_NO_LIMIT}
    assert plan(tmp_path, listed, files) == Workers(4, 64, MemoryLimit(2 * GB, "memory.limit_in_bytes"))
    assert plan(tmp_path / "none", "4:memory:/\n", {"memory/memory.limit_in_bytes": V1_NO_LIMIT}) == Workers(64)


def test_the_machines_available_memory_bounds_the_workers_too(tmp_path: Path) -> None:
    """A VM with 8 processors and 1.5 GB free, no control group limit."""
    meminfo = "MemTotal:        2000000 kB\nMemFree:          400000 kB\nMemAvailable:    1536000 kB\n"
    assert plan(tmp_path, V2_ONLY, {"cpu.max": EIGHT}, meminfo) == Workers(2, 8, MemoryLimit(1500 * MB, "MemAvailable"))


def test_publisher_workers_sets_the_count_whatever_the_memory(tmp_path: Path) -> None:
    files = {"cpu.max": EIGHT, "memory.max": f"{GB}\n"}
    assert plan(tmp_path, V2_ONLY, files, environ={"PUBLISHER_WORKERS": "6"}) == Workers(6)


def test_no_memory_figure_leaves_the_processors(tmp_path: Path) -> None:
    """No /proc/meminfo, no /proc/self/cgroup: not Linux."""
    assert worker_plan({}, affinity=SIXTY_FOUR, cgroup_root=tmp_path, membership=tmp_path / "no-such-file",
                       meminfo=tmp_path / "no-such-file") == Workers(64)


# Runs `publisher build`, noting each process forked and the publisher module whose pool forked it.
COUNTING_BUILD = """
import json, os, sys, traceback
pools = {}
def note():
    started = [f.filename for f in traceback.extract_stack() if "/publisher/" in f.filename.replace(os.sep, "/")]
    pool = os.path.basename(started[-1]) if started else "?"
    pools[pool] = pools.get(pool, 0) + 1
os.register_at_fork(before=note)
from publisher.commands.cli import main
code = main(["build", "--no-cache", "--timings"])
print(json.dumps(pools))
sys.exit(code)
"""


# The same, its processors and memory read from the fake control groups and /proc/meminfo under $FAKE_CGROUPS
# (as `plan` makes them), the processes it may run on 8: a container on a host of 8 or more processors.
IN_A_CONTAINER = """
import functools, os
from pathlib import Path
import publisher.build.pipeline
from publisher.core.cpus import worker_plan
root = Path(os.environ["FAKE_CGROUPS"])
publisher.build.pipeline.worker_plan = functools.partial(
    worker_plan, affinity=range(8), cgroup_root=root / "cgroup", membership=root / "self-cgroup",
    meminfo=root / "meminfo")
""" + COUNTING_BUILD


def forks_of_a_build(site: Path, cpus: list[int], *, script: str = COUNTING_BUILD, wrapper: tuple[str, ...] = (),
                     **env: str) -> tuple[dict[str, int], str]:
    """The processes a `publisher build --timings` of `site` forks run on `cpus` only (`taskset`), by the module
    whose pool started them, and the pool size its timings line reports; `script` runs the build, as the
    `wrapper` command's last arguments when there is one."""
    command = [*wrapper, "taskset", "-c", ",".join(map(str, cpus)), sys.executable, "-c", script]
    inherited = {name: value for name, value in os.environ.items() if name != "PUBLISHER_WORKERS"}
    environment = {**inherited, "SOURCE_DATE_EPOCH": "1780272000", **env}  # 2026-06-01: every post published
    done = subprocess.run(command, cwd=site, env=environment, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    forked: dict[str, int] = json.loads(done.stdout.splitlines()[-1])
    forked.pop("walk.py", None)  # the output folder's walk, one process whatever the processors
    return forked, done.stderr.splitlines()[-1].rpartition(" · ")[2]


def many_posts(tmp_path: Path) -> Path:
    """A copy of the good site with 64 posts more: past each pool's threshold (48 bodies, 32 pages made first,
    24 cards), so that every pool starts its workers."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "good", site)
    for number in range(64):
        post = f"---\ntitle: Many {number}\ndate: 2026-01-{number % 28 + 1:02d}\n---\n\nBody {number}.\n"
        (site / "content" / "posts" / f"many-{number}.md").write_text(post, encoding="utf-8")
    return site


NEEDS_TWO = pytest.mark.skipif(shutil.which("taskset") is None or not hasattr(os, "sched_getaffinity")
                               or len(os.sched_getaffinity(0)) < 2, reason="needs taskset and two processors")


@NEEDS_TWO
def test_a_build_on_one_usable_processor_starts_no_worker_processes(tmp_path: Path) -> None:
    """Under `taskset -c 0` on this 2-processor machine a build started two Markdown workers, two page workers
    and two card workers (`os.cpu_count()` counts the machine's), each a copy of the build to share one
    processor; on a 64-core CI runner, 64 each. Now each pool's work stays in the build's process; the same
    build on two processors starts two of each (the site is large enough for every pool)."""
    site = many_posts(tmp_path)
    two = sorted(os.sched_getaffinity(0))[:2]
    assert forks_of_a_build(site, two[:1]) == ({}, "no worker processes")
    assert forks_of_a_build(site, two) == ({"engines.py": 2, "parallel.py": 2, "previews.py": 2},
                                           "2 worker processes a pool")
    assert forks_of_a_build(site, two, PUBLISHER_WORKERS="1") == ({}, "no worker processes")
    assert forks_of_a_build(site, two[:1], PUBLISHER_WORKERS="3") == (
        {"engines.py": 3, "parallel.py": 3, "previews.py": 3}, "3 worker processes a pool")


@NEEDS_TWO
def test_a_build_in_a_container_of_8_processors_and_1500_mb_starts_2_workers_a_pool(tmp_path: Path) -> None:
    """`docker run --cpus=8 -m 1500m`: the build started 8 workers a pool, which at 10,000 posts need 2,000 MB
    beside the build's own 1,000 MB; `--timings` said "8 worker processes a pool". Now 2, and the line says
    why. (The fake control groups stand for the container's: making real ones takes root.)"""
    plan(tmp_path / "container", V2_ONLY, {"cpu.max": EIGHT, "memory.max": f"{1500 * MB}\n"})
    forked, said = forks_of_a_build(many_posts(tmp_path), sorted(os.sched_getaffinity(0))[:2], script=IN_A_CONTAINER,
                                    FAKE_CGROUPS=str(tmp_path / "container"))
    assert forked == {"engines.py": 2, "parallel.py": 2, "previews.py": 2}
    assert said == "2 worker processes a pool, not 8: memory.max 1,500 MB holds the build and 2"


@contextlib.contextmanager
def memory_group(limit: int) -> Iterator[tuple[Path, str]]:
    """A new control group under this process's own, holding its processes to `limit` bytes of memory: its
    folder, and the name of the file that sets the limit (cgroup v2 or v1). Skips the test where none can be
    made: not root, no memory controller, or a cgroup v2 group that does not pass it on to its children."""
    own = next(groups_of(CGROUP_ROOT, OWN_CGROUPS, v1_mounts=("memory",), v1_controller="memory"), None)
    group = None if own is None else own / f"publisher-test-{os.getpid()}"
    try:
        assert group is not None
        group.mkdir()
    except (AssertionError, OSError):
        pytest.skip("cannot make a control group (needs root and a memory controller)")
    try:
        name = next((name for name in ("memory.max", "memory.limit_in_bytes") if (group / name).exists()), None)
        if name is None:
            pytest.skip("the new control group has no memory limit to set")
        (group / name).write_text(str(limit), encoding="ascii")
        yield group, name
    finally:
        group.rmdir()


@NEEDS_TWO
def test_a_build_in_a_real_1_gb_control_group_starts_no_worker_processes(tmp_path: Path) -> None:
    """A build run as `systemd-run -p MemoryMax=1G` or `docker run -m 1g` runs it, on 2 processors: it started 2
    workers a pool, each a copy of the site (250 MB at 10,000 posts) beside the build's own 1,000 MB. Now none,
    and `--timings` says why; the group's file, read through the real /proc/self/cgroup and /sys/fs/cgroup."""
    with memory_group(1024 * MB) as (group, name):
        enter = ("sh", "-c", 'echo $$ > "$0" && exec "$@"', str(group / "cgroup.procs"))
        forked, said = forks_of_a_build(many_posts(tmp_path), sorted(os.sched_getaffinity(0))[:2], wrapper=enter)
    assert forked == {}
    assert said == f"no worker processes, not 2: {name} 1,024 MB holds the build and none"
