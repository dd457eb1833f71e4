"""The incremental model is always right: after any sequence of edits, `serve`'s rebuilds (one model kept in
memory) and `publisher build` (the model and caches on disk) give the bytes a clean build gives.

Hypothesis draws the sequences from every kind of edit a writer makes: add, delete and rename a post; its
title, date, tags, draft flag, cluster, CTA and body (links to other posts and template code that names
one included); a template, a broken one included; the settings; a static file, one that stands where a page
goes included (the build stops while writing); an image a body shows, added, redrawn at another size and
removed; and every source written again as it was (a checkout: other inodes and times, the same bytes). Each
step is built three ways and compared file by file.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import publisher.pages.render
from publisher.build.model import SiteModel
from publisher.build.pipeline import Ahead, BuildOptions, build, build_if_changed
from publisher.core.errors import BuildFailed

from ..conftest import examples, noting_rendered_pages, snapshot
from .watcher import NotedChangeLog, watched

NOW = datetime(2026, 9, 1, tzinfo=UTC)
TAGS = ["seo", "email", "video", "data"]
STAGES = ["awareness", "consideration", "decision"]
CONFIG = """[site]
title = "Model Hub"
url = "https://model.example/"
timezone = "UTC"
posts_per_page = {per_page}

[search]
{search}

[social.cards]
enabled = {cards}

