from dataclasses import replace
from pathlib import Path

import pytest

from publisher.config.model import AuthorConfig, SiteConfig
from publisher.content.discovery import discover, files_not_read
from publisher.content.model import SourceFile
from publisher.content.parse import parse_source
from publisher.core.errors import BuildFailed

CFG = SiteConfig(root=Path("."), title="Hub", url="https://hub.example/", timezone="Europe/Berlin",
                 authors={"ann": AuthorConfig("ann", "Ann Author", "Writes.")})


def parse(text: str, path: str = "content/posts/hello.md", kind: str = "post", cfg: SiteConfig = CFG):
    return parse_source(SourceFile(path, kind, text.encode()), cfg)


def error_of(text: str, **kwargs) -> str:
    with pytest.raises(BuildFailed) as info:
        parse(text, **kwargs)
    return str(info.value)


def test_full_post() -> None:
    post, warnings = parse(
        "---\ntitle: Hello\ndate: 2026-03-02 09:30\nupdated: 2026-03-09\nsummary: Short.\n"
        "tags: [b2b, Content Strategy]\ncategories: [b2b, seo]\nauthor: ann\nimage: /img/a.png\nimage_alt: A chart\n"
        "stage: consideration\ncolour: blue\n---\n\nBody.\n")
    assert post.title == "Hello"
    assert post.slug == "hello" and post.url == "/hello/"
    assert post.date.isoformat() == "2026-03-02T09:30:00+01:00"
    assert post.updated.isoformat() == "2026-03-09T00:00:00+01:00"
    assert post.tags == ("b2b", "Content Strategy", "seo")  # categories merged, duplicates dropped
    assert [a.name for a in post.authors] == ["Ann Author"]
    assert post.extra == {"colour": "blue"}
    assert [str(w) for w in warnings] == [
        "content/posts/hello.md:12: colour: unknown field (kept for templates as extra)"]


def test_a_field_written_twice_is_a_warning_at_the_value_used() -> None:
    """`tags:` written twice kept the last list without a word (the first's tags were gone from the post, its tag
    pages and feeds): Hugo's and Eleventy's YAML readers refuse such front matter, Jekyll's keeps the last."""
    post, warnings = parse("---\ntitle: Hello\ntags: [seo, b2b]\ndate: 2026-03-02\ntags: [launch]\n"
                           "share:\n  x: one {url}\n  x: two {url}\n---\n\nBody.\n")
    assert post.tags == ("launch",)
    assert [str(w) for w in warnings] == [
        ("content/posts/hello.md:5: tags: written twice: this value is used, the one at line 3 is ignored "
         "(YAML keeps the last)"),
        ("content/posts/hello.md:8: share.x: written twice: this value is used, the one at line 7 is ignored "
         "(YAML keeps the last)")]


def test_a_bad_value_of_a_field_written_twice_is_named_at_its_own_line() -> None:
    assert error_of("---\ntitle: T\ndate: 2026-03-02\nsummary: S\ndate: someday\n---\n").startswith(
        "content/posts/hello.md:5: date: cannot read 'someday'")


@pytest.mark.parametrize(("alias", "value"), [("summary", "S"), ("description", "S"), ("excerpt", "S")])
def test_summary_aliases(alias: str, value: str) -> None:
    post, _ = parse(f"---\ntitle: T\ndate: 2026-01-01\n{alias}: {value}\n---\n")
    assert post.summary == "S"


def test_jekyll_file_name_gives_date_and_slug() -> None:
    post, _ = parse("---\ntitle: Long form\n---\nBody\n", path="content/posts/2026-01-26-long-form.md")
    assert post.date.isoformat() == "2026-01-26T00:00:00+01:00"
    assert post.url == "/long-form/"


