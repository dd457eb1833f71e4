"""Readers' search in headless Chromium: type a word on /search/, see the post that holds it, follow it.

The sample hub is built and served from its files alone (a plain static file server), once at the root
of a host and once under a sub-path (/hub/), where every URL of the search, its bundle and its results
must carry the base path; and under `publisher serve`, whose index follows an edit.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from publisher.build.pipeline import BuildOptions, build

from .browser import AXE_WCAG_22_AA, serve_folder

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
# Each result's page title (sections of a page it matched in are listed under it, one level down).
RESULT_TITLES = ".pagefind-ui__result-inner > .pagefind-ui__result-title > .pagefind-ui__result-link"
# True once Pagefind says "N result(s) for <the words typed>" and shows them (the first five: it offers the rest on
# request). The words are checked too: typed a letter at a time, a search for the first letters ("co") may finish
# last on a busy machine, and its results were taken for the whole word's.
ALL_SHOWN = """([selector, words]) => {
    const message = document.querySelector(".pagefind-ui__message")?.textContent ?? "";
    const said = message.match(/^(\\d+) results? for (.*)$/);
    return Boolean(said) && said[2].replace(/^["“]|["”]$/g, "") === words
        && Math.min(Number(said[1]), 5) === document.querySelectorAll(selector).length;
}"""


@pytest.fixture(scope="module")
def at_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample hub served at the root of a loopback host; yields its URL."""
    output = tmp_path_factory.mktemp("search-root") / "output"
    with serve_folder(output) as url:
        build(BuildOptions(config=REPO / "publisher.toml", output=output, base_url=url, use_cache=False))
        yield url


@pytest.fixture(scope="module")
def under_sub_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample hub served under /hub/ of a loopback host; yields the site's URL (ending in /hub/)."""
    host_root = tmp_path_factory.mktemp("search-sub-path")
    with serve_folder(host_root) as url:
        site_url = url + "hub/"
        build(BuildOptions(config=REPO / "publisher.toml", output=host_root / "hub", base_url=site_url,
                           use_cache=False))
        yield site_url


