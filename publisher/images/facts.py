"""Facts about the site's own images that link previews want (type and size)."""

from __future__ import annotations

import contextlib
import math
import mimetypes
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import unquote

from publisher.content.links import is_external
from publisher.core.owned import OwnFiles

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True, slots=True)
class Photo:
    """A raster image of the site as a link preview's copy of it can be made: its file, content hash, size as shown
    (EXIF orientation applied), bytes, whether any of its pixels are see-through (which a JPEG copy would lose), and
    its format as Pillow names it (`JPEG`, `PNG`, `WEBP`, `GIF`)."""

    file: Path
    sha: str
    width: int
    height: int
    length: int
    see_through: bool
    kind: str


@dataclass(frozen=True, slots=True)
class ImageInfo:
    mime: str
    width: int | None
    height: int | None
    length: int | None  # bytes, for RSS enclosures
    photo: Photo | None = None  # what a link preview's copy is made from; none for an SVG, a damaged file


def measure_images(static_dirs: list[Path], paths: set[str], photos: Mapping[str, Photo] | None = None
                   ) -> dict[str, ImageInfo]:
    """Size and type of each site-relative image path found in the static folders (later folders win); `photos`:
    what link previews' copies of them are made from, by path as given."""
    found, own = {}, OwnFiles(static_dirs)
    for path in sorted(p for p in paths if p and not is_external(p)):
        file = _own_file(own, path)
        if file is None:
            continue
        width, height = shown_size(file)
        found[path] = ImageInfo(
            mime=mimetypes.guess_type(file.name)[0] or "application/octet-stream",
            width=width if width > 0 else None,
            height=height if height > 0 else None,
            length=file.stat().st_size,
            photo=(photos or {}).get(path),
        )
    return found


# The brands an ISO-BMFF file's `ftyp` box names for a HEIF image: coded with HEVC (HEIC: what an iPhone saves), or
# with another codec (`mif1`, `msf1`). An AVIF image is HEIF with AV1 and names `avif` or `avis` beside `mif1`: every
# browser shows it (caniuse's `avif`: Chrome 85, Firefox 93, Safari 16.4), while HEIC shows in Safari alone
# (caniuse's `heif`: no Chrome, Edge or Firefox version).
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
HEIF_SUFFIXES = (".heic", ".heif", ".hif")
HEIF_REFUSED = ("is a HEIC (HEIF) image, which Safari alone shows (Chrome, Edge and Firefox show a broken image) and "
                "link previews refuse: convert it to JPEG")


def is_heif(file: Path) -> bool:
    """Whether the file holds a HEIF image, whatever its name says (an iPhone's photo renamed `.jpg` too): its `ftyp`
    box names a HEIF brand and no AVIF one. Reads its first 64 bytes."""
    try:
        with open(file, "rb") as opened:
            head = opened.read(64)
    except OSError:
        return False
    if len(head) < 16 or head[4:8] != b"ftyp":
        return False
    end = min(int.from_bytes(head[:4], "big"), len(head))  # the box's size: its compatible brands end there
    brands = {head[8:12], *(head[at:at + 4] for at in range(16, end - 3, 4))}
    return bool(brands & _HEIF_BRANDS) and not brands & _AVIF_BRANDS


def image_names(path: str) -> tuple[str, ...]:
    """The names, from a static folder, a site path written for an image may name, in order: as written
    (`/img/my pic.jpg`), then read as a URL (`/img/my%20pic.jpg`, as the browser's address bar gives it: unmeasured,
    its page had no size and its og:image was the original, however large). Its query and fragment left out."""
    written = path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
    return tuple(dict.fromkeys((written, unquote(written))))


def _own_file(own: OwnFiles, path: str) -> Path | None:
    """The site's file an image path names (`image_names`)."""
    for relative in image_names(path):
        file = None if ".." in Path(relative).parts else own.find(relative)
        if file is not None:
            return file
    return None


