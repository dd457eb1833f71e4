"""`publisher check`: build into a temporary folder and look for what a reader
or a crawler would trip over. Read-only for the site; nothing is published."""

from __future__ import annotations

import contextlib
import hashlib
import json
import posixpath
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2

from publisher.build.options import BuildOptions
from publisher.build.pipeline import BuildReport, build, cache_folder, forget_output
from publisher.build.published import LOCK_NAME, read_listed
from publisher.commands.previous import PreviousUrl, previous_urls
from publisher.config.lines import line_holding
from publisher.config.model import CONFIG_NAME, SiteConfig
from publisher.config.reader import with_setting_lines
from publisher.content import css_urls, links
from publisher.content.model import Entry
from publisher.content.urls import Urls
from publisher.core.errors import Problem
from publisher.core.files import held_alone, write_atomically
from publisher.core.hashing import code_digest
from publisher.core.owned import OwnFiles
from publisher.core.queries import only_tracking, read_query
from publisher.core.slugs import as_page_path, url_key
from publisher.images.preflight import (
    Where,
    damaged_findings,
    location_findings,
    preview_findings,
    share_image_findings,
)
from publisher.site.redirects import covering
from publisher.templates.theme import load_theme, make_environment, shown_path


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem `check` found; errors always fail, warnings fail under --strict."""

    problem: Problem
    severity: str  # "error" | "warning"

    def as_dict(self) -> dict[str, object]:
        p = self.problem
        return {"severity": self.severity, "path": p.path, "line": p.line, "field": p.field, "message": p.message}


def check_site(options: BuildOptions, previous: str | None = None) -> list[Finding]:
    """Build (raising BuildFailed on input errors) and return everything worth fixing, in a stable order.

    `previous`: a sitemap or URL list (a file or an http(s) URL) to hold the site's URLs to, instead of
    the lock file `publisher.urls`.
    """
    folder = cache_folder(options)
    with tempfile.TemporaryDirectory(prefix="publisher-check-") as tmp, _search_parts(folder) as parts:
        scratch = replace(options, output=Path(tmp) / "site", record_urls=False, search_parts=parts, page_copies=False)
        try:
            report = build(scratch)
            parses = _Parses.read(folder / _PARSES_FILE if folder is not None else None)
            findings = [Finding(w, "warning") for w in report.warnings]
            findings += _content_findings(report, parses)
            findings += _link_findings(report, Path(tmp) / "site", parses, options.config)
            findings += _settings_redirect_findings(report, Path(tmp) / "site", parses, options.config)
            findings += _thanks_findings(report, Path(tmp) / "site")
            findings += _dead_url_findings(report, Path(tmp) / "site", previous, parses)
            findings += _image_findings(report, Path(tmp) / "site")
            parses.save()
        finally:
            forget_output(scratch)  # the cache keeps nothing for a folder gone next
    return in_report_order(findings)


def in_report_order(findings: list[Finding]) -> list[Finding]:
    """`findings` each once, errors first, then warnings, each by file, line and message: the order `check` prints
    them in, whether the site built or not (check-report.schema.json)."""
    order = {"error": 0, "warning": 1}
    unique = {(f.problem, f.severity): f for f in findings}
    return sorted(unique.values(),
                  key=lambda f: (order[f.severity], f.problem.path, f.problem.line or 0, f.problem.message))


def _image_findings(report: BuildReport, out: Path) -> list[Finding]:
    """Link previews, share images and published originals, as networks and readers will meet them."""
    entries = {entry.url: entry for entry in _entries(report)}
    by_source = {entry.post.source: entry for entry in entries.values()}

    def resolve(url: str) -> Path | None:
        site = report.config.url.rstrip("/") + "/"
        if not url.startswith(site):
            return None
        file = out / unquote(url[len(site):].split("?", 1)[0])
        return file if file.is_file() else None

    def where(entry: Entry | None, fallback: str) -> Where:
        if entry is None:
            return Where(fallback, None, "og:image")
        field = "image" if entry.post.image else "title"
        return Where(entry.post.source, entry.post.line_of(field), "image")

    pages: dict[str, Where] = {}  # og:image -> the first page that shows it (a source's page: each)
    for page in sorted(out.rglob("*.html")):
        rel = page.relative_to(out).as_posix()
        url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        found = _OG_IMAGE.search(page.read_text(encoding="utf-8"))
        entry = entries.get(url) or entries.get(url.removesuffix(".html"))
        if found and (entry is not None or found.group(1) not in pages):
            pages[found.group(1) + ("#" + entry.post.source if entry else "")] = where(entry, f"output/{rel}")
    previews = [(place, image.split("#", 1)[0]) for image, place in pages.items()]
    items = {(item.source, item.network): item for item in report.share.items if item.image}
    shares = [(where(by_source.get(source), source), network, item.image, item.image_alt)
              for (source, network), item in sorted(items.items())]
    static = OwnFiles([report.config.static_dir])  # what is published of it
    originals = [(f"static/{p.relative_to(d).as_posix()}", p) for d in static.folders
                 for p in sorted(d.rglob("*")) if p.suffix.lower() in _PHOTOS and static.owns(d, p)]
    found_all = [*preview_findings(previews, resolve),
                 *share_image_findings(shares, dict(report.config.share.profiles), resolve),
                 *damaged_findings(originals), *location_findings(originals)]
    return [Finding(problem, severity) for problem, severity in found_all]


_OG_IMAGE = re.compile(r'<meta property="og:image" content="([^"]+)">')
_PHOTOS = (".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".png", ".heic", ".gif")


def _dead_url_findings(report: BuildReport, out: Path, previous: str | None, parses: _Parses) -> list[Finding]:
    """Every URL published before that has neither a page nor a redirect now, or whose redirect leads nowhere
    (`/2022/` to `/archive/#y2022`, a place no element of the archive has)."""
    findings = []
    resolver = _Resolver(out, report.config.base_path, parses)
    urls = Urls(report.config)
    for url in _listed_urls(report, previous):
        # A sitemap names no line, and a live site's is not the writer's to edit: the redirect is the way out.
        drop = "" if url.line is None else ", or delete this line to drop the URL on purpose"
        if not _answers(report, out, url.path):
            path, mark, _ = url.path.partition("?")
            what = (f"has no redirect for its query now: {path} shows its own page whatever the query"
                    if mark else "has neither a page nor a redirect now")
            findings.append(Finding(Problem(url.listed_in, url.line, "url", f"{url.path} {what} (give the page "
                                            f"that replaced it aliases: [{url.path}]{drop})"), "error"))
            continue
        target = _redirect_target(report, url.path)
        lost = resolver.broken(urls.path(target), "href", "/", frozenset()) if target else None
        if lost is not None:
            findings.append(Finding(Problem(url.listed_in, url.line, "url", f"{url.path} redirects to {lost} (point "
                                            f"its redirect at a page or a place on one that is there{drop})"),
                                    "error"))
    return findings


def _answers(report: BuildReport, out: Path, url: str) -> bool:
    """Whether a URL published before still leads where it did. One with a query (`/?p=123`, a WordPress plain
    permalink) does when a redirect of that query sends it on, or when its query only says where the reader
    came from (`utm_*`), which no page reads; not for the page at its path alone, which every host serves
    whatever the query: `/?p=123` would show the home page, not the post."""
    path, _, query = url.partition("?")
    if not query:
        return _exists(out, path.lstrip("/"))
    address = read_query(query)
    if covering(report.site.query_redirects, path, address) is not None:
        return True
    return only_tracking(address) and _exists(out, path.lstrip("/"))


def _redirect_target(report: BuildReport, url: str) -> str | None:
    """Where the site's redirect of `url` (a path, or a path and query) sends a reader; None when none does."""
    path, _, query = url.partition("?")
    if query:
        found = covering(report.site.query_redirects, path, read_query(query))
        return found.target if found is not None else None
    key = url_key(as_page_path(path))
    return next((r.target for r in report.site.redirects if url_key(as_page_path(r.source)) == key), None)


