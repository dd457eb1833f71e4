"""What templates see: the views of entries, pagination, groups and the site, for a site under a sub-path."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from itertools import pairwise, product
from pathlib import Path

from publisher.config.model import NavLink, SiteConfig
from publisher.content.model import Author, Entry
from publisher.content.urls import Urls, pager_url
from publisher.pages.views import entry_view, group_view, pager_view, site_view
from publisher.site.model import Selection
from publisher.site.pagination import paginate
from publisher.site.selection import build_site
from tests.unit.test_site import RENDER, entry

CFG = SiteConfig(root=Path("."), title="The Journal", url="https://example.com/journal/", logo="/img/logo.svg",
                 nav=(NavLink("About", "/about/"), NavLink("Shop", "https://shop.example/")))
URLS = Urls(CFG)
NOW = datetime(2026, 1, 20, tzinfo=UTC)


def rich_entry(body: str = "Text.", **fields: object) -> Entry:
    """`entry("launch", 5)` with its body rendered from `body` and any Post fields changed."""
    base = entry("launch", 5)
    return Entry(replace(base.post, body=body, **fields), RENDER.convert(body))


# entry_view


def test_entry_urls_are_under_the_sites_sub_path() -> None:
    view = entry_view(rich_entry(), URLS, NOW)
    assert view["url"] == "/journal/launch/"
    assert view["absolute_url"] == "https://example.com/journal/launch/"


def test_summary_falls_back_to_the_excerpts_plain_text() -> None:
    body = "An **opening** paragraph with [a link](https://x.example/) &amp; an entity.\n\nA second paragraph."
    view = entry_view(rich_entry(body, summary=""), URLS, NOW)
    assert view["summary"] == "An opening paragraph with a link & an entity."
    assert view["has_summary"] is False
    assert "<strong>opening</strong>" in view["excerpt_html"]
    written = entry_view(rich_entry(body, summary="What the writer said."), URLS, NOW)
    assert (written["summary"], written["has_summary"]) == ("What the writer said.", True)


def test_scheduled_flag_marks_posts_dated_after_now() -> None:
    post = rich_entry()  # 5 January 2026
    assert entry_view(post, URLS, datetime(2026, 1, 4, tzinfo=UTC))["scheduled"] is True
    assert entry_view(post, URLS, datetime(2026, 1, 5, tzinfo=UTC))["scheduled"] is False  # its very moment
    assert entry_view(post, URLS, datetime(2026, 1, 6, tzinfo=UTC))["scheduled"] is False
    assert entry_view(post, URLS, None)["scheduled"] is False  # no clock given: never marked
    assert entry_view(entry("about", 1, kind="page"), URLS, NOW)["scheduled"] is False  # pages have no date


def test_dates_are_iso_for_machines_and_spelled_out_for_readers() -> None:
    updated = datetime(2026, 3, 12, 9, 30, tzinfo=UTC)
    view = entry_view(rich_entry(updated=updated), URLS, NOW)
    assert datetime.fromisoformat(view["date_iso"]) == datetime(2026, 1, 5, tzinfo=UTC)
    assert view["date_display"] == "5 January 2026"  # no leading zero on the day
    assert datetime.fromisoformat(view["updated_iso"]) == updated
    assert view["updated_display"] == "12 March 2026"
    page = entry_view(entry("about", 1, kind="page"), URLS, NOW)
    assert (page["date_iso"], page["date_display"], page["updated_iso"]) == ("", "", "")


def test_tag_and_author_links_lead_to_the_pages_the_site_builds() -> None:
    maya = Author("maya", "Maya Lindqvist", bio="Head of content.")
    post = replace(entry("launch", 5).post, tags=("Content Marketing", "SEO"), authors=(maya,))
    tagged = Entry(post, RENDER.convert("Text."))
    site = build_site([tagged], Selection(now=NOW))
    view = entry_view(tagged, URLS, NOW)
    assert [t["name"] for t in view["tags"]] == ["Content Marketing", "SEO"]
    assert {t["url"] for t in view["tags"]} == {URLS.path(group.url) for group in site.tags}
    assert all(t["url"].startswith("/journal/tags/") and t["url"].endswith("/") for t in view["tags"])
    assert view["authors"] == [{"name": "Maya Lindqvist", "url": URLS.path(site.authors[0].url),
                                "bio": "Head of content."}]
    assert view["authors"][0]["url"] == "/journal/authors/maya/"


def test_post_image_is_served_from_under_the_sub_path() -> None:
    assert entry_view(rich_entry(image="/img/card.png", image_alt="A card"), URLS, NOW)["image"] == \
        {"url": "/journal/img/card.png", "alt": "A card"}
    assert entry_view(rich_entry(image="https://cdn.example/card.png"), URLS, NOW)["image"]["url"] == \
        "https://cdn.example/card.png"  # another host: left alone
    assert entry_view(rich_entry(), URLS, NOW)["image"] is None


# pager_view


def shown(view: dict) -> list[int | str]:
    return ["…" if p["gap"] else p["number"] for p in view["pages"]]


def pagers(total: int, first: str = "/") -> list:
    return paginate(tuple(entry(f"p{i}", 1) for i in range(total)), first, 1)


def test_the_first_page_links_forward_the_last_back_and_a_single_page_nowhere() -> None:
    twenty = pagers(20)
    first, last = pager_view(twenty[0], URLS), pager_view(twenty[-1], URLS)
    assert shown(first) == [1, 2, 3, "…", 20] and shown(last) == [1, "…", 18, 19, 20]
    assert (first["prev_url"], first["next_url"]) == (None, "/journal/page/2/")
    assert (last["prev_url"], last["next_url"]) == ("/journal/page/19/", None)
    only = pager_view(pagers(1)[0], URLS)
    assert shown(only) == [1] and (only["prev_url"], only["next_url"]) == (None, None)


def test_pager_shows_the_ends_and_the_window_with_a_gap_exactly_where_numbers_are_skipped() -> None:
    for total, window in product([1, 2, 5, 9], [0, 1, 2, 3]):
        for pager in pagers(total, "/tags/seo/"):
            view = pager_view(pager, URLS, window=window)
            numbers = [p["number"] for p in view["pages"] if not p["gap"]]
            expected = {1, total} | {n for n in range(1, total + 1) if abs(n - pager.number) <= window}
            assert numbers == sorted(expected), (total, window, pager.number)
            assert [p["number"] for p in view["pages"] if p.get("current")] == [pager.number]
            for before, after in pairwise(view["pages"]):
                assert not (before["gap"] and after["gap"])
                if not before["gap"] and not after["gap"]:
                    assert after["number"] == before["number"] + 1  # a jump always has a gap between
            for page in view["pages"]:
                if not page["gap"]:
                    assert page["url"] == URLS.path(pager_url("/tags/seo/", page["number"]))
                    assert page["url"].startswith("/journal/tags/seo/")


# group_view


def test_group_views_link_under_the_sub_path_count_posts_and_describe_authors() -> None:
    ann = Author("ann", "Ann Author", bio="Writes about search.", url="https://ann.example/")
    site = build_site([entry("one", 1, tags=["SEO"], authors=[ann]), entry("two", 2, tags=["seo", "B2B"])],
                      Selection(now=NOW))
    tags = {g.name: group_view(g, URLS) for g in site.tags}
    assert tags["SEO"] == {"key": "seo", "name": "SEO", "url": "/journal/tags/seo/", "count": 2}
    assert tags["B2B"]["count"] == 1
    author = group_view(site.authors[0], URLS)
    assert author["url"] == "/journal/authors/ann/"
    assert (author["bio"], author["website"], author["count"]) == ("Writes about search.", "https://ann.example/", 1)


# site_view


def test_site_view_links_are_under_the_sub_path_and_external_nav_is_left_alone() -> None:
    view = site_view(CFG, build_site([entry("one", 1)], Selection(now=NOW)), URLS)
    assert view["base_path"] == "/journal/" and view["url"] == "https://example.com/journal/"
    assert (view["home_url"], view["tags_url"], view["archive_url"], view["authors_url"]) == (
        "/journal/", "/journal/tags/", "/journal/archive/", "/journal/authors/")
    assert view["logo_url"] == "/journal/img/logo.svg"
    assert all(url.startswith("/journal/assets/") for url in view["stylesheets"] + view["scripts"])
    assert view["nav"] == [{"title": "About", "url": "/journal/about/"},
                           {"title": "Shop", "url": "https://shop.example/"}]


def test_copyright_year_is_the_newest_posts_and_an_empty_site_has_none() -> None:
    site = build_site([entry("old", 3, year=2024), entry("new", 2, year=2025), entry("gone", 1, draft=True)],
                      Selection(now=NOW))
    view = site_view(CFG, site, URLS)
    assert (view["copyright_year"], view["post_count"]) == (2025, 2)
    cfg = replace(CFG, logo="")
    empty = site_view(cfg, build_site([], Selection(now=NOW)), Urls(cfg))
    assert (empty["copyright_year"], empty["post_count"], empty["logo_url"]) == (None, 0, "")
