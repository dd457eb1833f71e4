"""The share plan (`plan_share`) for a small site under a sub-path: ids, links, settings, errors and timing."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from publisher.build.model import SiteModel
from publisher.build.pipeline import BuildOptions, BuildReport, build, preview_share
from publisher.config.model import DEFAULT_SHARE_NETWORKS, SiteConfig
from publisher.config.reader import load_config
from publisher.content.urls import Urls
from publisher.core.errors import BuildFailed
from publisher.share.plan import SharePlan, plan_share, share_link
from publisher.share.templates import ShareTemplates
from publisher.site.model import Site
from publisher.social.counting import graphemes
from publisher.templates.theme import load_theme
from tests.unit.share.test_share_feed import NOW, SITES, when, write_post

BASE = "https://example.com/journal/"
CUSTOM_ID = "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"


def make_site(root: Path) -> Path:
    site = root / "site"
    shutil.copytree(SITES / "good", site)
    write_post(site, "launch.md", f"title: Launch day\nslug: Launch-Day\ndate: {when(timedelta(days=-1))}")
    write_post(site, "skipped.md", f"title: Not for social\ndate: {when(timedelta(days=-2))}\nshare:\n  skip: true")
    write_post(site, "limited.md", f"title: Two networks\ndate: {when(timedelta(days=-3))}\nshare:\n"
               "  networks: [x, linkedin]")
    write_post(site, "custom.md", f"title: Migrated\ndate: {when(timedelta(days=-4))}\nid: {CUSTOM_ID}")
    write_post(site, "own.md", f"title: Our own words\ndate: {when(timedelta(days=-5))}\nshare:\n"
               "  x: \"Read this: {url} #ours\"")
    return site


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    site = make_site(tmp_path_factory.mktemp("plan"))
    return build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False))


def plan(site: Site, cfg: SiteConfig, now: datetime = NOW) -> SharePlan:
    return plan_share(site, cfg, ShareTemplates(load_theme(cfg), cfg), now)


def planned(report: BuildReport, now: datetime = NOW) -> SharePlan:
    return plan(report.site, report.config, now)


def source(name: str) -> str:
    return f"content/posts/{name}"


# ids


def test_ids_are_the_posts_id_or_url_then_network_and_variant(report: BuildReport) -> None:
    items = planned(report).items
    assert items
    for item in items:
        owner = CUSTOM_ID if item.source == source("custom.md") else item.post_url
        assert item.id == f"{owner}#share-{item.network}-{item.variant}"
        assert item.post_url.startswith(BASE)
    assert any(i.id.startswith(CUSTOM_ID + "#share-") for i in items)
    assert len({i.id for i in items}) == len(items)


def test_ids_stay_when_time_passes_or_a_title_changes(report: BuildReport) -> None:
    def ids(share: SharePlan) -> dict[tuple[str, str, str], str]:
        return {(i.source, i.network, i.variant): i.id for i in share.items}

    now = ids(planned(report))
    later = ids(planned(report, NOW + timedelta(days=3)))
    assert set(now) & set(later)
    assert all(later[key] == now[key] for key in set(now) & set(later))
    renamed = tuple(replace(e, post=replace(e.post, title=e.post.title + " (revised)")) for e in report.site.posts)
    assert ids(plan(replace(report.site, posts=renamed), report.config)) == now


# links


def test_every_link_is_the_posts_own_url_with_lower_case_utm_parameters(report: BuildReport) -> None:
    items = planned(report).items
    for item in items:
        link = urlsplit(item.link)
        assert item.link.startswith(item.post_url + "?")
        slug = link.path.removeprefix(urlsplit(BASE).path).strip("/")
        assert parse_qs(link.query) == {"utm_source": [item.network], "utm_medium": ["social"],
                                        "utm_campaign": [slug.lower()], "utm_content": [item.variant]}
        assert link.query == link.query.lower()
    launch = [i for i in items if i.source == source("launch.md")]
    assert launch and all("utm_campaign=launch-day" in i.link and "/Launch-Day/" in i.link for i in launch)


def test_share_link_keeps_a_fragment_after_the_query_and_lower_cases_the_sites_values(report: BuildReport) -> None:
    cfg, urls = report.config, Urls(report.config)
    guide = replace(report.site.posts[0].post, url="/guide/#part-2", slug="guide")
    link = share_link(guide, "x", "reshare-1", cfg, urls)
    assert link.startswith(BASE + "guide/?utm_source=x&")
    assert link.endswith("#part-2") and link.count("#") == 1
    assert parse_qs(urlsplit(link).query)["utm_content"] == ["reshare-1"]
    launch = replace(guide, url="/Launch-Day/", slug="Launch-Day")
    custom = replace(cfg, share=replace(cfg.share, utm=(("utm_campaign", "Spring-{slug}"), ("ref", "{network}"))))
    assert share_link(launch, "x", "announce", custom, urls) == \
        BASE + "Launch-Day/?utm_campaign=spring-launch-day&ref=x"
    bare = replace(cfg, share=replace(cfg.share, utm=()))
    assert share_link(launch, "x", "announce", bare, urls) == BASE + "Launch-Day/"


# front matter settings


def test_a_skipped_post_is_published_but_never_shared(report: BuildReport) -> None:
    assert source("skipped.md") in {e.post.source for e in report.site.posts}
    assert not [i for i in planned(report).items if i.source == source("skipped.md")]


def test_share_networks_limits_a_post_to_those_networks(report: BuildReport) -> None:
    items = planned(report).items
    assert {i.network for i in items if i.source == source("limited.md")} == {"x", "linkedin"}
    assert {i.network for i in items if i.source == source("launch.md")} == set(DEFAULT_SHARE_NETWORKS)


def test_a_writers_own_text_is_used_as_written(report: BuildReport) -> None:
    own = [i for i in planned(report).items if i.source == source("own.md") and i.network == "x"]
    announce = next(i for i in own if i.variant == "announce")
    assert announce.text == f"Read this: {announce.link} #ours"
    assert all(not i.text.startswith("Read this:") for i in own if i.variant != "announce")  # the theme's text


def test_a_long_link_costs_the_call_to_action_not_the_build(tmp_path: Path) -> None:
    """A post named as WordPress names them (its title as its slug, 90 characters) has its slug twice in its
    Bluesky link (the path and utm_campaign), and Bluesky's text for tools without facets counts it whole: with
    the call to action there was no room for even one letter of the title, and the build failed. The call to
    action is now given up last, after the title's length: the text says what the link is, and fits."""
    site = make_site(tmp_path)
    slug = "how-to-build-a-content-marketing-strategy-that-actually-works-for-b2b-saas-companies-in-2026"
    write_post(site, f"{slug}.md", f"title: How to build a content strategy\ndate: {when(timedelta(days=-1))}")
    report = build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False))
    link = f"{BASE}{slug}/?utm_source=bluesky&utm_medium=social&utm_campaign={slug}&utm_content=announce"
    ours = [i for i in planned(report).items if i.source == source(f"{slug}.md") and i.variant == "announce"]
    bluesky = next(i for i in ours if i.network == "bluesky")
    assert bluesky.text_with_link.startswith("How to build") and bluesky.text_with_link.endswith(link)
    assert "cta" not in bluesky.shortened  # the text as the feed shows it, a short label for the link, kept it
    assert len(graphemes(bluesky.text_with_link)) <= 300
    x = next(i for i in ours if i.network == "x")
    assert "cta" not in x.shortened  # X counts any link as 23: room for all of it


