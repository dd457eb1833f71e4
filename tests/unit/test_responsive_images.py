"""Responsive images: what a reader's browser gets for the raster images of a post."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from PIL import ExifTags, Image

from publisher.build.pipeline import BuildOptions, build
from publisher.core import files
from publisher.core.files import SWEPT_EVERY
from publisher.images import responsive
from publisher.images.responsive import ImageFacts, Original, image_attributes, responsive_html

from ..conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)
SIZES = responsive.SIZES


class _Images(HTMLParser):
    """The attributes of every <img> of a page, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.append({name: value or "" for name, value in attrs})


def images_of(html: bytes) -> list[dict[str, str]]:
    parser = _Images()
    parser.feed(html.decode())
    return parser.found


def body_images(html: bytes) -> list[dict[str, str]]:
    """The images of a post's body (the theme's own images, like a logo, left out)."""
    prose = html.decode().split('<div class="prose">', 1)[1]
    return images_of(prose.encode())


def photo(path: Path, size: tuple[int, int], *, fmt: str = "JPEG", exif: Image.Exif | None = None) -> bytes:
    """A picture with detail (so encoders have something to do), written to `path`; its bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.effect_mandelbrot(size, (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB")
    options = {"exif": exif.tobytes()} if exif is not None else {}
    image.save(path, fmt, **options)
    return path.read_bytes()


def gps_exif() -> Image.Exif:
    """EXIF saying where the picture was taken, as a phone writes it."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (59.0, 19.0, 48.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (18.0, 4.0, 7.0)
    return exif


def add_post(site: Path, name: str, body: str, front: str = "") -> None:
    text = f"---\ntitle: Pictures\ndate: 2026-03-01\n{front}---\n\n{body}\n"
    (site / "content" / "posts" / name).write_text(text, encoding="utf-8")


def run(site: Path, **options: Any) -> dict[str, bytes]:
    options.setdefault("now", NOW)
    report = build(BuildOptions(config=site / "publisher.toml", **options))
    return snapshot(report.output_dir)


@pytest.fixture
def pictures(site_dir: Path) -> Path:
    """The small test site with a post of a wide photo (twice), a small PNG and a figure."""
    static = site_dir / "static" / "img"
    photo(static / "harbour.jpg", (1000, 600))
    photo(static / "small.png", (300, 200), fmt="PNG")
    add_post(site_dir, "pictures.md", "\n\n".join([
        "![The harbour at dawn](/img/harbour.jpg)",
        "Some text between the pictures.",
        "![A small chart](/img/small.png)",
        '{{ figure("/img/harbour.jpg", "The harbour again", "Seen from the pier") }}',
    ]))
    return site_dir


def candidates(srcset: str) -> list[tuple[str, int]]:
    return [(url, int(width.rstrip("w"))) for url, width in (c.strip().split() for c in srcset.split(","))]


def published(out: dict[str, bytes], url: str, base: str = "/") -> bytes:
    assert url.startswith(base), url
    return out[url[len(base):]]


def test_every_image_gets_its_size_and_all_but_the_first_load_lazily(pictures: Path) -> None:
    out = run(pictures)
    first, small, figure = body_images(out["pictures/index.html"])
    assert (first["width"], first["height"]) == ("1000", "600")
    assert (small["width"], small["height"]) == ("300", "200")
    assert (figure["width"], figure["height"]) == ("1000", "600")
    assert "loading" not in first and "decoding" not in first  # the first one is likely in view: no delay
    for later in (small, figure):
        assert (later["loading"], later["decoding"]) == ("lazy", "async")
    assert b"<figcaption>Seen from the pier</figcaption>" in out["pictures/index.html"]


