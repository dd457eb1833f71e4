"""`publisher import eleventy` follows Eleventy's own rules (its permalink docs, and TemplatePermalink, Template
and TemplatePassthrough of Eleventy 2) where small sites rarely go: the eleventy-base-blog layout among them."""

from pathlib import Path

import pytest

from publisher.commands.cli import main

BASE_BLOG_CONFIG = """module.exports = function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy({ "./public/": "/" });
  eleventyConfig.addPassthroughCopy("posts/**/*.jpg");
  eleventyConfig.addPassthroughCopy("css/style.css");
  return { dir: { input: "src" } };
};
"""


def eleventy_site(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            (root / name).write_bytes(text)
        else:
            (root / name).write_text(text, encoding="utf-8")
    return root


def imported_and_built(source: Path, dest: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["import", "eleventy", str(source), str(dest)]) == 0
    report = capsys.readouterr().err
    assert "Could not map" not in report, report
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return dest / "output"


def test_default_and_computed_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The default URL is the file's folder and whole name, a date before it kept (`fileSlug` alone drops it);
    `x/x.md` is `/x/`; a permalink may use `page.filePathStem` and a front-matter value."""
    source = eleventy_site(tmp_path / "src", {
        "posts/posts.json": '{"tags": ["posts"]}',
        "posts/2020-01-01-dated.md": "---\ntitle: Dated\n---\nText.\n",
        "posts/2020-01-03-stem.md": "---\ntitle: Stem\npermalink: \"{{ page.filePathStem }}.html\"\n---\nText.\n",
        "posts/2020-01-04-own.md": "---\ntitle: Own\nslug: my-own\npermalink: \"/p/{{ slug }}/\"\n---\nText.\n",
        "guide/guide.md": "---\ntitle: Guide\n---\nText.\n",
    })
    out = imported_and_built(source, tmp_path / "new", capsys)
    for path in ("posts/2020-01-01-dated/index.html", "posts/2020-01-03-stem.html", "p/my-own/index.html",
                 "guide/index.html"):
        assert (out / path).is_file(), path


def test_the_base_blog_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """eleventy-base-blog's ways: an input folder, tags over several lines in a `.11tydata.js`, passthrough copies
    as an object, a glob and a single file, and the feed's path from the metadata in a subfolder's template."""
    source = eleventy_site(tmp_path / "src", {
        "eleventy.config.js": BASE_BLOG_CONFIG,
        "public/img/logo.png": b"PNG",
        "css/style.css": "body {}\n",
        "src/_data/metadata.json": '{"title": "Base", "url": "https://b.example/", "feed": {"path": "/feed/feed.xml"}}',
        "src/blog/blog.11tydata.js": 'module.exports = {\n\ttags: [\n\t\t"posts"\n\t],\n\tlayout: "post.njk",\n};\n',
        "src/blog/firstpost.md": "---\ntitle: First\ndate: 2018-05-01\n---\nText.\n",
        "src/feed/feed.njk": "---\npermalink: \"{{ metadata.feed.path }}\"\n---\n<feed></feed>\n",
        "posts/trip/photo.jpg": b"JPG",
    })
    dest = tmp_path / "new"
    out = imported_and_built(source, dest, capsys)
    assert list((dest / "content" / "posts").glob("*.md")), "the blog's posts were read as pages"
    assert (out / "blog" / "firstpost" / "index.html").is_file()
    assert (out / "img" / "logo.png").read_bytes() == b"PNG"
    assert (out / "posts" / "trip" / "photo.jpg").read_bytes() == b"JPG"
    assert (out / "css" / "style.css").is_file()
    assert (out / "feed" / "feed.xml").is_file()  # subscribers keep the feed's address
    assert 'title = "Base"' in (dest / "publisher.toml").read_text(encoding="utf-8")


def test_an_input_folder_outside_the_project_is_not_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`dir.input` is the config's to say, and the config is read, not trusted: `../` would import another folder
    of the machine."""
    eleventy_site(tmp_path / "elsewhere", {"secret.md": "---\ntitle: Secret\n---\nKey.\n"})
    source = eleventy_site(tmp_path / "src", {
        ".eleventy.js": 'module.exports = () => ({ dir: { input: "../elsewhere" } });\n',
        "about.md": "---\ntitle: About\n---\nUs.\n"})
    dest = tmp_path / "new"
    assert main(["import", "eleventy", str(source), str(dest)]) == 0
    assert "outside the site" in capsys.readouterr().err
    assert (dest / "content" / "pages" / "about.md").is_file()
    assert not list(dest.rglob("secret*"))


def test_slug_filters_write_urls_as_eleventy_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`slugify` (@sindresorhus/slugify: `&` as `and`, German umlauts as `ae`, accents dropped, anything else a
    hyphen) and the older `slug` (npm's `slugify`: `&` as `and`, `+` and `:` kept); a title in a script whose
    letters Eleventy writes by a table of its own is named in the report, to check by hand."""
    posts = {"posts/posts.json": '{"tags": ["posts"], "permalink": "/blog/{{ title | slugify }}/"}',
             "posts/2020-01-01-a.md": "---\ntitle: Tips & Tricks für Café\n---\nText.\n",
             "posts/2020-01-02-b.md": "---\ntitle: What's New?\n---\nText.\n",
             "posts/2020-01-03-c.md": "---\ntitle: C++ & Go\npermalink: \"/old/{{ title | slug }}/\"\n---\nText.\n",
             "posts/2020-01-04-d.md": ("---\ntitle: Привет мир\n"
                                       "permalink: \"/ru/{{ title | slugify }}-{{ page.fileSlug }}/\"\n---\nText.\n")}
    source = eleventy_site(tmp_path / "src", posts)
    assert main(["import", "eleventy", str(source), str(tmp_path / "new")]) == 0
    report = capsys.readouterr().err
    assert "posts/2020-01-04-d.md: its permalink slugifies 'Привет мир'" in report, report
    assert "-a.md" not in report and "-c.md" not in report, report
    assert main(["build", "--config", str(tmp_path / "new/publisher.toml")]) == 0, capsys.readouterr().err
    out = tmp_path / "new/output"
    for url in ("blog/tips-and-tricks-fuer-cafe/", "blog/what-s-new/", "old/c++-and-go/"):
        assert (out / url / "index.html").is_file(), url


def test_a_post_written_in_nunjucks_keeps_its_url_and_its_text(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """`.njk` is one of Eleventy's default template formats (its docs' "Template Languages"): a post written in
    Nunjucks was published at `/posts/njk-post/` like its Markdown sibling. It is imported, its template code
    (Nunjucks, which Jinja2 reads) evaluated by the build, not left out without a word."""
    source = eleventy_site(tmp_path / "src", {
        "_data/metadata.json": '{"title": "E", "url": "https://e.example/"}',
        "posts/posts.json": '{"tags": ["posts"], "layout": "post.njk"}',
        "posts/njk-post.njk": "---\ntitle: Nunjucks Post\ndate: 2021-05-01\n---\n<p>Hello {{ title }}</p>\n"
                              "{% if true %}<p>shown</p>{% endif %}\n",
        "posts/md-post.md": "---\ntitle: Md Post\ndate: 2021-05-02\n---\nHi\n",
    })
    out = imported_and_built(source, tmp_path / "new", capsys)
    previous = tmp_path / "urls.txt"
    previous.write_text("/posts/njk-post/\n/posts/md-post/\n", encoding="utf-8")
    assert main(["check", "--config", str(tmp_path / "new/publisher.toml"), "--previous", str(previous)]) == 0, \
        capsys.readouterr()
    page = (out / "posts/njk-post/index.html").read_text(encoding="utf-8")
    assert "<p>Hello Nunjucks Post</p>" in page and "<p>shown</p>" in page


@pytest.mark.parametrize("home", ["---\ntitle: Home\n---\nWelcome to the blog.\n",
                                  "---\ntitle: Home\npermalink: /\n---\nWelcome to the blog.\n"])
def test_a_home_page_of_text_is_named_in_the_report_and_the_site_builds(
        home: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A site's `index.md` of plain text, at `/` as every Eleventy starter has it, was imported as a page at `/`:
    the report said "Everything was mapped", and the first build failed, "URL / is reserved for the home page"."""
    source = eleventy_site(tmp_path / "src", {
        "index.md": home,
        "posts/posts.json": '{"tags": ["posts"]}',
        "posts/first.md": "---\ntitle: First\ndate: 2024-03-01\n---\nText.\n",
    })
    assert main(["import", "eleventy", str(source), str(tmp_path / "new")]) == 0
    report = capsys.readouterr().err
    assert ("Note: index.md: the home page's text, which publisher's home page (its list of posts) does not show: "
            "move it into a page, or into the theme's index template") in report, report
    assert main(["build", "--config", str(tmp_path / "new" / "publisher.toml")]) == 0, capsys.readouterr().err
    assert (tmp_path / "new" / "output" / "posts" / "first" / "index.html").is_file()


def test_a_post_excluded_from_collections_is_a_page_no_list_shows(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """`eleventyExcludeFromCollections: true` renders the file and lists it in no collection (Eleventy's
    collections docs); it was imported as a post, shown on the home page and in the feed, with a warning that
    failed `build --strict`. Its menu entry (`eleventyNavigation`) warned too."""
    source = eleventy_site(tmp_path / "src", {
        "posts/posts.json": '{"tags": "posts", "permalink": "/blog/{{ page.fileSlug }}/"}',
        "posts/shown.md": "---\ntitle: Shown\ndate: 2024-01-02\neleventyNavigation:\n  key: Shown\n---\nText.\n",
        "posts/kept.md": "---\ntitle: Kept Aside\ndate: 2024-01-03\neleventyExcludeFromCollections: true\n---\nText.\n",
    })
    assert main(["import", "eleventy", str(source), str(tmp_path / "new")]) == 0
    capsys.readouterr()
    assert main(["build", "--config", str(tmp_path / "new" / "publisher.toml")]) == 0
    assert "eleventy" not in capsys.readouterr().err  # no warning: `--strict` builds it
    out = tmp_path / "new" / "output"
    assert (out / "blog" / "kept" / "index.html").is_file()
    for listing in ("feed.xml", "index.html"):
        assert "Kept Aside" not in (out / listing).read_text(encoding="utf-8")
        assert "Shown" in (out / listing).read_text(encoding="utf-8")


def test_the_posts_collection_tag_is_no_topic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`tags: [posts, Eleventy]` puts a file in the posts collection; Eleventy sites' tag pages leave `posts` (and
    `all`) out. It was imported as a tag: a /tags/posts/ page listing every post, which the old site never had."""
    source = eleventy_site(tmp_path / "src", {
        "posts/one.md": "---\ntitle: One\ndate: 2024-01-02\ntags: [posts, Eleventy]\n---\nText.\n",
        "posts/two.md": "---\ntitle: Two\ndate: 2024-01-03\ntags: posts\n---\nText.\n",
    })
    out = imported_and_built(source, tmp_path / "new", capsys)
    assert sorted(p.name for p in (out / "tags").iterdir()) == ["eleventy", "index.html"]
    assert (out / "posts" / "two" / "index.html").is_file()


POSTS_COLLECTIONS = {  # the tag marking posts, and where the site lists its collection
    "post": ("index.njk", ("---\ntitle: Home\n---\n{%- for post in collections.post -%}{{ post.data.title }}"
                           "{%- endfor -%}\n")),  # Eleventy's collections docs' blog example
    "blog": ("_includes/feed.njk", "{% for post in collections['blog'] | reverse %}<entry/>{% endfor %}\n"),
}


@pytest.mark.parametrize("tag", sorted(POSTS_COLLECTIONS))
def test_posts_are_the_collection_the_site_lists(tag: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Eleventy's collections docs mark a blog's posts `tags: post` ("it can be whatever you want") and list them
    with `collections.post`; only `posts` made a post here, so such a site came in as pages: no post on the home
    page, in the feed or on a tag page. The posts are the collection the site's templates list."""
    template, text = POSTS_COLLECTIONS[tag]
    source = eleventy_site(tmp_path / "src", {
        template: text,
        "posts/one.md": f"---\ntitle: One\ndate: 2024-01-02\ntags: [{tag}, Eleventy]\n---\nText.\n",
        "posts/two.md": f"---\ntitle: Two\ndate: 2024-01-03\ntags: {tag}\n---\nText.\n",
        "about.md": "---\ntitle: About\n---\nWho we are.\n",
    })
    out = imported_and_built(source, tmp_path / "new", capsys)
    assert sorted(p.name for p in (tmp_path / "new/content/posts").iterdir()) == ["one.md", "two.md"]
    assert sorted(p.name for p in (tmp_path / "new/content/pages").iterdir()) == ["about.md"]
    for listing in ("feed.xml", "index.html"):
        assert "One" in (out / listing).read_text(encoding="utf-8") and "About" not in \
            (out / listing).read_text(encoding="utf-8").split("<main")[-1]
    assert sorted(p.name for p in (out / "tags").iterdir()) == ["eleventy", "index.html"]  # its tag no topic
    assert (out / "posts/two/index.html").is_file()


def test_a_fresh_import_in_utc_builds_strictly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An Eleventy site has no time zone setting, so the import sets UTC; the build then warned that scheduler
    CSV times are written in UTC (`share.scheduler_timezone`), and `build --strict`, which the scaffolded
    workflow runs, failed on a site just imported. The import now writes the zone out, as `publisher init` does."""
    source = eleventy_site(tmp_path / "src", {
        "posts/posts.json": '{"tags": "posts"}',
        "posts/first.md": "---\ntitle: First\ndate: 2024-01-02\n---\nText.\n",
    })
    assert main(["import", "eleventy", str(source), str(tmp_path / "new")]) == 0
    capsys.readouterr()
    config = (tmp_path / "new" / "publisher.toml").read_text(encoding="utf-8")
    assert config.startswith("# Imported from an Eleventy site")
    assert main(["build", "--strict", "--config", str(tmp_path / "new" / "publisher.toml")]) == 0, \
        capsys.readouterr().err
