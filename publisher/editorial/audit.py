"""`publisher audit`: what an editor should look at in the published hub, section by section.

Pure: the Site a build would publish, its settings and the moment of the
audit in; an `Audit` of plain data out, with every finding under a rule id
(`RULES`) so a CI job can fail on the rules it cares about. Each section is
measured by one function and each rule's findings are read off the section
by another, so a rule can be tested, and changed, on its own.

Only published posts are audited (not drafts, not posts scheduled for
later); pages and offers count as places that link to posts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from publisher.config.model import CONFIG_NAME, SiteConfig
from publisher.content.model import Entry, Post
from publisher.core.errors import Problem
from publisher.core.text import counted, text_units
from publisher.editorial.body_text import BodyText, read_body
from publisher.editorial.linking import Suggestion, linked_sources, post_terms, suggest_linkers
from publisher.editorial.readability import LongText, Readability, Syllables, is_english, readability
from publisher.pages.seo import meta_description
from publisher.site.funnel import stage_cta
from publisher.site.model import Site

RULES: dict[str, str] = {
    "funnel.empty-stage": "a funnel stage with no published post",
    "funnel.no-cta": "a funnel stage whose posts get no call to action",
    "cluster.member-no-pillar-link": "a cluster post whose body never links its pillar",
    "cluster.pillar-no-member-link": "a pillar whose body does not link a post of its cluster",
    "cluster.gated-pillar": "an offer marked pillar: true (its content is behind a form)",
    "links.orphan": "a post that no other post, page or offer links to in its body",
    "keyphrase.missing": "a post with neither keyphrase: nor keywords:",
    "keyphrase.placement": "a keyphrase missing from the title, first paragraph, slug, meta description, "
                           "subheadings or image alt text",
    "keyphrase.duplicate": "two or more posts with the same keyphrase",
    "maintenance.stale": "a post not updated for longer than [audit] refresh_after",
    "readability.long-sentence": "advice: sentences longer than [audit] long_sentence words",
    "readability.long-paragraph": "advice: paragraphs longer than [audit] long_paragraph words",
    "readability.reading-ease": "advice: a Flesch reading ease below [audit] reading_ease",
}
ADVICE = frozenset(rule for rule in RULES if rule.startswith("readability."))
RECENT_DAYS = 90  # the window of the funnel's recent stage mix
PLACES = ("title", "first paragraph", "slug", "meta description", "subheading", "image alt text")
_GATED = ("an offer's content is behind its form, so it cannot lead a cluster readers and search engines can "
          "follow: make the pillar a post (it can offer this download)")


@dataclass(frozen=True, slots=True)
class Finding:
    """Something the audit found, under its rule id, at a file, line and field."""

    rule: str
    problem: Problem


@dataclass(frozen=True, slots=True)
class PostRef:
    source: str
    title: str
    url: str  # site-relative


@dataclass(frozen=True, slots=True)
class StageRow:
    stage: str
    posts: int  # published posts at this stage (a post without `stage:` is at the first)
    recent: int  # of them, published in the last RECENT_DAYS days
    cta: str  # the id of the CTA the stage's posts get unless they name one; "" for none
    cta_headline: str


@dataclass(frozen=True, slots=True)
class FunnelCoverage:
    stages: tuple[StageRow, ...]
    unstaged: int  # posts without `stage:` (counted at the first stage, as their CTA is chosen)
    recent_since: date  # the first day of the recent window


@dataclass(frozen=True, slots=True)
class MemberLinks:
    post: PostRef
    links_pillar: bool  # the member's body links its pillar
    linked_from_pillar: bool  # the pillar's body links the member


@dataclass(frozen=True, slots=True)
class ClusterLinks:
    pillar: PostRef
    members: tuple[MemberLinks, ...]  # oldest first, the cluster's reading order


@dataclass(frozen=True, slots=True)
class PostLinks:
    post: PostRef
    linked_from: tuple[str, ...]  # sources whose bodies link to the post
    suggestions: tuple[Suggestion, ...]  # posts that could link to it


@dataclass(frozen=True, slots=True)
class KeyphraseCheck:
    post: PostRef
    keyphrase: str  # "" when the post has none
    field: str  # where it comes from: "keyphrase", "keywords" or "" (none)
    missing: tuple[str, ...]  # of PLACES
    same_as: tuple[str, ...]  # other posts with the same keyphrase


@dataclass(frozen=True, slots=True)
class StalePost:
    post: PostRef
    field: str  # "updated" or "date": which of them says when it was last touched
    last_touched: date
    days: int  # since then


@dataclass(frozen=True, slots=True)
class PostReadability:
    post: PostRef
    scores: Readability


@dataclass(frozen=True, slots=True)
class Audit:
    site: str  # the site's title
    site_url: str
    as_of: date  # the day the audit was made for, in the site's time zone
    posts: int
    refresh_after: str
    funnel: FunnelCoverage
    clusters: tuple[ClusterLinks, ...]
    gated_pillars: tuple[PostRef, ...]
    links: tuple[PostLinks, ...]  # every post, by source
    keyphrases: tuple[KeyphraseCheck, ...]  # every post, by source
    stale: tuple[StalePost, ...]  # oldest first
    readability: tuple[PostReadability, ...] | None  # None when the site is not in English
    findings: tuple[Finding, ...]  # in the order of RULES, then by file and line

    def count(self, rule: str) -> int:
        return sum(1 for finding in self.findings if finding.rule == rule)


def audit_site(site: Site, cfg: SiteConfig, now: datetime) -> Audit:
    """Every section of the audit and every finding, for the site as published at `now`."""
    bodies = {entry.post.source: read_body(entry.html) for entry in (*site.posts, *site.pages, *site.offers)}
    links = link_graph(site, cfg, bodies)
    funnel = funnel_coverage(site, cfg, now)
    clusters = cluster_links(site, links)
    gated = tuple(_ref(offer) for offer in site.offers if offer.post.pillar)
    inbound = post_links(site, links)
    english = is_english(cfg.language)
    keyphrases = keyphrase_checks(site, bodies, english=english)
    stale = stale_posts(site, cfg, now)
    prose = post_readability(site, cfg, bodies) if english else None
    by_source = {entry.post.source: entry.post for entry in (*site.posts, *site.offers)}
    findings = [
        *_funnel_findings(funnel),
        *_cluster_findings(clusters, by_source),
        *(Finding("cluster.gated-pillar", _at(by_source[offer.source], "pillar", _GATED)) for offer in gated),
        *_orphan_findings(inbound, by_source),
        *_keyphrase_findings(keyphrases, by_source),
        *_stale_findings(stale, by_source, str(cfg.audit.refresh_after)),
        *_readability_findings(prose or (), by_source, cfg),
    ]
    order = {rule: index for index, rule in enumerate(RULES)}
    findings.sort(key=lambda f: (order[f.rule], f.problem.path, f.problem.line or 0, f.problem.message))
    return Audit(cfg.title, cfg.url, now.astimezone(cfg.tz).date(), len(site.posts), str(cfg.audit.refresh_after),
                 funnel, clusters, gated, inbound, keyphrases, stale, prose, tuple(findings))


def _ref(entry: Entry) -> PostRef:
    return PostRef(entry.post.source, entry.post.title, entry.url)


def _at(post: Post, field: str, message: str) -> Problem:
    return Problem(post.source, post.line_of(field), field, message)


# --- Links between bodies -----------------------------------------------------------------------------------


def link_graph(site: Site, cfg: SiteConfig, bodies: Mapping[str, BodyText]) -> dict[str, set[str]]:
    """For each post, page and offer (by source), the posts and offers its body links to (itself aside)."""
    by_path = {entry.url: entry.post.source for entry in (*site.posts, *site.offers)}
    # A link to an old URL (an alias, a redirect of the settings) reaches the post it redirects to.
    by_path |= {moved.source: by_path[moved.target.partition("#")[0]] for moved in site.redirects
                if moved.target.partition("#")[0] in by_path and moved.source not in by_path}
    return {source: linked_sources(body.links, by_path, cfg.url, cfg.base_path) - {source}
            for source, body in bodies.items()}


def post_links(site: Site, links: Mapping[str, set[str]]) -> tuple[PostLinks, ...]:
    """Every post's inbound links and, whether it has some or not, the posts that could link to it too."""
    linkers: dict[str, set[str]] = defaultdict(set)
    for source, targets in links.items():
        for target in targets:
            linkers[target].add(source)
    terms = {e.post.source: post_terms(e.post, _keyphrase(e.post)[0]) for e in site.posts}
    titles = {e.post.source: e.post.title for e in site.posts}
    suggestions = suggest_linkers(terms, titles, linkers)
    return tuple(PostLinks(_ref(e), tuple(sorted(linkers[e.post.source])), suggestions[e.post.source])
                 for e in sorted(site.posts, key=lambda e: e.post.source))


