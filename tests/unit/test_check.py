"""`publisher check` finds each planted problem, with its file and line."""

import json
import shutil
from pathlib import Path

import pytest

from publisher.commands.cli import main
from publisher.core.files import held_alone

from ..conftest import counting_pagefind, snapshot


def plant(site: Path) -> None:
    posts = site / "content" / "posts"
    (posts / "planted.md").write_text(
        "---\ntitle: Planted\ndate: 2026-01-10\nimage: /img/cover.png\n---\n\n"
        "A [dead link](/no-such-page/) and a [relative one](../nowhere/).\n\n"
        "![](/img/missing.png)\n", encoding="utf-8")
    (posts / "twin.md").write_text("---\ntitle: First post\ndate: 2026-01-11\nsummary: Same title.\n---\n\nText.\n")


def test_check_reports_each_planted_problem(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    plant(site_dir)
    monkeypatch.chdir(site_dir)
    assert main(["check"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "error: content/posts/planted.md:4: image: /img/cover.png resolves to nothing in the built site",
        "error: content/posts/planted.md:7: link: /no-such-page/ resolves to nothing in the built site",
        "error: content/posts/planted.md:7: link: /nowhere/ resolves to nothing in the built site",
        "error: content/posts/planted.md:9: image: /img/missing.png resolves to nothing in the built site",
        "error: content/posts/second.md:7: image: /img/chart.png resolves to nothing in the built site",
        ("warning: content/posts/planted.md:2: summary: missing "
         "(cards and link previews fall back to the first paragraph)"),
        "warning: content/posts/planted.md:4: image_alt: missing for '/img/cover.png' (describe the image)",
        "warning: content/posts/planted.md:9: image: '/img/missing.png' has no alt text",
        ("warning: content/posts/second.md:2: summary: missing "
         "(cards and link previews fall back to the first paragraph)"),
        "warning: content/posts/twin.md:2: title: 'First post' is also the title of content/posts/first.md",
    ]
    assert not (site_dir / "output").exists()  # check never touches the real output


def test_warnings_fail_only_under_strict(site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    (site_dir / "static" / "img").mkdir(parents=True)
    (site_dir / "static" / "img" / "chart.png").write_bytes(b"\x89PNG")
    monkeypatch.chdir(site_dir)
    assert main(["check"]) == 0  # the missing summary of second.md and its 4-byte image are left: warnings
    assert main(["check", "--strict"]) == 1
    capsys.readouterr()
    assert main(["check", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["errors"], report["warnings"]) == (0, 2)
    assert report["findings"] == [
        {"severity": "warning", "path": "content/posts/second.md", "line": 2, "field": "summary",
         "message": "missing (cards and link previews fall back to the first paragraph)"},
        {"severity": "warning", "path": "static/img/chart.png", "line": None, "field": "image",
         "message": "is not an image a browser shows (a file of another kind, or damaged): pages show it broken"}]


def test_images_pillow_will_not_open_are_checked_by_their_header(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A post image of 182 million pixels (Pillow refuses past 179) stopped `check` with a traceback."""
    from PIL import Image

    (site_dir / "static" / "img").mkdir(parents=True)
    Image.new("1", (14000, 13000)).save(site_dir / "static" / "img" / "huge.png")  # 22 KB
    (site_dir / "content" / "posts" / "huge.md").write_text(
        "---\ntitle: Huge\ndate: 2026-01-12\nsummary: Big.\nimage: /img/huge.png\nimage_alt: Grey\n---\n\nText.\n")
    monkeypatch.chdir(site_dir)
    assert main(["check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {"severity": "error", "path": "content/posts/huge.md", "line": 5, "field": "image",
            "message": "mastodon takes images up to 33,177,600 pixels; https://hub.example/img/huge.png is 14000×13000"
            } in findings


def test_unknown_cta_and_pillar_are_errors_in_check(site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    (site_dir / "content" / "posts" / "refs.md").write_text(
        "---\ntitle: Refs\ndate: 2026-01-12\ncta: nope\ncluster: no-pillar\n---\n\nText.\n")
    monkeypatch.chdir(site_dir)
    assert main(["check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["path"], f["line"], f["field"]) for f in findings] == [
        ("content/posts/refs.md", 4, "cta"), ("content/posts/refs.md", 5, "cluster")]


def test_a_ctas_thank_you_page_that_resolves_to_nothing_is_an_error_in_check(site_dir: Path,
                                                                            monkeypatch: pytest.MonkeyPatch,
                                                                            capsys) -> None:
    """The form sends readers to `thanks:` after they submit, as a hidden value (`redirect`) the link check does not
    read: a mistyped one sent every lead to a 404 and `check` passed. An existing page, or a URL elsewhere, is fine."""
    ctas = site_dir / "content" / "ctas"
    ctas.mkdir()
    (ctas / "guide.md").write_text("---\nstage: awareness\nheadline: Get the guide\n"
                                   "form: {action: 'https://forms.example/in'}\nthanks: /thanks-typo/\n---\nA guide.\n")
    (ctas / "elsewhere.md").write_text("---\nstage: decision\nheadline: Book a demo\n"
                                       "form: {action: 'https://forms.example/in'}\nthanks: https://crm.example/t/\n---\n")
    (site_dir / "content" / "pages" / "thanks.md").write_text("---\ntitle: Thanks\n---\n\nThank you.\n")
    (ctas / "found.md").write_text("---\nstage: advocacy\nheadline: Tell a friend\n"
                                   "form: {action: 'https://forms.example/in'}\nthanks: /thanks/\n---\n")
    monkeypatch.chdir(site_dir)
    assert main(["check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["path"], f["line"], f["field"], f["message"]) for f in findings if f["severity"] == "error"] == [
        ("content/ctas/guide.md", 5, "thanks",
         "/thanks-typo/ resolves to nothing in the built site (readers land there after submitting the form)"),
        ("content/posts/second.md", 7, "image", "/img/chart.png resolves to nothing in the built site")]


def test_a_mailchimp_or_kit_ctas_thank_you_page_is_a_warning_naming_where_to_set_it(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Mailchimp and Kit send readers to a page of their own after the form: the `redirect` field the form carried
    was never read, so readers of a Mailchimp CTA with `thanks:` (an offer's download) never saw that page and
    `check` said nothing. Formspree (`_next`) and a generic endpoint (`redirect`) take it from the form."""
    ctas = site_dir / "content" / "ctas"
    ctas.mkdir()
    (site_dir / "content" / "pages" / "thanks.md").write_text("---\ntitle: Thanks\n---\n\nThank you.\n")
    action = {"mailchimp": "'https://x.us1.list-manage.com/subscribe/post?u=abc&id=123'",
              "kit": "'https://app.kit.com/forms/1/subscriptions'", "formspree": "'https://formspree.io/f/abc'",
              "generic": "'https://forms.example/in'"}
    for stage, provider in zip(("awareness", "consideration", "decision", "advocacy"), action, strict=True):
        (ctas / f"{provider}.md").write_text(f"---\nstage: {stage}\nheadline: Get it\n"
                                             f"form: {{provider: {provider}, action: {action[provider]}}}\n"
                                             "thanks: /thanks/\n---\n")
    monkeypatch.chdir(site_dir)
    main(["check", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["severity"], f["path"], f["line"], f["field"], f["message"]) for f in findings
            if f["path"].startswith("content/ctas/")] == [
        ("warning", "content/ctas/kit.md", 5, "thanks", ("Kit takes no thank-you page from the form: readers land "
                                                          "on the one set in the Kit form's own settings, so set "
                                                          "/thanks/ there")),
        ("warning", "content/ctas/mailchimp.md", 5, "thanks", ("Mailchimp takes no thank-you page from the form: "
                                                                "readers land on the one set in Mailchimp's form "
                                                                "builder (its Confirmation thank you page), so set "
                                                                "/thanks/ there"))]


def test_an_offer_whose_form_posts_to_mailchimp_or_kit_is_a_warning_at_the_ctas_form(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """An offer's form sends readers to its thank-you page, which holds the download, by a `redirect` field: Mailchimp
    and Kit never read it and send readers to the page set with them. A CTA without `thanks:` made no warning, so an
    offer on Mailchimp built in silence and its readers never got the download. Formspree takes the page (`_next`)."""
    ctas, offers = site_dir / "content" / "ctas", site_dir / "content" / "offers"
    ctas.mkdir()
    offers.mkdir()
    action = {"mailchimp": "'https://x.us1.list-manage.com/subscribe/post?u=abc&id=123'",
              "kit": "'https://app.kit.com/forms/1/subscriptions'", "formspree": "'https://formspree.io/f/abc'"}
    for provider in action:
        (ctas / f"{provider}.md").write_text(f"---\nstage: consideration\nkind: download\nheadline: Get it\n"
                                             f"form: {{provider: {provider}, action: {action[provider]}}}\n---\n")
        (offers / f"{provider}-guide.md").write_text(f"---\ntitle: The {provider} guide\nsummary: A guide.\n"
                                                     f"cta: {provider}\nasset: /guide.pdf\n---\n\nThe pitch.\n")
    (site_dir / "static").mkdir()
    (site_dir / "static" / "guide.pdf").write_bytes(b"%PDF-1.4\n")
    monkeypatch.chdir(site_dir)
    main(["check", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["severity"], f["path"], f["line"], f["field"], f["message"]) for f in findings
            if f["path"].startswith("content/ctas/")] == [
        ("warning", "content/ctas/kit.md", 5, "form", (
            "Kit takes no thank-you page from the form: readers of the offer content/offers/kit-guide.md never reach "
            "its download at https://hub.example/offers/kit-guide/thanks/ unless that URL is set in the Kit form's "
            "own settings")),
        ("warning", "content/ctas/mailchimp.md", 5, "form", (
            "Mailchimp takes no thank-you page from the form: readers of the offer content/offers/mailchimp-guide.md "
            "never reach its download at https://hub.example/offers/mailchimp-guide/thanks/ unless that URL is set in "
            "Mailchimp's form builder (its Confirmation thank you page)"))]


def test_a_share_text_over_its_limit_is_an_error_in_check(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys) -> None:
    (site_dir / "content" / "posts" / "loud.md").write_text(
        "---\ntitle: Loud\ndate: 2026-01-12\nshare:\n  mastodon: \"" + "word " * 100 + "{url}\"\n---\n\nText.\n")
    monkeypatch.chdir(site_dir)
    assert main(["check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    # 500 for the words, 102 for the link as written (.example is no top-level domain, so not 23)
    assert {"severity": "error", "path": "content/posts/loud.md", "line": 5, "field": "share.mastodon",
            "message": "602 of 500 characters"} in findings


def test_check_keeps_nothing_in_the_cache_for_its_scratch_output(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(site_dir)
    for _ in range(2):
        main(["check"])
    capsys.readouterr()
    kept = sorted(path.name for path in (site_dir / ".publisher-cache").iterdir())
    # shared by every build (rendered Markdown, share texts, drawn cards), and check's own search parts and their
    # lock: no model, bodies, manifest or search index of an output folder that was deleted
    per_output = [name for name in kept if name.split("-")[0] in ("model", "bodies", "pages", "search")]
    assert per_output == ["search-check", "search-check.lock"], kept


def test_a_second_check_indexes_only_the_search_parts_whose_pages_changed(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n[search]\nshard_size = 1\n")  # two parts: /first/ and /about/ in one, /second/ in the other
    runs = counting_pagefind(tmp_path, monkeypatch)
    monkeypatch.chdir(site_dir)
    main(["check"])
    first = capsys.readouterr().out
    assert len(runs.read_text().splitlines()) == 2  # a first check makes every part
    main(["check"])
    assert capsys.readouterr().out == first
    assert len(runs.read_text().splitlines()) == 2  # none again
    second = site_dir / "content" / "posts" / "second.md"
    second.write_text(second.read_text(encoding="utf-8") + "\nWords about zeppelins.\n", encoding="utf-8")
    main(["check"])
    assert capsys.readouterr().out == first
    assert len(runs.read_text().splitlines()) == 3  # the edited page's part alone


def test_a_check_while_another_runs_keeps_the_search_parts_apart(
        site_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # A check removes the kept parts its index does not use: two at once must not share them.
    with (site_dir / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n[search]\nshard_size = 1\n")
    runs = counting_pagefind(tmp_path, monkeypatch)
    monkeypatch.chdir(site_dir)
    main(["check"])
    first = capsys.readouterr().out
    cache = site_dir / ".publisher-cache"
    kept = snapshot(cache / "search-check")
    with held_alone(cache / "search-check.lock") as alone:  # as another check running holds it
        assert alone
        main(["check"])
    assert capsys.readouterr().out == first
    assert len(runs.read_text().splitlines()) == 4  # both parts made again, apart
    assert snapshot(cache / "search-check") == kept
    assert [path.name for path in cache.glob("search-*") if path.is_dir()] == ["search-check"]  # its own: gone


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The HTML texts `check` parses, noted."""
    from publisher.commands import check

    seen: list[str] = []
    real = check._References.feed

    def noting(self: check._References, data: str) -> None:
        seen.append(data)
        real(self, data)

    monkeypatch.setattr(check._References, "feed", noting)
    return seen


def test_a_second_check_parses_only_the_pages_that_changed(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str],
                                                           parsed: list[str]) -> None:
    plant(site_dir)
    monkeypatch.chdir(site_dir)
    assert main(["check"]) == 1
    first = capsys.readouterr().out
    everything = len(parsed)
    assert everything > 10
    parsed.clear()
    assert main(["check"]) == 1
    assert capsys.readouterr().out == first
    assert parsed == []  # every page and post came out the same
    twin = site_dir / "content" / "posts" / "twin.md"
    twin.write_text(twin.read_text(encoding="utf-8") + "\nA [new dead link](/gone/).\n", encoding="utf-8")
    assert main(["check"]) == 1
    again = capsys.readouterr().out
    assert "content/posts/twin.md:9: link: /gone/ resolves to nothing in the built site" in again
    assert 0 < len(parsed) < everything / 2  # the post, its page and the lists that show it


def test_a_damaged_or_foreign_parse_cache_is_ignored(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    plant(site_dir)
    monkeypatch.chdir(site_dir)
    assert main(["check"]) == 1
    first = capsys.readouterr().out
    kept = site_dir / ".publisher-cache" / "check-parses.json"
    data = json.loads(kept.read_text(encoding="utf-8"))
    for damage in ({**data, "code": "another"},
                   {**data, "parses": {key: [[["href"]], []] for key in data["parses"]}},
                   {**data, "parses": {key: [[], []] for key in data["parses"]}} | {"code": "another"}):
        kept.write_text(json.dumps(damage), encoding="utf-8")
        assert main(["check"]) == 1
        assert capsys.readouterr().out == first
    kept.write_bytes(b"\x00not json")
    assert main(["check"]) == 1
    assert capsys.readouterr().out == first


def test_a_broken_nav_link_is_not_blamed_on_a_post_that_mentions_its_words(site_dir: Path,
                                                                          monkeypatch: pytest.MonkeyPatch,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """The nav's `/crew/` shows on every page; a post whose body says "crew" did not write that link."""
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[[nav]]\ntitle = "Crew"\nurl = "/crew/"\n',
                      encoding="utf-8")
    (site_dir / "content" / "posts" / "people.md").write_text(
        "---\ntitle: Our crew\ndate: 2026-01-10\nsummary: Who we are.\n---\n\nThe crew writes here.\n",
        encoding="utf-8")
    monkeypatch.chdir(site_dir)
    assert main(["check"]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if "/crew/" in line]
    assert len(errors) == 1 and "content/posts/" not in errors[0], errors
    assert errors[0].startswith("error: publisher.toml:12: nav.url: /crew/ resolves to nothing in the built site (on ")


@pytest.mark.parametrize("url", ["https://hub.example/", "https://user.example/journal/"])
def test_a_logo_to_nothing_is_one_line_at_its_setting(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], url: str) -> None:
    """The README's `logo = "/img/logo.svg"` without the file: check printed two lines for each page of the site
    (`href` and `src`, at output/…, "from the theme"), 34 on a new hub, none naming the setting to fix."""
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://hub.example/", url).replace(
        'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nlogo = "/img/logo.svg"'), encoding="utf-8")
    monkeypatch.chdir(site_dir)
    assert main(["check"]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if "logo.svg" in line]
    assert len(errors) == 1, errors
    base = url.removeprefix("https://user.example").removeprefix("https://hub.example")
    assert errors[0].startswith(f"error: publisher.toml:5: site.logo: {base}img/logo.svg resolves to nothing in the "
                                "built site (on "), errors
    assert " pages, output/404.html first)" in errors[0]


def test_a_themes_missing_stylesheet_is_one_line_at_the_template_line_that_links_it(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A theme's partial links /assets/brand.css, which the theme forgot to ship: check said so once for every
    page of the site, each at the built page, naming none of the theme's files."""
    partials = site_dir / "themes" / "default" / "templates" / "partials"
    partials.mkdir(parents=True)
    meta = (Path(__file__).parents[2] / "themes" / "default" / "templates" / "partials" / "meta.html").read_text()
    link = '<link rel="stylesheet" href="/assets/brand.css">'
    (partials / "meta.html").write_text(f'<meta name="x" content="y">\n{link}\n{meta}', encoding="utf-8")
    monkeypatch.chdir(site_dir)
    assert main(["check"]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if "brand.css" in line]
    assert len(errors) == 1, errors
    assert errors[0].startswith("error: themes/default/templates/partials/meta.html:2: href: /assets/brand.css "
                                "resolves to nothing in the built site (on ")
    assert " pages, output/404.html first)" in errors[0]


def test_the_sample_hub_passes_check_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """What the README's first command builds is what `publisher init`'s workflow holds a site to: no error and,
    with --strict, no warning (its scheduled post's announcements need alt text too)."""
    repo = Path(__file__).resolve().parents[2]
    for name in ("content", "static"):
        shutil.copytree(repo / name, tmp_path / name)
    for name in ("publisher.toml", "publisher.urls"):
        shutil.copy(repo / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--strict"]) == 0, capsys.readouterr().out


def test_raw_html_urls_beyond_href_and_src_are_checked_too(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A broken `poster`, `data`, `cite`, `srcset` or CSS `url()` resolves to nothing like a broken `src`; a form's
    `action` goes to a server the build cannot hold (`/api/...`), so it is not checked."""
    (site_dir / "static" / "img").mkdir(parents=True)
    (site_dir / "static" / "img" / "chart.png").write_bytes(b"\x89PNG")
    (site_dir / "content" / "posts" / "media.md").write_text(
        "---\ntitle: Media\ndate: 2026-01-10\nsummary: Raw HTML.\n---\n\n"
        '<video poster="/img/no-poster.jpg"></video>\n\n'
        '<object data="/files/none.pdf"></object>\n\n'
        "<div style=\"background: url('/img/no-bg.png'), url(/img/chart.png)\">x</div>\n\n"
        '<form action="/api/subscribe"><button formaction="/api/now">Go</button></form>\n\n'
        '<blockquote cite="/no-source/">Quoted.</blockquote>\n\n'
        '<img alt="A chart" src="/img/chart.png" srcset="/img/chart.png 1x, /img/no-2x.png 2x">\n\n'
        "<style>.band { background: url(/img/no-band.png) } .mark { fill: url(#grad) }</style>\n", encoding="utf-8")
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("https://hub.example/", "https://user.github.io/hub/"),
                      encoding="utf-8")
    monkeypatch.chdir(site_dir)
    assert main(["check"]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: content/posts/media.md:7: image: /hub/img/no-poster.jpg resolves to nothing in the built site",
        "error: content/posts/media.md:9: image: /hub/files/none.pdf resolves to nothing in the built site",
        "error: content/posts/media.md:11: image: /hub/img/no-bg.png resolves to nothing in the built site",
        "error: content/posts/media.md:15: link: /hub/no-source/ resolves to nothing in the built site",
        "error: content/posts/media.md:17: image: /hub/img/no-2x.png resolves to nothing in the built site",
        "error: content/posts/media.md:19: image: /hub/img/no-band.png resolves to nothing in the built site",
    ]


def test_a_link_to_a_place_no_element_of_its_page_is_is_an_error(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A link to a section (`first.md#setup`, `#faq`) lands on the page's top when no element has that id (a
    heading renamed, a typo): reported at the post's line; a heading's id, `#top`, a text fragment and another
    site's fragments are not."""
    (site_dir / "content" / "posts" / "anchors.md").write_text(
        "---\ntitle: Anchors\ndate: 2026-01-12\nsummary: Links to places.\n---\n\n## Our setup\n\n"
        "[Here](#our-setup), [top](#top), [quote](#:~:text=setup) and [elsewhere](https://example.com/#nowhere).\n\n"
        "[Gone](first.md#no-such-heading) and [typo](#our-set-up).\n", encoding="utf-8")
    monkeypatch.chdir(site_dir)
    assert main(["check"]) == 1
    out = [line for line in capsys.readouterr().out.splitlines() if "anchors.md" in line]
    assert out == [
        "error: content/posts/anchors.md:11: link: #our-set-up: no element of this page has the id 'our-set-up'",
        ("error: content/posts/anchors.md:11: link: /first/#no-such-heading: no element of /first/ has the id "
         "'no-such-heading'")]


def test_a_footnote_whose_label_has_a_percent_sign_passes_check(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """`[^50%]`'s note has the id `fn:50%25`, linked `#fn:50%25`, which browsers follow: the HTML standard looks
    for the fragment as written before its percent-decoded form. `check` decoded it alone and called both the
    reference and the back-link errors ("no element of this page has the id 'fn:50%'"), failing CI."""
    (site_dir / "content" / "posts" / "notes.md").write_text(
        "---\ntitle: Notes\ndate: 2026-01-12\nsummary: A note.\n---\n\nHalf[^50%] and [a place](#caf%C3%A9).\n\n"
        "<p id=\"café\">Here.</p>\n\n[^50%]: Fifty.\n", encoding="utf-8")
    monkeypatch.chdir(site_dir)
    main(["check"])
    assert [line for line in capsys.readouterr().out.splitlines() if "notes.md" in line] == []


def test_a_heic_image_in_a_body_is_a_warning(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """An iPhone's photo kept as HEIC shows in Safari alone (every other browser shows a broken image): said at its
    line; a JPEG is not."""
    (site_dir / "static" / "img").mkdir(parents=True, exist_ok=True)
    for name in ("beach.HEIC", "beach.jpg"):
        (site_dir / "static" / "img" / name).write_bytes(b"\xff\xd8\xff\xd9")
    (site_dir / "content" / "posts" / "photos.md").write_text(
        "---\ntitle: Photos\ndate: 2026-01-12\nsummary: From the beach.\n---\n\n"
        "![The beach](/img/beach.HEIC)\n\n![The beach again](/img/beach.jpg)\n", encoding="utf-8")
    monkeypatch.chdir(site_dir)
    main(["check"])
    said = [line for line in capsys.readouterr().out.splitlines() if "photos.md" in line and "HEIC" in line]
    assert said == [("warning: content/posts/photos.md:7: image: '/img/beach.HEIC' is a HEIC image, which only "
                     "Safari shows: publish it as a JPEG or WebP")]


def test_a_site_in_a_subfolder_is_checked_with_paths_from_where_the_command_runs(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A repository whose site is in `site/`, checked from its root (as a CI job runs): `check` named files from
    the site's folder (`content/posts/second.md`), which neither the job's annotations nor an editor find from
    there, while `build` names `site/content/...`; problems that stop the build, and `--format json`, too."""
    monkeypatch.chdir(site_dir.parent)
    config = f"{site_dir.name}/publisher.toml"
    assert main(["check", "--config", config]) == 1
    assert capsys.readouterr().out.splitlines() == [
        (f"error: {site_dir.name}/content/posts/second.md:7: image: /img/chart.png resolves to nothing in the "
         "built site"),
        (f"warning: {site_dir.name}/content/posts/second.md:2: summary: missing "
         "(cards and link previews fall back to the first paragraph)")]
    assert main(["check", "--config", config, "--format", "json"]) == 1
    paths = [finding["path"] for finding in json.loads(capsys.readouterr().out)["findings"]]
    assert paths == [f"{site_dir.name}/content/posts/second.md"] * 2
    (site_dir / "content" / "posts" / "first.md").write_text("---\ntitle: First\ndate: 2026-13-01\n---\n\nText.\n")
    assert main(["check", "--config", config]) == 1
    assert capsys.readouterr().out.startswith(f"error: {site_dir.name}/content/posts/first.md:3: date: ")


def test_check_json_follows_its_schema_in_its_order_whether_or_not_the_site_builds(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """What a CI tool reads of `check --format json` is described by publisher/commands/check-report.schema.json
    (there was no description of it anywhere), and its findings come errors first, then warnings, each by file and
    line: a site that did not build listed its warnings (an unknown setting) before its errors."""
    from jsonschema import Draft202012Validator

    import publisher.commands

    schema = json.loads((Path(publisher.commands.__file__).parent / "check-report.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    plant(site_dir)
    monkeypatch.chdir(site_dir)
    reports = []
    assert main(["check", "--format", "json"]) == 1
    reports.append(json.loads(capsys.readouterr().out))
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[site2]\nfoo = 1\n", encoding="utf-8")
    (site_dir / "content" / "posts" / "first.md").write_text("---\ntitle: First\ndate: 2026-13-01\n---\n\nText.\n")
    assert main(["check", "--format", "json"]) == 1
    reports.append(json.loads(capsys.readouterr().out))
    for report in reports:
        validator.validate(report)
        severities = [finding["severity"] for finding in report["findings"]]
        assert severities == sorted(severities) and "warning" in severities  # "error" < "warning"
        assert (report["errors"], report["warnings"]) == (severities.count("error"), severities.count("warning"))
    assert [(f["severity"], f["path"], f["field"]) for f in reports[1]["findings"]] == [
        ("error", "content/posts/first.md", "date"), ("warning", "publisher.toml", "site2")]


def test_an_image_named_with_a_sign_a_url_reads_is_named_at_its_line_with_the_url_that_works(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A Markdown image's destination is a URL (as Hugo's render hook reads it): `#` starts its fragment, `?` its
    query. Such an image was an error at the wrong line (the body's first, or another image's that shares a word),
    with no word of why; an unquoted front-matter `image` with ` #`, which YAML cuts at its comment, too."""
    from PIL import Image

    (site_dir / "static" / "img").mkdir(parents=True, exist_ok=True)
    for name in ("big pic #1.png", "what?.png"):
        Image.new("RGB", (40, 20), "red").save(site_dir / "static" / "img" / name, "PNG")
    (site_dir / "content" / "posts" / "signs.md").write_text(
        "---\ntitle: Signs\ndate: 2026-01-12\nsummary: Named with signs.\nimage: /img/big pic #1.png\n"
        "image_alt: Red\n---\n\n![Red](/img/big%20pic%20%231.png)\n\n![Red](</img/big pic #1.png>)\n\n"
        "![Red](</img/what?.png>)\n", encoding="utf-8")
    monkeypatch.chdir(site_dir)
    main(["check"])
    said = [line for line in capsys.readouterr().out.splitlines() if "signs.md" in line]
    assert said == [
        ("error: content/posts/signs.md:5: image: /img/big%20pic resolves to nothing in the built site (YAML reads "
         '" #" as the start of a comment: quote the path, image: "/img/big pic #1.png")'),
        ("error: content/posts/signs.md:11: image: /img/big%20pic%20#1.png resolves to nothing in the built site (a "
         "URL reads '#' as the start of its fragment: the file 'img/big pic #1.png' is /img/big%20pic%20%231.png)"),
        ("error: content/posts/signs.md:13: image: /img/what?.png resolves to nothing in the built site (a URL reads "
         "'?' as its query: the file 'img/what?.png' is /img/what%3F.png)"),
    ]


def test_an_html_image_named_with_a_percent_sign_is_named_at_its_line_with_the_url_that_works(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """HTML written in a body keeps its `src` as written, where a Markdown image's `%` that starts no escape is
    escaped (`%25`). `<img src="/img/100%.png">` asks for a bad escape, which nginx answers with 400 Bad Request
    (`ngx_http_parse_complex_uri`): the image was missing on the published site and `check` said nothing, as the
    file `100%.png` is in the output."""
    from PIL import Image

    (site_dir / "static" / "img").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 20), "red").save(site_dir / "static" / "img" / "100%.png", "PNG")
    (site_dir / "content" / "posts" / "signs.md").write_text(
        "---\ntitle: Signs\ndate: 2026-01-12\nsummary: Named with signs.\n---\n\n"
        '<img src="/img/100%.png" alt="Red">\n\n![Red](/img/100%.png)\n\n<img src="/img/100%25.png" alt="Red">\n',
        encoding="utf-8")
    monkeypatch.chdir(site_dir)
    main(["check"])
    said = [line for line in capsys.readouterr().out.splitlines() if "signs.md" in line]
    reason = ("is refused by web hosts (a URL reads '%' as the start of an escape, and nginx answers 400 Bad Request "
              "where two hex digits do not follow: the file 'img/100%.png' is")
    assert said == [
        f"error: content/posts/signs.md:7: image: /img/100%.png {reason} /img/100%25.png)",
    ]
