"""`publisher import ghost EXPORT.json DEST` on a small Ghost export (tests/sites/import/ghost): every published
post and page at Ghost's `/{slug}/`, Ghost's archives and feed redirected, the old sitemap's URLs all answered
(`publisher check --previous`), members' posts kept as drafts, bodies made Markdown as Ghost showed them, and
broken or hostile exports refused with one line and nothing written."""

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import feedparser
import pytest

from publisher.commands.cli import main
from publisher.importing.ghost_body import convert_html, convert_plaintext

FIXTURE = Path(__file__).resolve().parents[1] / "sites" / "import" / "ghost"
EXPORT = FIXTURE / "export.json"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
URL = "https://notes.northwind.example/"


def output_file(out: Path, url: str) -> Path:
    return out / url.lstrip("/") / "index.html" if url.endswith("/") else out / url.lstrip("/")


def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str], export: Path = EXPORT) -> tuple[Path, str]:
    dest = tmp_path / "site"
    assert main(["import", "ghost", str(export), str(dest), "--url", URL]) == 0, capsys.readouterr().err
    return dest, capsys.readouterr().err


def with_images(dest: Path) -> None:
    """What the report asks of the user: Ghost's content/images/ copied into static/."""
    shutil.copytree(FIXTURE / "content", dest / "static" / "content")


def build(dest: Path, *options: str) -> int:
    return main(["build", "--config", str(dest / "publisher.toml"), *options])


def post_text(dest: Path, name: str, folder: str = "posts") -> str:
    return (dest / "content" / folder / f"{name}.md").read_text(encoding="utf-8")


