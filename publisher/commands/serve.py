"""`publisher serve`: build, serve on loopback, rebuild on save, reload the browser.

Three threads cooperate through one `LiveState`: the HTTP server answers
requests (and holds Server-Sent Event streams open), the watchdog observer
notes changes, and the main thread debounces them and rebuilds. A failed
rebuild leaves the last good site on disk (the writer guarantees it) and
sends the error lines to every open tab.

Each rebuild is told which files the watcher saw change (`ChangeLog`), so it
need not `stat` every other one (`build.inputs`), and which pages the tabs
show (`Tabs`): it writes those and the edited posts' pages first, and their
tabs reload before the rest of the site is written. A tab reloads only when
a build changed its page (`url_paths`); a page asked for while a save is
built waits for the save's pages (`LiveState.settled`).
"""

from __future__ import annotations

import gc
import io
import ipaddress
import json
import logging
import mimetypes
import os
import socket
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from publisher.build.inputs import Changes
from publisher.commands.ranges import ByteRange, asked_ranges, byteranges
from publisher.core.errors import PublisherError
from publisher.images.previews import FOLDER as PREVIEWS_FOLDER

EVENTS_PATH = "/__publisher/events"
SCRIPT_PATH = "/__publisher/livereload.js"
RELOAD_SCRIPT = (Path(__file__).parent / "livereload.js").read_bytes()
IGNORED_PARTS = {".git", ".publisher-cache", "output", "__pycache__", ".venv", "node_modules"}
# Only these are watched (recursively), plus publisher.toml: watching the whole
# site folder would also watch the output being written, and a large site's
# build then overflows the kernel's event queue.
WATCHED_FOLDERS = ("content", "static", "themes", "i18n")  # i18n: the site's own words for the theme


CHUNK = 1 << 20  # a file is sent a megabyte at a time: a long recording is never held in memory whole
SAVE_WAIT = 2.0  # the longest a page asked for while a save is built waits for its pages (s)
RELOADS_KEPT = 32  # the versions whose changed pages the tabs are told (a tab that missed more reloads anyway)
MOST_PAGES = 200  # a build that changed more pages than this reloads every tab
UNSHOWN = (".xml", ".json", ".txt", ".csv", ".ics")  # feeds, sitemap, share feed: no tab shows them
UNSHOWN_FOLDERS = (f"{PREVIEWS_FOLDER}/",)  # link-preview cards: named in a page's meta tags, never shown


# The type of each kind of file a site holds, whatever the machine says. Python's `mimetypes` reads the system's
# table: Windows' registry, where installed programs often set `.js` to text/plain (Chromium then runs no module
# script: Pagefind's search loads itself as one), or /etc/mime.types, which a slim container or a Mac lacks
# (.webp, .woff2 and .ics were then application/octet-stream). Other suffixes are left to `mimetypes`.
WEB_TYPES = MappingProxyType({
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
    ".json": "application/json", ".map": "application/json", ".webmanifest": "application/manifest+json",
    ".xml": "application/xml", ".xsl": "application/xslt+xml", ".txt": "text/plain", ".csv": "text/csv",
    ".ics": "text/calendar", ".vtt": "text/vtt", ".md": "text/markdown", ".pdf": "application/pdf",
    ".wasm": "application/wasm", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf", ".mp4": "video/mp4",
    ".m4v": "video/mp4", ".webm": "video/webm", ".mov": "video/quicktime", ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".opus": "audio/ogg", ".wav": "audio/wav", ".zip": "application/zip",
})


@dataclass(frozen=True)
class Rebuilt:
    """What a rebuild tells the tabs: its error lines, or the output files it changed (None: not known)."""

    errors: list[str] = field(default_factory=list)
    files: frozenset[str] | None = None


