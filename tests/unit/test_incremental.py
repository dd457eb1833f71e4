"""Cached builds must be byte-identical to clean ones, whatever was edited."""

import json
import random
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build

from ..conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def cached(site: Path):
    return build(BuildOptions(config=site / "publisher.toml", now=NOW))


def clean(site: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    build(BuildOptions(config=site / "publisher.toml", now=NOW, output=out, use_cache=False))
    return snapshot(out)


def test_unchanged_rebuild_writes_nothing(site_dir: Path) -> None:
    cached(site_dir)
    report = cached(site_dir)
    assert report.stats.written == 0 and report.stats.removed == 0


def use_engine(site: Path, engine: str) -> None:
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[markdown]\nengine = "{engine}"\n')


ENGINES = pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])


@ENGINES
def test_random_edits_give_the_same_bytes_as_a_clean_build(site_dir: Path, tmp_path: Path, engine: str) -> None:
    use_engine(site_dir, engine)
    rng = random.Random(20261122)
    posts = site_dir / "content" / "posts"
    for n in range(12):
        (posts / f"gen{n}.md").write_text(
            f"---\ntitle: Generated {n}\ndate: 2026-04-{n + 1:02d}\ntags: [t{n % 3}]\n---\n\nBody {n}.\n")
    cached(site_dir)

    def edit_body():
        path = rng.choice(sorted(posts.glob("*.md")))
        path.write_text(path.read_text() + f"\nAdded paragraph {rng.random()}.\n")

    def edit_title():
        path = rng.choice(sorted(posts.glob("gen*.md")))
        text = path.read_text()
        path.write_text(text.replace("title: ", f"title: Retitled {rng.randint(0, 99)} ", 1))

    def add_post():
        n = rng.randint(100, 999)
        (posts / f"new{n}.md").write_text(
            f"---\ntitle: New {n}\ndate: 2026-05-{rng.randint(1, 28):02d}\ntags: [t{n % 4}]\n---\n\nNew.\n")

    def delete_post():
        candidates = sorted(posts.glob("gen*.md")) + sorted(posts.glob("new*.md"))
        if candidates:
            rng.choice(candidates).unlink()

    def change_config():
        config = site_dir / "publisher.toml"
        config.write_text(config.read_text().replace("Test Hub", f"Test Hub {rng.randint(0, 9)}", 1))

    def change_template():
        templates = site_dir / "themes" / "default" / "templates"
        templates.mkdir(parents=True, exist_ok=True)
        (templates / "tag.html").write_text(
            '{% extends "base.html" %}{% block content %}<h1>' + str(rng.random())
            + ' {{ tag.name }}</h1>{% include "partials/post_list.html" %}{% endblock %}')

    def change_static():
        (site_dir / "static").mkdir(exist_ok=True)
        (site_dir / "static" / "robots-note.txt").write_text(str(rng.random()))

    edits = [edit_body, edit_title, add_post, delete_post, change_config, change_template, change_static]
    for step in range(25):
        rng.choice(edits)()
        cached(site_dir)
        assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean"), f"step {step}"


@ENGINES
def test_parallel_and_serial_builds_are_identical(site_dir: Path, tmp_path: Path, engine: str) -> None:
    use_engine(site_dir, engine)
    posts = site_dir / "content" / "posts"
    for n in range(60):  # above the threshold where the process pool is used
        (posts / f"bulk{n}.md").write_text(
            f"---\ntitle: Bulk {n}\ndate: 2026-03-{n % 28 + 1:02d} {n % 24:02d}:00\ntags: [t{n % 5}]\n---\n\n"
            f"## Part one\n\nText \"{n}\" -- with [a link](first.md)[^1].\n\n```python\nprint({n})\n```\n\n"
            f"## Part two\n\n[^1]: Note {n}.\n")
    serial = tmp_path / "serial"
    parallel = tmp_path / "parallel"
    build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=serial, use_cache=False, workers=1))
    build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, output=parallel, use_cache=False, workers=2))
    assert snapshot(serial) == snapshot(parallel)


