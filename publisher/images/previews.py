"""Which image each page's link preview shows, decided once before rendering, and the files it needs.

Every post, page, offer and tag page gets a preview: its own raster image (a JPEG or PNG copy of it where it is
past what some network takes, in bytes, pixels or format: see `preview_copies`); its own SVG image converted to a
1200×630 PNG (networks refuse SVG); else a generated card. Listing pages (home, archive, authors) show `[social]
image` (converted when SVG), else a card of the site. Pages, feeds, JSON-LD and the share feed all read the same
`Previews`.

Cards and converted images are named by a digest of what they show (`/social/launch-3f2a9c1b70.png`;
a card on a background photo is a JPEG, `.jpg`; a copy of an image is named after the image,
`/social/img/harbour-5be01c2d9a.jpg`), so networks fetch a new one when it changes, and kept in the build cache
under that digest, so a build draws only new or changed ones.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import posixpath
import re
import unicodedata
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from publisher.config.model import SiteConfig
from publisher.config.reader import CARD_COLORS, theme_cards
from publisher.content.links import is_external
from publisher.content.model import Entry, Post
from publisher.core.errors import BuildFailed, Problem
from publisher.core.files import files_in, forget_unlinked
from publisher.core.hashing import code_digest
from publisher.core.memo import Kept, Memo
from publisher.core.owned import OwnFiles
from publisher.core.processes import can_fork
from publisher.core.records import record
from publisher.images.cards import (
    HEIGHT,
    WIDTH,
    CardSpec,
    CardStyle,
    UnreadableImage,
    card_format,
    cover,
    draw_card,
    logo_thumbnail,
)
from publisher.images.facts import HEIF_REFUSED, HEIF_SUFFIXES, ImageInfo, Photo, is_heif
from publisher.images.fonts import FontFiles, Fonts, theme_fonts
from publisher.images.preview_copies import copy_code, copy_size, copy_suffix, encode_copy, needs_copy
from publisher.images.svg import SvgFonts, UnusableSvg, drawable, svg_to_logo, svg_to_png
from publisher.output.files import OutputFile
from publisher.site.model import Group, Site

FOLDER = "social"
PARALLEL_THRESHOLD = 24  # cards to draw before worker processes pay off


@record
class Preview:
    """A page's link-preview image: a site-relative path and what `og:image` says about it."""

    path: str
    width: int | None
    height: int | None
    alt: str
    mime: str = "image/png"


@record
class _Job:
    """An image to make: a card (`spec`), a converted SVG (`svg`) or a copy of an image of the site (`photo`),
    written at `path`, cached under `key`."""

    path: str
    key: str
    spec: CardSpec | None = None
    svg: Path | None = None
    photo: Photo | None = None

    @property
    def cached(self) -> str:
        """Its file's name in the cache: its key, and its format's suffix (a card on a photo is a JPEG)."""
        return f"{self.key}.{posixpath.splitext(self.path)[1].lstrip('.')}"


@dataclass(frozen=True, slots=True)
class Previews:
    by_url: Mapping[str, Preview]  # page URL -> its preview
    default: Preview | None  # for pages without one of their own (home, archive…)
    jobs: tuple[_Job, ...] = ()
    font_files: FontFiles = field(default_factory=lambda: FontFiles(None, None))
    svg_fonts: SvgFonts = field(default_factory=SvgFonts)

    def of(self, url: str) -> Preview | None:
        return self.by_url.get(url, self.default)


@dataclass(frozen=True, slots=True)
class PreviewMemos:
    """What earlier builds planned: each post's card, by the post and the cards' look, as earlier builds of this
    process planned it (`serve`; a card is planned again only for a post that changed); and what `Fonts.kept`
    keeps, whether each font file covers printable ASCII (`publisher build`, on disk; None: asked of the file)."""

    cards: Memo[Any] = field(default_factory=Memo)
    fonts: Kept | None = None


