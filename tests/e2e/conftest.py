"""Fixtures for the end-to-end tests; every test in this folder is marked `e2e`
(`pytest -m "not e2e"` leaves them out)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def publisher() -> str:
    """The `publisher` console script of the environment running the tests."""
    script = Path(sys.executable).parent / ("publisher.exe" if os.name == "nt" else "publisher")
    if not script.is_file():
        pytest.fail(f"no `publisher` console script next to {sys.executable}: "
                    "install the package into this environment (pip install -e '.[test]')")
    return str(script)
