import pytest

from publisher.content.frontmatter import FrontMatterError, split_source


def test_yaml_front_matter_with_lines() -> None:
    split = split_source("---\ntitle: Hello\ntags: [a, b]\nshare:\n  x: hi\n---\n\nBody [x](y.md)\n")
    assert split.metadata == {"title": "Hello", "tags": ["a", "b"], "share": {"x": "hi"}}
    assert split.field_lines == {"title": 2, "tags": 3, "share": 4, "share.x": 5}
    assert split.body_line + split.body.split("\n").index("Body [x](y.md)") == 8


def test_dates_stay_text_for_one_reader() -> None:
    split = split_source("---\ntitle: x\ndate: 2026-01-02\nupdated: 2026-01-02 10:00:00 +01:00\n---\n")
    assert split.metadata["date"] == "2026-01-02"
    assert split.metadata["updated"] == "2026-01-02 10:00:00 +01:00"


def test_hugo_toml_front_matter() -> None:
    split = split_source('+++\ntitle = "Hugo"\ndate = 2026-01-02T10:00:00Z\ntags = ["a"]\n+++\nBody\n')
    assert split.metadata["title"] == "Hugo"
    assert split.metadata["tags"] == ["a"]
    assert split.field_lines["tags"] == 4


def test_nested_keys_have_their_own_lines_under_dotted_names() -> None:
    split = split_source(
        "---\ntitle: Hello\nshare:\n  # a comment\n  networks: [x]\n  linkedin:\n    announce: a\n\n"
        "    'reshare-1': b\n  x: >\n    folded: not a key\nsame: &l {a: 1}\nagain: *l\nlast: 1\n---\n")
    assert split.field_lines == {
        "title": 2, "share": 3, "share.networks": 5, "share.linkedin": 6, "share.linkedin.announce": 7,
        "share.linkedin.reshare-1": 9, "share.x": 10, "same": 12, "same.a": 12, "again": 13, "last": 14}


def test_nested_keys_in_toml_tables_and_dotted_keys() -> None:
    split = split_source('+++\ntitle = "Hugo"\ntags = [\n  "a",\n  ["x = 1"],\n]\nextra.colour = "blue"\n'
                         '[share]\n  networks = ["x"]\n"x" = "hi {url}"\n[share.linkedin]\nannounce = "a"\n'
                         '[[items]]\nname = "n"\n+++\nBody\n')
    assert split.field_lines == {
        "title": 2, "tags": 3, "extra": 7, "extra.colour": 7, "share": 8, "share.networks": 9, "share.x": 10,
        "share.linkedin": 11, "share.linkedin.announce": 12}


def test_no_front_matter() -> None:
    split = split_source("# Just Markdown\n")
    assert split.metadata == {}
    assert split.body == "# Just Markdown\n"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("---\ntitle: a\nbad: [x\n---\n", 3, "invalid YAML: did not find expected ',' or ']'"),
    ("---\ntitle: a: b\n---\n", 2, "invalid YAML: mapping values are not allowed"),
    ("---\n- a\n- b\n---\n", 2, "front matter is a list"),
    ("---\njust text\n---\n", 2, "front matter is a single str value"),
    ("---\ntitle: never closed\n", 1, "front matter is not closed"),
    ('+++\ntitle = "x\n+++\n', 2, "invalid TOML"),
    ("+++\ntitle = 'ok'\nx = " + "[" * 1000 + "]" * 1000 + "\n+++\n", 1, "is nested too deeply to read"),
])
def test_broken_front_matter_names_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(FrontMatterError) as info:
        split_source(text)
    assert info.value.line == line
    assert message in str(info.value)


def test_yaml_tags_are_refused_safely() -> None:
    with pytest.raises(FrontMatterError, match="invalid YAML"):
        split_source("---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n")


