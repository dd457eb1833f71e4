"""The share plan: for every published or scheduled post, each network's variants, scheduled and fitted.

A scheduled post's items are marked `ahead`: they reveal the post, so the public
share feed leaves them out (they go to `.publisher/share/`) unless
`[share] publish_scheduled`.

Plain data in (the site, the settings, the templates, "now"), plain data out
(`SharePlan`). Fitting is the costly part, so the plan is made in two passes:
every item is scheduled first (dates only), then only the items the share
feed carries (all upcoming ones and each network's `recent` items already due)
are fitted, through `fitted` (the build cache) when it knows them.

A post's `share:` front matter is read by `share.settings`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, urlencode

from publisher.config.model import SiteConfig
from publisher.content.model import Entry, Post
from publisher.content.urls import Urls
from publisher.core.errors import BuildFailed, ContentError, Problem
from publisher.core.hashing import digest, feed_texts
from publisher.core.memo import KeptOnDisk, Memo
from publisher.core.text import plain_text
from publisher.share.pins import BOARD_SETTING, pin_image_problem
from publisher.share.settings import read_share_settings
from publisher.share.templates import ShareTemplate
from publisher.share.variants import Variant, post_variants
from publisher.site.model import Site
from publisher.social.fitting import (
    FittedSnippet,
    SharePieces,
    ShareTemplateError,
    fit,
    pattern_template,
)
from publisher.social.networks import LinkDisplay, Network, OverLimit, format_hashtag, hashtag_losses
from publisher.social.schedule import Lane, Slot, Spacing, lanes_as_json, lanes_from_json, schedule

if TYPE_CHECKING:  # the drawing libraries load only for a build that renders
    from publisher.images.previews import Previews


@dataclass(frozen=True, slots=True)
class ShareItem:
    """One ready-to-post text on one network."""

    id: str  # stable: the post's feed id, the network and the variant
    network: str
    variant: str
    kind: str  # announce, reshare or quote
    scheduled: datetime
    text: str
    count: int
    limit: int
    unit: str
    link: str  # the post's URL with the UTM parameters
    post_url: str  # absolute
    post_title: str
    source: str  # the post's file
    title: str = ""  # a separate title field (Pinterest)
    image: str = ""  # absolute URL
    image_alt: str = ""  # what the image shows ("" when the writer did not say)
    tags: tuple[str, ...] = ()
    cta: str = ""
    facets: tuple[dict[str, Any], ...] = ()  # Bluesky rich-text facets
    shortened: tuple[str, ...] = ()  # what fitting gave up
    problem: str = ""  # why the network would refuse it (only in a lenient plan)
    portable_text: str = ""  # Bluesky: the text with the link in full, for tools that cannot pass facets
    ahead: bool = False  # for a post not yet published at the plan's "now": kept out of output/ unless asked
    summary: str = ""  # the post's summary, for a link card

    @property
    def text_with_link(self) -> str:
        """The text for a destination that takes plain text only (CSV, RSS): the link written out in full."""
        return self.portable_text or self.text


@dataclass(frozen=True, slots=True)
class SharePlan:
    items: tuple[ShareItem, ...]  # what the share feed carries, by time
    networks: tuple[str, ...]
    now: datetime
    warnings: tuple[Problem, ...] = ()  # e.g. a tag that loses characters as a hashtag

    def due(self, network: str | None = None) -> list[ShareItem]:
        """Items whose time has come, newest first."""
        return [i for i in reversed(self.items) if i.scheduled <= self.now and network in (None, i.network)]

    def published(self) -> SharePlan:
        """The plan without the items of posts not yet published (which would reveal them in output/)."""
        return replace(self, items=tuple(item for item in self.items if not item.ahead))

    @property
    def has_ahead(self) -> bool:
        """True when some items announce posts not yet published."""
        return any(item.ahead for item in self.items)

    def upcoming(self, network: str | None = None) -> list[ShareItem]:
        """Items still to go out, soonest first."""
        return [i for i in self.items if i.scheduled > self.now and network in (None, i.network)]


@dataclass(frozen=True, slots=True)
class _PostShare:
    """A post's share settings, validated."""

    entry: Entry
    networks: tuple[str, ...]
    texts: dict[tuple[str, str], str]  # (network, variant) -> the writer's own text
    hashtags: tuple[str, ...]
    variants: tuple[Variant, ...]
    cta: str  # the share CTA, settled: the post's, its stage's, the site's
    summary: str  # what the announcement says of the post (`_summary`), bounded
    slots: tuple[Slot, ...]  # one per variant, for the schedule: made once, so they compare as themselves


