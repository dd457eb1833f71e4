"""Readers' search as built: Pagefind's index of the posts and pages, the search page, and the switch to turn
it off. The index is made by Pagefind's real binary and read back from the files it wrote."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import types
from datetime import UTC, datetime
from hashlib import sha256
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from publisher.build.pipeline import BuildOptions, BuildReport, build, build_if_changed
from publisher.core.errors import BuildFailed
from publisher.pages import search
from publisher.pages.search import (
    NOT_INDEXED,
    STALLED,
    IndexAhead,
    SearchPages,
    Shards,
    indexed_form,
    indexed_pages,
    page_facts,
    split_pages,
)
from tests.conftest import FIXED_EPOCH, REPO, counting_pagefind, snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)


def run(site: Path, **options: object) -> Path:
    options = {"use_cache": False, **options}
    report = build(BuildOptions(config=site / "publisher.toml", now=NOW, **options))  # type: ignore[arg-type]
    return report.output_dir


def found_urls(output: Path, bundle: str = "pagefind") -> set[str]:
    """The URL of every page the index (or one part of it) can return (each fragment is a gzipped, tagged JSON
    record)."""
    records = [gzip.decompress(path.read_bytes()) for path in (output / bundle / "fragment").iterdir()]
    return {json.loads(record[record.index(b"{"):])["url"] for record in records}


def in_parts(site: Path, size: int) -> None:
    """Split the site's index in parts of `size` pages (of the good site's three: /first/ and /about/ fall in one
    part, /second/ in another)."""
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write(f"\n[search]\nshard_size = {size}\n")


def file_ids(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file under `folder` with its inode and modification time: what tells a file rewritten from one kept."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_index_holds_the_posts_and_pages_and_nothing_else(site_dir: Path) -> None:
    output = run(site_dir)
    assert found_urls(output) == {"/first/", "/second/", "/about/"}  # no home, tag, author, 404
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_bytes())
    assert entry["languages"]["en"]["page_count"] == 3
    assert (output / "pagefind" / "pagefind-ui.js").is_file() and (output / "pagefind" / "pagefind-ui.css").is_file()


def test_the_search_page_loads_the_bundle_under_the_base_path_and_is_linked_from_every_page(site_dir: Path) -> None:
    output = run(site_dir, base_url="https://example.com/hub/")
    page = (output / "search" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="/hub/pagefind/pagefind-ui.css">' in page
    assert '<script src="/hub/pagefind/pagefind-ui.js" defer></script>' in page
    assert 'const bundle = "/hub/pagefind/";' in page and "bundlePath: bundle" in page
    assert '<meta name="robots" content="noindex">' in page  # a page of results to be, not content
    assert "<noscript>" in page and "Search needs JavaScript" in page
    for other in ("index.html", "first/index.html", "tags/index.html", "404.html"):
        assert '<a href="/hub/search/">Search</a>' in (output / other).read_text(encoding="utf-8"), other
    assert "/search/" not in (output / "sitemap.xml").read_text(encoding="utf-8")


def test_search_can_be_turned_off(site_dir: Path) -> None:
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n[search]\nenabled = false\n")
    output = run(site_dir)
    assert not (output / "pagefind").exists() and not (output / "search").exists()
    assert "/search/" not in (output / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in (output / "first" / "index.html").read_text(encoding="utf-8")  # harmless


def test_what_every_post_repeats_is_left_out_of_the_index(site_dir: Path) -> None:
    (site_dir / "content" / "posts" / "third.md").write_text(
        "---\ntitle: Third post\ndate: 2026-03-01\n---\n\n## Plain heading\n\nWords about zeppelins.\n",
        encoding="utf-8")
    output = run(site_dir)
    post = (output / "third" / "index.html").read_text(encoding="utf-8")
    assert "<article class=\"post\" data-pagefind-body>" in post
    records = [gzip.decompress(path.read_bytes()) for path in (output / "pagefind" / "fragment").iterdir()]
    third = json.loads(next(r[r.index(b"{"):] for r in records if b"zeppelins" in r))
    assert third["meta"]["title"] == "Third post"
    assert [anchor["text"] for anchor in third["anchors"] if anchor["element"] == "h2"] == ["Plain heading"]  # no "#"


def test_the_same_site_gives_the_same_index_bytes(site_dir: Path, tmp_path: Path) -> None:
    one = run(site_dir, output=tmp_path / "one")
    two = run(site_dir, output=tmp_path / "two")
    first = {rel: data for rel, data in snapshot(one).items() if rel.startswith("pagefind/")}
    assert first and first == {rel: data for rel, data in snapshot(two).items() if rel.startswith("pagefind/")}


def use_pagefind(script: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stand-in for Pagefind's program: a shell script of `script`."""
    program = tmp_path / "pagefind"
    program.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))  # Pagefind's own switch for which binary to run


def edit_first_post(site: Path) -> None:
    (site / "content" / "posts" / "first.md").write_text("---\ntitle: First, edited\ndate: 2026-01-05\n---\n\nX.\n",
                                                         encoding="utf-8")


