"""`publisher init`'s requirements.txt: a line CI can install, chosen from how publisher was installed (PEP 610)."""

from __future__ import annotations

import json
import re
import tomllib
from importlib.metadata import PackageNotFoundError
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement as Pep508

from publisher import __version__
from publisher.commands import cli
from publisher.commands.cli import main
from publisher.commands.scaffold import requirement as scaffold_requirement
from publisher.commands.scaffold.requirement import DISTRIBUTION, Requirement, choose_requirement

COMMIT = "0123456789abcdef0123456789abcdef01234567"
PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def direct_url(**data: Any) -> str:
    return json.dumps(data)


def test_the_distribution_name_is_the_one_in_pyproject() -> None:
    assert tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["name"] == DISTRIBUTION == "publisher-ssg"


# --- the decision -------------------------------------------------------------------------------------------------

def test_a_release_from_the_index_is_pinned_to_its_version() -> None:
    chosen = choose_requirement(None, "1.4.2")
    assert chosen.line == "publisher-ssg==1.4.2"
    assert chosen.source == "index" and chosen.warning is None
    assert "1.4.2" in chosen.reason and "package index" in chosen.reason


def test_a_vcs_install_is_pinned_to_its_repository_and_commit() -> None:
    chosen = choose_requirement(direct_url(url="https://github.com/acme/publisher.git",
                                           vcs_info={"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"}),
                                "0.1.0")
    assert chosen.line == f"publisher-ssg @ git+https://github.com/acme/publisher.git@{COMMIT}"
    assert chosen.source == "vcs" and chosen.warning is None
    assert COMMIT[:12] in chosen.reason and "https://github.com/acme/publisher.git" in chosen.reason
    parsed = Pep508(chosen.line)
    assert parsed.name == DISTRIBUTION and parsed.url == f"git+https://github.com/acme/publisher.git@{COMMIT}"


def test_a_vcs_install_keeps_its_subdirectory_and_is_never_prefixed_twice() -> None:
    chosen = choose_requirement(direct_url(url="git+ssh://git@github.com/acme/mono.git", subdirectory="tools/publisher",
                                           vcs_info={"vcs": "git", "commit_id": COMMIT}), "0.1.0")
    assert chosen.line == f"publisher-ssg @ git+ssh://git@github.com/acme/mono.git@{COMMIT}#subdirectory=tools/publisher"
    assert Pep508(chosen.line).name == DISTRIBUTION


def test_an_archive_from_a_url_is_pinned_to_that_url_and_its_hash() -> None:
    url = "https://files.acme.test/publisher_ssg-0.1.0-py3-none-any.whl"
    chosen = choose_requirement(direct_url(url=url, archive_info={"hashes": {"sha256": "ab" * 32}}), "0.1.0")
    assert chosen.line == f"publisher-ssg @ {url}#sha256={'ab' * 32}"
    assert chosen.source == "url" and chosen.warning is None
    legacy = choose_requirement(direct_url(url=url, archive_info={"hash": "sha256=" + "cd" * 32}), "0.1.0")
    assert legacy.line == f"publisher-ssg @ {url}#sha256={'cd' * 32}"


@pytest.mark.parametrize("record", [
    {"url": "file:///home/me/publisher", "dir_info": {"editable": True}},  # pip install -e .
    {"url": "file:///home/me/publisher", "dir_info": {}},  # pip install .
    {"url": "file:///tmp/dist/publisher_ssg-0.1.0-py3-none-any.whl", "archive_info": {}},  # a local wheel
    {"url": "file:///home/me/publisher", "vcs_info": {"vcs": "git", "commit_id": COMMIT}},  # git+file://
], ids=["editable", "folder", "wheel", "local-clone"])
def test_a_local_install_is_pinned_to_its_version_with_a_warning(record: dict[str, Any]) -> None:
    chosen = choose_requirement(json.dumps(record), "0.1.0")
    assert chosen.line == "publisher-ssg==0.1.0"
    assert chosen.source == "local"
    assert_warns_what_to_write(chosen)
    assert record["url"] in (chosen.warning or "")


@pytest.mark.parametrize(("text", "installed"), [
    (None, False),  # no distribution metadata at all: run from a source tree
    ("{not json", True),
    ("[]", True),
    (direct_url(dir_info={"editable": True}), True),  # no url
    (direct_url(url="https://github.com/acme/publisher.git", vcs_info={"vcs": "git"}), True),  # no commit
], ids=["not-installed", "bad-json", "not-an-object", "no-url", "no-commit"])
def test_missing_or_unreadable_metadata_pins_the_version_with_a_warning(text: str | None, installed: bool) -> None:
    chosen = choose_requirement(text, "2.0.0", installed=installed)
    assert chosen.line == "publisher-ssg==2.0.0"
    assert chosen.source == "local"
    assert_warns_what_to_write(chosen)


