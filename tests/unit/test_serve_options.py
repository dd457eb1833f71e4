"""`publisher serve`'s options as a writer types them: a port out of range is an error of the command line,
not a traceback; `--host` takes an IPv6 address too."""

from __future__ import annotations

import http.client
import socket
import threading
from pathlib import Path

import pytest

from publisher.commands.cli import main
from publisher.commands.serve import Rebuilt, serve


@pytest.mark.parametrize("port", ["65536", "99999", "-1", "eighty"])
def test_a_port_that_is_none_is_a_usage_error(port: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # no site here: nothing is built, whatever comes of the port
    with pytest.raises(SystemExit) as info:
        main(["serve", "--port", port])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --port:" in err and "Traceback" not in err


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _has_ipv6_loopback(), reason="no IPv6 loopback here")
def test_an_ipv6_host_is_served_and_named_in_brackets(tmp_path: Path) -> None:
    """`--host ::1` failed with "Address family for hostname not supported": the server was IPv4 only."""
    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<html><body><p>Home</p></body></html>", encoding="utf-8")
    urls: list[str] = []
    ready, stop = threading.Event(), threading.Event()

    def rebuild(url: str, changes: object, tabs: object) -> Rebuilt:
        urls.append(url)  # the URL the pages are built for: their links and canonical URLs
        return Rebuilt()

    thread = threading.Thread(target=serve, args=(tmp_path, output, "::1", 0, rebuild, lambda url: ready.set(), stop),
                              daemon=True)
    thread.start()
    try:
        assert ready.wait(timeout=10)
        assert urls[0].startswith("http://[::1]:") and urls[0].endswith("/")
        connection = http.client.HTTPConnection("::1", int(urls[0].rsplit(":", 1)[1].strip("/")), timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200 and b"<p>Home</p>" in response.read()
    finally:
        stop.set()
        thread.join(timeout=10)
