"""Pagefind started before the build is loaded (`build.launch`): the console command starts it first, from the
record the last build left; a record not as written, or one the settings or theme changed since, starts nothing;
and whatever was started, the index comes out as a clean build's."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.launch import EarlyIndex, Launch, launch_path
from publisher.build.pipeline import BuildOptions, build, build_if_changed
from publisher.commands.build_command import index_early
from publisher.core.errors import BuildFailed
from publisher.pages import search
from tests.conftest import FIXED_EPOCH, REPO, counting_pagefind
from tests.unit.pages.test_search import in_parts, index_in

NOW = datetime.fromtimestamp(int(FIXED_EPOCH), tz=UTC)  # the console command's (SOURCE_DATE_EPOCH)

# The build's stages below the search index: none is needed to start Pagefind early.
STAGES = ("publisher.build.pipeline", "publisher.config", "publisher.site", "publisher.content", "publisher.markdown",
          "publisher.templates", "publisher.share", "publisher.feeds", "publisher.images")


def built(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, BuildOptions]:
    """The site built once by the console command into tmp_path/out, its index in two parts (/first/ and /about/
    in one), with Pagefind's runs noted; and the options of that build."""
    in_parts(site, 1)
    runs = counting_pagefind(tmp_path, monkeypatch)
    options = BuildOptions(config=site / "publisher.toml", output=tmp_path / "out")
    console(options)
    assert len(runs.read_text().splitlines()) == 2
    return runs, options


def console(options: BuildOptions, *, before: str = "") -> subprocess.CompletedProcess[str]:
    """`publisher build` as the console command runs it (`python -m publisher`), `before` run first in its
    process."""
    argv = ["publisher", "build", "--config", str(options.config), "--output", str(options.output)]
    code = f"import sys\nsys.argv = {argv!r}\n{before}\nfrom publisher.commands.entry import console\nconsole()\n"
    env = {**os.environ, "SOURCE_DATE_EPOCH": FIXED_EPOCH, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], check=False, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done


def clean_index(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """The search index a clean build of the site makes."""
    return index_in(build(BuildOptions(config=site / "publisher.toml", output=tmp_path / "clean", use_cache=False,
                                       now=NOW)).output_dir)


def edit(site: Path, name: str = "first") -> None:
    post = site / "content" / "posts" / f"{name}.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")