def _orphan_findings(links: Iterable[PostLinks], posts: Mapping[str, Post]) -> Iterable[Finding]:
    for item in links:
        if not item.linked_from:
            hint = (": link it from " + ", ".join(s.source for s in item.suggestions)) if item.suggestions else ""
            message = f"no other post, page or offer links here in its text{hint}"
            yield Finding("links.orphan", _at(posts[item.post.source], "title", message))


# --- Funnel -------------------------------------------------------------------------------------------------


def funnel_coverage(site: Site, cfg: SiteConfig, now: datetime) -> FunnelCoverage:
    """Posts per funnel stage, all of them and the recent ones (published on the first day of the window or
    later, in the site's zone), and the CTA each stage gets."""
    stages = cfg.funnel.stages
    since = now.astimezone(cfg.tz).date() - timedelta(days=RECENT_DAYS)
    every = Counter(entry.post.stage or stages[0] for entry in site.posts)
    recent = Counter(entry.post.stage or stages[0] for entry in site.posts
                     if since <= entry.post.published.astimezone(cfg.tz).date() and entry.post.published <= now)
    rows = []
    for stage in stages:
        cta = stage_cta(stage, site.ctas, cfg.funnel)
        rows.append(StageRow(stage, every[stage], recent[stage], cta.id if cta else "", cta.headline if cta else ""))
    unstaged = sum(1 for entry in site.posts if not entry.post.stage)
    return FunnelCoverage(tuple(rows), unstaged, since)


