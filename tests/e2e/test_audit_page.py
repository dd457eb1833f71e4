"""The audit page: valid HTML (the W3C Nu checker), and in a real browser it passes axe-core's WCAG 2.2 AA rules
with no violation of any impact, in light and dark mode."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from publisher.commands.cli import main

from .browser import AXE_WCAG_22_AA, serve_folder
from .support import nu_checked

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e
SITES = Path(__file__).resolve().parents[1] / "sites"


def test_the_audit_page_passes_axe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browser: Browser) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    site = tmp_path / "site"
    shutil.copytree(SITES / "audit", site)
    monkeypatch.chdir(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782820800")
    assert main(["audit"]) == 0
    axe = axe_module.Axe()
    failures = {}
    with serve_folder(site / ".publisher") as url:
        for scheme in ("light", "dark"):
            page = browser.new_page(color_scheme=scheme)
            assert page.goto(url + "audit.html").status == 200
            violations = axe.run(page, options=AXE_WCAG_22_AA)
            found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations.response[
                "violations"]]
            if found:
                failures[scheme] = found
    assert not failures, json.dumps(failures, indent=1)
    checked = nu_checked(site / ".publisher")
    assert checked.returncode == 0, checked.stdout + checked.stderr
