"""A site written on a Mac or a Windows laptop builds on Linux CI as it did there: file names' case and Unicode
form, and what the other systems write, lose no page and break no link."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import html5lib
import pytest
from PIL import Image

from publisher.build.pipeline import BuildOptions, build
from publisher.content.links import srcset_urls
from publisher.core.errors import BuildFailed
from publisher.images.cards import HEIGHT, WIDTH
from publisher.importing.reading import read_data_file

from ..conftest import snapshot
from .test_cards import card
from .test_responsive_images import images_of

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def run(site: Path) -> tuple[dict[str, bytes], list[str]]:
    """The built output's files, and the warnings, as lines."""
    report = build(BuildOptions(config=site / "publisher.toml", now=NOW))
    return snapshot(report.output_dir), [str(w) for w in report.warnings]


def add_post(site: Path, name: str, front: str, body: str = "Body.") -> None:
    (site / "content" / "posts" / name).write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")


def test_a_source_whose_extension_is_in_capitals_is_a_post_and_links_reach_it(site_dir: Path) -> None:
    """`Launch.MD` (as Windows tools and some Mac editors save it) was left out without a word: the page was lost,
    and a link to it pointed nowhere. Jekyll reads Markdown extensions in any case."""
    add_post(site_dir, "Launch.MD", "title: Launch\ndate: 2026-01-01")
    add_post(site_dir, "notes.Markdown", "title: Notes\ndate: 2026-01-02", "See [the launch](Launch.MD).")
    out, warnings = run(site_dir)
    assert "launch/index.html" in out and "notes/index.html" in out
    assert b'href="/launch/"' in out["notes/index.html"]
    assert warnings == []


def test_every_srcset_copy_of_an_image_named_with_hash_percent_or_question_mark_is_a_file_of_the_site(
        site_dir: Path) -> None:
    """A photo saved as `big pic #1.png` (Finder and Explorer allow `#`, `%`, `?` is Linux's only) got copies
    listed as `/img/big%20pic%20#1-480w-….webp`: the browser fetched `/img/big%20pic%20`, the rest being a
    fragment, and showed no image at that width. Each candidate, read as a browser reads a URL, is a file."""
    names = ["big pic #1.png", "100%.png", "why?.png"]
    for name in names:
        path = site_dir / "static" / "img" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (1600, 900), "teal").save(path)
    body = " ".join(f"![{n}](/img/{quote(n)})" for n in names)
    add_post(site_dir, "pics.md", "title: Pics\ndate: 2026-01-01", body)
    out, _ = run(site_dir)
    images = [img for img in images_of(out["pics/index.html"]) if img["alt"] in names]
    assert len(images) == 3
    for img in images:
        candidates = srcset_urls(img["srcset"])
        assert len(candidates) == 4, img
        for url in candidates:
            parts = urlsplit(url)
            assert not parts.fragment and not parts.query, url
            assert unquote(parts.path).lstrip("/") in out, url


def test_static_files_whose_names_differ_only_in_case_are_one_line_naming_the_file(site_dir: Path) -> None:
    """`static/Img/logo.png` beside `static/img/logo.png`, or a `static/FEED.XML` beside the feed publisher writes,
    built on a Mac or Windows as one file (the last written won, without a word) and on Linux as two: the same
    commit made different sites. Now it is an error there and here, naming the file."""
    (site_dir / "static" / "img").mkdir(parents=True)
    (site_dir / "static" / "Img").mkdir()
    (site_dir / "static" / "img" / "logo.txt").write_text("one")
    (site_dir / "static" / "Img" / "logo.txt").write_text("two")
    assert cli_error(site_dir) == ("static/img/logo.txt: path: img/logo.txt and Img/logo.txt differ only in case or "
                                   "Unicode form: on macOS and Windows one would overwrite the other (rename one of "
                                   "them)")
    shutil.rmtree(site_dir / "static" / "Img")
    (site_dir / "static" / "FEED.XML").write_text("mine")
    assert cli_error(site_dir).startswith("static/FEED.XML: path: ")


def test_pages_whose_urls_differ_only_in_case_are_one_line_naming_the_page_not_publisher_s_cache(
        site_dir: Path) -> None:
    """Tags `Straße` and `strasse` make `tags/straße/` and `tags/strasse/`, one folder on a Mac's disk. The error
    named the file the page was kept as in the cache (`.publisher-cache/pages-kept/23/23972b…-46e0…: path: …`),
    whose name changes with publisher's code, and another file with `--no-cache`: the same input gave two
    messages, and neither named anything of the site. Now both builds name the page."""
    add_post(site_dir, "one.md", "title: One\ndate: 2026-01-01\ntags: [Straße]")
    add_post(site_dir, "two.md", "title: Two\ndate: 2026-01-02\ntags: [strasse]")
    expected = ("tags/straße/index.html: path: tags/straße/index.html and tags/strasse/index.html differ only in "
                "case or Unicode form: on macOS and Windows one would overwrite the other (rename one of them)")
    assert cli_error(site_dir) == expected
    assert cli_error(site_dir, "--no-cache") == expected


