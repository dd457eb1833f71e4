"""The funnel: which call to action each entry gets, and where an inline CTA goes in a post."""

from __future__ import annotations

import re

from publisher.config.model import SiteConfig
from publisher.content.ctas import Cta
from publisher.content.model import Post


def cta_for(post: Post, ctas: dict[str, Cta], cfg: SiteConfig) -> Cta | None:
    """The post's own `cta:`, else its stage's default CTA (posts without a stage are at the first stage).

    Standalone pages get a CTA only when they name one.
    """
    if post.cta:
        return ctas.get(post.cta)
    if post.kind != "post":
        return None
    stage = post.stage or cfg.funnel.stages[0]
    cta_id = cfg.funnel.ctas.get(stage)
    if cta_id:
        return ctas.get(cta_id)
    same_stage = sorted((c for c in ctas.values() if c.stage == stage), key=lambda c: c.id)
    return same_stage[0] if same_stage else None


_BLOCK = re.compile(r"<(/?)(blockquote|ul|ol|div|table|details|figure|aside|section|dl)\b[^>]*>|</p>", re.IGNORECASE)


def split_after_paragraph(html: str, count: int) -> tuple[str, str] | None:
    """Cut post HTML after its `count`-th top-level paragraph; None when it has fewer (or count is 0)."""
    if count <= 0:
        return None
    depth = seen = 0
    for match in _BLOCK.finditer(html):
        if match.group(0).lower() == "</p>":
            if depth == 0:
                seen += 1
                if seen == count:
                    return html[: match.end()], html[match.end():]
        else:
            depth += -1 if match.group(1) else 1
    return None