@pytest.fixture(scope="module")
def in_parts_under_sub_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A copy of the sample hub with its index split in parts of four pages, served under /hub/; yields its URL."""
    site = tmp_path_factory.mktemp("search-parts") / "site"
    site.mkdir()
    for name in ("content", "static"):
        shutil.copytree(REPO / name, site / name)
    for name in ("publisher.toml", "publisher.urls"):
        shutil.copy(REPO / name, site / name)
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n[search]\nshard_size = 4\n")
    host_root = site.parent / "host"
    with serve_folder(host_root) as url:
        site_url = url + "hub/"
        build(BuildOptions(config=site / "publisher.toml", output=host_root / "hub", base_url=site_url,
                           use_cache=False))
        assert len(json.loads((host_root / "hub" / "pagefind" / "parts.json").read_bytes())) >= 3
        yield site_url


@pytest.mark.parametrize("words", ["debuggerz", "cookiesx", "calendarium"])
def test_an_index_in_parts_lists_for_a_word_no_page_holds_what_the_whole_index_lists(
        in_parts_under_sub_path: str, under_sub_path: str, words: str, browser: Browser) -> None:
    """A word no page holds nor begins (a typo): the whole index lists the pages of the longest indexed word it
    begins ("debugger" for "debuggerz"), but each part of an index in parts fell back to its own longest ("debug",
    "de"...), and all were kept, as no page held the word: a typo listed pages of any word sharing its first
    letters. Now only those of the longest word any part fell back to, as the whole index lists."""
    page = browser.new_page()
    found = {url: sorted(search_all(page, url, words)) for url in (in_parts_under_sub_path, under_sub_path)}
    assert found[in_parts_under_sub_path] == found[under_sub_path]


def search_all(page: Any, site_url: str, words: str) -> list[str]:
    """As `search`, with every result shown (Pagefind shows five, and the rest on request)."""
    titles = search(page, site_url, words)
    more = page.get_by_role("button", name="Load more results")
    while more.count():
        more.click()
        page.wait_for_timeout(100)
    return titles if len(titles) < 5 else list(page.locator(RESULT_TITLES).all_inner_texts())


# ALL_SHOWN, for Pagefind's interface in Japanese: "<the words typed>の<N>件の検索結果".
JAPANESE_SHOWN = """([selector, words]) => {
    const message = document.querySelector(".pagefind-ui__message")?.textContent ?? "";
    const said = message.match(/^(.*)の(\\d+)件の検索結果$/);
    return Boolean(said) && said[1] === words
        && Math.min(Number(said[2]), 5) === document.querySelectorAll(selector).length;
}"""
# A Japanese hub: each list item is a word of its own to Pagefind's standard program (it takes each run of Japanese
# text as one word). "東京" (Tokyo) is on one post; "東" (east) on another, which a part without "東京" finds it as.
JAPANESE_POSTS = {"tokyo": ("東京の夜", "- 東京\n- 夜景"), "directions": ("方角", "- 東\n- 西\n- 南\n- 北"),
                  "kyoto": ("京都の寺", "- 京都\n- 寺"), "osaka": ("大阪の味", "- 大阪\n- たこ焼き")}


@pytest.fixture(scope="module")
def japanese_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The Japanese hub built twice, its index in parts of one page and whole, each served at the root of a
    loopback host; yields their URLs by "split" and "whole"."""
    urls: dict[str, str] = {}
    with contextlib.ExitStack() as servers:
        for name, shard_size in (("split", 1), ("whole", 1000)):
            site = tmp_path_factory.mktemp(f"search-japanese-{name}")
            (site / "content" / "posts").mkdir(parents=True)
            for slug, (title, body) in JAPANESE_POSTS.items():
                (site / "content" / "posts" / f"{slug}.md").write_text(
                    f'---\ntitle: "{title}"\ndate: 2024-01-01\n---\n\n{body}\n', encoding="utf-8")
            (site / "publisher.toml").write_text(
                f'[site]\ntitle = "ブログ"\nurl = "https://ja.example/"\ntimezone = "UTC"\nlanguage = "ja"\n\n'
                f"[search]\nshard_size = {shard_size}\n", encoding="utf-8")
            url = servers.enter_context(serve_folder(site / "output"))
            build(BuildOptions(config=site / "publisher.toml", output=site / "output", base_url=url,
                               use_cache=False))
            urls[name] = url
            parts = json.loads((site / "output" / "pagefind" / "parts.json").read_bytes())
            assert len(parts) >= 2 if name == "split" else parts == []
        yield urls


def search(page: Any, site_url: str, words: str, *, box: str = "Search", shown: str = ALL_SHOWN) -> list[str]:
    """Open the search page, type `words` into its labelled box (named `box`) as a reader does, and return the
    titles of the results once Pagefind has said how many it found (`shown`, in the site's language) and shown them."""
    assert page.goto(site_url + "search/").status == 200
    page.get_by_role("search").get_by_role("textbox", name=box).press_sequentially(words)
    page.wait_for_function(shown, arg=[RESULT_TITLES, words])
    return list(page.locator(RESULT_TITLES).all_inner_texts())


def test_a_word_finds_the_post_that_holds_it(at_root: str, browser: Browser) -> None:
    page = browser.new_page()
    assert search(page, at_root, "debugger") == ["Headlines that survive link previews"]
    page.locator(RESULT_TITLES).first.click()
    page.wait_for_url(at_root + "headlines-that-survive-link-previews/")
    assert page.locator("h1").inner_text() == "Headlines that survive link previews"