def _listed_urls(report: BuildReport, previous: str | None) -> list[PreviousUrl]:
    """The lock file's URLs, or those of `--previous` (a sitemap index's sitemaps read too)."""
    if previous is not None:
        return previous_urls(previous, report.config)
    lock = report.config.root / LOCK_NAME
    listed = read_listed(lock.read_text(encoding="utf-8")) if lock.is_file() else []
    return [PreviousUrl(LOCK_NAME, line, path) for line, path in listed]


def _entries(report: BuildReport) -> list[Entry]:
    return [*report.site.posts, *report.site.pages]


def _content_findings(report: BuildReport, parses: _Parses) -> list[Finding]:
    findings = []
    titles: dict[str, list[Entry]] = defaultdict(list)
    for entry in _entries(report):
        post = entry.post
        titles[post.title.casefold()].append(entry)
        if post.kind == "post" and not post.summary:
            findings.append(_warn(post.source, post.line_of("title"), "summary",
                                  "missing (cards and link previews fall back to the first paragraph)"))
        if post.image and not post.image_alt:
            findings.append(_warn(post.source, post.line_of("image"), "image_alt",
                                  f"missing for {post.image!r} (describe the image)"))
        parsed = parses.of(entry.html.encode("utf-8", "surrogatepass"))
        findings += [_warn(post.source, _line_in_body(entry, url, report.config.root), "image",
                           f"{url!r} is a HEIC image, which only Safari shows: publish it as a JPEG or WebP")
                     for attribute, url in parsed.found if attribute in ("src", "srcset", "poster")
                     and urlsplit(url).path.lower().endswith((".heic", ".heif"))]
        for src in parsed.images_without_alt:
            findings.append(_warn(post.source, _line_in_body(entry, src, report.config.root), "image",
                                  f"{src!r} has no alt text"))
    for same in titles.values():
        same.sort(key=lambda e: e.post.source)
        for entry in same[1:]:
            findings.append(_warn(entry.post.source, entry.post.line_of("title"), "title",
                                  f"{entry.post.title!r} is also the title of {same[0].post.source}"))
    return findings


