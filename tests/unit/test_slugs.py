import pytest

from publisher.core.slugs import is_safe_slug, overlong_part, slugify, url_key


def test_slugify() -> None:
    assert slugify("The publisher stage: why brands stop chasing likes") == \
        "the-publisher-stage-why-brands-stop-chasing-likes"
    assert slugify("  Ünïcode  & «quotes» ") == "ünïcode-quotes"
    assert slugify("内容营销 101") == "内容营销-101"
    assert slugify("!!!") == ""


def test_safe_slugs() -> None:
    assert is_safe_slug("launch-day_2.0")
    for bad in ("../../x", "a/b", "..", ".hidden", "a\\b", "", "a b", "%2e%2e"):
        assert not is_safe_slug(bad), bad


def test_url_key_folds_case_and_unicode_forms() -> None:
    assert url_key("/caf\u00e9/") == url_key("/CAFE\u0301/")  # NFC and NFD spellings
    assert url_key("/A/") == url_key("/a/")


@pytest.mark.parametrize(("path", "limit", "found"), [
    ("/" + "a" * 255 + "/", 255, ""),
    ("/" + "a" * 256 + "/", 255, "a" * 256),
    ("/x/" + "é" * 128 + "/", 255, "é" * 128),  # 256 bytes of UTF-8 in 128 characters
    ("/" + "😀" * 64 + "/", 255, "😀" * 64),  # 256 bytes in 64 characters
    ("/" + "é" * 120 + "/b/", 240, ""),
])
def test_a_part_past_the_bytes_a_file_name_may_have_is_found_however_few_its_characters(
        path: str, limit: int, found: str) -> None:
    """Names are bounded in bytes (255 on ext4, APFS, NTFS's UTF-16 units aside), not characters."""
    assert overlong_part(path, limit) == found
