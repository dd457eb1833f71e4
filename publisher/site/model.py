"""The site as a whole: which entries are published, in what order, and how
they are grouped (tags, authors, years). Pure functions, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from publisher.content.ctas import Cta
from publisher.content.model import Author, Entry
from publisher.site.clusters import Cluster


@dataclass(frozen=True, slots=True)
class Group:
    """Posts under one tag, author or year; `url` is the group's first page."""

    key: str
    name: str
    url: str
    posts: tuple[Entry, ...]
    author: Author | None = None


@dataclass(frozen=True, slots=True)
class Site:
    posts: tuple[Entry, ...]  # published, newest first
    pages: tuple[Entry, ...]
    offers: tuple[Entry, ...]
    tags: tuple[Group, ...]  # by name
    authors: tuple[Group, ...]  # by name
    years: tuple[Group, ...]  # newest first
    next_scheduled: Entry | None  # the earliest post left out for being in the future
    hidden_drafts: int
    hidden_future: int
    clusters: dict[str, Cluster] = field(default_factory=dict)  # by pillar slug
    related: dict[str, tuple[Entry, ...]] = field(default_factory=dict)  # source -> related posts
    ctas: dict[str, Cta] = field(default_factory=dict)  # by id


@dataclass(frozen=True, slots=True)
class Selection:
    """Which posts a build publishes."""

    now: datetime
    drafts: bool = False
    future: bool = False


