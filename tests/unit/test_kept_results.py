"""Results kept by key between builds (`build.cache.KeptResults`: fitted share texts, each post's share variants,
the share schedule, the related posts' ranking): a build that changes a few adds them at the end of the file,
and one that finds the file otherwise than it read it, or holding many results no longer used, writes it whole.
Read back, the file always gives each key's latest result."""

from __future__ import annotations

import json
import os
from pathlib import Path

from publisher.build.cache import KeptResults


def kept(path: Path, results: dict[str, str], *, keep_unused: bool = False) -> KeptResults:
    """A build's use of the file: each result asked for (made when not kept), then saved."""
    store = KeptResults(path)
    for key, value in results.items():
        store.get(key, lambda value=value: {"text": value})  # type: ignore[misc]
    store.save(keep_unused=keep_unused)
    return store


def read_back(path: Path, keys: list[str]) -> dict[str, object]:
    store = KeptResults(path)
    return {key: store.get(key, lambda: None) for key in keys}


def test_a_few_new_results_are_added_at_the_end_of_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "variants.json"
    first = {f"post-{n}": f"variants of {n}" for n in range(100)}
    kept(path, first)
    before, inode = path.read_bytes(), path.stat().st_ino
    edited = {**first, "post-7 edited": "variants of 7, edited"}
    del edited["post-7"]
    kept(path, edited)
    after = path.read_bytes()
    assert path.stat().st_ino == inode and after.startswith(before[:-1])  # the same file, added to
    assert after.count(b'"text"') == before.count(b'"text"') + 1  # the one new result alone
    assert read_back(path, list(edited)) == {key: {"text": value} for key, value in edited.items()}
    json.loads(after)  # still one JSON object


def test_a_result_changed_under_its_key_reads_back_as_its_latest(tmp_path: Path) -> None:
    path = tmp_path / "fits.json"
    kept(path, {f"post-{n}": "first" for n in range(20)})
    store = KeptResults(path)
    for n in range(20):
        store.get(f"post-{n}", lambda: {"text": "first"})
    store.new[next(iter(store.new))] = {"text": "second"}  # a result made again: another value, the same key
    store.save()
    assert list(read_back(path, ["post-0", "post-1"]).values()) == [{"text": "second"}, {"text": "first"}]


def test_a_file_holding_many_results_no_longer_used_is_written_whole_without_them(tmp_path: Path) -> None:
    path = tmp_path / "variants.json"
    kept(path, {f"post-{n}": f"v{n}" for n in range(100)})
    inode = path.stat().st_ino
    kept(path, {f"post-{n}": f"v{n}" for n in range(50)})  # half the posts gone
    assert path.stat().st_ino != inode and len(json.loads(path.read_bytes())) == 50


def test_a_file_another_build_wrote_since_it_was_read_is_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "variants.json"
    kept(path, {f"post-{n}": f"v{n}" for n in range(10)})
    store = KeptResults(path)
    for n in range(10):
        store.get(f"post-{n}", lambda: None)
    store.get("post-new", lambda: {"text": "new"})
    kept(path, {**{f"post-{n}": f"v{n}" for n in range(10)}, "other": "another build's"})  # meanwhile
    store.save()
    assert len(json.loads(path.read_bytes())) == 11  # this build's results, whole, not added to the other's
    assert read_back(path, ["post-new", "other"]) == {"post-new": {"text": "new"}, "other": None}


def test_a_file_cut_short_is_not_trusted_and_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "variants.json"
    kept(path, {f"post-{n}": f"v{n}" for n in range(10)})
    path.write_bytes(path.read_bytes()[:-5])  # a build killed while it added its results
    os.utime(path)
    assert read_back(path, ["post-1"]) == {"post-1": None}
    kept(path, {"post-1": "v1", "post-2": "v2"})
    assert len(json.loads(path.read_bytes())) == 2
