"""`publisher audit`'s rules, each on tests/sites/audit, a hub written so that every rule finds exactly
what is listed here (and nothing else), as of 2026-06-30 12:00 UTC."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, SiteAsOf, site_as_of
from publisher.config.model import AuditConfig, CalendarSpan, SiteConfig
from publisher.config.reader import load_config, parse_config
from publisher.core.errors import BuildFailed
from publisher.editorial.audit import Audit, audit_site
from publisher.editorial.audit_report import audit_json
from publisher.editorial.body_text import read_body
from publisher.editorial.readability import Syllables, readability, sentences

SITES = Path(__file__).resolve().parents[1] / "sites"
NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
POSTS = "content/posts/"


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> SiteAsOf:
    site = tmp_path_factory.mktemp("audit") / "site"
    shutil.copytree(SITES / "audit", site)
    return site_as_of(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))


@pytest.fixture(scope="module")
def audit(loaded: SiteAsOf) -> Audit:
    return audit_site(loaded.site, loaded.config, NOW)


def found(audit: Audit, rule: str) -> list[tuple[str, int | None, str, str]]:
    """Each finding of `rule` as (path, line, field, message)."""
    return [(f.problem.path, f.problem.line, f.problem.field, f.problem.message)
            for f in audit.findings if f.rule == rule]


def paths(audit: Audit, rule: str) -> list[str]:
    return [path for path, _, _, _ in found(audit, rule)]


def audited_with(loaded: SiteAsOf, **changes: object) -> Audit:
    cfg: SiteConfig = replace(loaded.config, **changes)  # type: ignore[arg-type]
    return audit_site(loaded.site, cfg, NOW)


# --- funnel -----------------------------------------------------------------------------------------------


def test_funnel_counts_posts_per_stage_the_recent_mix_and_each_stage_cta(audit: Audit) -> None:
    rows = [(row.stage, row.posts, row.recent, row.cta) for row in audit.funnel.stages]
    assert rows == [("awareness", 3, 1, "newsletter"), ("consideration", 3, 3, "guide"),
                    ("decision", 1, 0, ""), ("advocacy", 0, 0, "referral")]
    assert audit.funnel.recent_since.isoformat() == "2026-04-01"


def test_a_stage_without_posts_is_found(audit: Audit) -> None:
    assert found(audit, "funnel.empty-stage") == [
        ("publisher.toml", None, "funnel.stages",
         "no published post at the advocacy stage (write one, or leave the stage out)")]


def test_a_stage_without_a_cta_is_found(audit: Audit) -> None:
    assert found(audit, "funnel.no-cta") == [
        ("publisher.toml", None, "funnel.ctas.decision",
         "the decision stage has no call to action: name one here, or give a CTA in content/ctas/ stage: decision")]


# --- clusters ---------------------------------------------------------------------------------------------


def test_cluster_links_are_read_both_ways(audit: Audit) -> None:
    [cluster] = audit.clusters
    assert cluster.pillar.source == POSTS + "content-audit-guide.md"
    assert [(m.post.source, m.links_pillar, m.linked_from_pillar) for m in cluster.members] == [
        (POSTS + "audit-checklist.md", True, True), (POSTS + "checklist-basics.md", False, False)]


def test_a_member_that_never_links_its_pillar_is_found(audit: Audit) -> None:
    assert found(audit, "cluster.member-no-pillar-link") == [
        (POSTS + "checklist-basics.md", 6, "cluster",
         "never links its pillar content/posts/content-audit-guide.md (/content-audit-guide/) in its text")]


def test_a_pillar_that_does_not_link_a_member_is_found(audit: Audit) -> None:
    assert found(audit, "cluster.pillar-no-member-link") == [
        (POSTS + "content-audit-guide.md", 6, "pillar",
         "does not link content/posts/checklist-basics.md (/checklist-basics/) of its cluster in its text")]


def test_an_offer_marked_pillar_is_a_gated_pillar(audit: Audit) -> None:
    assert paths(audit, "cluster.gated-pillar") == ["content/offers/audit-workbook.md"]
    assert [ref.url for ref in audit.gated_pillars] == ["/offers/audit-workbook/"]


# --- internal links ---------------------------------------------------------------------------------------


def test_only_a_post_no_text_links_to_is_an_orphan(audit: Audit) -> None:
    # checklist-basics is linked only from a page, pricing-questions only by the site's absolute URL: neither
    # is an orphan.
    assert found(audit, "links.orphan") == [
        (POSTS + "old-numbers.md", 2, "title",
         "no other post, page or offer links here in its text: link it from content/posts/pricing-questions.md")]
    inbound = {item.post.source: item.linked_from for item in audit.links}
    assert inbound[POSTS + "checklist-basics.md"] == ("content/pages/about.md",)
    assert inbound[POSTS + "pricing-questions.md"] == (POSTS + "audit-checklist.md",)


def test_suggested_linkers_share_terms_and_do_not_link_already(audit: Audit) -> None:
    suggestions = {item.post.source: item.suggestions for item in audit.links}
    [orphan_fix] = suggestions[POSTS + "old-numbers.md"]
    assert (orphan_fix.source, orphan_fix.shared) == (POSTS + "pricing-questions.md", ("#measurement", "pricing"))
    # The pillar is linked from audit-checklist already: only checklist-basics is left to suggest.
    assert [s.source for s in suggestions[POSTS + "content-audit-guide.md"]] == [POSTS + "checklist-basics.md"]
    assert all(len(found) <= 3 for found in suggestions.values())


# --- keyphrases -------------------------------------------------------------------------------------------


def test_a_post_without_keyphrase_or_keywords_is_found(audit: Audit) -> None:
    assert paths(audit, "keyphrase.missing") == [POSTS + "old-numbers.md"]


def test_each_place_a_keyphrase_is_missing_from_is_named(audit: Audit) -> None:
    assert found(audit, "keyphrase.placement") == [
        (POSTS + "audit-checklist.md", 7, "keywords", "'audit checklist' is missing from: subheading"),
        (POSTS + "checklist-basics.md", 7, "keyphrase",
         "'audit checklist' is missing from: title, slug, meta description"),
    ]


def test_a_keyphrase_is_missing_only_from_the_subheadings_and_images_a_post_has(tmp_path: Path) -> None:
    """A post with no image or no subheading was told its keyphrase was missing from "image alt text" or
    "subheading", which an editor could mend only by adding one; an image or a subheading without it still is."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "audit", site)
    front = "---\ntitle: {title}\ndate: 2026-05-20 09:00\nsummary: About {title}.\nkeyphrase: {title}\n{more}---\n\n"
    (site / POSTS / "plain-words.md").write_text(front.format(title="plain words", more="") + "The plain words.\n")
    (site / POSTS / "with-an-image.md").write_text(
        front.format(title="with an image", more="image: /img/board.svg\nimage_alt: A white board\n")
        + "With an image, first.\n\n## With an image, again\n")
    loaded = site_as_of(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    missing = {path: message for path, _, _, message in found(audit_site(loaded.site, loaded.config, NOW),
                                                                  "keyphrase.placement")}
    assert POSTS + "plain-words.md" not in missing  # in its title, first paragraph, slug and description
    assert missing[POSTS + "with-an-image.md"] == "'with an image' is missing from: image alt text"


def test_two_posts_with_one_keyphrase_are_both_found(audit: Audit) -> None:
    assert found(audit, "keyphrase.duplicate") == [
        (POSTS + "audit-checklist.md", 7, "keywords",
         ("'audit checklist' is also the keyphrase of content/posts/checklist-basics.md: they compete for one "
          "search (merge them, or give each its own phrase)")),
        (POSTS + "checklist-basics.md", 7, "keyphrase",
         ("'audit checklist' is also the keyphrase of content/posts/audit-checklist.md: they compete for one "
          "search (merge them, or give each its own phrase)")),
    ]


# --- maintenance ------------------------------------------------------------------------------------------


def test_posts_not_touched_within_refresh_after_are_stale_oldest_first(audit: Audit) -> None:
    # institutional-communication dates from 2024 but was updated in April 2026: not stale.
    assert found(audit, "maintenance.stale") == [
        (POSTS + "old-numbers.md", 3, "date",
         "last touched 2025-01-15, 531 days ago (refresh after 12 months): review it, then set updated:"),
        (POSTS + "pricing-questions.md", 4, "updated",
         "last touched 2025-03-01, 486 days ago (refresh after 12 months): review it, then set updated:"),
    ]


def test_refresh_after_decides_what_is_stale(loaded: SiteAsOf) -> None:
    audit = audited_with(loaded, audit=AuditConfig(refresh_after=CalendarSpan(days=500)))
    assert paths(audit, "maintenance.stale") == [POSTS + "old-numbers.md"]



@pytest.mark.parametrize("refresh", [CalendarSpan(months=12), CalendarSpan(days=531)])
def test_an_audit_made_at_any_hour_of_a_day_says_the_same(loaded: SiteAsOf, refresh: CalendarSpan) -> None:
    # old-numbers.md (2025-01-15 09:00) was "530 days ago" before 09:00 and "531 days ago" after, and stale
    # after 531 days only from 09:00 on: the JSON of one site on one day differed by the hour it was made.
    cfg = replace(loaded.config, audit=AuditConfig(refresh_after=refresh))
    early, late = (audit_site(loaded.site, cfg, datetime(2026, 6, 30, hour, 30, tzinfo=UTC)) for hour in (0, 23))
    assert audit_json(early) == audit_json(late)
    assert (early.stale[0].post.source, early.stale[0].days) == (POSTS + "old-numbers.md", 531)


def test_a_post_last_touched_one_day_ago_says_one_day(loaded: SiteAsOf) -> None:
    """With `refresh_after = "1 day"`, the newest post the day after it was touched read "1 days ago"."""
    cfg = replace(loaded.config, audit=AuditConfig(refresh_after=CalendarSpan(days=1)))
    newest = audit_site(loaded.site, cfg, NOW).stale[-1]
    day_after = audit_site(loaded.site, cfg, NOW - timedelta(days=newest.days - 1))
    assert [f.problem.message for f in day_after.findings
            if f.rule == "maintenance.stale" and f.problem.path == newest.post.source] == [
        (f"last touched {newest.last_touched.isoformat()}, 1 day ago (refresh after 1 day): review it, then set "
         "updated:")]


# --- readability ------------------------------------------------------------------------------------------


def test_long_sentences_are_advised_with_the_first_one_quoted(audit: Audit) -> None:
    assert found(audit, "readability.long-sentence") == [
        (POSTS + "long-read.md", 9, "body",
         "1 sentence over 25 words; the first, 31 words: “We sat down on a cold day in…”")]


def test_long_paragraphs_are_advised(audit: Audit) -> None:
    assert [(p, message.split(";")[0]) for p, _, _, message in found(audit, "readability.long-paragraph")] == [
        (POSTS + "long-read.md", "1 paragraph over 150 words")]


def test_hard_reading_is_advised(audit: Audit) -> None:
    assert paths(audit, "readability.reading-ease") == [POSTS + "institutional-communication.md"]
    ease = {item.post.source: item.scores.reading_ease for item in audit.readability or ()}
    assert ease[POSTS + "institutional-communication.md"] < 0 < 80 < ease[POSTS + "long-read.md"]


def test_readability_limits_are_settings(loaded: SiteAsOf) -> None:
    audit = audited_with(loaded, audit=AuditConfig(long_sentence=8, long_paragraph=1000, reading_ease=90))
    assert paths(audit, "readability.long-paragraph") == []
    assert paths(audit, "readability.reading-ease") == [POSTS + "checklist-basics.md",
                                                        POSTS + "institutional-communication.md"]
    assert POSTS + "content-audit-guide.md" in paths(audit, "readability.long-sentence")


def test_only_english_sites_get_readability_advice(loaded: SiteAsOf) -> None:
    audit = audited_with(loaded, language="sv")
    assert audit.readability is None
    assert not [f for f in audit.findings if f.rule.startswith("readability.")]


def test_the_same_site_gives_the_same_audit(loaded: SiteAsOf, audit: Audit) -> None:
    assert audit_site(loaded.site, loaded.config, NOW) == audit


# --- the parts the rules read -----------------------------------------------------------------------------


def test_sentences_end_before_a_capital() -> None:
    assert sentences("Costs rose 3.5 times, e.g. in May. “Why?” she asked. Fine!") == [
        "Costs rose 3.5 times, e.g. in May.", "“Why?” she asked.", "Fine!"]


def test_an_abbreviation_ends_no_sentence() -> None:
    assert sentences("Ask Dr. Smith or Ms. Lee (e.g. Airtable, i.e. a table). It cost approx. 3.5 hours, vs. 12 "
                     "in May. See Fig. 3 and No. 7. Say no. Then go.") == [
        "Ask Dr. Smith or Ms. Lee (e.g. Airtable, i.e. a table).", "It cost approx. 3.5 hours, vs. 12 in May.",
        "See Fig. 3 and No. 7.", "Say no.", "Then go."]


def test_a_long_sentence_with_abbreviations_in_it_is_found_whole() -> None:
    # It was cut at "Dr." and "e.g.": three short sentences, no advice, and a reading ease made easier.
    text = ("Our interview with Dr. Martens about the hub, which ran for three hours in the spring, covered the "
            "tools a small team needs, e.g. Airtable for the plan and a shared folder for the drafts.")
    found = readability((text,), AuditConfig(), Syllables())
    assert [(long.words, long.opening) for long in found.long_sentences] == [
        (35, "Our interview with Dr. Martens about the hub,…")]


def test_an_initialism_before_a_name_ends_no_sentence_but_before_a_sentences_start_it_does() -> None:
    # "U.S. Department" and "John F. Kennedy" were cut in two, so a 31-word sentence read as three short ones: no
    # advice, and a reading ease made easier. Before "The" or "Then" the initialism does end its sentence.
    text = ("The U.S. Department of Labor publishes its figures on the first Friday of each month, and our team "
            "reads them at 2 p.m. Eastern Time before John F. Kennedy's old speech about jobs is quoted again. "
            "Half our readers are in the U.K. The rest read us from the U.S. Then they share us.")
    found = readability((text,), AuditConfig(), Syllables())
    assert [(long.words, long.opening) for long in found.long_sentences] == [
        (36, "The U.S. Department of Labor publishes its figures…")]
    assert [len(sentence.split()) for sentence in sentences(text)] == [36, 7, 7, 4]


def test_a_sentence_ends_after_quotes_and_brackets_and_before_a_latin_capital() -> None:
    # `"Stop.")` held two closing marks after its full stop: the next sentence was read as part of it; and a
    # sentence starting "Émile" or "Øresund" went on from the last one.
    assert sentences('She quoted the brief ("Cut it.") Then she cut it. Ask Émile. Øresund is next.') == [
        'She quoted the brief ("Cut it.")', "Then she cut it.", "Ask Émile.", "Øresund is next."]
    assert sentences("Pick a tool, e.g.\nAirtable, for the plan. Upgrade to v1.2.3 first. Costs rose 3.5 times. "
                     "We waited... Then it came.") == [
        "Pick a tool, e.g. Airtable, for the plan.", "Upgrade to v1.2.3 first.", "Costs rose 3.5 times.",
        "We waited...", "Then it came."]


def test_code_and_urls_in_prose_read_as_one_word_each_not_as_hard_words() -> None:
    # The URL's and the call's parts counted as a dozen long words: reading ease -47, "below 50" advice.
    named = (('Export your posts with requests.get("https://api.example.com/v1/posts?status=published&per_page=100"). '
              "Then save them with json.dump(posts, file) and a_small_helper."),)
    said = ("Export your posts with the export call. Then save them with the dump call and a helper.",)
    with_code, in_words = (readability(text, AuditConfig(), Syllables()).reading_ease for text in (named, said))
    assert with_code is not None and in_words is not None
    assert with_code > AuditConfig().reading_ease
    assert abs(with_code - in_words) < 15


def test_a_body_is_read_as_paragraphs_subheadings_alt_texts_and_links() -> None:
    body = read_body('<p>One <a href="/a/">link</a>.</p><h2 id="x">Title<a class="heading-anchor" href="#x">#</a>'
                     '</h2><p><img src="/i.png" alt="A &amp; B"></p><pre><code>&lt;p&gt;no</code></pre>')
    assert body.paragraphs == ("One link.",)
    assert body.subheadings == ("Title",)
    assert body.image_alts == ("A & B",)
    assert body.links == ("/a/", "#x")


# --- settings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "span"), [
    ("12 months", CalendarSpan(months=12)), ("365 days", CalendarSpan(days=365)),
    ("2 years", CalendarSpan(months=24)), ("1 year 6 weeks", CalendarSpan(months=12, days=42)),
])
def test_refresh_after_reads_spans_as_people_write_them(written: str, span: CalendarSpan) -> None:
    cfg, _ = parse_config({"site": {"title": "T", "url": "https://t.example/"}, "audit": {"refresh_after": written}},
                          Path("."))
    assert cfg.audit.refresh_after == span