def test_a_pagefind_failure_is_one_line_and_leaves_the_output_as_it_was(site_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    output = run(site_dir)
    before = snapshot(output)
    use_pagefind("echo 'Error: could not read the site' >&2\nexit 1\n", tmp_path, monkeypatch)
    edit_first_post(site_dir)
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert [str(p) for p in failed.value.problems] == [
        ("publisher.toml: search: Pagefind could not index the pages: Error: could not read the site; "
         "or turn search off with [search] enabled = false")]
    assert snapshot(output) == before


def test_a_pagefind_panic_is_said_by_its_message_not_by_rusts_note_on_backtraces(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_pagefind("printf \"thread 'main' panicked at pagefind/src/index/mod.rs:530:30:\\nbyte index 56 is out of "
                 "bounds\\nnote: run with RUST_BACKTRACE=1 to display a backtrace\\n\" >&2\nexit 101\n",
                 tmp_path, monkeypatch)
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert "Pagefind could not index the pages: byte index 56 is out of bounds;" in str(failed.value.problems[0])


def test_ctrl_c_reaching_pagefind_stops_the_build_as_any_ctrl_c_does(site_dir: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    output = run(site_dir)
    before = snapshot(output)
    use_pagefind("kill -INT $$\n", tmp_path, monkeypatch)  # as Ctrl-C in a terminal reaches every process
    edit_first_post(site_dir)
    with pytest.raises(KeyboardInterrupt):  # not "Pagefind could not index the pages": it was stopped
        run(site_dir)
    assert snapshot(output) == before


def test_a_pagefind_run_that_stops_working_is_made_again(site_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from pagefind.service import get_executable

    from publisher.pages import search

    monkeypatch.setattr(search, "STALLED", 0.5)
    runs, hung = tmp_path / "runs", tmp_path / "hung-pid"
    # The first run waits for good, using no processor time, as Pagefind did.
    use_pagefind(f'echo run >> "{runs}"\nif [ ! -e "{hung}" ]; then echo $$ > "{hung}"; exec sleep 600; fi\n'
                 f'exec "{get_executable()}" "$@"\n', tmp_path, monkeypatch)
    output = run(site_dir)
    assert runs.read_text(encoding="utf-8").count("run") == 2
    assert found_urls(output) == {"/first/", "/second/", "/about/"}
    with pytest.raises(ProcessLookupError):
        os.kill(int(hung.read_text(encoding="utf-8")), 0)  # the stalled run was ended


def test_a_pagefind_that_never_works_is_one_line(site_dir: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.pages import search

    output = run(site_dir)
    before = snapshot(output)
    monkeypatch.setattr(search, "STALLED", 0.3)
    use_pagefind("exec sleep 600\n", tmp_path, monkeypatch)
    edit_first_post(site_dir)
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert [str(p) for p in failed.value.problems] == [
        ("publisher.toml: search: Pagefind stopped working (3 runs, each idle for 0.3 s); "
         "or turn search off with [search] enabled = false")]
    assert snapshot(output) == before


def test_a_missing_pagefind_program_is_named(site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "nowhere" / "pagefind"))
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert str(failed.value.problems[0]).startswith("publisher.toml: search: cannot run Pagefind (No such file")


@pytest.mark.parametrize("setup", ["the wheel's", "named", "on PATH"])
def test_the_pagefind_program_run_is_the_one_the_pagefind_package_finds(setup: str, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from pagefind.service import get_executable

    from publisher.pages.search import _executable

    if setup == "named":
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "named" / "pagefind"))
    else:
        monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    if setup == "on PATH":  # no wheel brings one: the program on PATH
        for wheel in ("pagefind_bin_extended", "pagefind_bin"):
            monkeypatch.setitem(sys.modules, wheel, None)
        program = tmp_path / "bin" / "pagefind"
        program.parent.mkdir()
        program.write_text("#!/bin/sh\n", encoding="utf-8")
        program.chmod(0o755)
        monkeypatch.setenv("PATH", f"{program.parent}{os.pathsep}{os.environ['PATH']}")
    found = get_executable()
    assert found is not None and _executable() == found
    assert str(found).startswith(str(tmp_path)) == (setup != "the wheel's")


def test_another_pagefind_program_makes_the_next_build_index_again(site_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind upgraded, or its extended program installed (for Chinese or Japanese words): the next build makes
    the index anew. Before, it said "Up to date" and kept the old program's index: the program was no input."""
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    options = BuildOptions(config=site_dir / "publisher.toml", now=NOW)
    assert isinstance(build_if_changed(options), BuildReport)
    assert not isinstance(build_if_changed(options), BuildReport)  # nothing changed: up to date
    installed = tmp_path / "bin" / "pagefind_extended"  # another program (a copy of the standard one will do)
    installed.parent.mkdir()
    shutil.copy(search._executable(), installed)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(installed))
    again = build_if_changed(options)
    assert isinstance(again, BuildReport) and found_urls(again.output_dir) == {"/first/", "/second/", "/about/"}



def a_wheel_s_program(folder: Path, runs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pagefind's program as its wheel installs it (a `pagefind_bin_extended` module and its version's metadata),
    running the real one and noting each run in `runs`: the program, whose time an install sets."""
    real = search._executable()
    folder.mkdir(parents=True)
    program = folder / "pagefind_extended"
    program.write_text(f'#!/bin/sh\necho "$2" >> "{runs}"\nexec "{real}" "$@"\n', encoding="utf-8")
    program.chmod(0o755)
    wheel = types.ModuleType("pagefind_bin_extended")  # in sys.modules for this test alone (never imported from
    wheel.get_executable = lambda: program  # type: ignore[attr-defined]  # a file, which would stay imported)
    (folder / "pagefind_bin_extended-1.5.2.dist-info").mkdir()
    (folder / "pagefind_bin_extended-1.5.2.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: pagefind_bin_extended\nVersion: 1.5.2\n", encoding="utf-8")
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", wheel)
    return program


def test_a_wheel_s_program_installed_anew_keeps_the_parts_of_the_index(site_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """CI installs Pagefind anew on every run, which writes its program with the time it ran: every part of the
    index, kept by the program's time, was made again in every CI build (27 s of Pagefind at 10,000 posts)."""
    in_parts(site_dir, 1)
    runs = tmp_path / "runs"
    program = a_wheel_s_program(tmp_path / "site-packages", runs, monkeypatch)
    options = BuildOptions(config=site_dir / "publisher.toml", now=NOW)
    build(options)
    assert len(runs.read_text(encoding="utf-8").splitlines()) == 2  # a run a part
    installed = time.time() + 3600
    os.utime(program, (installed, installed))  # the next CI run's install
    post = site_dir / "content" / "posts" / "second.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nMore words.\n", encoding="utf-8")
    report = build(options)
    assert len(runs.read_text(encoding="utf-8").splitlines()) == 3  # the edited post's part, alone
    assert found_urls(report.output_dir) | found_urls(report.output_dir, "pagefind/parts/3") == {
        "/first/", "/second/", "/about/"}


def in_language(site: Path, language: str, text: str) -> None:
    """The good site in `language` (set on line 2 of its settings), with a post of `text`."""
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", f'[site]\nlanguage = "{language}"\n', 1),
                      encoding="utf-8")
    post = f"---\ntitle: {text[:4]}\ndate: 2026-03-01\n---\n\n{text}\n"
    (site / "content" / "posts" / "unspaced.md").write_text(post, encoding="utf-8")


def the_standard_program(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's program as `pagefind[bin]` installs it: the standard one, neither named nor the extended one."""
    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)


def warnings_of(site: Path) -> list[str]:
    return [str(w) for w in build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False)).warnings]


UNSPACED = {"ja": ("Japanese", "私は東京で美味しいラーメンを食べました。"),
            "zh-Hant": ("Chinese", "我們在台北吃了很多小籠包。")}


