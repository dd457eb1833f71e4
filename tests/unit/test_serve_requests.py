"""What `serve`'s HTTP side answers, as a browser or curl asks: a page a build removes while it is being
answered, HEAD on the event stream, and a folder's URL without its trailing slash."""

from __future__ import annotations

import email.parser
import http.client
import mimetypes
import socket
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher.commands import serve as serve_module
from publisher.commands.serve import EVENTS_PATH, LiveState, QuietServer, make_handler


@dataclass
class Served:
    output: Path
    state: LiveState
    port: int

    def ask(self, method: str, path: str) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request(method, path)  # sent as is: no client-side normalisation
        return connection.getresponse()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A built site's output served as `serve` serves it, its first build done."""
    output = tmp_path / "output"
    (output / "welcome").mkdir(parents=True)
    (output / "welcome" / "index.html").write_text("<html><body><p>Welcome</p></body></html>", encoding="utf-8")
    (output / "404.html").write_text("<html><body><p>Page not found</p></body></html>", encoding="utf-8")
    state = LiveState()
    state.publish([])
    server = QuietServer(("127.0.0.1", 0), make_handler(output, state))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield Served(output, state, server.server_address[1])
    state.closing = True
    with state.changed:
        state.changed.notify_all()
    server.shutdown()
    server.server_close()


def test_a_page_removed_by_a_build_while_it_is_answered_is_not_found(served: Served,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capfd: pytest.CaptureFixture[str]) -> None:
    """A renamed post's old page goes while a tab asks for it: found, then gone before it is read. The tab gets
    the 404 page (which reloads when the path gets a page again), not an empty answer and a traceback."""
    found = serve_module.resolve_request_path

    def found_then_removed(root: Path, raw_path: str) -> Path | None:
        file = found(root, raw_path)
        if file is not None:
            file.unlink()  # the build's removal of stale pages, just then
        return file

    monkeypatch.setattr(serve_module, "resolve_request_path", found_then_removed)
    response = served.ask("GET", "/welcome/")
    assert response.status == 404 and b"Page not found" in response.read()
    assert "Traceback" not in capfd.readouterr().err


