import json
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.cache import BuildCache
from publisher.build.pipeline import BuildOptions, UpToDate, build, build_if_changed
from publisher.config.model import MarkdownConfig
from publisher.core.errors import BuildFailed
from publisher.core.files import UNUSED_FOR
from publisher.markdown.python_markdown import PythonMarkdownConverter
from publisher.pages.seo import cut_text
from publisher.templates.blocks import BlockCheck
from tests.conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def override(site: Path, name: str, text: str) -> None:
    templates = site / "themes" / "default" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / name).write_text(text)


def test_undefined_variable_in_a_template_names_the_template_and_line(site_dir: Path) -> None:
    override(site_dir, "page.html",
             '{% extends "base.html" %}\n{% block content %}\n{{ entry.no_such_thing }}\n{% endblock %}\n')
    with pytest.raises(BuildFailed) as info:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    problem = info.value.problems[0]
    assert (problem.path, problem.line, problem.field) == ("themes/default/templates/page.html", 3, "template")
    assert "no_such_thing" in problem.message


def test_an_unknown_name_reached_through_a_name_every_object_has_is_named(site_dir: Path) -> None:
    """`{{ nothing_here.__class__ }}`: Python finds `__class__` on Jinja2's undefined value itself, so the page said
    "<class 'publisher.templates.theme.KeyNamingUndefined'>" and the build succeeded. It fails as `.y` does."""
    override(site_dir, "page.html",
             '{% extends "base.html" %}\n{% block content %}\n{{ nothing_here.__class__ }}\n{% endblock %}\n')
    with pytest.raises(BuildFailed) as info:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    assert [str(problem) for problem in info.value.problems] == [
        "themes/default/templates/page.html:3: template: UndefinedError: 'nothing_here' is undefined"]


def test_a_default_partial_that_fails_names_the_sites_template_that_included_it(site_dir: Path) -> None:
    """The default theme's partials/post_list.html needs `posts`: included from a theme's archive.html, which has
    `years`, the error named only the default theme's file (inside publisher's package), not the site's line."""
    override(site_dir, "archive.html",
             '{% extends "base.html" %}\n{% block content %}\n{% include "partials/post_list.html" %}\n'
             '{% endblock %}\n')
    with pytest.raises(BuildFailed) as info:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    problem = info.value.problems[0]
    assert problem.path.endswith("partials/post_list.html") and not problem.path.startswith("themes/")
    assert problem.message == "UndefinedError: 'posts' is undefined (from themes/default/templates/archive.html:3)"


def test_a_key_a_view_does_not_have_is_named_with_the_keys_it_has(site_dir: Path) -> None:
    """Jinja2's own message named publisher's class: "'publisher.pages.fingerprints.Fingerprinted object' has no
    attribute 'titel'"."""
    override(site_dir, "page.html", '{% extends "base.html" %}\n{% block content %}{{ entry.titel }}{% endblock %}\n')
    with pytest.raises(BuildFailed) as info:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    problem = info.value.problems[0]
    assert (problem.path, problem.line) == ("themes/default/templates/page.html", 2)
    assert problem.message.startswith("UndefinedError: no key 'titel' (its keys: absolute_url, authors, date, ")
    assert " title, " in problem.message and "publisher" not in problem.message


def test_a_view_printed_whole_shows_its_keys_and_values_the_same_bytes_in_every_build(site_dir: Path,
                                                                                      tmp_path: Path) -> None:
    """`{{ entry }}`, `{{ site }}` or `{{ posts }}`, as a designer prints them to see what a template gets, wrote
    `<publisher.pages.fingerprints.Fingerprinted object at 0x7f…>`: another address in each build. And a list page
    that prints its posts whole follows a title edit in a cached build, as a clean build does."""
    override(site_dir, "page.html",
             '{% extends "base.html" %}{% block content %}<p>{{ entry }}</p><p>{{ site }}</p>{% endblock %}')
    override(site_dir, "tag.html", '{% extends "base.html" %}{% block content %}<p>{{ posts }}</p>{% endblock %}')
    outputs = []
    for run in ("one", "two"):
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=tmp_path / run, use_cache=False))
        outputs.append(snapshot(tmp_path / run))
    assert outputs[0] == outputs[1]
    about = outputs[0]["about/index.html"].decode()
    assert "{&#39;title&#39;: &#39;About&#39;, " in about and "&#39;post_count&#39;: 2" in about
    assert " at 0x" not in about and " at 0x" not in outputs[0]["tags/alpha/index.html"].decode()

    build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    first = site_dir / "content" / "posts" / "first.md"
    first.write_text(first.read_text().replace("title: ", "title: Retitled ", 1))
    build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=tmp_path / "clean", use_cache=False))
    assert snapshot(site_dir / "output") == snapshot(tmp_path / "clean")
    assert "Retitled" in (site_dir / "output" / "tags" / "alpha" / "index.html").read_text()


