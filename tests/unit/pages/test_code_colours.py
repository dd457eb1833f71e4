"""Code colours: every Pygments style, as publisher writes it, reads at WCAG 2.2 AA (4.5:1)."""

from __future__ import annotations

import re

import pytest
from pygments.styles import get_all_styles

from publisher.pages.code_colours import pygments_css, readable_style

_RULE = re.compile(r"^\.highlight(?P<token> \.\w+)? \{(?P<body>[^}]*)\}", re.MULTILINE)
_COLOUR = re.compile(r"(?<![-\w])(?P<property>color|background-color|background)\s*:\s*#(?P<hex>[0-9a-fA-F]{3,6})\b")


def luminance(hex_colour: str) -> float:
    """WCAG 2.2's relative luminance, computed here apart from the code under test."""
    digits = "".join(c * 2 for c in hex_colour) if len(hex_colour) == 3 else hex_colour
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ratio(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colours(css: str) -> dict[str, dict[str, str]]:
    """Each `.highlight` rule's colours, by its token class ("" for the block itself)."""
    return {(rule["token"] or "").strip(): {m["property"]: m["hex"] for m in _COLOUR.finditer(rule["body"])}
            for rule in _RULE.finditer(css)}


@pytest.mark.parametrize("style", sorted(get_all_styles()))
def test_every_text_colour_of_every_style_reads_on_its_background(style: str) -> None:
    rules = colours(readable_style(style))
    block = rules[""].get("background") or rules[""].get("background-color") or "ffffff"
    line = rules.get(".hll", {}).get("background-color", block)
    low = {}
    for token, found in rules.items():
        if "color" not in found:
            continue
        own = found.get("background-color") or found.get("background")
        backgrounds = [own] if own and token else [block, line]
        worst = min(ratio(found["color"], background) for background in backgrounds)
        if worst < 4.5:
            low[token or ".highlight"] = round(worst, 2)
    assert "color" in rules[""]  # the block's own text colour: the page's may not read on it
    assert not low


def test_a_colour_that_reads_already_is_kept() -> None:
    """`friendly`'s keywords (#007020 on #f0f0f0, 6.2:1) keep their colour; its comments (#60a0b0, 2.6:1) are
    darkened, keeping their hue."""
    rules = colours(readable_style("friendly"))
    assert rules[".k"]["color"] == "007020"
    comment = rules[".c1"]["color"]
    assert comment != "60A0B0" and ratio(comment, "f0f0f0") >= 4.5
    red, green, blue = (int(comment[i:i + 2], 16) for i in (0, 2, 4))
    assert blue > green > red  # still the blue-green of the style


def test_dark_mode_colours_come_in_the_media_query() -> None:
    css = pygments_css("friendly", "github-dark")
    light, dark = css.split("@media (prefers-color-scheme: dark) {")
    assert "#f0f0f0" in light and "#0d1117" in dark