TemplateFor = Callable[[Network, Variant], "ShareTemplate"]
Fitted = Callable[[str, Callable[[], dict[str, Any]]], dict[str, Any]]  # (cache key, fit) -> fit_record


@dataclass(frozen=True, slots=True)
class ShareMemos:
    """What earlier builds planned (`serve`): each post's settings and variants by source, reused for an equal
    entry; the networks' lanes, reused for equal slots; and each item, reused when made from the same post
    settings, variant, network, time and preview. Also what earlier processes chose as each post's variants,
    by what they were chosen from, and the lanes they scheduled, by what they were scheduled from
    (`publisher build`)."""

    posts: Memo[_ReadPost] = field(default_factory=Memo)
    lanes: Memo[dict[str, Lane]] = field(default_factory=Memo)
    variants: Fitted | None = None  # each post's variants as kept by what they are made from (None: made)
    items: Memo[ShareItem] = field(default_factory=Memo)  # by post, network, variant and time: see `_ItemWriter`
    kept_lanes: KeptOnDisk | None = None  # the lanes as kept by what they are scheduled from (None: made)
    outlined: Memo[_Outline | None] = field(default_factory=Memo)  # each post's outline (None: not shared)
    outlines: KeptOnDisk | None = None  # each post's outline as kept by what it is read from (None: read)


def plan_share(site: Site, cfg: SiteConfig, template_for: TemplateFor, now: datetime, *,
               fitted: Fitted | None = None, only: Iterable[str] | None = None, lenient: bool = False,
               previews: Previews | None = None, memos: ShareMemos | None = None) -> SharePlan:
    """Schedule and fit the share items of every published post; raises BuildFailed listing every problem.

    `only`: post sources to plan every item of, whatever its time (the `share` preview).
    `lenient`: a writer's text over the limit becomes an item with its `problem`, not an error.
    """
    memos = memos or ShareMemos()
    if not cfg.share.enabled:
        return SharePlan((), (), now)
    problems: list[Problem] = []
    shown = {entry.post.source for entry in site.posts}
    entries = [*site.posts, *(e for e in site.scheduled if e.post.source not in shown)]  # announced ahead of time
    readings = _Readings(cfg, memos, problems)
    posts = [outline for outline in map(readings.outline, entries) if outline is not None]
    if problems:
        raise BuildFailed(problems)
    networks = tuple(dict.fromkeys([*cfg.share.networks, *(net for p in posts for net in p.networks)]))
    writer = _ItemWriter(site, cfg, Urls(cfg), template_for, fitted or _fit_now, lenient, previews, now)
    if not lenient:
        problems += writer.check_own_texts([readings.whole(p.entry) for p in posts if p.has_texts])
    items = []
    by_url = {p.entry.url: p for p in posts}
    alike = _alike_networks(networks, cfg, template_for) if any(len(p.slots) > 1 for p in posts) else frozenset()
    chosen, lanes = _chosen_slots(posts, networks, cfg, now, only, memos, alike)
    earlier = _EarlierTexts(lanes, writer, memos.items)
    for when, network, slot in chosen:
        post_share = readings.whole(by_url[slot.post_url].entry)
        variant = _variant_at(post_share, slot.number, when)
        profile = cfg.share.profiles[network]
        try:
            item = writer.kept_item(memos.items, post_share, variant, profile, when)
        except ContentError as error:
            problems.append(error.problem)
            continue
        if variant.number and profile.unique_texts and earlier.repeats(post_share, profile, item, variant.number):
            continue  # the network would refuse it: fewer re-shares rather than the same text again
        items.append(item)
    if problems:
        raise BuildFailed(sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.field)))
    pin_warnings = _pinterest_warnings(cfg, networks, items, {p.entry.post.source: p.entry.post for p in posts}, now)
    return SharePlan(tuple(items), networks, now, (*_zone_warnings(cfg), *_hashtag_warnings(posts), *pin_warnings))


def _zone_warnings(cfg: SiteConfig) -> list[Problem]:
    """Scheduler CSV times have no zone in them; a tool reads them in its profile's zone."""
    if cfg.share.scheduler_timezone or cfg.timezone != "UTC":
        return []
    return [Problem("publisher.toml", None, "share.scheduler_timezone",
                    "scheduler CSV times are written in UTC, as the site's time zone is UTC; a scheduler reads "
                    "them in its profile's zone: set scheduler_timezone under [share] to that zone's name (for "
                    "example, scheduler_timezone = \"America/New_York\" for a profile in New York)")]


