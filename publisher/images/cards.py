"""Social cards: a 1200×630 PNG per page without its own image, drawn with Pillow.

A card shows a label (a tag or the funnel stage), the title (wrapped, at most
three lines, then an ellipsis at a word), and at the foot the site's logo, its
name and the author. Everything it shows is in its `CardSpec`; the same spec
and fonts give the same bytes (no time, no metadata in the PNG), so a card is
cached by the digest of its spec and redrawn only when that changes.
"""

from __future__ import annotations

import bisect
import contextlib
import io
import itertools
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from publisher.core.text import collapsed, written_without_spaces
from publisher.images.fonts import Fonts

if TYPE_CHECKING:  # Pillow loads only to draw: planning cards needs their specs alone
    from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
TITLE_SIZES = (76, 66, 58)  # the largest that fits the title in three lines wins
MAX_LINES = 3


@dataclass(frozen=True, slots=True)
class CardStyle:
    """How cards look: `[social.cards]` over the theme's `cards/card.toml`."""

    background: str = "#12343b"
    foreground: str = "#ffffff"
    accent: str = "#f2b134"
    muted: str = "#c9d6d8"
    backdrop: bytes = b""  # a PNG of 1200×630 drawn under everything (`cover`: an image cropped to fill it)
    logo: bytes = b""  # the site's logo as PNG, at most 160×56 (`logo_thumbnail`; SVG logos rasterised before)


@dataclass(frozen=True, slots=True)
class CardSpec:
    """What one card shows."""

    title: str
    site_name: str
    label: str = ""  # a tag or the funnel stage, shown above the title
    byline: str = ""  # the authors' names
    style: CardStyle = field(default_factory=CardStyle)


def draw_card(spec: CardSpec, fonts: Fonts) -> bytes:
    """The card's bytes, as `card_format` says (PNG; JPEG on a photo). Text no font covers is left out (the plan
    warned about a title)."""
    from PIL import ImageDraw

    style = spec.style
    image = _canvas(style)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 18, HEIGHT), fill=style.accent)
    top = MARGIN
    if spec.label:
        label_font = fonts.regular(30, spec.label)
        if label_font is not None:
            label = fit_line(collapsed(spec.label).upper(), label_font, WIDTH - 2 * MARGIN,
                             _ellipsis(label_font, fonts))
            _line(draw, top, label, label_font, style.accent)
        top += 64
    if spec.title and fonts.bold(TITLE_SIZES[0], spec.title) is not None:
        _draw_title(draw, spec, fonts, top)
    _draw_footer(image, draw, spec, fonts)
    return _jpeg(image) if card_format(spec.style) == "jpg" else _png(image)


def card_format(style: CardStyle) -> str:
    """A card's file format, by its look: PNG for flat colours and text (crisp, and small: some 40 KB); JPEG on a
    background photo, which as PNG takes 0.9–1.6 MB, past Bluesky's 1,000,000 bytes and WhatsApp's few hundred
    KB (as JPEG, some 150 KB)."""
    return "jpg" if style.backdrop else "png"


