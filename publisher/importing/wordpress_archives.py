"""The lists WordPress served that no sitemap names: pages 2… of its archives, its date archives and its comment
feeds, each redirected to the nearest page publisher publishes.

WordPress makes these URLs from the permalink structure (`WP_Rewrite`): a date archive at `/2024/`, `/2024/05/`
and `/2024/05/17/` (`get_year_link`, `get_month_link`, `get_day_link`; `?m=2024`, `?m=202405`, `?m=20240517`
with plain permalinks), page N of any list at its URL plus `page/N/` (`get_pagenum_link`), the site's comments
at `/comments/feed/` and each post's at its URL plus `feed/` (`get_post_comments_feed_link`). publisher has none
of them: a date archive goes to its year on the archive page (one list of every post, by year), page N of a list to the
first page of publisher's like (publisher's tag pages join a category and a tag of one name, and its page size
is the site's to change: a page N there need not hold what WordPress's did), a comment feed to its post (a
static site shows no comments) and the site's comment feed to the site's feed. Only lists that held posts are
redirected, and only the pages their posts filled at WordPress's default of 10 posts a page (Settings → Reading;
an export does not hold the setting): a blog of 2,000 posts gets a few thousand redirects, not a guess at every
number. The home page's own pages (`/page/2/`) are publisher's too, at the same 10 a page: no redirect there.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from publisher.content.urls import year_url

WORDPRESS_PAGE_SIZE = 10  # Settings → Reading, "Blog pages show at most": WordPress's default


@dataclass(frozen=True, slots=True)
class Listed:
    """A post as WordPress's lists showed it (`publish`): its day (year, month, day, as the site's clock read
    it), and the pretty archive paths that listed it (`/category/guides/`, `/tag/seo/`, `/author/maya/`)."""

    day: tuple[int, int, int]
    archives: tuple[str, ...]


def pages_of(count: int, size: int = WORDPRESS_PAGE_SIZE) -> int:
    """How many pages a list of `count` posts filled at `size` a page (one, when empty)."""
    return max(1, -(-count // size))


def paged_redirects(listed: Counter[str], moved: dict[str, str], size: int = WORDPRESS_PAGE_SIZE) -> dict[str, str]:
    """Pages 2… of each list that `moved` redirects (`/tag/seo/page/2/`), as many as its `listed` posts filled,
    to where its first page goes."""
    return {f"{old}page/{number}/": moved[old] for old, count in sorted(listed.items()) if old in moved
            for number in range(2, pages_of(count, size) + 1)}


def date_redirects(posts: Iterable[Listed], taken: set[str]) -> dict[str, str]:
    """Each year, month and day that had posts (`/2024/`, `/2024/05/`, `/2024/05/17/`), and the pages its posts
    filled, to its year on publisher's archive (`/archive/#y2024`); none where a post or page of the site is
    (`taken`)."""
    counts: Counter[str] = Counter()
    years: dict[str, int] = {}
    for post in posts:
        year, month, day = post.day
        dated = (f"/{year:04d}/", f"/{year:04d}/{month:02d}/", f"/{year:04d}/{month:02d}/{day:02d}/")
        counts.update(dated)
        years |= dict.fromkeys(dated, year)
    found = {old: year_url(years[old]) for old in counts if old not in taken}
    return {**found, **paged_redirects(counts, found)}


def plain_date_redirects(posts: Iterable[Listed]) -> dict[str, str]:
    """A plain permalinks site's date archives (`/?m=2024`, `/?m=202405`, `/?m=20240517`) to their year on the
    archive. Their pages (`/?m=2024&paged=2`) are the same rule: it matches whatever other parameters a URL has."""
    found = {}
    for post in posts:
        year, month, day = post.day
        for value in (f"{year:04d}", f"{year:04d}{month:02d}", f"{year:04d}{month:02d}{day:02d}"):
            found[f"/?m={value}"] = year_url(year)
    return found


def comment_feed_redirects(urls: Iterable[str], pretty: bool, plain: bool) -> dict[str, str]:
    """The site's comment feed to the site's feed (`/comments/feed/`, `/?feed=comments-rss2`), and the comment
    feed of each post or page at `urls` (`/2024/05/launch/feed/`, `/about/feed/`) to it."""
    found = {f"{url.rstrip('/')}/feed/": url for url in urls}
    if pretty:
        found |= {"/comments/feed/": "/feed.xml", "/comments/feed/atom/": "/atom.xml"}
    if plain:
        found |= {"/?feed=comments-rss2": "/feed.xml", "/?feed=comments-atom": "/atom.xml"}
    return found
