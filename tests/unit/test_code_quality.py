"""`--format gitlab`: the findings as a GitLab Code Quality report, read back as GitLab reads the
`artifacts:reports:codequality` file: JSON without a BOM, each issue valid (an invalid one is dropped), one issue
per fingerprint (its parser files them by fingerprint), a fingerprint kept while the problem stays."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from publisher.commands.cli import main
from publisher.commands.codequality import code_quality_report
from publisher.core.errors import Problem

from .test_check import plant

SCHEMA = json.loads((Path(__file__).parents[1] / "discovery" / "schemas" / "gitlab-code-quality.schema.json")
                    .read_text(encoding="utf-8"))


def gitlab_reads(raw: str) -> list[dict]:
    """The report as GitLab takes it: JSON, not after a BOM, every issue valid, no two with one fingerprint."""
    assert not raw.startswith("\ufeff")
    report = json.loads(raw)
    jsonschema.Draft202012Validator(SCHEMA).validate(report)
    fingerprints = [issue["fingerprint"] for issue in report]
    assert len(set(fingerprints)) == len(fingerprints), "GitLab would keep one issue per fingerprint"
    return report


def test_check_format_gitlab_reports_each_finding_at_its_file_and_line(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Errors are `major`, warnings `minor`; the count stays on stderr, so `> gl-code-quality-report.json` holds
    the report alone; the exit code is check's."""
    plant(site_dir)
    monkeypatch.chdir(site_dir)
    assert main(["check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert main(["check", "--format", "gitlab"]) == 1
    captured = capsys.readouterr()
    report = gitlab_reads(captured.out)
    assert [(i["severity"], i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"],
             i["description"]) for i in report] == [
        ({"error": "major", "warning": "minor"}[f["severity"]], f["path"], f["line"], f"publisher check ({f['field']})",
         f"{f['field']}: {f['message']}") for f in findings]
    assert len(report) == 10
    assert captured.err == "5 errors, 5 warnings\n"


def test_a_fingerprint_stays_when_lines_above_the_problem_move(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """GitLab tells a merge request's new issues from the target branch's by fingerprint: a paragraph added
    above two dead links must not make them new."""
    post = site_dir / "content" / "posts" / "dead.md"
    post.write_text("---\ntitle: Dead\ndate: 2026-01-10\nsummary: S.\n---\n\n[a](/gone/)\n\n[b](/lost/)\n")
    monkeypatch.chdir(site_dir)
    main(["check", "--format", "gitlab"])
    before = [i for i in gitlab_reads(capsys.readouterr().out) if i["location"]["path"] == "content/posts/dead.md"]
    post.write_text(post.read_text().replace("---\n\n", "---\n\nA new first paragraph.\n\n", 1))
    main(["check", "--format", "gitlab"])
    after = [i for i in gitlab_reads(capsys.readouterr().out) if i["location"]["path"] == "content/posts/dead.md"]
    assert [i["location"]["lines"]["begin"] for i in before] == [7, 9]
    assert [i["location"]["lines"]["begin"] for i in after] == [9, 11]
    assert [i["fingerprint"] for i in before] == [i["fingerprint"] for i in after]


def test_the_same_problem_on_two_lines_of_a_file_is_two_issues() -> None:
    """GitLab keeps one issue per fingerprint: the second occurrence gets one of its own, the same on every run."""
    twice = [("minor", Problem("content/posts/a.md", line, "image", "'/a.png' has no alt text"), "publisher check")
             for line in (7, 9)]
    report = gitlab_reads(code_quality_report(twice))
    assert [i["location"]["lines"]["begin"] for i in report] == [7, 9]
    assert code_quality_report(twice) == code_quality_report(twice)


def test_a_site_that_does_not_build_is_a_report_of_its_problems(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (site_dir / "content" / "posts" / "first.md").write_text("---\ntitle: First\ndate: 2026-13-01\n---\n\nText.\n")
    monkeypatch.chdir(site_dir)
    assert main(["check", "--format", "gitlab"]) == 1
    [issue] = gitlab_reads(capsys.readouterr().out)
    assert (issue["severity"], issue["location"], issue["check_name"]) == (
        "major", {"path": "content/posts/first.md", "lines": {"begin": 3}}, "publisher check (date)")


def test_a_clean_site_is_an_empty_report() -> None:
    assert gitlab_reads(code_quality_report([])) == []


def test_a_finding_about_a_whole_file_is_at_its_first_line_and_text_is_kept_as_written() -> None:
    [issue] = gitlab_reads(code_quality_report([("minor", Problem("static/é.png", None, "image", "«GPS» 100%"),
                                                 "publisher check (image)")]))
    assert issue["location"] == {"path": "static/é.png", "lines": {"begin": 1}}
    assert issue["description"] == "image: «GPS» 100%"


def test_audit_format_gitlab_ranks_the_fail_on_rules_major_and_the_rest_info(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The audit's advice shows in the merge request as information; a rule `--fail-on` names fails the job and
    shows as `major`, at the post's file from the repository's root. No audit page is written."""
    shutil.copytree(Path(__file__).parents[1] / "sites" / "good", tmp_path / "repo" / "site")
    monkeypatch.chdir(tmp_path / "repo")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert main(["audit", "--config", "site/publisher.toml", "--format", "gitlab", "--fail-on", "links.orphan"]) == 1
    report = gitlab_reads(capsys.readouterr().out)
    orphans = [i for i in report if i["check_name"] == "publisher audit (links.orphan)"]
    assert orphans and all(i["severity"] == "major" and i["location"]["path"].startswith("site/content/")
                           for i in orphans)
    others = [i for i in report if i not in orphans]
    assert others and {i["severity"] for i in others} == {"info"}
    assert not (tmp_path / "repo" / "site" / ".publisher" / "audit.html").exists()


def test_audit_format_gitlab_of_a_site_that_does_not_build_reports_its_problems(
        site_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (site_dir / "content" / "posts" / "first.md").write_text("---\ntitle: First\ndate: 2026-13-01\n---\n\nText.\n")
    monkeypatch.chdir(site_dir)
    assert main(["audit", "--format", "gitlab"]) == 1
    captured = capsys.readouterr()
    [issue] = gitlab_reads(captured.out)
    assert (issue["severity"], issue["location"], issue["check_name"]) == (
        "major", {"path": "content/posts/first.md", "lines": {"begin": 3}}, "publisher audit (date)")
    assert captured.err == "✗ Build failed: 1 problem; nothing was audited.\n"
