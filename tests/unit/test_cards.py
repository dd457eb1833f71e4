"""Link-preview cards: a 1200×630 PNG for every page without its own image, SVG images converted."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from PIL import Image, ImageChops

from publisher.build.pipeline import BuildOptions, BuildReport, build
from publisher.commands.check import check_site
from publisher.core import files
from publisher.core.errors import BuildFailed
from publisher.core.files import SWEPT_EVERY
from publisher.images import previews
from publisher.images.cards import (
    HEIGHT,
    MARGIN,
    TITLE_SIZES,
    WIDTH,
    CardSpec,
    draw_card,
    logo_thumbnail,
    wrap_title,
)
from publisher.images.fonts import FontFiles, Fonts
from publisher.output import writer

NOW = datetime(2026, 9, 1, tzinfo=UTC)
THEME_FONTS = Path(__file__).resolve().parents[2] / "themes" / "default" / "fonts"
TEST_FONTS = Path(__file__).resolve().parents[1] / "fixtures" / "fonts"
JAPANESE = "長文コンテンツで見込み客を獲得する方法"
ARABIC = "كيف نقيس جودة العملاء المحتملين من المحتوى الطويل"


def run(site: Path, **options: object) -> BuildReport:
    return build(BuildOptions(config=site / "publisher.toml", now=NOW, workers=1, **options))  # type: ignore[arg-type]


def write_post(site: Path, name: str, front: str) -> None:
    (site / "content" / "posts" / f"{name}.md").write_text(f"---\n{front}\n---\n\nBody.\n", encoding="utf-8")


def svg_post(site: Path, name: str, svg: str) -> None:
    """A post whose image is `static/img/<name>.svg`, holding `svg`."""
    (site / "static" / "img").mkdir(parents=True, exist_ok=True)
    (site / "static" / "img" / f"{name}.svg").write_text(svg, encoding="utf-8")
    write_post(site, name, f"title: {name.title()}\ndate: 2026-03-01\nimage: /img/{name}.svg")


def configure(site: Path, text: str) -> None:
    with (site / "publisher.toml").open("a", encoding="utf-8") as config:
        config.write("\n" + text + "\n")


def og_image(out: Path, page: str) -> str:
    html = (out / page / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<meta property="og:image" content="https://hub\.example(/[^"]+)">', html)
    assert found, page
    return found.group(1)


def card(out: Path, page: str) -> Image.Image:
    return Image.open(io.BytesIO((out / og_image(out, page).lstrip("/")).read_bytes()))


def ink_columns(image: Image.Image, top: int, bottom: int) -> tuple[int, int]:
    """Leftmost and rightmost columns that differ from the background in a band of the card."""
    band = image.convert("RGB").crop((40, top, WIDTH, bottom))
    background = Image.new("RGB", band.size, image.convert("RGB").getpixel((WIDTH - 5, HEIGHT // 2)))
    box = ImageChops.difference(band, background).getbbox()
    assert box is not None, "nothing drawn there"
    return box[0] + 40, box[2] + 40


def test_every_page_without_an_image_gets_a_card_named_by_what_it_shows(site_dir: Path) -> None:
    out = run(site_dir).output_dir
    path = og_image(out, "first")
    assert re.fullmatch(r"/social/first-[0-9a-f]{10}\.png", path)
    image = card(out, "first")
    assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT)) and not image.info.get("exif")
    html = (out / "first" / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image:alt" content="First post">' in html
    assert f'<meta name="twitter:image" content="https://hub.example{path}">' in html
    assert f'"image": "https://hub.example{path}"' in html  # JSON-LD
    assert re.fullmatch(r"/social/tags/[\w-]+-[0-9a-f]{10}\.png", og_image(out, "tags/" + _a_tag(out)))
    rss = feedparser.parse((out / "feed.xml").read_bytes())
    assert any(media["url"] == f"https://hub.example{path}" for e in rss.entries for media in e.media_content)
    share = json.loads((out / "share" / "share.json").read_text(encoding="utf-8"))
    assert any(item.get("image") == f"https://hub.example{path}" for item in share["items"])


def _a_tag(out: Path) -> str:
    return sorted(p.name for p in (out / "tags").iterdir() if p.is_dir())[0]


def test_cards_are_drawn_once_then_come_from_the_cache_with_the_same_bytes(site_dir: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[str] = []
    real = previews.draw_card
    monkeypatch.setattr(previews, "draw_card", lambda spec, fonts: drawn.append(spec.title) or real(spec, fonts))
    first = run(site_dir, output=site_dir / "one").output_dir
    assert "First post" in drawn
    before = {p.name: p.read_bytes() for p in (first / "social").glob("*.png")}
    drawn.clear()
    second = run(site_dir, output=site_dir / "two").output_dir
    assert drawn == []  # a no-change build draws no card
    assert {p.name: p.read_bytes() for p in (second / "social").glob("*.png")} == before
    fresh = run(site_dir, output=site_dir / "three", use_cache=False).output_dir  # drawn again: same bytes
    assert {p.name: p.read_bytes() for p in (fresh / "social").glob("*.png")} == before
    drawn.clear()
    text = (site_dir / "content" / "posts" / "first.md").read_text(encoding="utf-8")
    (site_dir / "content" / "posts" / "first.md").write_text(text.replace("title: First post", "title: Renamed"))
    changed = run(site_dir, output=site_dir / "four").output_dir
    assert drawn == ["Renamed"]
    assert og_image(changed, "first") != og_image(first, "first")  # a new name: networks fetch it anew


def test_a_build_lists_the_card_cache_once_and_links_its_cards_by_that_listing(site_dir: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    first = run(site_dir).output_dir
    listed: list[str] = []

    def listing(folder: str | os.PathLike[str]) -> dict[str, tuple[int, int]]:
        listed.append(Path(folder).name)
        return files.files_in(folder)

    monkeypatch.setattr(previews, "files_in", listing)
    monkeypatch.setattr(writer, "files_in", listing)
    out = run(site_dir).output_dir  # a new process's build: the output walked, every card drawn before
    assert listed.count("cards") == 1  # the cards' own listing; the writer takes their inodes from it
    shown = out / og_image(out, "first").lstrip("/")
    cached = (site_dir / ".publisher-cache" / "cards").glob("*.png")
    assert out == first and any(os.path.samefile(shown, card) for card in cached)  # still the cache's file


def test_cards_drawn_by_other_code_are_named_anew_and_drawn_again(site_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # The cache keeps cards by their names: a card kept from code that drew it otherwise (a new layout) would
    # differ from the one a clean build draws, and networks keep an image by its URL.
    drawn: list[str] = []
    real = previews.draw_card
    monkeypatch.setattr(previews, "draw_card", lambda spec, fonts: drawn.append(spec.title) or real(spec, fonts))
    first = og_image(run(site_dir).output_dir, "first")
    monkeypatch.setattr(previews, "drawing_code", lambda: "code that draws otherwise")
    drawn.clear()
    out = run(site_dir).output_dir
    assert "First post" in drawn and og_image(out, "first") != first


def _cached(cards: Path, out: Path, page: str) -> Path:
    """The cache's file of the card the page shows (the output's file is a link to it)."""
    shown = out / og_image(out, page).lstrip("/")
    return next(path for path in cards.iterdir() if path.suffix == ".png" and os.path.samefile(path, shown))


def _damage(path: Path, how: str) -> None:
    """Put damaged bytes in the place of the file at `path` (a new file: a link to the old one keeps its bytes)."""
    data = path.read_bytes()
    path.unlink()
    if how == "cut short":
        path.write_bytes(data[: len(data) // 2])
    elif how == "bytes added at its end":
        path.write_bytes(data + b"left over")
    elif how == "a byte changed":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1:])
    else:
        path.write_bytes(b"not a card at all\n" * 40)


@pytest.mark.parametrize("how", ["cut short", "bytes added at its end", "a byte changed", "something else"])
@pytest.mark.parametrize("output", ["the same output", "a new output (CI)"])
def test_a_damaged_card_in_the_cache_is_drawn_again_not_published(site_dir: Path, how: str, output: str) -> None:
    """A cache is never trusted to hold what its names say: a card linked anew into an output is read once and
    drawn again when it is not a whole PNG."""
    cards = site_dir / ".publisher-cache" / "cards"
    out = run(site_dir).output_dir
    clean = {p.name: p.read_bytes() for p in (run(site_dir, output=site_dir / "clean", use_cache=False).output_dir
                                               / "social").glob("*.png")}
    cached = _cached(cards, out, "first")
    _damage(cached, how)
    assert not previews.whole_png(cached)
    if output == "a new output (CI)":
        shutil.rmtree(out)
    out = run(site_dir).output_dir
    assert {p.name: p.read_bytes() for p in (out / "social").glob("*.png")} == clean
    assert previews.whole_png(cached) and os.path.samefile(cached, out / og_image(out, "first").lstrip("/"))


def test_a_card_the_output_holds_as_the_caches_file_is_not_read_again(site_dir: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = previews.whole_png
    monkeypatch.setattr(previews, "whole_png", lambda path: read.append(path.name) or real(path))
    out = run(site_dir).output_dir  # every card drawn: none read
    assert read == []
    edited = site_dir / "content" / "posts" / "first.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA paragraph more.\n", encoding="utf-8")
    run(site_dir)  # the output links every card: none read
    assert read == []
    run(site_dir, output=site_dir / "elsewhere")  # a new output: each card read once
    assert sorted(read) == sorted({p.name for p in (site_dir / ".publisher-cache" / "cards").glob("*.png")
                                   if any(os.path.samefile(p, shown) for shown in (out / "social").rglob("*.png"))})


def test_a_card_no_output_shows_and_nothing_touched_for_30_days_is_removed(site_dir: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Each new title, look or drawing code leaves the old card in the cache: about 800 MB at 10,000 posts for
    # each change to the drawing code, which a CI cache would carry for good.
    cards, swept = site_dir / ".publisher-cache" / "cards", site_dir / ".publisher-cache" / "cards.swept"
    out = run(site_dir).output_dir
    other = run(site_dir, output=site_dir / "other").output_dir  # another output showing the same cards
    old = _cached(cards, out, "first")
    text = (site_dir / "content" / "posts" / "first.md").read_text(encoding="utf-8")
    (site_dir / "content" / "posts" / "first.md").write_text(text.replace("title: First post", "title: Renamed"))
    run(site_dir)
    new = _cached(cards, out, "first")
    shutil.rmtree(other)  # no output shows the old card now
    os.utime(old, (time.time() - 40 * 86400,) * 2)  # written 40 days ago, as a CI cache restores it (with its time)
    os.utime(swept, (time.time() - 2 * SWEPT_EVERY,) * 2)
    run(site_dir)
    assert old.is_file()  # its last unlink, or restore, is new: kept for 30 days

    monkeypatch.setattr(files, "UNUSED_FOR", -1)  # as 30 days later
    run(site_dir)
    assert old.is_file()  # looked for once a day
    os.utime(swept, (time.time() - 2 * SWEPT_EVERY,) * 2)
    shown = {p.name: p.read_bytes() for p in (out / "social").rglob("*.png")}
    run(site_dir)
    assert not old.exists() and new.is_file()  # the card the output shows stays
    assert {p.name: p.read_bytes() for p in (out / "social").rglob("*.png")} == shown
    run(site_dir, output=site_dir / "other")  # shown again by a build that wants it: drawn again
    assert (site_dir / "other" / og_image(site_dir / "other", "first").lstrip("/")).is_file()


def test_a_card_another_output_shows_is_kept_however_old(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cards, swept = site_dir / ".publisher-cache" / "cards", site_dir / ".publisher-cache" / "cards.swept"
    other = run(site_dir, output=site_dir / "other").output_dir
    old = _cached(cards, other, "first")
    text = (site_dir / "content" / "posts" / "first.md").read_text(encoding="utf-8")
    (site_dir / "content" / "posts" / "first.md").write_text(text.replace("title: First post", "title: Renamed"))
    monkeypatch.setattr(files, "UNUSED_FOR", -1)
    run(site_dir)
    os.utime(swept, (time.time() - 2 * SWEPT_EVERY,) * 2)
    run(site_dir)
    assert old.is_file() and os.path.samefile(old, other / og_image(other, "first").lstrip("/"))


def test_a_long_title_takes_three_lines_and_ends_with_an_ellipsis_at_a_word() -> None:
    fonts = Fonts(FontFiles(THEME_FONTS / "Lato-Bold.ttf", THEME_FONTS / "Lato-Regular.ttf"))
    font = fonts.bold(58, "x")
    assert font is not None
    title = ("Calls to action by funnel stage: what to ask for, and when to ask for it, without being pushy, "
             "in long-form pieces that people actually finish reading on their phones")
    lines = wrap_title(title, font, WIDTH - 2 * MARGIN)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= WIDTH - 2 * MARGIN for line in lines)
    shown = " ".join(lines)[:-1].split()
    assert shown == title.split()[: len(shown)]  # whole words, in order
    short = wrap_title("A short title", font, WIDTH - 2 * MARGIN)
    assert short == ["A short title"]
    url = wrap_title("https://example.com/" + "a" * 200, font, WIDTH - 2 * MARGIN)
    assert len(url) == 1 and url[0].endswith("…") and font.getlength(url[0]) <= WIDTH - 2 * MARGIN



@pytest.mark.parametrize("length", [60, 20_000])
def test_a_word_longer_than_a_line_is_cut_at_the_longest_start_that_fits(length: int) -> None:
    fonts = Fonts(FontFiles(THEME_FONTS / "Lato-Bold.ttf", THEME_FONTS / "Lato-Regular.ttf"))
    font = fonts.bold(58, "x")
    assert font is not None
    word = ("Wfi.il-" * length)[:length]  # wide, narrow and ligatured letters
    [line] = wrap_title(word, font, WIDTH - 2 * MARGIN)
    start = line.removesuffix("…")
    assert word.startswith(start) and 0 < len(start) < length
    assert font.getlength(line) <= WIDTH - 2 * MARGIN < font.getlength(word[:len(start) + 1] + "…")


def test_a_word_of_a_million_wide_letters_is_cut_too() -> None:
    """Its width is past what FreeType's measure holds (it came out negative): the word was drawn whole, into an
    image Pillow then refused as a decompression bomb, after minutes."""
    font = Fonts(FontFiles(THEME_FONTS / "Lato-Bold.ttf", THEME_FONTS / "Lato-Regular.ttf")).bold(58, "x")
    assert font is not None
    [line] = wrap_title("W" * 1_000_000, font, WIDTH - 2 * MARGIN)
    assert line.endswith("…") and 0 < font.getlength(line) <= WIDTH - 2 * MARGIN


def test_a_title_in_a_script_written_without_spaces_wraps_between_its_characters() -> None:
    """A Japanese, Chinese or Thai title has no spaces: it was one word, cut after its first line with an ellipsis
    (18 characters of Japanese showed 12 and "…", two lines of room left empty)."""
    fonts = Fonts(FontFiles(THEME_FONTS / "Lato-Bold.ttf", THEME_FONTS / "Lato-Regular.ttf",
                            (TEST_FONTS / "NotoSansJP-Bold-subset.ttf",)))
    font = fonts.bold(76, JAPANESE)
    assert font is not None
    width = WIDTH - 2 * MARGIN
    lines = wrap_title(JAPANESE, font, width)
    assert len(lines) == 2 and "".join(lines) == JAPANESE
    assert all(font.getlength(line) <= width for line in lines)
    long = wrap_title(JAPANESE * 3, font, width)
    assert len(long) == 3 and long[-1].endswith("…") and (JAPANESE * 3).startswith("".join(long)[:-1])
    mixed = wrap_title(f"Launch: {JAPANESE}", font, width)  # Latin words, then Japanese: breaks at either
    assert len(mixed) == 2 and " ".join(mixed[:1]) + mixed[1] == f"Launch: {JAPANESE}"


def test_lines_of_japanese_keep_punctuation_off_their_starts_and_brackets_off_their_ends() -> None:
    font = Fonts(FontFiles(THEME_FONTS / "Lato-Bold.ttf", THEME_FONTS / "Lato-Regular.ttf")).bold(58, "x")
    assert font is not None
    title = "東京（2026年版）のラーメン、最高！ぁっ。「新しい」店々ー"  # noqa: RUF001 - full-width, as Japanese writes it
    for width in range(60, 700, 37):  # each width breaks at other places
        lines = wrap_title(title, font, width)
        assert all(line[0] not in "、。）！」ぁっー々" for line in lines[1:]), lines  # noqa: RUF001
        assert all(line[-1] not in "（「" for line in lines), lines  # noqa: RUF001


def test_a_word_is_never_cut_inside_a_letter_made_of_several_characters() -> None:
    """A letter and its combining accent, or a Devanagari conjunct, cut apart shows a dotted circle or a stray
    virama."""
    font = Fonts(FontFiles(THEME_FONTS / "Lato-Bold.ttf", THEME_FONTS / "Lato-Regular.ttf")).bold(58, "x")
    assert font is not None
    for letter in ("e\u0301", "\u0915\u094d\u0937"):  # é as e and an accent; क्ष, two consonants and a virama
        word = letter * 200
        [line] = wrap_title(word, font, WIDTH - 2 * MARGIN)
        start = line.removesuffix("…")
        assert start and word.startswith(start) and len(start) % len(letter) == 0, ascii(start[-3:])


@pytest.mark.parametrize("title", [JAPANESE * 3, f"{ARABIC} {ARABIC} {ARABIC}"])
def test_a_title_cut_short_ends_with_a_mark_its_font_has_not_a_box(monkeypatch: pytest.MonkeyPatch,
                                                                   title: str) -> None:
    """Fonts of one script often lack "…" (Noto Sans Arabic, Hebrew and Thai do; Hebrew's and Thai's lack "." too),
    and a long title drawn with one ended in a box: every character drawn must be one its font has."""
    from fontTools.ttLib import TTFont
    from PIL import ImageDraw

    fallbacks = (TEST_FONTS / "NotoSansJP-Bold-subset.ttf", TEST_FONTS / "DejaVuSans-Bold-arabic-subset.ttf")
    fonts = Fonts(FontFiles(THEME_FONTS / "Lato-Bold.ttf", THEME_FONTS / "Lato-Regular.ttf", fallbacks))
    drawn: list[tuple[str, object]] = []
    real = ImageDraw.ImageDraw.text

    def noting(self: ImageDraw.ImageDraw, xy: object, text: str, *args: object, **kwargs: object) -> None:
        drawn.append((text, kwargs.get("font")))
        real(self, xy, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", noting)
    draw_card(CardSpec(title, "Hub"), fonts)
    lines = [(text, font) for text, font in drawn if getattr(font, "size", 0) in TITLE_SIZES]
    assert len(lines) == 3
    for text, font in lines:
        with TTFont(getattr(font, "path"), lazy=True) as file:  # noqa: B009 - a FreeTypeFont's file
            has = set(file.getBestCmap())
        assert {ord(c) for c in text if not c.isspace()} <= has, f"{text!r} draws what its font lacks"


def test_a_title_no_font_covers_is_left_out_with_a_warning_not_drawn_as_boxes(site_dir: Path) -> None:
    write_post(site_dir, "japanese", f"title: {JAPANESE}\ndate: 2026-03-01")
    report = run(site_dir)
    assert [str(w) for w in report.warnings if w.field == "title"] == [
        ("content/posts/japanese.md:2: title: no card font covers its script: the card shows no title "
         "(add a font that does to [social.cards] fallback_fonts)")]
    blank = card(report.output_dir, "japanese").convert("RGB")
    title_band = blank.crop((MARGIN, 150, WIDTH - MARGIN, 420))
    assert title_band.getextrema() == ((18, 18), (52, 52), (59, 59))  # nothing but the background there
    with pytest.raises(BuildFailed):
        run(site_dir, strict=True)


def test_an_emoji_no_font_has_is_left_out_of_the_title_not_the_whole_title(site_dir: Path) -> None:
    """`🚀 Launch week`: no card font has the rocket, and the card showed no title at all; it shows the words, and
    a warning names what it left out. A title of symbols alone still shows none."""
    write_post(site_dir, "launch", "title: \"🚀 Launch week 👩🏽‍💻\"\ndate: 2026-03-01")
    write_post(site_dir, "rockets", "title: \"🚀🚀\"\ndate: 2026-03-02")
    report = run(site_dir)
    assert sorted(str(w) for w in report.warnings if w.field == "title") == [
        ("content/posts/launch.md:2: title: no card font has '🚀👩🏽\u200d💻': the card shows the title without it "
         "(add a font that does to [social.cards] fallback_fonts)"),
        ("content/posts/rockets.md:2: title: no card font covers its script: the card shows no title "
         "(add a font that does to [social.cards] fallback_fonts)")]
    def title_band(page: str) -> tuple[tuple[int, int], ...]:
        return card(report.output_dir, page).convert("RGB").crop((MARGIN, 60, WIDTH - MARGIN, 420)).getextrema()

    assert title_band("launch") != title_band("rockets") == ((18, 18), (52, 52), (59, 59))  # the words, or nothing


def test_with_cards_off_what_no_card_font_covers_is_no_warning(site_dir: Path) -> None:
    """With `[social.cards] enabled = false` no card is drawn, yet a Japanese title, tag or author was still warned
    of as "the card shows no title", and `build --strict` failed on cards that do not exist."""
    configure(site_dir, "[social.cards]\nenabled = false")
    write_post(site_dir, "japanese", f"title: {JAPANESE}\ndate: 2026-03-01\ntags: [日本語]\nauthor: 王芳")
    report = run(site_dir, strict=True)
    assert [str(w) for w in report.warnings if "card font" in str(w)] == []


def test_a_tag_no_font_covers_is_a_warning_at_its_oldest_post(site_dir: Path) -> None:
    write_post(site_dir, "older", "title: Older\ndate: 2026-03-01\ntags: [日本語]")
    write_post(site_dir, "newer", "title: Newer\ndate: 2026-03-02\ntags: [日本語]")
    report = run(site_dir)
    assert [str(w) for w in report.warnings if w.field == "tags"] == [
        ("content/posts/older.md:4: tags: no card font covers the tag '日本語': its page's card shows no name "
         "(add a font that does to [social.cards] fallback_fonts)")]


def test_what_a_font_covers_is_kept_by_its_bytes(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a font's characters takes fontTools (0.02 s a build): a build with the cache knows from the last
    one that the bold font covers an ASCII title; and a font file replaced by one that does not is read again."""
    bold = site_dir / "card-bold.ttf"
    bold.write_bytes((THEME_FONTS / "Lato-Bold.ttf").read_bytes())
    configure(site_dir, f'[social.cards]\nfont = "{bold}"\n')
    cached = {"use_cache": True}
    first = run(site_dir, **cached)
    assert not [w for w in first.warnings if w.field == "title"]
    real = Fonts._characters

    def refused(self: Fonts, path: Path) -> frozenset[int]:
        raise AssertionError(f"{path.name}'s characters were read again")

    monkeypatch.setattr(Fonts, "_characters", refused)
    first_post = site_dir / "content" / "posts" / "first.md"
    first_post.write_text(first_post.read_text(encoding="utf-8") + "\nAnother line.\n", encoding="utf-8")
    assert not [w for w in run(site_dir, **cached).warnings if w.field == "title"]  # its card is drawn already
    monkeypatch.setattr(Fonts, "_characters", real)
    bold.write_bytes((TEST_FONTS / "NotoSansJP-Bold-subset.ttf").read_bytes())  # no Latin letters
    titles = [w for w in run(site_dir, **cached).warnings if w.field == "title"]
    assert {w.path for w in titles} == {"content/posts/first.md", "content/posts/second.md", "content/pages/about.md"}
    assert all("no card font covers its script" in w.message for w in titles)


