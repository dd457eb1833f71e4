"""Sites with one problem each: the build fails with exactly the expected lines
and leaves the previous output byte-for-byte as it was."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from publisher.commands.cli import main

from .conftest import snapshot

SITES = Path(__file__).parent / "sites"
CASES = sorted(p.name for p in (SITES / "broken").iterdir() if p.is_dir())


@pytest.fixture
def good_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITES / "good", site)
    monkeypatch.chdir(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21
    return site


PYTHONS_OWN_LIMIT = 1000


@pytest.fixture(autouse=True)
def pythons_own_recursion_limit() -> Iterator[None]:
    """The recursion limit a user's `publisher` runs under (Python's own, 1,000), whatever an earlier test in the
    same worker left (Hypothesis raises it while its tests run): with it at 4,000, Python-Markdown converts the
    deep-nesting case, and its build succeeds."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(PYTHONS_OWN_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


@pytest.mark.parametrize("case", CASES)
def test_broken_site_reports_exact_error_and_keeps_output(case: str, good_site: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build"]) == 0
    before = snapshot(good_site / "output")
    assert "index.html" in before
    capsys.readouterr()

    shutil.copytree(SITES / "broken" / case, good_site, dirs_exist_ok=True)
    (good_site / "expected.txt").unlink()
    assert main(["build"]) == 1

    err = capsys.readouterr().err
    expected = (SITES / "broken" / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    problem_lines = [line for line in err.splitlines() if not line.startswith("✗")]
    assert problem_lines == expected
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("✗ Build failed")
    assert snapshot(good_site / "output") == before