def is_right_to_left(text: str) -> bool:
    """Whether the first strongly directional character of `text` is written right to left."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("L", "R", "AL"):
            return direction != "L"
    return False


def _line(draw: ImageDraw.ImageDraw, y: int, text: str, font: ImageFont.FreeTypeFont, fill: str) -> None:
    """One line of text from the start edge: the left, or the right for Arabic or Hebrew."""
    if is_right_to_left(text):
        draw.text((WIDTH - MARGIN, y), text, font=font, fill=fill, anchor="ra", direction="rtl")
    else:
        draw.text((MARGIN, y), text, font=font, fill=fill)


MAX_TITLE = 1_000  # characters of a title a card looks at: three lines show fewer, and FreeType's widths overflow
# past a million (a one-word title of 1,000,000 characters measured -25,577,615 pixels, and was drawn whole)


def wrap_title(title: str, measure: ImageFont.FreeTypeFont, width: int, ellipsis: str = "…") -> list[str]:
    """`title` in lines no wider than `width`, at most three; the last ends in `ellipsis` at a word when cut. Lines
    break at spaces, and between the characters of a script written without spaces (`_pieces`): a Japanese, Chinese
    or Thai title was one word, cut after its first line."""
    return _wrap(title, measure, width, ellipsis)[0]


def _wrap(title: str, measure: ImageFont.FreeTypeFont, width: int, ellipsis: str) -> tuple[list[str], bool]:
    """`wrap_title`'s lines, and whether they cut the title short."""
    if len(title) > MAX_TITLE:
        start, cut = _wrap(title[:MAX_TITLE], measure, width, ellipsis)
        return start if cut else _ending(start, measure, width, ellipsis), True
    lines: list[str] = []
    for piece, spaced in _pieces(title):
        candidate = f"{lines[-1]}{' ' if spaced else ''}{piece}" if lines else piece
        if lines and measure.getlength(candidate) <= width:
            lines[-1] = candidate
        elif len(lines) == MAX_LINES:  # a fourth line would begin
            return _ending(lines, measure, width, ellipsis), True
        elif measure.getlength(piece) > width:  # a word longer than a line (a URL): the only cut inside a word
            return [*lines, _cut_word(piece, measure, width, ellipsis) + ellipsis], True
        else:
            lines.append(piece)
    return lines, False


# Around a character of a script written without spaces a line may break, as a browser breaks it (Unicode's line
# breaking, in short), but not before closing or other punctuation, small kana or marks such as ー and 々, which
# never start a line in Japanese or Chinese (kinsoku), nor before Thai vowels written after their consonant; not after
# opening punctuation or Thai vowels written before theirs; and never inside a character made of several.
_THAI_AFTER = frozenset("\u0e30\u0e32\u0e33\u0e45")  # sara a, aa, am; lakkhangyao
_THAI_BEFORE = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")  # sara e, ae, o, ai maimuan, ai maimalai
_JOINING = frozenset("\u200d\ufe0e\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")  # ZWJ, VS15-16, tones
_VIRAMA = 9  # the canonical combining class of a virama, which joins the consonants on both sides of it


def _pieces(title: str) -> Iterator[tuple[str, bool]]:
    """The pieces a line of `title` may break between, each with whether a space stood before it: its words, a word
    with characters of a script written without spaces cut around each of them (`_may_break`)."""
    for word in title.split():
        start = 0
        for at in range(1, len(word)):
            if _may_break(word[at - 1], word[at]):
                yield word[start:at], start == 0
                start = at
        yield word[start:], start == 0


def _may_break(before: str, after: str) -> bool:
    """Whether a line may break between two characters of a word: next to a character of a script written without
    spaces (`written_without_spaces`), but never before a mark that does not start a line nor after one that does not
    end one."""
    if not (written_without_spaces(before) or written_without_spaces(after)) or not _may_end_between(before, after):
        return False
    starts_no_line = unicodedata.category(after) in ("Pe", "Pf", "Po", "Lm") or after in _THAI_AFTER \
        or unicodedata.name(after, "").startswith(("HIRAGANA LETTER SMALL", "KATAKANA LETTER SMALL"))
    ends_no_line = unicodedata.category(before) in ("Ps", "Pi") or before in _THAI_BEFORE
    return not (starts_no_line or ends_no_line)


def _may_end_between(before: str, after: str) -> bool:
    """Whether text may end between `before` and `after` without splitting a character made of several: a letter
    and its marks, a Devanagari conjunct (joined by its virama), an emoji sequence (joiners, selectors, skin tones)."""
    return not (unicodedata.category(after).startswith("M") or after in _JOINING or before == "\u200d"
                or unicodedata.combining(before) == _VIRAMA)


def _ending(lines: list[str], measure: ImageFont.FreeTypeFont, width: int, ellipsis: str) -> list[str]:
    """The last line with `ellipsis` after its last word that leaves room for it."""
    words = lines[-1].split()
    while len(words) > 1 and measure.getlength(" ".join(words) + ellipsis) > width:
        words.pop()
    text = " ".join(words)
    if measure.getlength(text + ellipsis) > width:
        text = _cut_word(text, measure, width, ellipsis)
    return [*lines[:-1], text.rstrip(" ,;:.–—-\u3001\u3002\uff0c") + ellipsis]


