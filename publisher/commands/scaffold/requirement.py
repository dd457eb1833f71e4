"""The line `publisher init` writes into the new site's requirements.txt: publisher as CI can install it.

The distribution is `publisher-ssg` (on the package index, `publisher` is another project); the
command and the import name stay `publisher`. Which line resolves depends on how the running
publisher was installed, which pip records in `direct_url.json` (PEP 610): nothing for a release
from an index, a VCS URL and commit for `pip install git+https://...`, a `file://` URL for an
editable install or a local wheel, which no CI runner can reach.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution
from typing import Any

from publisher import __version__

DISTRIBUTION = "publisher-ssg"

_FIX = (f'put a released version ("{DISTRIBUTION}==X.Y.Z") or a repository at a commit '
        f'("{DISTRIBUTION} @ git+https://github.com/OWNER/REPO@COMMIT") there before the first push')


@dataclass(frozen=True)
class Requirement:
    """The requirements.txt line, where it points, and a warning when CI cannot install it."""

    line: str
    source: str  # "vcs", "url", "index" or "local", for the user and the tests
    reason: str  # what the line is, in a few words, for `init`'s output
    warning: str | None = None


def choose_requirement(direct_url: str | None, version: str, *, installed: bool = True) -> Requirement:
    """The requirement for this publisher, from its `direct_url.json` (None: there is none) and version.

    `installed=False` means no distribution metadata was found at all (publisher imported from a
    source tree that was never installed)."""
    pinned = f"{DISTRIBUTION}=={version}"
    if not installed:
        return _unreachable(pinned, "publisher runs from a source folder that was never installed")
    if direct_url is None:
        return Requirement(pinned, "index", f"version {version}, as installed from the package index")
    try:
        data = json.loads(direct_url)
    except ValueError:
        data = None
    url = data.get("url") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(url, str) or not url:
        return _unreachable(pinned, "where this publisher was installed from cannot be read (direct_url.json)")
    if url.startswith("file:"):
        return _unreachable(pinned, f"this publisher was installed from a local path ({url}), which CI cannot reach")
    fragments = _subdirectory(data)
    vcs_info = data.get("vcs_info")
    if isinstance(vcs_info, dict):
        vcs, commit = vcs_info.get("vcs"), vcs_info.get("commit_id")
        if not (isinstance(vcs, str) and isinstance(commit, str) and vcs and commit):
            return _unreachable(pinned, f"this publisher's install record names {url} but no commit")
        prefix = "" if url.startswith(f"{vcs}+") else f"{vcs}+"
        return Requirement(f"{DISTRIBUTION} @ {prefix}{url}@{commit}{_fragment(fragments)}", "vcs",
                           f"commit {commit[:12]} of {url}, the one this publisher was installed from")
    archive_info = data.get("archive_info")
    if isinstance(archive_info, dict):
        sha256 = _sha256(archive_info)
        fragments += [f"sha256={sha256}"] if sha256 else []
        return Requirement(f"{DISTRIBUTION} @ {url}{_fragment(fragments)}", "url",
                           f"the archive this publisher was installed from ({url})")
    return _unreachable(pinned, f"this publisher was installed from {url}, which pip cannot fetch again")


def installed_requirement() -> Requirement:
    """`choose_requirement` for the publisher that is running."""
    try:
        dist = distribution(DISTRIBUTION)
    except PackageNotFoundError:
        return choose_requirement(None, __version__, installed=False)
    return choose_requirement(dist.read_text("direct_url.json"), dist.version)


def _unreachable(pinned: str, why: str) -> Requirement:
    """The version pin, with a warning: nothing says CI can install it."""
    return Requirement(pinned, "local", "this publisher's version: its install gives CI nothing to install",
                       f"requirements.txt pins {pinned}, but {why}: {_FIX}.")


def _subdirectory(data: dict[str, Any]) -> list[str]:
    subdirectory = data.get("subdirectory")
    return [f"subdirectory={subdirectory}"] if isinstance(subdirectory, str) and subdirectory else []


def _fragment(parts: list[str]) -> str:
    return "#" + "&".join(parts) if parts else ""


def _sha256(archive_info: dict[str, Any]) -> str | None:
    hashes = archive_info.get("hashes")
    if isinstance(hashes, dict) and isinstance(hashes.get("sha256"), str):
        return str(hashes["sha256"])
    legacy = archive_info.get("hash")  # PEP 610's older form: "sha256=<hex>"
    if isinstance(legacy, str) and legacy.startswith("sha256="):
        return legacy.removeprefix("sha256=")
    return None
