"""The search page's own words by the site's language."""

from __future__ import annotations

from publisher.pages.search_words import search_words


def test_a_language_with_a_region_takes_its_languages_words() -> None:
    assert search_words("de-AT").title == "Suche"
    assert search_words("FR").lede.format(site="Le Journal") == "Trouvez un article ou une page sur Le Journal."


def test_a_language_without_words_of_its_own_gets_englishs() -> None:
    assert search_words("pt-BR") == search_words("en")
    assert search_words("pt-BR").description.format(site="Hub") == "Search Hub."
