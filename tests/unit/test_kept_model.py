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