def _cut_word(word: str, measure: ImageFont.FreeTypeFont, width: int, ellipsis: str) -> str:
    """The longest start of `word` that fits in `width` with `ellipsis` after it, found by halving (a longer start
    is never narrower), and that splits no character made of several (a letter and its accent, a Devanagari
    conjunct, an emoji with its skin tone): a character at a time, a title of one 8,000-character word took 15 s."""
    too_wide = bisect.bisect_left(range(len(word) + 1), True,
                                  key=lambda end: measure.getlength(word[:end] + ellipsis) > width)
    end = max(too_wide - 1, 0)
    while 0 < end < len(word) and not _may_end_between(word[end - 1], word[end]):
        end -= 1
    return word[:end]


# What ends a title cut short: the first of these the title's font has. Fonts for one script often have neither
# (Noto Sans Arabic, Hebrew and Thai lack "…"; Hebrew and Thai lack "." too): a card drew a box there. Then none.
_ELLIPSES = ("…", "...")


def _ellipsis(font: ImageFont.FreeTypeFont, fonts: Fonts) -> str:
    """What ends a text cut short drawn in `font`: the first of `_ELLIPSES` it has, else nothing."""
    return next((mark for mark in _ELLIPSES if fonts.has_characters(font, mark)), "")


def fit_line(text: str, measure: ImageFont.FreeTypeFont, width: int, ellipsis: str = "…") -> str:
    """`text` as one line no wider than `width`: as it is when it fits, else cut at a word (inside the word when the
    first alone is too wide) and ended with `ellipsis`. A label (a site's description) or a foot (four authors) in
    one line ran off the card's edge, cut inside a letter."""
    text = text[:MAX_TITLE]  # FreeType's widths overflow on a million characters
    if measure.getlength(text) <= width:
        return text
    return _ending([text], measure, width, ellipsis)[0]


def _draw_title(draw: ImageDraw.ImageDraw, spec: CardSpec, fonts: Fonts, top: int) -> None:
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        found = fonts.bold(size, spec.title)
        assert found is not None  # covered at one size means covered at all
        ellipsis = _ellipsis(found, fonts)
        font, (lines, cut) = found, _wrap(spec.title, found, width, ellipsis)
        if not cut:
            break
    line_height = int(size * 1.18)
    for number, line in enumerate(lines):
        _line(draw, top + number * line_height, line, font, spec.style.foreground)


