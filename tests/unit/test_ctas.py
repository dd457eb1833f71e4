import re
from dataclasses import replace
from pathlib import Path

import pytest

from publisher.config.model import FormsConfig, FunnelConfig, SiteConfig
from publisher.content.ctas import VISIT_FIELDS, check_cta_references, form_for, parse_cta
from publisher.content.model import Entry, Post, SourceFile
from publisher.content.urls import Urls
from publisher.core.errors import BuildFailed, Problems
from publisher.markdown.finishing import paragraph_end
from publisher.pages.views import cta_view
from publisher.site.funnel import cta_for
from publisher.templates.i18n import Words, load_words
from publisher.templates.theme import builtin_theme_dir
from tests.unit.test_site import RENDER

CFG = SiteConfig(root=Path("."), title="Hub", url="https://hub.example/",
                 funnel=FunnelConfig(ctas={"awareness": "letter", "decision": "demo"}),
                 forms=FormsConfig(provider="generic", action="https://leads.example/in"))


def theme_words(language: str) -> Words:
    return load_words((builtin_theme_dir(),), Path("/nonexistent"), language, Problems())


ENGLISH = theme_words("en")


def cta(text: str, name: str = "letter.md", words: Words = ENGLISH):
    return parse_cta(SourceFile(f"content/ctas/{name}", "cta", text.encode()), CFG, words)[0]


LETTER = cta("---\nstage: awareness\nkind: newsletter\nheadline: Get the next one\n---\nOne a week.\n")
DEMO = cta("---\nid: demo\nstage: decision\nkind: demo\nheadline: See it\nlink: /demo/\n---\n", "book.md")
GUIDE = cta("---\nid: guide\nstage: consideration\nkind: download\nheadline: The playbook\n"
            "form: {provider: formspree, action: 'https://formspree.io/f/abc'}\n---\n", "guide.md")
CTAS = {c.id: c for c in (LETTER, DEMO, GUIDE)}


def post(**fields) -> Post:
    return Post(source="content/posts/p.md", kind=fields.pop("kind", "post"), title="P", slug="p", url="/p/", body="",
                field_lines={"stage": 4, "cta": 5}, **fields)


def test_a_cta_field_written_twice_is_a_warning() -> None:
    source = SourceFile("content/ctas/letter.md", "cta",
                        b"---\nstage: awareness\nkind: newsletter\nheadline: Old\nheadline: New\n---\nPitch.\n")
    letter, warnings = parse_cta(source, CFG, ENGLISH)
    assert letter.headline == "New"
    assert [str(w) for w in warnings] == [
        ("content/ctas/letter.md:5: headline: written twice: this value is used, the one at line 4 is ignored "
         "(YAML keeps the last)")]


def test_cta_defaults() -> None:
    assert (LETTER.id, LETTER.button, LETTER.phrase, LETTER.pitch) == (
        "letter", "Subscribe", "Get the next one by email", "One a week.")


@pytest.mark.parametrize(("language", "button", "phrase"), [
    ("de", "Abonnieren", "Den nächsten Beitrag per E-Mail erhalten"),
    ("fr", "S’abonner", "Recevoir le prochain par e-mail"),
    ("es", "Suscribirse", "Recibir el próximo por correo"),
])
def test_a_cta_without_a_button_says_its_kinds_in_the_sites_language(language: str, button: str, phrase: str) -> None:
    # A German CTA without `button:` said "Subscribe".
    text = "---\nstage: awareness\nkind: newsletter\nheadline: Der nächste Beitrag\n---\nEinmal die Woche.\n"
    letter = cta(text, words=theme_words(language))
    assert (letter.button, letter.phrase) == (button, phrase)
    demo = cta("---\nstage: decision\nkind: demo\nheadline: Ansehen\nlink: /demo/\n---\n", "demo.md",
               theme_words(language))
    assert demo.button == theme_words(language).text("cta_button_demo") != "Book a demo"
    own = cta(text.replace("kind:", "button: Jetzt lesen\nkind:"), words=theme_words(language))
    assert own.button == "Jetzt lesen"  # the file's own words are its own
    assert LETTER.form.action == "https://leads.example/in" and LETTER.form.email_field == "email"
    assert DEMO.form is None and DEMO.link == "/demo/"


