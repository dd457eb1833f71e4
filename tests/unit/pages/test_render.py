"""Rendered pages as a reader gets them: built from a small site under a sub-path and read back as HTML."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from publisher.build.pipeline import BuildOptions, BuildReport, build
from publisher.pages import parallel
from publisher.pages.render import output_path
from tests.conftest import SITES, noting_rendered_pages, snapshot

BASE = "https://example.com/journal/"
PREFIX = "/journal/"
NOW = datetime(2026, 9, 1, tzinfo=UTC)
FOUR_PARAGRAPHS = "Para one.\n\nPara two.\n\nPara three.\n\nPara four."
NEWSLETTER = """---
id: newsletter
stage: awareness
kind: newsletter
headline: Get the next piece by email
button: Subscribe
form:
  action: https://forms.example.com/leads
---
One piece a week.
"""


def write_post(site: Path, name: str, front: str, body: str) -> None:
    (site / "content" / "posts" / name).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


def make_site(root: Path) -> Path:
    """tests/sites/good plus a topic cluster (a pillar and two members), a CTA and two posts a page."""
    site = root / "site"
    shutil.copytree(SITES / "good", site)
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]", "[site]\nposts_per_page = 2", 1),
                      encoding="utf-8")
    (site / "content" / "ctas").mkdir()
    (site / "content" / "ctas" / "newsletter.md").write_text(NEWSLETTER, encoding="utf-8")
    write_post(site, "pillar.md", "title: The Attribution Guide\ndate: 2026-03-01\npillar: true\ntags: [attribution]",
               "Everything about attribution.")
    write_post(site, "member-one.md", "title: UTM Basics\ndate: 2026-03-02\ncluster: pillar\ntags: [attribution]",
               "Member one body.")
    write_post(site, "member-two.md", "title: Lead Scoring\ndate: 2026-03-03\ncluster: pillar\ntags: [attribution]",
               FOUR_PARAGRAPHS)
    write_post(site, "quiet.md", "title: Quiet one\ndate: 2026-03-04\ninline_cta: false\ntags: [beta]",
               FOUR_PARAGRAPHS)
    return site


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    site = make_site(tmp_path_factory.mktemp("render"))
    return build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False))


@dataclass(frozen=True)
class Element:
    tag: str
    attrs: dict[str, str]
    text: str
    labels: frozenset[str]  # its own: "nav", "nav.breadcrumbs", "#cta"
    within: tuple[frozenset[str], ...]  # each ancestor's labels

    def inside(self, label: str) -> bool:
        return any(label in labels for labels in self.within)


class Page(HTMLParser):
    """Every element of a page with its text and what it sits in."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[tuple[str, dict[str, str], list[str], frozenset[str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        labels = {tag, *(f"{tag}.{c}" for c in values.get("class", "").split())}
        if values.get("id"):
            labels.add("#" + values["id"])
        if tag in self.VOID:
            self.elements.append(Element(tag, values, "", frozenset(labels), tuple(o[3] for o in self._open)))
        else:
            self._open.append((tag, values, [], frozenset(labels)))

    def handle_data(self, data: str) -> None:
        for _, _, text, _ in self._open:
            text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not any(o[0] == tag for o in self._open):
            return
        while self._open:
            name, values, text, labels = self._open.pop()
            self.elements.append(Element(name, values, " ".join("".join(text).split()), labels,
                                         tuple(o[3] for o in self._open)))
            if name == tag:
                break

    def find(self, tag: str, inside: str | None = None) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and (inside is None or e.inside(inside))]

    def has(self, label: str) -> bool:
        """Whether any element is labelled so, e.g. "nav.breadcrumbs"."""
        return any(label in e.labels for e in self.elements)

    def links(self, inside: str) -> list[tuple[str, str]]:
        return [(a.attrs.get("href", ""), a.text) for a in sorted(self.find("a", inside), key=self._order)]

    def _order(self, element: Element) -> int:
        return self.elements.index(element)

    def jsonld(self) -> dict[str, dict]:
        blocks = [json.loads(e.text) for e in self.find("script") if e.attrs.get("type") == "application/ld+json"]
        return {block["@type"]: block for block in blocks}


def page(report: BuildReport, url: str) -> Page:
    return Page((report.output_dir / output_path(url)).read_text(encoding="utf-8"))


# output paths


