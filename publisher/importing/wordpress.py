"""A WordPress export (WXR) read for import: its posts and pages, authors, categories, tags and media.

Each published post and page keeps the URL its `<link>` says, whatever the permalink structure
(`/2024/05/slug/`, `/category/slug/`, a page's `/company/about/`); `site.permalink` becomes the posts'
commonest structure where publisher has its placeholders, and the import adds `slug:` or `url:` to those
it would put elsewhere. A post's old slugs (`_wp_old_slug`, which WordPress redirects from) become its
`aliases`; the category, tag and author archives of the published posts, the feed at `/feed/` (and
`/feed/atom/`…), and the categories' and tags' feeds, redirect to publisher's tag pages, author pages and
feeds. A plain permalink (`/?p=123`) becomes the alias of its post, and such a site's `/?cat=7`,
`/?tag=seo`, `/?author=2` and `/?feed=rss2` redirect too (a script on the home page sends each on:
`pages.query_script`). Pages 2… of those archives, the date archives and the comment feeds, which no
sitemap lists, redirect too (`wordpress_archives`). Statuses: `publish` and `future` (publisher publishes it
on its date) are published, `draft`, `pending`, `private` and a password-protected post are drafts;
trashed posts, attachments, menu items, revisions, reusable blocks and other types are left out and counted.
"""

from __future__ import annotations

import html
import mimetypes
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from publisher.content.urls import author_url, tag_url
from publisher.core.slugs import slugify
from publisher.core.text import counted
from publisher.importing.html_markdown import host_variants
from publisher.importing.model import SourceEntry, SourceSite
from publisher.importing.report import Report
from publisher.importing.wordpress_archives import (
    WORDPRESS_PAGE_SIZE,
    Listed,
    comment_feed_redirects,
    date_redirects,
    paged_redirects,
    plain_date_redirects,
)
from publisher.importing.wordpress_body import BodySite, convert_body
from publisher.importing.wordpress_shortcodes import Attachment
from publisher.importing.wxr import Export, Item, read_export

_IMPORTED: dict[str, Literal["post", "page"]] = {"post": "post", "page": "page"}
_PUBLISHED = frozenset({"publish", "future"})
_DRAFTS = frozenset({"draft", "pending", "private"})
_NO_DATE = "0000-00-00 00:00:00"
_DEFAULT_CATEGORY = "uncategorized"  # WordPress files a post without a category here: not a topic of the post


def read_wordpress(export_file: Path, report: Report) -> SourceSite:
    """The site an export describes, every post and page with the URL WordPress published it at."""
    export = read_export(export_file, export_file.name)
    url = export.fields.get("link") or export.fields.get("wp:base_blog_url") or "https://example.com/"
    site = SourceSite(generator="wordpress", title=html.unescape(export.fields.get("title") or "Imported site"),
                      url=url, description=html.unescape(export.fields.get("description", "")),
                      language=export.fields.get("language") or "en",
                      authors={_author_key(login): {"name": fields.get("wp:author_display_name") or login}
                               for login, fields in export.authors.items()})
    if export.controls_removed:
        dropped = counted(export.controls_removed, "control character")
        report.notes.append(f"{export_file.name}: {dropped} that XML forbids were left out (WordPress copies them "
                            "from pasted text)")
    bodies = BodySite(_attachments(export, _hosts(export)), _hosts(export), _urls_by_id(export))
    left_out: Counter[str] = Counter()
    for item in export.items:
        kind = _IMPORTED.get(item.get("wp:post_type"))
        status = item.get("wp:status")
        if kind is None or not (status in _PUBLISHED or status in _DRAFTS):
            left_out[f"{item.get('wp:post_type') or 'item'} ({status})" if kind else item.get("wp:post_type")] += 1
            continue
        site.entries.append(_entry(item, kind, export_file.name, bodies, report))
    site.permalink = _commonest_pattern(site.entries)
    _report_offsets(site.entries, report)
    site.redirects.update(_archive_redirects(export, site.entries))
    site.redirects.update(_list_redirects(export, site, report))
    site.posts_per_page = WORDPRESS_PAGE_SIZE  # its home page's `/page/2/`… are publisher's, with the same posts
    queried = sorted(old for old in site.redirects if "?" in old)
    if queried:
        report.notes.append(f"the plain permalinks' archives and feed ({', '.join(queried[:4])}"
                            f"{'…' if len(queried) > 4 else ''}: {len(queried)} in all) redirect to publisher's tag "
                            "and author pages and feed, in [redirects] (a script on the home page sends them on)")
    _report_left_out(left_out, export, report)
    _report_uploads(site.entries, report)
    return site


