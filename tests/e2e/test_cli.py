"""The `publisher` console script of this environment, run as a subprocess the
way a user types it: init and build, `new`, one-line errors that leave the
previous site alone, and rebuilds that rewrite nothing."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import SlowPagefind
from .support import REPO, describe, file_hashes, file_identities, run, user_env

pytestmark = pytest.mark.e2e

TITLE = "Harbour Lights Journal"
PROBLEM_LINE = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.+)$")


@dataclass(frozen=True)
class Hub:
    root: Path
    build: subprocess.CompletedProcess[str]

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def posts(self) -> Path:
        return self.root / "content" / "posts"


@pytest.fixture
def hub(tmp_path: Path, publisher: str) -> Hub:
    """A site made by `publisher init` and built once with `publisher build`."""
    init = run([publisher, "init", "hub", "--title", TITLE], cwd=tmp_path)
    assert init.returncode == 0, describe(init)
    root = tmp_path / "hub"
    build = run([publisher, "build"], cwd=root)
    assert build.returncode == 0, describe(build)
    return Hub(root, build)


def pages_titled(output: Path, title: str) -> list[str]:
    """Pages whose <title> starts with `title`."""
    pattern = re.compile(r"<title>\s*" + re.escape(title))
    return sorted(p.relative_to(output).as_posix() for p in output.rglob("index.html")
                  if pattern.search(p.read_text(encoding="utf-8")))


def test_init_then_build_gives_a_home_page_and_a_post(hub: Hub) -> None:
    for created in ("publisher.toml", "content/posts/welcome.md", "content/pages/about.md"):
        assert (hub.root / created).is_file(), f"init did not create {created}"
    assert list((hub.root / "content" / "ctas").glob("*.md")), "init did not create a CTA"
    assert list((hub.root / ".github" / "workflows").glob("*.yml")), "init did not create a workflow"

    assert "Traceback" not in hub.build.stderr
    assert "Built" in hub.build.stderr, describe(hub.build)
    home = (hub.output / "index.html").read_text(encoding="utf-8")
    post = (hub.output / "welcome" / "index.html").read_text(encoding="utf-8")
    assert TITLE in home and TITLE in post
    assert re.search(r'href="[^"]*/welcome/"', home), "the home page does not link to the welcome post"


def test_the_starter_site_builds_without_warnings(hub: Hub, publisher: str) -> None:
    strict = run([publisher, "build", "--strict"], cwd=hub.root)
    assert strict.returncode == 0, describe(strict)
    assert "warning" not in strict.stderr.replace("warnings 0", "")


def test_init_refuses_a_folder_that_is_not_empty(hub: Hub, publisher: str) -> None:
    before = file_hashes(hub.root)
    again = run([publisher, "init", "hub"], cwd=hub.root.parent)
    assert again.returncode == 1, describe(again)
    assert "Traceback" not in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1, describe(again)
    assert file_hashes(hub.root) == before


def test_rebuilding_unchanged_input_rewrites_nothing(hub: Hub, publisher: str) -> None:
    hashes, identities = file_hashes(hub.output), file_identities(hub.output)
    again = run([publisher, "build"], cwd=hub.root)
    assert again.returncode == 0, describe(again)
    assert file_hashes(hub.output) == hashes
    rewritten = sorted(path for path, identity in file_identities(hub.output).items()
                       if identities.get(path) != identity)
    assert rewritten == [], f"an unchanged rebuild rewrote {rewritten}"
    # Skipped outright when the files have settled, else rebuilt without a write.
    assert re.search(r"\b0 written\b|Up to date: ", again.stderr), describe(again)
    uncached = run([publisher, "build", "--no-cache"], cwd=hub.root)  # every page rendered, none rewritten
    assert uncached.returncode == 0, describe(uncached)
    assert re.search(r"\b0 written\b", uncached.stderr), describe(uncached)
    assert file_identities(hub.output) == identities


def test_python_dash_m_builds_prints_its_summary_and_keeps_its_caches_before_it_ends(hub: Hub) -> None:
    # The console command ends the process at once after a build (no last collection, no release of every
    # object): what it prints and every file it keeps must be out by then.
    post = hub.posts / "welcome.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    built = run([sys.executable, "-m", "publisher", "build", "--timings"], cwd=hub.root)
    assert built.returncode == 0 and built.stdout == "", describe(built)
    assert "✓ Built 1 post " in built.stderr and "render and write" in built.stderr, describe(built)
    assert "One more line." in (hub.output / "welcome" / "index.html").read_text(encoding="utf-8")
    kept = {path.name.split("-")[0] for path in (hub.root / ".publisher-cache").iterdir()}
    assert {"model", "bodies", "pages", "search"} <= kept, kept
    again = run([sys.executable, "-m", "publisher", "build"], cwd=hub.root)
    assert again.returncode == 0 and re.search(r"\b0 written\b|Up to date: ", again.stderr), describe(again)


def test_publisher_installed_anew_takes_what_its_last_build_kept(hub: Hub, tmp_path: Path) -> None:
    # CI installs publisher on every run: the same files, with the times of that install. The model the last
    # build kept (its sources read, their bodies, its pages' recipes) is kept under a digest of publisher's code,
    # which must not change with them, or every CI build would read and render every post again.
    installed = tmp_path / "site-packages" / "publisher"
    shutil.copytree(REPO / "publisher", installed, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "themes" / "default", installed / "_themes" / "default")  # where a wheel has it
    env = user_env(PYTHONPATH=str(installed.parent))
    post = hub.posts / "welcome.md"
    salts = []
    for edit in ("One more line.", "And another."):
        post.write_text(post.read_text(encoding="utf-8") + f"\n{edit}\n", encoding="utf-8")
        built = run([sys.executable, "-m", "publisher", "build"], cwd=hub.root, env=env)
        assert built.returncode == 0, describe(built)
        assert edit in (hub.output / "welcome" / "index.html").read_text(encoding="utf-8")
        model = next((hub.root / ".publisher-cache").glob("model-*.json"))
        salts.append(model.read_bytes().split(b"\n", 1)[0])  # the header: the salt it was kept under
        for path in installed.rglob("*"):  # installed again: every file written, a minute later
            state = path.stat()
            os.utime(path, ns=(state.st_atime_ns + 60 * 10**9, state.st_mtime_ns + 60 * 10**9))
    assert salts[0] == salts[1]


def test_broken_front_matter_fails_with_one_line_and_keeps_the_previous_output(hub: Hub, publisher: str) -> None:
    before = file_hashes(hub.output)
    broken = hub.posts / "broken.md"
    broken.write_text("---\ntitle: [unclosed\ndate: 2026-01-01\n---\n\nBody.\n", encoding="utf-8")

    failed = run([publisher, "build"], cwd=hub.root)
    assert failed.returncode == 1, describe(failed)
    assert "Traceback" not in failed.stderr and "Traceback" not in failed.stdout
    lines = failed.stderr.splitlines()
    assert lines and lines[0].startswith("content/posts/broken.md:2: front matter: invalid YAML"), describe(failed)
    assert PROBLEM_LINE.match(lines[0])
    assert [line for line in lines if "broken.md" in line] == [lines[0]], \
        "the problem is reported on more than one line"
    assert file_hashes(hub.output) == before, "a failed build changed the previous output"

    # Fixed (here: removed), the next build succeeds and gives the same site as before.
    broken.unlink()
    fixed = run([publisher, "build"], cwd=hub.root)
    assert fixed.returncode == 0, describe(fixed)
    assert file_hashes(hub.output) == before


def test_new_twice_makes_two_posts(hub: Hub, publisher: str) -> None:
    first = run([publisher, "new", "Some: Title"], cwd=hub.root)
    second = run([publisher, "new", "Some: Title"], cwd=hub.root)
    for result in (first, second):
        assert result.returncode == 0, describe(result)
        assert len(result.stdout.strip().splitlines()) == 1, describe(result)
    paths = [(hub.root / result.stdout.strip()).resolve() for result in (first, second)]
    assert paths[0] != paths[1]
    for path in paths:
        assert path.is_file(), f"`publisher new` printed {path}, which does not exist"
        assert path.parent == hub.posts.resolve() and path.suffix == ".md"
        assert "Some: Title" in path.read_text(encoding="utf-8")

    # Both start as drafts; with --drafts each gets its own page, colon and all.
    published = run([publisher, "build"], cwd=hub.root)
    assert published.returncode == 0, describe(published)
    assert pages_titled(hub.output, "Some: Title") == []
    drafts = run([publisher, "build", "--drafts"], cwd=hub.root)
    assert drafts.returncode == 0, describe(drafts)
    assert len(pages_titled(hub.output, "Some: Title")) == 2, pages_titled(hub.output, "Some: Title")


def test_strict_turns_warnings_into_a_failure(hub: Hub, publisher: str) -> None:
    (hub.posts / "odd.md").write_text("---\ntitle: Odd\ndate: 2026-01-01\ncolour: blue\n---\n\nBody.\n",
                                      encoding="utf-8")
    lenient = run([publisher, "build"], cwd=hub.root)
    assert lenient.returncode == 0, describe(lenient)
    assert "content/posts/odd.md:4: colour:" in lenient.stderr, describe(lenient)
    strict = run([publisher, "build", "--strict"], cwd=hub.root)
    assert strict.returncode == 1, describe(strict)
    assert "content/posts/odd.md:4: colour: unknown field" in strict.stderr


def test_output_into_a_foreign_folder_keeps_files_publisher_did_not_write(hub: Hub, publisher: str,
                                                                           tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    (folder / "drafts").mkdir(parents=True)
    (folder / "notes.txt").write_text("precious\n", encoding="utf-8")
    (folder / "drafts" / "thesis.md").write_text("years of work\n", encoding="utf-8")
    result = run([publisher, "build", "--output", folder], cwd=hub.root)
    assert "Traceback" not in result.stderr
    # Refusing (exit 1) or building next to them are both fine; deleting them is not.
    assert (folder / "notes.txt").is_file() and (folder / "drafts" / "thesis.md").is_file(), describe(result)


def test_builds_are_reproducible_with_source_date_epoch(hub: Hub, publisher: str, tmp_path: Path) -> None:
    env = user_env(SOURCE_DATE_EPOCH="1893456000")
    for name in ("one", "two"):
        result = run([publisher, "build", "--no-cache", "--output", tmp_path / name], cwd=hub.root, env=env)
        assert result.returncode == 0, describe(result)
    assert file_hashes(tmp_path / "one") == file_hashes(tmp_path / "two")


def test_a_source_date_epoch_that_is_not_whole_seconds_is_a_one_line_error_not_the_clock(hub: Hub,
                                                                                         publisher: str) -> None:
    """A CI step that set SOURCE_DATE_EPOCH to a date (`git log --format=%cI`), a fraction or a negative number
    got a build from the clock without a word: not the reproducible build it asked for, and another site on the
    next run. The spec says a build SHOULD stop (https://reproducible-builds.org/specs/source-date-epoch/). A
    value past the year 9999 stopped with `error: Value too large for defined data type`, naming nothing. Empty,
    as `$(git log …)` outside a repository gives, it is still the clock, which the spec leaves to the tool."""
    before = file_hashes(hub.output)
    for value in ("2026-12-07T10:00:00+00:00", "1.7e9", "-1", "99999999999999999"):
        result = run([publisher, "build"], cwd=hub.root, env=user_env(SOURCE_DATE_EPOCH=value))
        assert result.returncode == 1, describe(result)
        said = (f"error: environment: SOURCE_DATE_EPOCH: cannot read '{value}' (expected whole seconds since "
                "1970-01-01 UTC, as `date +%s` or `git log -1 --format=%ct` prints them)")
        assert result.stderr.splitlines() == [said], describe(result)
    assert file_hashes(hub.output) == before
    empty = run([publisher, "build"], cwd=hub.root, env=user_env(SOURCE_DATE_EPOCH=""))
    assert empty.returncode == 0, describe(empty)


def copied_in_reverse(source: Path, target: Path) -> Path:
    """A copy of the site at `source` (its sources only), its files made in the reverse order of their names, so
    a folder lists them in another order (a tmpfs lists the newest first), each with a new modification time."""
    for path in sorted(source.rglob("*"), reverse=True):
        rel = path.relative_to(source)
        if path.is_file() and rel.parts[0] not in ("output", ".publisher-cache", ".publisher"):
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            (target / rel).write_bytes(path.read_bytes())
    return target


@pytest.mark.skipif(os.name == "nt", reason="no umask or Unix modes on Windows")
def test_a_checkout_elsewhere_built_in_another_zone_locale_hash_seed_and_umask_gives_the_same_bytes_and_modes(
        hub: Hub, publisher: str, tmp_path: Path) -> None:
    """What the README promises for a laptop and CI: the same sources give the same output, byte for byte and
    mode for mode, whatever the folder they are in, the order its listing gives, the files' times, the zone
    (`TZ`), locale, hash seed and umask of the shell, and a cache or none."""
    (hub.root / "content" / "posts" / "çay-and-istanbul.md").write_text(
        "---\ntitle: Çay in İstanbul\ndate: 2026-01-01 23:30\ntags: [Çay, İstanbul, \u0131slak]\n---\n\nBody.\n",
        encoding="utf-8")
    here = run([publisher, "build"], cwd=hub.root, env=user_env(SOURCE_DATE_EPOCH="1893456000", TZ="UTC",
                                                                LC_ALL="C.UTF-8", PYTHONHASHSEED="0"))
    assert here.returncode == 0, describe(here)
    elsewhere = copied_in_reverse(hub.root, tmp_path / "a much longer folder, as a CI runner's" / "checkout")
    there = subprocess.run([publisher, "build"], cwd=elsewhere, capture_output=True, text=True, timeout=120,
                           env=user_env(SOURCE_DATE_EPOCH="1893456000", TZ="Pacific/Kiritimati", LC_ALL="C",
                                        PYTHONHASHSEED="4242"), umask=0o077, check=False)
    assert there.returncode == 0, describe(there)
    assert file_hashes(elsewhere / "output") == file_hashes(hub.output)
    assert file_modes(elsewhere / "output") == file_modes(hub.output)
    assert file_hashes(elsewhere / ".publisher") == file_hashes(hub.root / ".publisher")


def file_modes(folder: Path) -> dict[str, str]:
    """The permission bits of every file and folder under `folder` (the folder's own too), by relative path."""
    return {path.relative_to(folder).as_posix(): oct(path.lstat().st_mode & 0o7777)
            for path in [folder, *sorted(folder.rglob("*"))]}


@pytest.mark.skipif(os.name == "nt", reason="no umask or Unix modes on Windows")
def test_a_build_under_a_private_umask_writes_the_same_site_with_modes_a_web_server_can_read(
        hub: Hub, publisher: str) -> None:
    """Under umask 077 (a hardened laptop or CI runner) every page came out 0600 in folders 0700, the cache's
    files too, which are linked into the output: rsync -a or tar carried those modes to the host, whose web
    server (nginx as www-data) answered 403, and the same input gave other modes on a machine of umask 022. A
    static file kept private in the checkout (0600) is published readable too."""
    (hub.root / "static" / "notes.txt").write_text("Open to all.\n", encoding="utf-8")
    (hub.root / "static" / "notes.txt").chmod(0o600)
    shared = run([publisher, "build"], cwd=hub.root)
    assert shared.returncode == 0, describe(shared)
    expected = file_hashes(hub.output)
    shutil.rmtree(hub.output)
    shutil.rmtree(hub.root / ".publisher-cache")  # its files made anew under the private umask, and linked
    private = subprocess.run([publisher, "build"], cwd=hub.root, capture_output=True, text=True, env=user_env(),
                             umask=0o077, timeout=120, check=False)
    assert private.returncode == 0, describe(private)
    assert file_hashes(hub.output) == expected
    modes = file_modes(hub.output)
    assert {path: mode for path, mode in modes.items() if mode != ("0o755" if (hub.output / path).is_dir()
                                                                    else "0o644")} == {}
    assert modes["notes.txt"] == "0o644"


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "kill"])
def test_a_build_stopped_while_pagefind_runs_ends_it_and_leaves_the_output_as_it_was(
        hub: Hub, publisher: str, tmp_path: Path, stop: signal.Signals, code: int) -> None:
    assert_a_build_stopped_while_pagefind_runs_ends_it(hub, publisher, tmp_path, stop, code)


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "kill"])
def test_a_build_stopped_while_its_own_pagefind_run_indexes_ends_it_at_once(
        hub: Hub, publisher: str, tmp_path: Path, stop: signal.Signals, code: int) -> None:
    """A build that starts no Pagefind early (`--no-cache`, a first build, or one whose early run was taken for
    stalled on a loaded machine) runs it once its pages are rendered, in a thread: stopped then, it waited for
    Pagefind to end its work (a fake one, stalled, was even run again), some 30 s, and said nothing meanwhile."""
    assert_a_build_stopped_while_pagefind_runs_ends_it(hub, publisher, tmp_path, stop, code, "--no-cache")


