from publisher.core.slugs import is_safe_slug, slugify, url_key


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