def test_a_bad_refresh_after_is_one_line_naming_its_line(tmp_path: Path) -> None:
    config = tmp_path / "publisher.toml"
    config.write_text('[site]\ntitle = "T"\nurl = "https://t.example/"\n\n[audit]\nrefresh_after = "soon"\n',
                      encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        load_config(config)
    assert [str(p) for p in failed.value.problems] == [
        ("publisher.toml:6: audit.refresh_after: must be a span such as \"12 months\", \"365 days\" or "
         "\"2 years\", not 'soon'")]


def test_months_are_counted_on_the_calendar() -> None:
    assert CalendarSpan(months=1).before(datetime(2026, 3, 31, tzinfo=UTC)) == datetime(2026, 2, 28, tzinfo=UTC)
    assert CalendarSpan(months=12).before(datetime(2026, 6, 30, tzinfo=UTC)) == datetime(2025, 6, 30, tzinfo=UTC)
    assert str(CalendarSpan(months=12, days=1)) == "12 months 1 day"


# --- scripts written without spaces ---------------------------------------------------------------------


def test_a_japanese_keyphrase_is_found_inside_the_words_it_is_written_with(site_dir: Path) -> None:
    # Japanese runs its words together: "ラーメン" stands inside "東京のラーメン", which held one \w+ run, so the
    # keyphrase was reported missing from every place it was in.
    for post in (site_dir / "content" / "posts").iterdir():
        post.unlink()
    (site_dir / "content" / "posts" / "ramen.md").write_text(
        "---\ntitle: 東京のラーメン案内\ndate: 2026-01-10\nkeyphrase: ラーメン\nsummary: 東京でラーメンを食べるなら。\n"
        "image: /img/ramen.png\nimage_alt: 醤油ラーメンの写真\n---\n\n東京のラーメンはおいしいです。\n\n"
        "## ラーメンの種類\n\n醤油ラーメンと味噌ラーメン。\n", encoding="utf-8")
    (site_dir / "content" / "posts" / "sushi.md").write_text(
        "---\ntitle: 寿司の話\ndate: 2026-01-11\nkeyphrase: ラーメン屋\n---\n\n寿司はおいしい。\n", encoding="utf-8")
    loaded = site_as_of(BuildOptions(config=site_dir / "publisher.toml", now=NOW, use_cache=False))
    checks = {check.post.source: check.missing for check in audit_site(loaded.site, loaded.config, NOW).keyphrases}
    assert checks[POSTS + "ramen.md"] == ("slug",)  # the file's name is Latin: the one place it is not
    assert checks[POSTS + "sushi.md"] == ("title", "first paragraph", "slug", "meta description")  # looked for whole
    # (it has no subheading nor image to miss it from)


def test_a_link_to_a_posts_old_url_links_it(tmp_path: Path) -> None:
    """A link to an old URL of a post (its `aliases`, or a `[redirects]` entry) reaches it through the redirect:
    the post is no orphan."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "audit", site)
    old = site / "content" / "posts" / "old-numbers.md"
    old.write_text(old.read_text(encoding="utf-8").replace("tags: [measurement]\n",
                                                             "tags: [measurement]\naliases: [/numbers-2025/]\n"))
    linking = site / "content" / "posts" / "pricing-questions.md"
    linking.write_text(linking.read_text(encoding="utf-8") + "\nSee [last year's numbers](/numbers-2025/).\n")
    loaded = site_as_of(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False))
    audit = audit_site(loaded.site, loaded.config, NOW)
    assert found(audit, "links.orphan") == []
    inbound = {item.post.source: item.linked_from for item in audit.links}
    assert inbound[POSTS + "old-numbers.md"] == (POSTS + "pricing-questions.md",)


# --- word forms -------------------------------------------------------------------------------------------


def test_an_english_keyphrase_is_found_in_its_plural(site_dir: Path) -> None:
    # "content audit" in a title "How to run content audits", a slug content-audits and a subheading "Content
    # audits in practice" was reported missing from all three; "content audits", another post's keyphrase, was
    # not the same search.
    posts = site_dir / "content" / "posts"
    for post in posts.iterdir():
        post.unlink()
    (posts / "content-audits.md").write_text(
        "---\ntitle: How to run content audits\ndate: 2026-01-10\nkeyphrase: content audit\n"
        "summary: What a content audit keeps, fixes or cuts.\nimage: /img/audit.png\n"
        "image_alt: Our content audit sheet\n---\n\nA content audit tells you what to keep.\n\n"
        "## Content audits in practice\n\nOnce a quarter.\n", encoding="utf-8")
    (posts / "audit-strategies.md").write_text(
        "---\ntitle: Content audits, three strategies\ndate: 2026-01-11\nkeyphrase: content audits\n---\n\n"
        "Three ways to run content audits.\n", encoding="utf-8")
    loaded = site_as_of(BuildOptions(config=site_dir / "publisher.toml", now=NOW, use_cache=False))
    checks = {check.post.source: check for check in audit_site(loaded.site, loaded.config, NOW).keyphrases}
    assert checks[POSTS + "content-audits.md"].missing == ()
    assert checks[POSTS + "content-audits.md"].same_as == (POSTS + "audit-strategies.md",)
    assert checks[POSTS + "audit-strategies.md"].missing == ("slug",)  # it has no subheading nor image