def test_search_works_under_a_sub_path(under_sub_path: str, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(under_sub_path)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.wait_for_url(under_sub_path + "search/")
    assert search(page, under_sub_path, "cookies") == ["Privacy"]  # a page, not only posts
    page.locator(RESULT_TITLES).first.click()
    page.wait_for_url(under_sub_path + "privacy/")
    assert page.locator("h1").inner_text() == "Privacy"


def test_an_index_in_parts_finds_pages_in_every_part(in_parts_under_sub_path: str, browser: Browser) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("response", lambda response: errors.append(response.url) if response.status >= 400 else None)
    # "Privacy" is in the first part, the headlines post in another: each is found, and first.
    assert search(page, in_parts_under_sub_path, "cookies")[0] == "Privacy"
    assert search(page, in_parts_under_sub_path, "debugger")[0] == "Headlines that survive link previews"
    page.locator(RESULT_TITLES).first.click()
    page.wait_for_url(in_parts_under_sub_path + "headlines-that-survive-link-previews/")
    assert not errors



@pytest.mark.parametrize("words", ["debugger", "Debugg", "debugger headlines"])
def test_an_index_in_parts_lists_only_pages_with_the_word(in_parts_under_sub_path: str, words: str,
                                                          browser: Browser) -> None:
    """One post holds "debugger". Each part of an index in parts that does not searched it as the longest word
    of its own that "debugger" begins ("debug", "de"...), as Pagefind does when a word is nowhere in an index, so
    pages without the word came after the post. Now the search lists the post alone, as the whole index does, for
    the word, the word being typed and the word with another."""
    page = browser.new_page()
    assert search(page, in_parts_under_sub_path, words) == ["Headlines that survive link previews"]


@pytest.mark.parametrize("words", ["東京", "東京夜景", "東", "京都", "たこ焼き"])
def test_a_japanese_index_in_parts_finds_what_the_whole_index_finds(japanese_hub: dict[str, str],
                                                                     words: str, browser: Browser) -> None:
    """Pagefind splits a Chinese, Japanese or Thai search into words itself (the browser's word segmenter), so
    the parts were searched as Pagefind left them: "東京" (Tokyo) also listed the post of the four directions,
    which a part without "東京" found as "東" (east), and so did "東京夜景" (Tokyo night view), which Pagefind
    searches as 東京 夜景. Now the words are split as Pagefind splits them, each checked as in any other
    language, and the parts list what the whole index lists."""
    found = {}
    page = browser.new_page()
    for name, url in japanese_hub.items():
        # Not the visit's first search: Pagefind (1.5.2) now and then left a part's pages out of that one
        # (in its own search's results, about one run in two here), which is not what is tested here.
        assert search(page, url, "京都", shown=JAPANESE_SHOWN) == ["京都の寺"]
        box = page.get_by_role("search").get_by_role("textbox", name="Search")
        box.fill("")
        box.press_sequentially(words)
        page.wait_for_function(JAPANESE_SHOWN, arg=[RESULT_TITLES, words])
        found[name] = page.locator(RESULT_TITLES).all_inner_texts()
    assert found["split"] == found["whole"]
    assert found["whole"] == {"東京": ["東京の夜"], "東京夜景": ["東京の夜"], "東": ["東京の夜", "方角"],
                              "京都": ["京都の寺"], "たこ焼き": ["大阪の味"]}[words]


# Counts the calls each page makes to Pagefind's worker, by method ("search", "preload"...): Pagefind (1.5) runs
# every search of the page there, one after another.
COUNT_WORKER_CALLS = """(() => {
    window.workerCalls = {};
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
        const method = message?.method;
        if (method) window.workerCalls[method] = (window.workerCalls[method] ?? 0) + 1;
        return post.call(this, message, ...rest);
    };
})();"""


def counted_search_page(browser: Browser, site_url: str, counting: str) -> tuple[Any, Any]:
    """A search page with Pagefind loaded (a first search run) under the script `counting`, which counts the
    calls handed to Pagefind's worker, the count then set to none; and its emptied search box."""
    page = browser.new_page()
    page.add_init_script(counting)
    assert search(page, site_url, "cookies")[0] == "Privacy"  # Pagefind is loaded
    box = page.get_by_role("search").get_by_role("textbox", name="Search")
    box.fill("")
    page.evaluate("window.workerCalls = {}")
    return page, box


@pytest.mark.parametrize(("words", "searches", "first"), [
    ("previews", 2, "Headlines that survive link previews"),
    ("link content", 3, "An editorial calendar in Git"),
    ("debugger", 3, "Headlines that survive link previews"),
])
def test_an_index_in_parts_searches_little_more_than_a_whole_index(in_parts_under_sub_path: str, words: str,
                                                                   searches: int, first: str, browser: Browser) -> None:
    """To leave out pages a part found by a shorter word, each word cost three more searches of every part (4 for
    "previews", 7 for "link content"): with 10,000 posts, "headline example" (in every post) took 2.4 s to show,
    against 1.1 s now. The quoted search of each word comes first (cheap: one place a page); when each page found
    holds each word so, none was found by a shorter word and nothing more runs. "debugger", which other parts
    find as "debug", still needs the word's probe (the search itself stands for the word's plain search)."""
    page, box = counted_search_page(browser, in_parts_under_sub_path, COUNT_WORKER_CALLS)
    box.fill(words)
    page.wait_for_function(ALL_SHOWN, arg=[RESULT_TITLES, words])
    assert page.locator(RESULT_TITLES).first.inner_text() == first
    assert page.evaluate("window.workerCalls.search") == searches


def test_an_index_in_parts_runs_only_the_last_search_asked_for(in_parts_under_sub_path: str, browser: Browser) -> None:
    """Pagefind's interface searches each time typing pauses, and shows only the last search's results; each
    search ran in full in Pagefind's worker, one after the other, four searches of every part each: typed at
    0.4 s a key with 10,000 posts, "headline example" showed its results 18-19 s after the last key. Now a search
    asked for while another runs waits for it, and is not run at all (it resolves to null, as Pagefind's
    `debouncedSearch` does) once a later one was asked for."""
    page = browser.new_page()
    page.add_init_script(COUNT_WORKER_CALLS)
    assert search(page, in_parts_under_sub_path, "cookies")[0] == "Privacy"
    page.evaluate("window.workerCalls = {}")
    module = in_parts_under_sub_path + "assets/search/pagefind.js"
    found = page.evaluate("""async module => {
        const { search } = await import(module);
        const asked = ["deb", "debu", "debugger"].map(words => search(words));  // as typing pauses
        return (await Promise.all(asked)).map(found => found && found.results.length);
    }""", module)
    assert found == [None, None, 1]
    assert page.evaluate("window.workerCalls.search") == 3  # "debugger" alone (quoted, and its probe): not 12


# As COUNT_WORKER_CALLS, and each search is handed to Pagefind's worker 1 s late: a search as slow as one over
# thousands of pages on a phone, whatever the machine running the test.
COUNT_SLOW_WORKER_SEARCHES = """(() => {
    window.workerCalls = {};
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (message, ...rest) {
        const method = message?.method;
        if (method) window.workerCalls[method] = (window.workerCalls[method] ?? 0) + 1;
        if (method !== "search") return post.call(this, message, ...rest);
        setTimeout(() => post.call(this, message, ...rest), 1000);
    };
})();"""


def test_a_whole_index_runs_only_the_last_search_typed(at_root: str, browser: Browser) -> None:
    """The sample hub is one index (under `shard_size` pages, as most hubs are), searched by Pagefind's own
    module, which ran every search its interface asked for, one after the other, each time typing paused: typed
    at 0.4 s a key, "debugger" ran eight searches and the results waited for each (16 searches and 0.5-1 s
    after the last key of "headline example" at 1,000 posts). Now, as with an index in parts, a search asked
    for while another runs waits for it, and is not run once a later one is asked for."""
    page, box = counted_search_page(browser, at_root, COUNT_SLOW_WORKER_SEARCHES)
    box.press_sequentially("debugger", delay=400)  # a search each key: Pagefind's interface waits 300 ms
    page.wait_for_function(ALL_SHOWN, arg=[RESULT_TITLES, "debugger"], timeout=20_000)
    assert page.locator(RESULT_TITLES).all_inner_texts() == ["Headlines that survive link previews"]
    # Each search takes 1 s and a key comes each 0.4 s: the first, one each second or so, and the last.
    assert page.evaluate("window.workerCalls.search") <= 5  # not 8


# Pagefind's module as the theme's module imports it, but whose search for "stall" never ends (a request of it left
# unanswered, as a phone's network may leave one); any other search finds one page.
STALLING_PAGEFIND = """
export async function search(term) {
    if (term === "stall") return new Promise(() => {});
    return { results: [{ id: "page", score: 1, words: [0] }], unfilteredResultCount: 1, filters: {}, totalFilters: {} };
}
export const destroy = async () => {}, filters = async () => ({}), init = async () => {}, mergeIndex = async () => {},
    options = async () => {}, preload = async () => {};
"""


def test_an_index_in_parts_searches_past_a_search_that_never_ends(in_parts_under_sub_path: str,
                                                                  browser: Browser) -> None:
    """A search waits for the one before it: when that one never ended (its request left unanswered), no later
    search ran, and the page searched no more. Now a search waits 2 s at most, then runs beside it."""
    page = browser.new_page()
    page.route("**/pagefind/pagefind.js", lambda route: route.fulfill(
        content_type="text/javascript", body=STALLING_PAGEFIND))
    page.goto(in_parts_under_sub_path + "search/")
    found = page.evaluate("""async module => {
        const { search } = await import(module);
        search("stall");
        await new Promise(resolve => setTimeout(resolve, 100));  // it runs, alone
        const gaveUp = new Promise(resolve => setTimeout(() => resolve("no results after 10 s"), 10_000));
        const found = await Promise.race([search("cookies"), gaveUp]);
        return found.results?.length ?? found;
    }""", in_parts_under_sub_path + "assets/search/pagefind.js")
    assert found == 1


@pytest.mark.parametrize(("language", "heading", "note"), [
    ("de", "Suche", ("Die Suche braucht JavaScript. Ohne JavaScript finden Sie jeden Beitrag im Archiv und"
                     " nach Themen.")),
    ("fr-CA", "Recherche", ("La recherche nécessite JavaScript. Sans JavaScript, chaque article figure dans les"
                            " archives et par sujet.")),
])
def test_the_search_page_speaks_the_sites_language(tmp_path: Path, language: str, heading: str, note: str,
                                                   browser: Browser) -> None:
    """Pagefind's interface speaks `<html lang>`; the page around it (title, heading, lede, the note without
    JavaScript) was English on a German or French site."""
    site = tmp_path / "site"
    for name in ("content", "static", "publisher.urls"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, site / name)
    config = (REPO / "publisher.toml").read_text(encoding="utf-8")
    (site / "publisher.toml").write_text(config.replace('language = "en"', f'language = "{language}"', 1),
                                         encoding="utf-8")
    with serve_folder(site / "output") as url:
        build(BuildOptions(config=site / "publisher.toml", output=site / "output", base_url=url, use_cache=False))
        page = browser.new_page()
        page.goto(url + "search/")
        assert page.locator("h1").inner_text() == heading and page.title().startswith(heading)
        assert page.locator(".lede").inner_text().startswith({"Suche": "Finden Sie", "Recherche": "Trouvez"}[heading])
        page.get_by_role("search").get_by_role("textbox", name=heading).wait_for()  # named by the heading
        without_scripts = browser.new_context(java_script_enabled=False).new_page()
        without_scripts.goto(url + "search/")
        assert without_scripts.locator(".search-noscript").inner_text() == note
        note_links = without_scripts.locator(".search-noscript").get_by_role("link", name=note.split()[-1].rstrip("."))
        assert note_links.count() == 1  # the menu's own link of that name is the theme's words too (aec033e)


def test_the_reading_time_is_not_searched(at_root: str, browser: Browser) -> None:
    """Every post's byline says "6 min read": indexed, "min" listed all ten posts. Now only the posts whose text
    holds a word it begins (minute, mind, mining), and the byline's author is still found, a word of its own."""
    page = browser.new_page()
    search(page, at_root, "min")
    more = page.get_by_role("button", name="Load more results")
    while more.count():  # five results are shown at first
        more.click()
    assert sorted(page.locator(RESULT_TITLES).all_inner_texts()) == [
        "Calls to action that fit the funnel stage", "Keyword research for B2B: start from the sales call",
        "Long-form that gets read to the end", "Social networks are distribution, not the destination",
        "The publisher stage: why brands stop chasing likes"]
    assert "Headlines that survive link previews" in search(page, at_root, "lindqvist")


def test_without_javascript_the_note_comes_right_below_the_heading(at_root: str, browser: Browser) -> None:
    """The box Pagefind fills keeps 12rem for itself (no jump when it loads): with scripts off it stays empty,
    and the note saying where else to look sat below a blank gap, past the fold on a phone."""
    page = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 667}).new_page()
    page.goto(at_root + "search/")
    box = page.locator("#search").bounding_box()
    assert box is None or box["height"] == 0  # not shown
    lede = page.locator(".lede").bounding_box()
    note = page.locator(".search-noscript").bounding_box()
    assert lede is not None and note is not None and note["y"] - (lede["y"] + lede["height"]) < 80