def test_every_page_is_written_where_its_url_points(report: BuildReport) -> None:
    assert (output_path("/"), output_path("/a/b/"), output_path("/404.html")) == (
        "index.html", "a/b/index.html", "404.html")
    site = report.site
    urls = ["/", "/page/2/", "/page/3/", "/tags/", "/authors/", "/archive/", "/404.html",
            *(e.url for e in (*site.posts, *site.pages)), *(g.url for g in (*site.tags, *site.authors))]
    missing = [url for url in urls if not (report.output_dir / output_path(url)).is_file()]
    assert not missing


# a post's page


def test_a_post_page_shows_its_title(report: BuildReport) -> None:
    shown = page(report, "/member-one/")
    assert [h.text for h in shown.find("h1")] == ["UTM Basics"]
    assert shown.find("title")[0].text.startswith("UTM Basics")


def test_a_cluster_member_shows_breadcrumbs_through_its_pillar(report: BuildReport) -> None:
    shown = page(report, "/member-one/")
    assert shown.links("nav.breadcrumbs") == [(PREFIX, "Home"), (PREFIX + "pillar/", "The Attribution Guide")]
    assert [s.text for s in shown.find("span", "nav.breadcrumbs") if s.attrs.get("aria-current") == "page"] == \
        ["UTM Basics"]
    listed = shown.jsonld()["BreadcrumbList"]["itemListElement"]
    assert [(i["name"], i["item"]) for i in listed] == [
        ("Home", BASE), ("The Attribution Guide", BASE + "pillar/"), ("UTM Basics", BASE + "member-one/")]


def test_a_post_outside_a_cluster_has_a_two_step_trail_for_search_engines_only(report: BuildReport) -> None:
    shown = page(report, "/second/")
    assert not shown.has("nav.breadcrumbs")
    listed = shown.jsonld()["BreadcrumbList"]["itemListElement"]
    assert [i["item"] for i in listed] == [BASE, BASE + "second/"]


def test_each_post_links_to_its_newer_and_older_neighbours(report: BuildReport) -> None:
    posts = report.site.posts
    assert len(posts) >= 3
    for index, entry in enumerate(posts):
        nav = page(report, entry.url).find("a", "nav.post-nav")
        by_rel = {a.attrs["rel"]: a.attrs["href"] for a in nav}
        expected = {}
        if index > 0:
            expected["next"] = PREFIX + posts[index - 1].url.lstrip("/")  # newer
        if index + 1 < len(posts):
            expected["prev"] = PREFIX + posts[index + 1].url.lstrip("/")  # older
        assert by_rel == expected, entry.post.slug


def test_see_also_lists_posts_on_the_same_topic_only(report: BuildReport) -> None:
    related = page(report, "/member-one/").links("aside.related")
    assert {href for href, _ in related} == {PREFIX + "pillar/", PREFIX + "member-two/"}
    assert dict(related)[PREFIX + "pillar/"] == "The Attribution Guide"
    by_path = {PREFIX + e.url.lstrip("/"): e for e in report.site.posts}
    for entry in report.site.posts:
        topics = set(entry.post.tags) | {entry.post.cluster or entry.post.slug}
        for href, _ in page(report, entry.url).links("aside.related"):
            other = by_path[href]
            assert other is not entry
            assert topics & (set(other.post.tags) | {other.post.cluster or other.post.slug}), (entry.url, href)


def test_a_pillar_lists_its_cluster_in_reading_order(report: BuildReport) -> None:
    shown = page(report, "/pillar/")
    headings = [h.text for h in shown.find("h2", "nav.cluster")]
    assert headings == ["In this topic"]
    assert shown.links("nav.cluster") == [(PREFIX + "member-one/", "UTM Basics"),
                                          (PREFIX + "member-two/", "Lead Scoring")]
    assert not page(report, "/first/").has("nav.cluster")  # a post outside any cluster


def test_a_cluster_member_links_its_pillar_and_marks_itself(report: BuildReport) -> None:
    shown = page(report, "/member-two/")
    assert shown.links("nav.cluster") == [(PREFIX + "pillar/", "The Attribution Guide"),
                                          (PREFIX + "member-one/", "UTM Basics")]
    assert [s.text for s in shown.find("span", "nav.cluster") if s.attrs.get("aria-current") == "page"] == \
        ["Lead Scoring"]



def large_cluster(root: Path, members: int) -> Path:
    """make_site with `members` more posts in the pillar's cluster, a day apart after its two."""
    site = make_site(root)
    for day in range(members):
        write_post(site, f"part-{day:02d}.md", f"title: Part {day:02d}\ndate: 2026-04-{day + 1:02d}\ncluster: pillar",
                   "A part.")
    return site


