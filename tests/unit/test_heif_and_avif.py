"""HEIC (what an iPhone saves) shows in Safari alone, and link-preview crawlers refuse it: a post's image in it is
named with its line and the advice to convert it to JPEG, and its preview is a card. AVIF, which every browser shows
(Chrome 85, Firefox 93, Safari 16.4), is sized like any image, and previewed by a JPEG copy networks take."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from PIL import Image, features

from publisher.build.pipeline import BuildOptions, BuildReport, build
from publisher.commands.check import check_site

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def heic_file(path: Path) -> None:
    """The start of a HEIC file as an iPhone writes it, made by hand (no HEIC encoder here): its `ftyp` box, brand
    `heic`, compatible with `mif1` and `heic` (ISO/IEC 23008-12), then a media box. `file` names it "HEIF Image
    HEVC"; Pillow reads no image in it, as in any HEIC without a plugin."""
    ftyp = b"ftyp" + b"heic" + struct.pack(">I", 0) + b"mif1heic"
    mdat = b"mdat" + bytes(16)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(struct.pack(">I", 4 + len(ftyp)) + ftyp + struct.pack(">I", 4 + len(mdat)) + mdat)


def add_post(site: Path, image: str, body: str = "Text.") -> None:
    (site / "content" / "posts" / "beach.md").write_text(
        f"---\ntitle: The beach\ndate: 2026-03-01\nsummary: From the offsite.\nimage: {image}\n"
        f"image_alt: The beach at dawn\n---\n\n{body}\n", encoding="utf-8")


def run(site: Path) -> BuildReport:
    return build(BuildOptions(config=site / "publisher.toml", now=NOW, workers=1))


def og(page: Path) -> dict[str, str]:
    """The page's `og:image` meta tags, by property."""
    html = page.read_text(encoding="utf-8")
    return {tag.split('"')[1]: tag.split('content="')[1].split('"')[0]
            for tag in html.split("<meta ")[1:] if tag.startswith('property="og:image')}


def share_images(out: Path) -> set[str]:
    feed: dict[str, Any] = json.loads((out / "share" / "share.json").read_text(encoding="utf-8"))
    return {item["image"] for item in feed["items"] if "/beach" in item.get("url", "")}


@pytest.mark.parametrize("name", ["beach.heic", "beach.jpg"], ids=["heic", "heic-renamed-jpg"])
def test_a_heic_post_image_is_named_at_its_line_and_previewed_by_a_card(site_dir: Path, name: str) -> None:
    """Before: no warning; og:image, the feeds and every share item gave the HEIC (or the renamed file), which
    Facebook, LinkedIn, X and the others refuse: the post was shared with no image."""
    heic_file(site_dir / "static" / "img" / name)
    add_post(site_dir, f"/img/{name}")
    report = run(site_dir)
    said = [str(w) for w in report.warnings if "beach.md" in w.path]
    assert said == [(f"content/posts/beach.md:5: image: /img/{name} is a HEIC (HEIF) image, which Safari alone "
                     "shows (Chrome, Edge and Firefox show a broken image) and link previews refuse: convert it to "
                     "JPEG; its link preview shows a card meanwhile")]
    out = report.output_dir
    preview = og(out / "beach" / "index.html")
    assert preview["og:image"].endswith(".png") and "/social/beach-" in preview["og:image"]
    assert preview["og:image:type"] == "image/png"
    card = out / preview["og:image"].split("/", 3)[3]
    with Image.open(card) as drawn:
        assert drawn.format == "PNG" and drawn.size == (1200, 630)
    assert share_images(out) == {preview["og:image"]}
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    [entry] = [e for e in rss.entries if e.link.endswith("/beach/")]
    assert [m["url"] for m in entry.media_content] == [preview["og:image"]]


def test_a_heic_post_image_is_one_finding_in_check_not_one_error_a_network(site_dir: Path) -> None:
    """Before: seven errors at its line, one a network ("bluesky takes JPEG, PNG, WEBP images, not …heic") and one
    for the link preview, none saying what to do."""
    heic_file(site_dir / "static" / "img" / "beach.heic")
    add_post(site_dir, "/img/beach.heic")
    found = [f for f in check_site(BuildOptions(config=site_dir / "publisher.toml", now=NOW, workers=1))
             if f.problem.path == "content/posts/beach.md" and f.problem.line == 5]
    assert [(f.severity, f.problem.field) for f in found] == [("warning", "image")]
    assert "convert it to JPEG" in found[0].problem.message


def test_a_heic_renamed_jpg_in_a_body_is_named_as_heic_by_check(site_dir: Path) -> None:
    """Before: "is not an image a browser shows (a file of another kind, or damaged)", which says nothing of what
    it is or what to do."""
    heic_file(site_dir / "static" / "img" / "beach.jpg")
    jpeg = site_dir / "static" / "img" / "dunes.jpg"
    Image.new("RGB", (40, 30), (200, 180, 120)).save(jpeg, "JPEG")
    add_post(site_dir, "/img/dunes.jpg", "![The beach](/img/beach.jpg)")
    found = [f for f in check_site(BuildOptions(config=site_dir / "publisher.toml", now=NOW, workers=1))
             if f.problem.path == "static/img/beach.jpg"]
    assert [str(f.problem) for f in found] == [
        ("static/img/beach.jpg: image: is a HEIC (HEIF) image, which Safari alone shows (Chrome, Edge and Firefox "
         "show a broken image) and link previews refuse: convert it to JPEG (renamed, it is HEIC still)")]


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow reads no AVIF")
def test_an_avif_image_is_sized_and_previewed_by_a_jpeg_copy(site_dir: Path) -> None:
    """Before: an AVIF in a body had no width and height (the page jumped as it loaded), and a post's AVIF image
    was its og:image, which Facebook and LinkedIn do not take."""
    folder = site_dir / "static" / "img"
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1600, 900), (20, 90, 160)).save(folder / "wide.avif")
    Image.new("RGB", (40, 30), (160, 20, 20)).save(folder / "chart.avif")
    add_post(site_dir, "/img/wide.avif", "![A chart](/img/chart.avif)")
    report = run(site_dir)
    assert not [w for w in report.warnings if "beach.md" in w.path]
    page = report.output_dir / "beach" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert '<img src="/img/chart.avif" alt="A chart" width="40" height="30"' in html
    assert 'src="/img/wide.avif" alt="The beach at dawn" width="1600" height="900"' in html
    preview = og(page)
    assert preview["og:image"].endswith(".jpg") and preview["og:image:type"] == "image/jpeg"
    assert (preview["og:image:width"], preview["og:image:height"]) == ("1200", "675")
    with Image.open(report.output_dir / preview["og:image"].split("/", 3)[3]) as copy:
        assert copy.format == "JPEG" and copy.size == (1200, 675)
    assert share_images(report.output_dir) == {preview["og:image"]}
