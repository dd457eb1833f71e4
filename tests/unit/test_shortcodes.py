"""Shortcodes in bodies: evaluated before Markdown in a sandbox, never inside code."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.build.pipeline import BuildOptions, build
from publisher.config.model import MarkdownConfig, SiteConfig
from publisher.content.model import Post
from publisher.content.shortcodes import Shortcodes
from publisher.core.errors import BuildFailed
from publisher.templates.bodies import body_environment
from publisher.templates.theme import Theme

NOW = datetime(2026, 9, 1, tzinfo=UTC)


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


def test_built_in_shortcodes(site_dir: Path) -> None:
    write(site_dir, '{{ figure("/img/a.png", "A chart", caption="Figure 1") }}\n\n{{ youtube("abc123", "Launch") }}\n\n'
                    '[First]({{ post_url("first.md") }})\n')
    html = page(site_dir)
    assert '<figure><img src="/img/a.png" alt="A chart"><figcaption>Figure 1</figcaption></figure>' in html
    assert 'src="https://www.youtube-nocookie.com/embed/abc123"' in html and 'loading="lazy"' in html
    assert '<a href="/first/">First</a>' in html


def test_a_sites_own_shortcode_as_call_and_filter(site_dir: Path) -> None:
    folder = site_dir / "themes" / "default" / "shortcodes"
    folder.mkdir(parents=True)
    (folder / "note.html").write_text('<aside class="note {{ kind | default("info") }}">{{ args[0] }}'
                                      " ({{ post.title }})</aside>")
    write(site_dir, '{{ note("Careful", kind="warning") }}\n\n{{ "Psst" | note }}\n')
    html = page(site_dir)
    assert '<aside class="note warning">Careful (Shortcodes)</aside>' in html
    assert '<aside class="note info">Psst (Shortcodes)</aside>' in html


@pytest.mark.parametrize(("body", "expected"), [
    ("Fine.\n\n{{ nope(1) }}\n", ("content/posts/sc.md:8: shortcode: unknown shortcode, filter or variable "
                                  "'nope' (a shortcode is written in themes/default/shortcodes/nope.html)")),
    ("One.\n\n{{ 'x' | nope }}\n", ("content/posts/sc.md:8: shortcode: unknown filter 'nope' "
                                    "(a shortcode is written in themes/default/shortcodes/nope.html)")),
    ("{{ unclosed\n", ("content/posts/sc.md:6: shortcode: TemplateSyntaxError: unexpected end of template, "
                       "expected 'end of print statement'.")),
])
def test_a_bad_shortcode_names_file_line_and_what_to_write(site_dir: Path, body: str, expected: str) -> None:
    write(site_dir, body)
    with pytest.raises(BuildFailed) as failed:
        page(site_dir)
    assert [str(p) for p in failed.value.problems] == [expected]


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
                                                                     markdown=MarkdownConfig()), {})
CODE = st.text(st.characters(blacklist_characters="`\n\r", blacklist_categories=("Cs", "Cc")), min_size=1)
BLOCK = st.lists(st.text(st.characters(blacklist_characters="`~\r", blacklist_categories=("Cs", "Cc")), max_size=30),
                 max_size=4)


@settings(max_examples=200, deadline=None)
@given(span=CODE.filter(lambda s: s.strip() and "\ue000" not in s), lines=BLOCK)
def test_code_spans_and_blocks_come_through_the_pass_unchanged(span: str, lines: list[str]) -> None:
    span = "{{ " + span + " }}" if "{{" not in span else span
    block = "\n".join(["{% if x %}", *lines, "{{ y }}"])
    body = f"Made by {{{{ site.title }}}}: `` {span} ``\n\n```\n{block}\n```\n"
    post = Post(source="p.md", kind="post", title="T", slug="t", url="/t/", body=body)
    expanded, problem = SHORTCODES.expand(post)
    assert problem is None
    assert expanded.body == body.replace("{{ site.title }}", "Hub")
