"""`publisher build` keeps its finished bodies on disk: the next build loads and finishes again only the bodies
whose Markdown, position in the file, links or images changed, gives what a clean build gives, and ignores kept
bodies it cannot trust (another salt, a damaged line, a spool file cut short or taken by another build)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import publisher.build.persisted
from publisher.build.bodies import _Linker
from publisher.build.pipeline import BuildOptions, BuildReport, build
from publisher.core.spool import Spool
from tests.conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture
def finished(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The sources whose bodies a build finishes (links resolved), noted."""
    seen: set[str] = set()
    real = _Linker.rewrite

    def noting(self: _Linker, html: str, source: str) -> Any:
        seen.add(source)
        return real(self, html, source)

    monkeypatch.setattr(_Linker, "rewrite", noting)
    return seen


def write_post(site: Path, slug: str, day: int, body: str = "", front: str = "") -> Path:
    path = site / "content" / "posts" / f"{slug}.md"
    path.write_text(f"---\ntitle: Post {slug}\ndate: 2026-03-{day:02d}\n{front}---\n\nAbout {slug}.\n{body}",
                    encoding="utf-8")
    return path


def save_image(site: Path, name: str, size: tuple[int, int], colour: str = "teal") -> Path:
    """A PNG of `size` at `static/img/<name>`."""
    from PIL import Image

    path = site / "static" / "img" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


def building(site: Path, tmp_path: Path) -> Callable[[], BuildReport]:
    return lambda: build(BuildOptions(config=site / "publisher.toml", output=tmp_path / "out",
                                      cache_dir=tmp_path / "cache", now=NOW, workers=1))


def clean(site: Path, tmp_path: Path) -> dict[str, bytes]:
    build(BuildOptions(config=site / "publisher.toml", output=tmp_path / "clean", use_cache=False, now=NOW,
                       workers=1))
    return snapshot(tmp_path / "clean")


def index_file(tmp_path: Path) -> Path:
    [path] = (tmp_path / "cache").glob("bodies-*.json")
    return path


def spool_files(tmp_path: Path) -> list[str]:
    return sorted(p.name.rsplit("-", 1)[1] for p in (tmp_path / "cache").glob("bodies-*.html"))


@pytest.fixture
def five_posts(site_dir: Path) -> Path:
    for day, slug in enumerate(("a", "b", "c", "d", "e"), start=1):
        write_post(site_dir, slug, day)
    return site_dir


def test_the_next_build_finishes_only_the_body_that_changed(five_posts: Path, tmp_path: Path,
                                                           finished: set[str]) -> None:
    run = building(five_posts, tmp_path)
    run()
    assert len(finished) == 8  # every post and page, the first time
    finished.clear()
    write_post(five_posts, "c", 3, body="More about c.\n")
    run()
    assert finished == {"content/posts/c.md"}
    after = snapshot(tmp_path / "out")
    assert after == clean(five_posts, tmp_path)
    assert b"More about c." in after["c/index.html"]


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """The posts (of `five_posts`, by slug) whose kept bodies a build decodes past the first part of their line."""
    slugs: set[str] = set()
    real = publisher.build.persisted._KeptMarkdown.read

    def noting(self: Any) -> Any:
        if self._read is None:
            slugs.update(slug for slug in "abcde" if f"About {slug}." in self.excerpt_html)
        return real(self)

    monkeypatch.setattr(publisher.build.persisted._KeptMarkdown, "read", noting)
    return slugs


def test_a_kept_body_is_read_only_for_a_page_made_again(five_posts: Path, tmp_path: Path, decoded: set[str]) -> None:
    """A kept body's table of contents, heading count, quotes and points (two thirds of its line) are decoded only
    when a page made again shows them: a build with nothing changed decodes none, though the share feed reads
    every post's excerpt; after a body edit, the pages made again that show their own table of contents (the
    neighbours', which show the edited post's excerpt) read theirs, and the output is a clean build's."""
    run = building(five_posts, tmp_path)
    run()
    decoded.clear()
    run()
    assert decoded == set()
    write_post(five_posts, "c", 3, body="\nMore about c, in a paragraph of its own.\n")
    run()
    assert decoded == {"b", "d"}
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)


def test_lists_made_again_read_the_counts_of_kept_bodies_without_decoding_them(
        five_posts: Path, tmp_path: Path, decoded: set[str]) -> None:
    """A title edit makes again every list that shows the post (the archive and the home page show every post,
    with its reading time): they take each kept body's counts from the first part of its line; only the pages
    made again that show their own table of contents (the post's and its neighbours') decode the rest. (The
    archive of 10,000 posts decoded every one: 0.15 s.)"""
    run = building(five_posts, tmp_path)
    run()
    decoded.clear()
    post = five_posts / "content" / "posts" / "c.md"
    post.write_text(post.read_text(encoding="utf-8").replace("title: Post c", "title: Post c, retitled"),
                    encoding="utf-8")
    run()
    assert decoded == {"b", "c", "d"}
    after = snapshot(tmp_path / "out")
    assert after == clean(five_posts, tmp_path)
    assert b"Post c, retitled" in after["archive/index.html"] and b"min read" in after["index.html"]


