"""Site settings: `publisher.toml` read once into a frozen `SiteConfig`.

All problems in the file are collected and raised together; unknown keys are
returned as warnings so a typo never passes silently.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit
from zoneinfo import ZoneInfo

from publisher.core.errors import BuildFailed, Problem
from publisher.core.quotes import ENGLISH, Quotes
from publisher.social.networks import BUILTIN_NETWORKS, Network

CONFIG_NAME = "publisher.toml"
PERMALINK_FIELDS = ("slug", "year", "month", "day")


@dataclass(frozen=True, slots=True)
class AuthorConfig:
    """An author declared under `[authors.<key>]`."""

    key: str
    name: str
    bio: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class NavLink:
    """An entry of the site's main navigation."""

    title: str
    url: str


# GitHub's alert kinds, as the default engine reads them (`> [!NOTE]`), each with the title GitHub shows.
ALERT_KINDS = ("Note", "Tip", "Important", "Warning", "Caution")


@dataclass(frozen=True, slots=True)
class MarkdownWords:
    """The words the Markdown engines, and the built-in shortcodes, write into a body, in the site's language: the
    build fills them in from the theme's words (`templates.i18n.markdown_words`); English's here. Part of the
    settings, so of the key of every rendered body the cache keeps: a body rendered in one language is never taken
    for another's."""

    heading_link: str = "Link to this section"  # a heading anchor's title
    back_to_reference: str = "Back to reference {number}"  # a footnote's back-link's name
    alerts: tuple[str, ...] = ALERT_KINDS  # the title of each of `ALERT_KINDS`, in their order
    task_done: str = "done"  # a task list's ticked box's name
    task_to_do: str = "to do"  # and an unticked one's
    video: str = "Video"  # the title of a `youtube()` or `embed()` player the body gives none
    play_video: str = "Play: {title}"  # the link a player's facade shows until the reader clicks it
    # The names the `date` filter writes for `%B`, `%b`, `%A` and `%a`: January's and Monday's first.
    months: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July", "August",
                               "September", "October", "November", "December")
    months_short: tuple[str, ...] = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                     "Dec")
    weekdays: tuple[str, ...] = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    weekdays_short: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

    def alert_title(self, kind: str) -> str:
        """The title shown over an alert of `kind` (one of `ALERT_KINDS`; another is shown as written)."""
        return dict(zip(ALERT_KINDS, self.alerts, strict=True)).get(kind, kind)


@dataclass(frozen=True, slots=True)
class MarkdownConfig:
    """How Markdown is turned into HTML."""

    highlight_light: str = "friendly"
    highlight_dark: str = "github-dark"
    toc_depth: str = "2-3"
    words_per_minute: int = 230
    engine: str = "commonmark"  # CommonMark + GFM (pulldown-cmark); or "python-markdown"
    shortcodes: bool = True  # `{{ … }}` in bodies evaluated before Markdown
    autolinks: bool = True  # GFM's: bare URLs, `www.` and email addresses in text become links (commonmark engine)
    quotes: Quotes = ENGLISH  # smart punctuation's quotation marks: `[markdown] quotes`, else `site.language`'s
    words: MarkdownWords = MarkdownWords()  # what the engines write in words (anchors' titles…), the site's language


@dataclass(frozen=True, slots=True)
class FeedsConfig:
    """RSS, Atom and JSON Feed settings (`[feeds]`)."""

    limit: int = 20
    full_content: bool = True  # false: summaries only
    utm: str = ""  # query appended to item links, e.g. "utm_source=rss&utm_medium=feed"
    per_tag: bool = True
    also_at: tuple[str, ...] = ()  # more paths of the site's RSS feed, e.g. an imported site's "/index.xml"
    # A tag feed's description, `{name}` the tag's and `{site}` the site's title: the theme's words
    # `tag_feed_description` in the site's language, filled in by the build (`templates.i18n.settings_with_words`).
    tag_description: str = "Posts tagged {name} on {site}"