def _funnel_findings(funnel: FunnelCoverage) -> Iterable[Finding]:
    for row in funnel.stages:
        if not row.posts:
            message = f"no published post at the {row.stage} stage (write one, or leave the stage out)"
            yield Finding("funnel.empty-stage", Problem(CONFIG_NAME, None, "funnel.stages", message))
        if not row.cta:
            message = (f"the {row.stage} stage has no call to action: name one here, or give a CTA in "
                       f"content/ctas/ stage: {row.stage}")
            yield Finding("funnel.no-cta", Problem(CONFIG_NAME, None, f"funnel.ctas.{row.stage}", message))


# --- Clusters -----------------------------------------------------------------------------------------------

def cluster_links(site: Site, links: Mapping[str, set[str]]) -> tuple[ClusterLinks, ...]:
    """Each cluster's links in the bodies, both ways: members to their pillar and the pillar to its members."""
    found = []
    for _, cluster in sorted(site.clusters.items()):
        pillar = cluster.pillar.post.source
        members = tuple(MemberLinks(_ref(m), pillar in links[m.post.source], m.post.source in links[pillar])
                        for m in cluster.members)
        found.append(ClusterLinks(_ref(cluster.pillar), members))
    return tuple(found)


def _cluster_findings(clusters: Iterable[ClusterLinks], posts: Mapping[str, Post]) -> Iterable[Finding]:
    for cluster in clusters:
        pillar = cluster.pillar
        for member in cluster.members:
            if not member.links_pillar:
                message = f"never links its pillar {pillar.source} ({pillar.url}) in its text"
                yield Finding("cluster.member-no-pillar-link", _at(posts[member.post.source], "cluster", message))
            if not member.linked_from_pillar:
                message = f"does not link {member.post.source} ({member.post.url}) of its cluster in its text"
                yield Finding("cluster.pillar-no-member-link", _at(posts[pillar.source], "pillar", message))