def test_japanese_and_arabic_titles_are_drawn_with_a_fallback_font_arabic_from_the_right(site_dir: Path) -> None:
    configure(site_dir, f'[social.cards]\nfallback_fonts = ["{TEST_FONTS / "NotoSansJP-Bold-subset.ttf"}", '
                        f'"{TEST_FONTS / "DejaVuSans-Bold-arabic-subset.ttf"}"]')
    write_post(site_dir, "japanese", f"title: {JAPANESE}\ndate: 2026-03-01")
    write_post(site_dir, "arabic", f"title: {ARABIC}\ndate: 2026-03-02")
    report = run(site_dir)
    assert not [w for w in report.warnings if w.field == "title"]
    left, right = ink_columns(card(report.output_dir, "japanese"), 150, 420)
    assert left < MARGIN + 10  # from the left edge
    left, right = ink_columns(card(report.output_dir, "arabic"), 150, 420)
    assert right > WIDTH - MARGIN - 10 and left > MARGIN + 100  # from the right edge, shaped as a line of text


def test_an_svg_image_is_converted_to_png_for_previews(site_dir: Path) -> None:
    (site_dir / "static" / "img").mkdir(parents=True, exist_ok=True)
    (site_dir / "static" / "img" / "chart.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="400" height="200" '
        'fill="#ff0000"/></svg>', encoding="utf-8")
    write_post(site_dir, "charted", "title: Charted\ndate: 2026-03-01\nimage: /img/chart.svg\nimage_alt: A red bar")
    out = run(site_dir).output_dir
    assert re.fullmatch(r"/social/charted-[0-9a-f]{10}\.png", og_image(out, "charted"))
    image = card(out, "charted").convert("RGB")
    assert image.size == (WIDTH, HEIGHT) and image.getpixel((WIDTH // 2, HEIGHT // 2)) == (255, 0, 0)
    assert image.getpixel((5, 5)) == (255, 255, 255)  # fitted inside, centred on white
    assert '<meta property="og:image:alt" content="A red bar">' in (out / "charted" / "index.html").read_text()
    assert (out / "img" / "chart.svg").is_file()  # the original is published as it was




def test_an_image_whose_name_has_a_space_is_a_uri_with_its_size_however_it_is_written(site_dir: Path) -> None:
    """`/img/my pic.png` (or `my%20pic.png`): og:image is a URI a crawler can fetch, with the image's size."""
    (site_dir / "static" / "img").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (1200, 630), "#2e7d8c").save(site_dir / "static" / "img" / "my pic.png")
    write_post(site_dir, "spaced", "title: Spaced\ndate: 2026-03-01\nimage: /img/my pic.png\nimage_alt: Teal")
    write_post(site_dir, "encoded", "title: Encoded\ndate: 2026-03-02\nimage: /img/my%20pic.png\nimage_alt: Teal")
    out = run(site_dir).output_dir
    for page in ("spaced", "encoded"):
        html = (out / page / "index.html").read_text(encoding="utf-8")
        assert og_image(out, page) == "/img/my%20pic.png", page
        assert '<meta property="og:image:width" content="1200">' in html, page


def _colours(image: Image.Image) -> set[tuple[int, int, int]]:
    return {colour for _, colour in image.convert("RGB").getcolors(image.width * image.height) or []}


def test_an_svg_image_draws_no_file_it_names_as_a_browser_showing_it_as_an_image_would_not(
        site_dir: Path, tmp_path: Path) -> None:
    """resvg reads any file an SVG's `href` names: a file outside the site was drawn into the published card, and
    into every card when the SVG was the logo. An image inside the SVG (a `data:` URL) is drawn."""
    Image.new("RGB", (50, 50), "#ff0000").save(tmp_path / "secret.png")
    inside = io.BytesIO()
    Image.new("RGB", (1, 1), "#00ff00").save(inside, format="PNG")
    (site_dir / "static" / "img").mkdir(parents=True, exist_ok=True)
    (site_dir / "static" / "img" / "a.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" '
        f'height="200"><rect width="200" height="200" fill="#0000ff"/><image href="{tmp_path}/secret.png" '
        'width="400" height="200"/><image xlink:href="../../../secret.png" width="400" height="200"/>'
        f'<image href="data:image/png;base64,{base64.b64encode(inside.getvalue()).decode()}" x="300" width="100" '
        'height="200" preserveAspectRatio="none"/></svg>', encoding="utf-8")
    (site_dir / "secret.png").write_bytes((tmp_path / "secret.png").read_bytes())  # where `../../../` may lead
    write_post(site_dir, "drawn", "title: Drawn\ndate: 2026-03-01\nimage: /img/a.svg")
    configure(site_dir, "")
    (site_dir / "publisher.toml").write_text((site_dir / "publisher.toml").read_text().replace(
        "[site]", '[site]\nlogo = "/img/a.svg"', 1))
    out = run(site_dir).output_dir
    drawn = _colours(card(out, "drawn"))
    assert {(0, 0, 255), (0, 255, 0)} <= drawn and (255, 0, 0) not in drawn  # its own drawing, not the files'
    footer = card(out, "first").crop((0, HEIGHT - 150, 400, HEIGHT))
    assert (0, 0, 255) in _colours(footer) and (255, 0, 0) not in _colours(footer)  # the logo, drawn the same


@pytest.mark.parametrize(("svg", "said"), [
    ("not an image", "is not SVG that can be read"),
    ('<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 100_000 + "</g>" * 100_000 + "</svg>",
     "nests its elements more than 256 levels deep"),  # resvg's walk overflowed its stack: the build died
    ('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
     + ']><svg xmlns="http://www.w3.org/2000/svg"><text>&i;</text></svg>', "is not SVG that can be read"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="10"/>', "has no size to draw at"),
])
def test_an_svg_that_cannot_be_drawn_is_named_and_its_page_gets_a_card(site_dir: Path, svg: str, said: str) -> None:
    """Each of these stopped the build with a traceback, or killed it (a stack overflow, 5.7 TB asked for)."""
    svg_post(site_dir, "bad", svg)
    report = run(site_dir)
    [warning] = [w for w in report.warnings if w.path.endswith("bad.md")]
    assert (warning.line, warning.field) == (4, "image") and said in warning.message, warning
    assert "its page gets a card instead" in warning.message
    assert card(report.output_dir, "bad").size == (WIDTH, HEIGHT)



@pytest.mark.parametrize("workers", [1, 2])
def test_an_svg_resvg_cannot_draw_stops_the_build_with_one_line_naming_it(site_dir: Path, workers: int,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Read when planned, but refused by resvg as it draws (in a worker process, when there are many to draw)."""
    from publisher.images.svg import UnusableSvg

    def refuse(*_: object, **__: object) -> bytes:
        raise UnusableSvg("cannot be drawn (refused)")

    monkeypatch.setattr(previews, "svg_to_png", refuse)
    monkeypatch.setattr(previews, "PARALLEL_THRESHOLD", 1)
    svg_post(site_dir, "fine", '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"/>')
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, workers=workers, use_cache=False))
    [problem] = failed.value.problems
    assert problem.path.endswith("static/img/fine.svg") and str(problem).endswith(": image: cannot be drawn (refused)")


def test_an_svg_a_million_times_taller_than_wide_is_drawn_at_the_cards_height(site_dir: Path) -> None:
    """Drawn at the card's width first, it asked resvg for 5.7 TB, which killed the build."""
    svg_post(site_dir, "tall", '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1000000"><rect width="1" '
                               'height="1000000" fill="#0000ff"/></svg>')
    report = run(site_dir)
    assert not [w for w in report.warnings if w.path.endswith("tall.md")]
    assert card(report.output_dir, "tall").size == (WIDTH, HEIGHT)


@pytest.mark.parametrize("logo", ["huge.png", "text.png", "cut.png", "bad.svg", "wide.svg"])
def test_a_logo_that_cannot_be_drawn_is_named_and_cards_show_none(site_dir: Path, logo: str) -> None:
    """A 30000×30000 PNG of 100 KB (a decompression bomb), text named `.png`, a PNG cut short, an SVG that is not:
    each stopped the build with a traceback or with a message that named no file. An SVG a million times wider than
    high asked resvg for 50 GB: it is drawn 2,400 pixels wide at most."""
    folder = site_dir / "static" / "img"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "huge.png").write_bytes(_png_header(30_000, 30_000))
    (folder / "text.png").write_text("not an image", encoding="utf-8")
    whole = io.BytesIO()
    Image.new("RGB", (300, 100), "#0000ff").save(whole, format="PNG")
    (folder / "cut.png").write_bytes(whole.getvalue()[:60])
    (folder / "bad.svg").write_text("<svg", encoding="utf-8")
    (folder / "wide.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1000000" height="1">'
                                     '<rect width="1000000" height="1" fill="#0000ff"/></svg>', encoding="utf-8")
    (site_dir / "publisher.toml").write_text((site_dir / "publisher.toml").read_text().replace(
        "[site]", f'[site]\nlogo = "/img/{logo}"', 1))
    report = run(site_dir)
    named = [w for w in report.warnings if w.field == "site.logo"]
    assert [(w.path, logo in w.message, "cards show no logo" in w.message) for w in named] == (
        [] if logo == "wide.svg" else [("publisher.toml", True, True)]), named
    assert card(report.output_dir, "first").size == (WIDTH, HEIGHT)



def test_a_card_background_is_read_once_a_build_and_one_that_cannot_be_is_named(site_dir: Path,
                                                                                monkeypatch: pytest.MonkeyPatch
                                                                                ) -> None:
    """Each card read and scaled the background again: a 24-megapixel photo cost 0.7 s a card (10,000 posts, two
    hours). A 30000×30000 PNG stopped the build with a traceback."""
    (site_dir / "static").mkdir(exist_ok=True)
    Image.new("RGB", (2400, 1260), "#0000ff").save(site_dir / "static" / "photo.png")
    configure(site_dir, '[social.cards]\nbackground_image = "static/photo.png"')
    real, read = previews.cover, []
    monkeypatch.setattr(previews, "cover", lambda data: read.append(data) or real(data))
    report = run(site_dir)
    assert len(read) == 1 and len(list((report.output_dir / "social").rglob("*.jpg"))) >= 3  # on a photo: JPEG
    pixel = card(report.output_dir, "first").convert("RGB").getpixel((WIDTH - 5, 5))
    assert max(abs(got - wanted) for got, wanted in zip(pixel, (0, 0, 255), strict=True)) <= 3, pixel  # a JPEG
    (site_dir / "static" / "photo.png").write_bytes(_png_header(30_000, 30_000))
    report = run(site_dir)
    [named] = [w for w in report.warnings if w.field == "social.cards.background_image"]
    assert "photo.png cannot be read as an image" in named.message and "cards show their colour" in named.message


def test_a_card_on_a_photo_is_a_jpeg_small_enough_for_every_network(site_dir: Path) -> None:
    """A card drawn on a background photo was a PNG of 0.9–1.8 MB: past Bluesky's 1,000,000 bytes, so `check`
    failed every post of a site that posts there. It is a JPEG (no metadata, the same bytes each build); a card of
    flat colours stays a PNG."""
    import random

    grain = random.Random(7)  # a grainy photo: 1.8 MB as a PNG card
    small = Image.frombytes("RGB", (400, 210), bytes(grain.randrange(256) for _ in range(400 * 210 * 3)))
    photo = small.resize((1200, 630), Image.Resampling.BILINEAR)
    (site_dir / "static").mkdir(exist_ok=True)
    photo.save(site_dir / "static" / "photo.png")
    configure(site_dir, '[social.cards]\nbackground_image = "static/photo.png"')
    out = run(site_dir).output_dir
    path = og_image(out, "first")
    data = (out / path.lstrip("/")).read_bytes()
    assert path.endswith(".jpg") and data.startswith(b"\xff\xd8") and len(data) < 1_000_000, (path, len(data))
    assert Image.open(io.BytesIO(data)).size == (WIDTH, HEIGHT) and not Image.open(io.BytesIO(data)).info.get("exif")
    assert run(site_dir).output_dir == out and (out / path.lstrip("/")).read_bytes() == data  # the same bytes
    findings = check_site(BuildOptions(config=site_dir / "publisher.toml", now=NOW))
    assert not [finding for finding in findings if "social/" in finding.problem.message], findings


def _png_header(width: int, height: int) -> bytes:
    """A PNG that says it is `width`×`height` and holds little: a decompression bomb's header, as Pillow reads it."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    rows = zlib.compress(b"\0" * (1 + width // 8) * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_svg_text_in_a_generic_family_is_drawn_with_the_cards_regular_font(site_dir: Path) -> None:
    """No font of the machine is read: `sans-serif` stands for the cards' regular font (the theme's Lato), so the
    text shows; without that, the converted image would be blank where the text is."""
    (site_dir / "static" / "img").mkdir(parents=True, exist_ok=True)
    (site_dir / "static" / "img" / "label.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><text x="20" y="120" '
        'font-family="sans-serif" font-size="80" fill="#000000">Hello</text></svg>', encoding="utf-8")
    write_post(site_dir, "labelled", "title: Labelled\ndate: 2026-03-01\nimage: /img/label.svg\nimage_alt: Hello")
    image = card(run(site_dir).output_dir, "labelled").convert("L")
    dark = sum(1 for value in image.tobytes() if value < 128)
    assert dark > 1000  # the word's strokes, drawn in black on white


def test_colours_come_from_the_settings_over_the_themes_card_toml(site_dir: Path) -> None:
    theme_cards = site_dir / "themes" / "default" / "cards"
    theme_cards.mkdir(parents=True)
    (theme_cards / "card.toml").write_text('background = "#00ff00"\naccent = "#0000ff"\n', encoding="utf-8")
    out = run(site_dir).output_dir
    image = card(out, "first").convert("RGB")
    assert image.getpixel((WIDTH - 5, HEIGHT - 5)) == (0, 255, 0) and image.getpixel((5, 5)) == (0, 0, 255)
    configure(site_dir, '[social.cards]\nbackground = "#ff0000"')
    image = card(run(site_dir).output_dir, "first").convert("RGB")
    assert image.getpixel((WIDTH - 5, HEIGHT - 5)) == (255, 0, 0) and image.getpixel((5, 5)) == (0, 0, 255)


def test_cards_turned_off_leave_the_sites_image(site_dir: Path) -> None:
    configure(site_dir, '[social.cards]\nenabled = false')
    out = run(site_dir).output_dir
    assert "og:image" not in (out / "first" / "index.html").read_text(encoding="utf-8")
    assert not (out / "social").exists()


def test_cards_drawn_on_many_cores_end_their_workers_without_a_signal(site_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool's workers ended with SIGTERM once left a build waiting for good (a worker blocked on the pool's
    queue, seen under `make test`): they are told there is no more to draw, and end on their own."""
    import multiprocessing.process

    for n in range(previews.PARALLEL_THRESHOLD):
        write_post(site_dir, f"card-{n}.md", f"title: Card {n}\ndate: 2026-02-{n % 28 + 1:02d}")
    ended: list[int | None] = []
    terminate = multiprocessing.process.BaseProcess.terminate

    def noting(process: multiprocessing.process.BaseProcess) -> None:
        ended.append(process.pid)
        terminate(process)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "terminate", noting)
    out = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, workers=2)).output_dir
    assert len(list((out / "social").rglob("card-*.png"))) == previews.PARALLEL_THRESHOLD  # drawn by the pool
    assert ended == []


