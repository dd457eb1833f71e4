"""Shared helpers for the browser tests: Debian's Chromium through Playwright,
and small real HTTP servers on loopback."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # axe-core's tags for the rules of the level
# axe-core's options for a run of those rules. The tests read only the violations: `resultTypes` has axe work out
# the other results (passes, incomplete, inapplicable) for one node of each rule, not for every node with its
# selector (as axe-core's own `no-passes` reporter does); the violations come whole, the same as without it.
AXE_WCAG_22_AA = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    """Debian's chromium, or skip (fail under CI, where the Makefile installs it)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and Path("/usr/bin/chromium").is_file():
        path = "/usr/bin/chromium"
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing under CI (the Makefile's browser target installs it)")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    return path


def require_playwright() -> None:
    """Skip when Playwright for Python is missing (fail under CI, where it is a test dependency)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"playwright is missing under CI: {exc} (pip install -e '.[test]')")
        pytest.skip("playwright for Python is not installed (pip install -e '.[test]')")


@contextmanager
def launch_browser() -> Iterator[Browser]:
    """Debian's headless Chromium, started through Playwright and closed on leaving (the `chromium` fixture's)."""
    executable = chromium_path()
    require_playwright()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A static file server for `folder` on a free loopback port; yields its base URL."""
    handler = functools.partial(_QuietFiles, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return
