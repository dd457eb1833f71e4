import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from publisher.commands.cli import main


def test_every_verb_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for verb in ([], ["build"], ["init"], ["new"]):
        with pytest.raises(SystemExit) as info:
            main([*verb, "--help"])
        assert info.value.code == 0
        assert "usage: publisher" in capsys.readouterr().out


def test_init_then_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "hub"), "--title", "Acme: the \"Hub\"", "--url", "https://acme.example/"]) == 0
    files = {p.relative_to(tmp_path / "hub").as_posix() for p in (tmp_path / "hub").rglob("*") if p.is_file()}
    assert {"publisher.toml", "content/posts/welcome.md", "content/ctas/newsletter.md",
            ".github/workflows/publish.yml", ".gitignore"} <= files
    workflow = (tmp_path / "hub" / ".github/workflows/publish.yml").read_text()
    assert "schedule:" in workflow and "actions/deploy-pages" in workflow
    assert "${{ steps.pages.outputs.base_url }}" in workflow
    monkeypatch.chdir(tmp_path / "hub")
    assert main(["build", "--strict"]) == 0
    assert "<title>Acme: the &#34;Hub&#34;</title>" in (tmp_path / "hub" / "output" / "index.html").read_text()
    assert "✓ Built 1 post and 1 page" in capsys.readouterr().err