[share.networks.x]
{x_template}
"""
CTA = "---\nstage: {stage}\nkind: download\nlink: /about/\nheadline: {headline}\nbutton: Get it\n---\nA pitch.\n"
TEMPLATE = ('{% extends "base.html" %}{% block content %}<h1>{{ tag.name }} ({{ tag.count }}) {{ note }}</h1>'
            '{% include "partials/post_list.html" %}{% endblock %}')


@dataclass
class Post:
    title: str
    day: int
    tags: list[str] = field(default_factory=list)
    draft: bool = False
    stage: str = ""
    pillar: bool = False
    cluster: str = ""
    body: str = "A first paragraph.\n\nA second one."
    share: str = ""  # its `share:` block, written as it is

    def text(self) -> str:
        lines = [f"title: {self.title!r}", f"date: 2026-03-{self.day:02d}", f"tags: [{', '.join(self.tags)}]"]
        lines += ["draft: true"] * self.draft + [f"stage: {self.stage}"] * bool(self.stage)
        lines += ["pillar: true"] * self.pillar + [f"cluster: {self.cluster}"] * bool(self.cluster)
        lines += [self.share] * bool(self.share)
        return "---\n" + "\n".join(lines) + "\n---\n\n" + self.body + "\n"


@dataclass
class Site:
    """The site on disk and what the test knows of it, so every edit it draws is a valid one."""

    root: Path
    posts: dict[str, Post] = field(default_factory=dict)  # slug -> post
    search: str = "enabled = false"  # the [search] settings

    def write(self, slug: str) -> None:
        (self.root / "content" / "posts" / f"{slug}.md").write_text(self.posts[slug].text(), encoding="utf-8")

    def config(self, per_page: int = 3, cards: str = "false", x_template: str = "") -> None:
        (self.root / "publisher.toml").write_text(CONFIG.format(per_page=per_page, cards=cards, search=self.search,
                                                                x_template=x_template), encoding="utf-8")

    def pillars(self) -> list[str]:
        return [slug for slug, post in self.posts.items() if post.pillar and not post.draft]


def make_site(root: Path, search: str = "enabled = false") -> Site:
    site = Site(root, search=search)
    for folder in ("content/posts", "content/pages", "content/ctas"):
        (root / folder).mkdir(parents=True)
    site.config()
    (root / "content" / "pages" / "about.md").write_text("---\ntitle: About\n---\n\nAbout us.\n", encoding="utf-8")
    for stage in STAGES:
        (root / "content" / "ctas" / f"{stage}.md").write_text(CTA.format(stage=stage, headline=stage.title()),
                                                                 encoding="utf-8")
    for number in range(4):
        site.posts[f"post-{number}"] = Post(f"Post {number}", number + 1, TAGS[number % 2: number % 2 + 2])
        site.write(f"post-{number}")
    return site


# Each edit: (name, argument drawn by hypothesis). `apply` turns it into a change on disk.
EDITS = st.one_of(
    st.tuples(st.just("add"), st.integers(0, 99)),
    st.tuples(st.just("delete"), st.integers(0, 99)),
    st.tuples(st.just("rename"), st.integers(0, 99)),
    st.tuples(st.just("title"), st.integers(0, 99)),
    st.tuples(st.just("date"), st.integers(0, 99)),
    st.tuples(st.just("tags"), st.integers(0, 99)),
    st.tuples(st.just("draft"), st.integers(0, 99)),
    st.tuples(st.just("cluster"), st.integers(0, 99)),
    st.tuples(st.just("cta"), st.integers(0, 99)),
    st.tuples(st.just("body"), st.integers(0, 99)),
    st.tuples(st.just("link"), st.integers(0, 99)),
    st.tuples(st.just("shortcode"), st.integers(0, 99)),
    st.tuples(st.just("cta file"), st.integers(0, 99)),
    st.tuples(st.just("template"), st.integers(0, 99)),
    st.tuples(st.just("broken template"), st.integers(0, 99)),
    st.tuples(st.just("collision"), st.integers(0, 99)),
    st.tuples(st.just("config"), st.integers(0, 99)),
    st.tuples(st.just("static"), st.integers(0, 99)),
    st.tuples(st.just("checkout"), st.integers(0, 99)),
    st.tuples(st.just("picture"), st.integers(0, 99)),
    st.tuples(st.just("image"), st.integers(0, 99)),
    st.tuples(st.just("problem"), st.integers(0, 99)),
    st.tuples(st.just("quote"), st.integers(0, 99)),
    st.tuples(st.just("share"), st.integers(0, 99)),
)
SHARE_SETTINGS = ("", "share:\n  networks: [linkedin]", "share:\n  hashtags: [growth]", "share:\n  skip: true",
                  'share:\n  bluesky: "Our take: {url}"',
                  'share:\n  x:\n    reshare-2: "In other words: {url}"')  # each post's own, or none
# X's template, by the settings: the theme's, or one saying the same of every variant, whose re-shares would repeat
# the announcement and take no posting hour (a writer's own re-share text still does)
X_TEMPLATES = ("", 'template = "{title} {url}"')


def apply(site: Site, edit: tuple[str, int]) -> None:
    kind, n = edit
    slugs = sorted(site.posts)
    slug = slugs[n % len(slugs)] if slugs else ""
    post = site.posts.get(slug)
    if kind == "add" or post is None:
        new = f"new-{n}-{len(site.posts)}"
        site.posts[new] = Post(f"New {n}", n % 28 + 1, [TAGS[n % 4]])
        site.write(new)
    elif kind == "delete" and len(site.posts) > 1:
        if post.pillar:  # its members would name a pillar that is gone: move them out first
            for other in site.posts.values():
                other.cluster = "" if other.cluster == slug else other.cluster
            for member in list(site.posts):
                site.write(member)
        (site.root / "content" / "posts" / f"{slug}.md").unlink()
        del site.posts[slug]
    elif kind == "rename" and not post.pillar:
        (site.root / "content" / "posts" / f"{slug}.md").unlink()
        del site.posts[slug]
        site.posts[f"{slug}-r{n}"] = post
        site.write(f"{slug}-r{n}")
    elif kind == "title":
        post.title = f"Retitled {n}"
    elif kind == "date":
        post.day = n % 28 + 1
    elif kind == "tags":
        post.tags = [TAGS[i] for i in range(4) if n >> i & 1]
    elif kind == "draft" and not post.pillar:
        post.draft = not post.draft
    elif kind == "cluster":
        pillars = [p for p in site.pillars() if p != slug]
        if pillars and not post.pillar and n % 2:
            post.cluster = pillars[n % len(pillars)]
        elif not post.cluster and not post.draft:
            post.pillar = True
    elif kind == "cta":
        post.stage = STAGES[n % 3]
    elif kind == "problem":  # a field the checks across all posts refuse, then made right again
        if "nowhere" in (post.stage, post.cluster):
            post.stage, post.cluster = ("", "") if n % 2 else (STAGES[n % 3], post.cluster.replace("nowhere", ""))
        elif n % 2 or post.pillar:
            post.stage = "nowhere"
        else:
            post.cluster = "nowhere"
    elif kind == "body":
        post.body += f"\n\nParagraph {n}, **added**."
    elif kind == "quote":  # a pull quote: a re-share of its own in the share plan
        post.body += f"\n\n> [!pullquote]\n> Quote {n}: the likes still arrive, but nobody reports them."
    elif kind == "share":
        post.share = SHARE_SETTINGS[n % len(SHARE_SETTINGS)]
    elif kind == "link" and len(slugs) > 1:
        other = slugs[(n + 1) % len(slugs)]
        post.body += f"\n\nSee [the other one]({other}.md)."
    elif kind == "shortcode" and len(slugs) > 1:  # template code: evaluated on every build, from the URLs
        other = slugs[(n + 1) % len(slugs)]
        post.body += f'\n\nRead on: {{{{ post_url("{other}.md") }}}}.'
    elif kind == "cta file":
        stage = STAGES[n % 3]
        (site.root / "content" / "ctas" / f"{stage}.md").write_text(CTA.format(stage=stage, headline=f"Offer {n}"),
                                                                     encoding="utf-8")
    elif kind == "template":
        folder = site.root / "themes" / "default" / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        shown = f"{n} of {{{{ site.post_count }}}}" if n % 2 else str(n)  # the site's view read, or not
        (folder / "tag.html").write_text(TEMPLATE.replace("{{ note }}", shown), encoding="utf-8")
    elif kind == "broken template":  # the build stops part way through writing: serve must not trust that write
        folder = site.root / "themes" / "default" / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "tag.html").write_text("{% if %}broken" if n % 2 else TEMPLATE.replace("{{ note }}", str(n)),
                                         encoding="utf-8")
    elif kind == "collision":  # a static file where a page goes: the write stops after the pages are made
        clash = site.root / "static" / "tags" / "index.html"
        clash.parent.mkdir(parents=True, exist_ok=True)
        clash.unlink() if clash.exists() else clash.write_text("in the way\n", encoding="utf-8")
    elif kind == "config":
        site.config(per_page=n % 4 + 1, cards="true" if n % 5 == 0 else "false",
                    x_template=X_TEMPLATES[n // 4 % len(X_TEMPLATES)])
    elif kind == "checkout":  # every source written again with the bytes it held, as a checkout (CI's) leaves it
        for path in sorted((site.root / "content").rglob("*.md")):
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
    elif kind == "picture":  # a body shows an image, there or not (yet)
        post.body += f"\n\n![Picture {n}](/img/pic-{n % 2}.png)"
    elif kind == "image":  # the images bodies may show, drawn at another size, or gone: those bodies alone change
        from PIL import Image

        for target in (site.root / "static" / "img" / f"pic-{number}.png" for number in (0, 1)):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink() if target.exists() and n % 3 == 0 else Image.new("RGB", (40 + n, 30), "teal").save(target)
    elif kind == "static":
        static = site.root / "static" / "files"
        static.mkdir(parents=True, exist_ok=True)
        target = static / f"note-{n % 3}.txt"
        target.unlink() if target.exists() and n % 2 else target.write_text(f"note {n}\n", encoding="utf-8")
    if post is not None and slug in site.posts:
        site.write(slug)


def options(site: Site, output: Path, **more: object) -> BuildOptions:
    return BuildOptions(config=site.root / "publisher.toml", output=output, **{"now": NOW, "workers": 1, **more})  # type: ignore[arg-type]


def outcome(run: Callable[[], object], output: Path) -> object:
    """What a build leaves: the output's files, or the problems it stopped for."""
    try:
        run()
    except BuildFailed as failed:
        return [str(problem) for problem in failed.problems]
    return snapshot(output)


