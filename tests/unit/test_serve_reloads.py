"""Which tabs `serve` reloads: only those whose page a build changed (issue 17), told by the event stream
each tab opens with its page's path. The browser side is in tests/e2e/test_serve.py."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from publisher.commands.serve import (
    EVENTS_PATH,
    MOST_PAGES,
    RELOADS_KEPT,
    LiveState,
    QuietServer,
    make_handler,
    url_paths,
)


def test_pages_are_named_by_their_url_paths_and_anything_a_page_may_use_reloads_every_tab() -> None:
    assert url_paths(["index.html", "a/index.html", "a/b.html", "404.html"]) == {"/", "/a/", "/a/b.html", "/404.html"}
    assert url_paths(["feed.xml", "tags/seo/feed.json", "share/feed.json", "robots.txt"]) == frozenset()
    for used in ("assets/site.css", "assets/search.js", "images/a.webp", "cards/a.png"):
        assert url_paths(["a/index.html", used]) is None
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