def test_a_themes_base_without_a_block_a_default_page_fills_is_named(site_dir: Path) -> None:
    """A theme's own base.html without `{% block head %}`: the default search.html's head (its search styles and
    script) would vanish; the error names the theme's base.html, which lacks it."""
    override(site_dir, "base.html", "<!doctype html><title>{{ page.title }}</title>{% block content %}{% endblock %}")
    with pytest.raises(BuildFailed) as info:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    problem = info.value.problems[0]
    assert problem.path.endswith("templates/search.html") and problem.field == "template"
    assert problem.message.startswith("block 'head' is never shown: 'base.html' (themes/default/templates/base.html),"
                                      " which this template extends, has no block of that name (its blocks: content)")



def test_a_block_left_unshown_by_an_edit_fails_every_build_after_a_good_one(site_dir: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """What the block check found of the templates is kept by their bytes (it parsed them in every one-post
    build, 20-28 ms at 10,000 posts): kept only when it passed, so a theme edited to lose a block fails the next
    build, and the one after, until it is mended."""
    options = BuildOptions(config=site_dir / "publisher.toml", now=NOW, use_cache=True)
    checked: list[str] = []
    real = BlockCheck.first_unshown
    monkeypatch.setattr(BlockCheck, "first_unshown", lambda check, name: checked.append(name) or real(check, name))
    build(options)
    assert "post.html" in checked
    checked.clear()
    first = site_dir / "content" / "posts" / "first.md"
    first.write_text(first.read_text() + "\nMore.\n")
    build(options)
    assert checked == []  # kept: no template parsed for it
    override(site_dir, "post.html", '{% extends "base.html" %}{% block contnet %}<h1>{{ post.title }}</h1>'
                                    "{% endblock %}")
    for _ in range(2):
        with pytest.raises(BuildFailed) as info:
            build(options)
        assert info.value.problems[0].message.startswith("block 'contnet' is never shown")
    override(site_dir, "post.html", '{% extends "base.html" %}{% block content %}<h1>{{ post.title }}</h1>'
                                    "{% endblock %}")
    build(options)


def test_autoescaping_cannot_be_forgotten(site_dir: Path) -> None:
    override(site_dir, "page.html",
             '{% extends "base.html" %}{% block content %}<p>{{ entry.title }}</p>{% endblock %}')
    (site_dir / "content" / "pages" / "about.md").write_text("---\ntitle: <b>bold</b>\n---\n")
    build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    assert "<p>&lt;b&gt;bold&lt;/b&gt;</p>" in (site_dir / "output" / "about" / "index.html").read_text()


@pytest.mark.parametrize(("text", "expected"), [
    ("Short enough.", "Short enough."),
    ("word " * 50, ("word " * 32).strip() + "…"),  # 32 words and the ellipsis are exactly 160 characters
    ("a" * 200, "a" * 159 + "…"),
])
def test_cut_text(text: str, expected: str) -> None:
    assert cut_text(text) == expected
    assert len(cut_text(text)) <= 160


def test_a_damaged_cache_is_a_miss_not_an_error(tmp_path: Path) -> None:
    cache = BuildCache.open(tmp_path / "cache", tmp_path / "out", markdown_salt="m", page_salt="p")
    rendered = PythonMarkdownConverter(MarkdownConfig()).convert("Hello *there*.")
    key = cache.markdown_key("Hello *there*.")
    cache.store_markdown(key, rendered)
    assert cache.load_markdown(key) == rendered
    cache._markdown_path(key).write_text("{not json")
    assert cache.load_markdown(key) is None
    (tmp_path / "cache" / "pages-x.json").write_text("garbage")
    assert BuildCache.open(tmp_path / "cache", tmp_path / "out", markdown_salt="m", page_salt="p").pages == {}


def test_cache_files_nested_past_the_decoders_depth_are_discarded_not_a_crash(site_dir: Path, tmp_path: Path) -> None:
    """Each JSON file the cache keeps (the model, bodies, manifest, launch record, the search index's page facts,
    the share, calendar, font and ranking records, each body's Markdown) made 100,000 arrays deep, as a damaged or
    hostile file may be: the next build takes it for no file, and its output is a clean build's."""
    options = BuildOptions(config=site_dir / "publisher.toml", now=NOW)
    build(options)
    cache = site_dir / ".publisher-cache"
    bundles = {path.parent for path in cache.glob("search-*/*/pagefind-entry.json")}  # Pagefind's, for browsers
    markdown = [path for path in (cache / "markdown").rglob("*") if path.is_file()]
    kept = [*markdown, *(path for path in cache.rglob("*.json") if path.parent not in bundles)]
    assert markdown and {path.name.split("-")[0] for path in kept} >= {
        "model", "bodies", "pages", "launch", "share", "calendar.json", "fonts.json", "related.json"}
    for path in kept:
        path.write_bytes(b"[" * 100_000)
    first = site_dir / "content" / "posts" / "first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    build(options)
    clean = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=tmp_path / "clean",
                               use_cache=False))
    assert snapshot(site_dir / "output") == snapshot(clean.output_dir)


