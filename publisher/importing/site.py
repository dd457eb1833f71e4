"""`publisher import`: a source site turned into publisher's files, every post at its old URL.

Each post's body is rewritten (Liquid or Hugo shortcodes into publisher's syntax), its front
matter kept as written with what publisher needs added: `draft: true` for a source draft,
`shortcodes: false` where the source showed template code as text, and `slug:` or `url:` where
publisher's permalink pattern would give another URL than the source did (checked by parsing the
new file exactly as a build will).
"""

from __future__ import annotations

import json
import posixpath
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from publisher.config.reader import parse_config
from publisher.content.model import SourceFile
from publisher.content.parse import parse_source
from publisher.core.errors import BuildFailed, PublisherError
from publisher.core.slugs import is_safe_slug
from publisher.core.text import counted
from publisher.importing.bodies import Place
from publisher.importing.eleventy import read_eleventy
from publisher.importing.ghost import read_ghost
from publisher.importing.hugo import read_hugo
from publisher.importing.jekyll import read_jekyll
from publisher.importing.model import SourceEntry, SourceSite
from publisher.importing.reading import outside
from publisher.importing.report import Report
from publisher.importing.wordpress import read_wordpress
from publisher.templates.bodies import template_syntax_error

FEED_PATHS = ("/feed.xml", "/atom.xml", "/feed.json")  # what publisher writes itself


@dataclass(frozen=True, slots=True)
class Imported:
    """The files to write under DEST (relative path -> bytes), and the report."""

    files: dict[str, bytes]
    report: Report
    site: SourceSite


def import_site(generator: str, source: Path, permalink: str | None = None, url: str | None = None) -> Imported:
    """The files of a publisher site made from `source` (a site's folder, or an export file), and the report.
    `permalink` is the posts' URL pattern for an Eleventy site that computes it; `url` the site's address,
    which a Ghost export does not hold."""
    report = Report()
    if generator == "jekyll":
        site = read_jekyll(source, report)
    elif generator == "hugo":
        site = read_hugo(source, report)
    elif generator == "wordpress":
        site = read_wordpress(source, report)
    elif generator == "ghost":
        site = read_ghost(source, report, url)
    else:
        site = read_eleventy(source, report, permalink)
    files: dict[str, bytes] = {}
    config_text = _config_text(site)
    cfg, problems = parse_config(tomllib.loads(config_text), source)
    if problems:
        raise BuildFailed(problems)
    for entry in site.entries:
        target, text = _entry_file(entry, site, report, files)
        files[target] = _fit_url(target, text, entry, cfg, report).encode("utf-8")
    files["publisher.toml"] = config_text.encode("utf-8")
    for name, template in sorted(site.shortcodes().items()):
        files[f"themes/default/shortcodes/{name}.html"] = template.encode("utf-8")
    site.static[:] = [(path, target) for path, target in site.static if not outside(report, source, path)]
    for target, data in site.static_made.items():
        files.setdefault(f"static/{target}", data)
    for path, target in site.static:
        files.setdefault(f"static/{target}", path.read_bytes())
    return Imported(files, report, site)


def import_summary(imported: Imported, dest: Path) -> list[str]:
    """What `publisher import` prints: what came over, what was converted, and what is left to do."""
    site, report = imported.site, imported.report
    posts = [e for e in site.entries if e.kind == "post"]
    drafts = sum(e.draft for e in posts)
    lines = [(f"Imported {counted(len(posts) - drafts, 'post')}, {counted(drafts, 'draft')}, "
              f"{counted(len(site.entries) - len(posts), 'page')}, {counted(len(site.authors), 'author')} and "
              f"{counted(len(site.static), 'static file')} from the {site.generator} site into {dest}/."),
             f"Permalink: {site.permalink}; feed kept at {site.feed}."]
    if report.converted:
        lines.append("Converted:")
        lines += [f"  {count:5d}  {construct}" for construct, count in sorted(report.converted.items())]
    lines += [f"Note: {note}" for note in report.notes]
    if report.unmapped:
        lines.append(f"Could not map ({len(report.unmapped)}); `publisher build` reports these until they exist:")
        lines += [f"  {unmapped}" for unmapped in report.unmapped]
    else:
        lines.append(f"Everything was mapped. Next: cd {dest} && publisher build")
    return lines


