"""`serve` lists the site's files from what its watcher reported (`build.inputs`, `commands.serve.ChangeLog`):
after any file operations, that listing equals a walk of the folders. The watcher is watchdog's, on real
folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.build.inputs import Changes, FileStates
from publisher.commands.serve import ChangeLog

from ..conftest import examples
from .watcher import NotedChangeLog, watched

FOLDERS = ("content", "static")
NAMES = ("a.md", "b.md", "c.txt")
SUBFOLDERS = ("", "posts", "posts/deep")


@contextmanager
def watched_site(root: Path) -> Iterator[NotedChangeLog]:
    for folder in FOLDERS:
        (root / folder / "posts").mkdir(parents=True)
        (root / folder / "posts" / "a.md").write_text("first\n", encoding="utf-8")
    with watched(root, root / "output") as changes:
        yield changes


def listing(root: Path, previous: FileStates | None = None, changes: Changes | None = None) -> FileStates:
    return FileStates.scan([root / folder for folder in FOLDERS], previous=previous, changes=changes)


# (operation, folder, subfolder, name, another subfolder)
OPERATIONS = st.tuples(st.sampled_from(["write", "append", "save by rename", "delete", "rename", "folder",
                                        "remove folder", "move folder"]),
                       st.sampled_from(FOLDERS), st.sampled_from(SUBFOLDERS), st.sampled_from(NAMES),
                       st.sampled_from(SUBFOLDERS))


def operate(root: Path, operation: tuple[str, str, str, str, str]) -> bool:
    """Do it; whether it moved, made or removed a folder."""
    kind, top, sub, name, other = operation
    folder, elsewhere = root / top / sub, root / top / other / "moved"
    path = folder / name
    if kind in ("write", "append"):
        made = not folder.is_dir()
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("a" if kind == "append" else "w", encoding="utf-8") as file:
            file.write(f"{kind} {operation}\n")
        return made
    if kind == "save by rename" and folder.is_dir():  # as editors save: a new file renamed over the old
        temporary = folder / f".{name}.tmp"
        temporary.write_text(f"saved {operation}\n", encoding="utf-8")
        os.replace(temporary, path)
    elif kind == "delete" and path.is_file():
        path.unlink()
    elif kind == "rename" and path.is_file() and (root / top / other).is_dir():
        os.replace(path, root / top / other / f"renamed-{name}")
    elif kind == "folder":
        (folder / "new").mkdir(parents=True, exist_ok=True)
        (folder / "new" / name).write_text("made\n", encoding="utf-8")
        return True
    elif kind == "remove folder" and sub and folder.is_dir():
        shutil.rmtree(folder)
        return True
    elif kind == "move folder" and sub and folder.is_dir() and not elsewhere.exists() and elsewhere.parent.is_dir() \
            and folder not in elsewhere.parents:
        os.replace(folder, elsewhere)
        return True
    return False


@settings(max_examples=examples(20), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(OPERATIONS, min_size=1, max_size=4), min_size=1, max_size=4))
def test_the_listing_kept_from_the_watchers_reports_equals_a_walk(tmp_path_factory, batches) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("watched")
    with watched_site(root) as changes:
        assert changes.take() is None  # nothing is known before the first take: that build walks everything
        kept = listing(root)
        for batch in batches:
            folders_changed = [operate(root, operation) for operation in batch]
            changes.settle()
            taken = changes.take()
            if not any(folders_changed):  # files alone: the listing comes from the reports
                assert taken is not None
            kept = listing(root, kept, taken)
            assert kept.folders == listing(root).folders, f"after {batch}"
            assert kept.listing().digest == listing(root).listing().digest


def test_a_folder_with_a_symbolic_link_is_walked_again_whatever_the_watcher_says(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "shared.md").write_text("one\n", encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    (content / "linked").symlink_to(outside)
    kept = FileStates.scan([content])
    (outside / "shared.md").write_text("two, longer\n", encoding="utf-8")  # reported by no watcher of content/
    nothing_reported = Changes((str(content.resolve()),), frozenset())
    again = FileStates.scan([content], previous=kept, changes=nothing_reported)
    assert again.folders == FileStates.scan([content]).folders
    assert again.folders != kept.folders


def test_a_folder_no_watcher_vouches_for_is_walked_again(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "base.html").write_text("one\n", encoding="utf-8")
    kept = FileStates.scan([theme])
    (theme / "base.html").write_text("two, longer\n", encoding="utf-8")
    elsewhere = Changes((str((tmp_path / "content").resolve()),), frozenset())
    assert FileStates.scan([theme], previous=kept, changes=elsewhere).folders == FileStates.scan([theme]).folders


def test_the_change_log_loses_track_after_a_burst_too_large_to_trust(tmp_path: Path) -> None:
    changes = ChangeLog([tmp_path])
    assert changes.take() is None
    for number in range(ChangeLog.most):
        changes.note(str(tmp_path / f"{number}.md"))
    assert changes.take() is not None
    for number in range(ChangeLog.most + 1):
        changes.note(str(tmp_path / f"{number}.md"))
    assert changes.take() is None
    assert changes.take() == Changes((str(tmp_path.resolve()),), frozenset())

