"""`publisher build` keeps its model on disk: the next build parses only the source files that changed, gives
what a clean build gives, and ignores a model file that is another salt's or does not read back whole."""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import publisher.build.persisted
import publisher.build.sources
from publisher.build.pipeline import BuildOptions, build
from publisher.core.errors import BuildFailed
from tests.conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)
HOUR_AGO = time.time() - 3600


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source files each build parses, in order (the real parser, noted)."""
    seen: list[str] = []
    real = publisher.build.sources.parse_source

    def noting(source: Any, cfg: Any) -> Any:
        seen.append(source.path)
        return real(source, cfg)

    monkeypatch.setattr(publisher.build.sources, "parse_source", noting)
    return seen


def settled(site: Path, at: float = HOUR_AGO) -> None:
    """Every source file last changed `at` (not within the last seconds, when a file's bytes are compared too)."""
    for path in (site / "content").rglob("*.md"):
        os.utime(path, (at, at))


def run(site: Path, output: Path, **options: object) -> dict[str, bytes]:
    build(BuildOptions(config=site / "publisher.toml", output=output, now=NOW, workers=1, **options))  # type: ignore[arg-type]
    return snapshot(output)


def model_file(site: Path) -> Path:
    [path] = (site / ".publisher-cache").glob("model-*.json")
    return path


def test_the_next_build_parses_only_the_file_that_changed(site_dir: Path, tmp_path: Path, parsed: list[str]) -> None:
    settled(site_dir)
    run(site_dir, tmp_path / "out")
    assert sorted(parsed) == ["content/pages/about.md", "content/posts/first.md", "content/posts/second.md"]
    parsed.clear()
    first = site_dir / "content" / "posts" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("title: First", "title: First, retitled"),
                     encoding="utf-8")
    os.utime(first, (HOUR_AGO + 60, HOUR_AGO + 60))
    after_edit = run(site_dir, tmp_path / "out")
    assert parsed == ["content/posts/first.md"]
    assert after_edit == run(site_dir, tmp_path / "clean", use_cache=False)
    assert "First, retitled" in after_edit["index.html"].decode("utf-8")


