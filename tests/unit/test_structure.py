from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.config.model import MarkdownConfig
from publisher.content.model import Entry, Post
from publisher.core.memo import Memo
from publisher.markdown.python_markdown import PythonMarkdownConverter
from publisher.site.clusters import CLUSTER_LIST_MAX, build_clusters, check_clusters, place_in_cluster, related_posts

BODY = PythonMarkdownConverter(MarkdownConfig()).convert("Text.")


def post(slug: str, day: int, *, tags=(), keywords=(), pillar=False, cluster="") -> Entry:
    return Entry(Post(source=f"content/posts/{slug}.md", kind="post", title=slug, slug=slug, url=f"/{slug}/", body="",
                      date=datetime(2026, 1, day, tzinfo=UTC), tags=tuple(tags), keywords=tuple(keywords),
                      pillar=pillar, cluster=cluster, field_lines={"cluster": 4}), BODY)


def test_unknown_pillar_is_an_error_naming_the_post() -> None:
    posts = [post("guide", 1, pillar=True).post, post("part", 2, cluster="gide").post]
    assert [str(p) for p in check_clusters(posts)] == [
        "content/posts/part.md:4: cluster: no pillar post with slug 'gide' (pillars: guide)"]


def test_a_pillar_cannot_join_another_cluster() -> None:
    posts = [post("guide", 1, pillar=True).post, post("other", 2, pillar=True, cluster="guide").post]
    assert "a pillar post cannot belong to another cluster" in str(check_clusters(posts)[0])


def test_cluster_members_in_reading_order() -> None:
    posts = (post("c", 9, cluster="guide"), post("guide", 1, pillar=True), post("a", 3, cluster="guide"),
             post("b", 5, cluster="guide"), post("lonely", 4))
    clusters = build_clusters(posts)
    assert list(clusters) == ["guide"]
    assert [e.post.slug for e in clusters["guide"].members] == ["a", "b", "c"]



@pytest.mark.parametrize("size", [CLUSTER_LIST_MAX, CLUSTER_LIST_MAX + 1, 28])
def test_a_member_page_lists_at_most_the_stretch_of_its_cluster_around_it(size: int) -> None:
    pillar = post("guide", 1, pillar=True)
    members = (post(f"p{day:02d}", day, cluster="guide") for day in range(2, size + 2))
    cluster = build_clusters((pillar, *members))["guide"]
    assert place_in_cluster(cluster, pillar).shown == cluster.members  # the pillar's page lists them all
    for at, member in enumerate(cluster.members):
        place = place_in_cluster(cluster, member)
        shown = place.shown
        assert len(shown) == min(size, CLUSTER_LIST_MAX) and member in shown and place.count == size
        assert shown == cluster.members[place.first - 1: place.first - 1 + len(shown)]  # a stretch, in order
        before = shown.index(member)
        assert min(before, len(shown) - 1 - before) >= min(at, size - 1 - at, CLUSTER_LIST_MAX // 2 - 1)
        assert place.complete == (size <= CLUSTER_LIST_MAX)


def test_related_prefers_shared_cluster_then_tags_and_older_posts() -> None:
    posts = (
        post("pillar", 1, pillar=True, tags=["seo"]),
        post("same-cluster", 2, cluster="pillar"),
        post("two-tags", 3, tags=["seo", "b2b"]),
        post("one-tag", 4, tags=["b2b"]),
        post("keyword", 5, keywords=["funnel"]),
        post("unrelated", 6, tags=["cooking"]),
        post("me", 10, cluster="pillar", tags=["seo", "b2b"], keywords=["funnel"]),
        post("newer", 20, tags=["seo", "b2b"], cluster="pillar"),
    )
    related = related_posts(posts)
    assert [e.post.slug for e in related["content/posts/me.md"]] == [
        "pillar", "two-tags", "same-cluster", "one-tag", "keyword"]


def test_related_falls_back_to_newer_posts_when_too_few_older() -> None:
    posts = (post("first", 1, tags=["x"]), post("second", 2, tags=["x"]), post("third", 3, tags=["x"]),
             post("fourth", 4, tags=["x"]))
    related = related_posts(posts)
    assert [e.post.slug for e in related["content/posts/first.md"]] == ["second", "third", "fourth"]
    assert [e.post.slug for e in related["content/posts/fourth.md"]] == ["third", "second", "first"]
    assert related == related_posts(tuple(reversed(posts)))  # order of input does not matter


def _dated(number: int, tags: list[str]) -> Entry:
    entry = post(f"p{number:03d}", 1, tags=tags)
    return replace(entry, post=replace(entry.post, date=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=number)))


def _sources(related: Mapping[str, tuple[Entry, ...]]) -> dict[str, list[str]]:
    return {source: [entry.post.source for entry in entries] for source, entries in related.items()}


@settings(max_examples=80, deadline=None)
@given(tags=st.lists(st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=3), min_size=1, max_size=60),
       older=st.integers(0, 60), left_out=st.sets(st.integers(0, 59), max_size=3), asked=st.integers(0, 60))
def test_posts_published_after_the_others_rank_as_a_ranking_made_anew(tags: list[list[str]], older: int,
                                                                       left_out: set[int], asked: int) -> None:
    """`serve` keeps the ranking of the posts there were: after newer posts are published it takes each post's
    related posts from it, unless a newer post became one of its candidates; the result is the ranking made
    anew, whether the earlier ranking had ranked every post or some (`asked`: it ranks a post when asked), and
    whether or not the earlier posts are all there still (`left_out`: posts the earlier ranking did not have)."""
    entries = tuple(_dated(number, chosen) for number, chosen in enumerate(tags))
    memo: Memo[Any] = Memo()
    earlier = related_posts(tuple(entry for number, entry in enumerate(entries[:older]) if number not in left_out),
                            memo)
    for source in list(earlier)[:asked]:
        earlier[source]
    assert _sources(related_posts(entries, memo)) == _sources(related_posts(entries))


def test_a_new_post_ranks_again_only_the_posts_it_is_a_candidate_of(monkeypatch: pytest.MonkeyPatch) -> None:
    """Of 40 posts, 20 tagged "a" and 20 "b", a new one tagged "a" is a candidate of the last 12 posts tagged "a"
    alone: the others' related posts are those the earlier ranking found."""
    import publisher.site.clusters as clusters

    entries = (*(_dated(number, ["a" if number % 2 else "b"]) for number in range(40)), _dated(40, ["a"]))
    memo: Memo[Any] = Memo()
    dict(related_posts(entries[:40], memo))  # every post ranked, as a whole build of serve asks
    ranked: list[str] = []
    real = clusters._Ranking._ranked
    monkeypatch.setattr(clusters._Ranking, "_ranked",
                        lambda self, me: ranked.append(self._ranked_by[me][1]) or real(self, me))
    after = _sources(related_posts(entries, memo))
    assert sorted(ranked) == sorted(entry.post.source for entry in (*entries[17:40:2], entries[40]))
    ranked.clear()
    assert after == _sources(related_posts(entries))
