"""Fixtures for the end-to-end tests; every test in this folder is marked `e2e`
(`pytest -m "not e2e"` leaves them out)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .browser import launch_browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser

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


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the browser tests of a module: each of some 45 tests started one of its own, with
    Playwright's driver, and closed it (0.7-1 s each on two cores). Not one for the whole run: while Playwright's
    sync API is open it marks an asyncio event loop as running in the main thread (between its calls too), so
    `asyncio.run` would fail in every later test of the worker, browser test or not."""
    with launch_browser() as running:
        yield running


@pytest.fixture
def browser(chromium: Browser) -> Iterator[Browser]:
    """The module's Chromium, for one test. Its contexts are the test's own (`browser.new_page()` opens one for
    its page): each is closed after the test, so no test sees another's cookies, storage, cache or pages."""
    assert not chromium.contexts, "a browser context outlived the test that opened it"
    yield chromium
    for context in list(chromium.contexts):
        context.close()