def test_a_member_of_a_large_cluster_lists_the_stretch_around_it_and_links_the_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page of a cluster of thousands listed every member: pages grew with the cluster (603 MB of pages for
    a cluster of 2,000 posts, 182 MB without), and a member's new title made every one of them again."""
    site = large_cluster(tmp_path, 20)  # 22 members: UTM Basics, Lead Scoring, Part 00 ... Part 19
    options = BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, workers=1)
    report = build(options)
    middle = page(report, "/part-10/")
    titles = [text for _, text in middle.links("nav.cluster")]
    assert titles[0] == "The Attribution Guide" and titles[-1] == "All 22 posts in this topic"
    assert titles[1:-1] == [f"Part {n:02d}" for n in range(4, 16) if n != 10]  # 12 in all, itself among them
    assert middle.links("nav.cluster")[-1][0] == PREFIX + "pillar/#cluster-title"
    assert [ol.attrs.get("start") for ol in middle.find("ol", "nav.cluster")] == ["7"]  # Part 04 is 7th of 22
    first = page(report, "/member-one/")
    assert [text for _, text in first.links("nav.cluster")][1:3] == ["Lead Scoring", "Part 00"]
    assert [ol.attrs.get("start") for ol in first.find("ol", "nav.cluster")] == [None]
    last = [text for _, text in page(report, "/part-19/").links("nav.cluster")]
    assert last[1] == "Part 08" and last[-2] == "Part 18"  # the last 12: it, and the 11 before it
    whole = page(report, "/pillar/").links("nav.cluster")
    assert len(whole) == 22 and not any(text.startswith("All ") for _, text in whole)

    rendered = noting_rendered_pages(monkeypatch)
    write_post(site, "part-00.md", "title: Part zero\ndate: 2026-04-01\ncluster: pillar", "A part.")
    build(options)
    cluster_pages = {f"part-{n:02d}/index.html" for n in range(20)}
    assert {"pillar/index.html", "part-05/index.html"} <= set(rendered)  # they list it
    assert cluster_pages & set(rendered) == {f"part-{n:02d}/index.html" for n in range(7)}  # Part 06: 3rd to 14th
    clean = tmp_path / "clean"
    build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False, output=clean))
    assert snapshot(site / "output") == snapshot(clean)


# calls to action


def test_the_inline_cta_sits_after_the_third_paragraph(report: BuildReport) -> None:
    html = (report.output_dir / "member-two" / "index.html").read_text(encoding="utf-8")
    shown = Page(html)
    inline = shown.find("aside", "div.prose")
    assert [a.attrs.get("class") for a in inline] == ["cta-inline"]
    assert html.index("Para three.") < html.index('class="cta-inline"') < html.index("Para four.")


def test_no_inline_cta_when_a_post_turns_it_off_or_is_too_short_but_the_form_stays(report: BuildReport) -> None:
    for url in ("/quiet/", "/member-one/"):
        shown = page(report, url)
        assert not shown.has("aside.cta-inline"), url
        assert shown.has("section.cta") and shown.find("form", "#cta"), url
    hidden = {i.attrs["name"]: i.attrs["value"] for i in page(report, "/member-one/").find("input", "form.cta-form")
              if i.attrs.get("type") == "hidden"}
    assert (hidden["post"], hidden["cta"], hidden["page"]) == ("member-one", "newsletter", BASE + "member-one/")


# listings


def test_home_page_two_links_both_ways(report: BuildReport) -> None:
    rels = {a.attrs["rel"]: a.attrs["href"] for a in page(report, "/page/2/").find("a", "nav.pagination")
            if a.attrs.get("rel")}
    assert rels == {"prev": PREFIX, "next": PREFIX + "page/3/"}


# cached rebuilds


