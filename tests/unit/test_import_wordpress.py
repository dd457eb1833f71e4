"""`publisher import wordpress EXPORT.xml DEST` on a small WordPress export (tests/sites/import/wordpress):
every published post and page at the URL its `<link>` says, WordPress's archives redirected, the old
sitemap's URLs all answered (`publisher check --previous`), bodies made Markdown as WordPress showed them,
and hostile or broken exports refused with one line and nothing written."""

import json
import re
import shutil
import time
from pathlib import Path

import feedparser
import pytest

from publisher.commands.cli import main

FIXTURE = Path(__file__).resolve().parents[1] / "sites" / "import" / "wordpress"
EXPORT = FIXTURE / "export.xml"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))


def output_file(out: Path, url: str) -> Path:
    return out / url.lstrip("/") / "index.html" if url.endswith("/") else out / url.lstrip("/")


def home_rules(out: Path) -> str:
    """The home page's redirects of old URLs with a query: inline, or in the file it loads when they are many."""
    home = (out / "index.html").read_text(encoding="utf-8")
    loaded = re.search(r's\.src="([^"]+)"', home)
    return home if loaded is None else (out / loaded[1].lstrip("/")).read_text(encoding="utf-8")


def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str], export: Path = EXPORT) -> tuple[Path, str]:
    dest = tmp_path / "site"
    assert main(["import", "wordpress", str(export), str(dest)]) == 0, capsys.readouterr().err
    return dest, capsys.readouterr().err


def with_uploads(dest: Path) -> None:
    """What the report asks of the user: the old server's wp-content/uploads/ copied into static/."""
    shutil.copytree(FIXTURE / "uploads", dest / "static" / "wp-content" / "uploads")


def build(dest: Path, *options: str) -> int:
    return main(["build", "--config", str(dest / "publisher.toml"), *options])


def post_text(dest: Path, name: str) -> str:
    return (dest / "content" / "posts" / f"{name}.md").read_text(encoding="utf-8")


