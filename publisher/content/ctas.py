"""Calls to action: read from `content/ctas/`, matched to each post's funnel
stage, and the form rules of each provider.

A CTA either links somewhere (`link:`) or carries a form that posts, as plain
HTML, to the brand's endpoint. Every form has the same attribution fields, so
a lead can be traced to the post, the CTA and the visit's UTM parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlsplit

from publisher.config.model import FORM_PROVIDERS, SiteConfig
from publisher.content.discovery import forbidden_characters, repeated_fields, split_file
from publisher.content.fields import Fields
from publisher.content.model import Post, SourceFile
from publisher.content.urls import Urls, thanks_url
from publisher.core.errors import BuildFailed, Problem
from publisher.templates.i18n import Words

KINDS = ("newsletter", "download", "demo", "product", "referral")
# A CTA without `button:` or `phrase:` says its kind's, in the site's language: the theme's words
# `cta_button_<kind>` and `cta_phrase_<kind>` (themes/default/i18n/en.toml: "Subscribe", "Get the guide"...).
DEFAULT_BUTTON = "cta_button_{kind}"
DEFAULT_PHRASE = "cta_phrase_{kind}"
# Filled by the build: which post, which CTA, which page the form was on.
BUILD_FIELDS = ("post", "cta", "page")
# The ad platforms' click ids (Google Ads' gclid, gbraid and wbraid, Microsoft's msclkid, Meta's fbclid), each
# platform's latest click, and Meta's `fbc` (`fb.1.<click time in ms>.<fbclid>`, as its Conversions API takes it):
# what an offline-conversion import from the CRM credits a lead to.
CLICK_FIELDS = ("gclid", "gbraid", "wbraid", "msclkid", "fbclid", "fbc")
# Filled in the browser by attribution.js from the visit (first touch), plus the last touch and the ad clicks.
VISIT_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "landing_page", "referrer",
                "last_touch", *CLICK_FIELDS)
# The consent checkbox and the wording it was ticked under.
CONSENT_FIELDS = ("consent", "consent_text")
# Mailchimp keeps a posted field only under one of the audience's merge tags, and a merge tag is upper case and
# at most 10 characters: `utm_campaign`, `utm_content`, `landing_page` and `consent_text` could never be kept under
# their own names.
MAILCHIMP_TAGS = (("post", "POST"), ("cta", "CTA"), ("page", "PAGE"), ("utm_source", "UTM_SOURCE"),
                  ("utm_medium", "UTM_MEDIUM"), ("utm_campaign", "UTM_CAMPGN"), ("utm_content", "UTM_CONTNT"),
                  ("utm_term", "UTM_TERM"), ("landing_page", "LANDING"), ("referrer", "REFERRER"),
                  ("last_touch", "LAST_TOUCH"), *((name, name.upper()) for name in CLICK_FIELDS),
                  ("consent", "CONSENT"), ("consent_text", "CONSENTTXT"))
# Where readers of a provider that takes no thank-you page from the form land after submitting.
OWN_THANKS_PAGE = {"mailchimp": ("Mailchimp", "Mailchimp's form builder (its Confirmation thank you page)"),
                   "kit": ("Kit", "the Kit form's own settings")}
# Kit keeps a posted value only as one of the subscriber's custom fields, written `fields[<key>]` (its own form
# markup names the first name `fields[first_name]`); a plain `utm_source` is dropped.
KIT_FIELDS = tuple((name, f"fields[{name}]") for name in (*BUILD_FIELDS, *VISIT_FIELDS, *CONSENT_FIELDS))
KNOWN_CTA_KEYS = {"id", "stage", "kind", "headline", "button", "form", "link", "consent", "consent_required", "thanks",
                  "phrase"}
FORM_KEYS = ("provider", "action", "name")


@dataclass(frozen=True, slots=True)
class Form:
    """How one provider wants the form: where it posts and what its fields are called."""

    provider: str
    action: str
    email_field: str
    honeypot: str
    attributes: tuple[tuple[str, str], ...] = ()  # extra <form> attributes
    hidden: tuple[tuple[str, str], ...] = ()  # provider's own hidden fields
    renamed: tuple[tuple[str, str], ...] = ()  # (field, the provider's name for it) where they differ
    redirect_field: str = ""  # the hidden field naming the page to go to after submitting; "" if it takes none

    def field(self, name: str) -> str:
        """What the provider calls one of the form's own fields (`utm_source`, `consent`...)."""
        return dict(self.renamed).get(name, name)


