"""The sample hub built in German, French and Spanish: no word of the theme's own is left in English (every
page but the search page had "Skip to content", "min read", "Older →", "Page not found"…), dates read as the
language writes them, and a site's own i18n/ table changes the theme's words."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.templates.theme import builtin_theme_dir

from .conftest import FIXED_EPOCH, REPO

# A page of each kind: home and its second page, a post of a cluster with a CTA form, related posts, a byline of
# two authors and an update date; tags, a tag, authors, an author, the archive, the 404, search, an offer and its
# thank-you page.
PAGES = ("index.html", "page/2/index.html", "building-a-topic-cluster/index.html",
         "measuring-lead-quality/index.html", "the-publisher-stage/index.html", "tags/index.html",
         "tags/social-media/index.html", "authors/index.html", "authors/maya/index.html", "archive/index.html",
         "404.html", "search/index.html", "offers/attribution-playbook/index.html",
         "offers/attribution-playbook/thanks/index.html")
MONTHS = {"de": "März", "fr": "mars", "es": "de marzo de"}
SITE_TITLE = tomllib.loads((REPO / "publisher.toml").read_text(encoding="utf-8"))["site"]["title"]
# The site's own words, which it writes in English: its calls to action's headlines and buttons.
SITES_WORDS = {line.split(": ", 1)[1] for cta in sorted((REPO / "content" / "ctas").glob("*.md"))
               for line in cta.read_text(encoding="utf-8").splitlines() if line.startswith(("headline: ", "button: "))}


def built_in(language: str, root: Path, own_words: str = "", settings: str = "") -> Path:
    """The sample hub in `language`, its menu's titles (the site's words, not the theme's) left out; `settings`
    added to its publisher.toml."""
    for name in ("content", "static"):
        shutil.copytree(REPO / name, root / name)
    own = (REPO / "publisher.toml").read_text(encoding="utf-8")
    own = re.sub(r'\[\[nav\]\]\ntitle = "[^"]*"\nurl = "[^"]*"\n\n', "", own)
    (root / "publisher.toml").write_text(own.replace('language = "en"', f'language = "{language}"') + settings,
                                         encoding="utf-8")
    if own_words:
        (root / "i18n").mkdir()
        (root / "i18n" / f"{language}.toml").write_text(own_words, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        build(BuildOptions(config=root / "publisher.toml", output=root / "output", use_cache=False))
    return root / "output"


@pytest.fixture(scope="module")
def sample_hub_in(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The output of `built_in(language, ...)`, built once for the module's tests of each language: they only read
    it (each built its own before, the same bytes: German three times, French and Spanish twice)."""
    built: dict[str, Path] = {}

    def output_in(language: str) -> Path:
        if language not in built:
            built[language] = built_in(language, tmp_path_factory.mktemp(f"hub-{language}"))
        return built[language]

    return output_in


