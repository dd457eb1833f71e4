import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from publisher.core.errors import ContentError
from publisher.core.files import files_in
from publisher.output import writer
from publisher.output.files import OutputFile
from publisher.output.walk import EarlyWalk, Found, walk
from publisher.output.writer import MARKER_NAME, STAGING_NAME, undo_ahead, write_ahead, write_output


def tree(folder: Path) -> dict[str, bytes]:
    """The site's files, without publisher's ownership marker."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MARKER_NAME}


def test_writes_exactly_the_new_site_and_removes_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("index.html", b"home"), OutputFile("old/index.html", b"old")], out)
    stats = write_output([OutputFile("index.html", b"home"), OutputFile("new/index.html", b"new")], out)
    assert tree(out) == {"index.html": b"home", "new/index.html": b"new"}
    assert (stats.written, stats.unchanged, stats.removed) == (1, 1, 1)
    assert not (out / "old").exists()


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("a.html", b"same")], out)
    os.utime(out / "a.html", (1_000_000, 1_000_000))
    write_output([OutputFile("a.html", b"same")], out)
    assert (out / "a.html").stat().st_mtime == 1_000_000


def test_a_failure_while_producing_files_leaves_output_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("index.html", b"v1"), OutputFile("keep.html", b"k")], out)
    before = tree(out)

    def files():
        yield OutputFile("index.html", b"v2")
        raise RuntimeError("template blew up")

    with pytest.raises(RuntimeError):
        write_output(files(), out)
    assert tree(out) == before
    assert not (out / STAGING_NAME).exists()


def test_a_folder_publisher_did_not_build_is_refused_not_emptied(tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    (documents / "drafts").mkdir(parents=True)
    (documents / "drafts" / "thesis.md").write_text("years of work")
    with pytest.raises(ContentError, match="is not empty and was not built by publisher"):
        write_output([OutputFile("index.html", b"home")], documents)
    assert (documents / "drafts" / "thesis.md").read_text() == "years of work"
    assert not (documents / "index.html").exists()


def test_an_empty_or_new_folder_is_claimed(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "new"):
        write_output([OutputFile("index.html", b"home")], folder)
        assert (folder / MARKER_NAME).is_file()
        write_output([OutputFile("index.html", b"v2")], folder)  # its own output is rebuilt freely
        assert tree(folder) == {"index.html": b"v2"}


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b", "a\\..\\b", "", f"{STAGING_NAME}/x",
                                  MARKER_NAME, "a//b.html", "./a.html", "a/./b.html", "a/", "a\0b.html"])
@pytest.mark.parametrize("after_a_write", [False, True], ids=["first write", "with the last write's listing"])
def test_paths_outside_the_output_are_refused(tmp_path: Path, path: str, after_a_write: bool) -> None:
    listed = write_output([OutputFile("index.html", b"home")], tmp_path / "out").listing if after_a_write else None
    with pytest.raises(ContentError):  # a path the last write wrote is not checked again: these never were
        write_output([OutputFile(path, b"x")], tmp_path / "out", listed=listed)
    assert not (tmp_path / "escape.html").exists()


def test_two_files_on_one_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"two files would be written to index\.html"):
        write_output([OutputFile("index.html", b"a"), OutputFile("index.html", b"b")], tmp_path / "out")


@pytest.mark.parametrize("static_first", [True, False], ids=["static file first", "static file last"])
def test_a_static_file_on_a_path_the_build_writes_is_named_as_the_one_to_rename(tmp_path: Path,
                                                                                static_first: bool) -> None:
    """`static/feed.xml` beside the feed was reported as `feed.xml: path: two files would be written to feed.xml`:
    no file of the writer's is named `feed.xml`. The static file is the one they can rename or remove."""
    static = tmp_path / "static" / "feed.xml"
    static.parent.mkdir()
    static.write_text("<rss/>", encoding="utf-8")
    files = [OutputFile("feed.xml", source=Path("static/feed.xml")), OutputFile("feed.xml", b"<rss>made</rss>")]
    with contextlib.chdir(tmp_path), pytest.raises(ContentError) as failed:
        write_output(files if static_first else files[::-1], tmp_path / "out")
    assert str(failed.value) == ("static/feed.xml: path: the build writes a file of its own to feed.xml: rename or "
                                 "remove this one")


