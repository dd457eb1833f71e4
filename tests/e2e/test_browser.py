"""The built hub in headless Chromium, served over real HTTP, at a phone width
(360 px) and a desktop width (1280 px): no console errors, no failed
requests, no sideways scrolling, one main landmark, a heading, alt text on
every image, and a full-page screenshot of each for people to look at
(tests/e2e/screenshots/, git-ignored).

The site is the repo's sample hub, built by the console script; while the
sample has fewer than two posts, a site made by `publisher init` stands in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from .browser import serve_folder
from .support import REPO, describe, run

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).parent / "screenshots"
WIDTHS = (360, 1280)
PAGES = ("home", "post", "page", "offer")  # a post: the longest one; page: about/; offer: a gated-content page
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# The elements sticking out to the right, to say what scrolls sideways.
WIDE_ELEMENTS = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase()
              + (e.getAttribute('class') ? '.' + e.getAttribute('class').trim().split(/\\s+/).join('.') : '')
              + ` (right edge ${Math.round(e.getBoundingClientRect().right)} px)`)"""


@dataclass(frozen=True)
class Site:
    url: str
    output: Path
    paths: dict[str, str]  # page name -> URL path below the site's root


def sample_has_posts() -> bool:
    return len(list((REPO / "content" / "posts").glob("**/*.md"))) >= 2 and (REPO / "publisher.toml").is_file()


def post_paths(output: Path) -> list[str]:
    """URL paths of the posts: from the JSON Feed, else every page marked og:type article."""
    feed = output / "feed.json"
    if feed.is_file():
        items = json.loads(feed.read_text(encoding="utf-8")).get("items", [])
        return [urlsplit(item["url"]).path.lstrip("/") for item in items if item.get("url")]
    return [p.parent.relative_to(output).as_posix() + "/" for p in sorted(output.glob("*/index.html"))
            if 'property="og:type" content="article"' in p.read_text(encoding="utf-8")]


def page_size(output: Path, path: str) -> int:
    page = output / path / "index.html"
    return page.stat().st_size if page.is_file() else -1


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, publisher: str) -> Iterator[Site]:
    """The hub built into a temporary folder and served from 127.0.0.1 on a free port."""
    work = tmp_path_factory.mktemp("browser")
    output = work / "output"
    output.mkdir()
    if sample_has_posts():
        config = REPO / "publisher.toml"
    else:
        init = run([publisher, "init", "hub", "--title", "Harbour Lights Journal"], cwd=work)
        assert init.returncode == 0, describe(init)
        config = work / "hub" / "publisher.toml"
    with serve_folder(output) as url:
        # --base-url: links and assets point at this server; --no-cache: nothing is written into the repo.
        result = run([publisher, "build", "--config", config, "--output", output, "--base-url", url, "--no-cache"],
                     cwd=work, timeout=300)
        assert result.returncode == 0, describe(result)
        posts = [path for path in post_paths(output) if page_size(output, path) > 0]
        assert posts, "the built site has no post pages"
        paths = {"home": "", "post": max(posts, key=lambda path: page_size(output, path))}
        if (output / "about" / "index.html").is_file():
            paths["page"] = "about/"
        offers = sorted(output.glob("offers/*/index.html"))
        if offers:
            paths["offer"] = offers[0].parent.relative_to(output).as_posix() + "/"
        yield Site(url, output, paths)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_renders_cleanly(browser: Browser, site: Site, name: str, width: int) -> None:
    if name not in site.paths:
        pytest.skip(f"this site has no {name} page")
    url = site.url + site.paths[name]
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda message: problems.append(f"console error: {message.text}")
                if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url} ({request.failure})"))
        page.on("response", lambda response: problems.append(f"HTTP {response.status}: {response.url}")
                if response.status >= 400 else None)

        response = page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"
        assert problems == [], f"{url} at {width} px:\n" + "\n".join(problems)

        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow} px at {width} px: {page.evaluate(WIDE_ELEMENTS)}"

        mains = page.evaluate("() => document.querySelectorAll('main, [role=main]').length")
        assert mains == 1, "not exactly one main landmark"
        headings = page.locator("h1")
        assert headings.count() >= 1, f"{url} has no h1"
        assert headings.first.inner_text().strip(), f"{url}: the h1 is empty"
        missing_alt = page.locator("img:not([alt])").evaluate_all("images => images.map(i => i.getAttribute('src'))")
        assert missing_alt == [], f"{url}: images without alt: {missing_alt}"

        SHOTS.mkdir(exist_ok=True)
        shot = SHOTS / f"{name}-{width}.png"
        shot.unlink(missing_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        data = shot.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 1000, f"{shot} is not a real screenshot"
    finally:
        context.close()
