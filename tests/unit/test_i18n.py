"""The theme's own words in the site's language (`templates.i18n`): the tables the default theme ships, a
site's own overrides, plural forms and dates, and what a table that is wrong is told as."""

from __future__ import annotations

from datetime import date
from html import unescape
from pathlib import Path

import pytest

from publisher.config.model import MarkdownConfig
from publisher.core.errors import Problems
from publisher.markdown.engines import make_converter
from publisher.templates.i18n import Words, load_words, markdown_words
from publisher.templates.plurals import plural_category
from publisher.templates.theme import Theme, builtin_theme_dir, make_environment

DEFAULT = (builtin_theme_dir(),)


def words(language: str, root: Path = Path("/nonexistent"), themes: tuple[Path, ...] = DEFAULT
          ) -> tuple[Words, Problems]:
    problems = Problems()
    return load_words(themes, root, language, problems), problems


def shown(problems: Problems) -> tuple[list[str], list[str]]:
    return [str(p) for p in problems.errors], [str(p) for p in problems.warnings]


# The search page's words, which had a table of their own (pages/search_words.py) before every word of the
# theme had one.
def test_a_language_with_a_region_takes_its_languages_words() -> None:
    assert words("de-AT")[0].text("search_title") == "Suche"
    assert words("FR")[0].text("search_lede", site="Le Journal") == "Trouvez un article ou une page sur Le Journal."


def test_a_language_without_words_of_its_own_gets_englishs() -> None:
    assert words("pt-BR")[0].text("search_title") == words("en")[0].text("search_title")
    assert words("pt-BR")[0].text("search_description", site="Hub") == "Search Hub."


def test_a_language_without_words_of_its_own_is_englishs_without_a_warning() -> None:
    """As in Hugo: a Japanese site would be warned at every build until it translated every key."""
    assert shown(words("ja")[1]) == ([], [])
    assert shown(words("en-GB")[1]) == ([], [])


@pytest.mark.parametrize("language", ["en", "de", "fr", "es"])
def test_every_shipped_table_has_every_key_and_no_other(language: str) -> None:
    assert shown(words(language)[1]) == ([], [])
    english_keys = set(words("en")[0].messages)
    ours = (builtin_theme_dir() / "i18n" / f"{language}.toml").read_text(encoding="utf-8")
    assert {key for key in english_keys if f"\n{key} = " in ours} == english_keys


@pytest.mark.parametrize(("language", "one", "two"), [
    ("en", "1 post", "2 posts"), ("de", "1 Beitrag", "2 Beiträge"), ("fr", "1 article", "2 articles"),
    ("es", "1 entrada", "2 entradas")])
def test_a_count_takes_its_languages_plural_form(language: str, one: str, two: str) -> None:
    loaded = words(language)[0]
    assert (loaded.text("posts_count", count=1), loaded.text("posts_count", count=2)) == (one, two)


def test_french_counts_zero_as_one_and_millions_apart() -> None:
    french = words("fr")[0]
    assert french.text("posts_count", count=0) == "0 article"  # English: "0 posts"
    assert french.text("posts_count", count=1_000_000) == "1\u202f000\u202f000 d’articles"
    assert words("en")[0].text("posts_count", count=0) == "0 posts"
    assert words("es")[0].text("articles_count", count=2_000_000) == "2.000.000 de artículos"


@pytest.mark.parametrize(("language", "shown"), [
    ("en", ("1,234 posts", "12,345 posts")), ("de", ("1.234 Beiträge", "12.345 Beiträge")),
    ("fr", ("1\u202f234 articles", "12\u202f345 articles")), ("es", ("1234 entradas", "12.345 entradas")),
    ("de-CH", ("1'234 Beiträge", "12'345 Beiträge")), ("es-MX", ("1,234 entradas", "12,345 entradas")),
    ("it", ("1234 posts", "12345 posts"))])
def test_a_count_is_written_as_its_language_writes_numbers(language: str, shown: tuple[str, str]) -> None:
    # "12345 Beiträge" on a German tag page: digits without the groups every German reader expects (CLDR: 12.345;
    # French 12 345 with a narrow no-break space; Spanish 12.345 but 1234). A language the theme does not speak
    # keeps digits alone.
    loaded = words(language)[0]
    assert (loaded.text("posts_count", count=1234), unescape(loaded("posts_count", count=12345))) == shown


