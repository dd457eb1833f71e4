"""`publisher serve` while a large site's first build runs, and with browsers that give up (issue 17, item 4):
a "building…" page that reloads itself, and no traceback for a dropped connection."""

from __future__ import annotations

import http.client
import http.server
import select
import socket
import struct
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from publisher.commands.serve import SCRIPT_PATH, QuietServer, Rebuilt, serve


@dataclass
class SlowServe:
    urls: list[str]
    release: threading.Event
    ready: threading.Event

    def get(self, path: str) -> tuple[int, bytes]:
        parts = urlsplit(self.urls[0])
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()


@pytest.fixture
def slow_serve(tmp_path: Path) -> Iterator[SlowServe]:
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<!doctype html><html><body><p>Home</p></body></html>", encoding="utf-8")
    (output / "big.bin").write_bytes(b"x" * 20_000_000)
    urls: list[str] = []
    release, ready, stop = threading.Event(), threading.Event(), threading.Event()

    def rebuild(url: str, changes: object, tabs: object) -> Rebuilt:
        urls.append(url)
        release.wait(timeout=20)  # the first build, as long as the test wants
        return Rebuilt()

    thread = threading.Thread(target=serve, args=(tmp_path, output, "127.0.0.1", 0, rebuild,
                                                  lambda url: ready.set(), stop), daemon=True)
    thread.start()
    while not urls:
        threading.Event().wait(0.01)
    yield SlowServe(urls, release, ready)
    release.set()
    stop.set()
    thread.join(timeout=10)


def test_a_page_asked_for_during_the_first_build_says_building_and_reloads_when_done(slow_serve: SlowServe) -> None:
    status, body = slow_serve.get("/")
    assert status == 503 and b"Building the site" in body
    assert SCRIPT_PATH.encode() in body  # the live-reload script: the page reloads once the build is published
    assert b'data-version="0"' in body  # from before any build: the first one, whenever the tab hears of it, reloads
    assert slow_serve.get(SCRIPT_PATH)[0] == 200
    slow_serve.release.set()
    assert slow_serve.ready.wait(timeout=10)
    status, body = slow_serve.get("/")
    assert status == 200 and b"<p>Home</p>" in body and b'data-version="1"' in body


def test_a_dropped_connection_prints_no_traceback(slow_serve: SlowServe, capfd: pytest.CaptureFixture[str]) -> None:
    slow_serve.release.set()
    assert slow_serve.ready.wait(timeout=10)
    parts = urlsplit(slow_serve.urls[0])
    for _ in range(3):  # a large file, and the browser gone before it is sent (a reset, not a polite close)
        client = socket.create_connection((parts.hostname, parts.port))
        client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
        client.recv(1024)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        client.close()
    assert slow_serve.get("/")[0] == 200  # still serving
    assert "Traceback" not in capfd.readouterr().err


def test_the_server_stays_quiet_only_about_dropped_connections(capsys: pytest.CaptureFixture[str]) -> None:
    server = QuietServer.__new__(QuietServer)  # handle_error needs no socket
    try:
        raise BrokenPipeError(32, "Broken pipe")
    except BrokenPipeError:
        server.handle_error(None, ("127.0.0.1", 1))
    assert capsys.readouterr().err == ""
    try:
        raise ValueError("a real bug")
    except ValueError:
        server.handle_error(None, ("127.0.0.1", 1))
    assert "ValueError: a real bug" in capsys.readouterr().err


def test_a_burst_of_connections_is_taken_in_at_once() -> None:
    """A save reloads every open tab, each fetching its page's styles, scripts and images: the kernel takes
    in all of a burst's connections while the server is busy, none dropped to be retried a second later."""
    server = QuietServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)  # accepts nothing: busy
    clients = [socket.socket() for _ in range(64)]
    try:
        for client in clients:
            client.setblocking(False)
            client.connect_ex(server.server_address[:2])
        _, connected, _ = select.select([], clients, [], 0.5)  # handshakes the kernel completed
        assert len(connected) == len(clients)
        assert all(client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0 for client in clients)
    finally:
        for client in clients:
            client.close()
        server.server_close()
