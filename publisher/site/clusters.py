"""How posts hang together: topic clusters around pillar posts, and related posts.

Pure functions over the published posts; no I/O.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from publisher.content.model import Entry, Post
from publisher.core.errors import Problem
from publisher.core.memo import KeptOnDisk, Memo, Same

RELATED_MIN, RELATED_MAX = 3, 5
NEIGHBOURS_PER_KEY = 12  # per shared tag/keyword, only the nearest posts by date are candidates
WEIGHTS = {"cluster": 4, "tag": 3, "keyword": 2}


@dataclass(frozen=True, slots=True)
class Cluster:
    """A pillar post and the posts of its topic cluster, in reading order."""

    pillar: Entry
    members: tuple[Entry, ...]


def check_clusters(posts: list[Post]) -> list[Problem]:
    """Every `cluster:` must name the slug of a post with `pillar: true`."""
    pillars = {p.slug for p in posts if p.kind == "post" and p.pillar}
    problems = []
    for post in posts:
        if post.cluster and post.cluster not in pillars:
            known = ", ".join(sorted(pillars)) or "none yet: mark one with pillar: true"
            problems.append(Problem(post.source, post.line_of("cluster"), "cluster",
                                    f"no pillar post with slug {post.cluster!r} (pillars: {known})"))
        if post.cluster and post.pillar:
            problems.append(Problem(post.source, post.line_of("cluster"), "cluster",
                                    "a pillar post cannot belong to another cluster (remove pillar: or cluster:)"))
    return problems


def build_clusters(posts: tuple[Entry, ...]) -> dict[str, Cluster]:
    """Clusters of the published posts, keyed by pillar slug; members oldest first (a reading path)."""
    pillars = {e.post.slug: e for e in posts if e.post.pillar}
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in posts:
        if entry.post.cluster in pillars:
            members[entry.post.cluster].append(entry)
    return {slug: Cluster(pillar, tuple(sorted(members[slug], key=lambda e: (e.post.date, e.post.source))))
            for slug, pillar in sorted(pillars.items())}


RelatedSources = dict[str, tuple[str, ...]]  # a post's source -> the sources of its related posts
RankedBy = tuple[tuple[datetime | None, str, frozenset[tuple[str, str]]], ...]  # (date, source, keys), oldest first
Ranking = tuple[RankedBy, RelatedSources]  # what the related posts were ranked by, and the ranking


def related_posts(posts: tuple[Entry, ...], memo: Memo[Ranking] | None = None, kept: KeptOnDisk | None = None
                  ) -> dict[str, tuple[Entry, ...]]:
    """3–5 related posts per post (by source), ranked by shared cluster, tags and keywords.

    Older (or same-day) posts come first so a post's "see also" section stays
    stable as newer posts are published; newer ones fill in when there are too
    few. Candidates are the nearest posts in date under each shared key, which
    keeps this linear in the number of posts.

    `memo`: the ranking of earlier builds, reused while the posts are the very same (a body edit), else while
    every post's date, source and keys are the same. `kept`: rankings kept on disk by the same (a new process).
    """
    memo = memo or Memo()
    last = memo.last("posts")
    same = Same(entry.post for entry in posts)
    if last is not None and last[0] == same:
        ranked_by, ranking = last[1]
    else:
        ranked_by = _ranked_by(posts)
        ranking = last[1][1] if last is not None and last[1][0] == ranked_by else _ranking(ranked_by, kept)
    memo.put("posts", same, (ranked_by, ranking))
    by_source = {e.post.source: e for e in posts}
    return {source: tuple(map(by_source.__getitem__, others)) for source, others in ranking.items()}


def _ranked_by(posts: tuple[Entry, ...]) -> RankedBy:
    """Each post's date, source and keys, oldest first."""
    oldest_first = sorted(posts, key=lambda e: (e.post.date, e.post.source))
    return tuple((e.post.date, e.post.source, frozenset(_keys(e.post))) for e in oldest_first)


def _ranking(ranked_by: RankedBy, kept: KeptOnDisk | None) -> RelatedSources:
    """`_related_sources`, as `kept` keeps it by every post's date, source and keys; a kept ranking that is not
    one of exactly these posts is ranked again."""
    if kept is None:
        return _related_sources(ranked_by)
    sources = {source for _, source, _ in ranked_by}

    def is_whole(made: Any) -> bool:
        return isinstance(made, dict) and made.keys() == sources and all(
            isinstance(others, (list, tuple)) and all(type(other) is str and other in sources for other in others)
            for others in made.values())

    key = repr([("related", date, source, sorted(keys)) for date, source, keys in ranked_by])
    made = kept(key, lambda: _related_sources(ranked_by), is_whole)
    return {source: tuple(others) for source, others in made.items()}


def _related_sources(ranked_by: RankedBy) -> RelatedSources:
    """`related_posts` by source, from each post's (date, source, keys), oldest first."""
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for me, (_, _, keys) in enumerate(ranked_by):
        for key in keys:
            index[key].append(me)

    related = {}
    for me, (_, source, keys) in enumerate(ranked_by):
        scores: dict[int, int] = defaultdict(int)
        for key in keys:
            members = index[key]
            at = bisect_right(members, me)
            for other in members[max(0, at - 1 - NEIGHBOURS_PER_KEY): at + NEIGHBOURS_PER_KEY]:
                if other != me:
                    scores[other] += WEIGHTS[key[0]]
        ranked = sorted(scores, key=lambda i: (-scores[i], abs(i - me), i))
        older = [i for i in ranked if i < me]
        chosen = older[:RELATED_MAX]
        if len(chosen) < RELATED_MIN:
            chosen += [i for i in ranked if i > me][: RELATED_MIN - len(chosen)]
        related[source] = tuple(ranked_by[i][1] for i in chosen)
    return related


def _keys(post: Post) -> set[tuple[str, str]]:
    keys = {("tag", t.casefold()) for t in post.tags} | {("keyword", k.casefold()) for k in post.keywords}
    cluster = post.slug if post.pillar else post.cluster
    if cluster:
        keys.add(("cluster", cluster))
    return keys