def test_srcset_lists_webp_copies_as_wide_as_it_says(pictures: Path) -> None:
    out = run(pictures)
    first, small, figure = body_images(out["pictures/index.html"])
    assert first["src"] == "/img/harbour.jpg"  # the original stays the fallback
    assert first["sizes"] == SIZES
    listed = candidates(first["srcset"])
    assert [width for _, width in listed] == [480, 800, 1000]  # only copies narrower than the original
    for url, width in listed[:-1]:
        assert url.startswith("/img/harbour-") and url.endswith(".webp")
        with Image.open(io.BytesIO(published(out, url))) as copy:
            assert copy.format == "WEBP"
            assert copy.size == (width, round(600 * width / 1000))
    assert listed[-1] == ("/img/harbour.jpg", 1000)
    assert figure["srcset"] == first["srcset"]
    assert "srcset" not in small and "sizes" not in small  # 300 px wide: no copy would be smaller
    webps = sorted(path for path in out if path.endswith(".webp"))
    assert webps == sorted(url.lstrip("/") for url, _ in listed[:-1])  # the same picture twice: one set of copies


def test_an_image_of_more_pixels_than_pillow_decodes_unwarned_is_published_as_it_is(site_dir: Path) -> None:
    """A PNG of 11 KB that says 10000×9500 (95 million pixels, over Pillow's 89): its copies took 580 MB to make,
    and Pillow printed its decompression-bomb warning on stderr. It is published as committed, with its size
    but no copies, and nothing is printed."""
    import warnings

    static = site_dir / "static" / "img"
    static.mkdir(parents=True)
    Image.new("1", (10000, 9500)).save(static / "vast.png")
    photo(static / "harbour.jpg", (1000, 600))
    add_post(site_dir, "vast.md", "![Vast](/img/vast.png)\n\n![The harbour](/img/harbour.jpg)")
    with warnings.catch_warnings(record=True) as printed:
        warnings.simplefilter("always")
        out = run(site_dir, workers=1)
    assert [str(w.message) for w in printed if "decompression bomb" in str(w.message)] == []
    vast, harbour = body_images(out["vast/index.html"])
    assert (vast["src"], vast["width"], vast["height"], "srcset" in vast) == ("/img/vast.png", "10000", "9500", False)
    assert "srcset" in harbour  # an image Pillow decodes still gets its copies
    assert out["img/vast.png"] == (static / "vast.png").read_bytes()
    assert not [path for path in out if path.startswith("img/vast-")]


def test_copies_carry_no_exif_and_the_original_is_published_as_committed(site_dir: Path) -> None:
    original = photo(site_dir / "static" / "img" / "trip.jpg", (900, 600), exif=gps_exif())
    with Image.open(io.BytesIO(original)) as committed:
        assert committed.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test's photo does say where it was taken
    add_post(site_dir, "trip.md", "![On the road](/img/trip.jpg)")
    out = run(site_dir)
    assert out["img/trip.jpg"] == original
    (image,) = body_images(out["trip/index.html"])
    for url, _ in candidates(image["srcset"])[:-1]:
        data = published(out, url)
        with Image.open(io.BytesIO(data)) as copy:
            assert not copy.getexif()
            assert not {"exif", "xmp", "icc_profile"} & set(copy.info)
        assert b"EXIF" not in data and b"Exif" not in data and b"XMP " not in data and b"ICCP" not in data


@pytest.mark.parametrize(("mode", "see_through", "shown"), [("RGB", (255, 0, 255), (0, 160, 0)), ("L", 255, 90)])
def test_a_png_whose_colour_is_marked_transparent_keeps_it_see_through_in_its_copies(
        site_dir: Path, mode: str, see_through: int | tuple[int, ...], shown: int | tuple[int, ...]) -> None:
    """OptiPNG and oxipng store a logo of transparent and opaque pixels as RGB (or grey) with one colour marked
    transparent (tRNS): its copies showed that colour, a magenta or white box, around the logo."""
    static = site_dir / "static" / "img"
    static.mkdir(parents=True)
    logo = Image.new(mode, (1000, 500), see_through)
    logo.paste(shown, (500, 0, 1000, 500))
    logo.save(static / "logo.png", transparency=see_through)
    add_post(site_dir, "logo.md", "![Logo](/img/logo.png)")
    out = run(site_dir)
    (image,) = body_images(out["logo/index.html"])
    for url, width in candidates(image["srcset"])[:-1]:
        with Image.open(io.BytesIO(published(out, url))) as copy:
            pixels = copy.convert("RGBA")
            assert pixels.getpixel((10, 10))[3] == 0, url  # see-through, as the original
            assert pixels.getpixel((width - 10, 10))[3] == 255, url