def test_a_link_too_long_for_its_network_is_named_as_what_to_shorten(tmp_path: Path) -> None:
    """A link that leaves no room for one letter of the title, even without the call to action: the build
    failed saying only `title 'H…' … 304 of 300 graphemes`, the title already one letter, the link not named."""
    site = make_site(tmp_path)
    slug = "-".join(["a-long-and-winding-title-word-for-word"] * 4)  # 155 characters, twice in the link
    write_post(site, f"{slug}.md", f"title: How to build a content strategy\ndate: {when(timedelta(days=-1))}")
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False))
    bluesky = next(p.message for p in failed.value.problems if p.field == "share.bluesky.announce")
    link = f"{BASE}{slug}/?utm_source=bluesky&utm_medium=social&utm_campaign={slug}&utm_content=announce"
    said = f"; the link {link} alone is {len(link)} characters: a shorter slug, or fewer [share.utm] parameters"
    assert f"{said}, leaves room): 4" in bluesky and bluesky.endswith(" of 300 graphemes")
    assert all("the link alone" not in p.message for p in failed.value.problems if p.field.startswith("share.x"))


def test_a_writers_text_over_the_limit_fails_naming_file_line_and_field(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    write_post(site, "long.md", f"title: Too long\ndate: {when(timedelta(days=-1))}\nshare:\n"
               "  x: \"" + "word " * 60 + "{url}\"\n  mastodon:\n    reshare-1: \"" + "word " * 110 + "{url}\"")
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False))
    assert {(p.path, p.line, p.field) for p in failed.value.problems} == {
        (source("long.md"), 5, "share.x"), (source("long.md"), 7, "share.mastodon.reshare-1")}  # each text's line
    assert any("of 280" in p.message for p in failed.value.problems)

    # The same site planned directly: strict raises the same, lenient keeps the item and says why.
    lenient, preview_site = preview_share(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE,
                                                       use_cache=False), source("long.md"))
    cfg = load_config(site / "publisher.toml")[0].with_overrides(url=BASE)
    with pytest.raises(BuildFailed) as direct:
        plan(preview_site, cfg)
    assert {p.field for p in direct.value.problems} == {"share.x", "share.mastodon.reshare-1"}
    over = [i for i in lenient.items if i.problem]
    assert {(i.network, i.variant) for i in over} == {("x", "announce"), ("mastodon", "reshare-1")}
    assert all(i.count > i.limit for i in over)


