"""Telling search engines and feed hubs what changed: what a build publishes for it, what a ping sends.

A build never touches the network. When `[indexnow] key` or `[websub] hub`
is set it publishes the manifest (`manifest.py`) and the IndexNow key file;
`publisher ping` later compares manifests and sends the notices made here.
"""

from __future__ import annotations

from publisher.config.model import SiteConfig
from publisher.editorial.indexnow import indexnow_notices, key_file
from publisher.editorial.manifest import Changes, manifest_file, site_manifest
from publisher.editorial.notices import Notice
from publisher.editorial.websub import websub_notices
from publisher.output.files import OutputFile
from publisher.site.model import Site

# In `.publisher/`: the manifest search engines were last told about (the live site's before a deploy, kept by
# `publisher ping --fetch-previous`, or the one the last successful ping sent).
PREVIOUS_MANIFEST = "previous-manifest.json"


def pings_wanted(cfg: SiteConfig) -> bool:
    """Whether the site asks for pings at all: an IndexNow key or a WebSub hub."""
    return bool(cfg.indexnow.key or cfg.websub.hub)


def ping_files(site: Site, cfg: SiteConfig) -> list[OutputFile]:
    """The files a build publishes for `publisher ping`: the manifest, and the IndexNow key file."""
    if not pings_wanted(cfg):
        return []
    files = [manifest_file(site_manifest(site, cfg))]
    if cfg.indexnow.key:
        files.append(key_file(cfg.indexnow.key))
    return files


def ping_notices(changes: Changes, site: str, cfg: SiteConfig) -> list[Notice]:
    """What to send: changed pages to IndexNow, changed feeds to the WebSub hub (each only when set)."""
    notices = []
    if cfg.indexnow.key and changes.pages:
        notices += indexnow_notices(changes.pages, site, cfg.indexnow)
    if cfg.websub.hub and changes.feeds:
        notices += websub_notices(changes.feeds, cfg.websub.hub)
    return notices