def checked_out_again(site: Path) -> None:
    """Every source file written anew with the bytes it held, as a checkout leaves them (a CI build that restores
    its cache): other inodes and times."""
    for path in (site / "content").rglob("*.md"):
        data = path.read_bytes()
        path.unlink()
        path.write_bytes(data)
    settled(site, HOUR_AGO + 600)


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source files each build reads (to parse them, or to compare their bytes), in order."""
    seen: list[str] = []
    real = publisher.build.sources._read

    def noting(path: str) -> bytes:
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(publisher.build.sources, "_read", noting)
    return seen


def test_a_checkout_with_other_times_parses_only_the_file_whose_bytes_changed(
        site_dir: Path, tmp_path: Path, parsed: list[str], read: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publisher.build.persisted, "_SLACK_LINES", 0)
    settled(site_dir)
    run(site_dir, tmp_path / "out")
    checked_out_again(site_dir)
    retitled(site_dir, "First, retitled", 20)
    parsed.clear()
    read.clear()
    after = run(site_dir, tmp_path / "out")
    assert parsed == ["content/posts/first.md"]  # the others were read, their bytes found the same
    assert sorted(read) == ["about.md", "first.md", "second.md"]
    assert len(model_file(site_dir).read_bytes().splitlines()) == 1 + 3  # each file's new state: written whole
    parsed.clear()
    read.clear()
    assert run(site_dir, tmp_path / "out") == after
    assert parsed == [] and read == []  # the model keeps each file's new size, inode and times
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    assert "First, retitled" in after["index.html"].decode("utf-8")


@pytest.mark.parametrize("just_changed", [False, True])  # (a file changed within seconds is read at once)
def test_a_file_that_cannot_be_read_fails_the_build_naming_it(site_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch,
                                                              just_changed: bool) -> None:
    settled(site_dir)
    before = run(site_dir, tmp_path / "out")
    checked_out_again(site_dir)  # other times: each file is read to compare its bytes
    if just_changed:
        os.utime(site_dir / "content" / "posts" / "first.md")
    real = publisher.build.sources._read

    def refusing(path: str) -> bytes:
        if path.endswith("first.md"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(publisher.build.sources, "_read", refusing)
    with pytest.raises(BuildFailed) as failed:
        run(site_dir, tmp_path / "out")
    assert [str(problem) for problem in failed.value.problems] == [
        "content/posts/first.md: file: cannot be read (Permission denied)"]
    assert snapshot(tmp_path / "out") == before


def test_a_model_file_of_another_salt_is_not_used(site_dir: Path, tmp_path: Path, parsed: list[str]) -> None:
    settled(site_dir)
    run(site_dir, tmp_path / "out")
    path = model_file(site_dir)
    header, rest = path.read_bytes().split(b"\n", 1)
    path.write_bytes(header.replace(b'"salt": "', b'"salt": "another version ') + b"\n" + rest)
    parsed.clear()
    assert run(site_dir, tmp_path / "out") == run(site_dir, tmp_path / "clean", use_cache=False)
    assert len(parsed) == 2 * 3  # every file, by the build and by the clean one


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # cut short
    lambda data: data.replace(b'"title"', b'"secret"', 1),  # a field the post does not have
    lambda data: data.replace(b'"@": "Post"', b'"@": "Popen"', 1),  # a type the model does not hold
    lambda data: b"\x00\xff" + data,
    lambda data: data.replace(b"]\n[", b"], [", 1),  # two lines run together: one line, two readings
    lambda data: data.replace(b"]\n[", b"]\n\n[", 1),  # an empty line between two
    lambda data: data.replace(b"]\n[", b"]\n[]\n[", 1),  # a line of no reading
])
def test_a_damaged_model_file_is_ignored_and_written_anew(site_dir: Path, tmp_path: Path, parsed: list[str],
                                                          damage: Any) -> None:
    settled(site_dir)
    before = run(site_dir, tmp_path / "out")
    path = model_file(site_dir)
    path.write_bytes(damage(path.read_bytes()))
    parsed.clear()
    assert run(site_dir, tmp_path / "out") == before
    assert len(parsed) == 3
    parsed.clear()
    run(site_dir, tmp_path / "out")
    assert parsed == []  # the file was written whole again


def retitled(site: Path, title: str, minutes: int) -> None:
    """first.md with another title, changed `minutes` after the others (settled, so its bytes are not compared)."""
    post = site / "content" / "posts" / "first.md"
    post.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", post.read_text(encoding="utf-8")), encoding="utf-8")
    os.utime(post, (HOUR_AGO + 60 * minutes, HOUR_AGO + 60 * minutes))


def test_an_edit_adds_its_reading_to_the_model_file_written_whole_once_it_holds_too_many_replaced_lines(
        site_dir: Path, tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-post edit at 10,000 posts wrote the model's 8 MB again: its reading is added at the end of the file
    instead (a source's last line is the one read), until the file would hold more lines no source reads than a
    tenth of the sources and some (three here), when it is written whole."""
    monkeypatch.setattr(publisher.build.persisted, "_SLACK_LINES", 3)
    settled(site_dir)
    run(site_dir, tmp_path / "out")
    path = model_file(site_dir)
    written, inode = path.read_bytes(), path.stat().st_ino
    assert len(written.splitlines()) == 1 + 3  # the header, and a line a source
    for edit in (1, 2, 3):
        retitled(site_dir, f"First, edit {edit}", edit)
        run(site_dir, tmp_path / "out")
        assert path.stat().st_ino == inode and path.read_bytes().startswith(written)
        assert len(path.read_bytes().splitlines()) == 1 + 3 + edit
    parsed.clear()
    after = run(site_dir, tmp_path / "out")
    assert parsed == []  # each source's last line read: nothing parsed again
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    assert "First, edit 3" in after["index.html"].decode("utf-8")
    retitled(site_dir, "First, edit 4", 4)  # 3 lines no source reads, and one more: more than 3 and a tenth of 3
    run(site_dir, tmp_path / "out")
    assert path.stat().st_ino != inode and len(path.read_bytes().splitlines()) == 1 + 3


def test_a_model_file_another_build_wrote_since_it_was_read_is_written_whole(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settled(site_dir)
    run(site_dir, tmp_path / "out")
    path = model_file(site_dir)
    inode = path.stat().st_ino
    save = publisher.build.persisted.KeptModel.save

    def after_another_build(self: Any, model: Any) -> None:
        os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))  # as another build's write would leave it
        save(self, model)

    monkeypatch.setattr(publisher.build.persisted.KeptModel, "save", after_another_build)
    retitled(site_dir, "First, retitled", 1)
    after = run(site_dir, tmp_path / "out")
    assert path.stat().st_ino != inode and len(path.read_bytes().splitlines()) == 1 + 3
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)


