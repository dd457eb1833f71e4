"""GitLab Code Quality reports for problems (`--format gitlab`): a JSON array GitLab reads from a job's
`artifacts:reports:codequality` file and shows in the merge request (its widget, and in the changes view on the
file's line).

Each issue is the subset of the Code Climate spec GitLab documents (docs/ci/testing/code_quality.md, "Implement a
custom tool"): `description`, `check_name`, `fingerprint`, `severity` (info, minor, major, critical, blocker),
`location.path` (relative to the repository) and `location.lines.begin`.

GitLab keeps one issue per fingerprint (its parser files them by it) and tells a merge request's new issues from
the target branch's by it. So a fingerprint is made of the file, the check and the message, not the line: an
edit above a problem moves it without making it new. The same message twice in a file (one dead link on two
lines) gets a fingerprint for each occurrence, in the report's order, as ESLint's GitLab formatter does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from publisher.core.errors import Problem

SEVERITIES = ("info", "minor", "major", "critical", "blocker")  # GitLab's, least to most severe


def code_quality_report(issues: Iterable[tuple[str, Problem, str]]) -> str:
    """The Code Quality report (JSON text, no BOM, which GitLab's parser refuses) of `issues`: each a GitLab
    severity (`SEVERITIES`), the problem, and the name of the check that found it."""
    seen: set[str] = set()
    report = []
    for severity, problem, check in issues:
        if severity not in SEVERITIES:
            raise ValueError(f"not a Code Quality severity: {severity!r}")
        fingerprint = _unique(_fingerprint(problem, check), seen)
        report.append(_issue(problem, check, severity, fingerprint))
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def _issue(problem: Problem, check: str, severity: str, fingerprint: str) -> dict[str, object]:
    return {
        "description": f"{problem.field}: {problem.message}",  # GitLab shows the file and line beside it
        "check_name": check,
        "fingerprint": fingerprint,
        "severity": severity,
        # A finding about a whole file (no line) is shown at its first: GitLab requires a line.
        "location": {"path": problem.path, "lines": {"begin": problem.line or 1}},
    }


def _fingerprint(problem: Problem, check: str) -> str:
    return _digest("\0".join((problem.path, check, problem.field, problem.message)))


def _unique(fingerprint: str, seen: set[str]) -> str:
    """`fingerprint`, else (the same problem again in the same file) the digest of it, until one is new."""
    while fingerprint in seen:
        fingerprint = _digest(fingerprint)
    seen.add(fingerprint)
    return fingerprint


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]  # the length of GitLab's MD5 example
