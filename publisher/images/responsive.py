"""Responsive images: every raster image a post shows gets its size, lazy loading and smaller WebP copies.

An `<img>` in a post's HTML whose `src` is a JPEG, PNG or WebP file of the
site gets `width` and `height` (as displayed: EXIF orientation applied), so
the page does not move as images arrive; every image but the post's first
gets `loading="lazy" decoding="async"`; and when the image is wider than
480 px, `srcset` lists WebP copies 480, 800, 1200 and 1600 px wide (those
narrower than the original) and the original at its own width, with `sizes`
for the default theme's text column. GIFs and animated images get their size
and lazy loading but no copies (a copy would stop the animation), and so do
SVG files with a size of their own (they scale by themselves); external
images are left as they are, and so is every attribute the writer set.

The original stays the `src` (the fallback) and is published as committed.
Copies are written next to it, named by its width and content
(`/img/chart.png` -> `/img/chart-800w-3f2a9c1b.webp`), so a changed image
gets new names that browsers and CDNs fetch again; a name that a file of the
site already has is never used. Copies carry no metadata (no EXIF, so no GPS
location; no XMP; no ICC profile: colours are converted to sRGB instead) and
are the same bytes on every build.

Under the build cache's `images/` folder, `facts.json` keeps each original's
content hash and size by its path, size and modification time, so an
unchanged image is not read again, and `variants/` keeps each copy under a
digest of the original's content hash, its width and the encoder's version,
so only new or changed images are encoded. Pillow is imported only when an
image has to be opened.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from html import escape, unescape
from pathlib import Path, PurePosixPath
from stat import S_ISREG
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from publisher.content.links import is_external
from publisher.core.files import forget_unlinked, write_atomically
from publisher.core.hashing import code_digest, digest
from publisher.core.owned import OwnFiles
from publisher.images.facts import (
    Photo,
    decodable,
    exif_orientation,
    format_of,
    image_header,
    image_size,
    is_animated,
    pixels_whole,
)
from publisher.images.pixels import in_srgb, plain_mode, upright
from publisher.images.preview_copies import COPIED_FORMATS, has_see_through_pixels, needs_copy
from publisher.output.files import OutputFile

if TYPE_CHECKING:
    from PIL import Image

WIDTHS = (480, 800, 1200, 1600)  # of the copies; only those narrower than the original are made
# The default theme's text column: 68ch of its serif body font (about 40rem) on wide screens, else the
# window less the page's margins.
SIZES = "(min-width: 48rem) 42rem, calc(100vw - 2.5rem)"
# The post image (`image:` in front matter), which spans the wider column of the default theme's post page.
WIDE_SIZES = "(min-width: 60rem) 56rem, calc(100vw - 2.5rem)"
QUALITY = 80  # WebP: visually lossless for photos and screenshots at a fraction of a JPEG's or PNG's bytes
FACTS_VERSION = "7"  # 2: a file cut short gets no copies (facts kept by "1" said it did); 3: kept by change
# time too (facts kept by "2" said an image copied in with its old time was the one it replaced); 4: whether a link
# preview's copy keeps see-through pixels; 5: the format a link preview's copy is made from (GIFs, animated and WebP
# images get one: "4" kept none); 6: a JPEG Pillow names MPO (a camera's, with a second picture) gets copies ("5"
# kept none); 7: AVIF images are sized, and get a link preview's copy ("6" kept none of them)
_SIZED = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"})  # (AVIF where Pillow reads it: 11.2 on)
_RESIZED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})  # as Pillow names what it read
# A file changed more recently than this may change again within the file system's clock tick, keeping
# its size and times: its facts are not kept by size and times (as in build.uptodate).
_SETTLE_NS = 3_000_000_000
_SPACE = " \t\n\r\f"
_AFTER_TAG_NAME = frozenset(_SPACE) | {"/", ">"}


@dataclass(frozen=True, slots=True)
class Variant:
    """A WebP copy of an original, `width` × `height` pixels, published at `path` (site-relative)."""

    path: str
    width: int
    height: int
    source: Path  # the original's file
    sha: str  # of the original's bytes


@dataclass(frozen=True, slots=True)
class Original:
    """A raster image of the site: its file, content hash and size as displayed, and the copies it gets."""

    path: str  # site-relative, e.g. "img/chart.png"
    file: Path
    sha: str
    width: int
    height: int
    variants: tuple[Variant, ...] = ()  # none for GIFs, animated images and those 480 px wide or less
    photo: Photo | None = None  # what a link preview's copy is made from; none for an SVG, or images too large
    # or too damaged to decode


class ImageFacts:
    """The site's raster images, each read at most once a build, and once until it changes with a cache.

    `static_dirs` are searched like the output is assembled from them: later folders win.
    """

    def __init__(self, static_dirs: Sequence[Path], cache: Path | None) -> None:
        self.static_dirs = list(static_dirs)
        self.own = OwnFiles(self.static_dirs)
        self.cache = cache
        self._found: dict[str, Original | None] = {}
        self._stored: dict[str, Any] | None = None  # read on first use: a post without images never needs it
        self._kept: dict[str, list[Any]] = {}

    def find(self, path: str) -> Original | None:
        """The original at site-relative `path`; None when it is no published raster file of the site."""
        if path not in self._found:
            self._found[path] = self._measure(path)
        return self._found[path]

    def save(self) -> None:
        """Keep the facts of this build's images (only those) for the next build."""
        if self.cache is None or self._stored is None or self._kept == self._stored:
            return
        self.cache.mkdir(parents=True, exist_ok=True)
        write_atomically(self.cache / "facts.json",
                         json.dumps({"version": FACTS_VERSION, "files": self._kept}).encode("utf-8"))

    def _measure(self, path: str) -> Original | None:
        parts = path.split("/")
        suffix = PurePosixPath(path).suffix.lower()
        if suffix not in (*_SIZED, ".svg") or any(p in ("", "..") or p.startswith(".") for p in parts):
            return None  # not an image we size, or a path that publishes nothing (hidden files are not copied)
        file = self.own.find(path)
        if file is None:
            return None
        if suffix == ".svg":
            return _svg_original(path, file)
        stat = file.stat()
        key = os.path.abspath(file)
        # The change time as well as the modification time: `cp -p` or `rsync -t` put an image's old time
        # on other pixels of the same size, and its change time moves all the same.
        state = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]
        settled = time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > _SETTLE_NS
        facts = self._stored_facts().get(key)
        if not (settled and isinstance(facts, list) and len(facts) == 9 and facts[:3] == state):
            read = _read_facts(file)
            if read is None:
                return None
            facts = [*state, *read]
        if settled:
            self._kept[key] = facts
        sha, width, height, resizable = str(facts[3]), int(facts[4]), int(facts[5]), bool(facts[6])
        variants = _variants(path, file, sha, width, height) if resizable else ()
        kind = str(facts[8])
        photo = Photo(file, sha, width, height, stat.st_size, bool(facts[7]), kind) if kind else None
        return Original(path, file, sha, width, height, tuple(v for v in variants if not self._taken(v.path)), photo)

    def _taken(self, path: str) -> bool:
        """Whether the site has a file of its own at `path`: a copy never takes its place."""
        return self.own.find(path) is not None or any((d / path).is_dir() for d in self.static_dirs)

    def _stored_facts(self) -> dict[str, Any]:
        if self._stored is None:
            self._stored = {}
            if self.cache is not None:
                try:
                    stored = json.loads((self.cache / "facts.json").read_text(encoding="utf-8"))
                    if stored.get("version") == FACTS_VERSION and isinstance(stored.get("files"), dict):
                        self._stored = stored["files"]
                except (OSError, ValueError, AttributeError, RecursionError):
                    pass
        return self._stored