@pytest.mark.parametrize("language", UNSPACED)
def test_a_site_whose_words_pagefind_does_not_split_is_told_to_install_the_program_that_does(
        language: str, site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Pagefind's extended program, a Japanese or Chinese reader searching ラーメン finds nothing (seen in
    Chromium): the standard one takes 私は東京で美味しいラーメンを食べました as one word, found only by its start."""
    the_standard_program(monkeypatch)
    name, text = UNSPACED[language]
    in_language(site_dir, language, text)
    told = [w for w in warnings_of(site_dir) if "site.language" in w]
    assert told == [(f"publisher.toml:2: site.language: search finds a {name} word only where a sentence or phrase "
                     f"starts: Pagefind's standard program does not split {name} text into words; its extended one "
                     "does, and is used once installed (pip install 'pagefind[extended]'; add it to requirements.txt "
                     "for CI)")]


@pytest.mark.parametrize("language", ["en", "de", "ko"])
def test_a_site_in_a_language_written_with_spaces_is_not_told_so(language: str, site_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    the_standard_program(monkeypatch)
    in_language(site_dir, language, "Words with spaces between them.")
    assert not [w for w in warnings_of(site_dir) if "site.language" in w]


def test_once_the_extended_program_is_installed_the_warning_goes(site_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    the_standard_program(monkeypatch)
    in_language(site_dir, "ja", UNSPACED["ja"][1])
    options = BuildOptions(config=site_dir / "publisher.toml", now=NOW)
    assert [w.field for w in build_if_changed(options).warnings].count("site.language") == 1
    installed = tmp_path / "bin" / "pagefind_extended"  # as the user names it (a copy of the standard one will do)
    installed.parent.mkdir()
    shutil.copy(search._executable(), installed)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(installed))
    assert "site.language" not in [w.field for w in build_if_changed(options).warnings]


def test_a_site_with_nothing_to_find_has_no_search_yet(tmp_path: Path) -> None:
    site = tmp_path / "empty"
    (site / "content" / "posts").mkdir(parents=True)
    shutil.copy(Path(__file__).parents[2] / "sites" / "good" / "publisher.toml", site / "publisher.toml")
    output = run(site)  # Pagefind refuses to index nothing: no search page to link to a missing index
    assert not (output / "pagefind").exists() and not (output / "search").exists()
    assert "/search/" not in (output / "index.html").read_text(encoding="utf-8")


def test_a_theme_without_the_mark_gets_every_page_indexed_whole(site_dir: Path) -> None:
    templates = site_dir / "themes" / "default" / "templates"
    templates.mkdir(parents=True)
    (templates / "post.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ post.title }}</h1>{{ post.html }}{% endblock %}')
    (templates / "page.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ entry.title }}</h1>{{ entry.html }}{% endblock %}')
    assert {"/first/", "/second/", "/about/", "/", "/tags/"} <= found_urls(run(site_dir))  # Pagefind's own rule


def test_a_large_index_comes_in_parts_that_together_find_every_page_once(site_dir: Path) -> None:
    in_parts(site_dir, 1)
    output = run(site_dir)
    merged = json.loads((output / "pagefind" / "parts.json").read_bytes())
    assert merged == ["parts/3/"]  # the search page merges these into the first part, at pagefind/
    assert found_urls(output) == {"/first/", "/about/"}
    assert found_urls(output, "pagefind/parts/3") == {"/second/"}
    part = output / "pagefind" / "parts" / "3"
    assert (part / "pagefind-entry.json").is_file() and list(part.glob("index/*.pf_index"))
    # Pagefind's interface, script and WebAssembly are loaded once, from pagefind/: `mergeIndex` reads a part's
    # entry, metadata, index and fragments alone (the browser test finds every part's pages so).
    assert not [name for name in part.iterdir() if name.suffix in (".js", ".css") or name.name.startswith("wasm.")]
    assert (output / "pagefind" / "wasm.en.pagefind").is_file() and (output / "pagefind" / "pagefind.js").is_file()


def test_a_site_within_one_part_has_one_index_and_nothing_to_merge(site_dir: Path) -> None:
    output = run(site_dir)
    assert json.loads((output / "pagefind" / "parts.json").read_bytes()) == []
    assert not (output / "pagefind" / "parts").exists()
    assert found_urls(output) == {"/first/", "/second/", "/about/"}


def test_an_edit_remakes_only_the_part_its_page_is_in(site_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    in_parts(site_dir, 1)
    runs = counting_pagefind(tmp_path, monkeypatch)
    options = {"use_cache": True, "cache_dir": tmp_path / "cache"}
    output = run(site_dir, **options)
    before = file_ids(output / "pagefind")
    assert len(runs.read_text().splitlines()) == 2  # two parts
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    run(site_dir, **options)
    assert len(runs.read_text().splitlines()) == 3  # the edited page's part alone
    after = file_ids(output / "pagefind")
    first_part = {path for path in before if not path.startswith("parts")}
    assert {path: after[path] for path in first_part} == {path: before[path] for path in first_part}
    remade = {path for path in after if path.startswith("parts/3/")}
    assert remade and all(after[path] != before.get(path) for path in remade if "fragment/" in path)
    fragments = (output / "pagefind" / "parts" / "3" / "fragment").iterdir()
    assert any(b"zeppelins" in gzip.decompress(fragment.read_bytes()) for fragment in fragments)
    kept = [folder for folder in (tmp_path / "cache").glob("search-*/*") if folder.is_dir()]
    assert len(kept) == 2  # one bundle per part: the one made before the edit is gone


def test_a_new_title_remakes_the_part_of_its_own_page_not_those_of_the_pages_that_show_it_after_their_content(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_parts(site_dir, 1)
    runs = counting_pagefind(tmp_path, monkeypatch)
    options = {"use_cache": True, "cache_dir": tmp_path / "cache"}
    output = run(site_dir, **options)
    before = file_ids(output / "pagefind")
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8").replace("title:", "title: Zeppelins and", 1),
                      encoding="utf-8")
    run(site_dir, **options)
    assert b"Zeppelins and" in (output / "first" / "index.html").read_bytes()  # its neighbour, after its content
    assert len(runs.read_text().splitlines()) == 3  # the edited page's part alone (two parts, then one)
    after = file_ids(output / "pagefind")
    assert {path: ids for path, ids in after.items() if not path.startswith("parts")} == {
        path: ids for path, ids in before.items() if not path.startswith("parts")}  # /first/'s part, untouched
    clean = run(site_dir, output=tmp_path / "clean")
    assert snapshot(output / "pagefind") == snapshot(clean / "pagefind")


PAGE = ("<!DOCTYPE html><html lang=en><head><title>T</title></head><body><header><a href=/>Hub</a></header>"
        "<main><article class=post data-pagefind-body><h1>Title</h1><article><p>Quoted.</p></article><p>Text."
        "</p></article>{after}</main><footer>© Hub</footer></body></html>")
CONTENT_START, CONTENT_END = PAGE.index("<article class=post"), PAGE.index("{after}")
LEAD = "<html lang=en><title>T</title>"  # what Pagefind is given of PAGE before its content


@pytest.mark.parametrize("after", ['<aside><h2 id="related">See also</h2><a href="/x/">X</a></aside>',
                                   "<nav><a rel=prev href=/a/>Older</a></nav><article>a card</article>", ""])
def test_what_pagefind_is_given_of_a_page_ends_with_the_element_marking_its_content(after: str) -> None:
    page = PAGE.format(after=after).encode()
    assert indexed_form(page) == LEAD.encode() + page[CONTENT_START:CONTENT_END]


@pytest.mark.parametrize("head", [
    '<meta charset="utf-8"><script type="application/ld+json">{"name": "<h2>a</h2>"}</script>',
    "<style>a > b { color: red }</style><!-- a comment <h2> --><link rel=stylesheet href='/a.css?v=1>2'>",
    "<script>if (a < b) { document.title = '</scripted>' }</script><meta name=x content=\"</title>\">",
    "<!-->", "<!-- a -- b ---><meta>",
    "</head><body><header><img src=/logo.svg alt=''></header>",  # no image of Pagefind's: that follows the heading
])
def test_of_what_comes_before_the_content_pagefind_is_given_the_language_and_title(head: str) -> None:
    """Plain markup before the marked element (styles, scripts and comments, which may hold `<` and `>`; the
    header; quoted attributes) counts for nothing in Pagefind's index but for the language and the title: the
    rest is not given, so that a change there (a stylesheet's version, a menu) does not make the index again."""
    page = PAGE.replace("<title>", head + "<title>").replace("{after}", "").encode()
    assert indexed_form(page) == LEAD.encode() + page[page.index(b"<article class=post"):page.index(b"</main>")]
    changed = page.replace(b"<a href=/>Hub</a>", b"<a href=/>Hub</a><nav><a href=/new/>New</a></nav>")
    assert page_facts(changed) == page_facts(page)


@pytest.mark.parametrize("change", [
    ("<title>T</title>", "<title>T</title><meta data-pagefind-meta='image:/a.png'>"),  # metadata is read anywhere
    ("<a href=/>Hub</a>", "<h1>Hub</h1>"),  # the result's title, when the content has no heading
    ("<a href=/>Hub</a>", "<a href=/>Hub</a><p>1 < 2</p>"),  # a `<` that is text: markup read otherwise
    ("<a href=/>Hub</a>", "<a href=/ title='Hub>Hub</a>"),  # a quote left open
    ("<a href=/>Hub</a>", "<textarea>Hub</textarea>"),  # text that is not markup
    ("<a href=/>Hub</a>", "<svg><title>Hub</title></svg>"),  # foreign content, a second title
    ("<title>T</title>", "<title>T</title><title>U</title>"),
    ("<title>T</title>", "<title>T</title><script>var s = '"),  # a script the content would be inside
    ("<title>T</title>", "<title>T</title><!-- "),
])
def test_what_comes_before_the_content_is_given_whole_where_it_may_count_or_is_not_plain(change: tuple[str, str]
                                                                                          ) -> None:
    page = PAGE.replace(*change).replace("{after}", "").encode()
    start = page.index(b"<article class=post")
    assert indexed_form(page) == page[:page.index(b"</article></main>") + len(b"</article>")]
    assert indexed_form(page)[:start] == page[:start]


@pytest.mark.parametrize("change", [
    ("{after}", "{after}<p data-pagefind-meta='author:Ann'>Ann</p>"),  # metadata is read anywhere
    ("{after}", "{after}<div data-pagefind-filter=topic>seo</div>"),
    ("{after}", "{after}<section data-pagefind-body>More.</section>"),  # a second marked element
    ("{after}", "{after}<h1>Hub</h1>"),  # the result's title, when the content has no heading
    ("{after}", "{after}<img src=/a.png alt=''>"),  # the result's image, when the content has none
    ("{after}", "{after}<script src=/_pagefind/pagefind.js></script>"),  # an old bundle's, that Pagefind warns of
    ("<p>Quoted.</p>", "<!-- </article> --><p>Quoted.</p>"),  # a comment could hide an end tag
    ("<p>Quoted.</p>", "<p title='</article>'>Quoted.</p>"),
    ("<p>Quoted.</p>", "<p title='1 > 0 </article>'>Quoted.</p>"),  # a `>` in a value does not end the tag
    ("<p>Quoted.</p>", "<script>var end = '</article>';</script>"),
    ("<p>Quoted.</p>", "<svg><title>x</title></svg>"),
    ("</p></article>{after}", "</p>{after}"),  # never ended
])
def test_a_page_is_given_whole_where_its_end_may_count_or_the_content_end_is_not_sure(change: tuple[str, str]
                                                                                      ) -> None:
    page = PAGE.replace(*change).format(after="<aside>See also</aside>").encode()
    assert indexed_form(page) == page


@pytest.mark.parametrize(("header", "plain"), [
    ("<a " + "b=c " * 200_000 + ">", True), ("<a>" * 300_000, True), ("<!--" + "- " * 300_000 + "-->", True),
    ("<script>" + "< " * 300_000 + "</script>", True), ("a<b " * 300_000, True),  # one tag, as HTML reads it
    ("<a" + " " * 1_000_000 + "b", True), ("<a title='" + "x" * 1_000_000, False), ("<!--" + "-" * 1_000_000, False),
    ("<textarea>" + "x" * 1_000_000, False),
])
def test_a_header_of_a_million_characters_is_read_once_through(header: str, plain: bool) -> None:
    """The pattern that reads what comes before the content never backtracks: each of these hostile headers is read
    in one pass (a backtracking pattern would not end), and told plain or not."""
    page = PAGE.replace("<header>", "<header>" + header).replace("{after}", "").encode()
    given = indexed_form(page)
    assert given.startswith(LEAD.encode()) == plain
    assert given.endswith(b"<p>Text.</p></article>")


def test_a_page_marking_no_content_is_given_whole() -> None:
    page = PAGE.replace(" data-pagefind-body", "").format(after="").encode()
    assert indexed_form(page) == page
    assert page_facts(page) == (False, page_facts(page)[1])



class _Levels(HTMLParser):
    """How deep a page's elements nest, and its text, as Python's own HTML parser reads them."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                      "track", "wbr"})

    def __init__(self, html: bytes) -> None:
        super().__init__()
        self.depth = self.deepest = 0
        self.text: list[str] = []
        self.feed(html.decode())
        self.close()

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self.VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _nested(levels: int, inner: str = "Zeppelins") -> bytes:
    """PAGE with content nested `levels` deep: quotes each holding a paragraph and an emphasised word."""
    content = "<blockquote><p>Level <em>word</em></p>" * levels + inner + "</blockquote>" * levels
    return PAGE.replace("<p>Quoted.</p>", content).format(after="<aside>See also</aside>").encode()


@pytest.mark.parametrize("levels", [5_000, 30_000])
def test_content_nested_past_512_levels_is_given_as_its_text_from_there(levels: int) -> None:
    """Pagefind's time grows with the square of the nesting (30,000 levels here took it 1.5 s, 130,000 29 s): past
    512 levels, Blink's limit too, it is given the text alone, every word of it, and the tags up to there."""
    page = _nested(levels)
    given = _Levels(indexed_form(page).removeprefix(LEAD.encode()))  # levels counted from the marked element
    whole = _Levels(page[CONTENT_START:page.index(b"<aside>")])
    assert whole.deepest > levels
    assert given.deepest == 512
    assert "".join(given.text) == "".join(whole.text)  # all of the text, the deepest word too, in order
    assert indexed_form(page).startswith(LEAD.encode() + b"<article class=post data-pagefind-body><h1>Title</h1>")
    assert indexed_form(page).endswith(b"</p></article>")  # the levels kept are closed as they were
    assert indexed_form(page).count(b"<blockquote>") == 510  # levels 3 to 512, in the content's inner article
    counted_after = page.replace(b"<aside>", b"<aside data-pagefind-meta='author:Ann'>")  # the page is given whole
    assert indexed_form(counted_after) == (page[:CONTENT_START] + indexed_form(page).removeprefix(LEAD.encode())
                                           + counted_after[page.index(b"<aside>"):])  # ... but for those levels


@pytest.mark.parametrize(("page", "why"), [
    (_nested(600), "fewer than 4,096 tags: little work for Pagefind however deep"),
    (_nested(400).replace(b"<p>Level", b"<p><b></b><i></i><u></u><s></s>Level"), "many tags, 401 levels deep"),
    (_nested(5_000).replace(b"<em>word</em>", b"<em/word>", 1), "a tag `_TAG` does not read as HTML does"),
])
def test_content_not_nested_past_512_levels_or_not_read_for_sure_is_given_as_it_is(page: bytes, why: str) -> None:
    assert indexed_form(page) == LEAD.encode() + page[CONTENT_START:page.index(b"<aside>")], why



def test_a_post_quoted_20000_levels_deep_is_found_by_its_deepest_word(site_dir: Path) -> None:
    post = site_dir / "content" / "posts" / "deep.md"
    post.write_text("---\ntitle: Deep\ndate: 2026-01-05\n---\n\n" + "> " * 20_000 + "Zeppelins\n", encoding="utf-8")
    output = run(site_dir)
    assert (output / "deep" / "index.html").read_bytes().count(b"<blockquote>") == 20_000  # the page as written
    records = [gzip.decompress(path.read_bytes()) for path in (output / "pagefind" / "fragment").iterdir()]
    [deep] = [json.loads(record[record.index(b"{"):]) for record in records if b'"/deep/"' in record]
    assert deep["content"].endswith("Zeppelins")


def test_pagefind_makes_the_same_index_of_the_sample_hub_from_what_it_is_given(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The premise of `indexed_form`, checked with Pagefind's own program on the sample hub's pages (headings,
    images, CTAs, clusters, related posts, the neighbours' links): an index of each page as given is byte for
    byte the index of the whole pages."""
    from pagefind.service import get_executable

    monkeypatch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
    out = build(BuildOptions(config=REPO / "publisher.toml", output=tmp_path / "out", use_cache=False)).output_dir
    pages = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*.html")) if "pagefind" not in p.parts}
    cut = led = 0
    for name, form in (("whole", lambda html: html), ("given", indexed_form)):
        for path, html in pages.items():
            (tmp_path / name / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name / path).write_bytes(form(html))
            cut += form(html) != html
            led += not html.startswith(form(html)[:100])
        subprocess.run([str(get_executable()), "--site", str(tmp_path / name), "--output-path",
                        str(tmp_path / f"{name}-index"), "--silent", "--exclude-selectors", NOT_INDEXED],
                       check=True)
    assert cut >= 10 and led >= 10  # the posts' pages, their head and header left out: it compares something
    assert snapshot(tmp_path / "given-index") == snapshot(tmp_path / "whole-index")


def test_a_build_notes_what_it_wrote_so_the_next_index_reads_no_page_again(site_dir: Path, tmp_path: Path) -> None:
    output = run(site_dir, use_cache=True, cache_dir=tmp_path / "cache")
    [facts] = (tmp_path / "cache").glob("search-*/pages.json")
    noted = json.loads(facts.read_bytes())["pages"]
    pages = {p.relative_to(output).as_posix() for p in output.rglob("*.html") if "pagefind" not in p.parts}
    assert set(noted) == pages  # each page, marked or not
    assert {path for path, facts in noted.items() if facts[4]} == {"first/index.html", "second/index.html",
                                                                  "about/index.html"}
    for path, (size, inode, mtime, ctime, _, _, cut) in noted.items():
        stat = (output / path).stat()
        assert [size, inode, mtime, ctime] == [stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns], path
        html = (output / path).read_bytes()
        pieces = zip(cut[::2], cut[1::2], strict=True)
        assert b"".join(html[start:end] for start, end in pieces) == indexed_form(html), path


def test_a_page_changed_on_disk_is_read_again_when_indexed_from_the_output(site_dir: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    output = run(site_dir)
    first = SearchPages.in_output(output, Shards(1000, store)).index()
    first.close()
    page = output / "second" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>Zeppelins.</p></article>"),
                    encoding="utf-8")
    again = SearchPages.in_output(output, Shards(1000, store)).index()
    try:
        fragments = [file.read() for file in again.files if "/fragment/" in file.path]
        assert any(b"Zeppelins." in gzip.decompress(fragment) for fragment in fragments)
    finally:
        again.close()


def test_a_kept_part_gives_the_bytes_a_clean_build_gives(site_dir: Path, tmp_path: Path) -> None:
    in_parts(site_dir, 1)
    cached = {"use_cache": True, "cache_dir": tmp_path / "cache", "output": tmp_path / "cached"}
    run(site_dir, **cached)
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    index = {rel: data for rel, data in snapshot(run(site_dir, **cached)).items() if rel.startswith("pagefind/")}
    clean = run(site_dir, output=tmp_path / "clean")
    assert index == {rel: data for rel, data in snapshot(clean).items() if rel.startswith("pagefind/")}


def test_a_page_that_only_names_the_mark_in_its_text_is_not_marked() -> None:
    pages = {"post/index.html": b'<html><body><article data-pagefind-body><p>Words</p></article></body></html>',
             "talk/index.html": b"<html><body><p>Add &lt;article data-pagefind-body&gt; to it</p></body></html>",
             "home/index.html": b"<html><body><p>Home</p></body></html>"}
    assert set(indexed_pages({path: page_facts(html) for path, html in pages.items()})) == {"post/index.html"}
    del pages["post/index.html"]
    unmarked = {path: page_facts(html) for path, html in pages.items()}
    assert set(indexed_pages(unmarked)) == {"talk/index.html", "home/index.html"}  # none marked: every page


def test_parts_are_a_power_of_two_and_a_page_stays_in_its_part_as_the_site_grows() -> None:
    pages = {f"post-{n}/index.html": "digest" for n in range(10)}
    parts = dict(split_pages(pages, 4))  # 10 pages, 4 a part: 4 parts (not 3), each holding some of these
    assert sum(len(part) for part in parts.values()) == 10 and set(parts) == {0, 1, 2, 3}
    grown = dict(split_pages({**pages, "post-10/index.html": "digest", "post-11/index.html": "digest"}, 4))
    assert all(set(part) <= set(grown[number]) for number, part in parts.items())


def test_a_shard_size_below_one_is_named(site_dir: Path) -> None:
    in_parts(site_dir, 0)
    with pytest.raises(BuildFailed) as failed:
        run(site_dir)
    assert [str(p) for p in failed.value.problems] == [
        "publisher.toml:11: search.shard_size: must be at least 1, not 0"]


def built_in_parts(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, dict[str, object]]:
    """The site built once, its index in two parts, with Pagefind's runs noted (see `counting_pagefind`); and the
    options that build it again with its cache."""
    in_parts(site, 1)
    runs = counting_pagefind(tmp_path, monkeypatch)
    cached = {"use_cache": True, "cache_dir": tmp_path / "cache", "output": tmp_path / "cached"}
    run(site, **cached)
    assert len(runs.read_text().splitlines()) == 2  # two parts
    return runs, cached


def index_in(output: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in snapshot(output).items() if rel.startswith("pagefind/")}


def test_a_body_edit_indexes_its_part_while_the_rest_is_built(site_dir: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    runs, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    output = run(site_dir, **cached)
    made = runs.read_text().splitlines()[2:]
    assert len(made) == 1 and "publisher-search-ahead-" in made[0]  # started early, and not run again at the end
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))
    assert not list((tmp_path / "cache").glob("search-*/*.tmp"))


def test_a_body_edit_build_leaves_the_store_one_bundle_a_part_and_no_scratch_folder(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the index's making leaves to remove (the edited part's last bundle, the early run's scratch copy) is
    gone when the build returns."""
    _, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    store = next((tmp_path / "cache").glob("search-*"))
    before = {folder.name for folder in store.iterdir() if folder.is_dir()}
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    run(site_dir, **cached)
    after = {folder.name for folder in store.iterdir() if folder.is_dir()}
    assert len(before) == len(after) == 2 and len(before & after) == 1  # the edited part's bundle replaced
    assert {path.name.removesuffix(".sums.json") for path in store.glob("*.sums.json")} == after  # each one's sums
    mine = [folder for root in (Path("/dev/shm"), Path(tempfile.gettempdir())) if root.is_dir()
            for folder in root.glob(f"publisher-search-*{os.getpid()}-*")]
    assert mine == []


def bundles_in(cache: Path) -> dict[str, Path]:
    """The store's bundles, each by the URLs of the pages it indexes, joined by spaces."""
    store = next(cache.glob("search-*"))
    return {" ".join(sorted(found_urls(store, folder.name))): folder for folder in store.iterdir() if folder.is_dir()}


@pytest.mark.parametrize("when", ["early", "at the end"])
def test_an_edited_part_is_kept_with_the_files_it_shares_with_its_last_bundle_linked_not_copied(
        when: str, site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's interface files and the part's other pages' fragments come out of an edit as they were: the
    store keeps them once, each new bundle's file a link to the last bundle's, made early or at the end."""
    _, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    if when == "at the end":
        monkeypatch.setattr(search, "MOST_AHEAD", 0)  # no early run: the part is made at the end
    last = bundles_in(tmp_path / "cache")["/second/"]  # the second part's: its interface files are in no output
    before = {name: (last / name).stat().st_ino for name in ("pagefind-ui.js", "wasm.en.pagefind")}
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    output = run(site_dir, **cached)
    new = bundles_in(tmp_path / "cache")["/second/"]
    assert new != last and not last.exists()
    assert {name: (new / name).stat().st_ino for name in before} == before
    assert any(b"zeppelins" in gzip.decompress(fragment.read_bytes()) for fragment in (new / "fragment").iterdir())
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))


@pytest.mark.parametrize("when", ["early", "at the end"])
def test_a_file_damaged_in_the_last_bundle_is_not_carried_into_the_edited_parts_new_one(
        when: str, site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a plain file of the same bytes is linked from the last bundle: one written over in the store (in place,
    so the output's link to it is damaged as well), or made a link to a file elsewhere, is taken as Pagefind
    made it this time."""
    _, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    if when == "at the end":
        monkeypatch.setattr(search, "MOST_AHEAD", 0)
    last = bundles_in(tmp_path / "cache")
    first = next(path for path in (last["/about/ /first/"] / "fragment").iterdir()
                 if b'"/first/"' in gzip.decompress(path.read_bytes()))
    first.write_bytes(bytes(reversed(first.read_bytes())))  # the same size, other bytes, the same file
    script = last["/second/"] / "pagefind.js"  # in no output: the second part's interface files are not used
    elsewhere = tmp_path / "elsewhere.js"
    shutil.copyfile(script, elsewhere)
    script.unlink()
    script.symlink_to(elsewhere)
    for source in (site_dir / "content" / "pages" / "about.md", site_dir / "content" / "posts" / "second.md"):
        source.write_text(source.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    output = run(site_dir, **cached)
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))
    new = bundles_in(tmp_path / "cache")["/second/"] / "pagefind.js"
    assert not new.is_symlink() and new.read_bytes() == elsewhere.read_bytes()


def _damage_bundle(bundle: Path, how: str) -> None:
    """Damage a kept bundle as a cache can come damaged: a file's bytes put in its place (a new file: the
    output's link to the old one keeps its bytes), a file gone, a file more, or the sums kept beside it."""
    fragment = sorted((bundle / "fragment").iterdir())[0]
    sums = bundle.with_name(bundle.name + ".sums.json")
    if how in ("a file cut short", "a file of other bytes"):
        data = fragment.read_bytes()
        fragment.unlink()
        fragment.write_bytes(data[: len(data) // 2] if how == "a file cut short" else bytes(reversed(data)))
    elif how == "a file gone":
        fragment.unlink()
    elif how == "a file more":
        (bundle / "fragment" / "en_0000000.pf_fragment").write_bytes(fragment.read_bytes())
    elif how == "its sums gone":
        sums.unlink()
    else:
        sums.write_text("{not json", encoding="utf-8")


DAMAGE = ["a file cut short", "a file of other bytes", "a file gone", "a file more", "its sums gone",
          "its sums damaged"]


@pytest.mark.parametrize("how", DAMAGE)
@pytest.mark.parametrize("output", ["the same output", "a new output (CI)"])
def test_a_damaged_kept_part_is_made_again_not_published(how: str, output: str, site_dir: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache is never trusted to hold what its names say: a part no edit touched, whose kept bundle is not as
    it was kept, is made again; the index is a clean build's."""
    runs, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    untouched = bundles_in(tmp_path / "cache")["/about/ /first/"]
    _damage_bundle(untouched, how)
    if output == "a new output (CI)":
        shutil.rmtree(tmp_path / "cached")
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    built = run(site_dir, **cached)
    assert len(runs.read_text().splitlines()) == 4  # the edited part, and the damaged one made again
    assert index_in(built) == index_in(run(site_dir, output=tmp_path / "clean"))
    again = bundles_in(tmp_path / "cache")["/about/ /first/"]
    assert search._whole_bundle(again, frozenset())


def test_a_kept_part_the_output_holds_as_its_very_files_is_not_read(site_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-post build reads none of the files of the parts its edit left, the output's links to them: only
    those of its edited part that the output does not hold (made anew, or not published: a part's interface
    files but the first part's)."""
    _, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    read: list[Path] = []
    real = search._file_sum
    monkeypatch.setattr(search, "_file_sum", lambda path: read.append(path) or real(path))
    untouched = bundles_in(tmp_path / "cache")["/about/ /first/"]
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    run(site_dir, **cached)
    edited = bundles_in(tmp_path / "cache")["/second/"]
    assert read and all(edited in path.parents for path in read)
    assert untouched.is_dir() and not any(untouched in path.parents for path in read)


def test_a_new_menu_entry_on_every_page_makes_no_part_of_the_index_again(site_dir: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page's header changes, and what Pagefind is given of none: each part is kept, Pagefind not run, and
    the index is a clean build's."""
    runs, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    settings = site_dir / "publisher.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + '\n[[nav]]\ntitle = "Zeppelins"\nurl = "/z/"\n',
                        encoding="utf-8")
    output = run(site_dir, **cached)
    assert b'href="/z/"' in (output / "first" / "index.html").read_bytes()
    assert len(runs.read_text().splitlines()) == 2  # the first build's two parts, and none since
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))


def test_an_early_run_is_given_the_other_pages_as_noted_and_a_page_written_since_cut_again(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's early run on an edited page's part is given each other page of the part as the last index noted
    the cut of its file, with the digest noted, neither cut nor digested again; a page written since (another file
    state) is cut again, as it is now."""
    built_in_parts(site_dir, tmp_path, monkeypatch)
    store = next((tmp_path / "cache").glob("search-*"))
    about = tmp_path / "cached" / "about" / "index.html"
    cut: list[bytes] = []
    real_cut = search.indexed_cut
    monkeypatch.setattr(search, "indexed_cut", lambda html: cut.append(html) or real_cut(html))

    def real(html: bytes) -> bytes:
        return search.cut_out(html, real_cut(html))

    def given_early() -> tuple[dict[str, bytes], dict[str, str]]:
        early = IndexAhead.waiting(tmp_path / "cached", Shards(1, store), ["first/index.html"])
        assert early is not None
        try:
            [started] = early.runs
            return started.part.pages, started.part.digests
        finally:
            early.close()

    page = about.read_bytes()
    assert real(page) != page  # cut short: the cut noted says where
    assert given_early() == ({"about/index.html": real(page)}, {"about/index.html": sha256(real(page)).hexdigest()})
    assert cut == []
    about.write_bytes(page.replace(b"</article>", b"<p>Zeppelins.</p></article>"))
    pages, digests = given_early()
    assert pages == {"about/index.html": real(about.read_bytes())} and b"Zeppelins." in pages["about/index.html"]
    assert digests == {"about/index.html": sha256(pages["about/index.html"]).hexdigest()}
    assert cut == [about.read_bytes()]


@pytest.mark.parametrize("cut", [[0, 10**9], [-5, 40], [40, 20], [0, 40, 30, 60], [0, 40, 40, 60], [0, 40, 60], [],
                                 ["0", 40], [0.0, 40], [[0, 40]], 40, None])
def test_a_cut_in_the_page_facts_not_as_a_build_notes_one_is_made_again(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: Any) -> None:
    """A page's cut as the store keeps it, damaged (beyond the page, out of order, pieces overlapping or
    meeting, not whole numbers): the early run cuts the page again, and is given what a clean cut gives."""
    built_in_parts(site_dir, tmp_path, monkeypatch)
    store = next((tmp_path / "cache").glob("search-*"))
    facts = json.loads((store / "pages.json").read_bytes())
    facts["pages"]["about/index.html"][6] = cut
    (store / "pages.json").write_text(json.dumps(facts), encoding="utf-8")
    page = (tmp_path / "cached" / "about" / "index.html").read_bytes()
    made: list[bytes] = []
    real_cut = search.indexed_cut
    monkeypatch.setattr(search, "indexed_cut", lambda html: made.append(html) or real_cut(html))
    early = IndexAhead.waiting(tmp_path / "cached", Shards(1, store), ["first/index.html"])
    assert early is not None
    try:
        [started] = early.runs
        assert started.part.pages == {"about/index.html": search.cut_out(page, real_cut(page))}
    finally:
        early.close()
    assert made == [page]


def early_runs(monkeypatch: pytest.MonkeyPatch) -> list[IndexAhead]:
    """Each Pagefind started early by the builds to come, as `IndexAhead.waiting` started it."""
    started: list[IndexAhead] = []
    real = IndexAhead.waiting.__func__  # type: ignore[attr-defined]

    def noted(cls: type[IndexAhead], *args: Any) -> IndexAhead | None:
        early = real(cls, *args)
        if early is not None:
            started.append(early)
        return early

    monkeypatch.setattr(IndexAhead, "waiting", classmethod(noted))
    return started


def test_pagefind_starts_on_an_edited_pages_part_before_the_page_is_rendered(site_dir: Path, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """It reads the part's other pages meanwhile, on the core the build leaves idle, and the edited page from a
    named pipe the build fills once it has rendered the page."""
    import publisher.build.pipeline as pipeline

    runs, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    started = early_runs(monkeypatch)
    seen: list[tuple[bool, bool, bool]] = []
    real = pipeline._rendered_ahead

    def noting(*args: Any) -> Any:
        run_now = started[0].runs[0]
        seen.append((run_now.process.poll() is None, stat.S_ISFIFO((run_now.site / "first/index.html").stat().st_mode),
                     (run_now.site / "about/index.html").is_file()))
        return real(*args)

    monkeypatch.setattr(pipeline, "_rendered_ahead", noting)
    first = site_dir / "content" / "posts" / "first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    output = run(site_dir, **cached)
    assert seen == [(True, True, True)]  # running, the edited page a pipe still, the part's other page a copy
    assert len(runs.read_text().splitlines()) == 3  # and not run again at the end: its bundle was right
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))


def started_before_the_model_is_read(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """For each build to come, the pages Pagefind started early waits for when the build reads its kept model."""
    import publisher.build.persisted as persisted

    started = early_runs(monkeypatch)
    when_read: list[set[str]] = []
    real = persisted.KeptModel.open.__func__  # type: ignore[attr-defined]

    def noting(cls: type[persisted.KeptModel], *args: Any) -> persisted.KeptModel:
        when_read.append({path for early in started for path in early.awaited()})
        return real(cls, *args)  # type: ignore[no-any-return]

    monkeypatch.setattr(persisted.KeptModel, "open", classmethod(noting))
    return when_read


def test_pagefind_starts_before_the_kept_model_is_read(site_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the kept model takes 0.23 s at 10,000 posts, and Pagefind's part is the build's last step to end:
    it starts first, on the part of the page of each file changed since the model was kept, by the URL the
    model holds for the file."""
    runs, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    started_when_read = started_before_the_model_is_read(monkeypatch)
    first = site_dir / "content" / "posts" / "first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nZeppelins.\n", encoding="utf-8")
    output = run(site_dir, **cached)
    assert started_when_read == [{"first/index.html"}]
    assert len(runs.read_text().splitlines()) == 3  # and not run again at the end: its bundle was right
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))

    first.write_text(first.read_text(encoding="utf-8").replace("title: First post", "title: First post\n"
                                                                "slug: first-moved"), encoding="utf-8")
    output = run(site_dir, **cached)
    assert started_when_read[1] == {"first/index.html"}  # where it was: the run ends unfed, its part made anew
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))


def test_settings_changed_since_the_model_was_kept_start_no_pagefind_early(site_dir: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page changes with the settings: a part started on the others as the output holds them would be made
    for nothing."""
    _, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    started_when_read = started_before_the_model_is_read(monkeypatch)
    first = site_dir / "content" / "posts" / "first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nZeppelins.\n", encoding="utf-8")
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("Test Hub", "Test Hub Renamed", 1), encoding="utf-8")
    output = run(site_dir, **cached)
    assert started_when_read == [set()]
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))


def test_pagefind_waiting_for_a_page_the_build_does_not_make_is_ended(site_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A new draft is read anew, but has no page: the build does not wait for Pagefind to give up on it."""
    _, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    started = early_runs(monkeypatch)
    ended_at_delivery: list[bool] = []
    deliver = IndexAhead.deliver

    def noting(self: IndexAhead, pages: dict[str, bytes]) -> None:
        deliver(self, pages)
        ended_at_delivery.append(all(run.kept is None and run.process.poll() is not None for run in self.runs))

    monkeypatch.setattr(IndexAhead, "deliver", noting)
    draft = site_dir / "content" / "posts" / "later.md"
    draft.write_text("---\ntitle: Later\ndate: 2026-01-01\ndraft: true\n---\n\nNot yet.\n", encoding="utf-8")
    began = time.monotonic()
    output = run(site_dir, **cached)
    assert time.monotonic() - began < STALLED, "the build waited for Pagefind to stall"
    assert len(started) == 1 and ended_at_delivery == [True]  # not left waiting for the end of the build
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))
    assert not list((tmp_path / "cache").glob("search-*/*.tmp"))


