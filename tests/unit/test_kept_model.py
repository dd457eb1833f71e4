"""`publisher build` keeps its model on disk: the next build parses only the source files that changed, gives
what a clean build gives, and ignores a model file that is another salt's or does not read back whole."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import publisher.build.sources
from publisher.build.pipeline import BuildOptions, build
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
