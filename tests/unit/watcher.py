"""`serve`'s watcher (watchdog's, on real folders) for tests: what it noted, and waiting until it noted all."""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from publisher.commands.serve import WATCHED_FOLDERS, ChangeLog, watching


class NotedChangeLog(ChangeLog):
    """The serve's change log, telling the test each path the watcher noted (so it knows when all arrived)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root / name for name in WATCHED_FOLDERS)
        self.root = root
        self.noted: queue.Queue[str] = queue.Queue()
        self.markers = 0

    def note(self, raw: str) -> None:
        super().note(raw)
        self.noted.put(raw)

    def settle(self) -> None:
        """Wait until the watcher reported everything done so far. Each watch reports its events in order, so
        a marker written last and noted says its watch reported all: first in the site's folder (whose watch
        starts the watches of folders made since, and loses track of their changes), then in each watched one."""
        self._marked([self.root])
        self._marked([self.root / name for name in WATCHED_FOLDERS if (self.root / name).is_dir()])

    def _marked(self, folders: list[Path]) -> None:
        self.markers += 1
        waiting = set()
        for folder in folders:
            marker = folder / f".marker-{self.markers}"
            marker.write_text("", encoding="utf-8")
            waiting.add(str(marker))
        while waiting:
            waiting.discard(self.noted.get(timeout=10))


@contextmanager
def watched(root: Path, output: Path) -> Iterator[NotedChangeLog]:
    """The site at `root` watched as `serve` watches it."""
    changes = NotedChangeLog(root)
    with watching(root, output, lambda: None, changes):
        yield changes