@pytest.mark.parametrize("files", [["manifest.json", "manifest.json/index.html"],
                                   ["manifest.json/index.html", "manifest.json"],
                                   ["a/b/c.html", "a/b"], ["a", "a/b/c.html"]])
@pytest.mark.parametrize("after_a_write", [False, True], ids=["first write", "with the last write's listing"])
def test_a_file_where_another_file_needs_a_folder_is_an_error(tmp_path: Path, files: list[str],
                                                              after_a_write: bool) -> None:
    """As a site's build writes (`refuse_files_on_folders`): a post whose slug is the name of a file the site
    writes (`publisher-manifest.json`), in either order. The one written last took the other's place, and the
    build said it succeeded with a page or a file missing."""
    out = tmp_path / "out"
    listed = write_output([OutputFile("index.html", b"home")], out).listing if after_a_write else None
    with pytest.raises(ContentError, match=r"would be a file and the folder of .* too: a disk holds one of the two"):
        write_output([OutputFile("index.html", b"v2"), *(OutputFile(f, b"x") for f in files)], out, listed=listed,
                     refuse_files_on_folders=True)
    assert tree(out) == ({"index.html": b"home"} if after_a_write else {})  # the output left as it was


def test_a_file_larger_than_the_memory_at_hand_is_copied_and_compared_a_block_at_a_time(tmp_path: Path) -> None:
    """A static file was read whole to be written (a 4 GB file took 4 GB of memory): here 300 MB under a limit of
    200 MB of address space, written, left as it is, then written again once one byte changed."""
    big = tmp_path / "big.bin"
    with big.open("wb") as file:
        file.truncate(300 << 20)
    code = ("import resource, sys; from publisher.output.files import OutputFile; "
            "from pathlib import Path; from publisher.output.writer import write_output; "
            "resource.setrlimit(resource.RLIMIT_AS, (200 << 20, 200 << 20)); "
            "stats = write_output([OutputFile('big.bin', source=sys.argv[1])], Path(sys.argv[2])); "
            "print(stats.written, stats.unchanged)")

    def write() -> str:
        done = subprocess.run([sys.executable, "-c", code, str(big), str(tmp_path / "out")], capture_output=True,
                              text=True, check=False, cwd=Path(__file__).resolve().parents[2])
        assert done.returncode == 0, done.stderr[-500:]
        return done.stdout.split()

    assert write() == ["1", "0"]
    assert write() == ["0", "1"]
    with big.open("r+b") as file:
        file.seek(200 << 20)
        file.write(b"x")
    assert write() == ["1", "0"]
    with big.open("rb") as wanted, (tmp_path / "out" / "big.bin").open("rb") as written:
        wanted.seek(200 << 20)
        written.seek(200 << 20)
        assert written.read(1) == wanted.read(1) == b"x"


def test_copied_files_and_a_file_replacing_a_folder(tmp_path: Path) -> None:
    source = tmp_path / "logo.svg"
    source.write_bytes(b"<svg/>")
    out = tmp_path / "out"
    write_output([OutputFile("x/index.html", b"dir")], out)
    write_output([OutputFile("x", b"file"), OutputFile("img/logo.svg", source=source)], out)
    assert tree(out) == {"x": b"file", "img/logo.svg": b"<svg/>"}


def test_a_cache_file_is_linked_into_the_output_not_copied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = tmp_path / "cache" / "card.png"
    cached.parent.mkdir()
    cached.write_bytes(b"\x89PNG drawn once")
    out = tmp_path / "out"
    stats = write_output([OutputFile("social/a.png", source=cached, linked=True)], out)
    assert stats.written == 1 and os.path.samefile(out / "social" / "a.png", cached)
    again = write_output([OutputFile("social/a.png", source=cached, linked=True)], out)
    assert (again.written, again.unchanged) == (0, 1)

    def no_links(source: object, target: object) -> None:
        raise OSError("cross-device link")

    monkeypatch.setattr(os, "link", no_links)  # another file system: the bytes are copied instead
    other = tmp_path / "other"
    write_output([OutputFile("social/a.png", source=cached, linked=True)], other)
    assert (other / "social" / "a.png").read_bytes() == cached.read_bytes()
    assert not os.path.samefile(other / "social" / "a.png", cached)


