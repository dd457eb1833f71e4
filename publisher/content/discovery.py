"""Finding source files under `content/` and decoding their bytes: the content stage's only I/O."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path

from publisher.config.model import SiteConfig
from publisher.content.frontmatter import FrontMatterError, Split, split_source
from publisher.content.model import FOLDERS, SOURCE_SUFFIXES, Kind, SourceFile
from publisher.core.errors import BuildFailed, ContentError, Problem


def discover(cfg: SiteConfig, kinds: Collection[Kind] = ("post", "page", "offer", "cta")) -> Iterator[SourceFile]:
    """Every source of these kinds under `content/`, in a stable order, each read only when its turn comes."""
    for kind, folder in FOLDERS:
        base = cfg.content_dir / folder
        if kind not in kinds or not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if _is_source(path, base):
                yield SourceFile(path.relative_to(cfg.root).as_posix(), kind, path.read_bytes())


def _is_source(path: Path, base: Path) -> bool:
    # Editors leave hidden swap and backup files next to sources; never read them.
    hidden = any(part.startswith((".", "_", "#")) for part in path.relative_to(base).parts)
    return path.suffix in SOURCE_SUFFIXES and not hidden and path.is_file()


def decode_source(source: SourceFile) -> str:
    """The text of a source file; binary data and bad UTF-8 are errors naming the line."""
    data = source.data
    if b"\x00" in data[:8192]:
        raise ContentError(source.path, 1, "file", "is binary, not a text file (expected UTF-8 Markdown)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}; save the file as UTF-8)"
        raise ContentError(source.path, line, "file", message) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def split_file(source: SourceFile) -> Split:
    """A source's front matter and body; a file that is not text or whose front matter cannot be read
    raises `BuildFailed` with its one problem."""
    try:
        return split_source(decode_source(source))
    except FrontMatterError as exc:
        raise BuildFailed([Problem(source.path, exc.line, "front matter", str(exc))]) from None
    except ContentError as exc:
        raise BuildFailed([exc.problem]) from None
