"""The search page's own words in the site's language (`site.language`): its title, heading, lede and the note
shown without JavaScript. Pagefind's interface words (the box, "N results for …") follow `<html lang>` on
their own; these are the theme's. Languages without a table here get English's."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SearchWords:
    """The search page's words. `description` (its meta description) and `lede` hold `{site}`; `noscript`
    holds `{archive}` and `{topics}`, where the links named `archive` and `topics` go."""

    title: str
    description: str
    lede: str
    noscript: str
    archive: str
    topics: str


_WORDS = {
    "en": SearchWords("Search", "Search {site}.", "Find a post or page on {site}.",
                      "Search needs JavaScript. Without it, every post is listed in the {archive} and by {topics}.",
                      "archive", "topic"),
    "de": SearchWords("Suche", "{site} durchsuchen.", "Finden Sie einen Beitrag oder eine Seite auf {site}.",
                      "Die Suche braucht JavaScript. Ohne JavaScript finden Sie jeden Beitrag im {archive} und nach"
                      " {topics}.", "Archiv", "Themen"),
    "fr": SearchWords("Recherche", "Rechercher sur {site}.", "Trouvez un article ou une page sur {site}.",
                      "La recherche nécessite JavaScript. Sans JavaScript, chaque article figure dans les {archive}"
                      " et par {topics}.", "archives", "sujet"),
}


def search_words(language: str) -> SearchWords:
    """The search page's words for a language tag (`de-AT` as `de`), English's for a language not in the table."""
    return _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])