def _pinterest_warnings(cfg: SiteConfig, networks: tuple[str, ...], items: list[ShareItem], posts: dict[str, Post],
                        now: datetime) -> list[Problem]:
    """What keeps Pins out of Pinterest's bulk-upload CSV: no board to save them to, or a post's image it would
    refuse (each post once)."""
    if "pinterest" not in networks:
        return []
    if not cfg.share.pinterest_board:
        return [Problem("publisher.toml", None, BOARD_SETTING,
                        "not set, so no Pinterest bulk-upload CSV is written: name the board each Pin is saved to, "
                        "board = \"Content marketing\" (or \"Board/Section\") under [share.networks.pinterest]")]
    refused: dict[str, str] = {}  # post -> why its image is refused
    for item in items:
        if item.network == "pinterest" and item.scheduled > now and item.source not in refused:
            refused[item.source] = pin_image_problem(item.image)
    return [Problem(source, posts[source].line_of("image"), "image",
                    f"{problem}: its Pins are left out of Pinterest's bulk-upload CSV")
            for source, problem in sorted(refused.items()) if problem]


def _hashtag_warnings(posts: list[_Outline]) -> list[Problem]:
    """A tag whose hashtag drops characters that carry meaning: `C++` is #C, `R&D` is #RD."""
    warnings = []
    losses: dict[str, tuple[str, str | None]] = {}  # tag -> (what its hashtag loses, the hashtag): a site has few tags
    for post_share in posts:
        post = post_share.entry.post
        for setting, tags in (("share.hashtags", post_share.hashtags), ("tags", post.tags)):
            for tag in tags:
                if tag not in losses:
                    losses[tag] = (hashtag_losses(tag), format_hashtag(tag, "camel"))
                lost, hashtag = losses[tag]
                if lost:
                    shown = f"as {hashtag}" if hashtag else "and makes no hashtag"
                    warnings.append(Problem(post.source, post.line_of(setting), setting,
                                            f"{tag!r} loses {lost!r} {shown} (write the hashtag you want in "
                                            "share.hashtags)"))
    return warnings


def _variant_at(post_share: _PostShare, number: int, when: datetime) -> Variant:
    """The post's variant `number` as it goes out at `when`: a re-share long after the post says it is from the
    archive."""
    variant = next(v for v in post_share.variants if v.number == number)
    if variant.number and when - post_share.entry.post.published > ARCHIVE_AGE:
        return replace(variant, archive=True)
    return variant


class _EarlierTexts:
    """What a post said before a re-share on the same network, for a network that refuses a post repeating an
    earlier one: the texts of the post's earlier variants as the lanes schedule them, whether or not the feed
    still carries them, so that the same sources drop the same re-shares whenever the build runs."""

    def __init__(self, lanes: dict[str, Lane], writer: _ItemWriter, memo: Memo[ShareItem]) -> None:
        self.lanes, self.writer, self.memo = lanes, writer, memo
        self._by_post: dict[int, dict[str, list[tuple[datetime, Slot]]]] = {}  # id of a lane -> post URL -> items

    def repeats(self, post_share: _PostShare, network: Network, item: ShareItem, number: int) -> bool:
        """Whether `item`, the post's re-share `number`, says what one of its earlier variants on `network` says
        (the link aside: each variant's differs only by its UTM tags, and the schedulers' CSVs carry it apart)."""
        said = _said(item)
        for when, slot in self._scheduled(network.name, post_share.entry.url):
            if slot.number >= number:
                continue
            try:
                before = self.writer.kept_item(self.memo, post_share, _variant_at(post_share, slot.number, when),
                                               network, when)
            except ContentError:  # reported where the feed carries it
                continue
            if _said(before) == said:
                return True
        return False

    def _scheduled(self, network: str, post_url: str) -> list[tuple[datetime, Slot]]:
        lane = self.lanes[network]
        if id(lane) not in self._by_post:  # networks with the same posts and hours share a lane
            index: dict[str, list[tuple[datetime, Slot]]] = {}
            for when, slot in lane.items:
                index.setdefault(slot.post_url, []).append((when, slot))
            self._by_post[id(lane)] = index
        return self._by_post[id(lane)].get(post_url, [])