@pytest.mark.parametrize(("name", "reason"), [
    ("2026-02-30-launch.md", "2026-02-30: February 2026 has 28 days"),
    ("2024-02-30-launch.md", "2024-02-30: February 2024 has 29 days"),
    ("2026-13-05-launch.md", "2026-13-05: there is no month 13"),
    ("2026-04-31-launch.md", "2026-04-31: April 2026 has 30 days"),
])
def test_a_file_name_dated_a_day_that_is_not_says_so(name: str, reason: str) -> None:
    """A post named for a day that does not exist was told its date was missing, and to be named
    `YYYY-MM-DD-2026-02-30-launch.md`."""
    assert error_of("---\ntitle: Launch\n---\nBody\n", path=f"content/posts/{name}") == (
        f"content/posts/{name}:1: date: the file name's date {reason} (rename the file, or add 'date: YYYY-MM-DD')")


def test_plain_and_listed_authors() -> None:
    post, _ = parse("---\ntitle: T\ndate: 2026-01-01\nauthors: [ann, Ada Park]\n---\n")
    assert [(a.key, a.name) for a in post.authors] == [("ann", "Ann Author"), ("ada-park", "Ada Park")]


def test_jekyll_published_false_is_a_draft() -> None:
    post, _ = parse("---\ntitle: T\ndate: 2026-01-01\npublished: false\n---\n")
    assert post.draft


def test_permalink_pattern() -> None:
    cfg = SiteConfig(root=Path("."), title="H", url="https://h.example/", permalink="/{year}/{month}/{slug}/")
    post, _ = parse("---\ntitle: T\ndate: 2026-03-02\n---\n", cfg=cfg)
    assert post.url == "/2026/03/hello/"
    page, _ = parse("---\ntitle: About\n---\n", path="content/pages/about.md", kind="page", cfg=cfg)
    assert page.url == "/about/" and page.date is None


def test_comma_separated_tags() -> None:
    post, _ = parse("---\ntitle: T\ndate: 2026-01-01\ntags: seo, b2b ,\n---\n")
    assert post.tags == ("seo", "b2b")


@pytest.mark.parametrize(("front", "message"), [
    ("title: T",
     "content/posts/hello.md:1: date: missing (add 'date: YYYY-MM-DD' or name the file YYYY-MM-DD-hello.md)"),
    ("title: T\ndate: 2026-01-01\ntags: {a: 1}",
     "content/posts/hello.md:4: tags: must be a list of words or a comma-separated string, not a mapping"),
    ("title: T\ndate: 2026-01-01\ndraft: maybe", "content/posts/hello.md:4: draft: must be true or false, not 'maybe'"),
    ("title: [a, b]\ndate: 2026-01-01", "content/posts/hello.md:2: title: must be text, not a list"),
    ("title: T\ndate: 2026-01-01\nslug: a/b",
     ("content/posts/hello.md:4: slug: 'a/b' is not a safe URL segment "
      "(use letters, digits, '-', '_' or '.', no '/' or '..')")),
    ("title: T\ndate: 2026-01-01\nshare: [x]",
     "content/posts/hello.md:4: share: must be a mapping of settings, not a list"),
    ("title: T\ndate: 2026-01-01\ncanonical: 'https://[::1/'",  # a traceback where the sitemap read it
     "content/posts/hello.md:4: canonical: is not a URL (Invalid IPv6 URL)"),
    ("title: T\ndate: 2026-01-01\ncanonical: other.example/c",  # was written as a relative URL
     ("content/posts/hello.md:4: canonical: 'other.example/c' is neither an absolute URL (https://…) nor a path on "
     "this site (/…)")),
    ("title: T\ndate: 2026-03-01 25:00",  # said "cannot read … (expected YYYY-MM-DD[ HH:MM[:SS]][ zone])"
     "content/posts/hello.md:3: date: '2026-03-01 25:00' is no time: a day's hours are 0 to 23, not 25"),
    ("title: T\ndate: 0001-01-01",  # its time zone, lag and re-shares overflowed Python's dates: a traceback
     "content/posts/hello.md:3: date: 0001-01-01 is outside the years 1000 to 8999"),
    ("title: T\ndate: 9999-12-31 23:59 -12:00",
     "content/posts/hello.md:3: date: 9999-12-31 23:59 -12:00 is outside the years 1000 to 8999"),
    ("title: T\ndate: 2026-01-01\nurl: /100%/",  # was a bare `%` in the sitemap's URI
     "content/posts/hello.md:4: url: '/100%/': '%' starts an escape such as %20 (write the character itself)"),
    ("title: T\ndate: 2026-01-01\nid: my-post",  # Atom needs an absolute IRI (RFC 4287 §4.2.6)
     ("content/posts/hello.md:4: id: 'my-post' is not an absolute URI (write a URL, urn:uuid:… or "
     "tag:example.com,2026:name)")),
])
def test_field_errors_name_file_line_and_field(front: str, message: str) -> None:
    assert error_of(f"---\n{front}\n---\nBody\n") == message