def test_page_workers_fork_for_a_new_site_but_not_for_a_one_post_edit(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Forking workers that each walk every page costs more than it saves when a build makes a few pages."""
    forks: list[int] = []
    forked = parallel._forked

    def counted(*args: Any) -> Any:
        forks.append(args[-1])  # the pages made here first
        return forked(*args)

    monkeypatch.setattr(parallel, "_forked", counted)
    site = make_site(tmp_path)
    for number in range(parallel.SERIAL):
        write_post(site, f"many-{number}.md", f"title: Many {number}\ndate: 2026-01-{number % 28 + 1:02d}", "Body.")
    options = BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, workers=2)
    build(options)
    assert len(forks) == 1 and forks[0] >= parallel.SERIAL
    write_post(site, "many-3.md", "title: Many 3\ndate: 2026-01-04", "Body, edited.")
    build(options)
    assert len(forks) == 1  # the edited post's page made here, every other page kept
    assert "Body, edited." in (site / "output" / "many-3" / "index.html").read_text(encoding="utf-8")


def test_a_cached_rebuild_keeps_unchanged_pages_byte_for_byte(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    options = BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE)
    build(options)
    out = site / "output"
    untouched = ["about/index.html", "first/index.html", "tags/alpha/index.html", "tags/beta/index.html"]
    before = {rel: ((out / rel).read_bytes(), (out / rel).stat().st_mtime_ns) for rel in untouched}
    edited = site / "content" / "posts" / "member-one.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Member one body.", "Member one, rewritten."),
                      encoding="utf-8")
    build(options)
    after = {rel: ((out / rel).read_bytes(), (out / rel).stat().st_mtime_ns) for rel in untouched}
    assert after == before  # same bytes, and not even written again
    assert "Member one, rewritten." in (out / "member-one" / "index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False, output=clean))
    pages = {rel: data for rel, data in snapshot(out).items() if rel.endswith(".html")}
    assert pages == {rel: data for rel, data in snapshot(clean).items() if rel.endswith(".html")}


def test_a_post_added_renders_the_pages_that_show_it_not_every_page(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The site's view holds the number of posts (the home page shows it): a page counts only what its templates
    read of the view, so a new post leaves the pages of the posts it is no neighbour or relative of alone."""
    rendered = noting_rendered_pages(monkeypatch)
    site = make_site(tmp_path)
    options = BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, workers=1)
    build(options)
    rendered.clear()
    write_post(site, "newest.md", "title: Newest\ndate: 2026-08-01\ntags: [gamma]", "New words.")  # no relative
    build(options)
    assert "newest/index.html" in rendered and "index.html" in rendered  # the home page shows the new count
    assert "quiet/index.html" in rendered  # its neighbour: its link to the newer post
    untouched = {"first/index.html", "second/index.html", "pillar/index.html", "member-one/index.html",
                 "about/index.html", "tags/alpha/index.html"}
    assert untouched.isdisjoint(rendered)
    assert "7 articles" in (site / "output" / "index.html").read_text(encoding="utf-8")
    clean = tmp_path / "clean"
    build(BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, use_cache=False, output=clean))
    assert snapshot(site / "output") == snapshot(clean)


def test_a_theme_showing_the_number_of_posts_on_every_post_page_has_each_made_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = noting_rendered_pages(monkeypatch)
    site = make_site(tmp_path)
    theme = site / "themes" / "counting" / "templates"
    theme.mkdir(parents=True)
    (theme / "post.html").write_text('{% extends "base.html" %}{% block content %}<h1>{{ post.title }}</h1>'
                                     "<p>One of {{ site.post_count }}.</p>{% endblock %}", encoding="utf-8")
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]", '[site]\ntheme = "counting"', 1),
                      encoding="utf-8")
    options = BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, workers=1)
    build(options)
    assert "One of 6." in (site / "output" / "first" / "index.html").read_text(encoding="utf-8")
    rendered.clear()
    write_post(site, "newest.md", "title: Newest\ndate: 2026-08-01\ntags: [beta]", "New words.")
    build(options)
    assert {"first/index.html", "second/index.html", "pillar/index.html"} <= set(rendered)
    assert "One of 7." in (site / "output" / "first" / "index.html").read_text(encoding="utf-8")


def test_what_each_template_reads_of_the_site_is_kept_in_the_cache_until_a_template_changes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.templates.reads import SiteReads

    parsed: list[str] = []
    real = SiteReads._of_one

    def noting(reads: SiteReads, template: str) -> Any:
        parsed.append(template)
        return real(reads, template)

    monkeypatch.setattr(SiteReads, "_of_one", noting)
    site = make_site(tmp_path)
    options = BuildOptions(config=site / "publisher.toml", now=NOW, base_url=BASE, workers=1)
    build(options)
    assert "post.html" in parsed and "base.html" in parsed
    parsed.clear()
    write_post(site, "quiet.md", "title: Quiet one\ndate: 2026-03-04\ninline_cta: false\ntags: [beta]", "Edited.")
    build(options)  # a process of its own, as each `publisher build` is
    assert parsed == []
    theme = site / "themes" / "default" / "templates"
    theme.mkdir(parents=True)
    (theme / "post.html").write_text('{% extends "base.html" %}{% block content %}{{ post.title }} of '
                                     "{{ site.post_count }}{% endblock %}", encoding="utf-8")
    build(options)
    assert "post.html" in parsed
    assert "Quiet one of 6" in (site / "output" / "quiet" / "index.html").read_text(encoding="utf-8")