def test_cache_files_whose_inodes_their_maker_gives_are_told_still_linked_without_a_listing_of_their_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    cache.mkdir()
    for name in ("a", "b"):
        (cache / f"{name}.png").write_bytes(f"card {name}".encode())
    files = [OutputFile(f"social/{name}.png", source=str(cache / f"{name}.png"), linked=True) for name in "ab"]
    write_output(files, out)
    listings: list[str] = []

    def listing(folder: str) -> dict[str, tuple[int, int]]:
        listings.append(str(folder))
        return files_in(folder)

    monkeypatch.setattr(writer, "files_in", listing)
    again = write_output(files, out, walk=EarlyWalk.start(out))  # no inodes given: the writer lists the folder
    assert (again.written, again.unchanged, listings) == (0, 2, [str(cache)])
    listed = files_in(cache)  # as the cards' maker listed the cache
    given = [replace(file, inode=listed[Path(file.path).name]) for file in files]
    told = write_output(given, out, walk=EarlyWalk.start(out))
    assert (told.written, told.unchanged, listings) == (0, 2, [str(cache)])  # no second listing
    assert all(os.path.samefile(out / "social" / f"{name}.png", cache / f"{name}.png") for name in "ab")


def test_a_cache_file_made_again_with_the_same_bytes_leaves_the_output_file_alone(tmp_path: Path) -> None:
    first, again = tmp_path / "cache" / "1" / "en_1.pf_fragment", tmp_path / "cache" / "2" / "en_1.pf_fragment"
    for made in (first, again):
        made.parent.mkdir(parents=True)
        made.write_bytes(b"fragment")
    changed = tmp_path / "cache" / "2" / "en_2.pf_fragment"
    changed.write_bytes(b"other")
    out = tmp_path / "out"
    write_output([OutputFile("pagefind/en_1.pf_fragment", source=first, linked=True),
                  OutputFile("pagefind/en_2.pf_fragment", b"before")], out)
    held = os.stat(out / "pagefind" / "en_1.pf_fragment")
    stats = write_output([OutputFile("pagefind/en_1.pf_fragment", source=again, linked=True),
                          OutputFile("pagefind/en_2.pf_fragment", source=changed, linked=True)], out)
    assert (stats.written, stats.unchanged) == (1, 1)
    kept = os.stat(out / "pagefind" / "en_1.pf_fragment")
    assert (kept.st_ino, kept.st_mtime_ns) == (held.st_ino, held.st_mtime_ns)  # not replaced
    assert os.path.samefile(out / "pagefind" / "en_2.pf_fragment", changed)
    # the cache file made again is now the output's file: the next write tells them the same by their inode
    assert os.path.samefile(again, out / "pagefind" / "en_1.pf_fragment") and again.read_bytes() == b"fragment"
    assert sorted(p.name for p in again.parent.iterdir()) == ["en_1.pf_fragment", "en_2.pf_fragment"]
    (out / "pagefind" / "en_1.pf_fragment").unlink()  # a link in its place, to the same bytes: replaced
    (out / "pagefind" / "en_1.pf_fragment").symlink_to(again)
    write_output([OutputFile("pagefind/en_1.pf_fragment", source=again, linked=True)], out)
    assert not (out / "pagefind" / "en_1.pf_fragment").is_symlink()