def test_a_nested_fields_line_falls_back_to_the_nearest_field_written() -> None:
    post, _ = parse("---\ntitle: T\ndate: 2026-01-01\nshare:\n  networks: [x]\n  linkedin:\n"
                    "    announce: a {url}\n---\nBody\n")
    assert post.line_of("share.networks") == 5
    assert post.line_of("share.linkedin.announce") == 7
    assert post.line_of("share.linkedin.reshare-1") == 6  # not written: its parent's line
    assert post.line_of("share.x") == post.line_of("share") == 4
    assert post.line_of("cta") == post.line_of("cta.x") == 1


def test_byte_order_mark_and_windows_line_endings() -> None:
    post, _ = parse("\ufeff---\r\ntitle: T\r\ndate: 2026-01-01\r\n---\r\nBody\r\n")
    assert post.title == "T" and post.body.strip() == "Body"


def test_a_file_with_classic_mac_line_endings_reads_as_its_lines() -> None:
    """A file whose lines end in a lone CR (classic Mac OS editors, some exports; YAML and CommonMark read it as a
    line ending) was one line: no front matter was found, and the build said "title: missing" and "date:
    missing". Its fields now sit on their own lines, errors naming them too."""
    post, _ = parse("---\rtitle: T\rdate: 2026-01-01\rtags: [a, b]\r---\r\rFirst.\r\rSecond.\r")
    assert (post.title, post.tags, post.body_line) == ("T", ("a", "b"), 6)
    assert post.body.split("\n\n") == ["\nFirst.", "Second.\n"]
    assert error_of("---\rtitle: T\rdate: soon\r---\rBody\r").startswith("content/posts/hello.md:3: date:")


def test_a_post_with_more_tags_than_the_bound_is_one_error_at_its_line() -> None:
    """A post with 20,000 tags (a tag cloud pasted in, a broken export) took 11 GB of memory and was stopped after
    10 minutes: each tag's page and feeds list every tag of each of its posts. 1,000 is a post's most."""
    many = ", ".join(f"t{n}" for n in range(20_000))
    assert error_of(f"---\ntitle: T\ndate: 2026-01-01\ncategories: [{many}]\n---\n") == (
        "content/posts/hello.md:4: categories: 20,000 tags, past the 1,000 a post may have (each tag's page and "
        "feeds list every tag of each of its posts)")
    thousand = ", ".join(f"t{n}" for n in range(1_000))
    assert len(parse(f"---\ntitle: T\ndate: 2026-01-01\ntags: [{thousand}]\n---\n")[0].tags) == 1_000


