"""The Markdown stage: every body and CTA pitch to HTML, links resolved, post HTML spooled.

Bodies come from the cache when they did not change; links to other sources
(`other-post.md`) and site files (`/img/chart.svg`) are rewritten for the
site's base path in posts and CTA pitches alike, and a link to no known
source is a warning naming the file and line. A post's raster images then get
their size, lazy loading and `srcset` (see `images.responsive`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol, cast

from markupsafe import Markup

from publisher.build.cache import BuildCache
from publisher.build.inputs import list_files
from publisher.build.sources import SourceBodies
from publisher.config.model import SiteConfig
from publisher.content.ctas import Cta
from publisher.content.links import link_key, resolve_url, rewrite_links
from publisher.content.model import Entry, Post
from publisher.core.errors import Problem, Problems
from publisher.core.hashing import digest
from publisher.core.memo import Memo, Same
from publisher.core.records import record
from publisher.images.responsive import ImageFacts, Original, Variant, responsive_html
from publisher.markdown.engines import convert_bodies, convert_safely, make_converter
from publisher.markdown.finishing import paragraph_end
from publisher.markdown.result import ConversionFailed, RenderedMarkdown, body_digest

Progress = Callable[[str, int, int], None]  # stage, done, total
Around = tuple[str, object]  # what every body is finished against: the images' version (`_images_version`)
Looked = tuple[tuple[str, str | None], ...]  # each source a body's links named, and its URL then (None: no such)


@dataclass(frozen=True, slots=True)
class _Linker:
    """Rewrites the links of HTML written in one source file; unknown sources are reported."""

    cfg: SiteConfig
    source_urls: Mapping[str, str]  # source path (`link_key`) -> site-relative URL

    def rewrite(self, html: str, source: str) -> tuple[str, list[str]]:
        return rewrite_links(html, lambda url: resolve_url(url, source, self.cfg.base_path, self.source_urls))


class _NotingUrls(Mapping[str, str]):
    """The sources' URLs, noting each source looked up and what was found (a body's links depend on those alone:
    a post added, removed or moved finishes again only the bodies that link to it)."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self.urls = urls
        self.looked: dict[str, str | None] = {}

    def __getitem__(self, source: str) -> str:
        found = self.looked[source] = self.urls.get(source)
        if found is None:
            raise KeyError(source)
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self.urls)

    def __len__(self) -> int:
        return len(self.urls)


@dataclass(frozen=True, slots=True)
class Bodies:
    """Every post's HTML, and the WebP copies of its images that its `srcset`s list, by source."""

    entries: list[Entry]
    image_copies: dict[str, tuple[Variant, ...]]


@record
class Finished:
    """One post's body, finished: the entry (its HTML spooled), its image copies, its broken links' warnings, the
    images it was finished against (each site path its HTML looked up, with `_image_token` of what was found
    there): when the site's static files changed, a body is finished again only if one of them did; and the
    sources its links named, with their URLs then (`Looked`): likewise when a post is added, removed or moved."""

    entry: Entry
    copies: tuple[Variant, ...]
    warnings: tuple[Problem, ...]
    images: tuple[tuple[str, str], ...] = ()
    links: Looked = ()


def _image_token(found: Original | None) -> str:
    """What a body's HTML takes of the image at a path (its file, bytes, size and copies), as a digest; "" for
    none."""
    return "" if found is None else digest(repr(found))


def _same_images(done: Finished, images: ImageFacts) -> bool:
    """Whether each image the body was finished against is found as it was."""
    return all(_image_token(images.find(path)) == token for path, token in done.images)