def test_a_source_gone_has_the_model_file_written_whole_without_it(site_dir: Path, tmp_path: Path) -> None:
    settled(site_dir)
    run(site_dir, tmp_path / "out")
    path = model_file(site_dir)
    (site_dir / "content" / "posts" / "second.md").unlink()
    run(site_dir, tmp_path / "out")
    assert b"second.md" not in path.read_bytes() and len(path.read_bytes().splitlines()) == 1 + 2


def write_post(site: Path, slug: str, day: int, front: str = "") -> Path:
    path = site / "content" / "posts" / f"{slug}.md"
    path.write_text(f"---\ntitle: Post {slug}\ndate: 2026-03-{day:02d}\n{front}---\n\nAbout {slug}.\n",
                    encoding="utf-8")
    return path


def test_a_new_build_makes_again_only_the_pages_whose_recipe_changed(site_dir: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.pages.render import _PageRenderer

    for day, slug in enumerate(("a", "b", "c", "d", "e"), start=1):
        write_post(site_dir, slug, day)
    run(site_dir, tmp_path / "out", cache_dir=tmp_path / "cache")
    made: list[str] = []
    real = _PageRenderer.post

    def noting(self: _PageRenderer, entry: Any) -> Any:
        made.append(entry.post.source)
        return real(self, entry)

    monkeypatch.setattr(_PageRenderer, "post", noting)
    c = write_post(site_dir, "c", 3)
    c.write_text(c.read_text(encoding="utf-8") + "\nMore about c.\n", encoding="utf-8")
    after = run(site_dir, tmp_path / "out", cache_dir=tmp_path / "cache")
    # c's own page, and its neighbours' (which link to it): not the others' (a new process, the model on disk);
    # c's twice: first ahead of the others, for Pagefind to start on its part of the search index early
    assert sorted(made) == ["content/posts/b.md", "content/posts/c.md", "content/posts/c.md", "content/posts/d.md"]
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)


def test_a_post_image_of_other_dimensions_gives_its_pages_new_attributes(site_dir: Path, tmp_path: Path) -> None:
    from PIL import Image

    image = site_dir / "static" / "img" / "cover.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 630)).save(image)
    write_post(site_dir, "a", 1, "image: /img/cover.png\nimage_alt: A cover\n")
    run(site_dir, tmp_path / "out", cache_dir=tmp_path / "cache")
    Image.new("RGB", (1600, 900)).save(image)  # the same name, other dimensions: the post's HTML is as it was
    after = run(site_dir, tmp_path / "out", cache_dir=tmp_path / "cache")
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    assert b'width="1600"' in after["a/index.html"]


@pytest.fixture
def archives_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times each build makes the archive page's context (a page of many views: 3 here, not 64)."""
    import publisher.pages.render
    from publisher.pages.render import _PageRenderer

    monkeypatch.setattr(publisher.pages.render, "MANY_VIEWS", 3)
    made: list[int] = []
    real = _PageRenderer.archive_page

    def noting(self: _PageRenderer) -> Any:
        made.append(1)
        return real(self)

    monkeypatch.setattr(_PageRenderer, "archive_page", noting)
    return made


