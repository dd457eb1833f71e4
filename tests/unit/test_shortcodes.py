"""Shortcodes in bodies: evaluated before Markdown in a sandbox, never inside code."""

import re
import shutil
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from publisher.build.pipeline import BuildOptions, build
from publisher.config.model import MarkdownConfig, SiteConfig
from publisher.content.model import Post
from publisher.content.shortcodes import Shortcodes
from publisher.core.errors import BuildFailed
from publisher.templates.bodies import body_environment
from publisher.templates.theme import Theme

from ..conftest import snapshot

NOW = datetime(2026, 9, 1, tzinfo=UTC)
# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


def write(site: Path, body: str, front: str = "") -> None:
    (site / "content" / "posts" / "sc.md").write_text(f"---\ntitle: Shortcodes\ndate: 2026-03-01\n{front}---\n\n{body}",
                                                     encoding="utf-8")


def page(site: Path, **options: object) -> str:
    report = build(BuildOptions(config=site / "publisher.toml", now=NOW, use_cache=False, **options))  # type: ignore[arg-type]
    return (report.output_dir / "sc" / "index.html").read_text(encoding="utf-8")


def test_filters_and_site_values_know_the_base_path(site_dir: Path) -> None:
    write(site_dir, '[About]({{ "/about/" | url }}) and ![chart]({{ site.baseurl }}/img/c.png) '
                    'at {{ "/x/" | absolute_url }} in {{ post.title }}.\n')
    html = page(site_dir, base_url="https://user.github.io/repo/")
    assert '<a href="/repo/about/">About</a>' in html
    assert 'src="/repo/img/c.png"' in html
    assert "at https://user.github.io/repo/x/ in Shortcodes." in html


def test_code_is_never_evaluated(site_dir: Path) -> None:
    write(site_dir, "Write `{{ name }}` here.\n\n```\n{% for x in y %}{{ x }}{% endfor %}\n```\n\n"
                    "    {{ indented }}\n\nAnd {{ site.title }}.\n")
    html = page(site_dir)
    assert "<code>{{ name }}</code>" in html
    assert "{%" in html and "{{ x }}" in html and "{{ indented }}" in html
    assert "And Test Hub." in html



def test_text_shaped_like_the_markers_of_stowed_code_is_kept_as_written(site_dir: Path) -> None:
    """Code is stowed as a number between two private-use characters while the body is evaluated. Those were
    always U+E000 and U+E001: text of that shape outside code was replaced by someone's code, and code holding the
    next range's marker twice was put back twice, doubling at each range (600 bytes made a 21 MB page)."""
    marker = "\ue000{}\ue001"
    lines = [f"`{marker.format(number + 1) * 2}` line {number}" for number in range(14)]
    write(site_dir, "{{ site.title }}: " + marker.format(0) + " kept.\n\n" + "\n\n".join(lines) + "\n")
    html = page(site_dir)
    assert f"Test Hub: {marker.format(0)} kept." in html
    assert all(f"<code>{marker.format(number + 1) * 2}</code> line {number}" in html for number in range(14))
    assert len(html) < 100_000


def test_built_in_shortcodes(site_dir: Path) -> None:
    write(site_dir, '{{ figure("/img/a.png", "A chart", caption="Figure 1") }}\n\n{{ youtube("abc123", "Launch") }}\n\n'
                    '[First]({{ post_url("first.md") }})\n')
    html = page(site_dir)
    assert '<figure><img src="/img/a.png" alt="A chart"><figcaption>Figure 1</figcaption></figure>' in html
    # A facade: the player, privacy-enhanced, is loaded (playing) only when the reader clicks in the frame.
    assert "https://www.youtube-nocookie.com/embed/abc123?autoplay=1" in unescape(unescape(html))
    assert 'src="https://www.youtube' not in html
    assert '<a href="/first/">First</a>' in html