def test_an_edit_adds_its_line_to_the_index_which_is_written_whole_once_it_holds_too_many_replaced_lines(
        five_posts: Path, tmp_path: Path, finished: set[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publisher.build.persisted, "_SLACK_LINES", 2)
    run = building(five_posts, tmp_path)
    run()
    before = index_file(tmp_path).read_bytes()
    assert before.count(b"\n") == 1 + 8  # the header, and a line for each post and page
    write_post(five_posts, "c", 3, body="Edit 1.\n")
    run()
    after = index_file(tmp_path).read_bytes()
    assert after.startswith(before) and after.count(b"\n") == 1 + 9  # c's new line, after the others
    for edit in range(2, 12):
        write_post(five_posts, "c", 3, body=f"Edit {edit}.\n")
        run()
        assert index_file(tmp_path).read_bytes().count(b"\n") <= 1 + 8 + 2  # a tenth of 8, and 2: else whole
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)
    finished.clear()
    write_post(five_posts, "a", 1, body="Once more.\n")
    run()
    assert finished == {"content/posts/a.md"}  # c's last line is the one read
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)


def test_an_index_another_build_wrote_meanwhile_is_written_whole(five_posts: Path, tmp_path: Path,
                                                                 finished: set[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    run = building(five_posts, tmp_path)
    run()
    path = index_file(tmp_path)
    header = path.read_bytes().split(b"\n", 1)[0] + b"\n"
    real = publisher.build.persisted.KeptBodies.save

    def after_another(self: Any, model: Any) -> None:
        path.with_name("other").write_bytes(header)  # another build's index, put in place meanwhile
        path.with_name("other").replace(path)
        real(self, model)

    monkeypatch.setattr(publisher.build.persisted.KeptBodies, "save", after_another)
    write_post(five_posts, "c", 3, body="Edit 1.\n")
    run()
    monkeypatch.setattr(publisher.build.persisted.KeptBodies, "save", real)
    finished.clear()
    run()
    assert finished == set()  # every body in the index written whole, not c's line after the other's header


def test_a_post_whose_url_changed_gives_its_links_again_to_the_bodies_that_name_it_alone(
        site_dir: Path, tmp_path: Path, finished: set[str]) -> None:
    run = building(site_dir, tmp_path)
    run()
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8").replace("tags:", "slug: moved\ntags:"), encoding="utf-8")
    finished.clear()
    run()
    # first.md links to second.md; second.md's own post changed; the page about.md names neither
    assert finished == {"content/posts/first.md", "content/posts/second.md"}
    after = snapshot(tmp_path / "out")
    assert after == clean(site_dir, tmp_path)
    assert b'href="/moved/"' in after["first/index.html"]


def test_a_post_added_or_removed_finishes_again_only_the_bodies_that_link_to_it(five_posts: Path, tmp_path: Path,
                                                                                 finished: set[str]) -> None:
    run = building(five_posts, tmp_path)
    write_post(five_posts, "c", 3, body="Read [the next one](f.md) soon.\n")
    report = run()
    assert [(w.path, w.field) for w in report.warnings] == [("content/posts/c.md", "link")]
    finished.clear()
    added = write_post(five_posts, "f", 6)
    report = run()
    assert finished == {"content/posts/c.md", "content/posts/f.md"}  # c's link finds f now; a, b, d, e kept
    assert report.warnings == []
    assert b'href="/f/"' in (tmp_path / "out" / "c" / "index.html").read_bytes()
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)
    finished.clear()
    added.unlink()
    report = run()
    assert finished == {"content/posts/c.md"}  # its link points to no post again
    assert [(w.path, w.field) for w in report.warnings] == [("content/posts/c.md", "link")]
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)


def test_a_body_moved_down_has_its_broken_link_reported_on_its_new_line(five_posts: Path, tmp_path: Path) -> None:
    run = building(five_posts, tmp_path)
    write_post(five_posts, "c", 3, body="See [the lost one](lost.md).\n")
    assert [(w.path, w.line) for w in run().warnings if w.field == "link"] == [("content/posts/c.md", 7)]
    write_post(five_posts, "c", 3, body="See [the lost one](lost.md).\n", front="summary: Lost and found.\n")
    assert [(w.path, w.line) for w in run().warnings if w.field == "link"] == [("content/posts/c.md", 8)]


