"""The dead-URL guard: publisher.urls remembers every published URL; check fails for one that died."""

import contextlib
import gzip
import re
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.commands.cli import main
from publisher.feeds.sitemap_split import SitemapLimits
from tests.e2e.browser import serve_folder


@pytest.fixture
def site(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(site_dir)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21
    (site_dir / "static" / "img").mkdir(parents=True)
    (site_dir / "static" / "img" / "chart.png").write_bytes(b"\x89PNG\r\n")  # so check has nothing else to say
    return site_dir


def add_third(site: Path) -> Path:
    third = site / "content" / "posts" / "third.md"
    third.write_text("---\ntitle: Third\ndate: 2026-03-01\n---\n\nA post that will go.\n")
    return third


def listed(site: Path) -> list[str]:
    return [line for line in (site / "publisher.urls").read_text().splitlines() if not line.startswith("#")]


def test_a_build_records_what_it_publishes_and_never_forgets(site: Path) -> None:
    assert main(["build"]) == 0
    first = listed(site)
    assert first == sorted(first) and {"/", "/first/", "/second/", "/about/", "/tags/alpha/"} <= set(first)
    (site / "content" / "posts" / "second.md").unlink()
    assert main(["build"]) == 0
    assert listed(site) == first  # the URL died, the line stays


def test_a_preview_build_records_nothing(site: Path) -> None:
    assert main(["build", "--drafts"]) == 0
    assert not (site / "publisher.urls").exists()


def test_check_fails_for_a_dead_url_until_it_redirects(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_third(site)
    assert main(["build"]) == 0
    (site / "content" / "posts" / "third.md").unlink()
    capsys.readouterr()
    assert main(["check"]) == 1
    line = listed(site).index("/third/") + 3  # after the two header lines
    assert (f"publisher.urls:{line}: url: /third/ has neither a page nor a redirect now"
            in capsys.readouterr().out)
    first = site / "content" / "posts" / "first.md"
    first.write_text(first.read_text().replace("author: ann\n", "author: ann\naliases: [/third/]\n"))
    assert main(["check"]) == 0


def test_dropping_a_url_on_purpose_is_deleting_its_line(site: Path) -> None:
    third = add_third(site)
    assert main(["build"]) == 0
    third.unlink()
    assert main(["check"]) == 1
    lock = site / "publisher.urls"
    lock.write_text("".join(line + "\n" for line in lock.read_text().splitlines() if line != "/third/"))
    assert main(["check"]) == 0


@pytest.fixture
def live_site(tmp_path: Path) -> Iterator[str]:
    """A real local HTTP server holding the 'live' site's sitemap."""
    folder = tmp_path / "live"
    folder.mkdir()
    (folder / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        "<url><loc>https://hub.example/first/</loc></url>\n<url><loc>https://hub.example/gone/</loc></url>\n"
        "<url><loc>https://elsewhere.example/x/</loc></url>\n</urlset>\n")

    with serve_folder(folder) as host:
        yield host + "sitemap.xml"


def test_previous_compares_with_the_live_sitemap(site: Path, live_site: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--previous", live_site]) == 1
    out = capsys.readouterr().out
    assert f"{live_site}: url: /gone/ has neither a page nor a redirect now" in out
    assert "/first/" not in out and "elsewhere" not in out


def test_only_a_url_at_a_line_is_told_to_delete_its_line(site: Path, live_site: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A sitemap names no line of its URLs, and a live site's is not the writer's to edit: its dead URL gets the
    redirect advice alone; one of a list (publisher.urls, a list of URLs) may also be dropped by deleting its line."""
    assert main(["check", "--previous", live_site]) == 1
    out = capsys.readouterr().out
    assert (f"{live_site}: url: /gone/ has neither a page nor a redirect now (give the page that replaced it "
            "aliases: [/gone/])\n") in out
    assert "delete this line" not in out
    (site / "old-urls.txt").write_text("/gone/\n")
    assert main(["check", "--previous", "old-urls.txt"]) == 1
    assert ("old-urls.txt:1: url: /gone/ has neither a page nor a redirect now (give the page that replaced it "
            "aliases: [/gone/], or delete this line to drop the URL on purpose)") in capsys.readouterr().out


def test_a_url_list_saved_with_a_byte_order_mark_and_windows_line_ends_reads_as_written(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """publisher.urls opened and saved in an editor set to "UTF-8 with BOM" (Notepad, VS Code's option) made
    `check` fail for its header comment, "publisher.urls:1: url: \ufeff# Every URL this site has published ... has
    neither a page nor a redirect now", and a list of old URLs so saved for the first URL, live or not."""
    assert main(["build"]) == 0
    lock = site / "publisher.urls"
    lock.write_bytes(b"\xef\xbb\xbf" + lock.read_bytes().replace(b"\n", b"\r\n"))
    capsys.readouterr()
    assert main(["check"]) == 0, capsys.readouterr().out
    (site / "old-urls.txt").write_bytes(b"\xef\xbb\xbf/first/\r\n/gone/\r\n")
    assert main(["check", "--previous", "old-urls.txt"]) == 1
    out = capsys.readouterr().out
    assert "old-urls.txt:2: url: /gone/ has neither a page nor a redirect now" in out
    assert "old-urls.txt:1:" not in out and "\ufeff" not in out


def test_previous_reads_a_list_of_urls(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "old-urls.txt").write_text("# from the old blog\nhttps://hub.example/first/\n/2016/07/launch/\n")
    assert main(["check", "--previous", "old-urls.txt"]) == 1
    assert "old-urls.txt:3: url: /2016/07/launch/ has neither a page nor a redirect now" in capsys.readouterr().out



def urlset(*urls: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(f"<url><loc>{url}</loc></url>\n" for url in urls) + "</urlset>\n")


def sitemap_index(*locs: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            + "".join(f"<sitemap><loc>{loc}</loc><lastmod>2026-01-01</lastmod></sitemap>\n" for loc in locs)
            + "</sitemapindex>\n")


def test_previous_follows_a_live_sitemap_index_to_each_sitemap_it_lists(site: Path, live_site: str, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """A WordPress blog's /wp-sitemap.xml is an index of sitemaps (gzipped ones too, elsewhere): each is fetched,
    and a dead URL is said at the sitemap that lists it."""
    live = live_site.removesuffix("/sitemap.xml")
    folder = tmp_path / "live"
    (folder / "wp-sitemap.xml").write_text(sitemap_index(
        f"{live}/wp-sitemap-posts-post-1.xml", "/wp-sitemap-pages-1.xml.gz", f"{live}/wp-sitemap.xml"))  # itself too
    (folder / "wp-sitemap-posts-post-1.xml").write_text(urlset("https://hub.example/first/",
                                                               "https://hub.example/2019/05/gone-post/"))
    (folder / "wp-sitemap-pages-1.xml.gz").write_bytes(gzip.compress(urlset("https://hub.example/gone-page/",
                                                                            "https://hub.example/about/").encode()))
    assert main(["check", "--previous", f"{live}/wp-sitemap.xml"]) == 1
    out = capsys.readouterr().out
    assert (f"{live}/wp-sitemap-posts-post-1.xml: url: /2019/05/gone-post/ has neither a page nor a redirect now"
            in out)
    assert f"{live}/wp-sitemap-pages-1.xml.gz: url: /gone-page/ has neither a page nor a redirect now" in out
    assert "/first/" not in out and "/about/" not in out


def test_previous_reads_a_saved_sitemap_index_with_its_sitemaps_next_to_it(site: Path, live_site: str,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Before the domain moves to the new site, the old sitemaps are saved in a folder: their locs name the old
    site's URLs, which will answer no more; each is read next to the index by name. One not saved is fetched."""
    live = live_site.removesuffix("/sitemap.xml")
    old = site / "old"
    old.mkdir()
    (old / "wp-sitemap.xml").write_text(sitemap_index("https://hub.example/wp-sitemap-posts-post-1.xml",
                                                      f"{live}/sitemap.xml"))  # not saved: fetched
    (old / "wp-sitemap-posts-post-1.xml").write_text(urlset("https://hub.example/second/",
                                                            "https://hub.example/2019/05/gone-post/"))
    assert main(["check", "--previous", "old/wp-sitemap.xml"]) == 1
    out = capsys.readouterr().out
    assert "old/wp-sitemap-posts-post-1.xml: url: /2019/05/gone-post/ has neither a page nor a redirect now" in out
    assert f"{live_site}: url: /gone/ has neither a page nor a redirect now" in out
    assert "/second/" not in out


def test_previous_reads_publishers_own_sitemap_index_from_an_earlier_output(site: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    third = add_third(site)
    build(BuildOptions(config=site / "publisher.toml", output=site / "before", sitemap_limits=SitemapLimits(urls=3)))
    assert (site / "before" / "sitemap-2.xml").is_file()
    third.unlink()
    assert main(["check", "--previous", "before/sitemap.xml"]) == 1
    [line] = [line for line in capsys.readouterr().out.splitlines() if "has neither a page" in line]
    assert re.match(r"error: before/sitemap-\d+\.xml: url: /third/ has neither a page nor a redirect now", line), line


@pytest.mark.parametrize(("files", "said"), [
    ({"index.xml": sitemap_index("http://127.0.0.1:1/posts.xml")},  # neither saved nor on a server that answers
     "cannot fetch a sitemap old/index.xml lists (http://127.0.0.1:1/posts.xml): cannot connect"),
    ({"index.xml": sitemap_index("{live}/missing.xml")},
     "--previous old/index.xml: {live}/missing.xml: listed in old/index.xml, not found (HTTP 404 or 410)"),
    ({"index.xml": sitemap_index("file:///etc/passwd")},
     ("--previous old/index.xml: lists file:///etc/passwd, which is neither next to it by name nor "
     "an http(s) URL")),
    ({"index.xml": sitemap_index("https://hub.example/a.xml"), "a.xml": "<urlset><url><loc>/x/</loc>"},
     "--previous old/index.xml: old/a.xml: not a sitemap that can be read (no element found"),
    ({"index.xml": sitemap_index("https://hub.example/a.xml.gz"), "a.xml.gz": "\x1f\x8bnot gzip"},
     "--previous old/index.xml: old/a.xml.gz: not a gzip file that can be read"),
    ({"index.xml": sitemap_index("https://hub.example/a.xml"), "a.xml": sitemap_index("https://hub.example/b.xml"),
      "b.xml": sitemap_index("https://hub.example/c.xml"), "c.xml": urlset()},
     "--previous old/index.xml: old/b.xml: a sitemap index inside sitemap indexes 2 deep"),
    ({"index.xml": sitemap_index(*(f"https://hub.example/s{n}.xml" for n in range(1001)))},
     "--previous old/index.xml: lists 1,001 sitemaps, more than the 1,000 publisher reads"),
])
def test_a_sitemap_index_that_cannot_be_followed_is_one_line(site: Path, live_site: str, files: dict[str, str],
                                                             said: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Each sitemap is looked for next to the index by name first: no test here looks up hub.example's host."""
    live = live_site.removesuffix("/sitemap.xml")
    (site / "old").mkdir()
    for name, text in files.items():
        (site / "old" / name).write_bytes(text.replace("{live}", live).encode("latin-1"))
    assert main(["check", "--previous", "old/index.xml"]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: " + said.replace("{live}", live)), line


@pytest.fixture
def hostile() -> Iterator[Callable[[str], str]]:
    """A local server that answers each connection in one of these ways, by the path's first part: `endless` (a
    200 whose body never ends), `trickle` (a status line a byte every half second), `garbage` (no HTTP at all),
    `headers` (200 headers). Gives the URL for a way."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def answer(connection: socket.socket) -> None:
        with contextlib.suppress(OSError), connection:
            way = connection.recv(65536).split(b" ")[1].strip(b"/").split(b"/")[0]
            if way == b"endless":
                connection.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
                while not stop.is_set():
                    connection.sendall(b"[" * 65536)
            elif way == b"trickle":
                for byte in b"HTTP/1.1 200 OK\r\n":
                    if stop.wait(0.5):
                        return
                    connection.sendall(bytes([byte]))
            elif way == b"garbage":
                connection.sendall(b"\x00\xff garbage \x1b[31m\r\n\r\n")
            else:
                connection.sendall(b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 200 + b"\r\n")

    def serve() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):  # a second without a caller, or the listener closed at the end
                threading.Thread(target=answer, args=(listener.accept()[0],), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield lambda way: f"http://127.0.0.1:{listener.getsockname()[1]}/{way}/sitemap.xml"
    stop.set()
    listener.close()


@pytest.mark.parametrize(("way", "said"), [
    ("endless", "larger than 64 MB"),  # it read until memory ran out: 10 GB in 100 s
    ("trickle", "no answer within 1 s"),  # each read in time, the whole never: it never ended
    ("garbage", "garbage ?[31m"),  # a traceback; the escape code it sends shown as `?`, not sent to the terminal
    ("headers", "got more than 100 headers"),  # a traceback
])
def test_previous_from_a_server_that_misbehaves_is_one_line(site: Path, hostile: Callable[[str], str],
                                                            monkeypatch: pytest.MonkeyPatch, way: str, said: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    from publisher.editorial import sending

    monkeypatch.setattr(sending, "TIMEOUT", 1.0)
    assert main(["check", "--previous", hostile(way)]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: cannot fetch the previous sitemap ({hostile(way)}): ") and said in line, line


@pytest.mark.parametrize(("text", "said"), [
    (b"<urlset><url><loc>https://hub.example/a/</loc></url>", "not a sitemap that can be read (no element found"),
    (b"\xd4\xff not text", "not UTF-8 text"),
])
def test_a_previous_file_that_cannot_be_read_is_one_line(site: Path, text: bytes, said: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    (site / "old.xml").write_bytes(text)
    assert main(["check", "--previous", "old.xml"]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("error: --previous old.xml: ") and said in line, line


def test_a_post_whose_date_moves_its_url_keeps_its_feed_and_share_ids(site: Path) -> None:
    config = site / "publisher.toml"
    config.write_text(config.read_text().replace("[site]", '[site]\npermalink = "/{year}/{month}/{day}/{slug}/"', 1))
    third = add_third(site)
    assert main(["build"]) == 0
    old_url = "https://hub.example/2026/03/01/third/"
    rss = (site / "output" / "feed.xml").read_text()
    assert f'<guid isPermaLink="true">{old_url}</guid>' in rss
    third.write_text("---\ntitle: Third\ndate: 2026-03-05\naliases: [/2026/03/01/third/]\n---\n\nMoved a day.\n")
    assert main(["build"]) == 0
    rss = (site / "output" / "feed.xml").read_text()
    assert "<link>https://hub.example/2026/03/05/third/</link>" in rss  # readers go to the new URL…
    assert f'<guid isPermaLink="true">{old_url}</guid>' in rss  # …and see no new item
    share = (site / "output" / "share" / "share.json").read_text()
    assert f'"{old_url}#share-' in share and '"https://hub.example/2026/03/05/third/#share-' not in share
    assert main(["build"]) == 0  # the new URL is in publisher.urls now; the id stays the first
    assert f'<guid isPermaLink="true">{old_url}</guid>' in (site / "output" / "feed.xml").read_text()


def test_publisher_urls_edited_alone_is_built_again(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = site / "publisher.toml"
    config.write_text(config.read_text().replace("[site]", '[site]\npermalink = "/{year}/{month}/{day}/{slug}/"', 1))
    add_third(site).write_text("---\ntitle: Third\ndate: 2026-03-05\naliases: [/2026/03/01/third/]\n---\n\nMoved.\n")
    assert main(["build"]) == 0
    old_url = "https://hub.example/2026/03/01/third/"
    assert f'<guid isPermaLink="true">{old_url}</guid>' not in (site / "output" / "feed.xml").read_text()
    lock = site / "publisher.urls"
    lock.write_text(lock.read_text() + "/2026/03/01/third/\n")  # from a teammate's publishing build, say
    capsys.readouterr()
    assert main(["build"]) == 0
    assert "Up to date" not in capsys.readouterr().err
    assert f'<guid isPermaLink="true">{old_url}</guid>' in (site / "output" / "feed.xml").read_text()


def test_a_publishing_build_that_adds_urls_leaves_the_next_one_up_to_date(site: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == 0
    add_third(site)
    assert main(["build"]) == 0  # adds /third/ to publisher.urls
    assert "/third/" in listed(site)
    capsys.readouterr()
    assert main(["build"]) == 0
    assert "Up to date" in capsys.readouterr().err


def test_serves_model_builds_again_when_publisher_urls_changes(site: Path) -> None:
    from publisher.build.model import SiteModel
    from publisher.build.pipeline import BuildOptions, UpToDate, build_if_changed

    config = site / "publisher.toml"
    config.write_text(config.read_text().replace("[site]", '[site]\npermalink = "/{year}/{month}/{day}/{slug}/"', 1))
    add_third(site).write_text("---\ntitle: Third\ndate: 2026-03-05\naliases: [/2026/03/01/third/]\n---\n\nMoved.\n")
    model, options = SiteModel(), BuildOptions(config=config)
    build_if_changed(options, model=model)
    assert isinstance(build_if_changed(options, model=model), UpToDate)
    lock = site / "publisher.urls"
    lock.write_text("/2026/03/01/third/\n")
    rebuilt = build_if_changed(options, model=model)
    assert not isinstance(rebuilt, UpToDate)
    assert '<guid isPermaLink="true">https://hub.example/2026/03/01/third/</guid>' in \
        (site / "output" / "feed.xml").read_text()


def test_an_old_url_with_a_query_is_alive_only_where_a_redirect_covers_it(site: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`/?p=123` (a WordPress plain permalink) is the home page on every host: the home page being there does not
    keep that URL alive, only a redirect of its query does. The lock file may hold such a URL, as a sitemap does."""
    (site / "old-sitemap.xml").write_text(urlset("https://hub.example/?p=123", "https://hub.example/?p=9&amp;x=1",
                                                 "https://hub.example/?utm_source=feed", "https://hub.example/?p=999"))
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write('\n[redirects]\n"/?p=123" = "/first/"\n"/?p=9" = "/second/"\n')
    assert main(["check", "--previous", "old-sitemap.xml"]) == 1
    dead = [line for line in capsys.readouterr().out.splitlines() if "url:" in line]
    assert dead == [("error: old-sitemap.xml: url: /?p=999 has no redirect for its query now: / shows its own page "
                    "whatever the query (give the page that replaced it aliases: [/?p=999])")]
    assert main(["build"]) == 0
    with (site / "publisher.urls").open("a", encoding="utf-8") as lock:
        lock.write("/?p=999\n/?p=123&utm_medium=social\n")
    assert main(["check"]) == 1
    assert [line for line in capsys.readouterr().out.splitlines() if "url:" in line] == [
        (f"error: publisher.urls:{len(listed(site)) + 1}: url: /?p=999 has no redirect for its query now: / shows "
        "its own page whatever the query (give the page that replaced it aliases: [/?p=999], or delete this line to "
        "drop the URL on purpose)")]


# A redirect may land on a place of its page: WordPress's date archives (`/2026/`, `/?m=2026`) on their year of
# publisher's archive, whose headings have the ids `y2026`…
YEAR_REDIRECTS = ('\n[redirects]\n"/2026/" = "/archive/#y2026"\n"/?m=2026" = "/archive/#y2026"\n'
                  '"/2015/" = "/archive/#y2015"\n"/?m=2015" = "/archive/#y2015"\n')


def test_check_follows_a_redirect_to_a_place_on_a_page(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write(YEAR_REDIRECTS)
    (site / "old-urls.txt").write_text("/2026/\n/?m=2026\n/2015/\n/?m=2015\n")
    capsys.readouterr()
    assert main(["check", "--previous", "old-urls.txt"]) == 1
    out = capsys.readouterr().out
    for line, old in ((3, "/2015/"), (4, "/?m=2015")):  # no post of 2015: the archive has no such year
        assert (f"old-urls.txt:{line}: url: {old} redirects to /archive/#y2015: no element of /archive/ has the id "
                "'y2015' (point its redirect at a page or a place on one that is there, or delete this line to drop "
                "the URL on purpose)") in out, out
    assert "old-urls.txt:1:" not in out and "old-urls.txt:2:" not in out, out  # 2026's heading is there


def test_check_names_the_setting_of_a_redirect_to_a_place_its_page_lacks(site: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write(YEAR_REDIRECTS)
    lines = (site / "publisher.toml").read_text(encoding="utf-8").splitlines()
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    for old in ("/2015/", "/?m=2015"):  # a query's script is no link: only its setting can say where it leads
        line = lines.index(f'"{old}" = "/archive/#y2015"') + 1
        assert (f"publisher.toml:{line}: redirects.{old}: /archive/#y2015: no element of /archive/ has the id "
                "'y2015'") in out, out
    assert "output/2015/" not in out and "2026" not in out, out  # the redirect page is not blamed on the theme
