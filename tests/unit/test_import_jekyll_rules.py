"""`publisher import jekyll` follows Jekyll's own rules (lib/jekyll/url.rb, drops/url_drop.rb, utils.rb,
document.rb, readers/post_reader.rb of Jekyll 4.3) where small sites rarely go: every post must still be at the
URL Jekyll published it at, and its feed entry keep the id jekyll-feed gave it."""

import http.client
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from publisher.commands.cli import main
from tests.e2e.browser import serve_folder


def jekyll_site(root: Path, config: str, files: dict[str, str]) -> Path:
    (root / "_config.yml").parent.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(config, encoding="utf-8")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def imported_and_built(source: Path, dest: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    assert main(["import", "jekyll", str(source), str(dest)]) == 0
    report = capsys.readouterr().err
    assert main(["build", "--config", str(dest / "publisher.toml")]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return dest / "output", report


def page_at(out: Path, url: str) -> Path:
    path = out / url.lstrip("/")
    return path / "index.html" if url.endswith("/") else path


def post(front: str, body: str = "Text.") -> str:
    return f"---\n{front}\n---\n{body}\n"


def test_the_date_style_with_no_categories_and_dates_in_the_sites_zone(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """Jekyll's default `permalink: date` is `/:categories/:year/:month/:day/:title:output_ext`: a post without
    categories has none of that first part (not `//2020/…`), and its date is taken in the site's zone."""
    source = jekyll_site(tmp_path / "src", "title: T\nurl: https://t.example\n", {
        "_posts/2020-01-05-plain.md": post("title: Plain"),
        "_posts/2020-01-06-filed.md": post("title: Filed\ncategories: jekyll update"),
        "_posts/2020-01-08-late.md": post("title: Late\ndate: 2020-01-08 23:30:00 -08:00"),
        "_posts/2020-01-09-one.md": post("title: One\ncategory: Big-Data"),
    })
    out, report = imported_and_built(source, tmp_path / "new", capsys)
    for url in ("/2020/01/05/plain.html", "/jekyll/update/2020/01/06/filed.html", "/2020/01/09/late.html",
                "/big-data/2020/01/09/one.html"):
        assert page_at(out, url).is_file(), f"{url} is missing; {report}"
    assert "publisher would publish it at" not in report


def test_title_and_slug_are_slugified_as_jekyll_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`:slug` keeps letters of every script and lower-cases; `:title` (pretty mode) keeps case and `!`; a `slug:`
    publisher would refuse as a file name still gives the post its old URL."""
    source = jekyll_site(tmp_path / "src", "url: https://t.example\npermalink: /:year/:slug/\n", {
        "_posts/2020-01-08-café-crème.md": post("title: Café"),
        "_posts/2020-01-09-привет-мир.md": post("title: Привет"),
    })
    out, _ = imported_and_built(source, tmp_path / "new", capsys)
    assert page_at(out, "/2020/café-crème/").is_file()
    assert page_at(out, "/2020/привет-мир/").is_file()
    source = jekyll_site(tmp_path / "src2", "url: https://t.example\npermalink: /blog/:title/\n", {
        "_posts/2020-01-07-Hello World.md": post("title: Hello"),
        "_posts/2020-01-08-dessert.md": post("title: Dessert\nslug: Crème Brûlée!"),
    })
    out, report = imported_and_built(source, tmp_path / "new2", capsys)
    assert page_at(out, "/blog/Hello-World/").is_file(), report
    assert page_at(out, "/blog/Crème-Brûlée!/").is_file(), report


def test_posts_of_every_posts_folder_and_their_categories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Jekyll reads `blog/_posts/` too, with `blog` as a category; a folder inside `_posts/` is no category."""
    source = jekyll_site(tmp_path / "src", "url: https://t.example\n", {
        "blog/_posts/2020-04-04-blog-post.md": post("title: Blog post"),
        "_posts/sub/2020-03-03-in-sub.md": post("title: In sub"),
    })
    out, _ = imported_and_built(source, tmp_path / "new", capsys)
    assert page_at(out, "/blog/2020/04/04/blog-post.html").is_file()
    assert page_at(out, "/2020/03/03/in-sub.html").is_file()


def test_index_pages_assets_with_front_matter_split_words_and_missing_titles(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = jekyll_site(tmp_path / "src", "url: https://t.example\npermalink: pretty\n", {
        "about/index.md": post("title: About"),
        "assets/css/style.scss": "---\n---\n@import 'main';\n",
        "assets/css/extra.css": "---\n---\nbody { color: black }\n",
        "robots.txt": "---\n---\nSitemap: {{ site.url }}/sitemap.xml\n",
        "sitemap.xml": "---\n---\n<urlset>{% for post in site.posts %}<url/>{% endfor %}</urlset>\n",
        "assets/js/site.js": "---\n---\nconst base = '{{ site.url }}';\n",
        "news.json": "---\n---\n[{% for post in site.posts %}\"{{ post.url }}\"{% endfor %}]\n",
        "_posts/2020-01-05-two-tags.md": post("title: Two\ntags: seo analytics"),
        "_posts/2020-01-06-no-title.md": "---\n---\nText.\n",
    })
    out, report = imported_and_built(source, tmp_path / "new", capsys)
    assert page_at(out, "/about/").is_file()
    assert (out / "assets" / "css" / "extra.css").read_text(encoding="utf-8") == "body { color: black }\n"
    assert "assets/css/style.scss:1: Sass with front matter" in report  # reported, not made a page that fails
    assert "assets/js/site.js:1: Liquid in a file that is not a page" in report
    assert "Note: robots.txt: a listing, feed or 404 template; publisher makes its own" in report  # its own too
    assert "Note: sitemap.xml: a listing, feed or 404 template" in report
    assert "Note: news.json: a listing, feed or 404 template" in report
    assert page_at(out, "/tags/seo/").is_file() and page_at(out, "/tags/analytics/").is_file()
    assert "<title>No Title" in page_at(out, "/2020/01/06/no-title/").read_text(encoding="utf-8")


def test_feed_entries_keep_jekyll_feeds_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """jekyll-feed's id is `post.id`: the URL's folder and the slug, no trailing slash or `.html`."""
    source = jekyll_site(tmp_path / "src", "url: https://t.example\nplugins: [jekyll-feed]\npermalink: pretty\n", {
        "_posts/2024-05-01-welcome.md": post("title: Welcome"),
        "_posts/2024-05-02-moved.md": post("title: Moved\npermalink: /elsewhere/moved.html"),
    })
    out, _ = imported_and_built(source, tmp_path / "new", capsys)
    ids = {entry.id for entry in feedparser.parse((out / "feed.xml").read_bytes()).entries}
    assert ids == {"https://t.example/2024/05/01/welcome", "https://t.example/elsewhere/moved"}


def test_a_settings_time_zone_that_is_no_zone_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = jekyll_site(tmp_path / "src", "url: https://t.example\ntimezone: Mars/Olympus\n", {})
    assert main(["import", "jekyll", str(source), str(tmp_path / "new")]) == 1
    err = capsys.readouterr().err
    assert "_config.yml: timezone: 'Mars/Olympus' is not a time zone name" in err
    assert "Traceback" not in err and not (tmp_path / "new").exists()


def test_settings_values_are_written_in_and_untranslatable_liquid_is_reported(tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """`{{ site.author }}` is a value of `_config.yml`: written in, as data values are. A Liquid range
    `(1..n)` has no Jinja2 spelling: the report names it at its line, as the first build would stop on it."""
    source = jekyll_site(tmp_path / "src", "url: https://t.example\nauthor: Jane\n", {
        "_posts/2021-02-03-liquid.md": post("title: Liquid", "By {{ site.author }}.\n\n"
                                            "{% for i in (1..3) %}{{ i }}{% endfor %}"),
    })
    dest = tmp_path / "new"
    assert main(["import", "jekyll", str(source), str(dest)]) == 0
    report = capsys.readouterr().err
    assert "_posts/2021-02-03-liquid.md:6: template code: expected name or number" in report
    assert 'By {{ "Jane" }}.' in (dest / "content" / "posts" / "2021-02-03-liquid.md").read_text(encoding="utf-8")


DEFAULTS = """url: https://t.example
permalink: /:categories/:title/
defaults:
  - scope: {path: "blog", type: posts}
    values: {permalink: "/notes/:title/"}
  - scope: {path: "", type: posts}
    values: {layout: single, share: true, comments: true, permalink: "/blog/:year/:title/", tags: [general]}
  - scope: {path: "_posts/2021-*"}
    values: {author: ann}
  - scope: {path: "", type: pages}
    values: {permalink: "/p/:basename/"}
"""


def test_front_matter_defaults_give_urls_and_values_as_in_jekyll(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """`defaults:` (Jekyll's FrontmatterDefaults): a set applies by path prefix (or glob) and type; a longer path
    outranks a shorter one whatever the order; the file's own front matter outranks them all, and a permalink's
    placeholders are filled in, its own too. The values publisher reads (tags, author) come along; a theme's
    switches (`share: true`, which publisher reads otherwise) do not, so the site builds."""
    source = jekyll_site(tmp_path / "src", DEFAULTS, {
        "_posts/2020-01-05-one.md": post("title: One"),
        "_posts/2020-01-06-two.md": post("title: Two\npermalink: /own/:year/:title.html"),
        "blog/_posts/2020-01-07-three.md": post("title: Three"),
        "_posts/2021-01-08-four.md": post("title: Four\ntags: [mine]"),
        "about.md": post("title: About"),
    })
    out, report = imported_and_built(source, tmp_path / "new", capsys)
    for url in ("/blog/2020/one/", "/own/2020/two.html", "/notes/three/", "/blog/2021/four/", "/p/about/"):
        assert page_at(out, url).is_file(), f"{url} is missing; {report}"
    assert "publisher would publish it at" not in report
    one = (tmp_path / "new/content/posts/2020-01-05-one.md").read_text(encoding="utf-8")
    assert "tags: [general]" in one and "share" not in one and "layout" not in one
    assert (out / "tags/general/index.html").is_file()
    four = (tmp_path / "new/content/posts/2021-01-08-four.md").read_text(encoding="utf-8")
    assert 'author: "ann"' in four and "general" not in four, "its own tags outrank the defaults'"


def test_defaults_of_equal_paths_rank_a_typed_scope_over_an_untyped_one_whatever_the_order(tmp_path: Path) -> None:
    """Jekyll's `has_precedence?`: paths of one length rank a scope with a type over one without, met before or
    after it; mappings merge key by key (`deep_merge_hashes`); a set whose `values` is no mapping is skipped."""
    from publisher.importing.jekyll_defaults import JekyllDefaults

    config = {"defaults": [
        {"scope": {"path": "", "type": "post"}, "values": {"author": "typed", "share": {"x": 1}}},
        {"scope": {"path": ""}, "values": {"author": "untyped", "share": {"y": 2}, "image": "/i.png"}},
        {"scope": {"path": "/"}, "values": "not a mapping"},
    ]}
    defaults = JekyllDefaults.of(config, tmp_path)
    assert defaults.values("_posts/2020-01-01-a.md", "posts") == {
        "author": "typed", "share": {"x": 1, "y": 2}, "image": "/i.png"}
    assert defaults.values("about.md", "pages") == {"author": "untyped", "share": {"y": 2}, "image": "/i.png"}


COLLECTIONS = """url: https://t.example
permalink: pretty
collections:
  docs:
    output: true
  recipes:
    output: true
    permalink: /cook/:name/
  notes:
    output: false
  posts:
    permalink: /blog/:title/
"""


def test_collections_keep_their_documents_urls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A collection Jekyll publishes (`output: true`) keeps each document at its URL: `/:collection/:path` with the
    site style's ending, or the collection's own `permalink`; its other files are published beside them; the
    posts collection's `permalink` sets the posts'; a collection Jekyll does not publish is named, not imported."""
    source = jekyll_site(tmp_path / "src", COLLECTIONS, {
        "_docs/getting-started.md": post("title: Getting started"),
        "_docs/guide/intro.md": post("title: Intro"),
        "_docs/img/diagram.png": "PNG",
        "_recipes/Pasta Bake.md": post("title: Pasta bake"),
        "_notes/private.md": post("title: Private"),
        "_posts/2020-01-01-hello.md": post("title: Hello"),
    })
    out, report = imported_and_built(source, tmp_path / "new", capsys)
    for url in ("/docs/getting-started/", "/docs/guide/intro/", "/cook/pasta-bake/", "/blog/hello/",
                "/docs/img/diagram.png"):
        assert page_at(out, url).is_file(), f"{url} is missing; {report}"
    assert "_notes/: a collection Jekyll does not publish" in report
    assert not list(out.rglob("private*"))


@pytest.mark.parametrize("paginate_path", ["", "/blog/page:num/", "/page/:num/"])
def test_pages_of_posts_lead_to_their_likes(paginate_path: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """jekyll-paginate published `/page2/`, `/page3/` (by `paginate_path`) with `paginate` posts each: publisher
    lists as many a page, and each old page leads to its like, so `check --previous` finds none lost."""
    config = "url: https://t.example\npaginate: 2\n" + (f"paginate_path: {paginate_path}\n" if paginate_path else "")
    source = jekyll_site(tmp_path / "src", config, {
        f"_posts/2020-01-0{day}-p{day}.md": post(f"title: P{day}") for day in range(1, 6)})
    out, _ = imported_and_built(source, tmp_path / "new", capsys)
    old = (paginate_path or "/page:num/").strip("/")
    previous = tmp_path / "urls.txt"
    previous.write_text("".join(f"/{old.replace(':num', str(n))}/\n" for n in (2, 3)), encoding="utf-8")
    assert main(["check", "--config", str(tmp_path / "new/publisher.toml"), "--previous", str(previous)]) == 0, \
        capsys.readouterr()
    assert (out / "page/3/index.html").is_file() and not (out / "page/4").exists()


def test_template_code_a_build_never_reads_is_not_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Code spans and blocks are shown, never evaluated, and `{#intro}` is a heading's id, not a comment: none of
    it is named as template code the first build would stop on, and the site builds."""
    source = jekyll_site(tmp_path / "src", "url: https://t.example\n", {
        "_posts/2021-02-04-shown.md": post("title: Shown", "Write `{% for i in (1..3) %}` to loop.\n\n"
                                           "```liquid\n{% if (1..2) %}\n```\n\n## Intro {#intro}\n\nText."),
    })
    out, report = imported_and_built(source, tmp_path / "new", capsys)
    assert "Could not map" not in report and ": template code:" not in report, report
    assert 'id="intro"' in page_at(out, "/2021/02/04/shown.html").read_text(encoding="utf-8")


def test_a_category_with_a_space_keeps_jekylls_escaped_url(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Jekyll 4 keeps a category as written (`categories: [big data]` is one; `category:` comes after
    `categories:`), lower-cases it and escapes the space (`URL.escape_path`): the post was at
    `/big%20data/2020/01/05/a.html`, a file in the folder `big data/`. It still answers there, and links to it are
    URLs (`%20`), not text with a space."""
    source = jekyll_site(tmp_path / "src", "url: https://t.example\n", {
        "_posts/2020-01-05-a.md": post("title: A\ncategories: [big data]"),
        "_posts/2020-01-06-b.md": post("title: B\ncategories: [news]\ncategory: Big Data"),
    })
    out, report = imported_and_built(source, tmp_path / "new", capsys)
    old = ["/big%20data/2020/01/05/a.html", "/news/big%20data/2020/01/06/b.html"]
    previous = tmp_path / "urls.txt"
    previous.write_text("".join(f"{url}\n" for url in old), encoding="utf-8")
    assert main(["check", "--config", str(tmp_path / "new/publisher.toml"), "--previous", str(previous)]) == 0, \
        (report, capsys.readouterr())
    with serve_folder(out) as host:  # a real static file server: it decodes `%20`, as GitHub Pages does
        for url, title in zip(old, ("A", "B"), strict=True):
            connection = http.client.HTTPConnection(urlsplit(host).netloc, timeout=10)
            connection.request("GET", url)
            answer = connection.getresponse()
            assert answer.status == 200 and f"<title>{title}" in answer.read().decode("utf-8"), url
    assert 'href="/big%20data/2020/01/05/a.html"' in (out / "index.html").read_text(encoding="utf-8")


def test_a_field_only_some_posts_have_writes_nothing_on_the_others(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """`{{ page.subtitle }}` and `{% if page.subtitle %}` on a post without a subtitle: Liquid writes nothing,
    where the imported `post.subtitle` stopped the first build after the report said everything was mapped."""
    body = "{% if page.subtitle %}<em>{{ page.subtitle | upcase }}</em>{% endif %} by {{ page.author }}."
    source = jekyll_site(tmp_path / "src", "title: T\nurl: https://t.example\n", {
        "_posts/2020-01-05-with.md": post("title: With\nsubtitle: A subtitle\nauthor: Ann", body),
        "_posts/2020-01-06-without.md": post("title: Without", body),
    })
    out, report = imported_and_built(source, tmp_path / "new", capsys)
    assert "Everything was mapped" in report
    assert "<p><em>A SUBTITLE</em> by Ann.</p>" in page_at(out, "/2020/01/05/with.html").read_text(encoding="utf-8")
    assert "<p>by .</p>" in page_at(out, "/2020/01/06/without.html").read_text(encoding="utf-8")


def test_a_home_page_of_prose_is_named_with_its_first_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A root `index.md` of text (not a list of posts) was left out as "a listing, feed or 404 template; publisher
    makes its own": its words were lost without a word. The report now says it is the home page's text, which
    publisher's home page does not show, and quotes how it begins; a root index that only lists posts is a listing
    still, and the new hub builds."""
    source = jekyll_site(tmp_path / "src", "title: T\nurl: https://t.example\n", {
        "index.md": post("layout: page\ntitle: Home",
                         "# Welcome to Acme\n\nWe help **small teams** ship {{ site.title }} faster.\n"),
        "_posts/2024-05-01-first.md": post("title: First"),
    })
    out, report = imported_and_built(source, tmp_path / "new", capsys)
    assert ("Note: index.md: the home page's text, which publisher's home page (its list of posts) does not show: "
            "move it into a page, or into the theme's index template (it begins \"Welcome to Acme We help small "
            "teams ship faster.\")") in report, report
    assert "index.md: a listing" not in report and "First" in (out / "index.html").read_text(encoding="utf-8")
    listing = jekyll_site(tmp_path / "src2", "title: T\nurl: https://t.example\n", {
        "index.html": post("layout: default", "{% for p in site.posts %}<a href=\"{{ p.url }}\">{{ p.title }}</a>"
                                              "{% endfor %}"),
    })
    assert main(["import", "jekyll", str(listing), str(tmp_path / "new2")]) == 0
    assert "Note: index.html: a listing, feed or 404 template; publisher makes its own" in capsys.readouterr().err


def test_the_report_counts_one_of_each_in_the_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A site of one post, one page, one author and one static file was "Imported 1 posts, 0 drafts, 1 pages,
    1 authors and 1 static files"."""
    source = jekyll_site(tmp_path / "src", "title: T\nurl: https://t.example\n", {
        "_posts/2024-05-01-first.md": post("title: First"),
        "about.md": post("title: About"),
        "_data/authors.yml": "ann:\n  name: Ann\n",
        "robots-extra.txt": "hello\n",
    })
    _, report = imported_and_built(source, tmp_path / "new", capsys)
    assert (f"Imported 1 post, 0 drafts, 1 page, 1 author and 1 static file from the jekyll site into "
            f"{tmp_path / 'new'}/.") in report, report