def test_image_and_figure_link_the_very_file_a_site_path_names(site_dir: Path) -> None:
    """`src` was written as given: `/img/big pic #1.png` kept a raw space (invalid HTML, the Nu checker: "Illegal
    character in path segment") and its `#` began a fragment, so the browser fetched `/img/big pic ` (a 404). A
    file of the site's is now linked as a front-matter image is; an external URL is only made valid."""
    (site_dir / "static" / "img").mkdir(parents=True)
    (site_dir / "static" / "img" / "big pic #1.png").write_bytes(PNG)
    write(site_dir, '{{ image("/img/big pic #1.png", "Chart") }}\n\n{{ figure("img/big pic #1.png", "Chart") }}\n\n'
                    '{{ image("https://cdn.example.com/a b.png?w=2", "Remote") }}\n\n'
                    '{{ image("/img/sprite.svg#logo", "Logo") }}\n')
    html = page(site_dir)
    sources = re.findall(r'<img src="([^"]*)"', html)
    assert sources == ["/img/big%20pic%20%231.png", "/img/big%20pic%20%231.png",
                       "https://cdn.example.com/a%20b.png?w=2", "/img/sprite.svg#logo"]
    output = site_dir / "output"
    assert (output / unquote(urlsplit(sources[0]).path).lstrip("/")).read_bytes() == PNG


def test_a_figure_caption_is_inline_markdown_and_its_html_text(site_dir: Path) -> None:
    """Hugo renders a `figure` caption's Markdown (gohugo.io, "Figure shortcode"); ours showed `*Source*` with its
    stars. Emphasis, code and links are rendered; HTML written in it is shown as text, never markup."""
    write(site_dir, '{{ figure("/img/a.png", "A chart", caption="*Source:* `q3.csv` by [Ana](https://a.example) '
                    '<script>x()</script>") }}\n')
    html = page(site_dir)
    assert ('<figcaption><em>Source:</em> <code>q3.csv</code> by <a href="https://a.example">Ana</a> '
            "&lt;script&gt;x()&lt;/script&gt;</figcaption>") in html


def test_a_sites_own_shortcode_as_call_and_filter(site_dir: Path) -> None:
    folder = site_dir / "themes" / "default" / "shortcodes"
    folder.mkdir(parents=True)
    (folder / "note.html").write_text('<aside class="note {{ kind | default("info") }}">{{ args[0] }}'
                                      " ({{ post.title }})</aside>")
    write(site_dir, '{{ note("Careful", kind="warning") }}\n\n{{ "Psst" | note }}\n')
    html = page(site_dir)
    assert '<aside class="note warning">Careful (Shortcodes)</aside>' in html
    assert '<aside class="note info">Psst (Shortcodes)</aside>' in html


def test_embed_is_private_and_lazy_with_a_plain_link(site_dir: Path) -> None:
    write(site_dir, '{{ "https://youtu.be/dQw4w9WgXcQ" | embed("The launch") }}\n\n'
                    '{{ embed("https://vimeo.com/76979871", "Talk") }}\n\n'
                    '{{ embed("https://example.com/x", "Elsewhere") }}\n')
    html = page(site_dir)
    played = unescape(unescape(html))  # each player in its facade's page (`srcdoc`): loaded on a click alone
    assert 'href="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"' in played
    assert 'href="https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"' in played
    assert html.count("<iframe srcdoc=") == 2 and "<iframe src=" not in html
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">The launch</a>' in html
    assert '<a href="https://vimeo.com/76979871">Talk</a>' in html
    assert '<p class="embed"><a href="https://example.com/x">Elsewhere</a></p>' in html
    assert "<iframe" not in html.split("Elsewhere")[0].rsplit("</figure>", 1)[-1]  # no frame of an unknown page


def test_a_paired_shortcode_gets_its_inner_text_as_body_and_caller(site_dir: Path) -> None:
    folder = site_dir / "themes" / "default" / "shortcodes"
    folder.mkdir(parents=True)
    (folder / "note.html").write_text('<div class="note {{ args[0] }}">\n{{ body | markdown }}</div>\n'
                                      '<p class="raw">{{ caller() | trim }}</p>\n')
    write(site_dir, '{% call note("tip") %}\nUse **bold** and `{{ code }}` for {{ site.title }}.\n'
                    '{% endcall %}\n\nAfter.\n')
    html = page(site_dir)
    assert '<div class="note tip">' in html
    assert "Use <strong>bold</strong> and <code>{{ code }}</code> for Test Hub." in html
    assert '<p class="raw">Use **bold** and `{{ code }}` for Test Hub.</p>' in html
    assert "<p>After.</p>" in html



