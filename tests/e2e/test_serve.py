"""`publisher serve` as a subprocess: live reload in a real browser, the error
overlay, 404s, path traversal, and a watcher that survives editors and bursts."""

from __future__ import annotations

import array
import http.client
import io
import math
import mimetypes
import os
import signal
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from publisher.commands.serve import LiveState, QuietServer, make_handler

from ..conftest import SlowPagefind, snapshot

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PUBLISHER = [sys.executable, "-m", "publisher"]


@dataclass
class Server:
    site: Path
    url: str
    process: subprocess.Popen
    log: list[str] = field(default_factory=list)

    @property
    def output(self) -> Path:
        return self.site / ".publisher-cache" / "serve"

    def builds(self) -> int:
        return sum(1 for line in list(self.log) if line.startswith(("✓ Built", "✗ Build failed")))

    def wait_for_build(self, after: int, timeout: float = 30) -> None:
        """Wait until a build newer than `after` finished and nothing has happened for a moment."""
        deadline = time.monotonic() + timeout
        while self.builds() <= after:
            assert time.monotonic() < deadline, "no rebuild happened:\n" + "\n".join(self.log[-20:])
            time.sleep(0.05)
        quiet_since, seen = time.monotonic(), self.builds()
        while time.monotonic() - quiet_since < 1.0:
            assert time.monotonic() < deadline, "rebuilds never settled"
            time.sleep(0.1)
            if self.builds() != seen:
                quiet_since, seen = time.monotonic(), self.builds()

    def get(self, raw_path: str) -> tuple[int, bytes]:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", raw_path)  # sent as is: no client-side normalisation
        response = connection.getresponse()
        return response.status, response.read()


def start_serving(site: Path, env: dict[str, str] | None = None, largest_file: int | None = None) -> Server:
    """`publisher serve` in `site`, once it says where it serves. `largest_file`: the most bytes the system lets it
    write to a file (more fails with EFBIG, as a full disk does with ENOSPC)."""
    publisher = PUBLISHER if largest_file is None else [sys.executable, "-c", (
        f"import resource, runpy; resource.setrlimit(resource.RLIMIT_FSIZE, ({largest_file}, {largest_file})); "
        "runpy.run_module('publisher', run_name='__main__', alter_sys=True)")]
    process = subprocess.Popen([*publisher, "serve", "--port", "0"], cwd=site, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env,
                               start_new_session=True)  # a group of its own, as a terminal gives it
    log: list[str] = []
    first = ""
    deadline = time.monotonic() + 60
    while not first.startswith("Serving "):
        assert time.monotonic() < deadline and process.poll() is None, "\n".join(log)
        first = process.stdout.readline().strip()
        log.append(first)
    url = first.split()[1]
    threading.Thread(target=lambda: [log.append(line.rstrip("\n")) for line in process.stdout], daemon=True).start()
    return Server(site, url, process, log)


def stop_serving(server: Server, *, every_process: bool = False, stop: signal.Signals = signal.SIGINT) -> None:
    """Ctrl-C (or `stop`: SIGTERM, as `kill` sends): `serve` exits at once, cleanly. `every_process`: sent to the
    programs it runs too, as a terminal does."""
    if every_process:
        os.killpg(server.process.pid, stop)
    else:
        server.process.send_signal(stop)
    assert server.process.wait(timeout=15) == 0, f"{stop.name} did not exit cleanly:\n" + "\n".join(server.log[-10:])
    assert not any("Traceback" in line for line in server.log), "\n".join(server.log)


def new_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    subprocess.run([*PUBLISHER, "init", str(site), "--title", "Live Hub"], check=True, capture_output=True)
    return site


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = start_serving(new_site(tmp_path))
    yield running
    stop_serving(running)


def test_a_start_builds_once_then_waits_for_a_save(server: Server) -> None:
    time.sleep(1.0)  # a build set off by the start's own writes (say, of .publisher-cache/) would be done by now
    summaries = [line for line in list(server.log) if line.startswith(("✓", "✗"))]
    assert len(summaries) == 1, "\n".join(server.log)