def plan_previews(site: Site, cfg: SiteConfig, theme_dirs: tuple[Path, ...], static_dirs: list[Path],
                  images: Mapping[str, ImageInfo], memos: PreviewMemos | None = None, *,
                  only: Set[str] | None = None) -> tuple[Previews, list[Problem]]:
    """The preview of every page, the cards and conversions that needs, and warnings (a title no font covers).

    `memos`: what earlier builds planned (see `PreviewMemos`). `only`: the pages at these URLs alone (the others
    show the site's default image), for pages written ahead of the rest."""
    planner = _Planner.make(cfg, theme_dirs, static_dirs, images, memos or PreviewMemos())
    found: dict[str, Preview | None] = {}
    for entry in (*site.posts, *site.pages, *site.offers):
        if only is None or entry.post.url in only:
            found[entry.url] = planner.for_entry(entry)
    published = {entry.post.source for entry in (*site.posts, *site.pages, *site.offers)}
    for entry in site.scheduled:  # announced ahead: its own image, once public already (a card would show its title)
        if entry.post.source not in published and (only is None or entry.post.url in only):
            found[entry.url] = planner.public_image(entry)
    for tag in site.tags:
        if only is None or tag.url in only:
            found[tag.url] = planner.tag_card(tag)
    default = planner.default_image()
    by_url = {url: preview for url, preview in found.items() if preview is not None}
    previews = Previews(by_url, default, tuple(planner.jobs.values()), planner.font_files, planner.svg_fonts)
    return previews, planner.warnings


@record
class _Card:
    """A card planned for a page: its preview and the job that draws it (None when cards are off), and the
    warnings its planning gave."""

    preview: Preview | None
    job: _Job | None
    warnings: tuple[Problem, ...] = ()


