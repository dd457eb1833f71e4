"""A deterministic corpus of realistic long-form posts for benchmarks.

    python bench/corpus.py DIR --posts 1000 [--seed 7] [--flavour publisher|pelican|hugo] [--dense]

Each post has ~1,500 words: headings, lists, a code block, a table, links.
`--dense`: every sentence also carries inline markup (a link, a code span,
emphasis or strong), where a Markdown engine's inline parsing costs most.
The same seed gives the same bytes, so runs and peers can be compared.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = ("content audience reader search social channel brand long-form useful publish distribution funnel "
         "awareness consideration decision advocacy newsletter guide demo referral analytics campaign attribution "
         "headline summary snippet keyword cluster pillar editorial calendar measure lead pipeline story evidence "
         "practice example team quarter budget signal noise owned earned paid network format limit schedule").split()
TAGS = ["strategy", "seo", "social", "analytics", "writing", "email", "video", "b2b", "research", "design",
        "workflow", "leads"]


INLINE = ("*{}*", "**{}**", "`{}`", "[{}](https://example.com/{})")


def sentence(rng: random.Random, dense: bool = False) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if dense:  # one word of the sentence (never the first) marked up
        at = rng.randrange(1, len(words))
        words[at] = rng.choice(INLINE).format(words[at], words[at])
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, dense: bool = False) -> str:
    return " ".join(sentence(rng, dense) for _ in range(rng.randint(4, 7)))


def body(rng: random.Random, index: int, total: int, dense: bool = False) -> str:
    parts = [paragraph(rng, dense), paragraph(rng, dense)]
    for section in range(6):
        parts.append(f"## {sentence(rng)[:-1]}")
        parts += [paragraph(rng, dense) for _ in range(3)]
        if section == 1:
            parts.append("\n".join(f"- {sentence(rng, dense)}" for _ in range(5)))
        if section == 2:
            parts.append("```python\ndef score(lead):\n    weights = {'visit': 1, 'download': 5, 'demo': 20}\n"
                         "    return sum(weights.get(e, 0) for e in lead.events)\n```")
        if section == 3:
            rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} | {rng.randint(1, 99)}% |"
                             for _ in range(5))
            parts.append("| Channel | Visits | Share |\n|---|---:|---:|\n" + rows)
        if section == 4 and total > 1:
            parts.append(f"See also [the previous piece](post-{(index - 1) % total:05d}.md).")
    return "\n\n".join(parts) + "\n"


def _first_date(posts: int) -> datetime:
    """Posts come seven hours apart, the newest in October 2020 whatever the size: every post is in the past, so
    each tool builds all of them (Hugo refuses a link to a future post, publisher leaves it out)."""
    return datetime(2020, 1, 1, 9, 0, tzinfo=UTC) - timedelta(hours=7 * max(0, posts - 1000))


def write_post(content: Path, rng: random.Random, index: int, posts: int, flavour: str, dense: bool = False) -> Path:
    """Post number `index` of a corpus of `posts` (a later number: a new post, seven hours after the one before)."""
    when = _first_date(posts) + timedelta(hours=7 * index)
    tags = rng.sample(TAGS, 2)
    title = sentence(rng)[:-1][:70]
    text = body(rng, index, max(posts, index + 1), dense)
    if flavour == "pelican":
        text = text.replace("(post-", "({filename}post-")
        head = (f"Title: {title}\nDate: {when:%Y-%m-%d %H:%M}\nTags: {', '.join(tags)}\nSlug: post-{index:05d}\n"
                f"Summary: {sentence(rng)}\n\n")
    elif flavour == "hugo":
        text = text.replace("(post-", "({{< ref \"post-").replace(".md)", ".md\" >}})")
        head = (f"---\ntitle: \"{title}\"\ndate: {when:%Y-%m-%dT%H:%M:%S}Z\ntags: [{', '.join(tags)}]\n"
                f"slug: post-{index:05d}\nsummary: \"{sentence(rng)}\"\n---\n\n")
    else:
        head = (f"---\ntitle: \"{title}\"\ndate: {when:%Y-%m-%d %H:%M}\ntags: [{', '.join(tags)}]\n"
                f"summary: \"{sentence(rng)}\"\n---\n\n")
    path = content / f"post-{index:05d}.md"
    path.write_text(head + text, encoding="utf-8")
    return path


def add_post(target: Path, posts: int, number: int, flavour: str = "publisher") -> Path:
    """A new post in a corpus of `posts` to which `number` posts were added (from 0): the newest, as a writer
    publishes one."""
    content = target / "content" / ("" if flavour == "pelican" else "posts")
    return write_post(content, random.Random(posts + number), posts + number, posts, flavour)


def write_corpus(target: Path, posts: int, seed: int = 7, flavour: str = "publisher", dense: bool = False) -> None:
    rng = random.Random(seed)
    content = target / "content" / ("" if flavour == "pelican" else "posts")
    content.mkdir(parents=True, exist_ok=True)
    for index in range(posts):
        write_post(content, rng, index, posts, flavour, dense)
    if flavour == "publisher":
        (target / "publisher.toml").write_text(
            '[site]\ntitle = "Bench"\nurl = "https://bench.example/"\ntimezone = "UTC"\n', encoding="utf-8")
    elif flavour == "pelican":
        (target / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    else:
        (target / "hugo.toml").write_text(HUGO_CONF, encoding="utf-8")
        for name, text in HUGO_LAYOUTS.items():
            path = target / "layouts" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


PELICAN_CONF = """SITENAME = "Bench"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 10
FEED_ALL_ATOM = "feeds/all.atom.xml"
MARKDOWN = {"extension_configs": {"markdown.extensions.codehilite": {"css_class": "highlight"},
            "markdown.extensions.extra": {}, "markdown.extensions.meta": {}, "markdown.extensions.toc": {}}}
"""

HUGO_CONF = """baseURL = "https://bench.example/"
title = "Bench"
[pagination]
pagerSize = 10
[markup.highlight]
noClasses = false
[markup.tableOfContents]
startLevel = 2
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html><head><title>{{ .Title }}</title></head><body>"
                            "<header><a href=\"/\">{{ site.Title }}</a></header>"
                            "<main>{{ block \"main\" . }}{{ end }}</main></body></html>",
    "_default/single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>"
                            "<time>{{ .Date.Format \"2 January 2006\" }}</time>"
                            "{{ .TableOfContents }}{{ .Content }}"
                            "<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></article>{{ end }}",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ range (.Paginate .Pages).Pages }}"
                          "<article><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2>"
                          "<p>{{ .Summary }}</p></article>{{ end }}{{ end }}",
    "index.html": "{{ define \"main\" }}{{ range (.Paginate site.RegularPages).Pages }}"
                  "<article><h2><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></h2>"
                  "<p>{{ .Summary }}</p></article>{{ end }}{{ end }}",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--flavour", choices=("publisher", "pelican", "hugo"), default="publisher")
    parser.add_argument("--dense", action="store_true", help="inline markup in every sentence")
    args = parser.parse_args()
    write_corpus(args.target, args.posts, args.seed, args.flavour, args.dense)


if __name__ == "__main__":
    main()
