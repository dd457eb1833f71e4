"""How a theme's file is named in an error or warning."""

from __future__ import annotations

from pathlib import Path


def shown_path(filename: str | Path, root: Path) -> str:
    """A theme's file as an error names it: from the site's folder when inside it, else in full."""
    path = Path(filename)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
