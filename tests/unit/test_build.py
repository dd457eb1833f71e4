"""The whole pipeline on a small site: what a user sees in output/."""

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.core.errors import BuildFailed

from ..conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def run(site: Path, **options) -> dict[str, bytes]:
    options.setdefault("now", NOW)
    report = build(BuildOptions(config=site / "publisher.toml", **options))
    return snapshot(report.output_dir)


def add_post(site: Path, name: str, front: str, body: str = "Body.") -> None:
    (site / "content" / "posts" / name).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


def test_pages_of_a_site(site_dir: Path) -> None:
    out = run(site_dir)
    assert {"index.html", "first/index.html", "second/index.html", "about/index.html", "tags/index.html",
            "tags/alpha/index.html", "tags/beta/index.html", "authors/index.html", "authors/ann/index.html",
            "archive/index.html", "404.html", "assets/site.css", "assets/pygments.css"} <= set(out)
    first = out["first/index.html"].decode()
    assert 'href="/second/"' in first  # a link to second.md became its URL
    assert "Ann Author" in first and 'href="/authors/ann/"' in first
    home = out["index.html"].decode()
    assert home.index("Second post") < home.index("First post")  # newest first


def test_site_under_a_sub_path(site_dir: Path) -> None:
    out = run(site_dir, base_url="https://user.github.io/hub/")
    second = out["second/index.html"].decode()
    assert 'src="/hub/img/chart.png"' in second
    assert 'href="/hub/assets/site.css"' in second
    assert '<link rel="canonical" href="https://user.github.io/hub/second/">' in second


RAW_HTML = """Raw HTML keeps working under the base path.

<video src="/media/tour.mp4" poster="/img/poster.jpg"><track src="/media/tour.vtt"></video>

<object data="/files/plan.pdf" type="application/pdf"></object>

<form action="/subscribe/"><button formaction="/subscribe/now/">Go</button></form>

<blockquote cite="/about/">Quoted.</blockquote>

<div class="hero" style="background-image: url('/img/hero.jpg')">Hero</div>

<svg><image xlink:href="/img/icon.png" href="/img/icon.png"/></svg>

<style>.band { background: url(/img/band.png) } .mark { fill: url(#grad) }</style>

Shown, not used: `<video poster='/img/shown.jpg'>` and `style='background:url(/img/shown.png)'`.

    <form action='/shown/'></form>
"""


def test_raw_html_urls_of_every_kind_work_under_a_sub_path(site_dir: Path) -> None:
    add_post(site_dir, "media.md", "title: Media\ndate: 2026-02-01\nsummary: Raw HTML.", RAW_HTML)
    out = run(site_dir, base_url="https://user.github.io/hub/")
    page = out["media/index.html"].decode()
    for written in ('src="/hub/media/tour.mp4"', 'poster="/hub/img/poster.jpg"', 'src="/hub/media/tour.vtt"',
                    'data="/hub/files/plan.pdf"', 'action="/hub/subscribe/"', 'formaction="/hub/subscribe/now/"',
                    'cite="/hub/about/"', "url('/hub/img/hero.jpg')", 'xlink:href="/hub/img/icon.png"',
                    'href="/hub/img/icon.png"', "url(/hub/img/band.png)", "url(#grad)",
                    "poster='/img/shown.jpg'", "url(/img/shown.png)", "action='/shown/'"):
        assert written in page, written
    feed = out["feed.xml"].decode()  # feed readers show it away from the site: absolute URLs
    assert 'poster="https://user.github.io/hub/img/poster.jpg"' in feed


def test_drafts_and_future_need_flags(site_dir: Path) -> None:
    add_post(site_dir, "draft.md", "title: Drafty\ndate: 2026-01-01\ndraft: true")
    add_post(site_dir, "soon.md", "title: Soon\ndate: 2027-01-01")
    assert "draft/index.html" not in run(site_dir) and "soon/index.html" not in run(site_dir)
    out = run(site_dir, drafts=True, future=True)
    assert "draft/index.html" in out and "soon/index.html" in out
    assert b"badge-draft" in out["draft/index.html"]


def test_next_scheduled_post_is_reported(site_dir: Path) -> None:
    add_post(site_dir, "soon.md", "title: Soon\ndate: 2027-01-01 08:00")
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    assert report.site.next_scheduled.post.date.isoformat() == "2027-01-01T08:00:00+01:00"