def clean_build(site: Site, output: Path) -> object:
    shutil.rmtree(output, ignore_errors=True)
    return outcome(lambda: build(options(site, output, use_cache=False)), output)


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.lists(EDITS, min_size=1, max_size=3), min_size=1, max_size=5))
@example(edits=[[("picture", 0)], [("image", 1)], [("image", 2)], [("image", 3)]])  # shown, then there, resized, gone
@example(edits=[[("share", 1)], [("quote", 2)], [("share", 3)], [("body", 4), ("share", 4)], [("share", 0)]])
@example(edits=[[("config", 6)], [("share", 5), ("quote", 1)], [("date", 2), ("share", 11)], [("config", 2)]])
def test_after_any_edits_serve_and_build_equal_a_clean_build(tmp_path_factory, edits) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("model")
    site = make_site(root / "site")
    with (watched(site.root, root / "served") as changes,  # serve's watcher says what changed: the rest is not `stat`ed
          pytest.MonkeyPatch.context() as patch):
        patch.setattr(publisher.pages.render, "MANY_VIEWS", 1)  # every list page is told by what it read (`build`)
        serve_steps(site, SiteModel(), changes, edits)


def serve_steps(site: Site, model: SiteModel, changes: NotedChangeLog, edits: list[list[tuple[str, int]]]) -> None:
    """Each batch of edits saved, then a build with `model` told what changed, and a build with none (as
    `publisher build`): each equals a clean build. `serve`'s writes first the edited posts' pages and the home
    page (open in a tab): each page it wrote ahead is, as it was then, the clean build's."""
    root = site.root.parent
    served, built = root / "served", root / "built"
    build_if_changed(options(site, served), model=model, changes=changes.take())
    build_if_changed(options(site, built))
    for step, batch in enumerate(edits):  # a batch: several files saved before one rebuild
        for edit in batch:
            apply(site, edit)
        changes.settle()
        ahead = PagesAhead(served)
        serve_result = outcome(partial(build_if_changed, options(site, served), model=model, changes=changes.take(),
                                       ahead=ahead.asked({"/"})), served)
        build_result = outcome(lambda: build_if_changed(options(site, built)), built)
        expected = clean_build(site, root / "clean")
        assert serve_result == expected, f"serve differs after step {step}: {batch}"
        assert build_result == expected, f"build differs after step {step}: {batch}"
        if isinstance(expected, dict):
            assert ahead.pages == {path: expected.get(path) for path in ahead.pages}, f"ahead differs at step {step}"