def test_stage_picks_the_default_cta_and_cta_overrides_it() -> None:
    assert cta_for(post(stage="decision"), CTAS, CFG.funnel) is DEMO
    assert cta_for(post(), CTAS, CFG.funnel) is LETTER  # no stage: the first stage
    assert cta_for(post(stage="consideration"), CTAS, CFG.funnel) is GUIDE  # no default configured: the stage's own CTA
    assert cta_for(post(stage="decision", cta="guide"), CTAS, CFG.funnel) is GUIDE
    assert cta_for(post(kind="page"), CTAS, CFG.funnel) is None
    assert cta_for(post(kind="page", cta="demo"), CTAS, CFG.funnel) is DEMO


def test_unknown_stage_and_cta_are_errors_naming_the_post() -> None:
    problems = check_cta_references([post(stage="nurture", cta="webinar")], CTAS, CFG)
    assert [str(p) for p in problems] == [
        ("content/posts/p.md:4: stage: 'nurture' is not a funnel stage "
         "(stages: awareness, consideration, decision, advocacy)"),
        "content/posts/p.md:5: cta: no CTA with id 'webinar' (CTAs: demo, guide, letter)",
    ]


def test_config_default_must_exist() -> None:
    cfg = SiteConfig(root=Path("."), title="H", url="https://h.example/",
                     funnel=FunnelConfig(ctas={"advocacy": "refer"}))
    assert [str(p) for p in check_cta_references([], CTAS, cfg)] == [
        "publisher.toml: funnel.ctas.advocacy: no CTA with id 'refer' (CTAs: demo, guide, letter)"]


@pytest.mark.parametrize(("text", "message"), [
    ("---\nstage: nurture\nheadline: H\n---\n", "content/ctas/x.md:2: stage: 'nurture' is not a funnel stage"),
    ("---\nstage: awareness\nkind: webinar\nheadline: H\n---\n",
     "content/ctas/x.md:3: kind: 'webinar' is not a CTA kind"),
    ("---\nstage: awareness\n---\n", "content/ctas/x.md:1: headline: missing"),
    ("---\nstage: awareness\nheadline: H\nconsent_required: true\n---\n",
     "content/ctas/x.md:4: consent_required: needs `consent:`, the wording of the checkbox the reader must tick"),
    ("---\nstage: awareness\nheadline: H\nform: {provider: hubspot}\n---\n",
     "content/ctas/x.md:4: form.provider: unknown provider 'hubspot'"),
    ("---\nstage: awareness\nheadline: H\nform:\n  provider: kit\n  action: ftp://x\n---\n",
     "content/ctas/x.md:6: form.action: action must be an http(s) URL"),
])
def test_cta_errors(text: str, message: str) -> None:
    with pytest.raises(BuildFailed) as info:
        cta(text, "x.md")
    assert str(info.value).startswith(message)


def test_provider_presets() -> None:
    assert form_for("formspree", "https://formspree.io/f/x", "c").honeypot == "_gotcha"
    netlify = form_for("netlify", "/thanks/", "newsletter")
    assert ("data-netlify", "true") in netlify.attributes and ("netlify-honeypot", "bot-field") in netlify.attributes
    assert netlify.hidden == (("form-name", "newsletter"),) and netlify.honeypot == "bot-field"
    mailchimp = form_for("mailchimp", "https://x.us1.list-manage.com/subscribe/post?u=abc&id=123", "c")
    assert (mailchimp.email_field, mailchimp.honeypot) == ("EMAIL", "b_abc_123")
    assert form_for("kit", "https://app.kit.com/forms/1/subscriptions", "c").email_field == "email_address"


def test_inline_cta_goes_after_top_level_paragraphs_only() -> None:
    html = ("<p>one</p>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n<p>two</p>\n<ul><li><p>item</p></li></ul>\n"
            "<p>three</p>")
    at = paragraph_end(html, 2)
    assert at is not None
    assert (html[:at], html[at:]) == ("<p>one</p>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n<p>two</p>",
                                      "\n<ul><li><p>item</p></li></ul>\n<p>three</p>")
    assert paragraph_end(html, 4) is None
    assert paragraph_end(html, 0) is None


