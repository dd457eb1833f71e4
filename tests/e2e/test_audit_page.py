"""The audit page in a real browser: it passes axe-core without serious violations, in light and dark mode."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from publisher.commands.cli import main

from .browser import launch_browser, serve_folder

pytestmark = pytest.mark.e2e
SITES = Path(__file__).resolve().parents[1] / "sites"


def test_the_audit_page_passes_axe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    site = tmp_path / "site"
    shutil.copytree(SITES / "audit", site)
    monkeypatch.chdir(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782820800")
    assert main(["audit"]) == 0
    axe = axe_module.Axe()
    failures = {}
    with serve_folder(site / ".publisher") as url, launch_browser() as browser:
        for scheme in ("light", "dark"):
            page = browser.new_page(color_scheme=scheme)
            assert page.goto(url + "audit.html").status == 200
            violations = axe.run(page).response["violations"]
            serious = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
                       if v.get("impact") in ("serious", "critical")]
            if serious:
                failures[scheme] = serious
    assert not failures, json.dumps(failures, indent=1)