@dataclass
class PagesAhead:
    """What a build wrote ahead of the rest (`Ahead`), each page's bytes as they were when it said so."""

    output: Path
    pages: dict[str, bytes] = field(default_factory=dict)
    told: list[list[str]] = field(default_factory=list)

    def asked(self, open_pages: set[str]) -> Ahead:
        return Ahead(frozenset(open_pages), self.written)

    def written(self, paths: list[str]) -> None:
        self.told.append(paths)
        self.pages.update((path, (self.output / path).read_bytes()) for path in paths)


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.lists(EDITS, min_size=1, max_size=3), min_size=1, max_size=4))
def test_after_any_edits_a_search_index_in_parts_equals_a_clean_one(tmp_path_factory, edits) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("parts")
    site = make_site(root / "site", search="shard_size = 2")  # several parts, pages moving in and out of them
    built = root / "built"
    build_if_changed(options(site, built))
    assert (built / "pagefind" / "parts").is_dir()
    for step, batch in enumerate(edits):
        for edit in batch:
            apply(site, edit)
        build_result = outcome(lambda: build_if_changed(options(site, built)), built)
        assert build_result == clean_build(site, root / "clean"), f"build differs after step {step}: {batch}"


def test_bodies_dropped_from_memory_are_read_again_when_the_markdown_cache_is_gone(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    model = SiteModel()
    served = tmp_path / "served"
    build_if_changed(options(site, served), model=model)  # the model keeps no post's source
    shutil.rmtree(site.root / ".publisher-cache" / "markdown")  # every rendering gone meanwhile
    apply(site, ("rename", 1))  # a URL changes: every body's links are resolved again, from its Markdown
    apply(site, ("link", 2))  # and a body links to the renamed post
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert served_now == clean_build(site, tmp_path / "clean")
    assert any(b"<p>" in data for rel, data in snapshot(served).items() if rel.endswith("index.html"))


def test_after_a_write_that_failed_serve_writes_the_pages_it_had_not_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save whose write failed part way (the disk full, say) made the edited post's page but could not
    put it in place; the next save, the post unchanged since, writes it."""
    site = make_site(tmp_path / "site")
    model = SiteModel()
    served = tmp_path / "served"
    build_if_changed(options(site, served), model=model)
    apply(site, ("title", 1))

    def disk_full(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched, pytest.raises(OSError, match="No space left"):
        patched.setattr("publisher.output.writer.os.replace", disk_full)
        build_if_changed(options(site, served), model=model)
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert served_now == clean_build(site, tmp_path / "clean")
    assert any(b"Retitled 1" in data for data in snapshot(served).values())


def test_a_share_item_falling_due_between_saves_reaches_the_share_feed(tmp_path: Path) -> None:
    """serve keeps the share feed's files while its items are the same; an item falling due (time passing,
    nothing saved) changes the network feeds all the same."""
    site = make_site(tmp_path / "site")
    everything = build(options(site, tmp_path / "all", now=datetime(2027, 1, 1, tzinfo=UTC), use_cache=False))
    newest_post = max(entry.post.published for entry in everything.site.posts)
    later = sorted(item.scheduled for item in everything.share.items if item.scheduled > newest_post)
    assert later, "the test needs a re-share after the last post"
    before, after = later[0] - timedelta(minutes=1), later[0] + timedelta(minutes=1)
    model = SiteModel()
    served = tmp_path / "served"
    build_if_changed(options(site, served, now=before), model=model)
    build_if_changed(options(site, served, now=after), model=model)
    shutil.rmtree(tmp_path / "clean", ignore_errors=True)
    build(options(site, tmp_path / "clean", now=after, use_cache=False))
    assert snapshot(served) == snapshot(tmp_path / "clean")


def test_a_serve_save_keeps_the_fitted_texts_of_the_share_items_it_did_not_remake(tmp_path: Path) -> None:
    """serve takes an unchanged post's share items from its model, without asking for their fitted texts;
    the fits file still keeps them, so the next `publisher build` does not fit them all again."""
    site = make_site(tmp_path / "site")
    model = SiteModel()
    served = tmp_path / "served"
    fits = site.root / ".publisher-cache" / "share-fits.json"
    build_if_changed(options(site, served), model=model)
    before = json.loads(fits.read_text(encoding="utf-8"))
    apply(site, ("title", 3))  # the newest post: its items are made again, with new fits
    build_if_changed(options(site, served), model=model)
    after = json.loads(fits.read_text(encoding="utf-8"))
    assert len(before) > 4 and before.keys() - after.keys() <= {
        key for key, fit in before.items() if "Post 3" in json.dumps(fit)}
    assert any("Retitled 3" in json.dumps(fit) for fit in after.values())


def test_a_share_template_saved_while_serve_runs_changes_the_share_feed(tmp_path: Path) -> None:
    """A theme's share/x.txt saved while `serve` runs: the X items say the new text, as a clean build writes them.
    serve kept each share item by the post, variant, network and time alone, so the feed kept the old text until
    serve was restarted."""
    site = make_site(tmp_path / "site")
    share = site.root / "themes" / "default" / "share"
    share.mkdir(parents=True)
    (share / "x.txt").write_text("{{ title }}: first words {{ url }}\n", encoding="utf-8")
    model, served = SiteModel(), tmp_path / "served"
    build_if_changed(options(site, served), model=model)
    (share / "x.txt").write_text("{{ title }}: second words {{ url }}\n", encoding="utf-8")
    build_if_changed(options(site, served), model=model)
    build(options(site, tmp_path / "clean", use_cache=False))
    texts = [item["content_text"] for item in json.loads((served / "share" / "share.json").read_bytes())["items"]
             if item["_publisher"]["network"] == "x"]
    assert texts and all("second words" in text for text in texts)
    assert snapshot(served) == snapshot(tmp_path / "clean")


def test_a_body_edit_renders_the_post_again_but_not_the_lists_that_show_only_its_title_and_excerpt(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The home, tag and archive pages show a post's title, date and excerpt: a paragraph added at the end of
    its body leaves them as they were, so serve does not render them again."""
    site = make_site(tmp_path / "site")
    model = SiteModel()
    served = tmp_path / "served"
    build_if_changed(options(site, served), model=model)
    rendered = noting_rendered_pages(monkeypatch)
    apply(site, ("body", 7))  # post-3 is the newest: on the home page, and on its tags' pages
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    by_serve = set(rendered)
    assert served_now == clean_build(site, tmp_path / "clean")
    assert "post-3/index.html" in by_serve
    assert not {"index.html", "archive/index.html", "tags/email/index.html", "tags/video/index.html"} & by_serve
    apply(site, ("title", 7))  # the title is on the lists: they are rendered again
    rendered.clear()
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    by_serve = set(rendered)
    assert served_now == clean_build(site, tmp_path / "clean")
    assert {"index.html", "archive/index.html", "tags/email/index.html"} <= by_serve


