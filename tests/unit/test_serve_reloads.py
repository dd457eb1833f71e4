"""Which tabs `serve` reloads: only those whose page a build changed (issue 17), told by the event stream
each tab opens with its page's path. The browser side is in tests/e2e/test_serve.py."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from publisher.commands.serve import (
    EVENTS_PATH,
    MOST_PAGES,
    RELOADS_KEPT,
    LiveState,
    QuietServer,
    Rebuilt,
    Tabs,
    make_handler,
    serve,
    url_paths,
)


def test_pages_are_named_by_their_url_paths_and_anything_a_page_may_use_reloads_every_tab() -> None:
    assert url_paths(["index.html", "a/index.html", "a/b.html", "404.html"]) == {"/", "/a/", "/a/b.html", "/404.html"}
    assert url_paths(["feed.xml", "tags/seo/feed.json", "share/feed.json", "robots.txt"]) == frozenset()
    for used in ("assets/site.css", "assets/search.js", "images/a.webp", "cards/a.png"):
        assert url_paths(["a/index.html", used]) is None
    cards = ["social/a-3f2a9c1b70.png", "social/2016/07/launch-0a1b2c3d4e.png"]  # only in meta tags: never shown
    assert url_paths(["a/index.html", *cards]) == {"/a/"}
    assert url_paths(None) is None
    assert url_paths([f"p{n}/index.html" for n in range(MOST_PAGES + 1)]) is None


def test_each_version_names_the_pages_it_changed_for_a_while() -> None:
    state = LiveState()
    state.publish([], frozenset({"/b/", "/a/"}))
    state.publish(["content/posts/a.md:2: title: missing"])  # a failure is no version: the tabs show the errors
    state.publish([], None)
    snapshot = json.loads(state.snapshot())
    assert snapshot["version"] == 2
    assert snapshot["reloads"] == {"1": ["/a/", "/b/"], "2": None}
    for _ in range(RELOADS_KEPT + 5):
        state.publish([], frozenset())
    reloads = json.loads(state.snapshot())["reloads"]
    assert len(reloads) == RELOADS_KEPT and "1" not in reloads  # a tab further behind reloads anyway


@pytest.fixture
def events_url(tmp_path: Path) -> Iterator[tuple[str, LiveState]]:
    state = LiveState()
    server = QuietServer(("127.0.0.1", 0), make_handler(tmp_path, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", state
    state.closing = True
    with state.changed:
        state.changed.notify_all()
    server.shutdown()
    server.server_close()


def test_the_open_tabs_pages_are_known_while_their_streams_last(events_url: tuple[str, LiveState]) -> None:
    url, state = events_url
    parts = urlsplit(url)
    streams = []
    for page in ("/a/", "/a/", "/caf%C3%A9/"):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", f"{EVENTS_PATH}?page={page}")
        response = connection.getresponse()
        assert response.readline() == b"event: build\n"  # the stream is open, and its tab counted
        streams.append((connection, response))
    assert state.open_pages() == {"/a/", "/café/"}
    for connection, response in streams[:2]:  # the tabs on /a/ closed
        response.close()
        connection.close()
    state.publish([], frozenset())  # the streams write again, and find their tabs gone
    deadline = time.monotonic() + 10
    while state.open_pages() != {"/café/"} and time.monotonic() < deadline:
        time.sleep(0.05)
        state.publish([], frozenset())
    assert state.open_pages() == {"/café/"}


def test_a_rebuild_reloads_the_pages_it_wrote_ahead_before_it_returns(tmp_path: Path) -> None:
    """`serve` tells a rebuild which pages the tabs show, and a page the rebuild writes ahead reaches its tab
    while the rest of the rebuild still runs; the rebuild's end then names only what it changed besides."""
    (tmp_path / "content").mkdir()
    output = tmp_path / "output"
    output.mkdir()
    asked: list[frozenset[str]] = []
    saved, release, ready = threading.Event(), threading.Event(), threading.Event()

    def rebuild(url: str, changes: object, tabs: Tabs) -> Rebuilt:
        if not ready.is_set():  # the first build
            return Rebuilt()
        asked.append(tabs.open_pages())
        tabs.reload(["posts/a/index.html"])
        saved.set()
        release.wait(timeout=20)  # the rest of the build
        return Rebuilt([], frozenset({"feed.xml", "posts/a/index.html"}))

    with serving(tmp_path, output, rebuild, ready, release) as url:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", f"{EVENTS_PATH}?page=/posts/a/")
        stream = connection.getresponse()
        first = _next_build(stream)
        (tmp_path / "content" / "a.md").write_text("saved\n", encoding="utf-8")
        assert saved.wait(timeout=10)
        early = _next_build(stream)
        assert early["reloads"][str(early["version"])] == ["/posts/a/"] and not release.is_set()
        assert asked == [{"/posts/a/"}] and early["version"] == first["version"] + 1
        release.set()
        last = _next_build(stream)
        assert last["reloads"][str(last["version"])] == ["/posts/a/"]  # its own write: the page again, the feed
        connection.close()


@contextmanager
def serving(root: Path, output: Path, rebuild: Callable[[str, object, Tabs], Rebuilt], ready: threading.Event,
            *waits: threading.Event) -> Iterator[str]:
    """`serve` over `output` in a thread, once its first build is done (`ready`): its URL. At the end, the
    events the rebuild `waits` on are set, and it stops."""
    urls: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=serve, args=(root, output, "127.0.0.1", 0, rebuild,
                                                  lambda url: (urls.append(url), ready.set()), stop), daemon=True)
    thread.start()
    try:
        assert ready.wait(timeout=10)
        yield urls[0]
    finally:
        for event in waits:
            event.set()
        stop.set()
        thread.join(timeout=10)