def edit_body(path: Path, words: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{words}\n", encoding="utf-8")


def test_the_archive_is_kept_while_what_it_shows_of_each_post_is_the_same(
        site_dir: Path, tmp_path: Path, archives_made: list[int]) -> None:
    posts = [write_post(site_dir, slug, day) for day, slug in enumerate(("a", "b", "c", "d", "e"), start=1)]
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    assert archives_made == [1]
    edit_body(posts[2], "More about c.")  # its page changes; the archive shows its date, link and title only
    assert run(site_dir, tmp_path / "out", cache_dir=cache) == run(site_dir, tmp_path / "clean", use_cache=False)
    assert archives_made == [1, 1]  # the clean build's
    about = site_dir / "content" / "pages" / "about.md"
    edit_body(about, "More about us.")  # the archive's recipe is as the last build's: its record is kept
    run(site_dir, tmp_path / "out", cache_dir=cache)
    edit_body(posts[3], "More about d.")
    run(site_dir, tmp_path / "out", cache_dir=cache)
    assert archives_made == [1, 1]
    posts[1].write_text(posts[1].read_text(encoding="utf-8").replace("title: Post b", "title: Post b, renamed"),
                        encoding="utf-8")
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert archives_made == [1, 1, 1]
    assert "Post b, renamed" in after["archive/index.html"].decode("utf-8")
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    write_post(site_dir, "f", 6)  # the same posts' views, and one more: another shape
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert len(archives_made) == 5 and "Post f" in after["archive/index.html"].decode("utf-8")


def _archive_record(change: Any) -> Any:
    """A damage to the archive's record in the file (the home page and 404 have theirs too)."""
    def damage(data: bytes) -> bytes:
        stored = json.loads(data)
        change(stored["pages"]["archive/index.html"])
        return json.dumps(stored).encode()
    return damage


@pytest.mark.parametrize("damage", [
    lambda data: data[: len(data) // 2],  # cut short
    _archive_record(lambda record: record["entries"].update({"content/posts/zz.md": [1, [], 2]})),
    _archive_record(lambda record: record.update(  # another first digit: "0…" for one fingerprint in 16
        fingerprint=("1" if record["fingerprint"].startswith("0") else "0") + record["fingerprint"][1:])),
    _archive_record(lambda record: record["entries"]["content/posts/a.md"].__setitem__(1, [7])),
    _archive_record(lambda record: record["entries"]["content/posts/a.md"].__setitem__(1, ["no such key"])),
    _archive_record(lambda record: record.update(entries=[])),
    lambda data: data.replace(b'"salt": "', b'"salt": "0', 1),
])
def test_a_damaged_record_of_the_archive_makes_it_again(site_dir: Path, tmp_path: Path, archives_made: list[int],
                                                       damage: Any) -> None:
    posts = [write_post(site_dir, slug, day) for day, slug in enumerate(("a", "b", "c", "d"), start=1)]
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    [record] = cache.glob("reads-*.json")
    damaged = damage(record.read_bytes())
    assert damaged != record.read_bytes()
    record.write_bytes(damaged)
    edit_body(posts[0], "More about a.")
    assert run(site_dir, tmp_path / "out", cache_dir=cache) == run(site_dir, tmp_path / "clean", use_cache=False)
    assert archives_made == [1, 1, 1]  # the build's, and the clean one's


@pytest.fixture
def rankings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many posts each ranking of related posts ranks."""
    import publisher.site.clusters as clusters

    ranked: list[int] = []
    real = clusters._related_sources

    def noting(ranked_by: Any) -> Any:
        ranked.append(len(ranked_by))
        return real(ranked_by)

    monkeypatch.setattr(clusters, "_related_sources", noting)
    return ranked


def test_the_related_posts_ranking_is_kept_by_every_posts_date_and_keys(site_dir: Path, tmp_path: Path,
                                                                       rankings: list[int]) -> None:
    posts = [write_post(site_dir, slug, day, "tags: [growth]\n") for day, slug in enumerate("abcd", start=1)]
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    assert len(rankings) == 1
    edit_body(posts[0], "More about a.")  # a new process, the same dates and tags: the ranking on disk
    assert run(site_dir, tmp_path / "out", cache_dir=cache) == run(site_dir, tmp_path / "clean", use_cache=False)
    assert len(rankings) == 2  # the clean build's
    write_post(site_dir, "b", 2, "tags: [retention]\n")  # another tag: ranked again, as a clean build ranks
    assert run(site_dir, tmp_path / "out", cache_dir=cache) == run(site_dir, tmp_path / "clean", use_cache=False)
    assert len(rankings) == 4


@pytest.mark.parametrize("damage", [
    lambda ranking: ranking.update({"content/posts/zz.md": []}),  # a post the site does not have
    lambda ranking: ranking.update({source: ["content/posts/zz.md"] for source in ranking}),
    lambda ranking: ranking.update({source: [7] for source in ranking}),
    lambda ranking: ranking.pop(next(iter(ranking))),
])
def test_a_damaged_ranking_on_disk_is_ranked_again(site_dir: Path, tmp_path: Path, rankings: list[int],
                                                   damage: Any) -> None:
    for day, slug in enumerate("abc", start=1):
        write_post(site_dir, slug, day, "tags: [growth]\n")
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    path = cache / "related.json"
    stored = json.loads(path.read_bytes())
    [ranking] = stored.values()
    damage(ranking)
    path.write_text(json.dumps(stored), encoding="utf-8")
    assert run(site_dir, tmp_path / "out", cache_dir=cache) == run(site_dir, tmp_path / "clean", use_cache=False)
    assert len(rankings) == 3
    assert json.loads(path.read_bytes()) != stored  # the ranking made anew is kept in its place


def test_the_page_manifest_records_each_page_as_its_file_is_after_an_edit(site_dir: Path, tmp_path: Path) -> None:
    posts = [write_post(site_dir, slug, day) for day, slug in enumerate("abcd", start=1)]
    cache, out = tmp_path / "cache", tmp_path / "out"
    run(site_dir, out, cache_dir=cache)
    [manifest] = cache.glob("pages-*.json")
    first = json.loads(manifest.read_bytes())["pages"]
    time.sleep(0.01)  # a page written again has another modification time
    edit_body(posts[1], "More about b.")  # b's page is written again; most pages are left as they were
    with (out / "d" / "index.html").open("ab") as page:  # and d's, made from the same as before, put right
        page.write(b"<!-- edited by hand -->")
    run(site_dir, out, cache_dir=cache)
    pages = json.loads(manifest.read_bytes())["pages"]
    assert pages.keys() == first.keys()
    for path, (_, size, written, *_) in pages.items():  # when written: see `files.changed_at`
        found = os.stat(out / path)
        assert [size, written] == [found.st_size, max(found.st_mtime_ns, found.st_ctime_ns)], path
    assert pages["b/index.html"][1:3] != first["b/index.html"][1:3]
    assert pages["d/index.html"][0] == first["d/index.html"][0]  # the same fingerprint, a file written anew
    assert sum(pages[path][1:3] == first[path][1:3] for path in pages) > len(pages) // 2


@pytest.fixture
def walked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The output path of each page whose recipe a build walks through for its digest (`pages.recipes`); the
    tests' check of the recipes taken as kept is off here (it walks every one)."""
    import publisher.pages.render
    from publisher.pages.recipes import RecipeDigests
    from publisher.pages.render import _PageRenderer

    monkeypatch.setattr(publisher.pages.render, "CHECK_KEPT_RECIPES", False)
    noted: list[str] = []
    asked: list[str] = []
    real_recipe, real_walk = _PageRenderer._recipe, RecipeDigests.with_entries

    def recipe(self: _PageRenderer, plan: Any) -> Any:
        asked.append(plan.path)
        try:
            return real_recipe(self, plan)
        finally:
            asked.pop()

    def walk(self: RecipeDigests, recipe: Any) -> Any:
        if asked:
            noted.append(asked[-1])
        return real_walk(self, recipe)

    monkeypatch.setattr(_PageRenderer, "_recipe", recipe)
    monkeypatch.setattr(RecipeDigests, "with_entries", walk)
    return noted


def pages_linking(output: dict[str, bytes], url: str) -> set[str]:
    return {path for path, data in output.items() if path.endswith(".html") and f'href="{url}"'.encode() in data}


def test_a_body_edit_walks_the_recipes_of_the_pages_that_show_the_post_alone(site_dir: Path, tmp_path: Path,
                                                                           walked: list[str]) -> None:
    """The site's structure (every post but its body, the previews) is as it was, so a page whose entries each
    have the digest they had is taken as made from the recipe it was: c's own page and those that show c (its
    neighbours, the lists it is in) are walked, not the others."""
    posts = {slug: write_post(site_dir, slug, day, f"tags: [{'odd' if slug == 'c' else 'even'}]\n")
             for day, slug in enumerate("abcdef", start=1)}
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    walked.clear()
    edit_body(posts["c"], "More about c.")
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    assert "c/index.html" in walked and "index.html" in walked
    assert set(walked) - {"c/index.html"} <= pages_linking(after, "/c/")
    assert {"a/index.html", "f/index.html", "tags/even/index.html"}.isdisjoint(walked)


def set_in_site_table(site: Path, line: str) -> None:
    """`line` added to the settings' `[site]` table."""
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", f"[site]\n{line}\n"), encoding="utf-8")


def test_a_date_edit_that_moves_a_post_to_another_page_of_the_list_walks_every_recipe(
        site_dir: Path, tmp_path: Path, walked: list[str]) -> None:
    """A post's front matter is the site's structure: a later date moves c to the first page of the home list,
    and the post that leaves it to the second, which did not show c before."""
    set_in_site_table(site_dir, "posts_per_page = 2")
    for day, slug in enumerate("abcdef", start=1):
        write_post(site_dir, slug, day)
    cache = tmp_path / "cache"
    before = run(site_dir, tmp_path / "out", cache_dir=cache)
    home = sorted(path for path in before if path == "index.html" or path.startswith("page/"))
    assert len(home) >= 3 and 'href="/c/"' not in before["index.html"].decode()
    walked.clear()
    write_post(site_dir, "c", 20)
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    assert 'href="/c/"' in after["index.html"].decode()
    assert {"a/index.html", *home} <= set(walked)


def test_a_tag_given_to_a_post_walks_every_recipe(site_dir: Path, tmp_path: Path, walked: list[str]) -> None:
    """c, tagged as the others too, comes onto their tag's page, which did not show it before: the site's order,
    its tags and its cards as they were (c's card names its first tag), but c's front matter another."""
    for day, slug in enumerate("abcdef", start=1):
        write_post(site_dir, slug, day, f"tags: [{'odd' if slug in 'cd' else 'even'}]\n")
    cache = tmp_path / "cache"
    before = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert 'href="/c/"' not in before["tags/even/index.html"].decode()
    walked.clear()
    write_post(site_dir, "c", 3, "tags: [odd, even]\n")
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    assert 'href="/c/"' in after["tags/even/index.html"].decode()
    assert {"a/index.html", "tags/even/index.html"} <= set(walked)


def test_a_new_logo_walks_every_recipe_though_no_post_changed(site_dir: Path, tmp_path: Path,
                                                              walked: list[str]) -> None:
    """The previews are the site's structure too: the logo is drawn on every card, whose file name changes."""
    from PIL import Image

    logo = site_dir / "static" / "img" / "logo.png"
    logo.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 40), "navy").save(logo)
    set_in_site_table(site_dir, 'logo = "/img/logo.png"')
    for day, slug in enumerate("abc", start=1):
        write_post(site_dir, slug, day)
    cache = tmp_path / "cache"
    before = run(site_dir, tmp_path / "out", cache_dir=cache)
    walked.clear()
    Image.new("RGB", (40, 40), "teal").save(logo)
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    assert after["a/index.html"] != before["a/index.html"]  # its card, and so its og:image, is another
    assert "a/index.html" in walked