def test_summary_lines_count_one_thing_in_the_singular(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A new site with one draft: every count of one reads as one ("1 draft", "0 errors"), none as "draft(s)"."""
    assert main(["init", str(tmp_path / "hub")]) == 0
    monkeypatch.chdir(tmp_path / "hub")
    assert main(["new", "A first draft"]) == 0
    assert main(["build"]) == 0
    built = capsys.readouterr().err
    assert "left out: 1 draft (--drafts)" in built
    assert main(["check"]) == 0
    checked = capsys.readouterr().err
    assert "0 errors, 0 warnings" in checked
    assert "(s)" not in built + checked


def test_init_keeps_any_title_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    title = "Tom's \"Notes\" \\ & Co: ünïcode"
    assert main(["init", str(tmp_path / "hub"), "--title", title]) == 0
    monkeypatch.chdir(tmp_path / "hub")
    assert main(["build", "--strict"]) == 0
    from publisher.config.reader import load_config
    assert load_config(tmp_path / "hub" / "publisher.toml")[0].title == title


def test_init_shows_a_title_of_template_code_and_markdown_as_written(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The welcome post names the site: `{{ journal }}` there was an unknown shortcode, `*x*` emphasis."""
    assert main(["init", str(tmp_path / "hub"), "--title", "Acme {{ journal }} *x* <b>"]) == 0
    monkeypatch.chdir(tmp_path / "hub")
    assert main(["build", "--strict"]) == 0
    welcome = next((tmp_path / "hub" / "output").glob("welcome*/index.html")).read_text(encoding="utf-8")
    assert "first post of <strong>Acme {{ journal }} *x* &lt;b&gt;</strong>" in welcome


@pytest.mark.parametrize(("options", "said"), [
    (["--url", 'https://a.example/"\ntheme = "x'], 'must be a URL without spaces, quotes or <>\\^`{|}'),
    (["--url", "not a url"], "must be an absolute http(s) URL, not 'not a url'"),
    (["--title", " "], "--title: the site's title is empty"),
])
def test_init_refuses_what_would_make_a_broken_or_rewritten_site(tmp_path: Path, options: list[str], said: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A URL with a quote and a line break wrote a `theme = "x"` line of its own into publisher.toml."""
    assert main(["init", str(tmp_path / "hub"), *options]) == 1
    assert said in capsys.readouterr().err
    assert not (tmp_path / "hub").exists()


def test_errors_name_files_from_where_the_user_is(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (site_dir / "content" / "posts" / "bad.md").write_text("---\ntitle: [x\n---\n")
    monkeypatch.chdir(site_dir.parent)
    assert main(["build", "--config", "site/publisher.toml"]) == 1
    assert capsys.readouterr().err.startswith("site/content/posts/bad.md:2: front matter:")


def test_init_refuses_a_folder_with_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["init", str(tmp_path)]) == 1
    assert "not an empty folder" in capsys.readouterr().err


def test_new_gives_unique_slugs_and_a_buildable_post(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    main(["init", str(tmp_path / "hub")])
    monkeypatch.chdir(tmp_path / "hub")
    capsys.readouterr()
    assert main(["new", 'Ten "rules": for writing']) == 0
    assert main(["new", 'Ten "rules": for writing']) == 0
    paths = capsys.readouterr().out.split()
    assert paths == [str(Path("content/posts/ten-rules-for-writing.md")),
                     str(Path("content/posts/ten-rules-for-writing-2.md"))]
    assert main(["build", "--drafts"]) == 0
    page = (tmp_path / "hub" / "output/ten-rules-for-writing/index.html").read_text()
    assert "<h1>Ten &#34;rules&#34;: for writing</h1>" in page


def test_new_never_takes_the_url_of_a_page_a_slug_or_the_site_s_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """On a new hub, `publisher new "About"` wrote content/posts/about.md: /about/ was the about page's, and the
    next build (drafts left out too) failed; so did a title that is another post's `slug:` or `Tags`."""
    main(["init", str(tmp_path / "hub")])
    monkeypatch.chdir(tmp_path / "hub")
    Path("content/posts/2025-03-01-notes.md").write_text("---\ntitle: Notes\nslug: Why-We-Write\n---\nHi.\n")
    capsys.readouterr()
    for title in ("About", "Why we write", "Tags", "Notes"):
        assert main(["new", title]) == 0
    assert capsys.readouterr().out.split() == [str(Path("content/posts", name)) for name in (
        "about-2.md", "why-we-write-2.md", "tags-2.md", "notes-2.md")]
    assert main(["build"]) == 0
    assert main(["build", "--drafts"]) == 0


def test_new_with_a_title_of_many_lines_or_of_nothing_or_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A title of several lines was written into front matter that did not read (`---` inside it ended it); one of
    bytes that are not UTF-8 left an empty post behind and a traceback; an empty one made a post that did not build;
    a long one, a file name too long to write."""
    main(["init", str(tmp_path / "hub"), "--title", "Hub\non two lines"])
    monkeypatch.chdir(tmp_path / "hub")
    capsys.readouterr()
    assert main(["new", "line one\nline two\n---\ndraft: false"]) == 0
    assert main(["new", "words " * 300]) == 0
    paths = capsys.readouterr().out.split()
    assert paths[0] == str(Path("content/posts/line-one-line-two-draft-false.md"))
    assert len(Path(paths[1]).stem) == 80
    for title in ("   ", "bad \udcff title"):  # what Python makes of the byte 0xff on a UTF-8 command line
        assert main(["new", title]) == 1
        assert "Traceback" not in capsys.readouterr().err
    assert main(["build", "--drafts"]) == 0  # the site's title of two lines too (the calendar wrote it raw)
    page = (tmp_path / "hub" / "output" / "line-one-line-two-draft-false" / "index.html").read_text()
    assert "<h1>line one line two --- draft: false</h1>" in page
    assert sorted(p.name for p in (tmp_path / "hub" / "content" / "posts").iterdir()) == sorted(
        ["welcome.md", Path(paths[0]).name, Path(paths[1]).name])  # nothing left behind by the refused ones


def test_a_command_that_builds_nothing_does_not_say_a_build_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "A title", "--config", "nope.toml"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "✗ publisher new failed: 1 problem; nothing was written."


def test_missing_config_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "publisher.toml: config: file not found (run `publisher init DIR` to start a site)"
    assert "Traceback" not in err


def test_output_flag(site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site_dir)
    assert main(["build", "--output", str(tmp_path / "elsewhere")]) == 0
    assert (tmp_path / "elsewhere" / "index.html").exists()
    assert not (site_dir / "output").exists()


def test_while_a_command_runs_sigterm_still_ends_a_forked_worker_at_once() -> None:
    """`multiprocessing` ends its workers with SIGTERM (a pool's `terminate`): a worker forked while a command runs
    must die of it, not stop as the command does (a pool of card drawers once hung so, a worker holding its
    queue's lock)."""
    import multiprocessing
    import time

    from publisher.commands.exits import stopped_on_terminate

    with stopped_on_terminate():
        worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
        worker.start()
        time.sleep(0.2)  # in its sleep
        worker.terminate()
        worker.join(timeout=10)
    assert worker.exitcode == -signal.SIGTERM


def test_sigterm_stops_a_command_as_ctrl_c_does_and_the_handler_before_comes_back() -> None:
    import time

    from publisher.commands.exits import Terminated, stopped_on_terminate

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated), stopped_on_terminate():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(10)  # ended by the handler's exception at once
    assert issubclass(Terminated, KeyboardInterrupt)
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize(("stop", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "kill"])
def test_a_stop_that_falls_in_a_finaliser_still_stops_the_command(stop: signal.Signals, code: int) -> None:
    """Python cannot raise a stop whose handler runs inside a `__del__` (the regex module's, as a build dropped a
    pattern): it printed "Exception ignored in …" and a traceback, and a Ctrl-C'd build went on to wait for a
    Pagefind run of a minute. The stop is sent again, and the command ends as at any other point."""
    program = f"""
import signal, sys, time
from publisher.commands.exits import exit_code, stopped_on_terminate

class Dropped:
    def __del__(self):
        signal.raise_signal({int(stop)})  # its handler runs here, inside the finaliser

with stopped_on_terminate():
    try:
        Dropped()
        time.sleep(30)
    except KeyboardInterrupt as stopped:
        sys.exit(exit_code(stopped))
print("not stopped")
"""
    ended = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=20, check=False)
    assert (ended.returncode, ended.stdout, ended.stderr) == (code, "", "")


def test_other_errors_a_finaliser_drops_are_still_reported() -> None:
    program = """
from publisher.commands.exits import stopped_on_terminate

class Broken:
    def __del__(self):
        raise ValueError("a finaliser's own fault")

with stopped_on_terminate():
    Broken()
"""
    ended = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=20, check=False)
    assert ended.returncode == 0 and "ValueError: a finaliser's own fault" in ended.stderr, ended.stderr


def test_the_command_starts_without_the_libraries_only_some_commands_need() -> None:
    """Every command loads the build's stages first (about 0.25 s). What only some need waits until it is
    needed, about 0.03 s less for every command:
    - urllib's HTTP client and ssl (`publisher ping`);
    - rich's progress bar (a build that runs longer than a moment, on a terminal);
    - feedgen and lxml (a feed written anew: most rebuilds keep every feed);
    - imagesize (a site with images)."""
    later = ("urllib.request", "http.client", "ssl", "rich.progress", "feedgen", "lxml", "imagesize")
    code = f"import sys, publisher.commands.cli; print([name for name in {later!r} if name in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


# A class whose making takes the signal: its `__set_name__` sends it, and the handler's interrupt is raised there,
# as when a stop lands while a module's dataclasses are made (Python 3.11 wraps it in a RuntimeError).
TRIP = '''
import importlib.abc, importlib.util, os, signal, sys, time

class Trip:
    def __set_name__(self, owner, name):
        os.kill(os.getpid(), signal.{signal})
        time.sleep(10)

def tripping(*args):
    class Model:
        field = Trip()
    return 0
'''
WHILE_LOADING = TRIP + '''
class Loader(importlib.abc.Loader):
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        tripping()

class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        return importlib.util.spec_from_loader(name, Loader()) if name == "publisher.commands.cli" else None

sys.meta_path.insert(0, Finder())
sys.argv = ["publisher", "engines"]
from publisher.commands.entry import console
console()
'''
WHILE_RUNNING = TRIP + '''
from publisher.commands import cli
cli._run_engines = tripping
sys.exit(cli.main(["engines"]))
'''


@pytest.mark.parametrize(("stop", "code"), [("SIGINT", 130), ("SIGTERM", 143)], ids=["ctrl-c", "kill"])
@pytest.mark.parametrize("when", ["loading", "running"])
def test_a_stop_that_lands_while_python_makes_a_class_ends_the_command_quietly(when: str, stop: str,
                                                                               code: int) -> None:
    script = (WHILE_LOADING if when == "loading" else WHILE_RUNNING).replace("{signal}", stop)
    done = subprocess.run([sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=60)
    assert done.returncode == code and "Traceback" not in done.stderr, done.stderr


@pytest.mark.parametrize("broken", ['[share]\npost_to = ["x", "nosuch"]\n',  # the settings fail
                                    '[share.networks.x]\ntemplate = "{title}"\n'])  # the share plan fails
def test_a_failed_build_shows_the_warnings_found_before_it_stopped(broken: str, site_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt setting is often why a value went wrong: its warning comes with the errors, whether the settings
    failed or a later stage did, in `build` and in `check` (as a warning finding), not only once the site builds."""
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[funnel]\nstagez = 3\n" + broken, encoding="utf-8")
    monkeypatch.chdir(site_dir)
    assert main(["build"]) == 1
    lines = capsys.readouterr().err.splitlines()
    warning = next(line for line in lines if line.startswith("warning: publisher.toml:"))
    assert "funnel.stagez: unknown setting" in warning
    assert lines.index(warning) < next(n for n, line in enumerate(lines) if line.startswith("✗ Build failed"))
    assert main(["check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["warnings"] >= 1 and any(finding["field"] == "funnel.stagez" for finding in report["findings"]
                                           if finding["severity"] == "warning")


def test_a_reader_that_goes_away_ends_the_command_quietly(site_dir: Path) -> None:
    """`publisher share POST --json | head -1`: the reader closes the pipe early; the command ends as a closed pipe
    ends a command (141), saying nothing, not `error: : Broken pipe` nor Python's exception at exit."""
    command = [sys.executable, "-m", "publisher", "share", "content/posts/first.md", "--json"]
    with subprocess.Popen(command, cwd=site_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        said = process.stderr.read().decode()
    assert (process.returncode, said) == (141, "")


CRASH = '''
import sys
from publisher.commands import check

def crash(*args, **kwargs):
    raise RuntimeError("boom")

check.check_site = crash
sys.argv = ["publisher", "check"]
from publisher.commands.entry import console
console()
'''


def test_a_crash_of_publisher_exits_2_apart_from_the_site_s_problems(site_dir: Path) -> None:
    """A bug of publisher's ended the command with Python's exit code 1, the code of a site with a broken link, so a
    CI job could not tell "fix the site" from "publisher failed"; it is 2 now (as ruff and ESLint say so), the
    traceback kept for the report."""
    found = subprocess.run([sys.executable, "-m", "publisher", "check"], cwd=site_dir, check=False,
                           capture_output=True, text=True, timeout=120)
    assert found.returncode == 1, found.stderr  # the good site's second post has a missing image
    crashed = subprocess.run([sys.executable, "-c", CRASH], cwd=site_dir, check=False, capture_output=True,
                             text=True, timeout=120)
    assert crashed.returncode == 2
    assert "Traceback" in crashed.stderr and "RuntimeError: boom" in crashed.stderr
    assert crashed.stderr.splitlines()[-1].startswith("publisher ") and "crashed (exit 2)" in crashed.stderr


def test_publisher_share_says_pinterests_bulk_upload_file_gives_times_in_utc(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Pinterest reads its bulk upload's Publish date as UTC, so its file is written in UTC, not in the zone the
    other schedulers' files are: the line that names that zone says so."""
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[share.networks.pinterest]\nboard = "Tips"\n',
                      encoding="utf-8")
    monkeypatch.chdir(site_dir)
    assert main(["share", "content/posts/first.md"]) == 0
    said = capsys.readouterr().out
    assert "(the site's time zone). Pinterest's own (share/pinterest/) give them in UTC" in said


def test_publisher_share_of_a_file_that_is_not_there_says_so(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt post's name was told it is "not a post (only files under content/posts/ are shared)", though it
    was under content/posts/: the file is not there, and that is what is said."""
    monkeypatch.chdir(site_dir)
    assert main(["share", "content/posts/frist.md"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == ("error: content/posts/frist.md: no such file (a post is a Markdown file under "
                           "content/posts/)")
    assert main(["share", "content/pages/about.md"]) == 1  # a file that is there, but no post
    assert "content/pages/about.md: not a post" in capsys.readouterr().err


def test_a_page_and_an_image_where_the_build_reads_none_are_warned_of(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """`content/contact.md`, as Hugo places a page, built no page, and `content/posts/photo.jpg` beside the post
    that shows it was not published: the build said nothing of either."""
    (site_dir / "content" / "contact.md").write_text("---\ntitle: Contact\n---\n\nMail us.\n", encoding="utf-8")
    (site_dir / "content" / "posts" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    monkeypatch.chdir(site_dir)
    assert main(["build"]) == 0
    err = capsys.readouterr().err
    assert "warning: content/contact.md: file: is not read: sources are read from content/ctas/" in err
    assert ("warning: content/posts/photo.jpg: file: is not published: only Markdown is read from content/ (move it "
            "to static/, as static/photo.jpg, which a post shows as /photo.jpg or photo.jpg)") in err
    assert main(["build", "--strict"]) == 1


def test_a_slug_written_as_words_builds_at_its_slugified_url_and_says_so(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """`slug: My Post`, which Jekyll (`Utils.slugify`) and Hugo (`urlize`) publish at `my-post`, failed the build
    ("is not a safe URL segment"); it builds there now, with a warning at its line that names the URL, and
    `publisher new "My post"` does not take that URL."""
    (site_dir / "content/posts/2026-01-05-kickoff.md").write_text(
        "---\ntitle: Kickoff\nslug: My Post!\n---\n\nHello.\n", encoding="utf-8")
    monkeypatch.chdir(site_dir)
    assert main(["build"]) == 0
    assert "Hello." in (site_dir / "output/my-post/index.html").read_text(encoding="utf-8")
    assert ("warning: content/posts/2026-01-05-kickoff.md:3: slug: 'My Post!' is no URL segment: made 'my-post', "
            "so the post is at /my-post/ (write slug: my-post to keep this quiet)") in capsys.readouterr().err
    assert main(["new", "My post"]) == 0
    assert capsys.readouterr().out.split() == [str(Path("content/posts/my-post-2.md"))]
