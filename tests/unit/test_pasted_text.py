"""Text pasted from Word or a PDF carries control characters that XML forbids: dropped, with a warning."""

import re
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from publisher.build.pipeline import BuildOptions, build

NOW = datetime(2026, 9, 1, tzinfo=UTC)
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def test_control_characters_are_dropped_with_a_warning_naming_the_line(site_dir: Path) -> None:
    (site_dir / "content" / "posts" / "pasted.md").write_bytes(
        b'---\ntitle: Pasted from Word\ndate: 2026-03-01\nsummary: "A \\f summary"\n---\n\n'
        b"A form\x0cfeed, a vertical\x0btab, a \xc2\x85 next-line and\x01 a start-of-heading.\n")
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('title = "Test Hub"', 'title = "Test\\fHub"'),
                      encoding="utf-8")
    report = build(BuildOptions(config=config, now=NOW, use_cache=False))
    assert [str(w) for w in report.warnings if w.field == "text"] == [
        ("content/posts/pasted.md:7: text: dropped 4 control characters that XML and HTML forbid "
         "(the first is U+000C; text pasted from Word or a PDF?)")]
    out = report.output_dir
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((out / name).read_bytes())
        assert not parsed.bozo and parsed.feed.title == "TestHub"
        assert any(entry.title == "Pasted from Word" for entry in parsed.entries)
    page = (out / "pasted" / "index.html").read_text(encoding="utf-8")
    assert "A formfeed, a verticaltab, a  next-line and a start-of-heading." in page
    assert not any(FORBIDDEN.search(p.read_text(encoding="utf-8")) for p in out.rglob("*")
                   if p.suffix in (".html", ".xml", ".json"))
