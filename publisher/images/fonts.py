"""The fonts cards are drawn with, and which of them covers a text's script.

Fonts come from files only: `[social.cards]` fonts, else the theme's
`fonts/` (the default theme ships Lato, OFL), else Pillow's own scalable
default. A font on the machine is used only when configured by path, so a
laptop's cards are CI's. A text is drawn with the first font that has a glyph
for each of its characters (the main font, then `fallback_fonts` in order);
when none does, the text is left out rather than drawn as boxes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from publisher.core.memo import Kept

# Loaded where they are needed (40 ms at start): Pillow to draw with a font, fontTools to read its characters or name
if TYPE_CHECKING:
    from PIL import ImageFont

PRINTABLE_ASCII = frozenset(range(0x21, 0x7F))  # a font with all of these covers any ASCII text's glyphs


@dataclass(frozen=True, slots=True)
class FontFiles:
    """The font files of one build's cards."""

    bold: Path | None
    regular: Path | None
    fallbacks: tuple[Path, ...] = ()

    def digest(self) -> str:
        """Of the files' bytes: a card's cache key changes when a font file does."""
        sha = hashlib.sha256()
        for path in (self.bold, self.regular, *self.fallbacks):
            sha.update(path.read_bytes() if path else b"-")
        return sha.hexdigest()[:16]


@dataclass(slots=True)
class Fonts:
    """Loaded fonts by (file, size), and each file's characters; one per build (or per worker). `kept`: whether
    each file covers printable ASCII, as earlier builds found it, by the file's bytes (None: asked of the file)."""

    files: FontFiles
    kept: Kept | None = None
    _loaded: dict[tuple[Path | None, int], ImageFont.FreeTypeFont] = field(default_factory=dict)
    _covers: dict[Path, frozenset[int]] = field(default_factory=dict)
    _ascii: dict[Path, bool] = field(default_factory=dict)  # whether each file covers printable ASCII

    def bold(self, size: int, text: str) -> ImageFont.FreeTypeFont | None:
        return self._for(self.files.bold, size, text)

    def regular(self, size: int, text: str) -> ImageFont.FreeTypeFont | None:
        return self._for(self.files.regular or self.files.bold, size, text)

    def lacks_bold(self, text: str) -> bool:
        """Whether a bold font is set, yet neither it nor a fallback covers `text` (`bold` then gives None),
        told without loading a font."""
        return self.files.bold is not None and self._choose(self.files.bold, text) is None

    def lacks_regular(self, text: str) -> bool:
        """Whether a regular (or bold) font is set, yet neither it nor a fallback covers `text` (`regular` then
        gives None), told without loading a font."""
        main = self.files.regular or self.files.bold
        return main is not None and self._choose(main, text) is None

    def has_characters(self, font: ImageFont.FreeTypeFont, text: str) -> bool:
        """Whether `font` (one of these fonts) has a glyph for each character of `text`; Pillow's own font is taken
        to (it has Latin letters and their punctuation)."""
        path = font.path
        if not isinstance(path, (str, Path)):
            return True
        return {ord(c) for c in text} <= self._characters(Path(path))

    def _for(self, main: Path | None, size: int, text: str) -> ImageFont.FreeTypeFont | None:
        if main is None and not self.files.fallbacks:
            return self._load(None, size)  # Pillow's default: Latin only, but never boxes in a Latin title
        chosen = self._choose(main, text)
        return None if chosen is None else self._load(chosen, size)

    def _choose(self, main: Path | None, text: str) -> Path | None:
        needed: set[int] | None = None  # worked out only for a text the ASCII check cannot settle
        for path in (*([main] if main else []), *self.files.fallbacks):
            if text.isascii() and self._covers_ascii(path):
                return path
            characters = self._characters(path)
            if needed is None:
                needed = {ord(c) for c in text if not c.isspace() and unicodedata.category(c)[0] not in "CZ"}
            if needed <= characters:
                return path
        return None

    def _covers_ascii(self, path: Path) -> bool:
        """Whether the font has every printable ASCII character (asked for each card's title: once a font; as
        `kept` keeps it by the file's bytes, if given: reading the characters takes fontTools, 0.02 s)."""
        covers = self._ascii.get(path)
        if covers is None:
            key = _file_key(path) if self.kept is not None else None
            if self.kept is None or key is None:
                covers = self._has_ascii(path)
            else:
                covers = bool(self.kept(key, partial(self._has_ascii, path)))
            self._ascii[path] = covers
        return covers

    def _has_ascii(self, path: Path) -> bool:
        return self._characters(path) >= PRINTABLE_ASCII

    def _characters(self, path: Path) -> frozenset[int]:
        if path not in self._covers:
            from fontTools.ttLib import TTFont, TTLibError

            try:
                with TTFont(path, lazy=True, fontNumber=0) as font:
                    self._covers[path] = frozenset(font.getBestCmap() or {})
            except (OSError, TTLibError):
                self._covers[path] = frozenset()
        return self._covers[path]

    def _load(self, path: Path | None, size: int) -> ImageFont.FreeTypeFont:
        key = (path, size)
        if key not in self._loaded:
            from PIL import ImageFont

            if path is None:
                font = ImageFont.load_default(size)
                assert isinstance(font, ImageFont.FreeTypeFont)  # with FreeType, the default is scalable
            else:
                font = ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
            self._loaded[key] = font
        return self._loaded[key]


def _file_key(path: Path) -> str | None:
    """What a font file's facts are kept by: its bytes (None: there is no such file to read)."""
    try:
        return hashlib.sha256(b"printable ASCII\0" + path.read_bytes()).hexdigest()
    except OSError:
        return None


def family_name(path: Path | None) -> str:
    """A font file's family name ("" for none)."""
    if path is None:
        return ""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return str(font["name"].getDebugName(1) or "")


def theme_fonts(theme_dirs: Sequence[Path]) -> tuple[Path | None, Path | None]:
    """The (bold, regular) font files of the theme: `fonts/*Bold*` and another of `fonts/`, the site's theme
    over the default's."""
    for folder in theme_dirs:
        files = sorted(p for p in (folder / "fonts").glob("*") if p.suffix.lower() in (".ttf", ".otf"))
        if files:
            bold = next((p for p in files if "bold" in p.stem.lower()), files[0])
            regular = next((p for p in files if p != bold and "italic" not in p.stem.lower()), bold)
            return bold, regular
    return None, None