@dataclass
class LiveState:
    """The latest build result, shared by the rebuild loop and the event streams.

    Each successful build is a new version; with it go the URL paths of the pages it changed (None: any may
    have), so that a tab reloads only when its page changed. The tabs say which page they show. From a save
    seen until its pages are written (ahead of the rest, or with it), pages asked for wait (`settled`)."""

    version: int = 0
    errors: list[str] = field(default_factory=list)
    closing: bool = False
    built: bool = False  # the first build has finished (well or not): until then pages are "building…"
    changed: threading.Condition = field(default_factory=threading.Condition)
    reloads: dict[int, list[str] | None] = field(default_factory=dict)  # by version: the pages it changed
    shown: Counter[str] = field(default_factory=Counter)  # the URL path of each open tab's page
    saving: bool = False  # a save was seen whose build has not said yet what it changed
    saves: int = 0  # the saves seen
    building_from: int = 0  # the saves seen when the build running (or the last one) took the changed files

    def publish(self, errors: list[str], pages: frozenset[str] | None = None) -> None:
        with self.changed:
            if not errors:
                self.version += 1
                self.reloads[self.version] = None if pages is None else sorted(pages)
                self.reloads.pop(self.version - RELOADS_KEPT, None)
            self.errors = errors
            self.built = True
            self.saving = self.saves > self.building_from  # a save seen since is the next build's
            self.changed.notify_all()

    def saw_save(self) -> None:
        with self.changed:
            self.saves += 1
            self.saving = True

    def build_starts(self) -> None:
        """A build takes the files changed so far: the saves seen until now are its own."""
        with self.changed:
            self.building_from = self.saves

    def settled(self, timeout: float = SAVE_WAIT) -> None:
        """Wait, `timeout` seconds at most, until a save seen has its pages written (the pages written ahead of
        the rest, or all): a page asked for meanwhile (a reload by hand) then comes fresh, as from Hugo's
        server, which answers once it has built."""
        with self.changed:
            self.changed.wait_for(lambda: not self.saving or self.closing, timeout)

    def open_pages(self) -> frozenset[str]:
        with self.changed:
            return frozenset(page for page, tabs in self.shown.items() if tabs)

    @contextmanager
    def showing(self, page: str) -> Iterator[None]:
        """A tab shows `page` (a URL path) while the block runs."""
        with self.changed:
            self.shown[page] += 1
        try:
            yield
        finally:
            with self.changed:
                self.shown[page] -= 1
                if not self.shown[page]:
                    del self.shown[page]

    def snapshot(self) -> str:
        return json.dumps({"version": self.version, "errors": self.errors, "reloads": self.reloads})


@dataclass(frozen=True)
class Tabs:
    """What a rebuild may ask of the open tabs: which pages they show, and to reload some before it is done."""

    state: LiveState
    first: BuildFirst

    def open_pages(self) -> frozenset[str]:
        return self.state.open_pages()

    def reload(self, files: Iterable[str]) -> None:
        """Tell the tabs showing these output files (paths from the output folder) to reload."""
        self.state.publish([], url_paths(files))
        self.first.give_way()


def url_paths(files: Iterable[str] | None) -> frozenset[str] | None:
    """The URL paths of the pages among these output files, written or removed (`a/index.html` -> `/a/`);
    None, for every tab to reload, when the files are not known, are too many, or include one a page may use
    (a style sheet, a script, an image)."""
    if files is None:
        return None
    pages = set()
    for rel in files:
        if rel.endswith(".html"):
            pages.add("/" + rel.removesuffix("index.html"))
        elif not rel.endswith(UNSHOWN) and not rel.startswith(UNSHOWN_FOLDERS):
            return None
        if len(pages) > MOST_PAGES:
            return None
    return frozenset(pages)


