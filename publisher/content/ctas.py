"""Calls to action: read from `content/ctas/`, matched to each post's funnel
stage, and the form rules of each provider.

A CTA either links somewhere (`link:`) or carries a form that posts, as plain
HTML, to the brand's endpoint. Every form has the same attribution fields, so
a lead can be traced to the post, the CTA and the visit's UTM parameters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from publisher.config.model import FORM_PROVIDERS, SiteConfig
from publisher.content.discovery import decode_source
from publisher.content.frontmatter import FrontMatterError, split_source
from publisher.content.model import Post, SourceFile
from publisher.core.errors import ContentError, Problem

KINDS = ("newsletter", "download", "demo", "product", "referral")
DEFAULT_BUTTON = {"newsletter": "Subscribe", "download": "Get the guide", "demo": "Book a demo",
                  "product": "See the product", "referral": "Invite a colleague"}
DEFAULT_PHRASE = {"newsletter": "Get the next one by email", "download": "Get the free guide",
                  "demo": "Book a demo", "product": "See it in action", "referral": "Pass it on"}
# Filled by the build: which post, which CTA, which page the form was on.
BUILD_FIELDS = ("post", "cta", "page")
# Filled in the browser by attribution.js from the visit (first touch), plus the last touch.
VISIT_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "landing_page", "referrer",
                "last_touch")
KNOWN_CTA_KEYS = {"id", "stage", "kind", "headline", "button", "form", "link", "consent", "thanks", "phrase"}


@dataclass(frozen=True, slots=True)
class Form:
    """How one provider wants the form: where it posts and what its fields are called."""

    provider: str
    action: str
    email_field: str
    honeypot: str
    attributes: tuple[tuple[str, str], ...] = ()  # extra <form> attributes
    hidden: tuple[tuple[str, str], ...] = ()  # provider's own hidden fields


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
    thanks: str = ""


def form_for(provider: str, action: str, name: str) -> Form:
    """The field names and attributes a provider expects."""
    if provider == "formspree":
        return Form(provider, action, "email", "_gotcha")
    if provider == "netlify":
        return Form(provider, action, "email", "bot-field",
                    attributes=(("name", name), ("data-netlify", "true"), ("netlify-honeypot", "bot-field")),
                    hidden=(("form-name", name),))
    if provider == "mailchimp":
        query = parse_qs(urlsplit(action).query)
        user, audience = query.get("u", [""])[0], query.get("id", [""])[0]
        return Form(provider, action, "EMAIL", f"b_{user}_{audience}")
    if provider == "kit":
        return Form(provider, action, "email_address", "website_url")
    return Form("generic", action, "email", "website")


def parse_cta(source: SourceFile, cfg: SiteConfig) -> tuple[Cta, list[Problem]]:
    """Validate one `content/ctas/*.md`; raises ContentError naming the field."""
    path = source.path
    try:
        split = split_source(decode_source(source))
    except FrontMatterError as exc:
        raise ContentError(path, exc.line, "front matter", str(exc)) from None
    meta, lines = split.metadata, split.field_lines

    def fail(name: str, message: str) -> ContentError:
        return ContentError(path, lines.get(name, 1), name, message)

    def text(name: str, default: str = "") -> str:
        value = meta.get(name, default)
        if not isinstance(value, (str, int, float)):
            raise fail(name, f"must be text, not {type(value).__name__}")
        return str(value).strip()

    cta_id = text("id") or re.sub(r"\.(md|markdown)$", "", path.rsplit("/", 1)[-1])
    stage = text("stage")
    if stage not in cfg.funnel.stages:
        raise fail("stage", f"{stage!r} is not a funnel stage (stages: {', '.join(cfg.funnel.stages)})")
    kind = text("kind", "newsletter")
    if kind not in KINDS:
        raise fail("kind", f"{kind!r} is not a CTA kind (one of: {', '.join(KINDS)})")
    headline = text("headline")
    if not headline:
        raise fail("headline", "missing (the line that asks the reader)")
    link = text("link")
    form = _read_form(meta.get("form"), cfg, cta_id, fail) if not link else None
    if form is None and not link:
        raise fail("form", "a CTA needs a form (form: {action: ...} or [forms] action in publisher.toml) or a link")
    warnings = [Problem(path, lines.get(k, 1), k, "unknown field") for k in sorted(set(meta) - KNOWN_CTA_KEYS, key=str)]
    return Cta(
        id=cta_id, source=path, stage=stage, kind=kind, headline=headline,
        button=text("button") or DEFAULT_BUTTON[kind], pitch=split.body.strip(),
        phrase=text("phrase") or DEFAULT_PHRASE[kind], form=form, link=link,
        consent=text("consent"), thanks=text("thanks"),
    ), warnings


def _read_form(value: Any, cfg: SiteConfig, cta_id: str, fail) -> Form | None:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise fail("form", "must be a mapping such as {provider: formspree, action: https://formspree.io/f/...}")
    provider = str(value.get("provider") or cfg.forms.provider)
    if provider not in FORM_PROVIDERS:
        raise fail("form", f"unknown provider {provider!r} (one of: {', '.join(FORM_PROVIDERS)})")
    action = str(value.get("action") or cfg.forms.action)
    if not action:
        return None
    if not re.match(r"^(https?://|/)", action):
        raise fail("form", f"action must be an http(s) URL or a path on the site, not {action!r}")
    return form_for(provider, action, str(value.get("name") or cta_id))


def check_cta_references(posts: list[Post], ctas: dict[str, Cta], cfg: SiteConfig) -> list[Problem]:
    """Every stage and CTA a post or the config names must exist."""
    problems = []
    known = ", ".join(sorted(ctas)) or "none: add files to content/ctas/"
    for stage, cta_id in sorted(cfg.funnel.ctas.items()):
        if cta_id not in ctas:
            problems.append(Problem("publisher.toml", None, f"funnel.ctas.{stage}", f"no CTA with id {cta_id!r} (CTAs: {known})"))
    for post in posts:
        if post.stage and post.stage not in cfg.funnel.stages:
            problems.append(Problem(post.source, post.line_of("stage"), "stage",
                                    f"{post.stage!r} is not a funnel stage (stages: {', '.join(cfg.funnel.stages)})"))
        if post.cta and post.cta not in ctas:
            problems.append(Problem(post.source, post.line_of("cta"), "cta", f"no CTA with id {post.cta!r} (CTAs: {known})"))
    return problems