def _said(item: ShareItem) -> str:
    """What an item says, its link left out and its spacing evened."""
    return " ".join(item.text_with_link.replace(item.link, " ").split())


def _alike_networks(networks: tuple[str, ...], cfg: SiteConfig, template_for: TemplateFor) -> frozenset[str]:
    """The networks that refuse a post repeating an earlier one and whose template says the same of each of a
    post's variants (`template = "{title} {url}"`): their re-shares of the template's would repeat it."""
    profiles = cfg.share.profiles
    return frozenset(net for net in networks if profiles[net].reshares and profiles[net].unique_texts
                     and template_for(profiles[net], Variant(number=0)).alike_for_variants)


def _chosen_slots(posts: list[_Outline], networks: tuple[str, ...], cfg: SiteConfig, now: datetime,
                  only: Iterable[str] | None, memos: ShareMemos, alike: frozenset[str]
                  ) -> tuple[list[tuple[datetime, str, Slot]], dict[str, Lane]]:
    """(time, network, slot) of every item the plan carries, by time: the feed's window, or all of `only`'s posts;
    and each network's lane. A re-share that would repeat an earlier text of its post on a network of `alike`
    takes no slot, so it leaves its posting hour, and its day's room, to an item that goes out. The lanes are made
    again only when some network's slots differ from the last build's (`memos.lanes`)."""
    share = cfg.share
    members: dict[str, list[Slot]] = {net: [] for net in networks}  # each network's slots, in the posts' order
    for post in posts:
        announcement = post.slots[:1]  # a post's first variant is its announcement
        for net in post.networks:
            members[net] += post.sent_slots(net, net in alike) if share.profiles[net].reshares else announcement
    lanes = memos.lanes.get("lanes", (members, share, cfg.tz),
                            partial(_lanes, posts, members, cfg, memos.kept_lanes, alike))
    sources = set(only or ())
    wanted_urls = {p.entry.url for p in posts if p.entry.post.source in sources}
    chosen = [(when, network, slot) for network, lane in lanes.items()
              for when, slot in (lane.window(now, share.recent) if only is None else lane.items)
              if only is None or slot.post_url in wanted_urls]
    # By the time as it passes: times of one zone compare as its clocks read them, the same twice as they go back.
    return sorted(chosen, key=lambda c: (c[0].astimezone(UTC), c[1], c[2].post_url, c[2].number)), lanes


def _lanes(posts: list[_Outline], members: dict[str, list[Slot]], cfg: SiteConfig, kept: KeptOnDisk | None,
           alike: frozenset[str]) -> dict[str, Lane]:
    """Each network's lane of `members`, as `kept` keeps them by what they are scheduled from (`_lanes_key`):
    scheduling 30,000 slots took 0.22 s a build at 10,000 posts; reading the lanes back takes a third of it."""
    share = cfg.share
    spacing = Spacing(share.min_gap, share.daily_cap, share.weekdays_only, share.publish_lag, share.max_delay)
    made: list[dict[str, Lane]] = []  # the lanes, scheduled or read back

    def scheduled() -> dict[str, Lane]:
        made.append(schedule(members, share.reshares, share.hours_for, cfg.tz, spacing))
        return made[-1]

    if kept is None:  # `serve`, whose model keeps the lanes: nothing to write them out for
        return scheduled()
    slots = {(slot.post_url, slot.number): slot for post in posts for slot in post.slots}

    def is_whole(data: Any) -> bool:
        lanes = lanes_from_json(data, slots, cfg.tz)
        if lanes is None or list(lanes) != list(members):
            return False
        made.append(lanes)
        return True

    kept(_lanes_key(posts, tuple(members), cfg, spacing, alike), lambda: lanes_as_json(scheduled()), is_whole)
    return made[-1]


def _lanes_key(posts: list[_Outline], networks: tuple[str, ...], cfg: SiteConfig, spacing: Spacing,
               alike: frozenset[str]) -> str:
    """What the lanes are scheduled from, as one digest: the zone and the schedule's settings, each network's
    posting hours, whether it takes re-shares and whether its template says the same of every variant (`alike`),
    and each post's URL, date (with its zone), variants' numbers, networks and texts of the writer's own, in
    order: one `repr` of them all (one string a post took 0.08 s a build at 10,000 posts)."""
    share = cfg.share
    settings = repr(("lanes", str(cfg.tz), share.reshares, spacing,
                     [(net, share.hours_for(net), share.profiles[net].reshares, net in alike) for net in networks]))
    return digest(settings, repr([(p.entry.url, p.entry.post.published, [s.number for s in p.slots], p.networks,
                                   p.own) for p in posts]))


