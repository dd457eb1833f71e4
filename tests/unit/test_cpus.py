"""How many workers a build starts: one per processor the process may use (its affinity, its control group's
quota), not one per processor of the machine; `PUBLISHER_WORKERS` sets it outright."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.commands.cli import main
from publisher.core.cpus import build_workers, cgroup_cpu_quota, usable_cpus
from publisher.core.errors import ContentError

SITES = Path(__file__).parents[1] / "sites"
SIXTY_FOUR = frozenset(range(64))  # a CI runner's view of its 64-core host
V2_ONLY = "0::/\n"  # /proc/self/cgroup in a container with its own cgroup v2 namespace


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


def forks_of_a_build(site: Path, cpus: list[int], **env: str) -> tuple[dict[str, int], str]:
    """The processes a `publisher build --timings` of `site` forks run on `cpus` only (`taskset`), by the module
    whose pool started them, and the pool size its timings line reports."""
    command = ["taskset", "-c", ",".join(map(str, cpus)), sys.executable, "-c", COUNTING_BUILD]
    inherited = {name: value for name, value in os.environ.items() if name != "PUBLISHER_WORKERS"}
    environment = {**inherited, "SOURCE_DATE_EPOCH": "1780272000", **env}  # 2026-06-01: every post published
    done = subprocess.run(command, cwd=site, env=environment, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    forked: dict[str, int] = json.loads(done.stdout.splitlines()[-1])
    forked.pop("walk.py", None)  # the output folder's walk, one process whatever the processors
    return forked, done.stderr.splitlines()[-1].rpartition(" · ")[2]


@pytest.mark.skipif(shutil.which("taskset") is None or not hasattr(os, "sched_getaffinity")
                    or len(os.sched_getaffinity(0)) < 2, reason="needs taskset and two processors")
def test_a_build_on_one_usable_processor_starts_no_worker_processes(tmp_path: Path) -> None:
    """Under `taskset -c 0` on this 2-processor machine a build started two Markdown workers, two page workers
    and two card workers (`os.cpu_count()` counts the machine's), each a copy of the build to share one
    processor; on a 64-core CI runner, 64 each. Now each pool's work stays in the build's process; the same
    build on two processors starts two of each (the site is large enough for every pool)."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "good", site)
    for number in range(64):  # past each pool's threshold: 48 bodies, 32 pages made first, 24 cards
        post = f"---\ntitle: Many {number}\ndate: 2026-01-{number % 28 + 1:02d}\n---\n\nBody {number}.\n"
        (site / "content" / "posts" / f"many-{number}.md").write_text(post, encoding="utf-8")
    two = sorted(os.sched_getaffinity(0))[:2]
    assert forks_of_a_build(site, two[:1]) == ({}, "no worker processes")
    assert forks_of_a_build(site, two) == ({"engines.py": 2, "parallel.py": 2, "previews.py": 2},
                                           "2 worker processes a pool")
    assert forks_of_a_build(site, two, PUBLISHER_WORKERS="1") == ({}, "no worker processes")
    assert forks_of_a_build(site, two[:1], PUBLISHER_WORKERS="3") == (
        {"engines.py": 3, "parallel.py": 3, "previews.py": 3}, "3 worker processes a pool")