# --- Keyphrases ---------------------------------------------------------------------------------------------


def keyphrase_checks(site: Site, bodies: Mapping[str, BodyText], *,
                     english: bool = False) -> tuple[KeyphraseCheck, ...]:
    """Each post's keyphrase, the places it is missing from, and the other posts that chose the same one
    (on an English site, a word's plural is the word: "content audits" has "content audit" in it)."""
    chosen = {entry.post.source: _keyphrase(entry.post) for entry in site.posts}
    sharing: dict[str, list[str]] = defaultdict(list)
    for source, (phrase, _) in sorted(chosen.items()):
        if phrase:
            sharing[_words(phrase, english)].append(source)
    checks = []
    for entry in sorted(site.posts, key=lambda e: e.post.source):
        source = entry.post.source
        phrase, field = chosen[source]
        missing = _missing_places(phrase, entry, bodies[source], english) if phrase else ()
        same = tuple(s for s in sharing[_words(phrase, english)] if s != source) if phrase else ()
        checks.append(KeyphraseCheck(_ref(entry), phrase, field, missing, same))
    return tuple(checks)


def _keyphrase(post: Post) -> tuple[str, str]:
    """The phrase a post is written for and the field it comes from: `keyphrase:`, else its first keyword."""
    if post.keyphrase:
        return post.keyphrase, "keyphrase"
    if post.keywords:
        return post.keywords[0], "keywords"
    return "", ""


def _missing_places(phrase: str, entry: Entry, body: BodyText, english: bool) -> tuple[str, ...]:
    """The PLACES a keyphrase does not appear in (its words in order; case, punctuation and, in English,
    plurals aside). A post with no subheading or no image has no such place to miss it from: it was told the
    keyphrase was missing from them all the same, as an editor could mend only by adding one."""
    alts = (entry.post.image_alt, *body.image_alts) if entry.post.image else body.image_alts
    texts = {
        "title": (entry.post.title,),
        "first paragraph": (body.first_paragraph,),
        "slug": (entry.post.slug,),
        "meta description": (meta_description(entry),),
        "subheading": body.subheadings,
        "image alt text": alts,
    }
    wanted = _words(phrase, english)
    return tuple(place for place in PLACES
                 if texts[place] and not any(wanted in _words(text, english) for text in texts[place]))


def _words(text: str, english: bool = False) -> str:
    """A text as its words (each character, in a script written without spaces: `text_units`), lower case,
    in English each in the singular, space-separated and space-padded, so `in` matches whole words only."""
    units = text_units(text.casefold())
    return " " + " ".join(map(singular, units) if english else units) + " "