@dataclass
class _Planner:
    cfg: SiteConfig
    static: OwnFiles  # the static folders
    images: Mapping[str, ImageInfo]
    style: CardStyle
    font_files: FontFiles
    fonts: Fonts
    svg_fonts: SvgFonts
    enabled: bool
    base_key: str
    kept: Memo[Any]
    jobs: dict[str, _Job] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    @classmethod
    def make(cls, cfg: SiteConfig, theme_dirs: tuple[Path, ...], static_dirs: list[Path],
             images: Mapping[str, ImageInfo], memos: PreviewMemos) -> _Planner:
        site_cards = cfg.social.cards
        theme, problems = next((theme_cards(d / "cards" / "card.toml") for d in theme_dirs
                                if (d / "cards" / "card.toml").is_file()), (None, []))

        def setting(name: str) -> str:
            own = getattr(site_cards, name)
            return str(cfg.root / own) if own else (getattr(theme, name) if theme else "")

        bold, regular = theme_fonts(theme_dirs)
        font_files = FontFiles(Path(setting("font")) if setting("font") else bold,
                               Path(setting("font_regular")) if setting("font_regular") else regular,
                               tuple(Path(cfg.root / f) for f in site_cards.fallback_fonts)
                               or tuple(Path(f) for f in (theme.fallback_fonts if theme else ())))
        svg_fonts = SvgFonts(tuple(p for p in (font_files.regular, font_files.bold, *font_files.fallbacks) if p),
                             font_files.regular)
        colors = {**dict(theme.colors if theme else ()), **dict(site_cards.colors)}
        background = setting("background_image")
        planner = cls(cfg, OwnFiles(static_dirs), images, CardStyle(), font_files, Fonts(font_files, memos.fonts),
                      svg_fonts, site_cards.enabled, "", memos.cards, warnings=list(problems))
        style = CardStyle(**{name: colors[name] for name in CARD_COLORS if name in colors},
                          backdrop=planner.backdrop(Path(background)) if background else b"", logo=planner.logo())
        planner.style = style
        if planner.enabled and planner.fonts.lacks_regular(cfg.title):
            planner.warnings.append(Problem("publisher.toml", None, "site.title",
                                            f"no card font covers the site's title {cfg.title!r}: cards show "
                                            "no site name at their foot (add a font that does to [social.cards] "
                                            "fallback_fonts)"))
        colours = json.dumps([style.background, style.foreground, style.accent, style.muted])
        planner.base_key = _digest(drawing_code(), colours, font_files.digest(),
                                   hashlib.sha256(style.backdrop).hexdigest(), hashlib.sha256(style.logo).hexdigest())
        return planner

    def for_entry(self, entry: Entry) -> Preview | None:
        post = entry.post
        if post.image and self.is_heif(post.image):
            self.warnings.append(Problem(post.source, post.line_of("image"), "image",
                                         f"{post.image} {HEIF_REFUSED}; its link preview shows a card meanwhile"))
        elif post.image:
            try:
                own = self.own(post.image, post.image_alt, post.url)
            except UnusableSvg as refused:
                self.warnings.append(Problem(post.source, post.line_of("image"), "image",
                                             f"{post.image} {refused}: its page gets a card instead"))
                own = None
            if own is not None:
                return own
        card: _Card = self.kept.get(post.source, (post, self.base_key), partial(self._post_card, post))
        self.warnings += card.warnings
        if card.job is None:
            return None
        self.jobs[card.job.path] = card.job
        return card.preview

    def public_image(self, entry: Entry) -> Preview | None:
        """A post not published yet as its announcements ahead show it: its own image when that is a published
        file as it is (a raster one, or another site's), else None (the site's image): an SVG's PNG copy, or a
        card, would be named after the post in the public output before the post is."""
        post = entry.post
        if not post.image or post.image.lower().endswith(".svg") or not (is_external(post.image) or
                                                                           self._static_file(post.image)):
            return None
        if self.is_heif(post.image):  # said when the post is out (`for_entry`)
            return None
        return self.own(post.image, post.image_alt, post.url)

    def tag_card(self, tag: Group) -> Preview | None:
        """A tag page's card; one whose name no card font covers shows none, with a warning at the tag's oldest post
        (as a post's title is)."""
        name = tag.name
        if self.enabled and self.fonts.lacks_bold(name):
            oldest = tag.posts[-1].post
            self.warnings.append(Problem(oldest.source, oldest.line_of("tags"), "tags",
                                         f"no card font covers the tag {name!r}: its page's card shows no name "
                                         "(add a font that does to [social.cards] fallback_fonts)"))
            name = ""
        return self.card(tag.url, CardSpec(name, self.cfg.title, "tag", style=self.style), f"{tag.name}, on "
                         f"{self.cfg.title}")

    def _post_card(self, post: Post) -> _Card:
        label = post.tags[0] if post.tags else post.stage
        byline, warnings = self._byline(post)
        title = post.title
        if self.fonts.lacks_bold(title):
            shown = without_symbols(title)
            if shown and not self.fonts.lacks_bold(shown):  # `🚀 Launch week`: the words, without the rocket
                left_out = "".join(dict.fromkeys(char for char in title if char not in shown and not char.isspace()))
                message = (f"no card font has '{left_out}': the card shows the title without it (add a font that "
                           "does to [social.cards] fallback_fonts)")
            else:
                message = ("no card font covers its script: the card shows no title "
                           "(add a font that does to [social.cards] fallback_fonts)")
                shown = ""
            warnings += (Problem(post.source, post.line_of("title"), "title", message),)
            title = shown
        return self._card(post.url, CardSpec(title, self.cfg.title, label, byline, self.style), post.title, warnings)

    def _byline(self, post: Post) -> tuple[str, tuple[Problem, ...]]:
        """The authors' names a card's foot shows: those a card font covers; a warning for each left out."""
        if not post.authors:
            return "", ()
        shown: list[str] = []
        left_out: list[str] = []
        for author in post.authors:
            (left_out if self.fonts.lacks_regular(author.name) else shown).append(author.name)
        field = "authors" if "authors" in post.field_lines else "author"
        return ", ".join(shown), tuple(
            Problem(post.source, post.line_of(field), field, f"no card font covers the author {name!r}: the card's "
                    "foot leaves the name out (add a font that does to [social.cards] fallback_fonts)")
            for name in left_out)

    def own(self, path: str, alt: str, url: str) -> Preview | None:
        """A page's own image: a JPEG or PNG as it is, or a copy where it is past what some network takes (a WebP, a
        GIF, a large image); SVG converted to PNG; None when it cannot be found, or is an SVG on another site."""
        if is_external(path):
            # Networks refuse SVG, and another site's is not ours to convert: the page shows a card instead.
            return None if _is_svg(path) else Preview(path, None, None, alt, "")
        info = self.images.get(path) or self.images.get(unquote(path))  # `my%20pic.png` is the file `my pic.png`
        photo = info.photo if info is not None else None
        if photo is not None and needs_copy(photo.length, photo.width, photo.height, photo.kind):
            return self.copy(path, photo, alt)
        if not path.lower().endswith(".svg"):
            return Preview(path, info.width if info else None, info.height if info else None, alt,
                           info.mime if info else "")
        file = self._static_file(path)
        if file is None:
            return None
        data = file.read_bytes()
        drawable(data)  # UnusableSvg, for the caller to name the field: refused now rather than in a worker
        key = _digest(self.base_key, "svg", hashlib.sha256(data).hexdigest())
        out = _card_path(url, key)
        self.jobs[out] = _Job(out, key, svg=file)
        return Preview(out, WIDTH, HEIGHT, alt)

    def copy(self, path: str, photo: Photo, alt: str) -> Preview:
        """The copy of the image at `path` (see `preview_copies`), named after the image, not the page: a
        post announced ahead shows it before the post is out."""
        key = _digest(copy_code(), photo.sha)
        out = _copy_path(path, key, copy_suffix(photo))
        self.jobs[out] = _Job(out, key, photo=photo)
        width, height = copy_size(photo.width, photo.height)
        return Preview(out, width, height, alt, "image/png" if out.endswith(".png") else "image/jpeg")

    def default_image(self) -> Preview | None:
        """`[social] image` as pages without an image of their own show it, else (none set, or an SVG on another
        site) a card of the site; none, with a warning, when it is an SVG that cannot be drawn."""
        image = self.cfg.social.image
        try:
            if image and self.is_heif(image):
                self.warnings.append(Problem("publisher.toml", None, "social.image",
                                             f"{image} {HEIF_REFUSED}; pages show a card of the site meanwhile"))
                own = None
            else:
                own = self.own(image, self.cfg.social.image_alt, "/") if image else None
        except UnusableSvg as refused:
            self.warnings.append(Problem("publisher.toml", None, "social.image",
                                         f"{self.cfg.social.image} {refused}: pages show no default image"))
            return None
        return own or self.card("/", CardSpec(self.cfg.title, "", self.cfg.description, style=self.style),
                                self.cfg.title)

    def card(self, url: str, spec: CardSpec, alt: str) -> Preview | None:
        """A generated card (None when cards are off: the page then shows the site's default image)."""
        card = self._card(url, spec, alt)
        if card.job is not None:
            self.jobs[card.job.path] = card.job
        return card.preview

    def _card(self, url: str, spec: CardSpec, alt: str, warnings: tuple[Problem, ...] = ()) -> _Card:
        if not self.enabled:  # no card is drawn, so what its fonts lack is no one's concern (nor `--strict`'s)
            return _Card(None, None, ())
        key = _digest(self.base_key, _SPEC_JSON.encode(_spec_fields(spec)))
        suffix = card_format(spec.style)
        out = _card_path(url, key, suffix)
        return _Card(Preview(out, WIDTH, HEIGHT, alt, f"image/{'jpeg' if suffix == 'jpg' else 'png'}"),
                     _Job(out, key, spec=spec), warnings)

    def logo(self) -> bytes:
        """The site's logo as drawn on cards (`logo_thumbnail`; an SVG rasterised at twice that height first), or
        none, with a warning, when it cannot be drawn."""
        file = self._static_file(self.cfg.logo) if self.cfg.logo else None
        if file is None:
            return b""
        data = file.read_bytes()
        try:
            return logo_thumbnail(svg_to_logo(data, 112, self.svg_fonts) if file.suffix.lower() == ".svg" else data)
        except (UnusableSvg, UnreadableImage) as refused:
            self.warnings.append(Problem("publisher.toml", None, "site.logo",
                                         f"{self.cfg.logo} {refused}: cards show no logo"))
            return b""

    def backdrop(self, file: Path) -> bytes:
        """`[social.cards] background_image` as cards draw it (`cover`), or none, with a warning, when it cannot be
        read."""
        try:
            return cover(file.read_bytes()) if file.is_file() else b""
        except UnreadableImage as refused:
            self.warnings.append(Problem("publisher.toml", None, "social.cards.background_image",
                                         f"{file.name} {refused}: cards show their colour"))
            return b""

    def is_heif(self, path: str) -> bool:
        """Whether the image at `path` is a HEIC or other HEIF image, which only Safari shows: by its name, or for a
        file of the site whose size was not read (a HEIC named `.jpg`), by its first bytes."""
        if urlsplit(path).path.lower().endswith(HEIF_SUFFIXES):
            return True
        if is_external(path):
            return False
        info = self.images.get(path) or self.images.get(unquote(path))
        file = self._static_file(path) if info is not None and info.width is None else None
        return file is not None and is_heif(file)

    def _static_file(self, path: str) -> Path | None:
        relative = unquote(path.split("?", 1)[0]).lstrip("/")
        if ".." in relative.split("/"):
            return None
        return self.static.find(relative)