# Shown for any page asked for before the first build is done; the live-reload script reloads it then.
BUILDING_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Building…</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font:1.1rem/1.5 system-ui,sans-serif;margin:4rem auto;max-width:36rem;padding:0 1rem">
<h1>Building the site…</h1>
<p>publisher is building the site for the first time. This page reloads itself when it is ready.</p>
</body></html>
""".encode()


class QuietServer(ThreadingHTTPServer):
    """The HTTP server, quiet about connections the browser dropped (a tab closed, a request given up):
    normal for a dev server, so no traceback; anything else is reported as usual."""

    daemon_threads = True
    # Connections the kernel takes in before the server accepts them. socketserver's default is 5: past it, a
    # connection's handshake is dropped and retried a second later, so a save that reloads a few tabs at once
    # (each with its page's styles, scripts and images) kept some waiting a whole second.
    request_queue_size = socket.SOMAXCONN

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class QuietServer6(QuietServer):
    """The same, on an IPv6 address (`--host ::1`, `--host ::`)."""

    address_family = socket.AF_INET6


def listening(host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> QuietServer:
    """The server on `host`: an IPv4 address, an IPv6 one, or a name (its IPv4 address, if it has one, as before)."""
    families = {family for family, *_ in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    server_class = QuietServer if socket.AF_INET in families else QuietServer6
    return server_class((host, port), handler)


def served_url(server: QuietServer) -> str:
    """The URL the server answers at (an IPv6 address in brackets)."""
    host, port = server.server_address[:2]
    if isinstance(host, bytes):  # only for Unix sockets, which this server never binds
        host = host.decode()
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def resolve_request_path(root: Path, raw_path: str) -> Path | None:
    """The file under `root` a URL path names, or None for anything that could leave it."""
    decoded = decoded_path(urlsplit(raw_path).path)
    # Decoded once, as hosts do: `%252e%252e` names a file called `%2e%2e`, and `/50%25-off.pdf` is 50%-off.pdf.
    if "\\" in decoded or "\x00" in decoded:  # a backslash is a separator on Windows; a NUL ends a name in C
        return None
    parts = [p for p in decoded.split("/") if p not in ("", ".")]
    if ".." in parts:
        return None
    try:
        resolved = named_file(root.joinpath(*parts), decoded.endswith("/")).resolve(strict=True)
    except (OSError, RuntimeError):  # no such file; a name too long for the file system (a 300-letter slug); a loop
        return None
    real_root = root.resolve()
    if resolved != real_root and real_root not in resolved.parents:  # a symlink pointing outside
        return None
    return resolved if resolved.is_file() else None


def named_file(target: Path, folder: bool) -> Path:
    """The file a URL path names as static hosts read it: a folder's index.html, or `/a/b` as a/b.html (also where a
    folder a/b/ holds no index.html: a page `/about` beside its subpage `/about/team`)."""
    page = target.with_name(target.name + ".html")
    if folder or (target.is_dir() and ((target / "index.html").is_file() or not page.is_file())):
        return target / "index.html"
    if not target.is_file() and page.is_file():  # `/about` beside a folder about/ without an index: about.html
        return page
    return target


def decoded_path(url_path: str) -> str:
    """A URL path, its %-escapes decoded. http.server reads a request line as Latin-1: bytes past ASCII sent as
    they are (curl asked for `http://127.0.0.1:8000/café/`) are read as the UTF-8 they are, as hosts read them."""
    with suppress(UnicodeError):  # not UTF-8: left as it is, and no file has such a name
        url_path = url_path.encode("latin-1").decode("utf-8")
    return unquote(url_path)


def names_folder(root: Path, url_path: str) -> bool:
    """Whether `url_path`, a URL path already found to name a file under `root`, names a folder there without
    the trailing slash (`/a` for a/index.html; not `/a/index`, which names a/index.html itself)."""
    decoded = decoded_path(url_path)
    folder = root.joinpath(decoded.lstrip("/"))
    return not decoded.endswith("/") and folder.is_dir() and named_file(folder, False) == folder / "index.html"


def read_file(file: Path | None) -> bytes | None:
    """The bytes of `file`, or None when there is none: a build may remove a file between its being found for a
    request and its being read."""
    if file is None:
        return None
    try:
        return file.read_bytes()
    except OSError:
        return None


@contextmanager
def opened(file: Path, mime: str, version: int) -> Iterator[BinaryIO | None]:
    """The bytes to send for `file`, None when a build removed it since it was found: a page in memory, its
    reload script added; any other file open on disk, so that a range of a long recording is read alone (the
    whole file was read for each range: 0.25 s for 2 bytes of a 400 MB video, which a player asks for often)."""
    if mime == "text/html":
        page = read_file(file)
        yield None if page is None else io.BytesIO(inject_reload_script(page, mime, version))
        return
    try:
        handle = file.open("rb")
    except OSError:
        yield None
        return
    with handle:
        yield handle


def make_handler(root: Path, state: LiveState, host: str = "127.0.0.1") -> type[BaseHTTPRequestHandler]:
    """A request handler class serving `root` with live reload from `state` (http.server wants a class), to
    requests that name this machine or `host` (`--host`) as their Host (`answers_host`)."""
    return type("BoundLiveHandler", (LiveHandler,), {"root": root, "state": state, "host": host})


def host_name(header: str) -> str | None:
    """The host a Host header names, without its port or a final dot, in lower case; None when it names none."""
    try:
        name = urlsplit(f"//{header.strip()}").hostname
    except ValueError:  # `[::1` left open
        return None
    return name.rstrip(".") if name else None


def answers_host(header: str | None, served_as: str) -> bool:
    """Whether a request whose Host header is `header` is answered. A page on another site can point a name of
    its own at 127.0.0.1 and have the reader's browser ask it of this server as the same site (DNS rebinding),
    then read the preview, drafts and scheduled posts included. A name no one else can point here is answered:
    an IP address, `localhost` and the names under it, and the name `--host` gave (`served_as`), as Vite's dev
    server answers. No header at all is no browser's request (a browser always sends it)."""
    if header is None:
        return True
    name = host_name(header)
    if name is None:
        return False
    with suppress(ValueError):
        ipaddress.ip_address(name)
        return True
    return name == "localhost" or name.endswith(".localhost") or name == served_as.lower().rstrip(".")