def assert_a_build_stopped_while_pagefind_runs_ends_it(hub: Hub, publisher: str, tmp_path: Path,
                                                       stop: signal.Signals, code: int, *options: str) -> None:
    """`publisher build` with `options`, sent `stop` once Pagefind runs: it ends within seconds with `code`,
    Pagefind ended with it, its scratch copy of the pages gone, the output as it was."""
    before = file_hashes(hub.output)
    pagefind = SlowPagefind.make(tmp_path)
    post = next(hub.posts.glob("*.md"))
    post.write_text(post.read_text(encoding="utf-8") + "\nA line about lighthouses.\n", encoding="utf-8")
    build = subprocess.Popen([publisher, "build", *options], cwd=hub.root, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env=user_env() | {"PAGEFIND_BINARY_PATH": str(pagefind.program)})
    pid, arguments = pagefind.wait_until_running()
    build.send_signal(stop)
    _, said = build.communicate(timeout=15)  # within seconds, where Pagefind would take a minute
    assert build.returncode == code and "Traceback" not in said, said
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended with the build, not left running
    assert not Path(arguments[arguments.index("--site") + 1]).exists()  # its scratch copy of the pages is gone
    assert file_hashes(hub.output) == before


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "kill"])
@pytest.mark.parametrize("how", ["console script", "python -m publisher"])
def test_a_stop_while_publisher_is_still_loading_ends_it_quietly(hub: Hub, publisher: str, how: str,
                                                                 stop: signal.Signals, code: int) -> None:
    # Python reports each module as it finishes importing it (-X importtime); once it reports publisher's errors
    # module, the command is part way through loading its stages (about 0.3 s in all), and the stop falls there.
    starts = [publisher] if how == "console script" else ["-m", "publisher"]
    build = subprocess.Popen([sys.executable, "-X", "importtime", *starts, "build"], cwd=hub.root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=user_env())
    assert build.stderr is not None
    said = []
    for line in build.stderr:
        said.append(line)
        if line.rstrip().endswith("publisher.core.errors"):
            build.send_signal(stop)
            break
    said += build.communicate(timeout=30)[1]
    assert any(line.rstrip().endswith("publisher.core.errors") for line in said), "".join(said)
    assert not any(line.rstrip().endswith("publisher.commands.cli") for line in said), "loaded before the stop"
    assert build.returncode == code and "Traceback" not in "".join(said), "".join(said)