def _link_findings(report: BuildReport, out: Path, parses: _Parses, settings: Path) -> list[Finding]:
    sources = {entry.url: entry for entry in _entries(report)}
    findings, from_content, from_theme = [], set(), []
    resolver = _Resolver(out, report.config.base_path, parses)
    settings_redirects = {url_key(as_page_path(old)) for old, _ in report.config.redirects if "?" not in old}
    for page in sorted(out.rglob("*.html")):
        rel = page.relative_to(out).as_posix()
        page_url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        if url_key(page_url) in settings_redirects:  # its link is the redirect's target, reported at its setting
            continue
        entry = sources.get(page_url) or sources.get(page_url.removesuffix(".html"))  # `/a/b` is written a/b.html
        parsed = parses.of(page.read_bytes())
        for attribute, url in parsed.found:
            message = resolver.broken(url, attribute, page_url, parsed.ids)
            if message is None:
                continue
            if entry is None:
                from_theme.append((rel, attribute, url, message))
            elif _is_front_matter_image(url, entry, report.config.base_path):
                line = entry.post.line_of("image")
                message += _cut_by_a_comment(_source_line(entry, line, report.config.root))
                problem = Problem(entry.post.source, line, "image", message)
                findings.append(Finding(problem, "error"))
                from_content.add(url)
            elif not _in_body(entry, url):  # the nav, a list, a CTA on the post's page: not the post's words
                from_theme.append((rel, attribute, url, message))
            else:
                field = "link" if attribute in _LINK_ATTRIBUTES else "image"
                problem = Problem(entry.post.source, _line_in_body(entry, url, report.config.root), field, message)
                findings.append(Finding(problem, "error"))
                from_content.add(url)
    # A list page showing a post's broken image repeats a problem already reported at its source.
    shown = [(rel, attribute, url, message) for rel, attribute, url, message in from_theme if url not in from_content]
    return findings + _theme_link_findings(shown, _TemplateLines(report.config), _SettingLines(settings, report.config))


def _settings_redirect_findings(report: BuildReport, out: Path, parses: _Parses, config: Path) -> list[Finding]:
    """Each redirect of the settings (`config`) whose target on this site leads nowhere: no page there, or a place
    on it (`/archive/#y2015`) that no element of the page is; at the setting's line, as the redirect page only
    repeats it and a query's script is no link."""
    resolver = _Resolver(out, report.config.base_path, parses)
    urls = Urls(report.config)
    problems = []
    for old, new in report.config.redirects:
        broken = resolver.broken(urls.path(new), "href", "/", frozenset())
        if broken is not None:
            problems.append(Problem(CONFIG_NAME, None, f"redirects.{old}", broken))
    return [Finding(problem, "error") for problem in with_setting_lines(problems, config)]


