"""What link previews and search engines read in a page's head: MetaBuilder and cut_text."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from publisher.config.model import SiteConfig, SocialConfig
from publisher.content.model import Author, Entry
from publisher.content.urls import Urls
from publisher.images.previews import Preview, Previews
from publisher.pages.seo import DESCRIPTION_LIMIT, Crumb, MetaBuilder, cut_text
from tests.unit.test_site import RENDER, entry

CFG = SiteConfig(root=Path("."), title="The Journal", url="https://example.com/journal/", logo="/img/logo.svg",
                 description="Long reads on content that sells.")
CARD = Preview("/img/card.png", 1200, 630, "A grey card")
SITE_FEEDS = [{"type": "application/rss+xml", "title": "The Journal (RSS)", "href": "/journal/feed.xml"}]
HOME = Crumb("Home", "/")


def builder(cfg: SiteConfig = CFG, previews: Previews | None = None) -> MetaBuilder:
    return MetaBuilder(cfg, Urls(cfg), previews or Previews({}, None), SITE_FEEDS)


def post(body: str = "Opening paragraph.", **fields: Any) -> Entry:
    base = entry("launch", 5)
    return Entry(replace(base.post, title="Launch day", body=body, **fields), RENDER.convert(body))


def crumbs(e: Entry) -> list[Crumb]:
    return [HOME, Crumb(e.post.title, e.url)]


def props(meta: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in meta["properties"]:
        found.setdefault(item["property"], []).append(item["content"])
    for item in meta["names"]:
        found.setdefault(item["name"], []).append(item["content"])
    return found


def jsonld(meta: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["@type"]: block for block in meta["jsonld"]}


# canonical and description


def test_canonical_is_absolute_under_the_sub_path_unless_the_post_was_syndicated() -> None:
    meta = builder().entry(post(), crumbs(post()))
    assert meta["canonical"] == "https://example.com/journal/launch/"
    assert props(meta)["og:url"] == [meta["canonical"]]
    assert jsonld(meta)["BlogPosting"]["mainEntityOfPage"]["@id"] == meta["canonical"]
    syndicated = builder().entry(post(canonical="https://elsewhere.example/original/"), crumbs(post()))
    assert syndicated["canonical"] == props(syndicated)["og:url"][0] == "https://elsewhere.example/original/"


def test_a_long_summary_is_cut_at_a_word_within_160_characters() -> None:
    summary = " ".join(f"word{i}" for i in range(60))
    meta = builder().entry(post(summary=summary), crumbs(post()))
    description = meta["description"]
    assert len(description) <= DESCRIPTION_LIMIT and description.endswith("…")
    kept = description.removesuffix("…")
    assert summary.startswith(kept + " ")  # whole words only
    assert props(meta)["og:description"] == props(meta)["twitter:description"] == [description]
    assert jsonld(meta)["BlogPosting"]["description"] == description


def test_description_falls_back_to_the_excerpts_text() -> None:
    meta = builder().entry(post("The **first** paragraph &amp; more.\n\nThe second."), crumbs(post()))
    assert meta["description"] == "The first paragraph & more."


# images


def test_og_image_is_absolute_with_its_size_and_alt_text() -> None:
    meta = builder(previews=Previews({"/launch/": CARD}, None)).entry(post(), crumbs(post()))
    found = props(meta)
    assert found["og:image"] == found["twitter:image"] == ["https://example.com/journal/img/card.png"]
    assert (found["og:image:width"], found["og:image:height"]) == (["1200"], ["630"])
    assert found["og:image:alt"] == found["twitter:image:alt"] == ["A grey card"]
    assert found["twitter:card"] == ["summary_large_image"]
    assert jsonld(meta)["BlogPosting"]["image"] == "https://example.com/journal/img/card.png"
    unmeasured = Previews({"/launch/": Preview("/img/card.png", None, None, "")}, None)
    found = props(builder(previews=unmeasured).entry(post(), crumbs(post())))
    assert "og:image" in found and "og:image:width" not in found and "og:image:alt" not in found


def test_og_image_type_says_the_images_format_when_known() -> None:
    """Open Graph's `og:image:type` (ogp.me, structured properties): a card says it is a PNG, a post's own photo a
    JPEG; another site's image, of no known type, says nothing rather than a guess."""
    def image_type(preview: Preview) -> list[str]:
        return props(builder(previews=Previews({"/launch/": preview}, None)).entry(post(), crumbs(post()))).get(
            "og:image:type", [])

    assert image_type(CARD) == ["image/png"]
    assert image_type(Preview("/img/harbour.jpg", 2400, 1600, "", "image/jpeg")) == ["image/jpeg"]
    assert image_type(Preview("https://cdn.example/a.jpg", None, None, "", "")) == []


