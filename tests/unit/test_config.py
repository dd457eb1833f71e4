from pathlib import Path

import pytest

from publisher.config import load_config, parse_config
from publisher.errors import BuildFailed


def errors_of(data: dict) -> list[str]:
    with pytest.raises(BuildFailed) as info:
        parse_config(data, Path("."))
    return [str(p) for p in info.value.problems]


def test_minimal_config_gets_defaults() -> None:
    cfg, warnings = parse_config({"site": {"title": "Hub", "url": "https://hub.example"}}, Path("."))
    assert cfg.url == "https://hub.example/"
    assert cfg.base_path == "/"
    assert (cfg.language, cfg.timezone, cfg.posts_per_page, cfg.permalink) == ("en", "UTC", 10, "/{slug}/")
    assert warnings == []


def test_site_under_a_sub_path_keeps_its_base_path() -> None:
    cfg, _ = parse_config({"site": {"title": "Hub", "url": "https://user.github.io/repo"}}, Path("."))
    assert cfg.url == "https://user.github.io/repo/"
    assert cfg.base_path == "/repo/"


def test_all_problems_are_reported_at_once() -> None:
    assert errors_of({"site": {"title": 3, "url": "ftp://x", "posts_per_page": "ten", "permalink": "/{year}/"}}) == [
        "publisher.toml: site.permalink: '/{year}/' must start and end with '/', contain {slug} and no '..' (e.g. /{year}/{slug}/)",
        "publisher.toml: site.posts_per_page: must be a whole number, not a string",
        "publisher.toml: site.title: must be a string, not a number",
        "publisher.toml: site.url: must be an absolute http(s) URL, not 'ftp://x'",
    ]


def test_missing_url_and_title() -> None:
    assert errors_of({}) == [
        "publisher.toml: site.title: missing (expected a string)",
        "publisher.toml: site.url: must be an absolute http(s) URL, e.g. https://example.com/",
    ]


def test_unknown_keys_are_warned_not_fatal() -> None:
    _, warnings = parse_config({"site": {"title": "Hub", "url": "https://h.example/", "titel": "x"}, "sitee": {}}, Path("."))
    assert [f"{w.field}" for w in warnings] == ["site.titel", "sitee"]


def test_authors_and_nav_are_read() -> None:
    cfg, _ = parse_config({
        "site": {"title": "Hub", "url": "https://h.example/"},
        "authors": {"ann": {"name": "Ann", "bio": "Writes."}},
        "nav": [{"title": "About", "url": "/about/"}],
    }, Path("."))
    assert cfg.authors["ann"].name == "Ann"
    assert cfg.nav[0].url == "/about/"


def test_unknown_pygments_style_is_an_error() -> None:
    assert errors_of({"site": {"title": "H", "url": "https://h.example/"}, "markdown": {"highlight_dark": "nope"}}) == [
        "publisher.toml: markdown.highlight_dark: unknown Pygments style 'nope' (e.g. friendly, github-dark)",
    ]


def test_base_url_override_is_validated() -> None:
    cfg, _ = parse_config({"site": {"title": "Hub", "url": "https://hub.example/"}}, Path("."))
    assert cfg.with_overrides(url="https://preview.example/pr-7").url == "https://preview.example/pr-7/"
    with pytest.raises(BuildFailed, match="--base-url: must be an absolute"):
        cfg.with_overrides(url="preview")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed, match="file not found"):
        load_config(tmp_path / "publisher.toml")