def _laughs(levels: int) -> str:
    """A front matter whose anchors each repeat the one before nine times ("a billion laughs" at nine levels)."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "---\ntitle: Laughs\n" + "\n".join(lines) + "\n---\n\nBody.\n"


@pytest.mark.parametrize(("text", "line", "message"), [
    (_laughs(9), 11, "YAML aliases repeat 490,329,036 values under `l8` (at most 100,000 a file)"),
    (_laughs(6), 8, "YAML aliases repeat 672,588 values under `l5`"),
    ("---\ntitle: Loop\nloop: &a [1, *a]\n---\n", 3, "a YAML alias repeats a value inside itself under `loop`"),
    ("---\ntitle: Loop\nshare:\n  x: &x {again: *x}\n---\n", 3, "inside itself under `share`"),
])
def test_aliases_that_repeat_without_end_or_past_100000_values_are_refused_at_their_field(
        text: str, line: int, message: str) -> None:
    """A few lines that make billions of values (nine levels took a build 74 s and 6 GB) or a value inside itself
    (the cache's JSON stopped the build with a traceback) are refused before anything is built of them."""
    with pytest.raises(FrontMatterError) as info:
        split_source(text)
    assert (info.value.line, message in str(info.value)) == (line, True), str(info.value)


def test_aliases_that_repeat_a_little_are_read() -> None:
    split = split_source(_laughs(5) + "")
    assert len(split.metadata["l4"]) == 9 and split.metadata["l4"][0][0][0][0] == split.metadata["l0"]
    base = split_source("---\ntitle: T\nx: &base {networks: [x, bluesky]}\nshare: *base\n---\n").metadata
    assert base["share"] == {"networks": ["x", "bluesky"]}


_LONG = "---\ntitle: Launch\ndate: 2026-01-01\ntags: [news]\n{}\nstage: awareness\n---\nBody.\n"


@pytest.mark.parametrize(("mistake", "line", "message"), [
    ("summary: 'It's here'", 5, "did not find expected key"),  # a quote closed by an apostrophe
    ('summary: "He said "hi""', 5, "did not find expected key"),
    ("keywords:\n  - a\n - b", 7, "did not find expected key"),  # an item indented one space less
    ("keywords:\n  - a\n  b: c", 7, "did not find expected '-' indicator"),
    ("\tdraft: true", 5, "invalid YAML"),  # a tab before a key
    ("draft", 5, "could not find expected ':'"),  # a key without its colon: its own line, not the next
    ("keywords: [a, b", 5, "did not find expected ',' or ']'"),  # an unclosed bracket: where it opened
])
def test_a_yaml_mistake_is_reported_at_its_own_line_not_the_first_key(mistake: str, line: int, message: str) -> None:
    """A stray quote or a misindented item on line 5 was reported at line 2, the title's: the reader's context
    there is the whole front matter, which starts at the first key. go-yaml (Hugo) names the mistake's line."""
    with pytest.raises(FrontMatterError) as info:
        split_source(_LONG.format(mistake))
    assert (info.value.line, message in str(info.value)) == (line, True), str(info.value)


@pytest.mark.parametrize(("mistake", "fixed"), [
    ("title: Launch: the plan", 'title: "Launch: the plan"'),  # YAML reads ": " as a mapping inside the value
    ("summary: 'It's here'", "summary: \"It's here\""),  # the apostrophe closed the quote
    ('summary: "He said "hi""', "summary: 'He said \"hi\"'"),
    ("summary: @acme is live", 'summary: "@acme is live"'),  # `@` and a backtick start no plain value
    ("summary: `publisher new` explained", 'summary: "`publisher new` explained"'),
    ("title: [Update] New pricing", 'title: "[Update] New pricing"'),  # read as a list, then text after it
    ("share:\n  x: Read: the plan {url}", 'x: "Read: the plan {url}"'),
    ("summary: a\\b: c", 'summary: "a\\\\b: c"'),
])
def test_a_value_that_needs_quotes_is_shown_quoted(mistake: str, fixed: str) -> None:
    """`title: Launch: the plan`, the commonest front-matter mistake of a new writer, said only "mapping values are
    not allowed in this context": the message now shows the line as it reads, quoted."""
    with pytest.raises(FrontMatterError) as info:
        split_source(_LONG.format(mistake))
    assert str(info.value).endswith(f"; write the value in quotes: {fixed}"), str(info.value)
    written = mistake.split("\n")[-1].strip()
    assert split_source(_LONG.format(mistake.replace(written, fixed))).field_lines  # the line shown reads


@pytest.mark.parametrize("mistake", ["keywords: [a, b", "keywords: {a: b", 'summary: "never closed',
                                     "keywords:\n  - a\n - b", "draft"])
def test_no_quotes_are_offered_where_quoting_is_not_the_fix(mistake: str) -> None:
    """An unclosed list or quote is closed, not quoted whole."""
    with pytest.raises(FrontMatterError) as info:
        split_source(_LONG.format(mistake))
    assert "write the value in quotes" not in str(info.value)
