"""The output folder walked early, in a forked process, while the build reads and renders (`publisher build`).

The writer must find the files a build no longer makes, and the build's stamp needs the state of every file
it leaves (`build.uptodate`). At 10,000 posts that is a walk of 34,000 files: 0.35 s at the very end of a
build, when nothing else is left to run beside it. Walked at the start instead, on a core the build leaves
idle then, it costs the build nothing. What the walk found stays true until the writer's last step: only the
writer changes the output during a build, and it knows which files it replaced or removed (`Found.now`).
A file's inode from the walk also tells the writer, without a look, that it is still linked to its cache file.

Forking is unsafe once other threads run (as in `serve`, which knows its output from its last write anyway);
there, or where the walk meets a link or fails, there is no early walk and the writer walks as before.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Collection
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from publisher.core.files import FileState, file_state, state_of
from publisher.core.processes import can_fork

STAGING_NAME = ".publisher-staging"  # the writer's own folder, emptied by each write: never part of the output


@dataclass(frozen=True, slots=True)
class Found:
    """What the walk found in the output: each file's state and each empty folder, by path from the output
    folder ("a/index.html"); the device all the files are on (None: some are on another, a folder mounted in
    the output), which tells with a file's inode whether it is a given file."""

    files: dict[str, FileState]
    empty: tuple[str, ...]
    device: int | None = None

    def inode(self, rel: str) -> tuple[int, int] | None:
        """(the device, the inode) of the file at `rel` as walked; None when unknown."""
        found = self.files.get(rel)
        return None if found is None or self.device is None else (self.device, found[1])

    def now(self, out_dir: Path, held: Collection[str], touched: Collection[str]) -> dict[str, FileState] | None:
        """Each file's state once the writer is done, by its path joined to the output folder's (as
        `writer.Walked` has it): the output holds exactly `held`; the files in `touched` were written,
        replaced or may have changed state otherwise since the walk (they are looked at again, as is a file
        the walk did not find). None when one of them cannot be looked at."""
        top = os.path.join(str(out_dir), "")
        files, slash = self.files, os.sep == "/"
        states = {}
        try:
            for rel in held:
                path = top + (rel if slash else rel.replace("/", os.sep))  # `os.path.join`'s, for 34,000 files
                found = files.get(rel)
                states[path] = found if found is not None and rel not in touched else file_state(path)
        except OSError:
            return None
        return states


class EarlyWalk:
    """A walk of the output folder, started now in a forked process (see the module's docstring)."""

    def __init__(self, process: multiprocessing.process.BaseProcess, receiver: Connection) -> None:
        self.process, self.receiver = process, receiver
        self._found: Found | None = None
        self._done = False

    @classmethod
    def start(cls, out_dir: Path) -> EarlyWalk | None:
        """The walk, started; None where it cannot be (no such folder, other threads running, no fork)."""
        if not out_dir.is_dir() or not can_fork():
            return None
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_send_walk, args=(str(out_dir), sender), daemon=True)
        try:
            process.start()
        except OSError:  # no process to be had: the writer walks
            receiver.close()
            sender.close()
            return None
        sender.close()
        return cls(process, receiver)

    def found(self) -> Found | None:
        """What the walk found (waiting for it); None when it met a link or failed."""
        if not self._done:
            self._done = True
            try:
                received = self.receiver.recv()
            except (EOFError, OSError):
                received = None
            self._found = received if isinstance(received, Found) else None
            self.close()
        return self._found

    def close(self) -> None:
        """End the walk if it still runs (a build that stopped before writing)."""
        self.receiver.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()


WALK_NICENESS = 19  # how much lower the walk goes than the build: it is done long before the writer needs it


def _send_walk(top: str, sender: Connection) -> None:
    """In the forked process, at the lowest priority: walk, and send what was found (None: a link met, or the walk
    failed). Beside a one-post build at 10,000 posts, the walk (0.25 s of processor time) would otherwise take the
    core that Pagefind's early run, started just after it at that priority (`pages.search._gently`), needs: that
    run is what the build then waits for."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WALK_NICENESS)
    try:
        found: Found | None = walk(top)
    except (OSError, RecursionError):
        found = None
    sender.send(found)
    sender.close()


class _LinkMet(Exception):
    """A symbolic link in the output: its state is its target's, which the writer's own walk handles."""


def walk(top: str) -> Found | None:
    """Each file under `top` with its state and each empty folder, the writer's staging folder left out; None
    when a link is met."""
    files: dict[str, FileState] = {}
    empty: list[str] = []
    device = os.stat(top).st_dev
    devices = {device}

    def visit(folder: str, prefix: str) -> bool:
        """Walk `folder` (at `prefix` from the top); whether it holds anything."""
        holds = False
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    raise _LinkMet
                if entry.is_dir():
                    if not prefix and entry.name == STAGING_NAME:
                        continue
                    if not visit(entry.path, prefix + entry.name + "/"):
                        empty.append(prefix + entry.name)
                else:
                    found = entry.stat()
                    files[prefix + entry.name] = state_of(found)
                    devices.add(found.st_dev)
                holds = True
        return holds

    try:
        visit(top, "")
    except _LinkMet:
        return None
    return Found(files, tuple(empty), device if len(devices) == 1 else None)