@dataclass(frozen=True, slots=True)
class CardsConfig:
    """Generated social cards (`[social.cards]`); what is unset comes from the theme's `cards/card.toml`."""

    enabled: bool = True
    colors: tuple[tuple[str, str], ...] = ()  # (background | foreground | accent | muted, "#rrggbb")
    background_image: str = ""  # path from the site's folder
    font: str = ""  # the title's font file (bold), from the site's folder
    font_regular: str = ""  # the label's and footer's
    fallback_fonts: tuple[str, ...] = ()  # for scripts the fonts lack (CJK, Arabic…), tried in order


@dataclass(frozen=True, slots=True)
class SocialConfig:
    """Link-preview settings (`[social]`)."""

    twitter: str = ""  # the site's handle, "@brand"
    image: str = ""  # default card image for pages without their own
    image_alt: str = ""  # what that image shows, for link previews' and share items' alt text
    cards: CardsConfig = CardsConfig()


MARKDOWN_ENGINES = ("commonmark", "python-markdown")
ENGINE_ALIASES = {"cmark": "commonmark"}  # the name of the engine before it was the default
DEFAULT_STAGES = ("awareness", "consideration", "decision", "advocacy")
FORM_PROVIDERS = ("generic", "formspree", "netlify", "mailchimp", "kit")


@dataclass(frozen=True, slots=True)
class FunnelConfig:
    """Funnel stages and the call to action each stage gets by default (`[funnel]`)."""

    stages: tuple[str, ...] = DEFAULT_STAGES
    ctas: dict[str, str] = field(default_factory=dict)  # stage -> CTA id
    inline_after: int = 3  # paragraphs before the inline CTA; 0 turns it off


@dataclass(frozen=True, slots=True)
class FormsConfig:
    """Where CTA forms post by default (`[forms]`); a CTA's own `form:` overrides it."""

    provider: str = "generic"
    action: str = ""


@dataclass(frozen=True, slots=True)
class OffersConfig:
    noindex: bool = True  # keep gated-content landing pages out of search results


@dataclass(frozen=True, slots=True)
class CalendarSpan:
    """A span as people say it, counted on the calendar: "12 months" before 31 March is 31 March a year
    earlier, not 360 or 365 days earlier, so a refresh falls due on the date a writer expects."""

    months: int = 0
    days: int = 0

    def before(self, moment: datetime) -> datetime:
        """`moment` less this span; a day past the end of the month it lands in becomes that month's last day."""
        year, month = divmod(moment.year * 12 + moment.month - 1 - self.months, 12)
        day = min(moment.day, calendar.monthrange(year, month + 1)[1])
        return moment.replace(year=year, month=month + 1, day=day) - timedelta(days=self.days)

    def __str__(self) -> str:
        parts = [(self.months, "month"), (self.days, "day")]
        return " ".join(f"{count} {unit}{'s' if count != 1 else ''}" for count, unit in parts if count) or "0 days"


@dataclass(frozen=True, slots=True)
class AuditConfig:
    """`publisher audit` (`[audit]`): when a post is due a refresh, and what its readability advice counts as long."""

    refresh_after: CalendarSpan = CalendarSpan(months=12)  # since `updated` (else `date`)
    long_sentence: int = 25  # words
    long_paragraph: int = 150  # words
    reading_ease: int = 50  # Flesch reading ease below which a post is advised to read more easily


@dataclass(frozen=True, slots=True)
class SearchConfig:
    """Readers' search (`[search]`): a Pagefind index of the posts and pages, and a page at /search/."""

    enabled: bool = True
    shard_size: int = 1000  # pages per part of the index: an edit re-indexes only the part its page is in


@dataclass(frozen=True, slots=True)
class CalendarConfig:
    """The editorial calendar (`[calendar]`): it shows posts not yet published, so it stays out of the
    public output unless the team says otherwise."""

    publish: bool = False  # true: output/calendar.ics; false: .publisher/calendar.ics