# timing


def test_items_are_in_time_order_and_due_and_upcoming_split_them_at_now(report: BuildReport) -> None:
    share = planned(report)
    times = [i.scheduled for i in share.items]
    assert times == sorted(times)
    due, upcoming = share.due(), share.upcoming()
    assert due and upcoming
    assert all(i.scheduled <= NOW for i in due) and all(i.scheduled > NOW for i in upcoming)
    assert [i.scheduled for i in due] == sorted((i.scheduled for i in due), reverse=True)  # newest first
    assert [i.scheduled for i in upcoming] == sorted(i.scheduled for i in upcoming)  # soonest first
    assert sorted(due + upcoming, key=lambda i: i.id) == sorted(share.items, key=lambda i: i.id)
    assert share.due("linkedin") == [i for i in due if i.network == "linkedin"]
    assert share.upcoming("x") == [i for i in upcoming if i.network == "x"]


def test_an_item_is_due_at_its_exact_time(report: BuildReport) -> None:
    first_upcoming = planned(report).upcoming()[0]
    at_its_time = planned(report, first_upcoming.scheduled)
    assert first_upcoming.id in {i.id for i in at_its_time.due()}
    assert first_upcoming.id not in {i.id for i in at_its_time.upcoming()}


def test_once_every_reshare_has_gone_out_nothing_is_upcoming(report: BuildReport) -> None:
    later = planned(report, NOW + timedelta(days=30))
    assert later.upcoming() == [] and later.due()


def test_a_disabled_share_feed_plans_nothing(report: BuildReport) -> None:
    cfg = replace(report.config, share=replace(report.config.share, enabled=False))
    share = plan(report.site, cfg)
    assert (share.items, share.networks) == ((), ())


