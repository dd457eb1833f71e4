"""What a source site reader hands the import: its settings and every post and page with its old URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from publisher.core.text import opening_words
from publisher.importing.bodies import Place


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A post or page of the source site and the URL its generator publishes it at."""

    path: str  # relative to the source site
    kind: Literal["post", "page"]
    metadata: dict[str, Any]  # its front matter, decoded
    front_matter: str  # the front matter as written (YAML), "" when it must be written afresh
    body: str
    body_line: int
    url: str  # the old URL, root-relative
    slug: str = ""  # what the source put for its title/slug placeholder, to try as publisher's slug
    draft: bool = False
    liquid: bool = True  # False: the source showed this body's template code as text
    name: str = ""  # the file name to write (a Hugo bundle's folder name)
    feed_id: str = ""  # the id its entry had in the source's feed, when that was not its URL
    title: str = ""  # the title the source gave it when its front matter has none
    split: dict[str, list[str]] = field(default_factory=dict)  # front-matter lists the source read from one string
    inherited: dict[str, Any] = field(default_factory=dict)  # front matter its source's defaults gave it (Jekyll's)


@dataclass(frozen=True, slots=True)
class Listing:
    """A template that lists posts, writes a feed or the 404 page: publisher makes its own. Its plain URL,
    if it has one, redirects to the home page."""

    url: str | None
    text: str = ""  # the words the source's home page showed besides any list (its root `index.md`'s prose)


HOME_URLS = ("/", "/index.html")  # the source's home page, where publisher writes its own


@dataclass(slots=True)
class SourceSite:
    """A site read by one of the readers (jekyll, hugo, eleventy, wordpress, ghost)."""

    generator: str
    title: str
    url: str
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    permalink: str = "/{slug}/"  # the source's pattern in publisher's placeholders, as near as they go
    feed: str = "/feed.xml"  # where the source published its main feed
    entries: list[SourceEntry] = field(default_factory=list)
    authors: dict[str, dict[str, str]] = field(default_factory=dict)
    static: list[tuple[Path, str]] = field(default_factory=list)  # (file, path under static/)
    static_made: dict[str, bytes] = field(default_factory=dict)  # path under static/ -> what the source published
    listings: list[str] = field(default_factory=list)  # URLs of the source's post lists: they redirect home
    redirects: dict[str, str] = field(default_factory=dict)  # the source's other list pages -> publisher's own
    nav: list[tuple[str, str]] = field(default_factory=list)  # the source's main navigation: (title, path)
    posts_per_page: int | None = None  # the source's home page's, when it paginated (None: publisher's default)
    rewrite: Callable[[str, Place], str] = lambda body, place: body
    shortcodes: Callable[[], dict[str, str]] = dict  # name -> template, known once bodies are rewritten

    def add(self, found: SourceEntry | Listing | None, path: str, notes: list[str]) -> None:
        """Keep what a reader found in `path` (None: it could not be read, and was reported)."""
        if isinstance(found, Listing):
            self.listings += [found.url] if found.url else []
            notes.append(home_text_note(path, found.text) if found.text else
                         f"{path}: a listing, feed or 404 template; publisher makes its own")
        elif found is not None and found.url in HOME_URLS:
            # publisher's home page is its list of posts, its URL no page's: imported, an Eleventy site's
            # `index.md` failed the first build ("URL / is reserved for the home page") after "Everything was mapped"
            notes.append(home_text_note(path, found.body))
        elif found is not None:
            self.entries.append(found)


def home_text_note(path: str, body: str) -> str:
    """The report's note on a home page's own words, which publisher's home page (its list of posts) does not
    show: the file and the words it begins with, so the user knows what to move, and that it was not imported."""
    words = opening_words(body)
    begins = f' (it begins "{words}")' if words else ""
    return (f"{path}: the home page's text, which publisher's home page (its list of posts) does not show: move it "
            f"into a page, or into the theme's index template{begins}")