DEFAULT_INDEXNOW_ENDPOINT = "https://api.indexnow.org/indexnow"  # shares submissions with every IndexNow engine


@dataclass(frozen=True, slots=True)
class IndexNowConfig:
    """`[indexnow]`: the site's key (published as /<key>.txt) and where `publisher ping` submits URLs."""

    key: str = ""  # "": no IndexNow
    endpoint: str = DEFAULT_INDEXNOW_ENDPOINT


@dataclass(frozen=True, slots=True)
class WebSubConfig:
    """`[websub]`: the hub the feeds name and `publisher ping` notifies."""

    hub: str = ""  # "": no hub


DEFAULT_SHARE_NETWORKS = ("x", "mastodon", "bluesky", "threads", "linkedin", "facebook")
DEFAULT_UTM = (("utm_source", "{network}"), ("utm_medium", "social"), ("utm_campaign", "{slug}"),
               ("utm_content", "{variant}"))
DEFAULT_POSTING_HOURS = (time(9, 0), time(12, 30), time(17, 0))


DEFAULT_SHARE_CTA = "Read the full piece"


@dataclass(frozen=True, slots=True)
class ShareConfig:
    """The share feed (`[share]`): which networks, how links are tagged, when items go out."""

    enabled: bool = True
    networks: tuple[str, ...] = DEFAULT_SHARE_NETWORKS  # shared to, in this order
    # every known network, site settings applied
    profiles: Mapping[str, Network] = field(default_factory=lambda: BUILTIN_NETWORKS)
    patterns: Mapping[str, str] = field(default_factory=dict)  # network -> text pattern set in publisher.toml
    utm: tuple[tuple[str, str], ...] = DEFAULT_UTM  # (parameter, value pattern)
    reshares: tuple[timedelta, ...] = (timedelta(days=2), timedelta(days=14))  # after the announcement
    hours: tuple[time, ...] = DEFAULT_POSTING_HOURS  # local posting hours for re-shares
    network_hours: Mapping[str, tuple[time, ...]] = field(default_factory=dict)
    min_gap: timedelta = timedelta(minutes=10)  # between two items of one network
    daily_cap: int = 3  # items a day on one network: re-shares wait for a day with room
    weekdays_only: bool = False  # re-shares Monday to Friday only
    max_delay: timedelta = timedelta(days=7)  # a re-share with no room this soon after its time is left out
    recent: int = 50  # items already due kept per network in share.json and the network feeds
    # What a share text asks before its link (never the funnel CTA's button): `[share] cta`, else the theme's words
    # `share_cta` in the site's language, filled in by the build (`templates.i18n.settings_with_words`).
    cta: str = DEFAULT_SHARE_CTA
    stage_ctas: Mapping[str, str] = field(default_factory=dict)  # funnel stage -> its share CTA
    scheduler_timezone: str = ""  # the zone scheduler CSV times are written in ("": the site's)
    publish_lag: timedelta = timedelta(hours=1)  # an announcement waits this long after its post's date
    publish_scheduled: bool = False  # announcements of posts not yet published in output/ (else .publisher/)
    pinterest_board: str = ""  # the board (or "Board/Section") Pinterest's bulk upload saves each Pin to

    def hours_for(self, network: str) -> tuple[time, ...]:
        return self.network_hours.get(network, self.hours)


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything `publisher.toml` says, validated, plus where the site lives."""

    root: Path
    title: str
    url: str  # absolute, always ends with "/"
    language: str = "en"
    timezone: str = "UTC"
    description: str = ""
    logo: str = ""
    posts_per_page: int = 10
    theme: str = "default"
    permalink: str = "/{slug}/"
    edit_url: str = ""  # where a source is edited on the Git host, its path appended or at `{path}` ("": no links)
    authors: dict[str, AuthorConfig] = field(default_factory=dict)
    nav: tuple[NavLink, ...] = ()
    markdown: MarkdownConfig = MarkdownConfig()
    feeds: FeedsConfig = FeedsConfig()
    social: SocialConfig = SocialConfig()
    robots_disallow: tuple[str, ...] = ()
    funnel: FunnelConfig = FunnelConfig()
    forms: FormsConfig = FormsConfig()
    offers: OffersConfig = OffersConfig()
    share: ShareConfig = ShareConfig()
    search: SearchConfig = SearchConfig()
    audit: AuditConfig = AuditConfig()
    calendar: CalendarConfig = CalendarConfig()
    indexnow: IndexNowConfig = IndexNowConfig()
    websub: WebSubConfig = WebSubConfig()
    redirects: tuple[tuple[str, str], ...] = ()  # [redirects]: (old path, `/?p=1` with a query, new path or URL)
    output_dir: Path = Path("output")

    @property
    def base_path(self) -> str:
        """The path part of the site URL, e.g. "/" or "/journal/"."""
        return urlsplit(self.url).path

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def scheduler_tz(self) -> ZoneInfo:
        """The zone of the times in scheduler CSV files: `[share] scheduler_timezone`, else the site's."""
        return ZoneInfo(self.share.scheduler_timezone or self.timezone)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    def with_overrides(self, *, url: str | None = None, output_dir: Path | None = None) -> SiteConfig:
        """Apply command-line overrides, validated like the file's own values."""
        changes: dict[str, Any] = {}
        if url is not None:
            problems: list[Problem] = []
            changes["url"] = check_url(url, "--base-url", "command line", problems)
            if problems:
                raise BuildFailed(problems)
        if output_dir is not None:
            changes["output_dir"] = output_dir
        return replace(self, **changes)


