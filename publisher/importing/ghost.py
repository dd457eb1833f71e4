"""A Ghost export read for import: its posts and pages, authors, tags and settings.

Ghost publishes posts and pages at `/{slug}/` (its default routes.yaml; the export holds neither routes.yaml nor
redirects), tag archives at `/tag/{slug}/` (their feeds at `/tag/{slug}/rss/`), author archives at
`/author/{slug}/` (its feed at `/author/{slug}/rss/`, publisher's site feed here) and its feed at `/rss/`: each
keeps its URL or redirects to publisher's like, and pages 2… of the archives (`/tag/{slug}/page/2/`) to their
first page. Statuses:
`published` and `scheduled` (publisher publishes it on its date) are published; `draft` is a draft, and so is
`sent` (a newsletter sent by email only, never on the site). A post for members or paying members
(`visibility` other than `public`) is a draft too, as a static page cannot check who reads it: its URL
redirects to the home page until it is published, and the report says so. Internal tags (`#name`, which Ghost
uses to style or route posts) are not tags here. Dates are in the site's `timezone` setting. Each post keeps
as `guid:` the guid Ghost's RSS gave it (`post.id`; before Ghost 1.0, `post.uuid`), by which readers know it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from publisher.content.urls import author_url, tag_url
from publisher.core.slugs import is_safe_slug, slugify
from publisher.core.text import counted
from publisher.importing.ghost_body import Converted, convert_html, convert_plaintext, site_paths
from publisher.importing.ghost_export import GhostExport, Row, read_ghost_export, text
from publisher.importing.html_markdown import host_variants
from publisher.importing.model import SourceEntry, SourceSite
from publisher.importing.reading import site_timezone
from publisher.importing.report import Report

DEFAULT_URL = "https://example.com/"
GHOST_PAGE_SIZE = 5  # a theme's posts a page when its package.json says none (docs.ghost.org, @config); themes set more
_PUBLISHED = frozenset({"published", "scheduled"})
_DRAFTS = frozenset({"draft", "sent"})


def read_ghost(export_file: Path, report: Report, url: str | None = None) -> SourceSite:
    """The site an export describes, every published post and page at the URL Ghost gave it. `url` is the site's
    address, which an export does not hold (links written with it become paths)."""
    export = read_ghost_export(export_file)
    shown = export_file.name
    settings = export.settings
    tz = site_timezone(settings.get("timezone") or "UTC", shown, "settings.timezone")
    site = SourceSite(generator="ghost", title=settings.get("title") or "Imported site", url=url or DEFAULT_URL,
                      description=settings.get("description", ""),
                      language=(settings.get("locale") or settings.get("lang") or "en").split("-")[0].lower(),
                      timezone=tz.key, feed="/feed.xml")
    if not url:
        report.notes.append(f"an export does not hold the site's address: set [site] url in publisher.toml (or "
                            f"import again with --url https://your.site/); {DEFAULT_URL} stands in for it")
    users = {text(row, "id"): row for row in export.users if text(row, "id")}
    site.authors = {_author_key(row): _author(row) for row in users.values()}
    reading = _Reading(shown, tz, _Relations.of(export), users,
                       host_variants({urlsplit(url).netloc.lower()}) if url else frozenset(), report,
                       "uuid" if export.version.startswith("0.") else "id")
    left_out: Counter[str] = Counter()
    for row in export.posts:
        status = text(row, "status")
        if status not in _PUBLISHED and status not in _DRAFTS:
            left_out[f"{_kind(row)} ({status or 'no status'})"] += 1
            continue
        site.entries.append(_entry(row, reading))
    site.redirects.update(_archive_redirects(export, reading))
    site.redirects.update(_paged_redirects(export, reading, site.redirects))
    site.posts_per_page = GHOST_PAGE_SIZE  # each `/page/N/` Ghost's theme had is one of publisher's: see the report
    site.nav = _navigation(settings.get("navigation", ""))
    for kind, count in sorted(left_out.items()):
        report.converted[f"left out: {kind}"] += count
    _report_site(export, site, reading)
    return site


@dataclass(slots=True)
class _Reading:
    """What every post of one export is read with: the file's name (as the report shows it), the site's zone,
    the posts' tags, authors and meta, the users by id, the site's own hosts, the report, and the slugs of the
    posts with SEO or social titles of their own."""

    shown: str
    tz: ZoneInfo
    relations: _Relations
    users: dict[str, Row]
    hosts: frozenset[str]
    report: Report
    guid_column: str  # what Ghost's RSS gave each post as its guid: `id` (Ghost 1.0 on), `uuid` (Ghost 0.x)
    own_titles: list[str] = field(default_factory=list)


class _Relations:
    """Each post's tags and authors by the post's id, in Ghost's order (`sort_order`: the primary one first),
    and its `posts_meta` row."""

    def __init__(self, tags: dict[str, list[Row]], authors: dict[str, list[str]], meta: dict[str, Row]) -> None:
        self.tags, self.authors, self.meta = tags, authors, meta

    @classmethod
    def of(cls, export: GhostExport) -> _Relations:
        tags_by_id = {text(row, "id"): row for row in export.tags}
        tags: dict[str, list[Row]] = defaultdict(list)
        for link in sorted(export.posts_tags, key=_order):
            found = tags_by_id.get(text(link, "tag_id"))
            if found is not None:
                tags[text(link, "post_id")].append(found)
        authors: dict[str, list[str]] = defaultdict(list)
        for link in sorted(export.posts_authors, key=_order):
            authors[text(link, "post_id")].append(text(link, "author_id"))
        return cls(tags, authors, {text(row, "post_id"): row for row in export.posts_meta})


def _order(row: Row) -> int:
    value = row.get("sort_order")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _kind(row: Row) -> str:
    """`post` or `page` (Ghost before 2.0 wrote `page: 1`, not `type`)."""
    return "page" if text(row, "type") == "page" or row.get("page") in (True, 1) else "post"


def _is_public(tag: Row) -> bool:
    """A tag readers see: not one of Ghost's internal tags (`#name`, visibility `internal`)."""
    return text(tag, "visibility") != "internal" and not text(tag, "name").startswith("#")