def _draw_footer(image: Image.Image, draw: ImageDraw.ImageDraw, spec: CardSpec, fonts: Fonts) -> None:
    from PIL import Image

    middle = HEIGHT - MARGIN - 28  # the footer's centre line: a 56-pixel logo's
    x = MARGIN
    if spec.style.logo:
        logo = Image.open(io.BytesIO(spec.style.logo))
        image.paste(logo, (x, middle - logo.height // 2), logo)
        x += logo.width + 24
    for text, font in _foot_runs(spec, fonts):
        room = WIDTH - MARGIN - x
        shown = fit_line(text, font, room, _ellipsis(font, fonts))
        if not shown.strip() or (shown != text and text in (SEPARATOR, GAP)):
            break  # no room for a separator with nothing after it
        draw.text((x, middle), shown, font=font, fill=spec.style.muted, anchor="lm")
        if shown != text:
            break
        x += round(font.getlength(text))


FOOT_SIZE = 32
SEPARATOR = " · "
GAP = "   "  # between the site's name and the authors when neither's font has the separator


def _foot_runs(spec: CardSpec, fonts: Fonts) -> list[tuple[str, ImageFont.FreeTypeFont]]:
    """The foot's texts in order, each with the font it is drawn in: the site's name, then the authors, each
    with the first font that has all of it, and between them a separator in a font that has it. One text for
    the whole foot took the site's name off a card whose author's name was in a script its font lacks."""
    # One line each: Pillow measures no text with a line break in it (a site's title may hold one).
    parts = [(part, fonts.regular(FOOT_SIZE, part)) for part in map(collapsed, (spec.site_name, spec.byline)) if part]
    shown = [(part, font) for part, font in parts if font is not None]
    runs: list[tuple[str, ImageFont.FreeTypeFont]] = []
    for before, after in itertools.pairwise(shown):
        runs.append(before)
        separator = next((font for _, font in (before, after) if fonts.has_characters(font, SEPARATOR.strip())),
                         None)
        runs.append((SEPARATOR if separator is not None else GAP, separator or before[1]))
    return runs + shown[-1:]


def _canvas(style: CardStyle) -> Image.Image:
    from PIL import Image

    image = Image.new("RGB", (WIDTH, HEIGHT), style.background)
    if style.backdrop:
        backdrop = Image.open(io.BytesIO(style.backdrop))
        image.paste(backdrop, None, backdrop if backdrop.mode == "RGBA" else None)  # the colour shows through
    return image


def cover(data: bytes) -> bytes:
    """An image (its file's bytes) as shown (`_shown`), scaled to cover 1200×630 and cropped to it, as PNG: made
    once a build, not for each card (a 24-megapixel photo took 0.7 s a card). UnreadableImage when it cannot be
    read."""
    from PIL import Image

    with _opened(data) as picture:
        whole = _shown(picture)
    scale = max(WIDTH / whole.width, HEIGHT / whole.height)
    whole = whole.resize((max(WIDTH, round(whole.width * scale)), max(HEIGHT, round(whole.height * scale))),
                         Image.Resampling.LANCZOS)
    left, top = (whole.width - WIDTH) // 2, (whole.height - HEIGHT) // 2
    return _png(whole.crop((left, top, left + WIDTH, top + HEIGHT)))


def logo_thumbnail(data: bytes) -> bytes:
    """A logo (its file's bytes, PNG for an SVG) as drawn on cards, at most 160×56, as PNG: made once a build.
    UnreadableImage when it cannot be read."""
    from PIL import Image

    with _opened(data) as picture:
        logo = _shown(picture).convert("RGBA")
    logo.thumbnail((160, 56), Image.Resampling.LANCZOS)
    return _png(logo)


def _shown(picture: Image.Image) -> Image.Image:
    """The pixels of an image as viewers show it, in RGB, or RGBA where some are see-through: turned as its EXIF
    orientation says (a phone stores a portrait photo on its side: a card showed it so), 16-bit grey scaled to 8
    bits (Pillow's conversion clips it: mid-grey came out white), and transparency kept (as RGB, see-through pixels
    showed the colour they hide, often black, over the card's background)."""
    from PIL import ImageOps

    upright = ImageOps.exif_transpose(picture)
    if upright.mode.startswith("I"):  # 16- or 32-bit grey, as some PNGs are
        return upright.convert("I").point(lambda value: value * (1 / 256)).convert("RGB")
    if upright.mode in ("RGBA", "LA", "La", "PA", "RGBa") or "transparency" in upright.info:
        return upright.convert("RGBA")
    return upright.convert("RGB")


class UnreadableImage(ValueError):
    """An image Pillow cannot read, or one larger than it reads without a warning; says why."""


@contextlib.contextmanager
def _opened(data: bytes) -> Iterator[Image.Image]:
    """The image in `data`, read whole; UnreadableImage for one Pillow cannot read, cut short, or of more pixels
    than Pillow reads without a warning of a decompression bomb (89 million: a 109 KB PNG can say 30000×30000)."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as picture:
                picture.load()
                yield picture
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) \
                as error:
            raise UnreadableImage(f"cannot be read as an image ({error})") from None


def _jpeg(image: Image.Image) -> bytes:
    """JPEG bytes with no metadata, colour kept at full resolution (no chroma subsampling: text stays crisp); the
    same card is the same file, as Pillow's encoder gives the same bytes for the same pixels and settings."""
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=85, subsampling=0)
    return out.getvalue()


def _png(image: Image.Image) -> bytes:
    """PNG bytes with no metadata (no time, no software name): the same card is the same file."""
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()