@pytest.mark.parametrize("damage", [
    lambda stored: stored.update(sources="content/posts/a.md"),
    lambda stored: stored.update(digests=stored["digests"][1:]),
    lambda stored: stored.update(sources=[*stored["sources"][:-1], stored["sources"][0]]),
    lambda stored: [record.__setitem__(4, [len(stored["sources"])]) for record in stored["pages"].values()
                    if len(record) == 5],
    lambda stored: [record.__setitem__(4, ["0"]) for record in stored["pages"].values() if len(record) == 5],
])
def test_a_damaged_record_of_the_structure_has_every_recipe_walked(site_dir: Path, tmp_path: Path,
                                                                   walked: list[str], damage: Any) -> None:
    posts = [write_post(site_dir, slug, day) for day, slug in enumerate("abcd", start=1)]
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    [manifest] = cache.glob("pages-*.json")
    stored = json.loads(manifest.read_bytes())
    damage(stored)
    manifest.write_text(json.dumps(stored), encoding="utf-8")
    walked.clear()
    edit_body(posts[0], "More about a.")
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    assert "d/index.html" in walked  # d does not show a: its recipe was walked for want of a record to trust


def test_the_tests_check_fails_a_build_that_takes_a_recipe_as_kept_that_is_another(site_dir: Path,
                                                                                     tmp_path: Path) -> None:
    """The check every other test runs with (`conftest.kept_results_checked`) catches a recipe taken as kept
    when it is not the one the page is made from: here a record that says another recipe."""
    for day, slug in enumerate("abc", start=1):
        write_post(site_dir, slug, day)
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    [manifest] = cache.glob("pages-*.json")
    stored = json.loads(manifest.read_bytes())
    stored["pages"]["a/index.html"][3] = "0" * 64
    manifest.write_text(json.dumps(stored), encoding="utf-8")
    taken = re.escape("a/index.html: its recipe was taken as kept, but it is another")
    with pytest.raises(AssertionError, match=taken):
        run(site_dir, tmp_path / "out", cache_dir=cache)


