"""`publisher import hugo` follows Hugo's own rules where small sites rarely go. Each expected URL was read off
Hugo 0.111.3's output for the same files (`hugo -d public`, with one-line single and list layouts)."""

from pathlib import Path

import pytest
import yaml

from publisher.commands.cli import main

POSTS = {
    "posts/first-post.md": 'title: "First Post"\ndate: 2022-01-02T10:00:00Z\nslug: custom-first',
    "posts/2020/nested.md": 'title: "Nested One"\ndate: 2022-01-03T10:00:00Z',
    "posts/My Post.md": 'title: "Mine"\ndate: 2022-01-04T10:00:00Z',
    "about/index.md": 'title: "About"',
    "posts/bundle/index.md": 'title: "Bundle"\ndate: 2022-01-05T10:00:00Z',
    "posts/e.md": 'title: "No Date"\npublishDate: 2022-02-03T10:00:00Z',
    "posts/lm.md": 'title: "LM"\nlastmod: 2022-03-06T10:00:00Z',
    "docs/guides/top.md": 'title: "Top Guide"\ndate: 2022-01-06T10:00:00Z',
    "posts/Mixed.md": 'title: "Mixed Title"\ndate: 2022-01-07T10:00:00Z\nslug: Mixed_Case.Slug',
}
FILES = {"about/me.png", "posts/bundle/images/pic.png"}  # a top bundle's file, a bundle's file in a folder

BY_PATH = ["/about/", "/docs/guides/top/", "/posts/2020/nested/", "/posts/bundle/", "/posts/custom-first/",
           "/posts/e/", "/posts/lm/", "/posts/mixed_case.slug/", "/posts/my-post/"]
BY_PATTERN = ["/2022/bundle/", "/2022/first-post/", "/2022/lm/", "/2022/mine/", "/2022/mixed-title/",
              "/2022/nested-one/", "/2022/no-date/", "/about/", "/docs/top-guide/"]
UGLY = ["/about.html", "/docs/guides/top.html", "/posts/2020/nested.html", "/posts/bundle.html",
        "/posts/custom-first.html", "/posts/e.html", "/posts/lm.html", "/posts/mixed_case.slug.html",
        "/posts/my-post.html"]
SETTINGS = {
    "by path": ("", BY_PATH, ["about/me.png", "posts/bundle/images/pic.png"]),
    "by pattern": ('[permalinks]\nposts = "/:year/:title/"\ndocs = "/:sections/:slug/"\n', BY_PATTERN,
                   ["about/me.png", "2022/bundle/images/pic.png"]),
    "by pattern, Hugo 0.115's table": (('[permalinks.page]\nposts = "/:year/:title/"\ndocs = "/:sections/:slug/"\n'
                                       '[permalinks.section]\nposts = "/articles/"\n'), BY_PATTERN,
                                       ["about/me.png", "2022/bundle/images/pic.png"]),
    "ugly URLs": ("uglyURLs = true\n", UGLY, ["about/me.png", "posts/bundle/images/pic.png"]),
}


def hugo_site(root: Path, settings: str) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "hugo.toml").write_text(f'baseURL = "https://h.example/"\ntitle = "H"\n{settings}', encoding="utf-8")
    for name, front in POSTS.items():
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_text(f"---\n{front}\n---\nText.\n", encoding="utf-8")
    for name in FILES:
        (root / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "content" / name).write_bytes(b"PNG")
    return root


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_post_is_where_hugo_published_it(name: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    settings, urls, files = SETTINGS[name]
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(hugo_site(tmp_path / "src", settings)), str(dest)]) == 0
    report = capsys.readouterr().err
    assert "Could not map" not in report and "publisher would publish it at" not in report, report
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    out = dest / "output"
    for url in urls:
        page = out / url.lstrip("/")
        assert (page / "index.html" if url.endswith("/") else page).is_file(), f"{url} is missing"
    for file in files:
        assert (out / file).read_bytes() == b"PNG", f"{file} is missing"
    moved = (dest / "content" / "posts" / "e.md").read_text(encoding="utf-8")
    assert "\ndate: '2022-02-03T10:00:00Z'" in moved  # publishDate's, as Hugo dates the post


