"""A post and a page with their "Edit this page" link (`[site] edit_url`): valid HTML (the W3C Nu checker), and
in a real browser no axe-core WCAG 2.2 AA violation, in light and dark mode; the link is named by its words."""

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


def test_pages_with_an_edit_link_pass_the_nu_checker_and_axe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             browser: Browser) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    site = tmp_path / "site"
    shutil.copytree(SITES / "good", site)
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[site]\n", '[site]\nedit_url = "https://github.com/acme/hub/edit/main/"\n', 1), encoding="utf-8")
    monkeypatch.chdir(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert main(["build"]) == 0
    checked = nu_checked(site / "output")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    axe = axe_module.Axe()
    failures = {}
    with serve_folder(site / "output") as url:
        for scheme in ("light", "dark"):
            page = browser.new_page(color_scheme=scheme)
            for path in ("first/", "about/"):
                assert page.goto(url + path).status == 200
                link = page.get_by_role("link", name="Edit this page")
                assert link.get_attribute("href").startswith("https://github.com/acme/hub/edit/main/content/")
                violations = axe.run(page, options=AXE_WCAG_22_AA)
                found = [(v["id"], v["impact"]) for v in violations.response["violations"]]
                if found:
                    failures[f"{scheme} {path}"] = found
    assert not failures, json.dumps(failures, indent=1)