@dataclass(frozen=True, slots=True)
class Cta:
    id: str
    source: str
    stage: str
    kind: str
    headline: str
    button: str
    pitch: str  # Markdown
    phrase: str  # a short call to action for share snippets
    form: Form | None = None
    link: str = ""
    consent: str = ""
    consent_required: bool = False  # the form is not sent until the reader ticks the consent checkbox
    thanks: str = ""
    pitch_html: str = ""  # the pitch rendered, links resolved (by the Markdown stage)
    pitch_line: int = 1  # the line of the file the pitch starts on
    thanks_line: int = 1  # the line of `thanks:`, for `publisher check` to name
    form_line: int = 1  # the line of `form:` (1 when the form is `[forms]`'s), for warnings about the provider


def form_for(provider: str, action: str, name: str) -> Form:
    """The field names and attributes a provider expects."""
    if provider == "formspree":
        return Form(provider, action, "email", "_gotcha", redirect_field="_next")
    if provider == "netlify":
        return Form(provider, action, "email", "bot-field",
                    attributes=(("name", name), ("data-netlify", "true"), ("netlify-honeypot", "bot-field")),
                    hidden=(("form-name", name),))
    if provider == "mailchimp":
        query = parse_qs(urlsplit(action).query)
        user, audience = query.get("u", [""])[0], query.get("id", [""])[0]
        return Form(provider, action, "EMAIL", f"b_{user}_{audience}", renamed=MAILCHIMP_TAGS)
    if provider == "kit":
        return Form(provider, action, "email_address", "website_url", renamed=KIT_FIELDS)
    return Form("generic", action, "email", "website", redirect_field="redirect")


def parse_cta(source: SourceFile, cfg: SiteConfig, words: Words) -> tuple[Cta, list[Problem]]:
    """Validate one `content/ctas/*.md`; raises `BuildFailed` naming every bad field. `words`: the theme's words in
    the site's language, which give a CTA without `button:` or `phrase:` its kind's."""
    path = source.path
    split = split_file(source)
    fields = Fields(path, split.metadata, split.field_lines)
    leading = split.body[: len(split.body) - len(split.body.lstrip())].count("\n")  # blank lines before the pitch
    cta = replace(_cta(fields, split.body, cfg, words), pitch_line=split.body_line + leading,
                  thanks_line=split.field_lines.get("thanks", 1), form_line=split.field_lines.get("form", 1))
    if fields.problems:
        raise BuildFailed(fields.problems)
    meta = split.metadata
    warnings = [*forbidden_characters(source), *repeated_fields(path, split),
                *(fields.problem(k, "unknown field") for k in sorted(set(meta) - KNOWN_CTA_KEYS, key=str)),
                *_thanks_not_taken(cta, fields)]
    return cta, warnings


def _thanks_not_taken(cta: Cta, fields: Fields) -> list[Problem]:
    """`thanks:` on a form whose provider sends readers to a page of its own: they never see this one (an offer's
    download included) unless it is set at the provider too."""
    if not cta.thanks or cta.form is None or cta.form.provider not in OWN_THANKS_PAGE:
        return []
    provider, where = OWN_THANKS_PAGE[cta.form.provider]
    return [fields.problem("thanks", f"{provider} takes no thank-you page from the form: readers land on the one "
                                     f"set in {where}, so set {cta.thanks} there")]


def _cta(fields: Fields, body: str, cfg: SiteConfig, words: Words) -> Cta:
    cta_id = fields.text("id") or re.sub(r"\.(md|markdown)$", "", fields.path.rsplit("/", 1)[-1])
    stage = fields.text("stage")
    if stage not in cfg.funnel.stages:
        fields.fail("stage", f"{stage!r} is not a funnel stage (stages: {', '.join(cfg.funnel.stages)})")
    kind = fields.text("kind") or "newsletter"
    if kind not in KINDS:
        fields.fail("kind", f"{kind!r} is not a CTA kind (one of: {', '.join(KINDS)})")
        kind = "newsletter"
    headline = fields.text("headline")
    if not headline:
        fields.fail("headline", "missing (the line that asks the reader)")
    link = fields.text("link")
    form = _read_form(fields, cfg, cta_id) if not link else None
    thanks = fields.text("thanks")
    if form is not None and form.provider == "netlify" and re.match(r"^([A-Za-z][A-Za-z0-9+.-]*:|//)", thanks):
        fields.fail("thanks", f"a Netlify form posts to its thank-you page, so it must be a path on this site "
                              f"(/thanks/), not {thanks!r}: Netlify would never see the submission")
    if form is None and not link and "form" not in {p.field.split(".")[0] for p in fields.problems}:
        fields.fail("form", "a CTA needs a form (form: {action: ...} or [forms] action in publisher.toml) or a link")
    return Cta(
        id=cta_id, source=fields.path, stage=stage, kind=kind, headline=headline,
        button=fields.text("button") or words.text(DEFAULT_BUTTON.format(kind=kind)), pitch=body.strip(),
        phrase=fields.text("phrase") or words.text(DEFAULT_PHRASE.format(kind=kind)), form=form, link=link,
        consent=fields.text("consent"), consent_required=_consent_required(fields), thanks=thanks,
    )


