"""Old URLs keep working: a redirect page at each, `_redirects` and an nginx map; clashes are errors."""

import contextlib
import getpass
import http.client
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.commands.serve import resolve_request_path
from publisher.core.errors import BuildFailed

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def write(site: Path, name: str, front: str) -> None:
    (site / "content" / "posts" / name).write_text(f"---\n{front}\n---\n\nBody.\n", encoding="utf-8")


def run(site: Path, **options: object) -> Path:
    return build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False, **options)).output_dir  # type: ignore[arg-type]


def test_every_old_url_gets_a_page_and_host_rules(site_dir: Path) -> None:
    write(site_dir, "launch.md", "title: Launch\ndate: 2026-03-01\naliases: [/2016/07/13/launch/, old/launch]")
    write(site_dir, "legacy.md", "title: Legacy\ndate: 2026-03-02\nredirect_from: /legacy.html")
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write('\n[redirects]\n"/moved/" = "https://other.example/x"\n')
    out = run(site_dir, base_url="https://user.github.io/repo/")
    page = (out / "2016" / "07" / "13" / "launch" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/repo/launch/">' in page
    assert '<link rel="canonical" href="https://user.github.io/repo/launch/">' in page
    assert '<meta name="robots" content="noindex">' in page and '<a href="/repo/launch/">' in page
    assert (out / "old" / "launch" / "index.html").is_file()
    assert 'url=/repo/legacy/' in (out / "legacy.html").read_text(encoding="utf-8")
    assert (out / "_redirects").read_text(encoding="utf-8").splitlines() == [
        "/repo/2016/07/13/launch/ /repo/launch/ 301",
        "/repo/legacy.html /repo/legacy/ 301",
        "/repo/moved/ https://other.example/x 301",
        "/repo/old/launch/ /repo/launch/ 301",
    ]
    assert '"/repo/moved/" "https://other.example/x";' in (out / "redirects.map").read_text(encoding="utf-8")
    assert "2016/07/13/launch" not in (out / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("language", "title", "said"), [
    ("en", "Moved: Test Hub", 'This page has moved to <a href="/launch/">https://hub.example/launch/</a>.'),
    ("de", "Umgezogen: Test Hub", 'Diese Seite ist umgezogen: <a href="/launch/">https://hub.example/launch/</a>.'),
    ("fr", "Page déplacée\u00a0: Test Hub",
     'Cette page a été déplacée vers <a href="/launch/">https://hub.example/launch/</a>.'),
    ("es", "Página trasladada: Test Hub",
     'Esta página se ha trasladado a <a href="/launch/">https://hub.example/launch/</a>.'),
])
def test_the_page_at_an_old_url_says_where_it_went_in_the_sites_language(site_dir: Path, language: str, title: str,
                                                                         said: str) -> None:
    # A German site's old URLs showed "Moved: …" and "This page has moved to …" in a page of lang="de".
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", f'[site]\nlanguage = "{language}"\n'),
                      encoding="utf-8")
    write(site_dir, "launch.md", "title: Launch\ndate: 2026-03-01\naliases: [/old/launch/]")
    page = (run(site_dir) / "old" / "launch" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in page and f"<p>{said}</p>" in page


def test_host_rules_hold_paths_as_urls_and_nginx_matches_them_decoded(site_dir: Path) -> None:
    """Netlify's `_redirects` wants each path URL-encoded (its docs: `/authors/c%C3%A9line`), and a space would
    split its line into other fields; nginx's map matches `$uri`, the request decoded, and sends the target as a
    URL. An old path with a space (Jekyll's category `big data`) is a path like any other."""
    write(site_dir, "launch.md", "title: Launch\ndate: 2026-03-01\naliases: ['/big data/old café/']")
    out = run(site_dir)
    assert (out / "big data" / "old café" / "index.html").is_file()
    assert (out / "_redirects").read_text(encoding="utf-8") == "/big%20data/old%20caf%C3%A9/ /launch/ 301\n"
    assert (out / "redirects.map").read_text(encoding="utf-8") == '"/big data/old café/" "/launch/";\n'


def test_an_old_path_that_reads_as_a_pattern_gets_no_rule_in_redirects(site_dir: Path) -> None:
    """`_redirects` reads `*` as a splat and a part starting with `:` as a placeholder (Netlify, Cloudflare Pages,
    GitLab Pages): an alias `/*` wrote `/*/ /launch/ 301`, which on Cloudflare, where redirects are followed
    whether a file is there or not, sent every page of the site to the post. Its page at the path still sends
    readers on, and nginx's map matches the path as written."""
    write(site_dir, "launch.md", "title: Launch\ndate: 2026-03-01\naliases: ['/*', '/:page/', '/old/x*y/', /fine/]")
    out = run(site_dir)
    assert (out / "_redirects").read_text(encoding="utf-8") == "/fine/ /launch/ 301\n"
    assert '"/*/" "/launch/";\n' in (out / "redirects.map").read_text(encoding="utf-8")
    for old in ("*", ":page", "old/x*y"):
        assert 'url=/launch/"' in (out / old / "index.html").read_text(encoding="utf-8")


# An old path holding nginx's own syntax: a quote that would end its string, the rules that would follow, and a
# `$` that a map's value reads as a variable.
HOSTILE_ALIASES = "url: /deal$today/\naliases: ['/x\" \"$arg_u\"; \"/y/', '/old$/']"


def test_the_nginx_map_holds_each_old_path_as_one_string(site_dir: Path) -> None:
    """An alias with `"` ended its string in `redirects.map`: `"/x" "$arg_u"; "/y/" "/launch/";` is two rules to
    nginx, the first sending `/x?u=https://evil.example/` to that address. nginx's reader unescapes `\\"` and
    `\\\\` in a quoted string; a `$` in a value names a variable, and nginx has no escape for it."""
    write(site_dir, "launch.md", "title: Launch\ndate: 2026-03-01\n" + HOSTILE_ALIASES)
    out = run(site_dir)
    assert (out / "redirects.map").read_text(encoding="utf-8") == (
        '"/old$/" "/deal%24today/";\n'
        '"/x\\" \\"$arg_u\\"; \\"/y/" "/deal%24today/";\n')


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_reads_the_map_and_sends_each_old_path_to_its_page(site_dir: Path, tmp_path: Path) -> None:
    """The README's nginx set-up, run: `map $uri $new_uri { include redirects.map; }` and `return 301 $new_uri`.
    Before, nginx took the hostile alias's rule and sent `/x"…?u=https://evil.example/` there."""
    write(site_dir, "launch.md", "title: Launch\ndate: 2026-03-01\n" + HOSTILE_ALIASES)
    out = run(site_dir)
    with _nginx_serving(out, tmp_path) as port:
        moved = (301, f"http://127.0.0.1:{port}/deal%24today/")
        assert _get(port, '/x" "$arg_u"; "/y/?u=https://evil.example/') == moved
        assert _get(port, "/old$/") == moved
        assert _get(port, "/deal%24today/")[0] == 200


@contextlib.contextmanager
def _nginx_serving(root: Path, scratch: Path) -> Iterator[int]:
    """nginx serving `root` with its `redirects.map` on a free local port, stopped after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = scratch / "nginx.conf"
    # Workers run as the user running the tests (as root, nginx would make them `nobody`, who cannot read a
    # pytest folder); as anyone else nginx ignores the line.
    config.write_text(
        f"user {getpass.getuser()};\npid {scratch}/nginx.pid;\nerror_log {scratch}/error.log;\ndaemon off;\n"
        f"events {{}}\nhttp {{\n"
        f"  access_log off;\n  client_body_temp_path {scratch};\n  proxy_temp_path {scratch};\n"
        f"  fastcgi_temp_path {scratch};\n  uwsgi_temp_path {scratch};\n  scgi_temp_path {scratch};\n"
        f"  map $uri $new_uri {{ include {root}/redirects.map; }}\n"
        f"  server {{ listen 127.0.0.1:{port}; root {root}; if ($new_uri) {{ return 301 $new_uri; }} }}\n}}\n",
        encoding="utf-8")
    tested = subprocess.run(["nginx", "-t", "-p", str(scratch), "-c", str(config)], capture_output=True, text=True,
                            check=False)
    assert tested.returncode == 0, tested.stderr
    server = subprocess.Popen(["nginx", "-p", str(scratch), "-c", str(config)])
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(port: int, path: str) -> tuple[int, str | None]:
    """The status and Location of a GET of `path` (escaped as a browser sends it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", quote(path, safe="/?=:&$;%"))
        response = connection.getresponse()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def test_a_draft_redirects_nothing_yet(site_dir: Path) -> None:
    write(site_dir, "later.md", "title: Later\ndate: 2026-03-01\ndraft: true\naliases: [/soon/]")
    out = run(site_dir)
    assert not (out / "soon").exists() and not (out / "_redirects").exists()


@pytest.mark.parametrize(("files", "config", "expected"), [
    ({"a.md": "title: A\ndate: 2026-03-01\naliases: [/second/]"}, "",
     ["content/posts/a.md:4: aliases: /second/ is the URL of content/posts/second.md; a redirect would hide it"]),
    ({"a.md": "title: A\ndate: 2026-03-01\naliases: [/old/]",
      "b.md": "title: B\ndate: 2026-03-02\nredirect_from: /old/"}, "",
     ["content/posts/b.md:4: redirect_from: /old/ already redirects elsewhere (content/posts/a.md)"]),
    ({"a.md": "title: A\ndate: 2026-03-01\naliases: [/../../etc/]"}, "",
     ["content/posts/a.md:4: aliases: '/../../etc/' is not a path on this site (e.g. /2016/07/old-title/)"]),
    ({}, '\n[redirects]\n"/first/" = "/second/"\n',
     [("publisher.toml:{/first/}: redirects./first/: /first/ is the URL of content/posts/first.md; a redirect "
       "would hide it")]),
    ({}, '\n[redirects]\n"/self/" = "/self"\n"/loop1/" = "/loop2/"\n"/loop2/" = "/loop1/"\n"/fine/" = "/loop1/"\n',
     ["publisher.toml:{/self/}: redirects./self/: comes back to itself (/self/ -> /self): browsers give up",
      ("publisher.toml:{/loop1/}: redirects./loop1/: comes back to itself (/loop1/ -> /loop2/ -> /loop1/): "
       "browsers give up"),
      ("publisher.toml:{/loop2/}: redirects./loop2/: comes back to itself (/loop2/ -> /loop1/ -> /loop2/): "
       "browsers give up")]),
])
def test_clashing_redirects_are_errors(site_dir: Path, files: dict[str, str], config: str,
                                       expected: list[str]) -> None:
    for name, front in files.items():
        write(site_dir, name, front)
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as settings:
        settings.write(config)
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    settings = (site_dir / "publisher.toml").read_text(encoding="utf-8").splitlines()
    # A setting's problem is said at the line of its redirect: `{/first/}` stands for that line's number.
    lines = {"{" + line.split('"')[1] + "}": str(number) for number, line in enumerate(settings, start=1)
             if line.startswith('"')}
    assert [str(problem) for problem in failed.value.problems] == [_filled(text, lines) for text in expected]


def _filled(text: str, lines: dict[str, str]) -> str:
    for key, line in lines.items():
        text = text.replace(key, line)
    return text


def test_jekyll_redirect_to_makes_the_page_a_redirect(site_dir: Path) -> None:
    (site_dir / "content" / "pages" / "chat.md").write_text(
        "---\ntitle: Chat\nredirect_to: https://chat.example.com/room\n---\n", encoding="utf-8")
    write(site_dir, "moved.md", "title: Moved\ndate: 2026-03-01\nredirect_to: /first/")
    out = run(site_dir)
    assert 'url=https://chat.example.com/room"' in (out / "chat" / "index.html").read_text(encoding="utf-8")
    assert 'url=/first/"' in (out / "moved" / "index.html").read_text(encoding="utf-8")
    assert "/chat/ https://chat.example.com/room 301" in (out / "_redirects").read_text(encoding="utf-8")
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/chat/" not in sitemap and "/moved/" not in sitemap
    assert "Moved" not in (out / "feed.xml").read_text(encoding="utf-8")


def test_a_posts_own_url_is_kept_exactly(site_dir: Path) -> None:
    write(site_dir, "jekyll.md", "title: J\ndate: 2026-03-01\npermalink: /Blog/Launch-Day.html")
    write(site_dir, "hugo.md", "title: H\ndate: 2026-03-02\nslug: h-post\nurl: /:year/:month/:slug/")
    write(site_dir, "eleventy.md", "title: E\ndate: 2026-03-03\npermalink: \"/{{ page.fileSlug }}/\"")
    write(site_dir, "bare.md", "title: B\ndate: 2026-03-04\npermalink: /resources/checklist")
    out = run(site_dir)
    assert (out / "resources" / "checklist.html").is_file()  # Jekyll's file for it; hosts answer /resources/checklist
    assert resolve_request_path(out, "/resources/checklist") == (out / "resources" / "checklist.html").resolve()
    assert '<link rel="canonical" href="https://hub.example/resources/checklist">' in (
        out / "resources" / "checklist.html").read_text(encoding="utf-8")
    assert (out / "Blog" / "Launch-Day.html").is_file()
    assert (out / "2026" / "03" / "h-post" / "index.html").is_file()
    assert (out / "eleventy" / "index.html").is_file()  # a templated permalink is the site pattern's business
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "/Blog/Launch-Day.html</loc>" in sitemap and "/2026/03/h-post/</loc>" in sitemap


def test_a_posts_own_url_must_stay_on_the_site(site_dir: Path) -> None:
    write(site_dir, "bad.md", "title: B\ndate: 2026-03-01\nurl: /../../etc/passwd")
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert [str(p) for p in failed.value.problems] == [
        "content/posts/bad.md:4: url: '/../../etc/passwd' is not a path on this site (no '..', '//', query or scheme)"]


def test_a_draft_without_a_date_is_dated_when_drafts_are_built(site_dir: Path) -> None:
    write(site_dir, "someday.md", "title: Someday\ndraft: true")
    out = run(site_dir)
    assert not (out / "someday").exists()
    out = run(site_dir, drafts=True)
    assert (out / "someday" / "index.html").is_file()
    write(site_dir, "undated.md", "title: Undated")  # not a draft: a post still needs its date
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert str(failed.value.problems[0]).startswith("content/posts/undated.md:1: date: missing")


# WordPress's plain permalinks: every post at `/?p=123`, a query on the home page, which a host serves whatever
# the query. The page there carries a script that sends a reader with that query on (tests/e2e/test_query_redirects
# follows it in a browser); other pages stay byte for byte what they were.
QUERY_REDIRECTS = ('\n[redirects]\n"/?p=123" = "/first/"\n"/?page_id=4&lang=de" = "/second/"\n'
                   '"/blog.html?p=5" = "/second/"\n"/old/" = "/first/"\n"/old/?id=7" = "/second/"\n')


def test_old_urls_with_a_query_redirect_from_the_page_the_host_serves_for_them(site_dir: Path) -> None:
    plain = run(site_dir)
    before = {path.relative_to(plain).as_posix(): path.read_bytes() for path in plain.rglob("*.html")}
    first = site_dir / "content" / "posts" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace("---\n", "---\naliases: ['/?p=77']\n", 1),
                     encoding="utf-8")
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write(QUERY_REDIRECTS)
    out = run(site_dir)
    home = (out / "index.html").read_text(encoding="utf-8")
    head = home.split("<script>", 1)[0]
    assert head == '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'  # first, after the charset
    assert 'var r=[["lang=de&page_id=4","/second/"],["p=123","/first/"],["p=77","/first/"]],f=null' in home
    # No page of the build at /blog.html: a redirect page there, to the home page for any other query.
    blog = (out / "blog.html").read_text(encoding="utf-8")
    assert 'var r=[["p=5","/second/"]],f="/"' in blog
    assert '<noscript><meta http-equiv="refresh" content="0; url=/"></noscript>' in blog
    old = (out / "old" / "index.html").read_text(encoding="utf-8")
    assert 'var r=[["id=7","/second/"]],f="/first/"' in old  # the plain redirect of /old/ is the script's too
    assert old.count('http-equiv="refresh"') == 1 and "<noscript><meta http-equiv" in old  # no race with it
    # A host rule for /old/ would send /old/?id=7 to /first/ before the page could read the query.
    assert "/old/" not in (out / "_redirects").read_text(encoding="utf-8")
    for path in ("about/index.html", "second/index.html", "tags/index.html", "404.html"):
        assert (out / path).read_bytes() == before[path], f"{path} changed"


def plain_permalinks(count: int) -> str:
    """`[redirects]` of a WordPress blog with plain permalinks: `/?p=1000`… to the first post, the last to the
    second."""
    lines = [f'"/?p={1000 + number}" = "/first/"' for number in range(count - 1)]
    return "\n[redirects]\n" + "\n".join([*lines, f'"/?p={999 + count}" = "/second/"']) + "\n"


def test_the_home_page_does_not_grow_with_the_number_of_query_redirects(site_dir: Path) -> None:
    config = site_dir / "publisher.toml"
    plain = config.read_text(encoding="utf-8")
    homes = {}
    for count in (100, 2000):
        config.write_text(plain + plain_permalinks(count), encoding="utf-8")
        out = run(site_dir)
        homes[count] = (out / "index.html").read_bytes()
        loaded = list((out / "assets" / "redirects").glob("*.js"))
        assert len(loaded) == 1, loaded  # the rules, in the one file the home page loads
        rules = loaded[0].read_text(encoding="utf-8")
        assert f'["p={999 + count}","/second/"]' in rules
        assert f's.src="/assets/redirects/{loaded[0].name}"'.encode() in homes[count]
    assert len(homes[100]) == len(homes[2000])  # 2,000 posts' old links weigh on no reader of the home page
    assert b'["p"].some(' in homes[2000]  # the rules are loaded only for an address with a p=


@pytest.mark.parametrize(("config", "front", "expected"), [
    ('"/?utm_source=news" = "/first/"', "",
     ("publisher.toml:{/?utm_source=news}: redirects./?utm_source=news: utm_source is a campaign parameter, carried "
     "to the new URL, never matched: leave it out")),
    ('"/?=5" = "/first/"', "",
     "publisher.toml:{/?=5}: redirects./?=5: the query '=5' has a parameter without a name or with spaces around it"),
    ('"/?p=1&p=2" = "/first/"', "", "publisher.toml:{/?p=1&p=2}: redirects./?p=1&p=2: the query names p twice"),
    ('"/?p=1#top" = "/first/"', "",
     ("publisher.toml:{/?p=1#top}: redirects./?p=1#top: a fragment (#...) never reaches a server or a redirect: "
     "leave it out")),
    ('"/feed.xml?x=1" = "/first/"', "",
     ("publisher.toml:{/feed.xml?x=1}: redirects./feed.xml?x=1: /feed.xml is the site's RSS feed, which carries no "
     "redirect of its own: redirect a query on a page of yours")),
    ('"/index.php?p=5" = "/first/"', "",
     ("publisher.toml:{/index.php?p=5}: redirects./index.php?p=5: a static host sends /index.php as a .php file to "
     "download, not as a page, so no script of a page there can send readers on")),
    ('"/?p=1" = "/first/"', "aliases: ['/?p=1']",
     "publisher.toml:{/?p=1}: redirects./?p=1: /?p=1 already redirects elsewhere (content/posts/a.md)"),
    ("", "aliases: ['/?utm_campaign=x']",
     ("content/posts/a.md:4: aliases: '/?utm_campaign=x': utm_campaign is a campaign parameter, carried to the new "
     "URL, never matched: leave it out")),
])
def test_a_query_that_cannot_be_matched_is_an_error_at_its_line(site_dir: Path, config: str, front: str,
                                                                 expected: str) -> None:
    write(site_dir, "a.md", f"title: A\ndate: 2026-03-01\n{front}")
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as settings:
        settings.write(f"\n[redirects]\n{config}\n")
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    settings = (site_dir / "publisher.toml").read_text(encoding="utf-8").splitlines()
    lines = {"{" + line.split('"')[1] + "}": str(number) for number, line in enumerate(settings, start=1)
             if line.startswith('"')}
    assert [str(problem) for problem in failed.value.problems] == [_filled(expected, lines)]


def test_a_redirect_lands_on_a_place_of_its_page_in_every_output(site_dir: Path) -> None:
    """`/archive/#y2026` was refused ("must be a path on this site"): a WordPress date archive could only land at
    the top of the archive, not on its year. A meta refresh, a script's location.replace and an HTTP 301 (RFC
    9110, 10.2.2: a Location with a fragment; Cloudflare Pages: a destination "can include fragments") all keep
    it, so each output carries it."""
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write('\n[redirects]\n"/2026/" = "/archive/#y2026"\n"/?m=2026" = "/archive/#y2026"\n')
    write(site_dir, "launch.md", "title: Launch\ndate: 2026-03-01\nredirect_to: /archive/#y2026")
    out = run(site_dir, base_url="https://user.github.io/repo/")
    page = (out / "2026" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/repo/archive/#y2026">' in page
    assert '<a href="/repo/archive/#y2026">' in page
    assert '<link rel="canonical" href="https://user.github.io/repo/archive/">' in page  # the page, not a place
    assert 'id="y2026"' in (out / "archive" / "index.html").read_text(encoding="utf-8")
    assert "/repo/2026/ /repo/archive/#y2026 301\n" in (out / "_redirects").read_text(encoding="utf-8")
    assert '"/repo/2026/" "/repo/archive/#y2026";\n' in (out / "redirects.map").read_text(encoding="utf-8")
    assert '["m=2026","/repo/archive/#y2026"]' in (out / "index.html").read_text(encoding="utf-8")
    assert "url=/repo/archive/#y2026" in (out / "launch" / "index.html").read_text(encoding="utf-8")


def test_a_years_url_names_its_heading_on_the_archive(site_dir: Path) -> None:
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, use_cache=False))
    archive = (report.output_dir / "archive" / "index.html").read_text(encoding="utf-8")
    for year in report.site.years:  # was /archive/#2026, which no element has
        assert f'id="{year.url.partition("#")[2]}"' in archive, year.url


@pytest.mark.parametrize("target", ["/archive/#", "/archive/#a b", "/archive/#a#b"])
def test_a_redirect_target_with_no_place_after_its_hash_is_an_error(site_dir: Path, target: str) -> None:
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[redirects]\n"/2026/" = "{target}"\n')
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert "redirects./2026/: must be a path on this site" in str(failed.value.problems[0])


def test_a_loop_through_a_place_on_a_page_is_an_error(site_dir: Path) -> None:
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write('\n[redirects]\n"/a/" = "/b/#part"\n"/b/" = "/a/"\n')
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert "redirects./a/: comes back to itself (/a/ -> /b/#part -> /a/): browsers give up" in str(failed.value)
