"""Code colours: the settings' Pygments styles as CSS, each colour made to read on its background.

Pygments' styles were not drawn for WCAG: `friendly`'s comments (#60a0b0 on #f0f0f0) reach 2.6:1, and
most styles have a token or two under the 4.5:1 that WCAG 2.2 AA asks of text (axe-core's `color-contrast`
failed on the sample hub's code). Each text colour of a style is moved toward black (on a light background)
or white (on a dark one), in small steps, until it reads at `CONTRAST` on the background it is drawn on: the
block's, and the highlighted lines' (`hl_lines`), whose background is brought nearer the block's so that one
colour can read on both. A colour that reads already is left as the style has it, so a style keeps its look.
"""

from __future__ import annotations

import re

from pygments.formatters import HtmlFormatter

CONTRAST = 4.6  # WCAG 2.2 AA asks 4.5:1 of text; a little more, as browsers round colours they blend
_HIGHLIGHTED_LINE = 0.35  # how far from the block's background toward the style's own a highlighted line is
_RULE = re.compile(r"^(?P<selector>[^{]+)\{(?P<body>[^}]*)\}(?P<rest>.*)$")
_COLOUR = re.compile(r"(?P<property>(?<![-\w])color|background-color|background)\s*:\s*#(?P<hex>[0-9a-fA-F]{3,6})\b")

Rgb = tuple[float, float, float]


def pygments_css(light: str, dark: str) -> str:
    """Code colours for light mode, and dark mode when the reader's system asks for it (Pygments style names)."""
    dark_css = "\n".join("  " + line for line in readable_style(dark).splitlines())
    return f"{readable_style(light)}\n@media (prefers-color-scheme: dark) {{\n{dark_css}\n}}\n"


def readable_style(style: str) -> str:
    """The CSS of one Pygments style for `.highlight`, its text colours made to read (see the module)."""
    css: str = HtmlFormatter(style=style).get_style_defs(".highlight")  # type: ignore[no-untyped-call]  # no stub
    lines = css.splitlines()
    block = _background(lines, ".highlight ") or (1.0, 1.0, 1.0)
    marked = _background(lines, ".highlight .hll ")
    line_background = _mix(block, marked, _HIGHLIGHTED_LINE) if marked is not None else block
    return "\n".join(_readable_rule(line, block, line_background) for line in lines) + "\n"


def _readable_rule(line: str, block: Rgb, line_background: Rgb) -> str:
    """One rule of the style's CSS with its colours made to read; rules outside `.highlight` (line numbers,
    which publisher does not show) as they are."""
    rule = _RULE.match(line)
    if rule is None or not rule["selector"].startswith(".highlight"):
        return line
    selector, body = rule["selector"].strip(), rule["body"]
    if selector == ".highlight .hll":
        return f".highlight .hll {{ background-color: {_hex(line_background)} }}{rule['rest']}"
    own = {found["property"]: _rgb(found["hex"]) for found in _COLOUR.finditer(body)}
    backgrounds = [own[key] for key in ("background-color", "background") if key in own]
    if selector == ".highlight" or not backgrounds:  # drawn on the block, and on its highlighted lines
        backgrounds = [block, line_background]
    body = _COLOUR.sub(lambda found: _written(found, backgrounds), body)
    if selector == ".highlight" and "color" not in own:  # the page's text colour, which may not read on it
        body = f"{body.rstrip().rstrip(';')}; color: {_hex(_extreme(block))} "
    return f"{selector} {{{body}}}{rule['rest']}"


def _written(found: re.Match[str], backgrounds: list[Rgb]) -> str:
    """A colour declaration as written, a text colour made to read on `backgrounds`."""
    if found["property"] != "color":
        return found.group(0)
    return f"color: {_hex(_readable(_rgb(found['hex']), backgrounds))}"


def _readable(colour: Rgb, backgrounds: list[Rgb]) -> Rgb:
    """`colour`, or the first of it moved toward black or white in steps of 2% that reads on every background."""
    toward = _extreme(backgrounds[0])
    for step in range(51):
        moved = _mix(colour, toward, step / 50)
        if min(contrast(moved, background) for background in backgrounds) >= CONTRAST:
            return moved
    return toward


def _extreme(background: Rgb) -> Rgb:
    """Black on a light background, white on a dark one."""
    return (0.0, 0.0, 0.0) if _luminance(background) > 0.18 else (1.0, 1.0, 1.0)


def contrast(one: Rgb, other: Rgb) -> float:
    """WCAG's contrast ratio of two colours (1 to 21)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: Rgb) -> float:
    """WCAG's relative luminance of an sRGB colour."""
    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = map(linear, colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _background(lines: list[str], selector: str) -> Rgb | None:
    """The background colour of the rule for `selector` (its text up to the `{`), if the style has one."""
    for line in lines:
        if line.startswith(selector + "{"):
            for found in _COLOUR.finditer(line):
                if found["property"] != "color":
                    return _rgb(found["hex"])
    return None


def _mix(one: Rgb, other: Rgb, share: float) -> Rgb:
    r1, g1, b1 = one
    r2, g2, b2 = other
    return r1 + (r2 - r1) * share, g1 + (g2 - g1) * share, b1 + (b2 - b1) * share


def _rgb(written: str) -> Rgb:
    digits = "".join(c * 2 for c in written) if len(written) == 3 else written.ljust(6, "0")[:6]
    red, green, blue = (int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def _hex(colour: Rgb) -> str:
    red, green, blue = (round(channel * 255) for channel in colour)
    return f"#{red:02x}{green:02x}{blue:02x}"