def test_serve_keeps_the_manifest_it_wrote_until_another_writes_it(tmp_path: Path) -> None:
    from publisher.build.inputs import Listing
    from publisher.build.model import SiteModel
    from publisher.build.uptodate import Stamp

    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.html").write_text("<p>home</p>")
    model = SiteModel()  # serve's: kept between builds

    def opened() -> BuildCache:
        return BuildCache.open(tmp_path / "cache", tmp_path / "out", markdown_salt="m", page_salt="p", model=model)

    cache = opened()
    cache.remember_page("index.html", "fingerprint-1")
    cache.save_pages(Stamp(Listing("inputs", {}), "outputs", "index", None, None), {"posts": 1})
    assert opened().pages["index.html"][0] == "fingerprint-1"
    other = BuildCache.open(tmp_path / "cache", tmp_path / "out", markdown_salt="m", page_salt="p")  # `publisher build`
    other.remember_page("index.html", "fingerprint-2")
    other.save_pages(Stamp(Listing("inputs", {}), "outputs", "index", None, None), {"posts": 1})
    assert opened().pages["index.html"][0] == "fingerprint-2"  # read again: the file is not as serve left it


def test_page_records_made_ready_before_the_write_ends_hold_what_came_after_and_the_written_files_states(
        tmp_path: Path) -> None:
    """The page records are made ready while the search index is made (`prepare_pages`), before the written pages
    are in place: saved, they hold a page remembered after that, the state of a file written after it, and a page
    left as recorded with its record as it was."""
    from publisher.build.inputs import Listing
    from publisher.build.uptodate import Stamp

    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.html").write_text("<p>kept</p>")
    stamp = Stamp(Listing("inputs", {}), "outputs", "index", None, None)
    first = BuildCache.open(tmp_path / "cache", out, markdown_salt="m", page_salt="p")
    first.remember_page("kept.html", "fingerprint-kept")
    first.save_pages(stamp, {"posts": 1})
    kept_record = json.loads(next((tmp_path / "cache").glob("pages-*.json")).read_bytes())["pages"]["kept.html"]

    cache = BuildCache.open(tmp_path / "cache", out, markdown_salt="m", page_salt="p")
    cache.remember_page("kept.html", "fingerprint-kept", as_is=True)
    cache.remember_page("index.html", "fingerprint-home")
    cache.prepare_pages()
    cache.remember_page("feed.xml", "fingerprint-feed")  # after: made ready again
    (out / "index.html").write_text("<p>home, written last</p>")
    (out / "feed.xml").write_text("<rss/>")
    cache.save_pages(stamp, {"posts": 2})
    manifest = json.loads(next((tmp_path / "cache").glob("pages-*.json")).read_bytes())
    assert manifest["pages"]["kept.html"] == kept_record
    for name, fingerprint in (("index.html", "fingerprint-home"), ("feed.xml", "fingerprint-feed")):
        state = (out / name).stat()
        written = max(state.st_mtime_ns, state.st_ctime_ns)  # see `files.changed_at`
        assert manifest["pages"][name] == [fingerprint, state.st_size, written, ""], name
    assert manifest["summary"] == {"posts": 2} and manifest["stamp"] == stamp.to_json()


def test_a_new_version_of_the_settings_invalidates_markdown(tmp_path: Path) -> None:
    one = BuildCache.open(tmp_path, tmp_path / "out", markdown_salt="words=230", page_salt="")
    two = BuildCache.open(tmp_path, tmp_path / "out", markdown_salt="words=200", page_salt="")
    assert one.markdown_key("x") != two.markdown_key("x")