def test_serves_model_holds_one_copy_of_each_views_texts_and_of_each_set_of_keys_its_pages_read(
        tmp_path: Path) -> None:
    """serve keeps every post's view and what each page read of the views it shows (13,000 pages at 10,000
    posts): a view shows its finished body's very table of contents and excerpt, not copies of them, and the
    pages that read the same keys of their posts' views share one tuple of those keys, with no pair per value."""
    site = make_site(tmp_path / "site")
    model = SiteModel()
    build_if_changed(options(site, tmp_path / "served"), model=model)
    bodies = {source: done.entry.body for source, (_, done) in model.bodies.entries().items()}
    views = {source: view for source, (_, view) in model.views.entries().items()}
    assert len(views) >= 5 and views.keys() <= bodies.keys()
    for source, view in views.items():
        assert view["toc_html"] is bodies[source].toc_html and view["excerpt_html"] is bodies[source].excerpt_html
    reads = [read for _, (_, read) in model.pages.entries().values() if read]
    keys = [keys for read in reads for keys, tokens in read.values() if len(keys) == len(tokens)]
    assert len(reads) > 3 and len(keys) == sum(map(len, reads))
    assert len({id(each) for each in keys}) == len(set(keys)) < len(keys)  # each set of keys read: one tuple


def test_a_home_page_that_shows_whole_posts_follows_a_body_edit(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    templates = site.root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "home.html").write_text('{% extends "base.html" %}{% block content %}'
                                         '{% for post in posts %}{{ post.html }}{% endfor %}{% endblock %}',
                                         encoding="utf-8")
    model = SiteModel()
    served = tmp_path / "served"
    build_if_changed(options(site, served), model=model)
    apply(site, ("body", 7))
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert served_now == clean_build(site, tmp_path / "clean")
    assert b"Paragraph 7" in (served / "index.html").read_bytes()