@pytest.mark.parametrize(("every_process", "stop"), [(False, signal.SIGINT), (True, signal.SIGINT),
                                                      (False, signal.SIGTERM)],
                         ids=["ctrl-c to serve", "ctrl-c from a terminal", "kill"])
def test_stopping_serve_while_pagefind_runs_stops_it_and_exits_at_once(tmp_path: Path, every_process: bool,
                                                                       stop: signal.Signals) -> None:
    pagefind = SlowPagefind.make(tmp_path)
    running = start_serving(new_site(tmp_path), env=os.environ | {"PAGEFIND_BINARY_PATH": str(pagefind.program)})
    pid, arguments = pagefind.wait_until_running()
    stop_serving(running, every_process=every_process, stop=stop)  # within seconds, where Pagefind takes a minute
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # stopped with serve, not left running
    assert not Path(arguments[arguments.index("--site") + 1]).exists()  # its scratch copy of the pages is gone
    assert not any("warning:" in line for line in running.log), "\n".join(running.log)  # stopped, not failed


def test_serves_only_loopback_by_default(server: Server) -> None:
    assert urlsplit(server.url).hostname == "127.0.0.1"


def test_unknown_paths_get_the_themes_404_page(server: Server) -> None:
    status, body = server.get("/no/such/page/")
    assert status == 404
    assert b"Page not found" in body


def test_a_first_build_that_fails_says_no_site_is_served(tmp_path: Path) -> None:
    """It said "the last good site is still served", where there was none: every page was "Not found"."""
    site = new_site(tmp_path)
    post = site / "content" / "posts" / "welcome.md"
    post.write_text(post.read_text().replace("title:", "title: [unclosed", 1))
    running = start_serving(site)
    assert "✗ Build failed: 1 problem; no site is served until a save fixes this." in running.log
    time.sleep(1.0)  # the start's warm-up is over: a save during it is another matter
    before = running.builds()
    post.write_text(post.read_text().replace("title: [unclosed", "title:", 1))
    running.wait_for_build(before)
    assert running.get("/welcome/")[0] == 200
    stop_serving(running)


def test_a_write_the_system_refuses_fails_the_build_and_serving_goes_on(tmp_path: Path) -> None:
    """A file too large to write (as on a full disk): the save's build fails with the system's words and the last
    good site stays served, as for any broken build; `serve` stopped with "cannot listen on 127.0.0.1:0"."""
    running = start_serving(new_site(tmp_path), largest_file=2_000_000)
    big = running.site / "content" / "posts" / "big.md"
    before = running.builds()
    big.write_text("---\ntitle: Big\ndate: 2026-01-05\n---\n\n" + "Many words in a long post. " * 100_000)
    running.wait_for_build(before)
    assert "File too large" in "\n".join(running.log) and "cannot listen" not in "\n".join(running.log)
    assert running.process.poll() is None and running.get("/welcome/")[0] == 200
    before = running.builds()
    big.unlink()
    running.wait_for_build(before)
    assert [line for line in list(running.log) if line.startswith(("✓", "✗"))][-1].startswith("✓")
    assert running.get("/welcome/")[0] == 200 and running.get("/big/")[0] == 404
    stop_serving(running)


@pytest.mark.parametrize("raw_path", [
    "/../publisher.toml", "/..%2fpublisher.toml", "/%2e%2e/publisher.toml", "/%2E%2E/%2E%2E/etc/passwd",
    "/%252e%252e/publisher.toml", "/..%5cpublisher.toml", "/%5c..%5cpublisher.toml", "/welcome/../../publisher.toml",
    "/..\\publisher.toml", "//etc/passwd", "/%00/publisher.toml",
])
def test_path_traversal_never_leaves_the_output(server: Server, raw_path: str) -> None:
    status, body = server.get(raw_path)
    assert status in (400, 404)
    assert b"[site]" not in body and b"root:" not in body