def test_an_output_on_another_file_system_holds_copies_and_leaves_the_cache_as_it_is(tmp_path: Path) -> None:
    memory = Path("/dev/shm")
    if not memory.is_dir() or os.stat(memory).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs /dev/shm on a file system of its own")
    first, again = tmp_path / "cache" / "1" / "en_1.pf_fragment", tmp_path / "cache" / "2" / "en_1.pf_fragment"
    for made in (first, again):
        made.parent.mkdir(parents=True)
        made.write_bytes(b"fragment")
    with tempfile.TemporaryDirectory(dir=memory) as elsewhere:
        out = Path(elsewhere) / "out"
        write_output([OutputFile("pagefind/en_1.pf_fragment", source=first, linked=True)], out)
        held, kept = os.stat(out / "pagefind" / "en_1.pf_fragment"), os.stat(again)
        stats = write_output([OutputFile("pagefind/en_1.pf_fragment", source=again, linked=True)], out)
        assert (stats.written, stats.unchanged) == (0, 1)
        assert os.stat(out / "pagefind" / "en_1.pf_fragment").st_ino == held.st_ino  # a copy, left as it is
        assert os.stat(again).st_ino == kept.st_ino and again.read_bytes() == b"fragment"  # no link across


def test_a_write_tells_the_state_of_every_file_it_left_unless_one_is_a_link(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("a/index.html", b"a"), OutputFile("b.txt", b"b"), OutputFile("old.txt", b"old")], out)
    stats = write_output([OutputFile("a/index.html", b"a2"), OutputFile("b.txt", keep=True),
                          OutputFile("pagefind/x.pf", b"x")], out)
    left = {path for path in out.rglob("*") if path.is_file()}
    assert stats.found is not None and set(stats.found) == {str(path) for path in left}  # old.txt removed
    for path in left:
        found = os.stat(path)
        assert stats.found[str(path)] == (found.st_size, found.st_ino, found.st_mtime_ns, found.st_ctime_ns)
    (out / "b.txt").unlink()
    (out / "b.txt").symlink_to(out / "pagefind" / "x.pf")  # a kept file that is a link: its state is its target's
    assert write_output([OutputFile("a/index.html", b"a2"), OutputFile("b.txt", keep=True),
                         OutputFile("pagefind/x.pf", b"x")], out).found is None


def test_a_kept_file_that_is_gone_by_the_write_is_reported_not_left_missing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("a/index.html", b"a"), OutputFile("b.txt", b"b")], out)
    stats = write_output([OutputFile("a/index.html", keep=True), OutputFile("b.txt", b"b2")], out)
    assert (stats.written, stats.unchanged) == (1, 1) and (out / "a" / "index.html").read_bytes() == b"a"
    (out / "a" / "index.html").unlink()  # removed after its maker found it current
    with pytest.raises(ContentError, match="removed from the output while the build ran") as raised:
        write_output([OutputFile("a/index.html", keep=True), OutputFile("b.txt", b"b2")], out)
    assert raised.value.problem.path == "a/index.html"


def test_a_write_within_one_folder_leaves_the_rest_of_the_output_alone(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("index.html", b"home"), OutputFile("pagefind/old.pf", b"old"),
                  OutputFile("pagefind/same.js", b"js")], out)
    stats = write_output([OutputFile("pagefind/same.js", b"js"), OutputFile("pagefind/new.pf", b"new")], out,
                         within="pagefind")
    assert tree(out) == {"index.html": b"home", "pagefind/new.pf": b"new", "pagefind/same.js": b"js"}
    assert (stats.written, stats.unchanged, stats.removed) == (1, 1, 1)
    with pytest.raises(ContentError, match="outside pagefind/"):
        write_output([OutputFile("index.html", b"changed")], out, within="pagefind")
    assert tree(out)["index.html"] == b"home"


def test_a_kept_folder_stays_as_it_is_while_the_rest_is_made_to_match(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("index.html", b"home"), OutputFile("old/index.html", b"old"),
                  OutputFile("pagefind/a/b.pf", b"index"), OutputFile("pagefind/ui.js", b"js")], out)
    stats = write_output([OutputFile("index.html", b"new home")], out, kept="pagefind")
    assert tree(out) == {"index.html": b"new home", "pagefind/a/b.pf": b"index", "pagefind/ui.js": b"js"}
    assert (stats.written, stats.unchanged, stats.removed) == (1, 2, 1)  # the kept files count as unchanged
    assert not (out / "old").exists()  # the emptied folder went too


