"""X's counter against twitter-text's own conformance cases (../shared/testdata/twitter-text).

twitter-text runs its sections with different configurations, and so do we:

- `WeightedTweetsCounterTest` with config v2, which is v3 (the shared v3.json)
  with emoji parsing off: an emoji weighs what its code points weigh. Under v3
  two of its 20 cases count differently (the emoji ones); v3's values for those
  very texts are the cases of the next section, which we check too.
- `WeightedTweetsWithDiscountedEmojiCounterTest` and
  `UnicodeDirectionalMarkerCounterTest` with v3 as it is.

Every field is compared: weightedLength, valid, permillage and both ranges.
"""

from __future__ import annotations

import functools
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from publisher.social.counting import TWITTER_TEXT_V2, TWITTER_TEXT_V3, TwitterTextConfig, parse_tweet

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared"
DATA = SHARED / "testdata" / "twitter-text"
MISSING = f"twitter-text conformance data not found: {DATA.resolve()} (the shared/ folder next to the repo root)"


@functools.cache
def _sections() -> dict[str, list[dict[str, Any]]]:
    return yaml.safe_load((DATA / "validate.yml").read_text(encoding="utf-8"))["tests"]


def _cases(section: str) -> list[Any]:
    """One parameter per case, or a single skipped one when the shared data is absent."""
    if not (DATA / "validate.yml").is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=MISSING), id="shared-data-absent")]
    return [pytest.param(case, id=f"{i:02d}-{case['description'][:50]}") for i, case in enumerate(_sections()[section])]


def _v3() -> TwitterTextConfig:
    if not (DATA / "v3.json").is_file():
        pytest.skip(MISSING)
    return TwitterTextConfig.from_json(json.loads((DATA / "v3.json").read_text(encoding="utf-8")))


def _result(text: str, config: TwitterTextConfig) -> dict[str, Any]:
    """parse_tweet's answer in the conformance file's shape."""
    result = parse_tweet(text, config)
    return {
        "weightedLength": result.weighted_length,
        "valid": result.valid,
        "permillage": result.permillage,
        "displayRangeStart": result.display_range[0],
        "displayRangeEnd": result.display_range[1],
        "validRangeStart": result.valid_range[0],
        "validRangeEnd": result.valid_range[1],
    }


def test_builtin_config_is_the_shared_v3_json() -> None:
    assert _v3() == TWITTER_TEXT_V3
    assert replace(_v3(), version=2, emoji_parsing_enabled=False) == TWITTER_TEXT_V2


@pytest.mark.parametrize("case", _cases("WeightedTweetsCounterTest"))
def test_weighted_tweets_counter(case: dict[str, Any]) -> None:
    v2 = replace(_v3(), version=2, emoji_parsing_enabled=False)  # twitter-text's config/v2.json
    assert _result(case["text"], v2) == case["expected"]


@pytest.mark.parametrize("case", _cases("WeightedTweetsCounterTest"))
def test_weighted_tweets_counter_under_v3(case: dict[str, Any]) -> None:
    """Under v3 each case counts as in the v2 section, unless the emoji section says otherwise for that text."""
    v3_expectations = {c["text"]: c["expected"] for c in _sections()["WeightedTweetsWithDiscountedEmojiCounterTest"]}
    expected = v3_expectations.get(case["text"], case["expected"])
    assert _result(case["text"], _v3()) == expected


def test_only_the_emoji_cases_differ_between_v2_and_v3() -> None:
    if not (DATA / "validate.yml").is_file():
        pytest.skip(MISSING)
    v3_expectations = {c["text"]: c["expected"] for c in _sections()["WeightedTweetsWithDiscountedEmojiCounterTest"]}
    differing = [
        case["description"]
        for case in _sections()["WeightedTweetsCounterTest"]
        if v3_expectations.get(case["text"], case["expected"]) != case["expected"]
    ]
    assert differing == [
        "Count a mix of single byte single word, and double word unicode characters",
        "Count unicode emoji chars outside the basic multilingual plane with skin tone modifiers",
    ]


@pytest.mark.parametrize("case", _cases("WeightedTweetsWithDiscountedEmojiCounterTest"))
def test_weighted_tweets_with_discounted_emoji(case: dict[str, Any]) -> None:
    assert _result(case["text"], _v3()) == case["expected"]


@pytest.mark.parametrize("case", _cases("UnicodeDirectionalMarkerCounterTest"))
def test_unicode_directional_markers(case: dict[str, Any]) -> None:
    assert _result(case["text"], _v3()) == case["expected"]