def test_pages_made_by_workers_from_recipes_taken_as_kept_are_recorded_for_the_next_build(
        site_dir: Path, tmp_path: Path, walked: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A CI build: the cache kept, the output folder gone, every page made again, by forked workers, from recipes
    taken as kept (each worker sends back the places of a page's entries alone); the next build takes them."""
    import publisher.pages.parallel

    monkeypatch.setattr(publisher.pages.parallel, "SERIAL", 2)
    posts = [write_post(site_dir, slug, day) for day, slug in enumerate("abcdefgh", start=1)]
    cache, out = tmp_path / "cache", tmp_path / "out"

    def built() -> dict[str, bytes]:
        build(BuildOptions(config=site_dir / "publisher.toml", output=out, now=NOW, workers=2, cache_dir=cache))
        return snapshot(out)

    built()
    shutil.rmtree(out)
    edit_body(posts[2], "More about c.")
    walked.clear()
    assert built() == run(site_dir, tmp_path / "clean", use_cache=False)
    assert "a/index.html" not in walked  # taken as kept, then made again for want of its file
    edit_body(posts[2], "Still more about c.")
    walked.clear()  # a build in this process alone (a worker's walks are not noted here)
    assert run(site_dir, out, cache_dir=cache) == run(site_dir, tmp_path / "clean", use_cache=False)
    assert "c/index.html" in walked and "a/index.html" not in walked


@pytest.fixture
def read_whole(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source of each post whose share settings and variants a build reads whole (`share.plan._read_post`);
    the tests' check of the outlines taken as kept is off here (it reads every post whole)."""
    import publisher.share.plan as plan

    monkeypatch.setattr(plan, "CHECK_KEPT_OUTLINES", False)
    noted: list[str] = []
    real = plan._read_post

    def noting(entry: Any, *args: Any) -> Any:
        noted.append(Path(entry.post.source).stem)
        return real(entry, *args)

    monkeypatch.setattr(plan, "_read_post", noting)
    return noted


def share_setting(site: Path, line: str) -> None:
    """`line` in the settings' `[share]` table."""
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + f"\n[share]\n{line}\n", encoding="utf-8")


def share_feed(output: dict[str, bytes]) -> list[dict[str, Any]]:
    """The share feed's items, each with publisher's fields (network, variant, post URL) among its own."""
    return [{**item, **item["_publisher"]} for item in json.loads(output["share/share.json"])["items"]]


def test_a_body_edit_reads_whole_the_share_settings_of_the_posts_the_feed_carries_alone(
        site_dir: Path, tmp_path: Path, read_whole: list[str]) -> None:
    """Every other post's outline (its networks, hashtags and variants' numbers, which the schedule reads) is taken
    as the last build kept it by its summary, `share:` and rendered Markdown."""
    share_setting(site_dir, "recent = 2")  # the two latest items of each network
    posts = {slug: write_post(site_dir, slug, day) for day, slug in enumerate("abcdefgh", start=1)}
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    assert {"a", "c", "h"} <= set(read_whole)
    read_whole.clear()
    edit_body(posts["c"], "More about c.")
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    carried = {item["post_url"].rstrip("/").rsplit("/", 1)[-1] for item in share_feed(after)}
    assert carried == {"g", "h"}
    assert set(read_whole) == {"c", "g", "h"}
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)


def test_a_pull_quote_added_to_a_post_gives_it_a_reshare_as_a_clean_build_does(site_dir: Path,
                                                                                tmp_path: Path) -> None:
    """The post's outline is read again (its rendered Markdown is another), and the schedule made again with
    its re-share."""
    posts = {slug: write_post(site_dir, slug, day) for day, slug in enumerate("abcd", start=1)}
    cache = tmp_path / "cache"
    before = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert {item["variant"] for item in share_feed(before)} == {"announce"}
    edit_body(posts["b"], "> [!pullquote]\n> Nobody reports the likes in the Monday meeting any more.")
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    reshares = [item for item in share_feed(after) if item["variant"] != "announce"]
    assert reshares and all(item["post_url"].endswith("/b/") for item in reshares)


def test_a_share_setting_given_to_a_post_is_read_as_a_clean_build_reads_it(site_dir: Path, tmp_path: Path) -> None:
    posts = {slug: write_post(site_dir, slug, day) for day, slug in enumerate("abc", start=1)}
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    write_post(site_dir, "b", 2, "share:\n  networks: [linkedin]\n  hashtags: [metrics]\n")
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)
    networks = {item["network"] for item in share_feed(after) if item["post_url"].endswith("/b/")}
    assert networks == {"linkedin"}
    edit_body(posts["c"], "More about c.")  # b's outline, now with its own settings, kept
    assert run(site_dir, tmp_path / "out", cache_dir=cache) == run(site_dir, tmp_path / "clean", use_cache=False)