def _entry(row: Row, reading: _Reading) -> SourceEntry:
    """One post or page: its front matter and body, at `/{slug}/` when published."""
    kind: Literal["post", "page"] = "page" if _kind(row) == "page" else "post"
    slug = _slug(row, reading.shown, reading.report)
    draft = _draft(row, reading.shown, kind, reading.report)
    converted = _body(row, reading.shown, reading.hosts, reading.report)
    reading.report.converted.update(converted.converted)
    metadata = {"title": text(row, "title") or slug, **_front_matter(row, kind, reading, draft)}
    meta = reading.relations.meta.get(text(row, "id"), {})
    if any(text(meta, key) and text(meta, key) != text(row, "title")
           for key in ("meta_title", "og_title", "twitter_title")):
        reading.own_titles.append(slug)
    url = f"/{slug}/" if not draft else ""
    return SourceEntry(path=reading.shown, kind=kind, metadata=metadata, front_matter="", body=converted.markdown,
                       body_line=1, url=url, slug=slug, draft=draft, name=slug)


def _slug(row: Row, shown: str, report: Report) -> str:
    """The post's slug; one publisher refuses (`../../etc`, which no Ghost makes) made from it or its title, and
    named in the report."""
    written = text(row, "slug")
    if written and is_safe_slug(written):
        return written
    made = slugify(written) or slugify(text(row, "title")) or f"post-{slugify(text(row, 'id')) or 'untitled'}"
    report.notes.append(f"{shown}: {text(row, 'title')!r} has the slug {written!r}, which is no URL segment: "
                        f"imported as {made!r}")
    return made


def _draft(row: Row, shown: str, kind: str, report: Report) -> bool:
    """Whether it is imported as a draft: Ghost's drafts, newsletters sent by email only, and posts for members
    or paying members (reported: a static page shows everyone everything)."""
    status, visibility = text(row, "status"), text(row, "visibility") or "public"
    if status == "sent":
        report.notes.append(f"{shown}: {text(row, 'title')!r} was a newsletter sent by email only (never on the "
                            "site): imported as a draft")
        return True
    if status in _PUBLISHED and visibility != "public":
        who = {"members": "members", "paid": "paying members"}.get(visibility, "members of some tiers")
        report.notes.append(f"{shown}: {text(row, 'title')!r} ({kind} /{_slug_shown(row)}/) was for {who} only "
                            "in Ghost; imported as a draft (a static site cannot keep it from other readers), its "
                            "URL redirecting to the home page in [redirects] until you publish it (then take that "
                            "line out)")
        return True
    return status in _DRAFTS


def _slug_shown(row: Row) -> str:
    written = text(row, "slug")
    return written if is_safe_slug(written) else slugify(written)