def test_the_console_command_starts_pagefind_before_it_loads_the_build(site_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """At 10,000 posts the build's modules take 0.4 s to import, and Pagefind's run on the edited page's part is
    the last step to end: it starts first, with none of them loaded, and its bundle is the index's."""
    runs, options = built(site_dir, tmp_path, monkeypatch)
    edit(site_dir)
    log = tmp_path / "order"
    noting = f"""
log = open({str(log)!r}, "a")
import importlib.abc
class Noting(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "publisher.build.pipeline":
            log.write("build loaded\\n"); log.flush()
sys.meta_path.insert(0, Noting())
from publisher.pages.search import IndexAhead
real = IndexAhead.waiting.__func__
def waiting(cls, *args):
    started = real(cls, *args)
    loaded = sorted(name for name in sys.modules if name.startswith({STAGES!r}))
    log.write(f"pagefind started on {{sorted(started.awaited()) if started else None}}, loaded {{loaded}}\\n")
    log.flush()
    return started
IndexAhead.waiting = classmethod(waiting)
"""
    console(options, before=noting)
    assert log.read_text().splitlines() == ["pagefind started on ['first/index.html'], loaded []", "build loaded"]
    made = runs.read_text().splitlines()[2:]
    assert len(made) == 1 and "publisher-search-ahead-" in made[0]  # not run again at the end: its bundle was right
    assert index_in(tmp_path / "out") == clean_index(site_dir, tmp_path)


def test_a_build_leaves_the_record_its_next_starts_pagefind_by(site_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _, options = built(site_dir, tmp_path, monkeypatch)
    folder = options.cache_folder()
    assert folder is not None
    launch = Launch.from_json(launch_path(folder, tmp_path / "out").read_bytes())
    assert launch is not None and launch.shard_size == 1
    assert launch.pages == {"content/posts/first.md": "first/index.html", "content/posts/second.md":
                            "second/index.html", "content/pages/about.md": "about/index.html"}
    assert str((site_dir / "publisher.toml").resolve()) in launch.settings
    assert EarlyIndex.start(options).run is None  # nothing changed since


@pytest.mark.parametrize("record", [
    b"\x00\xff\xfe not JSON",
    b"[" * 100_000,  # nesting past the decoder's depth
    b'{"format": 1}',
    b"[]",
], ids=["binary", "nested", "fields missing", "not an object"])
def test_a_record_not_as_written_starts_nothing(site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               record: bytes) -> None:
    _, options = built(site_dir, tmp_path, monkeypatch)
    assert_starts_nothing_with(options, site_dir, tmp_path, lambda _: record)


@pytest.mark.parametrize("change", [
    {"pages": {"content/posts/first.md": "../../{outside}"}},  # beside the scratch folder Pagefind reads
    {"pages": {"content/posts/first.md": "{tmp}/{outside}"}},
    {"pages": {"../content/posts/first.md": "first/index.html"}},
    {"pages": {"content/posts/first.md": 7}},
    {"shard_size": 0},
    {"shard_size": "1"},
    {"settings": [3]},
    {"version": "0.0.0"},
    {"format": 2},
], ids=["page climbing out", "page absolute", "source climbing out", "page not a path", "no part size",
        "part size a string", "setting not a path", "another version", "another format"])
def test_a_record_saying_what_no_build_writes_starts_nothing(site_dir: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             change: dict[str, object]) -> None:
    """A hostile record, say: nothing is made or read where it points."""
    _, options = built(site_dir, tmp_path, monkeypatch)
    outside = f"outside-{tmp_path.name}.html"
    hostile = json.loads(json.dumps(change).replace("{tmp}", str(tmp_path)).replace("{outside}", outside))
    assert_starts_nothing_with(options, site_dir, tmp_path, lambda kept: json.dumps({**json.loads(kept),
                                                                                     **hostile}).encode())
    places = (tmp_path, Path(tempfile.gettempdir()), search.MEMORY_FOLDER)  # the scratch folder's, and beside
    assert not [place / outside for place in places if (place / outside).exists()]


def assert_starts_nothing_with(options: BuildOptions, site: Path, tmp_path: Path,
                               record: Callable[[bytes], bytes]) -> None:
    """With the record `record` makes of the kept one in its place (as of when it was left), an edit starts no
    Pagefind early, where the kept record does; the build is right, and leaves a record as it writes them."""
    folder = options.cache_folder()
    assert folder is not None
    path = launch_path(folder, tmp_path / "out")
    kept, left = path.read_bytes(), path.stat().st_mtime_ns
    edit(site)
    early = EarlyIndex.start(options)
    assert early.run is not None  # as kept: started
    early.close()
    path.write_bytes(record(kept))
    os.utime(path, ns=(left, left))
    early = EarlyIndex.start(options)
    assert early.run is None
    report = build_if_changed(BuildOptions(config=options.config, output=options.output, now=NOW), early=early)
    assert index_in(report.output_dir) == clean_index(site, tmp_path)
    assert Launch.from_json(path.read_bytes()) is not None


def test_settings_or_theme_changed_since_start_nothing(site_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page changes with them: a part started on the others as the output holds them would be made for
    nothing."""
    extra = site_dir / "themes" / "default" / "static" / "extra.txt"  # the site's own theme folder
    extra.parent.mkdir(parents=True)
    extra.write_text("one", encoding="utf-8")
    _, options = built(site_dir, tmp_path, monkeypatch)
    edit(site_dir)
    started = EarlyIndex.start(options)
    assert started.run is not None
    started.close()
    extra.write_text("two", encoding="utf-8")
    assert EarlyIndex.start(options).run is None
    console(options)
    edit(site_dir)
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("Test Hub", "Test Hub Renamed", 1), encoding="utf-8")
    assert EarlyIndex.start(options).run is None


def test_an_early_run_given_to_a_build_that_fails_is_ended(site_dir: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings that do not read, found once Pagefind was started: it is not left waiting for a page."""
    _, options = built(site_dir, tmp_path, monkeypatch)
    edit(site_dir)
    early = EarlyIndex.start(options)
    assert early.run is not None
    runs, scratch = list(early.run.runs), Path(early.run.scratch.name)
    (site_dir / "publisher.toml").write_text("[site\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build_if_changed(options, early=early)
    assert all(each.process.poll() is not None for each in runs) and not scratch.exists()


def test_only_a_build_command_line_starts_pagefind_early(capsys: pytest.CaptureFixture[str]) -> None:
    """Any other command, or a build's command line the command does not take, is left to the commands to run
    or to say what is wrong, as they would have."""
    for argv in ([], ["serve"], ["--version"], ["build", "--no-such-option"], ["build", "--help"], ["build", "x"]):
        assert index_early(argv) is None
    assert capsys.readouterr() == ("", "")


def test_a_build_of_its_own_starts_pagefind_before_it_reads_its_model(site_dir: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A build called without an early run (not from the console command) starts one itself."""
    runs, options = built(site_dir, tmp_path, monkeypatch)
    edit(site_dir, "second")
    report = build(BuildOptions(config=options.config, output=options.output, now=NOW))
    made = runs.read_text().splitlines()[2:]
    assert len(made) == 1 and "publisher-search-ahead-" in made[0]
    assert index_in(report.output_dir) == clean_index(site_dir, tmp_path)


def test_a_store_whose_page_facts_name_a_path_climbing_out_starts_nothing(site_dir: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The index's page facts, kept in the store, name the pages of a part: one that climbs out of the output
    folder would be read from there and copied to where it climbs from Pagefind's scratch folder."""
    _, options = built(site_dir, tmp_path, monkeypatch)
    store = next((site_dir / ".publisher-cache").glob("search-*"))
    facts = json.loads((store / "pages.json").read_bytes())
    record = facts["pages"]["first/index.html"]
    pages = {path: (bool(kept[4]), kept[5]) for path, kept in facts["pages"].items()}
    climbing = next(path for path in (f"../../{tmp_path.name}/victim-{n}.html" for n in range(1000))  # from the
                    if in_one_part(pages, path, "first/index.html"))  # output folder, and from the scratch copy's
    (tmp_path / climbing.rsplit("/", 1)[1]).write_text("<p>Not a page of the site.</p>", encoding="utf-8")
    facts["pages"][climbing] = record
    (store / "pages.json").write_text(json.dumps(facts), encoding="utf-8")
    edit(site_dir)
    early = EarlyIndex.start(options)
    assert early.run is None
    places = (Path(tempfile.gettempdir()), search.MEMORY_FOLDER)  # where scratch folders are made
    assert not [place / tmp_path.name for place in places if (place / tmp_path.name).exists()]


def in_one_part(pages: dict[str, tuple[bool, str]], path: str, other: str) -> bool:
    """Whether the index split in parts of one page puts the page at `path`, added, in the part of `other`."""
    facts = {**pages, path: pages[other]}
    return any(path in part and other in part for _, part in search.split_pages(search.indexed_pages(facts), 1))


def test_an_early_run_left_unclosed_ends_with_its_process(site_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that exits with an early run never closed (an error before the build took it over): Pagefind is
    ended with it, not left waiting for good for a page whose named pipe went with the scratch folder."""
    _, options = built(site_dir, tmp_path, monkeypatch)
    edit(site_dir)
    code = ("from pathlib import Path\nfrom publisher.build.launch import EarlyIndex\n"
            "from publisher.build.options import BuildOptions\n"
            f"early = EarlyIndex.start(BuildOptions(config=Path({str(options.config)!r}), "
            f"output=Path({str(options.output)!r})))\n"
            "pids = [run.process.pid for run in early.run.runs]\n"
            "print(*pids)\n"
            f"import tests.unit.test_launch as here\nhere.until_opening_a_pipe(pids)\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True,
                          timeout=60)
    pids = [int(pid) for pid in done.stdout.split()]
    assert pids
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(pid) for pid in pids):
            time.sleep(0.1)
        assert not any(alive(pid) for pid in pids), "Pagefind still waits for a page of a process that is gone"
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def until_opening_a_pipe(pids: list[int]) -> None:
    """Until each of these Pagefinds waits to open a named pipe (a thread of it in `wait_for_partner`), 10 s at
    most: it has read the other pages then."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(
            "wait_for_partner" in "".join(path.read_text() for path in Path(f"/proc/{pid}/task").glob("*/wchan"))
            for pid in pids):
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended and not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
