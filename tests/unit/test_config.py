import os
from pathlib import Path

import pytest

from publisher.config.reader import load_config, parse_config
from publisher.core.errors import BuildFailed
from publisher.core.quotes import Quotes


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
        ("publisher.toml: site.permalink: '/{year}/' must start and end with '/', contain {slug} and no '..' "
         "(e.g. /{year}/{slug}/)"),
        "publisher.toml: site.posts_per_page: must be a whole number, not a string",
        "publisher.toml: site.title: must be a string, not a number",
        "publisher.toml: site.url: must be an absolute http(s) URL, not 'ftp://x'",
    ]


def test_an_ipv6_host_left_open_is_a_bad_url_not_a_traceback() -> None:
    assert errors_of({"site": {"title": "Hub", "url": "https://[::1/"}, "websub": {"hub": "https://[::1/"}}) == [
        "publisher.toml: site.url: must be an absolute http(s) URL, not 'https://[::1/'",
        "publisher.toml: websub.hub: must be an absolute http(s) URL, not 'https://[::1/'",
    ]


def test_a_site_url_that_climbs_out_of_its_path_is_refused() -> None:
    assert errors_of({"site": {"title": "Hub", "url": "https://h.example/../../x/"}}) == [
        "publisher.toml: site.url: must not hold '.' or '..' in its path, not 'https://h.example/../../x/'"]


def test_a_site_url_with_a_space_or_a_quote_is_refused() -> None:
    assert errors_of({"site": {"title": "Hub", "url": 'https://h.example/a b"/'}}) == [
        "publisher.toml: site.url: must be a URL without spaces, quotes or <>\\^`{|}, not 'https://h.example/a b\"/'"]


@pytest.mark.parametrize(("url", "said"), [
    ("https://user:pw@h.example/", "must not hold a user name or password (every page and feed would publish them)"),
    ("https://h.example:99999/", "has no port a server can have, not 'https://h.example:99999/'"),
])
def test_a_site_url_with_credentials_or_an_impossible_port_is_refused(url: str, said: str) -> None:
    assert errors_of({"site": {"title": "Hub", "url": url}}) == [f"publisher.toml: site.url: {said}"]


@pytest.mark.parametrize("tag", ["en", "pt-BR", "zh-Hant-TW", "de-CH-1996"])
def test_a_language_tag_is_taken(tag: str) -> None:
    cfg, _ = parse_config({"site": {"title": "Hub", "url": "https://h.example/", "language": tag}}, Path("."))
    assert cfg.language == tag


