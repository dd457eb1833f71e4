"""What link previews, search engines and feed readers read in a page's head:
description, canonical URL, Open Graph, Twitter Card, JSON-LD, feed links."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from publisher.config.model import SiteConfig
from publisher.content.model import Entry
from publisher.content.urls import Urls, author_url
from publisher.core.text import plain_text, shortened
from publisher.pages.locales import LIKELY_REGIONS
from publisher.site.model import Crumb

if TYPE_CHECKING:  # the drawing libraries load only for a build that renders
    from publisher.images.previews import Preview, Previews

DESCRIPTION_LIMIT = 160


def cut_text(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` in at most `limit` characters, cut at a word boundary with an ellipsis."""
    return shortened(text, limit)


def og_locale(language: str) -> str:
    """Open Graph's `language_TERRITORY` for a language tag: its own region (`pt-BR` -> `pt_BR`, `zh-Hant-TW` ->
    `zh_TW`: a script subtag is no part of it), else the region CLDR gives the language as likely (`de` -> `de_DE`,
    `zh-Hant` -> `zh_TW`, `sr-Latn` -> `sr_RS`; `LIKELY_REGIONS`). Left out, "", there is none to write: a region
    that is no country (`es-419`), a language CLDR's table here does not have. Without `og:locale`, networks take
    a page as `en_US`."""
    language_part, *rest = re.split(r"[-_]", language)
    language_part = language_part.lower()
    if any(re.fullmatch(r"\d{3}", sub) for sub in rest):  # a region of the world (419: Latin America)
        return ""
    region = next((sub for sub in rest if re.fullmatch(r"[A-Za-z]{2}", sub)), "")
    if not region:
        script = next((sub.title() for sub in rest if re.fullmatch(r"[A-Za-z]{4}", sub)), "")
        region = LIKELY_REGIONS.get(f"{language_part}-{script}", "") or LIKELY_REGIONS.get(language_part, "")
    return f"{language_part}_{region.upper()}" if region else ""


def meta_description(entry: Entry) -> str:
    """An entry's meta description: its summary, else its excerpt's text, cut to what search results show."""
    return cut_text(entry.post.summary or plain_text(entry.excerpt_html))