def _hosts(export: Export) -> frozenset[str]:
    """The old site's hosts (`www.` or not): a link to them is a link to one of its own pages."""
    return host_variants({urlsplit(export.fields.get(key, "")).netloc.lower()
                          for key in ("link", "wp:base_blog_url", "wp:base_site_url")})


def _attachments(export: Export, hosts: frozenset[str]) -> dict[str, Attachment]:
    """The export's media by post id, with their URLs made paths on the site when they were the site's."""
    found = {}
    for item in export.items:
        url = item.get("wp:attachment_url")
        if item.get("wp:post_type") == "attachment" and url:
            parts = urlsplit(url)
            path = parts.path if parts.netloc.lower() in hosts else url
            found[item.get("wp:post_id")] = Attachment(
                url=path, alt=next(iter(item.meta_values("_wp_attachment_image_alt")), ""),
                caption=_plain(item.fields.get("excerpt:encoded", "")), parent=item.get("wp:post_parent"),
                order=int(item.get("wp:menu_order")) if item.get("wp:menu_order").isdigit() else 0,
                mime=mimetypes.guess_type(parts.path)[0] or "")
    return found


def _urls_by_id(export: Export) -> dict[str, str]:
    """Each published post's and page's URL by its id, for links written as `?p=123`."""
    return {item.get("wp:post_id"): _old_path(item) for item in export.items
            if item.get("wp:post_type") in _IMPORTED and item.get("wp:status") == "publish" and _is_pretty(item)}


def _old_path(item: Item) -> str:
    """The path of the item's `<link>`, escapes read as a server reads them (`/caf%C3%A9/` is `/café/`)."""
    return unquote(urlsplit(item.get("link")).path) or "/"


def _is_pretty(item: Item) -> bool:
    """The item's link is a path of its own, not WordPress's plain `/?p=123` (a query on the home page)."""
    parts = urlsplit(item.get("link"))
    return bool(parts.path.strip("/")) and not re.search(r"(^|&)(p|page_id)=\d", parts.query)


def _entry(item: Item, kind: Literal["post", "page"], shown: str, bodies: BodySite, report: Report) -> SourceEntry:
    """One post or page: its front matter and body, and the URL to keep (a plain-permalink post: its slug's)."""
    status = item.get("wp:status")
    draft = status in _DRAFTS or bool(item.get("wp:post_password"))
    if item.get("wp:post_password") and status in _PUBLISHED:
        report.notes.append(f"{shown}:{item.line}: {item.get('title')!r} was protected by a password in WordPress; "
                            "imported as a draft (a static page cannot ask for one)")
    slug = _slug(item)
    converted = convert_body(item.fields.get("content:encoded", ""), item.get("wp:post_id"), bodies)
    report.converted.update(converted.converted)
    for written, offset in converted.left_as_text:
        line = item.content_line + item.fields.get("content:encoded", "").count("\n", 0, offset)
        report.notes.append(f"{shown}:{line}: {written[:80]} is a plugin's shortcode: left as text (WordPress showed "
                            "what the plugin made of it; write that, or a shortcode of the site's own)")
    metadata = _front_matter(item, kind, bodies, draft)
    pretty = status == "publish" and _is_pretty(item)
    if status == "publish" and not pretty:
        report.notes.append(_moved_note(item, shown, kind))
    url = _old_path(item) if pretty else ""
    if pretty and item.meta_values("_wp_old_slug"):
        metadata["aliases"] = _old_slug_paths(url, slug, item.meta_values("_wp_old_slug"))
    elif status == "publish" and _plain_query(item):
        metadata["aliases"] = [f"{_old_path(item)}?{_plain_query(item)}"]  # the page there sends old links on
    guid = item.get("guid")
    return SourceEntry(path=shown, kind=kind, metadata=metadata, front_matter="", body=converted.markdown,
                       body_line=item.content_line or item.line, url=url, slug=slug, draft=draft, name=slug,
                       feed_id=guid if kind == "post" and guid and (guid != item.get("link") or not pretty) else "")