def test_switching_engine_renders_everything_again(site_dir: Path, tmp_path: Path) -> None:
    (site_dir / "content" / "posts" / "gfm.md").write_text(
        "---\ntitle: GFM\ndate: 2026-02-01\n---\n\nSee www.example.com and ~~old~~ text.\n")
    cached(site_dir)
    before = (site_dir / "output" / "gfm" / "index.html").read_text()
    use_engine(site_dir, "python-markdown")
    cached(site_dir)
    after = (site_dir / "output" / "gfm" / "index.html").read_text()
    assert "<del>old</del>" in before and "<del>" not in after  # strikethrough is GFM, not Python-Markdown
    assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean")


def test_markdown_rendered_by_other_code_is_rendered_again(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A change to publisher's code (a git install of main, an edit in development) can change what the same
    # Markdown renders to while the version stays the same: the rendered Markdown is kept by the code too.
    from publisher.build import pipeline

    monkeypatch.setattr(pipeline, "_code_digest", lambda: "code-a")
    cached(site_dir)
    kept = list((site_dir / ".publisher-cache" / "markdown").rglob("*"))
    for path in (path for path in kept if path.is_file()):  # what an earlier writer would have made
        rendered = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**rendered, "html": "<p>Rendered by other code.</p>\n"}), encoding="utf-8")
    for path in (site_dir / ".publisher-cache").glob("*-*.*"):  # the model and bodies: read from Markdown again
        if path.name.startswith(("model-", "bodies-")):
            path.unlink()

    def stale_pages() -> list[Path]:
        return [page for page in (site_dir / "output").rglob("*.html")
                if "Rendered by other code." in page.read_text(encoding="utf-8")]

    cached(site_dir)
    assert stale_pages(), "the test's own premise: the same code takes the kept Markdown"
    monkeypatch.setattr(pipeline, "_code_digest", lambda: "code-b")
    cached(site_dir)
    assert not stale_pages()


def test_a_markdown_cache_that_cannot_be_written_fails_no_build(site_dir: Path, tmp_path: Path) -> None:
    cache = site_dir / ".publisher-cache"
    cache.mkdir()
    (cache / "markdown").write_text("a file where the renderings' folder goes\n")
    cached(site_dir)
    assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean")


def in_language(site: Path, language: str) -> None:
    config = site / "publisher.toml"
    text = config.read_text(encoding="utf-8").replace('language = "en"\n', "")
    config.write_text(text.replace("[site]\n", f'[site]\nlanguage = "{language}"\n', 1), encoding="utf-8")


@ENGINES
def test_a_new_language_or_table_renders_the_engines_words_again(site_dir: Path, tmp_path: Path, engine: str) -> None:
    # The words the engines write into bodies are kept with each rendered body: a body kept from an English build
    # (or from before the site's own table) kept its English "Link to this section" on a German site.
    use_engine(site_dir, engine)
    (site_dir / "content" / "posts" / "notes.md").write_text(
        "---\ntitle: Notes\ndate: 2026-02-01\n---\n\n## First part\n\nA claim[^1].\n\n[^1]: The source.\n")
    page = site_dir / "output" / "notes" / "index.html"
    cached(site_dir)
    assert 'title="Link to this section"' in page.read_text()
    in_language(site_dir, "de")
    cached(site_dir)
    assert 'title="Link zu diesem Abschnitt"' in page.read_text()
    assert 'aria-label="Zurück zu Verweis 1"' in page.read_text()
    assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean")
    (site_dir / "i18n").mkdir()
    (site_dir / "i18n" / "de.toml").write_text('heading_link = "Direkt hierher"\n', encoding="utf-8")
    cached(site_dir)
    assert 'title="Direkt hierher"' in page.read_text()
    assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean")


