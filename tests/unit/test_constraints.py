"""constraints.txt pins what `make build` and `make test` install: every package publisher and its tests need,
each at one version that pyproject.toml allows, and this environment holds those versions."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = ROOT / "pyproject.toml"
CONSTRAINTS = ROOT / "constraints.txt"


def _pins(text: str) -> dict[str, str]:
    """Each pinned package by its canonical name, with its version; a line that is not `name==version`, or a
    package pinned twice, fails."""
    pins: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, version = line.partition("==")
        assert sep and name.strip() == name and version.strip() == version and version, \
            f"constraints.txt:{number}: {line!r} is not name==version"
        key = canonicalize_name(name)
        assert key not in pins, f"constraints.txt:{number}: {name} is pinned twice"
        pins[key] = version
    return pins


def _wanted() -> list[Requirement]:
    """What pyproject.toml asks for: publisher's dependencies and its test tools."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in (*project["dependencies"], *project["optional-dependencies"]["test"])]


@pytest.fixture(scope="module")
def pins() -> dict[str, str]:
    return _pins(CONSTRAINTS.read_text(encoding="utf-8"))


def test_each_requirement_is_pinned_inside_its_range(pins: dict[str, str]) -> None:
    for requirement in _wanted():
        pinned = pins.get(canonicalize_name(requirement.name))
        assert pinned is not None, f"{requirement.name} (pyproject.toml) has no pin in constraints.txt"
        assert requirement.specifier.contains(pinned, prereleases=True), \
            f"constraints.txt pins {requirement.name}=={pinned}, outside pyproject.toml's {requirement}"


def test_what_the_requirements_need_is_pinned_and_installed_at_its_pin(pins: dict[str, str]) -> None:
    """The whole tree of packages the requirements bring, as this environment's metadata says (`make` installed
    it with the pins): each one pinned, and installed at that version."""
    todo = [(requirement, frozenset(requirement.extras)) for requirement in _wanted()]
    seen: set[str] = set()
    while todo:
        requirement, extras = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        assert name in pins, f"{requirement.name}, which {requirement} brings, has no pin in constraints.txt"
        installed = metadata.version(requirement.name)
        assert installed == pins[name], (f"{requirement.name} {installed} is installed, constraints.txt pins "
                                         f"{pins[name]}: run `make build` to install the pins")
        for line in metadata.requires(requirement.name) or []:
            needed = Requirement(line)
            if needed.marker is None or any(needed.marker.evaluate({"extra": extra}) for extra in extras or {""}):
                todo.append((needed, frozenset(needed.extras)))


def test_a_line_that_is_not_an_exact_pin_is_refused() -> None:
    for text in ("jinja2>=3.1\n", "jinja2==3.1.6\nJinja2==3.1.6\n", "jinja2==\n"):
        with pytest.raises(AssertionError):
            _pins(text)
    assert _pins("# a comment\n\nJinja2==3.1.6\n") == {"jinja2": "3.1.6"}
