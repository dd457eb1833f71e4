"""Reading `publisher.toml` into a `SiteConfig`, noting every problem under its dotted key."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from publisher.config.edit_links import edit_url_problem
from publisher.config.lines import key_line
from publisher.config.model import (
    CONFIG_NAME,
    DEFAULT_POSTING_HOURS,
    DEFAULT_SHARE_NETWORKS,
    DEFAULT_STAGES,
    DEFAULT_UTM,
    ENGINE_ALIASES,
    FORM_PROVIDERS,
    MARKDOWN_ENGINES,
    PERMALINK_FIELDS,
    AuditConfig,
    AuthorConfig,
    CalendarConfig,
    CalendarSpan,
    CardsConfig,
    FeedsConfig,
    FormsConfig,
    FunnelConfig,
    IndexNowConfig,
    MarkdownConfig,
    NavLink,
    OffersConfig,
    SearchConfig,
    ShareConfig,
    SiteConfig,
    SocialConfig,
    WebSubConfig,
    check_url,
)
from publisher.core import dates
from publisher.core.errors import BuildFailed, Problem, Problems
from publisher.core.queries import query_text, split_old_url
from publisher.core.quotes import Quotes, quotes_for, quotes_written
from publisher.core.slugs import (
    NAME_BYTES,
    as_page_path,
    control_character,
    control_said,
    is_site_path,
    is_site_target,
    overlong_part,
    too_long_said,
)
from publisher.core.text import FORBIDDEN
from publisher.social.networks import BUILTIN_NETWORKS, Network, configure_networks


def load_config(path: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read and validate a `publisher.toml`; return the config and warnings.

    Raises `BuildFailed` listing every problem in the file at once.
    """
    problems = Problems()
    cfg = read_config(path, problems)
    problems.raise_errors()
    return cfg, problems.warnings


def _not_found(path: Path) -> str:
    """What to say of a settings file that is not there: the site's own, when the folder is inside a site (a command
    run from `content/posts/`), else how to start one."""
    folder = path.absolute().parent
    above = next((parent / path.name for parent in folder.parents if (parent / path.name).is_file()), None)
    if above is None:
        return "file not found (run `publisher init DIR` to start a site)"
    shown = os.path.relpath(above)
    return f"file not found; this folder is inside the site of {shown}: run publisher there, or pass --config {shown}"


def read_config(path: Path, problems: Problems) -> SiteConfig:
    """Read a `publisher.toml`, adding its problems to `problems`; a bad value leaves its default.

    A file that cannot be read at all (missing, not UTF-8, not TOML) raises `BuildFailed` at once.
    """
    display = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildFailed([Problem(str(path), None, "config", _not_found(path))]) from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark, which some editors write: not TOML
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BuildFailed([Problem(display, line, "config", "not valid UTF-8 (save the file as UTF-8)")]) from None
    except tomllib.TOMLDecodeError as exc:
        where, message = split_toml_error(str(exc))
        raise BuildFailed([Problem(display, where, "config", f"invalid TOML: {message}")]) from None
    except RecursionError:  # arrays or inline tables nested thousands deep
        raise BuildFailed([Problem(display, None, "config", "is nested too deeply to read")]) from None
    return config_from(data, path.parent, display, problems, text=text)


def _with_lines(found: list[Problem], names: set[str], text: str) -> list[Problem]:
    """`found`, each problem of the settings file (by one of its `names`) that names no line given the line its
    setting is written on (`publisher.toml:5: site.url: …`), when the text has it."""
    named = []
    for problem in found:
        line = key_line(text, problem.field) if problem.path in names and problem.line is None else None
        named.append(problem if line is None else replace(problem, line=line))
    return named


def with_setting_lines(found: list[Problem], path: Path) -> list[Problem]:
    """`found` with lines given, as `config_from` gives them, to the problems of the settings file at `path` that
    stages after it find (a redirect that loops, a share template that hides the link), which name none."""
    names = {CONFIG_NAME, path.name}
    if not any(problem.path in names and problem.line is None for problem in found):
        return found
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return found
    return _with_lines(found, names, text)


def parse_config(data: dict[str, Any], root: Path, display: str = CONFIG_NAME) -> tuple[SiteConfig, list[Problem]]:
    """Validate the decoded TOML of a config file (no I/O); raises `BuildFailed` with every problem."""
    problems = Problems()
    cfg = config_from(data, root, display, problems)
    problems.raise_errors()
    return cfg, problems.warnings