def _theme_link_findings(shown: list[tuple[str, str, str, str]], templates: _TemplateLines,
                         settings: _SettingLines) -> list[Finding]:
    """Broken URLs of the pages' own parts: one line at the template line that writes the URL, naming the pages
    (a stylesheet missing from a theme's base.html was a line for each of the site's pages, naming none of the
    theme's files); else one at the settings' line that holds it (a `logo` or nav link to nothing was two lines
    for each page, `href` and `src`, naming no setting); at each page, "from the theme", when neither has it."""
    pages: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for rel, attribute, url, message in shown:
        pages[(attribute, url, message)].append(rel)
    findings = []
    in_settings: dict[tuple[int, str, str], set[str]] = defaultdict(set)  # (line, key, message) -> pages
    for (attribute, url, message), rels in pages.items():
        place = templates.writing(attribute, url)
        setting = settings.holding(url) if place is None else None
        if setting is not None:
            in_settings[(*setting, message)].update(rels)
        elif place is None:
            findings += [Finding(Problem(f"output/{rel}", None, attribute, f"{message} (from the theme)"), "error")
                         for rel in rels]
        else:
            problem = Problem(place[0], place[1], attribute, f"{message} (on {_pages_named(rels)})")
            findings.append(Finding(problem, "error"))
    findings += [Finding(Problem(settings.name, line, key, f"{message} (on {_pages_named(sorted(rels))})"), "error")
                 for (line, key, message), rels in in_settings.items()]
    return findings


def _pages_named(rels: list[str]) -> str:
    return f"output/{rels[0]}" if len(rels) == 1 else f"{len(rels)} pages, output/{rels[0]} first"


class _SettingLines:
    """The settings file's lines, read once, to find the one setting that holds a URL the theme shows."""

    def __init__(self, path: Path, cfg: SiteConfig) -> None:
        self.path, self.name, self.cfg = path, path.name, cfg
        self._text: str | None = None

    def holding(self, url: str) -> tuple[int, str] | None:
        """The line and dotted key of the one setting whose value is `url` (or `url` without the base path)."""
        base = self.cfg.base_path
        written = {url, "/" + url.removeprefix(base)} if url.startswith(base) else {url}
        return line_holding(self.text(), written)

    def text(self) -> str:
        if self._text is None:
            try:
                self._text = self.path.read_bytes().decode("utf-8").removeprefix("\ufeff")
            except (OSError, UnicodeDecodeError):  # read once by the build; gone or changed since
                self._text = ""
        return self._text


class _TemplateLines:
    """The lines of the theme's page templates in use (a theme's own over the default theme's of the same name),
    read once, to find the one line that writes a URL."""

    def __init__(self, cfg: SiteConfig) -> None:
        self.cfg = cfg
        self._lines: list[tuple[str, int, str]] | None = None

    def writing(self, attribute: str, url: str) -> tuple[str, int] | None:
        """The template's file (from the site's folder) and line that has `attribute="url"` (or the URL without
        the base path), when exactly one line has it."""
        base = self.cfg.base_path
        written = {url, "/" + url.removeprefix(base)} if url.startswith(base) else {url}
        needles = [f"{attribute}={quote}{each}{quote}" for each in written for quote in "\"'"]
        found = [(path, number) for path, number, text in self.lines() if any(n in text for n in needles)]
        return found[0] if len(found) == 1 else None

    def lines(self) -> list[tuple[str, int, str]]:
        if self._lines is None:
            self._lines = []
            env = make_environment(load_theme(self.cfg))  # its loader knows which file a template name is
            loader = env.loader
            assert loader is not None
            for name in env.list_templates():
                try:
                    source, filename, _ = loader.get_source(env, name)
                except (jinja2.TemplateNotFound, UnicodeError):  # a symbolic link out of the theme; not text
                    continue
                self._lines += [(shown_path(filename or name, self.cfg.root), number, text)
                                for number, text in enumerate(source.splitlines(), 1)]
        return self._lines


