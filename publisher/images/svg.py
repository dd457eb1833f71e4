"""SVG images as PNG, for the places that refuse SVG (link previews, share uploads, card logos), by resvg.

Text in an SVG is drawn with the cards' fonts only (never the machine's), so a
converted image is the same on every machine.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import resvg_py

from publisher.images.fonts import family_name


@dataclass(frozen=True, slots=True)
class SvgFonts:
    """The font files SVG text may use, and the file whose family every generic name (sans-serif…) stands for:
    its name is read only when an SVG is drawn (`family`)."""

    files: Sequence[Path] = ()
    family_of: Path | None = None
    family: str | None = None  # the family's name, once read (`with_family`)

    def with_family(self) -> SvgFonts:
        """These fonts with the family's name read, once for the many SVGs of a batch."""
        return self if self.family is not None else replace(self, family=family_name(self.family_of))


def svg_to_png(svg: bytes, width: int, height: int, fonts: SvgFonts, background: str = "#ffffff") -> bytes:
    """`svg` drawn to fit inside width×height, centred on a canvas of that size (PNG, no metadata)."""
    from PIL import Image  # Pillow loads only to draw

    drawn = Image.open(io.BytesIO(_render(svg, fonts, width=width)))
    if drawn.height > height:
        drawn = Image.open(io.BytesIO(_render(svg, fonts, height=height)))
    canvas = Image.new("RGB", (width, height), background)
    layer = drawn.convert("RGBA")
    canvas.paste(layer, ((width - layer.width) // 2, (height - layer.height) // 2), layer)
    out = io.BytesIO()
    canvas.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def svg_to_logo(svg: bytes, height: int, fonts: SvgFonts) -> bytes:
    """`svg` at `height` pixels high, transparent around it (for a card's logo)."""
    return _render(svg, fonts, height=height)


def _render(svg: bytes, fonts: SvgFonts, *, width: int | None = None, height: int | None = None) -> bytes:
    family = fonts.with_family().family or None
    return bytes(resvg_py.svg_to_bytes(
        svg_string=svg.decode("utf-8", errors="replace"), width=width, height=height, skip_system_fonts=True,
        font_files=[str(path) for path in fonts.files], font_family=family, sans_serif_family=family,
        serif_family=family))
