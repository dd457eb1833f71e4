"""Placements: every decision about an entry's page, made once, before rendering.

Which call to action an entry gets (the funnel), where a post's inline CTA
goes, its breadcrumb trail, its topic cluster and its neighbours by date.
Rendering and the share plan read these; neither decides again.
"""

from __future__ import annotations

from publisher.config.model import FunnelConfig
from publisher.content.ctas import Cta
from publisher.content.model import Entry, Post
from publisher.content.urls import HOME, thanks_url
from publisher.core.memo import Memo
from publisher.site.clusters import Cluster, place_in_cluster
from publisher.site.model import Crumb, Placement

HOME_CRUMB = Crumb("Home", HOME, word="home")


def cta_for(post: Post, ctas: dict[str, Cta], funnel: FunnelConfig,
            by_stage: dict[str, Cta | None] | None = None) -> Cta | None:
    """The post's own `cta:`, else its stage's default CTA (posts without a stage are at the first stage).

    Standalone pages get a CTA only when they name one. `by_stage`: each stage's CTA found so far, for a
    caller that asks for many posts'.
    """
    if post.cta:
        return ctas.get(post.cta)
    if post.body_ctas:  # the body's `cta(id)` of a form points to the form at the end: that CTA's form
        body_forms = [ctas[cta_id] for cta_id in post.body_ctas if cta_id in ctas and ctas[cta_id].form is not None]
        if body_forms:
            return body_forms[0]
    if post.kind != "post":
        return None
    stage = post.stage or funnel.stages[0]
    if by_stage is None:
        return stage_cta(stage, ctas, funnel)
    if stage not in by_stage:
        by_stage[stage] = stage_cta(stage, ctas, funnel)
    return by_stage[stage]


def stage_cta(stage: str, ctas: dict[str, Cta], funnel: FunnelConfig) -> Cta | None:
    """The CTA a post at `stage` gets when it names none: `[funnel.ctas]`'s, else the first CTA of that stage by id."""
    cta_id = funnel.ctas.get(stage)
    if cta_id:
        return ctas.get(cta_id)
    same_stage = sorted((c for c in ctas.values() if c.stage == stage), key=lambda c: c.id)
    return same_stage[0] if same_stage else None


def place_entries(posts: tuple[Entry, ...], others: tuple[Entry, ...], clusters: dict[str, Cluster],
                  ctas: dict[str, Cta], funnel: FunnelConfig, kept: Memo[Placement] | None = None
                  ) -> dict[str, Placement]:
    """The placement of every published post (newest first), page and offer, by source. `kept`: the posts'
    placements as earlier builds made them (`serve`), by all each is made from; a placement kept is the same
    object, so the pages that hold it compare at once."""
    memo = kept or Memo()
    placed = {}
    by_stage: dict[str, Cta | None] = {}
    newer, last = None, len(posts) - 1
    for index, entry in enumerate(posts):  # a pass over thousands of posts on each save in `serve`: kept lean
        post = entry.post
        made_from = (entry, clusters.get(post.slug if post.pillar else post.cluster) if clusters else None,
                     cta_for(post, ctas, funnel, by_stage), newer, posts[index + 1] if index < last else None)
        found = memo.find(post.source, made_from)
        placed[post.source] = placement = found[0] if found is not None else _place_post(*made_from)
        memo.put(post.source, made_from, placement)
        newer = entry
    for entry in others:
        placed[entry.post.source] = _place_other(entry, ctas, funnel)
    return placed


def _place_post(entry: Entry, cluster: Cluster | None, cta: Cta | None, newer: Entry | None,
                older: Entry | None) -> Placement:
    post = entry.post
    trail = [HOME_CRUMB]
    if cluster is not None and cluster.pillar is not entry:
        trail.append(Crumb(cluster.pillar.post.title, cluster.pillar.url))
    return Placement(
        breadcrumbs=(*trail, Crumb(post.title, entry.url)),
        cta=cta,
        thanks_url=cta.thanks if cta else "",
        inline_cta_at=entry.inline_cta_at if cta is not None and post.inline_cta and not post.body_ctas else None,
        cluster=None if cluster is None else place_in_cluster(cluster, entry),
        newer=newer,
        older=older,
    )


def _place_other(entry: Entry, ctas: dict[str, Cta], funnel: FunnelConfig) -> Placement:
    """A page, or an offer: its form leads to the offer's thank-you page, which delivers the asset."""
    trail = (HOME_CRUMB, Crumb(entry.post.title, entry.url))
    cta = cta_for(entry.post, ctas, funnel)
    if entry.post.kind != "offer":
        return Placement(breadcrumbs=trail, cta=cta, thanks_url=cta.thanks if cta else "")
    thanks = thanks_url(entry.url)
    return Placement(breadcrumbs=trail, cta=cta, thanks_url=thanks,
                     thanks_breadcrumbs=(*trail, Crumb("Thank you", thanks, word="thanks")))