def singular(word: str) -> str:
    """An English word without its plural ending, as near as the ending alone tells ("audits" "audit",
    "strategies" "strategy", "processes" "process"; "status" and "process" as they are). Applied to the
    keyphrase and the text alike, so an odd form ("series" "sery") still finds itself."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _keyphrase_findings(checks: Iterable[KeyphraseCheck], posts: Mapping[str, Post]) -> Iterable[Finding]:
    for check in checks:
        post = posts[check.post.source]
        if not check.keyphrase:
            message = "no keyphrase: set keyphrase: (or keywords:) to the search phrase this post is written for"
            yield Finding("keyphrase.missing", _at(post, "title", message))
            continue
        if check.missing:
            message = f"{check.keyphrase!r} is missing from: {', '.join(check.missing)}"
            yield Finding("keyphrase.placement", _at(post, check.field, message))
        if check.same_as:
            message = (f"{check.keyphrase!r} is also the keyphrase of {', '.join(check.same_as)}: they compete "
                       "for one search (merge them, or give each its own phrase)")
            yield Finding("keyphrase.duplicate", _at(post, check.field, message))


# --- Maintenance --------------------------------------------------------------------------------------------


def stale_posts(site: Site, cfg: SiteConfig, now: datetime) -> tuple[StalePost, ...]:
    """Posts last touched (`updated`, else `date`) `[audit] refresh_after` ago or longer, oldest first.

    Counted in days of the site's calendar, as the dates the finding shows: an audit made at any hour of a
    day says the same (a post dated at 14:30 was due at 15:00, not at 13:00, and its days ago changed then)."""
    today = now.astimezone(cfg.tz).date()
    due = cfg.audit.refresh_after.before(datetime.combine(today, time())).date()
    touched = {e.post.source: _last_touched(e.post).astimezone(cfg.tz).date() for e in site.posts}
    old = sorted((e for e in site.posts if touched[e.post.source] <= due),
                 key=lambda e: (_last_touched(e.post), e.post.source))
    return tuple(StalePost(_ref(e), "updated" if e.post.updated else "date", touched[e.post.source],
                           (today - touched[e.post.source]).days) for e in old)


def _last_touched(post: Post) -> datetime:
    return post.updated or post.published


def _stale_findings(stale: Iterable[StalePost], posts: Mapping[str, Post], refresh: str) -> Iterable[Finding]:
    for item in stale:
        message = (f"last touched {item.last_touched.isoformat()}, {counted(item.days, 'day')} ago (refresh after "
                   f"{refresh}): review it, then set updated:")
        yield Finding("maintenance.stale", _at(posts[item.post.source], item.field, message))


# --- Readability --------------------------------------------------------------------------------------------


def post_readability(site: Site, cfg: SiteConfig, bodies: Mapping[str, BodyText]) -> tuple[PostReadability, ...]:
    """Each post's reading ease and its long sentences and paragraphs (English sites only)."""
    syllables = Syllables()
    return tuple(PostReadability(_ref(e), readability(bodies[e.post.source].paragraphs, cfg.audit, syllables))
                 for e in sorted(site.posts, key=lambda e: e.post.source))


def _readability_findings(checks: Iterable[PostReadability], posts: Mapping[str, Post],
                          cfg: SiteConfig) -> Iterable[Finding]:
    limits = cfg.audit
    for check in checks:
        post, scores = posts[check.post.source], check.scores
        if scores.long_sentences:
            yield _long_finding("readability.long-sentence", post, scores.long_sentences,
                                ("sentence", limits.long_sentence))
        if scores.long_paragraphs:
            yield _long_finding("readability.long-paragraph", post, scores.long_paragraphs,
                                ("paragraph", limits.long_paragraph))
        if scores.reading_ease is not None and scores.reading_ease < limits.reading_ease:
            message = (f"reading ease {scores.reading_ease:.0f}, below {limits.reading_ease}: shorter sentences and "
                       "words read more easily")
            yield Finding("readability.reading-ease", Problem(post.source, post.body_line, "body", message))


def _long_finding(rule: str, post: Post, found: tuple[LongText, ...], over: tuple[str, int]) -> Finding:
    """How many sentences or paragraphs are long (`over`: what, and its limit in words), and the first one's
    opening, to find it by: "1 sentence over 25 words", not "1 sentence(s)"."""
    what, limit = over
    message = f"{counted(len(found), what)} over {limit} words; the first, {found[0].words} words: “{found[0].opening}”"
    return Finding(rule, Problem(post.source, post.body_line, "body", message))