def test_head_on_the_event_stream_answers_the_headers_alone(served: Served) -> None:
    """HEAD has no body: no stream is sent and held open, and no tab is counted as showing a page."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as client:
        client.sendall(f"HEAD {EVENTS_PATH}?page=/welcome/ HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        answer = b""
        while chunk := client.recv(4096):  # until the server closes: a stream would time out here
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 200") and b"text/event-stream" in head
    assert body == b""
    assert served.state.open_pages() == frozenset()


@pytest.mark.parametrize(("asked", "location"), [
    ("/welcome", "/welcome/"),
    ("/welcome?utm_source=newsletter&utm_medium=email", "/welcome/?utm_source=newsletter&utm_medium=email"),
    ("http://elsewhere.example/welcome?a=1", "/welcome/?a=1"),  # a proxy's form of request: never off the site
])
def test_a_folder_without_its_slash_redirects_keeping_the_query_and_uncached(served: Served, asked: str,
                                                                              location: str) -> None:
    """As static hosts do, the query kept (a campaign link's UTM tags, which the site's attribution script
    reads); and not kept by the browser, for which a 301 holds for good: `/welcome` may be a page next save."""
    response = served.ask("GET", asked)
    assert response.status == 301
    assert response.getheader("Location") == location
    assert response.getheader("Cache-Control") == "no-store"


@pytest.mark.parametrize("asked", ["/welcome/index", "/welcome/index.html", "/welcome/"])
def test_a_folders_index_page_named_as_a_file_is_served_not_redirected(served: Served, asked: str) -> None:
    """`/welcome/index` names welcome/index.html (as `/a/b` names a/b.html); redirecting it to `/welcome/index/`
    led to a 404."""
    response = served.ask("GET", asked)
    assert response.status == 200 and b"<p>Welcome</p>" in response.read()


def test_a_page_beside_a_folder_of_its_subpages_is_served_at_its_url(served: Served) -> None:
    """A site whose URLs end without a slash (WordPress's `/%postname%`) has `/about` as about.html beside a
    folder about/ holding `/about/team` and no index: static hosts serve about.html; this redirected to
    `/about/`, a 404."""
    (served.output / "about").mkdir()
    (served.output / "about" / "team.html").write_text("<p>Team</p>", encoding="utf-8")
    (served.output / "about.html").write_text("<p>About us</p>", encoding="utf-8")
    response = served.ask("GET", "/about")
    assert response.status == 200 and b"<p>About us</p>" in response.read()
    assert served.ask("GET", "/about/team").status == 200


@pytest.mark.parametrize("raw", [b"/caf\xc3\xa9/", b"/caf%C3%A9/"])
def test_a_path_past_ascii_is_read_as_utf8_sent_as_it_is_or_escaped(served: Served, raw: bytes) -> None:
    """curl sends `http://…/café/` as it is, browsers escape it: both name café/ (it was "not found" unescaped,
    http.server reading the request line as Latin-1)."""
    (served.output / "café").mkdir()
    (served.output / "café" / "index.html").write_text("<p>Café</p>", encoding="utf-8")
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as client:
        client.sendall(b"GET " + raw + b" HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := client.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 200") and "<p>Café</p>".encode() in answer


VIDEO = bytes(range(256)) * 40  # 10,240 bytes


def ask_range(served: Served, asked: str, method: str = "GET", path: str = "/demo.mp4",
              **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.request(method, path, headers={"Range": asked, **headers})
    response = connection.getresponse()
    return response, response.read()


@pytest.mark.parametrize(("asked", "first", "last"), [
    ("bytes=0-1", 0, 1),  # what Safari asks first, and plays the video only if answered with 206
    ("bytes=1000-", 1000, 10_239), ("bytes=-100", 10_140, 10_239), ("bytes=10000-99999", 10_000, 10_239),
    ("bytes=-99999", 0, 10_239), ("BYTES = 5-5", 5, 5),
])
def test_a_range_of_a_file_is_answered_with_those_bytes(served: Served, asked: str, first: int, last: int) -> None:
    """A media player asks for parts of a video or audio file: Safari refuses to play one whose server answers
    `Range: bytes=0-1` with the whole file (200), and Chromium does not let the reader seek in it."""
    (served.output / "demo.mp4").write_bytes(VIDEO)
    response, body = ask_range(served, asked)
    assert response.status == 206 and response.getheader("Content-Type") == "video/mp4"
    assert response.getheader("Content-Range") == f"bytes {first}-{last}/10240"
    assert body == VIDEO[first:last + 1] and response.getheader("Content-Length") == str(last - first + 1)


@pytest.mark.parametrize("asked", ["bytes=10240-", "bytes=20000-20010", "bytes=-0", "bytes=10240-, 20000-"])
def test_a_range_past_the_end_is_not_satisfiable(served: Served, asked: str) -> None:
    (served.output / "demo.mp4").write_bytes(VIDEO)
    response, body = ask_range(served, asked)
    assert response.status == 416 and response.getheader("Content-Range") == "bytes */10240" and body == b""


@pytest.mark.parametrize(("asked", "headers"), [
    ("bytes=5-2", {}), ("bytes=abc", {}), ("items=0-1", {}), ("bytes=0-1,x", {}), ("bytes=²-3", {}),
    ("bytes=0-,0-", {}),  # the file twice over: not worth answering in parts
    ("bytes=0-1", {"If-Range": '"an-etag"'}),  # a version this server never named: it cannot vouch for it
])
def test_a_range_that_is_not_valid_or_not_vouched_for_gets_the_whole_file(served: Served, asked: str,
                                                                          headers: dict[str, str]) -> None:
    (served.output / "demo.mp4").write_bytes(VIDEO)
    response, body = ask_range(served, asked, **headers)
    assert response.status == 200 and body == VIDEO and response.getheader("Accept-Ranges") == "bytes"


def test_head_says_ranges_are_answered_and_sends_no_body(served: Served) -> None:
    (served.output / "demo.mp4").write_bytes(VIDEO)
    response, body = ask_range(served, "bytes=0-1", method="HEAD")
    assert response.status == 200 and response.getheader("Accept-Ranges") == "bytes" and body == b""
    assert response.getheader("Content-Length") == "10240"


def test_several_ranges_come_as_multipart_byteranges(served: Served) -> None:
    """As a download manager asks: each part read back by Python's own MIME parser, with its range and type."""
    (served.output / "demo.mp4").write_bytes(VIDEO)
    response, body = ask_range(served, "bytes=0-9, 100-199,-5")
    assert response.status == 206 and response.getheader("Content-Type").startswith("multipart/byteranges; ")
    message = email.parser.BytesParser().parsebytes(b"Content-Type: %s\r\n\r\n%s" % (
        response.getheader("Content-Type").encode(), body))
    parts = [(part["Content-Type"], part["Content-Range"], part.get_payload(decode=True))
             for part in message.get_payload()]
    assert parts == [("video/mp4", "bytes 0-9/10240", VIDEO[:10]), ("video/mp4", "bytes 100-199/10240", VIDEO[100:200]),
                     ("video/mp4", "bytes 10235-10239/10240", VIDEO[-5:])]
    assert ask_range(served, "bytes=0-9, 100-199,-5")[1] == body  # the same bytes every time


@pytest.mark.parametrize("asked", ["/" + "a" * 300 + "/", "/welcome/" + "%C3%A9" * 130, "/" + "b" * 256])
def test_a_name_too_long_for_the_file_system_is_not_found(served: Served, asked: str,
                                                          capfd: pytest.CaptureFixture[str]) -> None:
    """A path part past 255 bytes (a long slug pasted in the address bar, 130 accented letters) dropped the
    connection ("empty reply from server") and printed a traceback over the build's lines."""
    response = served.ask("GET", asked)
    assert response.status == 404 and b"Page not found" in response.read()
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("name", ["50%-off.pdf", "%2e%2e"])
def test_a_file_with_a_percent_sign_in_its_name_is_served_at_its_escaped_url(served: Served, name: str) -> None:
    """`static/50%-off.pdf` is published, and static hosts answer it at `/50%25-off.pdf`, as a browser asks for it;
    serve said "not found". The path is decoded once, so `%252e%252e` names the file `%2e%2e`, never `..`."""
    (served.output / name).write_bytes(b"%PDF-1.7 the offer")
    response = served.ask("GET", "/" + name.replace("%", "%25"))
    assert response.status == 200 and response.read() == b"%PDF-1.7 the offer"


def windows_registry_types(name: str, strict: bool = True) -> tuple[str | None, str | None]:
    """`mimetypes.guess_type` on a Windows whose registry says `.js` is text/plain, as installed programs leave it
    (python/cpython's `mimetypes` reads the registry; Pylons/pyramid#3570, golang/go#32350)."""
    return ("text/plain", None) if name.endswith((".js", ".mjs")) else mimetypes.guess_type(name, strict)


TYPES = {"app.js": "text/javascript; charset=utf-8", "app.mjs": "text/javascript; charset=utf-8",
         "chart-800w.webp": "image/webp", "brand.woff2": "font/woff2", "calendar.ics": "text/calendar; charset=utf-8",
         "feed.xml": "application/xml", "site.webmanifest": "application/manifest+json"}


@pytest.mark.parametrize("machine", [windows_registry_types, mimetypes.MimeTypes().guess_type],
                         ids=["windows registry", "no /etc/mime.types"])
def test_a_files_type_is_the_webs_whatever_the_machine_says(served: Served, monkeypatch: pytest.MonkeyPatch,
                                                           machine: Callable[..., tuple[str | None, str | None]]
                                                           ) -> None:
    """Python's `mimetypes` answers from the machine: a script as text/plain (Chromium then refuses it as a
    module, and Pagefind's search loads itself as one), or .webp, .woff2 and .ics as application/octet-stream
    where the system has no table of its own (a slim container; `mimetypes.MimeTypes()` knows Python's alone)."""
    for name in TYPES:
        (served.output / name).write_bytes(b"x")
    monkeypatch.setattr(mimetypes, "guess_type", machine)
    assert {name: served.ask("GET", "/" + name).getheader("Content-Type") for name in TYPES} == TYPES


def test_a_range_of_a_long_recording_reads_that_range_alone(served: Served) -> None:
    """A player asks for many ranges of a webinar's recording; each read the whole file into memory first (a
    range of 2 bytes of a 400 MB video took 0.25 s, and as many hundreds of MB a request). A 256 MB file (sparse:
    it takes no disk) is now answered a range, and whole, without holding more than a few MB."""
    with (served.output / "webinar.mp4").open("wb") as recording:
        recording.truncate(1 << 28)
    tracemalloc.start()
    try:
        response, body = ask_range(served, "bytes=1000-1001", path="/webinar.mp4")
        assert response.status == 206 and body == b"\0\0"
        response = served.ask("GET", "/webinar.mp4")
        assert response.status == 200 and response.getheader("Content-Length") == str(1 << 28)
        assert sum(len(chunk) for chunk in iter(lambda: response.read(1 << 20), b"")) == 1 << 28
        assert tracemalloc.get_traced_memory()[1] < 16 << 20
    finally:
        tracemalloc.stop()


def ask_as(served: Served, path: str, host: str) -> http.client.HTTPResponse:
    """A GET whose Host header is `host`, as a browser sends it for the URL it was given."""
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host)
    connection.endheaders()
    return connection.getresponse()


