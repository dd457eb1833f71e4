"""The digests of code: a folder's files, or some modules and libraries; by their bytes and versions, never their
times."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publisher.core.hashing import code_digest, tree_digest


def make_tree(root: Path) -> None:
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "a.py").write_text("A = 1\n")
    (root / "pkg" / "b.py").write_text("B = 2\n")
    (root / "notes.txt").write_text("not code\n")


def test_new_times_leave_it_and_any_other_change_makes_another(tmp_path: Path) -> None:
    make_tree(tmp_path)
    before = tree_digest(tmp_path, "*.py")
    for path in tmp_path.rglob("*"):
        os.utime(path, ns=(1, 10**18))
    assert tree_digest(tmp_path, "*.py") == before
    (tmp_path / "notes.txt").write_text("changed, but not code\n")
    assert tree_digest(tmp_path, "*.py") == before
    changed = {
        "a byte": lambda: (tmp_path / "pkg" / "a.py").write_text("A = 2\n"),
        "a name": lambda: (tmp_path / "pkg" / "b.py").rename(tmp_path / "pkg" / "c.py"),
        "a file more": lambda: (tmp_path / "pkg" / "d.py").write_text(""),
    }
    seen = {before}
    for change in changed.values():
        change()
        seen.add(tree_digest(tmp_path, "*.py"))
    assert len(seen) == 1 + len(changed)


def test_bytes_moved_from_one_file_to_the_next_make_another(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x")
    (tmp_path / "b.py").write_text("yz")
    before = tree_digest(tmp_path, "*.py")
    (tmp_path / "a.py").write_text("xy")
    (tmp_path / "b.py").write_text("z")
    assert tree_digest(tmp_path, "*.py") != before


def test_code_digest_follows_the_modules_bytes_and_the_libraries_versions(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    make_tree(tmp_path)
    modules = [tmp_path / "pkg" / "a.py", tmp_path / "pkg" / "b.py"]
    before = code_digest(modules, ["Pillow"])
    os.utime(modules[0], ns=(1, 10**18))
    assert code_digest(modules, ["Pillow"]) == before
    with monkeypatch.context() as upgraded:
        upgraded.setattr(importlib.metadata, "version", lambda name: "99.0")  # another Pillow installed
        assert code_digest(modules, ["Pillow"]) != before
    assert code_digest(modules, ["Pillow"]) == before
    modules[1].write_text("B = 3\n")
    assert code_digest(modules, ["Pillow"]) != before


def test_code_that_cannot_be_read_counts_by_publishers_version(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import publisher

    missing = [tmp_path / "inside.zip" / "cards.py"]  # as from a zip: no file to read
    before = code_digest(missing)
    assert code_digest(missing) == before
    monkeypatch.setattr(publisher, "__version__", "0.0.0-other")
    assert code_digest(missing) != before