def test_symlinks_out_of_the_output_are_not_followed(server: Server) -> None:
    (server.output / "leak.toml").symlink_to(server.site / "publisher.toml")
    status, body = server.get("/leak.toml")
    assert status == 404 and b"[site]" not in body


def test_drafts_and_scheduled_posts_are_shown_and_marked(server: Server) -> None:
    posts = server.site / "content" / "posts"
    before = server.builds()
    (posts / "soon.md").write_text("---\ntitle: Coming soon\ndate: 2099-01-01\n---\n\nLater.\n")
    server.wait_for_build(before)
    status, body = server.get("/soon/")
    assert status == 200 and b"badge-scheduled" in body


def test_watcher_survives_editors_and_bursts_and_matches_a_clean_build(server: Server, tmp_path: Path) -> None:
    site = server.site
    posts = site / "content" / "posts"
    before = server.builds()
    # vim / JetBrains / VS Code style: write a temporary file, then rename it over the original.
    temporary = posts / ".welcome.md.swp"
    temporary.write_text((posts / "welcome.md").read_text() + "\nSaved the vim way.\n")
    os.replace(temporary, posts / "welcome.md")
    # new folders, renames and deletes
    (posts / "2026").mkdir()
    (posts / "2026" / "nested.md").write_text("---\ntitle: Nested\ndate: 2026-01-02\n---\n\nIn a folder.\n")
    (posts / "gone.md").write_text("---\ntitle: Gone\ndate: 2026-01-03\n---\n\nSoon deleted.\n")
    os.rename(posts / "gone.md", posts / "renamed.md")
    (posts / "renamed.md").unlink()
    # a burst of 1,000 changes over 20 files
    for n in range(1000):
        (posts / f"burst{n % 20}.md").write_text(f"---\ntitle: Burst {n % 20}\ndate: 2026-02-01\n---\n\nVersion {n}.\n")
    # a file saved half-written, then completed
    half = posts / "half.md"
    half.write_text("---\ntitle: Half\ndate: 2026-0")
    time.sleep(0.5)
    half.write_text("---\ntitle: Half\ndate: 2026-03-01\n---\n\nComplete now.\n")
    # a theme template with a syntax error, then fixed
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text("{% extends 'base.html' %}{% block content %}{{ entry.title }{% endblock %}")
    time.sleep(0.5)
    (templates / "page.html").write_text(
        "{% extends 'base.html' %}{% block content %}<h1>{{ entry.title }}</h1>{{ entry.html }}{% endblock %}")
    server.wait_for_build(before, timeout=90)

    assert server.process.poll() is None, "the server stopped"
    clean = tmp_path / "clean"
    subprocess.run([*PUBLISHER, "build", "--drafts", "--future", "--no-cache", "--base-url", server.url,
                    "--output", str(clean)], cwd=site, check=True, capture_output=True)
    assert snapshot(server.output) == snapshot(clean)
    assert b"Version 999." in (server.output / "burst19" / "index.html").read_bytes()


@pytest.fixture
def browser_page(browser: Browser) -> Page:
    """A tab of its own in the module's Chromium."""
    return browser.new_page()


def test_live_reload_overlay_and_delete_in_a_browser(server: Server, browser_page) -> None:
    page = browser_page
    post = server.site / "content" / "posts" / "welcome.md"
    original = post.read_text()
    page.goto(server.url + "welcome/")
    page.wait_for_function(
        "() => window.performance.getEntriesByType('resource').some(r => r.name.includes('livereload'))")
    time.sleep(0.3)  # let the event stream connect

    post.write_text(original.replace("This is the first post", "Freshly edited words in the first post"))
    page.get_by_text("Freshly edited words").wait_for(timeout=15000)

    post.write_text(original.replace("title:", "title: [unclosed", 1))
    overlay = page.locator("#publisher-error-overlay")
    overlay.wait_for(timeout=15000)
    assert "content/posts/welcome.md:2: front matter: invalid YAML" in overlay.inner_text()

    post.write_text(original.replace("This is the first post", "Fixed and edited again"))
    page.get_by_text("Fixed and edited again").wait_for(timeout=15000)
    assert page.locator("#publisher-error-overlay").count() == 0

    before = server.builds()
    post.unlink()
    server.wait_for_build(before)
    assert server.get("/welcome/")[0] == 404