def test_back_from_a_result_shows_the_search_again(at_root: str, browser: Browser) -> None:
    """The words searched are in the page's address: Back from a result shows them and their results, as a
    reader expects of any search page (before, Back showed an empty box and no results)."""
    page = browser.new_page()
    assert search(page, at_root, "link preview")[0] == "Headlines that survive link previews"
    page.locator(RESULT_TITLES).first.click()
    page.wait_for_url(at_root + "headlines-that-survive-link-previews/")
    page.go_back()
    page.wait_for_function(ALL_SHOWN, arg=[RESULT_TITLES, "link preview"], timeout=10_000)
    assert page.get_by_role("search").get_by_role("textbox", name="Search").input_value() == "link preview"
    assert page.locator(RESULT_TITLES).first.inner_text() == "Headlines that survive link previews"
    page.get_by_role("search").get_by_role("button", name="Clear").click()
    page.wait_for_url(at_root + "search/")  # a cleared box leaves no words in the address


def test_a_link_to_a_search_opens_on_its_results(under_sub_path: str, browser: Browser) -> None:
    """search/?q=… (a bookmark, a link in a newsletter) shows that search's results, under a sub-path too."""
    page = browser.new_page()
    assert page.goto(under_sub_path + "search/?q=caf%C3%A9").status == 200
    page.wait_for_function(ALL_SHOWN, arg=[RESULT_TITLES, "café"], timeout=10_000)
    assert page.get_by_role("search").get_by_role("textbox", name="Search").input_value() == "café"
    assert page.locator(RESULT_TITLES).all_inner_texts() == ["An editorial calendar in Git"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_with_results_passes_axe(at_root: str, scheme: str, browser: Browser) -> None:
    """At WCAG 2.2 AA, with no violation of any impact, as every other page (tests/e2e/test_every_page.py)."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = browser.new_page(color_scheme=scheme)
    assert search(page, at_root, "lead")  # results on screen, so axe sees them too
    results = axe_module.Axe().run(page, options=AXE_WCAG_22_AA)
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]
    assert not found, json.dumps(found, indent=1)


class ServeLog:
    """What `publisher serve` prints, line by line, read on a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        assert process.stdout is not None
        stdout = process.stdout
        threading.Thread(target=lambda: [self.lines.append(line.rstrip("\n")) for line in stdout], daemon=True).start()

    def wait_for(self, start: str, count: int, timeout: float = 60) -> None:
        """Until `count` lines starting with `start` were printed (a bound, not a measurement)."""
        deadline = time.monotonic() + timeout
        while sum(1 for line in list(self.lines) if line.lstrip().startswith(start)) < count:
            assert time.monotonic() < deadline, "\n".join(self.lines[-20:])
            time.sleep(0.05)


def test_serve_indexes_an_edit_after_writing_its_pages(tmp_path: Path, browser: Browser) -> None:
    site = tmp_path / "site"
    for name in ("content", "static", "publisher.toml"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, site / name)
    process = subprocess.Popen([sys.executable, "-m", "publisher", "serve", "--port", "0"], cwd=site, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, encoding="utf-8")
    log = ServeLog(process)
    try:
        log.wait_for("search index updated", 1)
        url = next(line.split()[1] for line in log.lines if line.startswith("Serving "))
        post = site / "content" / "posts" / "utm-parameters-without-tears.md"
        post.write_text(post.read_text(encoding="utf-8") + "\nA note on zeppelinology.\n", encoding="utf-8")
        log.wait_for("search index updated", 2)
        last_build = max(i for i, line in enumerate(log.lines) if line.startswith("✓ Built"))
        last_index = max(i for i, line in enumerate(log.lines) if line.lstrip().startswith("search index updated"))
        assert last_index > last_build  # the edit's pages were written, and the tabs told to reload, first
        page = browser.new_page()
        assert search(page, url, "zeppelinology") == ["UTM parameters without tears"]
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0, "\n".join(log.lines[-10:])
    assert not any("Traceback" in line or "warning: search" in line for line in log.lines), "\n".join(log.lines)
