"""`serve`'s watcher on real folders: a watched folder deleted and made again (a backup restored, a sync tool,
a branch switched with a script that replaces content/) is watched again."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

from publisher.commands.serve import WATCHED_FOLDERS, ChangeLog, watching


def test_a_watched_folder_deleted_and_made_again_is_watched_again(tmp_path: Path) -> None:
    """Edits in the new content/ went unseen for good: the watch was on the folder that went, and the folder's
    coming back was taken for one already watched. The served pages stayed as they were, whatever was saved."""
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (tmp_path / "output").mkdir()
    noticed = threading.Event()
    with watching(tmp_path, tmp_path / "output", noticed.set, ChangeLog(tmp_path / n for n in WATCHED_FOLDERS)):
        shutil.rmtree(tmp_path / "content")
        assert noticed.wait(timeout=10)
        posts.mkdir(parents=True)  # made again
        (posts / "a.md").write_text("first\n", encoding="utf-8")
        assert noticed.wait(timeout=10)
        for _ in range(50):  # until the burst of the folder's coming back is over (a notice at most each 0.1 s)
            noticed.clear()
            if not noticed.wait(timeout=0.2):
                break
        (posts / "a.md").write_text("edited\n", encoding="utf-8")  # a save in the new folder
        assert noticed.wait(timeout=10), "the save in the folder made again went unseen"