ARCHIVE_AGE = timedelta(days=90)  # a re-share this long after the post says it is from the archive
SUMMARY_BOUND = 4_000  # characters: more than any network takes (LinkedIn, 3,000), so fitting never reads a book


def _bounded(summary: str) -> str:
    """At most SUMMARY_BOUND characters, cut at a space: fitting cuts it further, at a sentence or clause end."""
    if len(summary) <= SUMMARY_BOUND:
        return summary
    cut = summary[:SUMMARY_BOUND]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _summary(entry: Entry) -> str:
    """What the announcement says of the post: its summary, else its excerpt."""
    return entry.post.summary or plain_text(entry.excerpt_html)


def _fit_now(key: str, make: Callable[[], Any]) -> Any:
    """Fitting without a cache."""
    return make()


def _no_template(network: Network, variant: Variant) -> ShareTemplate:
    raise AssertionError("a writer's own text needs no template")


@dataclass(frozen=True, slots=True)
class _ReadPost:
    share: _PostShare | None  # None: the post is not shared
    problems: tuple[Problem, ...]


class _Outline(NamedTuple):
    """What the schedule and the checks across posts read of a post's share settings and variants (a tuple: a
    plan makes one a post)."""

    entry: Entry
    networks: tuple[str, ...]
    hashtags: tuple[str, ...]
    slots: tuple[Slot, ...]  # one per variant
    own: tuple[tuple[str, int], ...]  # (network, variant number) of each text of the writer's own, in order

    @classmethod
    def of(cls, share: _PostShare) -> _Outline:
        numbers = {variant.name: variant.number for variant in share.variants}
        own = sorted((network, numbers[name]) for network, name in share.texts if name in numbers)
        return cls(share.entry, share.networks, share.hashtags, share.slots, tuple(own))

    @property
    def has_texts(self) -> bool:
        """Whether the writer gave some variant a text of their own."""
        return bool(self.own)

    def sent_slots(self, network: str, alike: bool) -> tuple[Slot, ...]:
        """The post's slots on `network`, which refuses a post repeating an earlier one; `alike`: its template
        says the same of every variant. Each text of the writer's own is a slot, and so is the first variant the
        template writes; the template's later ones would say that again, and take no slot."""
        if not alike:
            return self.slots
        own = {number for net, number in self.own if net == network}
        first = next((slot.number for slot in self.slots if slot.number not in own), None)
        return tuple(slot for slot in self.slots if slot.number in own or slot.number == first)


CHECK_KEPT_OUTLINES = False  # the tests' switch: read each post whose outline is taken as kept too, and fail if it
# is another


class _Readings:
    """Each post's share settings and variants, read once a plan: whole (`_PostShare`) for the posts whose items
    the plan writes or whose own texts it checks, and in outline (`_Outline`) for every post. With
    `ShareMemos.outlines` (`publisher build`), a post's outline is taken as an earlier build kept it by what it is
    read from (`_outline_key`), and the post is read whole only when the plan carries an item of it: reading all
    of them took 0.4 s a build at 10,000 posts, and a one-post edit's plan carries the items of a few dozen.
    Problems are added to `problems`."""

    def __init__(self, cfg: SiteConfig, memos: ShareMemos, problems: list[Problem]) -> None:
        self.cfg, self.memos, self.problems = cfg, memos, problems
        self.variants = memos.variants or _fit_now
        self._whole: dict[str, _PostShare | None] = {}

    def whole(self, entry: Entry) -> _PostShare:
        """The post's share settings and variants, for a post that is shared (it has an outline)."""
        share = self._read(entry)
        assert share is not None, f"{entry.post.source} is not shared"
        return share

    def outline(self, entry: Entry) -> _Outline | None:
        """The post's outline, or None when it is not shared."""
        return self.memos.outlined.get(entry.post.source, entry, partial(self._outline, entry))

    def _outline(self, entry: Entry) -> _Outline | None:
        kept = self.memos.outlines
        if kept is None:
            share = self._read(entry)
            return None if share is None else _Outline.of(share)
        record = kept(_outline_key(entry), partial(self._record, entry), _is_outline_record)
        if CHECK_KEPT_OUTLINES and record != self._record(entry):
            raise AssertionError(f"{entry.post.source}: its share outline was taken as kept, but it is another")
        if not record:
            return None
        networks, numbers, hashtags, own = record
        url, published = entry.url, entry.post.published
        return _Outline(entry, tuple(networks), tuple(hashtags), tuple(Slot(url, n, published) for n in numbers),
                        tuple((network, number) for network, number in own))

    def _record(self, entry: Entry) -> list[Any]:
        """The post's outline as JSON-ready data: [] when it is not shared."""
        share = self._read(entry)
        if share is None:
            return []
        outline = _Outline.of(share)
        return [list(outline.networks), [slot.number for slot in outline.slots], list(outline.hashtags),
                [list(pair) for pair in outline.own]]

    def _read(self, entry: Entry) -> _PostShare | None:
        source = entry.post.source
        if source not in self._whole:
            read = self.memos.posts.get(source, entry, partial(_read_noting, entry, self.cfg, self.variants))
            self.problems += read.problems
            self._whole[source] = read.share
        return self._whole[source]


