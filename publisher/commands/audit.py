"""`publisher audit`: the editorial audit of the hub as it would be published, as a page or as JSON.

The page is written to `.publisher/audit.html` next to `publisher.toml`, never
into `output/`: what it says about the hub (its orphans, its stale posts) is
for the team, and `output/` is public once deployed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from publisher.build.options import BuildOptions
from publisher.build.pipeline import site_as_of
from publisher.config.model import SiteConfig
from publisher.editorial.audit import RULES, Audit, audit_site
from publisher.editorial.audit_report import audit_html
from publisher.output.files import OutputFile
from publisher.output.private import private_dir, write_private

PAGE_NAME = "audit.html"  # in .publisher/, which `init`'s .gitignore leaves out of the repository


def run_audit(config: Path) -> tuple[Audit, SiteConfig]:
    """The audit of the site that `config` describes, as a build at this moment would publish it, and the site's
    settings."""
    loaded = site_as_of(BuildOptions(config=config))
    return audit_site(loaded.site, loaded.config, loaded.now), loaded.config


def write_audit_page(audit: Audit, site_root: Path, edit_url: str = "") -> Path:
    """Write the audit's page into the site's private folder (`.publisher/`); return its path. `edit_url`: the
    site's `[site] edit_url`, so each finding links to its file and line on the Git host."""
    write_private([OutputFile(PAGE_NAME, audit_html(audit, edit_url).encode("utf-8"))], site_root)
    return private_dir(site_root) / PAGE_NAME


def rule_names(text: str) -> tuple[str, ...]:
    """`--fail-on`'s value: comma-separated rule ids, or section names for all of a section's rules
    (`links`, `readability`). An unknown name is a usage error that lists the known ones."""
    chosen: list[str] = []
    for name in (part.strip() for part in text.split(",")):
        matching = [rule for rule in RULES if rule == name or rule.startswith(name + ".")] if name else []
        if not matching:
            raise argparse.ArgumentTypeError(f"unknown rule {name!r} (rules: {', '.join(RULES)}; or a section: "
                                             f"{', '.join(dict.fromkeys(r.split('.')[0] for r in RULES))})")
        chosen += matching
    return tuple(dict.fromkeys(chosen))


def failed_rules(audit: Audit, fail_on: tuple[str, ...]) -> list[str]:
    """The rules of `fail_on` that found something, in the order of RULES."""
    return [rule for rule in RULES if rule in fail_on and audit.count(rule)]