def test_what_an_older_build_left_in_the_way_of_the_new_files_goes(tmp_path: Path) -> None:
    """A folder where a file now goes, a file or a link where a folder now goes: each is cleared, for every
    file of the folders it stands in, and what a link points to stays as it was."""
    out = tmp_path / "out"
    write_output([OutputFile("post/index.html/old.html", b"a folder now"), OutputFile("tags", b"a file now"),
                  OutputFile("feeds/a.xml", b"a")], out)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "mine.txt").write_text("mine")
    (out / "feeds" / "deep").symlink_to(elsewhere)  # a link to a folder where a folder goes
    new = {"post/index.html": b"post", "tags/seo/index.html": b"seo", "tags/seo/page/2/index.html": b"seo 2",
           "tags/ads/index.html": b"ads", "feeds/deep/x/a.xml": b"x", "feeds/deep/y.xml": b"y"}
    write_output([OutputFile(path, data) for path, data in new.items()], out)
    assert tree(out) == new
    assert not (out / "feeds" / "deep").is_symlink() and (elsewhere / "mine.txt").read_text() == "mine"


def test_a_file_where_the_same_write_made_a_folder_takes_its_place(tmp_path: Path) -> None:
    """Two of a build's files where one's folder is the other (a static file `a/b` and a page `a/b/index.html`):
    the later one stands, as an older build's folder or file would give way to it."""
    out = tmp_path / "out"
    write_output([OutputFile("a/b/index.html", b"page"), OutputFile("a/b", b"static")], out)
    assert tree(out) == {"a/b": b"static"}
    write_output([OutputFile("c/d", b"static"), OutputFile("c/d/index.html", b"page")], out)
    assert tree(out) == {"c/d/index.html": b"page"}


def test_links_and_emptied_folders_a_build_did_not_write_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("a/b/index.html", b"b"), OutputFile("a/c.html", b"c")], out)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep-me.txt").write_text("mine")
    (out / "a" / "linked").symlink_to(elsewhere)  # a link to a folder someone put there
    (out / "gone.html").symlink_to(tmp_path / "missing")  # a broken link
    stats = write_output([OutputFile("a/c.html", b"c")], out)
    assert tree(out) == {"a/c.html": b"c"}
    assert not (out / "a" / "b").exists() and not (out / "a" / "linked").is_symlink()
    assert (elsewhere / "keep-me.txt").read_text() == "mine"  # the link went, not what it points to
    assert stats.removed == 2  # a/b/index.html and the broken link


def test_a_write_given_the_last_listing_removes_what_that_write_left_and_no_walk_is_needed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """serve's writes: the stale files are the difference from the last write's listing, folders they
    leave empty go too, and the kept search folder is left as it is."""
    out = tmp_path / "out"
    first = write_output([OutputFile("index.html", b"home"), OutputFile("old/deep/index.html", b"old"),
                          OutputFile("shared/a.html", b"a"), OutputFile("shared/b.html", b"b")], out, kept="pagefind")
    (out / "pagefind").mkdir()
    (out / "pagefind" / "index.js").write_bytes(b"index")

    def no_walk(*args: object, **kwargs: object) -> int:
        raise AssertionError("the output was walked")

    monkeypatch.setattr("publisher.output.writer.remove_stale", no_walk)
    second = write_output([OutputFile("index.html", b"home"), OutputFile("shared/a.html", b"a")], out,
                          kept="pagefind", listed=first.listing)
    assert tree(out) == {"index.html": b"home", "shared/a.html": b"a", "pagefind/index.js": b"index"}
    assert not (out / "old").exists()
    assert second.removed == 2
    assert second.listing is not None and second.listing.files == {"index.html", "shared/a.html", MARKER_NAME}
    assert second.changed == {"old/deep/index.html", "shared/b.html"}  # for serve: the tabs on them reload
    monkeypatch.undo()
    third = write_output([OutputFile("index.html", b"home, new")], out, kept="pagefind")  # no listing: a walk
    assert third.removed == 1 and third.changed is None  # which files went is not told


