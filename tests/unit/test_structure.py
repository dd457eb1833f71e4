from datetime import UTC, datetime

from publisher.config.model import MarkdownConfig
from publisher.content.model import Entry, Post
from publisher.markdown.python_markdown import PythonMarkdownConverter
from publisher.site.clusters import build_clusters, check_clusters, related_posts

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