def _every_outline(change: Any) -> Any:
    def damage(stored: dict[str, Any]) -> None:
        for key in stored:
            stored[key] = change(stored[key])
    return damage


@pytest.mark.parametrize("damage", [
    _every_outline(lambda record: record[:3]),
    _every_outline(lambda record: [record[0], ["0"], *record[2:]]),
    _every_outline(lambda record: [*record[:3], 0]),  # no text of its own, but not as a build writes it
    _every_outline(lambda record: "[]"),
])
def test_a_damaged_outline_on_disk_is_read_again(site_dir: Path, tmp_path: Path, read_whole: list[str],
                                                 damage: Any) -> None:
    share_setting(site_dir, "recent = 1")
    posts = {slug: write_post(site_dir, slug, day) for day, slug in enumerate("abcd", start=1)}
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    path = cache / "share-outlines.json"
    stored = json.loads(path.read_bytes())
    damage(stored)
    path.write_text(json.dumps(stored), encoding="utf-8")
    read_whole.clear()
    edit_body(posts["b"], "More about b.")
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    assert "a" in read_whole  # a's item is not in the feed: it was read whole for want of an outline to trust
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)


def test_the_tests_check_fails_a_build_that_takes_an_outline_as_kept_that_is_another(site_dir: Path,
                                                                                       tmp_path: Path) -> None:
    """The check every other test runs with (`conftest.kept_results_checked`) catches a post's share outline taken
    as kept when it is not the one its settings and variants give: here a record with a re-share more."""
    for day, slug in enumerate("abc", start=1):
        write_post(site_dir, slug, day)
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    path = cache / "share-outlines.json"
    stored = json.loads(path.read_bytes())
    path.write_text(json.dumps({key: [*record[:1], [0, 1], *record[2:]] for key, record in stored.items()}),
                    encoding="utf-8")
    taken = re.escape("its share outline was taken as kept, but it is another")
    with pytest.raises(AssertionError, match=taken):
        run(site_dir, tmp_path / "out", cache_dir=cache)