def _outline_key(entry: Entry) -> str:
    """What a post's outline is read from besides the settings (which the kept outlines are salted by,
    `build.cache.BuildCache.kept_share_outline`): its summary and `share:`, and its rendered Markdown by its digest
    (its excerpt, the summary when it has none, and its quotes and points, which decide its variants). A repr of
    them, so no two inputs give one key."""
    post = entry.post
    return repr(("outline", post.summary, post.share, entry.body_digest))


def _is_outline_record(record: Any) -> bool:
    """Whether `record` is what `_Readings._record` makes (a file from elsewhere may hold anything)."""
    if record == []:
        return True
    if type(record) is not list or len(record) != 4:
        return False
    networks, numbers, hashtags, own = record
    return (type(networks) is list and type(numbers) is list and type(hashtags) is list and type(own) is list
            and all(type(text) is str for text in (*networks, *hashtags)) and all(type(n) is int for n in numbers)
            and all(type(pair) is list and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is int
                    for pair in own))


def _read_noting(entry: Entry, cfg: SiteConfig, variants: Fitted) -> _ReadPost:
    problems: list[Problem] = []
    share = _read_post(entry, cfg, problems, variants)
    return _ReadPost(share, tuple(problems))


def _read_post(entry: Entry, cfg: SiteConfig, problems: list[Problem], kept: Fitted) -> _PostShare | None:
    """A post's share settings and variants (the announcement, then re-shares with material of their own, or
    with the writer's own text); problems are added to `problems`."""
    summary = _summary(entry)
    variants = _variants(summary, entry, len(cfg.share.reshares), kept)
    settings = read_share_settings(entry.post, cfg, {v.name for v in variants}, problems)
    if settings.skip:
        return None
    own = {variant for _, variant in settings.texts}
    variants = tuple(v for v in variants if v.has_material or v.name in own)  # nothing to say, no re-share
    stage = entry.post.stage or cfg.funnel.stages[0]
    cta = settings.cta or cfg.share.stage_ctas.get(stage) or cfg.share.cta
    url, published = entry.url, entry.post.published
    slots = tuple(Slot(url, v.number, published) for v in variants)
    return _PostShare(entry, settings.networks, settings.texts, settings.hashtags, variants, cta, _bounded(summary),
                      slots)


def _variants(summary: str, entry: Entry, reshares: int, kept: Fitted) -> tuple[Variant, ...]:
    """`post_variants` of the post, as `kept` keeps them by what they are made from (choosing them compares
    every sentence with those chosen before it: 1.2 s a build at 10,000 posts)."""
    def choose() -> dict[str, Any]:  # the body (its quotes and points) is read only when they are not kept
        body = entry.body
        return {"variants": [asdict(v) for v in post_variants(summary, body.pull_quotes, body.talking_points,
                                                              reshares)]}

    made = kept(_variants_key(summary, entry.body_digest, reshares), choose)
    return tuple(Variant(number=v["number"], quote=v["quote"], material=v["material"], spares=tuple(v["spares"]),
                         archive=v["archive"]) for v in made["variants"])  # each field, as `asdict` wrote it


def _variants_key(summary: str, body: str, reshares: int) -> str:
    """What a post's variants are chosen from, as one digest: the summary after its length, so no two inputs
    give one key, and the body by its digest (`Entry.body_digest`, taken when it was finished: its quotes and
    points are among what it holds; hashing them again took 0.1 s a build at 10,000 posts)."""
    h = hashlib.sha256(f"variants {reshares} {body}".encode())
    feed_texts(h, (summary,))
    return h.hexdigest()