class _Shown(HTMLParser):
    """What a reader sees or hears of a page's own words: each text outside the post's body (the writer's, in
    English in the sample hub), and the labels, placeholders and titles of elements."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.hidden = 0  # inside <script>, <style> or the post's body
        self.open: list[bool] = []  # for each open element: whether it hides what it holds

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.texts += [value for name, value in attrs if name in ("aria-label", "placeholder", "title") and value]
        if tag in ("meta", "link", "img", "input", "br", "hr"):
            return
        hides = tag in ("script", "style") or "prose" in (values.get("class") or "").split()
        self.open.append(hides)
        self.hidden += hides

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.hidden -= self.open.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def shown_texts(page: Path) -> list[str]:
    shown = _Shown()
    shown.feed(page.read_text(encoding="utf-8"))
    return shown.texts


def english_patterns(language: str) -> dict[str, re.Pattern[str]]:
    """Each of the theme's English words that `language` writes otherwise, as a pattern a whole text matches
    (`{count} min read` matches `6 min read`; a value the template gives as HTML may stand apart: `Updated`)."""
    tables = builtin_theme_dir() / "i18n"
    english = tomllib.loads((tables / "en.toml").read_text(encoding="utf-8"))
    own = tomllib.loads((tables / f"{language}.toml").read_text(encoding="utf-8"))
    patterns = {}
    for key, value in english.items():
        if key == "date" or isinstance(value, list):  # a pattern, and names: `months`, `weekdays`…
            continue
        translated = set(own[key].values()) if isinstance(own[key], dict) else {own[key]}
        for text in (set(value.values()) if isinstance(value, dict) else {value}) - translated:  # French: "articles"
            pattern = re.escape(text.replace("{site}", SITE_TITLE)).replace(r"\{count\}", r"\d+")
            pattern = re.sub(r"\\\{[a-z_]+\\\}", "(.+)?", pattern)
            patterns[f"{key}: {text}"] = re.compile(pattern.replace(r"\ ", r"\s*"))
    return patterns


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_no_word_of_the_theme_is_left_in_english(language: str, sample_hub_in: Callable[[str], Path]) -> None:
    out = sample_hub_in(language)
    patterns = english_patterns(language)
    left = {f"{page}: {text!r} ({name})" for page in PAGES for text in shown_texts(out / page)
            for name, pattern in patterns.items() if pattern.fullmatch(text) and text not in SITES_WORDS}
    assert not left, "\n".join(sorted(left))
    archive = (out / "archive" / "index.html").read_text(encoding="utf-8")
    assert re.search(rf"<time datetime=\"2026-03-02T[^\"]+\">2\.? {MONTHS[language]} 2026</time>", archive)
    assert "March" not in "".join(shown_texts(out / "archive" / "index.html"))


def test_a_german_hub_reads_german(sample_hub_in: Callable[[str], Path]) -> None:
    out = sample_hub_in("de")
    post = (out / "measuring-lead-quality" / "index.html").read_text(encoding="utf-8")
    assert '<a class="skip-link" href="#main">Zum Inhalt springen</a>' in post
    assert '<span class="reading-time">5 Min. Lesezeit</span>' in post
    assert '·</span> von <a href="/authors/tomas/">Tomás Reyes</a> und <a href="/authors/maya/">' in post
    assert "<title>The Northlight Journal – Seite 2 · The Northlight Journal</title>" in (
        out / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert '"name": "Startseite"' in post  # the breadcrumbs search engines show
    tag = (out / "tags" / "social-media" / "index.html").read_text(encoding="utf-8")
    assert '<p class="muted">4 Beiträge</p>' in tag
    assert '<meta name="description" content="Beiträge zu social media auf The Northlight Journal.">' in tag


def test_a_sites_own_table_changes_the_themes_words(tmp_path: Path) -> None:
    out = built_in("de", tmp_path, 'reading_time = { one = "{count} Minute", other = "{count} Minuten" }\n')
    post = (out / "measuring-lead-quality" / "index.html").read_text(encoding="utf-8")
    assert '<span class="reading-time">5 Minuten</span>' in post
    assert '<a class="skip-link" href="#main">Zum Inhalt springen</a>' in post  # the theme's, where the site's has none


FEED_WORDS = {  # language: a tag feed's description, what a share text asks before its link
    "de": ("Beiträge zu social media auf The Northlight Journal", "Zum ganzen Beitrag: https://"),
    "fr": ("Les articles de The Northlight Journal sur social media", "Lire l’article complet\u00a0: https://"),
    "es": ("Entradas sobre social media en The Northlight Journal", "Lee el artículo completo: https://"),
}


@pytest.mark.parametrize("language", sorted(FEED_WORDS))
def test_feeds_and_share_texts_are_written_in_the_sites_language(language: str,
                                                                 sample_hub_in: Callable[[str], Path]) -> None:
    # A German hub's tag feeds were "Posts tagged social media on …" and every share text said "Read the full
    # piece:" before its link.
    out = sample_hub_in(language)
    description, asks = FEED_WORDS[language]
    tag = out / "tags" / "social-media"
    assert feedparser.parse((tag / "feed.xml").read_bytes()).feed.subtitle == description  # RSS's description
    assert feedparser.parse((tag / "atom.xml").read_bytes()).feed.subtitle == description
    assert json.loads((tag / "feed.json").read_text(encoding="utf-8"))["description"] == description
    texts = [item["content_text"] for item in json.loads((out / "share" / "share.json").read_bytes())["items"]]
    assert not [text for text in texts if "Read the full piece" in text]
    assert sum(asks in text for text in texts) > 100


def test_an_old_posts_reshare_says_so_in_the_sites_language(tmp_path: Path) -> None:
    # A re-share more than 90 days after its post started "From the archive:" on a German hub.
    out = built_in("de", tmp_path, settings='\n[share.schedule]\nreshare_after = ["2d", "120d"]\n')
    mastodon = [item for item in json.loads((out / "share" / "share.json").read_bytes())["items"]
                if item["_publisher"]["network"] == "mastodon"]
    late = [item["content_text"] for item in mastodon if item["_publisher"]["variant"] == "reshare-2"]
    assert late and all(text.startswith("Aus dem Archiv: ") for text in late)
    assert not [item for item in mastodon if item["_publisher"]["variant"] != "reshare-2"
                and "Archiv" in item["content_text"]]