def test_a_placeholder_hugo_does_not_have_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = hugo_site(tmp_path / "src", '[permalinks]\nposts = "/:year/:nonsense/"\n')
    assert main(["import", "hugo", str(source), str(tmp_path / "new")]) == 0
    assert "posts/e.md:1: permalink placeholder :nonsense -> write the post's old URL as its url:" in \
        capsys.readouterr().err


def test_a_time_zone_hugo_reads_from_the_machine_is_one_line(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    source = hugo_site(tmp_path / "src", 'timeZone = "Local"\n')
    assert main(["import", "hugo", str(source), str(tmp_path / "new")]) == 1
    err = capsys.readouterr().err
    assert "hugo.toml: timeZone: 'Local' is not a time zone name" in err and "Traceback" not in err


def test_each_sections_list_page_leads_home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hugo publishes `/posts/` and `/docs/`, lists of their posts: publisher's home page lists them now, and the
    old addresses lead there rather than to a 404."""
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(hugo_site(tmp_path / "src", "")), str(dest)]) == 0
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    for section in ("posts", "docs"):
        assert 'url=/"' in (dest / "output" / section / "index.html").read_text(encoding="utf-8"), section
    assert not (dest / "output" / "about" / "index.html").read_text(encoding="utf-8").count('http-equiv="refresh"')


TERMS = ('title: "A"\ndate: 2022-01-01T10:00:00Z\ntags: ["C++", "Content Strategy", "café", "SEO", "x  y"]\n'
         'categories: ["Big Data", "News"]\nseries: ["Part One"]')
# Hugo's list pages for those terms, as its output had them (a term only a draft used has none).
TERM_URLS = ["/categories/", "/categories/big-data/", "/categories/news/", "/series/", "/series/part-one/",
             "/tags/", "/tags/c++/", "/tags/café/", "/tags/content-strategy/", "/tags/seo/", "/tags/x-y/"]


def test_taxonomy_pages_keep_their_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hugo's term pages (`/tags/c++/`, `/categories/big-data/`, `/series/part-one/`) and lists of terms
    (`/categories/`) lead to publisher's tag pages, as it reads tags, categories and the site's own taxonomies as
    tags: `check --previous` with Hugo's URLs finds none lost."""
    source = tmp_path / "src"
    (source / "content/posts").mkdir(parents=True)
    (source / "hugo.toml").write_text('baseURL = "https://h.example/"\ntitle = "H"\n[taxonomies]\ntag = "tags"\n'
                                      'category = "categories"\nseries = "series"\n', encoding="utf-8")
    (source / "content/posts/a.md").write_text(f"---\n{TERMS}\n---\nText.\n", encoding="utf-8")
    (source / "content/posts/b.md").write_text('---\ntitle: "B"\ndate: 2022-01-02T10:00:00Z\ndraft: true\n'
                                               'tags: ["Draft Only"]\n---\nText.\n', encoding="utf-8")
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(source), str(dest)]) == 0
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    previous = tmp_path / "urls.txt"
    previous.write_text("".join(f"https://h.example{url}\n" for url in ["/posts/a/", *TERM_URLS]), encoding="utf-8")
    assert main(["check", "--config", str(dest / "publisher.toml"), "--previous", str(previous)]) == 0, \
        capsys.readouterr()
    out = dest / "output"
    assert 'url=/tags/c/"' in (out / "tags/c++/index.html").read_text(encoding="utf-8")
    assert 'url=/tags/big-data/"' in (out / "categories/big-data/index.html").read_text(encoding="utf-8")
    assert 'url=/tags/"' in (out / "categories/index.html").read_text(encoding="utf-8")
    assert 'url=/tags/part-one/"' in (out / "series/part-one/index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh"' not in (out / "tags/seo/index.html").read_text(encoding="utf-8"), "its own page"
    assert "draft-only" not in (dest / "publisher.toml").read_text(encoding="utf-8")


def test_a_site_with_its_own_taxonomy_builds_strict_with_its_terms_as_tags(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`[taxonomies] series = "series"`, Hugo's documented way to add one: its terms were left in a field publisher
    does not know, so the first `build --strict` (the scaffolded CI's) failed on "series: unknown field", and
    `/series/part-one/`, a list of the series' posts, led home. Now its terms are tags: the tag page lists the
    posts, the old term page leads there, and the field stays for templates under `params`."""
    source = tmp_path / "src"
    (source / "content/posts").mkdir(parents=True)
    (source / "hugo.toml").write_text('baseURL = "https://h.example/"\ntitle = "H"\n[taxonomies]\ntag = "tags"\n'
                                      'series = "series"\n', encoding="utf-8")
    for name, series in (("a", '["Part One"]'), ("b", '"Part One"')):  # a list, or one string: one term to Hugo
        (source / f"content/posts/{name}.md").write_text(
            f'---\ntitle: "{name}"\ndate: 2022-01-01T10:00:00Z\ntags: ["SEO"]\nseries: {series}\n'
            'params:\n  subtitle: Sub\n---\nText.\n', encoding="utf-8")
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(source), str(dest)]) == 0
    assert "Hugo's taxonomy 'series': its terms are tags now" in capsys.readouterr().err
    assert main(["build", "--strict", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    out = dest / "output"
    listed = (out / "tags/part-one/index.html").read_text(encoding="utf-8")
    assert 'href="/posts/a/"' in listed and 'href="/posts/b/"' in listed
    assert 'url=/tags/part-one/"' in (out / "series/part-one/index.html").read_text(encoding="utf-8")
    assert 'url=/tags/"' in (out / "series/index.html").read_text(encoding="utf-8")
    front = yaml.safe_load((dest / "content/posts/b.md").read_text(encoding="utf-8").split("---")[1])
    assert front["tags"] == ["SEO", "Part One"] and front["params"] == {"subtitle": "Sub", "series": "Part One"}


def test_an_expired_page_stays_down(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hugo stops publishing a page once its `expiryDate` has passed: it comes in as a draft, not published again;
    one that expires later is named in the report, as publisher takes nothing down by date."""
    source = tmp_path / "src"
    (source / "content/posts").mkdir(parents=True)
    (source / "hugo.toml").write_text('baseURL = "https://h.example/"\ntitle = "H"\n', encoding="utf-8")
    for name, expiry in (("gone", "2001-02-03"), ("later", "2999-01-01"), ("kept", "")):
        front = f'title: "{name}"\ndate: 2000-01-01T10:00:00Z' + (f"\nexpiryDate: {expiry}" if expiry else "")
        (source / f"content/posts/{name}.md").write_text(f"---\n{front}\n---\nText.\n", encoding="utf-8")
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(source), str(dest)]) == 0
    report = capsys.readouterr().err
    assert "posts/gone.md: expired on 2001-02-03 (expiryDate)" in report
    assert "posts/later.md: expires on 2999-01-01 (expiryDate)" in report and "kept.md" not in report
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    out = dest / "output"
    assert (out / "posts/later/index.html").is_file() and (out / "posts/kept/index.html").is_file()
    assert not (out / "posts/gone").exists()


def test_a_list_pages_own_text_is_named_in_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`_index.md` gives the home page or a section's list page a text of its own, which publisher's lists do not
    show: the report names each such file, not one with front matter alone."""
    source = hugo_site(tmp_path / "src", "")
    (source / "content/_index.md").write_text("---\ntitle: Home\n---\nWelcome to our notes.\n", encoding="utf-8")
    (source / "content/posts/_index.md").write_text("---\ntitle: Posts\n---\n", encoding="utf-8")
    assert main(["import", "hugo", str(source), str(tmp_path / "new")]) == 0
    report = capsys.readouterr().err
    assert "content/_index.md: the text of a list page" in report
    assert "content/posts/_index.md" not in report


def test_a_ref_to_a_page_bundle_links_to_that_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`ref "posts/bundle/index.md"` (or the bundle's folder) is the bundle's page, not whichever `index.md` comes
    first: the import writes each bundle under its folder's name."""
    source = hugo_site(tmp_path / "src", "")
    (source / "content/posts/another").mkdir()
    (source / "content/posts/another/index.md").write_text('---\ntitle: "Another"\ndate: 2022-01-08T10:00:00Z\n'
                                                           "---\nText.\n", encoding="utf-8")
    (source / "content/posts/linking.md").write_text(
        '---\ntitle: "Linking"\ndate: 2022-01-09T10:00:00Z\n---\n[a]({{< ref "posts/bundle/index.md" >}}) and '
        '[b]({{< relref "/posts/another/" >}})\n', encoding="utf-8")
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(source), str(dest)]) == 0
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    page = (dest / "output/posts/linking/index.html").read_text(encoding="utf-8")
    assert 'href="/posts/bundle/"' in page and 'href="/posts/another/"' in page, page


