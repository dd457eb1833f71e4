"""Where a setting is written in publisher.toml, so an error can name its line."""

from __future__ import annotations

import pytest

from publisher.config.lines import key_line

TEXT = """\
[site]
title = "Hub"  # key = "not this one"

[indexnow]
# key = "commented out"
key = "abc"
"endpoint" = "x"

[[nav]]
title = "About"

[websub]
hub.url = "nested"
"""


@pytest.mark.parametrize(("name", "line"), [
    ("site.title", 2),
    ("indexnow.key", 6),
    ("indexnow.endpoint", 7),  # a quoted key
    ("nav.title", 10),  # under an array of tables
    ("websub.hub.url", 13),  # a dotted key
    ("websub.hub", 13),
    ("site.url", None),
])
def test_key_line(name: str, line: int | None) -> None:
    assert key_line(TEXT, name) == line


def test_top_level_dotted_keys_and_inline_tables() -> None:
    assert key_line('indexnow.key = "abc"\n', "indexnow.key") == 1
    assert key_line('[site]\ntitle = "x"\n\nindexnow = { key = "abc" }\n', "indexnow.key") is None  # under [site]
    assert key_line('indexnow = { key = "abc" }\n', "indexnow.key") == 1


def test_a_key_with_an_escape_is_found_as_toml_reads_it() -> None:
    """`"/tab\\there/"` is the key `/tab<TAB>here/` to TOML: a problem with it named no line."""
    text = '[redirects]\n"/plain/" = "/"\n"/tab\\there/" = "/"\n"/q\\"uote/" = "/"\n'
    assert key_line(text, "redirects./tab\there/") == 3
    assert key_line(text, 'redirects./q"uote/') == 4