FOOT = (500, 545)  # the band of a card's foot: the logo, the site's name and the authors


def test_an_author_no_font_covers_leaves_the_site_name_at_the_foot_with_a_warning(site_dir: Path) -> None:
    """The foot was one text, `Test Hub · 王芳`, drawn only when one font had all of it: an author named in a script
    the card fonts lack took the site's name off every card of theirs, and nothing said so."""
    write_post(site_dir, "plain", "title: Plain\ndate: 2026-03-01\nauthor: Ann Author")
    write_post(site_dir, "by-wang", "title: Plain\ndate: 2026-03-01\nauthors: [Ann Author, 王芳]")
    report = run(site_dir)
    assert [str(w) for w in report.warnings if w.field == "authors"] == [
        ("content/posts/by-wang.md:4: authors: no card font covers the author '王芳': the card's foot leaves the "
         "name out (add a font that does to [social.cards] fallback_fonts)")]
    assert ink_columns(card(report.output_dir, "by-wang"), *FOOT) == ink_columns(card(report.output_dir, "plain"),
                                                                                   *FOOT)  # `Test Hub · Ann Author`


def test_the_foot_draws_the_site_name_and_authors_each_with_a_font_that_has_them(site_dir: Path) -> None:
    """An Arabic author's name, in a fallback font that has no Latin letters: no one font had the whole foot, and it
    showed nothing at all."""
    configure(site_dir, f'[social.cards]\nfallback_fonts = ["{TEST_FONTS / "DejaVuSans-Bold-arabic-subset.ttf"}"]')
    write_post(site_dir, "site-only", "title: Plain\ndate: 2026-03-01\nauthors: []")
    write_post(site_dir, "by-arabic", "title: Plain\ndate: 2026-03-01\nauthor: محمد")
    report = run(site_dir)
    assert not [w for w in report.warnings if w.field == "authors"]
    left, right = ink_columns(card(report.output_dir, "by-arabic"), *FOOT)
    site_left, site_right = ink_columns(card(report.output_dir, "site-only"), *FOOT)
    assert left == site_left and right > site_right + 60  # the site's name, then the author's