def _is_svg(url: str) -> bool:
    """Whether an image URL names an SVG file (`/img/a.svg`, `https://cdn.example/a.svg?v=2`)."""
    return urlsplit(url).path.lower().endswith(".svg")


def preview_files(previews: Previews, cache: Path | None, workers: int,
                  in_output: Collection[str] = frozenset(),
                  linked: Callable[[str], tuple[int, int] | None] | None = None) -> Iterator[OutputFile]:
    """The cards and converted images, from the cache when drawn before and whole; new ones drawn (in parallel).

    `in_output`: the files the output holds as written (`serve`'s last write): a card there is left as it
    is, since a card's name says what it shows. `linked`: the device and inode of the output's file at a path
    (from the output's path), as a walk found it: a card the output holds as that very cache file was whole
    when linked there, and is not read again (see `_damaged`)."""
    kept = {job.path for job in previews.jobs if job.path.lstrip("/") in in_output}
    drawn_before = files_in(cache) if cache is not None else {}  # one listing, not a look at each card
    if cache is not None:  # cards of old titles, looks or drawing code that no output shows
        forget_unlinked(partial(_undrawn_for, cache, drawn_before.keys(), previews),
                        cache.with_name(f"{cache.name}.swept"))
        for name in _damaged(previews.jobs, kept, cache, drawn_before, linked):
            with contextlib.suppress(OSError):
                os.unlink(cache / name)
            del drawn_before[name]  # drawn again below
    missing = [job for job in previews.jobs if job.path not in kept and job.cached not in drawn_before]
    try:
        drawn = dict(zip((job.path for job in missing), _draw_all(missing, previews, workers), strict=True))
    except _Undrawn as undrawn:  # one line, not a traceback
        path, reason = undrawn.args
        raise BuildFailed([Problem(path, None, "image", reason)]) from None
    folder = str(cache) if cache is not None else ""
    for job in previews.jobs:
        if job.path in kept:
            yield OutputFile(job.path.lstrip("/"), keep=True)
            continue
        if cache is None:
            yield OutputFile(job.path.lstrip("/"), drawn[job.path])
            continue
        name = job.cached
        stored = os.path.join(folder, name)
        if job.path in drawn:
            cache.mkdir(parents=True, exist_ok=True)
            _write_new(Path(stored), drawn[job.path])
        yield OutputFile(job.path.lstrip("/"), source=stored, linked=True,  # linked, not copied, into output
                         inode=drawn_before.get(name))  # as listed above: the writer lists none