def test_an_image_smaller_than_xs_large_card_takes_gets_the_small_card() -> None:
    """X shows a summary_large_image card's image only from 300×157 pixels up, a summary card's from 144×144 (its
    developer docs, "Summary Card with Large Image"): a post's own 200×200 logo-like image was announced as a large
    card, which X showed without its image. An image of unknown size (another site's) stays a large card."""
    def card_type(preview: Preview) -> list[str]:
        return props(builder(previews=Previews({"/launch/": preview}, None)).entry(post(), crumbs(post())))[
            "twitter:card"]

    assert card_type(Preview("/img/square.png", 200, 200, "")) == ["summary"]
    assert card_type(Preview("/img/short.png", 1200, 150, "")) == ["summary"]
    assert card_type(Preview("/img/least.png", 300, 157, "")) == ["summary_large_image"]
    assert card_type(Preview("https://cdn.example/a.jpg", None, None, "")) == ["summary_large_image"]


def test_the_default_image_stands_in_for_a_page_without_one_and_without_either_the_card_is_small() -> None:
    meta = builder().entry(post(), crumbs(post()))
    assert props(meta)["twitter:card"] == ["summary"]
    assert "og:image" not in props(meta) and "image" not in jsonld(meta)["BlogPosting"]
    cfg = replace(CFG, social=SocialConfig(twitter="@journal", image="/img/card.png"))
    found = props(builder(cfg, Previews({}, Preview("/img/card.png", 1200, 630, ""))).entry(post(), crumbs(post())))
    assert found["og:image"] == ["https://example.com/journal/img/card.png"]
    assert found["twitter:site"] == ["@journal"]
    assert "og:image:alt" not in found  # nothing says what the site's image shows


# JSON-LD


def test_blog_posting_names_dates_authors_publisher_and_keywords() -> None:
    maya = Author("maya", "Maya Lindqvist", url="https://maya.example/")
    updated = datetime(2026, 2, 1, 8, 0, tzinfo=UTC)
    e = post(summary="Short.", updated=updated, authors=(maya,), tags=("SEO", "B2B"), keywords=("seo", "funnels"))
    posting = jsonld(builder().entry(e, crumbs(e)))["BlogPosting"]
    assert posting["headline"] == "Launch day"
    assert datetime.fromisoformat(posting["datePublished"]) == e.post.date
    assert datetime.fromisoformat(posting["dateModified"]) == updated
    assert posting["author"] == [{"@type": "Person", "name": "Maya Lindqvist",
                                  "url": "https://example.com/journal/authors/maya/",
                                  "sameAs": "https://maya.example/"}]
    assert posting["publisher"]["@type"] == "Organization" and posting["publisher"]["name"] == "The Journal"
    assert posting["publisher"]["logo"]["url"] == "https://example.com/journal/img/logo.svg"
    assert posting["keywords"].split(", ") == ["SEO", "B2B", "seo", "funnels"]
    assert posting["inLanguage"] == "en" and posting["wordCount"] == e.body.word_count
    assert None not in posting.values() and "" not in posting.values()


def test_a_post_without_authors_is_credited_to_the_organisation_and_modified_when_published() -> None:
    e = post(tags=("SEO", "Funnels"), keywords=("SEO", "attribution"))
    meta = builder().entry(e, crumbs(e))
    posting = jsonld(meta)["BlogPosting"]
    assert posting["author"]["@type"] == "Organization"
    assert posting["dateModified"] == posting["datePublished"]
    assert props(meta)["article:modified_time"] == props(meta)["article:published_time"]
    assert props(meta)["article:tag"] == ["SEO", "Funnels", "attribution"]  # tags and keywords, once each


def test_breadcrumbs_are_numbered_with_absolute_urls() -> None:
    e = post()
    trail = [HOME, Crumb("The Guide", "/guide/"), Crumb(e.post.title, e.url)]
    listed = jsonld(builder().entry(e, trail))["BreadcrumbList"]["itemListElement"]
    assert [(i["position"], i["name"], i["item"]) for i in listed] == [
        (1, "Home", "https://example.com/journal/"),
        (2, "The Guide", "https://example.com/journal/guide/"),
        (3, "Launch day", "https://example.com/journal/launch/")]


# pages, offers and listings


def test_noindex_is_said_only_when_asked() -> None:
    page = entry("about", 1, kind="page")
    assert builder().entry(page, crumbs(page), noindex=True)["robots"] == "noindex"
    assert builder().entry(page, crumbs(page))["robots"] == ""
    meta = builder().entry(page, crumbs(page))
    assert props(meta)["og:type"] == ["website"] and "BlogPosting" not in jsonld(meta)
    assert props(builder().entry(post(), crumbs(post())))["og:type"] == ["article"]