@pytest.mark.parametrize("path", ["/welcome/", EVENTS_PATH + "?page=/welcome/", "/welcome"])
@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "localhost.attacker.example"])
def test_a_name_another_site_pointed_here_is_refused(served: Served, path: str, host: str) -> None:
    """DNS rebinding: a page on attacker.example points its own name at 127.0.0.1, and the reader's browser then
    asks this server for `http://attacker.example:8000/welcome/` as the same site, so that page's script reads
    the preview, drafts and scheduled posts included. Such a request got the page (200); it gets 403 and a line
    saying why, as Vite's dev server answers (its `server.allowedHosts`)."""
    response = ask_as(served, path, host)
    body = response.read()
    assert response.status == 403
    assert b"Welcome" not in body and b"event:" not in body
    line = body.decode()
    assert line.startswith("publisher serve answers at localhost or an IP address, not at '")
    assert f"serve --host {host.split(':')[0]}" in line


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "LocalHost.:8000", "app.localhost:8000", "[::1]:8000",
                                  "192.168.1.20:8000"])
def test_this_machines_names_and_any_ip_address_are_answered(served: Served, host: str) -> None:
    """No other site can point an IP address or `localhost` at this machine: the URL `serve` prints, a phone
    on the network at the machine's address, and `localhost` all get the page."""
    response = ask_as(served, "/welcome/", host)
    assert response.status == 200 and b"<p>Welcome</p>" in response.read()


def test_the_name_given_as_host_is_answered(tmp_path: Path) -> None:
    """`serve --host devbox.lan` is asked for by that name: the name given is answered, others are not."""
    (tmp_path / "index.html").write_text("<html><body><p>Home</p></body></html>", encoding="utf-8")
    state = LiveState()
    state.publish([])
    server = QuietServer(("127.0.0.1", 0), make_handler(tmp_path, state, "devbox.lan"))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        served = Served(tmp_path, state, server.server_address[1])
        assert ask_as(served, "/", "devbox.lan:8000").status == 200
        assert ask_as(served, "/", "other.lan:8000").status == 403
    finally:
        server.shutdown()
        server.server_close()