def test_an_offer_without_a_cta_or_an_asset_is_an_error_naming_the_file() -> None:
    """An offer's form leads to its thank-you page, which delivers the asset: an offer without `cta:` built a
    landing page with no form (its asset reachable only by guessing the thank-you URL), and one without
    `asset:` a download button that led to the home page."""
    bare = replace(post(kind="offer"), field_lines={"title": 2})
    assert [str(p) for p in check_cta_references([bare], CTAS, CFG)] == [
        ("content/posts/p.md:2: cta: missing: an offer needs a CTA (its form leads to the thank-you page with the "
         "asset)"),
        "content/posts/p.md:2: asset: missing: the file the thank-you page delivers (a path on the site or a URL)",
    ]
    assert check_cta_references([post(kind="offer", cta="guide", asset="/files/guide.pdf")], CTAS, CFG) == []


def test_a_netlify_forms_thank_you_page_is_a_path_on_the_site_it_posts_to() -> None:
    """A Netlify form posts to its thank-you page and Netlify takes the submission there. The action was the
    absolute URL of `[site] url`, so a deploy preview's (or a `--base-url` build's) leads went to the live site;
    it is the path now, the base path added. A thank-you page on another site would never reach Netlify."""
    netlify = cta("---\nid: news\nstage: awareness\nheadline: Get it\nform: {provider: netlify, action: /}\n"
                  "thanks: /thanks/\n---\n", "news.md")
    cfg = replace(CFG, url="https://hub.example/journal/")
    view = cta_view(netlify, Entry(post(), RENDER.convert("")), Urls(cfg), thanks_url=netlify.thanks)
    assert view["form"]["action"] == "/journal/thanks/"
    assert [f["name"] for f in view["form"]["hidden"]][:2] == ["form-name", "post"]  # no redirect field
    with pytest.raises(BuildFailed) as failed:
        cta("---\nstage: awareness\nheadline: Get it\nform: {provider: netlify, action: /}\n"
            "thanks: https://crm.example/thanks/\n---\n", "far.md")
    assert [str(p) for p in failed.value.problems] == [
        ("content/ctas/far.md:5: thanks: a Netlify form posts to its thank-you page, so it must be a path on this "
         "site (/thanks/), not 'https://crm.example/thanks/': Netlify would never see the submission")]


def test_a_mailchimp_form_names_its_fields_as_merge_tags_mailchimp_can_keep() -> None:
    """Mailchimp keeps a posted field only under a merge tag of the audience, upper case and at most 10
    characters: `utm_campaign`, `utm_content`, `landing_page` and `consent_text` (12, 11, 12, 12) could have
    no merge tag, so those values were dropped with every lead."""
    letter = cta("---\nid: news\nstage: awareness\nheadline: Get it\nconsent: Also send me the weekly email.\n"
                 "form: {provider: mailchimp, action: 'https://x.us1.list-manage.com/subscribe/post?u=abc&id=123'}\n"
                 "---\n", "news.md")
    form = cta_view(letter, Entry(post(), RENDER.convert("")), Urls(CFG))["form"]
    names = [field["name"] for field in form["hidden"]] + [form["email_field"]]
    assert [name for name in names if not re.fullmatch(r"[A-Z0-9_]{1,10}", name)] == []
    names += form["names"].values()  # the consent checkbox's and its wording's
    assert all(re.fullmatch(r"[A-Z0-9_]{1,10}", name) for name in names)
    assert len(set(names)) == len(names)
    visit = {field["visit"]: field["name"] for field in form["hidden"] if "visit" in field}
    assert visit["utm_campaign"] == "UTM_CAMPGN" and visit["landing_page"] == "LANDING"  # as README lists them
    assert (visit["gclid"], visit["msclkid"], visit["fbc"]) == ("GCLID", "MSCLKID", "FBC")
    assert set(visit) == set(VISIT_FIELDS)
    generic = cta_view(LETTER, Entry(post(), RENDER.convert("")), Urls(CFG))["form"]  # other providers: as before
    assert [field["name"] for field in generic["hidden"]] == ["post", "cta", "page", *VISIT_FIELDS]