@pytest.mark.parametrize("language", ["en-IN", "hi", "hi-IN"])
def test_a_count_in_india_is_grouped_in_lakh_and_crore(language: str) -> None:
    # CLDR's en-IN and hi write `#,##,##0.###`: groups of two before the last three. An Indian English tag page said
    # "1,234,567 posts" where its readers write 12,34,567.
    loaded = words(language)[0]
    counts = [loaded.text("posts_count", count=count).split()[0] for count in (1234, 123456, 1234567, 100_000_000)]
    assert counts == ["1,234", "1,23,456", "12,34,567", "10,00,00,000"]


def test_a_template_writes_other_numbers_and_page_numbers_as_its_language_does() -> None:
    german = Theme((builtin_theme_dir(),), words=words("de")[0])
    template = make_environment(german).from_string(
        '{{ 12345 | number }} · {{ i18n("page_of", number=1234 | number, total=12345 | number) }} · '
        '{{ i18n("date", day=2, month="März", year=2026) }}')
    assert template.render() == "12.345 · Seite 1.234 von 12.345 · 2. März 2026"  # a year is no count


@pytest.mark.parametrize(("language", "category"), [("en", "other"), ("de", "other"), ("fr", "one"),
                                                    ("es", "other"), ("pl", "other")])
def test_zero_takes_the_cldr_category_of_its_language(language: str, category: str) -> None:
    assert plural_category(language, 0) == category


@pytest.mark.parametrize(("language", "shown_date"), [
    ("en", "2 March 2026"), ("de", "2. März 2026"), ("de-CH", "2. März 2026"), ("fr", "2 mars 2026"),
    ("es", "2 de marzo de 2026"), ("pt", "2 March 2026")])
def test_a_date_reads_as_its_language_writes_it(language: str, shown_date: str) -> None:
    assert words(language)[0].date(date(2026, 3, 2)) == shown_date


def test_html_values_are_kept_and_text_is_escaped() -> None:
    from markupsafe import Markup

    german = words("de")[0]
    assert german("part_of", pillar=Markup('<a href="/p/">Säule</a>')) == 'Teil von <a href="/p/">Säule</a>'
    assert german("part_of", pillar="<b>") == "Teil von &lt;b&gt;"


def test_the_sites_own_table_overrides_the_themes_key_by_key(tmp_path: Path) -> None:
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "de.toml").write_text('reading_time = { one = "{count} Minute", other = "{count} Minuten" }\n'
                                               'skip_to_content = "Direkt zum Inhalt"\n', encoding="utf-8")
    german, problems = words("de-AT", tmp_path)
    assert shown(problems) == ([], [])
    assert german.text("reading_time", count=1) == "1 Minute"
    assert german.text("reading_time", count=7) == "7 Minuten"
    assert german.text("skip_to_content") == "Direkt zum Inhalt"
    assert german.text("archive") == "Archiv"  # the theme's, for what the site's table does not have


def test_a_region_table_overrides_its_languages(tmp_path: Path) -> None:
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "de-ch.toml").write_text('leave_empty = "Dieses Feld bitte leer lassen."\n'
                                                  'back_home = "Zurück zur Startseite von {site}"\n',
                                                  encoding="utf-8")
    swiss = words("de-CH", tmp_path)[0]
    assert swiss.text("back_home", site="Hub") == "Zurück zur Startseite von Hub"
    assert words("de", tmp_path)[0].text("back_home", site="Hub") == "Zurück zu Hub"


def test_a_key_the_theme_does_not_have_is_a_warning_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "de.toml").write_text('# ours\nskip_to_content = "Zum Inhalt"\nreading_tme = "{count} Min."\n',
                                               encoding="utf-8")
    assert shown(words("de", tmp_path)[1]) == ([], [
        ("i18n/de.toml:3: reading_tme: no key of the theme's words, so no template shows it (did you mean "
         "'reading_time'?)")])