def test_a_listing_made_with_another_kept_folder_is_not_trusted(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = write_output([OutputFile("index.html", b"home")], out, kept="pagefind")
    (out / "pagefind").mkdir()
    (out / "pagefind" / "index.js").write_bytes(b"index")
    write_output([OutputFile("index.html", b"home")], out, listed=first.listing)  # the index is now stale
    assert tree(out) == {"index.html": b"home"}


def test_files_written_ahead_change_in_place_and_can_be_put_back(tmp_path: Path) -> None:
    """`serve` writes a save's pages before the rest; if the rest fails, they are put back as they were."""
    out = tmp_path / "out"
    assert write_ahead([OutputFile("a/index.html", b"new")], out) == {}  # a folder no build claimed: nothing
    assert not out.exists()
    write_output([OutputFile("a/index.html", b"old"), OutputFile("b/c.html", b"c"), OutputFile("d", b"d")], out)
    before = write_ahead([OutputFile("a/index.html", b"new"), OutputFile("b/c.html", b"c"),
                          OutputFile("new/index.html", b"fresh"), OutputFile("../escape.html", b"x"),
                          OutputFile("b", b"a folder stands here"), OutputFile("d/e.html", b"a file stands there")],
                         out)
    assert before == {"a/index.html": b"old", "new/index.html": None}  # only what changed
    assert tree(out) == {"a/index.html": b"new", "b/c.html": b"c", "d": b"d", "new/index.html": b"fresh"}
    assert not (tmp_path / "escape.html").exists() and not (out / STAGING_NAME).exists()
    undo_ahead(out, before)
    assert tree(out) == {"a/index.html": b"old", "b/c.html": b"c", "d": b"d"} and not (out / "new").exists()


def _walked_states(out: Path) -> dict[str, tuple[int, int, int, int]]:
    """Each file of the output and its state, as a walk after the write finds them."""
    return {str(path): (found.st_size, found.st_ino, found.st_mtime_ns, found.st_ctime_ns)
            for path in out.rglob("*") if path.is_file() for found in [os.stat(path)]}


def test_an_output_walked_before_the_write_ends_as_one_walked_after(tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    (cache / "old").mkdir(parents=True)
    (cache / "old" / "part.pf").write_bytes(b"index")
    write_output([OutputFile("a/index.html", b"a"), OutputFile("old/gone/index.html", b"old"),
                  OutputFile("kept.html", b"k"), OutputFile("b.txt", b"b"),
                  OutputFile("pagefind/part.pf", source=cache / "old" / "part.pf", linked=True)], out)
    (out / "empty" / "deeper").mkdir(parents=True)  # folders no build wrote: a clean build has none
    walk = EarlyWalk.start(out)
    assert walk is not None and walk.found() is not None  # walked: what changes from here on, it did not see
    (cache / "new").mkdir()
    (cache / "new" / "part.pf").write_bytes(b"index")  # a part made again, to the same bytes...
    (cache / "old" / "part.pf").unlink()  # ...and the old one let go: the output's file has one link less now
    stats = write_output([OutputFile("a/index.html", b"a2"), OutputFile("kept.html", keep=True),
                          OutputFile("b.txt", b"b"), OutputFile("new/index.html", b"new"),
                          OutputFile("pagefind/part.pf", source=cache / "new" / "part.pf", linked=True)],
                         out, walk=walk)
    assert tree(out) == {"a/index.html": b"a2", "kept.html": b"k", "b.txt": b"b", "new/index.html": b"new",
                         "pagefind/part.pf": b"index"}
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()) == ["a", "new", "pagefind"]
    assert (stats.written, stats.unchanged, stats.removed) == (2, 3, 1)
    assert stats.found == _walked_states(out)  # the written files and the one let go, as they are now


def test_a_walk_that_meets_a_link_leaves_the_write_to_walk_for_itself(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("a.html", b"a"), OutputFile("b.html", b"b")], out)
    (out / "link.html").symlink_to(out / "a.html")
    assert walk(str(out)) is None
    stats = write_output([OutputFile("a.html", b"a")], out, walk=EarlyWalk.start(out))
    assert tree(out) == {"a.html": b"a"} and stats.removed == 2
    assert stats.found == _walked_states(out)


def test_a_kept_file_gone_before_an_early_walk_is_reported(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("a/index.html", b"a"), OutputFile("b.txt", b"b")], out)
    (out / "a" / "index.html").unlink()
    with pytest.raises(ContentError, match="removed from the output while the build ran"):
        write_output([OutputFile("a/index.html", keep=True), OutputFile("b.txt", b"b")], out,
                     walk=EarlyWalk.start(out))


