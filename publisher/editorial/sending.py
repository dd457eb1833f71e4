"""The network side of `publisher ping`: one POST per notice, one GET for a manifest, failures as one line.

A thin layer over `urllib.request`: the requests themselves are built (and
tested) as plain data by `indexnow` and `websub`. Only `publisher ping`
calls this module; a build never touches the network.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request

from publisher import __version__
from publisher.core.errors import PublisherError
from publisher.editorial.notices import Notice

TIMEOUT = 30.0  # seconds to wait for a service before calling it down
USER_AGENT = f"publisher/{__version__} (static-site generator; publisher ping)"


class PingFailed(PublisherError):
    """A request that did not get through; its message is the one line the user sees."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """urllib would follow a redirected POST as a GET, without its body, and report the GET's success."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # the 3xx is raised as an HTTPError instead


def send(notice: Notice, timeout: float = TIMEOUT) -> int:
    """POST the notice; return the HTTP status (2xx), or raise PingFailed saying what went wrong."""
    request = urllib.request.Request(notice.url, data=notice.body, method="POST",
                                     headers={"Content-Type": notice.content_type, "User-Agent": USER_AGENT})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=timeout) as response:
            response.read()
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        moved = error.headers.get("Location") if 300 <= error.code < 400 else None
        hint = f"it moved to {moved}: set that URL" if moved else notice.hint(error.code)
        raise PingFailed(f"{notice.service} {notice.url}: HTTP {error.code} {error.reason}"
                         + (f" ({hint})" if hint else "")) from None
    except (OSError, http.client.HTTPException) as error:
        raise PingFailed(f"{notice.service} {notice.url}: {unreachable(error, timeout)}") from None


def fetch(url: str, what: str, timeout: float = TIMEOUT) -> bytes | None:
    """GET `url`; None when the server says there is no such file (404, 410); PingFailed for any other failure.

    `what` names the file in the error line ("the live site's manifest")."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read()
            return data
    except urllib.error.HTTPError as error:
        if error.code in (404, 410):
            return None
        raise PingFailed(f"cannot fetch {what} ({url}): HTTP {error.code} {error.reason}") from None
    except (OSError, http.client.HTTPException) as error:
        raise PingFailed(f"cannot fetch {what} ({url}): {unreachable(error, timeout)}") from None


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
