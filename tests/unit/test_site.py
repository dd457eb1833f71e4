from dataclasses import replace
from datetime import UTC, datetime

from publisher.config.model import MarkdownConfig
from publisher.content.model import Author, Entry, Post
from publisher.markdown.python_markdown import PythonMarkdownConverter
from publisher.site.model import Selection
from publisher.site.pagination import paginate
from publisher.site.selection import build_site, check_urls, merged_tags

RENDER = PythonMarkdownConverter(MarkdownConfig())


def entry(slug: str, day: int, *, tags=(), draft=False, kind="post", authors=(), year=2026) -> Entry:
    post = Post(source=f"content/{kind}s/{slug}.md", kind=kind, title=slug.title(), slug=slug, url=f"/{slug}/",
                body="Text.", date=datetime(year, 1, day, tzinfo=UTC) if kind == "post" else None,
                tags=tuple(tags), draft=draft, authors=tuple(authors))
    return Entry(post, RENDER.convert(post.body))


NOW = datetime(2026, 1, 20, tzinfo=UTC)


def test_drafts_and_future_posts_are_left_out_and_next_date_reported() -> None:
    entries = [entry("old", 1), entry("draft", 2, draft=True), entry("soon", 25), entry("later", 28), entry("new", 10)]
    site = build_site(entries, Selection(now=NOW))
    assert [e.post.slug for e in site.posts] == ["new", "old"]
    assert site.next_scheduled.post.slug == "soon"
    assert (site.hidden_drafts, site.hidden_future) == (1, 2)


def test_flags_include_drafts_and_future() -> None:
    entries = [entry("old", 1), entry("draft", 2, draft=True), entry("soon", 25)]
    site = build_site(entries, Selection(now=NOW, drafts=True, future=True))
    assert [e.post.slug for e in site.posts] == ["soon", "draft", "old"]
    assert site.next_scheduled is None


def test_previews_are_the_entries_only_drafts_or_future_show() -> None:
    entries = [entry("old", 1), entry("draft", 2, draft=True), entry("soon", 25), entry("later", 26, draft=True),
               entry("about", 1, kind="page", draft=True)]
    assert build_site(entries, Selection(now=NOW)).previews == frozenset()
    with_drafts = build_site(entries, Selection(now=NOW, drafts=True))
    assert with_drafts.previews == {"content/posts/draft.md", "content/pages/about.md"}  # "later" is still hidden
    everything = build_site(entries, Selection(now=NOW, drafts=True, future=True))
    assert everything.previews == {"content/posts/draft.md", "content/pages/about.md", "content/posts/soon.md",
                                   "content/posts/later.md"}
    assert [e.post.slug for e in everything.scheduled] == ["soon"]


def test_an_undated_draft_is_dated_now_and_a_redirect_is_no_post() -> None:
    undated = entry("undated", 1, draft=True)
    undated = replace(undated, post=replace(undated.post, date=None))
    moved = entry("moved", 3)
    moved = replace(moved, post=replace(moved.post, redirect_to="/old/"))
    site = build_site([entry("old", 1), undated, moved], Selection(now=NOW, drafts=True))
    assert [(e.post.slug, e.post.date) for e in site.posts] == [("undated", NOW),
                                                                ("old", datetime(2026, 1, 1, tzinfo=UTC))]
    assert [(r.source, r.target) for r in site.redirects] == [("/moved/", "/old/")]
    assert build_site([undated, moved], Selection(now=NOW)).hidden_drafts == 1


def test_same_date_orders_by_source_for_stable_output() -> None:
    site = build_site([entry("b", 5), entry("a", 5), entry("c", 5)], Selection(now=NOW))
    assert [e.post.slug for e in site.posts] == ["c", "b", "a"]


def test_tags_merge_case_and_keep_first_spelling() -> None:
    site = build_site([entry("one", 1, tags=["SEO"]), entry("two", 2, tags=["seo", "B2B"])], Selection(now=NOW))
    assert [(t.name, t.url, [e.post.slug for e in t.posts]) for t in site.tags] == [
        ("B2B", "/tags/b2b/", ["two"]), ("SEO", "/tags/seo/", ["two", "one"])]


def test_a_post_with_two_spellings_of_one_tag_is_on_its_page_once() -> None:
    """"C++" and "C" make one URL, as do "café" composed and decomposed: the post holding both is one entry of
    that tag's page and feeds, not two."""
    site = build_site([entry("both", 2, tags=["C++", "C", "caf\u00e9", "cafe\u0301"]), entry("c", 1, tags=["C"])],
                      Selection(now=NOW))
    assert [(t.url, [e.post.slug for e in t.posts]) for t in site.tags] == [
        ("/tags/c/", ["both", "c"]), ("/tags/café/", ["both"])]


def test_different_tags_that_make_one_url_are_a_warning_once_each() -> None:
    """"C++", "C#" and "C" are all /tags/c/: they share a page, which a writer should know; "SEO" and "seo", or
    "café" composed and decomposed, are one tag written two ways and say nothing."""
    posts = [entry("a", 1, tags=["C++", "SEO"]).post, entry("b", 2, tags=["C#", "seo", "caf\u00e9"]).post,
             entry("c", 3, tags=["C#", "C", "cafe\u0301"]).post]
    assert [str(w) for w in merged_tags(posts)] == [
        ("content/posts/b.md:1: tags: 'C#' makes the same URL as 'C++', /tags/c/: the two share one page "
        "(write one spelling, or tags that differ in letters)"),
        ("content/posts/c.md:1: tags: 'C' makes the same URL as 'C++', /tags/c/: the two share one page "
        "(write one spelling, or tags that differ in letters)")]