def share_link(post: Post, network: str, variant: str, cfg: SiteConfig, urls: Urls) -> str:
    """The post's own URL on the site with the share UTM parameters (values lower case)."""
    values = {"network": network, "slug": post.slug, "variant": variant}
    query = urlencode([(name, pattern.format_map(values).lower()) for name, pattern in cfg.share.utm],
                      quote_via=quote, safe="{}")
    url = urls.uri(post.url)  # a URI, as schedulers and the share feed's schema take it (`café` as `caf%C3%A9`)
    base, hash_mark, fragment = url.partition("#")
    return base + ("&" if "?" in base else "?") + query + hash_mark + fragment if query else url


@dataclass(frozen=True, slots=True)
class _ItemWriter:
    """Writes share items: what every item of one plan shares (the site, settings, templates, cache)."""

    site: Site
    cfg: SiteConfig
    urls: Urls
    template_for: TemplateFor
    fitted: Fitted
    lenient: bool
    previews: Previews | None  # each post's link-preview image (None: its own image, else the site's)
    now: datetime  # the plan's: a post dated after it is not published yet

    def check_own_texts(self, posts: list[_PostShare]) -> list[Problem]:
        """Every writer's own text against its network's limit, whether or not the feed carries it now."""
        checker = replace(self, template_for=_no_template, fitted=_fit_now, lenient=False)
        problems = []
        for post_share in posts:
            variants = {v.name: v for v in post_share.variants}
            for network, variant in post_share.texts:
                if network not in post_share.networks:
                    continue
                profile = self.cfg.share.profiles[network]
                if variants[variant].number and not profile.reshares:
                    problems.append(_unsent_reshare(post_share.entry.post, network, variant))
                    continue
                if profile.unique_texts and (repeated := _repeated_own_text(post_share, network, variant)):
                    problems.append(_repeated_text(post_share.entry.post, network, variant, repeated))
                    continue
                try:
                    checker.item(post_share, variants[variant], self.cfg.share.profiles[network],
                                 post_share.entry.post.published)
                except ContentError as error:
                    problems.append(error.problem)
        return problems

    def kept_item(self, memo: Memo[ShareItem], post_share: _PostShare, variant: Variant, network: Network,
                  when: datetime) -> ShareItem:
        """`item`, as `memo` keeps it from an earlier build of the same plan settings, by everything it is made
        from that the settings do not cover: the post's share settings, the variant, the network, the time (in
        the key), the post's preview, whether the post is out yet and the share template's key (a theme's
        `share/x.txt` saved while `serve` runs changes the text)."""
        post = post_share.entry.post
        inputs = (post_share, variant, network, self.previews.of(post.url) if self.previews else None,
                  post.published > self.now, self.template_for(network, variant).key)
        return memo.get((post.source, network.name, variant.name, when), inputs,
                        partial(self.item, post_share, variant, network, when))

    def item(self, post_share: _PostShare, variant: Variant, network: Network, when: datetime) -> ShareItem:
        """One item; a text over the network's limit or a broken template raises ContentError naming the field."""
        post = post_share.entry.post
        pieces = self.pieces(post_share, variant, network)
        own = post_share.texts.get((network.name, variant.name))
        field = f"share.{network.name}" + ("" if variant.number == 0 and own is not None else f".{variant.name}")
        try:
            record = self._record(network, variant, pieces, own)
            if network.link_display is LinkDisplay.LABEL:  # for tools that cannot pass facets: the URL in full
                spelled_out = replace(network, link_display=LinkDisplay.FULL, facets=False)
                record = {**record, "portable_text": self._record(spelled_out, variant, pieces, own)["text"]}
        except (OverLimit, ShareTemplateError) as error:  # CannotFit is an OverLimit
            origin = self.template_for(network, variant).origin if own is None else ("", "")
            if isinstance(error, ShareTemplateError) and origin[0]:  # the site's template: said once, where it is
                raise ContentError(origin[0], None, origin[1], str(error)) from None
            # A text of the writer's own: its line (`x:`, or `announce:` under it); a template's: `share:`'s.
            line = post.line_of(f"share.{network.name}.{variant.name}" if own is not None else "share")
            raise ContentError(post.source, line, field, str(error)) from None
        return replace(self.record_item(post, variant, network, when, pieces, record),
                       summary=post_share.summary, ahead=post.published > self.now)

    def _record(self, network: Network, variant: Variant, pieces: SharePieces, own: str | None) -> dict[str, Any]:
        """The fitted text as the feed keeps it: the writer's own, else the template's, fitted (cached)."""
        if own is not None:
            return _own_text(network, pieces, own, self.lenient)
        template = self.template_for(network, variant)
        return self.fitted(repr((network, variant, pieces, template.key)),
                           lambda: fit_record(fit(network, pieces, template)))

    def pieces(self, post_share: _PostShare, variant: Variant, network: Network) -> SharePieces:
        entry = post_share.entry
        post = entry.post
        return SharePieces(
            title=post.title,
            url=share_link(post, network.name, variant.name, self.cfg, self.urls),
            summary=_bounded(variant.quote or variant.material) or post_share.summary,
            tags=(*post_share.hashtags, *post.tags),  # SEO keywords are not hashtags
            cta=post_share.cta,
            summary_cuttable=not variant.quote,  # cutting a quote would misquote
            alternatives=variant.spares,
            title_optional=variant.number > 0,  # the link card shows the title; the re-share's point is its own
        )

    def record_item(self, post: Post, variant: Variant, network: Network, when: datetime, pieces: SharePieces,
                    record: dict[str, Any]) -> ShareItem:
        preview = self.previews.of(post.url) if self.previews else None
        image = preview.path if preview else post.image or self.cfg.social.image
        image_alt = preview.alt if preview else post.image_alt if post.image else ""
        return ShareItem(
            id=f"{post.id or self.urls.absolute(post.url)}#share-{network.name}-{variant.name}",
            network=network.name,
            variant=variant.name,
            kind=variant.kind,
            scheduled=when,
            text=record["text"],
            count=record["count"],
            limit=record["limit"],
            unit=record["unit"],
            link=pieces.url,
            post_url=self.urls.uri(post.url),
            post_title=post.title,
            source=post.source,
            title=record["title"],
            image=self.urls.uri(image) if image else "",
            image_alt=image_alt,
            tags=post.tags,
            cta=pieces.cta,
            facets=tuple(record["facets"]),
            shortened=tuple(record["shortened"]),
            problem=record.get("problem", ""),
            portable_text=record.get("portable_text", ""),
        )