CHECKS_ACROSS_POSTS = ("check_urls", "check_tags", "check_clusters", "check_cta_references", "check_redirects")


def checks_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the checks across all posts made from now on, in order."""
    from publisher.build import sources

    made: list[str] = []
    for name in CHECKS_ACROSS_POSTS:
        real = getattr(sources, name)
        monkeypatch.setattr(sources, name, lambda *args, name=name, real=real: made.append(name) or real(*args))
    return made


def test_a_body_or_title_edit_checks_no_post_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks across all posts (URLs, tags, clusters, CTAs, redirects) read a few fields of each post's
    front matter: a body edit leaves every post as it was and a title edit changes no field they read, so
    serve makes none of them again; a title edit reads the share settings of the edited post alone (each
    other's are as they were), and none when that post has none (nothing in them can be wrong)."""
    from publisher.share import settings

    site = make_site(tmp_path / "site")
    for slug in ("post-0", "post-1", "post-3"):  # post-2 has no share settings
        site.posts[slug].share = SHARE_SETTINGS[2]
        site.write(slug)
    model = SiteModel()
    served = tmp_path / "served"
    build_if_changed(options(site, served), model=model)
    checked = checks_made(monkeypatch)
    shares_read: list[str] = []
    real_share = settings._share_problems
    monkeypatch.setattr(settings, "_share_problems",
                        lambda post, cfg: shares_read.append(post.source) or real_share(post, cfg))
    apply(site, ("body", 1))
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert checked == [] and shares_read == []
    assert served_now == clean_build(site, tmp_path / "clean")
    checked.clear()
    shares_read.clear()  # the clean build's
    apply(site, ("title", 1))
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert checked == []
    assert shares_read == ["content/posts/post-1.md"]
    assert served_now == clean_build(site, tmp_path / "clean")
    shares_read.clear()
    apply(site, ("title", 2))
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert shares_read == []
    assert served_now == clean_build(site, tmp_path / "clean")


