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
    assert "1 file(s) read differently with python-markdown than with commonmark" in captured.err
