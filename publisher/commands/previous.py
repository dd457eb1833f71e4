"""The URLs a site published before, for `publisher check --previous FILE|URL`.

`--previous` names a list of URLs, a sitemap, or a sitemap index (WordPress's
/wp-sitemap.xml, Yoast's /sitemap_index.xml, publisher's own /sitemap.xml
past 50,000 URLs), a file or an http(s) URL. An index's sitemaps are read too:

- for an index fetched from a URL, each `<loc>` is fetched;
- for an index in a file, each sitemap is looked for next to the file by the
  last part of its `<loc>` (`https://old.example/wp-sitemap-posts-post-1.xml`
  -> `wp-sitemap-posts-post-1.xml`): a blog moving in keeps its old sitemaps
  in one folder before its domain points at the new site, when the old URLs
  answer no more; one not there is fetched, while the old site still answers.

Sitemaps may be gzipped (`.xml.gz`). An index inside an index is followed
(the protocol allows none, but some generators nest one), `MOST_DEPTH` deep;
`MOST_SITEMAPS` are read at most. Every failure is one line naming the
sitemap and the index that lists it (PublisherError).
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

from publisher.build.published import listed_sitemaps, read_previous
from publisher.config.model import SiteConfig
from publisher.core.errors import PublisherError
from publisher.editorial.sending import LARGEST, fetch

MOST_SITEMAPS = 1_000  # sitemaps an index (or its indexes) may make `check` read: each may take 30 s to fetch
MOST_DEPTH = 2  # an index of indexes of sitemaps at most

Read = TypeVar("Read")


@dataclass(frozen=True, slots=True)
class PreviousUrl:
    """A URL published before: its site-relative path, and the file or URL that lists it (and at which line)."""

    listed_in: str
    line: int | None
    path: str


def previous_urls(previous: str, cfg: SiteConfig) -> list[PreviousUrl]:
    """The site's paths that `previous` (a file or an http(s) URL) lists, each once, at the first place that
    lists it; other sites' left out. See the module for how a sitemap index is followed."""
    found = _Reading(previous, cfg).urls(previous, None, depth=0)
    first: dict[str, PreviousUrl] = {}
    for url in found:
        first.setdefault(url.path, url)
    return list(first.values())


@dataclass(frozen=True, slots=True)
class _Reading:
    """One `--previous` being read: what it named, the site, and each sitemap met so far (an index that lists
    itself, or a sitemap twice, is read once)."""

    previous: str
    cfg: SiteConfig
    met: set[str] = field(default_factory=set)

    def urls(self, where: str, index: str | None, depth: int) -> list[PreviousUrl]:
        """What the file or URL `where` lists (`index`: the index that listed it); an index's sitemaps followed."""
        text = self._text(where, index)
        sitemaps = self._parsed(where, lambda: listed_sitemaps(text))
        if sitemaps is None:
            listed = self._parsed(where, lambda: read_previous(text, self.cfg))
            return [PreviousUrl(where, line, path) for line, path in listed]
        if depth == MOST_DEPTH:
            raise self._failed(where, f"a sitemap index inside sitemap indexes {MOST_DEPTH} deep (an index lists "
                                      f"sitemaps; publisher follows indexes {MOST_DEPTH} deep at most)")
        new = [place for place in dict.fromkeys(self._place(where, loc) for loc in sitemaps) if place not in self.met]
        if len(self.met) + len(new) > MOST_SITEMAPS:
            raise self._failed(where, f"lists {len(sitemaps):,} sitemaps, more than the {MOST_SITEMAPS:,} publisher "
                                      "reads from one --previous")
        self.met.update(new)
        return [url for place in new for url in self.urls(place, where, depth + 1)]

    def _place(self, index: str, loc: str) -> str:
        """Where to read a sitemap an index lists: next to an index file, by the loc's name, when there; else
        the loc as a URL (relative to an index's URL)."""
        if not _is_web(index):
            name = PurePosixPath(unquote(urlsplit(loc).path)).name
            beside = Path(index).parent / name
            if name not in ("", ".", "..") and beside.is_file():
                return str(beside)
        url = urljoin(index, loc) if _is_web(index) else loc
        if not _is_web(url):
            raise self._failed(index, f"lists {loc}, which is neither next to it by name nor an http(s) URL")
        return url

    def _text(self, where: str, index: str | None) -> str:
        """The text at a file or URL, gunzipped: fetched as `ping` fetches a manifest (in 30 s in all, 64 MB at
        most, any failure one line)."""
        if _is_web(where):
            data = fetch(where, "the previous sitemap" if index is None else f"a sitemap {index} lists")
            if data is None:
                listed = "" if index is None else f"listed in {index}, "
                raise self._failed(where, f"{listed}not found (HTTP 404 or 410)")
            text = self._gunzipped(where, data).decode("utf-8", "replace")
        else:
            try:
                text = self._gunzipped(where, Path(where).read_bytes()).decode("utf-8")
            except UnicodeDecodeError:
                raise self._failed(where, "not UTF-8 text (a sitemap or a list of URLs)") from None
        return text

    def _gunzipped(self, where: str, data: bytes) -> bytes:
        """`data`, uncompressed when gzipped (`sitemap.xml.gz`), to 64 MB at most as a fetch is."""
        if not data.startswith(b"\x1f\x8b"):
            return data
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as file:
                whole = file.read(LARGEST + 1)
        except (OSError, EOFError, zlib.error) as error:
            raise self._failed(where, f"not a gzip file that can be read ({error})") from None
        if len(whole) > LARGEST:
            raise self._failed(where, f"larger than {LARGEST >> 20} MB uncompressed")
        return whole

    def _parsed(self, where: str, read: Callable[[], Read]) -> Read:
        """What `read` makes of the text at `where`; a sitemap that cannot be parsed is one line."""
        try:
            return read()
        except ElementTree.ParseError as error:  # a sitemap cut short, or entities past expat's limit
            raise self._failed(where, f"not a sitemap that can be read ({error})") from None

    def _failed(self, where: str, why: str) -> PublisherError:
        """The one line for a failure at `where`: under the --previous the user named."""
        return PublisherError(f"--previous {self.previous}: " + ("" if where == self.previous else f"{where}: ") + why)


def _is_web(place: str) -> bool:
    return place.startswith(("http://", "https://"))
