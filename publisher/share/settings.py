"""A post's `share:` front matter, validated.

    share:
      x: "Our take on UTM hygiene: {url}"      # the announcement's text on X
      linkedin:                                 # or one text per variant
        announce: "…{url}…"
        reshare-1: "…{url}…"
      networks: [x, linkedin]                   # only these networks
      hashtags: [analytics]                     # before the post's tags and keywords
      skip: true                                # not shared at all

Read twice: before Markdown, with every post (`check_share_settings`), so its
problems come with the rest of the input's; and by the share plan, which then
also knows each post's variants (a re-share per pull quote).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from typing import Any

from publisher.config.model import SiteConfig
from publisher.content.model import Post
from publisher.core.errors import Problem
from publisher.core.memo import Memo
from publisher.share.variants import ANNOUNCE

POST_KEYS = {"networks", "hashtags", "skip", "cta"}
VARIANT_NAME = re.compile(rf"{ANNOUNCE}|reshare-[1-9][0-9]*")

Report = Callable[[str, str], None]  # (field under share., message)


@dataclass(frozen=True, slots=True)
class ShareSettings:
    """What a post's `share:` asks for."""

    skip: bool
    networks: tuple[str, ...]
    hashtags: tuple[str, ...]
    texts: dict[tuple[str, str], str]  # (network, variant) -> the writer's own text
    cta: str = ""  # `share.cta`: this post's share CTA


def check_share_settings(posts: list[Post], cfg: SiteConfig, memo: Memo[list[Problem]] | None = None
                         ) -> list[Problem]:
    """The problems of every post's `share:` that can be known before its body is rendered. `memo`: each post's,
    as earlier builds found them (`serve`), taken while the post is the very same object, not an equal one (`skip: 1`
    equals `skip: true` and is no setting; a file whose front matter reads otherwise gives another post). A title
    edit at 10,000 posts read every post's settings again: 0.05 s before its page showed."""
    problems: list[Problem] = []
    if cfg.share.enabled:
        memo = memo or Memo()
        for post in posts:
            if post.share:  # no settings (most posts): nothing to find wrong, nor to remember
                problems += memo.get_same(post.source, post, partial(_share_problems, post, cfg))
    return problems


def _share_problems(post: Post, cfg: SiteConfig) -> list[Problem]:
    problems: list[Problem] = []
    read_share_settings(post, cfg, None, problems)
    return problems


def read_share_settings(post: Post, cfg: SiteConfig, variants: Collection[str] | None,
                        problems: list[Problem]) -> ShareSettings:
    """The post's share settings; problems are added to `problems`.

    `variants`: the names of the post's variants, or None when they are not known yet
    (then any `announce` or `reshare-N` is accepted).
    """
    settings = post.share

    def report(field: str, message: str) -> None:
        name = f"share.{field}" if field else "share"
        problems.append(Problem(post.source, post.line_of(name), name, message))  # the nested key's own line

    skip = settings.get("skip", False)
    if not isinstance(skip, bool):
        report("skip", f"must be true or false, not {skip!r}")
    cta = settings.get("cta", "")
    if not isinstance(cta, str):
        report("cta", "must be text, e.g. cta: \"See the checklist\"")
        cta = ""
    return ShareSettings(skip is True, _networks(settings, cfg, report), _hashtags(settings, report),
                         _texts(settings, cfg, variants, report), cta.strip())


def _networks(settings: dict[str, Any], cfg: SiteConfig, report: Report) -> tuple[str, ...]:
    if "networks" not in settings:
        return tuple(cfg.share.networks)
    chosen = settings["networks"]
    if not isinstance(chosen, list) or not all(isinstance(n, str) for n in chosen):
        report("networks", "must be a list of network names")
        return tuple(cfg.share.networks)
    for name in chosen:
        if name not in cfg.share.profiles:
            report("networks", f"unknown network {name!r} (known: {', '.join(cfg.share.profiles)})")
    return tuple(n for n in dict.fromkeys(chosen) if n in cfg.share.profiles)


def _hashtags(settings: dict[str, Any], report: Report) -> tuple[str, ...]:
    hashtags = settings.get("hashtags", [])
    if isinstance(hashtags, str):
        hashtags = [hashtags]
    if not isinstance(hashtags, list) or not all(isinstance(t, str) for t in hashtags):
        report("hashtags", "must be a list of words")
        return ()
    return tuple(hashtags)


def _texts(settings: dict[str, Any], cfg: SiteConfig, variants: Collection[str] | None,
           report: Report) -> dict[tuple[str, str], str]:
    """The writer's own texts: `x: "…"` (the announcement) or `x: {variant: "…"}`."""
    texts = {}
    for key, value in settings.items():
        if key in POST_KEYS:
            continue
        if key not in cfg.share.profiles:
            known = ", ".join(sorted(POST_KEYS | set(cfg.share.profiles)))
            report(key, f"unknown setting or network (known: {known})")
            continue
        by_variant = {ANNOUNCE: value} if isinstance(value, str) else value
        if not isinstance(by_variant, dict):
            report(key, "must be the text to post, or a mapping of variant (announce, reshare-1…) to text")
            continue
        for variant, text in by_variant.items():
            if not _is_variant(variant, variants):
                have = ", ".join(sorted(variants)) if variants is not None else f"{ANNOUNCE}, reshare-1, reshare-2…"
                report(f"{key}.{variant}", f"this post has no variant {variant!r} (it has: {have})")
            elif not isinstance(text, str) or not text.strip():
                report(f"{key}.{variant}", "must be the text to post, with {url} where the link goes")
            else:
                texts[(key, variant)] = text
    return texts


def _is_variant(name: Any, variants: Collection[str] | None) -> bool:
    if variants is None:
        return isinstance(name, str) and VARIANT_NAME.fullmatch(name) is not None
    return name in variants