def test_every_post_keeps_its_url_and_the_old_sitemap_passes_check(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    dest, _ = imported(tmp_path, capsys)
    with_images(dest)
    assert build(dest) == 0, capsys.readouterr().err
    out = dest / "output"
    for url in [*EXPECTED["posts"].values(), *EXPECTED["pages"].values()]:
        assert output_file(out, url).is_file(), f"nothing at {url}"
    for old, new in EXPECTED["redirects"].items():
        assert f"url={new}" in output_file(out, old).read_text(encoding="utf-8"), f"{old} does not lead to {new}"
    assert "/rss/ /feed.xml 301" in (out / "_redirects").read_text(encoding="utf-8")
    for name in EXPECTED["drafts"] + EXPECTED["scheduled"]:
        page = out / name / "index.html"
        assert not page.is_file() or "January: 1,204" not in page.read_text(encoding="utf-8"), f"{name} is out"
    capsys.readouterr()
    previous = ["check", "--config", str(dest / "publisher.toml"), "--previous", str(FIXTURE / "old-sitemap.xml")]
    assert main(previous) == 0, capsys.readouterr().err  # links, images, and every URL Ghost's sitemaps listed


def test_a_members_post_is_a_draft_whose_url_waits_for_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Ghost's sitemap lists members' posts (their pages showed a preview): their URLs redirect home while they
    are drafts, and `--drafts` shows the post there, not the redirect."""
    dest, report = imported(tmp_path, capsys)
    for name in ("subscriber-numbers", "pricing-teardown"):
        assert "draft: true" in post_text(dest, name)
    assert re.search(r"export\.json: 'Subscriber numbers, month by month' \(post /subscriber-numbers/\) was for "
                     r"members only in Ghost; imported as a draft \(a static site cannot keep it", report)
    assert "'The full pricing teardown' (post /pricing-teardown/) was for paying members only" in report
    with_images(dest)
    assert build(dest, "--drafts") == 0, capsys.readouterr().err
    shown = (dest / "output" / "subscriber-numbers" / "index.html").read_text(encoding="utf-8")
    assert "January: 1,204" in shown and "url=/\"" not in shown


def test_statuses_dates_authors_tags_and_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest, report = imported(tmp_path, capsys)
    keyword = post_text(dest, "keyword-to-pages")
    assert "date: '2024-05-02 10:30:00 +02:00'" in keyword  # 08:30 UTC in the site's Europe/Berlin
    assert "updated: '2024-06-10 14:00:00 +02:00'" in keyword
    assert "authors:\n- lena\n- marco-ruiz\n" in keyword  # posts_authors, in their sort_order
    assert "tags:\n- Content Strategy\n- SEO\n" in keyword and "featured-home" not in keyword  # #internal left out
    assert "summary: 'One search, one page: the sheet we keep and why.'" in keyword  # custom_excerpt
    assert "image: /content/images/2024/05/cover.png" in keyword  # __GHOST_URL__ -> the site's root
    assert "image_alt: A harbour at dawn, the cover of the keyword post" in keyword  # posts_meta
    calendar = post_text(dest, "editorial-calendar-video")
    assert "canonical: https://medium.example/@northwind/editorial-calendar" in calendar
    assert "draft: true" in post_text(dest, "autumn-plan") and "date:" not in post_text(dest, "autumn-plan")
    assert "draft: true" in post_text(dest, "march-letter")  # sent: a newsletter, never on the site
    assert "draft" not in post_text(dest, "content-plan-2099")  # scheduled: published on its date
    assert "date: '2099-01-05 10:00:00 +01:00'" in post_text(dest, "content-plan-2099")
    assert "title: About Northwind Notes" in post_text(dest, "about", "pages")
    config = (dest / "publisher.toml").read_text(encoding="utf-8")
    for line in ('title = "Northwind Notes"', 'url = "https://notes.northwind.example/"',
                 'description = "Field notes on content that earns its keep."', 'language = "en"',
                 'timezone = "Europe/Berlin"', 'permalink = "/{slug}/"', '[authors.lena]\nname = "Lena Okafor"',
                 '[[nav]]\ntitle = "About"\nurl = "/about/"'):
        assert line in config
    assert "lena@northwind.example" not in config  # the export holds the staff's emails; the site does not
    assert "internal tags (#featured-home), which Ghost never showed, are not imported as tags" in report
    assert "'The March letter' was a newsletter sent by email only" in report
    assert "'Written before the HTML was saved' has only its lexical source" in report
    assert "copy Ghost's content/images/ folder into static/content/images/" in report
    assert "code injection" in report and "Ghost bookmark cards" in report


def test_bodies_are_markdown_as_ghost_showed_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest, _ = imported(tmp_path, capsys)
    keyword, calendar = post_text(dest, "keyword-to-pages"), post_text(dest, "editorial-calendar-video")
    assert "[editorial calendar walkthrough](/editorial-calendar-video/)" in keyword  # __GHOST_URL__ links
    assert "## One row per page" in keyword and "2024. was the year we stopped guessing" in keyword
    assert "```python\ndef pages(rows):" in keyword
    assert "Kept as text.\n\nA second paragraph, with a \\* star." in post_text(dest, "lexical-only")
    assert "```yaml\nweek: 19" in calendar and "![The board on Friday](/content/images/2024/05/board-2.png)" in calendar
    with_images(dest)
    assert build(dest) == 0, capsys.readouterr().err
    page = output_file(dest / "output", "/keyword-to-pages/").read_text(encoding="utf-8")
    assert "<figcaption>The sheet, trimmed to six rows</figcaption>" in page and "srcset=\"/content" not in page
    assert '<a href="https://developers.example.org/search/intent-guide">A field guide to search intent</a>' in page
    assert "Templates print {{ title }} where" in page  # shown, not run
    assert "<details>\n<summary>What about pages with no phrase?</summary>" in page and "<svg" not in page
    shown = output_file(dest / "output", "/editorial-calendar-video/").read_text(encoding="utf-8")
    assert "youtube-nocookie.com/embed/Hx7mPz4kQ2s" in shown  # the embed card: publisher's player
    assert '<table class="plan">' in shown  # the HTML card, as written
    feed = feedparser.parse((dest / "output" / "feed.xml").read_bytes())
    assert not feed.bozo and {entry.link for entry in feed.entries} == {
        URL.rstrip("/") + path for path in EXPECTED["posts"].values()}


CARDS = {  # a card as Ghost renders it, and what its Markdown holds
    "image without a caption": (('<figure class="kg-card kg-image-card"><img src="__GHOST_URL__/content/images/a.png" '
                                'class="kg-image" alt="A chart" srcset="x 600w"></figure>'),
                                "![A chart](/content/images/a.png)"),
    "bookmark": (('<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="https://x.example/'
                 'p"><div class="kg-bookmark-content"><div class="kg-bookmark-title">Pricing "pages"</div>'
                 '<div class="kg-bookmark-description">Why.</div></div></a></figure>'),
                 '{{ embed("https://x.example/p", "Pricing \\"pages\\"") }}\n\nWhy.'),
    "vimeo embed": (('<figure class="kg-card kg-embed-card"><iframe src="https://player.vimeo.com/video/76979871?h=1" '
                    'title="Tour"></iframe></figure>'), '{{ embed("https://vimeo.com/76979871", "Tour") }}'),
    "other embed": (('<figure class="kg-card kg-embed-card"><blockquote class="twitter-tweet"><a href="https://x.com/a/'
                    'status/1">A post</a></blockquote></figure>'), '<blockquote class="twitter-tweet">'),
    "callout": (('<div class="kg-card kg-callout-card kg-callout-card-grey"><div class="kg-callout-emoji">⚠️</div>'
                '<div class="kg-callout-text">Back up <em>first</em>.</div></div>'), "> ⚠️ Back up *first*."),
    "button": (('<div class="kg-card kg-button-card kg-align-left"><a href="__GHOST_URL__/signup/" class="kg-btn '
               'kg-btn-accent">Join</a></div>'), "[Join](/signup/)"),
    "header (second design)": (('<div class="kg-card kg-header-card kg-v2"><div class="kg-header-card-content"><div '
                               'class="kg-header-card-text"><h2 class="kg-header-card-heading"><span>Big news</span>'
                               '</h2><p class="kg-header-card-subheading"><span>Small print</span></p></div></div>'
                               '</div>'), "## Big news\n\nSmall print"),
    "code with a caption": (('<figure class="kg-card kg-code-card"><pre><code class="language-bash">ls -la\n</code>'
                            '</pre><figcaption>List it all</figcaption></figure>'),
                            "```bash\nls -la\n```\n\nList it all"),
    "video": (('<figure class="kg-card kg-video-card"><div class="kg-video-container"><video src="__GHOST_URL__/'
              'content/media/a.mp4" poster="https://img.spacergif.org/v1/1x1/0a/spacer.png" playsinline></video>'
              '<div class="kg-video-overlay"><button class="kg-video-large-play-icon"><svg></svg></button></div>'
              '</div></figure>'), 'preload="metadata" src="/content/media/a.mp4"'),
    "audio": (('<div class="kg-card kg-audio-card"><div class="kg-audio-player-container"><audio src="__GHOST_URL__/'
              'content/media/a.mp3" preload="metadata"></audio><div class="kg-audio-title">Episode 4</div><div '
              'class="kg-audio-player"><button class="kg-audio-play-icon"><svg></svg></button></div></div></div>'),
              'preload="metadata" src="/content/media/a.mp3"></audio>\n\nEpisode 4'),
    "file": (('<div class="kg-card kg-file-card"><a class="kg-file-card-container" href="__GHOST_URL__/content/'
             'files/plan.pdf" title="Download" download><div class="kg-file-card-contents"><div class="kg-file-'
             'card-title">The plan</div><div class="kg-file-card-metadata"><div class="kg-file-card-filename">'
             'plan.pdf</div></div></div><div class="kg-file-card-icon"><svg></svg></div></a></div>'),
             "[The plan](/content/files/plan.pdf)"),
    "signup": (('<div class="kg-card kg-signup-card"><h2>Subscribe</h2><form data-members-form><input '
               'data-members-email></form></div>'), ""),
    "own host": ('<p><a href="https://www.notes.northwind.example/about/">About</a></p>', "[About](/about/)"),
}


@pytest.mark.parametrize("card", CARDS)
def test_each_ghost_card_becomes_markdown_a_shortcode_or_kept_html(card: str) -> None:
    html, wanted = CARDS[card]
    markdown = convert_html(html, frozenset({"notes.northwind.example", "www.notes.northwind.example"})).markdown
    assert wanted in markdown if wanted else markdown == "", markdown
    assert "kg-" not in markdown.replace("kg-card", "") or card == "other embed"
    assert "<svg" not in markdown and "__GHOST_URL__" not in markdown


def test_text_that_reads_as_syntax_stays_text() -> None:
    body = convert_html("<p>{% raw %} and 1. not a list</p><!--members-only--><p>[x](y)</p>", frozenset())
    assert body.markdown == '{{ "{%" }} raw %} and 1. not a list\n\n\\[x\\](y)\n'
    assert body.converted == Counter({"<!--members-only--> (the preview's end: left out)": 1})
    assert convert_plaintext("<b>bold?</b>\n\n# not a heading").markdown == "\\<b>bold?\\</b>\n\n\\# not a heading\n"


BROKEN = {  # the file's bytes, and what the one line says after the file's name
    "broken JSON": (b'{"db": [{"meta": {},\n "data": {"posts": [}]}\n',
                    ":2: export: is not valid JSON (Expecting value"),
    "not a Ghost export": (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}',
                           ": export: is not a Ghost export (no db[0].data.posts"),
    "nested past any export": (b"[" * 100_000 + b"]" * 100_000, ": export: is nested too deeply to read"),
    "not UTF-8": (b'\xff\xfe{"db": []}', ": export: is not UTF-8 text"),
}


@pytest.mark.parametrize("case", [*BROKEN, "huge"])
def test_a_broken_or_huge_export_is_one_line_and_nothing_is_written(case: str, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.json"
    if case == "huge":  # 600 MB without writing them: a sparse file (the size is read before any byte)
        with export.open("wb") as file:
            file.truncate(600 * 1024 * 1024)
        wanted = ": export: is 600 MB, more than an export of 512 MB can be read"
    else:
        data, wanted = BROKEN[case]
        export.write_bytes(data)
    assert main(["import", "ghost", str(export), str(tmp_path / "dest")]) == 1
    err = capsys.readouterr().err
    assert f"export.json{wanted}" in err, err
    assert "Traceback" not in err and len([line for line in err.splitlines() if "export.json" in line]) == 1
    assert not (tmp_path / "dest").exists()


def test_hostile_content_is_imported_as_text_inside_dest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`</script>` in a title, a slug climbing out of DEST, HTML 5,000 tags deep, and fields of types Ghost never
    writes: imported, built, and nothing written outside DEST."""
    data = json.loads(EXPORT.read_text(encoding="utf-8"))
    posts = data["db"][0]["data"]["posts"]
    posts[0]["title"] = "Maps </script><script>alert(1)</script>"
    posts[1]["slug"] = "../../etc"
    posts[7]["html"] = "<div>" * 5000 + "Deep words" + "</div>" * 5000
    posts.append({"id": 7, "title": ["a"], "status": {"x": 1}, "slug": None})  # left out, counted
    data["db"][0]["data"]["posts_tags"].append("not a row")
    export = tmp_path / "hostile.json"
    export.write_text(json.dumps(data), encoding="utf-8")
    dest, report = imported(tmp_path, capsys, export)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["hostile.json", "site"]
    assert "has the slug '../../etc', which is no URL segment: imported as 'etc'" in report
    assert "Deep words" in post_text(dest, "lexical-only") and "tags nested past 64 levels" in report
    assert "left out: post (no status)" in report
    with_images(dest)
    capsys.readouterr()
    assert build(dest) == 0, capsys.readouterr().err
    page = output_file(dest / "output", "/keyword-to-pages/").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert (dest / "output" / "etc" / "index.html").is_file()


def test_the_import_is_the_same_bytes_each_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, _ = imported(tmp_path / "a", capsys)
    second, _ = imported(tmp_path / "b", capsys)
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file())
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files)