def file_type(name: str) -> str:
    """The media type of a file named `name`: the web's own for the kinds a site holds (`WEB_TYPES`)."""
    suffix = os.path.splitext(name)[1].lower()
    return WEB_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def content_type(mime: str) -> str:
    """The Content-Type header for `mime`: text is UTF-8."""
    return f"{mime}; charset=utf-8" if mime.startswith("text/") else mime


def inject_reload_script(body: bytes, mime: str, version: int, *, missing: bool = False) -> bytes:
    """An HTML page with the live-reload script before `</body>`; anything else as it is. `version`: the build
    the page comes from (taken before its file was read): the tab reloads for any later build that changed it,
    even one done before its event stream connected. `missing`: the page is the 404 page, shown for a path with
    no page (it reloads when the 404 page changes, or its path gets a page)."""
    if mime != "text/html":
        return body
    marked = ' data-missing="yes"' if missing else ""
    tag = f'<script src="{SCRIPT_PATH}" data-version="{version}"{marked}></script>'.encode()
    index = body.rfind(b"</body>")
    return body[:index] + tag + body[index:] if index >= 0 else body + tag


class LiveHandler(BaseHTTPRequestHandler):
    """Serves the built site as static hosts do, plus the live-reload script and its event stream."""

    server_version = "publisher"
    sys_version = ""
    root: Path  # set by make_handler
    state: LiveState
    host: str

    def do_GET(self) -> None:  # http.server's naming
        # A browser asks a server for `/path` and names the site in Host; only a client talking to a proxy sends
        # the whole URL (which no page can make a browser do), and is answered as before.
        if self.path.startswith("/") and not answers_host(self.headers.get("Host"), self.host):
            return self._refuse_host()
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            return self._events()
        if path == SCRIPT_PATH:
            return self._send(HTTPStatus.OK, "text/javascript", RELOAD_SCRIPT)
        if not self.state.built:  # a large site's first build takes a while: say so, and reload when done
            building = inject_reload_script(BUILDING_PAGE, "text/html", self.state.version)
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html", building)
        self.state.settled()
        version = self.state.version  # before the file is read: a build that writes it meanwhile is a later one
        file = resolve_request_path(self.root, self.path)
        if file is not None and names_folder(self.root, path):  # as static hosts do, so relative URLs keep working
            query = urlsplit(self.path).query
            return self._redirect(path + "/" + (f"?{query}" if query else ""))  # the query kept (UTM tags)
        if file is None:
            return self._not_found(version)
        mime = file_type(file.name)
        with opened(file, mime, version) as body:
            if body is None:  # a build removed the file since it was found (a renamed post's old page)
                return self._not_found(version)
            self._send_file(mime, body)

    do_HEAD = do_GET

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")  # a browser keeps a 301 for good: `/a` may become a page
        self.end_headers()

    def _refuse_host(self) -> None:
        """403 for a Host that is not this machine's: one line saying how to be asked by that name."""
        asked = self.headers.get("Host", "")
        name = host_name(asked) or asked
        reason = (f"publisher serve answers at localhost or an IP address, not at {name!r}: another site may have "
                  f"pointed that name here. To be reached by it, serve --host {name}\n")
        self._send(HTTPStatus.FORBIDDEN, "text/plain", reason.encode())

    def _not_found(self, version: int) -> None:
        body = read_file(self.root / "404.html") or b"<h1>Not found</h1>"
        self._send(HTTPStatus.NOT_FOUND, "text/html", inject_reload_script(body, "text/html", version, missing=True))

    def _send_file(self, mime: str, body: BinaryIO) -> None:
        """A file, whole or the ranges of it asked for: a media player asks for ranges, and Safari plays a video
        only from a server that answers them (Chromium lets the reader seek in it only then)."""
        size = body.seek(0, os.SEEK_END)
        ranges = self._asked_ranges(size)
        whole = {"Accept-Ranges": "bytes"}
        if ranges is None:
            return self._send_span(HTTPStatus.OK, mime, body, ByteRange(0, size - 1), whole)
        if not ranges:
            unsatisfiable = whole | {"Content-Range": f"bytes */{size}"}
            return self._send(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, mime, b"", unsatisfiable)
        if len(ranges) == 1:
            part = whole | {"Content-Range": ranges[0].content_range(size)}
            return self._send_span(HTTPStatus.PARTIAL_CONTENT, mime, body, ranges[0], part)
        multipart, parts = byteranges(body, size, ranges, content_type(mime))
        self._send(HTTPStatus.PARTIAL_CONTENT, multipart, parts, whole)

    def _send_span(self, status: HTTPStatus, mime: str, body: BinaryIO, span: ByteRange,
                   headers: dict[str, str]) -> None:
        """The bytes of `span` read from `body` as they are sent, a megabyte at a time."""
        self._send_head(status, mime, span.length, headers)
        if self.command != "HEAD":
            body.seek(span.first)
            left = span.length
            while left > 0 and (chunk := body.read(min(CHUNK, left))):
                self.wfile.write(chunk)
                left -= len(chunk)

    def _asked_ranges(self, size: int) -> tuple[ByteRange, ...] | None:
        """The ranges a GET asks for (None: the whole file). With `If-Range` the whole file: it names a version of
        the file (an ETag or a date) that this server, which gives neither, cannot vouch for (RFC 9110 §13.1.5)."""
        header = self.headers.get("Range")
        if header is None or self.command != "GET" or "If-Range" in self.headers:
            return None
        return asked_ranges(header, size)

    def _send(self, status: HTTPStatus, mime: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self._send_head(status, mime, len(body), headers or {})
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_head(self, status: HTTPStatus, mime: str, length: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type(mime))
        self.send_header("Content-Length", str(length))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _events(self) -> None:
        """Server-sent events: `build` with the build's state whenever it changes, a keep-alive otherwise. The
        tab names its page (`?page=/a/`): a build writes first the pages open in a tab."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command == "HEAD":  # the headers alone: no stream, and no tab
            return
        page = parse_qs(urlsplit(self.path).query).get("page", [""])[0]
        try:
            with self.state.showing(page):
                self._stream()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _stream(self) -> None:
        seen = None
        while not self.state.closing:
            snapshot = self._next_snapshot(seen)
            message = f"event: build\ndata: {snapshot}\n\n" if snapshot != seen else ": keep-alive\n\n"
            self.wfile.write(message.encode())
            self.wfile.flush()
            seen = snapshot

    def _next_snapshot(self, seen: str | None) -> str:
        """The state once it differs from `seen`, or after 15 s, whichever comes first."""
        state = self.state
        with state.changed:
            snapshot = state.snapshot()
            if snapshot == seen:
                state.changed.wait(timeout=15)
                snapshot = state.snapshot()
        return snapshot

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows builds, not requests
        return


class ChangeLog:
    """Every path the watcher reported since a build last took them, for that build to `stat` alone (see
    `build.inputs.Changes`). Unknown (the build lists every file) at first, and again after what the watcher
    cannot vouch for: a folder appearing, moving or going (files made in a new folder before its watch
    begins are never reported), more than `most` paths in one burst, or a warning from watchdog (the
    kernel's event queue overflowed)."""

    most = 1000

    def __init__(self, watched: Iterable[Path]) -> None:
        self.watched = tuple(os.path.realpath(folder) for folder in watched)
        self._lock = threading.Lock()
        self._paths: set[str] | None = None

    def note(self, raw: str) -> None:
        """`raw` changed: its folder's symbolic links resolved, not its own (a link's change is its own)."""
        path = os.path.join(os.path.realpath(os.path.dirname(raw)), os.path.basename(raw))
        with self._lock:
            if self._paths is not None:
                self._paths.add(path)
                if len(self._paths) > self.most:
                    self._paths = None

    def lose_track(self) -> None:
        with self._lock:
            self._paths = None

    def take(self) -> Changes | None:
        """What changed since the last take (None: not known), and from now on, note anew."""
        with self._lock:
            paths, self._paths = self._paths, set()
        return None if paths is None else Changes(self.watched, frozenset(paths))


class _LoseTrackOnWarning(logging.Handler):
    """watchdog warns (and reports nothing else) when the kernel dropped events."""

    def __init__(self, changes: ChangeLog) -> None:
        super().__init__(logging.WARNING)
        self.changes = changes

    def emit(self, record: logging.LogRecord) -> None:
        self.changes.lose_track()


class _ChangeHandler(FileSystemEventHandler):
    def __init__(self, root: Path, output: Path, notice: Callable[[], None], changes: ChangeLog,
                 new_folder: Callable[[Path], None] = lambda path: None) -> None:
        self.root, self.output, self.notice, self.new_folder = root.resolve(), output.resolve(), notice, new_folder
        self.changes = changes

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory:
            if event.event_type == "modified":  # only repeats its entries' own events
                return
            self.changes.lose_track()  # a folder came, went or moved
        if event.is_directory and event.event_type in ("created", "moved"):
            target = Path(str(getattr(event, "dest_path", "") or event.src_path))
            if target.parent.resolve() == self.root and target.name in WATCHED_FOLDERS:
                self.new_folder(target)  # e.g. static/ created while serving
        paths = [str(raw) for raw in (event.src_path, getattr(event, "dest_path", "")) if raw]
        if not event.is_directory:
            for path in paths:  # every one, relevant or not: the next build's listing takes them from here
                self.changes.note(path)
        if any(self._relevant(Path(path)) for path in paths):
            self.notice()

    def _relevant(self, path: Path) -> bool:
        try:
            rel = path.resolve().relative_to(self.root)
        except ValueError:
            return False
        if path.resolve() == self.output or self.output in path.resolve().parents:
            return False
        return not (set(rel.parts) & IGNORED_PARTS) and not path.name.endswith(("~", ".swp", ".swx", ".tmp"))


@dataclass
class Debouncer:
    """Collapses a burst of file events into one rebuild once things are quiet."""

    quiet: float = 0.025  # editors save in bursts of events a millisecond or two apart (a temporary file, a rename)
    _last: float = 0.0
    _pending: threading.Event = field(default_factory=threading.Event)

    def notice(self) -> None:
        self._last = time.monotonic()
        self._pending.set()

    def wait(self, stop: threading.Event) -> bool:
        """Block until a burst has settled; False when asked to stop."""
        while not stop.is_set():
            if self._pending.wait(timeout=0.2):
                while (left := self.quiet - (time.monotonic() - self._last)) > 0:
                    time.sleep(left)  # until `quiet` after the last event (a later one sleeps again)
                self._pending.clear()
                return True
        return False


@dataclass
class BuildFirst:
    """While a build runs, it has the interpreter nearly to itself; what can wait runs after the tabs reload.

    - Python's cycle collector is paused while building and run once the tabs have been told to reload. A
      warm server holds a large model (half a million objects at 10,000 posts) and each collection the
      interpreter starts on its own walks all of it (0.3 s a time, several a build). What survives the
      collection is frozen, so the next walks only what later builds made; every `full_every` collections
      the frozen objects are walked too, so cycles the model let go of are freed.
    - The other threads (the HTTP server answering a tab's requests) take the interpreter from the build
      every `switch_interval` seconds rather than Python's 5 ms: a page asked for meanwhile waits up to
      that much longer, and the build is not cut into thousands of slices.
    """

    full_every: int = 20
    switch_interval: float = 0.05
    answer_interval: float = 0.001
    collections: int = 0

    @contextmanager
    def building(self) -> Iterator[None]:
        usual = sys.getswitchinterval()
        gc.disable()
        sys.setswitchinterval(self.switch_interval)
        try:
            yield
        finally:
            sys.setswitchinterval(usual)
            gc.enable()

    def give_way(self) -> None:
        """From now on in this build, the other threads come first: the tabs were told to reload pages written
        ahead of the rest, and ask for them now (each request takes the interpreter several times)."""
        sys.setswitchinterval(self.answer_interval)

    def after_build(self) -> None:
        self.collections += 1
        if self.collections % self.full_every == 0:
            gc.unfreeze()
        gc.collect()
        gc.freeze()


@contextmanager
def watching(root: Path, output: Path, notice: Callable[[], None], changes: ChangeLog) -> Iterator[None]:
    """The site's sources watched while the block runs: `notice()` on a change that matters to the site, every
    changed path noted in `changes` (which loses track on a warning from watchdog: the kernel dropped events)."""
    observer = Observer()
    watched: dict[Path, ObservedWatch] = {}

    def watch(folder: Path) -> None:
        if not folder.is_dir():
            return
        gone = watched.pop(folder, None)
        if gone is not None:  # made again (deleted, restored): the old watch was on the folder that went
            with suppress(KeyError):  # watchdog may have dropped it already
                observer.unschedule(gone)
        watched[folder] = observer.schedule(handler, str(folder), recursive=True)
        if observer.is_alive():  # a folder that appeared while serving: its files are news
            notice()

    handler = _ChangeHandler(root, output, notice, changes, watch)
    observer.schedule(handler, str(root), recursive=False)  # publisher.toml, and folders appearing
    for name in WATCHED_FOLDERS:
        watch(root / name)
    warnings = _LoseTrackOnWarning(changes)
    logging.getLogger("watchdog").addHandler(warnings)
    observer.start()
    try:
        yield
    finally:
        observer.stop()
        logging.getLogger("watchdog").removeHandler(warnings)
        observer.join(timeout=2)


def serve(root: Path, output: Path, host: str, port: int, rebuild: Callable[[str, Changes | None, Tabs], Rebuilt],
          on_ready: Callable[[str], None], stop: threading.Event | None = None) -> None:
    """Serve `output` and call `rebuild(url, changes, tabs)` whenever the site changes, with the files the watcher
    saw change since the last call (None: not known). `tabs` says which pages are open (`open_pages`), and
    reloads those of files written ahead of the rest (`reload`); once the rebuild returns, the tabs whose pages
    it changed reload, or every tab shows its errors."""
    stop = stop or threading.Event()
    state = LiveState()
    try:
        server = listening(host, port, make_handler(output, state, host))
    except OSError as exc:  # only this is about listening: an error later (the disk full) is not
        raise PublisherError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    url = served_url(server)
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()  # "building…" meanwhile
    first = BuildFirst()
    changes = ChangeLog(root / name for name in WATCHED_FOLDERS)

    def rebuild_and_reload(every_tab: bool = False) -> None:
        with first.building():
            state.build_starts()  # before the changes are taken: a save seen after may be missing from them
            rebuilt = rebuild(url, changes.take(), Tabs(state, first))
        pages = None if every_tab or not state.built else url_paths(rebuilt.files)
        state.publish(rebuilt.errors, pages)  # the tabs reload...
        first.after_build()  # ...while this tidies up

    debouncer = Debouncer()

    def noticed() -> None:
        state.saw_save()
        debouncer.notice()

    try:
        # Watching starts before the first build: a save while it runs is seen, and builds again after it.
        with watching(root, output, noticed, changes):
            rebuild_and_reload()
            saves = state.saves
            with first.building():
                on_ready(url)
            first.after_build()
            # `on_ready` may build (to fill the model) and so write what a save made meanwhile: the build after
            # finds nothing left to write, and cannot name the pages that changed.
            every_tab = state.saves != saves
            while debouncer.wait(stop):
                rebuild_and_reload(every_tab)
                every_tab = False
    finally:
        state.closing = True
        with state.changed:
            state.changed.notify_all()
        server.shutdown()
        server.server_close()