@ENGINES
def test_a_new_language_or_table_gives_the_players_words_again(site_dir: Path, tmp_path: Path, engine: str) -> None:
    # The players of `youtube()` and `embed()` write their words into the body the cache keeps: a body kept from
    # an English build must never leave "Play: …" and "Video" on a German site.
    use_engine(site_dir, engine)
    (site_dir / "content" / "posts" / "watch.md").write_text(
        '---\ntitle: Watch\ndate: 2026-02-01\n---\n\n{{ youtube("abc123", "Wie wir messen") }}\n\n'
        '{{ embed("https://vimeo.com/76979871") }}\n')
    page = site_dir / "output" / "watch" / "index.html"
    cached(site_dir)
    assert "Play: Wie wir messen" in page.read_text() and '<a href="https://vimeo.com/76979871">Video</a>' in (
        page.read_text())
    in_language(site_dir, "de")
    cached(site_dir)
    assert "Abspielen: Wie wir messen" in page.read_text() and "Play:" not in page.read_text()
    assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean")
    (site_dir / "i18n").mkdir()
    (site_dir / "i18n" / "de.toml").write_text('play_video = "Ansehen: {title}"\nvideo = "Film"\n', encoding="utf-8")
    cached(site_dir)
    assert "Ansehen: Wie wir messen" in page.read_text() and "Abspielen" not in page.read_text()
    assert '<a href="https://vimeo.com/76979871">Film</a>' in page.read_text()
    assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean")


def test_a_new_language_or_table_gives_a_ctas_default_button_again(site_dir: Path, tmp_path: Path) -> None:
    # A CTA without `button:` said "Subscribe" on a German site; the inline `cta()` writes it into the post's
    # body, which the cache keeps: switching language must never leave the English button there.
    (site_dir / "content" / "ctas").mkdir()
    (site_dir / "content" / "ctas" / "letter.md").write_text(
        "---\nstage: awareness\nkind: newsletter\nheadline: The next one by email\n"
        "form: {action: 'https://leads.example/in'}\n---\nOne a week.\n")
    (site_dir / "content" / "posts" / "asks.md").write_text(
        '---\ntitle: Asks\ndate: 2026-02-01\n---\n\nFirst.\n\n{{ cta("letter") }}\n\nLast.\n')
    page = site_dir / "output" / "asks" / "index.html"
    cached(site_dir)
    assert 'Subscribe →</a></p></aside>' in page.read_text() and ">Subscribe</button>" in page.read_text()
    in_language(site_dir, "de")
    cached(site_dir)
    assert 'Abonnieren →</a></p></aside>' in page.read_text() and ">Abonnieren</button>" in page.read_text()
    assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean")
    (site_dir / "i18n").mkdir()
    (site_dir / "i18n" / "de.toml").write_text('cta_button_newsletter = "Eintragen"\n', encoding="utf-8")
    cached(site_dir)
    assert 'Eintragen →</a></p></aside>' in page.read_text() and ">Eintragen</button>" in page.read_text()
    assert "Abonnieren" not in page.read_text()
    assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean")


def test_a_tables_new_share_words_reach_share_texts_kept_from_the_last_build(site_dir: Path, tmp_path: Path) -> None:
    # Share texts are fitted once and kept in the cache by their template: the words a template writes are part
    # of that key, or a kept "From the archive:" outlived the site's own table.
    in_language(site_dir, "de")
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write('\n[share.schedule]\nreshare_after = ["2d", "120d"]\n')
    (site_dir / "content" / "posts" / "long.md").write_text(
        "---\ntitle: Long\ndate: 2026-02-01\nsummary: What a long post says.\n---\n\n"
        "Teams that publish every week find their readers again each Monday morning. "
        "A calendar kept in the repository shows every gap before it opens. "
        "Editors who read the numbers each month cut the pieces nobody finishes.\n")
    cached(site_dir)
    share = site_dir / "output" / "share" / "share.json"
    assert "Aus dem Archiv: " in share.read_text()
    (site_dir / "i18n").mkdir()
    (site_dir / "i18n" / "de.toml").write_text('from_the_archive = "Längst erschienen:"\n', encoding="utf-8")
    cached(site_dir)
    assert "Längst erschienen: " in share.read_text() and "Aus dem Archiv" not in share.read_text()
    assert snapshot(site_dir / "output") == clean(site_dir, tmp_path / "clean")
