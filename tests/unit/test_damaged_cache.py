"""A cache is never trusted: whatever file of `.publisher-cache/` comes damaged, a build gives a clean build's
bytes (each kind of file the cache holds, one of each, put in place with other bytes or cut in half)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.core.errors import BuildFailed

from ..conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def one_of_each_kind(cache: Path) -> list[Path]:
    """A file of each kind the cache holds: by its folder (a search part's folders as one) and its suffix."""
    kinds: dict[tuple[str, str], Path] = {}
    for path in sorted(cache.rglob("*")):
        if path.is_file() and not path.is_symlink():
            folder = path.parent.relative_to(cache).as_posix()
            kind = ("/".join(part if len(part) < 40 else "<key>" for part in folder.split("/")), path.suffix)
            kinds.setdefault(kind, path)
    return list(kinds.values())


def damage(path: Path, how: str) -> None:
    """Other bytes, or the file cut in half, put in its place (a new file: a link to the old one keeps its bytes)."""
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data[: len(data) // 2] if how == "cut in half" else bytes(reversed(data)) + b"\x00damaged")


def test_a_build_with_any_cache_file_damaged_gives_a_clean_builds_bytes(site_dir: Path, tmp_path: Path) -> None:
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n[search]\nshard_size = 1\n")  # the index in parts, kept by the store
    cache, out = tmp_path / "cache", tmp_path / "out"
    options = BuildOptions(config=site_dir / "publisher.toml", now=NOW, cache_dir=cache, output=out)
    build(options)
    shutil.copytree(cache, tmp_path / "cache-as-built", symlinks=True)
    shutil.copytree(out, tmp_path / "out-as-built", symlinks=True)
    post = site_dir / "content" / "posts" / "second.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA paragraph more.\n", encoding="utf-8")
    clean = snapshot(build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=tmp_path / "clean",
                                        use_cache=False)).output_dir)
    damaged = one_of_each_kind(tmp_path / "cache-as-built")
    assert len(damaged) >= 10  # cards, Markdown, the model, the bodies, the search parts, the page records...
    wrong: list[str] = []
    for kept in damaged:
        for how in ("other bytes", "cut in half"):
            for folder, built in ((cache, "cache-as-built"), (out, "out-as-built")):
                shutil.rmtree(folder)
                shutil.copytree(tmp_path / built, folder, symlinks=True)
            damage(cache / kept.relative_to(tmp_path / "cache-as-built"), how)
            try:
                build(options)
            except BuildFailed as failed:
                pytest.fail(f"{kept.relative_to(tmp_path)} ({how}): {failed.problems}")
            if snapshot(out) != clean:
                wrong.append(f"{kept.relative_to(tmp_path / 'cache-as-built')} ({how})")
    assert wrong == []
