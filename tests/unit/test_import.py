"""`publisher import` on small real Jekyll, Hugo and Eleventy sites (tests/sites/import/<generator>/site).

Each fixture's expected.json was read off the real generator's output (its README says which
version and command): every post must be at the URL that generator published it at.
"""

import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest

from publisher.commands.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "sites" / "import"
GENERATORS = ("jekyll", "hugo", "eleventy")
# The shortcodes each site defines itself (its includes and plugins are code publisher cannot run):
# the import must name exactly these, and the build fail only for them until they exist.
SITE_SHORTCODES = {"jekyll": set(), "hugo": set(), "eleventy": {"callout", "team_link"}}


def expected(generator: str) -> dict:
    return json.loads((FIXTURES / generator / "expected.json").read_text(encoding="utf-8"))


def output_file(out: Path, url: str) -> Path:
    path = url.lstrip("/")
    if url.endswith("/"):
        return out / path / "index.html"
    return out / (path if "." in path.rsplit("/", 1)[-1] else path + ".html")


def imported(generator: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    dest = tmp_path / "site"
    assert main(["import", generator, str(FIXTURES / generator / "site"), str(dest)]) == 0
    return dest, capsys.readouterr().err


def build(dest: Path, *options: str) -> int:
    return main(["build", "--config", str(dest / "publisher.toml"), *options])


def write_site_shortcodes(dest: Path, names: set[str]) -> None:
    folder = dest / "themes" / "default" / "shortcodes"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.html").write_text('<span class="sc">{{ args | join(" ") }}{{ body | default("") }}</span>',
                                             encoding="utf-8")