_NEVER_IN_URL = frozenset('"<>\\^`{|}')  # what RFC 3986 leaves out of URLs (and a quote would end a TOML string)


def check_url(value: Any, name: str, display: str, problems: list[Problem]) -> str:
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(display, None, name, "must be an absolute http(s) URL, e.g. https://example.com/"))
        return "http://localhost/"
    try:
        parts = urlsplit(value.strip())
    except ValueError:  # an IPv6 host left open (`https://[::1/`)
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        problems.append(Problem(display, None, name, f"must be an absolute http(s) URL, not {value!r}"))
        return "http://localhost/"
    if any(char.isspace() or not char.isprintable() or char in _NEVER_IN_URL for char in value.strip()):
        problems.append(Problem(display, None, name, f"must be a URL without spaces, quotes or <>\\^`{{|}}, "
                                                     f"not {value!r}"))
        return "http://localhost/"
    try:
        parts.port  # noqa: B018 (read for the ValueError it raises: a port past 65535, or not a number)
    except ValueError:
        problems.append(Problem(display, None, name, f"has no port a server can have, not {value!r}"))
        return "http://localhost/"
    if parts.username is not None or parts.password is not None:  # every page would publish them
        problems.append(Problem(display, None, name, "must not hold a user name or password (every page and feed "
                                                     "would publish them)"))
        return "http://localhost/"
    if any(segment in (".", "..") for segment in parts.path.split("/")):  # pages would link `/../x/feed.xml`
        problems.append(Problem(display, None, name, f"must not hold '.' or '..' in its path, not {value!r}"))
        return "http://localhost/"
    netloc = parts.netloc if parts.netloc.isascii() else _ascii_host(parts)
    if netloc is None:
        problems.append(Problem(display, None, name, f"has a host name no DNS can hold, not {value!r}"))
        return "http://localhost/"
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{netloc}{path}"


def _ascii_host(parts: SplitResult) -> str | None:
    """An internationalised host as URLs write it (`bücher.example` -> `xn--bcher-kva.example`, by UTS #46 as
    browsers map it), with its port; None for one that cannot be (`a..b`, a label too long)."""
    import idna  # only for such a host: its tables take a while to load

    try:
        host = idna.encode(parts.hostname or "", uts46=True).decode("ascii")
    except idna.IDNAError:
        return None
    return host if parts.port is None else f"{host}:{parts.port}"


