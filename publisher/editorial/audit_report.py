"""The audit as people and programs read it: one self-contained HTML page, or JSON.

The page carries its own styles and nothing else (no scripts, fonts or
images to fetch), so it can be opened from disk, mailed or attached to a CI
run as one file. Both forms are made from the `Audit` alone, so the same
audit gives the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from publisher.config.edit_links import file_edit_url, file_line_url
from publisher.editorial.audit import ADVICE, RULES, Audit, Finding

TEMPLATES = Path(__file__).parent / "templates"


def audit_html(audit: Audit, edit_url: str = "") -> str:
    """The audit as one HTML page; with the site's `edit_url`, each finding links to its file at its line on the
    Git host, and each post's source to where it is edited."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                     undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                     keep_trailing_newline=True)
    template = environment.get_template("audit.html")
    return template.render(audit=audit, rules=rule_counts(audit), findings=findings_by_rule(audit, edit_url),
                           source_url=partial(file_edit_url, edit_url),
                           orphans=[item for item in audit.links if not item.linked_from],
                           site_url=audit.site_url.rstrip("/"))


def audit_json(audit: Audit) -> str:
    """The audit as JSON: every section, and every finding as `rule`, `path`, `line`, `field`, `message`."""
    data = asdict(audit)
    data["findings"] = [finding_record(finding) for finding in audit.findings]
    data["rules"] = rule_counts(audit)
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_value) + "\n"


def rule_counts(audit: Audit) -> list[dict[str, Any]]:
    """Every rule, in order, with what it means, whether it is advice, and its number of findings."""
    return [{"rule": rule, "meaning": meaning, "advice": rule in ADVICE, "findings": audit.count(rule)}
            for rule, meaning in RULES.items()]


def findings_by_rule(audit: Audit, edit_url: str = "") -> dict[str, list[dict[str, str]]]:
    """Each rule that found something, with its findings as the usual one-line problems: `where` (`file:line`),
    `what` (`field: message`), and `url`, the file at that line on the Git host ("" without `edit_url`)."""
    grouped: dict[str, list[dict[str, str]]] = {}
    for finding in audit.findings:
        problem = finding.problem
        where = problem.path if problem.line is None else f"{problem.path}:{problem.line}"
        grouped.setdefault(finding.rule, []).append({"where": where, "what": f"{problem.field}: {problem.message}",
                                                     "url": file_line_url(edit_url, problem.path, problem.line)})
    return grouped


def finding_record(finding: Finding) -> dict[str, Any]:
    problem = finding.problem
    return {"rule": finding.rule, "path": problem.path, "line": problem.line, "field": problem.field,
            "message": problem.message}


def _json_value(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