PUNCTUATED = {  # file: (title, front matter besides), each under the section's pattern of PUNCTUATED_SETTINGS
    "posts/a.md": ("Hello -- World: a ~story~ @home", ""), "posts/b.md": ("Über+Öl", ""),
    "posts/c.md": ("x%2By", ""), "posts/d.md": ("Café: 50% off!", ""), "news/n1.md": ("N1", "slug: My Slug+Plus"),
    "news/n2.md": ("N Two C++", ""), "files/My File+X.md": ("F1", ""), "blog/b1.md": ("B1", "slug: My Slug"),
    "docs/Guide Notes/Intro Page+1.md": ("Doc", ""), "docs/Guide Notes/s.md": ("Doc2", "slug: Some Slug"),
}
PUNCTUATED_SETTINGS = ('[permalinks]\nposts = "/:title/"\nnews = "/news/:slug/"\nfiles = "/files/:filename/"\n'
                       'blog = "/blog/:slugorfilename/"\n')
# Hugo 0.111.3's sitemap for them, decoded: a `~`, `@`, `+` or `--` kept; a pattern's `+` read as a space.
PUNCTUATED_URLS = ["/hello--world-a-~story~-@home/", "/über-öl/", "/x+y/", "/café-50-off/", "/news/my-slug-plus/",
                   "/news/n-two-c-/", "/files/my-file-x/", "/blog/my-slug/", "/docs/guide-notes/intro-page+1/",
                   "/docs/guide-notes/some-slug/"]