def test_a_tab_whose_event_stream_connects_after_a_save_still_reloads_for_it(server: Server, browser_page) -> None:
    """A tab that reloaded just before a save may connect its event stream only after that save's build (or
    see only a failed build's errors at first): the page says which build it came from, so the tab still
    reloads for every later build that changed it."""
    page = browser_page
    held = []

    def hold(route) -> None:  # the tab's event stream waits until let through (Playwright needs a function here)
        held.append(route)

    page.route("**/__publisher/events*", hold)
    page.goto(server.url + "welcome/")
    page.get_by_text("This is the first post").wait_for(timeout=15000)
    deadline = time.monotonic() + 15
    while not held:
        assert time.monotonic() < deadline, "the tab never asked for its event stream"
        page.wait_for_timeout(50)

    post = server.site / "content" / "posts" / "welcome.md"
    before = server.builds()
    post.write_text(post.read_text().replace("This is the first post", "Saved while the tab was not listening"))
    server.wait_for_build(before)
    assert b"Saved while the tab was not listening" in server.get("/welcome/")[1]
    held[0].continue_()
    page.get_by_text("Saved while the tab was not listening").wait_for(timeout=15000)


def test_a_save_reloads_only_the_tabs_whose_page_it_changed(server: Server, browser_page) -> None:
    """The edited post's tab reloads (its page is written ahead of the rest); a tab on a page the save left as it
    was does not; a tab on a path with no page reloads once a new post takes that path."""
    edited = browser_page
    browser = edited.context.browser
    other, missing = browser.new_page(), browser.new_page()
    for page, path in ((edited, "welcome/"), (other, "about/"), (missing, "not-yet/")):
        page.goto(server.url + path)
        page.wait_for_function(
            "() => window.performance.getEntriesByType('resource').some(r => r.name.includes('livereload'))")
        page.evaluate("window.notReloaded = true")
    time.sleep(0.3)  # let the event streams connect

    before = server.builds()
    post = server.site / "content" / "posts" / "welcome.md"
    post.write_text(post.read_text().replace("This is the first post", "Freshly edited words in the first post"))
    edited.get_by_text("Freshly edited words").wait_for(timeout=15000)
    server.wait_for_build(before)
    assert other.evaluate("window.notReloaded === true") and missing.evaluate("window.notReloaded === true")

    (server.site / "content" / "posts" / "not-yet.md").write_text(
        "---\ntitle: Not yet\ndate: 2026-01-05\n---\n\nThere now.\n")
    missing.get_by_text("There now.").wait_for(timeout=15000)


def _put_out_of_view(page, hidden: bool) -> None:
    """As the browser does when another tab comes to the front (`hidden`), or this one comes back."""
    page.evaluate("""hidden => {
        Object.defineProperty(document, "hidden", {configurable: true, get: () => hidden});
        const state = hidden ? "hidden" : "visible";
        Object.defineProperty(document, "visibilityState", {configurable: true, get: () => state});
        document.dispatchEvent(new Event("visibilitychange"));
    }""", hidden)


def test_tabs_out_of_view_let_go_of_their_event_streams(server: Server, browser_page) -> None:
    """A browser opens 6 connections at most to a server, and each tab's event stream held one: a writer's
    seventh tab waited for ever for its page. A tab out of view lets go of its stream; brought back, it listens
    again and reloads if a save changed its page meanwhile."""
    context = browser_page.context.browser.new_context()  # its tabs share the browser's connections to a server
    first = context.new_page()
    first.goto(server.url + "welcome/")
    first.wait_for_function(
        "() => window.performance.getEntriesByType('resource').some(r => r.name.includes('livereload'))")
    first.evaluate("window.notReloaded = true")
    tabs = [first]
    for _ in range(8):  # each opened in front of the last
        _put_out_of_view(tabs[-1], hidden=True)
        tab = context.new_page()
        tab.goto(server.url + "about/", timeout=8000)
        tabs.append(tab)

    before = server.builds()
    post = server.site / "content" / "posts" / "welcome.md"
    post.write_text(post.read_text().replace("This is the first post", "Edited while its tab was out of view"))
    server.wait_for_build(before)
    assert first.evaluate("window.notReloaded === true")  # not listening: no reload yet
    _put_out_of_view(first, hidden=False)
    first.get_by_text("Edited while its tab was out of view").wait_for(timeout=15000)