@dataclass(slots=True)
class _Resolver:
    """Where a page's URLs lead in the built site (`out`), each target looked for once: pages share most of their
    links (the nav, tags, neighbours)."""

    out: Path
    base_path: str
    parses: _Parses
    exists: dict[str, bool] = field(default_factory=dict)
    ids: dict[str, frozenset[str]] = field(default_factory=dict)  # by target: the ids its page has

    def broken(self, url: str, attribute: str, page_url: str, ids: frozenset[str]) -> str | None:
        """What is wrong with `url` on the page at `page_url` (whose elements have `ids`): a path to nothing, or a
        link to a place (`#faq`) no element of its page is; None when it leads somewhere, or off the site."""
        target = _internal_target(url, page_url, self.base_path)
        if target is None:  # another site's, or a place on this page
            missing = _missing_place(url, ids) if url.startswith("#") and attribute == "href" else ""
            return f"{url}: no element of this page has the id {missing!r}" if missing else None
        if target not in self.exists:
            self.exists[target] = _exists(self.out, target)
        if not self.exists[target]:
            return f"{url} resolves to nothing in the built site{self._named_whole(url, page_url)}"
        if _LONE_PERCENT.search(urlsplit(url).path):
            return (f"{url} is refused by web hosts (a URL reads '%' as the start of an escape, and nginx answers "
                    "400 Bad Request where two hex digits do not follow: the file "
                    f"{target.lstrip('/')!r} is {_escape_lone_percents(url)})")
        if attribute != "href" or not urlsplit(url).fragment:  # the page is there: no place on it asked for
            return None
        if target not in self.ids:  # read once a target, and only for a link to a place on it
            self.ids[target] = self.parses.of(_page_file(self.out, target).read_bytes()).ids
        missing = _missing_place(url, self.ids[target])
        return f"{url}: no element of {target} has the id {missing!r}" if missing else None


    def _named_whole(self, url: str, page_url: str) -> str:
        """Where `url` read whole, each `#` and `?` part of the name, is a file of the built site: why it is not that
        file, and the URL that is. A URL reads `#` as the start of its fragment and `?` as its query (a Markdown
        image's destination is a URL: CommonMark's, as Hugo's render hook parses it), so `/img/big pic #1.jpg` asked
        for `/img/big pic `."""
        signs = [sign for sign in "#?" if sign in url]
        if not signs:
            return ""
        escaped = _escape_lone_percents(url).replace("#", "%23").replace("?", "%3F")
        whole = _internal_target(escaped, page_url, self.base_path)
        if whole is None or not _exists(self.out, whole):
            return ""
        read = " and ".join({"#": "'#' as the start of its fragment", "?": "'?' as its query"}[sign] for sign in signs)
        return f" (a URL reads {read}: the file {whole.lstrip('/')!r} is {escaped})"


# A `%` that starts no escape. Browsers send it as written (WHATWG URL); nginx refuses such a path with 400 Bad
# Request (`ngx_http_parse_complex_uri`), where `publisher serve` and Python's `unquote` read it as a `%`.
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _escape_lone_percents(url: str) -> str:
    """`url` with each `%` that starts no escape written `%25` (`/img/100%.png` -> `/img/100%25.png`): the URL of
    the file so named."""
    return _LONE_PERCENT.sub("%25", url)


def _is_front_matter_image(url: str, entry: Entry, base_path: str) -> bool:
    """Whether `url`, as a page's HTML has it, is the entry's front-matter image (`/img/my%20pic.jpg` is `image: /img/my
    pic.jpg`)."""
    return bool(entry.post.image) and unquote(url) == unquote(base_path + entry.post.image.lstrip("/"))


_COMMENTED = re.compile(r"\s*image\s*:\s*(?P<value>[^\s\"'].*?\s#.*?)\s*$")  # YAML's comment starts at ` #`


def _cut_by_a_comment(line: str) -> str:
    """Why an unquoted `image: /img/big pic #1.jpg` names `/img/big pic`: YAML reads ` #` as the start of a comment
    (YAML 1.2, 6.6), and how to write it; "" for any other line."""
    found = _COMMENTED.match(line)
    if found is None:
        return ""
    value = found["value"].replace("\\", "\\\\").replace('"', '\\"')
    return f' (YAML reads " #" as the start of a comment: quote the path, image: "{value}")'


def _source_line(entry: Entry, line: int, root: Path) -> str:
    """The text of a line of the entry's source file ("" when it cannot be read)."""
    try:
        lines = (root / entry.post.source).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _thanks_findings(report: BuildReport, out: Path) -> list[Finding]:
    """A CTA's `thanks:` on this site that resolves to nothing: the form sends readers there after they submit
    (as `redirect` or `_next`, or as a Netlify form's action), a hidden value the link check does not read."""
    findings = []
    for cta in sorted(report.site.ctas.values(), key=lambda c: c.source):
        target = _internal_target(cta.thanks, "/", "/")
        if target is not None and not _exists(out, target):
            problem = Problem(cta.source, cta.thanks_line, "thanks",
                              f"{cta.thanks} resolves to nothing in the built site (readers land there after "
                              "submitting the form)")
            findings.append(Finding(problem, "error"))
    return findings