def test_home_describes_the_website_and_links_the_site_feeds() -> None:
    meta = builder().listing("home", "The Journal", "/", "", [HOME])
    site = jsonld(meta)["WebSite"]
    assert site["url"] == "https://example.com/journal/" and site["name"] == "The Journal"
    assert meta["description"] == "Long reads on content that sells."  # the site's, for want of its own
    assert meta["canonical"] == "https://example.com/journal/"
    assert meta["feeds"] == SITE_FEEDS


def test_a_tag_listing_has_breadcrumbs_and_its_own_feeds_before_the_sites() -> None:
    own = [{"type": "application/rss+xml", "title": "SEO (RSS)", "href": "/journal/tags/seo/feed.xml"}]
    trail = [HOME, Crumb("Tags", "/tags/"), Crumb("SEO", "/tags/seo/")]
    meta = builder(replace(CFG, language="en-GB")).listing("tag", "SEO", "/tags/seo/page/2/", "Posts tagged SEO.",
                                                          trail, own)
    assert meta["canonical"] == "https://example.com/journal/tags/seo/page/2/"
    assert [i["item"] for i in jsonld(meta)["BreadcrumbList"]["itemListElement"]][-1] == \
        "https://example.com/journal/tags/seo/"
    assert meta["feeds"] == own + SITE_FEEDS
    assert props(meta)["og:locale"] == ["en_GB"]  # Open Graph's spelling of a regional language


def test_the_home_pages_later_pages_carry_no_breadcrumb_list_of_one_item() -> None:
    """Page 2 of the home page has the trail `Home` alone: a BreadcrumbList of one item shows no path, and
    structured-data validators commonly refuse it. Its JSON-LD is then none at all."""
    meta = builder().listing("home-page", "The Journal – page 2", "/page/2/", "", [HOME])
    assert meta["jsonld"] == []


@pytest.mark.parametrize(("language", "locale"), [
    ("en-GB", ["en_GB"]), ("pt-br", ["pt_BR"]), ("zh-Hant-TW", ["zh_TW"]), ("en", ["en_US"]), ("sr-Latn", ["sr_RS"]),
    ("de", ["de_DE"]), ("DE", ["de_DE"]), ("pt", ["pt_BR"]), ("ja", ["ja_JP"]), ("zh-Hant", ["zh_TW"]),
    ("zh-Hans", ["zh_CN"]), ("es-419", None), ("fil", None)])
def test_og_locale_is_language_and_territory_and_never_a_script(language: str, locale: list[str] | None) -> None:
    """Open Graph's locale is `language_TERRITORY`: `zh-Hant-TW` wrote `zh_Hant_TW` and `sr-Latn` `sr_Latn`,
    locales no network knows. A tag without a region gets the one CLDR's likely subtags give: `de` wrote no
    `og:locale`, and networks took the German site's pages as `en_US`, Open Graph's default. A region that is no
    country (`es-419`) and a language not in the table write none."""
    meta = builder(replace(CFG, language=language)).listing("home", "The Journal", "/", "", [HOME])
    assert props(meta).get("og:locale") == locale


# cut_text


def test_text_up_to_the_limit_is_kept_with_its_whitespace_collapsed() -> None:
    assert cut_text("  A short\n\tline.  ") == "A short line."
    assert cut_text("") == ""
    text = "ab " * 53 + "c"  # 160 characters
    assert len(text) == DESCRIPTION_LIMIT and cut_text(text) == text
    assert cut_text(text + "d").endswith("…")


def test_a_cut_drops_the_partial_word_and_trailing_punctuation_or_cuts_one_long_word_hard() -> None:
    assert cut_text("Hello, wonderful world", limit=15) == "Hello…"
    assert cut_text("One two; three", limit=12) == "One two…"
    assert cut_text("x" * 500, limit=20) == "x" * 19 + "…"


def test_a_cut_never_exceeds_the_limit() -> None:
    text = "Distribution is a schedule, not a mood — and long-form pieces earn links; short posts earn likes. " * 4
    for limit in range(1, len(text) + 5):
        cut = cut_text(text, limit)
        assert len(cut) <= limit, limit
        assert " ".join(text.split()).startswith(cut.removesuffix("…")), limit


def test_a_cut_keeps_the_last_word_that_fits_with_the_ellipsis() -> None:
    assert cut_text("aaa bbb ccc", limit=8) == "aaa bbb…"  # 8 characters
