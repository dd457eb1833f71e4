"""RSS 2.0 and Atom (through feedgen) and JSON Feed 1.1: site-wide and per tag.

The one module that imports feedgen. Feeds are deterministic: every date in
them comes from the content (feedgen's "now" defaults are always overridden)
and no library version is written. Links in them are URIs (`Urls.uri`: a tag
`café` is `/tags/caf%C3%A9/`); ids stay what they always were, so a reader
never sees an old item as new.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any, Protocol

from publisher.config.model import SiteConfig
from publisher.content.links import rewrite_links
from publisher.content.model import Entry
from publisher.content.urls import Urls, as_uri, author_url, share_feed_url
from publisher.core.memo import Memo
from publisher.core.text import plain_text
from publisher.markdown.finishing import without_heading_anchors
from publisher.output.files import OutputFile
from publisher.pages.recipes import RecipeDigests
from publisher.site.model import Site

if TYPE_CHECKING:  # the drawing libraries load only for a build that renders; feedgen, for one that writes a feed
    from feedgen.feed import FeedGenerator

    from publisher.images.previews import Preview, Previews

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")  # a scheme and more, as `id:` must be


class ShareRssItem(Protocol):
    """What a share feed's RSS item is made of (`share.plan.ShareItem` has it all)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def post_title(self) -> str: ...
    @property
    def link(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def scheduled(self) -> datetime: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def image(self) -> str: ...
    @property
    def image_alt(self) -> str: ...
    @property
    def text_with_link(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed's channel: where it lives and which posts it carries, newest first."""

    title: str
    description: str
    home: str  # site-relative URL of the page the feed belongs to
    folder: str  # site-relative folder the feed files live in, "/" or "/tags/seo/"
    posts: tuple[Entry, ...]


def site_feeds(site: Site, cfg: SiteConfig) -> list[Feed]:
    """The site-wide feed and, unless turned off, one per tag."""
    limit = cfg.feeds.limit
    feeds = [Feed(cfg.title, cfg.description or cfg.title, "/", "/", site.posts[:limit])]
    if cfg.feeds.per_tag:
        feeds += [Feed(f"{cfg.title}: {tag.name}", _tag_feed_description(tag.name, cfg), tag.url, tag.url,
                       tag.posts[:limit]) for tag in site.tags]
    return feeds


def _tag_feed_description(tag: str, cfg: SiteConfig) -> str:
    """A tag feed's description in the site's language, from the theme's words (`FeedsConfig.tag_description`):
    "Posts tagged SEO on The Journal", "Beiträge zu SEO auf The Journal"; both values put in at once, so a
    title that holds `{name}` stays as written."""
    values = {"name": tag, "site": cfg.title}
    return re.sub(r"\{(name|site)\}", lambda found: values[found[1]], cfg.feeds.tag_description)


def feed_paths(feed: Feed) -> tuple[str, ...]:
    """Site-relative paths of a feed's RSS, Atom and JSON Feed files, each the URL the file names as its own
    (`self`, `feed_url`): the topics `publisher ping` tells a WebSub hub of. (`[feeds] also_at` copies name
    feed.xml as theirs, so a subscriber that found one follows feed.xml.)"""
    return (feed.folder + "feed.xml", feed.folder + "atom.xml", feed.folder + "feed.json")


class KeptFiles(Protocol):
    """The files the last `publisher build` wrote, each with the digest of what it was made from (its recipe, see
    `pages.recipes`), in the page manifest (`build.cache.BuildCache`)."""

    @property
    def recipe_salt(self) -> str:
        """What every recipe's digest starts from: the settings, templates, publisher's version and code."""
        ...

    def fingerprint_of_recipe(self, path: str, recipe: str) -> str | None: ...

    def page_is_current(self, path: str, page_fingerprint: str) -> bool: ...

    def remember_page(self, path: str, page_fingerprint: str, recipe: str, shown: None = None, *,
                      as_is: bool = False) -> None: ...


def feed_files(site: Site, cfg: SiteConfig, previews: Previews,
               memo: Memo[tuple[OutputFile, ...]] | None = None, kept: KeptFiles | None = None
               ) -> Iterator[OutputFile]:
    """Every feed file of the site. `memo`: each feed's files as earlier builds made them (`serve`), reused
    for a feed of the same posts and link-preview images (the settings are the model's salt). `kept`: the files
    the last `publisher build` wrote, and what from: a feed whose files were all made from the very same posts,
    images and settings, and are on disk as written, is left as it is (13 feeds of 20 posts took 0.1 s a build
    at 10,000 posts; a post edited out of every feed's window changes none)."""
    urls, memo = Urls(cfg), memo or Memo()
    digests = RecipeDigests(kept.recipe_salt) if kept is not None else None
    for feed in site_feeds(site, cfg):
        images = tuple(previews.by_url.get(entry.post.url) for entry in feed.posts)
        recipe = digests.of(("feed", feed, images)) if digests is not None else None
        make = partial(memo.get, feed.folder, (feed, images), partial(_files_of, feed, cfg, urls, previews))
        yield from kept_or_made(kept, recipe, _paths_of(feed, cfg), make)


def kept_or_made(kept: KeptFiles | None, recipe: str | None, paths: Iterable[str],
                 make: Callable[[], Iterable[OutputFile]]) -> Iterator[OutputFile]:
    """The files at `paths`, left as they are when the last build made each from `recipe` and each is on disk as
    written; else `make()`'s, each remembered as made from `recipe` (None: no recipe, nothing remembered)."""
    if kept is not None and recipe:
        paths = list(paths)
        if _all_current(kept, paths, recipe):
            for path in paths:
                kept.remember_page(path, recipe, recipe, as_is=True)
                yield OutputFile(path, keep=True)
            return
    for file in make():
        if kept is not None and recipe:
            kept.remember_page(file.path, recipe, recipe)
        yield file


def _all_current(kept: KeptFiles, paths: Iterable[str], recipe: str) -> bool:
    """Whether the last build made each of these files from this recipe, and each is on disk as written."""
    return all(kept.fingerprint_of_recipe(path, recipe) == recipe and kept.page_is_current(path, recipe)
               for path in paths)


def _paths_of(feed: Feed, cfg: SiteConfig) -> tuple[str, ...]:
    """The output paths of a feed's files, as `_files_of` makes them: RSS, its copies, Atom, JSON Feed."""
    folder = feed.folder.lstrip("/")
    copies = cfg.feeds.also_at if feed.folder == "/" else ()  # an imported site's old feed path
    return (folder + "feed.xml", *(old_path.lstrip("/") for old_path in copies), folder + "atom.xml",
            folder + "feed.json")


def _files_of(feed: Feed, cfg: SiteConfig, urls: Urls, previews: Previews) -> tuple[OutputFile, ...]:
    """One feed's RSS, Atom and JSON Feed files (and its copies at `[feeds] also_at`)."""
    items = [_Item.of(entry, cfg, urls, previews) for entry in feed.posts]
    rss = _feedgen(feed, items, cfg, urls, "feed.xml").rss_str(pretty=True)
    *rss_paths, atom_path, json_path = _paths_of(feed, cfg)
    return (*(OutputFile(path, rss) for path in rss_paths),
            OutputFile(atom_path, _feedgen(feed, items, cfg, urls, "atom.xml").atom_str(pretty=True)),
            OutputFile(json_path, json_feed(feed, items, cfg, urls)))


@dataclass(frozen=True, slots=True)
class _Item:
    id: str  # Atom's id: an IRI (RFC 4287 §4.2.6)
    guid: str  # RSS's guid and JSON Feed's id, which take any text
    guid_is_permalink: bool
    link: str  # the permalink with the feeds' UTM parameters
    title: str
    published: datetime
    updated: datetime
    summary: str
    content_html: str
    authors: tuple[tuple[str, str], ...]  # (name, absolute url)
    tags: tuple[str, ...]
    image: tuple[str, Preview] | None  # (URI, what is known of it)

    @classmethod
    def of(cls, entry: Entry, cfg: SiteConfig, urls: Urls, previews: Previews) -> _Item:
        post = entry.post
        permalink = urls.absolute(post.url)
        html = absolute_links(without_heading_anchors(entry.html), urls, permalink) if cfg.feeds.full_content else ""
        published = post.published
        return cls(
            id=post.id or (_atom_id(post.guid, cfg.url) if post.guid else permalink),
            guid=post.guid or post.id or permalink,
            guid_is_permalink=not post.guid and _is_permalink(post.id or permalink),
            link=with_query(urls.uri(post.url), cfg.feeds.utm),
            title=post.title,
            published=published,
            updated=post.updated or published,
            summary=post.summary or plain_text(entry.excerpt_html),
            content_html=html,
            authors=_each_once((a.name, urls.uri(author_url(a.key))) for a in post.authors),
            tags=post.tags,
            image=(urls.uri(preview.path), preview) if (preview := previews.by_url.get(post.url)) else None,
        )


def _atom_id(guid: str, site_url: str) -> str:
    """The Atom id of a post whose old feed's guid is `guid`: the guid itself when it is an absolute URI, else a
    `urn:uuid:` made from it and the site's URL (RFC 4122 §4.3: the same name, the same UUID, build after build,
    whatever the post's date, title or URL become). Atom's id must be an IRI, RSS's guid any text."""
    if _URI.fullmatch(guid):
        return guid
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, site_url + '#guid=' + guid)}"


