"""How posts hang together: topic clusters around pillar posts, and related posts.

Pure functions over the published posts; no I/O.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from publisher.content.model import Entry, Post
from publisher.core.errors import Problem
from publisher.core.memo import Alike, KeptOnDisk, Memo
from publisher.core.records import record

RELATED_MIN, RELATED_MAX = 3, 5
NEIGHBOURS_PER_KEY = 12  # per shared tag/keyword, only the nearest posts by date are candidates
CLUSTER_LIST_MAX = 12  # a member's page lists its whole cluster up to this many members, else this many around it
WEIGHTS = {"cluster": 4, "tag": 3, "keyword": 2}

Made = TypeVar("Made")


@dataclass(frozen=True, slots=True)
class Cluster:
    """A pillar post and the posts of its topic cluster, in reading order."""

    pillar: Entry
    members: tuple[Entry, ...]


@record
class ClusterPlace:
    """A page's place in its topic cluster, as the page lists it: the pillar's page lists every member, and so
    does a member's page in a cluster of up to `CLUSTER_LIST_MAX`; in a larger one, a member's page lists that
    many members around its own post, so that each page stays the same size and an edit to one member's title
    re-renders the pages near it, not every page of a cluster of thousands (whose pages held every member's
    link: 603 MB of pages for a cluster of 2,000 posts, 182 MB without it)."""

    pillar: Entry
    shown: tuple[Entry, ...]  # in reading order
    first: int  # the place of `shown[0]` in the reading path, from 1
    count: int  # the members of the cluster

    @property
    def complete(self) -> bool:
        """Whether `shown` is the whole cluster."""
        return len(self.shown) == self.count


def place_in_cluster(cluster: Cluster, entry: Entry) -> ClusterPlace:
    """Where `entry` (the pillar or a member of `cluster`) stands in it, as its page lists it (`ClusterPlace`)."""
    members = cluster.members
    if entry is cluster.pillar or len(members) <= CLUSTER_LIST_MAX:
        return ClusterPlace(cluster.pillar, members, 1, len(members))
    at = bisect_left(members, _reading_order(entry), key=_reading_order)
    start = min(max(0, at - CLUSTER_LIST_MAX // 2), len(members) - CLUSTER_LIST_MAX)
    return ClusterPlace(cluster.pillar, members[start:start + CLUSTER_LIST_MAX], start + 1, len(members))


def _reading_order(entry: Entry) -> tuple[datetime | None, str]:
    return entry.post.date, entry.post.source


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


def cluster_check_reads(post: Post) -> tuple[object, ...]:
    """What `check_clusters` reads of a post."""
    return post.source, post.kind, post.slug, post.pillar, post.cluster, post.line_of("cluster")


def build_clusters(posts: tuple[Entry, ...]) -> dict[str, Cluster]:
    """Clusters of the published posts, keyed by pillar slug; members oldest first (a reading path)."""
    pillars = {e.post.slug: e for e in posts if e.post.pillar}
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in posts:
        if entry.post.cluster in pillars:
            members[entry.post.cluster].append(entry)
    return {slug: Cluster(pillar, tuple(sorted(members[slug], key=_reading_order)))
            for slug, pillar in sorted(pillars.items())}


RelatedSources = Mapping[str, tuple[str, ...]]  # a post's source -> the sources of its related posts
RankedBy = tuple[tuple[datetime | None, str, frozenset[tuple[str, str]]], ...]  # (date, source, keys), oldest first
Ranking = tuple[RankedBy, RelatedSources]  # what the related posts were ranked by, and the ranking


def related_posts(posts: tuple[Entry, ...], memo: Memo[Ranking] | None = None, kept: KeptOnDisk | None = None
                  ) -> Mapping[str, tuple[Entry, ...]]:
    """Up to 5 related posts per post (by source; 3 or more when that many share a key with it), ranked by shared
    cluster, tags and keywords.

    Older (or same-day) posts come first so a post's "see also" section stays
    stable as newer posts are published; newer ones fill in when there are too
    few. Candidates are the nearest posts in date under each shared key, which
    keeps this linear in the number of posts.

    `memo`: the ranking of earlier builds, reused while every post is the very same or ranks by the same date,
    source and keys (a body or title edit: one pass of identity checks), else while the posts, sorted again,
    do; when newer posts came after them (a new post published), for each post no newer one is a candidate of.
    `kept`: rankings kept on disk by the same (a new process); without it, each post's are ranked when first
    asked for (`_Ranking`).
    """
    memo = memo or Memo()
    last = memo.last("posts")
    alike = Alike((entry.post for entry in posts), _ranks_by)
    if last is not None and last[0] == alike:
        ranked_by, ranking = last[1]
    else:
        ranked_by = _ranked_by(posts)
        if last is not None and last[1][0] == ranked_by:
            ranking = last[1][1]
        else:
            ranking = _ranking(ranked_by, kept, last[1] if last is not None else None)
    memo.put("posts", alike, (ranked_by, ranking))
    return _Related(ranking, {e.post.source: e for e in posts})


def _ranks_by(post: Post) -> tuple[object, ...]:
    """What a post is ranked by (`_ranked_by`), its keys in order."""
    return post.date, post.source, sorted(_keys(post))


def _ranked_by(posts: tuple[Entry, ...]) -> RankedBy:
    """Each post's date, source and keys, oldest first."""
    oldest_first = sorted(posts, key=lambda e: (e.post.date, e.post.source))
    return tuple((e.post.date, e.post.source, frozenset(_keys(e.post))) for e in oldest_first)