def _shown_as_text(source: Path) -> set[str]:
    """What the source site shows as template code on purpose: `{% raw %}` regions, Hugo's `{{</* x */>}}`."""
    snippets = set()
    for path in source.rglob("*.md"):
        text = path.read_text(encoding="utf-8-sig")
        snippets |= {m.strip() for m in re.findall(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", text, re.DOTALL)}
    return {snippet for snippet in snippets if snippet}


def _imported_text(dest: Path, source: str) -> str:
    name = Path(source).stem if Path(source).stem != "index" else Path(source).parent.name
    return (dest / "content" / "posts" / f"{name}.md").read_text(encoding="utf-8")


def outside_code(html: str) -> str:
    return re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", "", html, flags=re.DOTALL)


@pytest.mark.parametrize("generator", GENERATORS)
def test_an_imported_site_builds_with_every_post_at_its_old_url(generator: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    truth = expected(generator)
    dest, report = imported(generator, tmp_path, capsys)
    announced = set(re.findall(r"write themes/default/shortcodes/(\w+)\.html", report))
    assert announced == SITE_SHORTCODES[generator], report
    if announced:  # the build names exactly what the report announced
        assert build(dest) == 1
        errors = capsys.readouterr().err
        assert set(re.findall(r"themes/default/shortcodes/(\w+)\.html", errors)) == announced
        assert all("shortcode" in line for line in errors.splitlines() if line.startswith("content/"))
        write_site_shortcodes(dest, announced)
    assert build(dest) == 0, capsys.readouterr().err
    assert main(["check", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err  # links, images
    out = dest / "output"
    for source, url in {**truth["posts"], **truth["pages"]}.items():
        if url == "/" or "404" in source:
            continue  # the home page and the 404 page are publisher's own
        assert output_file(out, url).is_file(), f"{source} is not at {url}"
        if source.endswith(".liquid") and "collections." in (FIXTURES / generator / "site" / source).read_text():
            assert 'url=/"' in output_file(out, url).read_text(encoding="utf-8")  # a post list: now the home page
    for old, new in truth["redirects"].items():
        page = output_file(out, old).read_text(encoding="utf-8")
        assert f'url={new}"' in page or f"url={new}" in page, f"{old} does not redirect to {new}"
    literal = {output_file(out, url) for source, url in truth["posts"].items()  # posts about template code
               if re.search(r"^(shortcodes|render_with_liquid): false", _imported_text(dest, source), re.M)}
    assert len(literal) == (1 if generator == "jekyll" else 0)  # render_with_liquid: false, in Jekyll's fixture
    shown = _shown_as_text(FIXTURES / generator / "site")
    for page in set(out.rglob("*.html")) - literal:
        text = outside_code(page.read_text(encoding="utf-8"))
        for snippet in shown:
            text = text.replace(snippet, "")
        assert "{{" not in text and "{%" not in text, f"template code left in {page.relative_to(out)}"
    feed_path = output_file(out, truth["feed"])
    for feed in (feed_path, out / "feed.xml", out / "atom.xml"):
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, f"{feed.name}: {parsed.get('bozo_exception')}"
        assert parsed.entries
        # Each entry keeps the id the source's feed gave it: jekyll-feed's `post.id`, Hugo's and Eleventy's URL.
        old_ids = {truth["site"]["url"].rstrip("/") + url for url in truth.get("feed_ids", truth["posts"]).values()}
        for entry in parsed.entries:
            assert "{{" not in outside_code(entry.get("summary", "")), entry.link
            assert entry.id in old_ids, f"{entry.id}: subscribers would see an old post as new"
    shutil.rmtree(out)
    assert build(dest, "--drafts") == 0
    for source, url in truth["drafts"].items():
        name = url.rstrip("/").rsplit("/", 1)[-1]
        assert list((dest / "output").rglob(f"{name}/index.html")), f"draft {source} was not built with --drafts"


def test_the_import_never_overwrites_without_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest, _ = imported("jekyll", tmp_path, capsys)
    about = dest / "content" / "pages" / "about.md"
    about.write_text("---\ntitle: Mine\n---\nEdited.\n", encoding="utf-8")
    assert main(["import", "jekyll", str(FIXTURES / "jekyll" / "site"), str(dest)]) == 1
    assert "would overwrite" in capsys.readouterr().err and "Edited." in about.read_text(encoding="utf-8")
    assert main(["import", "jekyll", str(FIXTURES / "jekyll" / "site"), str(dest), "--force"]) == 0
    assert "Edited." not in about.read_text(encoding="utf-8")


def test_the_report_counts_conversions_and_the_feed_path_is_kept(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    dest, report = imported("hugo", tmp_path, capsys)
    assert re.search(r"^\s+\d+\s+\{\{< figure >\}\}$", report, re.MULTILINE)
    assert 'also_at = ["/index.xml"]' in (dest / "publisher.toml").read_text(encoding="utf-8")
    note = (dest / "themes" / "default" / "shortcodes" / "note.html").read_text(encoding="utf-8")
    assert "caller()" in note and "{{" in note and ".Inner" not in note  # Hugo's template, translated


def write_files(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_front_matter_pyyaml_refuses_is_reported_and_the_rest_imported(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    source = write_files(tmp_path / "old", {
        "_config.yml": "title: Old\nurl: https://old.example\npermalink: /:year/:title/\n",
        "_posts/2016-01-02-fine.md": "---\ntitle: Fine\n---\nText.\n",
        "_posts/2016-01-03-tabbed.md": "---\ntitle: Tabbed\ntags:\n\t- a\n---\nText.\n",
    })
    assert main(["import", "jekyll", str(source), str(tmp_path / "new")]) == 0
    report = capsys.readouterr().err
    assert re.search(r"_posts/2016-01-03-tabbed\.md:\d+: .*-> not imported: fix its front matter", report)
    assert (tmp_path / "new" / "content" / "posts" / "2016-01-02-fine.md").is_file()
    assert not (tmp_path / "new" / "content" / "posts" / "2016-01-03-tabbed.md").exists()
    assert build(tmp_path / "new") == 0
    assert (tmp_path / "new" / "output" / "2016" / "fine" / "index.html").is_file()


def test_an_eleventy_permalink_computed_in_javascript_takes_permalink(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    source = write_files(tmp_path / "old", {
        "_data/metadata.json": '{"title": "Old", "url": "https://old.example/"}',
        "notes/notes.11tydata.js": "module.exports = { tags: ['posts'], "
                                   "permalink: (data) => `/n/${data.page.fileSlug}/` };\n",
        "notes/2016-01-02-first.md": "---\ntitle: First\n---\nText.\n",
    })
    assert main(["import", "eleventy", str(source), str(tmp_path / "a")]) == 0
    assert "notes/notes.11tydata.js: its permalink is computed by JavaScript; pass --permalink" in \
        capsys.readouterr().err
    assert main(["import", "eleventy", str(source), str(tmp_path / "b"), "--permalink", "/n/{slug}/"]) == 0
    assert build(tmp_path / "b") == 0
    assert (tmp_path / "b" / "output" / "n" / "first" / "index.html").is_file()


UNREADABLE = [  # (generator, file, its bytes, the line the error names: its place and what it says)
    ("jekyll", "_data/authors.json", b'{"alice": \n', r"_data/authors\.json:2: data file: is not valid JSON"),
    ("jekyll", "_data/authors.json", b"[" * 100_000, r"_data/authors\.json: data file: is nested too deeply to read"),
    ("jekyll", "_data/authors.yml", b"alice: [\n", r"_data/authors\.yml:2: data file: is not valid YAML"),
    ("jekyll", "_data/authors.yml", b"alice:\n  joined: 2016-13-45\n",
     r"_data/authors\.yml: data file: cannot be read \(month must be in 1\.\.12\)"),
    ("jekyll", "_data/authors.toml", b"[alice]\nname = \n", r"_data/authors\.toml:2: data file: is not valid TOML"),
    ("jekyll", "_data/authors.yml", b"\xff\xfe\x00binary", r"_data/authors\.yml: data file: is not UTF-8 text"),
    ("jekyll", "_config.yml", b"title: Old\nurl: [\n", r"_config\.yml:3: settings: is not valid YAML"),
    ("jekyll", "_data/authors.yml", b"a: &a [x, x, x, x, x, x, x, x, x, x]\n" + b"".join(
        b"%c: &%c [%s]\n" % (name, name, b", ".join([b"*%c" % (name - 1)] * 10)) for name in b"bcdef"),
     r"_data/authors\.yml:6: data file: YAML aliases repeat 1,234,550 values under `f`"),
    ("jekyll", "_config.yml", b"title: Old\nurl: &u [*u]\n",
     r"_config\.yml:2: settings: a YAML alias repeats a value inside itself under `url`"),
    ("hugo", "hugo.toml", b'title = "Old\n', r"hugo\.toml:1: settings: is not valid TOML"),
    ("eleventy", "notes/notes.11tydata.json", b'{"tags": ["posts"],}',
     r"notes/notes\.11tydata\.json:1: data file: is not valid JSON"),
]


@pytest.mark.parametrize(("generator", "name", "data", "said"), UNREADABLE, ids=[f"{g}-{n}-{i}" for i, (g, n, _, _)
                                                                                  in enumerate(UNREADABLE)])
def test_a_settings_or_data_file_that_cannot_be_read_is_one_line_and_nothing_is_written(
        generator: str, name: str, data: bytes, said: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = write_files(tmp_path / "old", {
        "_config.yml": "title: Old\nurl: https://old.example\n",
        "_posts/2016-01-02-fine.md": "---\ntitle: Fine\n---\nText.\n",
        "config.toml": 'baseURL = "https://old.example/"\ntitle = "Old"\n',
        "content/posts/fine.md": "---\ntitle: Fine\ndate: 2016-01-02\n---\nText.\n",
        "_data/metadata.json": '{"title": "Old", "url": "https://old.example/"}',
        "notes/2016-01-02-first.md": "---\ntitle: First\n---\nText.\n",
    })
    (source / name).parent.mkdir(parents=True, exist_ok=True)
    (source / name).write_bytes(data)
    assert main(["import", generator, str(source), str(tmp_path / "new")]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and re.search(said, err), err
    assert len(err.splitlines()) == 2 and err.splitlines()[-1] == "✗ Import failed: 1 problem; nothing was written."
    assert not (tmp_path / "new").exists()


def test_front_matter_nested_past_the_readers_depth_is_reported_and_the_rest_imported(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_files(tmp_path / "old", {
        "config.toml": 'baseURL = "https://old.example/"\ntitle = "Old"\n',
        "content/posts/fine.md": "---\ntitle: Fine\ndate: 2016-01-02\n---\nText.\n",
        "content/posts/deep.md": '{"title": ' + "[" * 100_000,
    })
    assert main(["import", "hugo", str(source), str(tmp_path / "new")]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "content/posts/deep.md:1: is nested too deeply to read -> not imported: fix its front matter" in err
    assert (tmp_path / "new" / "content" / "posts" / "fine.md").is_file()
    assert not (tmp_path / "new" / "content" / "posts" / "deep.md").exists()


def test_a_hostile_source_cannot_write_outside_dest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_files(tmp_path / "old", {
        "config.toml": 'baseURL = "https://old.example/"\ntitle = "Old"\n',
        "content/posts/bundle/index.md": "---\ntitle: Climb\ndate: 2016-01-02\nurl: /../../../escaped/\n---\nText.\n",
        "content/posts/bundle/chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    })
    assert main(["import", "hugo", str(source), str(tmp_path / "new" / "site")]) == 1
    assert "would be written outside" in capsys.readouterr().err
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "new" / "escaped").exists()


def test_files_outside_the_source_site_are_not_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A site given to `import` is read, not trusted: a symbolic link to a key, or a passthrough copy of `../`,
    copied files from elsewhere on the machine into the new site's static/ (and so onto its pages)."""
    secret = tmp_path / "home" / "key.txt"
    secret.parent.mkdir()
    secret.write_text("PRIVATE KEY\n")
    source = write_files(tmp_path / "old", {
        ".eleventy.js": 'module.exports = c => { c.addPassthroughCopy("assets"); c.addPassthroughCopy("../home"); }',
        "posts/first.md": "---\ntitle: First\ndate: 2016-01-02\n---\nText.\n",
        "assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    })
    (source / "assets" / "key.txt").symlink_to(secret)
    (source / "assets" / "own.svg").symlink_to("logo.svg")  # inside the site: copied
    (source / "posts" / "stolen.md").symlink_to(secret)
    dest = tmp_path / "new"
    assert main(["import", "eleventy", str(source), str(dest)]) == 0
    said = capsys.readouterr().err
    copied = sorted(path.relative_to(dest).as_posix() for path in dest.rglob("*") if path.is_file())
    assert "static/assets/own.svg" in copied and "static/assets/logo.svg" in copied
    assert not [path for path in copied if "key" in path or "stolen" in path or "home" in path]
    assert not [path for path in dest.rglob("*") if path.is_file() and b"PRIVATE KEY" in path.read_bytes()]
    for name in ("assets/key.txt", "posts/stolen.md", "../home"):
        shown = secret.parent if name == "../home" else secret
        assert f"{name}:1: outside the site -> not imported: it is {shown} (copy the file in" in said
