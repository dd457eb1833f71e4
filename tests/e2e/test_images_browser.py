"""Images on a phone, in headless Chromium: no layout shift while they arrive, and a small copy chosen.

A post with a cover image and two photos in its body is served on loopback with the images held back,
so the page is laid out before they load; Chromium's own layout-shift entries must then add up to
nothing. The same page with the size attributes removed must shift, or the measurement proves nothing.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from .browser import serve_folder
from .support import describe, run

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).parent / "screenshots"
GOOD_SITE = Path(__file__).resolve().parents[1] / "sites" / "good"
PHONE = {"width": 390, "height": 844}
LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: "layout-shift", buffered: true});
    setTimeout(() => resolve(total), 500);
})"""


def photo(path: Path, size: tuple[int, int], colour: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 40):  # some detail, so the copies are real images
        image.paste("#ffffff", (x, 0, x + 4, size[1]))
    image.save(path, quality=85)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, publisher: str) -> tuple[str, Path]:
    work = tmp_path_factory.mktemp("images")
    source = work / "site"
    shutil.copytree(GOOD_SITE, source)
    photo(source / "static" / "img" / "cover.jpg", (1600, 900), "#2f6f5e")
    photo(source / "static" / "img" / "chart.jpg", (1400, 1000), "#7a4f9e")
    photo(source / "static" / "img" / "desk.jpg", (1200, 800), "#c05a2b")
    text = "A paragraph of text that sits above the pictures and moves when they arrive. " * 6
    (source / "content" / "posts" / "pictures.md").write_text(
        "---\ntitle: Pictures\ndate: 2026-03-01\nimage: /img/cover.jpg\nimage_alt: A green cover\n---\n\n"
        f"{text}\n\n![A purple chart](/img/chart.jpg)\n\n{text}\n\n![An orange desk](/img/desk.jpg)\n\n{text}\n",
        encoding="utf-8")
    output = work / "output"
    output.mkdir()
    with serve_folder(output) as url:
        built = run([publisher, "build", "--config", source / "publisher.toml", "--output", output,
                     "--base-url", url, "--no-cache"], cwd=work, timeout=300)
        assert built.returncode == 0, describe(built)
        unsized = output / "unsized"
        unsized.mkdir()
        html = (output / "pictures" / "index.html").read_text(encoding="utf-8")
        (unsized / "index.html").write_text(re.sub(r'\s(width|height)="\d+"', "", html), encoding="utf-8")
        yield url, output


def layout_shift(browser: Browser, url: str, shot: str) -> tuple[float, list[str]]:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()

        def late(route: object) -> None:  # images arrive after the text is laid out
            time.sleep(0.3)
            route.continue_()  # type: ignore[attr-defined]

        page.route(re.compile(r".*\.(jpg|webp)$"), late)
        page.goto(url, wait_until="load")
        shift = float(page.evaluate(LAYOUT_SHIFT))
        chosen = page.eval_on_selector_all("main img", "images => images.map(i => i.currentSrc)")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / shot), full_page=True)
        return shift, chosen
    finally:
        context.close()


def test_images_cause_no_layout_shift_on_a_phone_and_a_small_copy_is_loaded(site: tuple[str, Path],
                                                                            browser: Browser) -> None:
    url, _ = site
    shift, chosen = layout_shift(browser, url + "pictures/", "images-390.png")
    control, _ = layout_shift(browser, url + "unsized/", "images-unsized-390.png")
    assert control > 0.05, f"without sizes the page should shift (measured {control}): the test measures nothing"
    assert shift == 0, f"the page shifts by {shift} as its images arrive"
    assert len(chosen) == 3 and all(re.search(r"-(480|800)w-[0-9a-f]{8}\.webp$", src) for src in chosen), chosen
