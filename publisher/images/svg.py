"""SVG images as PNG, for the places that refuse SVG (link previews, share uploads, card logos), by resvg.

Text in an SVG is drawn with the cards' fonts only (never the machine's), so a
converted image is the same on every machine.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from xml.etree import ElementTree

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


DEEPEST = 256  # levels of elements an SVG may nest to be drawn: resvg's walk overflowed its stack at 100,000
LOGO_WIDEST = 2400  # pixels a logo is drawn wide at most: one 10⁶ times wider than high asked resvg for 50 GB
_SVG = "{http://www.w3.org/2000/svg}svg"
_HREFS = ("href", "{http://www.w3.org/1999/xlink}href")
_INSIDE = re.compile(r"\s*(?:#|data:image/(?:png|jpeg|gif|webp)[;,])", re.IGNORECASE)  # what an href may name
_LENGTH = re.compile(r"\s*([0-9.eE+-]+)\s*(?:px)?\s*")


class UnusableSvg(ValueError):
    """An SVG that cannot be drawn; says why."""


@dataclass(frozen=True, slots=True)
class Drawable:
    """An SVG as resvg is to draw it (`drawable`), and its width over its height when its size says it."""

    svg: bytes
    aspect: float | None


def drawable(svg: bytes) -> Drawable:
    """`svg` as it may be drawn, as a browser shows an SVG in an `<img>`: with no reference to another file (resvg
    would read any file an `href` names, and draw it into a published image), each `href` that names one taken
    out; refused (UnusableSvg) when it is not SVG that XML's parser reads (entities that expand past expat's
    limit included) or nests deeper than `DEEPEST` levels."""
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        raise UnusableSvg(f"is not SVG that can be read ({error})") from None
    if root.tag != _SVG:
        raise UnusableSvg("is not SVG (its first element is not <svg>)")
    if any(size is not None and size <= 0 for size in map(_pixels, (root.get("width"), root.get("height")))):
        raise UnusableSvg("has no size to draw at (a width or height of 0 or less)")
    outside = 0
    pending = [(root, 1)]
    while pending:
        element, level = pending.pop()
        if level > DEEPEST:
            raise UnusableSvg(f"nests its elements more than {DEEPEST} levels deep")
        for name in _HREFS:
            if name in element.attrib and not _INSIDE.match(element.attrib[name]):
                del element.attrib[name]
                outside += 1
        pending.extend((child, level + 1) for child in element)
    return Drawable(ElementTree.tostring(root) if outside else svg, _aspect(root))


def _aspect(root: ElementTree.Element) -> float | None:
    """The SVG's width over its height, from its `viewBox` else its `width` and `height` in pixels; None when
    they do not say it (a percentage, no size) or say nothing drawable (0, infinite)."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    width, height = map(_pixels, box[2:4] if len(box) == 4 else (root.get("width"), root.get("height")))
    if width is None or height is None or width <= 0 or height <= 0:
        return None
    aspect = width / height
    return aspect if math.isfinite(aspect) and aspect > 0 else None


def _pixels(length: str | None) -> float | None:
    """A length in pixels (a number, or with `px`); None for none, another unit, or what is not a number."""
    match = _LENGTH.fullmatch(length or "")
    try:
        return float(match.group(1)) if match else None
    except ValueError:
        return None


def svg_to_png(svg: bytes, width: int, height: int, fonts: SvgFonts, background: str = "#ffffff") -> bytes:
    """`svg` drawn to fit inside width×height, centred on a canvas of that size (PNG, no metadata); UnusableSvg
    when it cannot be (see `drawable`)."""
    from PIL import Image  # Pillow loads only to draw

    shown = drawable(svg)
    if shown.aspect is not None and shown.aspect < width / height:  # the height binds: drawn at it at once
        drawn = Image.open(io.BytesIO(_render(shown.svg, fonts, height=height)))
    else:
        drawn = Image.open(io.BytesIO(_render(shown.svg, fonts, width=width)))
        if drawn.height > height:
            drawn = Image.open(io.BytesIO(_render(shown.svg, fonts, height=height)))
    canvas = Image.new("RGB", (width, height), background)
    layer = drawn.convert("RGBA")
    canvas.paste(layer, ((width - layer.width) // 2, (height - layer.height) // 2), layer)
    out = io.BytesIO()
    canvas.save(out, format="PNG", compress_level=6)
    return out.getvalue()


def svg_to_logo(svg: bytes, height: int, fonts: SvgFonts) -> bytes:
    """`svg` at `height` pixels high, transparent around it (for a card's logo), or `LOGO_WIDEST` wide when that
    is narrower; UnusableSvg when it cannot be drawn (see `drawable`)."""
    shown = drawable(svg)
    if shown.aspect is not None and height * shown.aspect > LOGO_WIDEST:
        return _render(shown.svg, fonts, width=LOGO_WIDEST)
    return _render(shown.svg, fonts, height=height)


def _render(svg: bytes, fonts: SvgFonts, *, width: int | None = None, height: int | None = None) -> bytes:
    family = fonts.with_family().family or None
    try:
        return bytes(resvg_py.svg_to_bytes(
            svg_string=svg.decode("utf-8", errors="replace"), width=width, height=height, skip_system_fonts=True,
            font_files=[str(path) for path in fonts.files], font_family=family, sans_serif_family=family,
            serif_family=family))
    except ValueError as error:  # resvg's: a size of nothing, a file it cannot draw
        raise UnusableSvg(f"cannot be drawn ({error})") from None