def test_a_key_a_language_lacks_is_englishs_with_a_warning_naming_it(tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "house"
    (theme / "i18n").mkdir(parents=True)
    (theme / "i18n" / "en.toml").write_text('newsletter = "Our newsletter"\n', encoding="utf-8")
    german, problems = words("de", tmp_path, (theme, *DEFAULT))
    assert german.text("newsletter") == "Our newsletter"
    assert shown(problems) == ([], [
        "themes/house/i18n/en.toml:1: newsletter: no words in 'de' (i18n/de.toml): English's are used"])


@pytest.mark.parametrize(("written", "error"), [
    ('reading_time = "{minutes} Min."\n',
     "i18n/de.toml:1: reading_time: {minutes} is no value the theme gives here (it gives: {count})"),
    ('reading_time = { one = "1 Min.", few = "{count} Min." }\n',
     ("i18n/de.toml:1: reading_time: expected a text, or a table of plural forms (zero, one, two, few, many, "
      "other) that has `other`")),
    ('\nmonths = ["Jan", "Feb"]\n',
     "i18n/de.toml:2: months: expected a list of the twelve month names, January's first"),
    ('weekdays_short = ["So.", "Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."]\n',
     "i18n/de.toml:1: weekdays_short: expected a list of the seven days' short names, Monday's first"),
    ('archive = "Archiv\n', "i18n/de.toml:1: i18n: invalid TOML: Illegal character '\\n' at column 18"),
])
def test_a_wrong_table_is_an_error_naming_its_file_line_and_key(tmp_path: Path, written: str, error: str) -> None:
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "de.toml").write_text(written, encoding="utf-8")
    assert shown(words("de", tmp_path)[1])[0] == [error]


def test_a_key_no_table_has_names_the_likeliest_one() -> None:
    with pytest.raises(ValueError, match=r"no key 'reading_tim' in the theme's words \(i18n/en.toml\) "
                                         r"\(did you mean 'reading_time'\?\)"):
        words("en")[0]("reading_tim", count=2)


NOTES = "## First part\n\nA claim[^1].\n\n> [!WARNING]\n> Mind it.\n\n- [x] done\n- [ ] open\n\n[^1]: The source.\n"
MARKDOWN_WORDS = {  # language: a heading link's title, a footnote back-link's name, a warning's title
    "en": ("Link to this section", "Back to reference 1", "Warning"),
    "de": ("Link zu diesem Abschnitt", "Zurück zu Verweis 1", "Warnung"),
    "fr": ("Lien vers cette section", "Retour à l’appel de note 1", "Avertissement"),
    "es": ("Enlace a esta sección", "Volver a la referencia 1", "Advertencia"),
}


@pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])
@pytest.mark.parametrize("language", sorted(MARKDOWN_WORDS))
def test_the_markdown_engines_write_their_words_in_the_sites_language(language: str, engine: str) -> None:
    # A German screen reader's user heard "Link to this section" and "Back to reference 1" on every post.
    settings = MarkdownConfig(engine=engine, words=markdown_words(words(language)[0]))
    html = make_converter(settings).convert(NOTES).html
    heading_link, back, warning = MARKDOWN_WORDS[language]
    assert f'<a class="heading-anchor" href="#first-part" title="{heading_link}">#</a>' in html
    assert f'<a aria-label="{back}" class="footnote-backref" href="#fnref:1" title="{back}">&#8617;</a>' in html
    if engine == "commonmark":  # GitHub's alerts and task lists are GFM's: Python-Markdown keeps them as text
        assert f'<p class="alert-title">{warning}</p>' in html
        done, to_do = words(language)[0].text("task_done"), words(language)[0].text("task_to_do")
        assert f'checked aria-label="{done}"> done' in html and f'disabled aria-label="{to_do}"> open' in html


def test_a_sites_table_changes_the_markdown_engines_words(tmp_path: Path) -> None:
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n" / "de.toml").write_text('back_to_reference = "Zurück zur {number}. Fußnote"\n'
                                               'alert_warning = "Achtung"\n', encoding="utf-8")
    html = make_converter(MarkdownConfig(words=markdown_words(words("de", tmp_path)[0]))).convert(NOTES).html
    assert 'aria-label="Zurück zur 1. Fußnote"' in html and '<p class="alert-title">Achtung</p>' in html
