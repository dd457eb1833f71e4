"""`publisher init` and `publisher new`: files that start a site or a post."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from string import Template

from publisher.commands.scaffold.requirement import DISTRIBUTION, Requirement, installed_requirement
from publisher.config.model import SiteConfig, check_url
from publisher.config.reader import load_config
from publisher.content.discovery import discover, split_file
from publisher.content.model import Kind
from publisher.core.errors import BuildFailed, Problem, PublisherError
from publisher.core.slugs import slugify, written_slug
from publisher.site.reserved import RESERVED_SEGMENTS

SITE_TEMPLATE = Path(__file__).parent / "site"


def init_site(directory: Path, *, title: str, url: str, requirement: Requirement | None = None,
              now: datetime | None = None) -> list[Path]:
    """Copy the starter site into `directory` (absent or empty); return the files written.

    requirements.txt gets `requirement`'s line (default: the running publisher's, `installed_requirement()`)."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise PublisherError(f"{directory}: not an empty folder (choose a new one)")
    title = _text(title, "the site's title")
    if not title.strip():
        raise PublisherError("--title: the site's title is empty")
    problems: list[Problem] = []
    url = check_url(_text(url, "the site's URL"), "--url", "command line", problems)
    if problems:  # as `publisher build` would say of it, before a file is written
        raise PublisherError(str(problems[0]))
    when = (now or datetime.now().astimezone()).strftime("%Y-%m-%d")
    requirement = requirement or installed_requirement()
    # JSON string syntax is valid in both TOML basic strings and YAML double-quoted strings.
    values = {"title_markdown": _as_markdown_text(title), "title_string": json.dumps(title, ensure_ascii=False),
              "welcome_string": json.dumps(f"Welcome to {title}", ensure_ascii=False),
              "url_string": json.dumps(url), "date": when, "requirement": requirement.line,
              "distribution": DISTRIBUTION}
    written = []
    for source in sorted(SITE_TEMPLATE.rglob("*")):
        if not source.is_file():
            continue
        target = directory / source.relative_to(SITE_TEMPLATE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(Template(source.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
        written.append(target)
    return written


_MARKUP = frozenset("\\`*_{}[]()<>#+-.!|~&%:=")  # Markdown's punctuation, shortcodes' braces, HTML's `<` and `&`


def _as_markdown_text(text: str) -> str:
    """`text` to show as it is in a Markdown body: its punctuation as character references, which both engines
    read as the character and which no shortcode or emphasis sees (`{{ journal }}`, `*`)."""
    return "".join(f"&#{ord(char)};" if char in _MARKUP else char for char in text)


MAX_SLUG = 80  # characters of a new post's slug, cut at a dash: a file name has room for 255 bytes


def _text(text: str, what: str) -> str:
    """`text`, or PublisherError when it is not text: bytes of another encoding than UTF-8 on the command line,
    which left an empty file behind and stopped with a traceback."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise PublisherError(f"{what} is not UTF-8 text") from None
    return text


def _one_line(text: str, what: str) -> str:
    """`text` (`_text`) on one line, its runs of white space (line breaks included) as one space: a title of
    several lines made front matter that did not read; PublisherError when it is empty."""
    line = " ".join(_text(text, what).split())
    if not line:
        raise PublisherError(f"{what} is empty")
    return line


def new_post(config: Path, title: str, *, now: datetime | None = None) -> Path:
    """Create `content/posts/<slug>.md` with a slug no other post or page uses; return its path."""
    title = _one_line(title, "the post's title")
    cfg, _ = load_config(config)
    when = now or datetime.now(cfg.tz)
    base = slugify(title)[:MAX_SLUG].rstrip("-") or "post"
    posts = cfg.content_dir / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    taken = taken_slugs(cfg)
    slug, n = base, 2
    while slug.casefold() in taken:
        slug, n = f"{base}-{n}", n + 1
    path = posts / f"{slug}.md"
    quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is a YAML one, escapes and all
    path.write_text(
        f'---\ntitle: {quoted}\ndate: {when:%Y-%m-%d %H:%M}\nsummary: ""\ntags: []\ndraft: true\n---\n\n'
        "Start with the reader's problem in one paragraph.\n\n<!--more-->\n\n## First section\n",
        encoding="utf-8",
    )
    return path


def taken_slugs(cfg: SiteConfig) -> set[str]:
    """The slugs (case-folded) a new post must not take: every post's file name, with and without its date
    prefix, and its `slug:`; and, where posts' URLs are their slugs alone (`/{slug}/`), every page's and the
    site's own (`tags`, `search`...). A post given one of them did not build: "URL /about/ is already used by
    content/pages/about.md", a draft included."""
    kinds: tuple[Kind, ...] = ("post", "page") if cfg.permalink.startswith("/{slug}") else ("post",)
    taken = {segment.casefold() for segment in RESERVED_SEGMENTS} if "page" in kinds else set()
    for source in discover(cfg, kinds):
        stem = Path(source.path).stem.casefold()
        taken |= {stem, re.sub(r"^\d{4}-\d{2}-\d{2}-", "", stem)}
        try:
            slug = split_file(source).metadata.get("slug")
        except BuildFailed:  # the build will say what is wrong with it; its file name is taken all the same
            continue
        if isinstance(slug, (str, int, float)) and written_slug(slug):
            taken.add(written_slug(slug).casefold())  # `slug: My Post` is built at `my-post`
    return taken