def test_titles_slugs_and_file_names_with_punctuation_are_where_hugo_put_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hugo makes a title, slug or file name a path by `UnicodeSanitize` (`~`, `@`, `+`, `#` and a typed `--`
    kept, other punctuation dropped; every placeholder so, `:slug` and `:slugorfilename` too), and reads a
    `[permalinks]` result as an escaped query before writing it (`+` a space: `N Two C++` at `/news/n-two-c-/`,
    `x%2By` at `/x+y/`); a path by sections is not so read (`Intro Page+1.md` at `…/intro-page+1/`)."""
    source = tmp_path / "src"
    (source / "content").mkdir(parents=True)
    (source / "hugo.toml").write_text(f'baseURL = "https://h.example/"\ntitle = "H"\n{PUNCTUATED_SETTINGS}',
                                      encoding="utf-8")
    for name, (title, front) in PUNCTUATED.items():
        (source / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (source / "content" / name).write_text(
            f'---\ntitle: "{title}"\ndate: 2022-01-01T10:00:00Z\n{front}\n---\nText.\n', encoding="utf-8")
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(source), str(dest)]) == 0
    report = capsys.readouterr().err
    assert "Could not map" not in report and "publisher would publish it at" not in report, report
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    previous = tmp_path / "urls.txt"
    previous.write_text("".join(f"https://h.example{url}\n" for url in PUNCTUATED_URLS), encoding="utf-8")
    assert main(["check", "--config", str(dest / "publisher.toml"), "--previous", str(previous)]) == 0, \
        capsys.readouterr()


def test_nested_sections_and_unused_taxonomies_lists_lead_somewhere(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Hugo 0.111.3's sitemap for these files lists `/docs/a-dir/deep-er/` (a nested section: a folder with an
    `_index.md`, whether the folder above has one or not), `/empty/` (a section with no posts) and `/categories/`
    (a taxonomy no post uses): each leads to publisher's like, not to a 404."""
    source = tmp_path / "src"
    files = {"docs/A Dir/Deep Er/_index.md": "title: D", "docs/A Dir/Deep Er/p.md": "title: P\ndate: 2022-01-01",
             "empty/_index.md": "title: E"}
    for name, front in files.items():
        (source / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (source / "content" / name).write_text(f"---\n{front}\n---\nText.\n", encoding="utf-8")
    (source / "hugo.toml").write_text('baseURL = "https://h.example/"\ntitle = "H"\n', encoding="utf-8")
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(source), str(dest)]) == 0
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    previous = tmp_path / "urls.txt"
    previous.write_text("".join(f"https://h.example{url}\n" for url in [
        "/docs/a-dir/deep-er/p/", "/categories/", "/docs/a-dir/deep-er/", "/docs/", "/empty/", "/", "/tags/"]),
        encoding="utf-8")
    assert main(["check", "--config", str(dest / "publisher.toml"), "--previous", str(previous)]) == 0, \
        capsys.readouterr()
    assert 'url=/tags/"' in (dest / "output/categories/index.html").read_text(encoding="utf-8")


