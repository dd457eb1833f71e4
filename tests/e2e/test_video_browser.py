"""A video in a post, in headless Chromium: the page asks the video's host for nothing until the reader clicks
play, and the click loads the privacy-enhanced player, playing, in the frame; the facade passes axe.

Every request the page makes is recorded (the frame's too); the player's host is answered by a stub, so the test
needs no network and sees exactly what the browser asked for.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from publisher.build.pipeline import BuildOptions, build

from .browser import AXE_WCAG_22_AA, serve_folder

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

GOOD_SITE = Path(__file__).resolve().parents[1] / "sites" / "good"
PLAYER = re.compile(r"^https://www\.youtube-nocookie\.com/")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site with a post that shows a video, built and served on loopback; yields its URL."""
    work = tmp_path_factory.mktemp("video")
    source = work / "site"
    shutil.copytree(GOOD_SITE, source)
    (source / "content" / "posts" / "launch-video.md").write_text(
        '---\ntitle: Launch video\ndate: 2026-03-01\n---\n\nWatch the launch.\n\n'
        '{{ youtube("abc123XYZ", "The launch") }}\n', encoding="utf-8")
    output = work / "output"
    with serve_folder(output) as url:
        build(BuildOptions(config=source / "publisher.toml", output=output, base_url=url, use_cache=False))
        yield url


def test_the_player_loads_only_on_a_click_and_then_plays(site: str, browser: Browser) -> None:
    url = site
    context = browser.new_context()
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    context.route(PLAYER, lambda route: route.fulfill(status=200, content_type="text/html",
                                                      body="<!doctype html><title>player</title><p>playing"))
    page = context.new_page()
    page.goto(url + "launch-video/", wait_until="load")
    page.wait_for_timeout(300)
    assert not [seen for seen in asked if PLAYER.match(seen)], "the player's host was asked before a click"
    frame = page.frame_locator("figure.video iframe")
    play = frame.get_by_role("link", name="Play: The launch")
    box = page.locator("figure.video iframe").bounding_box()
    assert box is not None and abs(box["width"] / box["height"] - 16 / 9) < 0.02, box  # a video's shape
    play.click()
    page.wait_for_timeout(300)
    loaded = [seen for seen in asked if PLAYER.match(seen)]
    assert loaded == ["https://www.youtube-nocookie.com/embed/abc123XYZ?autoplay=1"], asked
    assert frame.locator("text=playing").count() == 1
    context.close()


def test_the_facade_passes_axe(site: str, browser: Browser) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    url = site
    page = browser.new_page()
    page.goto(url + "launch-video/", wait_until="load")
    results = axe.run(page, options=AXE_WCAG_22_AA)
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
    assert violations == []


def test_a_german_sites_facade_is_named_and_read_in_german(tmp_path: Path, browser: Browser) -> None:
    # The facade said "Play: …" on a German site, in a page with no language of its own: a screen reader named
    # the link in English and read it with the reader's default voice.
    source = tmp_path / "site"
    shutil.copytree(GOOD_SITE, source)
    config = source / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", '[site]\nlanguage = "de"\n', 1),
                      encoding="utf-8")
    (source / "content" / "posts" / "video.md").write_text(
        '---\ntitle: Video\ndate: 2026-03-01\n---\n\n{{ youtube("abc123XYZ", "Der Start") }}\n', encoding="utf-8")
    output = tmp_path / "output"
    with serve_folder(output) as url:
        build(BuildOptions(config=config, output=output, base_url=url, use_cache=False))
        page = browser.new_page()
        page.goto(url + "video/", wait_until="load")
        frame = page.frame_locator("figure.video iframe")
        assert frame.get_by_role("link", name="Abspielen: Der Start").count() == 1
        assert frame.locator("html").get_attribute("lang") == "de"
        assert page.get_by_title("Der Start").count() == 1  # the frame's own name