def _moved_note(item: Item, shown: str, kind: str) -> str:
    """Why a published post or page is not at its old URL: the site's front page (a page at `/`, where
    publisher's home page lists the posts), or a plain permalink (`/?p=123`), which its alias redirects."""
    where = f"{shown}:{item.line}: {item.get('link')}"
    query = _plain_query(item)
    if not query:
        return (f"{where} was the site's front page ({kind} {item.get('title')!r}); publisher's home page lists the "
                "posts, so its text is at its slug's URL now: link it from the home page or [nav]")
    return (f"{where} (a plain permalink) is now at its slug's URL, and its aliases: [{_old_path(item)}?{query}] "
            f"sends old links there (a static host serves {_old_path(item)} for any query: its page carries a "
            "script that redirects)")


def _plain_query(item: Item) -> str:
    """The query of a plain permalink (`p=123`, a page's `page_id=45`), as its `<link>` writes it; "" for any
    other link."""
    query = urlsplit(item.get("link")).query
    return query if re.fullmatch(r"(p|page_id)=\d+", query) else ""


def _slug(item: Item) -> str:
    """The post's slug (`wp:post_name`, its escapes read), else its title's, else `post-<id>` (a draft may have
    neither)."""
    written = unquote(item.get("wp:post_name"))
    fallback = f"{item.get('wp:post_type')}-{item.get('wp:post_id')}"
    return written or slugify(html.unescape(item.get("title"))) or fallback


def _front_matter(item: Item, kind: str, bodies: BodySite, draft: bool) -> dict[str, Any]:
    """Title, date, update, author, categories, tags, summary and image, as publisher's front matter names them."""
    metadata: dict[str, Any] = {"title": html.unescape(item.get("title")) or _slug(item)}
    when, updated = _date(item, "wp:post_date"), _date(item, "wp:post_modified")
    if when is not None and kind == "post":
        metadata["date"] = when
    if updated is not None and when is not None and updated > when and kind == "post":
        metadata["updated"] = updated
    creator = item.get("dc:creator")
    if creator:
        metadata["author"] = _author_key(creator)
    categories = [term.name for term in item.terms if term.domain == "category" and term.slug != _DEFAULT_CATEGORY]
    tags = [term.name for term in item.terms if term.domain == "post_tag"]
    metadata |= {key: values for key, values in (("categories", categories), ("tags", tags)) if values}
    summary = _plain(item.fields.get("excerpt:encoded", ""))
    if summary:
        metadata["summary"] = summary
    featured = bodies.attachments.get(next(iter(item.meta_values("_thumbnail_id")), ""))
    if featured is not None:
        metadata["image"] = featured.url
        if featured.alt:
            metadata["image_alt"] = featured.alt
    if draft:
        metadata["draft"] = True
    return metadata


