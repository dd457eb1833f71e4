"""`publisher engines` names the pages a change of Markdown engine would make read differently."""

from pathlib import Path

import pytest

from publisher.commands.cli import main


def test_only_pages_whose_text_changes_are_listed(site_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    posts = site_dir / "content" / "posts"
    (posts / "strike.md").write_text("---\ntitle: Strike\ndate: 2026-02-01\n---\n\nThe ~~old~~ new plan.\n")
    (posts / "same.md").write_text('---\ntitle: Same\ndate: 2026-02-02\n---\n\n"Quotes" -- and *emphasis*...\n')
    monkeypatch.chdir(site_dir)
    assert main(["engines"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "content/posts/strike.md: The [old] new plan.",
        "                         with python-markdown: The [~~old~~] new plan.",
    ]
    assert "1 file read differently with python-markdown than with commonmark" in captured.err


def test_a_file_one_engine_cannot_convert_or_no_one_can_read_is_said_so(site_dir: Path,
                                                                       monkeypatch: pytest.MonkeyPatch,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Emphasis 5,000 levels deep is past Python-Markdown (its error, not a traceback: a difference a reader would
    see); a file whose front matter cannot be read is a problem named at its line, and the command fails."""
    posts = site_dir / "content" / "posts"
    (posts / "deep.md").write_text("---\ntitle: Deep\ndate: 2026-02-01\n---\n\n" + "*" * 5000 + "x" + "*" * 5000)
    (posts / "broken.md").write_text("---\ntitle: [broken\n---\n\nText.\n")
    monkeypatch.chdir(site_dir)
    assert main(["engines"]) == 1
    captured = capsys.readouterr()
    assert "with python-markdown: [cannot convert: nested too deeply for Python-Markdown" in captured.out
    assert "content/posts/broken.md:2: front matter: invalid YAML" in captured.err
    assert "Traceback" not in captured.err