def test_a_title_of_megabytes_is_one_error_naming_its_length() -> None:
    """A 10 MB title (a body pasted into the front matter) was fitted into every network's share text, in time
    that grows with it: a 1 MB title took a build 19 s, 10 MB minutes."""
    title = "word " * 2_000_000
    assert error_of(f"---\ntitle: {title}\ndate: 2026-01-01\n---\n") == (
        "content/posts/hello.md:2: title: has 9,999,999 characters, past the 10,000 a title may have (is the body in "
        "it? put a long description in summary:)")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_file_saved_as_utf16_says_so_and_how_to_save_it(encoding: str) -> None:
    """Notepad's "Unicode" is UTF-16 with a byte-order mark: its ASCII letters hold zero bytes, and the file was
    called "binary, not a text file", which a writer looking at text in Notepad cannot act on."""
    data = "\ufeff---\r\ntitle: T\r\ndate: 2026-01-01\r\n---\r\nBody\r\n".encode(encoding)
    with pytest.raises(BuildFailed) as info:
        parse_source(SourceFile("content/posts/hello.md", "post", data), CFG)
    assert str(info.value) == ("content/posts/hello.md:1: file: is UTF-16 (Notepad's \"Unicode\"), not UTF-8: save "
                               "it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)")


def test_blank_lines_before_front_matter_and_trailing_spaces_on_its_fences() -> None:
    post, _ = parse("\ufeff\n\n---  \ntitle: T\ndate: 2026-01-01\n---\t\n\nBody\n")
    assert post.title == "T" and post.body.strip() == "Body" and post.line_of("date") == 5 and post.body_line == 7
    assert error_of("\n---\ntitle: T\ndate: soon\n---\n").startswith("content/posts/hello.md:4: date:")


def test_discover_skips_editor_files(tmp_path: Path) -> None:
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    for name in ("a.md", ".a.md.swp", ".#a.md", "a.md~", "notes.txt", "_partial.md", "b.markdown"):
        (posts / name).write_text("x")
    for folder in ("sub", "sub-b", ".git", "_wip", "nested.md"):
        (posts / folder).mkdir()
        (posts / folder / "c.md").write_text("x")
    (posts / "link.md").symlink_to(posts / "sub")  # a link to a folder is no source
    cfg = SiteConfig(root=tmp_path, title="H", url="https://h.example/")
    assert [s.path for s in discover(cfg)] == [  # in path order: sub/ before sub-b/
        "content/posts/a.md", "content/posts/b.markdown", "content/posts/nested.md/c.md", "content/posts/sub/c.md",
        "content/posts/sub-b/c.md"]


def test_a_canonical_path_on_this_site_is_made_absolute_below_its_base_path() -> None:
    cfg = replace(CFG, url="https://example.com/blog/")
    post, _ = parse("---\ntitle: T\ndate: 2026-01-01\ncanonical: /guide/\n---\n", cfg=cfg)
    assert post.canonical == "https://example.com/blog/guide/"
    post, _ = parse("---\ntitle: T\ndate: 2026-01-01\ncanonical: https://elsewhere.example/a\n---\n", cfg=cfg)
    assert post.canonical == "https://elsewhere.example/a"


def test_a_url_written_with_escapes_is_the_page_a_server_finds_there() -> None:
    """A server decodes `/%41bc/` to `/Abc/` before it looks for the file: the page is written there."""
    post, _ = parse("---\ntitle: T\ndate: 2026-01-01\nurl: /%41bc/caf%C3%A9/\n---\n")
    assert post.url == "/Abc/café/"
    post, _ = parse("---\ntitle: T\ndate: 2026-01-01\naliases: [/caf%C3%A9/, /old/]\n---\n")
    assert post.aliases == ("/café/", "/old/")  # an old URL written as a link has it: its redirect page is there


def test_a_file_names_date_outside_the_years_is_one_error() -> None:
    assert error_of("---\ntitle: T\n---\n", path="content/posts/0001-01-01-t.md") == (
        "content/posts/0001-01-01-t.md:1: date: the file name's 0001-01-01 is outside the years 1000 to 8999")