# The attributes whose URL a browser fetches or a reader follows on the site, as the build rewrites them
# (`content.html_urls`). A form's `action`, `formaction` and `ping` are not checked: they go to a server,
# often one beside the static site (`/api/subscribe`), which the build cannot hold.
_URL_ATTRIBUTES = ("href", "src", "poster", "data", "cite", "longdesc", "background", "xlink:href")
_LINK_ATTRIBUTES = ("href", "cite", "longdesc")  # reported as a `link`; the others as an `image`


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.images_without_alt: list[str] = []
        self.ids: set[str] = set()  # where a link's #fragment may lead: each `id`, and each `<a name>`
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.ids.update(value for value in (values.get("id"), values.get("name") if tag == "a" else None) if value)
        for name in _URL_ATTRIBUTES:
            value = values.get(name)
            if not value:
                continue
            # The page's own absolute URLs (canonical, feeds) point at the live site, not into the build.
            if tag == "link" and values.get("rel") in ("canonical", "alternate") and name == "href" \
                    and value.startswith("http"):
                continue
            self.found.append((name, value))
        self.found += [("srcset", url) for url in links.srcset_urls(values.get("srcset") or "")]
        self.found += [("style", url) for url in links.css_urls(values.get("style") or "")]
        self.in_style = tag == "style"
        if tag == "img" and not (values.get("alt") or "").strip() and values.get("aria-hidden") != "true" \
                and values.get("role") != "presentation":
            self.images_without_alt.append(values.get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        """A `<style>` element's CSS (the parser gives it whole, unparsed): its `url()`s."""
        if self.in_style:
            self.found += [("style", url) for url in links.css_urls(data)]


_PARSES_FILE = "check-parses.json"
_SEARCH_PARTS = "check"  # what the cache keeps the parts of check's search index by


@contextlib.contextmanager
def _search_parts(folder: Path | None) -> Iterator[str]:
    """What the parts of this check's search index are kept by in the cache. Its output is new each time, its
    parts need not be: "check", so the next check makes only the parts whose pages changed (`forget_output`
    leaves them); but while another check holds them, "" (parts of its own, by its output folder, removed with
    it), as a check removes the parts it did not use."""
    if folder is None:
        yield ""
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    with held_alone(folder / f"search-{_SEARCH_PARTS}.lock") as alone:
        yield _SEARCH_PARTS if alone else ""


@dataclass(frozen=True, slots=True)
class _Parsed:
    """What `check` looks at in an HTML text: each URL of `_URL_ATTRIBUTES`, of a `srcset` and of CSS `url()`
    (in `style` attributes and elements), but the page's own absolute canonical and feed URLs; and the `src` of
    each image without alt text."""

    found: tuple[tuple[str, str], ...]
    images_without_alt: tuple[str, ...]
    ids: frozenset[str] = frozenset()  # each element's `id` (and `<a name>`): where a `#fragment` may lead


class _Parses:
    """Each HTML text `check` parsed, by the SHA-256 of its bytes, kept in the cache between checks: a page or
    post that came out the same is not parsed again (Python's HTML parser took 58 s of a 110 s check at 10,000
    posts). The file holds the texts of the last check alone, under the digest of this module's code; one that
    does not read back as such is ignored."""

    def __init__(self, path: Path | None, code: str, kept: dict[str, _Parsed]) -> None:
        self.path, self.code, self.kept = path, code, kept
        self.used: dict[str, _Parsed] = {}

    @classmethod
    def read(cls, path: Path | None) -> _Parses:
        code = _checker_code()
        kept: dict[str, _Parsed] = {}
        try:
            data = json.loads(path.read_bytes()) if path is not None else {}
            if data.get("code") == code:
                kept = {key: _parsed_from_json(value) for key, value in data["parses"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
            kept = {}
        return cls(path, code, kept)

    def of(self, html: bytes) -> _Parsed:
        key = hashlib.sha256(html).hexdigest()
        parsed = self.used.get(key) or self.kept.get(key)
        if parsed is None:
            parser = _References()
            parser.feed(html.decode("utf-8", "surrogatepass"))
            parsed = _Parsed(tuple(parser.found), tuple(parser.images_without_alt), frozenset(parser.ids))
        self.used[key] = parsed
        return parsed

    def save(self) -> None:
        """Keep this check's parses for the next (unless they are what was read, or there is no cache)."""
        if self.path is None or self.used == self.kept:
            return
        parses = {key: [[list(pair) for pair in parsed.found], list(parsed.images_without_alt), sorted(parsed.ids)]
                  for key, parsed in sorted(self.used.items())}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, json.dumps({"code": self.code, "parses": parses}).encode("utf-8"))
        except OSError:  # a cache that cannot be written: the next check parses again
            pass


def _checker_code() -> str:
    """This module's code, and that of the modules its parses read URLs with, by their bytes: what the parses
    are kept under (see `code_digest`)."""
    return code_digest([Path(__file__), Path(links.__file__), Path(css_urls.__file__)])


def _parsed_from_json(value: object) -> _Parsed:
    """A parse as `_Parses.save` wrote it; raises ValueError for anything else."""
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(part, list) for part in value)):
        raise ValueError("not a parse")
    found = tuple((pair[0], pair[1]) for pair in value[0] if isinstance(pair, list) and len(pair) == 2)
    if len(found) != len(value[0]) or not all(isinstance(text, str) for pair in found for text in pair) \
            or not all(isinstance(text, str) for text in (*value[1], *value[2])):
        raise ValueError("not a parse")
    return _Parsed(found, tuple(value[1]), frozenset(value[2]))