def _svg_original(path: str, file: Path) -> Original | None:
    """An SVG with its own `width` and `height` in pixels: sized, so it too takes its room at once;
    it scales by itself, so it gets no copies."""
    width, height = image_size(file)
    if width <= 0 or height <= 0:
        return None
    return Original(path, file, "", round(width), round(height))


def _variants(path: str, file: Path, sha: str, width: int, height: int) -> tuple[Variant, ...]:
    folder, _, name = path.rpartition("/")
    stem = name.rpartition(".")[0] or name
    prefix = f"{folder}/" if folder else ""
    return tuple(Variant(f"{prefix}{stem}-{w}w-{sha[:8]}.webp", w, max(1, round(height * w / width)), file, sha)
                 for w in WIDTHS if w < width)


def _read_facts(file: Path) -> tuple[str, int, int, bool, bool, str] | None:
    """Content hash, size as displayed, whether copies can be made (not of a file cut short: `srcset` listed
    copies that could not be made, which phones then fetched in vain), whether a link preview's copy of it keeps
    see-through pixels (only looked for in an image that gets one), and its format as Pillow names it where a link
    preview's copy can be made of its (first) picture, else ""; None for a file Pillow cannot read."""
    from PIL import Image

    try:
        data = file.read_bytes()
        with image_header(io.BytesIO(data)) as image:
            width, height = image.size
            if exif_orientation(image) >= 5:  # turned a quarter: shown with width and height swapped
                width, height = height, width
            kind = format_of(image)
            animated = is_animated(image)
            whole = decodable(image) and pixels_whole(image)  # last: it leaves the image changed
        resizable = kind in _RESIZED_FORMATS and not animated and whole
        copied = kind if kind in COPIED_FORMATS and whole else ""
        see_through = bool(copied) and needs_copy(len(data), width, height, copied) and has_see_through_pixels(data)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    if width <= 0 or height <= 0:
        return None
    return hashlib.sha256(data).hexdigest(), width, height, resizable, see_through, copied