def test_a_language_that_is_no_tag_is_refused() -> None:
    """Pagefind stopped on a long one, the build saying only that it failed."""
    assert errors_of({"site": {"title": "Hub", "url": "https://h.example/",
                               "language": "en-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}) == [
        ("publisher.toml: site.language: must be a language tag such as \"en\" or \"pt-BR\", not "
        "'en-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'")]


def test_a_config_nested_thousands_deep_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "publisher.toml").write_text('[site]\ntitle = "T"\nurl = "https://h.example/"\ndescription = '
                                            + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as info:
        load_config(tmp_path / "publisher.toml")
    assert [str(problem) for problem in info.value.problems] == ["publisher.toml: config: is nested too deeply to read"]


def test_missing_url_and_title() -> None:
    assert errors_of({}) == [
        "publisher.toml: site.title: missing (expected a string)",
        "publisher.toml: site.url: must be an absolute http(s) URL, e.g. https://example.com/",
    ]


def test_unknown_keys_are_warned_not_fatal() -> None:
    _, warnings = parse_config({"site": {"title": "Hub", "url": "https://h.example/", "titel": "x"}, "sitee": {}},
                               Path("."))
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


def test_unknown_markdown_engine_is_an_error() -> None:
    assert errors_of({"site": {"title": "H", "url": "https://h.example/"}, "markdown": {"engine": "pandoc"}}) == [
        "publisher.toml: markdown.engine: unknown engine 'pandoc' (one of: commonmark, python-markdown)",
    ]


SITE = {"title": "H", "url": "https://h.example/"}


def test_share_settings_report_every_problem_with_its_key() -> None:
    assert errors_of({"site": SITE, "share": {
        "post_to": ["x", "myspace"], "utm": {"utm_term": "{who}"},
        "schedule": {"reshare_after": ["2 days"], "hours": ["9am"]}, "networks": {"x": {"limit": 0}}}}) == [
        "publisher.toml: share.networks.x.limit: must be a whole number of at least 1, not 0",
        ("publisher.toml: share.post_to: unknown network 'myspace' (known: x, mastodon, bluesky, threads, linkedin,"
         " facebook, pinterest, reddit; add one with [share.networks.myspace])"),
        "publisher.toml: share.schedule.hours: '9am' is not a time of day such as \"09:00\"",
        ("publisher.toml: share.schedule.reshare_after: must be a duration such as \"10m\", \"36h\" or \"2d\", "
         "not '2 days'"),
        "publisher.toml: share.utm.utm_term: cannot use '{who}' (placeholders: {network}, {slug}, {variant})",
    ]


def test_a_posting_hour_the_clock_lacks_says_why() -> None:
    """`hours = ["25:00"]` read `'25:00' is not a time of day such as "09:00"`, the form it was written in."""
    assert errors_of({"site": SITE, "share": {"schedule": {"hours": ["25:00", "17:60", "09:00"]}}}) == [
        "publisher.toml: share.schedule.hours: '25:00' is no time of day: a day's hours are 0 to 23, not 25",
        "publisher.toml: share.schedule.hours: '17:60' is no time of day: an hour's minutes are 0 to 59, not 60",
    ]


def test_share_settings_are_read() -> None:
    cfg, warnings = parse_config({"site": SITE, "share": {
        "post_to": ["x", "misskey"], "utm": {"utm_content": False, "ref": "{network}-{slug}"},
        "schedule": {"reshare_after": ["1d 12h", "1w"], "hours": ["17:00", "08:30"], "min_gap": "15m"},
        "networks": {"misskey": {"counting": "characters", "limit": 3000}, "x": {"hours": ["10:00"]}}}}, Path("."))
    share = cfg.share
    assert not warnings and share.networks == ("x", "misskey") and share.profiles["misskey"].limit == 3000
    assert share.utm == (("utm_source", "{network}"), ("utm_medium", "social"), ("utm_campaign", "{slug}"),
                         ("ref", "{network}-{slug}"))
    assert [str(d) for d in share.reshares] == ["1 day, 12:00:00", "7 days, 0:00:00"]
    assert [h.isoformat("minutes") for h in share.hours_for("mastodon")] == ["08:30", "17:00"]
    assert [h.isoformat("minutes") for h in share.hours_for("x")] == ["10:00"]
    assert str(share.min_gap) == "0:15:00"


def test_the_settings_repr_that_keys_the_cache_is_the_same_in_every_process() -> None:
    """`repr(cfg)` salts the page cache: a set in it (ordered by a per-process hash seed) would make every
    build miss the cache and never be up to date."""
    import subprocess
    import sys

    code = ("import hashlib; from pathlib import Path; from publisher.config.reader import load_config; "
            "print(hashlib.sha256(repr(load_config(Path('publisher.toml'))[0]).encode()).hexdigest())")
    root = Path(__file__).resolve().parents[2]
    seen = {subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(seen) == 1


def test_search_is_on_unless_turned_off_and_its_settings_are_checked() -> None:
    site = {"title": "Hub", "url": "https://h.example/"}
    assert parse_config({"site": site}, Path("."))[0].search.enabled
    assert not parse_config({"site": site, "search": {"enabled": False}}, Path("."))[0].search.enabled
    assert errors_of({"site": site, "search": {"enabled": "no"}}) == [
        "publisher.toml: search.enabled: must be true or false, not a string"]
    _, warnings = parse_config({"site": site, "search": {"enabeld": False}}, Path("."))
    assert [str(w) for w in warnings] == [
        "publisher.toml: search.enabeld: unknown setting (known: enabled, shard_size)"]
    assert parse_config({"site": site}, Path("."))[0].search.shard_size == 1000
    assert errors_of({"site": site, "search": {"shard_size": "many"}}) == [
        "publisher.toml: search.shard_size: must be a whole number, not a string"]


def test_a_settings_problem_names_its_line_and_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Every problem of publisher.toml says where it is; a file saved with a byte-order mark (Notepad's) was
    "invalid TOML: Invalid statement at column 1"."""
    config = tmp_path / "publisher.toml"
    config.write_text('\ufeff[site]\ntitle = "Hub"\nurl = "not a url"\n\n[social]\ntwitter = "our brand"\n',
                      encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        load_config(config)
    assert [str(p) for p in failed.value.problems] == [
        "publisher.toml:3: site.url: must be an absolute http(s) URL, not 'not a url'",
        "publisher.toml:6: social.twitter: must be an X handle such as \"@brand\", not 'our brand'"]


@pytest.mark.parametrize(("url", "written"), [
    ("https://bücher.example/blog", "https://xn--bcher-kva.example/blog/"),
    ("https://straße.example:8080/", "https://xn--strae-oqa.example:8080/"),  # UTS #46 as browsers: ß kept
    ("https://Example.COM/x/", "https://Example.COM/x/"),  # an ASCII host as written
])
def test_an_internationalised_host_is_written_as_urls_write_it(url: str, written: str) -> None:
    """Sitemaps, feeds, IndexNow and `og:url` take URIs: a host of other letters is written in its ASCII form
    (punycode), which browsers show as the name it stands for."""
    cfg, _ = parse_config({"site": {"title": "Hub", "url": url}}, Path("."))
    assert cfg.url == written


def test_a_host_no_dns_can_hold_is_one_line() -> None:
    assert errors_of({"site": {"title": "Hub", "url": "https://bü..cher.example/"}}) == [
        "publisher.toml: site.url: has a host name no DNS can hold, not 'https://bü..cher.example/'"]


def test_a_gap_between_announcements_a_scheduler_refuses_is_a_warning() -> None:
    """Sprout Social refuses a bulk file with two messages of one profile less than 10 minutes apart: a shorter
    `min_gap` is said; 10 minutes and more say nothing."""
    def warnings_of(gap: str) -> list[str]:
        _, warnings = parse_config({"site": {"title": "Hub", "url": "https://h.example/"},
                                    "share": {"schedule": {"min_gap": gap}}}, Path("."))
        return [str(warning) for warning in warnings]

    assert warnings_of("5m") == [("publisher.toml: share.schedule.min_gap: '5m' is under 10 minutes: Sprout "
                                  "Social refuses a file with two messages of a profile closer than that")]
    assert warnings_of("10m") == warnings_of("1h") == []


@pytest.mark.parametrize(("language", "marks"), [("en", "“”‘’"), ("de", "„“‚‘"), ("pt-PT", "«»“”"), ("ja", "「」『』")])
def test_smart_quotes_are_those_of_the_sites_language(language: str, marks: str) -> None:
    cfg, _ = parse_config({"site": {"title": "Hub", "url": "https://h.example/", "language": language}}, Path("."))
    assert cfg.markdown.quotes == Quotes(*marks)


@pytest.mark.parametrize(("written", "marks"), [("»«›‹", ("»", "«", "›", "‹")),
                                                (["«\u202f", "\u202f»", "‹", "›"], ("«\u202f", "\u202f»", "‹", "›"))])
def test_smart_quotes_may_be_set_outright(written: object, marks: tuple[str, ...]) -> None:
    cfg, _ = parse_config({"site": {"title": "Hub", "url": "https://h.example/", "language": "de"},
                           "markdown": {"quotes": written}}, Path("."))
    assert cfg.markdown.quotes == Quotes(*marks)


def test_smart_quotes_of_another_shape_are_one_line_naming_their_line(tmp_path: Path) -> None:
    config = tmp_path / "publisher.toml"
    config.write_text('[site]\ntitle = "Hub"\nurl = "https://h.example/"\n\n[markdown]\nquotes = "„“"\n',
                      encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        load_config(config)
    assert [str(p) for p in failed.value.problems] == [
        ("publisher.toml:6: markdown.quotes: must be four characters (double open, double close, single open, "
         "single close) such as \"„“‚‘\", or a list of four strings, not '„“'")]


def test_a_command_run_inside_a_site_s_folder_names_the_site_s_settings(site_dir: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Run from `content/posts/` (a terminal opened where the post is), a command said to start a new site
    (`publisher init DIR`); it names the settings of the site the folder is in, and how to use them."""
    from publisher.commands.cli import main

    monkeypatch.chdir(site_dir / "content" / "posts")
    assert main(["check"]) == 1
    assert capsys.readouterr().out == (
        "error: publisher.toml: config: file not found; this folder is inside the site of ../../publisher.toml: "
        "run publisher there, or pass --config ../../publisher.toml\n")
    assert main(["check", "--config", "../../publisher.toml"]) == 1  # the site's own problems: it was found
    assert capsys.readouterr().out.startswith("error: second.md:7: image:")  # from here, as every path
    monkeypatch.chdir(site_dir.parent)
    with pytest.raises(BuildFailed) as failed:
        load_config(Path("publisher.toml"))
    assert failed.value.problems[0].message == "file not found (run `publisher init DIR` to start a site)"