def config_from(data: dict[str, Any], root: Path, display: str, collected: Problems, *,
                text: str = "") -> SiteConfig:
    """The `SiteConfig` of decoded TOML; every problem goes to `collected`, and bad values keep their defaults.

    `text`: the file as written: each problem names the line its setting is written on."""
    errors, warnings = len(collected.errors), len(collected.warnings)
    cfg = _config_of(data, root, display, collected)
    collected.errors[errors:] = _with_lines(collected.errors[errors:], {display}, text)
    collected.warnings[warnings:] = _with_lines(collected.warnings[warnings:], {display}, text)
    return cfg


def _config_of(data: dict[str, Any], root: Path, display: str, collected: Problems) -> SiteConfig:
    """`config_from`, its problems naming no line."""
    problems = collected.errors
    reader = _Reader(display, problems, collected.warnings)

    site = reader.table(data, "site")
    language = _language(reader, site)
    url = check_url(site.get("url"), "site.url", display, problems)
    cfg = SiteConfig(
        root=root,
        title=reader.string(site, "site.title", required=True),
        url=url,
        language=language,
        timezone=_check_timezone(reader.string(site, "site.timezone", default="UTC"), display, problems),
        description=reader.string(site, "site.description"),
        logo=reader.string(site, "site.logo"),
        posts_per_page=reader.integer(site, "site.posts_per_page", default=10, minimum=1),
        theme=reader.string(site, "site.theme", default="default"),
        permalink=_check_permalink(reader.string(site, "site.permalink", default="/{slug}/"), display, problems),
        edit_url=_read_edit_url(reader, site),
        authors=_read_authors(reader, data.get("authors", {})),
        nav=_read_nav(reader, data.get("nav", [])),
        markdown=_read_markdown(reader, reader.table(data, "markdown"), language),
        feeds=_read_feeds(reader, reader.table(data, "feeds")),
        social=_read_social(reader, reader.table(data, "social")),
        robots_disallow=_read_robots(reader, reader.table(data, "robots"), url),
        funnel=_read_funnel(reader, reader.table(data, "funnel")),
        forms=_read_forms(reader, reader.table(data, "forms")),
        offers=_read_offers(reader, reader.table(data, "offers")),
        share=_read_share(reader, reader.table(data, "share")),
        search=_read_search(reader, reader.table(data, "search")),
        audit=_read_audit(reader, reader.table(data, "audit")),
        calendar=_read_calendar(reader, reader.table(data, "calendar")),
        indexnow=_read_indexnow(reader, reader.table(data, "indexnow")),
        websub=_read_websub(reader, reader.table(data, "websub")),
        redirects=_read_redirects(reader, reader.table(data, "redirects")),
    )
    for stage in sorted(set(cfg.share.stage_ctas) - set(cfg.funnel.stages)):
        reader.fail(f"share.ctas.{stage}", f"unknown stage (stages: {', '.join(cfg.funnel.stages)})")
    reader.warn_unknown(site, "site", {"title", "url", "language", "timezone", "description", "logo",
                                       "posts_per_page", "theme", "permalink", "edit_url"})
    reader.warn_unknown(data, "", {"site", "authors", "nav", "markdown", "feeds", "social", "robots", "funnel",
                                   "forms", "offers", "share", "search", "audit", "calendar", "indexnow", "websub",
                                   "redirects"})
    return cfg


