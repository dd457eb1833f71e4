"""The package as a user gets it: a wheel built from the repo, installed into a
fresh venv outside the repo, runs `publisher init` and `publisher build`
through its console script, and the default theme ships inside the wheel. The
site it makes deploys on its first push: its requirements.txt installs
publisher into another fresh venv, as the site's CI does, and that one builds it.

Slow (a venv, the dependencies from the package index): everything expensive
happens once, in module-scoped fixtures.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .support import REPO, describe, outside_repo, run, user_env

pytestmark = pytest.mark.e2e  # every test here; the venv is made once per module

TITLE = "Harbour Lights Journal"
BIN = "Scripts" if os.name == "nt" else "bin"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    work: Path  # where the user runs commands: outside the repo and the venv

    @property
    def bin(self) -> Path:
        return self.venv / BIN

    @property
    def python(self) -> Path:
        return self.bin / "python"

    @property
    def publisher(self) -> Path:
        return self.bin / "publisher"

    @property
    def env(self) -> dict[str, str]:
        return user_env(venv_bin=self.bin)


@dataclass(frozen=True)
class Built:
    site: Path
    init: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]

    @property
    def output(self) -> Path:
        return self.site / "output"


@dataclass(frozen=True)
class Deployed:
    """What the site's CI does in a fresh clone: a new venv, `pip install -r requirements.txt`, `publisher build`."""

    clone: Path
    venv: Path
    install: subprocess.CompletedProcess[str]
    build: subprocess.CompletedProcess[str]

    @property
    def output(self) -> Path:
        return self.clone / "output"


