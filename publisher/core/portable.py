"""Paths that Windows cannot hold, which a team with one Windows writer cannot check out or build.

The rules are Microsoft's ("Naming Files, Paths, and Namespaces", learn.microsoft.com/windows/win32/fileio/
naming-a-file): the device names CON, PRN, AUX, NUL, COM1-COM9, COM¹-COM³, LPT1-LPT9 and LPT¹-LPT³ are no
file's name in any case, nor followed by an extension (`NUL.txt` and `NUL.tar.gz` are both NUL); a name may not
end in a space or a period (Windows drops them: `about.` is `about`), nor hold `<>:"|?*` or a character
below 32; a path is at most MAX_PATH, 260 characters, its drive and folders included, unless long paths were
turned on (git for Windows refuses such a path without `core.longpaths`). A path that breaks none of them costs
one pass of one expression over all paths joined, not a look at each.

Nor can a Mac or Windows hold two names that differ only in case or Unicode form (`Launch.md`, `launch.md`): their
file systems take them for one (`case_clashes`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from functools import partial

from publisher.core.slugs import url_key

MAX_PATH = 260
_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt")
                                                          for n in "123456789¹²³")})
_REFUSED = '<>:"|?*'
_SEPARATOR = "\0"  # between the paths joined: no path holds it (`core.slugs.is_plain_path`, the file system)
# Each a simple scan (one pattern of all four took twice as long): a device name as a name or before its
# extension; a name ending in a space or period; a refused character.
_DEVICE_NAME = r"[/\0](?:con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(?:\.[^/\0]*)?(?=[/\0])"
_SUSPECTS = (re.compile(_DEVICE_NAME), re.compile(_DEVICE_NAME, re.IGNORECASE), re.compile(r"[. ][/\0]"),
             re.compile(r'[<>:"|?*\x01-\x1f]'))


def windows_trouble(paths: Iterable[str], prefix: int = 0) -> Iterator[tuple[str, str]]:
    """Each of `paths` ('/'-separated) that Windows cannot hold, in sorted order, with why (`con/index.html`,
    "con is a device name on Windows…"). `prefix`: how many characters come before each path on the writer's
    disk that are known here (`output/`), counted towards MAX_PATH. 44,000 paths take 10 ms."""
    text = f"{_SEPARATOR}{_SEPARATOR.join(paths)}{_SEPARATOR}"  # each path between two separators
    lowered = text.lower() if text.isascii() else ""  # lower case ASCII: the device names' scan needs no flag
    device, any_case, ending, refused = _SUSPECTS
    longest = re.compile(rf"\0[^\0]{{{MAX_PATH - prefix + 1},}}")
    scans = [device.finditer(lowered) if lowered else any_case.finditer(text), *(
        pattern.finditer(text) for pattern in (ending, refused, longest))]
    found = {_path_at(text, match.end() - 1) for scan in scans for match in scan}
    troubles = dict(trouble for trouble in map(partial(_first_trouble, longest=MAX_PATH - prefix), found) if trouble)
    yield from sorted(troubles.items())


def _first_trouble(path: str, longest: int) -> tuple[str, str] | None:
    """(the part of `path` up to the first name Windows cannot hold, a folder's with its `/`, or the whole path
    when it is too long; why), or None when it can hold it all: the files of one folder so named make one."""
    names = path.split("/")
    for at, name in enumerate(names):
        reason = why_not_on_windows(name)
        if reason:
            return "/".join(names[:at + 1]) + ("/" if at + 1 < len(names) else ""), reason
    length = len(path.encode("utf-16-le")) // 2  # Windows counts UTF-16 units
    if length > longest:
        return path, (f"is {length} characters long, and with the folders above it past Windows' MAX_PATH of "
                      f"{MAX_PATH}: git for Windows refuses to check it out unless core.longpaths is set (shorten it)")
    return None


def _path_at(text: str, at: int) -> str:
    """The path of the joined `text` that holds the character at `at` (or the separator after it)."""
    if text[at] == _SEPARATOR:
        at -= 1
    return text[text.rfind(_SEPARATOR, 0, at) + 1:text.find(_SEPARATOR, at)]


def why_not_on_windows(name: str) -> str:
    """Why Windows cannot hold a file or folder of this name, or "" when it can."""
    if name.split(".", 1)[0].rstrip(" ").lower() in _DEVICE_NAMES:
        return (f"{name} is a device name on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension): it "
                "cannot be checked out or written there (rename it)")
    if name.endswith((" ", ".")):
        return (f"{name!r} ends in a {'space' if name.endswith(' ') else 'period'}, which Windows drops from a name: "
                "it cannot be checked out there, and a build there writes another name (rename it)")
    refused = next((c for c in name if c in _REFUSED or ord(c) < 32), "")
    if refused:
        return f"{name!r} holds {refused!r}, which Windows refuses in a name: it cannot be checked out or written there"
    return ""


def case_clashes(paths: Iterable[str]) -> list[tuple[str, str]]:
    """Each pair of files or folders of `paths` ('/'-separated; a folder named with its `/`) whose names differ only
    in case or Unicode form (`posts/Launch.md` and `posts/launch.md`, `Posts/` and `posts/`, `Docs` and
    `docs/`), which a Mac's or Windows' disk holds as one, in sorted order: (the spelling first in sorted order,
    the other). Paths all in lower case ASCII have none, told in one look at them joined (0.2 ms for 10,000)."""
    listed = list(paths)
    if is_lower_ascii(listed):
        return []
    listed.sort()  # the same pair named whatever order the paths came in
    spelled: dict[str, str] = {}  # each name's key: its spelling first met
    clashes: dict[str, tuple[str, str]] = {}
    walked: set[str] = set()
    for path in listed:
        _note_spelling(path, spelled, clashes)
        folder = path.rpartition("/")[0]
        while folder and folder not in walked:  # each folder once: the folders above it were noted with it
            walked.add(folder)
            _note_spelling(folder + "/", spelled, clashes)
            folder = folder.rpartition("/")[0]
    return sorted(clashes.values())


def is_lower_ascii(paths: Collection[str]) -> bool:
    """Whether every one of `paths` is in lower case ASCII (or has no letter): none can clash with another."""
    joined = _SEPARATOR.join(paths)
    return joined.isascii() and joined.lower() == joined


def _note_spelling(name: str, spelled: dict[str, str], clashes: dict[str, tuple[str, str]]) -> None:
    """Note `name` (a file's path, or a folder's with its `/`) under its key; a second spelling of a key clashes."""
    key = url_key(name.removesuffix("/"))
    first = spelled.setdefault(key, name)
    if first != name:
        clashes.setdefault(key, (first, name) if first < name else (name, first))