def test_static_folders_whose_names_differ_only_in_case_are_one_line_naming_a_file(site_dir: Path) -> None:
    """`static/Img/logo.txt` beside `static/img/chart.txt` (two writers, two spellings) checked out on a Mac or
    Windows as one folder: the build there published `Img/chart.txt`, and `/img/chart.txt` was missing from the
    site it made. On Linux they were two folders. Now it is an error on every system, naming the file."""
    for folder, name in (("Img", "logo.txt"), ("img", "chart.txt")):
        (site_dir / "static" / folder).mkdir(parents=True)
        (site_dir / "static" / folder / name).write_text(name)
    assert cli_error(site_dir) == ("static/Img/logo.txt: path: Img/ and img/ differ only in case or Unicode form: on "
                                   "macOS and Windows these folders are one (rename one of them)")


def test_sources_whose_names_differ_only_in_case_are_errors_naming_both(site_dir: Path) -> None:
    """`content/posts/Launch.md` (with `slug: big-launch`) beside `launch.md` built two pages on Linux CI, while a
    Mac's or Windows' checkout holds one of the two files; `content/posts/Guides/` beside `guides/` is one folder
    there; and `content/Posts/`, which a Mac reads as `posts/`, was left out on Linux without a word: each commit
    built another site on each system. Each is now an error naming both (hidden names aside)."""
    posts = site_dir / "content" / "posts"
    add_post(site_dir, "Launch.md", "title: Launch\ndate: 2026-01-01\nslug: big-launch")
    add_post(site_dir, "launch.md", "title: Launch again\ndate: 2026-01-02")
    for folder, name in (("Guides", "one.md"), ("guides", "two.md")):
        (posts / folder).mkdir()
        (posts / folder / name).write_text(f"---\ntitle: {name[:-3]}\ndate: 2026-01-03\n---\n\nBody.\n")
    (site_dir / "content" / "Posts").mkdir()
    (site_dir / "content" / "Posts" / "lost.md").write_text("---\ntitle: Lost\ndate: 2026-01-04\n---\n\nBody.\n")
    (posts / ".Swap").write_text("")
    (posts / ".swap").write_text("")
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/Posts/: folder: the build reads content/posts/, in lower case: on Linux the files in content/Posts/ "
         "are left out, while macOS and Windows read them as content/posts/ (rename it posts/)"),
        ("content/posts/guides/: path: content/posts/guides/ and content/posts/Guides/ differ only in case or Unicode "
         "form: on macOS and Windows these folders are one, and a build there makes another site (rename one of "
         "them)"),
        ("content/posts/launch.md: path: content/posts/launch.md and content/posts/Launch.md differ only in case or "
         "Unicode form: on macOS and Windows one would overwrite the other on checkout, and a build there makes "
         "another site (rename one of them)")]
    shutil.rmtree(site_dir / "content" / "Posts")
    shutil.rmtree(posts / "Guides")
    (posts / "Launch.md").rename(posts / "big-launch.md")
    out, warnings = run(site_dir)
    assert {"big-launch/index.html", "launch/index.html", "two/index.html"} <= set(out) and warnings == []


DEVICE = ("is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension): it cannot be "
          "checked out or written there (rename it)")


def test_names_windows_cannot_hold_are_warnings_naming_the_source_and_the_output_folder(site_dir: Path) -> None:
    """`content/posts/aux.md` (a post on audio gear), a tag `con` (Spanish "with") and `static/nul.txt` built on
    Linux without a word; a Windows writer's `git clone` then stopped at "invalid path", and a build there could
    not write `tags/con/`. Each is now one warning, at the file and at the output folder (a static file's once),
    and `--strict` fails before the output changes."""
    add_post(site_dir, "aux.md", "title: Aux\ndate: 2026-01-01\ntags: [con, gear]")
    (site_dir / "static").mkdir()
    (site_dir / "static" / "nul.txt").write_text("x")
    out, warnings = run(site_dir)
    assert "tags/con/index.html" in out and "aux/index.html" in out  # on Linux the site is as it was
    assert warnings == [f"content/posts/aux.md: file: aux.md {DEVICE}", f"static/nul.txt: file: nul.txt {DEVICE}",
                        f"output/aux/: path: aux {DEVICE}", f"output/tags/con/: path: con {DEVICE}"]
    before = snapshot(site_dir / "output")
    (site_dir / "content" / "posts" / "aux.md").rename(site_dir / "content" / "posts" / "gear.md")
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, strict=True))
    assert [str(problem) for problem in failed.value.problems] == [
        f"static/nul.txt: file: nul.txt {DEVICE}"]
    (site_dir / "static" / "nul.txt").unlink()
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, strict=True))
    assert [str(problem) for problem in failed.value.problems] == [f"output/tags/con/: path: con {DEVICE}"]
    assert snapshot(site_dir / "output") == before


