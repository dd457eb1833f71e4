"""`--format github`: each problem as a GitHub Actions workflow command, read back here as the job's runner reads it
(actions/runner, src/Runner.Common/ActionCommand.cs, `TryParseV2`), so each lands on its file's line."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher.commands.annotations import annotation
from publisher.commands.cli import main
from publisher.core.errors import Problem

from .test_check import plant


@dataclass(frozen=True)
class Command:
    name: str
    properties: dict[str, str]
    data: str


def _unescaped(text: str, mappings: tuple[tuple[str, str], ...]) -> str:
    for token, replacement in mappings:  # in the runner's order: `%25` last
        text = text.replace(replacement, token)
    return text


DATA = (("\r", "%0D"), ("\n", "%0A"), ("%", "%25"))
PROPERTY = (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25"))


def runner_reads(line: str) -> Command | None:
    """The command the runner reads in a line of a step's output, or None for a line it shows as it is."""
    message = line.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    name, _, written = info.partition(" ")
    properties = {}
    for pair in (part for part in written.strip().split(",") if part):
        key, equals, value = pair.partition("=")
        if equals and key and value:
            properties[key] = _unescaped(value, PROPERTY)
    return Command(name, properties, _unescaped(message[end + 2:], DATA))


def test_every_character_of_a_problem_reaches_the_annotation_as_written() -> None:
    """A `,` or `:` in a file name ends a property's value, and a line break ends the command, unless escaped;
    `%` is the escape itself."""
    problem = Problem("content/posts/q1, q2: 100%.md", 7, "summary", "50% off: a,b\r\nnext line %0A")
    read = runner_reads(annotation("warning", problem, "publisher check (summary)"))
    assert read == Command("warning", {"file": "content/posts/q1, q2: 100%.md", "line": "7",
                                       "title": "publisher check (summary)"}, str(problem))
    assert "\n" not in annotation("error", problem, "t")
    assert runner_reads(annotation("notice", Problem("publisher.toml", None, "funnel", "x"), "t")) == Command(
        "notice", {"file": "publisher.toml", "title": "t"}, "publisher.toml: funnel: x")


def test_check_format_github_annotates_each_finding_at_its_file_and_line(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The init workflow's `publisher check --format github` puts each error and warning on its line of the pull
    request, the log still saying where (the runner shows only the message); the count stays on stderr."""
    plant(site_dir)
    monkeypatch.chdir(site_dir)
    assert main(["check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert main(["check", "--format", "github"]) == 1
    captured = capsys.readouterr()
    commands = [runner_reads(line) for line in captured.out.splitlines()]
    assert [(c.name, c.properties.get("file"), c.properties.get("line"), c.properties["title"], c.data)
            for c in commands if c is not None] == [
        (f["severity"], f["path"], str(f["line"]), f"publisher check ({f['field']})",
         str(Problem(f["path"], f["line"], f["field"], f["message"]))) for f in findings]
    assert len(commands) == len(findings) == 10 and None not in commands
    assert captured.err == "5 errors, 5 warnings\n"


def test_check_format_github_annotates_the_problems_that_stop_the_build(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (site_dir / "content" / "posts" / "first.md").write_text("---\ntitle: First\ndate: 2026-13-01\n---\n\nText.\n")
    monkeypatch.chdir(site_dir)
    assert main(["check", "--format", "github"]) == 1
    read = runner_reads(capsys.readouterr().out.splitlines()[0])
    assert read is not None and (read.name, read.properties["file"], read.properties["line"]) == (
        "error", "content/posts/first.md", "3")


def test_audit_format_github_marks_the_fail_on_rules_errors_and_the_rest_notices(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    sites = Path(__file__).parents[1] / "sites"
    shutil.copytree(sites / "good", tmp_path / "repo" / "site")
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert main(["audit", "--config", "site/publisher.toml", "--format", "github", "--fail-on", "links.orphan"]) == 1
    commands = [runner_reads(line) for line in capsys.readouterr().out.splitlines()]
    assert None not in commands
    orphans = [c for c in commands if c is not None and c.properties["title"] == "publisher audit (links.orphan)"]
    assert orphans and all(c.name == "error" and c.properties["file"].startswith("site/content/") for c in orphans)
    others = [c for c in commands if c is not None and c not in orphans]
    assert others and {c.name for c in others} == {"notice"}
    assert not (tmp_path / "repo" / "site" / ".publisher" / "audit.html").exists()


def test_audit_format_github_annotates_the_problems_that_stop_the_build_once(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A site that does not build stopped `audit --format github` with plain lines on stderr, no annotation, and
    without the warnings found before it stopped (a misspelt setting), which a build shows."""
    config = site_dir / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[site2]\nfoo = 1\n", encoding="utf-8")
    (site_dir / "content" / "posts" / "first.md").write_text("---\ntitle: First\ndate: 2026-13-01\n---\n\nText.\n")
    monkeypatch.chdir(site_dir)
    assert main(["audit", "--format", "github"]) == 1
    captured = capsys.readouterr()
    read = [runner_reads(line) for line in captured.out.splitlines()]
    assert [(c.name, c.properties["file"], c.properties.get("line")) for c in read if c is not None] == [
        ("error", "content/posts/first.md", "3"), ("warning", "publisher.toml", "11")]
    assert None not in read
    assert captured.err == "✗ Build failed: 1 problem; nothing was audited.\n"
    assert main(["audit"]) == 1
    assert capsys.readouterr().err.splitlines()[0].startswith("warning: publisher.toml:11: site2: unknown setting")
