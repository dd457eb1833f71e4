"""The read-and-parse stage: every source file parsed and every check on the parsed input.

Everything found here goes to the build's one `Problems` collector, so the
config's problems, every bad field of every file, CTAs, clusters, tags, URLs
and share settings are reported together, before any Markdown is rendered.
"""

from __future__ import annotations

from collections.abc import Iterable

from publisher.config.model import SiteConfig
from publisher.content.ctas import Cta, check_cta_references, parse_cta
from publisher.content.discovery import discover
from publisher.content.model import Kind, Post, SourceFile
from publisher.content.parse import parse_source
from publisher.core.errors import BuildFailed, Problems
from publisher.share.settings import check_share_settings
from publisher.site.clusters import check_clusters
from publisher.site.selection import check_tags, check_urls

CTA_KINDS: tuple[Kind, ...] = ("cta",)
ENTRY_KINDS: tuple[Kind, ...] = ("post", "page", "offer")


def read_input(cfg: SiteConfig, problems: Problems) -> tuple[list[Post], dict[str, Cta]]:
    """Every post, page, offer and CTA under `content/`, read one file at a time, and checked as a whole."""
    ctas = read_ctas(discover(cfg, CTA_KINDS), cfg, problems)
    posts = read_posts(discover(cfg, ENTRY_KINDS), cfg, problems)
    problems.errors += [*check_urls(posts), *check_tags(posts), *check_clusters(posts),
                        *check_cta_references(posts, ctas, cfg), *check_share_settings(posts, cfg)]
    return posts, ctas


def read_posts(sources: Iterable[SourceFile], cfg: SiteConfig, problems: Problems) -> list[Post]:
    """Parse every source, collecting every problem rather than stopping at the first."""
    posts = []
    for source in sources:
        try:
            post, warnings = parse_source(source, cfg)
        except BuildFailed as failed:
            problems.errors += failed.problems
            continue
        posts.append(post)
        problems.warnings += warnings
    return posts


def read_ctas(sources: Iterable[SourceFile], cfg: SiteConfig, problems: Problems) -> dict[str, Cta]:
    """The site's calls to action by id; two files with one id is an error."""
    ctas: dict[str, Cta] = {}
    for source in sources:
        try:
            cta, warnings = parse_cta(source, cfg)
        except BuildFailed as failed:
            problems.errors += failed.problems
            continue
        if cta.id in ctas:
            problems.error(source.path, 1, "id", f"{cta.id!r} is already the id of {ctas[cta.id].source}")
            continue
        ctas[cta.id] = cta
        problems.warnings += warnings
    return ctas
