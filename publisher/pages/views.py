"""What templates see: plain dicts built from the site model.

Templates never receive the internal objects, so a theme cannot change the
build by mutating them, and the names here are the theme's documented API
(see README, "Theme context").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from markupsafe import Markup

from publisher.config.model import SiteConfig
from publisher.content.ctas import CONSENT_FIELDS, VISIT_FIELDS, Cta, Form
from publisher.content.model import Entry
from publisher.content.urls import (
    ARCHIVE,
    AUTHORS,
    HOME,
    SEARCH,
    TAGS,
    Urls,
    author_url,
    tag_url,
)
from publisher.core.text import plain_text
from publisher.pages.fingerprints import Deferred
from publisher.pages.search import offers_search
from publisher.site.model import Group, Site
from publisher.site.pagination import Pager


def display_date(when: datetime) -> str:
    """A date in English, as `Words.date` writes it in the theme's words (`2 March 2026`)."""
    return f"{when.day} {when:%B %Y}"


def html_datetime(when: datetime) -> str:
    """`when` as HTML's `datetime` attribute takes it: a fraction of a second in three digits at most (a front
    matter date of `10:30:15.25` wrote `10:30:15.250000`, which the Nu checker refuses), none when it has none."""
    return when.isoformat(timespec="milliseconds" if when.microsecond else "seconds")


def site_view(cfg: SiteConfig, site: Site, urls: Urls) -> dict[str, Any]:
    newest = site.posts[0].post.published.year if site.posts else None
    return {
        "title": cfg.title,
        "description": cfg.description,
        "url": cfg.url,
        "base_path": cfg.base_path,
        "language": cfg.language,
        "logo_url": urls.path(cfg.logo) if cfg.logo else "",
        "home_url": urls.path(HOME),
        "tags_url": urls.path(TAGS),
        "archive_url": urls.path(ARCHIVE),
        "authors_url": urls.path(AUTHORS),
        "search_url": urls.path(SEARCH) if offers_search(cfg, site) else "",  # "": no search page
        "nav": [{"title": link.title, "url": urls.path(link.url)} for link in cfg.nav],
        "stylesheets": [urls.path("/assets/site.css"), urls.path("/assets/pygments.css")],
        "scripts": [urls.path("/assets/attribution.js")],
        "copyright_year": newest,
        "post_count": len(site.posts),
    }


def page_view(kind: str, title: str, site_url: str, urls: Urls, meta: dict[str, Any],
              edit_url: str = "") -> dict[str, Any]:
    """`page` in every template; `meta` is what seo.MetaBuilder made for its head; `edit_url` where its source
    is edited on the Git host (`[site] edit_url`), "" for none (a list page, or no setting)."""
    return {
        "kind": kind,
        "title": title,
        "url": urls.path(site_url),
        "canonical": meta["canonical"],
        "description": meta["description"],
        "meta": meta,
        "edit_url": edit_url,
    }


def entry_view(entry: Entry, urls: Urls, now: datetime | None = None, image: Mapping[str, str] | None = None,
               show_date: Callable[[datetime], str] = display_date) -> dict[str, Any]:
    """What templates see of a post, page or offer; `image`: its own image's size and srcset attributes;
    `show_date`: how its dates read (the theme's words, `Words.date`, in the site's language)."""
    post = entry.post
    summary = post.summary or plain_text(entry.excerpt_html)
    return {
        "title": post.title,
        "url": urls.path(post.url),
        "absolute_url": urls.absolute(post.url),
        "kind": post.kind,
        "date": post.date,
        "date_iso": html_datetime(post.date) if post.date else "",
        "date_display": show_date(post.date) if post.date else "",
        "updated_iso": html_datetime(post.updated) if post.updated else "",
        "updated_display": show_date(post.updated) if post.updated else "",
        "summary": summary,
        "has_summary": bool(post.summary),
        "excerpt_html": _safe(entry.excerpt_html),
        "html": Deferred(entry.html_digest, lambda: Markup(entry.html)),  # read from the spool when a template uses it
        "toc_html": Deferred(entry.body_digest, lambda: _safe(entry.body.toc_html)),  # a kept body's, read then
        "word_count": entry.word_count,
        "reading_minutes": entry.reading_minutes,
        "tags": [{"name": tag, "url": urls.path(tag_url(tag))} for tag in post.tags],
        "keywords": list(post.keywords),
        "authors": [{"name": a.name, "url": urls.path(author_url(a.key)), "bio": a.bio} for a in post.authors],
        "image": {**(image or {}), "url": urls.path(post.image), "alt": post.image_alt} if post.image else None,
        "draft": post.draft,
        "scheduled": bool(now and post.date and post.date > now),
        "extra": post.extra,
    }