def test_without_url_the_report_asks_for_it_and_the_help_names_ghost(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", "ghost", str(EXPORT), str(tmp_path / "site")]) == 0
    assert "an export does not hold the site's address: set [site] url" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    assert "ghost" in capsys.readouterr().out


def test_feed_items_keep_ghosts_guids_so_subscribers_see_nothing_new(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Ghost's RSS gave each post its database id as `<guid isPermaLink="false">` (generate-feed.js: `guid:
    post.id`); feed readers know a post by its guid (NetNewsWire's technote on reruns names a move off Ghost).
    publisher gave each the permalink, so every imported post was new again. Atom's id must be an IRI: a
    `urn:uuid:` made from the guid, the same each build."""
    export = json.loads(EXPORT.read_text(encoding="utf-8"))
    ids = {row["slug"]: row["id"] for row in export["db"][0]["data"]["posts"]}
    dest, _ = imported(tmp_path, capsys)
    with_images(dest)
    assert build(dest) == 0, capsys.readouterr().err
    out = dest / "output"
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    assert not rss.bozo and len(rss.entries) == len(EXPECTED["posts"])
    for entry in rss.entries:
        assert entry.id == ids[entry.link.rstrip("/").rsplit("/", 1)[-1]] and entry.guidislink is False
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert sorted(item["id"] for item in items) == sorted(entry.id for entry in rss.entries)
    atom = feedparser.parse((out / "atom.xml").read_bytes())
    atom_ids = [entry.id for entry in atom.entries]
    assert not atom.bozo and all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", found) for found in atom_ids), atom_ids
    assert len(set(atom_ids)) == len(atom_ids)
    (out / "atom.xml").unlink()
    assert build(dest) == 0
    assert [entry.id for entry in feedparser.parse((out / "atom.xml").read_bytes()).entries] == atom_ids


def many_posts_export(tmp_path: Path, copies: int = 12) -> Path:
    """The fixture with `copies` more public posts like "editorial-calendar-video" (tagged content-strategy, by
    marco-ruiz): archives of several pages at Ghost's default of 5 posts a page."""
    export = json.loads(EXPORT.read_text(encoding="utf-8"))
    data = export["db"][0]["data"]
    model = next(row for row in data["posts"] if row["slug"] == "editorial-calendar-video")
    for n in range(1, copies + 1):
        post_id = f"{model['id'][:-4]}{9000 + n}"
        data["posts"].append({**model, "id": post_id, "uuid": f"{model['uuid'][:-4]}{9000 + n}",
                              "slug": f"calendar-{n}", "title": f"Calendar {n}",
                              "published_at": f"2024-02-{n:02d}T07:00:00.000Z"})
        data["posts_tags"].append({"id": f"pt{n}", "post_id": post_id, "tag_id": "6630a1f0c2b5d1001a7e0401",
                                   "sort_order": 0})
        data["posts_authors"].append({"id": f"pa{n}", "post_id": post_id, "author_id": "6630a1f0c2b5d1001a7e0302",
                                      "sort_order": 0})
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    return path


def test_ghost_pages_of_archives_and_author_feeds_still_answer(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Ghost serves pages 2… of the home, tag and author archives (`/page/2/`, `/tag/x/page/2/`,
    `/author/x/page/2/`, its docs' routing: 5 posts a page unless the theme says more) and each author's feed
    (`/author/x/rss/`: TaxonomyRouter mounts an RSS router on every taxonomy); none is in its sitemap, and each
    was a 404 after the move (the home's past page 2, as publisher showed 10 posts a page)."""
    dest, report = imported(tmp_path, capsys, many_posts_export(tmp_path))
    with_images(dest)
    assert build(dest) == 0, capsys.readouterr().err
    out = dest / "output"
    wanted = {"/tag/content-strategy/page/2/": "/tags/content-strategy/",
              "/tag/content-strategy/page/3/": "/tags/content-strategy/",
              "/author/marco-ruiz/page/3/": "/authors/marco-ruiz/", "/author/marco-ruiz/rss/": "/feed.xml",
              "/author/lena/rss/": "/feed.xml"}
    for old, new in wanted.items():
        assert f"url={new}" in output_file(out, old).read_text(encoding="utf-8"), f"{old} does not lead to {new}"
    for past_the_posts in ("/tag/content-strategy/page/4/", "/author/marco-ruiz/page/4/", "/tag/seo/page/2/"):
        assert not output_file(out, past_the_posts).exists(), f"{past_the_posts} is redirected"
    assert (out / "page" / "3" / "index.html").is_file()  # 15 public posts at Ghost's 5 a page: 3 pages
    assert "posts_per_page = 5" in (dest / "publisher.toml").read_text(encoding="utf-8")
    assert re.search(r"\b4  redirects: pages 2… of Ghost's tag and author archives", report)
    old_urls = tmp_path / "old-urls.txt"
    old_urls.write_text("".join(f"{URL.rstrip('/')}{old}\n" for old in [*wanted, "/page/2/", "/page/3/"]),
                        encoding="utf-8")
    capsys.readouterr()
    previous = ["check", "--config", str(dest / "publisher.toml"), "--previous", str(old_urls)]
    assert main(previous) == 0, capsys.readouterr().err
