"""The network side of `publisher ping`: one POST per notice, one GET for a manifest, failures as one line.

A thin layer over `urllib.request`: the requests themselves are built (and
tested) as plain data by `indexnow` and `websub`. Only `publisher ping`
calls this module; a build never touches the network.
"""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar

from publisher import __version__
from publisher.core.errors import PublisherError
from publisher.editorial.notices import Notice

TIMEOUT = 30.0  # seconds to wait for a service before calling it down, its whole answer read
LARGEST = 64 << 20  # bytes of an answer read at most: a manifest or sitemap of 50,000 URLs is some 10 MB
USER_AGENT = f"publisher/{__version__} (static-site generator; publisher ping)"


class PingFailed(PublisherError):
    """A request that did not get through; its message is the one line the user sees, with what a server sent
    that is not printable (a terminal's escape codes in a status line) shown as `?`."""

    def __init__(self, message: str) -> None:
        super().__init__("".join(character if character.isprintable() else "?" for character in message))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """urllib would follow a redirected POST as a GET, without its body, and report the GET's success."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 3xx is raised as an HTTPError instead


def send(notice: Notice, timeout: float = TIMEOUT) -> int:
    """POST the notice; return the HTTP status (2xx), or raise PingFailed saying what went wrong."""
    request = urllib.request.Request(notice.url, data=notice.body, method="POST",
                                     headers={"Content-Type": notice.content_type, "User-Agent": USER_AGENT})
    def post() -> int:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=timeout) as response:
            status: int = response.status  # the answer's body is not read: only its status counts
            return status

    try:
        return _in_time(post, timeout)
    except urllib.error.HTTPError as error:
        moved = error.headers.get("Location") if 300 <= error.code < 400 else None
        hint = f"it moved to {moved}: set that URL" if moved else notice.hint(error.code)
        raise PingFailed(f"{notice.service} {notice.url}: HTTP {error.code} {error.reason}"
                         + (f" ({hint})" if hint else "")) from None
    except (OSError, http.client.HTTPException) as error:
        raise PingFailed(f"{notice.service} {notice.url}: {unreachable(error, timeout)}") from None


def fetch(url: str, what: str, timeout: float | None = None) -> bytes | None:
    """GET `url`; None when the server says there is no such file (404, 410); PingFailed for any other failure.

    `what` names the file in the error line ("the live site's manifest"); `timeout`: `TIMEOUT` unless given."""
    timeout = TIMEOUT if timeout is None else timeout
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})

    def get() -> bytes:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(LARGEST + 1)
        if len(data) > LARGEST:
            raise PingFailed(f"cannot fetch {what} ({url}): larger than {LARGEST >> 20} MB")
        return data

    try:
        return _in_time(get, timeout)
    except urllib.error.HTTPError as error:
        if error.code in (404, 410):
            return None
        raise PingFailed(f"cannot fetch {what} ({url}): HTTP {error.code} {error.reason}") from None
    except (OSError, http.client.HTTPException) as error:
        raise PingFailed(f"cannot fetch {what} ({url}): {unreachable(error, timeout)}") from None


Answer = TypeVar("Answer")


def _in_time(request: Callable[[], Answer], seconds: float) -> Answer:
    """`request()`, given `seconds` in all. A socket's timeout bounds each read alone, so a server that sends a
    byte every few seconds held `ping` and `check --previous` for good; the request runs on a daemon thread, which
    the command leaves behind (TimeoutError) when it overruns."""
    answered: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            answered.append((True, request()))
        except BaseException as error:  # raised again in the caller's thread, whatever it is
            answered.append((False, error))

    worker = threading.Thread(target=run, name="publisher-request", daemon=True)
    worker.start()
    worker.join(seconds)
    if not answered:
        raise TimeoutError(f"no answer within {seconds:g} s")
    done, value = answered[0]
    if done:
        answer: Answer = value
        return answer
    raise value


def unreachable(error: BaseException, timeout: float) -> str:
    """Why a request got no HTTP answer, in a few words."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "cannot connect: connection refused"
    if isinstance(reason, socket.gaierror):
        return "cannot connect: unknown host"
    if isinstance(reason, OSError) and reason.strerror:
        return f"cannot connect: {reason.strerror}"
    return f"cannot connect: {reason or type(reason).__name__}"