def test_authors_and_years() -> None:
    ann = Author("ann", "Ann")
    site = build_site([entry("one", 1, authors=[ann]), entry("two", 2, year=2025)], Selection(now=NOW))
    assert [(a.name, a.url) for a in site.authors] == [("Ann", "/authors/ann/")]
    assert [y.name for y in site.years] == ["2026", "2025"]


def test_url_conflicts() -> None:
    posts = [entry("a", 1).post, entry("A", 2).post, entry("archive", 3).post]
    assert [str(p) for p in check_urls(posts)] == [
        ("content/posts/a.md:1: slug: URL /a/ is already used by content/posts/A.md "
         '(set a different slug in one of them, or a permalink with the date in publisher.toml, '
         'e.g. permalink = "/{year}/{month}/{day}/{slug}/")'),
        "content/posts/archive.md:1: slug: URL /archive/ is reserved for the archive (choose another slug)",
    ]


def test_the_sites_own_files_and_folders_are_reserved_for_posts_and_offers_too() -> None:
    """A post at `/feed.xml` or `/search/`, an offer at `/social/`: each would be written over one of the site's
    own files; said at the post's file and line, all at once, not one by one as the writer meets them."""
    feed = replace(entry("feed", 1).post, url="/feed.xml")
    offer = replace(entry("social", 3, kind="offer").post, url="/social/")
    problems = [str(p) for p in check_urls([feed, entry("search", 2).post, offer])]
    assert problems == [
        ("content/offers/social.md:1: slug: URL /social/ is reserved for link-preview cards and images "
        "(choose another slug)"),
        "content/posts/feed.md:1: slug: URL /feed.xml is reserved for the site's RSS feed (choose another slug)",
        "content/posts/search.md:1: slug: URL /search/ is reserved for the search page (choose another slug)"]


def test_the_files_a_setting_publishes_are_reserved_whether_it_is_on_or_not() -> None:
    """A post with the slug `publisher-manifest.json` on a site with `[indexnow]`: the manifest took its place and
    the build said it succeeded (the writer refuses the pair now, but names no post). Said at the post's file and
    line, on a site that turns the setting on later as well."""
    posts = [entry("publisher-manifest.json", 1).post, entry("calendar.ics", 2).post]
    assert [str(p) for p in check_urls(posts)] == [
        ("content/posts/calendar.ics.md:1: slug: URL /calendar.ics/ is reserved for the editorial calendar "
         "([calendar] publish = true) (choose another slug)"),
        ("content/posts/publisher-manifest.json.md:1: slug: URL /publisher-manifest.json/ is reserved for the "
         "manifest publisher ping compares (written with [indexnow] or [websub]) (choose another slug)")]


def test_the_sitemaps_a_sitemap_index_lists_are_reserved_whatever_their_number_or_case() -> None:
    """Past 50,000 URLs /sitemap.xml is an index of /sitemap-1.xml, /sitemap-2.xml...: a post there would be
    written over one of them (or over none today, and one later, as the site grows)."""
    posts = [replace(entry(slug, day).post, url=f"/{slug}") for day, slug in
             enumerate(("sitemap-1.xml", "Sitemap-12.XML", "sitemap-a.xml", "sitemap-1.xml.bak"), start=1)]
    assert [str(p) for p in check_urls(posts)] == [
        ("content/posts/Sitemap-12.XML.md:1: slug: URL /Sitemap-12.XML is reserved for one of the sitemaps the "
         "sitemap index lists (sitemap-1.xml, sitemap-2.xml...) (choose another slug)"),
        ("content/posts/sitemap-1.xml.md:1: slug: URL /sitemap-1.xml is reserved for one of the sitemaps the "
         "sitemap index lists (sitemap-1.xml, sitemap-2.xml...) (choose another slug)")]


def test_a_date_in_the_permalink_is_suggested_only_when_it_would_part_the_posts() -> None:
    same_day = [entry("b", 4).post, entry("B", 4).post]
    assert [str(p) for p in check_urls(same_day)] == [
        ("content/posts/b.md:1: slug: URL /b/ is already used by content/posts/B.md "
         "(set a different slug in one of them)")]


def test_pagination() -> None:
    items = tuple(entry(f"p{i}", i + 1) for i in range(5))
    pages = paginate(items, "/tags/x/", 2)
    assert [p.url for p in pages] == ["/tags/x/", "/tags/x/page/2/", "/tags/x/page/3/"]
    assert (pages[1].prev_url, pages[1].next_url) == ("/tags/x/", "/tags/x/page/3/")
    assert len(pages[2].items) == 1
    assert len(paginate((), "/", 10)) == 1  # an empty site still has a home page


def test_pagination_links_are_windowed() -> None:
    from pathlib import Path as _Path

    from publisher.config.model import SiteConfig
    from publisher.content.urls import Urls
    from publisher.pages.views import pager_view

    items = tuple(entry(f"p{i}", 1) for i in range(100))
    pager = paginate(items, "/", 5)[9]  # page 10 of 20
    view = pager_view(pager, Urls(SiteConfig(root=_Path("."), title="H", url="https://h.example/")))
    shown = ["…" if p["gap"] else p["number"] for p in view["pages"]]
    assert shown == [1, "…", 8, 9, 10, 11, 12, "…", 20]
    assert [p["url"] for p in view["pages"] if not p["gap"]][:2] == ["/", "/page/8/"]