def test_a_check_is_made_again_when_what_it_reads_of_a_post_changed(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Each check across all posts is made again in serve when what it reads of some post changed, and then
    names the field's line as the file has it now: a field written above a bad `cluster:` moves its line."""
    site = make_site(tmp_path / "site")
    model = SiteModel()
    served = tmp_path / "served"
    build_if_changed(options(site, served), model=model)
    checked = checks_made(monkeypatch)
    site.posts["post-2"].cluster = "nowhere"
    site.write("post-2")
    first = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert checked == ["check_clusters"]
    assert first == clean_build(site, tmp_path / "clean")
    assert first == [("content/posts/post-2.md:5: cluster: no pillar post with slug 'nowhere' "
                      "(pillars: none yet: mark one with pillar: true)")]
    checked.clear()
    apply(site, ("title", 2))  # the post with the problem: its title is on a line above, the problem as it was
    assert outcome(lambda: build_if_changed(options(site, served), model=model), served) == first
    assert checked == []
    site.posts["post-2"].stage = STAGES[0]  # written above `cluster:`, which moves down a line
    site.write("post-2")
    moved = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert checked == ["check_clusters", "check_cta_references"]
    assert moved == [first[0].replace(":5:", ":6:")]  # type: ignore[index]
    assert moved == clean_build(site, tmp_path / "clean")


def test_front_matter_written_another_way_is_read_anew_though_its_values_are_equal(tmp_path: Path) -> None:
    """`skip: 1` and `skip: true` are equal values in Python but not the same setting: a post read again
    holds the post it gave before only when its front matter reads exactly the same."""
    site = make_site(tmp_path / "site")
    model = SiteModel()
    served = tmp_path / "served"
    post = site.root / "content" / "posts" / "post-0.md"
    written = post.read_text(encoding="utf-8")
    post.write_text(written.replace("---\n\n", "share:\n  skip: 1\n---\n\n", 1), encoding="utf-8")
    first = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert first == ["content/posts/post-0.md:6: share.skip: must be true or false, not 1"]
    post.write_text(written.replace("---\n\n", "share:\n  skip: true\n---\n\n", 1), encoding="utf-8")
    fixed = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert fixed == clean_build(site, tmp_path / "clean")
    assert isinstance(fixed, dict)


def test_a_scheduled_post_coming_out_between_saves_reaches_the_sitemap(tmp_path: Path) -> None:
    """serve shows scheduled posts as previews, left out of the sitemap; once the time comes (nothing saved,
    the posts the very same) the post is in it."""
    site = make_site(tmp_path / "site")
    site.posts["post-3"].day = 20
    site.write("post-3")
    coming_out = datetime(2026, 3, 20, tzinfo=UTC)
    model = SiteModel()
    served = tmp_path / "served"
    before = options(site, served, now=coming_out - timedelta(days=1), drafts=True, future=True)
    build_if_changed(before, model=model)
    assert b"/post-3/" not in (served / "sitemap.xml").read_bytes()
    after = options(site, served, now=coming_out + timedelta(days=1), drafts=True, future=True)
    build_if_changed(after, model=model)
    assert b"/post-3/" in (served / "sitemap.xml").read_bytes()
    clean = tmp_path / "clean"
    build(options(site, clean, now=coming_out + timedelta(days=1), drafts=True, future=True, use_cache=False))
    assert snapshot(served) == snapshot(clean)


def test_a_linked_folder_of_posts_replaced_by_the_folder_itself_is_read(tmp_path: Path) -> None:
    """The sources' search does not follow a symbolic link to a folder, the listing of the files does: a
    link replaced by a folder of the same files lists the same paths, and its posts are found all the same."""
    site = make_site(tmp_path / "site")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.md").write_text(Post("Linked", 9).text(), encoding="utf-8")
    link = site.root / "content" / "posts" / "more"
    link.symlink_to(elsewhere, target_is_directory=True)
    served, built = tmp_path / "served", tmp_path / "built"
    model = SiteModel()
    build_if_changed(options(site, served), model=model)
    build_if_changed(options(site, built))
    assert not (served / "linked").exists()  # not followed
    link.unlink()
    shutil.copytree(elsewhere, link)  # the times kept: the same paths, sizes and times are listed
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    built_now = outcome(lambda: build_if_changed(options(site, built)), built)
    assert served_now == built_now == clean_build(site, tmp_path / "clean")
    assert isinstance(served_now, dict) and any(path.startswith("linked/") for path in served_now)


def test_serve_writes_the_edited_posts_page_and_the_open_pages_first(tmp_path: Path) -> None:
    """A save's build writes first the edited post's page and the pages open in a tab, and says which; the
    rest (here the feed, which carries the body) follows, and the whole equals a clean build."""
    site = make_site(tmp_path / "site")
    model, served = SiteModel(), tmp_path / "served"
    with watched(site.root, served) as changes:
        build_if_changed(options(site, served), model=model, changes=changes.take())
        changes.settle()
        changes.take()  # the cache's new folder: the watcher lost track, and keeps it from now on
        feed_then: list[bytes] = []
        ahead = PagesAhead(served)

        def written(paths: list[str]) -> None:
            ahead.written(paths)
            feed_then.append((served / "feed.xml").read_bytes())

        apply(site, ("body", 7))  # post-3's body; the tag page open in a tab does not change
        changes.settle()
        build_if_changed(options(site, served), model=model, changes=changes.take(),
                         ahead=Ahead(frozenset({"/tags/email/"}), written))
        assert ahead.told == [["post-3/index.html"]]
        assert b"Paragraph 7" in ahead.pages["post-3/index.html"]
        assert b"Paragraph 7" not in feed_then[0] and b"Paragraph 7" in (served / "feed.xml").read_bytes()
        assert snapshot(served) == clean_build(site, tmp_path / "clean")

        ahead.told.clear()
        apply(site, ("title", 7))  # now the open home page shows the change too
        changes.settle()
        build_if_changed(options(site, served), model=model, changes=changes.take(),
                         ahead=Ahead(frozenset({"/", "/tags/email/"}), ahead.written))
        assert [sorted(paths) for paths in ahead.told] == [["index.html", "post-3/index.html", "tags/email/index.html"]]
        assert snapshot(served) == clean_build(site, tmp_path / "clean")


def test_serve_writes_a_new_posts_page_ahead_having_ranked_its_related_posts_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new post changes the candidates for every post's related posts: its page, written ahead, needs its own
    alone, and the others are ranked after it, by the rest of the build (at 10,000 posts ranking them all first
    took 0.4 s of the 0.7 s before the new post showed)."""
    import publisher.site.clusters as clusters

    site = make_site(tmp_path / "site")
    model, served = SiteModel(), tmp_path / "served"
    ranked: list[str] = []
    real = clusters._Ranking._ranked

    def noting(self: Any, me: int) -> Any:
        ranked.append(self._ranked_by[me][1])
        return real(self, me)

    monkeypatch.setattr(clusters._Ranking, "_ranked", noting)
    ahead, ranked_then = PagesAhead(served), []

    def written(paths: list[str]) -> None:
        ahead.written(paths)
        ranked_then.append(list(ranked))

    with watched(site.root, served) as changes:
        build_if_changed(options(site, served), model=model, changes=changes.take())
        changes.settle()
        changes.take()  # the cache's new folder
        ranked.clear()
        apply(site, ("add", 30))
        changes.settle()
        build_if_changed(options(site, served), model=model, changes=changes.take(), ahead=Ahead(frozenset(), written))
    [told] = ahead.told  # the new post's page, and that of a post whose link to it now resolves
    assert "new-30-4/index.html" in told and b"New 30" in ahead.pages["new-30-4/index.html"]
    assert len(ranked_then) == 1 and len(site.posts) > len(told)
    assert sorted(ranked_then[0]) == sorted(f"content/posts/{path.split('/')[0]}.md" for path in told)
    assert sorted(ranked) == sorted(f"content/posts/{slug}.md" for slug in site.posts)  # each once
    assert snapshot(served) == clean_build(site, tmp_path / "clean")


def test_serve_ranks_related_posts_again_only_when_a_post_ranks_by_other_keys(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Related posts are ranked by each post's date, source, tags, keywords and cluster: a title edit leaves
    the ranking as it was (no post's keys taken again, the page's list the same), a tag edit ranks again."""
    import publisher.site.clusters as clusters

    site = make_site(tmp_path / "site")
    model, served = SiteModel(), tmp_path / "served"
    build_if_changed(options(site, served), model=model)
    sorted_again: list[int] = []
    real = clusters._ranked_by
    monkeypatch.setattr(clusters, "_ranked_by", lambda posts: sorted_again.append(len(posts)) or real(posts))
    apply(site, ("title", 1))
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert sorted_again == []
    assert served_now == clean_build(site, tmp_path / "clean")
    sorted_again.clear()  # the clean build's
    apply(site, ("tags", 1))  # post-1 now has the first tag alone
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model), served)
    assert sorted_again == [len(site.posts)]
    assert served_now == clean_build(site, tmp_path / "clean")