def _unsent_reshare(post: Post, network: str, variant: str) -> Problem:
    """A writer's text for a re-share on a network that gets none (a second post of the same link is refused)."""
    return Problem(post.source, post.line_of(f"share.{network}.{variant}"), f"share.{network}.{variant}",
                   f"{network} gets the announcement only (it refuses or flags the same link posted again): this "
                   f"text would never go out (reshares = true under [share.networks.{network}] sends re-shares)")


def _repeated_own_text(post_share: _PostShare, network: str, variant: str) -> str:
    """The earlier variant whose text of the writer's own `variant`'s repeats on `network` ("" when none does)."""
    text = post_share.texts[(network, variant)].strip()
    for earlier in post_share.variants:
        if earlier.name == variant:
            return ""
        if post_share.texts.get((network, earlier.name), "").strip() == text:
            return earlier.name
    return ""


def _repeated_text(post: Post, network: str, variant: str, earlier: str) -> Problem:
    """A writer's text for a re-share that repeats an earlier one, on a network that refuses a repeat."""
    return Problem(post.source, post.line_of(f"share.{network}.{variant}"), f"share.{network}.{variant}",
                   f"the same text as {earlier}: {network} refuses a post that repeats an earlier one (write "
                   "another, or leave it out)")


def _own_text(network: Network, pieces: SharePieces, text: str, lenient: bool) -> dict[str, Any]:
    """A writer's text, used as written; over the limit it raises, or (lenient) says so."""
    try:
        return fit_record(fit(network, pieces, pattern_template(text), shorten=False))
    except OverLimit as error:
        if not lenient:
            raise
        unlimited = replace(network, limit=10**9, byte_limit=None, max_links=None, rejects="")
        return {**fit_record(fit(unlimited, pieces, pattern_template(text), shorten=False)), "limit": network.limit,
                "problem": str(error)}


def fit_record(snippet: FittedSnippet) -> dict[str, Any]:
    """What the share feed keeps of a fitted snippet, as JSON-ready data (the build caches it)."""
    return {"text": snippet.text, "count": snippet.count, "limit": snippet.limit, "unit": snippet.unit,
            "title": snippet.title or "", "facets": [facet.to_record() for facet in snippet.facets],
            "shortened": list(snippet.shortened)}
