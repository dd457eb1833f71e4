"""Paths Windows cannot hold (`core.portable`), by Microsoft's rules in "Naming Files, Paths, and Namespaces"."""

from __future__ import annotations

import pytest

from publisher.core import portable
from publisher.core.portable import MAX_PATH, case_clashes, windows_trouble


@pytest.mark.parametrize(("path", "where"), [
    ("con/index.html", "con/"), ("tags/AUX/index.html", "tags/AUX/"), ("img/Nul.tar.gz", "img/Nul.tar.gz"),
    ("prn.md", "prn.md"), ("x/com1.png", "x/com1.png"), ("lpt9", "lpt9"), ("COM\u00b2.txt", "COM\u00b2.txt"),
    ("about./index.html", "about./"), ("notes /a.md", "notes /"), ("what?.txt", "what?.txt"),
    ('say"hi".md', 'say"hi".md'), ("a:b/c.html", "a:b/"), ("tab\there.png", "tab\there.png"), ("a|b", "a|b"),
    ("x/<y>", "x/<y>"), ("star*", "star*")])
def test_each_name_windows_refuses_is_named_up_to_the_name(path: str, where: str) -> None:
    """A device name in any case, with any extension (NUL.tar.gz is NUL), a name ending in a period or space, and
    the characters <>:"|?* and those below 32 cannot be checked out on Windows: named at the folder or file."""
    assert [found for found, _ in windows_trouble(["ok/index.html", path, "zz/index.html"])] == [where]


@pytest.mark.parametrize("path", ["conference/index.html", "console.log", "com10/a.png", "lpt/a", "auxiliary.md",
                                  "nul-points/index.html", ".well-known/security.txt", "a.b.c/d.e", "caf\u00e9/x"])
def test_names_that_only_start_like_a_device_are_fine(path: str) -> None:
    assert list(windows_trouble([path])) == []


def test_the_files_of_one_folder_so_named_are_one_warning_that_says_why() -> None:
    paths = [f"tags/con/{name}" for name in ("index.html", "feed.xml", "atom.xml")]
    assert list(windows_trouble(paths)) == [("tags/con/", ("con is a device name on Windows (CON, PRN, AUX, NUL, "
                                                           "COM1-9, LPT1-9, with any extension): it cannot be checked "
                                                           "out or written there (rename it)"))]


def test_a_path_past_max_path_with_its_prefix_is_named_with_its_length() -> None:
    fits, past = "a/" + "b" * (MAX_PATH - 9), "a/" + "b" * (MAX_PATH - 8)  # with `output/` (7) before them
    assert list(windows_trouble([fits], prefix=7)) == []
    assert list(windows_trouble([past], prefix=7)) == [(past, (
        "is 254 characters long, and with the folders above it past Windows' MAX_PATH of 260: git for Windows "
        "refuses to check it out unless core.longpaths is set (shorten it)"))]


def test_ten_thousand_posts_of_paths_are_scanned_whole_not_name_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """40,000 paths a build writes at 10,000 posts are one scan of them all joined (15 ms here); only a path the
    scan suspects is looked at name by name. Counted, not timed: a check of each name of each path took 0.4 s."""
    looked_at: list[str] = []
    monkeypatch.setattr(portable, "why_not_on_windows", lambda name: looked_at.append(name) or "")
    paths = [f"{kind}/post-{n}/index.html" for n in range(10_000) for kind in ("blog", "tags", "authors", "cards")]
    assert list(windows_trouble(paths, prefix=7)) == []
    assert looked_at == []
    assert list(windows_trouble([*paths, "tags/con/index.html"], prefix=7)) == []  # the stand-in finds nothing...
    assert looked_at == ["tags", "con", "index.html"]  # ...but the suspect alone was looked at


@pytest.mark.parametrize(("paths", "clashes"), [
    (["posts/Launch.md", "posts/a.md", "posts/launch.md"], [("posts/Launch.md", "posts/launch.md")]),
    (["Posts/a.md", "pages/x.md", "posts/b.md"], [("Posts/", "posts/")]),
    (["docs", "Docs/a.md"], [("Docs/", "docs")]),  # a file and a folder of one name on a Mac
    (["a/Guides/one.md", "a/guides/two.md", "a/guides/three.md"], [("a/Guides/", "a/guides/")]),
    (["caf\u00e9.md", "cafe\u0301.md"], [("cafe\u0301.md", "caf\u00e9.md")]),  # a Mac's name beside a typed one
    (["posts/Launch.md", "posts/notes.MD", "Img/a.png"], []),
])
def test_names_a_mac_or_windows_takes_for_one_are_named_in_pairs(paths: list[str],
                                                                 clashes: list[tuple[str, str]]) -> None:
    assert case_clashes(paths) == clashes


def test_one_clash_among_ten_thousand_sources_is_the_one_named() -> None:
    paths = [f"content/posts/{n // 100}/post-{n}.md" for n in range(10_000)]
    assert case_clashes(paths) == []
    assert case_clashes([*paths, "content/posts/7/Post-700.md"]) == [
        ("content/posts/7/Post-700.md", "content/posts/7/post-700.md")]
