"""The read-and-parse stage: every source file parsed and every check on the parsed input.

Everything found here goes to the build's one `Problems` collector, so the
config's problems, every bad field of every file, CTAs, clusters, tags, URLs
and share settings are reported together, before any Markdown is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from publisher.config.model import SiteConfig
from publisher.content.ctas import Cta, check_cta_references, parse_cta
from publisher.content.discovery import discover
from publisher.content.model import Kind, Post, SourceFile
from publisher.content.parse import parse_source
from publisher.core.errors import BuildFailed, Problem, Problems
from publisher.share.settings import check_share_settings
from publisher.site.clusters import check_clusters
from publisher.site.redirects import check_redirects
from publisher.site.selection import check_tags, check_urls

Parsed = TypeVar("Parsed")
CTA_KINDS: tuple[Kind, ...] = ("cta",)
ENTRY_KINDS: tuple[Kind, ...] = ("post", "page", "offer")


def read_input(cfg: SiteConfig, problems: Problems) -> tuple[list[Post], dict[str, Cta]]:
    """Every post, page, offer and CTA under `content/`, read one file at a time, and checked as a whole."""
    ctas = read_ctas(discover(cfg, CTA_KINDS), cfg, problems)
    posts = read_posts(discover(cfg, ENTRY_KINDS), cfg, problems)
    problems.errors += [*check_urls(posts), *check_tags(posts), *check_clusters(posts),
                        *check_cta_references(posts, ctas, cfg), *check_share_settings(posts, cfg),
                        *check_redirects(posts, cfg)]
    return posts, ctas


def read_posts(sources: Iterable[SourceFile], cfg: SiteConfig, problems: Problems) -> list[Post]:
    """Parse every source, collecting every problem rather than stopping at the first."""
    return [post for _, post in _parsed(sources, parse_source, cfg, problems)]


def read_ctas(sources: Iterable[SourceFile], cfg: SiteConfig, problems: Problems) -> dict[str, Cta]:
    """The site's calls to action by id; two files with one id is an error."""
    ctas: dict[str, Cta] = {}
    for source, cta in _parsed(sources, parse_cta, cfg, problems):
        if cta.id in ctas:
            problems.error(source.path, 1, "id", f"{cta.id!r} is already the id of {ctas[cta.id].source}")
        else:
            ctas[cta.id] = cta
    return ctas


def _parsed(sources: Iterable[SourceFile], parse: Callable[[SourceFile, SiteConfig], tuple[Parsed, list[Problem]]],
            cfg: SiteConfig, problems: Problems) -> Iterator[tuple[SourceFile, Parsed]]:
    """Each source that parses, with what it parsed to; every problem and warning goes to `problems`."""
    for source in sources:
        try:
            parsed, warnings = parse(source, cfg)
        except BuildFailed as failed:
            problems.errors += failed.problems
            continue
        problems.warnings += warnings
        yield source, parsed