def image_size(file: Path) -> tuple[int, int]:
    """The image's width and height (-1 where its header does not say, or says no number: an SVG `width` of 400
    digits reads as infinite), read from its header alone."""
    import imagesize  # which imports urllib's HTTP client and ssl (0.01 s): only for a site that has images

    width, height = imagesize.get(file)
    return (width if math.isfinite(width) else -1), (height if math.isfinite(height) else -1)


def shown_size(file: Path) -> tuple[int, int]:
    """The image's width and height as it is shown (`image_size`, EXIF orientation applied): `imagesize` turns a
    JPEG's, not a PNG's or WebP's, whose `og:image:width` and `height` then told networks a photo on its side."""
    width, height = image_size(file)
    if file.suffix.lower() in (".png", ".webp") and width > 0 and height > 0:
        from PIL import Image

        with contextlib.suppress(OSError, ValueError, SyntaxError, Image.DecompressionBombError), \
                image_header(file) as image:
            if exif_orientation(image) >= 5:  # turned a quarter: shown with width and height swapped
                width, height = height, width
    return width, height


def format_of(image: Image.Image) -> str:
    """The image's format as Pillow names it (`JPEG`, `PNG`, `WEBP`, `GIF`…; "" for none), a JPEG holding more
    pictures than one as `JPEG`: Pillow names it `MPO` (CIPA's Multi-Picture Format), as many cameras' photos are
    (a large thumbnail after the photo) and phones' (a depth or HDR gain map). Browsers and networks show its first
    picture, the photo, as any JPEG's."""
    return "JPEG" if image.format == "MPO" else image.format or ""


def is_animated(image: Image.Image) -> bool:
    """Whether the image is pictures shown one after another (a GIF, an APNG, a WebP): not a JPEG's further
    pictures (`format_of`), which no viewer shows."""
    return image.format != "MPO" and bool(getattr(image, "is_animated", False))


def exif_orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 to 8), read without decoding pixels: a PNG's EXIF after its image data,
    which Pillow reads only by decoding, is not looked for."""
    if format_of(image) != "JPEG" and "exif" not in image.info:
        return 1
    value = image.getexif().get(_ORIENTATION, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


_ORIENTATION = 0x0112  # the EXIF tag


@contextlib.contextmanager
def image_header(source: Path | IO[bytes]) -> Iterator[Image.Image]:
    """The image in `source`, opened by Pillow to read its header and metadata, its pixels not decoded. Where it
    opens an image of over 89 million pixels (a decompression bomb: 300 KB of PNG can say 10000×9500), Pillow
    prints a warning on stderr: not here, as what reads the header decides itself whether to decode the pixels
    (`decodable`). Raises as `Image.open` does (`DecompressionBombError` past 179 million pixels)."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        opened = Image.open(source)
    with opened:
        yield opened


def decodable(image: Image.Image) -> bool:
    """Whether `image` has no more pixels than Pillow decodes without a warning of a decompression bomb (89
    million): a larger one is published as it is, never decoded (a PNG of 300 KB and 95 million pixels took
    580 MB to make its smaller copies)."""
    from PIL import Image

    most = Image.MAX_IMAGE_PIXELS
    return most is None or image.width * image.height <= most


def pixels_whole(image: Image.Image) -> bool:
    """Whether the pixels of `image`, as `image_header` opened it (nothing read since, and nothing to be read after:
    it is left changed), are all in its file. A file cut short, as an upload or a download stopped halfway leaves
    it, opens by its header alone, but its pixels do not decode: its smaller copies could not be made. A JPEG is
    decoded at an eighth of its size (10 ms for 6 megapixels); a PNG's chunks are checked against their checksums
    up to its end (`verify`, 3 ms, nothing decoded); a GIF's first picture, what a link preview's copy shows, is
    decoded; other formats were read whole to open (WebP), or get no copies.
    """
    try:
        if format_of(image) == "JPEG":
            image.draft(None, (1, 1))  # the smallest scale libjpeg decodes at: every byte read, an eighth of the work
            image.load()
        elif image.format == "PNG":
            image.verify()
        elif image.format == "GIF":
            image.load()
    except (OSError, ValueError, SyntaxError):
        return False
    return True
