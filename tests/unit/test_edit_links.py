"""`[site] edit_url`: each post and page links to where the team edits its source on the Git host."""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.config.edit_links import file_edit_url, file_line_url

from ..conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)
GITHUB = "https://github.com/acme/hub/edit/main/site/"


class _EditLinks(HTMLParser):
    """The edit links of a page (`<p class="edit-link"><a href>`), with their text and whether an element
    around them keeps them out of the search index (`data-pagefind-ignore`)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, bool]] = []  # each open element, and whether it is ignored by Pagefind
        self.in_edit = False
        self.links: list[dict[str, object]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        ignored = "data-pagefind-ignore" in named or any(flag for _, flag in self.open)
        if tag not in ("br", "img", "meta", "link", "input", "hr", "source", "track"):
            self.open.append((tag, ignored))
        if tag == "p" and named.get("class") == "edit-link":
            self.in_edit = True
        elif tag == "a" and self.in_edit:
            self.links.append({"href": named.get("href"), "text": "", "ignored": ignored})

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass
        if tag == "p":
            self.in_edit = False

    def handle_data(self, data: str) -> None:
        if self.in_edit and self.links:
            self.links[-1]["text"] = str(self.links[-1]["text"]) + data


def edit_links(html: bytes) -> list[dict[str, object]]:
    parser = _EditLinks()
    parser.feed(html.decode("utf-8"))
    return parser.links


def with_edit_url(site: Path, setting: str, language: str = "") -> None:
    config = site / "publisher.toml"
    extra = f'edit_url = "{setting}"\n' + (f'language = "{language}"\n' if language else "")
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", "[site]\n" + extra, 1),
                      encoding="utf-8")


def add_post_in_folder(site: Path) -> None:
    folder = site / "content" / "posts" / "2026 spring"
    folder.mkdir()
    (folder / "Grüße.md").write_text("---\ntitle: Greetings\nslug: greetings\ndate: 2026-03-02\n---\n\nHello.\n",
                                      encoding="utf-8")


def built(site: Path) -> dict[str, bytes]:
    return snapshot(build(BuildOptions(config=site / "publisher.toml", now=NOW)).output_dir)


def test_a_post_in_a_subfolder_and_a_page_link_to_their_source_on_the_git_host(site_dir: Path) -> None:
    with_edit_url(site_dir, GITHUB)
    add_post_in_folder(site_dir)
    out = built(site_dir)
    # a space and non-ASCII letters escaped as GitHub's URLs have them (UTF-8, percent-encoded)
    assert edit_links(out["greetings/index.html"]) == [
        {"href": GITHUB + "content/posts/2026%20spring/Gr%C3%BC%C3%9Fe.md", "text": "Edit this page", "ignored": True}]
    assert edit_links(out["about/index.html"]) == [
        {"href": GITHUB + "content/pages/about.md", "text": "Edit this page", "ignored": True}]


def test_list_pages_have_no_edit_link(site_dir: Path) -> None:
    with_edit_url(site_dir, GITHUB)
    out = built(site_dir)
    assert edit_links(out["first/index.html"])
    for page in ("index.html", "tags/index.html", "tags/alpha/index.html", "archive/index.html",
                 "authors/ann/index.html", "404.html"):
        assert edit_links(out[page]) == [], page


def test_the_link_is_in_the_sites_language_and_a_pattern_places_the_path(site_dir: Path) -> None:
    with_edit_url(site_dir, "https://bitbucket.org/acme/hub/src/main/{path}?mode=edit", language="de")
    out = built(site_dir)
    assert edit_links(out["first/index.html"]) == [
        {"href": "https://bitbucket.org/acme/hub/src/main/content/posts/first.md?mode=edit",
         "text": "Diese Seite bearbeiten", "ignored": True}]


def test_without_the_setting_no_page_has_an_edit_link(site_dir: Path) -> None:
    out = built(site_dir)
    assert not any(b"edit-link" in data for data in out.values())


@pytest.mark.parametrize(("setting", "expected"), [
    ("https://github.com/acme/hub/edit/main/", "https://github.com/acme/hub/blob/main/content/posts/a%20b.md#L12"),
    ("https://gitlab.com/acme/team/hub/-/edit/main/",
     "https://gitlab.com/acme/team/hub/-/blob/main/content/posts/a%20b.md#L12"),
    ("https://codeberg.org/acme/hub/_edit/main/", "https://codeberg.org/acme/hub/src/branch/main/content/posts/a%20b.md#L12"),
    ("https://bitbucket.org/acme/hub/src/main/{path}?mode=edit&at=main",
     "https://bitbucket.org/acme/hub/src/main/content/posts/a%20b.md?at=main#lines-12"),
    ("https://git.example/edit?file={path}", "https://git.example/edit?file=content/posts/a%20b.md"),
])
def test_a_line_is_shown_as_each_git_host_writes_it(setting: str, expected: str) -> None:
    assert file_line_url(setting, "content/posts/a b.md", 12) == expected


def test_paths_outside_the_site_get_no_link() -> None:
    assert file_edit_url(GITHUB, "../elsewhere.md") == ""
    assert file_edit_url(GITHUB, "/etc/passwd") == ""
    assert file_edit_url("", "content/posts/a.md") == ""
    assert file_edit_url(GITHUB, "content/posts/a#1?.md") == GITHUB + "content/posts/a%231%3F.md"
