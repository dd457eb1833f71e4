"""Old URLs with a query (WordPress's plain permalinks, `/?p=123`) in headless Chromium, from a real static HTTP
server that serves the path's file whatever the query, as every static host does: the script the page there
carries sends the reader on, with their campaign parameters and fragment; any other query stays where it is."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from publisher.build.pipeline import BuildOptions, build

from .browser import AXE_WCAG_22_AA, serve_folder
from .support import REPO, nu_checked

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

REDIRECTS = ('\n[redirects]\n"/?p=123" = "/first/"\n"/?page_id=4" = "/about/"\n'
             '"/?page_id=4&preview=true" = "/second/"\n"/blog.html?p=5" = "/second/"\n'
             '"/old/" = "/first/"\n"/old/?id=7" = "/second/"\n'
             '"/?m=2026" = "/archive/#y2026"\n"/2026/" = "/archive/#y2026"\n')
# A theme whose pages say, before anything else of theirs, that no inline script may run: its policy binds only
# what comes after it, and the script comes first.
STRICT_BASE = '<meta http-equiv="Content-Security-Policy" content="script-src \'self\'">\n'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    output = built(tmp_path_factory.mktemp("query") / "site", REDIRECTS)
    with serve_folder(output) as url:
        yield url, output


def built(root: Path, redirects: str) -> Path:
    """The test site with `redirects` added, built with the strict theme into its output folder."""
    shutil.copytree(REPO / "tests" / "sites" / "good", root)
    (root / "static" / "img").mkdir(parents=True)
    shutil.copy(REPO / "tests" / "sites" / "import" / "wordpress" / "uploads" / "2024" / "05" / "inbox.png",
                root / "static" / "img" / "chart.png")  # the image the second post shows
    config = root / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", '[site]\ntheme = "strict"\n')
                      + redirects, encoding="utf-8")
    base = (REPO / "themes" / "default" / "templates" / "base.html").read_text(encoding="utf-8")
    strict = root / "themes" / "strict" / "templates"
    strict.mkdir(parents=True)
    charset = '<meta charset="utf-8">\n'
    (strict / "base.html").write_text(base.replace(charset, charset + STRICT_BASE), encoding="utf-8")
    output = build(BuildOptions(config=config, output=root / "output", use_cache=False)).output_dir
    assert STRICT_BASE in (output / "index.html").read_text(encoding="utf-8")
    return output


@pytest.mark.parametrize(("address", "lands_at"), [
    ("?p=123", "first/"),
    ("?p=123&utm_source=x&ref=y#part", "first/?utm_source=x#part"),  # campaign kept, other parameters not
    ("?utm_campaign=spring&p=123", "first/?utm_campaign=spring"),
    ("?page_id=4", "about/"),
    ("?page_id=4&preview=true", "second/"),  # the rule with the most parameters the address has
    ("blog.html?p=5", "second/"),
    ("blog.html?p=6", ""),  # the old path without a page of its own: the home page, as the old site's was
    ("old/?id=7", "second/"),
    ("old/", "first/"),
    ("?m=2026", "archive/#y2026"),  # a WordPress date archive, on its year
    ("?m=2026#top", "archive/#y2026"),  # the target's place wins, as for an HTTP redirect's Location
    ("2026/", "archive/#y2026"),  # the redirect page's meta refresh keeps the place too
    ("?p=999", "?p=999"),  # unknown: the home page stays
    ("?p=1234", "?p=1234"),
])
def test_an_old_url_with_a_query_ends_at_its_new_page(site: tuple[str, Path], browser: Browser, address: str,
                                                      lands_at: str) -> None:
    url, _ = site
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.goto(url + address)
    tab.wait_for_url(url + lands_at)
    tab.wait_for_load_state("load")
    assert tab.url == url + lands_at
    if lands_at.startswith("?"):
        assert tab.locator("body.kind-home").count() == 1
    assert errors == []
    tab.close()


def test_the_pages_that_carry_query_redirects_are_valid_html(site: tuple[str, Path], tmp_path: Path) -> None:
    _, output = site
    for name, page in {"home": "index.html", "old": "old/index.html", "blog": "blog.html"}.items():
        shutil.copy(output / page, tmp_path / f"{name}.html")
    checked = nu_checked(tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


# A WordPress blog of 2,000 posts with plain permalinks: the home page loads the rules from a file of their own,
# and only for an address with a `p=`.
MANY = "\n[redirects]\n" + "".join(f'"/?p={number}" = "/first/"\n' for number in range(1000, 2999)) + \
    '"/?p=2999" = "/second/"\n'


@pytest.fixture(scope="module")
def many(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    output = built(tmp_path_factory.mktemp("many") / "site", MANY)
    with serve_folder(output) as url:
        yield url, output


@pytest.mark.parametrize(("address", "lands_at", "loads_rules"), [
    ("?p=2999", "second/", True),
    ("?p=1000&utm_source=x&ref=y#part", "first/?utm_source=x#part", True),
    ("?p=99999", "?p=99999", True),  # unknown: the home page stays
    ("?utm_source=news", "?utm_source=news", False),  # no parameter a rule names: nothing more to download
    ("", "", False),
])
def test_an_old_url_with_a_query_ends_at_its_new_page_among_2000(many: tuple[str, Path], browser: Browser,
                                                                 address: str, lands_at: str,
                                                                 loads_rules: bool) -> None:
    url, _ = many
    tab = browser.new_page()
    errors: list[str] = []
    requested: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("request", lambda request: requested.append(request.url))
    tab.goto(url + address)
    tab.wait_for_url(url + lands_at)
    tab.wait_for_load_state("networkidle")
    assert tab.url == url + lands_at
    assert any("/assets/redirects/" in asked for asked in requested) == loads_rules, requested
    assert errors == []
    tab.close()


def test_the_home_page_loading_its_rules_is_valid_html_and_passes_axe(many: tuple[str, Path], browser: Browser,
                                                                      tmp_path: Path) -> None:
    url, output = many
    home = (output / "index.html").read_text(encoding="utf-8")
    assert "/assets/redirects/" in home and '"/?p=2999"' not in home and "p=2999" not in home
    shutil.copy(output / "index.html", tmp_path / "home.html")
    checked = nu_checked(tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    tab = browser.new_page()
    tab.goto(url + "?p=99999")
    violations = axe_module.Axe().run(tab, options=AXE_WCAG_22_AA)
    assert violations.response["violations"] == []
    tab.close()