def test_shortcodes_that_call_each_other_ten_times_over_stop_at_100000_calls(site_dir: Path) -> None:
    """Each level made ten times the work of the one below, and nothing bounded it: six levels of Jekyll includes,
    imported as shortcodes, took 45 s, seven did not end in two minutes. A body's 2,000 calls are fine."""
    folder = site_dir / "themes" / "default" / "shortcodes"
    folder.mkdir(parents=True, exist_ok=True)
    for level in range(7):
        (folder / f"a{level}.html").write_text(f"{{{{ a{level + 1}() }}}}" * 10, encoding="utf-8")
    (folder / "a7.html").write_text("laugh ", encoding="utf-8")
    write(site_dir, "Fine: " + "{{ a7() }}" * 2000 + "\n")
    assert "<p>Fine: " + "laugh " * 1999 + "laugh</p>" in page(site_dir)
    write(site_dir, "Line.\n\n{{ a0() }}\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/posts/sc.md:8: shortcode: a7: more than 100,000 shortcode calls in one body (shortcodes that call "
         "others in a loop, or many times over?)")]


def test_a_body_asking_for_a_value_past_ten_million_characters_is_one_line(site_dir: Path) -> None:
    """`{{ 'a' * 10**9 }}` in a pull request's post held CI past a minute, `{{ [1] * 10**9 }}` asked for 8 GB;
    `'x'.center(10**9)`, a format width and `lipsum(10**6)` the same. Twice the bound is enough to show it: that
    body was built, a 20 MB page. Now the build stops at the line, before the value is made."""
    write(site_dir, "Intro.\n\n{% set line = 'a' * 20000000 %}\n{{ line }}\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/posts/sc.md:8: shortcode: '*' would make 20,000,000 characters or items; a body's values stop at "
         "10,000,000")]


def write_ctas(site: Path) -> None:
    folder = site / "content" / "ctas"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "guide.md").write_text("---\nstage: awareness\nkind: download\nheadline: Get the guide\n"
                                     "button: Download\nlink: https://example.com/guide.pdf\n---\nThe guide.\n")
    (folder / "letter.md").write_text("---\nstage: awareness\nheadline: Get the letter\nbutton: Subscribe\n"
                                      "form: {action: https://forms.example.com/x}\n---\nWeekly.\n")


def test_cta_in_a_body_points_to_the_cta(site_dir: Path) -> None:
    write_ctas(site_dir)
    write(site_dir, 'Para one.\n\n{{ cta("guide") }}\n\nPara two.\n\n{{ cta("letter") }}\n')
    html = page(site_dir)
    asides = [part.split("</aside>", 1)[0] for part in html.split('<aside class="cta-inline"')[1:]]
    assert len(asides) == 2  # the two asked for; the automatic pointer steps aside
    assert "Get the guide" in asides[0] and 'href="https://example.com/guide.pdf">Download →' in asides[0]
    assert "Get the letter" in asides[1] and 'href="#cta">Subscribe →' in asides[1]
    assert 'action="https://forms.example.com/x"' in html  # the form the pointer leads to is the post's