def test_pagination_pages(site_dir: Path) -> None:
    for day in range(1, 25):
        add_post(site_dir, f"p{day}.md", f"title: Post {day}\ndate: 2026-03-{day:02d}\ntags: [alpha]")
    out = run(site_dir)
    assert {"page/2/index.html", "page/3/index.html", "tags/alpha/page/2/index.html"} <= set(out)
    assert "page/4/index.html" not in out  # 26 posts, 10 per page
    assert b'rel="next" href="/page/3/"' in out["page/2/index.html"]


def test_same_input_same_bytes_whatever_the_clock(site_dir: Path, tmp_path: Path) -> None:
    first = run(site_dir, output=tmp_path / "one")
    second = run(site_dir, output=tmp_path / "two", now=datetime(2026, 10, 30, 23, 59, tzinfo=UTC))
    assert first == second


def test_site_theme_overrides_one_template_and_static_files_are_copied(site_dir: Path) -> None:
    templates = site_dir / "themes" / "house" / "templates"
    templates.mkdir(parents=True)
    (templates / "page.html").write_text(
        '{% extends "base.html" %}{% block content %}<p class="house">{{ entry.title }}</p>{% endblock %}')
    (site_dir / "static" / "img").mkdir(parents=True)
    (site_dir / "static" / "img" / "chart.png").write_bytes(b"\x89PNG")
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text().replace('[site]', '[site]\ntheme = "house"'))
    out = run(site_dir)
    assert b'<p class="house">About</p>' in out["about/index.html"]
    assert b"<article" in out["first/index.html"]  # other templates still come from the default theme
    assert out["img/chart.png"] == b"\x89PNG"


def test_links_out_of_the_site_are_not_followed(site_dir: Path, tmp_path: Path) -> None:
    """A symbolic link in static/, content/ or a theme to a file elsewhere on the machine published that file (a
    link to /proc/self/environ, the build's environment and CI's tokens). Such links are left out, each with a
    warning; a link to a file inside the site's folder is followed."""
    from PIL import Image

    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "photos").mkdir(parents=True)
    (elsewhere / "secret.txt").write_text("TOKEN=hunter2\n")
    Image.new("RGB", (1600, 900), (12, 34, 56)).save(elsewhere / "photos" / "photo.png")
    (elsewhere / "post.md").write_text("---\ntitle: Leaked post\ndate: 2026-01-01\n---\n\nhunter2\n")
    static = site_dir / "static"
    (static / "img").mkdir(parents=True)
    (site_dir / "brand").mkdir()
    (site_dir / "brand" / "logo.txt").write_text("our own\n")
    (static / "secret.txt").symlink_to(elsewhere / "secret.txt")
    (static / "environ.txt").symlink_to("/proc/self/environ")
    (static / "photos").symlink_to(elsewhere / "photos")  # a folder
    (static / "img" / "photo.png").symlink_to(elsewhere / "photos" / "photo.png")
    (static / "logo.txt").symlink_to("../brand/logo.txt")  # inside the site: followed
    (site_dir / "content" / "posts" / "leaked.md").symlink_to(elsewhere / "post.md")
    templates = site_dir / "themes" / "house" / "templates"
    templates.mkdir(parents=True)
    (templates / "page.html").symlink_to(elsewhere / "secret.txt")  # the default theme's page.html is used
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text().replace("[site]", '[site]\ntheme = "house"'))
    add_post(site_dir, "pictured.md", "title: Pictured\ndate: 2026-01-02\nimage: /img/photo.png",
             "![A photo](/img/photo.png)")

    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))

    out = snapshot(report.output_dir)
    assert out["logo.txt"] == b"our own\n"
    assert not {"secret.txt", "environ.txt", "img/photo.png", "leaked/index.html"} & out.keys()
    assert not [path for path in out if path.startswith(("photos/", "img/photo-"))]  # nor WebP copies of it
    assert not [path for path, data in out.items() if b"hunter2" in data or b"Leaked post" in data]
    assert "pictured/index.html" in out and b"<article" in out["about/index.html"]
    left_out = sorted(w.path for w in report.warnings if w.field == "file")
    assert left_out == ["content/posts/leaked.md", "static/environ.txt", "static/img/photo.png", "static/photos",
                        "static/secret.txt", "themes/house/templates/page.html"]
    assert "is a symbolic link to /proc/self/environ, outside the site's folder: left out" in str(
        next(w for w in report.warnings if w.path == "static/environ.txt"))
    with pytest.raises(BuildFailed):
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, strict=True))