def _safe(html: str) -> Markup:
    """`html` marked safe for the templates: itself when it already is (a finished body's, `build.bodies`), as
    `Markup(html)` would copy it."""
    return html if isinstance(html, Markup) else Markup(html)


def group_view(group: Group, urls: Urls) -> dict[str, Any]:
    view = {"key": group.key, "name": group.name, "url": urls.path(group.url), "count": len(group.posts)}
    if group.author is not None:
        view["bio"] = group.author.bio
        view["website"] = group.author.url
    return view


def pager_view(pager: Pager, urls: Urls, window: int = 2) -> dict[str, Any]:
    """Pagination links: the first and last page, and `window` pages either side of this one.

    `pages` items are {number, url, current} or {gap: True} where numbers are skipped.
    """
    shown = sorted({1, pager.total, *range(max(1, pager.number - window), min(pager.total, pager.number + window) + 1)})
    pages: list[dict[str, Any]] = []
    for number in shown:
        if pages and number - pages[-1]["number"] > 1:
            pages.append({"gap": True, "number": number - 1})
        pages.append({"number": number, "url": urls.path(pager.urls[number - 1]), "current": number == pager.number,
                      "gap": False})
    return {
        "number": pager.number,
        "total": pager.total,
        "prev_url": urls.path(pager.prev_url) if pager.prev_url else None,
        "next_url": urls.path(pager.next_url) if pager.next_url else None,
        "pages": pages,
    }


def cta_view(cta: Cta, entry: Entry, urls: Urls, thanks_url: str = "") -> dict[str, Any]:
    """A CTA as its template sees it, with the hidden fields for the page it is on."""
    view: dict[str, Any] = {
        "id": cta.id, "kind": cta.kind, "stage": cta.stage, "headline": cta.headline, "button": cta.button,
        "pitch_html": Markup(cta.pitch_html), "link": urls.path(cta.link) if cta.link else "", "consent": cta.consent,
        "consent_required": cta.consent_required,
        "phrase": cta.phrase, "form": None,
    }
    if cta.form is None:
        return view
    form = cta.form
    hidden = list(form.hidden)
    if thanks_url and form.redirect_field:  # a Netlify form posts to its thank-you page; Mailchimp and Kit take none
        hidden.append((form.redirect_field, urls.absolute(thanks_url)))
    hidden += [(form.field(name), value)
               for name, value in (("post", entry.post.slug), ("cta", cta.id), ("page", urls.absolute(entry.post.url)))]
    visit = [{"name": form.field(name), "value": "", "visit": name} for name in VISIT_FIELDS]  # attribution.js
    # finds each by `data-visit`, whatever the provider calls it
    view["form"] = {
        "provider": form.provider,
        "action": form_action(form, thanks_url, urls),
        "email_field": form.email_field,
        "honeypot": form.honeypot,
        "attributes": [{"name": n, "value": v} for n, v in form.attributes],
        "hidden": [{"name": n, "value": v} for n, v in hidden] + visit,
        "names": {name: form.field(name) for name in CONSENT_FIELDS},
    }
    return view


def form_action(form: Form, thanks_url: str, urls: Urls) -> str:
    """Where a form posts: its action, a site path with the base path. A Netlify form posts to its thank-you
    page instead (Netlify takes the submission at any path of the site and shows that page), as a path: an
    absolute URL sent a deploy preview's leads to the live site, or any site's to the one `url` names."""
    action = thanks_url if thanks_url and form.provider == "netlify" else form.action
    return urls.path(action) if action.startswith("/") else action