def test_a_cta_called_thousands_of_times_points_to_the_one_form_each_time(site_dir: Path) -> None:
    """Each call read every call before it (32,000 took 30 s); a second form is still refused after them all."""
    write_ctas(site_dir)
    (site_dir / "content" / "ctas" / "other.md").write_text(
        "---\nstage: decision\nheadline: Talk to us\nform: {action: https://forms.example.com/y}\n---\nCall.\n")
    write(site_dir, "Text.\n\n" + "{{ cta('letter') }}\n\n" * 3000)
    html = page(site_dir)
    assert html.count('<aside class="cta-inline"') == 3000 and html.count('action="https://forms.example.com/x"') == 1
    write(site_dir, "Text.\n\n" + "{{ cta('letter') }}\n\n" * 3000 + "{{ cta('guide') }} {{ cta('other') }}\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert "cta('other'): the body already points to the form of 'letter'" in str(failed.value.problems[0])


def test_cta_of_a_form_must_be_the_posts_form(site_dir: Path) -> None:
    write_ctas(site_dir)
    write(site_dir, 'Text.\n\n{{ cta("letter") }}\n', front="cta: guide\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert str(failed.value.problems[0]).startswith("content/posts/sc.md:9: shortcode: cta('letter') "
                                                    "points to the form at the end of the post")


@pytest.mark.parametrize(("body", "expected"), [
    ("Fine.\n\n{{ cta('nope') }}\n", ("content/posts/sc.md:8: shortcode: cta: no call to action has the id "
                                       "'nope' (known: none: add content/ctas/<id>.md)")),
    ("Fine.\n\n{{ nope(1) }}\n", ("content/posts/sc.md:8: shortcode: unknown shortcode, filter or variable "
                                  "'nope' (a shortcode is written in themes/default/shortcodes/nope.html)")),
    ("One.\n\n{{ 'x' | nope }}\n", ("content/posts/sc.md:8: shortcode: unknown filter 'nope' "
                                    "(a shortcode is written in themes/default/shortcodes/nope.html)")),
    # An unknown name reached through a name every object has: the sandbox called it "SecurityError: access to
    # attribute '__class__' of 'KeyNamingUndefined' object is unsafe", naming neither the name nor what to write.
    ("Fine.\n\n{{ x.__class__ }}\n", ("content/posts/sc.md:8: shortcode: unknown shortcode, filter or variable "
                                     "'x' (a shortcode is written in themes/default/shortcodes/x.html)")),
    ("{{ unclosed\n", ("content/posts/sc.md:6: shortcode: TemplateSyntaxError: unexpected end of template, "
                       "expected 'end of print statement'.")),
])
def test_a_bad_shortcode_names_file_line_and_what_to_write(site_dir: Path, body: str, expected: str) -> None:
    write(site_dir, body)
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert [str(p) for p in failed.value.problems] == [expected]


def test_every_front_matter_field_is_reached_by_name(site_dir: Path) -> None:
    """`{{ post.author }}` of a post with `author: maya` failed the build ("'dict object' has no attribute
    'author'"): only fields publisher does not know reached the body, though the README promises the post's other
    front-matter fields by name, as Jekyll's `page.author` and Hugo's `.Params.author` give them."""
    write(site_dir, "By {{ post.author }}: {{ post.description }} ({{ post.keywords | join(', ') }}; "
                    "{{ post.categories | join(', ') }}; {{ post.updated }}; {{ post.video }}).\n",
          front="author: maya\ndescription: How we plan.\nkeywords: [plan, team]\ncategories: [news]\n"
                "updated: 2026-03-05\nvideo: v1\n")
    assert "<p>By maya: How we plan. (plan, team; news; 2026-03-05; v1).</p>" in page(site_dir)


def test_a_field_the_post_lacks_is_named_with_the_fields_it_has(site_dir: Path) -> None:
    """Jinja2's own words were "UndefinedError: 'dict object' has no attribute 'subtitle'"."""
    write(site_dir, "Intro.\n\n{{ post.subtitle }}\n", front="author: maya\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/posts/sc.md:9: shortcode: no key 'subtitle' (its keys: author, date, image, slug, summary, tags, "
         "title, url): one only some posts have is written with | default('')")]
    write(site_dir, "Intro.\n\n[{{ post.subtitle | default('') }}]\n", front="author: maya\n")
    assert "<p>[]</p>" in page(site_dir)