def test_a_content_or_static_folder_linked_out_of_the_site_is_an_error(site_dir: Path, tmp_path: Path) -> None:
    """`static -> /` would publish the machine's files: such a folder stops the build, naming it."""
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.txt").write_text("TOKEN=hunter2\n")
    (site_dir / "static").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    assert [str(problem) for problem in failed.value.problems] == [
        (f"static: folder: is a symbolic link to {tmp_path / 'elsewhere'}, outside the site's folder: publisher "
         "reads content/ and static/ only from inside it (move the folder in)")]
    assert not (site_dir / "output").exists()


def test_unknown_theme(site_dir: Path) -> None:
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text().replace('[site]', '[site]\ntheme = "nope"'))
    with pytest.raises(BuildFailed, match=r"site.theme: no theme 'nope'"):
        run(site_dir)



def test_links_to_missing_sources_are_each_named_at_the_first_line_that_holds_them(site_dir: Path) -> None:
    """The body was split again for each (16,000 such links took 44 s)."""
    lines = [f"[{n}](gone-{n % 1500}.md) and [again](gone-{(n + 1) % 1500}.md)" for n in range(3000)]
    add_post(site_dir, "linky.md", "title: Linky\ndate: 2026-01-01", "\n\n".join(lines))
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, use_cache=False))
    named = {w.message.split("'")[1]: w.line for w in report.warnings if w.field == "link"}
    assert named == {f"gone-{n}.md": 6 + 2 * (n - 1 if n else 0) for n in range(1500)}


def test_link_to_missing_source_warns_and_strict_fails(site_dir: Path) -> None:
    add_post(site_dir, "linky.md", "title: Linky\ndate: 2026-01-01", "See [gone](gone.md).")
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    assert [str(w) for w in report.warnings] == [
        "content/posts/linky.md:6: link: 'gone.md' points to no post or page in content/"]
    with pytest.raises(BuildFailed):
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, strict=True))


@pytest.mark.parametrize("output", [".", "content", "content/posts/out", ".."])
def test_output_folder_must_not_hold_the_sources(site_dir: Path, output: str) -> None:
    with pytest.raises(BuildFailed, match="--output"):
        run(site_dir, output=site_dir / output)
    assert (site_dir / "content" / "posts" / "first.md").exists()


HOSTILE = '"><script>alert(1)</script></script><!--'


def test_hostile_values_are_escaped_everywhere(site_dir: Path) -> None:
    add_post(site_dir, "evil.md", f"title: '{HOSTILE}'\ndate: 2026-01-01\nsummary: '{HOSTILE}'\n"
             f"tags: ['{HOSTILE}']\nauthor: '{HOSTILE}'\nimage: /x.png\nimage_alt: '{HOSTILE}'")
    out = run(site_dir)
    pages = {path: data.decode() for path, data in out.items() if path.endswith(".html")}
    assert "evil/index.html" in pages
    for path, html in pages.items():
        assert "<script>alert(1)</script>" not in html, path
        assert '"><script>' not in html, path
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/script&gt;&lt;!--" in pages["evil/index.html"]
    tag_pages = [p for p in pages if p.startswith("tags/") and p != "tags/index.html"]
    assert "tags/scriptalert1scriptscript/index.html" in tag_pages


def test_the_sites_own_output_folder_is_always_publishers(site_dir: Path) -> None:
    (site_dir / "output").mkdir()
    (site_dir / "output" / "stale.html").write_text("from an older build, before the marker existed")
    out = run(site_dir)
    assert "stale.html" not in out and ".publisher-output" in out


def test_another_non_empty_folder_is_refused(site_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(BuildFailed, match="is not empty and was not built by publisher"):
        run(site_dir, output=tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_cta_pitch_links_and_images_work_under_a_sub_path(site_dir: Path) -> None:
    """A pitch is Markdown like a post body: its links to sources and site files get the base path."""
    (site_dir / "content" / "ctas").mkdir(exist_ok=True)
    (site_dir / "content" / "ctas" / "letter.md").write_text(
        "---\nstage: awareness\nheadline: Get the next one\nlink: /about/\n---\n\n"
        "Read [the first post](../posts/first.md) first.\n\n![A chart](/img/chart.svg)\n\n[Lost](../posts/gone.md)\n",
        encoding="utf-8")
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, base_url="https://user.github.io/repo/"))
    second = (report.output_dir / "second" / "index.html").read_text(encoding="utf-8")
    assert 'href="/repo/first/"' in second
    assert 'src="/repo/img/chart.svg"' in second
    assert "../posts/first.md" not in second
    assert [str(w) for w in report.warnings if w.field == "link"] == [
        "content/ctas/letter.md:11: link: '../posts/gone.md' points to no post or page in content/"]