def test_a_site_title_no_font_covers_is_a_warning_at_its_setting_and_the_authors_still_show(site_dir: Path) -> None:
    toml = site_dir / "publisher.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "Test Hub"', 'title = "北光ジャーナル"'),
                    encoding="utf-8")
    write_post(site_dir, "plain", "title: Plain\ndate: 2026-03-01\nauthor: Ann Author")
    report = run(site_dir)
    assert [str(w) for w in report.warnings if w.field == "site.title"] == [
        ("publisher.toml:2: site.title: no card font covers the site's title '北光ジャーナル': cards show no site "
         "name at their foot (add a font that does to [social.cards] fallback_fonts)")]
    left, _ = ink_columns(card(report.output_dir, "plain"), *FOOT)
    assert left < MARGIN + 10  # `Ann Author`, where the site's name would begin


def test_a_long_label_and_a_long_foot_end_in_an_ellipsis_inside_the_card(site_dir: Path) -> None:
    """The home page's card shows the site's description above its title, and a post's card its authors at its
    foot, each on one line: a description of a meta description's length (80 characters of the sample hub's), or
    four authors, ran off the card's right edge, cut inside a letter."""
    toml = site_dir / "publisher.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'description = "A small site the broken cases start from."',
        'description = "Long-form notes on content that earns its readers, from the team at Northlight."'),
        encoding="utf-8")
    configure(site_dir, "[authors.maya]\nname = \"Maya Lindqvist\"\n[authors.tomas]\nname = \"Tomás Reyes\"\n"
                        "[authors.jon]\nname = \"Jonathan Featherstonehaugh\"")
    write_post(site_dir, "many", "title: Plain\ndate: 2026-03-01\nauthors: [ann, maya, tomas, jon]")
    out = run(site_dir).output_dir
    label_left, label_right = ink_columns(card(out, ""), 80, 115)
    assert label_left < MARGIN + 10 and WIDTH - MARGIN - 60 < label_right <= WIDTH - MARGIN
    foot_left, foot_right = ink_columns(card(out, "many"), *FOOT)
    assert foot_left < MARGIN + 10 and WIDTH // 2 < foot_right <= WIDTH - MARGIN  # to the last author that fits


