"""The model `publisher build` keeps on disk between runs (`serve` keeps its own in memory, see `build.model`).

What is kept: each source file's reading (the `sources` memo: a post or page parsed from its front matter,
by the file's size, inode and times), the largest part of a build that changes one post (about 5 s of
parsing at 10,000 posts). It is one JSON file per output folder in the cache, `model-<key>.json`, with
the salt it was made under: publisher's version and code, the settings and templates (`SiteModel.salt`).
A file of another salt (another version, other settings), or one that does not read back whole, is
ignored and written anew: nothing in it is used. Data only (`core.datacodec`, for the model's own
types), so a cache restored from elsewhere can hold wrong data at worst, never run code.
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.build.model import SiteModel
from publisher.build.sources import Parsed
from publisher.content.model import Author, Post
from publisher.core.datacodec import DataCodec, Unwritable
from publisher.core.errors import Problem
from publisher.core.files import write_atomically

FORMAT = "publisher-model-2"
_CODEC = DataCodec([Parsed, Post, Author, Problem])


@dataclass(frozen=True, slots=True)
class KeptModel:
    """The model's file in the cache, and what was read from it: each entry, and its line in the file (an entry
    a build left as it was is written back as it was read, not encoded again)."""

    path: Path
    salt: str
    loaded: dict[Hashable, tuple[tuple[object, Any], bytes]]

    @classmethod
    def open(cls, path: Path, salt: str, model: SiteModel) -> KeptModel:
        """Read the kept model into `model` when it was made under `salt`; else start with none."""
        loaded = _read(path, salt)
        model.sources.restore({key: entry for key, (entry, _) in loaded.items()})
        return cls(path, salt, loaded)

    def save(self, model: SiteModel) -> None:
        """Keep what `model` holds now (after a complete build), unless it is what was read."""
        entries = model.sources.entries()
        if entries.keys() == self.loaded.keys() and all(self._as_read(key, entry) for key, entry in entries.items()):
            return
        lines = [json.dumps({"format": FORMAT, "salt": self.salt}).encode("utf-8")]
        for key, entry in sorted(entries.items(), key=lambda item: str(item[0])):
            if self._as_read(key, entry):
                lines.append(self.loaded[key][1])
                continue
            try:
                lines.append(json.dumps([_CODEC.encode(key), *map(_CODEC.encode, entry)]).encode("utf-8"))
            except (Unwritable, RecursionError):  # e.g. a CTA, or front matter with a set: parsed again next time
                continue
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, b"\n".join(lines) + b"\n")

    def _as_read(self, key: Hashable, entry: tuple[object, Any]) -> bool:
        """Whether the build used the very reading that was read for `key` (its inputs were equal, then)."""
        kept = self.loaded.get(key)
        return kept is not None and kept[0][1] is entry[1]


def _read(path: Path, salt: str) -> dict[Hashable, tuple[tuple[object, Any], bytes]]:
    """The entries of the file at `path` with their lines, if it was made under `salt` and reads back whole;
    else none."""
    try:
        with path.open("rb") as file:
            header = json.loads(file.readline())
            if type(header) is not dict or header.get("format") != FORMAT or header.get("salt") != salt:
                return {}
            entries: dict[Hashable, tuple[tuple[object, Any], bytes]] = {}
            for line in file:
                key, inputs, parsed = json.loads(line)
                value = _CODEC.decode(parsed)
                if type(value) is not Parsed:
                    return {}
                entries[_CODEC.decode(key)] = ((_CODEC.decode(inputs), value), line.rstrip(b"\n"))
            return entries
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return {}