def test_markdown_of_old_salts_is_removed_but_the_one_used_last_before(tmp_path: Path) -> None:
    # Each new version or code of publisher, or Markdown setting, renders every body again: 208 MB more at 10,000
    # posts each time, which a CI cache would carry for good. The one before is kept for a switch back.
    rendered = PythonMarkdownConverter(MarkdownConfig()).convert("Hello *there*.")
    old_layout = tmp_path / "markdown" / "ab"  # before salts had folders
    old_layout.mkdir(parents=True)
    (old_layout / "ab12").write_text("{}")

    def used(salt: str) -> BuildCache:
        time.sleep(0.02)  # a later use, whatever the file system's clock step
        cache = BuildCache.open(tmp_path, tmp_path / "out", markdown_salt=salt, page_salt="")
        cache.store_markdown(cache.markdown_key("x"), rendered)
        return cache

    used("version 1")
    used("version 2")
    assert not old_layout.exists()
    assert len(list((tmp_path / "markdown").iterdir())) == 2
    used("version 3")
    assert len(list((tmp_path / "markdown").iterdir())) == 2
    back = used("version 2")
    assert back.load_markdown(back.markdown_key("x")) == rendered  # kept: the one used last before 3
    first = BuildCache.open(tmp_path, tmp_path / "out", markdown_salt="version 1", page_salt="")
    assert first.load_markdown(first.markdown_key("x")) is None  # gone
    assert len(list((tmp_path / "markdown").iterdir())) == 2  # 1 (new again) and 2; 3 went


def _kept_for(cache: Path, output: Path) -> list[Path]:
    """The cache's files and folders kept for one output folder (its model, bodies, manifest, search parts)."""
    key = BuildCache(cache, output)._output_key()
    return sorted(path for path in cache.iterdir() if f"-{key}" in path.name)


def _used_ago(paths: list[Path], seconds_ago: float) -> None:
    moment = time.time() - seconds_ago
    for path in paths:
        os.utime(path, (moment, moment))


def test_what_is_kept_for_an_output_folder_no_build_used_for_30_days_is_removed(site_dir: Path) -> None:
    # A --output once used, a preview per branch: about 300 MB each at 10,000 posts, which no build read again.
    config, cache = site_dir / "publisher.toml", site_dir / ".publisher-cache"
    output, preview, inside = site_dir / "output", site_dir.parent / "preview", cache / "preview"  # inside: as serve's
    for folder in (output, preview, inside):
        build(BuildOptions(config=config, output=folder, now=NOW))
        assert len(_kept_for(cache, folder)) >= 4  # model, bodies, manifest, search parts
    (cache / "search-check").mkdir(exist_ok=True)  # `check`'s parts: named, not kept by an output folder
    built = snapshot(preview)
    day = 86400
    _used_ago(_kept_for(cache, preview), UNUSED_FOR + day)
    _used_ago(_kept_for(cache, inside), UNUSED_FOR - day)
    _used_ago([cache / "search-check"], 100 * day)
    build(BuildOptions(config=config, now=NOW))  # any build looks
    assert _kept_for(cache, preview) == [] and snapshot(preview) == built  # its output, outside the cache, stays
    assert len(_kept_for(cache, inside)) >= 4 and (inside / "index.html").is_file()
    assert (cache / "search-check").is_dir()

    _used_ago(_kept_for(cache, inside), UNUSED_FOR + day)
    mine = _kept_for(cache, output)
    _used_ago(mine, 100 * day)  # this build's own: used now, whatever its files say
    assert isinstance(build_if_changed(BuildOptions(config=config, now=NOW)), UpToDate)  # it writes nothing...
    assert _kept_for(cache, inside) == [] and not inside.exists()  # an output folder inside the cache goes too
    assert _kept_for(cache, output) == mine
    manifest = next(path for path in mine if path.name.startswith("pages-"))
    assert time.time() - manifest.stat().st_mtime < 3600  # ...but marks its own as used
    two_hours_ago = time.time() - 7200
    os.utime(manifest, (two_hours_ago, two_hours_ago))
    assert isinstance(build_if_changed(BuildOptions(config=config, now=NOW)), UpToDate)
    assert manifest.stat().st_mtime == two_hours_ago  # at most once a day: `serve` keeps what it read of it

    build(BuildOptions(config=config, output=preview, now=NOW))  # used again: built as after a first build
    assert snapshot(preview) == built