def test_a_page_cut_short_on_its_way_to_pagefind_keeps_nothing(site_dir: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The pipe's writer failed part way: Pagefind indexed part of the page, a bundle not to keep under the key of
    the whole page. The part is made again at the end."""
    import publisher.pages.search as search

    runs, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    monkeypatch.setattr(search, "_WRITE_PAGE", 'read -r go; head -c 300 -- "$1" > "$2"; exit 1')
    first = site_dir / "content" / "posts" / "first.md"
    first.write_text(first.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    output = run(site_dir, **cached)
    assert len(runs.read_text().splitlines()) == 4  # the part started early, then again at the end
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))


def test_pagefind_waiting_for_a_page_ends_when_the_build_is_killed(site_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A build killed outright (SIGKILL, no cleaning up) before it rendered the edited page: Pagefind reads the
    page as empty and ends, rather than waiting for it for good."""
    built_in_parts(site_dir, tmp_path, monkeypatch)
    pagefinds, _, scratch = killed_after_starting_pagefind(tmp_path)
    try:
        wait_until_ended(pagefinds, "Pagefind still waits for the page of a build that is gone")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def test_a_pages_writer_ends_when_the_build_and_pagefind_are_both_gone(site_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A build killed outright before it rendered the edited page, its Pagefind gone too (killed with it, say):
    the writer of the page's named pipe, with no one left to read it, ends rather than waiting for good."""
    built_in_parts(site_dir, tmp_path, monkeypatch)
    _, writers, scratch = killed_after_starting_pagefind(tmp_path, pagefind_too=True)
    try:
        assert writers
        wait_until_ended(writers, "a page's writer still waits for a Pagefind that is gone")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def killed_after_starting_pagefind(tmp_path: Path, *, pagefind_too: bool = False) -> tuple[list[int], list[int], str]:
    """A build (a forked process) that started Pagefind early on the part of `first/index.html`, then was killed
    outright before it rendered the page, its Pagefind with it when `pagefind_too`: Pagefind's processes, the
    pipes' writers' and the scratch folder."""
    import signal

    store = next((tmp_path / "cache").glob("search-*"))
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def build_started_pagefind() -> None:
        early = IndexAhead.waiting(tmp_path / "cached", Shards(1, store), ["first/index.html"])
        assert early is not None
        sender.send(([run.process.pid for run in early.runs],
                     [writer.process.pid for run in early.runs for writer in run.writers.values()],
                     early.scratch.name))
        time.sleep(60)

    build = context.Process(target=build_started_pagefind)
    build.start()
    pagefinds, writers, scratch = receiver.recv()
    for pid in pagefinds if pagefind_too else ():
        os.kill(pid, signal.SIGKILL)
    build.kill()
    build.join()
    return pagefinds, writers, scratch


def wait_until_ended(pids: list[int], still: str) -> None:
    deadline = time.monotonic() + 30
    while any(running(pid) for pid in pids):
        assert time.monotonic() < deadline, still
        time.sleep(0.1)


def test_scratch_folders_left_by_builds_killed_outright_are_removed(site_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind's scratch copy of the pages is in memory (`/dev/shm`) when there is room: one a build killed
    outright left there, its process gone and the folder unchanged for an hour, is removed by the next build
    that indexes; one of a process still there, one changed lately, and what is not publisher's stay."""
    import publisher.pages.search as search

    memory = tmp_path / "shm"
    memory.mkdir()
    monkeypatch.setattr(search, "MEMORY_FOLDER", memory)
    gone = subprocess.Popen(["true"])
    gone.wait()
    left = memory / f"publisher-search-ahead-{gone.pid}-abcd1234"
    young = memory / f"publisher-search-{gone.pid}-young123"
    alive = memory / f"publisher-search-{os.getpid()}-alive123"
    others = memory / "publisher-search-notanumber"
    for folder in (left, young, alive, others):
        (folder / "site-0").mkdir(parents=True)
    hours_ago = time.time() - 2 * search.LEFT_BEHIND
    for folder in (left, alive, others):
        os.utime(folder, (hours_ago, hours_ago))
    run(site_dir)
    assert (site_dir / "output" / "pagefind" / "pagefind-entry.json").is_file()
    assert sorted(path.name for path in memory.iterdir()) == sorted(folder.name for folder in (young, alive, others))


def test_ctrl_c_while_pagefind_starts_early_leaves_nothing_running(site_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped between starting Pagefind and the page's writer: Pagefind is ended, its scratch folder removed."""
    import publisher.pages.search as search

    built_in_parts(site_dir, tmp_path, monkeypatch)
    store = next((tmp_path / "cache").glob("search-*"))
    real = subprocess.Popen
    started: list[subprocess.Popen[bytes]] = []

    def stopped_at_the_writer(command: list[str], *args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        if command[0] == "sh":
            raise KeyboardInterrupt
        process = real(command, *args, **kwargs)
        started.append(process)
        return process

    monkeypatch.setattr(search.subprocess, "Popen", stopped_at_the_writer)
    with pytest.raises(KeyboardInterrupt):
        IndexAhead.waiting(tmp_path / "cached", Shards(1, store), ["first/index.html"])
    assert len(started) == 1 and started[0].poll() is not None  # Pagefind, started then ended
    scratch = Path(started[0].args[started[0].args.index("--site") + 1]).parent
    assert not scratch.exists()


def running(pid: int) -> bool:
    """Whether the process is there and not ended (a zombie has ended: its parent, gone, did not wait for it)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def test_a_part_that_came_out_otherwise_than_started_is_indexed_again(site_dir: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    runs, cached = built_in_parts(site_dir, tmp_path, monkeypatch)
    real = IndexAhead.deliver

    def guessing_wrong(self: IndexAhead, pages: dict[str, bytes]) -> None:
        real(self, {path: html.replace(b"zeppelins", b"balloons") for path, html in pages.items()})

    monkeypatch.setattr(IndexAhead, "deliver", guessing_wrong)
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    output = run(site_dir, **cached)
    assert len(runs.read_text().splitlines()) == 4  # the part started early, then as it came out
    fragments = (output / "pagefind" / "parts" / "3" / "fragment").iterdir()
    texts = [gzip.decompress(fragment.read_bytes()) for fragment in fragments]
    assert any(b"zeppelins" in text for text in texts) and not any(b"balloons" in text for text in texts)
    assert index_in(output) == index_in(run(site_dir, output=tmp_path / "clean"))


def test_pagefind_started_early_runs_below_the_builds_priority_and_ends_with_a_failed_build(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import publisher.build.pipeline
    from tests.conftest import SlowPagefind

    earlier = set(children())  # left by the tests this worker ran before: not this build's
    cached = {"use_cache": True, "cache_dir": tmp_path / "cache", "output": tmp_path / "cached"}
    run(site_dir, **cached)
    before = snapshot(tmp_path / "cached")
    slow = SlowPagefind.make(tmp_path)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(slow.program))

    priorities: list[int] = []

    def failing(*args: object, **kwargs: object) -> object:
        pid, _ = slow.wait_until_running()
        priorities.append(os.getpriority(os.PRIO_PROCESS, pid))
        raise BuildFailed([])

    monkeypatch.setattr(publisher.build.pipeline, "plan_share", failing)
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    began = time.monotonic()
    with pytest.raises(BuildFailed):
        run(site_dir, **cached)
    assert time.monotonic() - began < 30, "the build waited for Pagefind (a minute) to end"
    assert priorities and priorities[0] > os.getpriority(os.PRIO_PROCESS, 0)  # it takes the core the build leaves
    pid, arguments = slow.wait_until_running()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # ended with the build, not left running
    assert not Path(arguments[arguments.index("--site") + 1]).exists()  # its scratch copy is gone
    assert not list((tmp_path / "cache").glob("search-*/*.tmp"))  # and what it made
    assert set(children()) - earlier == set()  # nor the writer of the edited page's pipe, which this Pagefind never
    # opened
    assert snapshot(tmp_path / "cached") == before


def children() -> list[int]:
    """The processes this one started that are still there (Linux's /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) if entry.name.isdigit() else 0
        except (OSError, IndexError, ValueError):  # ended meanwhile
            continue
        if parent == os.getpid():
            found.append(int(entry.name))
    return found