def test_the_posts_markdown_is_let_go_before_the_pages_are_rendered(site_dir: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build reads every post's Markdown; held while the pages render, it was 110 MB of a 10,000-post
    build's peak memory."""
    import gc
    import weakref

    import publisher.build.pipeline as pipeline

    read: list[weakref.ref[object]] = []
    held_at_render: list[bool] = []
    site_of, render_pages = pipeline._site_of, pipeline.render_pages

    def noting_read(start: object, sources: object, *args: object, **kwargs: object) -> object:
        read.append(weakref.ref(sources.sources))  # type: ignore[attr-defined]
        return site_of(start, sources, *args, **kwargs)  # type: ignore[arg-type]

    def rendering(*args: object, **kwargs: object) -> object:
        gc.collect()
        held_at_render.append(read[0]() is not None)
        return render_pages(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_site_of", noting_read)
    monkeypatch.setattr(pipeline, "render_pages", rendering)
    run(site_dir)
    assert held_at_render == [False]


def test_a_build_looks_again_at_no_page_the_early_walk_found_as_it_was(site_dir: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The output is walked while the sources are read (`output.walk`): whether a page kept from the last build
    is still on disk as written, and the state its search facts are kept by, come from that walk, not from a
    look at each page (13,000 at 10,000 posts). The pages the build renders are looked at as written."""
    import os

    from publisher.pages.render import _PageRenderer

    run(site_dir)
    post = site_dir / "content" / "posts" / "first.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    out = str(site_dir / "output") + os.sep
    looked_at: set[str] = set()
    rendered: set[str] = set()
    stat, render = os.stat, _PageRenderer.render

    def noting_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        name = os.fspath(path)  # type: ignore[arg-type]
        if isinstance(name, str) and name.startswith(out) and name.endswith(".html"):
            looked_at.add(name[len(out):])
        return stat(path, *args, **kwargs)  # type: ignore[arg-type]

    def noting_render(self: _PageRenderer, plan: object) -> object:
        page = render(self, plan)  # type: ignore[arg-type]
        if page.html is not None:
            rendered.add(page.path)
        return page

    with monkeypatch.context() as patched:
        patched.setattr(os, "stat", noting_stat)
        patched.setattr(_PageRenderer, "render", noting_render)
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    after = snapshot(site_dir / "output")
    assert b"One more line." in after["first/index.html"]
    pages = {path for path in after if path.endswith(".html")}
    assert "first/index.html" in rendered and rendered < pages  # some pages are kept as they were
    assert looked_at <= rendered, sorted(looked_at - rendered)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_among_the_sources_is_no_input_and_the_build_ends(site_dir: Path) -> None:
    """Opening a named pipe waits for a writer that never comes: a build (in a process of its own, so that a hang
    fails this test rather than the suite) reads none, in content/ or static/, and builds the rest."""
    os.mkfifo(site_dir / "content" / "posts" / "pipe.md")
    (site_dir / "static").mkdir(exist_ok=True)
    os.mkfifo(site_dir / "static" / "pipe.txt")
    done = subprocess.run([sys.executable, "-m", "publisher", "build", "--config", str(site_dir / "publisher.toml")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert (site_dir / "output" / "first" / "index.html").is_file()
    assert not (site_dir / "output" / "pipe").exists() and not (site_dir / "output" / "pipe.txt").exists()


def build_lines(site: Path, *options: str) -> tuple[int, list[str]]:
    """`publisher build`'s exit code and the lines it wrote to stderr, in a process of its own (a hang fails the
    test, not the suite)."""
    done = subprocess.run([sys.executable, "-m", "publisher", "build", *options], cwd=site, capture_output=True,
                          text=True, timeout=120, check=False, env={**os.environ, "SOURCE_DATE_EPOCH": "1788220800"})
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stderr.splitlines()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_made_a_post_after_a_build_is_a_warning_naming_it_not_up_to_date(site_dir: Path) -> None:
    """`content/posts/pipe.md` as a named pipe was left out without a word, and a build after it said "Up to date":
    the writer saw no post and no reason. Now it is a warning naming the file (`--strict` fails on it)."""
    assert build_lines(site_dir)[0] == 0
    os.mkfifo(site_dir / "content" / "posts" / "pipe.md")
    line = "warning: content/posts/pipe.md: file: is a named pipe (FIFO), not a file: left out"
    code, lines = build_lines(site_dir)
    assert code == 0 and line in lines, lines
    assert (site_dir / "output" / "first" / "index.html").is_file()
    code, lines = build_lines(site_dir, "--strict")
    assert code == 1 and line.removeprefix("warning: ") in lines, lines


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need a privilege on Windows")

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and sockets are POSIX features")
def test_a_named_pipe_or_socket_in_static_is_a_warning_naming_it_never_opened(site_dir: Path) -> None:
    """`static/feed.xml` or `static/sub/brochure.pdf` as a named pipe (a sync tool's half-made file), or a
    socket left by a dev server, was left out of the site without a word: the page linking to it broke, and
    nothing said why. Each is now a warning naming the file (`--strict` fails on it); the build does not wait on
    the pipe (it runs in a process of its own: a hang fails this test). A hidden one is not published: no word."""
    static = site_dir / "static"
    (static / "sub").mkdir(parents=True)
    os.mkfifo(static / "sub" / "brochure.pdf")
    os.mkfifo(static / ".swap")
    (static / "logo.txt").write_text("")  # an empty file is a file, published
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(static / "dev.sock"))
        code, lines = build_lines(site_dir)
        assert code == 0 and [line for line in lines if line.startswith("warning:")] == [
            "warning: static/dev.sock: file: is a socket, not a file: left out",
            "warning: static/sub/brochure.pdf: file: is a named pipe (FIFO), not a file: left out"]
        assert (site_dir / "output" / "logo.txt").is_file()
        code, lines = build_lines(site_dir, "--strict")
        assert code == 1 and "static/sub/brochure.pdf: file: is a named pipe (FIFO), not a file: left out" in lines
def test_a_link_to_nothing_or_in_a_loop_named_as_a_post_is_a_warning_naming_it(site_dir: Path) -> None:
    """A post linked to a file that is not there (a folder not checked out) was left out without a word; a link
    leading back to itself stopped the build with `error: content/posts/loop.md: Too many levels of symbolic
    links`, in no problem's form. Each is now a warning naming the file, and the rest of the site builds."""
    posts = site_dir / "content" / "posts"
    (posts / "gone.md").symlink_to("../drafts/gone.md")
    (posts / "loop.md").symlink_to("loop.md")
    code, lines = build_lines(site_dir)
    assert code == 0 and [line for line in lines if line.startswith("warning:")] == [
        "warning: content/posts/gone.md: file: is a symbolic link to ../drafts/gone.md, which is not there: left out",
        ("warning: content/posts/loop.md: file: is a symbolic link in a loop (it leads back to itself), not a file: "
         "left out")]


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need a privilege on Windows")
def test_a_link_to_nothing_or_in_a_loop_in_static_is_a_warning_naming_it(site_dir: Path) -> None:
    """`static/img/logo.png -> ../../brand/logo.png` with brand/ not checked out (a folder in .gitignore, a
    submodule not fetched) was left out of the site without a word: every page showed a broken logo. Each such
    link, and one in a loop, is now a warning naming it, as in content/; a good link beside them is published."""
    img = site_dir / "static" / "img"
    img.mkdir(parents=True)
    (site_dir / "brand").mkdir()
    (site_dir / "brand" / "mark.txt").write_text("mark")
    (img / "mark.txt").symlink_to("../../brand/mark.txt")
    (img / "logo.png").symlink_to("../../brand/logo.png")
    (img / "loop.png").symlink_to("loop.png")
    code, lines = build_lines(site_dir)
    assert code == 0 and [line for line in lines if line.startswith("warning:")] == [
        "warning: static/img/logo.png: file: is a symbolic link to ../../brand/logo.png, which is not there: left out",
        ("warning: static/img/loop.png: file: is a symbolic link in a loop (it leads back to itself), not a file: "
         "left out")]
    assert (site_dir / "output" / "img" / "mark.txt").read_text() == "mark"


def test_a_source_past_the_size_bound_is_one_error_naming_its_size_read_no_further(site_dir: Path) -> None:
    """A 2 GB file in content/posts/ (a video saved as .md, a log) was read whole: 2 GB of memory and more, then an
    error that it is "binary". Now its size is told before a byte is read (a sparse file here: no disk spent; a
    quarter of a gigabyte, as the listing hashes a file just written, 5 s for 2 GB)."""
    with open(site_dir / "content" / "posts" / "huge.md", "wb") as file:
        file.truncate(256 << 20)
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/posts/huge.md: file: is 268,435,456 bytes, past the 32 MB a source may hold (split it; images "
         "and other files belong in static/)")]


@pytest.mark.skipif(os.name == "nt" or sys.platform == "darwin", reason="a file name of any bytes: Linux's")
def test_a_source_whose_name_is_not_utf8_is_one_line_and_the_output_is_left_as_it_was(site_dir: Path) -> None:
    run(site_dir)
    before = snapshot(site_dir / "output")
    name = os.path.join(os.fsencode(site_dir / "content" / "posts"), b"bad-\xff\xfe.md")
    with open(name, "wb") as file:
        file.write(b"---\ntitle: B\ndate: 2026-01-04\n---\nBody.\n")
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [
        "content/posts/bad-\ufffd\ufffd.md: file: its name is not valid UTF-8 (rename the file)"]
    assert snapshot(site_dir / "output") == before


def test_a_url_clash_is_said_at_the_post_that_wrote_its_url(site_dir: Path) -> None:
    """`zz.md` sets `slug: first`: the clash is its doing, said at its slug line, not at first.md's line 1."""
    add_post(site_dir, "zz.md", "title: Late\ndate: 2026-02-01\nslug: first")
    add_post(site_dir, "home.md", "title: Home\ndate: 2026-02-02\nurl: /")
    add_post(site_dir, "dot.md", "title: Dot\ndate: 2026-02-03\nurl: /./")
    (site_dir / "content" / "posts" / "alias.md").write_text(
        "---\ntitle: Alias\ndate: 2026-02-04\naliases: [/feed.xml, /tags/, /sitemap-3.xml]\n---\n\nBody.\n",
        encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    said = [str(problem) for problem in failed.value.problems]
    assert any(line.startswith("content/posts/zz.md:4: slug: URL /first/ is already used by content/posts/first.md")
               for line in said), said
    assert "content/posts/home.md:4: url: URL / is reserved for the home page (choose another url)" in said
    assert "content/posts/dot.md:4: url: '/./' is not a path on this site (no '..', '//', query or scheme)" in said
    assert "content/posts/alias.md:4: aliases: /feed.xml is the site's RSS feed; a redirect would replace it" in said
    assert "content/posts/alias.md:4: aliases: /tags/ is the tag pages; a redirect would replace it" in said
    assert ("content/posts/alias.md:4: aliases: /sitemap-3.xml is one of the sitemaps the sitemap index lists "
            "(sitemap-1.xml, sitemap-2.xml...); a redirect would replace it") in said


def test_the_not_found_page_is_kept_out_of_search_engines(site_dir: Path) -> None:
    """Hosts answer a missing URL with 404.html and a 404 status, but its own address with a 200: `noindex`
    keeps it out of search results, as every other page but the search page is in them."""
    files = run(site_dir)
    assert b'<meta name="robots" content="noindex">' in files["404.html"]
    assert b'name="robots"' not in files["first/index.html"]


def test_static_well_known_is_published_and_other_hidden_files_are_not(site_dir: Path) -> None:
    """`static/.well-known/` holds what other services fetch from the site (RFC 8615): security.txt, Android's
    assetlinks.json, the atproto-did that makes the domain a Bluesky handle. It was left out with every hidden
    file, so each of those URLs was 404 on the host and under serve."""
    well_known = site_dir / "static" / ".well-known"
    well_known.mkdir(parents=True)
    (well_known / "security.txt").write_text("Contact: mailto:security@example.com\n")
    (well_known / "atproto-did").write_text("did:plc:abc123\n")
    (well_known / ".DS_Store").write_bytes(b"\0")
    (site_dir / "static" / ".DS_Store").write_bytes(b"\0")
    (site_dir / "static" / ".git").mkdir()
    (site_dir / "static" / ".git" / "config").write_text("[remote]\n")
    out = run(site_dir)
    assert out[".well-known/security.txt"] == b"Contact: mailto:security@example.com\n"
    assert out[".well-known/atproto-did"] == b"did:plc:abc123\n"
    assert not [path for path in out if path.endswith(".DS_Store") or path.startswith(".git/")]