def _internal_target(url: str, page_url: str, base_path: str) -> str | None:
    """The site-relative path `url` points to, or None when it is external or a bare fragment."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if not path.startswith("/"):
        path = posixpath.join(posixpath.dirname(page_url), path)
    if not path.startswith(base_path):
        return path  # outside the site's base path: cannot resolve
    trailing = "/" if path.endswith("/") else ""
    return "/" + posixpath.normpath(path[len(base_path):]).lstrip("./") + trailing


def _exists(out: Path, target: str) -> bool:
    return _page_file(out, target).is_file()


def _page_file(out: Path, target: str) -> Path:
    """The file the output serves at `target` (`/a/` is `a/index.html`, `/a` is `a.html` where `a` is none)."""
    candidate = out / target.lstrip("/")
    page = candidate.with_name(candidate.name + ".html")
    if target.endswith("/") or (candidate.is_dir() and ((candidate / "index.html").is_file() or not page.is_file())):
        return candidate / "index.html"
    return candidate if candidate.is_file() else page  # `/about` beside a folder about/ without an index: about.html


def _missing_place(url: str, ids: frozenset[str]) -> str:
    """The fragment of `url` when no element of its page has it as its id (""; also for none, `#` and `#top`,
    which browsers take as the page's top, and a text fragment `#:~:text=`). As the HTML standard finds the
    indicated element, the fragment as written is looked for first, then percent-decoded: `#fn:50%25` leads to
    the footnote `id="fn:50%25"` (`[^50%]`'s), and `#caf%C3%A9` to `id="café"`."""
    written = urlsplit(url).fragment
    fragment = unquote(written)
    if not fragment or fragment.lower() == "top" or fragment.startswith(":~:") or {written, fragment} & ids:
        return ""
    return fragment


def _in_body(entry: Entry, url: str) -> bool:
    """Whether `url` (as a parser reads it from the page) is written in the entry's rendered body."""
    body = entry.html
    return url in body or escape(url) in body


def _line_in_body(entry: Entry, url: str, root: Path) -> int:
    """The body line a rendered URL came from: the URL itself, else its last path segment (for `x.md` links).

    The build let go of the Markdown once rendered, so the source is read again.
    """
    last = next((part for part in reversed(urlsplit(url).path.split("/")) if part), "")
    # As written: a file's name with its spaces and accents (`</img/big pic #1.jpg>`), which the page escapes.
    needles = dict.fromkeys((url, unquote(url), last, unquote(last)))
    try:
        data = (root / entry.post.source).read_bytes()
        text = data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    except OSError:
        return entry.post.body_line
    lines = text.split("\n")[entry.post.body_line - 1:]
    for needle in needles:
        for offset, line in enumerate(lines):
            if needle and needle in line:
                return entry.post.body_line + offset
    return entry.post.body_line


def _warn(path: str, line: int | None, field: str, message: str) -> Finding:
    return Finding(Problem(path, line, field, message), "warning")