# Rewriting a post's HTML --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tag:
    """An `<img>` tag: where new attributes go (after its last one) and its attributes (names lower-cased,
    values unescaped)."""

    insert_at: int
    end: int
    attrs: dict[str, str]


def responsive_html(html: str, base_path: str, find: Callable[[str], Original | None], *,
                    eager_first: bool = True) -> tuple[str, tuple[Variant, ...]]:
    """`html` with its images sized, lazy after the first, and given `srcset`; and the copies it lists.

    `find` gives the original at a site-relative path (see `ImageFacts.find`); `src` values are
    expected as links are rewritten, beginning with the site's `base_path`. Pure but for `find`.
    """
    if "<img" not in html:  # most posts: one scan, nothing else
        return html, ()
    parts: list[str] = []
    listed: dict[Variant, None] = {}  # in order, each once
    done = 0
    for index, tag in enumerate(_img_tags(html)):
        original = _original(tag.attrs.get("src", ""), base_path, find)
        if original is None:
            continue
        wanted = image_attributes(original, tag.attrs["src"], base_path, lazy=index > 0 or not eager_first)
        added = {name: value for name, value in wanted.items() if _may_add(name, tag.attrs)}
        if "srcset" in added:
            listed |= dict.fromkeys(original.variants)
        parts += [html[done:tag.insert_at], "".join(f' {name}="{escape(value)}"' for name, value in added.items())]
        done = tag.insert_at
    parts.append(html[done:])
    return "".join(parts), tuple(listed)


def image_attributes(original: Original, src: str, base_path: str, *, lazy: bool,
                     sizes: str = SIZES) -> dict[str, str]:
    """The attributes an `<img src=src>` of `original` gets (values unescaped), e.g. for a template's image."""
    attrs = {"width": str(original.width), "height": str(original.height)}
    if original.variants:
        candidates = [f"{_srcset_url(base_path + url_path(v.path))} {v.width}w" for v in original.variants]
        attrs["srcset"] = ", ".join([*candidates, f"{_srcset_url(src)} {original.width}w"])
        attrs["sizes"] = sizes
    if lazy:
        attrs |= {"loading": "lazy", "decoding": "async"}
    return attrs


def _may_add(name: str, present: dict[str, str]) -> bool:
    """The writer's attributes stay: a width or height of theirs keeps ours out, as a srcset keeps our sizes."""
    if name in ("width", "height"):
        return "width" not in present and "height" not in present
    if name == "sizes":
        return "sizes" not in present and "srcset" not in present
    return name not in present


def _original(src: str, base_path: str, find: Callable[[str], Original | None]) -> Original | None:
    if not src.startswith(base_path) or is_external(src):
        return None
    path = unquote(src[len(base_path):].split("#", 1)[0].split("?", 1)[0])
    return find(path)


def url_path(path: str) -> str:
    """An image's or a copy's file path as a URL path: a `#`, `?` or `%` of the original's name (`big pic #1.png`) is
    part of the name, escaped, or the browser read the rest as a fragment or a query and fetched another file."""
    return quote(path, safe="/!$&'()*+,;=:@~")


def _srcset_url(url: str) -> str:
    """A URL as a srcset candidate: spaces (which end it) and commas percent-encoded, `%` escapes kept."""
    return quote(url, safe="/%:@!$&'()*+;=~?#")