def test_a_photo_turned_by_its_exif_is_sized_and_copied_as_it_is_shown(site_dir: Path) -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # stored on its side, shown turned a quarter
    photo(site_dir / "static" / "img" / "tall.jpg", (1200, 900), exif=exif)
    add_post(site_dir, "tall.md", "![Tall](/img/tall.jpg)")
    out = run(site_dir)
    (image,) = body_images(out["tall/index.html"])
    assert (image["width"], image["height"]) == ("900", "1200")
    url, width = candidates(image["srcset"])[0]
    with Image.open(io.BytesIO(published(out, url))) as copy:
        assert copy.size == (width, round(1200 * width / 900))


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_png_or_webp_turned_by_its_exif_tells_networks_its_size_as_shown(site_dir: Path, fmt: str) -> None:
    """`og:image:width` and `height` came from the header alone for these (as turned only for a JPEG): a photo
    shown upright was announced on its side, while the page's own `<img>` had it right."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    name = f"tall.{fmt.lower()}"
    photo(site_dir / "static" / "img" / name, (1200, 900), fmt=fmt, exif=exif)
    add_post(site_dir, "tall.md", f"![Tall](/img/{name})", front=f"image: /img/{name}\nimage_alt: Tall\n")
    page = run(site_dir)["tall/index.html"].decode()
    assert '<meta property="og:image:width" content="900">' in page
    assert '<meta property="og:image:height" content="1200">' in page
    (image,) = body_images(page.encode())
    assert (image["width"], image["height"]) == ("900", "1200")


def test_same_bytes_on_every_build_and_from_the_cache(pictures: Path, tmp_path: Path) -> None:
    clean = run(pictures, output=tmp_path / "one", use_cache=False)
    again = run(pictures, output=tmp_path / "two", use_cache=False)
    assert clean == again
    cold = run(pictures, output=tmp_path / "three")
    warm = run(pictures, output=tmp_path / "four")
    assert cold == clean and warm == clean


def test_a_second_build_encodes_nothing_and_a_changed_image_only_itself(pictures: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    encoded: list[str] = []
    encode = responsive.encode_variants

    def spy(source: Path, sizes: list[tuple[int, int]]) -> list[bytes]:
        encoded.append(source.name)
        return encode(source, sizes)

    monkeypatch.setattr(responsive, "encode_variants", spy)
    photo(pictures / "static" / "img" / "other.jpg", (700, 500))
    add_post(pictures, "other.md", "![Other](/img/other.jpg)")
    first = run(pictures)
    assert sorted(encoded) == ["harbour.jpg", "other.jpg"]
    encoded.clear()
    assert run(pictures) == first
    assert encoded == []
    photo(pictures / "static" / "img" / "harbour.jpg", (1100, 600))  # the writer replaces one picture
    out = run(pictures)
    assert encoded == ["harbour.jpg"]
    urls = [url for url, _ in candidates(body_images(out["pictures/index.html"])[0]["srcset"])]
    assert urls[0] not in {f"/{path}" for path in first}  # a new picture, new names: no stale copy in a CDN
    assert not {path for path in first if path.startswith("img/harbour-")} & set(out)  # old copies are gone


def test_a_picture_copied_in_with_its_old_time_kept_gets_copies_of_itself(pictures: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`cp -p` or `rsync -t` put the old picture's time on the new one: one of the same size in bytes kept the
    old one's facts (kept by size and modification time), and the page showed the old picture's copies."""
    monkeypatch.setattr(responsive, "_SETTLE_NS", 0)  # every file settled: its facts kept, as a while later
    harbour = pictures / "static" / "img" / "harbour.jpg"
    os.utime(harbour, (time.time() - 3600, time.time() - 3600))
    first = run(pictures)
    kept, old = harbour.stat(), harbour.read_bytes()
    turned = io.BytesIO()
    Image.open(io.BytesIO(old)).transpose(Image.Transpose.FLIP_TOP_BOTTOM).save(turned, "JPEG", quality=60)
    new = turned.getvalue()
    assert len(new) < len(old)
    harbour.write_bytes(new + b"\0" * (len(old) - len(new)))  # the same size (a JPEG's image ends at its EOI)
    os.utime(harbour, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    out = run(pictures)
    assert out == run(pictures, output=tmp_path / "clean", use_cache=False)
    copies = {url.lstrip("/") for url, _ in candidates(body_images(out["pictures/index.html"])[0]["srcset"])
              if url.endswith(".webp")}
    assert copies and not copies & set(first)  # the new picture's copies, not the old one's


def _cut_agreeing(data: bytes) -> bytes:
    """A WebP file cut short, its header's size made to agree with the cut."""
    cut = data[: len(data) // 2]
    return cut[:4] + (len(cut) - 8).to_bytes(4, "little") + cut[8:]


@pytest.mark.parametrize("how", ["cut short", "cut short, its header agreeing", "bytes added at its end",
                                 "something else"])
@pytest.mark.parametrize("output", ["the same output", "a new output (CI)"])
def test_a_damaged_copy_in_the_cache_is_made_again_not_published(pictures: Path, tmp_path: Path, how: str,
                                                                  output: str) -> None:
    """A cache is never trusted to hold what its names say: a copy linked anew into an output is read once, and
    made again when it is not a whole WebP file."""
    run(pictures)
    clean = run(pictures, output=tmp_path / "clean", use_cache=False)
    copy = sorted((pictures / ".publisher-cache" / "images" / "variants").rglob("*.webp"))[0]
    data = copy.read_bytes()
    copy.unlink()  # a new file in its place: the output's link to the old one keeps its bytes
    copy.write_bytes({"cut short": data[: len(data) // 2], "cut short, its header agreeing": _cut_agreeing(data),
                      "bytes added at its end": data + b"left over"}.get(how, b"not a picture\n" * 40))
    assert not responsive.whole_webp(copy)
    if output == "a new output (CI)":
        shutil.rmtree(pictures / "output")
    assert run(pictures) == clean
    assert copy.read_bytes() == data


@pytest.mark.parametrize("which", ["narrowest", "widest"])
def test_a_copy_gone_from_the_cache_is_made_as_a_clean_build_makes_it(pictures: Path, tmp_path: Path,
                                                                      which: str) -> None:
    """Each copy of an image is made from the next wider one: one made again alone would be made from the
    original, to other bytes. Its image's copies are all made again, each as a clean build makes it."""
    run(pictures)
    clean = run(pictures, output=tmp_path / "clean", use_cache=False)
    shown = sorted((pictures / "output" / "img").glob("harbour-*w-*.webp"),
                   key=lambda path: int(path.name.split("-")[1].removesuffix("w")))
    assert len(shown) >= 2
    target = shown[0] if which == "narrowest" else shown[-1]
    copies = (pictures / ".publisher-cache" / "images" / "variants").rglob("*.webp")
    next(copy for copy in copies if os.path.samefile(copy, target)).unlink()
    shutil.rmtree(pictures / "output")
    assert run(pictures) == clean


def test_a_copy_the_output_holds_as_the_caches_file_is_not_read_again(pictures: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = responsive.whole_webp
    monkeypatch.setattr(responsive, "whole_webp", lambda path: read.append(path.name) or real(path))
    run(pictures)  # every copy made: none read
    assert read == []
    run(pictures)  # the output links every copy: none read
    assert read == []
    run(pictures, output=pictures / "elsewhere")  # a new output: each copy read once
    copies = {path.name for path in (pictures / ".publisher-cache" / "images" / "variants").rglob("*.webp")}
    assert sorted(read) == sorted(copies)


def _shown_by(output: Path, copies: set[Path]) -> set[Path]:
    """The cache's copies an output folder shows (its files are links to them)."""
    inodes = {path.stat().st_ino for path in output.rglob("*.webp")}
    return {copy for copy in copies if copy.stat().st_ino in inodes}


def test_a_copy_no_output_shows_and_nothing_touched_for_30_days_is_removed(pictures: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Each release of Pillow makes every copy anew: the old ones would stay in the cache (and a CI cache) for good.
    cache = pictures / ".publisher-cache" / "images"
    copies, swept = lambda: set((cache / "variants").rglob("*.webp")), cache / "variants.swept"
    run(pictures)
    run(pictures, output=pictures / "other")  # another output showing the same copies
    photo(pictures / "static" / "img" / "harbour.jpg", (1100, 600))  # the writer replaces one picture
    out = run(pictures)
    old = copies() - _shown_by(pictures / "output", copies())
    assert old and _shown_by(pictures / "other", old) == old  # the old picture's copies, shown by the other only
    monkeypatch.setattr(files, "UNUSED_FOR", -1)  # as 30 days later
    os.utime(swept, (time.time() - 2 * SWEPT_EVERY,) * 2)
    run(pictures)
    assert old <= copies()  # shown by the other output: kept
    shutil.rmtree(pictures / "other")
    os.utime(swept, (time.time() - 2 * SWEPT_EVERY,) * 2)
    assert run(pictures) == out
    assert not old & copies() and _shown_by(pictures / "output", copies()) == copies()


def test_only_published_posts_get_copies_and_a_broken_image_breaks_no_build(site_dir: Path) -> None:
    photo(site_dir / "static" / "img" / "secret.jpg", (1000, 600))
    add_post(site_dir, "secret.md", "![Not yet](/img/secret.jpg)", front="draft: true\n")
    data = photo(site_dir / "static" / "img" / "cut.jpg", (1000, 600))
    (site_dir / "static" / "img" / "cut.jpg").write_bytes(data[:len(data) // 2])  # a file cut short
    add_post(site_dir, "cut.md", "![Cut](/img/cut.jpg)")
    out = run(site_dir)
    assert not [path for path in out if path.startswith("img/secret-")]
    assert out["img/secret.jpg"]  # the original is a static file like any other
    (image,) = body_images(out["cut/index.html"])
    assert (image["width"], image["height"]) == ("1000", "600")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_an_image_cut_short_is_sized_but_lists_no_copies_it_could_not_make(site_dir: Path, fmt: str) -> None:
    """Its header opens, its pixels do not decode: `srcset` listed copies never made, which phones fetched in vain
    (a broken image where the original shows), and a build said nothing."""
    static = site_dir / "static" / "img"
    data = photo(static / f"cut.{fmt.lower()}", (1000, 600), fmt=fmt)
    (static / f"cut.{fmt.lower()}").write_bytes(data[:len(data) // 2])  # an upload stopped halfway
    add_post(site_dir, "cut.md", f"![Cut](/img/cut.{fmt.lower()})")
    out = run(site_dir)
    (image,) = body_images(out["cut/index.html"])
    assert (image["width"], image["height"]) == ("1000", "600")
    assert "srcset" not in image and "sizes" not in image
    assert not [path for path in out if path.startswith("img/cut-")]


def test_a_post_without_images_opens_nothing(tmp_path: Path) -> None:
    def find(path: str) -> Original | None:
        raise AssertionError(f"looked up {path}")

    html = "<p>Words only, <code>&lt;img src=x&gt;</code>.</p>"
    assert responsive_html(html, "/", find) == (html, ())
    facts = ImageFacts([tmp_path / "static"], tmp_path / "cache")
    facts.save()
    assert not (tmp_path / "cache").exists()


def test_external_images_stay_as_written_and_svgs_and_gifs_are_only_sized(site_dir: Path) -> None:
    static = site_dir / "static" / "img"
    static.mkdir(parents=True)
    (static / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"/>')
    Image.new("P", (640, 360)).save(static / "loop.gif")
    photo(static / "wide.jpg", (1600, 900))
    body = ('![Diagram](/img/diagram.svg)\n\n![Elsewhere](https://cdn.example/photo.jpg)\n\n'
            '![Loop](/img/loop.gif)\n\n![Wide](/img/wide.jpg)')
    add_post(site_dir, "mixed.md", body)
    out = run(site_dir)
    page = out["mixed/index.html"].decode()
    assert '<img src="https://cdn.example/photo.jpg" alt="Elsewhere">' in page
    svg, _external, gif, wide = body_images(out["mixed/index.html"])
    assert (svg["width"], svg["height"]) == ("640", "480") and "loading" not in svg and "srcset" not in svg
    assert (gif["width"], gif["height"], gif["loading"]) == ("640", "360", "lazy")
    assert "srcset" not in gif  # a copy would stop an animation
    assert wide["loading"] == "lazy"  # the post's first image is the SVG
    assert [width for _, width in candidates(wide["srcset"])] == [480, 800, 1200, 1600]



def test_an_svg_whose_size_is_no_number_is_left_unsized(site_dir: Path) -> None:
    """A `width` of 400 digits reads as infinite: it stopped the build with a traceback (OverflowError)."""
    static = site_dir / "static" / "img"
    static.mkdir(parents=True)
    (static / "huge.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{"9" * 400}" height="10"/>')
    add_post(site_dir, "huge.md", "![Huge](/img/huge.svg)")
    [huge] = body_images(run(site_dir)["huge/index.html"])
    assert huge["src"] == "/img/huge.svg" and "width" not in huge and "height" not in huge


def test_a_sub_path_site_links_its_copies_under_its_path(pictures: Path) -> None:
    out = run(pictures, base_url="https://user.github.io/repo/")
    first = body_images(out["pictures/index.html"])[0]
    assert first["src"] == "/repo/img/harbour.jpg"
    for url, _ in candidates(first["srcset"]):
        assert url.startswith("/repo/img/harbour")
        published(out, url, "/repo/")  # the file is there, at the site's root
    feed = json.loads(out["feed.json"])
    item = next(item for item in feed["items"] if item["url"].endswith("/pictures/"))
    assert 'srcset="https://user.github.io/repo/img/harbour-480w-' in item["content_html"]


def test_what_the_writer_set_stays(site_dir: Path) -> None:
    photo(site_dir / "static" / "img" / "harbour.jpg", (1000, 600))
    body = ('<img src="/img/harbour.jpg" alt="first">\n\n'
            '<img src="/img/harbour.jpg" alt="mine" width="320" loading="eager" sizes="320px">\n\n'
            '<img src="/img/harbour.jpg" alt="own set" srcset="/img/harbour.jpg 1x">')
    add_post(site_dir, "mine.md", body)
    out = run(site_dir)
    _, mine, own_set = body_images(out["mine/index.html"])
    assert (mine["width"], mine["loading"], mine["sizes"], mine["decoding"]) == ("320", "eager", "320px", "async")
    assert "height" not in mine  # their width, their proportions
    assert mine["srcset"].startswith("/img/harbour-480w-")
    assert own_set["srcset"] == "/img/harbour.jpg 1x" and "sizes" not in own_set
    assert (own_set["width"], own_set["height"]) == ("1000", "600")


def test_a_copy_never_replaces_a_file_of_the_site(site_dir: Path) -> None:
    data = photo(site_dir / "static" / "img" / "harbour.jpg", (1000, 600))
    taken = f"img/harbour-480w-{hashlib.sha256(data).hexdigest()[:8]}.webp"
    (site_dir / "static" / taken).write_bytes(b"the writer's own file")
    add_post(site_dir, "harbour.md", "![Harbour](/img/harbour.jpg)")
    out = run(site_dir)
    assert out[taken] == b"the writer's own file"
    (image,) = body_images(out["harbour/index.html"])
    assert [width for _, width in candidates(image["srcset"])] == [800, 1000]


def test_the_post_image_in_front_matter_is_sized_and_responsive(site_dir: Path) -> None:
    photo(site_dir / "static" / "img" / "cover.jpg", (1600, 900))
    add_post(site_dir, "cover.md", "Text.", front="image: /img/cover.jpg\nimage_alt: A cover\n")
    out = run(site_dir)
    cover = next(image for image in images_of(out["cover/index.html"]) if image["src"] == "/img/cover.jpg")
    assert (cover["width"], cover["height"]) == ("1600", "900")
    assert "loading" not in cover  # the first thing on the page: not lazy
    for url, _ in candidates(cover["srcset"])[:-1]:
        assert url.lstrip("/") in out
    listed = next(image for image in images_of(out["index.html"]) if image["src"] == "/img/cover.jpg")
    assert (listed["width"], listed["loading"], listed["srcset"]) == ("1600", "lazy", cover["srcset"])


def test_attributes_for_a_template_image(tmp_path: Path) -> None:
    photo(tmp_path / "static" / "img" / "cover.jpg", (1600, 900))
    original = ImageFacts([tmp_path / "static"], None).find("img/cover.jpg")
    assert original is not None
    attrs = image_attributes(original, "/img/cover.jpg", "/", lazy=False, sizes=responsive.WIDE_SIZES)
    assert (attrs["width"], attrs["height"], attrs["sizes"]) == ("1600", "900", responsive.WIDE_SIZES)
    assert [width for _, width in candidates(attrs["srcset"])] == [480, 800, 1200, 1600]
    assert "loading" not in attrs


def test_images_in_comments_and_other_tags_are_left_alone(tmp_path: Path) -> None:
    photo(tmp_path / "static" / "a.jpg", (1000, 500))
    find = ImageFacts([tmp_path / "static"], None).find
    html = '<!-- <img src="/a.jpg"> --><imgx src="/a.jpg"><p><img SRC="/a.jpg" ALT=x/></p><img src="/a.jpg"'
    rewritten, listed = responsive_html(html, "/", find)
    assert rewritten.startswith('<!-- <img src="/a.jpg"> --><imgx src="/a.jpg"><p><img SRC="/a.jpg" ALT=x/ width=')
    assert rewritten.endswith('<img src="/a.jpg"')  # never closed: not an image yet
    assert [v.width for v in listed] == [480, 800]


@pytest.mark.parametrize(("name", "written"), [("my cover.jpg", "/img/my%20cover.jpg"),
                                               ("café.jpg", "/img/caf%C3%A9.jpg"),
                                               ("big pic #1.jpg", '"/img/big pic #1.jpg"')])
def test_the_post_image_is_sized_however_its_name_is_written(site_dir: Path, name: str, written: str) -> None:
    # Written as its URL (copied from the browser's address bar) the image got its link preview but, on its page, no
    # width, height or srcset; named with `#`, its `src` and the srcset's last URL read the rest as a fragment.
    original = photo(site_dir / "static" / "img" / name, (1600, 900))
    add_post(site_dir, "cover.md", "Text.", front=f"image: {written}\nimage_alt: A cover\n")
    out = run(site_dir)
    cover = next(image for image in images_of(out["cover/index.html"]) if image["alt"] == "A cover")
    assert (cover["width"], cover["height"]) == ("1600", "900")
    listed = candidates(cover["srcset"])
    assert [width for _, width in listed] == [480, 800, 1200, 1600]
    for url in (cover["src"], *(url for url, _ in listed)):
        assert out.get(unquote(urlsplit(url).path).lstrip("/")) is not None, url  # as a static host serves it
    assert out[unquote(urlsplit(cover["src"]).path).lstrip("/")] == original