def bodies_to_html(posts: list[Post], sources: SourceBodies, cfg: SiteConfig, cache: BuildCache, problems: Problems,
                   progress: Progress, workers: int, images: ImageFacts) -> Bodies:
    """Markdown to HTML for every post (from the cache when the body did not change), links resolved. The
    posts come without their bodies; `sources` has them (see `build.sources.read_input`).

    Each body is finished (links resolved, HTML spooled) as soon as it is
    rendered or loaded, so the HTML of every post is never in memory at once.
    A post finished by an earlier build of the same model (`serve`), or kept on
    disk by an earlier process, from the same post, body and images, whose
    links name sources at the URLs they had then, is taken as it was.
    """
    memo, spool = cache.model.bodies, cache.model.spool
    source_urls = cache.model.links.get("posts", Same(posts), partial(_source_urls, posts))
    around = _images_version(images)
    finished: list[Finished | None] = []
    inputs = []
    by_key: dict[str, list[int]] = {}  # posts to finish by the cache key of their body; equal bodies render once
    for index, post in enumerate(posts):  # a pass over thousands of posts on each save in `serve`: kept lean
        made_from = (post, sources.key(post, cache.markdown_key), around)
        inputs.append(made_from)
        kept = _kept(memo, cache.model.kept_bodies, made_from, images, source_urls)
        if kept is None:
            by_key.setdefault(made_from[1], []).append(index)
        finished.append(None if kept is None else kept[0])

    def finish(key: str, body: RenderedMarkdown) -> None:
        for index in by_key[key]:
            post = posts[index]
            looked: dict[str, Original | None] = {}  # the images its HTML looked up, and what was found
            find = partial(_look_up, images, looked)
            urls = _NotingUrls(source_urls)
            linker = _Linker(cfg, urls)
            html, broken = linker.rewrite(body.html, post.source)
            html, copies = responsive_html(html, cfg.base_path, find)
            excerpt, _ = linker.rewrite(body.excerpt_html, post.source)
            excerpt, _ = responsive_html(excerpt, cfg.base_path, find, eager_first=False)  # listings
            # The HTML waits in the spool, the entry keeps the post without its source: neither stays in memory.
            # The table of contents and excerpt are marked safe once, here: the post's view shows these very
            # texts (`serve` keeps 10,000 posts' views; a copy each was 22 MB).
            finished_body = replace(body, html="", toc_html=Markup(body.toc_html), excerpt_html=Markup(excerpt))
            entry = Entry(post, finished_body, spool.put(html), paragraph_end(html, cfg.funnel.inline_after),
                          body_digest(finished_body))
            line_of = _lines_of(sources.of(post), post.body_line) if broken else None
            warnings = tuple(Problem(post.source, line_of(url), "link", _no_source(url))
                             for url in broken if line_of is not None)
            finished[index] = Finished(entry, copies, warnings,
                                       tuple((path, _image_token(found)) for path, found in sorted(looked.items())),
                                       tuple(sorted(urls.looked.items())))

    missing_bodies = {}
    for key, indices in by_key.items():
        cached = cache.load_markdown(key)
        if cached is None:
            missing_bodies[key] = sources.of(posts[indices[0]])
        else:
            finish(key, cached)
    for done, (key, rendered) in enumerate(convert_bodies(missing_bodies, cfg, workers), start=1):
        if isinstance(rendered, ConversionFailed):
            for index in by_key[key]:
                problems.error(posts[index].source, posts[index].body_line, "body", rendered.reason)
        else:
            cache.store_markdown(key, rendered)
            finish(key, rendered)
        progress("markdown", done, len(missing_bodies))
    return _noted(posts, finished, inputs, memo, problems)


def _source_urls(posts: list[Post]) -> dict[str, str]:
    """Each source's site-relative URL: what a body's links to other sources are resolved against."""
    return {link_key(post.source): post.url for post in posts}


def _kept(memo: Memo[Finished], kept: KeptFinished | None, made_from: tuple[Post, str, Around], images: ImageFacts,
          source_urls: Mapping[str, str]) -> tuple[Finished] | None:
    """(the body,) as this process (`serve`) or an earlier one finished it from the same post, body and images
    (else with each of its own images as it was), when its links name sources at the URLs they had then; each
    place looked at only when the one before gave none that fits (10,000 posts a build: no loop made a post)."""
    return (_fitting(memo.find(made_from[0].source, made_from), source_urls)
            or _fitting(_kept_on_disk(kept, made_from), source_urls)
            or _fitting(_kept_with_its_images(memo, kept, made_from, images), source_urls))


def _fitting(found: tuple[Finished] | None, source_urls: Mapping[str, str]) -> tuple[Finished] | None:
    """`found`, when its body's links name sources at the URLs they had when it was finished."""
    if found is None:
        return None
    for source, url in found[0].links:
        if source_urls.get(source) != url:
            return None
    return found