def _body(row: Row, shown: str, hosts: frozenset[str], report: Report) -> Converted:
    """The body from Ghost's `html`; without it (a post Ghost never rendered), its `plaintext`, reported."""
    if text(row, "html").strip():
        return convert_html(text(row, "html"), hosts)
    source = "lexical" if text(row, "lexical") else "mobiledoc" if text(row, "mobiledoc") else ""
    if not source and not text(row, "plaintext").strip():
        return Converted("")
    what = f"only its {source} source, which publisher does not render" if source else "no html"
    if text(row, "plaintext").strip():
        report.notes.append(f"{shown}: {text(row, 'title')!r} has {what}: its plain text is imported (open it "
                            "in Ghost, or copy its formatting by hand)")
        return convert_plaintext(text(row, "plaintext"))
    report.notes.append(f"{shown}: {text(row, 'title')!r} has {what} and no plain text: imported without a body")
    return Converted("")


def _front_matter(row: Row, kind: str, reading: _Reading, draft: bool) -> dict[str, Any]:
    """Date, update, authors, tags, summary, image and canonical URL, as publisher's front matter names them."""
    post_id, tz, relations, users = text(row, "id"), reading.tz, reading.relations, reading.users
    meta = relations.meta.get(post_id, {})
    metadata: dict[str, Any] = {}
    published, updated = _moment(row.get("published_at")), _moment(row.get("updated_at"))
    if published is not None and kind == "post":
        metadata["date"] = _local(published, tz)
        if updated is not None and updated > published:
            metadata["updated"] = _local(updated, tz)
    authors = [_author_key(users[key]) for key in relations.authors.get(post_id, []) if key in users]
    if authors:
        metadata["author" if len(authors) == 1 else "authors"] = authors[0] if len(authors) == 1 else authors
    tags = [text(tag, "name") for tag in relations.tags.get(post_id, []) if _is_public(tag) and text(tag, "name")]
    if tags:
        metadata["tags"] = tags
    summary = text(row, "custom_excerpt") or text(meta, "meta_description") or text(meta, "og_description")
    if summary.strip():
        metadata["summary"] = " ".join(summary.split())
    image = text(row, "feature_image") or text(meta, "og_image") or text(meta, "twitter_image")
    if image:
        metadata["image"] = site_paths(image)
        if text(meta, "feature_image_alt"):
            metadata["image_alt"] = text(meta, "feature_image_alt")
    canonical = site_paths(text(row, "canonical_url"))
    if canonical.startswith(("https://", "http://", "/")):
        metadata["canonical"] = canonical
    if kind == "post" and text(row, reading.guid_column):  # readers know the post by its guid: not new again
        metadata["guid"] = text(row, reading.guid_column)
    if draft:
        metadata["draft"] = True
    return metadata


def _moment(value: Any) -> datetime | None:
    """A date as Ghost's exports write it: ISO 8601 in UTC (`2024-05-02T08:30:00.000Z`), SQLite's
    `2024-05-02 08:30:00` (UTC), or milliseconds since 1970 (exports before Ghost 1.0); None when unreadable."""
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            return datetime.fromtimestamp(value / 1000, UTC)
        if isinstance(value, str) and value.strip():
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _local(moment: datetime, tz: ZoneInfo) -> str:
    """`2024-05-02 10:30:00 +02:00`: the time readers saw in the site's zone, with its offset."""
    local = moment.astimezone(tz)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M:%S} {offset[:3]}:{offset[3:]}"


def _author_key(row: Row) -> str:
    return slugify(text(row, "slug")) or slugify(text(row, "name")) or "author"


def _author(row: Row) -> dict[str, str]:
    """An author's name, bio and website for `[authors]` (never their email: the export holds it, the site does
    not need it)."""
    found = {"name": text(row, "name") or text(row, "slug") or "Author", "bio": " ".join(text(row, "bio").split()),
             "url": text(row, "website")}
    return {key: value for key, value in found.items() if value}


def _archive_redirects(export: GhostExport, reading: _Reading) -> dict[str, str]:
    """Ghost's feed (`/rss/`), the tag and author archives of its published posts (`/tag/seo/`, its feed
    `/tag/seo/rss/`, `/author/lena/`) to publisher's, and each post or page kept from readers (for members) to
    the home page. An archive whose posts are all drafts here goes to the home page (publisher has no page for
    it)."""
    moved: dict[str, str] = {"/rss/": "/feed.xml"}
    for row in (row for row in export.posts if text(row, "status") == "published"):
        public = text(row, "visibility") in ("", "public")
        if not public:
            moved[f"/{_slug_shown(row)}/"] = "/"
        if _kind(row) != "post":
            continue  # Ghost's archives list posts alone
        for tag in reading.relations.tags.get(text(row, "id"), []):
            name, slug = text(tag, "name"), text(tag, "slug")
            if _is_public(tag) and slug and (public or f"/tag/{slug}/" not in moved):
                new = tag_url(name) if public and slugify(name) else "/"
                moved[f"/tag/{slug}/"], moved[f"/tag/{slug}/rss/"] = new, new + "feed.xml" if new != "/" else "/"
        for author in (reading.users.get(key) for key in reading.relations.authors.get(text(row, "id"), [])):
            old = f"/author/{text(author, 'slug')}/" if author is not None and text(author, "slug") else ""
            if author is not None and old and (public or old not in moved):
                moved[old] = author_url(_author_key(author)) if public else "/"
                moved[f"{old}rss/"] = "/feed.xml" if public else "/"  # publisher has no author feeds: the site's
    return moved