def test_python_internals_are_out_of_reach(site_dir: Path) -> None:
    write(site_dir, "{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert failed.value.problems[0].field == "shortcode"


def test_turned_off_per_post_and_per_site(site_dir: Path) -> None:
    write(site_dir, "Jinja looks like {{ this }}.\n", front="shortcodes: false\n")
    assert "Jinja looks like {{ this }}." in page(site_dir)
    write(site_dir, "Jinja looks like {{ this }}.\n")
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n[markdown]\nshortcodes = false\n")
    assert "Jinja looks like {{ this }}." in page(site_dir)


SHORTCODES = Shortcodes.make(body_environment(Theme(())), SiteConfig(root=Path("."), title="Hub", url="https://h.x/",
                                                                     markdown=MarkdownConfig()), {}, {})
CODE = st.text(st.characters(blacklist_characters="`\n\r", blacklist_categories=("Cs", "Cc")), min_size=1)
BLOCK = st.lists(st.text(st.characters(blacklist_characters="`~\r", blacklist_categories=("Cs", "Cc")), max_size=30),
                 max_size=4)


@settings(max_examples=200, deadline=None)
@given(span=CODE.filter(lambda s: s.strip() and "\ue000" not in s), lines=BLOCK)
@example(span="site.title", lines=["{{ site.title }}"])  # the text's own shortcode, in the code: left as written
def test_code_spans_and_blocks_come_through_the_pass_unchanged(span: str, lines: list[str]) -> None:
    span = "{{ " + span + " }}" if "{{" not in span else span
    block = "\n".join(["{% if x %}", *lines, "{{ y }}"])
    body = f"Made by {{{{ site.title }}}}: `` {span} ``\n\n```\n{block}\n```\n"
    post = Post(source="p.md", kind="post", title="T", slug="t", url="/t/", body=body)
    expanded, problem = SHORTCODES.expand(post)
    assert problem is None
    assert expanded.body == f"Made by Hub: `` {span} ``\n\n```\n{block}\n```\n"


def test_lipsum_as_a_placeholder_writes_the_same_text_in_every_build(site_dir: Path) -> None:
    """Jinja2's `lipsum` draws from the process's random generator: a draft with `{{ lipsum(2) }}` as a placeholder
    was other bytes in each build, and each deploy changed its page, feeds and search index."""
    write(site_dir, "Intro.\n\n{{ lipsum(2) }}\n\n{{ lipsum(1, False, 5, 6) }}\n")
    first = page(site_dir)
    assert first == page(site_dir)
    assert first.split("<p>Intro.</p>", 1)[1].count("<p>") >= 3  # two paragraphs, and the third's text


@pytest.mark.parametrize(("code", "expected"), [
    ("{{ post.title.upper }}", "{{ … }} writes the function upper itself: call it, as upper(…)"),
    ("{{ [1, 2] | map('string') }}", '{{ … }} writes a generator, not its items: end it with | list or | join(", ")'),
])
def test_a_function_or_generator_printed_whole_is_one_line(site_dir: Path, code: str, expected: str) -> None:
    """`{{ post.title.upper }}` (its `()` forgotten) wrote `<built-in method upper of str object at 0x7f…>` in the
    page: Python's name for it, another address in each build."""
    write(site_dir, f"Intro.\n\n{code}\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [f"content/posts/sc.md:8: shortcode: {expected}"]
    write(site_dir, "Intro.\n\n{{ post.title.upper() }} {{ [1, 2] | map('string') | join(', ') }}\n")
    assert "<p>SHORTCODES 1, 2</p>" in page(site_dir)


def test_an_inline_if_without_else_writes_nothing_and_an_unknown_name_is_named(site_dir: Path) -> None:
    """`{{ ", " if not loop.last }}` is Jinja2's own idiom for a list's commas; its false side is an undefined
    value, which is callable, so the build failed saying the post "writes the function a function itself". An
    unknown name got the same words, where the build names it and where its shortcode would be written."""
    write(site_dir, "Intro.\n\n{% for tag in ['a', 'b', 'c'] %}{{ tag }}{{ ', ' if not loop.last }}{% endfor %}\n")
    assert "<p>a, b, c</p>" in page(site_dir)
    write(site_dir, "Intro.\n\n{{ nothing }}\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/posts/sc.md:8: shortcode: unknown shortcode, filter or variable 'nothing' (a shortcode is written "
         "in themes/default/shortcodes/nothing.html)")]


def test_loops_inside_loops_stop_at_the_line_a_quarter_of_a_million_steps_in(site_dir: Path) -> None:
    """Two nested loops of 10,000 with no output held a build for a minute, three for a day; a shortcode whose
    template loops, called in a loop, made its own loops' work unbounded too (each render started afresh)."""
    write(site_dir, "Intro.\n\n{% for a in range(10000) %}\n{% for b in range(10000) %}{% endfor %}{% endfor %}\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/posts/sc.md:9: shortcode: a loop's pass goes past 250,000 steps, the most a body's template code "
         "may take (loops inside loops, or a long list or text gone through in a loop?)")]
    folder = site_dir / "themes" / "default" / "shortcodes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dots.html").write_text("{% for i in range(args[0]) %}o{% endfor %}", encoding="utf-8")
    write(site_dir, "Intro.\n\n{{ dots(3) }}\n\n{% for a in range(10000) %}{{ dots(100) }}{% endfor %}\n")
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert [str(problem) for problem in failed.value.problems] == [
        ("content/posts/sc.md:10: shortcode: the call of range() goes past 250,000 steps, the most a body's template "
         "code may take (loops inside loops, or a long list or text gone through in a loop?)")]
    write(site_dir, "Intro.\n\n{{ dots(3) }}\n")
    assert "<p>ooo</p>" in page(site_dir)