def _img_tags(html: str) -> Iterator[_Tag]:
    """Every `<img>` tag of `html`, in order, but those inside comments. Lower case only, as Markdown
    writes it and as links are rewritten (`content.links`): an `<IMG SRC>` keeps no base path either."""
    pos = 0
    at = html.find("<img")
    while at != -1:
        comment = html.find("<!--", pos, at)
        if comment != -1:
            end = html.find("-->", comment + 4)
            pos = len(html) if end == -1 else end + 3
        elif html[at + 4:at + 5] not in _AFTER_TAG_NAME:  # `<imgx>`, another element
            pos = at + 4
        else:
            tag = _read_tag(html, at)
            pos = at + 4 if tag is None else tag.end
            if tag is not None:
                yield tag
        at = html.find("<img", pos) if at < pos else at


def _read_tag(html: str, at: int) -> _Tag | None:
    """The tag starting at `at`, read like HTML reads attributes; None when it never closes."""
    pos, end = at + 4, len(html)
    attrs: dict[str, str] = {}
    last = pos
    while pos < end:
        char = html[pos]
        if char in _SPACE or char == "/":
            pos += 1
            continue
        if char == ">":
            return _Tag(last, pos + 1, attrs)
        start = pos
        while pos < end and html[pos] not in _SPACE and html[pos] not in "/>=":
            pos += 1
        name = html[start:pos].lower()
        value, pos = _read_value(html, pos)
        if pos == -1:
            return None
        if name:
            attrs.setdefault(name, unescape(value))
        last = pos
    return None


def _read_value(html: str, pos: int) -> tuple[str, int]:
    """An attribute's value after its name ("" when it has none) and where it ends; -1 for an unclosed quote."""
    end = len(html)
    after = pos
    while after < end and html[after] in _SPACE:
        after += 1
    if after == end or html[after] != "=":
        return "", pos
    after += 1
    while after < end and html[after] in _SPACE:
        after += 1
    if after < end and html[after] in "\"'":
        close = html.find(html[after], after + 1)
        return (html[after + 1:close], close + 1) if close != -1 else ("", -1)
    start = after
    while after < end and html[after] not in _SPACE and html[after] != ">":
        after += 1
    return html[start:after], after


# Making the copies ---------------------------------------------------------------------------------


def image_variant_files(variants: Iterable[Variant], cache: Path | None, workers: int,
                        in_output: Collection[str] = frozenset(),
                        linked: Callable[[str], tuple[int, int] | None] | None = None) -> Iterator[OutputFile]:
    """The WebP copies the published pages list (`variants`): from `cache` when made before and whole, new ones
    made on `workers` threads (Pillow works outside Python's lock). A copy the output holds as that very cache
    file is not read (see `_cached`): as `in_output` says (the files `serve`'s last write left, each put there
    whole), or `linked` (the device and inode of the output's file at a path, as a walk found it)."""
    wanted: dict[str, Variant] = {}
    for variant in variants:
        wanted.setdefault(variant.path, variant)
    if cache is not None:  # copies of old images, or made by other code, that no output shows
        _forget_unused_copies(cache, wanted.values())
    if not wanted:
        return
    stored = {path: _cached(cache, v, linked(path) if linked is not None else None, trusted=path in in_output)
              for path, v in wanted.items()}
    # Each copy is made from the next larger one (`encode_variants`): an original with any copy to make has all
    # its copies made again, so each comes out as a clean build makes it, not from another set of sizes.
    remade = {(variant.source, variant.sha) for path, variant in wanted.items() if stored[path] is None}
    groups: dict[tuple[Path, str], list[Variant]] = {}
    for variant in wanted.values():
        if (variant.source, variant.sha) in remade:
            groups.setdefault((variant.source, variant.sha), []).append(variant)
    encoded = _encode_all(list(groups.values()), workers)
    for path in sorted(wanted):
        cached = stored[path]
        if cached is not None:
            yield OutputFile(path, source=cached, linked=True)
        elif path in encoded:
            yield OutputFile(path, data=encoded[path]) if cache is None else \
                OutputFile(path, source=_store(cache, wanted[path], encoded[path]), linked=True)