def damaged_line(source: bytes, damage: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """A damage to the line of one source alone."""
    def damaging(data: bytes) -> bytes:
        lines = data.split(b"\n")
        return b"\n".join(damage(line) if line.startswith(b'["' + source + b'"') else line for line in lines)
    return damaging


C = b"content/posts/c.md"


FIRST = ("source", "body_line", "key", "offset", "length", "sha", "excerpt", "words", "minutes", "inline_at", "copies",
         "warnings", "body_digest", "images", "links", "checksum")  # a line's first array, then its second
RENDERED = ("toc", "headings", "quotes", "points")  # (see `persisted._line`)


def with_parts(change: Callable[[list[Any], list[Any]], None]) -> Callable[[bytes], bytes]:
    """A line whose two arrays `change` changed, written as a build writes them (so an array left as it was,
    the second one above all, has the same bytes and checksum)."""
    def damage(line: bytes) -> bytes:
        first, rendered = (json.loads(part) for part in line.split(b"\t"))
        change(first, rendered)
        return json.dumps(first).encode("ascii") + b"\t" + json.dumps(rendered).encode("ascii")
    return damage


def with_item(name: str, value: object) -> Callable[[bytes], bytes]:
    """A line whose item `name` is `value`, every other item (the checksum of the second array among them) as
    it was."""
    def change(first: list[Any], rendered: list[Any]) -> None:
        if name in FIRST:
            first[FIRST.index(name)] = value
        else:
            rendered[RENDERED.index(name)] = value
    return with_parts(change)


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # cut short
    lambda data: data.replace(b'"salt": "', b'"salt": "another version ', 1),
    lambda data: b"\x00\xff" + data,
    damaged_line(C, with_item("body_line", "6")),  # a line number that is a text
    damaged_line(C, with_parts(lambda first, rendered: first.append(1))),  # one item too many
    damaged_line(C, with_parts(lambda first, rendered: rendered.append(1))),  # ... in the second array
    damaged_line(C, lambda line: line.replace(b"\t", b" ")),  # no second array
    damaged_line(C, with_item("warnings", ["<script>"])),  # warnings that are no problems
    damaged_line(C, with_item("checksum", 7)),  # the checksum of another text
    damaged_line(C, with_item("excerpt", 7)),  # an excerpt that is a number
    damaged_line(C, with_item("toc", None)),  # no table of contents
    damaged_line(C, with_item("words", "120")),  # a word count that is a text
    damaged_line(C, with_item("words", True)),  # ... or true
    damaged_line(C, with_item("minutes", None)),  # no reading time
    damaged_line(C, with_item("headings", "2")),  # a heading count that is a text
    damaged_line(C, with_item("quotes", ["A quote.", 7])),  # a pull quote that is a number
])
def test_damaged_kept_bodies_are_finished_again(five_posts: Path, tmp_path: Path, finished: set[str],
                                                damage: Callable[[bytes], bytes]) -> None:
    run = building(five_posts, tmp_path)
    run()
    path = index_file(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    finished.clear()
    run()
    assert "content/posts/c.md" in finished
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)
    finished.clear()
    run()
    assert finished == set()  # kept whole again


def test_a_spool_file_cut_short_is_not_read_past_its_end(five_posts: Path, tmp_path: Path,
                                                        finished: set[str]) -> None:
    run = building(five_posts, tmp_path)
    run()
    [spool] = (tmp_path / "cache").glob("bodies-*.html")
    spool.write_bytes(spool.read_bytes()[:-1])
    finished.clear()
    run()
    assert len(finished) == 1  # the body written last, whose end is gone
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)


def test_a_spool_file_mostly_of_replaced_bodies_is_copied_to_a_new_one(five_posts: Path, tmp_path: Path,
                                                                      finished: set[str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publisher.build.persisted, "_SLACK", 0)
    run = building(five_posts, tmp_path)
    run()
    assert spool_files(tmp_path) == ["0.html"]
    for edit in range(12):  # each edit adds a body of c to the file and leaves the one before unused
        write_post(five_posts, "c", 3, body=f"Edit {edit}. " + "Long enough to weigh. " * 200)
        run()
    assert spool_files(tmp_path) != ["0.html"] and len(spool_files(tmp_path)) == 1
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)
    finished.clear()
    write_post(five_posts, "a", 1, body="Once more.\n")
    run()
    assert finished == {"content/posts/a.md"}  # the bodies moved to the new file are read from it
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)