def _next_build(stream: http.client.HTTPResponse) -> dict[str, Any]:
    """The next `build` event's data on a server-sent event stream."""
    while True:
        line = stream.readline()
        assert line, "the stream ended"
        if line.startswith(b"data: "):
            return json.loads(line[len(b"data: "):])  # type: ignore[no-any-return]


def test_a_page_asked_for_while_a_save_is_built_waits_for_the_pages_written_ahead(tmp_path: Path) -> None:
    """A reload by hand while a save's build runs gets the page the save made, not the one it replaces (as from
    Hugo's server, which answers once it has built); the wait ends with the pages written ahead."""
    (tmp_path / "content").mkdir()
    output = tmp_path / "output"
    (output / "a").mkdir(parents=True)
    (output / "a" / "index.html").write_text("<p>before the save</p>", encoding="utf-8")
    building, written, release, ready = (threading.Event() for _ in range(4))

    def rebuild(url: str, changes: object, tabs: Tabs) -> Rebuilt:
        if ready.is_set():
            building.set()
            written.wait(timeout=20)
            (output / "a" / "index.html").write_text("<p>after the save</p>", encoding="utf-8")
            tabs.reload(["a/index.html"])
            release.wait(timeout=20)  # the rest of the build
        return Rebuilt()

    with serving(tmp_path, output, rebuild, ready, written, release) as url:
        (tmp_path / "content" / "a.md").write_text("saved\n", encoding="utf-8")
        assert building.wait(timeout=10)
        answers: list[bytes] = []
        asking = threading.Thread(target=lambda: answers.append(_get(url + "a/")))
        asking.start()
        asking.join(timeout=0.5)
        assert answers == []  # still waiting
        written.set()
        asking.join(timeout=10)
        assert b"after the save" in answers[0] and not release.is_set()


def _get(url: str) -> bytes:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", parts.path)
    return connection.getresponse().read()


def test_a_page_asked_for_after_a_second_save_waits_for_the_second_saves_build(tmp_path: Path) -> None:
    """Saved again while the first save's build runs: once that build is done, a reload by hand waits for the
    second save's pages; it was answered at once with the first save's page, older than what was saved."""
    (tmp_path / "content").mkdir()
    output = tmp_path / "output"
    (output / "a").mkdir(parents=True)
    (output / "a" / "index.html").write_text("<p>before the saves</p>", encoding="utf-8")
    first_building, saved_again, second_building, release, ready = (threading.Event() for _ in range(5))
    builds: list[str] = []

    def rebuild(url: str, changes: object, tabs: Tabs) -> Rebuilt:
        if not ready.is_set():  # the start's build
            return Rebuilt()
        builds.append((tmp_path / "content" / "a.md").read_text(encoding="utf-8"))
        if len(builds) == 1:
            first_building.set()
            saved_again.wait(timeout=20)
            (output / "a" / "index.html").write_text("<p>after the first save</p>", encoding="utf-8")
        else:
            second_building.set()
            release.wait(timeout=20)
            (output / "a" / "index.html").write_text("<p>after the second save</p>", encoding="utf-8")
        return Rebuilt([], frozenset({"a/index.html"}))

    with serving(tmp_path, output, rebuild, ready, saved_again, release) as url:
        (tmp_path / "content" / "a.md").write_text("first\n", encoding="utf-8")
        assert first_building.wait(timeout=10)
        (tmp_path / "content" / "a.md").write_text("second\n", encoding="utf-8")
        time.sleep(0.5)  # the watcher sees the second save while the first one's build runs
        saved_again.set()
        assert second_building.wait(timeout=10)  # the first save's build is done: its page is written
        answers: list[bytes] = []
        asking = threading.Thread(target=lambda: answers.append(_get(url + "a/")))
        asking.start()
        asking.join(timeout=0.5)
        assert answers == []  # waiting for the second save's page
        release.set()
        asking.join(timeout=10)
        assert b"after the second save" in answers[0]


def test_a_save_while_the_start_warms_up_reloads_every_tab(tmp_path: Path) -> None:
    """`on_ready` fills the model with a build, which writes what a save made meanwhile: the build the save
    then sets off finds nothing to write ("up to date"), so no tab reloaded, and the edited post's tab (or the
    404 page of a first build that failed) stayed as it was."""
    (tmp_path / "content").mkdir()
    output = tmp_path / "output"
    output.mkdir()
    url: list[str] = []
    ready, stop = threading.Event(), threading.Event()

    def warm_up(served_at: str) -> None:
        url.append(served_at)
        (tmp_path / "content" / "a.md").write_text("saved while warming up\n", encoding="utf-8")
        time.sleep(0.5)  # the watcher sees the save; this build writes its page
        ready.set()

    def rebuild(url: str, changes: object, tabs: Tabs) -> Rebuilt:
        return Rebuilt([], frozenset())  # up to date: the warm-up wrote it all

    thread = threading.Thread(target=serve, args=(tmp_path, output, "127.0.0.1", 0, rebuild, warm_up, stop),
                              daemon=True)
    thread.start()
    try:
        assert ready.wait(timeout=10)
        parts = urlsplit(url[0])
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", f"{EVENTS_PATH}?page=/a/")
        stream = connection.getresponse()
        build = _next_build(stream)
        while build["version"] < 2:  # the start's build, then the save's
            build = _next_build(stream)
        assert build["reloads"]["2"] is None  # every tab
        connection.close()
    finally:
        stop.set()
        thread.join(timeout=10)
