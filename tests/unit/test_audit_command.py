"""`publisher audit` as a user runs it: the page it writes (outside output/), its JSON, its exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest

from publisher.commands.cli import main

SITES = Path(__file__).resolve().parents[1] / "sites"
EPOCH = "1782820800"  # 2026-06-30 12:00 UTC, as test_audit.py audits the same site


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of tests/sites/audit, the current folder, audited as of EPOCH."""
    target = tmp_path / "site"
    shutil.copytree(SITES / "audit", target)
    monkeypatch.chdir(target)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return target


def test_the_page_is_written_outside_output_and_its_path_printed(site: Path, capsys: pytest.CaptureFixture[str]
                                                                  ) -> None:
    assert main(["audit"]) == 0  # findings alone never fail
    out, err = capsys.readouterr()
    assert out == ".publisher/audit.html\n"
    assert "Audited 7 posts: funnel.empty-stage 1, funnel.no-cta 1," in err
    assert (site / ".publisher" / "audit.html").is_file()
    assert not (site / "output").exists()


def test_the_page_is_valid_self_contained_html(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit"])
    page = (site / ".publisher" / "audit.html").read_text(encoding="utf-8")
    html5lib.HTMLParser(strict=True).parse(page)  # raises on any parse error, as the HTML standard defines them
    for external in ("<script", "<link", " src=", "url(", "@import"):
        assert external not in page  # nothing to fetch: it opens the same from disk, mail or a CI artifact
    assert '<html lang="en">' in page
    for heading in ("Funnel coverage", "Clusters", "Internal links", "Keyphrases", "Maintenance", "Readability"):
        assert f">{heading}</h2>" in page
    assert "content/posts/old-numbers.md:2: title: no other post, page or offer links here" in page


def test_the_same_site_gives_the_same_page(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit"])
    first = (site / ".publisher" / "audit.html").read_bytes()
    main(["audit"])
    assert (site / ".publisher" / "audit.html").read_bytes() == first


def test_json_lists_every_finding_by_rule_and_writes_no_file(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--format", "json"]) == 0
    audit = json.loads(capsys.readouterr().out)
    assert set(audit) == {"site", "site_url", "as_of", "posts", "refresh_after", "funnel", "clusters",
                          "gated_pillars", "links", "keyphrases", "stale", "readability", "findings", "rules"}
    assert audit["as_of"] == "2026-06-30"
    assert audit["findings"][0] == {
        "rule": "funnel.empty-stage", "path": "publisher.toml", "line": None, "field": "funnel.stages",
        "message": "no published post at the advocacy stage (write one, or leave the stage out)"}
    counts = {rule["rule"]: rule["findings"] for rule in audit["rules"]}
    assert counts["links.orphan"] == 1 and counts["keyphrase.duplicate"] == 2
    assert sum(counts.values()) == len(audit["findings"])
    assert not (site / ".publisher").exists()


def test_the_readme_documents_the_json_as_it_comes(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["audit", "--format", "json"])
    audit = json.loads(capsys.readouterr().out)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented = readme.split("**The JSON**", 1)[1].split("\n\n", 1)[0]
    at = [documented.index(f"`{key}`") for key in audit]  # each key named, in the order it comes
    assert at == sorted(at)
    for section, record in (("links", "{post, linked_from"), ("keyphrases", "{post, keyphrase, field, missing"),
                            ("stale", "{post, field,"), ("findings", "{rule,"), ("rules", "{rule, meaning, advice")):
        assert audit[section] and record in " ".join(documented.split()), section
    assert list(audit["findings"][0]) == ["rule", "path", "line", "field", "message"]
    assert list(audit["links"][0]) == ["post", "linked_from", "suggestions"]
    assert list(audit["links"][0]["post"]) == ["source", "title", "url"]


def test_fail_on_fails_only_for_named_rules_with_findings(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--fail-on", "links.orphan"]) == 1
    assert "✗ findings for links.orphan (--fail-on)" in capsys.readouterr().err
    assert main(["audit", "--format", "json", "--fail-on", "cluster"]) == 1  # a section: all its rules
    offer = site / "content" / "offers" / "audit-workbook.md"
    offer.write_text(offer.read_text(encoding="utf-8").replace("pillar: true\n", ""), encoding="utf-8")
    assert main(["audit", "--fail-on", "cluster.gated-pillar,funnel.no-cta"]) == 1
    assert main(["audit", "--fail-on", "cluster.gated-pillar"]) == 0


def test_an_unknown_rule_is_a_usage_error(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["audit", "--fail-on", "links.orphan,links.broken"])
    assert exited.value.code == 2
    assert "argument --fail-on: unknown rule 'links.broken' (rules: funnel.empty-stage," in capsys.readouterr().err


def test_a_broken_post_is_one_line_and_no_traceback(site: Path) -> None:
    (site / "content" / "posts" / "broken.md").write_text("---\ntitle: Broken\ndate: 2026-13-01\n---\n\nText.\n",
                                                          encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "publisher", "audit"], capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "content/posts/broken.md:3: date: '2026-13-01' is no day: there is no month 13",
        "✗ Build failed: 1 problem; nothing was audited.",
    ]
    assert not (site / ".publisher").exists()


def test_with_edit_url_each_finding_links_its_file_and_line_on_the_git_host(site: Path,
                                                                              capsys: pytest.CaptureFixture[str]
                                                                              ) -> None:
    config = site / "publisher.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[site]\n", '[site]\nedit_url = "https://gitlab.com/acme/hub/-/edit/main/"\n', 1), encoding="utf-8")
    assert main(["audit"]) == 0
    document = html5lib.parse((site / ".publisher" / "audit.html").read_text(encoding="utf-8"),
                              namespaceHTMLElements=False)
    links = {"".join(a.itertext()): a.get("href") for a in document.iter("a")}
    # GitLab's file view at the line, where the edit URL could not show one
    assert links["content/posts/old-numbers.md:2"] == (
        "https://gitlab.com/acme/hub/-/blob/main/content/posts/old-numbers.md#L2")
    # a post's source, beside its title, links to where it is edited
    assert links["content/posts/old-numbers.md"] == "https://gitlab.com/acme/hub/-/edit/main/content/posts/old-numbers.md"
    finding = next(li for li in document.iter("li") if "old-numbers.md:2" in "".join(li.itertext()))
    assert "".join(finding.itertext()).startswith(  # the finding's line reads as before, its place a link
        "content/posts/old-numbers.md:2: title: no other post, page or offer links here")