def test_a_site_title_on_two_lines_is_one_line_at_the_foot(site_dir: Path) -> None:
    """Pillow measures no text with a line break in it: a site's title of two lines stopped every build that drew
    a card with a traceback (raqm_layout() failed) once the foot was fitted to the card's width."""
    toml = site_dir / "publisher.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "Test Hub"', 'title = "Test\\nHub"'),
                    encoding="utf-8")
    write_post(site_dir, "plain", "title: Plain\ndate: 2026-03-01\nauthors: []")
    wrapped = ink_columns(card(run(site_dir).output_dir, "plain"), *FOOT)
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "Test\\nHub"', 'title = "Test Hub"'),
                    encoding="utf-8")
    assert wrapped == ink_columns(card(run(site_dir).output_dir, "plain"), *FOOT)


def _near(pixel: object, wanted: tuple[int, int, int], within: int = 6) -> bool:
    """Whether an RGB pixel of a JPEG card is `wanted`, give or take the encoding's error."""
    assert isinstance(pixel, tuple)
    return max(abs(got - want) for got, want in zip(pixel, wanted, strict=True)) <= within


def test_a_card_background_is_drawn_as_it_is_shown_upright_grey_and_see_through(site_dir: Path) -> None:
    """Backgrounds as a designer hands them over: a photo from a phone, stored on its side with an EXIF orientation
    (cards showed it sideways: its left half, red, stood on the card's left where it is shown on top); a 16-bit
    grey PNG (Pillow's conversion clips it: mid-grey came out white); a PNG of transparent artwork (its
    see-through pixels came out as the colour they hide, black here, over the card's background colour)."""
    static = site_dir / "static"
    static.mkdir(exist_ok=True)
    sideways = Image.new("RGB", (1600, 900), "#ff0000")
    sideways.paste(Image.new("RGB", (800, 900), "#0000ff"), (800, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter clockwise: the stored left half on top
    sideways.save(static / "portrait.jpg", exif=exif.tobytes())
    Image.new("I;16", (1200, 630), 30_000).save(static / "grey16.png")  # 30000 of 65535: grey 117 of 255
    artwork = Image.new("RGBA", (1200, 630), (0, 0, 0, 0))
    artwork.paste((255, 255, 255, 255), (0, 0, 600, 630))
    artwork.save(static / "artwork.png")
    configure(site_dir, '[social.cards]\nbackground = "#12343b"\nbackground_image = "static/portrait.jpg"')
    toml = site_dir / "publisher.toml"
    image = card(run(site_dir).output_dir, "first").convert("RGB")
    assert _near(image.getpixel((WIDTH - 30, 30)), (255, 0, 0)) and _near(image.getpixel((WIDTH - 30, HEIGHT - 30)),
                                                                         (0, 0, 255))
    toml.write_text(toml.read_text(encoding="utf-8").replace("portrait.jpg", "grey16.png"), encoding="utf-8")
    image = card(run(site_dir).output_dir, "first").convert("RGB")
    assert _near(image.getpixel((WIDTH - 30, 30)), (117, 117, 117)), image.getpixel((WIDTH - 30, 30))
    toml.write_text(toml.read_text(encoding="utf-8").replace("grey16.png", "artwork.png"), encoding="utf-8")
    image = card(run(site_dir).output_dir, "first").convert("RGB")
    assert _near(image.getpixel((WIDTH - 30, 30)), (0x12, 0x34, 0x3B)), image.getpixel((WIDTH - 30, 30))
    assert _near(image.getpixel((300, 30)), (255, 255, 255))


def test_a_logo_is_drawn_as_it_is_shown_upright_and_grey() -> None:
    """A logo exported as 16-bit grey came out a white box; one stored on its side with an EXIF orientation lay on
    its side at the card's foot."""
    grey = io.BytesIO()
    Image.new("I;16", (300, 100), 30_000).save(grey, format="PNG")
    shown = Image.open(io.BytesIO(logo_thumbnail(grey.getvalue())))
    assert shown.size == (160, 53)
    assert shown.convert("RGB").getpixel((10, 10)) == (117, 117, 117)
    sideways = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.new("RGB", (300, 100), "#0000ff").save(sideways, format="JPEG", exif=exif.tobytes())
    assert Image.open(io.BytesIO(logo_thumbnail(sideways.getvalue()))).size == (19, 56)  # standing, as shown