def _date(item: Item, field: str) -> str | None:
    """`wp:post_date` with its offset from UTC (its difference to `wp:post_date_gmt`), as publisher reads a date
    (`2024-05-01 12:00:00 +02:00`); None for a draft never dated (`wp:post_date_gmt` 0000-00-00 00:00:00) and a
    date that cannot be read."""
    local, utc = _moment(item.get(field)), _moment(item.get(f"{field}_gmt"))
    if local is None or (utc is None and item.get("wp:status") in _DRAFTS):
        return None
    offset = local - utc if utc is not None and abs(local - utc) <= timedelta(hours=14) else timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{local:%Y-%m-%d %H:%M:%S} {sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _moment(text: str) -> datetime | None:
    """`2024-05-01 12:00:00` as a time to subtract (in no zone of its own); None for `0000-00-00 00:00:00`."""
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _plain(text: str) -> str:
    """An excerpt or caption as plain text: tags out (a block's end a space), entities read, spaces one."""
    text = re.sub(r"</?(?:p|div|li|h[1-6]|blockquote)\b[^>]*>|<br\s*/?>", " ", text, flags=re.IGNORECASE)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", text)).split())


def _author_key(login: str) -> str:
    return slugify(login) or "author"


def _old_slug_paths(url: str, slug: str, old_slugs: list[str]) -> list[str]:
    """The post's URL with each of its old slugs in its slug's place (WordPress redirects from those)."""
    head, _, tail = url.rstrip("/").rpartition("/")
    if tail != slug:
        return []
    ending = "/" if url.endswith("/") else ""
    return [f"{head}/{unquote(old)}{ending}" for old in dict.fromkeys(old_slugs) if old and unquote(old) != slug]


def _commonest_pattern(entries: list[SourceEntry]) -> str:
    """The published posts' commonest URL structure in publisher's placeholders (`/{year}/{month}/{slug}/`),
    when publisher has every part of it; else `/{slug}/` (each other post then keeps its URL with `url:`)."""
    patterns: Counter[str] = Counter()
    for entry in entries:
        date = str(entry.metadata.get("date", ""))
        if entry.kind == "post" and not entry.draft and entry.url and len(date) >= 10:
            patterns[_pattern_of(entry.url, entry.slug, (date[0:4], date[5:7], date[8:10]))] += 1
    for pattern, _ in patterns.most_common():
        literal = [part for part in pattern.strip("/").split("/") if not part.startswith("{")]
        if "{slug}" in pattern and pattern.endswith("/") and not any(part.isdigit() or "{" in part or "%" in part
                                                                     for part in literal):
            return pattern
    return "/{slug}/"


def _pattern_of(url: str, slug: str, day: tuple[str, str, str]) -> str:
    """`/2024/05/launch/` -> `/{year}/{month}/{slug}/`: the slug and the date's parts, in their order, named."""
    wanted = list(zip(("{year}", "{month}", "{day}"), day, strict=True))
    parts = []
    for part in url.split("/"):
        if part == slug and slug:
            parts.append("{slug}")
        elif wanted and part == wanted[0][1]:
            parts.append(wanted.pop(0)[0])
        else:
            parts.append(part)
    return "/".join(parts)


def _archive_redirects(export: Export, entries: list[SourceEntry]) -> dict[str, str]:
    """The old lists of the published posts' categories, tags and authors (`/category/news/`, `/tag/seo/`,
    `/author/maya/`) to publisher's tag and author pages, and the old feed to the new (`/feed/`)."""
    published = [entry for entry in entries if entry.kind == "post" and not entry.draft]
    moved: dict[str, str] = {"/feed/": "/feed.xml"}
    names = {name for entry in published for key in ("categories", "tags") for name in entry.metadata.get(key, [])}
    for slug, (_, name) in export.categories.items():
        if (name in names and slugify(name)) or slug == _DEFAULT_CATEGORY:
            moved[f"/category/{_category_path(export, slug)}/"] = tag_url(name) if slug != _DEFAULT_CATEGORY else "/"
    for item in export.items:
        for term in item.terms:
            if term.domain == "post_tag" and term.name in names and term.slug and slugify(term.name):
                moved[f"/tag/{unquote(term.slug)}/"] = tag_url(term.name)
    for key in {entry.metadata["author"] for entry in published if "author" in entry.metadata}:
        login = next((login for login in export.authors if _author_key(login) == key), key)
        moved[f"/author/{_nicename(login)}/"] = author_url(key)
    moved |= _term_feed_redirects(moved)
    if any(_plain_query(item) for item in export.items if item.get("wp:status") == "publish"):
        moved |= _plain_archive_redirects(moved, export)
    return {old: new for old, new in moved.items() if old != new}


def _list_redirects(export: Export, site: SourceSite, report: Report) -> dict[str, str]:
    """The lists WordPress served beside those of the sitemap (see `wordpress_archives`): pages 2… of the
    category, tag and author archives, the date archives and their pages, and the comment feeds; counted in the
    report."""
    listed = [_listed(item, export) for item in export.items
              if item.get("wp:post_type") == "post" and item.get("wp:status") == "publish"]
    days = [post for post in listed if post.day != (0, 0, 0)]
    pretty = any(_is_pretty(item) for item in export.items if item.get("wp:status") == "publish")
    plain = any(_plain_query(item) for item in export.items if item.get("wp:status") == "publish")
    taken = {entry.url.rstrip("/") + "/" for entry in site.entries if entry.url}
    counts = Counter(old for post in listed for old in post.archives)
    paged = paged_redirects(counts, site.redirects)
    dates = {**(date_redirects(days, taken) if pretty else {}), **(plain_date_redirects(days) if plain else {})}
    feeds = comment_feed_redirects(_commented_urls(export, site.entries), pretty, plain)
    found = {old: new for old, new in {**paged, **dates, **feeds}.items() if old not in site.redirects}
    for what, group in (("pages 2… of the category, tag and author archives", paged),
                        ("date archives (/2024/, /2024/05/, /2024/05/17/, their pages) to their year on /archive/",
                         dates),
                        ("comment feeds (the site's to its feed, a post's to the post)", feeds)):
        if any(old in found for old in group):
            report.converted[f"redirects: WordPress's {what}"] += sum(old in found for old in group)
    if paged or dates:
        report.notes.append(f"pages 2… of WordPress's archives redirect to the first page of publisher's like, as "
                            f"many as their posts filled at {WORDPRESS_PAGE_SIZE} posts a page (WordPress's default: "
                            "an export does not say the site's, Settings → Reading); the home page's /page/2/… are "
                            f"publisher's own, at posts_per_page = {WORDPRESS_PAGE_SIZE}")
    return found


def _listed(item: Item, export: Export) -> Listed:
    """A published post's day and the archives that listed it: each category and its parents (a category's
    archive lists its children's posts too), each tag, its author."""
    when = _moment(item.get("wp:post_date"))
    categories = {slug for term in item.terms if term.domain == "category" for slug in _with_parents(export, term.slug)}
    archives = [f"/category/{_category_path(export, slug)}/" for slug in sorted(categories)]
    archives += [f"/tag/{unquote(term.slug)}/" for term in item.terms if term.domain == "post_tag" and term.slug]
    if item.get("dc:creator"):
        archives.append(f"/author/{_nicename(item.get('dc:creator'))}/")
    return Listed((when.year, when.month, when.day) if when else (0, 0, 0), tuple(dict.fromkeys(archives)))


def _with_parents(export: Export, slug: str) -> list[str]:
    """A category's slug and its parents'."""
    found = [slug]
    parent = export.categories.get(slug, ("", ""))[0]
    while parent and parent not in found and parent in export.categories:
        found.append(parent)
        parent = export.categories[parent][0]
    return found


def _commented_urls(export: Export, entries: list[SourceEntry]) -> list[str]:
    """The URLs of the published posts and pages WordPress gave a comment feed (comments open, or some had), at
    their old pretty path (a plain permalink's feed is a query: `/?feed=rss2&p=123`, left to the site's)."""
    published = {entry.url for entry in entries if entry.url and not entry.draft}
    return [_old_path(item) for item in export.items
            if item.get("wp:post_type") in _IMPORTED and _old_path(item) in published and _is_pretty(item)
            and (item.comments or item.get("wp:comment_status") == "open")]


def _term_feed_redirects(moved: dict[str, str]) -> dict[str, str]:
    """The old feeds to publisher's: the site's in each format WordPress served (`/feed/atom/` to the Atom feed,
    `/feed/rss2/`, `/feed/rss/` and `/feed/rdf/` to RSS), and each category's and tag's (`/tag/seo/feed/`,
    `/tag/seo/feed/atom/`) to its tag's feed. A subscriber's reader asks for the feed it was given."""
    feeds = {"/feed/atom/": "/atom.xml", "/feed/rss2/": "/feed.xml", "/feed/rss/": "/feed.xml",
             "/feed/rdf/": "/feed.xml"}
    for old, new in moved.items():
        if old.startswith(("/category/", "/tag/")) and new != "/":
            feeds |= {f"{old}feed/": f"{new}feed.xml", f"{old}feed/rss2/": f"{new}feed.xml",
                      f"{old}feed/atom/": f"{new}atom.xml"}
    return feeds


def _plain_archive_redirects(moved: dict[str, str], export: Export) -> dict[str, str]:
    """A site with plain permalinks had its archives and feed at queries on the home page too: `/?cat=7` (the
    category's id), `/?tag=seo`, `/?author=2` (the author's id), `/?feed=rss2`. Each to where the same archive
    at its pretty path goes (`moved`), so the same lists are redirected."""
    found = {"/?feed=rss2": "/feed.xml", "/?feed=atom": "/atom.xml"}
    for old, new in moved.items():
        if re.fullmatch(r"/tag/[^/]+/", old):  # the archive, not its feeds (`/tag/seo/feed/`)
            found |= _plain_term_redirects(f"tag={old.removeprefix('/tag/').removesuffix('/')}", new)
    for slug, term_id in export.category_ids.items():
        pretty = f"/category/{_category_path(export, slug)}/"
        if pretty in moved and term_id.isdigit():
            found |= _plain_term_redirects(f"cat={term_id}", moved[pretty])
    for login, fields in export.authors.items():
        pretty = f"/author/{_nicename(login)}/"
        if pretty in moved and fields.get("wp:author_id", "").isdigit():
            found[f"/?author={fields['wp:author_id']}"] = moved[pretty]
    return found


def _plain_term_redirects(term: str, new: str) -> dict[str, str]:
    """A plain permalinks site's archive of a term (`/?tag=seo`, `/?cat=7`) to `new`, and its feeds
    (get_term_feed_link: `/?feed=rss2&tag=seo`, `/?feed=atom&cat=7`) to the tag's feeds there: a rule with both
    parameters wins over `/?feed=rss2` (the site's feed) and over the archive's."""
    found = {f"/?{term}": new}
    if new != "/":
        found |= {f"/?feed=rss2&{term}": f"{new}feed.xml", f"/?feed=atom&{term}": f"{new}atom.xml"}
    return found


def _category_path(export: Export, slug: str) -> str:
    """A category's path below `/category/`: its parents' slugs first (`/category/guides/seo/`)."""
    parts, seen = [unquote(slug)], {slug}
    parent = export.categories.get(slug, ("", ""))[0]
    while parent and parent not in seen and parent in export.categories:
        parts.insert(0, unquote(parent))
        seen.add(parent)
        parent = export.categories[parent][0]
    return "/".join(parts)


def _nicename(login: str) -> str:
    """The author's slug in WordPress's author URLs, as WordPress makes it from the login (`sanitize_title`):
    lower case, `.` and spaces a hyphen, other punctuation dropped (`Maya.L` -> `maya-l`)."""
    text = re.sub(r"[.\s]+", "-", login.lower())
    return re.sub(r"-+", "-", re.sub(r"[^\w-]", "", text)).strip("-")


def _report_left_out(left_out: Counter[str], export: Export, report: Report) -> None:
    """What the export held that the import leaves out, by type (and status), and the comments."""
    for kind, count in sorted(left_out.items()):
        report.converted[f"left out: {kind}"] += count
    comments = sum(item.comments for item in export.items)
    if comments:
        report.converted["left out: comments (a static site shows none)"] += comments


def _report_offsets(entries: list[SourceEntry], report: Report) -> None:
    """Dates keep WordPress's offsets; the export does not name the site's time zone, which publisher.toml needs."""
    offsets = sorted({str(entry.metadata["date"])[-6:] for entry in entries if "date" in entry.metadata} - {"+00:00"})
    if offsets:
        report.notes.append(f"dates keep the offsets WordPress wrote ({', '.join(offsets)}); an export does not name "
                            "the site's time zone: set [site] timezone in publisher.toml to WordPress's (Settings → "
                            "General), e.g. \"Europe/Berlin\"")


def _report_uploads(entries: list[SourceEntry], report: Report) -> None:
    """The old site's media the posts show: files the export does not hold, to copy into `static/`."""
    shown = {path for entry in entries for path in re.findall(r"(/wp-content/uploads/[^\s)\"'<>]+)",
                                                            entry.body + str(entry.metadata.get("image", "")))}
    if shown:
        report.notes.append(f"the posts show {counted(len(shown), 'file')} from /wp-content/uploads/, which an "
                            "export does not hold: copy that folder from the old server into "
                            "static/wp-content/uploads/ (publisher check names any still missing)")