def cli_error(site: Path, *options: str) -> str:
    """The first line `publisher build` prints for a site that fails, once it exited 1 without a traceback."""
    done = subprocess.run([sys.executable, "-m", "publisher", "build", *options], cwd=site, capture_output=True,
                          text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1788220800"}, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    return done.stderr.splitlines()[0]


NFC, NFD = "café", unicodedata.normalize("NFD", "café")


@pytest.mark.parametrize(("file", "typed"), [(NFD, NFC), (NFC, NFD)])
def test_a_link_to_a_source_reaches_it_whatever_unicode_form_the_file_name_and_the_link_are_in(
        site_dir: Path, file: str, typed: str) -> None:
    """A Mac names a file `café.md` as `e` + U+0301 (NFD), and a git checkout on Linux keeps that name, while the
    writer types `é` (NFC) in `[x](café.md)` and `post_url`: the link warned it pointed to no post, and `post_url`
    stopped the build. The other way round (a name pasted from Finder into a link) as well."""
    assert file != typed
    add_post(site_dir, f"{file}.md", "title: Café\ndate: 2026-01-01")
    add_post(site_dir, "menu.md", "title: Menu\ndate: 2026-01-02",
             f"See [the café]({typed}.md) and [again](<{{{{ post_url('{typed}.md') }}}}>).")
    out, warnings = run(site_dir)
    assert warnings == []
    assert out["menu/index.html"].count(f'href="/{NFC}/"'.encode()) == 2


@pytest.mark.parametrize(("file", "typed"), [(NFD, NFC), (NFD, NFD), (NFC, NFD)])
def test_a_static_file_is_published_at_one_url_whatever_unicode_form_its_name_and_the_links_are_in(
        site_dir: Path, file: str, typed: str) -> None:
    """`static/img/café.png` saved on a Mac (named `e` + U+0301, NFD; a git checkout on Linux keeps the name) was
    published under that name, while the page said `/img/café.png` as typed (NFC): a Linux host answered 404, the
    image had no size, and `check` said it "resolves to nothing" beside a file of that very name. A link pasted
    from Finder (NFD) to a file made on Linux (NFC) broke the same way. As Hugo does, every static file is now
    published in NFC, and links, front-matter images and link previews name it so."""
    static = site_dir / "static"
    (static / "img").mkdir(parents=True)
    Image.new("RGB", (1600, 900), "teal").save(static / "img" / f"{file}.png")
    (static / f"{file}-menu").mkdir()
    (static / f"{file}-menu" / "list.txt").write_text("menu")
    add_post(site_dir, "menu.md", f"title: Menu\ndate: 2026-01-01\nimage: img/{typed}.png\nimage_alt: Cups",
             f"![Cups](/img/{typed}.png) and [the menu]({typed}-menu/list.txt).")
    out, warnings = run(site_dir)
    assert warnings == []
    assert f"img/{NFC}.png" in out and f"{NFC}-menu/list.txt" in out
    assert not [path for path in out if not unicodedata.is_normalized("NFC", path)]
    page = out["menu/index.html"].decode()
    url = quote(f"/img/{NFC}.png")
    assert f'<meta property="og:image" content="https://hub.example{url}">' in page
    shown = [img for img in images_of(page.encode()) if img["alt"] == "Cups"]
    assert len(shown) == 2 and all(img["width"] == "1600" and "srcset" in img for img in shown)
    for img in shown:
        assert all(unquote(urlsplit(candidate).path).lstrip("/") in out for candidate in srcset_urls(img["srcset"]))
    assert f'href="{quote(f"/{NFC}-menu/list.txt")}"' in page


def test_a_static_file_there_twice_its_name_in_two_unicode_forms_is_one_line_naming_both(site_dir: Path) -> None:
    """`café.png` from a Mac (NFD) beside `café.png` made on Linux (NFC): two files on Linux, one on a Mac, and
    one URL for both now that names are published in NFC. An error naming the two spellings, which look alike."""
    (site_dir / "static" / "img").mkdir(parents=True)
    for name in (NFD, NFC):
        (site_dir / "static" / "img" / f"{name}.txt").write_text(ascii(name))
    assert cli_error(site_dir) == (
        f"static/img/{NFD}.txt: path: img/{NFC}.txt is there twice, its name in two Unicode forms "
        "('img/cafe\\u0301.txt', an accent apart as macOS writes names, and 'img/caf\\xe9.txt'): a Mac holds one file "
        "for both, and both would be published at one URL (remove one of them)")


def test_an_image_path_written_with_backslashes_is_the_file_on_linux_as_on_windows(site_dir: Path) -> None:
    """`image: img\\harbour.jpg`, as a Windows writer types a path, found the file on Windows and no file on Linux
    CI: there the post got no size or copies, and link previews named `https://hub.example/img%5Charbour.jpg`,
    which networks fetched in vain. Now `\\` is read as `/`, as browsers read it in a page's URLs."""
    (site_dir / "static" / "img").mkdir(parents=True)
    Image.new("RGB", (1600, 900), "navy").save(site_dir / "static" / "img" / "harbour.jpg")
    add_post(site_dir, "boats.md", "title: Boats\ndate: 2026-01-01\nimage: 'img\\harbour.jpg'\nimage_alt: Boats",
             "![The harbour](img\\harbour.jpg)")
    out, warnings = run(site_dir)
    page = out["boats/index.html"].decode()
    assert '<meta property="og:image" content="https://hub.example/img/harbour.jpg">' in page
    shown = [img for img in images_of(page.encode()) if img["alt"] in ("Boats", "The harbour")]
    assert [img["src"] for img in shown] == ["/img/harbour.jpg", "/img/harbour.jpg"]
    assert all("srcset" in img for img in shown)
    assert warnings == []


BOM = b"\xef\xbb\xbf"


def test_templates_saved_with_a_byte_order_mark_and_windows_line_ends_make_the_same_site(site_dir: Path) -> None:
    """A theme's partial of <head> saved by Notepad (a BOM, CRLF) put U+FEFF in the page's head: a browser
    (html5lib parses as one) ended the head there, and the description and link-preview tags fell into <body>.
    A share template so saved stopped the build: every X text held U+FEFF, which X refuses."""
    default = Path(__file__).resolve().parents[2] / "themes" / "default"
    for part in ("templates/partials/meta.html", "share/x.txt"):
        theirs = site_dir / "themes" / "default" / part
        theirs.parent.mkdir(parents=True, exist_ok=True)
        theirs.write_bytes(BOM + (default / part).read_bytes().replace(b"\n", b"\r\n"))
    out, _ = run(site_dir)
    page = html5lib.parse(out["first/index.html"], namespaceHTMLElements=False)
    in_head = {meta.get("property") or meta.get("name") for meta in page.find("head").iter("meta")}
    assert {"description", "og:title", "og:image", "twitter:card"} <= in_head
    assert not list(page.find("body").iter("meta"))
    share = json.loads(out["share/share.json"])
    assert all("\ufeff" not in item["content_text"] and "\r" not in item["content_text"] for item in share["items"])


def test_a_themes_card_settings_saved_with_a_byte_order_mark_colour_its_cards(site_dir: Path) -> None:
    """`cards/card.toml` saved by Notepad was "cannot be read: Invalid statement (at line 1, column 1)", a warning
    about a character no editor shows, and the cards came out in the default colours."""
    cards = site_dir / "themes" / "default" / "cards"
    cards.mkdir(parents=True)
    (cards / "card.toml").write_bytes(BOM + b'background = "#00ff00"\r\naccent = "#0000ff"\r\n')
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, workers=1))
    assert [str(w) for w in report.warnings] == []
    image = card(report.output_dir, "first").convert("RGB")
    assert image.getpixel((WIDTH - 5, HEIGHT - 5)) == (0, 255, 0) and image.getpixel((5, 5)) == (0, 0, 255)


@pytest.mark.parametrize(("name", "text"), [("authors.json", '{"ann": "Ann"}'), ("hugo.toml", 'ann = "Ann"')])
def test_a_data_or_settings_file_to_import_saved_with_a_byte_order_mark_is_read(tmp_path: Path, name: str,
                                                                                text: str) -> None:
    """Jekyll reads its files past a BOM (`bom|utf-8`); the import stopped at a JSON or TOML file so saved ("is
    not valid JSON (Unexpected UTF-8 BOM)")."""
    path = tmp_path / name
    path.write_bytes(BOM + text.encode())
    assert read_data_file(path, "data file") == {"ann": "Ann"}