class MetaBuilder:
    """Builds the `page.meta` dict each template's head renders (partials/meta.html)."""

    def __init__(self, cfg: SiteConfig, urls: Urls, previews: Previews, site_feeds: list[dict[str, str]]) -> None:
        self.cfg, self.urls, self.previews, self.site_feeds = cfg, urls, previews, site_feeds

    def listing(self, kind: str, title: str, url: str, description: str, crumbs: list[Crumb],
                feeds: list[dict[str, str]] | None = None) -> dict[str, Any]:
        """Meta for the home page, tag, author and archive pages and the 404."""
        description = cut_text(description or self.cfg.description)
        canonical = self.urls.absolute(url)
        image = self._image(self.previews.of(url))
        jsonld = []
        if kind == "home":
            jsonld.append({"@context": "https://schema.org", "@type": "WebSite", "name": self.cfg.title,
                           "url": self.cfg.url, "description": self.cfg.description or None,
                           "inLanguage": self.cfg.language, "publisher": self._organization()})
        elif len(crumbs) > 1:  # the home page alone (its page 2...) is no trail to show
            jsonld.append(self._breadcrumbs(crumbs))
        return self._assemble(kind, title, description, canonical, "website", image, jsonld,
                              feeds=(feeds or []) + self.site_feeds, extra_properties=[], keywords=())

    def entry(self, entry: Entry, crumbs: list[Crumb], noindex: bool = False) -> dict[str, Any]:
        """Meta for a post, a standalone page or an offer."""
        post = entry.post
        # A page of no words of its own (a picture, an embed) is described by the site, as Hugo's and
        # jekyll-seo-tag's templates do: no description at all left networks a bare title.
        description = meta_description(entry) or cut_text(self.cfg.description)
        canonical = post.canonical or self.urls.absolute(post.url)
        image = self._image(self.previews.of(post.url))
        if post.kind != "post":
            meta = self._assemble("page", post.title, description, canonical, "website", image,
                                  [self._breadcrumbs(crumbs)], feeds=self.site_feeds, extra_properties=[],
                                  keywords=post.keywords)
            return {**meta, "robots": "noindex" if noindex else ""}
        published = post.published
        modified = post.updated or published
        properties = [("article:published_time", published.isoformat())]
        properties.append(("article:modified_time", modified.isoformat()))
        properties += [("article:author", a.name) for a in post.authors]
        properties += [("article:tag", tag) for tag in dict.fromkeys((*post.tags, *post.keywords))]
        posting = {
            "@context": "https://schema.org",
            "@type": "BlogPosting",
            "headline": post.title,
            "description": description or None,
            "datePublished": published.isoformat(),
            "dateModified": modified.isoformat(),
            "author": [self._person(a.name, a.key, a.url) for a in post.authors] or self._organization(),
            "publisher": self._organization(),
            "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
            "url": canonical,
            "image": image["url"] if image else None,
            "keywords": ", ".join(dict.fromkeys((*post.tags, *post.keywords))) or None,
            "wordCount": entry.word_count,
            "inLanguage": self.cfg.language,
        }
        return self._assemble("post", post.title, description, canonical, "article", image,
                              [_without_empty(posting), self._breadcrumbs(crumbs)], feeds=self.site_feeds,
                              extra_properties=properties, keywords=post.keywords)

    def _assemble(self, kind: str, title: str, description: str, canonical: str, og_type: str,
                  image: dict[str, Any] | None, jsonld: list[dict[str, Any]], *, feeds: list[dict[str, str]],
                  extra_properties: list[tuple[str, str]], keywords: tuple[str, ...]) -> dict[str, Any]:
        properties = [("og:type", og_type), ("og:site_name", self.cfg.title), ("og:title", title),
                      ("og:url", canonical)]
        locale = og_locale(self.cfg.language)
        if locale:
            properties.append(("og:locale", locale))
        if description:
            properties.append(("og:description", description))
        names = [("twitter:card", twitter_card(image)), ("twitter:title", title)]
        if description:
            names.append(("twitter:description", description))
        if self.cfg.social.twitter:
            names.append(("twitter:site", self.cfg.social.twitter))
        if image:
            properties.append(("og:image", image["url"]))
            if image["type"].startswith("image/"):
                properties.append(("og:image:type", image["type"]))
            if image["width"] and image["height"]:
                properties += [("og:image:width", str(image["width"])), ("og:image:height", str(image["height"]))]
            if image["alt"]:
                properties.append(("og:image:alt", image["alt"]))
                names.append(("twitter:image:alt", image["alt"]))
            names.append(("twitter:image", image["url"]))
        properties += extra_properties
        if keywords:
            names.append(("keywords", ", ".join(keywords)))
        return {
            "description": description,
            "canonical": canonical,
            "properties": [{"property": p, "content": c} for p, c in properties],
            "names": [{"name": n, "content": c} for n, c in names],
            "jsonld": [_without_empty(block) for block in jsonld],
            "feeds": feeds,
            "robots": "",
        }

    def _image(self, preview: Preview | None) -> dict[str, Any] | None:
        if preview is None:
            return None
        # A URI: crawlers fetch it as one (`/img/my pic.png` as `/img/my%20pic.png`, which a space is not).
        return {"url": self.urls.uri(preview.path), "alt": preview.alt, "width": preview.width,
                "height": preview.height, "type": preview.mime}

    def _organization(self) -> dict[str, Any]:
        org: dict[str, Any] = {"@type": "Organization", "name": self.cfg.title, "url": self.cfg.url}
        if self.cfg.logo:
            org["logo"] = {"@type": "ImageObject", "url": self.urls.absolute(self.cfg.logo)}
        return org

    def _person(self, name: str, key: str, website: str) -> dict[str, Any]:
        return _without_empty({"@type": "Person", "name": name, "url": self.urls.absolute(author_url(key)),
                               "sameAs": website or None})

    def _breadcrumbs(self, crumbs: list[Crumb]) -> dict[str, Any]:
        return {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [{"@type": "ListItem", "position": i, "name": c.name, "item": self.urls.absolute(c.url)}
                                for i, c in enumerate(crumbs, start=1)],
        }


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [])}


LARGE_CARD_LEAST = (300, 157)  # X shows a large card's image from this size up (its docs); a summary's from 144×144


def twitter_card(image: dict[str, Any] | None) -> str:
    """The X card type for a page's image: `summary_large_image`, but `summary` without an image, or with one known
    to be smaller than the large card takes (X showed such a large card without its image)."""
    if not image:
        return "summary"
    width, height = image["width"], image["height"]
    if width and height and (width < LARGE_CARD_LEAST[0] or height < LARGE_CARD_LEAST[1]):
        return "summary"
    return "summary_large_image"