def test_a_page_written_ahead_whose_template_fails_is_left_to_the_build_to_report(tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    model, served = SiteModel(), tmp_path / "served"
    build_if_changed(options(site, served), model=model)
    before = snapshot(served)
    templates = site.root / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "home.html").write_text('{% extends "base.html" %}{% block content %}{{ posts.0.title() }}'
                                         '{% endblock %}', encoding="utf-8")
    ahead = PagesAhead(served)
    result = outcome(lambda: build_if_changed(options(site, served), model=model,
                                              ahead=ahead.asked({"/"})), served)
    assert isinstance(result, list) and "home.html" in result[0]
    assert ahead.told == [] and snapshot(served) == before


def test_a_save_whose_build_fails_after_its_pages_were_written_ahead_leaves_the_output_as_it_was(
        tmp_path: Path) -> None:
    site = make_site(tmp_path / "site")
    model, served = SiteModel(), tmp_path / "served"
    build_if_changed(options(site, served), model=model)
    before = snapshot(served)
    apply(site, ("body", 7))  # post-3's page is written ahead; then a static file stands where a page goes
    (site.root / "static" / "tags").mkdir(parents=True)
    (site.root / "static" / "tags" / "index.html").write_text("in the way\n", encoding="utf-8")
    ahead = PagesAhead(served)
    result = outcome(lambda: build_if_changed(options(site, served), model=model,
                                              ahead=ahead.asked({"/post-3/"})), served)
    assert isinstance(result, list) and "tags/index.html" in result[0]
    assert ahead.told == [["post-3/index.html"]] and b"Paragraph 7" in ahead.pages["post-3/index.html"]
    assert snapshot(served) == before
    (site.root / "static" / "tags" / "index.html").unlink()
    served_now = outcome(lambda: build_if_changed(options(site, served), model=model, ahead=ahead.asked(set())),
                         served)
    assert served_now == clean_build(site, tmp_path / "clean")


def test_a_watcher_report_that_changed_no_file_leaves_the_build_up_to_date(tmp_path: Path) -> None:
    """A save whose watcher report changed a file's size or time is built without the up-to-date check (its
    listing's digest is made after the pages ahead); a report that changed no file (opened and closed, an
    attribute) still finds the output up to date."""
    from publisher.build.inputs import Changes
    from publisher.build.pipeline import BuildReport, UpToDate

    site = make_site(tmp_path / "site")
    served, model = tmp_path / "served", SiteModel()
    build_if_changed(options(site, served), model=model)
    post = (site.root / "content" / "posts" / "post-1.md").resolve()
    reported = Changes((str(site.root.resolve() / "content"),), frozenset({str(post)}))
    assert isinstance(build_if_changed(options(site, served), model=model, changes=reported), UpToDate)
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert isinstance(build_if_changed(options(site, served), model=model, changes=reported), BuildReport)
    assert "One more line." in (served / "post-1" / "index.html").read_text(encoding="utf-8")