def build_wheel(dist: Path) -> Path:
    """Build the repo's wheel with the test's interpreter (`build` if present, else pip)."""
    if importlib.util.find_spec("build") is not None:
        command = [sys.executable, "-m", "build", "--wheel", "--outdir", dist, REPO]
    else:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check", "-w", dist, REPO]
    result = run(command, cwd=dist, timeout=600)
    assert result.returncode == 0, "building the wheel failed\n" + describe(result)
    wheels = sorted(dist.glob("publisher_ssg-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {dist}, found {[w.name for w in dist.iterdir()]}"
    return wheels[0]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh venv (outside the repo) with only the wheel and its dependencies installed."""
    root = outside_repo(tmp_path_factory.mktemp("wheel"))
    dist, venv, work = root / "dist", root / "venv", root / "work"
    for folder in (dist, work):
        folder.mkdir()
    wheel = build_wheel(dist)
    created = run([sys.executable, "-m", "venv", venv], cwd=root, timeout=300)
    assert created.returncode == 0, describe(created)
    env = user_env(venv_bin=venv / BIN, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    pip = run([venv / BIN / "python", "-m", "pip", "install", wheel], cwd=work, env=env, timeout=900)
    assert pip.returncode == 0, "pip install of the wheel failed\n" + describe(pip)
    return Installed(wheel, venv, work)


@pytest.fixture(scope="module")
def built(installed: Installed) -> Built:
    """`publisher init site` then `publisher build` inside it, as a user would type them."""
    init = run([installed.publisher, "init", "site", "--title", TITLE], cwd=installed.work, env=installed.env)
    site = installed.work / "site"
    build = run([installed.publisher, "build"], cwd=site, env=installed.env, timeout=300)
    return Built(site, init, build)


@pytest.fixture(scope="module")
def deployed(installed: Installed, built: Built) -> Deployed:
    """The new site as its CI gets it (a clone: no output/, no cache), its requirements.txt installed into
    a new venv without the package index: `--find-links` offers the wheel's folder and a folder of its
    dependencies' wheels (made from the first venv's install), so a requirement that this wheel does not
    satisfy fails here as it would in CI. Then the workflow's `publisher build --strict`."""
    root = installed.work.parent
    deps, venv, clone = root / "deps", root / "ci-venv", root / "ci-clone"
    env = user_env(venv_bin=installed.bin, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    wheels = run([installed.python, "-m", "pip", "wheel", "--wheel-dir", deps, installed.wheel],
                 cwd=installed.work, env=env, timeout=900)
    assert wheels.returncode == 0, "collecting the dependencies' wheels failed\n" + describe(wheels)
    for ours in deps.glob("publisher_ssg-*.whl"):  # the wheel itself must come from its own folder
        ours.unlink()
    shutil.copytree(built.site, clone, ignore=shutil.ignore_patterns("output", ".publisher-cache"))
    created = run([sys.executable, "-m", "venv", venv], cwd=root, timeout=300)
    assert created.returncode == 0, describe(created)
    env = user_env(venv_bin=venv / BIN, PIP_NO_INPUT="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    install = run([venv / BIN / "python", "-m", "pip", "install", "--no-index", "--find-links", installed.wheel.parent,
                   "--find-links", deps, "-r", "requirements.txt"], cwd=clone, env=env, timeout=900)
    build = run([venv / BIN / "publisher", "build", "--strict"], cwd=clone, env=env, timeout=300)
    return Deployed(clone, venv, install, build)


def test_the_installed_package_is_the_wheel_not_the_repo(installed: Installed) -> None:
    result = run([installed.python, "-c",
                  "import publisher, pathlib; print(pathlib.Path(publisher.__file__).resolve())"],
                 cwd=installed.work, env=installed.env)
    assert result.returncode == 0, describe(result)
    location = Path(result.stdout.strip())
    assert installed.venv.resolve() in location.parents, f"publisher was imported from {location}"
    assert REPO not in location.parents


def test_init_and_build_with_the_installed_console_script(built: Built) -> None:
    assert built.init.returncode == 0, describe(built.init)
    assert (built.site / "publisher.toml").is_file()
    assert (built.site / "content" / "posts" / "welcome.md").is_file()
    assert built.build.returncode == 0, describe(built.build)
    assert "Traceback" not in built.build.stderr

    home = built.output / "index.html"
    post = built.output / "welcome" / "index.html"
    assert home.is_file(), f"no home page; output has {sorted(p.name for p in built.output.iterdir())}"
    assert post.is_file(), f"no page for the welcome post; output has {sorted(p.name for p in built.output.iterdir())}"
    assert TITLE in home.read_text(encoding="utf-8")
    assert TITLE in post.read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*/welcome/"', home.read_text(encoding="utf-8")), \
        "the home page does not link to the post"


def test_the_theme_ships_inside_the_wheel(installed: Installed, built: Built) -> None:
    assert built.build.returncode == 0, describe(built.build)
    css = built.output / "assets" / "site.css"
    assert css.is_file() and css.stat().st_size > 0, "the theme's stylesheet is missing or empty"
    assert "assets/site.css" in (built.output / "index.html").read_text(encoding="utf-8"), \
        "the home page does not use it"
    packaged = list(installed.venv.rglob("site-packages/publisher/_themes/default/static/assets/site.css"))
    assert len(packaged) == 1, "the wheel did not install the default theme inside the package"
    assert css.read_bytes() == packaged[0].read_bytes()


@pytest.mark.parametrize("verb", [None, "build", "init", "new", "serve", "check"])
def test_every_verb_has_help(installed: Installed, verb: str | None) -> None:
    result = run([installed.publisher, *([verb] if verb else []), "--help"], cwd=installed.work, env=installed.env)
    assert result.returncode == 0, describe(result)
    assert result.stdout.startswith("usage: publisher"), describe(result)
    assert "Traceback" not in result.stderr


def test_python_dash_m_publisher(installed: Installed) -> None:
    result = run([installed.python, "-m", "publisher", "--help"], cwd=installed.work, env=installed.env)
    assert result.returncode == 0, describe(result)
    assert "usage:" in result.stdout and "build" in result.stdout


def test_version_matches_the_wheel(installed: Installed) -> None:
    version = installed.wheel.name.split("-")[1]
    result = run([installed.publisher, "--version"], cwd=installed.work, env=installed.env)
    assert result.returncode == 0, describe(result)
    assert result.stdout.strip() == f"publisher {version}"


def requirement_lines(site: Path) -> list[str]:
    text = (site / "requirements.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_init_pins_the_wheel_version_and_warns_that_ci_cannot_install_a_local_wheel(installed: Installed,
                                                                                    built: Built) -> None:
    assert built.init.returncode == 0, describe(built.init)
    version = installed.wheel.name.split("-")[1]
    line = f"publisher-ssg=={version}"
    assert requirement_lines(built.site) == [line]
    assert f"requirements.txt (what CI installs): {line} (" in built.init.stderr
    warnings = [text for text in built.init.stderr.splitlines() if text.startswith("warning:")]
    assert len(warnings) == 1, describe(built.init)
    assert warnings[0].startswith(f"warning: requirements.txt pins {line}, but this publisher was installed from "
                                  f"a local path (file://"), warnings[0]
    assert "git+https://" in warnings[0] and "released version" in warnings[0]


def test_the_new_sites_requirements_install_and_build_it(installed: Installed, built: Built,
                                                          deployed: Deployed) -> None:
    assert deployed.install.returncode == 0, "pip install -r requirements.txt failed\n" + describe(deployed.install)
    shown = run([deployed.venv / BIN / "python", "-m", "pip", "show", "publisher-ssg"], cwd=deployed.clone,
                env=user_env(venv_bin=deployed.venv / BIN))
    assert shown.returncode == 0, describe(shown)
    assert f"Version: {installed.wheel.name.split('-')[1]}" in shown.stdout
    assert deployed.build.returncode == 0, describe(deployed.build)
    assert "Traceback" not in deployed.build.stderr
    assert TITLE in (deployed.output / "index.html").read_text(encoding="utf-8")
    assert (deployed.output / "welcome" / "index.html").is_file()