def test_a_post_is_never_modified_before_it_was_published() -> None:
    """`updated` given as a day stands for that day: on the post's own day, it is the post's date (no warning);
    a day before it is a slip, said at its line, and the date stands for both (feeds, sitemap and JSON-LD would
    say the post changed before it came out)."""
    post, warnings = parse("---\ntitle: Same day\ndate: 2026-03-02 09:30\nupdated: 2026-03-02\n---\nBody.\n")
    assert post.updated == post.date and warnings == []
    post, warnings = parse("---\ntitle: Slip\ndate: 2026-03-02 09:30\nlastmod: 2026-02-20\n---\nBody.\n")
    assert post.updated == post.date
    assert [str(w) for w in warnings] == [
        ("content/posts/hello.md:4: lastmod: 2026-02-20 is before the post's date (2026-03-02): the date is used "
         "for both")]
    post, _ = parse("---\ntitle: Later\ndate: 2026-03-02 09:30\nupdated: 2026-03-05\n---\nBody.\n")
    assert post.updated is not None and post.updated.day == 5


def test_files_no_build_reads_are_named() -> None:
    """A Hugo writer's `content/about.md` and `content/blog/…` sections, and a photo beside its post as in a Hugo
    bundle, were left out without a word: the page missing, the post's image broken with no clue why."""
    paths = ["content/about.md", "content/blog/hello.md", "content/posts/a.md", "content/posts/images/chart.png",
             "content/pages/team/index.md", "content/posts/.gitkeep", "content/_drafts/x.md", "content/Posts/b.md",
             "content/logo.svg"]
    not_read = ("is not read: sources are read from content/ctas/, content/offers/, content/pages/, content/posts/ "
                "(move it to content/pages/ for a page, content/posts/ for a post)")
    not_published = ("is not published: only Markdown is read from content/ (move it to static/, as static/{0}, which "
                     "a post shows as /{0} or {0})")
    assert [str(problem) for problem in files_not_read("content", paths)] == [
        f"content/about.md: file: {not_read}", f"content/blog/hello.md: file: {not_read}",
        f"content/posts/images/chart.png: file: {not_published.format('images/chart.png')}",
        f"content/logo.svg: file: {not_published.format('logo.svg')}"]


def test_hugos_params_are_custom_fields_without_a_warning() -> None:
    """Hugo's front matter keeps custom fields under `params` (its docs: "Create custom fields under the params
    key"): each was one "unknown field" warning, so an imported Hugo post failed `build --strict`. Its keys reach
    templates as `post.extra.<key>`, added last, as Hugo adds them to `.Params`."""
    yaml = "---\ntitle: T\ndate: 2026-03-02\ncolour: blue\nparams:\n  subtitle: Sub\n  colour: red\n---\n"
    toml = "+++\ntitle = 'T'\ndate = 2026-03-02\ncolour = 'blue'\n[params]\nsubtitle = 'Sub'\ncolour = 'red'\n+++\n"
    for front in (yaml, toml):
        post, warnings = parse(front + "\nBody.\n")
        assert post.extra == {"colour": "red", "subtitle": "Sub"}
        assert [w.field for w in warnings] == ["colour"]
    assert "params: must be a mapping" in error_of("---\ntitle: T\ndate: 2026-03-02\nparams: [a]\n---\n")


def test_eleventys_own_fields_are_read_as_eleventy_means_them() -> None:
    """`eleventyNavigation` (the navigation plugin's menu) means nothing here and warns of nothing;
    `eleventyExcludeFromCollections` says nothing on a page, which no list shows, and on a post, which every
    list shows, says what to do."""
    front = ("---\ntitle: T\ndate: 2026-03-02\neleventyNavigation:\n  key: T\n"
             "eleventyExcludeFromCollections: true\n---\n")
    assert parse(front, path="content/pages/t.md", kind="page")[1] == []
    assert [str(w) for w in parse(front)[1]] == [
        ("content/posts/hello.md:6: eleventyExcludeFromCollections: publisher lists every post (home page, tags, "
         "feeds): move the file to content/pages/ for a page no list shows")]
