"""A post's own image past what some network takes is previewed by a smaller copy; a small one as it is."""

from __future__ import annotations

import io
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

from publisher.build.pipeline import BuildOptions, build
from publisher.commands.check import check_site
from publisher.images import previews

from ..conftest import snapshot

if TYPE_CHECKING:
    from publisher.images.facts import Photo

NOW = datetime(2026, 9, 1, tzinfo=UTC)
RED = (220, 0, 0)
# Documented: Bluesky's link card thumb (1,000,000 bytes, 2000×2000), X's large card (4096×4096); seen: WhatsApp
# shows no image past some 300 KB.
MOST_BYTES, MOST_SIDE = 300_000, 2000


def camera_photo(path: Path, shown: tuple[int, int], *, orientation: int = 1, fmt: str = "JPEG",
                 see_through: bool = False) -> bytes:
    """A photo with grain (so it weighs what a camera's does: some 4 MB of JPEG at 3000×2000), a red block at the
    top left as it is shown, stored turned as `orientation` says; written to `path`, its bytes."""
    base = Image.effect_mandelbrot(shown, (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB")
    image = ImageChops.add(base, Image.effect_noise(shown, 24).convert("RGB"), offset=-100)
    ImageDraw.Draw(image).rectangle((0, 0, shown[0] // 4, shown[1] // 4), fill=RED)
    stored = {1: image, 6: image.transpose(Image.Transpose.ROTATE_90)}[orientation]
    options: dict[str, Any] = {}
    if orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation
        options["exif"] = exif.tobytes()
    if fmt in ("JPEG", "MPO"):
        options["quality"] = 95
    if fmt == "MPO":  # a JPEG with a second picture after the photo, as cameras and phones write one (see below)
        options.update(save_all=True, append_images=[stored.resize((stored.width // 4, stored.height // 4))])
    if see_through:  # its right half clear
        stored = stored.convert("RGBA")
        ImageDraw.Draw(stored).rectangle((stored.width // 2, 0, stored.width, stored.height), fill=(0, 0, 0, 0))
    elif fmt == "PNG":
        stored = stored.convert("RGBA")  # an alpha channel, every pixel opaque, as many exported PNG photos have
    path.parent.mkdir(parents=True, exist_ok=True)
    stored.save(path, fmt, **options)
    return path.read_bytes()


def add_post(site: Path, name: str, image: str, title: str = "Pictures") -> None:
    text = f"---\ntitle: {title}\ndate: 2026-03-01\nimage: {image}\nimage_alt: The harbour\n---\n\nText.\n"
    (site / "content" / "posts" / name).write_text(text, encoding="utf-8")


def run(site: Path, **options: Any) -> dict[str, bytes]:
    options.setdefault("now", NOW)
    options.setdefault("workers", 1)  # copies made in this process, where the tests count them
    report = build(BuildOptions(config=site / "publisher.toml", **options))
    return snapshot(report.output_dir)


def metas(html: bytes) -> dict[str, str]:
    """The page's `og:` and `twitter:` meta tags, by name."""
    found: dict[str, str] = {}
    for tag in html.decode().split("<meta ")[1:]:
        attrs = dict(part.split('="', 1) for part in tag.split(">")[0].rstrip("/ ").rstrip('"').split('" '))
        name = attrs.get("property") or attrs.get("name") or ""
        if "content" in attrs:
            found.setdefault(name, attrs["content"])
    return found


def json_ld(html: bytes) -> list[Any]:
    text = html.decode()
    blocks = text.split('<script type="application/ld+json">')[1:]
    return [json.loads(block.split("</script>", 1)[0]) for block in blocks]


def in_output(out: dict[str, bytes], url: str) -> bytes:
    """The output's file at `url`, as a static host serves it (`caf%C3%A9.jpg` is the file `café.jpg`)."""
    prefix = "https://hub.example/"
    assert url.startswith(prefix), url
    return out[unquote(url[len(prefix):])]


def share_items(out: dict[str, bytes], post_url: str) -> list[dict[str, Any]]:
    feed = json.loads(out["share/share.json"])
    return [item for item in feed["items"] if item["_publisher"]["post_url"] == post_url]


def test_a_camera_photo_is_previewed_by_a_copy_every_network_takes(site_dir: Path) -> None:
    original = camera_photo(site_dir / "static" / "img" / "harbour.jpg", (2000, 3000), orientation=6)
    assert len(original) > 3_000_000  # what a camera writes
    add_post(site_dir, "harbour.md", "/img/harbour.jpg")
    out = run(site_dir)
    page = out["harbour/index.html"]
    meta = metas(page)
    url = meta["og:image"]
    assert url.startswith("https://hub.example/social/img/harbour-") and url.endswith(".jpg")
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == ("1200", "1800", "image/jpeg")
    assert meta["twitter:image"] == url and meta["twitter:card"] == "summary_large_image"
    posting = next(block for block in json_ld(page) if block.get("@type") == "BlogPosting")
    assert url in json.dumps(posting["image"])
    items = share_items(out, "https://hub.example/harbour/")
    assert items and all(item["image"] == url for item in items)
    assert [item["_publisher"]["embed"]["external"]["thumb"] for item in items
            if item["_publisher"]["network"] == "bluesky"] == [url]

    data = in_output(out, url)
    assert len(data) <= MOST_BYTES
    with Image.open(io.BytesIO(data)) as copy:
        assert (copy.format, copy.size, copy.mode) == ("JPEG", (1200, 1800), "RGB")
        assert not copy.getexif() and "icc_profile" not in copy.info  # no metadata: no GPS position either
        red, green, blue = copy.getpixel((40, 40))
        assert red > 180 and green < 60 and blue < 60  # upright: the red block at the top left, as shown
    assert out["img/harbour.jpg"] == original  # the original published as committed


# A see-through copy past 300,000 bytes in full colour is a palette PNG, its alpha in the palette (its tRNS chunk).
@pytest.mark.parametrize(("see_through", "fmt", "mode"), [(False, "JPEG", "RGB"), (True, "PNG", "P")])
def test_a_large_png_is_copied_as_a_jpeg_or_as_a_png_where_it_is_see_through(site_dir: Path, see_through: bool,
                                                                             fmt: str, mode: str) -> None:
    original = camera_photo(site_dir / "static" / "img" / "photo.png", (1600, 1000), fmt="PNG",
                            see_through=see_through)
    assert len(original) > 1_000_000  # under 2000 pixels a side, but past WhatsApp's bytes and Bluesky's
    add_post(site_dir, "photo.md", "/img/photo.png")
    out = run(site_dir)
    meta = metas(out["photo/index.html"])
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "750")
    assert meta["og:image:type"] == f"image/{fmt.lower()}"
    with Image.open(io.BytesIO(in_output(out, meta["og:image"]))) as copy:
        assert (copy.format, copy.size, copy.mode) == (fmt, (1200, 750), mode)
        if see_through:
            shown = copy.convert("RGBA")
            assert shown.getpixel((1100, 400))[3] == 0 and shown.getpixel((100, 400))[3] == 255
    assert len(in_output(out, meta["og:image"])) <= MOST_BYTES


def test_a_small_image_is_previewed_as_it_is(site_dir: Path) -> None:
    image = Image.effect_mandelbrot((1200, 630), (-2.0, -1.2, 1.0, 1.2), 60).convert("RGB")
    (site_dir / "static" / "img").mkdir(parents=True)
    image.save(site_dir / "static" / "img" / "small.jpg", quality=85)
    add_post(site_dir, "small.md", "/img/small.jpg")
    out = run(site_dir)
    meta = metas(out["small/index.html"])
    assert meta["og:image"] == "https://hub.example/img/small.jpg"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert not [path for path in out if path.startswith("social/img/")]


def test_a_copy_is_made_once_and_anew_only_when_its_image_changes(site_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    encode = getattr(previews, "encode_copy", None)  # (none before copies were made: the test fails, not errs)

    def counting(photo: Photo) -> bytes:
        made.append(photo.file.name)
        assert encode is not None
        return encode(photo)

    monkeypatch.setattr(previews, "encode_copy", counting, raising=False)
    camera_photo(site_dir / "static" / "img" / "harbour.jpg", (3000, 2000))
    add_post(site_dir, "harbour.md", "/img/harbour.jpg")
    add_post(site_dir, "again.md", "/img/harbour.jpg", title="The same picture")
    first = run(site_dir)
    assert made == ["harbour.jpg"]  # one copy for both posts
    url = metas(first["harbour/index.html"])["og:image"]
    assert metas(first["again/index.html"])["og:image"] == url
    copy = site_dir / "output" / url.removeprefix("https://hub.example/")
    inode = os.stat(copy).st_ino
    made.clear()
    (site_dir / "content" / "posts" / "first.md").write_text(
        "---\ntitle: First post, edited\ndate: 2026-01-05 10:00\n---\n\nEdited.\n", encoding="utf-8")
    edited = run(site_dir)
    assert made == []  # a one-post build makes no copy again
    assert os.stat(copy).st_ino == inode and edited[copy.relative_to(site_dir / "output").as_posix()] == \
        first[copy.relative_to(site_dir / "output").as_posix()]
    camera_photo(site_dir / "static" / "img" / "harbour.jpg", (3000, 1800))  # the writer replaces the picture
    replaced = run(site_dir)
    assert made == ["harbour.jpg"]
    new = metas(replaced["harbour/index.html"])["og:image"]
    assert new != url and metas(replaced["harbour/index.html"])["og:image:height"] == "720"
    assert copy.relative_to(site_dir / "output").as_posix() not in replaced  # networks fetch the new one


def test_a_copy_is_the_same_bytes_on_every_build_and_from_the_cache(site_dir: Path, tmp_path: Path) -> None:
    camera_photo(site_dir / "static" / "img" / "harbour.jpg", (3000, 2000), orientation=6)
    camera_photo(site_dir / "static" / "img" / "clear.png", (1600, 1000), fmt="PNG", see_through=True)
    add_post(site_dir, "harbour.md", "/img/harbour.jpg")
    add_post(site_dir, "clear.md", "/img/clear.png", title="Clear")
    clean = run(site_dir, output=tmp_path / "one", use_cache=False)
    assert [path for path in clean if path.startswith("social/img/")]
    assert run(site_dir, output=tmp_path / "two", use_cache=False) == clean
    assert run(site_dir, output=tmp_path / "three") == clean
    assert run(site_dir, output=tmp_path / "four") == clean


def test_a_post_announced_ahead_shows_a_copy_named_after_its_image_not_the_post(site_dir: Path) -> None:
    camera_photo(site_dir / "static" / "img" / "teaser.jpg", (3000, 2000))
    text = "---\ntitle: Coming soon\ndate: 2027-06-01\nimage: /img/teaser.jpg\nimage_alt: A teaser\n---\n\nText.\n"
    (site_dir / "content" / "posts" / "coming-soon.md").write_text(text, encoding="utf-8")
    out = run(site_dir)
    announced = json.loads((site_dir / ".publisher" / "share" / "share.json").read_text(encoding="utf-8"))
    images = {item["image"] for item in announced["items"]
              if item["_publisher"]["post_url"] == "https://hub.example/coming-soon/"}
    assert len(images) == 1
    url = images.pop()
    assert url.startswith("https://hub.example/social/img/teaser-")  # the post's name is not out before the post
    with Image.open(io.BytesIO(in_output(out, url))) as copy:
        assert copy.size == (1200, 800)
    assert not [path for path in out if "coming-soon" in path]


def test_the_sites_own_large_image_is_previewed_by_a_copy_too(site_dir: Path) -> None:
    camera_photo(site_dir / "static" / "img" / "brand.jpg", (3000, 2000))
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[social]\nimage = "/img/brand.jpg"\n'
                      'image_alt = "Our harbour"\n', encoding="utf-8")
    out = run(site_dir)
    meta = metas(out["index.html"])
    assert meta["og:image"].startswith("https://hub.example/social/img/brand-")
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:alt"]) == ("1200", "800", "Our harbour")
    assert len(in_output(out, meta["og:image"])) <= MOST_BYTES


def _still(size: tuple[int, int], colour: tuple[int, int, int]) -> Image.Image:
    """A picture of flat `colour` with a band of grain (so it is not all one colour), as a still or a frame."""
    image = Image.new("RGB", size, colour)
    image.paste(Image.effect_noise((size[0], size[1] // 4), 40).convert("RGB"), (0, size[1] - size[1] // 4))
    return image


def test_a_webp_image_is_previewed_by_a_jpeg_every_network_takes_and_the_page_keeps_the_webp(site_dir: Path) -> None:
    # LinkedIn shows no image for a WebP og:image (its help lists JPG, PNG and GIF; linkedin/linkedin.github.com#26),
    # nor do Telegram's previews (tdesktop#16312) or Slack's image blocks; Threads and Pinterest take JPEG and PNG.
    (site_dir / "static" / "img").mkdir(parents=True)
    _still((1200, 630), RED).save(site_dir / "static" / "img" / "small.webp", quality=80)
    assert (site_dir / "static" / "img" / "small.webp").stat().st_size < MOST_BYTES  # small: no copy for its size
    add_post(site_dir, "small.md", "/img/small.webp")
    out = run(site_dir)
    page = out["small/index.html"]
    meta = metas(page)
    url = meta["og:image"]
    assert url.startswith("https://hub.example/social/img/small-") and url.endswith(".jpg")
    assert (meta["og:image:type"], meta["og:image:width"], meta["og:image:height"]) == ("image/jpeg", "1200", "630")
    assert meta["twitter:image"] == url
    with Image.open(io.BytesIO(in_output(out, url))) as copy:
        assert (copy.format, copy.size) == ("JPEG", (1200, 630))
        red, green, blue = copy.getpixel((100, 100))
        assert red > 180 and green < 60 and blue < 60
    items = share_items(out, "https://hub.example/small/")
    assert items and {item["image"] for item in items} == {url}
    assert '<img src="/img/small.webp"' in page.decode()  # the page itself still shows the WebP


def test_a_see_through_webp_is_previewed_by_a_png_that_keeps_it_see_through(site_dir: Path) -> None:
    (site_dir / "static" / "img").mkdir(parents=True)
    logo = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((100, 50, 700, 350), fill=(*RED, 255))
    logo.save(site_dir / "static" / "img" / "logo.webp", lossless=True)
    add_post(site_dir, "logo.md", "/img/logo.webp")
    out = run(site_dir)
    meta = metas(out["logo/index.html"])
    assert meta["og:image"].endswith(".png") and meta["og:image:type"] == "image/png"
    with Image.open(io.BytesIO(in_output(out, meta["og:image"]))) as copy:
        assert (copy.format, copy.size, copy.mode) == ("PNG", (800, 400), "RGBA")
        assert copy.getpixel((5, 5))[3] == 0 and copy.getpixel((400, 200)) == (*RED, 255)


def test_a_large_animated_gif_is_previewed_by_a_jpeg_of_its_first_frame(site_dir: Path) -> None:
    # X's card shows "only the first frame of an animated GIF" (its cards markup docs) and LinkedIn turns one into a
    # JPEG: none plays it. As committed, 6 MB were past X's and LinkedIn's 5 MB, Bluesky's 1,000,000 bytes (which
    # takes no GIF at all) and WhatsApp's 300 KB.
    frames = [Image.effect_noise((1600, 900), 80).convert("RGB") for _ in range(5)]
    for frame, colour in zip(frames, (RED, (0, 0, 220), (0, 160, 0), (0, 0, 220), (0, 160, 0)), strict=True):
        ImageDraw.Draw(frame).rectangle((0, 0, 400, 225), fill=colour)
    gif = site_dir / "static" / "img" / "demo.gif"
    gif.parent.mkdir(parents=True)
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=200, loop=0)
    assert gif.stat().st_size > 5_000_000
    add_post(site_dir, "demo.md", "/img/demo.gif")
    out = run(site_dir)
    meta = metas(out["demo/index.html"])
    url = meta["og:image"]
    assert url.startswith("https://hub.example/social/img/demo-") and url.endswith(".jpg")
    assert (meta["og:image:type"], meta["og:image:width"], meta["og:image:height"]) == ("image/jpeg", "1200", "675")
    data = in_output(out, url)
    assert len(data) <= MOST_BYTES
    with Image.open(io.BytesIO(data)) as copy:
        assert (copy.format, copy.size, getattr(copy, "n_frames", 1)) == ("JPEG", (1200, 675), 1)
        red, green, blue = copy.getpixel((60, 60))
        assert red > 180 and green < 60 and blue < 60  # the first frame's
    assert out["img/demo.gif"] == gif.read_bytes()  # the page still plays the GIF as committed


def test_a_gif_cut_short_gets_no_copy_and_the_build_goes_on(site_dir: Path) -> None:
    gif = site_dir / "static" / "img" / "cut.gif"
    gif.parent.mkdir(parents=True)
    _still((1200, 630), RED).save(gif)
    gif.write_bytes(gif.read_bytes()[: gif.stat().st_size // 2])
    add_post(site_dir, "cut.md", "/img/cut.gif")
    out = run(site_dir)
    assert metas(out["cut/index.html"])["og:image"] == "https://hub.example/img/cut.gif"


def test_a_cameras_jpeg_holding_a_second_picture_is_previewed_and_sized_as_any_jpeg(site_dir: Path) -> None:
    # Sony, Panasonic and Canon cameras, and phones (a depth or HDR gain map), write a JPEG with more pictures than
    # one (CIPA's Multi-Picture Format: the photo, then a large thumbnail), which Pillow names MPO, not JPEG
    # (python-pillow/Pillow#1138, #1198, #4603). Such a photo got no copy, no `srcset`, and `check` said its page's
    # og:image "is not PNG, JPEG, GIF or WebP", and that no network took it.
    original = camera_photo(site_dir / "static" / "img" / "camera.jpg", (2000, 3000), orientation=6, fmt="MPO")
    with Image.open(io.BytesIO(original)) as opened:
        assert (opened.format, getattr(opened, "n_frames", 1)) == ("MPO", 2)
    add_post(site_dir, "camera.md", "/img/camera.jpg")
    out = run(site_dir)
    page = out["camera/index.html"]
    meta = metas(page)
    url = meta["og:image"]
    assert url.startswith("https://hub.example/social/img/camera-") and url.endswith(".jpg")
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == ("1200", "1800", "image/jpeg")
    data = in_output(out, url)
    assert len(data) <= MOST_BYTES
    with Image.open(io.BytesIO(data)) as copy:
        assert (copy.format, copy.size) == ("JPEG", (1200, 1800))
        red, green, blue = copy.getpixel((40, 40))
        assert red > 180 and green < 60 and blue < 60  # upright
    assert 'srcset="/img/camera-480w-' in page.decode()  # the page offers phones its smaller WebP copies too
    assert out["img/camera.jpg"] == original

    found = check_site(BuildOptions(config=site_dir / "publisher.toml", now=NOW, workers=1))
    assert not [f for f in found if "camera" in str(f.problem) and f.severity == "error"], found


def cut_out_photo(path: Path, side: int) -> bytes:
    """A colourful grainy photo of a round object cut out of its background (see-through around it, its edge soft),
    as a shop's product shots are; written to `path` as a PNG, its bytes."""
    hue = Image.linear_gradient("L").resize((side, side))
    saturation = hue.rotate(90)
    value = Image.effect_mandelbrot((side, side), (-2.0, -1.2, 1.0, 1.2), 100).point(lambda level: 128 + level // 2)
    photo = Image.merge("HSV", (hue, saturation, value)).convert("RGB")
    photo = ImageChops.add(photo, Image.effect_noise((side, side), 12).convert("RGB"), offset=-48)
    mask = Image.new("L", (side, side), 0)
    ImageDraw.Draw(mask).ellipse((side // 8, side // 12, side * 7 // 8, side * 11 // 12), fill=255)
    photo.putalpha(mask.filter(ImageFilter.GaussianBlur(side // 300)))
    path.parent.mkdir(parents=True, exist_ok=True)
    photo.save(path, "PNG")
    return path.read_bytes()


def test_a_see_through_copy_is_within_whatsapps_300_kb_and_still_see_through(site_dir: Path) -> None:
    # A see-through copy was a PNG of full colour: 2.4 MB for this product shot at 1200×1200, so WhatsApp, which
    # shows no image past some 300 KB, showed none (and Bluesky refused a thumb past 1,000,000 bytes).
    original = cut_out_photo(site_dir / "static" / "img" / "product.png", 1600)
    add_post(site_dir, "product.md", "/img/product.png")
    out = run(site_dir)
    meta = metas(out["product/index.html"])
    assert meta["og:image"].endswith(".png") and meta["og:image:type"] == "image/png"
    data = in_output(out, meta["og:image"])
    assert len(data) <= MOST_BYTES
    with Image.open(io.BytesIO(data)) as opened:
        assert (opened.format, opened.size) == ("PNG", (1200, 1200))
        copy = opened.convert("RGBA")
    assert copy.getpixel((5, 5))[3] == 0 and copy.getpixel((600, 600))[3] == 255  # see-through around, not inside
    with Image.open(io.BytesIO(original)) as source:
        shown = source.convert("RGBA").resize((1200, 1200), Image.Resampling.LANCZOS)
    inside = (400, 400, 800, 800)
    difference = ImageStat.Stat(ImageChops.difference(copy.convert("RGB").crop(inside),
                                                      shown.convert("RGB").crop(inside))).mean
    assert max(difference) < 16  # its colours, within what a palette of fewer colours changes


@pytest.mark.parametrize(("name", "written"), [("my harbour.jpg", "/img/my%20harbour.jpg"),
                                               ("café.jpg", "/img/caf%C3%A9.jpg")])
def test_an_image_written_as_its_url_is_previewed_as_when_written_as_its_file(site_dir: Path, name: str,
                                                                              written: str) -> None:
    # A URL copied from the browser's address bar names the file `my harbour.jpg` as `my%20harbour.jpg`. Its page's
    # og:image was then the 3 MB original, unmeasured (no og:image:width, height or type), past Bluesky's 1,000,000
    # bytes and WhatsApp's 300 KB, where the same file written with its space got a copy.
    camera_photo(site_dir / "static" / "img" / name, (3000, 2000))
    add_post(site_dir, "harbour.md", written)
    out = run(site_dir)
    meta = metas(out["harbour/index.html"])
    url = meta["og:image"]
    assert url.startswith("https://hub.example/social/img/") and url.endswith(".jpg")
    assert (meta["og:image:width"], meta["og:image:height"], meta["og:image:type"]) == ("1200", "800", "image/jpeg")
    assert len(in_output(out, url)) <= MOST_BYTES


def served(out: dict[str, bytes], url: str) -> bytes | None:
    """The file a static host serves for `url`: its path unescaped, its query and fragment not part of it; none for a
    `%` that starts no escape (nginx answers 400 Bad Request)."""
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        return None
    path = unquote(urlsplit(url).path)
    return out.get(path.removeprefix("/")) if url.startswith(("/", "https://hub.example/")) else None


@pytest.mark.parametrize(("name", "large"), [("big pic #1.jpg", True), ("chart #2.png", False),
                                             ("what?.jpg", True), ("100%.png", False)])
def test_an_image_named_with_a_sign_a_url_reads_is_linked_as_its_file(site_dir: Path, name: str, large: bool) -> None:
    # A URL reads `#` as its fragment, `?` as its query and `%` as an escape. Front matter names the file (as Hugo's
    # `Resources.GetMatch` reads it): `big pic #1.jpg` was linked as `/img/big%20pic%20#1.jpg`, which browsers and
    # networks fetch as `/img/big pic `, on the page, in og:image and in the feeds; and, large, it got no copy.
    file = site_dir / "static" / "img" / name
    if large:
        original = camera_photo(file, (3000, 2000))
    else:
        file.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (800, 420), RED).save(file)
        original = file.read_bytes()
    add_post(site_dir, "harbour.md", json.dumps(f"/img/{name}"))  # quoted: in YAML, ` #` starts a comment
    out = run(site_dir)
    page = out["harbour/index.html"]
    shown = page.decode().split('<figure class="post-image"><img src="', 1)[1].split('"', 1)[0]
    assert served(out, shown) == original
    meta = metas(page)
    url = meta["og:image"]
    if large:
        assert url.startswith("https://hub.example/social/img/") and len(served(out, url) or b"") <= MOST_BYTES
    else:
        assert served(out, url) == original
        assert (meta["og:image:width"], meta["og:image:height"]) == ("800", "420")
    rss = feedparser.parse(out["feed.xml"])
    post = next(item for item in rss.entries if item.link == "https://hub.example/harbour/")
    assert [media["url"] for media in post.media_content] == [url]
    assert all(item["image"] == url for item in share_items(out, "https://hub.example/harbour/"))


@pytest.mark.parametrize(("name", "large"), [("brand #1.jpg", True), ("brand #2.png", False), ("what?.png", False),
                                             ("100%.png", False)])
def test_the_sites_own_image_named_with_a_sign_a_url_reads_is_linked_as_its_file(site_dir: Path, name: str,
                                                                                 large: bool) -> None:
    # `[social] image` names a file, as a post's front-matter image does: `brand #2.png` was the og:image
    # `https://hub.example/img/brand%20#2.png`, which networks fetch as `/img/brand ` (a 404: no image on the card).
    file = site_dir / "static" / "img" / name
    if large:
        original = camera_photo(file, (3000, 2000))
    else:
        file.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (800, 420), RED).save(file)
        original = file.read_bytes()
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + f'\n[social]\nimage = "/img/{name}"\n'
                      'image_alt = "Our harbour"\n', encoding="utf-8")
    out = run(site_dir)
    for page in ("index.html", "archive/index.html"):  # pages with no image or card of their own
        meta = metas(out[page])
        url = meta["og:image"]
        assert meta["twitter:image"] == url
        if large:
            assert url.startswith("https://hub.example/social/img/") and len(served(out, url) or b"") <= MOST_BYTES
        else:
            assert served(out, url) == original
            assert (meta["og:image:width"], meta["og:image:height"]) == ("800", "420")
