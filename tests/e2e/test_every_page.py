"""Every page of the sample hub, with a post of what strains a theme, is valid HTML (the W3C Nu checker) and
passes axe-core's WCAG 2.2 AA rules in headless Chromium, in light and in dark mode, with no violation of any
impact. axe-core found three, before: code colours under 4.5:1 (Pygments' `friendly` comments), code
blocks that scroll sideways with no way to them from the keyboard, and footnote back-links told from the text
by their colour alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from publisher.build.pipeline import BuildOptions, build

from .browser import AXE_WCAG_22_AA, serve_folder
from .support import nu_checked

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
# A post of what the sample hub has little of: a table and code wider than the column, highlighted lines in
# several languages, footnotes (in a heading too) and a heading before `<!--more-->`.
STRAINING = '''---
title: What strains a theme
date: 2026-02-02
summary: Wide tables, long code and footnotes.
tags: [craft]
---

## Where it starts[^start]

Text with a note.[^note]

<!--more-->

{table}

```python {hl_lines="2 3"}
def attribution(visit):  # the campaign a visit came from, read from its UTM tags, or "direct" when it has none
    tags = {key: value for key, value in visit.query.items() if key.startswith("utm_")}  # a long line that scrolls
    return tags.get("utm_campaign", "direct")
```

```sql
SELECT campaign, COUNT(*) AS leads FROM visits WHERE stage = 'consideration' GROUP BY campaign ORDER BY leads DESC;
```

```toml
[share]
cta = "Read the full piece"  # a comment
```

    an indented block of code, with no language at all, and long enough to scroll sideways in a narrow column

[^start]: Where the story starts.
[^note]: A note, with [a link](https://example.com/) in it.
'''


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample hub, with the straining post, built into a folder of its own."""
    root = tmp_path_factory.mktemp("hub")
    for name in ("content", "static"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "publisher.toml", root / "publisher.toml")
    table = "\n".join(["| Channel | " + " | ".join(f"Week {n}" for n in range(1, 12)) + " |", "|---" * 12 + "|",
                       "| Newsletter | " + " | ".join(f"{1204 + 97 * n:,} visits" for n in range(11)) + " |"])
    (root / "content" / "posts" / "what-strains-a-theme.md").write_text(STRAINING.replace("{table}", table),
                                                                          encoding="utf-8")
    build(BuildOptions(config=root / "publisher.toml", output=root / "output", use_cache=False))
    return root / "output"


def test_every_page_is_valid_html(pages: Path) -> None:
    """The Nu checker finds no error in any page."""
    checked = nu_checked(pages)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert len(list(pages.rglob("*.html"))) > 30  # every page was there to check


@pytest.mark.parametrize("generator", ["jekyll", "hugo"])
def test_every_page_of_an_imported_site_is_valid_html(generator: str, tmp_path: Path) -> None:
    """Sites moved in bring what the sample hub has little of: video players, figures, dates with a fraction of
    a second (`10:30:15.25`, which a `<time>` wrote with six digits where HTML takes three)."""
    from publisher.commands.cli import main

    site = tmp_path / "site"
    assert main(["import", generator, str(REPO / "tests" / "sites" / "import" / generator / "site"), str(site)]) == 0
    build(BuildOptions(config=site / "publisher.toml", output=site / "output", use_cache=False))
    checked = nu_checked(site / "output")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_a_page_of_a_large_cluster_is_valid_and_passes_axe(tmp_path: Path, browser: Browser) -> None:
    """A post of a cluster of more than 12 lists the 12 around it, numbered from its place (`<ol start>`), and
    links the whole list on the pillar: the sample hub's clusters are too small to show it."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    root = tmp_path / "hub"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "publisher.toml", root / "publisher.toml")
    for day in range(1, 15):
        (root / "content" / "posts" / f"part-{day:02d}.md").write_text(
            f"---\ntitle: Cluster part {day}\ndate: 2026-03-{day:02d}\ncluster: the-publisher-stage\n---\n\n"
            "A part of the cluster.\n", encoding="utf-8")
    build(BuildOptions(config=root / "publisher.toml", output=root / "output", use_cache=False))
    checked = tmp_path / "checked"
    checked.mkdir()
    shown = root / "output" / "part-14" / "index.html"
    assert 'start="' in shown.read_text(encoding="utf-8") and "posts in this topic" in shown.read_text(encoding="utf-8")
    shutil.copy(shown, checked / "member.html")
    nu = nu_checked(checked)
    assert nu.returncode == 0, nu.stdout + nu.stderr
    with serve_folder(root / "output") as url:
        tab = browser.new_page()
        assert tab.goto(url + "part-14/index.html").status == 200
        results = axe_module.Axe().run(tab, options=AXE_WCAG_22_AA)
    assert results.response["violations"] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe_at_wcag_22_aa(pages: Path, scheme: str, browser: Browser) -> None:
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    axe = axe_module.Axe()
    # A redirect's page goes on to its target at once (axe would read a page gone): the Nu checker reads it.
    paths = sorted(page.relative_to(pages).as_posix() for page in pages.rglob("*.html")
                   if b'http-equiv="refresh"' not in page.read_bytes())
    violations: dict[str, list[object]] = {}
    with serve_folder(pages) as url:
        tab = browser.new_page(color_scheme=scheme)
        for path in paths:
            assert tab.goto(url + path).status == 200, path
            results = axe.run(tab, options=AXE_WCAG_22_AA)
            for violation in results.response["violations"]:
                targets = [node["target"] for node in violation["nodes"]][:3]
                violations.setdefault(violation["id"], []).append((path, violation["impact"], targets))
    assert "what-strains-a-theme/index.html" in paths
    assert not violations, json.dumps(violations, indent=1)


def test_a_hub_in_another_language_is_valid_and_passes_axe(tmp_path: Path, browser: Browser) -> None:
    """The theme's words in the site's language (`i18n/`) keep the pages valid and accessible: labels, the form's
    placeholder and the French thank-you title's no-break space among them; `<html lang>` is the language. The
    three languages in one test: one run of the HTML checker and one browser for all (`make test`'s time)."""
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    shown = ["index.html", "building-a-topic-cluster/index.html", "tags/social-media/index.html", "404.html",
             "offers/attribution-playbook/thanks/index.html", "search/index.html"]
    languages, built, checked = ("de", "fr", "es"), tmp_path / "built", tmp_path / "checked"
    violations = {}
    with serve_folder(built) as url:
        tab = browser.new_page()
        for language in languages:
            root = tmp_path / language
            for name in ("content", "static"):
                shutil.copytree(REPO / name, root / name)
            settings = (REPO / "publisher.toml").read_text(encoding="utf-8")
            (root / "publisher.toml").write_text(settings.replace('language = "en"', f'language = "{language}"'),
                                                 encoding="utf-8")
            build(BuildOptions(config=root / "publisher.toml", output=built / language,
                               base_url=f"{url}{language}/", use_cache=False))
            for number, path in enumerate(shown):
                page = (built / language / path).read_text(encoding="utf-8")
                assert f'<html lang="{language}">' in page
                (checked / language / str(number)).mkdir(parents=True)
                (checked / language / str(number) / "index.html").write_text(page, encoding="utf-8")
                assert tab.goto(f"{url}{language}/{path}").status == 200, path
                results = axe_module.Axe().run(tab, options=AXE_WCAG_22_AA)
                if results.response["violations"]:
                    violations[f"{language}/{path}"] = results.response["violations"]
    nu = nu_checked(checked)
    assert nu.returncode == 0, nu.stdout + nu.stderr
    assert not violations, json.dumps(violations, indent=1)[:4000]