def assert_warns_what_to_write(chosen: Requirement) -> None:
    assert chosen.warning is not None and "\n" not in chosen.warning
    assert chosen.warning.startswith(f"requirements.txt pins {chosen.line}, but ")
    assert f'"{DISTRIBUTION}==X.Y.Z"' in chosen.warning  # a released version ...
    assert f'"{DISTRIBUTION} @ git+https://github.com/OWNER/REPO@COMMIT"' in chosen.warning  # ... or a VCS URL


# --- what is running ----------------------------------------------------------------------------------------------

class FakeDistribution:
    def __init__(self, version: str, direct_url: str | None) -> None:
        self.version, self.direct_url = version, direct_url

    def read_text(self, name: str) -> str | None:
        return self.direct_url if name == "direct_url.json" else None


def test_the_running_install_is_read_from_its_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def fake(name: str) -> FakeDistribution:
        asked.append(name)
        return FakeDistribution("3.1.0", None)

    monkeypatch.setattr(scaffold_requirement, "distribution", fake)
    assert scaffold_requirement.installed_requirement().line == "publisher-ssg==3.1.0"
    assert asked == [DISTRIBUTION]


def test_a_publisher_that_is_not_installed_pins_its_own_version(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> FakeDistribution:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(scaffold_requirement, "distribution", missing)
    chosen = scaffold_requirement.installed_requirement()
    assert chosen.line == f"publisher-ssg=={__version__}" and chosen.warning is not None


def test_the_running_install_gives_a_line_pip_reads() -> None:
    chosen = scaffold_requirement.installed_requirement()  # whatever this environment is: editable, wheel, VCS
    assert Pep508(chosen.line).name == DISTRIBUTION


# --- init ---------------------------------------------------------------------------------------------------------

def requirements_line(site: Path) -> str:
    lines = [line for line in (site / "requirements.txt").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    assert len(lines) == 1, lines
    return lines[0]


def test_init_writes_the_vcs_requirement_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    record = direct_url(url="https://github.com/acme/publisher", vcs_info={"vcs": "git", "commit_id": COMMIT})
    monkeypatch.setattr(cli, "installed_requirement", lambda: choose_requirement(record, "0.1.0"))
    assert main(["init", str(tmp_path / "hub")]) == 0
    line = f"publisher-ssg @ git+https://github.com/acme/publisher@{COMMIT}"
    assert requirements_line(tmp_path / "hub") == line
    err = capsys.readouterr().err
    assert f"requirements.txt (what CI installs): {line} (commit {COMMIT[:12]} of " in err
    assert "warning" not in err


def test_init_pins_a_release_without_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "installed_requirement", lambda: choose_requirement(None, "1.2.3"))
    assert main(["init", str(tmp_path / "hub")]) == 0
    assert requirements_line(tmp_path / "hub") == "publisher-ssg==1.2.3"
    err = capsys.readouterr().err
    assert "requirements.txt (what CI installs): publisher-ssg==1.2.3 (version 1.2.3, as installed from" in err
    assert "warning" not in err


def test_init_from_a_local_install_warns_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    record = direct_url(url="file:///home/me/publisher", dir_info={"editable": True})
    monkeypatch.setattr(cli, "installed_requirement", lambda: choose_requirement(record, "0.1.0"))
    assert main(["init", str(tmp_path / "hub")]) == 0
    assert requirements_line(tmp_path / "hub") == "publisher-ssg==0.1.0"
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: requirements.txt pins publisher-ssg==0.1.0, but ")
    assert "file:///home/me/publisher" in warnings[0] and "git+https://" in warnings[0]


def test_init_with_the_running_install_writes_what_it_prints(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "hub")]) == 0
    line = requirements_line(tmp_path / "hub")
    assert f"requirements.txt (what CI installs): {line} (" in capsys.readouterr().err
    assert Pep508(line).name == DISTRIBUTION