def _damaged(jobs: Iterable[_Job], kept: Collection[str], cache: Path, drawn_before: Mapping[str, tuple[int, int]],
             linked: Callable[[str], tuple[int, int] | None] | None) -> set[str]:
    """The cards in `cache` (`drawn_before`: by name, their device and inode) this build would put in the output
    anew, whose bytes are not a whole image (`whole_image`): cut short, overwritten or damaged since they were drawn,
    or not drawn by publisher at all; a cache is never trusted to hold what its names say. A card the output
    holds already as that very file (`linked`: as the output's walk found it) was whole when it was put there,
    and is not read: a one-post build reads no card it does not draw, a CI build (a new output) reads each
    card once (0.4–0.6 s for 10,000 cards of 40 KB, in memory)."""
    damaged, checked = set(), set()
    for job in jobs:
        name = job.cached
        if job.path in kept or name not in drawn_before or name in checked:
            continue
        checked.add(name)
        if linked is not None and linked(job.path.lstrip("/")) == drawn_before[name]:
            continue
        if not whole_image(cache / name):
            damaged.add(name)
    return damaged


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def whole_image(path: Path) -> bool:
    """Whether the cache file at `path` is a whole image of its kind: a PNG by its chunks (`whole_png`), a JPEG
    from its start-of-image marker to an end-of-image marker that ends the file (JPEG keeps no sums)."""
    if path.suffix != ".jpg":
        return whole_png(path)
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return data.startswith(b"\xff\xd8\xff") and data.endswith(b"\xff\xd9")