def test_a_forgotten_output_folder_outside_the_cache_stays_whatever_its_manifest_says(tmp_path: Path) -> None:
    cache, outside = tmp_path / "cache", tmp_path / "content"
    (outside / "posts").mkdir(parents=True)
    (outside / "posts" / "a.md").write_text("mine")
    cache.mkdir()
    manifest = cache / "pages-0123456789abcdef.json"
    manifest.write_text(json.dumps({"output": str(cache / ".." / "content")}))  # tampered with, or a link's
    link = cache / "search-0123456789abcdef"
    link.symlink_to(outside)  # a link among the kept files: it goes, not what it points to
    _used_ago([manifest, outside], UNUSED_FOR + 86400)
    BuildCache.open(cache, tmp_path / "out", markdown_salt="m", page_salt="p")
    assert not manifest.exists() and not link.is_symlink()
    assert (outside / "posts" / "a.md").read_text() == "mine"
    for hostile in (b"[" * 100_000, b'{"output": "/tmp/\\u0000"}', b'{"output": 7}', b"\xff\xfe"):
        manifest.write_bytes(hostile)
        _used_ago([manifest], UNUSED_FOR + 86400)
        BuildCache.open(cache, tmp_path / "out", markdown_salt="m", page_salt="p")  # absurd nesting, a NUL...
        assert not manifest.exists()


def test_a_forgotten_file_that_cannot_be_removed_fails_no_build(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    stuck, model = cache / "pages-0123456789abcdef.json", cache / "model-0123456789abcdef.json"
    for path in (stuck, model):
        path.write_text("{}")
    _used_ago([stuck, model], UNUSED_FOR + 86400)
    unlink = Path.unlink

    def refuse(path: Path, missing_ok: bool = False) -> None:
        if path == stuck:
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    BuildCache.open(cache, tmp_path / "out", markdown_salt="m", page_salt="p")
    assert stuck.exists() and not model.exists()


def test_a_theme_can_write_any_view_as_json(tmp_path: Path) -> None:
    from publisher.pages.fingerprints import Deferred, Fingerprinted
    from publisher.templates.theme import Theme, make_environment

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "t.html").write_text("{{ post|tojson }}")
    post = Fingerprinted({"title": "</script>", "date": datetime(2026, 1, 2, tzinfo=UTC),
                          "html": Deferred("d", lambda: "<p>Body</p>")})
    out = make_environment(Theme((tmp_path,))).get_template("t.html").render(post=post)
    assert "</script>" not in out
    assert json.loads(out) == {"title": "</script>", "date": "2026-01-02T00:00:00+00:00", "html": "<p>Body</p>"}


def test_a_related_posts_long_summary_is_cut_at_a_word_with_the_sites_ellipsis(site_dir: Path) -> None:
    """The "See also" list cut summaries with Jinja2's `truncate`, ending them in "..." where every other cut
    text of the site (descriptions, cards) ends in "…"."""
    first = site_dir / "content" / "posts" / "first.md"
    summary = "A long-form guide to writing summaries that readers finish, " * 4
    first.write_text(first.read_text().replace("summary: The first post.", f"summary: {summary.strip()}"))
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    page = (report.output_dir / "second" / "index.html").read_text()
    [shown] = re.findall(r'<a href="/first/">First post</a> <span class="muted">([^<]*)</span>', page)
    assert shown.endswith("…") and "..." not in shown and len(shown) <= 140
    assert summary.startswith(shown.removesuffix("…") + " ")  # whole words of the summary


def test_a_page_is_current_only_while_neither_its_modification_nor_its_change_time_moved(tmp_path: Path) -> None:
    """A page's record holds when it was written as no program sets it back: on Linux and macOS its change time
    (a hand edit with its modification time put back moves it), and on Windows, whose `st_ctime` is the file's
    creation and stays through an edit in place, its modification time. Told from the walk's state of the file."""
    from publisher.build.inputs import Listing
    from publisher.build.uptodate import Stamp

    out = tmp_path / "out"
    out.mkdir()
    (out / "page.html").write_text("<p>page</p>")
    first = BuildCache.open(tmp_path / "cache", out, markdown_salt="m", page_salt="p")
    first.remember_page("page.html", "fingerprint")
    first.save_pages(Stamp(Listing("inputs", {}), "outputs", "index", None, None), {"posts": 1})
    found = os.stat(out / "page.html")
    size, inode, modified, changed = found.st_size, found.st_ino, found.st_mtime_ns, found.st_ctime_ns
    cache = BuildCache.open(tmp_path / "cache", out, markdown_salt="m", page_salt="p")
    cache.walked = {"page.html": (size, inode, modified, changed)}
    assert cache.page_is_current("page.html", "fingerprint")
    cache.walked = {"page.html": (size, inode, modified, changed + 10**9)}  # edited, its time put back (Linux)
    assert not cache.page_is_current("page.html", "fingerprint")
    cache.walked = {"page.html": (size, inode, max(modified, changed) + 10**9, changed)}  # edited (Windows)
    assert not cache.page_is_current("page.html", "fingerprint")