def test_the_workflow_installs_requirements_txt(tmp_path: Path) -> None:
    init_quietly(tmp_path / "hub")
    workflow = (tmp_path / "hub" / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert "pip install -r requirements.txt" in workflow
    assert "publisher==" not in workflow


def test_the_workflow_keeps_the_build_cache_between_runs(tmp_path: Path) -> None:
    """Cards and image copies are drawn once, not on every scheduled build."""
    init_quietly(tmp_path / "hub")
    steps = yaml.safe_load((tmp_path / "hub" / ".github" / "workflows" / "publish.yml").read_text())["jobs"][
        "build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    cache = steps[uses.index("actions/cache")]
    assert cache["with"]["path"] == ".publisher-cache"
    assert cache["with"]["key"] == "publisher-${{ runner.os }}-${{ github.sha }}"
    assert uses.index("actions/cache") < next(i for i, s in enumerate(steps) if "publisher build" in s.get("run", ""))


def test_the_workflow_checks_the_site_before_it_builds_and_a_new_hub_passes(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """`publisher check` holds the dead-URL guard (publisher.urls) and the link checks: a deploy waits for them."""
    init_quietly(tmp_path / "hub")
    steps = yaml.safe_load((tmp_path / "hub" / ".github" / "workflows" / "publish.yml").read_text())["jobs"][
        "build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    check = runs.index("publisher check --format github")
    assert check < next(i for i, run in enumerate(runs) if run.startswith("publisher build"))
    monkeypatch.chdir(tmp_path / "hub")
    assert main(["check"]) == 0
    (tmp_path / "hub" / "publisher.urls").write_text("/a-post-we-published/\n")
    assert main(["check"]) == 1



def test_a_pull_request_is_checked_with_its_problems_on_its_lines_and_never_deployed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The workflow ran on pushes to main alone: a pull request's broken link was found once merged, in the deploy's
    log. A pull request now runs the check job alone, whose `publisher check --format github` annotates each
    problem's line in the pull request; its runs are grouped apart, so none waits for a deploy or cancels one."""
    init_quietly(tmp_path / "hub")
    workflow = yaml.safe_load((tmp_path / "hub" / ".github" / "workflows" / "publish.yml").read_text())
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as true
    jobs = workflow["jobs"]
    assert jobs["check"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["check"]["permissions"] == {"contents": "read"}
    assert jobs["build"]["if"] == "github.event_name != 'pull_request'"
    assert jobs["deploy"]["needs"] == "build" and "build" in jobs["ping"]["needs"]  # skipped with it
    assert "'pages'" in workflow["concurrency"]["group"] and "github.ref" in workflow["concurrency"]["group"]
    run = jobs["check"]["steps"][-1]["run"]
    assert run == "publisher check --format github"
    welcome = tmp_path / "hub" / "content" / "posts" / "welcome.md"
    welcome.write_text(welcome.read_text(encoding="utf-8") + "\nSee [the guide](/no-such-guide/).\n",
                       encoding="utf-8")
    monkeypatch.chdir(tmp_path / "hub")
    capsys.readouterr()
    assert main(run.split()[1:]) == 1
    lines = welcome.read_text(encoding="utf-8").splitlines()
    assert capsys.readouterr().out.splitlines() == [
        (f"::error file=content/posts/welcome.md,line={len(lines)},title=publisher check (link)::"
         f"content/posts/welcome.md:{len(lines)}: link: /no-such-guide/ resolves to nothing in the built site")]


def test_the_new_hub_s_own_post_passes_the_audit_s_reading_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The audit's first report on a new hub tells the team about their site, not about publisher's own words (a
    30-word sentence of the welcome post was its first `readability.long-sentence`)."""
    init_quietly(tmp_path / "hub")
    monkeypatch.chdir(tmp_path / "hub")
    capsys.readouterr()
    assert main(["audit", "--format", "json"]) == 0
    rules = {finding["rule"] for finding in json.loads(capsys.readouterr().out)["findings"]}
    assert rules and not {rule for rule in rules if rule.startswith("readability.")}


def test_the_settings_hold_no_placeholder_url(tmp_path: Path) -> None:
    init_quietly(tmp_path / "hub", "--url", "https://journal.acme.org/")
    settings = (tmp_path / "hub" / "publisher.toml").read_text(encoding="utf-8")
    urls = re.findall(r"https?://[^\s\"')]+", settings)
    # The site's own URL, and the form a GitHub Pages URL takes (an explanation, not a link).
    assert urls == ["https://journal.acme.org/", "https://USER.github.io/REPO/"]
    assert "example" not in settings


def init_quietly(site: Path, *extra: str) -> None:
    assert main(["init", str(site), *extra]) == 0
