"""The sample hub in headless Chromium at phone and desktop widths: no
console errors, no failed requests, no sideways scrolling, basic landmarks,
and a screenshot of each page for people to look at."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.build import BuildOptions, build

from .browser import launch_browser, serve_folder

REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).parent / "screenshots"
PAGES = {"home": "", "post": "utm-parameters/", "pillar": "the-publisher-stage/", "offer": "offers/attribution-playbook/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    output = tmp_path_factory.mktemp("sample") / "output"
    with serve_folder(output) as url:
        build(BuildOptions(config=REPO / "publisher.toml", output=output, base_url=url, use_cache=False))
        yield url


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_renders_cleanly(site: str, name: str, width: int) -> None:
    with launch_browser() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: problems.append(f"{r.status}: {r.url}") if r.status >= 400 else None)
        page.goto(site + PAGES[name], wait_until="networkidle")
        assert problems == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"
        assert page.locator("main").count() == 1 and page.locator("h1").count() == 1
        assert page.locator("header").count() >= 1 and page.locator("footer").count() >= 1
        assert page.locator("img:not([alt])").count() == 0
        SHOTS.mkdir(exist_ok=True)
        shot = SHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
