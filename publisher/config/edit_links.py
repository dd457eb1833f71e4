"""`[site] edit_url`: where a source file is edited, and seen at a line, on the team's Git host.

The setting is Docusaurus' `editUrl` and MkDocs' `edit_uri`: a base URL the source's path (from the site's
folder, `content/posts/launch.md`) is appended to, or a pattern with `{path}` where the path goes (Bitbucket's
edit URL has a query after it). A finding's line is shown on the host's file view, whose URL each host writes
from its edit URL in its own way (GitHub `/edit/` -> `/blob/…#L12`, GitLab `/-/edit/` -> `/-/blob/…#L12`,
Gitea and Forgejo `/_edit/<branch>/` -> `/src/branch/<branch>/…#L12`, Bitbucket `?mode=edit` -> `#lines-12`).
"""

from __future__ import annotations

import re
import string
from urllib.parse import SplitResult, parse_qsl, quote, urlencode, urlsplit, urlunsplit

PATH = "{path}"
EDIT_URL_PLACEHOLDERS = ("path",)


def edit_url_problem(value: str) -> str | None:
    """What is wrong with an `edit_url` setting, or None when it makes links: an absolute http(s) URL, whose only
    placeholder is `{path}`, with no query or fragment unless `{path}` says where the path goes before them."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError:  # a lone `{` or `}`
        return f"cannot use {value!r}: a brace that opens or closes no placeholder (placeholders: {PATH})"
    unknown = [name for name in fields if name not in EDIT_URL_PLACEHOLDERS]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}} in {value!r} (placeholders: {PATH})"
    parts = urlsplit(value.replace(PATH, "p"))
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        return f"must be an absolute http(s) URL, e.g. \"https://github.com/acme/hub/edit/main/\", not {value!r}"
    if PATH not in value and (parts.query or parts.fragment):
        return f"has a query or fragment, so the file's path cannot be added at its end: write {PATH} where it goes"
    return None


def file_edit_url(edit_url: str, path: str) -> str:
    """The URL that edits the source at `path` (from the site's folder, `/`-separated), each of its names
    escaped as URLs need (a space as `%20`, `é` as `%C3%A9`, `#` and `?` too, which would end the path); ""
    when there is no setting or `path` is not inside the site's folder."""
    if not edit_url or not _inside_site(path):
        return ""
    escaped = quote(path, safe="/")
    if PATH in edit_url:
        return edit_url.replace(PATH, escaped)
    return f"{edit_url}{'' if edit_url.endswith('/') else '/'}{escaped}"


def file_line_url(edit_url: str, path: str, line: int | None) -> str:
    """The URL that shows the source at `path` on the Git host, at `line` when the host's URL is known (GitHub,
    GitLab, Gitea, Forgejo, Bitbucket); else the edit URL itself. "" when `file_edit_url` is."""
    edit = file_edit_url(edit_url, path)
    if not edit or line is None:
        return edit
    parts = urlsplit(edit)
    if parts.fragment:  # the pattern's own: kept as written
        return edit
    for form in (_gitlab, _gitea, _github, _bitbucket):
        seen = form(parts, line)
        if seen:
            return seen
    return edit


def _inside_site(path: str) -> bool:
    return bool(path) and not path.startswith("/") and ".." not in path.split("/")


def _gitlab(parts: SplitResult, line: int) -> str:
    return _swapped(parts, "/-/edit/", "/-/blob/", f"L{line}")


def _gitea(parts: SplitResult, line: int) -> str:
    return _swapped(parts, "/_edit/", "/src/branch/", f"L{line}")


def _github(parts: SplitResult, line: int) -> str:
    """GitHub's (and GitHub Enterprise's) `/<owner>/<repo>/edit/<branch>/…`: its file view is `blob`."""
    match = re.match(r"(/[^/]+/[^/]+)/edit/", parts.path)
    if not match:
        return ""
    path = f"{match[1]}/blob/{parts.path[match.end():]}"
    return urlunsplit(parts._replace(path=path, fragment=f"L{line}"))


def _bitbucket(parts: SplitResult, line: int) -> str:
    """Bitbucket's `/src/<branch>/…?mode=edit`: the view is the same URL without `mode`, its lines `#lines-12`."""
    query = parse_qsl(parts.query, keep_blank_values=True)
    if "/src/" not in parts.path or ("mode", "edit") not in query:
        return ""
    kept = urlencode([(key, value) for key, value in query if key not in ("mode", "spa")])
    return urlunsplit(parts._replace(query=kept, fragment=f"lines-{line}"))


def _swapped(parts: SplitResult, edit: str, view: str, anchor: str) -> str:
    if edit not in parts.path:
        return ""
    return urlunsplit(parts._replace(path=parts.path.replace(edit, view, 1), fragment=anchor))
