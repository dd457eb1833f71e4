"""Image pre-flight for `publisher check`: what networks would refuse or show badly, before it is posted.

Each page's link preview (`og:image`): absolute, raster, at most 5 MB, and 1200×630 or larger (else
previews show it small). Each share item's image: within its network's limits (format, bytes,
pixels) and described (alt text). Each published original: whole, and no GPS position in its metadata.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from publisher.core.errors import Problem
from publisher.images.facts import (
    HEIF_REFUSED,
    decodable,
    exif_orientation,
    format_of,
    image_header,
    image_size,
    is_heif,
    pixels_whole,
)
from publisher.social.networks import Network

PREVIEW_MAX_BYTES = 5_000_000  # X's and LinkedIn's limit, the strictest of the big previews
PREVIEW_MIN = (1200, 630)
_MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
_GPS_IFD = 0x8825
_READ = (".jpg", ".jpeg", ".png", ".webp", ".gif")  # what pages show and publisher sizes (not a HEIC or TIFF)
_LFS_POINTER = b"version https://git-lfs.github.com/spec/"
Finding = tuple[Problem, str]  # (problem, "error" | "warning")


@dataclass(frozen=True, slots=True)
class ImageFacts:
    mime: str  # "" when the file is not a raster image Pillow reads (an SVG, a PDF…)
    width: int
    height: int
    size: int  # bytes


def read_facts(path: Path) -> ImageFacts:
    """The image's format, size and pixels, from its header alone."""
    size = path.stat().st_size
    try:
        with image_header(path) as image:
            width, height = image.size if exif_orientation(image) < 5 else (image.height, image.width)  # as shown
            return ImageFacts(_MIME.get(format_of(image), ""), width, height, size)
    except Image.DecompressionBombError:  # over 179 million pixels: a raster image, which Pillow will not open
        mime = mimetypes.guess_type(path.name)[0] or ""
        return ImageFacts(mime if mime in _MIME.values() else "", *image_size(path), size)
    except (UnidentifiedImageError, OSError, ValueError):
        return ImageFacts("", 0, 0, size)


def has_gps_position(path: Path) -> bool:
    """Whether the image's metadata tells where it was taken: in its EXIF, or in its XMP (as Lightroom and Photoshop
    write it beside the EXIF, and keep it when the EXIF's GPS is stripped). Only for the published originals: a
    PNG's metadata may follow its pixels, so Pillow decodes the whole image to read it (7 ms for a link-preview card,
    75 s for the 10,000 cards of a site, were every card read so)."""
    try:
        with image_header(path) as image:
            if image.format == "PNG" and not decodable(image):  # not decoded, nor published as a copy
                return False
            if image.getexif().get_ifd(_GPS_IFD):  # for a PNG, read after its pixels: its XMP may follow them too
                return True
            xmp = image.info.get("xmp") or b""
            return _XMP_POSITION.search(xmp.encode() if isinstance(xmp, str) else xmp) is not None
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False


# XMP's GPS latitude with a value, as an attribute (`exif:GPSLatitude="59,19.8N"`) or an element
_XMP_POSITION = re.compile(rb"""GPSLatitude\s*(?:=\s*["']|>)\s*[0-9]""")


@dataclass(frozen=True, slots=True)
class Where:
    """Where a finding is reported: a source file and line, and the field."""

    path: str
    line: int | None
    field: str


def preview_findings(previews: Iterable[tuple[Where, str]], resolve: Callable[[str], Path | None]) -> list[Finding]:
    """(where, og:image URL) of each page: what would keep its link preview from showing well."""
    findings: list[Finding] = []
    for where, url in previews:
        if not url.startswith(("http://", "https://")):
            findings.append(_at(where, f"og:image {url} is not absolute (networks cannot fetch it)", "error"))
            continue
        file = resolve(url)
        if file is None:
            continue  # another site's image: not ours to measure
        facts = read_facts(file)
        if not facts.mime:
            findings.append(_at(where, f"{url} is not PNG, JPEG, GIF or WebP, which is what networks show",
                                "error"))
        elif facts.size > PREVIEW_MAX_BYTES:
            findings.append(_at(where, f"{url} is {facts.size:,} bytes (at most {PREVIEW_MAX_BYTES:,})", "error"))
        elif facts.width < PREVIEW_MIN[0] or facts.height < PREVIEW_MIN[1]:
            findings.append(_at(where, f"{url} is {facts.width}×{facts.height}: previews show it small (1200×630 "
                                       "or larger shows full width)", "warning"))
    return findings


def share_image_findings(items: Iterable[tuple[Where, str, str, str]], networks: dict[str, Network],
                         resolve: Callable[[str], Path | None]) -> list[Finding]:
    """(where, network, image URL, alt) of each share item: images a network would refuse, or undescribed."""
    findings: list[Finding] = []
    for where, name, url, alt in items:
        network = networks.get(name)
        file = resolve(url)
        if network is None or file is None:
            continue
        facts, rules = read_facts(file), network.images
        if facts.mime not in rules.types:
            kinds = ", ".join(sorted(t.split("/")[1].upper() for t in rules.types))
            findings.append(_at(where, f"{name} takes {kinds} images, not {url}", "error"))
        elif facts.size > rules.max_bytes:
            findings.append(_at(where, f"{name} takes images up to {rules.max_bytes:,} bytes; {url} has "
                                       f"{facts.size:,}", "error"))
        elif rules.max_pixels and facts.width * facts.height > rules.max_pixels:
            findings.append(_at(where, f"{name} takes images up to {rules.max_pixels:,} pixels; {url} is "
                                       f"{facts.width}×{facts.height}", "error"))
        if not alt.strip():
            advice = "set image_alt, or [social] image_alt for the site's image"
            findings.append(_at(where, f"the image of the {name} items has no alt text ({advice})", "warning"))
    return list(dict.fromkeys(findings))


def location_findings(originals: Iterable[tuple[str, Path]]) -> list[Finding]:
    """(site path, file) of each published original image: those that tell where they were taken."""
    return [(Problem(shown, None, "image", "carries a GPS position in its metadata, published with it "
                                           "(strip it: exiftool -gps:all= -xmp:gps*= FILE)"), "warning")
            for shown, file in originals if has_gps_position(file)]


def damaged_findings(originals: Iterable[tuple[str, Path]]) -> list[Finding]:
    """(site path, file) of each published original image: those whose pixels do not all read, which browsers show
    broken or in part, and which get no smaller copies."""
    findings: list[Finding] = []
    for shown, file in originals:
        why = _unreadable(file) if file.suffix.lower() in _READ else None
        if why:
            findings.append((Problem(shown, None, "image", why), "warning"))
    return findings


def _unreadable(path: Path) -> str | None:
    """Why the image at `path` does not read whole; None when it does (or is too large to decode: never copied)."""
    try:
        with image_header(path) as image:
            if not decodable(image) or pixels_whole(image):
                return None
    except Image.DecompressionBombError:
        return None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        with path.open("rb") as start:
            if start.read(len(_LFS_POINTER)) == _LFS_POINTER:
                return "is a Git LFS pointer, not the image (fetch the images before building: git lfs pull)"
        if is_heif(path):  # an iPhone's photo renamed, not converted
            return f"{HEIF_REFUSED} (renamed, it is HEIC still)"
        return "is not an image a browser shows (a file of another kind, or damaged): pages show it broken"
    return "is cut short or damaged: browsers show part of it at most, and it gets no smaller copies"


def _at(where: Where, message: str, severity: str) -> Finding:
    return Problem(where.path, where.line, where.field, message), severity
