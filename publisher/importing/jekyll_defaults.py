"""Jekyll's front matter defaults (`defaults:` in `_config.yml`), as Jekyll 4.3's `FrontmatterDefaults` applies
them: each set whose scope's `path` begins the file's path (or, with a `*`, begins one a glob of it finds) and
whose `type` (`posts`, `pages`; the singular forms of Jekyll 2 too) is the file's, merged in the order written,
a set with a longer path, or as long and with a type, overriding the sets before it; the file's own front matter
overrides them all."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_TYPES = {"post": "posts", "page": "pages", "draft": "drafts"}  # Jekyll 2's names, as Jekyll reads them still


@dataclass(frozen=True, slots=True)
class _Scope:
    path: str  # as written, a leading `/` dropped; "" for every file
    type: str | None  # None: every type

    @classmethod
    def of(cls, written: Any) -> _Scope:
        """The scope as `_config.yml` writes it (anything but a mapping: every file)."""
        scope = written if isinstance(written, dict) else {}
        path, kind = scope.get("path"), scope.get("type")
        return cls(path.removeprefix("/") if isinstance(path, str) else "",
                   None if kind is None else _TYPES.get(str(kind), str(kind)))

    def outranks(self, other: _Scope) -> bool:
        """Jekyll's `has_precedence?`: whether this scope's values override those of `other`, met before it."""
        if len(self.path) != len(other.path):
            return len(self.path) > len(other.path)
        return self.type is not None or other.type is None


@dataclass(frozen=True, slots=True)
class JekyllDefaults:
    """The site's default sets, each (scope, values), in the order `_config.yml` gives them."""

    root: Path
    sets: tuple[tuple[_Scope, dict[str, Any]], ...] = ()
    globbed: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)  # scope path -> paths found

    @classmethod
    def of(cls, config: Mapping[str, Any], root: Path) -> JekyllDefaults:
        """The sets of `config["defaults"]` Jekyll takes (those whose `values` is a mapping)."""
        written = config.get("defaults")
        items = written if isinstance(written, list) else []
        sets = [(_Scope.of(item.get("scope")), item["values"]) for item in items
                if isinstance(item, dict) and isinstance(item.get("values"), dict)]
        return cls(root, tuple(sets))

    def values(self, path: str, kind: str) -> dict[str, Any]:
        """The default values of the file at `path` (relative to the site) of type `kind` (`posts`, `pages`)."""
        merged: dict[str, Any] = {}
        ruling: _Scope | None = None
        for scope, values in self.sets:
            if not self._applies(scope, path, kind):
                continue
            if ruling is None or scope.outranks(ruling):
                merged, ruling = deep_merge(merged, values), scope
            else:
                merged = deep_merge(values, merged)
        return merged

    def _applies(self, scope: _Scope, path: str, kind: str) -> bool:
        if scope.type is not None and scope.type != kind:
            return False
        if "*" not in scope.path:
            return path.startswith(scope.path)
        if scope.path not in self.globbed:
            self.globbed[scope.path] = self._glob(scope.path)
        return any(path.startswith(found) for found in self.globbed[scope.path])

    def _glob(self, pattern: str) -> tuple[str, ...]:
        """The site's paths `pattern` finds (none for a pattern Python's glob refuses, such as `**x`)."""
        try:
            return tuple(found.relative_to(self.root).as_posix() for found in sorted(self.root.glob(pattern)))
        except (ValueError, OSError):
            return ()


def deep_merge(under: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`under` with `over`'s values put over it, mappings in both merged in turn (Jekyll's `deep_merge_hashes`)."""
    merged = dict(under)
    for key, value in over.items():
        below = merged.get(key)
        merged[key] = deep_merge(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged
