"""A sitemap past 50,000 URLs or 50 MB: split into sitemaps that a sitemap index lists, as crawlers read them.

The limits are passed in small here; no test builds 50,000 pages.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publisher.build.pipeline import BuildOptions, build
from publisher.config.model import SiteConfig
from publisher.content.urls import Urls
from publisher.feeds.sitemap import SitemapUrl, sitemaps
from publisher.feeds.sitemap_split import MOST_BYTES, MOST_URLS, PROTOCOL_LIMITS, SitemapLimits, split_runs

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.com/journal/"
DAY = datetime(2026, 1, 1, tzinfo=UTC)


def test_the_limits_are_the_protocols() -> None:
    assert (MOST_URLS, MOST_BYTES) == (50_000, 52_428_800)
    assert PROTOCOL_LIMITS == SitemapLimits() == SitemapLimits(urls=50_000, bytes=50 * 1024 * 1024)
    assert BuildOptions().sitemap_limits is None  # the protocol's: options import no stage (see test_launch)


def test_runs_are_cut_at_the_url_limit() -> None:
    assert split_runs([1] * 7, 0, SitemapLimits(urls=3, bytes=1000)) == [range(3), range(3, 6), range(6, 7)]
    assert split_runs([1] * 6, 0, SitemapLimits(urls=3, bytes=1000)) == [range(3), range(3, 6)]
    assert split_runs([1] * 3, 0, SitemapLimits(urls=3, bytes=1000)) == [range(3)]  # exactly full: one file


def test_runs_are_cut_at_the_byte_limit_counting_the_files_own_opening_and_closing() -> None:
    limits = SitemapLimits(urls=100, bytes=30)
    assert split_runs([10, 10, 10], 0, limits) == [range(3)]  # 30 bytes: exactly the limit fits
    assert split_runs([10, 10, 10], 1, limits) == [range(2), range(2, 3)]  # 31 does not
    assert split_runs([5, 20, 5, 5], 5, limits) == [range(2), range(2, 4)]


def test_no_items_are_one_empty_file_and_an_item_too_large_alone_gets_a_file_of_its_own() -> None:
    assert split_runs([], 10, SitemapLimits(urls=1, bytes=5)) == [range(0)]
    assert split_runs([2, 50, 2], 0, SitemapLimits(urls=10, bytes=10)) == [range(1), range(1, 2), range(2, 3)]


@given(st.lists(st.integers(min_value=1, max_value=40), max_size=200), st.integers(min_value=0, max_value=30),
       st.integers(min_value=1, max_value=20), st.integers(min_value=1, max_value=200))
def test_runs_cover_every_item_in_order_each_within_the_limits_and_as_full_as_they_can_be(
        sizes: list[int], overhead: int, most_urls: int, most_bytes: int) -> None:
    limits = SitemapLimits(urls=most_urls, bytes=most_bytes)
    runs = split_runs(sizes, overhead, limits)
    assert [index for run in runs for index in run] == list(range(len(sizes)))
    assert all(len(run) for run in runs) or runs == [range(0)]
    for number, run in enumerate(runs):
        used = overhead + sum(sizes[i] for i in run)
        assert len(run) <= most_urls
        assert used <= most_bytes or len(run) <= 1  # an item too large alone (or none) is the one exception
        if number + 1 < len(runs):  # the next item would not have fitted: files are filled before the next starts
            assert len(run) == most_urls or used + sizes[run.stop] > most_bytes
    assert split_runs(sizes, overhead, limits) == runs


def listed(count: int) -> tuple[SitemapUrl, ...]:
    """`count` URLs in sitemap order, the later ones changed later; every third without a date."""
    return tuple(SitemapUrl(f"/post-{n:03d}/", None if n % 3 == 2 else DAY + timedelta(days=n)) for n in range(count))


def config(tmp_path: Path) -> SiteConfig:
    return SiteConfig(root=tmp_path, title="Journal", url=BASE)


def parse(data: bytes | None) -> ET.Element:
    assert data is not None and data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(data)


def locs_of(urlset: ET.Element) -> list[str]:
    assert urlset.tag == f"{NS}urlset"
    assert all(child.tag == f"{NS}url" for child in urlset)
    return [url.findtext(f"{NS}loc") or "" for url in urlset]


def test_past_the_limit_sitemap_xml_is_an_index_of_numbered_sitemaps_beside_it(tmp_path: Path) -> None:
    urls = listed(7)
    files = {f.path: f.data for f in sitemaps(urls, Urls(config(tmp_path)), SitemapLimits(urls=3))}
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = parse(files["sitemap.xml"])
    assert index.tag == f"{NS}sitemapindex"
    entries = [(s.findtext(f"{NS}loc"), s.findtext(f"{NS}lastmod")) for s in index]
    assert [[c.tag for c in s] for s in index] == [[f"{NS}loc", f"{NS}lastmod"]] * 3
    assert [loc for loc, _ in entries] == [f"{BASE}sitemap-{n}.xml" for n in (1, 2, 3)]
    parts = [locs_of(parse(files[f"sitemap-{n}.xml"])) for n in (1, 2, 3)]
    assert parts == [[BASE + url.url.lstrip("/") for url in urls[i:i + 3]] for i in (0, 3, 6)]
    # each sitemap's lastmod is the newest of its pages' (post-005's, not post-004's: dates need not be in order)
    newest = [max(u.lastmod for u in urls[i:i + 3] if u.lastmod) for i in (0, 3, 6)]
    assert [lastmod for _, lastmod in entries] == [when.isoformat() for when in newest]


def test_an_index_entry_whose_pages_have_no_date_has_no_lastmod(tmp_path: Path) -> None:
    undated = tuple(replace(url, lastmod=None) for url in listed(4))
    files = {f.path: f.data for f in sitemaps(undated, Urls(config(tmp_path)), SitemapLimits(urls=2))}
    index = parse(files["sitemap.xml"])
    assert [[child.tag for child in entry] for entry in index] == [[f"{NS}loc"], [f"{NS}loc"]]


def test_each_sitemap_stays_within_the_byte_limit_whole(tmp_path: Path) -> None:
    urls, site = listed(40), Urls(config(tmp_path))
    [single] = sitemaps(urls, site)
    limit = len(single.data or b"") // 3  # about a third of the one file: the split is by bytes, not count
    files = sitemaps(urls, site, SitemapLimits(bytes=limit))
    assert len(files) == 1 + 4
    assert all(len(f.data or b"") <= limit for f in files[1:])
    assert [loc for f in files[1:] for loc in locs_of(parse(f.data))] == locs_of(parse(single.data))


def test_under_the_limits_the_one_sitemap_is_as_it_always_was(tmp_path: Path) -> None:
    urls = listed(3)
    [exactly_full] = sitemaps(urls, Urls(config(tmp_path)), SitemapLimits(urls=3))
    assert exactly_full.path == "sitemap.xml"
    assert exactly_full.data == (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        b"  <url><loc>https://example.com/journal/post-000/</loc><lastmod>2026-01-01T00:00:00+00:00</lastmod></url>\n"
        b"  <url><loc>https://example.com/journal/post-001/</loc><lastmod>2026-01-02T00:00:00+00:00</lastmod></url>\n"
        b"  <url><loc>https://example.com/journal/post-002/</loc></url>\n</urlset>\n")


def test_the_split_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    urls, site, limits = listed(10), Urls(config(tmp_path)), SitemapLimits(urls=4)
    assert sitemaps(urls, site, limits) == sitemaps(tuple(urls), site, limits)


def test_the_index_escapes_its_locations_for_xml(tmp_path: Path) -> None:
    site = Urls(replace(config(tmp_path), url="https://example.com/r&d/"))
    files = {f.path: f.data for f in sitemaps(listed(2), site, SitemapLimits(urls=1))}
    index = parse(files["sitemap.xml"])  # parsing fails unless "&" is written as "&amp;"
    assert [s.findtext(f"{NS}loc") for s in index] == ["https://example.com/r&d/sitemap-1.xml",
                                                       "https://example.com/r&d/sitemap-2.xml"]


@pytest.fixture
def grown(site_dir: Path) -> tuple[Path, int]:
    """The test site and how many URLs its sitemap lists as it is."""
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=DAY + timedelta(days=300), use_cache=False,
                                output=site_dir / "first"))
    return site_dir, len(locs_of(parse((report.output_dir / "sitemap.xml").read_bytes())))


def test_a_build_past_the_limit_writes_the_index_and_one_back_under_it_removes_the_parts(
        grown: tuple[Path, int]) -> None:
    """The build's own limits (`BuildOptions.sitemap_limits`) set small; the incremental build, its cache and the
    output it keeps, must write the index and its sitemaps, keep them while nothing changes, and leave no stale
    sitemap behind when the site fits one file again. The pages' manifest (for IndexNow) still lists every URL."""
    site, fits = grown
    config = site / "publisher.toml"
    config.write_text(config.read_text() + '\n[indexnow]\nkey = "0123456789abcdef"\n')
    options = BuildOptions(config=site / "publisher.toml", now=DAY + timedelta(days=300),
                           sitemap_limits=SitemapLimits(urls=fits))
    out = site / "output"
    assert build(options).output_dir == out
    one = (out / "sitemap.xml").read_bytes()
    assert parse(one).tag == f"{NS}urlset" and not list(out.glob("sitemap-*.xml"))
    posts = site / "content" / "posts"
    for n in range(3):
        (posts / f"more-{n}.md").write_text(f"---\ntitle: More {n}\ndate: 2026-05-0{n + 1}\n---\n\nBody {n}.\n")
    build(options)
    index = parse((out / "sitemap.xml").read_bytes())
    assert index.tag == f"{NS}sitemapindex"
    assert sorted(p.name for p in out.glob("sitemap-*.xml")) == ["sitemap-1.xml", "sitemap-2.xml"]
    every = [loc for n in (1, 2) for loc in locs_of(parse((out / f"sitemap-{n}.xml").read_bytes()))]
    assert len(every) == fits + 3 and every == sorted(every)
    assert [s.findtext(f"{NS}loc") for s in index] == [f"https://hub.example/sitemap-{n}.xml" for n in (1, 2)]
    assert (out / "robots.txt").read_text().endswith("Sitemap: https://hub.example/sitemap.xml\n")
    assert sorted(json.loads((out / "publisher-manifest.json").read_text())["pages"]) == every
    assert build(options).stats.removed == 0  # nothing changed: the parts are kept
    assert sorted(p.name for p in out.glob("sitemap-*.xml")) == ["sitemap-1.xml", "sitemap-2.xml"]
    for n in range(3):
        (posts / f"more-{n}.md").unlink()
    build(options)
    assert (out / "sitemap.xml").read_bytes() == one
    assert not list(out.glob("sitemap-*.xml"))  # back under the limit: the index's sitemaps are gone
