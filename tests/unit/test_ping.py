"""`publisher ping` against a real local HTTP server that plays the live site, IndexNow and a WebSub hub."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import feedparser
import pytest
import yaml

from publisher.build.pipeline import BuildOptions, build
from publisher.commands.cli import main
from publisher.commands.scaffold import init_site
from publisher.commands.scaffold.requirement import Requirement
from publisher.config.model import IndexNowConfig
from publisher.core.errors import BuildFailed
from publisher.editorial.indexnow import indexnow_notices

NOW = datetime(2026, 9, 1, tzinfo=UTC)
KEY = "a1b2c3d4e5f60718"


@dataclass(frozen=True)
class Received:
    path: str
    content_type: str
    body: bytes

    @property
    def json(self) -> dict[str, object]:
        document: dict[str, object] = json.loads(self.body)
        return document

    @property
    def form(self) -> dict[str, str]:
        return {key: values[0] for key, values in parse_qs(self.body.decode()).items()}


class Services:
    """One loopback server: GET serves the "live" site (a folder a deploy copies output/ into); POST to
    /indexnow and /hub is recorded and answered with the status set in `status`."""

    def __init__(self, live: Path) -> None:
        self.live = live
        self.received: list[Received] = []
        self.status = {"/indexnow": 200, "/hub": 204}
        services = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(services.live), **kwargs)  # type: ignore[arg-type]

            def do_POST(self) -> None:  # http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                services.received.append(Received(self.path, self.headers.get("Content-Type", ""), body))
                status = services.status.get(self.path, 404)
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", services.url + "moved" + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def posts_to(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    def submitted(self) -> set[str]:
        """Every URL submitted to IndexNow."""
        return {url for r in self.posts_to("/indexnow") for url in r.json["urlList"]}  # type: ignore[attr-defined]

    def published_feeds(self) -> set[str]:
        return {r.form["hub.url"] for r in self.posts_to("/hub")}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    live = tmp_path / "live"
    live.mkdir()
    running = Services(live)
    yield running
    running.close()


@pytest.fixture
def site(site_dir: Path, services: Services) -> Path:
    """The small test site with an IndexNow key and a WebSub hub, both on the local server."""
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text() + f'\n[indexnow]\nkey = "{KEY}"\nendpoint = "{services.url}indexnow"\n'
                                           f'\n[websub]\nhub = "{services.url}hub"\n')
    return site_dir


def site_build(site: Path, services: Services) -> None:
    """A build for the address the local server serves the live site at."""
    build(BuildOptions(config=site / "publisher.toml", base_url=services.url, now=NOW))


def deploy(site: Path, services: Services) -> None:
    shutil.rmtree(services.live)
    shutil.copytree(site / "output", services.live)


def ping(site: Path, *options: str) -> int:
    return main(["ping", "--config", str(site / "publisher.toml"), *options])


def edit_post(site: Path, name: str, front: str, body: str) -> None:
    (site / "content" / "posts" / name).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


def deployed_once(site: Path, services: Services) -> None:
    site_build(site, services)
    deploy(site, services)


def test_only_new_and_changed_urls_are_submitted(site: Path, services: Services) -> None:
    deployed_once(site, services)
    edit_post(site, "first.md", "title: First post\ndate: 2026-01-05 10:00\ntags: [beta]", "A new first body.")
    edit_post(site, "third.md", "title: Third post\ndate: 2026-03-01\ntags: [beta]", "Third.")
    site_build(site, services)
    assert ping(site, "--fetch-previous") == 0  # before the deploy: the live site still has the old manifest
    deploy(site, services)
    assert services.received == []
    assert ping(site) == 0
    submitted = services.submitted()
    assert {services.url + "first/", services.url + "third/"} <= submitted
    assert services.url + "second/" not in submitted and services.url + "about/" not in submitted  # unchanged
    assert services.url + "tags/alpha/" in submitted  # first/ left the tag
    (request,) = services.posts_to("/indexnow")
    assert request.content_type.startswith("application/json")
    assert request.json["host"] == services.url.split("/")[2]
    assert request.json["key"] == KEY and request.json["keyLocation"] == f"{services.url}{KEY}.txt"
    assert services.url + "feed.xml" in services.published_feeds()
    assert all(r.form["hub.mode"] == "publish" for r in services.posts_to("/hub"))


def test_a_second_ping_sends_nothing_again(site: Path, services: Services,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    deployed_once(site, services)
    edit_post(site, "third.md", "title: Third post\ndate: 2026-03-01", "Third.")
    site_build(site, services)
    ping(site, "--fetch-previous")
    deploy(site, services)
    assert ping(site) == 0 and services.received
    sent = len(services.received)
    assert ping(site) == 0
    assert len(services.received) == sent
    assert "Nothing changed since .publisher/previous-manifest.json" in capsys.readouterr().out


def test_a_change_to_every_page_that_is_not_content_submits_nothing(site: Path, services: Services) -> None:
    deployed_once(site, services)
    config = site / "publisher.toml"
    config.write_text(config.read_text().replace('description = "A small site', 'description = "A tiny site'))
    site_build(site, services)
    assert b"A tiny site" in (site / "output" / "about" / "index.html").read_bytes()  # every page changed
    ping(site, "--fetch-previous")
    deploy(site, services)
    assert ping(site) == 0
    assert services.received == []


def test_no_previous_manifest_submits_nothing_unless_all(site: Path, services: Services,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    site_build(site, services)  # the first deploy: the live site has no manifest yet
    assert ping(site, "--fetch-previous") == 0
    assert "The live site has no manifest yet" in capsys.readouterr().out
    deploy(site, services)
    assert ping(site) == 0
    assert "No previous manifest to compare with" in capsys.readouterr().out
    assert services.received == []
    assert ping(site, "--all") == 0
    assert services.url + "second/" in services.submitted()
    assert services.url + "tags/alpha/feed.json" in services.published_feeds()


def test_previous_can_be_any_manifest_file_or_url(site: Path, services: Services) -> None:
    deployed_once(site, services)
    edit_post(site, "third.md", "title: Third post\ndate: 2026-03-01", "Third.")
    site_build(site, services)
    assert ping(site, "--previous", services.url + "publisher-manifest.json") == 0
    assert services.url + "third/" in services.submitted() and services.url + "second/" not in services.submitted()


def test_dry_run_prints_and_sends_nothing(site: Path, services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    site_build(site, services)
    assert ping(site, "--all", "--dry-run") == 0
    out = capsys.readouterr().out
    assert f"Would POST to IndexNow {services.url}indexnow" in out
    assert f'"keyLocation": "{services.url}{KEY}.txt"' in out
    assert f"Would POST to WebSub hub {services.url}hub" in out and "hub.mode=publish" in out
    assert services.received == []
    assert not (site / ".publisher" / "previous-manifest.json").exists()


def test_http_errors_are_one_line_each_and_exit_1(site: Path, services: Services,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    site_build(site, services)
    services.status = {"/indexnow": 403, "/hub": 500}
    assert ping(site, "--all") == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    hint = "the key is not valid: is the key file deployed, holding the key?"
    assert any(line.startswith(f"error: IndexNow {services.url}indexnow: HTTP 403 Forbidden ({hint})")
               for line in lines)
    hub = [line for line in lines if line.startswith(f"error: WebSub hub {services.url}hub: HTTP 500 Internal")]
    assert len(set(hub)) == len(hub) == 9  # each line says which feed it was about: nine lines, none alike
    assert any(line.endswith(f"(telling it of {services.url}feed.xml)") for line in hub), hub
    assert all(line.startswith("error: ") for line in lines) and "Traceback" not in err
    assert len(services.posts_to("/hub")) == 9  # one failure did not stop the rest: every feed was tried


def test_a_redirected_hub_is_a_failure_naming_where_it_went(site: Path, services: Services,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    site_build(site, services)
    services.status["/hub"] = 301  # urllib would follow it as a GET without the notice, and call that success
    assert ping(site, "--all") == 1
    assert (f"error: WebSub hub {services.url}hub: HTTP 301 Moved Permanently (it moved to {services.url}moved/hub: "
            f"set that URL) (telling it of {services.url}feed.xml)") in capsys.readouterr().err.splitlines()
    assert services.posts_to("/moved/hub") == []


def test_after_a_failure_the_next_ping_sends_the_same_again(site: Path, services: Services) -> None:
    deployed_once(site, services)
    edit_post(site, "third.md", "title: Third post\ndate: 2026-03-01", "Third.")
    site_build(site, services)
    ping(site, "--fetch-previous")
    deploy(site, services)
    services.status["/indexnow"] = 429
    assert ping(site) == 1
    services.status["/indexnow"] = 200
    services.received.clear()
    assert ping(site) == 0
    assert services.url + "third/" in services.submitted()


def test_a_refused_connection_is_one_line_and_exit_1(site: Path, services: Services,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    config = site / "publisher.toml"
    config.write_text(config.read_text().replace(f"{services.url}indexnow", f"http://127.0.0.1:{port}/indexnow"))
    site_build(site, services)
    assert ping(site, "--all") == 1
    err = capsys.readouterr().err
    assert (f"error: IndexNow http://127.0.0.1:{port}/indexnow: cannot connect: connection refused (telling it of "
            "10 URLs)") in err.splitlines()
    assert "Traceback" not in err


def test_a_live_site_that_cannot_be_reached_stops_fetch_previous(site: Path, services: Services,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    site_build(site, services)
    services.close()
    assert ping(site, "--fetch-previous") == 1
    err = capsys.readouterr().err.strip()
    assert err == (f"error: cannot fetch the live site's manifest ({services.url}publisher-manifest.json): "
                   "cannot connect: connection refused")


def test_the_key_file_is_published(site: Path, services: Services) -> None:
    deployed_once(site, services)
    assert (site / "output" / f"{KEY}.txt").read_bytes() == KEY.encode()
    with urllib.request.urlopen(f"{services.url}{KEY}.txt") as response:  # as an engine fetches keyLocation
        assert response.read() == KEY.encode()


def test_feeds_name_the_hub(site: Path, services: Services) -> None:
    site_build(site, services)
    output = site / "output"
    hub = services.url + "hub"
    for name in ("feed.xml", "atom.xml", "tags/alpha/feed.xml"):
        parsed = feedparser.parse((output / name).read_bytes())
        links = {(link["rel"], link["href"]) for link in parsed.feed.links}
        assert ("hub", hub) in links and ("self", services.url + name) in links, name
        assert parsed.feed.link == services.url or name.startswith("tags/")  # RSS's <link> is still the home page
    json_feed = json.loads((output / "feed.json").read_text())
    assert json_feed["hubs"] == [{"type": "WebSub", "url": hub}]


def test_without_key_or_hub_nothing_is_pinged_or_published(site_dir: Path, services: Services,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    site_build(site_dir, services)
    output = site_dir / "output"
    assert not (output / "publisher-manifest.json").exists()
    assert b'rel="hub"' not in (output / "feed.xml").read_bytes() and b"hubs" not in (output / "feed.json").read_bytes()
    assert ping(site_dir, "--all") == 0
    assert "Nothing to ping" in capsys.readouterr().out
    assert services.received == []


def test_a_bad_key_is_an_error_naming_its_line(site_dir: Path) -> None:
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text() + '\n[indexnow]\nkey = "short"\n')
    line = config.read_text().splitlines().index('key = "short"') + 1
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=config, now=NOW))
    assert str(failed.value).startswith(f"publisher.toml:{line}: indexnow.key: must be 8 to 128 letters, digits or "
                                        "dashes, not 'short'")


def test_submissions_are_batches_of_at_most_10000_urls() -> None:
    urls = [f"https://hub.example/p{n}/" for n in range(10_001)]
    notices = indexnow_notices(urls, "https://hub.example/", IndexNowConfig(key=KEY))
    assert [len(json.loads(n.body)["urlList"]) for n in notices] == [10_000, 1]
    assert [u for n in notices for u in json.loads(n.body)["urlList"]] == urls


def test_the_init_workflow_keeps_the_live_manifest_before_the_deploy_and_pings_after(tmp_path: Path) -> None:
    init_site(tmp_path / "hub", title="Hub", url="https://hub.example/",
              requirement=Requirement("publisher-ssg==1.0.0", "index", "a release"))
    jobs = yaml.safe_load((tmp_path / "hub" / ".github" / "workflows" / "publish.yml").read_text())["jobs"]
    runs = [step.get("run", "") for step in jobs["build"]["steps"]]
    uses = [step.get("uses", "") for step in jobs["build"]["steps"]]
    fetch = next(i for i, run in enumerate(runs) if "publisher ping --fetch-previous" in run)
    assert next(i for i, run in enumerate(runs) if "publisher build" in run) < fetch
    assert fetch < uses.index("actions/upload-pages-artifact@v3")  # while the live site is the previous deploy
    ping_job = jobs["ping"]
    assert set(ping_job["needs"]) == {"build", "deploy"}  # after the deploy: what it names is live
    assert ping_job["if"] == "needs.build.outputs.ping == 'true'"
    assert [step.get("run") for step in ping_job["steps"]][-1] == "publisher ping"
    assert "/.publisher/" in (tmp_path / "hub" / ".gitignore").read_text().splitlines()


def run_workflow_step(site: Path, tmp_path: Path, step_id: str) -> tuple[subprocess.CompletedProcess[str], str]:
    """The build job's step `step_id` of the workflow `init` writes, run in `site` as GitHub runs a `run:` (bash
    -eo pipefail), `publisher` being this one; its result and what it wrote to $GITHUB_OUTPUT."""
    init_site(tmp_path / "scaffold", title="Hub", url="https://hub.example/",
              requirement=Requirement("publisher-ssg==1.0.0", "index", "a release"))
    workflow = yaml.safe_load((tmp_path / "scaffold" / ".github" / "workflows" / "publish.yml").read_text())
    script = next(step["run"] for step in workflow["jobs"]["build"]["steps"] if step.get("id") == step_id)
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "publisher").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m publisher "$@"\n')
    (shims / "publisher").chmod(0o755)
    outputs = tmp_path / "github-output"
    outputs.touch()
    env = {"PATH": f"{shims}:/usr/bin:/bin", "GITHUB_OUTPUT": str(outputs), "HOME": str(tmp_path)}
    ran = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=site, env=env,
                         capture_output=True, text=True, check=False)
    return ran, outputs.read_text()


def test_the_workflow_deploys_when_the_live_site_cannot_be_reached(site: Path, services: Services,
                                                                    tmp_path: Path) -> None:
    # The live site down (or a new domain not resolving yet) failed the build job, so the deploy, which might
    # have been the fix, never went out: the step now warns, and the deploy goes ahead without a ping.
    site_build(site, services)
    services.close()
    ran, outputs = run_workflow_step(site, tmp_path, "previous")
    assert ran.returncode == 0, ran.stderr
    assert "cannot connect: connection refused" in ran.stderr
    assert "::warning::publisher ping --fetch-previous failed" in ran.stdout
    assert "ping=true" not in outputs


def test_the_workflow_pings_after_a_deploy_once_the_live_site_has_a_manifest(site: Path, services: Services,
                                                                              tmp_path: Path) -> None:
    deployed_once(site, services)
    ran, outputs = run_workflow_step(site, tmp_path, "previous")
    assert ran.returncode == 0, ran.stderr
    assert outputs == "ping=true\n"
    assert (site / ".publisher" / "previous-manifest.json").is_file()