def write_files(files: dict[str, bytes], dest: Path, force: bool) -> None:
    """Write every file under `dest`; refuse (naming them) to replace files there without `force`."""
    outside = sorted(name for name in files if not _inside(dest, name))
    if outside:  # a hostile source: a page bundle's url: "/../../x/" would place its files outside DEST
        raise PublisherError(f"{outside[0]}: would be written outside {dest} (a source path or url: climbs out)")
    existing = sorted(name for name in files if (dest / name).exists())
    if existing and not force:
        shown = ", ".join(existing[:5]) + (f" and {len(existing) - 5} more" if len(existing) > 5 else "")
        raise PublisherError(f"{dest}: would overwrite {shown} (use --force to replace them)")
    for name, data in sorted(files.items()):
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _inside(dest: Path, name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def _entry_file(entry: SourceEntry, site: SourceSite, report: Report, taken: dict[str, bytes]) -> tuple[str, str]:
    folder = "posts" if entry.kind == "post" else "pages"
    stem = entry.name or posixpath.splitext(posixpath.basename(entry.path))[0]  # a Hugo bundle: its folder's name
    target = f"content/{folder}/{stem}.md"
    number = 2
    while target in taken:
        target, number = f"content/{folder}/{stem}-{number}.md", number + 1
    added: dict[str, Any] = {**entry.inherited, **entry.split}
    if entry.title:
        added["title"] = entry.title
    if not entry.liquid and "render_with_liquid" not in entry.metadata:
        added["shortcodes"] = False
    if entry.draft and not entry.metadata.get("draft"):
        added["draft"] = True
    if entry.feed_id and "id" not in entry.metadata:  # subscribers' readers know the post by it
        added["id"] = entry.feed_id
    body = entry.body
    if entry.liquid:
        fields = frozenset(entry.metadata) if site.generator == "eleventy" else frozenset()
        written = frozenset(map(str, {**entry.metadata, **added}))
        body = site.rewrite(body, Place(entry.path, entry.body_line, fields, written))
        _report_unreadable(body, entry, report)
    return target, _with_front_matter(entry, added, body)


def _report_unreadable(body: str, entry: SourceEntry, report: Report) -> None:
    """Template code left that Jinja2 cannot read (a Liquid range `(1..n)`, a tag with no translation): named in
    the report at its line, as the first build would stop on it."""
    error = template_syntax_error(body)
    if error is not None:
        line = entry.body_line + (error.lineno or 1) - 1
        report.cannot_map(entry.path, line, f"template code: {error.message}", "",
                          "write it in Jinja2 (or `shortcodes: false` to show it as written)")


def _with_front_matter(entry: SourceEntry, added: dict[str, Any], body: str) -> str:
    """The file's text: its front matter as written with `added` after it, or written afresh when `added` changes
    a key it has, or it has a `slug` publisher refuses (its URL is then kept with `url:`)."""
    slug = entry.metadata.get("slug")
    unsafe = slug is not None and not is_safe_slug(str(slug))
    if entry.front_matter and not set(added) & set(entry.metadata) and not unsafe:
        front = entry.front_matter + "".join(f"{key}: {_yaml_value(value)}\n" for key, value in added.items())
    else:
        metadata = {key: value for key, value in {**entry.metadata, **added}.items() if key != "slug" or not unsafe}
        front = yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return f"---\n{front}---\n{body}"


def _fit_url(target: str, text: str, entry: SourceEntry, cfg: Any, report: Report) -> str:
    """`text` with `slug:` or `url:` added when publisher would otherwise publish it elsewhere."""
    url = _publisher_url(target, text, entry, cfg, report)
    if url is None or url == entry.url or not entry.url:  # no old URL (a WordPress draft): publisher's is right
        return text
    for key, value in (("slug", entry.slug), ("url", entry.url)):
        if key == "slug" and (not is_safe_slug(value) or "slug" in entry.metadata or entry.kind != "post"):
            continue  # a slug publisher refuses would be reported as a problem, though `url:` then keeps the URL
        candidate = _add_key(text, key, value)
        if _publisher_url(target, candidate, entry, cfg, report) == entry.url:
            report.count(f"posts kept at their URL with {key}:")
            return candidate
    report.notes.append(f"{entry.path}: publisher would publish it at {url}, not {entry.url}")
    return text


def _publisher_url(target: str, text: str, entry: SourceEntry, cfg: Any, report: Report) -> str | None:
    try:
        post, _ = parse_source(SourceFile(target, entry.kind, text.encode("utf-8")), cfg)
    except BuildFailed as failed:
        for problem in failed.problems:
            report.cannot_map(entry.path, problem.line or 1, f"{problem.field}: {problem.message}", "",
                              "fix it by hand: publisher cannot read it")
        return None
    return post.url


def _add_key(text: str, key: str, value: str) -> str:
    head, _, rest = text[4:].partition("\n---\n")
    lines = [line for line in head.splitlines() if not line.startswith(f"{key}:")]
    return "---\n" + "\n".join([*lines, f"{key}: {_yaml_value(value)}"]) + "\n---\n" + rest


def _yaml_value(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=2**31 - 1).split("\n")[0]


def _config_text(site: SourceSite) -> str:
    lines = [f"# Imported from {_GENERATOR_NAMES[site.generator]} site by `publisher import`.", "", "[site]",
             f"title = {json.dumps(site.title, ensure_ascii=False)}",
             f"url = {json.dumps(site.url.rstrip('/') + '/')}",
             f"description = {json.dumps(site.description, ensure_ascii=False)}",
             f"language = {json.dumps(site.language)}", f"timezone = {json.dumps(site.timezone)}",
             f"permalink = {json.dumps(site.permalink)}"]
    if site.posts_per_page is not None:  # the source's pages of posts, so that each old one has its like
        lines.append(f"posts_per_page = {site.posts_per_page}")
    for title, path in site.nav:
        lines += ["", "[[nav]]", f"title = {json.dumps(title, ensure_ascii=False)}",
                  f"url = {json.dumps(path, ensure_ascii=False)}"]
    for key, author in sorted(site.authors.items()):
        lines += ["", f"[authors.{key}]", *(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in author.items())]
    moved = {**dict.fromkeys(site.listings, "/"), **site.redirects}
    if moved:
        lines += ["", "[redirects]  # the source's lists: publisher's home page lists the posts, tag pages the terms"]
        lines += [f"{json.dumps(old)} = {json.dumps(new)}" for old, new in sorted(moved.items())]
    if site.feed not in FEED_PATHS:
        lines += ["", "[feeds]", f"also_at = [{json.dumps(site.feed)}]  # the old feed path: subscribers keep it"]
    lines += ["", "[share]", *_SCHEDULER_ZONE_NOTE, f"scheduler_timezone = {json.dumps(site.timezone)}"]
    return "\n".join(lines) + "\n"


_GENERATOR_NAMES = {"jekyll": "a Jekyll", "hugo": "a Hugo", "eleventy": "an Eleventy", "wordpress": "a WordPress",
                    "ghost": "a Ghost"}
# As `publisher init` writes it: the zone said outright, so a site in UTC gets no warning (which `build --strict`
# fails on) for a choice the file shows
_SCHEDULER_ZONE_NOTE = (
    "# Times in the scheduler CSV files (share/<scheduler>/<network>/<week>.csv) carry no zone: a scheduler",
    "# reads them in its profile's zone. Set the zone of your Hootsuite, Buffer or Sprout profile.",
)