def _ranking(ranked_by: RankedBy, kept: KeptOnDisk | None, earlier: Ranking | None = None) -> RelatedSources:
    """`_Ranking`, as `kept` keeps it by every post's date, source and keys (whole); a kept ranking that is not
    one of exactly these posts is ranked again. Without `kept`, each post's as `earlier` ranked it, when it
    ranked the same posts before newer ones came (`_Ranking.after`)."""
    if kept is None:
        return _Ranking.after(earlier, ranked_by) if earlier is not None else _Ranking(ranked_by)
    sources = {source for _, source, _ in ranked_by}

    def is_whole(made: Any) -> bool:
        return isinstance(made, dict) and made.keys() == sources and all(
            isinstance(others, (list, tuple)) and all(type(other) is str and other in sources for other in others)
            for others in made.values())

    key = repr([("related", date, source, sorted(keys)) for date, source, keys in ranked_by])
    made = kept(key, lambda: _related_sources(ranked_by), is_whole)
    return {source: tuple(others) for source, others in made.items()}


def _related_sources(ranked_by: RankedBy) -> dict[str, tuple[str, ...]]:
    """Every post's related posts (by source), ranked now."""
    return dict(_Ranking(ranked_by))


class _MadeWhenAsked(Mapping[str, Made]):
    """A mapping over the keys of `keys` whose value for a key is made (`_make`) when it is first asked for, then
    held."""

    __slots__ = ("_keys", "_made")

    def __init__(self, keys: Mapping[str, object]) -> None:
        self._keys = keys
        self._made: dict[str, Made] = {}

    def __getitem__(self, key: str) -> Made:
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._make(key)
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def _make(self, key: str) -> Made:
        raise NotImplementedError


class _Ranking(_MadeWhenAsked[tuple[str, ...]]):
    """The sources of each post's related posts, from every post's (date, source, keys), oldest first; each post's
    ranked when it is first asked for. `serve` shows a new post's page before the rest of the site, and that page
    needs the new post's related posts alone: ranking all 10,000 posts first took 0.4 s of it."""

    __slots__ = ("_at", "_index", "_ranked_by")

    def __init__(self, ranked_by: RankedBy) -> None:
        self._ranked_by = ranked_by
        self._at = {source: me for me, (_, source, _) in enumerate(ranked_by)}
        self._index: dict[tuple[str, str], list[int]] = defaultdict(list)  # key -> its posts' places, oldest first
        for me, (_, _, keys) in enumerate(ranked_by):
            for key in keys:
                self._index[key].append(me)
        super().__init__(self._at)

    @classmethod
    def after(cls, earlier: Ranking, ranked_by: RankedBy) -> _Ranking:
        """The ranking of `ranked_by`, taking from `earlier` what it had ranked of each post that newer posts leave
        as it was: when `earlier` ranked the oldest of these posts, ranked by the same (a new post published after
        them), a post under none of whose keys a newer one is among its `NEIGHBOURS_PER_KEY` next has the same
        candidates. (What `earlier` had ranked is copied, so no ranking holds on to the one before it.)"""
        ranking = cls(ranked_by)
        before, sources = earlier
        if len(before) < len(ranked_by) and ranked_by[:len(before)] == before:
            changed = {before[me][1] for members in ranking._index.values()
                       for newer in range(bisect_left(members, len(before)), len(members))
                       for me in members[max(0, newer - NEIGHBOURS_PER_KEY): newer] if me < len(before)}
            ranked = sources._made if isinstance(sources, _Ranking) else sources  # what it had ranked so far
            ranking._made = {source: others for source, others in ranked.items() if source not in changed}
        return ranking

    def _make(self, key: str) -> tuple[str, ...]:
        return self._ranked(self._at[key])

    def _ranked(self, me: int) -> tuple[str, ...]:
        """The related posts of the post at `me`: the highest scores first, the nearest in date among equals."""
        ranked_by = self._ranked_by
        scores: dict[int, int] = defaultdict(int)
        for key in ranked_by[me][2]:
            members = self._index[key]
            at = bisect_right(members, me)
            for other in members[max(0, at - 1 - NEIGHBOURS_PER_KEY): at + NEIGHBOURS_PER_KEY]:
                if other != me:
                    scores[other] += WEIGHTS[key[0]]
        ranked = sorted(scores, key=lambda i: (-scores[i], abs(i - me), i))
        chosen = [i for i in ranked if i < me][:RELATED_MAX]
        if len(chosen) < RELATED_MIN:
            chosen += [i for i in ranked if i > me][: RELATED_MIN - len(chosen)]
        return tuple(ranked_by[i][1] for i in chosen)


class _Related(_MadeWhenAsked[tuple[Entry, ...]]):
    """The related posts of each post (by source), from a ranking of their sources; each post's taken when first
    asked for."""

    __slots__ = ("_by_source", "_ranking")

    def __init__(self, ranking: RelatedSources, by_source: dict[str, Entry]) -> None:
        self._ranking, self._by_source = ranking, by_source
        super().__init__(ranking)

    def _make(self, key: str) -> tuple[Entry, ...]:
        return tuple(map(self._by_source.__getitem__, self._ranking[key]))


def _keys(post: Post) -> set[tuple[str, str]]:
    keys = {("tag", t.casefold()) for t in post.tags} | {("keyword", k.casefold()) for k in post.keywords}
    cluster = post.slug if post.pillar else post.cluster
    if cluster:
        keys.add(("cluster", cluster))
    return keys