def test_every_post_keeps_its_url_and_the_old_sitemap_passes_check(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    dest, _ = imported(tmp_path, capsys)
    with_uploads(dest)
    assert build(dest) == 0, capsys.readouterr().err
    out = dest / "output"
    for url in [*EXPECTED["posts"].values(), *EXPECTED["pages"].values()]:
        assert output_file(out, url).is_file(), f"nothing at {url}"
    for old, new in EXPECTED["redirects"].items():
        assert f"url={new}" in output_file(out, old).read_text(encoding="utf-8"), f"{old} does not lead to {new}"
    redirects = (out / "_redirects").read_text(encoding="utf-8")
    assert "/category/newsletters/ /tags/newsletters/ 301" in redirects
    home = home_rules(out)  # a plain permalink is a query on the home page
    for old, new in EXPECTED["query_redirects"].items():
        assert f'["{old.removeprefix("/?")}","{new}"]' in home, f"{old} does not lead to {new}"
    for name in EXPECTED["drafts"] + EXPECTED["scheduled"]:
        assert not list(out.rglob(f"{name}/index.html")), f"{name} is published"
    capsys.readouterr()
    previous = ["check", "--config", str(dest / "publisher.toml"), "--previous", str(FIXTURE / "old-sitemap.xml")]
    assert main(previous) == 0, capsys.readouterr().err  # links, images, and every URL the old sitemap listed


def test_feed_entries_keep_wordpress_guids_so_subscribers_see_nothing_new(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    dest, _ = imported(tmp_path, capsys)
    with_uploads(dest)
    assert build(dest) == 0
    feed = feedparser.parse((dest / "output" / "feed.xml").read_bytes())
    assert not feed.bozo
    ids = {re.sub(r"^https://journal\.harborpine\.example", "", entry.link): entry.id for entry in feed.entries}
    assert ids == EXPECTED["guids"]  # WordPress's RSS gave each post its guid: the same ids, no post new again


def test_statuses_dates_authors_and_terms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest, report = imported(tmp_path, capsys)
    subject = post_text(dest, "subject-lines")
    assert "date: '2024-06-01 00:30:00 +02:00'" in subject  # local time and offset from post_date(_gmt)
    assert "tags:\n- Email design\n- SEO" in subject and "categories:\n- Newsletters" in subject
    never_dated = post_text(dest, "pricing-page-teardown")  # post_date_gmt 0000-00-00 00:00:00
    assert "draft: true" in never_dated and "date:" not in never_dated
    for name in ("style-guide", "q3-numbers", "raw-survey"):  # pending, private, password-protected
        assert "draft: true" in post_text(dest, name)
    assert "draft" not in post_text(dest, "content-plan-2099")  # future: published on its date
    assert "Uncategorized" not in post_text(dest, "café-notes")  # WordPress's filing of a post without a category
    keyword = post_text(dest, "keyword-maps")
    assert "image: /wp-content/uploads/2024/05/harbor-dawn.png" in keyword  # _thumbnail_id -> the attachment
    assert "summary: How to map phrases to pages, not the other way round." in keyword
    assert "title: Keyword maps & the pages they need" in keyword
    config = (dest / "publisher.toml").read_text(encoding="utf-8")
    assert 'name = "Inès Alvarez"' in config and 'permalink = "/{year}/{month}/{slug}/"' in config
    assert "left out: attachment" in report and "left out: revision" in report and "left out: nav_menu_item" in report
    assert "left out: post (trash)" in report and "left out: wp_block" in report
    assert re.search(r"export\.xml:\d+: \[contact-form-7 id=\"5\" title=\"Ask us\"\] is a plugin's shortcode", report)
    assert "?p=24 (a plain permalink)" in report and "copy that folder" in report
    assert "its aliases: [/?p=24] sends old links there" in report  # not "old links lead to the home page"
    assert "aliases:\n- /?p=24\n" in post_text(dest, "plain-link-post")


def test_bodies_are_markdown_as_wordpress_showed_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest, _ = imported(tmp_path, capsys)
    keyword, subject = post_text(dest, "keyword-maps"), post_text(dest, "subject-lines")
    assert "<!-- wp:" not in keyword and "<!--more-->" in keyword and "## One row per page" in keyword
    assert "```python\ndef pages(rows):" in keyword and "| keyword map | this one \\| the guide |" in keyword
    assert "2024\\. was the year" in keyword  # not a numbered list
    assert "Short subject lines win on phones.\\\nLong ones" in subject  # wpautop's <br />: a hard break
    assert "[the keyword map post](/2024/05/keyword-maps/)" in subject  # `?p=20` -> the post's URL
    assert "<figcaption>What the reader sees first</figcaption>" in subject  # [caption]
    assert "![A phone showing the newsletter's subject line and preview text](/wp-content/uploads/2024/05/inbox.png)" \
        in subject  # [gallery ids="12,13"]: the second image, without a caption
    with_uploads(dest)
    assert build(dest) == 0, capsys.readouterr().err
    out = dest / "output"
    page = output_file(out, "/2024/05/keyword-maps/").read_text(encoding="utf-8")
    assert "Templates print {{ title }} where" in page and "<code>{{ page.title }}</code>" in page  # shown, not run
    assert "youtube-nocookie.com/embed/Hx7mPz4kQ2s" in page  # the embed block: publisher's player
    assert '<input type="checkbox" name="useful">' in page  # the Custom HTML block, as written
    shown = output_file(out, "/2024/06/subject-lines/").read_text(encoding="utf-8")
    assert "<p>We tested three lines" in shown and "player.vimeo.com/video/76979871" in shown  # a lone URL: an embed
    assert "youtube-nocookie.com/embed/Qm3tR8vLp0a" in shown and "<ol>" in shown  # [embed], a classic list
    assert "[contact-form-7" in shown  # left as text, as WordPress without the plugin shows it


def test_a_static_front_page_is_kept_at_its_slug_and_the_home_page_lists_the_posts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.xml"  # Settings → Reading → "A static page": WordPress links it as the home page
    export.write_text(EXPORT.read_text(encoding="utf-8").replace(
        "<link>https://journal.harborpine.example/about/</link>", "<link>https://journal.harborpine.example/</link>"),
        encoding="utf-8")
    dest, report = imported(tmp_path, capsys, export)
    assert "https://journal.harborpine.example/ was the site's front page (page 'About us')" in report
    assert "plain permalink" not in report.split("front page")[0].splitlines()[-1]
    with_uploads(dest)
    assert build(dest) == 0, capsys.readouterr().err
    assert (dest / "output" / "about" / "index.html").is_file()


def test_the_import_is_the_same_bytes_each_time(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first, _ = imported(tmp_path / "a", capsys)
    second, _ = imported(tmp_path / "b", capsys)
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(second) for path in second.rglob("*") if path.is_file())
    assert all((first / name).read_bytes() == (second / name).read_bytes() for name in files)


WXR_HEAD = '<?xml version="1.0"?>\n<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>\n'
LAUGHS = "".join(f'<!ENTITY {b} "{("&" + a + ";") * 10}">\n' for a, b in zip("abcdefgh", "bcdefghi", strict=True))
HOSTILE = {  # the export's text, and what the one line says after the file's name
    "billion laughs": ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n' + LAUGHS
                       + "]>\n<rss><channel><title>&i;</title></channel></rss>\n", ":2: export: a DOCTYPE"),
    "a file through an entity": ('<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "file:///etc/passwd">\n<rss/>\n',
                                 ":2: export: a DOCTYPE"),
    "broken XML": (WXR_HEAD + "<wp:wxr_version>1.2</wp:wxr_version>\n<item><title>Cut</title>\n</channel></rss>\n",
                   ":5: export: not an export that can be read (mismatched tag"),
    "not WXR": ('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>A feed</title></channel></rss>\n',
                ": export: not a WordPress export"),
    "undeclared entity": (WXR_HEAD + "<title>&secret;</title></channel></rss>\n",
                          ":3: export: not an export that can be read (undefined entity"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_or_broken_export_is_one_line_and_nothing_is_written(case: str, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    text, wanted = HOSTILE[case]
    export = tmp_path / "export.xml"
    export.write_text(text, encoding="utf-8")
    started = time.monotonic()
    assert main(["import", "wordpress", str(export), str(tmp_path / "dest")]) == 1
    err = capsys.readouterr().err
    assert time.monotonic() - started < 10
    assert f"export.xml{wanted}" in err, err
    assert "Traceback" not in err and len([line for line in err.splitlines() if "export.xml" in line]) == 1
    assert not (tmp_path / "dest").exists()


def test_control_characters_wordpress_left_in_an_export_are_dropped_and_counted(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "export.xml"
    export.write_bytes(EXPORT.read_bytes().replace(b"Nobody reads over", b"Nobody\x0b reads\x1f over"))
    dest, report = imported(tmp_path, capsys, export)
    assert "Nobody reads over" in post_text(dest, "café-notes")
    assert "export.xml: 2 control characters that XML forbids were left out" in report


def test_a_large_export_is_read_item_by_item(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """2,000 posts (an export of 9 MB): each item is kept once it ends; the import takes seconds, not minutes."""
    text = EXPORT.read_text(encoding="utf-8")
    start, end = text.index("\t<item>"), text.index("</channel>")
    post = re.search(r"\t<item>\s*<title><!\[CDATA\[Launch recap.*?</item>\n", text, re.DOTALL)
    assert post is not None
    many = "".join(post.group(0).replace("launch-recap", f"launch-recap-{n}").replace("?p=23", f"?p={1000 + n}")
                   .replace("three numbers.", "three numbers. " + "More words. " * 300)
                   for n in range(2000))
    export = tmp_path / "export.xml"
    export.write_text(text[:start] + many + text[end:], encoding="utf-8")
    started = time.monotonic()
    dest, report = imported(tmp_path, capsys, export)
    assert time.monotonic() - started < 120
    assert "Imported 2000 posts" in report
    assert "More words." in post_text(dest, "launch-recap-1999")


def test_a_post_nested_thousands_deep_is_imported_with_its_text(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Pasted or hostile HTML 5,000 `<div>`s deep: the converter's recursion stopped the import with a traceback;
    the tags past 64 levels are taken out, the text kept, and the report says so."""
    export = tmp_path / "export.xml"
    deep = "<div>" * 5000 + "Nobody reads over" + "</div>" * 5000  # in the post's CDATA
    text = EXPORT.read_text(encoding="utf-8")
    assert text.count("Nobody reads over") == 1
    export.write_text(text.replace("Nobody reads over", deep), encoding="utf-8")
    dest, report = imported(tmp_path, capsys, export)
    assert "Nobody reads over" in post_text(dest, "café-notes")
    assert "tags nested past 64 levels (taken out, their text kept)" in report


def test_a_video_shortcode_is_the_browsers_player_not_a_link_around_its_poster() -> None:
    """markdownify's own <video> conversion made `[video]` a link around its poster image; it is kept as HTML."""
    from publisher.importing.wordpress_body import BodySite, convert_body

    body = convert_body('<!-- wp:shortcode -->[video src="/wp-content/uploads/tour.mp4" poster="/p.png"]'
                        "<!-- /wp:shortcode -->", "1", BodySite({}, frozenset(), {}))
    assert '<video controls="" poster="/p.png" preload="metadata" src="/wp-content/uploads/tour.mp4"></video>' \
        in body.markdown, body.markdown


def test_template_code_in_a_custom_html_block_is_shown_as_written_not_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Custom HTML block holding a Vue or Handlebars snippet was restored after the escaping of `{{`: publisher
    ran it, and the build stopped on `user` being undefined (a blog's template code running in publisher's)."""
    export = tmp_path / "export.xml"
    snippet = '<div id="app">Hello, {{ user.name }}! {% if admin %}Admin{% endif %}</div>'
    export.write_text(EXPORT.read_text(encoding="utf-8").replace(
        '<small>No data leaves the page.</small>', snippet), encoding="utf-8")
    dest, _ = imported(tmp_path, capsys, export)
    with_uploads(dest)
    assert build(dest) == 0, capsys.readouterr().err
    page = output_file(dest / "output", "/2024/05/keyword-maps/").read_text(encoding="utf-8")
    assert snippet in page


def test_every_feed_wordpress_served_still_answers_with_publishers(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """WordPress serves the site's feed at `/feed/` and in each format at `/feed/atom/`, `/feed/rss2/`…, and each
    category's and tag's at `/category/newsletters/feed/` (get_term_feed_link); only `/feed/` was redirected, so
    a reader subscribed to the Atom feed or to one topic lost it (and `/?feed=atom` gave an Atom reader RSS)."""
    dest, _ = imported(tmp_path, capsys)
    with_uploads(dest)
    assert build(dest) == 0, capsys.readouterr().err
    wanted = {"/feed/atom/": "/atom.xml", "/feed/rss2/": "/feed.xml", "/tag/seo/feed/": "/tags/seo/feed.xml",
              "/category/newsletters/feed/": "/tags/newsletters/feed.xml",
              "/category/guides/search/feed/atom/": "/tags/search/atom.xml"}
    out = dest / "output"
    for old, new in wanted.items():
        assert f"url={new}" in output_file(out, old).read_text(encoding="utf-8"), f"{old} does not lead to {new}"
        assert f"{old} {new} 301" in (out / "_redirects").read_text(encoding="utf-8")
        assert feedparser.parse(output_file(out, new).read_bytes()).entries, f"{new} is no feed with posts"
    home = home_rules(out)  # a plain permalinks site's `/?feed=atom` too
    assert '["feed=atom","/atom.xml"]' in home
    old_urls = tmp_path / "old-urls.txt"
    old_urls.write_text("".join(f"https://journal.harborpine.example{old}\n" for old in wanted), encoding="utf-8")
    capsys.readouterr()
    previous = ["check", "--config", str(dest / "publisher.toml"), "--previous", str(old_urls)]
    assert main(previous) == 0, capsys.readouterr().err


def test_a_script_pasted_into_a_classic_post_is_kept_as_html() -> None:
    """A tweet or a newsletter form pasted as its embed code is a `<blockquote>` and the `<script>` that draws it;
    markdownify's own conversion drops scripts, so the embed was a bare quote on the new site."""
    from publisher.importing.wordpress_body import BodySite, convert_body

    tweet = ('<blockquote class="twitter-tweet"><p>Ship it.</p></blockquote>\n'
             '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
    body = convert_body(tweet, "1", BodySite({}, frozenset(), {}))
    assert '<script async="" src="https://platform.twitter.com/widgets.js"></script>' in body.markdown, body.markdown
    assert body.converted["<script> (kept as HTML)"] == 1


def test_permalinks_without_a_last_slash_keep_every_url_and_every_link(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """A site whose permalinks end without a slash (`/%postname%`): the page `/about` sits beside its subpage
    `/about/team` (about.html beside a folder about/), and the bodies link `/about/`, which WordPress sent on to
    `/about`. `check --previous` found `/about` dead, and those links resolved to nothing."""
    slashless = re.compile(r"(<(?:link|loc)>https://journal\.harborpine\.example/[^<]*[^/<])/(</(?:link|loc)>)")
    export, sitemap = tmp_path / "export.xml", tmp_path / "old-sitemap.xml"
    export.write_text(slashless.sub(r"\1\2", EXPORT.read_text(encoding="utf-8")), encoding="utf-8")
    sitemap.write_text(slashless.sub(r"\1\2", (FIXTURE / "old-sitemap.xml").read_text(encoding="utf-8")),
                       encoding="utf-8")
    dest, _ = imported(tmp_path, capsys, export)
    with_uploads(dest)
    assert "](/about)" in (dest / "content" / "posts" / "subject-lines.md").read_text(encoding="utf-8")
    assert main(["check", "--config", str(dest / "publisher.toml"), "--previous", str(sitemap)]) == 0, \
        capsys.readouterr().out


def archive_export(tmp_path: Path, copies: int = 23) -> Path:
    """The fixture with `copies` more posts like "Launch recap" (Newsletters, tagged SEO, by tobias, comments
    open), dated 1 to 23 March 2023: archives of several pages each."""
    text = EXPORT.read_text(encoding="utf-8")
    post = re.search(r"\t<item>\s*<title><!\[CDATA\[Launch recap.*?</item>\n", text, re.DOTALL)
    assert post is not None
    tagged = '<category domain="post_tag" nicename="seo"><![CDATA[SEO]]></category>\n\t</item>'
    many = "".join(post.group(0).replace("launch-recap", f"launch-recap-{n}").replace("?p=23", f"?p={1000 + n}")
                   .replace("2024-08-05", f"2023-03-{n:02d}").replace("[closed]", "[open]")
                   .replace("</item>", tagged) for n in range(1, copies + 1))
    export = tmp_path / "export.xml"
    start = text.index("\t<item>")
    export.write_text(text[:start] + many + text[start:], encoding="utf-8")
    return export


def test_wordpress_lists_beside_the_sitemap_still_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """WordPress served pages 2… of every archive (get_pagenum_link: `/category/newsletters/page/2/`), date
    archives (get_year_link…: `/2023/`, `/2023/03/`, `/2023/03/05/`) and comment feeds (`/comments/feed/`,
    get_post_comments_feed_link: `/news/launch-recap-3/feed/`), which no sitemap lists: each was a 404 after the
    move. Each now leads to a page publisher publishes (`check` follows every redirect page's link), and only
    as many pages as the posts filled at WordPress's default of 10 a page are redirected."""
    dest, report = imported(tmp_path, capsys, archive_export(tmp_path))
    with_uploads(dest)
    assert build(dest) == 0, capsys.readouterr().err
    out = dest / "output"
    wanted = {"/category/newsletters/page/2/": "/tags/newsletters/", "/category/newsletters/page/3/":
              "/tags/newsletters/", "/tag/seo/page/3/": "/tags/seo/", "/author/tobias/page/3/": "/authors/tobias/",
              "/2023/": "/archive/#y2023", "/2023/page/3/": "/archive/#y2023", "/2023/03/": "/archive/#y2023",
              "/2023/03/page/2/": "/archive/#y2023", "/2023/03/05/": "/archive/#y2023",
              "/2024/05/10/": "/archive/#y2024",  # a date archive lands on its year there
              "/comments/feed/": "/feed.xml", "/news/launch-recap-3/feed/": "/news/launch-recap-3/"}
    for old, new in wanted.items():
        assert f"url={new}" in output_file(out, old).read_text(encoding="utf-8"), f"{old} does not lead to {new}"
    assert feedparser.parse(output_file(out, "/feed.xml").read_bytes()).entries
    for past_the_posts in ("/category/newsletters/page/4/", "/tag/seo/page/4/", "/2023/page/4/", "/2023/03/05/page/2/",
                           "/2022/", "/news/launch-recap/feed/"):  # no more pages; no posts then; comments closed
        assert not output_file(out, past_the_posts).exists(), f"{past_the_posts} is redirected"
    assert (out / "page" / "3" / "index.html").is_file()  # the home's pages: publisher's own, 10 posts a page
    assert "posts_per_page = 10" in (dest / "publisher.toml").read_text(encoding="utf-8")
    assert re.search(r"\b6  redirects: WordPress's pages 2… of the category, tag and author archives", report)
    assert "at 10 posts a page (WordPress's default" in report
    home = home_rules(out)  # a plain permalinks site's date archives
    assert '["m=202303","/archive/#y2023"]' in home
    old_urls = tmp_path / "old-urls.txt"
    old_urls.write_text("".join(f"https://journal.harborpine.example{old}\n"
                                for old in [*wanted, "/page/2/", "/page/3/", "/?m=2023"]), encoding="utf-8")
    capsys.readouterr()
    previous = ["check", "--config", str(dest / "publisher.toml"), "--previous", str(old_urls)]
    assert main(previous) == 0, capsys.readouterr().err


def test_a_plain_permalinks_sites_term_feeds_lead_to_the_terms_feeds(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """With plain permalinks WordPress linked a tag's feed as `/?feed=rss2&tag=seo` and a category's as
    `/?feed=rss2&cat=6` (get_term_feed_link). The import wrote `/?tag=seo/feed` instead, which no one asks for,
    so those subscribers were sent to the site's feed (`/?feed=rss2`) or to the tag's HTML page."""
    dest, _ = imported(tmp_path, capsys)
    settings = (dest / "publisher.toml").read_text(encoding="utf-8")
    assert "/?tag=seo/feed" not in settings
    with_uploads(dest)
    assert build(dest) == 0, capsys.readouterr().err
    home = home_rules(dest / "output")
    for rule in ('["feed=rss2&tag=seo","/tags/seo/feed.xml"]', '["feed=atom&tag=seo","/tags/seo/atom.xml"]',
                 '["cat=6&feed=rss2","/tags/newsletters/feed.xml"]'):
        assert rule in home, rule