UNLISTED = {  # a docs site's shapes: files Hugo 0.111.3 publishes without a date, and some it publishes no page for
    "posts/toml.md": '+++\ntitle = "Toml Post"\ndate = 2022-03-01T23:30:00-05:00\naliases = ["old-toml"]\n+++\nx\n',
    "posts/json.md": '{\n  "title": "Json Post",\n  "date": "2022-03-02T01:30:00+09:00"\n}\nx\n',
    "posts/bom.md": '\ufeff---\r\ntitle: "BOM CRLF"\r\ndate: 2022-03-03\r\n---\r\nx\r\n',
    "posts/branch/_index.md": "---\ntitle: Branch\n---\n", "posts/branch/b.png": "PNG", "posts/loose.png": "PNG",
    "docs/intro.md": "---\ntitle: Intro Doc\n---\nA page of the docs, undated as most are.\n",
    "widgets/hero/index.md": "---\ntitle: Hero\nheadless: true\n---\nx\n",
    "posts/norender.md": "---\ntitle: Norender\ndate: 2022-06-02\n_build:\n  render: never\n---\nx\n",
}
# Hugo's sitemap for them, and what else it wrote (the alias, the files); no page for hero nor norender.
UNLISTED_URLS = ["/", "/2022/03/01/toml-post/", "/2022/03/02/json-post/", "/2022/03/03/bom-crlf/", "/posts/",
                 "/posts/branch/", "/docs/", "/docs/intro/", "/widgets/", "/tags/", "/categories/",
                 "/2022/03/01/old-toml/", "/posts/branch/b.png", "/posts/loose.png"]