def _is_permalink(feed_id: str) -> bool:
    """Whether RSS may say an id is the post's address (`isPermaLink`): a web URL, not a fragment's."""
    return feed_id.startswith(("http://", "https://")) and not feed_id.endswith("#")


def _each_once(authors: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Authors in order, less any whose name or page came before (`authors: [maya, Maya Lindqvist]`)."""
    names: set[str] = set()
    urls: set[str] = set()
    kept = []
    for name, url in authors:
        if name not in names and url not in urls:
            kept.append((name, url))
        names.add(name)
        urls.add(url)
    return tuple(kept)


def _feedgen(feed: Feed, items: list[_Item], cfg: SiteConfig, urls: Urls, file_name: str) -> FeedGenerator:
    fg = _feed_generator()
    fg.load_extension("media")
    # RSS names authors with dc:creator (its own <author> must be an email address); Atom has <author>,
    # and dc:creator there too would list each author twice.
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(urls.absolute(feed.home))
    fg.title(feed.title)
    fg.subtitle(feed.description)
    # RFC 4287 §4.2.7.2: SHOULD. feedgen gives RSS's <link> the last link added, so "self" goes first.
    fg.link(href=urls.uri(feed.folder + file_name), rel="self")
    if cfg.websub.hub:  # Atom writes every link; in RSS feedgen writes only "self", so _RssHubLink adds the hub's
        fg.link(href=cfg.websub.hub, rel="hub")
        fg.register_extension("websub", partial(_RssHubLink, cfg.websub.hub), atom=False, rss=True)
    fg.link(href=urls.uri(feed.home), rel="alternate")
    fg.language(cfg.language)
    fg.author({"name": cfg.title, "uri": as_uri(cfg.url)})
    fg.generator("publisher")
    newest = max((item.updated for item in items), default=EPOCH)  # Atom requires a date, even with no entry
    fg.updated(newest)
    if not items:
        fg.register_extension("nobuilddate", _WithoutBuildDate, _ChannelUnchanged, atom=False, rss=True)
    if cfg.logo.lower().split("?")[0].endswith((".png", ".jpg", ".jpeg", ".gif")):  # RSS's <image> takes these alone
        fg.logo(urls.uri(cfg.logo))
    for item in items:
        fe = fg.add_entry(order="append")
        if file_name == "atom.xml":
            fe.id(item.id)
        else:  # an imported post keeps its old feed's guid (Ghost's database id): readers dedupe by it
            fe.guid(item.guid, permalink=item.guid_is_permalink)
        fe.title(item.title)
        fe.link(href=item.link, rel="alternate")
        fe.published(item.published)
        fe.updated(item.updated)
        # A summary is plain text, and RSS readers take a description as HTML (its `<title>` would vanish): written
        # as HTML for both, so RSS and Atom readers show the same words.
        fe.summary(text_as_html(item.summary), type="html")
        if item.content_html:
            fe.content(item.content_html, type="html")
        # Each list given whole: feedgen maps all of an entry's authors and categories again at each call, which
        # took a post of 2,000 tags (in as many tag feeds) hours one at a time.
        if item.authors:
            fe.author([{"name": name, "uri": url} for name, url in item.authors])
            fe.dc.dc_creator([name for name, _ in item.authors])
        if item.tags:
            fe.category([{"term": tag, "label": tag} for tag in item.tags])
        if item.image:
            url, info = item.image
            media = {"url": url, "medium": "image"}
            if info.mime:
                media["type"] = info.mime
            if info.width and info.height:
                media.update(width=str(info.width), height=str(info.height))
            fe.media.content(media)
    return fg


class _ChannelUnchanged:
    """The channel half of an extension that only adds to items (feedgen wants both halves)."""

    def extend_ns(self) -> dict[str, str]:
        return {}

    def extend_rss(self, rss: Any) -> Any:
        return rss

    def extend_atom(self, atom: Any) -> Any:
        return atom


class _WithoutBuildDate(_ChannelUnchanged):
    """A feedgen extension: an RSS channel without `<lastBuildDate>`, for a feed with no item. feedgen always
    writes one (the clock's, unless given another), and a feed with no item has no date of its own: the
    1970 it was given read as the feed's age in RSS tools. The element is optional (RSS 2.0 spec)."""

    def extend_rss(self, rss: Any) -> Any:
        channel = rss.find("channel")
        for element in channel.findall("lastBuildDate"):
            channel.remove(element)
        return rss


class _MediaDescription:
    """A feedgen entry extension: the image's alt text as the item's `<media:description type="plain">`,
    which Media RSS readers take as the text of the item's media (feedgen's media extension has no place
    for it)."""

    def __init__(self) -> None:
        self.text = ""

    def extend_ns(self) -> dict[str, str]:
        return {}  # the media extension declares the prefix

    def extend_rss(self, item: Any) -> Any:
        if self.text:
            _xml_element(f"{{{MEDIA_NS}}}description", item, type="plain").text = self.text
        return item

    def extend_atom(self, entry: Any) -> Any:
        return entry


class _RssHubLink:
    """A feedgen extension: the WebSub hub as `<atom:link rel="hub">` in an RSS channel, where subscribers
    look for it next to the `self` link (RSS's own elements have no place for it)."""

    def __init__(self, hub: str) -> None:
        self.hub = hub

    def extend_ns(self) -> dict[str, str]:
        return {}  # feedgen declares the atom prefix in every RSS feed

    def extend_rss(self, rss: Any) -> Any:
        _xml_element(f"{{{ATOM_NS}}}link", rss.find("channel"), href=self.hub, rel="hub")
        return rss

    def extend_atom(self, atom: Any) -> Any:
        return atom


def _feed_generator() -> FeedGenerator:
    """A new feedgen feed. feedgen (with lxml and dateutil: 0.015 s) is loaded only by a build that writes a
    feed: most rebuilds keep every feed (see `feed_files`)."""
    from feedgen.feed import FeedGenerator

    return FeedGenerator()


def _xml_element(tag: str, parent: Any, **attributes: str) -> Any:
    """A new child element of `parent` in a feed feedgen is writing (its `xml_elem`)."""
    from feedgen.util import xml_elem

    return xml_elem(tag, parent, **attributes)


def text_as_html(text: str) -> str:
    """A plain share text as RSS readers take a description, as HTML: `&`, `<` and `>` escaped (a UTM link's
    `&` stays one, `<share>` stays text) and each line break a `<br>` (lines stay apart)."""
    return "<br>\n".join(escape(line, quote=False) for line in text.split("\n"))


def share_rss(network: str, items: Sequence[ShareRssItem], cfg: SiteConfig) -> bytes:
    """One network's share items as RSS 2.0, newest first, for RSS-driven automations.

    `items` are `share.plan.ShareItem`s: title, link = the UTM link, description
    = the text to post, guid = the stable id (not a permalink), pubDate = when
    it is due, the image as media:content.
    """
    urls = Urls(cfg)
    fg = _feed_generator()
    fg.load_extension("media")
    fg.register_extension("imagealt", _ChannelUnchanged, _MediaDescription, atom=False, rss=True)
    fg.title(f"{cfg.title}: share feed for {network}")
    fg.description(f"Texts to post on {network}, linking to {cfg.title}; each item appears when it is due.")
    fg.link(href=urls.uri(share_feed_url(network)), rel="self")
    fg.link(href=as_uri(cfg.url), rel="alternate")
    fg.language(cfg.language)
    fg.generator("publisher")
    if items:
        fg.lastBuildDate(max(item.scheduled for item in items))
    else:
        fg.register_extension("nobuilddate", _WithoutBuildDate, _ChannelUnchanged, atom=False, rss=True)
    for item in items:
        fe = fg.add_entry(order="append")
        fe.guid(item.id, permalink=False)
        fe.title(item.title or item.post_title)
        fe.link(href=item.link)
        fe.description(text_as_html(item.text_with_link))  # Bluesky's too: an RSS tool cannot pass facets
        fe.pubDate(item.scheduled)
        for tag in item.tags:
            fe.category(term=tag)
        if item.image:
            fe.media.content({"url": item.image, "medium": "image"})
            fe.imagealt.text = item.image_alt
    rss: bytes = fg.rss_str(pretty=True)
    return rss


def json_feed(feed: Feed, items: list[_Item], cfg: SiteConfig, urls: Urls) -> bytes:
    """A JSON Feed 1.1 document (https://jsonfeed.org/version/1.1)."""
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": urls.uri(feed.home),
        "feed_url": urls.uri(feed.folder + "feed.json"),
        "description": feed.description,
        "language": cfg.language,
        "authors": [{"name": cfg.title, "url": as_uri(cfg.url)}],
        **({"hubs": [{"type": "WebSub", "url": cfg.websub.hub}]} if cfg.websub.hub else {}),
        "items": [_json_item(item) for item in items],
    }
    if cfg.logo:
        document["icon"] = urls.uri(cfg.logo)
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_item(item: _Item) -> dict[str, Any]:
    data: dict[str, Any] = {"id": item.guid, "url": item.link, "title": item.title}
    if item.content_html:
        data["content_html"] = item.content_html
    else:
        data["content_text"] = item.summary
    data["summary"] = item.summary
    if item.image:
        data["image"] = item.image[0]
    data["date_published"] = item.published.isoformat()
    data["date_modified"] = item.updated.isoformat()
    if item.authors:
        data["authors"] = [{"name": name, "url": url} for name, url in item.authors]
    if item.tags:
        data["tags"] = list(item.tags)
    return data


def absolute_links(html: str, urls: Urls, page_url: str) -> str:
    """Feed readers show content away from the site: root-relative URLs get the origin, and
    fragments (heading anchors, footnotes) the post's own URL."""
    def absolute(url: str) -> str:
        if url.startswith("#"):
            return page_url + url
        if url.startswith("/") and not url.startswith("//"):
            return urls.origin + url
        return url

    rewritten, _ = rewrite_links(html, absolute)
    return rewritten


def with_query(url: str, query: str) -> str:
    """Append `query` to `url`, keeping a query it already has and any fragment."""
    if not query:
        return url
    url, hash_mark, fragment = url.partition("#")
    joined = url + ("&" if "?" in url else "?") + query
    return joined + hash_mark + fragment


__all__ = ["Feed", "absolute_links", "feed_files", "json_feed", "share_rss", "site_feeds", "with_query"]
