"""`publisher ping`: tell search engines (IndexNow) and a WebSub hub what the last build changed.

It compares this build's manifest (`output/publisher-manifest.json`) with the
previous one, the manifest search engines last heard of, and sends only the
pages and feeds that are new or changed (and pages that are gone). It must
run after the deploy, so that what it names is live; the previous manifest
must therefore be taken before the deploy, when the live site still has it:

    publisher build
    publisher ping --fetch-previous   # keeps the live site's manifest in .publisher/previous-manifest.json
    (deploy)
    publisher ping                    # compares with it, submits, and keeps what it sent as the new previous

`--previous FILE|URL` compares with another manifest instead. With no previous
manifest at all, nothing is submitted unless `--all`. The network is used only
here, never by a build; every failure is one line, and the run goes on to the
next request so that every failure is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from publisher.config.model import SiteConfig
from publisher.config.reader import load_config
from publisher.core.errors import PublisherError
from publisher.core.text import counted
from publisher.editorial.manifest import MANIFEST_PATH, Manifest, changes_since, everything
from publisher.editorial.notices import Notice
from publisher.editorial.ping import PREVIOUS_MANIFEST, ping_notices, pings_wanted
from publisher.editorial.sending import PingFailed, fetch, send
from publisher.output.files import OutputFile
from publisher.output.private import PRIVATE_FOLDER, private_dir, write_private

Say = Callable[[str], None]  # where the report's lines go


@dataclass(frozen=True, slots=True)
class PingOptions:
    config: Path = Path("publisher.toml")
    output: Path | None = None  # default: output/ next to the config
    previous: str | None = None  # a manifest file or URL to compare with; default .publisher/previous-manifest.json
    everything: bool = False  # --all: every page and feed, whatever the previous manifest says
    dry_run: bool = False  # print what would be sent; send nothing, record nothing
    fetch_previous: bool = False  # only keep the live site's manifest, before a deploy


def ping(options: PingOptions, say: Say) -> list[str]:
    """Run `publisher ping`; return the failures (one line each; none means success).

    Raises PublisherError for what stops it before anything is sent (no manifest built, a previous manifest
    that cannot be fetched)."""
    cfg, _ = load_config(options.config)
    if not pings_wanted(cfg):
        say("Nothing to ping: publisher.toml sets neither [indexnow] key nor [websub] hub.")
        return []
    current = _built_manifest(options.output or cfg.root / "output")
    if options.fetch_previous:
        _keep_live_manifest(current, cfg.root, say)
        return []
    failures = _ping_changes(options, cfg, current, say)
    if not failures and not options.dry_run:
        # The next ping compares with this build: search engines have heard of it (or, with no previous
        # manifest, were not to hear of it). After a failure they have not, so a second run sends the same again.
        write_private([OutputFile(PREVIOUS_MANIFEST, current.to_json())], cfg.root)
    return failures


def _ping_changes(options: PingOptions, cfg: SiteConfig, current: Manifest, say: Say) -> list[str]:
    """Compare, report and send (or show, with --dry-run); return the failures."""
    previous, source = _previous_manifest(options.previous, cfg.root, say)
    if previous is None and not options.everything:
        say(f"No previous manifest to compare with ({source}): nothing submitted. Run `publisher ping "
            "--fetch-previous` before deploying, or `publisher ping --all` to submit every URL.")
        return []
    if previous is not None and not options.everything:
        changes, what = changes_since(previous, current), f"changed since {source}"
    else:
        changes, what = everything(current), "in all (--all)"
    if changes.empty:
        say(f"Nothing changed since {source}: nothing submitted.")
        return []
    say(f"{counted(len(changes.pages), 'page')} and {counted(len(changes.feeds), 'feed')} {what}:")
    for url in (*changes.pages, *changes.feeds):
        say(f"  {url}")
    notices = ping_notices(changes, current.site, cfg)
    if options.dry_run:
        _show(notices, say)
        return []
    return _send_all(notices, say)


def _keep_live_manifest(current: Manifest, root: Path, say: Say) -> None:
    """Before a deploy: keep the live site's manifest (the previous deploy's) as the one to compare with."""
    url = current.site + MANIFEST_PATH
    kept = private_dir(root) / PREVIOUS_MANIFEST
    found = _manifest_or_none(fetch(url, "the live site's manifest"), url, say)
    if found is None:
        kept.unlink(missing_ok=True)
        say(f"The live site has no manifest yet ({url}): the ping after this deploy submits nothing "
            "(`publisher ping --all` submits every URL).")
        return
    write_private([OutputFile(PREVIOUS_MANIFEST, found.to_json())], root)
    say(f"Kept the live site's manifest ({counted(len(found.pages), 'page')}) in "
        f"{PRIVATE_FOLDER}/{PREVIOUS_MANIFEST} for `publisher ping` after the deploy.")


def _built_manifest(output: Path) -> Manifest:
    path = output / MANIFEST_PATH
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PublisherError(f"{path}: not found; run `publisher build` first (with [indexnow] key or [websub] hub "
                             "set, it writes this manifest)") from None
    return Manifest.from_json(data, str(path))


def _previous_manifest(previous: str | None, root: Path, say: Say) -> tuple[Manifest | None, str]:
    """The manifest to compare with, and how to name it: `--previous` (a file or URL), else the one kept."""
    if previous is not None and previous.startswith(("http://", "https://")):
        found = _manifest_or_none(fetch(previous, "the previous manifest"), previous, say)
        return found, (previous if found is not None else f"none at {previous}")
    path = Path(previous) if previous is not None else private_dir(root) / PREVIOUS_MANIFEST
    shown = previous or f"{PRIVATE_FOLDER}/{PREVIOUS_MANIFEST}"
    if not path.is_file():
        if previous is not None:
            raise PublisherError(f"{previous}: no such file (the manifest to compare with)")
        return None, f"{shown} does not exist"
    return _manifest_or_none(path.read_bytes(), shown, say), shown


def _manifest_or_none(data: bytes | None, where: str, say: Say) -> Manifest | None:
    """A manifest, or None when there is none; one from another publisher version counts as none, with a note."""
    if data is None:
        return None
    try:
        return Manifest.from_json(data, where)
    except PublisherError as error:
        say(f"{error}: taken as no previous manifest.")
        return None


def _show(notices: list[Notice], say: Say) -> None:
    """--dry-run: each request as it would go out."""
    if not notices:
        say("Nothing would be sent.")
    for notice in notices:
        say(f"Would POST to {notice.service} {notice.url} ({notice.content_type}): {notice.about}")
        say(f"  {notice.body.decode('utf-8')}")


def _send_all(notices: list[Notice], say: Say) -> list[str]:
    """Send every notice, each failure noted and the rest still sent."""
    if not notices:
        say("Nothing to send: IndexNow is told of pages, the WebSub hub of feeds, and neither has news.")
    failures = []
    for notice in notices:
        try:
            status = send(notice)
        except PingFailed as failure:
            failures.append(f"{failure} (telling it of {notice.about})")  # a hub hears of each feed: which failed
            continue
        say(f"✓ {notice.service} {notice.url}: told of {notice.about} (HTTP {status})")
    return failures