@dataclass(slots=True)
class _Reader:
    """Reads typed values out of TOML tables, noting every problem on the way."""

    display: str
    problems: list[Problem]
    warnings: list[Problem]

    def fail(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.display, None, name, message))  # its line: `config_from` names it

    def table(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.fail(name, f"must be a table ([{name}])")
            return {}
        return value

    def string(self, table: dict[str, Any], name: str, *, default: str = "", required: bool = False) -> str:
        key = name.rsplit(".", 1)[-1]
        value = table.get(key)
        if value is None:
            if required:
                self.fail(name, "missing (expected a string)")
            return default
        if not isinstance(value, str):
            self.fail(name, f"must be a string, not {_toml_type(value)}")
            return default
        if required and not value.strip():
            self.fail(name, "must not be empty")
        return FORBIDDEN.sub("", value)  # TOML's "\f" escapes would stop the feed writer

    def integer(self, table: dict[str, Any], name: str, *, default: int, minimum: int) -> int:
        value = table.get(name.rsplit(".", 1)[-1], default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(name, f"must be a whole number, not {_toml_type(value)}")
            return default
        if value < minimum:
            self.fail(name, f"must be at least {minimum}, not {value}")
            return default
        return value

    def boolean(self, table: dict[str, Any], name: str, *, default: bool) -> bool:
        value = table.get(name.rsplit(".", 1)[-1], default)
        if not isinstance(value, bool):
            self.fail(name, f"must be true or false, not {_toml_type(value)}")
            return default
        return value

    def strings(self, table: dict[str, Any], name: str) -> tuple[str, ...]:
        value = table.get(name.rsplit(".", 1)[-1], [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(name, "must be a list of strings")
            return ()
        return tuple(value)

    def warn(self, name: str, message: str) -> None:
        self.warnings.append(Problem(self.display, None, name, message))  # its line: `config_from` names it

    def warn_unknown(self, table: dict[str, Any], prefix: str, known: set[str]) -> None:
        for key in sorted(set(table) - known):
            name = f"{prefix}.{key}" if prefix else key
            message = f"unknown setting (known: {', '.join(sorted(known))})"
            self.warnings.append(Problem(self.display, None, name, message))


def _check_timezone(name: str, display: str, problems: list[Problem], field: str = "site.timezone",
                    fallback: str = "UTC") -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        message = f"unknown time zone {name!r} (expected an IANA name such as Europe/Berlin)"
        problems.append(Problem(display, None, field, message))
        return fallback
    return name


def _check_permalink(pattern: str, display: str, problems: list[Problem]) -> str:
    fields = ", ".join("{" + f + "}" for f in PERMALINK_FIELDS)
    try:
        sample = pattern.format(slug="s", year="2000", month="01", day="01")
    except (KeyError, IndexError, ValueError):
        problems.append(Problem(display, None, "site.permalink", f"cannot use {pattern!r} (placeholders: {fields})"))
        return "/{slug}/"
    if "{slug}" not in pattern or not sample.startswith("/") or not sample.endswith("/") or ".." in sample.split("/"):
        message = f"{pattern!r} must start and end with '/', contain {{slug}} and no '..' (e.g. /{{year}}/{{slug}}/)"
        problems.append(Problem(display, None, "site.permalink", message))
        return "/{slug}/"
    return pattern


def _read_edit_url(reader: _Reader, site: dict[str, Any]) -> str:
    """`[site] edit_url`, checked (see `config.edit_links`); "" when it is not set or makes no links."""
    value = reader.string(site, "site.edit_url").strip()
    problem = edit_url_problem(value) if value else None
    if problem is not None:
        reader.fail("site.edit_url", problem)
        return ""
    return value


def _read_authors(reader: _Reader, table: Any) -> dict[str, AuthorConfig]:
    if not isinstance(table, dict):
        reader.fail("authors", "must be a table of [authors.<key>] entries")
        return {}
    authors = {}
    for key, entry in sorted(table.items()):
        if not isinstance(entry, dict):
            reader.fail(f"authors.{key}", "must be a table with at least name = \"...\"")
            continue
        authors[key] = AuthorConfig(
            key=key,
            name=reader.string(entry, f"authors.{key}.name", required=True),
            bio=reader.string(entry, f"authors.{key}.bio"),
            url=reader.string(entry, f"authors.{key}.url"),
        )
        reader.warn_unknown(entry, f"authors.{key}", {"name", "bio", "url"})
    return authors


def _read_nav(reader: _Reader, entries: Any) -> tuple[NavLink, ...]:
    if not isinstance(entries, list):
        reader.fail("nav", "must be a list of [[nav]] entries with title and url")
        return ()
    links = []
    for index, entry in enumerate(entries):
        name = f"nav[{index}]"
        if not isinstance(entry, dict):
            reader.fail(name, "must be a table with title and url")
            continue
        links.append(NavLink(reader.string(entry, f"{name}.title", required=True),
                             reader.string(entry, f"{name}.url", required=True)))
        reader.warn_unknown(entry, name, {"title", "url"})
    return tuple(links)


def _read_markdown(reader: _Reader, table: dict[str, Any], language: str) -> MarkdownConfig:
    from pygments.styles import get_all_styles

    styles = set(get_all_styles())
    defaults = MarkdownConfig()
    result = MarkdownConfig(
        highlight_light=reader.string(table, "markdown.highlight_light", default=defaults.highlight_light),
        highlight_dark=reader.string(table, "markdown.highlight_dark", default=defaults.highlight_dark),
        toc_depth=reader.string(table, "markdown.toc_depth", default=defaults.toc_depth),
        words_per_minute=reader.integer(table, "markdown.words_per_minute", default=defaults.words_per_minute,
                                        minimum=1),
        engine=_engine(reader.string(table, "markdown.engine", default=defaults.engine)),
        shortcodes=reader.boolean(table, "markdown.shortcodes", default=defaults.shortcodes),
        autolinks=reader.boolean(table, "markdown.autolinks", default=defaults.autolinks),
        quotes=_quotes(reader, table, language),
    )
    if result.engine not in MARKDOWN_ENGINES:
        reader.fail("markdown.engine", f"unknown engine {result.engine!r} (one of: {', '.join(MARKDOWN_ENGINES)})")
    for name in ("highlight_light", "highlight_dark"):
        if getattr(result, name) not in styles:
            style = getattr(result, name)
            reader.fail(f"markdown.{name}", f"unknown Pygments style {style!r} (e.g. friendly, github-dark)")
    known = {"highlight_light", "highlight_dark", "toc_depth", "words_per_minute", "engine", "shortcodes", "autolinks",
             "quotes"}
    reader.warn_unknown(table, "markdown", known)
    return result


def _quotes(reader: _Reader, table: dict[str, Any], language: str) -> Quotes:
    """`markdown.quotes` as written, else the quotation marks of the site's language."""
    written = table.get("quotes")
    quotes = None if written is None else quotes_written(written)
    if written is not None and quotes is None:
        reader.fail("markdown.quotes", "must be four characters (double open, double close, single open, single "
                                       f"close) such as \"„“‚‘\", or a list of four strings, not {written!r}")
    return quotes or quotes_for(language)


def _engine(name: str) -> str:
    return ENGINE_ALIASES.get(name, name)


def _read_feeds(reader: _Reader, table: dict[str, Any]) -> FeedsConfig:
    content = reader.string(table, "feeds.content", default="full")
    if content not in ("full", "summary"):
        reader.fail("feeds.content", f"must be \"full\" or \"summary\", not {content!r}")
    utm = reader.string(table, "feeds.utm")
    if utm and not re.fullmatch(r"[\w.~-]+=[^&=\s]*(&[\w.~-]+=[^&=\s]*)*", utm):
        reader.fail("feeds.utm", f"must be a query string such as \"utm_source=rss&utm_medium=feed\", not {utm!r}")
    reader.warn_unknown(table, "feeds", {"limit", "content", "utm", "tags", "also_at"})
    also_at = reader.strings(table, "feeds.also_at")
    for path in also_at:
        if not re.fullmatch(r"(/[\w.~-]+)+\.(xml|rss)", path):
            reader.fail("feeds.also_at", f"{path!r} is not a feed file's path on this site, e.g. \"/index.xml\"")
    return FeedsConfig(
        limit=reader.integer(table, "feeds.limit", default=20, minimum=1),
        full_content=content != "summary",
        utm=utm.lstrip("?"),
        per_tag=reader.boolean(table, "feeds.tags", default=True),
        also_at=tuple(p for p in also_at if re.fullmatch(r"(/[\w.~-]+)+\.(xml|rss)", p)),
    )


_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}")  # BCP 47's shape, as `lang` takes it


def _language(reader: _Reader, site: dict[str, Any]) -> str:
    """`site.language`: a language tag (`en`, `pt-BR`, `zh-Hant-TW`); pages' `lang`, feeds and the search index's
    stemming follow it (Pagefind stopped on a long one, saying only that it failed)."""
    language = reader.string(site, "site.language", default="en").strip()
    if not _LANGUAGE_TAG.fullmatch(language):
        reader.fail("site.language", f"must be a language tag such as \"en\" or \"pt-BR\", not {language!r}")
        return "en"
    return language


def _read_social(reader: _Reader, table: dict[str, Any]) -> SocialConfig:
    twitter = reader.string(table, "social.twitter")
    if twitter and not re.fullmatch(r"@?\w{1,15}", twitter):
        reader.fail("social.twitter", f"must be an X handle such as \"@brand\", not {twitter!r}")
    reader.warn_unknown(table, "social", {"twitter", "image", "image_alt", "cards"})
    handle = ("@" + twitter.lstrip("@")) if twitter else ""
    return SocialConfig(twitter=handle, image=reader.string(table, "social.image"),
                        image_alt=" ".join(reader.string(table, "social.image_alt").split()),
                        cards=_read_cards(reader, _subtable(reader, table, "social.cards"), "social.cards"))


def _subtable(reader: _Reader, table: dict[str, Any], name: str) -> dict[str, Any]:
    value = table.get(name.rsplit(".", 1)[-1], {})
    if not isinstance(value, dict):
        reader.fail(name, f"must be a table ([{name}])")
        return {}
    return value


def theme_cards(path: Path) -> tuple[CardsConfig, list[Problem]]:
    """A theme's `cards/card.toml` (the keys of `[social.cards]`), its paths made absolute; problems named by file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # past a BOM, as publisher.toml: Notepad's
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return CardsConfig(), [Problem(str(path), None, "cards", f"cannot be read: {error}")]
    reader = _Reader(str(path), [], [])
    cards = _read_cards(reader, data, "cards")
    folder = path.parent

    def absolute(value: str) -> str:
        return str(folder / value) if value else ""

    return replace(cards, background_image=absolute(cards.background_image), font=absolute(cards.font),
                   font_regular=absolute(cards.font_regular),
                   fallback_fonts=tuple(absolute(f) for f in cards.fallback_fonts)), reader.problems + reader.warnings


CARD_COLORS = ("background", "foreground", "accent", "muted")


def _read_cards(reader: _Reader, table: dict[str, Any], prefix: str) -> CardsConfig:
    """`[social.cards]`, or a theme's `cards/card.toml` (its keys without the prefix)."""
    reader.warn_unknown(table, prefix, {"enabled", *CARD_COLORS, "background_image", "font", "font_regular",
                                        "fallback_fonts"})
    colors = []
    for name in CARD_COLORS:
        value = reader.string(table, f"{prefix}.{name}")
        if value and not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            reader.fail(f"{prefix}.{name}", f"must be a colour such as \"#12343b\", not {value!r}")
        elif value:
            colors.append((name, value))
    return CardsConfig(enabled=reader.boolean(table, f"{prefix}.enabled", default=True), colors=tuple(colors),
                       background_image=reader.string(table, f"{prefix}.background_image"),
                       font=reader.string(table, f"{prefix}.font"),
                       font_regular=reader.string(table, f"{prefix}.font_regular"),
                       fallback_fonts=reader.strings(table, f"{prefix}.fallback_fonts"))


def _read_robots(reader: _Reader, table: dict[str, Any], url: str) -> tuple[str, ...]:
    reader.warn_unknown(table, "robots", {"disallow"})
    paths = reader.strings(table, "robots.disallow")
    for path in paths:
        if not path.startswith("/"):
            reader.fail("robots.disallow", f"paths must start with '/', not {path!r}")
    base = urlsplit(url).path.rstrip("/")
    if paths and base:
        reader.warn("robots.disallow", _robots_elsewhere(url, base, paths))
    return paths


def _robots_elsewhere(url: str, base: str, paths: tuple[str, ...]) -> str:
    """Why the rules of a site under a sub-path do nothing where they are published, and what to do instead:
    crawlers read robots.txt at the top of the host alone (RFC 9309 2.3), not in the site's folder."""
    parts = urlsplit(url)
    rules = "; ".join(f"Disallow: {base}{path}" for path in paths)
    return (f"crawlers read only {parts.scheme}://{parts.netloc}/robots.txt, not the robots.txt of a site under "
            f"{base}/, so these rules do nothing there: add them to the host's robots.txt ({rules}; "
            f"Sitemap: {url.rstrip('/')}/sitemap.xml) and take them out of here")


def _read_redirects(reader: _Reader, table: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """`"/old/path/" = "/new/path/"` (or an absolute URL): each old path gets a redirect page."""
    found = []
    for old, new in sorted(table.items()):
        name = f"redirects.{old}"
        path = _old_url(reader, name, old)
        if path is None:
            continue
        if not isinstance(new, str) or not (is_site_target(new) or re.match(r"https?://[^\s]+$", new)):
            reader.fail(name, f"must be a path on this site (a place on its page after '#' too: /archive/#y2024) or an "
                              f"absolute http(s) URL, not {new!r}")
        else:
            found.append((path, new))
    return tuple(found)


def _old_url(reader: _Reader, name: str, old: str) -> str | None:
    """An old URL of `[redirects]` as the site keys it (`/old` -> `/old/`, `/?p=123`), or None (noted) when it is
    no path on this site or its query cannot be matched."""
    path, mark, _ = old.partition("?")
    if not is_site_path(path):
        reader.fail(name, "the old path must be a path on this site, starting with '/' (e.g. \"/2016/old/\")")
        return None
    control = control_character(old)
    if control:  # `%0A`: a folder whose name holds a line break
        reader.fail(name, control_said(old, control))
        return None
    overlong = overlong_part(path)
    if overlong:  # its redirect page could be written on no disk
        reader.fail(name, too_long_said("an old path's part", overlong, NAME_BYTES))
        return None
    if not mark:
        return as_page_path(path)
    try:
        _, query = split_old_url(old)
    except ValueError as error:
        reader.fail(name, str(error))
        return None
    return f"{as_page_path(path)}?{query_text(query)}"


def _read_funnel(reader: _Reader, table: dict[str, Any]) -> FunnelConfig:
    stages = reader.strings(table, "funnel.stages") if "stages" in table else DEFAULT_STAGES
    if not stages:
        reader.fail("funnel.stages", "must list at least one stage")
        stages = DEFAULT_STAGES
    ctas = table.get("ctas", {})
    if not isinstance(ctas, dict) or not all(isinstance(v, str) for v in ctas.values()):
        reader.fail("funnel.ctas", "must be a table of stage = \"cta id\"")
        ctas = {}
    for stage in sorted(set(ctas) - set(stages)):
        reader.fail(f"funnel.ctas.{stage}", f"unknown stage (stages: {', '.join(stages)})")
    reader.warn_unknown(table, "funnel", {"stages", "ctas", "inline_after"})
    return FunnelConfig(stages=tuple(stages), ctas=dict(ctas),
                        inline_after=reader.integer(table, "funnel.inline_after", default=3, minimum=0))


def _read_forms(reader: _Reader, table: dict[str, Any]) -> FormsConfig:
    provider = reader.string(table, "forms.provider", default="generic")
    if provider not in FORM_PROVIDERS:
        reader.fail("forms.provider", f"unknown provider {provider!r} (one of: {', '.join(FORM_PROVIDERS)})")
    action = reader.string(table, "forms.action")
    if action and not re.match(r"^(https?://|/)", action):
        reader.fail("forms.action", f"must be an http(s) URL or a path on the site, not {action!r}")
    reader.warn_unknown(table, "forms", {"provider", "action"})
    return FormsConfig(provider=provider, action=action)


def _read_offers(reader: _Reader, table: dict[str, Any]) -> OffersConfig:
    reader.warn_unknown(table, "offers", {"noindex"})
    return OffersConfig(noindex=reader.boolean(table, "offers.noindex", default=True))


def _read_calendar(reader: _Reader, table: dict[str, Any]) -> CalendarConfig:
    reader.warn_unknown(table, "calendar", {"publish"})
    return CalendarConfig(publish=reader.boolean(table, "calendar.publish", default=False))


_INDEXNOW_KEY = re.compile(r"[A-Za-z0-9-]{8,128}")  # the protocol's rule: search engines refuse any other key


def _read_indexnow(reader: _Reader, table: dict[str, Any]) -> IndexNowConfig:
    reader.warn_unknown(table, "indexnow", {"key", "endpoint"})
    key = reader.string(table, "indexnow.key").strip()
    if key and not _INDEXNOW_KEY.fullmatch(key):
        reader.fail("indexnow.key", f"must be 8 to 128 letters, digits or dashes, not {key!r} (make one "
                                            "with: python -c \"import uuid; print(uuid.uuid4().hex)\")")
        key = ""
    endpoint = _http_url(reader, table, "indexnow.endpoint", IndexNowConfig().endpoint)
    return IndexNowConfig(key=key, endpoint=endpoint)


def _read_websub(reader: _Reader, table: dict[str, Any]) -> WebSubConfig:
    reader.warn_unknown(table, "websub", {"hub"})
    return WebSubConfig(hub=_http_url(reader, table, "websub.hub", ""))


def _http_url(reader: _Reader, table: dict[str, Any], name: str, default: str) -> str:
    """An absolute http(s) URL, kept as written (an endpoint's path is its own: no slash is added)."""
    value = reader.string(table, name, default=default).strip()
    try:
        parts = urlsplit(value)
    except ValueError:  # an IPv6 host left open (`https://[::1/`)
        parts = urlsplit("")
    if value and (parts.scheme not in ("http", "https") or not parts.netloc):
        reader.fail(name, f"must be an absolute http(s) URL, not {value!r}")
        return default
    return value


def _read_audit(reader: _Reader, table: dict[str, Any]) -> AuditConfig:
    defaults = AuditConfig()
    reader.warn_unknown(table, "audit", {"refresh_after", "long_sentence", "long_paragraph", "reading_ease"})
    refresh = table.get("refresh_after")
    return AuditConfig(
        refresh_after=defaults.refresh_after if refresh is None else _span(reader, "audit.refresh_after", refresh),
        long_sentence=reader.integer(table, "audit.long_sentence", default=defaults.long_sentence, minimum=1),
        long_paragraph=reader.integer(table, "audit.long_paragraph", default=defaults.long_paragraph, minimum=1),
        reading_ease=reader.integer(table, "audit.reading_ease", default=defaults.reading_ease, minimum=0),
    )


_SPAN = re.compile(r"(\d+)\s*(days?|d|weeks?|w|months?|years?|y)\b")


def _span(reader: _Reader, name: str, value: Any) -> CalendarSpan:
    """"12 months", "365 days", "2 years", "6 weeks" (or combinations such as "1 year 6 months")."""
    text = value.strip().lower() if isinstance(value, str) else ""
    parts = _SPAN.findall(text)
    months = sum(int(count) * (12 if unit[0] == "y" else 1) for count, unit in parts if unit[0] in "my")
    days = sum(int(count) * (7 if unit[0] == "w" else 1) for count, unit in parts if unit[0] in "dw")
    if not parts or _SPAN.sub("", text).strip() or not (months or days):
        reader.fail(name, f"must be a span such as \"12 months\", \"365 days\" or \"2 years\", not {value!r}")
        return AuditConfig().refresh_after
    return CalendarSpan(months=months, days=days)


def _read_search(reader: _Reader, table: dict[str, Any]) -> SearchConfig:
    reader.warn_unknown(table, "search", {"enabled", "shard_size"})
    return SearchConfig(enabled=reader.boolean(table, "search.enabled", default=True),
                        shard_size=reader.integer(table, "search.shard_size", default=1000, minimum=1))


SHARE_KEYS = {"enabled", "post_to", "networks", "recent", "utm", "schedule", "cta", "ctas", "scheduler_timezone",
              "publish_lag", "publish_scheduled"}


SCHEDULER_GAP = timedelta(minutes=10)  # the least time between two messages of a profile Sprout Social takes
SCHEDULE_KEYS = {"reshare_after", "hours", "min_gap", "daily_cap", "weekdays_only", "max_delay"}


_DURATION = re.compile(r"(\d+)\s*(m|min|h|d|w)")


_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _read_share(reader: _Reader, table: dict[str, Any]) -> ShareConfig:
    """`[share]`, `[share.utm]`, `[share.schedule]` and `[share.networks.<name>]`."""
    defaults = ShareConfig()
    reader.warn_unknown(table, "share", SHARE_KEYS)
    profile_tables = reader.table(table, "networks")
    profiles, patterns, network_hours = _read_profiles(reader, profile_tables)
    # A table of a network the default list leaves out (a new one, or opt-in Pinterest and Reddit) asks for it:
    # Pinterest's board set alone wrote no Pinterest file, with no word said.
    added = tuple(name for name in profile_tables if name not in DEFAULT_SHARE_NETWORKS)
    names = reader.strings(table, "share.post_to") if "post_to" in table else DEFAULT_SHARE_NETWORKS + added
    for name in names:
        if name not in profiles:
            reader.fail("share.post_to", f"unknown network {name!r} (known: {', '.join(profiles)};"
                                         f" add one with [share.networks.{name}])")
    schedule = reader.table(table, "schedule")
    reader.warn_unknown(schedule, "share.schedule", SCHEDULE_KEYS)
    min_gap = _duration(reader, "share.schedule.min_gap", schedule.get("min_gap", "10m"))
    if min_gap < SCHEDULER_GAP:
        reader.warnings.append(Problem(reader.display, None, "share.schedule.min_gap",
                                       f"{schedule['min_gap']!r} is under 10 minutes: Sprout Social refuses a file "
                                       "with two messages of a profile closer than that"))
    return ShareConfig(
        enabled=reader.boolean(table, "share.enabled", default=True),
        networks=tuple(dict.fromkeys(n for n in names if n in profiles)),
        profiles=profiles,
        patterns=patterns,
        utm=_read_utm(reader, table.get("utm", {})),
        reshares=tuple(_duration(reader, "share.schedule.reshare_after", value)
                       for value in reader.strings(schedule, "share.schedule.reshare_after"))
        if "reshare_after" in schedule else defaults.reshares,
        hours=_hours(reader, "share.schedule.hours", schedule["hours"]) if "hours" in schedule else defaults.hours,
        network_hours=network_hours,
        min_gap=min_gap,
        daily_cap=reader.integer(schedule, "share.schedule.daily_cap", default=defaults.daily_cap, minimum=1),
        weekdays_only=reader.boolean(schedule, "share.schedule.weekdays_only", default=False),
        max_delay=_duration(reader, "share.schedule.max_delay", schedule.get("max_delay", "7d")),
        recent=reader.integer(table, "share.recent", default=defaults.recent, minimum=0),
        cta=reader.string(table, "share.cta").strip(),  # "": the theme's words' (`settings_with_words`)
        stage_ctas=_read_stage_ctas(reader, reader.table(table, "ctas")),
        scheduler_timezone=_scheduler_zone(reader, reader.string(table, "share.scheduler_timezone")),
        publish_lag=_duration(reader, "share.publish_lag", table.get("publish_lag", "1h")),
        publish_scheduled=reader.boolean(table, "share.publish_scheduled", default=False),
        pinterest_board=_pinterest_board(reader, profile_tables.get("pinterest")),
    )


def _pinterest_board(reader: _Reader, table: Any) -> str:
    """`[share.networks.pinterest] board`: the board Pinterest's bulk upload saves each Pin to, by its name as the
    account shows it, or `Board/Section` for a section of it."""
    name = "share.networks.pinterest.board"
    board = reader.string(table, name).strip() if isinstance(table, dict) else ""
    if "\n" in board or "\r" in board:
        reader.fail(name, "must be one line: the board's name, or \"Board/Section\"")
        return ""
    return board


def _scheduler_zone(reader: _Reader, name: str) -> str:
    return _check_timezone(name, reader.display, reader.problems, "share.scheduler_timezone", "") if name else ""


def _read_stage_ctas(reader: _Reader, table: dict[str, Any]) -> dict[str, str]:
    """`[share.ctas]`: a share CTA per funnel stage (checked against the stages with the funnel)."""
    return {str(stage): reader.string(table, f"share.ctas.{stage}").strip() for stage in table}


Profiles = tuple[Mapping[str, Network], dict[str, str], dict[str, tuple[time, ...]]]  # networks, patterns, hours


def _read_profiles(reader: _Reader, tables: dict[str, Any]) -> Profiles:
    """Network profiles with the site's settings; `hours` is a schedule setting, read here too."""
    settings, patterns, hours = {}, {}, {}
    for name, entry in tables.items():
        if not isinstance(entry, dict):
            settings[name] = entry  # configure_networks reports it
            continue
        if "hours" in entry:
            hours[name] = _hours(reader, f"share.networks.{name}.hours", entry["hours"])
        if isinstance(entry.get("template"), str):
            patterns[name] = entry["template"]
        read_here = {"hours", "board"} if name == "pinterest" else {"hours"}  # `_pinterest_board` reads the board
        settings[name] = {key: value for key, value in entry.items() if key not in read_here}
    try:
        return configure_networks(settings, source=reader.display), patterns, hours
    except BuildFailed as failed:
        reader.problems.extend(failed.problems)
        return BUILTIN_NETWORKS, {}, hours


def _read_utm(reader: _Reader, table: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(table, dict):
        reader.fail("share.utm", "must be a table of parameter = \"value\" ({network}, {slug}, {variant})")
        return DEFAULT_UTM
    params = dict(DEFAULT_UTM)
    for name, value in table.items():
        if value is False or value == "":
            params.pop(name, None)  # `utm_content = false` drops a parameter
            continue
        if not isinstance(value, str) or not re.fullmatch(r"[\w.~-]+", name):
            reader.fail(f"share.utm.{name}", "must be a string such as \"{network}\" (or false to leave it out)")
            continue
        try:
            value.format(network="n", slug="s", variant="v")
        except (KeyError, IndexError, ValueError):
            reader.fail(f"share.utm.{name}", f"cannot use {value!r} (placeholders: {{network}}, {{slug}}, {{variant}})")
            continue
        params[name] = value
    return tuple(params.items())


def _duration(reader: _Reader, name: str, value: Any) -> timedelta:
    """"10m", "36h", "2d", "1w" (or combinations such as "1d 12h")."""
    text = value.strip().lower() if isinstance(value, str) else ""
    parts = _DURATION.findall(text)
    if not parts or _DURATION.sub("", text).strip():
        reader.fail(name, f"must be a duration such as \"10m\", \"36h\" or \"2d\", not {value!r}")
        return timedelta(minutes=10)
    return sum((timedelta(**{_UNITS[unit]: int(amount)}) for amount, unit in parts), timedelta())


def _hours(reader: _Reader, name: str, value: Any) -> tuple[time, ...]:
    """Local posting times, "HH:MM", sorted."""
    if not isinstance(value, list) or not value:
        reader.fail(name, "must be a non-empty list of times such as [\"09:00\", \"17:30\"]")
        return DEFAULT_POSTING_HOURS
    found = set()
    for item in value:
        match = re.fullmatch(r"(\d{1,2}):(\d\d)", item) if isinstance(item, str) else None
        no_clock = dates.why_no_clock(int(match[1]), int(match[2])) if match else ""
        if not match or no_clock:
            reader.fail(name, f"{item!r} is no time of day: {no_clock}" if no_clock else
                              f"{item!r} is not a time of day such as \"09:00\"")
            continue
        found.add(time(int(match[1]), int(match[2])))
    return tuple(sorted(found)) or DEFAULT_POSTING_HOURS


def _toml_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def split_toml_error(message: str) -> tuple[int | None, str]:
    """tomllib says "Illegal character '\\n' (at line 3, column 7)": move the line to the path:line prefix."""
    match = re.search(r" \(at line (\d+), column (\d+)\)$", message)
    if not match:
        return None, message
    return int(match[1]), f"{message[: match.start()]} at column {match[2]}"
