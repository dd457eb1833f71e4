"""A copy of a page's own image for its link preview, where the image is past what some network takes.

Networks fetch a page's `og:image` themselves, each within its own limits. Documented: X takes 5 MB and at most
4096×4096 pixels for a large card; Facebook 8 MB, at least 1200×630 recommended; Bluesky's link card, whose
`thumb` the scheduler uploads from the share feed, 1,000,000 bytes and 2000×2000 (its lexicon). Seen, not
documented: WhatsApp shows no image past some 300 KB. And only JPEG and PNG are taken everywhere: LinkedIn's
help lists JPG, PNG and GIF (a WebP `og:image` shows none: linkedin/linkedin.github.com#26), Threads and
Pinterest take JPEG and PNG, Bluesky no GIF; no network plays a GIF (X's cards show "only the first frame",
LinkedIn turns it into a JPEG). So a WebP or GIF image, or one of more than 300,000 bytes or more than 2000 pixels
on a side (`needs_copy`), is shown by a copy at most 1200 pixels wide (`copy_size`) of its first picture: a JPEG
(a PNG where some of its pixels are see-through, of fewer colours where full colour is past 300,000 bytes), upright
as its EXIF orientation says, in sRGB, with no metadata, the same bytes on every build. A smaller JPEG or PNG is
shown as it is.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from publisher.core.hashing import code_digest
from publisher.images.facts import Photo, exif_orientation, format_of
from publisher.images.pixels import in_srgb, plain_mode, upright

if TYPE_CHECKING:
    from PIL import Image

MAX_BYTES = 300_000  # WhatsApp's, as seen: the smallest of any network's
MAX_SIDE = 2000  # Bluesky's link card (X's is 4096)
WIDTH = 1200  # Facebook's recommended width, and LinkedIn's
QUALITIES = (85, 75, 65, 55)  # the first that keeps a JPEG copy within MAX_BYTES; the last where none does
# Colours of a see-through copy past MAX_BYTES in full colour: the most that keep it within; the last where none do
PALETTES = (256, 128, 64, 32)
TAKEN_EVERYWHERE = frozenset({"JPEG", "PNG"})  # formats as Pillow names them
COPIED_FORMATS = frozenset({*TAKEN_EVERYWHERE, "WEBP", "GIF", "AVIF"})  # those a copy is made of (their first
# picture): an AVIF, which browsers show and Facebook's and LinkedIn's crawlers do not take, too


def needs_copy(length: int, width: int, height: int, kind: str) -> bool:
    """Whether an image of `length` bytes, `width` × `height` pixels as shown, in the format Pillow names `kind`,
    is past what some network takes."""
    return kind not in TAKEN_EVERYWHERE or length > MAX_BYTES or width > MAX_SIDE or height > MAX_SIDE


def copy_size(width: int, height: int) -> tuple[int, int]:
    """The size of the copy of an image `width` × `height` as shown: at most 1200 wide and 2000 high, its shape
    kept; never larger than the image."""
    scale = min(1.0, WIDTH / width, MAX_SIDE / height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def copy_suffix(photo: Photo) -> str:
    """The copy's format as its file's suffix: `png` where the image has see-through pixels, else `jpg`."""
    return "png" if photo.see_through else "jpg"


def encode_copy(photo: Photo) -> bytes:
    """The copy's bytes (see the module's docstring). Raises OSError, ValueError or SyntaxError, as Pillow does,
    for a file that changed since it was measured and no longer reads."""
    from PIL import Image

    size = copy_size(photo.width, photo.height)
    with Image.open(photo.file) as opened:
        turn = exif_orientation(opened)
        if format_of(opened) == "JPEG":  # decode at the smallest scale (1/2, 1/4, 1/8) still as large as the copy
            opened.draft(None, size if turn < 5 else (size[1], size[0]))
        icc = opened.info.get("icc_profile")
        image = upright(plain_mode(opened), turn)
    image = in_srgb(image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0), icc)
    image.info.clear()  # nothing of the original's metadata: no EXIF (a GPS position), no XMP, no ICC profile
    return _png(image) if photo.see_through else _jpeg(image.convert("RGB"))


def has_see_through_pixels(data: bytes) -> bool:
    """Whether any pixel of the image in `data` is less than opaque: an alpha channel alone (many PNG photos have
    one, every pixel opaque) does not make it so. Decodes the image: only for images that get a copy."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as opened:
        if opened.mode not in ("RGBA", "LA", "La", "PA", "P", "RGBa") and "transparency" not in opened.info:
            return False
        image = plain_mode(opened)
        if image.mode != "RGBA":
            return False
        lowest, _ = image.getchannel("A").getextrema()
        return isinstance(lowest, (int, float)) and lowest < 255  # one channel: its (lowest, highest)


def _jpeg(image: Image.Image) -> bytes:
    data = b""
    for quality in QUALITIES:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, optimize=True, icc_profile=None, exif=b"")
        data = out.getvalue()
        if len(data) <= MAX_BYTES:
            break
    return data


def _png(image: Image.Image) -> bytes:
    """The see-through copy as a PNG: in full colour, else of the most colours (`PALETTES`) within MAX_BYTES, its
    alpha kept in the palette (PNG's tRNS). A photo cut out of its background, in full colour, was 1.4–2.4 MB at
    1200×1200: WhatsApp showed no image; 256 colours or fewer take some 200 KB."""
    from PIL import Image

    data = _png_bytes(image)
    for colours in PALETTES:
        if len(data) <= MAX_BYTES:
            break
        data = _png_bytes(_with_clear_and_opaque_kept(image.quantize(colours, method=Image.Quantize.FASTOCTREE)))
    return data


SNAP = 6  # how far from clear (0) or opaque (255) a palette's alpha is taken back to it


def _with_clear_and_opaque_kept(quantized: Image.Image) -> Image.Image:
    """The palette image with each colour's alpha within `SNAP` of clear or opaque made so: the octree (the method
    that keeps alpha) averages each colour's pixels, and an opaque photo's colours that take in a few of its
    resized edge's came out 254, a little see-through."""
    palette = quantized.getpalette("RGBA") or []
    palette[3::4] = [255 if alpha >= 255 - SNAP else 0 if alpha <= SNAP else alpha for alpha in palette[3::4]]
    quantized.putpalette(palette, "RGBA")
    return quantized


def _png_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True, icc_profile=None)
    return out.getvalue()


@cache
def copy_code() -> str:
    """What makes a copy besides its image: this module and the pixels' one, by their bytes, taken once a process.
    Part of each copy's name, so code that would make it otherwise names it anew. Not Pillow's version, as for
    cards (see `previews.drawing_code`): a new Pillow keeps the copies an older one made."""
    here = Path(__file__).parent
    return code_digest([here / "preview_copies.py", here / "pixels.py"])