def _paged_redirects(export: GhostExport, reading: _Reading, moved: dict[str, str]) -> dict[str, str]:
    """Pages 2… of each tag's and author's archive (`/tag/seo/page/2/`), as many as its published posts filled at
    Ghost's default page size (the fewest a theme shows: any other had no more pages), to where its first page
    goes: publisher's pages hold another number of posts. The home page's `/page/N/` are publisher's own."""
    listed: Counter[str] = Counter()
    for row in export.posts:
        if text(row, "status") == "published" and _kind(row) == "post":  # members' posts too: Ghost listed them
            listed.update({f"/tag/{text(tag, 'slug')}/" for tag in reading.relations.tags.get(text(row, "id"), [])})
            listed.update({f"/author/{text(reading.users[key], 'slug')}/"
                           for key in reading.relations.authors.get(text(row, "id"), []) if key in reading.users})
    found = {f"{old}page/{number}/": moved[old] for old, count in sorted(listed.items()) if old in moved
             for number in range(2, -(-count // GHOST_PAGE_SIZE) + 1)}
    if found:
        reading.report.converted["redirects: pages 2… of Ghost's tag and author archives"] += len(found)
    reading.report.notes.append(
        f"posts_per_page = {GHOST_PAGE_SIZE}, Ghost's default (an export does not hold the theme's "
        "config.posts_per_page, in its package.json), so each /page/N/ the old home page had is a page here; "
        "set your theme's number (Casper's is 25) to show as many: any number up to it keeps every old page. "
        f"Pages 2… of the tag and author archives redirect to their first page, as many as {GHOST_PAGE_SIZE} "
        "posts a page filled")
    return found


def _navigation(value: str) -> list[tuple[str, str]]:
    """Ghost's main navigation (`[{"label": "About", "url": "__GHOST_URL__/about/"}]`) as `[[nav]]` links."""
    try:
        items = json.loads(value) if value else []
    except ValueError:
        return []
    links = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and text(item, "label") and text(item, "url"):
            link = site_paths(text(item, "url"))
            if link != "/" and not link.startswith("#"):  # the home page is publisher's own; `#/portal/` Ghost's
                links.append((text(item, "label"), link))
    return links


def _report_site(export: GhostExport, site: SourceSite, reading: _Reading) -> None:
    """What the export holds that the import leaves to the user: internal tags, Ghost's code injection, the
    images (an export holds none), SEO and social titles, and the feed's ids."""
    shown, report = reading.shown, reading.report
    internal = sorted({text(tag, "name") for tag in export.tags if not _is_public(tag)})
    if internal:
        report.notes.append(f"internal tags ({', '.join(internal[:5])}{'…' if len(internal) > 5 else ''}), which "
                            "Ghost never showed, are not imported as tags")
    if export.settings.get("codeinjection_head", "").strip() or export.settings.get("codeinjection_foot", "").strip():
        report.notes.append(f"{shown}: the site's code injection (Settings → Code injection: analytics, fonts) is "
                            "not imported: add what you still need to the theme's templates")
    images = {found for entry in site.entries for found in _own_images(entry)}
    if images:
        report.notes.append(f"the posts show {counted(len(images), 'file')} from /content/images/, which an export "
                            "does not hold: copy Ghost's content/images/ folder into static/content/images/ "
                            "(publisher check names any still missing)")
    titled = reading.own_titles
    if titled:
        report.notes.append(f"{counted(len(titled), 'post')} had SEO or social titles of their own in Ghost "
                            f"(meta_title, og_title, twitter_title: {', '.join(titled[:3])}): publisher uses the "
                            "post's title")
    if any(entry.kind == "post" and not entry.draft for entry in site.entries):
        report.notes.append("each post keeps as `guid:` the guid Ghost's RSS gave it (its id, not its URL): the "
                            "RSS feed and JSON Feed repeat it, so subscribers see no post again")


def _own_images(entry: SourceEntry) -> list[str]:
    found = [part.split(")")[0].split('"')[0] for part in entry.body.split("/content/images/")[1:]]
    image = str(entry.metadata.get("image", ""))
    return [f"/content/images/{path}" for path in found] + ([image] if image.startswith("/content/images/") else [])