def test_a_build_finding_the_bodies_taken_by_another_keeps_none(five_posts: Path, tmp_path: Path,
                                                              finished: set[str]) -> None:
    run = building(five_posts, tmp_path)
    run()
    [spool_path] = (tmp_path / "cache").glob("bodies-*.html")
    index = index_file(tmp_path).read_bytes()
    other = Spool.in_file(spool_path)  # another build, at work
    assert other is not None
    write_post(five_posts, "c", 3, body="Meanwhile.\n")
    finished.clear()
    run()
    assert len(finished) == 8
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)
    assert index_file(tmp_path).read_bytes() == index
    other.unlock()
    write_post(five_posts, "c", 3, body="Afterwards.\n")
    finished.clear()
    run()
    assert finished == {"content/posts/c.md"}


def test_a_kept_body_keeps_its_images_copies_and_broken_links(five_posts: Path, tmp_path: Path,
                                                            finished: set[str]) -> None:
    save_image(five_posts, "wide.png", (2400, 1200))
    write_post(five_posts, "c", 3, body="![A wide one](/img/wide.png)\n\nSee [the lost one](lost.md).\n")
    run = building(five_posts, tmp_path)
    first = run()
    write_post(five_posts, "a", 1, body="Only a changed.\n")
    finished.clear()
    again = run()
    assert finished == {"content/posts/a.md"}  # c's body, with its image copies and warning, came from disk
    assert [w for w in again.warnings if w.field == "link"] == [w for w in first.warnings if w.field == "link"]
    after = snapshot(tmp_path / "out")
    assert after == clean(five_posts, tmp_path)
    assert any(path.startswith("img/wide-") and path.endswith(".webp") for path in after)  # the copies published


def test_static_files_written_again_or_added_leave_every_body_kept(five_posts: Path, tmp_path: Path,
                                                                   finished: set[str]) -> None:
    # A CI checkout gives every file of static/ new times (and `pip install` the theme's): a body depends on the
    # images it shows, by their bytes, not on the times of every file of the site.
    static = save_image(five_posts, "wide.png", (2400, 1200)).parents[1]
    (static / "robots-note.txt").write_text("a file no body shows\n", encoding="utf-8")
    write_post(five_posts, "c", 3, body="![A wide one](/img/wide.png)\n")
    run = building(five_posts, tmp_path)
    run()
    for path in [p for p in static.rglob("*") if p.is_file()]:
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
        os.utime(path, (NOW.timestamp(), NOW.timestamp()))
    (static / "new-file.txt").write_text("added\n", encoding="utf-8")
    write_post(five_posts, "a", 1, body="Only a changed.\n")
    finished.clear()
    run()
    assert finished == {"content/posts/a.md"}
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)


def test_a_body_whose_image_changed_is_finished_again_alone(five_posts: Path, tmp_path: Path,
                                                             finished: set[str]) -> None:
    save_image(five_posts, "graph.png", (2400, 1200))
    write_post(five_posts, "c", 3, body="![A graph](/img/graph.png)\n")
    write_post(five_posts, "d", 4, body="![Not there yet](/img/later.png)\n")
    run = building(five_posts, tmp_path)
    run()
    save_image(five_posts, "graph.png", (1600, 1600), "navy")  # the same path, another size
    save_image(five_posts, "later.png", (900, 300), "olive")  # now there
    finished.clear()
    run()
    assert finished == {"content/posts/c.md", "content/posts/d.md"}
    page = (tmp_path / "out" / "c" / "index.html").read_text(encoding="utf-8")
    assert 'width="1600" height="1600"' in page
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)


def test_a_build_whose_bodies_cannot_be_kept_still_succeeds(five_posts: Path, tmp_path: Path) -> None:
    run = building(five_posts, tmp_path)
    run()
    index = index_file(tmp_path)
    index.unlink()
    index.mkdir()  # in the way: the index cannot be written
    write_post(five_posts, "c", 3, body="More about c.\n")
    run()
    assert snapshot(tmp_path / "out") == clean(five_posts, tmp_path)


def test_a_kept_body_comes_with_the_digest_of_what_it_holds(five_posts: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's recipe counts a post's body by its digest (`Entry.body_digest`), taken when the body was
    finished and kept with it: a kept body's is the digest of the very texts it comes back with."""
    from publisher.build.persisted import KeptBodies
    from publisher.markdown.result import body_digest

    run = building(five_posts, tmp_path)
    run()
    write_post(five_posts, "c", 3, body="More about c.\n")
    kept: list[Any] = []
    real = KeptBodies.find

    def noting(self: KeptBodies, *args: Any, **kwargs: Any) -> Any:
        found = real(self, *args, **kwargs)
        if found is not None:
            kept.append(found.entry)
        return found

    monkeypatch.setattr(KeptBodies, "find", noting)
    run()
    assert len(kept) == 7  # all but c's
    assert all(entry.body_digest_kept == body_digest(entry.body) for entry in kept)
