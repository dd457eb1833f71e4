"""The numbers the theme writes (`templates.numbers.grouped`) against the browser's own: Chromium's
`Intl.NumberFormat`, which writes numbers by ICU's copy of the Unicode CLDR."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from publisher.templates.numbers import grouped

if TYPE_CHECKING:
    from playwright.sync_api import Browser


pytestmark = pytest.mark.e2e

LANGUAGES = ["en", "en-GB", "en-US", "en-ZA", "en-CH", "en-DE", "de", "de-DE", "de-AT", "de-CH", "de-LI", "fr",
             "fr-FR", "fr-CA", "fr-CH", "fr-BE", "fr-LU", "es", "es-ES", "es-419", "es-MX", "es-US", "es-AR", "es-CO",
             "es-CL", "es-CR", "es-PE", "en-IN", "hi", "hi-IN"]
NUMBERS = [0, 7, 999, 1000, 1234, 9999, 12345, 123456, 1234567, 1000000, 123456789012]


def test_counts_are_written_as_the_browser_writes_them_in_each_language(browser: Browser) -> None:
    # A German tag page said "12345 Beiträge" where every German reader writes 12.345; an Indian English one
    # "1,234,567 posts" where India writes 12,34,567 (lakh and crore).
    page = browser.new_page()
    theirs = page.evaluate("([languages, numbers]) => languages.map(language => numbers.map(number => "
                           "new Intl.NumberFormat(language, {maximumFractionDigits: 0}).format(number)))",
                           [LANGUAGES, NUMBERS])
    ours = [[grouped(number, language) for number in NUMBERS] for language in LANGUAGES]
    assert dict(zip(LANGUAGES, ours, strict=True)) == dict(zip(LANGUAGES, theirs, strict=True))
