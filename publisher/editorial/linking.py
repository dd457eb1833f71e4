"""Internal links between bodies: which posts link which, and which posts could link a post that needs links.

Only links written in bodies count: the theme's lists (related posts, a
cluster's table of contents, the archive) reach every post anyway, but a
link in the text is what tells readers and search engines that two pieces
belong together.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from publisher.content.model import Post

SUGGESTIONS = 3
# A term found in more posts than this says little about any of them, and skipping it keeps the suggestions'
# cost linear in the number of posts: each post is compared only with the few that share a rare term.
MAX_TERM_POSTS = 50
_TERM = re.compile(r"\w{3,}")
# Words too common in English titles and summaries to say what a post is about.
_STOP_WORDS = frozenset("""
    about after all also and any are because been before but can could does each every first for from get had has
    have how into its just last like make more most new not now one only other our out over own same should some
    such than that the their them then there these they this those three through too two under use very was way
    what when where which while who why will with without would you your yours
""".split())
_WEIGHTS = {"text": 1.0, "keyword": 2.0, "tag": 2.0, "keyphrase": 3.0}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A post that could link to another, and the terms they share that make it a fit."""

    source: str
    title: str
    shared: tuple[str, ...]  # the shared terms that weigh most, most first ("#tag" for a tag)
    score: float


def site_path(href: str, site_url: str, base_path: str) -> str | None:
    """The site-relative path an href in a body points to (`/slug/`), or None when it leaves the site.

    Bodies' links are already rewritten to start with the site's base path; a link may also spell out the
    site's own absolute URL."""
    if href.startswith(site_url):
        rest = href[len(site_url):]
    elif href.startswith(base_path) and not href.startswith("//"):
        rest = href[len(base_path):]
    else:
        return None
    return "/" + unquote(urlsplit(rest).path)


def linked_sources(links: Iterable[str], by_path: Mapping[str, str], site_url: str, base_path: str) -> set[str]:
    """The sources (of `by_path`: site path -> source) that a body's links reach."""
    found = set()
    for href in links:
        path = site_path(href, site_url, base_path)
        if path is None:
            continue
        source = by_path.get(path) or by_path.get(path.removesuffix("index.html")) or by_path.get(path + "/")
        if source is not None:
            found.add(source)
    return found


def post_terms(post: Post, keyphrase: str) -> dict[str, float]:
    """What a post is about, as weighted terms: words of its title and summary, its keywords and keyphrase
    (weighing more), and its tags (as `#tag`)."""
    terms: dict[str, float] = {}
    parts = [("text", post.title), ("text", post.summary), *(("keyword", k) for k in post.keywords),
             ("keyphrase", keyphrase)]
    for kind, text in parts:
        for word in _TERM.findall(text.casefold()):
            if word not in _STOP_WORDS:
                terms[word] = max(terms.get(word, 0.0), _WEIGHTS[kind])
    for tag in post.tags:
        terms["#" + tag.casefold()] = _WEIGHTS["tag"]
    return terms


def suggest_linkers(terms: Mapping[str, Mapping[str, float]], titles: Mapping[str, str],
                    linkers: Mapping[str, set[str]]) -> dict[str, tuple[Suggestion, ...]]:
    """For each post (by source), up to three other posts that could link to it and do not yet.

    A candidate scores, for each term the two share, the term's weight in the post times its rarity across
    the site (log of posts over posts with the term); ties go to the source that sorts first.
    """
    index = _TermIndex.of(terms)
    suggestions = {}
    for target in sorted(terms):
        shared = index.shared(target, terms[target], linkers.get(target, set()))
        ranked = sorted(shared, key=lambda s: (-sum(shared[s].values()), s))[:SUGGESTIONS]
        suggestions[target] = tuple(Suggestion(s, titles[s], _strongest(shared[s]), round(sum(shared[s].values()), 2))
                                    for s in ranked)
    return suggestions


@dataclass(frozen=True, slots=True)
class _TermIndex:
    """Which posts have each term, and how rare each term that can tell posts apart is."""

    postings: dict[str, list[str]]  # term -> sources, sorted
    rarity: dict[str, float]  # only terms in at least two posts and at most `MAX_TERM_POSTS` (or half the posts)

    @classmethod
    def of(cls, terms: Mapping[str, Mapping[str, float]]) -> _TermIndex:
        postings: dict[str, list[str]] = defaultdict(list)
        for source in sorted(terms):
            for term in terms[source]:
                postings[term].append(source)
        total = len(terms)
        limit = max(2, min(total // 2, MAX_TERM_POSTS))
        rarity = {term: math.log(total / len(sources)) for term, sources in postings.items()
                  if 2 <= len(sources) <= limit}
        return cls(dict(postings), rarity)

    def shared(self, target: str, wanted: Mapping[str, float], already: set[str]) -> dict[str, dict[str, float]]:
        """Each other post that shares a telling term with `target` (and does not link it yet): term -> weight."""
        found: dict[str, dict[str, float]] = defaultdict(dict)
        for term, weight in wanted.items():
            if term in self.rarity:
                for source in self.postings[term]:
                    if source != target and source not in already:
                        found[source][term] = weight * self.rarity[term]
        return found


def _strongest(shared: Mapping[str, float]) -> tuple[str, ...]:
    return tuple(sorted(shared, key=lambda term: (-shared[term], term))[:3])
