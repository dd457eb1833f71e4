"""The console script as a subprocess: exit codes, one-line errors, untouched output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..conftest import snapshot

PUBLISHER = str(Path(sys.executable).parent / "publisher")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PUBLISHER, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_init_build_break_and_rebuild(tmp_path: Path) -> None:
    assert run("init", "hub", cwd=tmp_path).returncode == 0
    hub = tmp_path / "hub"
    assert run("build", cwd=hub).returncode == 0
    before = snapshot(hub / "output")
    mtimes = {p: p.stat().st_mtime_ns for p in (hub / "output").rglob("*") if p.is_file()}

    again = run("build", cwd=hub)
    assert again.returncode == 0 and "0 written" in again.stderr
    assert snapshot(hub / "output") == before
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes  # nothing was rewritten

    (hub / "content" / "posts" / "broken.md").write_text("---\ntitle: [unclosed\ndate: 2026-01-01\n---\n\nBody.\n")
    failed = run("build", cwd=hub)
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[0].startswith("content/posts/broken.md:2: front matter: invalid YAML")
    assert "Traceback" not in failed.stderr
    assert snapshot(hub / "output") == before


def test_new_prints_unique_paths(tmp_path: Path) -> None:
    run("init", "hub", cwd=tmp_path)
    first = run("new", "Some: Title", cwd=tmp_path / "hub").stdout.strip()
    second = run("new", "Some: Title", cwd=tmp_path / "hub").stdout.strip()
    assert first != second
    assert (tmp_path / "hub" / first).is_file() and (tmp_path / "hub" / second).is_file()


def test_strict_turns_warnings_into_failure(tmp_path: Path) -> None:
    run("init", "hub", cwd=tmp_path)
    hub = tmp_path / "hub"
    (hub / "content" / "posts" / "odd.md").write_text("---\ntitle: Odd\ndate: 2026-01-01\ncolour: blue\n---\n\nBody.\n")
    assert run("build", cwd=hub).returncode == 0
    strict = run("build", "--strict", cwd=hub)
    assert strict.returncode == 1
    assert "content/posts/odd.md:4: colour: unknown field" in strict.stderr


def test_reproducible_with_source_date_epoch(tmp_path: Path) -> None:
    run("init", "hub", cwd=tmp_path)
    hub = tmp_path / "hub"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}
    for out in ("one", "two"):
        subprocess.run([PUBLISHER, "build", "--no-cache", "--output", str(tmp_path / out)], cwd=hub, env=env, check=True,
                       capture_output=True)
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")