def in_language(site: Path, language: str) -> None:
    config = site / "publisher.toml"
    text = config.read_text(encoding="utf-8").replace('language = "en"\n', "")
    config.write_text(text.replace("[site]\n", f'[site]\nlanguage = "{language}"\n', 1), encoding="utf-8")


PLAYERS = {  # language: the facade's link, the title a player without one gets
    "en": ("Play: {}", "Video"),
    "de": ("Abspielen: {}", "Video"),
    "fr": ("Lire\u00a0: {}", "Vidéo"),
    "es": ("Reproducir: {}", "Vídeo"),
}


@pytest.mark.parametrize("language", sorted(PLAYERS))
def test_the_players_words_are_in_the_sites_language(site_dir: Path, language: str) -> None:
    # A German reader's screen reader said "Play: …" in an English voice, and a player without a title was
    # "Video" on a Spanish site: the players' words were English whatever the site's language.
    in_language(site_dir, language)
    write(site_dir, '{{ youtube("abc123", "Wie wir messen") }}\n\n{{ embed("https://vimeo.com/76979871") }}\n')
    html = page(site_dir)
    play, video = PLAYERS[language]
    facades = [unescape(srcdoc) for srcdoc in html.split('srcdoc="')[1:]]
    assert f'<html lang="{language}">' in facades[0]  # the frame's page is a document of its own: its language
    assert f'<span aria-hidden="true">\u25b6</span> {play.format("Wie wir messen")}</a>' in facades[0]
    assert f'<span aria-hidden="true">\u25b6</span> {play.format(video)}</a>' in facades[1]
    assert f'title="{video}" allow=' in html and f'<a href="https://vimeo.com/76979871">{video}</a>' in html


DATED = ('{{ post.date | date("%A %d %B %Y") }} / {{ post.date | date("%a %-d %b") }} / '
         '{{ post.date | date("%^B, %%B") }}\n')  # 2026-03-01 is a Sunday


@pytest.mark.parametrize(("language", "shown"), [
    ("en", "Sunday 01 March 2026 / Sun 1 Mar / MARCH, %B"),
    ("de", "Sonntag 01 März 2026 / So. 1 März / MÄRZ, %B"),
    ("fr", "dimanche 01 mars 2026 / dim. 1 mars / MARS, %B"),
    ("es", "domingo 01 marzo 2026 / dom 1 mar / MARZO, %B"),
])
def test_the_date_filter_names_months_and_days_in_the_sites_language(site_dir: Path, language: str,
                                                                     shown: str) -> None:
    # Kept for sites moved in from Jekyll (`{{ page.date | date: "%B %d, %Y" }}`); its names were English's whatever
    # the site's language, where Hugo's `time.Format` writes the language's.
    in_language(site_dir, language)
    write(site_dir, DATED)
    assert f"<p>{shown}</p>" in page(site_dir)


def test_a_build_switched_to_german_with_its_cache_equals_a_clean_german_build(site_dir: Path, tmp_path: Path) -> None:
    write(site_dir, DATED)
    options = {"config": site_dir / "publisher.toml", "now": NOW, "workers": 1}
    build(BuildOptions(**options))  # type: ignore[arg-type]  # English, its bodies kept in the cache
    in_language(site_dir, "de")
    switched = snapshot(build(BuildOptions(**options)).output_dir)  # type: ignore[arg-type]
    clean = site_dir.parent / "clean"
    shutil.copytree(site_dir, clean, ignore=shutil.ignore_patterns(".publisher-cache", "output"))
    fresh = snapshot(build(BuildOptions(config=clean / "publisher.toml", now=NOW, workers=1)).output_dir)
    assert "Sonntag 01 März 2026" in switched["sc/index.html"].decode()
    assert switched == fresh