def test_an_early_walk_tells_a_file_linked_to_its_cache_file_without_a_look_at_the_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out, cached = tmp_path / "out", tmp_path / "cache" / "card.png"
    cached.parent.mkdir()
    cached.write_bytes(b"\x89PNG drawn once")
    write_output([OutputFile("social/a.png", source=cached, linked=True)], out)
    walk = EarlyWalk.start(out)
    looked: list[str] = []
    real_lstat = os.lstat

    def lstat(path: str | os.PathLike[str], *args: object, **kwargs: object) -> os.stat_result:
        looked.append(os.fspath(path))
        return real_lstat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "lstat", lstat)
    stats = write_output([OutputFile("social/a.png", source=cached, linked=True)], out, walk=walk)
    assert (stats.written, stats.unchanged) == (0, 1) and os.path.samefile(out / "social" / "a.png", cached)
    assert str(out / "social" / "a.png") not in looked


def test_cache_files_linked_as_they_were_are_told_by_their_folders_listing_without_a_look_at_any(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """10,000 cards and 10,000 index fragments at 10,000 posts: one listing of each cache folder, no `stat`."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    cache.mkdir()
    files = [OutputFile(f"social/{n}.png", source=cache / f"{n}.png", linked=True) for n in range(3)]
    for file in files:
        assert file.source is not None
        file.source.write_bytes(b"\x89PNG " + file.path.encode())
    write_output(files, out)
    walk = EarlyWalk.start(out)
    looked: list[str] = []
    real_stat, real_lstat = os.stat, os.lstat

    def noting(real: Callable[..., os.stat_result]) -> Callable[..., os.stat_result]:
        def look(path: str | os.PathLike[str], *args: object, **kwargs: object) -> os.stat_result:
            looked.append(os.fspath(path))
            return real(path, *args, **kwargs)
        return look

    monkeypatch.setattr(os, "stat", noting(real_stat))
    monkeypatch.setattr(os, "lstat", noting(real_lstat))
    stats = write_output(files, out, walk=walk)
    assert (stats.written, stats.unchanged) == (0, 3)
    assert not [path for path in looked if path.endswith(".png")], looked


def test_a_cache_file_made_again_in_its_place_is_linked_again(tmp_path: Path) -> None:
    out, cached = tmp_path / "out", tmp_path / "cache" / "card.png"
    cached.parent.mkdir()
    cached.write_bytes(b"\x89PNG first")
    write_output([OutputFile("a.png", source=cached, linked=True)], out)
    walk = EarlyWalk.start(out)
    made_again = cached.with_name("card.png.new")
    made_again.write_bytes(b"\x89PNG again")
    os.replace(made_again, cached)  # another inode under the same name
    stats = write_output([OutputFile("a.png", source=cached, linked=True)], out, walk=walk)
    assert stats.written == 1 and (out / "a.png").read_bytes() == b"\x89PNG again"
    assert os.path.samefile(out / "a.png", cached)


def test_a_file_the_walk_found_linked_elsewhere_is_linked_again(tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    cache.mkdir()
    (cache / "old.png").write_bytes(b"old")
    (cache / "new.png").write_bytes(b"new")
    write_output([OutputFile("a.png", source=cache / "old.png", linked=True)], out)
    stats = write_output([OutputFile("a.png", source=cache / "new.png", linked=True)], out, walk=EarlyWalk.start(out))
    assert stats.written == 1 and os.path.samefile(out / "a.png", cache / "new.png")


def test_a_walk_over_more_than_one_device_tells_no_inode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output([OutputFile("a.html", b"a")], out)
    found = walk(str(out))
    assert found is not None and found.inode("a.html") == (os.stat(out).st_dev, os.stat(out / "a.html").st_ino)
    assert found.inode("b.html") is None
    assert Found(found.files, found.empty, None).inode("a.html") is None  # a folder mounted in the output


@pytest.mark.parametrize("paths", [("img/a.txt", "Img/a.txt"), ("Img/a.txt", "img/a.txt"),
                                   ("caf\u00e9/index.html", "cafe\u0301/index.html"), ("a/B.txt", "A/b.txt")])
def test_two_paths_one_file_on_a_case_insensitive_disk_are_refused_in_either_order(tmp_path: Path,
                                                                                   paths: tuple[str, str]) -> None:
    """Paths in lower case ASCII are not keyed (34,000 of them a build): one must still clash with a path written
    in capitals before or after it."""
    with pytest.raises(ContentError, match="differ only in case or Unicode form"):
        write_output([OutputFile(path, b"x") for path in paths], tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.txt"))


@pytest.mark.parametrize("paths", [("img/a.txt", "Img/b.txt"), ("Img/b.txt", "img/a.txt"),
                                   ("a/Img/x/b.txt", "a/img/y.txt"), ("caf\u00e9/a.html", "cafe\u0301/b.html"),
                                   ("Docs", "docs/index.html"), ("docs", "Docs/index.html")])
def test_two_folders_one_on_a_case_insensitive_disk_are_refused_in_either_order(tmp_path: Path,
                                                                                 paths: tuple[str, str]) -> None:
    """`Img/b.txt` beside `img/a.txt` were written on Linux as two folders, and on a Mac or Windows as one: a site
    built there had no `img/` for a case-sensitive host to serve `/img/a.txt` from. Refused, nothing written."""
    with pytest.raises(ContentError, match="differ only in case or Unicode form: on macOS and Windows these"):
        write_output([OutputFile(path, b"x") for path in paths], tmp_path / "out")
    assert not (tmp_path / "out").exists() or not [p for p in (tmp_path / "out").rglob("*") if p.is_file()
                                                   and p.name != ".publisher-output"]


def test_folders_that_differ_in_case_name_the_static_file_and_both_folders(tmp_path: Path) -> None:
    """The line names the source file in the folder with capitals, as a file clash does, and both folders as
    written, whichever came first."""
    static = tmp_path / "static"
    for folder, name in (("Img", "logo.png"), ("img", "chart.png")):
        (static / folder).mkdir(parents=True)
        (static / folder / name).write_bytes(b"x")
    files = [OutputFile(f"{folder}/{name}", source=static / folder / name)
             for folder, name in (("img", "chart.png"), ("Img", "logo.png"))]
    for ordered in (files, files[::-1]):
        with pytest.raises(ContentError) as raised:
            write_output(ordered, tmp_path / "out")
        assert str(raised.value) == (f"{(static / 'Img' / 'logo.png').as_posix()}: path: Img/ and img/ differ only "
                                     "in case or Unicode form: on macOS and Windows these folders are one (rename "
                                     "one of them)")


def test_paths_in_lower_case_and_capitals_in_file_names_alone_are_written(tmp_path: Path) -> None:
    """Only folders that differ in case are refused: `img/Logo.png` beside `img/chart.png` is two files."""
    stats = write_output([OutputFile(path, b"x") for path in ("img/Logo.png", "img/chart.png", "IMG.txt")],
                         tmp_path / "out")
    assert stats.written == 3


@pytest.mark.skipif(os.name == "nt", reason="no Unix modes on Windows")
def test_an_output_left_private_by_an_older_build_is_opened_to_all_though_its_files_did_not_change(
        tmp_path: Path) -> None:
    """An older build under umask 077 left pages 0600 in folders 0700, which a web server running as another
    user answers with 403. Built again, the pages were the same bytes, so nothing was written and the host kept
    answering 403; now every file is 0644 and every folder 0755, as a new build writes them."""
    out = tmp_path / "out"
    files = [OutputFile("index.html", b"home"), OutputFile("blog/post/index.html", b"post")]
    write_output(files, out)
    for path in [out, *out.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)
    stats = write_output(files, out)
    assert stats.written == 0
    modes = {p.relative_to(out).as_posix(): oct(p.stat().st_mode & 0o777) for p in [out, *out.rglob("*")]}
    assert modes == {".": "0o755", MARKER_NAME: "0o644", "index.html": "0o644", "blog": "0o755",
                     "blog/post": "0o755", "blog/post/index.html": "0o644"}