def _forget_unused_copies(cache: Path, wanted: Collection[Variant]) -> None:
    """Remove the copies no output shows and nothing touched for a while (see `forget_unlinked`) but the `wanted`
    ones: each release of Pillow, or change to this module, makes every copy anew."""
    folder = cache / "variants"

    def unused() -> Iterator[Path]:
        used = {_cache_file(cache, variant) for variant in wanted}
        if folder.is_dir():
            for shard in sorted(folder.iterdir()):
                if shard.is_dir() and not shard.is_symlink():
                    yield from (path for path in shard.iterdir() if path not in used)

    forget_unlinked(unused, cache / "variants.swept")


def _cached(cache: Path | None, variant: Variant, output_file: tuple[int, int] | None, *, trusted: bool
            ) -> Path | None:
    """The cache's copy of `variant`, when it holds one whole: a cache is never trusted to hold what its names say.
    A copy the output holds as that very file (`output_file`: the device and inode of the output's file) was whole
    when it was put there, and is not read (nor is a `trusted` one: `serve`'s last write left it in the output);
    another is read once (`whole_webp`), and removed (to be made again) when it is not whole."""
    if cache is None:
        return None
    file = _cache_file(cache, variant)
    try:
        found = os.stat(file)
    except OSError:
        return None
    if not S_ISREG(found.st_mode):
        return None
    if trusted or (found.st_dev, found.st_ino) == output_file or whole_webp(file):
        return file
    with contextlib.suppress(OSError):
        file.unlink()
    return None


def whole_webp(path: Path) -> bool:
    """Whether the file at `path` is a whole WebP file: its RIFF header, its size as that header says, and chunks
    that fill it exactly (a file cut short, added to, or not a WebP file is not; WebP keeps no checksum of its
    image data, so a byte changed inside it is not told)."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if len(data) < 20 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return False
    if int.from_bytes(data[4:8], "little") != len(data) - 8 or data[12:16] not in (b"VP8 ", b"VP8L", b"VP8X"):
        return False
    at = 12
    while at + 8 <= len(data):
        size = int.from_bytes(data[at + 4:at + 8], "little")
        at += 8 + size + (size & 1)
    return at == len(data)


def _store(cache: Path, variant: Variant, data: bytes) -> Path:
    file = _cache_file(cache, variant)
    file.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(file, data)
    return file


def _cache_file(cache: Path, variant: Variant) -> Path:
    key = digest(_encoder(), variant.sha, str(variant.width))
    return cache / "variants" / key[:2] / f"{key}.webp"


@cache
def _encoder() -> str:
    """What decides a copy's bytes besides the original: our settings, this module's code, and Pillow (which bundles
    libwebp)."""
    return f"q{QUALITY} " + code_digest([Path(__file__), Path(__file__).with_name("pixels.py")], ["Pillow"])


def _encode_all(groups: list[list[Variant]], workers: int) -> dict[str, bytes]:
    """Each group (the copies of one original) encoded, the original decoded once; unreadable ones left out."""
    if not groups:
        return {}
    encoded: dict[str, bytes] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(groups)))) as pool:
        for group, datas in zip(groups, pool.map(_encode_group, groups), strict=True):
            if datas:
                encoded |= {v.path: data for v, data in zip(group, datas, strict=True)}
    return encoded


def _encode_group(group: list[Variant]) -> list[bytes]:
    from PIL import Image

    try:
        return encode_variants(group[0].source, [(v.width, v.height) for v in group])
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return []  # changed or broken since it was measured: the next build measures it again


def encode_variants(source: Path, sizes: Sequence[tuple[int, int]]) -> list[bytes]:
    """WebP copies of the image in `source` at each (width, height) as displayed: sRGB, no metadata,
    the same bytes for the same input."""
    from PIL import Image

    with Image.open(source) as opened:
        turn = exif_orientation(opened)
        widest = max(sizes)
        if format_of(opened) == "JPEG":  # decode at the smallest scale (1/2, 1/4, 1/8) still as large as needed
            opened.draft(None, widest if turn < 5 else (widest[1], widest[0]))
        icc = opened.info.get("icc_profile")
        image = upright(plain_mode(opened), turn)
    made: dict[tuple[int, int], bytes] = {}
    for size in sorted(sizes, reverse=True):  # each from the next larger copy: half the work of each from the original
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        made[size] = _webp(in_srgb(image, icc))
    return [made[size] for size in sizes]


def _webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # Nothing of the original's metadata: no EXIF (GPS location), no XMP, no ICC profile.
    image.save(out, "WEBP", quality=QUALITY, method=4, exif=b"", xmp=b"", icc_profile=None)
    return out.getvalue()