def _tone(seconds: int) -> bytes:
    """A WAV file of a tone, `seconds` long: a recording a post plays."""
    samples = array.array("h", (int(3000 * math.sin(i / 5)) for i in range(8000 * seconds)))
    data = io.BytesIO()
    with wave.open(data, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(samples.tobytes())
    return data.getvalue()


def test_a_reader_can_seek_in_a_posts_recording(server: Server, browser_page) -> None:
    """Chromium lets a reader seek in audio or video only when the server answers ranges of the file (Safari
    plays none at all otherwise): the player's position stayed at 0 whatever the reader chose."""
    (server.site / "static" / "audio").mkdir(parents=True, exist_ok=True)
    (server.site / "static" / "audio" / "tone.wav").write_bytes(_tone(60))
    before = server.builds()
    post = '---\ntitle: Episode one\ndate: 2026-01-05\n---\n\n<audio src="/audio/tone.wav" preload="auto"></audio>\n'
    (server.site / "content" / "posts" / "episode.md").write_text(post)
    server.wait_for_build(before)
    page = browser_page
    page.goto(server.url + "episode/")
    page.wait_for_function("document.querySelector('audio').readyState >= 1")
    assert page.evaluate("document.querySelector('audio').seekable.end(0)") == 60
    page.evaluate("document.querySelector('audio').currentTime = 45")
    page.wait_for_function("(audio => audio.currentTime === 45 && !audio.seeking)(document.querySelector('audio'))")


def test_a_well_known_file_saved_while_serving_is_served(server: Server) -> None:
    """`/.well-known/security.txt` (RFC 9116) and the like are fetched by other services: published from
    `static/.well-known/`, and served as soon as saved."""
    before = server.builds()
    (server.site / "static" / ".well-known").mkdir(parents=True)
    (server.site / "static" / ".well-known" / "security.txt").write_text("Contact: mailto:security@example.com\n")
    server.wait_for_build(before)
    assert server.get("/.well-known/security.txt") == (200, b"Contact: mailto:security@example.com\n")
    before = server.builds()
    (server.site / "static" / ".well-known" / "security.txt").write_text("Contact: https://example.com/security\n")
    server.wait_for_build(before)
    assert server.get("/.well-known/security.txt") == (200, b"Contact: https://example.com/security\n")


def test_a_module_script_runs_where_windows_calls_scripts_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               browser_page) -> None:
    """On a Windows whose registry says `.js` is text/plain (as installed programs leave it), Python's `mimetypes`
    said so too, and Chromium refused every module script: "Expected a JavaScript module script but the server
    responded with a MIME type of text/plain", Pagefind's search among them."""
    real = mimetypes.guess_type
    monkeypatch.setattr(mimetypes, "guess_type", lambda name, strict=True: (
        ("text/plain", None) if name.endswith(".js") else real(name, strict)))
    (tmp_path / "index.html").write_text('<html><body><p id="ran">no</p><script type="module" src="/app.js"></script>'
                                         "</body></html>")
    (tmp_path / "app.js").write_text('document.getElementById("ran").textContent = "yes";')
    state = LiveState()
    state.publish([])
    server = QuietServer(("127.0.0.1", 0), make_handler(tmp_path, state))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        browser_page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="load")
        assert browser_page.text_content("#ran") == "yes"
    finally:
        state.closing = True
        server.shutdown()
        server.server_close()
