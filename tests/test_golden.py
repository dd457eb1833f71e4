"""The sample hub, built, compared file by file with tests/golden/.

After an intended change to the output, regenerate with `make golden`
(pytest --update-golden) and review the diff like any other change.
"""

from __future__ import annotations

import difflib
import re
import shutil
from pathlib import Path

import pytest

from publisher.build.pipeline import BuildOptions, build

from .conftest import FIXED_EPOCH, REPO, snapshot

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def sample_output(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("sample") / "output"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", FIXED_EPOCH)
        # a cache of its own: the repository's would gain a model, manifest and search parts for each run's folder
        build(BuildOptions(config=REPO / "publisher.toml", output=out, cache_dir=out.parent / "cache"))
    return snapshot(out)


def without_cards(files: dict[str, bytes]) -> dict[str, bytes]:
    """The output but its generated PNGs: their names (digests of what they show) are in the golden HTML;
    their pixels depend on the Pillow and FreeType at hand, and tests/unit/test_cards.py checks them."""
    return {rel: data for rel, data in files.items() if not (rel.startswith("social/") and rel.endswith(".png"))}


def without_search_index(files: dict[str, bytes]) -> dict[str, bytes]:
    """The output but Pagefind's bundle: its bytes (index, scripts, WebAssembly) are Pagefind's and change with
    its version; tests/unit/pages/test_search.py checks what it finds and that a build gives the same bytes."""
    return {rel: data for rel, data in files.items() if not rel.startswith("pagefind/")}


def test_sample_hub_matches_golden(sample_output: dict[str, bytes], update_golden: bool) -> None:
    sample_output = without_search_index(without_cards(sample_output))
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in sample_output.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    expected = snapshot(GOLDEN)
    assert sorted(sample_output) == sorted(expected), "files added or missing; run `make golden` if intended"
    for rel, data in sample_output.items():
        if data != expected[rel]:
            diff = "\n".join(difflib.unified_diff(expected[rel].decode(errors="replace").splitlines(),
                                                  data.decode(errors="replace").splitlines(),
                                                  f"golden/{rel}", f"output/{rel}", lineterm="", n=2))
            pytest.fail(f"{rel} differs from tests/golden/ (run `make golden` if intended):\n{diff[:4000]}")


def test_every_preview_image_a_page_names_is_built(sample_output: dict[str, bytes]) -> None:
    named = {m.decode() for data in sample_output.values()
             for m in re.findall(rb'og:image" content="https://journal\.northlight\.example/([^"]+)"', data)}
    cards = {rel for rel in sample_output if rel.startswith("social/")}
    assert named and named <= set(sample_output)
    assert cards == {rel for rel in named if rel.startswith("social/")}  # no card nobody shows
    for rel in cards:
        assert sample_output[rel].startswith(b"\x89PNG\r\n\x1a\n")


def test_sample_hub_has_what_the_readme_promises(sample_output: dict[str, bytes]) -> None:
    posts = [rel for rel in sample_output if rel.endswith("/index.html") and rel.count("/") == 1
             and rel.split("/")[0] not in {"tags", "authors", "archive", "page", "about", "privacy"}]
    assert len(posts) >= 10
    assert "repurposing-a-webinar/index.html" not in sample_output  # the draft
    assert "our-2027-content-plan/index.html" not in sample_output  # scheduled for 2027
    assert "about/index.html" in sample_output


def test_an_offers_thank_you_page_promises_only_what_the_site_does(sample_output: dict[str, bytes]) -> None:
    """It said "We also sent the link to your inbox" (no build can know that a form's provider emails anything)
    and "Back to the journal", the sample hub's word, on every site."""
    page = sample_output["offers/attribution-playbook/thanks/index.html"].decode("utf-8")
    assert "inbox" not in page and "the journal" not in page
    assert 'download>Download ' in page
    assert '<a href="/">Back to The Northlight Journal</a>' in page
