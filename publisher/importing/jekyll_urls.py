"""Jekyll's URLs (`Jekyll::URL`, `Drops::UrlDrop`, `Utils.slugify`): a pattern's placeholders filled in for a
post, a page or a document of a collection, and a post's feed id (`Document#id`)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import regex

STYLES = {"date": "/:categories/:year/:month/:day/:title:output_ext",
          "pretty": "/:categories/:year/:month/:day/:title/",
          "ordinal": "/:categories/:year/:y_day/:title:output_ext", "none": "/:categories/:title:output_ext",
          "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext"}


def publisher_pattern(pattern: str) -> str:
    """A Jekyll or Hugo pattern in publisher's placeholders, as near as they go (posts it misses get `url:`)."""
    converted = re.sub(r":(year|month|day)\b", r"{\1}", pattern)
    converted = re.sub(r":(title|slug|filename)\b", "{slug}", converted)
    if ":" in converted or "{slug}" not in converted or not converted.endswith("/"):
        return "/{year}/{month}/{day}/{slug}/" if "{day}" in converted else "/{slug}/"
    return re.sub(r"/{2,}", "/", converted)


def post_id(url: str, slug: str) -> str:
    """Jekyll's `Document#id`: the folder of the post's URL joined with its slug (`/2016/03/23/launch/` and
    `/2016/03/23/launch.html` both give `/2016/03/23/launch`)."""
    folder = posixpath.dirname(url.rstrip("/")) or "/"
    return posixpath.join(folder, slug)


def page_url(template: str, relative: Path) -> str:
    """A page's `permalink` with its placeholders filled in, as Jekyll's `Page#url_placeholders` fill them."""
    folder = relative.parent.as_posix()
    values = {"path": "" if folder == "." else folder, "basename": relative.stem, "output_ext": ".html"}
    url = "/" + re.sub(r":(path|basename|output_ext)", lambda found: values[found.group(1)], template)
    return re.sub(r"/{2,}", "/", url)


@dataclass(frozen=True, slots=True)
class UrlNames:
    """What a post's URL placeholders are made from, besides its date."""

    slug: str  # Jekyll's `data["slug"]`: the front matter's slug, else the file name's after its date
    stem: str  # the file name without its extension
    categories: list[str]
    collection: str = "posts"  # the collection's label
    path: str = ""  # the document's path in its collection's folder, without its extension (`/guide/intro`)


_PRETTY_KEPT = "._~!$&'()+,;="  # and `@`: what Jekyll's pretty mode keeps besides letters, marks and digits


def jekyll_slugify(text: str, *, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's `Utils.slugify` in its default or pretty mode: each run of other characters than letters, marks
    and decimal digits (in pretty mode, nor `._~!$&'()+,;=@`) one hyphen, none at either end."""
    kept = r"\p{M}\p{L}\p{Nd}" + (regex.escape(_PRETTY_KEPT) + "@" if pretty else "")
    slug = regex.sub(f"[^{kept}]+", "-", text).strip("-")
    return slug if cased else slug.lower()


def expand(pattern: str, when: datetime | None, names: UrlNames) -> str:
    """A document's URL as `Jekyll::URL` makes it: each `:placeholder` replaced (an empty one leaves nothing), then
    `..` made `/`, `./` dropped and runs of `/` squeezed (no categories: `/:categories/:year/` is `/2016/`). A
    document without a date (of a collection) has no date placeholders."""
    values = _date_values(when) if when is not None else {}
    values |= {"title": jekyll_slugify(names.slug, pretty=True, cased=True), "slug": jekyll_slugify(names.slug),
               "name": jekyll_slugify(names.stem), "categories": "/".join(dict.fromkeys(
                   category.lower() for category in names.categories)),
               "output_ext": ".html", "collection": names.collection, "path": names.path}

    def placeholder(found: re.Match[str]) -> str:
        name = found.group(1)
        for key in (name, name.removesuffix("_")):
            if key in values:
                return values[key] + name[len(key):]
        return found.group(0)

    url = "/" + re.sub(r":([a-z_]+)", placeholder, pattern)
    return re.sub(r"/{2,}", "/", url.replace("..", "/").replace("./", ""))


def _date_values(when: datetime) -> dict[str, str]:
    """The date placeholders of a URL pattern (`Drops::UrlDrop`)."""
    return {"year": when.strftime("%Y"), "month": when.strftime("%m"), "day": when.strftime("%d"),
            "hour": when.strftime("%H"), "minute": when.strftime("%M"), "second": when.strftime("%S"),
            "i_day": str(when.day), "i_month": str(when.month), "short_month": when.strftime("%b").upper(),
            "long_month": when.strftime("%B"), "short_year": when.strftime("%y"), "w_year": when.strftime("%G"),
            "week": when.strftime("%V"), "w_day": when.strftime("%u"), "short_day": when.strftime("%a").upper(),
            "long_day": when.strftime("%A"), "y_day": when.strftime("%j")}