def test_a_body_edit_takes_every_posts_digest_as_its_file_was_read(site_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The site's structure takes each post by the digest of its `repr` taken when its file was parsed, kept with
    its reading in the model (`content.model.post_digest`): a body edit (the post reads as before) takes none
    again for the pages, where every post's `repr` took 0.1 s a build at 10,000 posts. (The feeds take theirs:
    the 20 latest posts', and the tagged posts' of the good site.)"""
    import publisher.pages.recipes as recipes

    posts = [write_post(site_dir, f"p{day:02d}", day) for day in range(1, 26)]
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    taken: list[str] = []
    real = recipes.post_digest

    def noting(post: Any) -> str:
        taken.append(Path(post.source).stem)
        return real(post)

    monkeypatch.setattr(recipes, "post_digest", noting)
    edit_body(posts[2], "More about p03.")
    after = run(site_dir, tmp_path / "out", cache_dir=cache)
    in_feeds = {f"p{day:02d}" for day in range(6, 26)} | {"first", "second"}  # the latest, and the tags' feeds
    assert taken and set(taken) <= in_feeds
    assert after == run(site_dir, tmp_path / "clean", use_cache=False)


def test_the_tests_check_fails_a_build_that_takes_a_posts_digest_as_kept_that_is_another(site_dir: Path,
                                                                                           tmp_path: Path) -> None:
    """The check every other test runs with (`conftest.kept_results_checked`) catches a post's digest kept with its
    reading in the model that is not its post's: here one written over."""
    for day, slug in enumerate("abc", start=1):
        write_post(site_dir, slug, day)
    cache = tmp_path / "cache"
    run(site_dir, tmp_path / "out", cache_dir=cache)
    [path] = cache.glob("model-*.json")
    lines = path.read_bytes().splitlines(keepends=True)
    [line] = [line for line in lines if b'"content/posts/b.md"' in line[:40]]
    damaged = re.sub(rb'"post_digest": "[0-9a-f]{64}"', b'"post_digest": "' + b"0" * 64 + b'"', line)
    assert damaged != line
    path.write_bytes(b"".join(damaged if each is line else each for each in lines))
    taken = re.escape("content/posts/b.md: its post's digest was taken as kept, but it is another")
    with pytest.raises(AssertionError, match=taken):
        run(site_dir, tmp_path / "out", cache_dir=cache)