def _consent_required(fields: Fields) -> bool:
    """`consent_required: true`: the checkbox must be ticked before the form is sent (where consent is the basis for
    the email, as GDPR has it); it needs the checkbox's wording."""
    required = fields.boolean("consent_required")
    if required and not fields.text("consent"):
        fields.fail("consent_required", "needs `consent:`, the wording of the checkbox the reader must tick")
    return required


def _read_form(fields: Fields, cfg: SiteConfig, cta_id: str) -> Form | None:
    value = fields.meta.get("form")
    if value is None:
        value = {}
    if not isinstance(value, dict):
        fields.fail("form", "must be a mapping such as {provider: formspree, action: https://formspree.io/f/...}")
        return None
    # An error, not a warning: a misspelt `acton:` made the form post to `[forms] action`, another endpoint.
    for key in sorted(set(value) - set(FORM_KEYS), key=str):
        fields.fail(f"form.{key}", f"unknown key (a form takes {', '.join(FORM_KEYS)}; a misspelt one is not read)")
    provider = str(value.get("provider") or cfg.forms.provider)
    if provider not in FORM_PROVIDERS:
        fields.fail("form.provider" if "provider" in value else "form",
                    f"unknown provider {provider!r} (one of: {', '.join(FORM_PROVIDERS)})")
        return None
    action = str(value.get("action") or cfg.forms.action)
    if not action:
        return None
    if not re.match(r"^(https?://|/)", action):
        fields.fail("form.action" if "action" in value else "form",
                    f"action must be an http(s) URL or a path on the site, not {action!r}")
        return None
    return form_for(provider, action, str(value.get("name") or cta_id))


def cta_check_reads(post: Post) -> tuple[object, ...]:
    """What `check_cta_references` reads of a post (besides the CTAs and the settings)."""
    return (post.source, post.kind, post.stage, post.cta, post.asset, post.line_of("stage"), post.line_of("cta"),
            post.line_of("asset"))


def check_cta_references(posts: list[Post], ctas: dict[str, Cta], cfg: SiteConfig) -> list[Problem]:
    """Every stage and CTA a post or the config names must exist."""
    problems = []
    known = ", ".join(sorted(ctas)) or "none: add files to content/ctas/"
    for stage, cta_id in sorted(cfg.funnel.ctas.items()):
        if cta_id not in ctas:
            message = f"no CTA with id {cta_id!r} (CTAs: {known})"
            problems.append(Problem("publisher.toml", None, f"funnel.ctas.{stage}", message))
    for post in posts:
        if post.stage and post.stage not in cfg.funnel.stages:
            problems.append(Problem(post.source, post.line_of("stage"), "stage",
                                    f"{post.stage!r} is not a funnel stage (stages: {', '.join(cfg.funnel.stages)})"))
        if post.cta and post.cta not in ctas:
            message = f"no CTA with id {post.cta!r} (CTAs: {known})"
            problems.append(Problem(post.source, post.line_of("cta"), "cta", message))
        if post.kind == "offer":
            problems += _offer_problems(post)
    return problems


def _offer_problems(offer: Post) -> list[Problem]:
    """An offer's CTA leads to its thank-you page, which delivers the asset: without a CTA the landing page has
    no form (the asset is only reachable by guessing its URL), and without an asset the thank-you page's
    download button leads to the home page."""
    problems = []
    if not offer.cta:
        problems.append(Problem(offer.source, offer.line_of("title"), "cta",
                                "missing: an offer needs a CTA (its form leads to the thank-you page with the "
                                "asset)"))
    if not offer.asset:
        problems.append(Problem(offer.source, offer.line_of("title"), "asset",
                                "missing: the file the thank-you page delivers (a path on the site or a URL)"))
    return problems


def offers_thanks_not_taken(posts: list[Post], ctas: dict[str, Cta], cfg: SiteConfig) -> list[Problem]:
    """Warnings, at the CTA's `form:`, for each offer whose form posts to Mailchimp or Kit: the form sends readers to
    the offer's thank-you page, which holds the download, only by a field those providers never read, so readers
    land on the page set at the provider and never get the download unless that page is the offer's."""
    urls = Urls(cfg)
    warnings = []
    for offer in posts:
        cta = ctas.get(offer.cta) if offer.kind == "offer" and offer.cta else None
        if cta is None or cta.form is None or cta.form.provider not in OWN_THANKS_PAGE:
            continue
        thanks = thanks_url(offer.url)
        if cta.thanks == thanks:  # `thanks:` names it, and its own warning says where to set it
            continue
        provider, where = OWN_THANKS_PAGE[cta.form.provider]
        warnings.append(Problem(cta.source, cta.form_line, "form", (
            f"{provider} takes no thank-you page from the form: readers of the offer {offer.source} never reach its "
            f"download at {urls.absolute(thanks)} unless that URL is set in {where}")))
    return warnings