def whole_png(path: Path) -> bool:
    """Whether the file at `path` is a whole PNG: its signature, then chunks each of whose CRC matches its type
    and data, the last an `IEND` ending the file (what PNG itself keeps to tell damaged bytes)."""
    try:
        data = memoryview(path.read_bytes())
    except OSError:
        return False
    if data[:8].tobytes() != PNG_SIGNATURE:
        return False
    at = 8
    while at + 12 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        end = at + 12 + length
        if end > len(data) or zlib.crc32(data[at + 4:end - 4]) != int.from_bytes(data[end - 4:end], "big"):
            return False
        if data[at + 4:at + 8].tobytes() == b"IEND":
            return end == len(data)
        at = end
    return False


def _undrawn_for(cache: Path, drawn: Collection[str], previews: Previews) -> list[Path]:
    """The cards in `cache` (`drawn`, by name) that `previews` does not show: named only when they are looked for."""
    return [cache / name for name in set(drawn) - {job.cached for job in previews.jobs}]


def _draw_all(jobs: list[_Job], previews: Previews, workers: int) -> list[bytes]:
    svg_fonts = previews.svg_fonts.with_family() if any(job.svg is not None for job in jobs) else previews.svg_fonts
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        fonts = Fonts(previews.font_files)
        return [_make(job, fonts, svg_fonts) for job in jobs]
    context = multiprocessing.get_context("fork" if can_fork() else "spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=(previews.font_files, svg_fonts)) as pool:
        drawn = pool.map(_make_in_worker, jobs, chunksize=max(1, len(jobs) // (workers * 4)))
        # The workers end on their own once told there is no more to draw: the pool's `__exit__` then finds none
        # to end with SIGTERM (ending them so, it once waited for good on one left blocked on the pool's queue).
        pool.close()
        pool.join()
    return drawn


# Each worker process loads the fonts once, in `_start_worker`: per-process state of the pool's workers,
# never touched by the main process (as the Markdown workers keep their converter).
_worker: tuple[Fonts, SvgFonts] | None = None


def _start_worker(font_files: FontFiles, svg_fonts: SvgFonts) -> None:
    global _worker  # noqa: PLW0603 - one set of fonts per worker process, set once by the pool
    _worker = (Fonts(font_files), svg_fonts)


def _make_in_worker(job: _Job) -> bytes:
    assert _worker is not None
    return _make(job, *_worker)


def _make(job: _Job, fonts: Fonts, svg_fonts: SvgFonts) -> bytes:
    if job.spec is not None:
        return draw_card(job.spec, fonts)
    if job.photo is not None:
        return _copy_of(job.photo)
    assert job.svg is not None
    try:
        return svg_to_png(job.svg.read_bytes(), WIDTH, HEIGHT, svg_fonts)
    except UnusableSvg as refused:  # read when planned, but resvg could not draw it
        raise _Undrawn(str(job.svg), str(refused)) from None


def _copy_of(photo: Photo) -> bytes:
    from PIL import Image

    try:
        return encode_copy(photo)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):  # measured whole, changed since
        raise _Undrawn(str(photo.file), "could not be read to make its link preview's copy (changed while the "
                                        "site was built? build again)") from None


class _Undrawn(Exception):
    """An SVG a worker could not draw: its path and why, as the exception's arguments, which are what a worker
    process sends back (a BuildFailed, made of its problems, is not rebuilt from them)."""


def _write_new(path: Path, data: bytes) -> None:
    """Write a cache file under a temporary name, then rename it: a linked file is never changed in place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _card_path(url: str, key: str, suffix: str = "png") -> str:
    """`/2016/07/launch/` -> `/social/2016/07/launch-<digest>.png` (`.jpg` for a card on a photo); the home page is
    `home`."""
    stem = url.strip("/").removesuffix(".html") or "home"
    return f"/{FOLDER}/{stem}-{key[:10]}.{suffix}"


def _copy_path(path: str, key: str, suffix: str) -> str:
    """`/img/harbour.jpg` -> `/social/img/harbour-<digest>.jpg`: after the image, its name's spaces and signs that
    mean something in a URL (`#`, `?`, `%`, `&`) made hyphens."""
    stem = _URL_SIGNS.sub("-", posixpath.splitext(unquote(urlsplit(path).path).strip("/"))[0])
    return f"/{FOLDER}/{stem}-{key[:10]}.{suffix}"


_URL_SIGNS = re.compile(r"[^\w./-]+")


_SPEC_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)  # `json.dumps` with these makes an encoder a call


def _spec_fields(spec: CardSpec) -> dict[str, str]:
    return {"title": spec.title, "site_name": spec.site_name, "label": spec.label, "byline": spec.byline}


@functools.cache
def drawing_code() -> str:
    """What draws a card besides its spec: the drawing modules, by their bytes, taken once a process (the code it
    runs). Part of every card's name, so a card the code would draw otherwise is named anew and drawn again. Not
    the libraries' versions: every page shows a card's name, and a release of Pillow or resvg would change them
    all (a card an older one drew is kept)."""
    here = Path(__file__).parent
    return code_digest([here / "cards.py", here / "fonts.py", here / "svg.py"])


# Symbols, and what joins or varies them into one (emoji: zero-width joiners, skin tones, keycaps, presentation
# selectors): what a title can do without on a card when no card font has it.
_SYMBOLS = frozenset({"So", "Sk", "Cf", "Me"})
_PRESENTATION = frozenset({"\ufe0e", "\ufe0f"})


def without_symbols(text: str) -> str:
    """`text` without its symbols (`🚀`, `★`, `👩🏽‍💻`) and the spaces they leave doubled."""
    kept = "".join(char for char in text if unicodedata.category(char) not in _SYMBOLS and char not in _PRESENTATION)
    return " ".join(kept.split())


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

