"""A small site with everything discovery reads: tags, images, keywords,
updated dates, a draft, a scheduled post, custom ids and canonical URLs."""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build

SITES = Path(__file__).resolve().parents[1] / "sites"
NOW = datetime(2026, 9, 1, tzinfo=UTC)
HOSTILE_TITLE = "Quotes \" and </script><script>alert(1)</script> <!-- and \u2028line\u2029breaks"


def png(width: int, height: int) -> bytes:
    """A real, tiny PNG of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write_post(site: Path, name: str, front: str, body: str = "Body text.") -> None:
    (site / "content" / "posts" / name).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


def make_site(root: Path, extra_config: str = "") -> Path:
    site = root / "site"
    shutil.copytree(SITES / "good", site)
    (site / "static" / "img").mkdir(parents=True)
    (site / "static" / "img" / "card.png").write_bytes(png(120, 63))
    (site / "static" / "img" / "chart.png").write_bytes(png(10, 10))
    config = (site / "publisher.toml").read_text().replace("[site]", '[site]\nlogo = "/img/chart.png"', 1)
    (site / "publisher.toml").write_text(config + '\n[social]\ntwitter = "@testhub"\n' + extra_config)
    write_post(site, "pictured.md", "title: With a picture\ndate: 2026-03-01 12:00\nupdated: 2026-03-05\n"
               "summary: A post with an image.\ntags: [alpha, gamma]\nkeywords: [pictures, charts]\nauthor: ann\n"
               "image: /img/card.png\nimage_alt: A grey card",
               "See [the first post](first.md) and ![a chart](/img/chart.png).")
    write_post(site, "custom-id.md",
               "title: Custom id\ndate: 2026-02-01\nid: urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")
    write_post(site, "syndicated.md", "title: Syndicated\ndate: 2026-02-02\ncanonical: https://elsewhere.example/original/")
    write_post(site, "long-summary.md", "title: Long summary\ndate: 2026-02-03\nsummary: " + " ".join(["wordy"] * 60))
    write_post(site, "hostile.md",
               f"title: {json.dumps(HOSTILE_TITLE)}\ndate: 2026-02-04\nsummary: Hostile.\ntags: [alpha]")
    write_post(site, "draft.md", "title: Draft\ndate: 2026-01-01\ndraft: true")
    write_post(site, "future.md", "title: Future\ndate: 2027-01-01")
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = make_site(tmp_path_factory.mktemp("discovery"))
    build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    return site / "output"