def _kept_on_disk(kept: KeptFinished | None, made_from: tuple[Post, str, Around]) -> tuple[Finished] | None:
    """(the body,) as an earlier process finished it from the same inputs (`publisher build`), if it kept it."""
    found = kept.find(*made_from) if kept is not None else None
    return None if found is None else (found,)


def _kept_with_its_images(memo: Memo[Finished], kept: KeptFinished | None, made_from: tuple[Post, str, Around],
                          images: ImageFacts) -> tuple[Finished] | None:
    """(the body,) as it was finished from the same post and body while some static file of the site was
    otherwise (a checkout or an install gives them all new times; a writer saved an image), when each image it
    shows is found as it was then."""
    post, key, _ = made_from
    done: Finished | None = None
    last = memo.last(post.source)  # `serve`: the body this process finished last
    if last is not None:
        last_post, last_key, _ = cast("tuple[Post, str, Around]", last[0])
        done = last[1] if (last_post, last_key) == (post, key) else None
    if done is None and kept is not None:  # `publisher build`: the body an earlier process kept
        done = kept.find(post, key, made_from[2], images_as_found=True)
    return (done,) if done is not None and _same_images(done, images) else None


class KeptFinished(Protocol):
    """Finished bodies kept by an earlier process (`build.persisted.KeptBodies`)."""

    def find(self, post: Post, key: str, around: Around, *, images_as_found: bool = False) -> Finished | None: ...


def _noted(posts: list[Post], finished: list[Finished | None], inputs: Sequence[object], memo: Memo[Finished],
           problems: Problems) -> Bodies:
    """The finished bodies, kept in the memo, their warnings noted in the order of the posts."""
    entries, copies = [], {}
    for post, done, made_from in zip(posts, finished, inputs, strict=True):
        if done is None:  # a body no engine could convert: its error is noted
            continue
        memo.put(post.source, made_from, done)
        entries.append(done.entry)
        copies[post.source] = done.copies
        if done.warnings:
            problems.warnings += done.warnings
    return Bodies(entries, copies)


def _images_version(images: ImageFacts) -> tuple[str, tuple[tuple[str, str], ...]]:
    """What tells whether the images a body may show changed: the listing of the folders they come from."""
    listing = list_files(images.static_dirs)
    return listing.digest, tuple(sorted(listing.recent.items()))


def _look_up(images: ImageFacts, looked: dict[str, Original | None], path: str) -> Original | None:
    """`images.find(path)`, noted in `looked`."""
    found = looked[path] = images.find(path)
    return found


def pitches_to_html(ctas: dict[str, Cta], posts: list[Post], cfg: SiteConfig, problems: Problems) -> dict[str, Cta]:
    """Each CTA with its pitch rendered like a post body: same engine, same link rewriting."""
    if not any(cta.pitch for cta in ctas.values()):
        return ctas
    converter = make_converter(cfg.markdown)
    linker = _Linker(cfg, _source_urls(posts))
    rendered = {}
    for cta_id, cta in ctas.items():
        pitch = convert_safely(converter, cta.pitch) if cta.pitch else None
        if isinstance(pitch, ConversionFailed):
            problems.error(cta.source, cta.pitch_line, "body", pitch.reason)
            continue
        html, missing = linker.rewrite(pitch.html, cta.source) if pitch else ("", [])
        line_of = _lines_of(cta.pitch, cta.pitch_line)
        for url in missing:
            problems.warn(cta.source, line_of(url), "link", _no_source(url))
        rendered[cta_id] = replace(cta, pitch_html=html)
    return rendered


def _no_source(url: str) -> str:
    return f"{url!r} points to no post or page in content/"


def _lines_of(text: str, first_line: int) -> Callable[[str], int]:
    """Where each URL is written in `text`, which starts on line `first_line` of its file: the first line holding
    it, else `first_line`. Found by one search of the whole text and the line starts, taken once for all a body's
    URLs (the text split again for each, 16,000 links to no post took 44 s)."""
    starts = [0, *(found.end() for found in re.finditer("\n", text))]

    def line_of(url: str) -> int:
        at = text.find(url) if url and "\n" not in url else -1
        return first_line if at == -1 else first_line + bisect.bisect_right(starts, at) - 1

    return line_of