def test_a_build_with_the_cache_chooses_no_variants_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import publisher.share.plan

    site = make_site(tmp_path)
    options = BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, cache_dir=tmp_path / "cache",
                           output=tmp_path / "out")
    chosen: list[str] = []
    real = publisher.share.plan.post_variants

    def noting(summary: str, *args: object) -> object:
        chosen.append(summary)
        return real(summary, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(publisher.share.plan, "post_variants", noting)
    first = build(options).share
    assert chosen  # every post's variants chosen once
    chosen.clear()
    again = build(options).share
    assert chosen == [] and again.items == first.items
    model = SiteModel()  # serve's: the second build takes each post's share reading from the model
    build(options, model=model)
    build(options, model=model)
    after_serve = build(options).share  # a build after serve's: the cache of fits still has every post's variants
    assert chosen == [] and after_serve.items == first.items


def test_variants_are_kept_by_every_text_they_are_chosen_from() -> None:
    from publisher.markdown.result import RenderedMarkdown, body_digest
    from publisher.share.plan import _variants_key

    def body(quotes: tuple[str, ...], points: tuple[str, ...]) -> str:  # the body's quotes and points, by its digest
        return body_digest(RenderedMarkdown("", "", "", 100, 1, 0, quotes, points))

    inputs = [("ab", body(("c",), ()), 2), ("a", body(("bc",), ()), 2), ("a", body((), ("bc",)), 2),
              ("a", body(("b", "c"), ()), 2), ("a", body(("b",), ("c",)), 2), ("a\0", body(("b",), ()), 2),
              ("a", body(("\0b",), ()), 2), ("a", body(("bc",), ()), 3), ("é", body((), ()), 2),
              ("e\u0301", body((), ()), 2), ("\ud800", body((), ()), 2), ("", body((), ()), 2)]
    keys = [_variants_key(*case) for case in inputs]
    assert len(set(keys)) == len(inputs)  # any text, or where it stands, told apart
    assert keys == [_variants_key(*case) for case in inputs]  # and the same texts, the same key


@pytest.fixture
def lanes_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many slots each scheduling of the lanes was given (every network's)."""
    import publisher.share.plan

    made: list[int] = []
    real = publisher.share.plan.schedule

    def noting(members: Any, *args: Any) -> Any:
        made.append(sum(map(len, members.values())))
        return real(members, *args)

    monkeypatch.setattr(publisher.share.plan, "schedule", noting)
    return made


def share_json(report: BuildReport) -> bytes:
    return (report.output_dir / "share" / "share.json").read_bytes()


def test_a_new_process_reads_the_lanes_back_while_what_they_are_scheduled_from_is_the_same(
        tmp_path: Path, lanes_made: list[int]) -> None:
    site = make_site(tmp_path)
    options = BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, cache_dir=tmp_path / "cache",
                           output=tmp_path / "out")
    clean = replace(options, use_cache=False, output=tmp_path / "clean")
    first = build(options)
    assert len(lanes_made) == 1
    write_post(site, "launch.md", f"title: Launch day, retitled\nslug: Launch-Day\ndate: {when(timedelta(days=-1))}")
    again = build(options)  # another title: the same posts, dates, variants and networks
    assert len(lanes_made) == 1
    assert again.share.items != first.share.items and share_json(again) == share_json(build(clean))
    assert len(lanes_made) == 2  # the clean build's
    only_x = "share:\n  networks: [x]"
    for changed in (f"title: Launch day\nslug: Launch-Day\ndate: {when(timedelta(days=-1))}\n{only_x}",
                    f"title: Launch day\nslug: Launch-Day\ndate: {when(timedelta(days=-1, minutes=-5))}\n{only_x}"):
        write_post(site, "launch.md", changed)  # a date, the networks: scheduled again, as a clean build does
        made = len(lanes_made)
        assert share_json(build(options)) == share_json(build(clean))
        assert len(lanes_made) == made + 2


@pytest.mark.parametrize("damage", [
    lambda record: record["lanes"][0].reverse(),  # out of time order
    lambda record: record["lanes"][0][0].__setitem__(2, "https://example.com/journal/gone/"),
    lambda record: record["networks"].popitem(),
    lambda record: record.update(lanes="lanes"),
])
def test_damaged_lanes_on_disk_are_scheduled_again(tmp_path: Path, lanes_made: list[int], damage: Any) -> None:
    site = make_site(tmp_path)
    options = BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, cache_dir=tmp_path / "cache",
                           output=tmp_path / "out")
    build(options)
    path = tmp_path / "cache" / "share-lanes.json"
    stored = json.loads(path.read_bytes())
    [record] = stored.values()
    damage(record)
    path.write_text(json.dumps(stored), encoding="utf-8")
    report = build(options)
    assert share_json(report) == share_json(build(replace(options, use_cache=False, output=tmp_path / "clean")))
    assert len(lanes_made) == 3  # the first build's, this one's and the clean one's
    assert json.loads(path.read_bytes()) != stored  # the lanes made anew are kept in their place