def test_undated_pages_headless_bundles_and_a_sections_own_files(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A file of a section without a date (a docs page: Hugo dates it the year 1) is a page at its URL, not a
    post the build refuses; a headless bundle and a `_build: {render: never}` file, which Hugo publishes no page
    for, are named and left out, not made posts (the headless one stopped the build: no date); the files beside a
    section's `_index.md` or loose in it are published at their paths, and each section's list page leads home,
    a section of pages or a headless bundle too."""
    source = tmp_path / "src"
    for name, text in UNLISTED.items():
        (source / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (source / "content" / name).write_text(text, encoding="utf-8", newline="")
    (source / "hugo.toml").write_text('baseURL = "https://h.example/"\ntitle = "H"\ntimeZone = "Europe/Berlin"\n'
                                      '[permalinks]\nposts = "/:year/:month/:day/:slug/"\n', encoding="utf-8")
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(source), str(dest)]) == 0
    report = capsys.readouterr().err
    assert "Could not map" not in report, report
    assert "widgets/hero/index.md: a headless bundle (headless: true), so Hugo published no page" in report
    assert "posts/norender.md: _build: render is 'never', so Hugo published no page" in report
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    previous = tmp_path / "urls.txt"
    previous.write_text("".join(f"https://h.example{url}\n" for url in UNLISTED_URLS), encoding="utf-8")
    assert main(["check", "--config", str(dest / "publisher.toml"), "--previous", str(previous)]) == 0, \
        capsys.readouterr()
    assert "A page of the docs" in (dest / "output/docs/intro/index.html").read_text(encoding="utf-8")
    assert not list((dest / "output").rglob("*hero*")) and not list((dest / "output").rglob("*norender*"))


def test_custom_params_build_strictly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Hugo's custom front matter lives under `params` (YAML or TOML): each was an "unknown field" warning, so the
    imported site failed `publisher build --strict`, which the scaffolded workflow runs."""
    source = tmp_path / "src"
    (source / "content" / "posts").mkdir(parents=True)
    (source / "hugo.toml").write_text('baseURL = "https://h.example/"\ntitle = "H"\ntimeZone = "Europe/Berlin"\n',
                                      encoding="utf-8")
    (source / "content" / "posts" / "a.md").write_text(
        "---\ntitle: A\ndate: 2024-03-01\nparams:\n  subtitle: From params\n---\nText.\n", encoding="utf-8")
    (source / "content" / "posts" / "b.md").write_text(
        "+++\ntitle = 'B'\ndate = 2024-03-02\n[params]\nhero = 'x'\n+++\nText.\n", encoding="utf-8")
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(source), str(dest)]) == 0
    capsys.readouterr()
    assert main(["build", "--strict", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err


def test_a_self_closed_shortcode_and_an_escaped_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`{{< note "a" />}}` is Hugo's call of a shortcode whose template reads `.Inner`, given none: its `/` was read
    as an argument and its call left open, so the first build failed ("Jinja was looking for the following tags:
    'endcall'"). `{{</* x */>}}` shows as Hugo shows it, `{{< x >}}` (it was `{{< x  >}}`)."""
    source = tmp_path / "src"
    (source / "content" / "posts").mkdir(parents=True)
    (source / "layouts" / "shortcodes").mkdir(parents=True)
    (source / "hugo.toml").write_text('baseURL = "https://h.example/"\ntitle = "H"\n', encoding="utf-8")
    (source / "layouts" / "shortcodes" / "note.html").write_text(
        '<div class="note">{{ .Get 0 }}: {{ .Inner }}</div>\n', encoding="utf-8")
    (source / "content" / "posts" / "a.md").write_text(
        '---\ntitle: A\ndate: 2024-03-01\n---\n{{< note "Empty" />}}\n\n{{< note "Full" >}}Inner{{< /note >}}\n\n'
        "Write {{</* x */>}} to call x.\n", encoding="utf-8")
    dest = tmp_path / "new"
    assert main(["import", "hugo", str(source), str(dest)]) == 0
    assert "Could not map" not in capsys.readouterr().err
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    page = (dest / "output" / "posts" / "a" / "index.html").read_text(encoding="utf-8")
    assert '<div class="note">Empty: </div>' in page and '<div class="note">Full: Inner</div>' in page
    assert "Write {{&lt; x &gt;}} to call x." in page
