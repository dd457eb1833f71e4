"""A wheel built from the repo, installed in a fresh venv outside it, can
`init` and `build`: the default theme ships inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with only the wheel (and its dependencies) installed."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("publisher-*.whl"))
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    return bin_dir


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_installed_wheel_inits_and_builds_outside_the_repo(installed: Path, tmp_path: Path) -> None:
    publisher = str(installed / "publisher")
    assert run([publisher, "init", "hub", "--title", "Wheel Hub"], tmp_path).returncode == 0
    result = run([publisher, "build"], tmp_path / "hub")
    assert result.returncode == 0, result.stderr
    output = tmp_path / "hub" / "output"
    assert "Wheel Hub" in (output / "index.html").read_text()
    assert "Welcome to Wheel Hub" in (output / "welcome" / "index.html").read_text()
    assert (output / "assets" / "site.css").stat().st_size > 1000  # the theme came from inside the wheel
    assert (output / "feed.xml").exists() and (output / "sitemap.xml").exists()


def test_every_verb_has_help_in_the_installed_package(installed: Path, tmp_path: Path) -> None:
    for verb in ([], ["build"], ["init"], ["new"], ["serve"], ["check"]):
        result = run([str(installed / "publisher"), *verb, "--help"], tmp_path)
        assert result.returncode == 0 and "usage: publisher" in result.stdout
    assert run([str(installed / "python"), "-m", "publisher", "--help"], tmp_path).returncode == 0
