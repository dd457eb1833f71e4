"""The share feed's core: network profiles, their counting rules, and fitting.

Everything here is pure: text in, text and counts out, the same every time.

    from publisher.social import BUILTIN_NETWORKS, SharePieces, fit

    pieces = SharePieces(title=..., summary=..., tags=(...), cta=..., url=utm_link)
    snippet = fit(BUILTIN_NETWORKS["x"], pieces)
    snippet.text, snippet.count, snippet.limit, snippet.unit

A writer's own text is checked with ``network.check(text)`` (or
``fit(..., shorten=False)``), which raises `OverLimit`; ``error.at(path)`` gives
the usual report, ``content/posts/x.md: share.x: 301 of 280 weighted characters``.
"""

from publisher.social.bluesky import (
    Facet,
    byte_span,
    link_facet,
    link_label,
    tag_facets,
)
from publisher.social.counting import (
    TWITTER_TEXT_V2,
    TWITTER_TEXT_V3,
    TweetLength,
    TwitterTextConfig,
    UrlSpan,
    code_point_length,
    count_links,
    emoji_spans,
    extract_urls,
    grapheme_count,
    graphemes,
    mastodon_length,
    parse_tweet,
    threads_length,
    utf8_length,
    utf16_length,
    x_weighted_length,
)
from publisher.social.fitting import (
    ELLIPSIS,
    CannotFit,
    FittedSnippet,
    SharePieces,
    ShareTemplateError,
    SnippetParts,
    Template,
    clean_text,
    fit,
    pattern_template,
    shortenings,
)
from publisher.social.networks import (
    BUILTIN_NETWORKS,
    COUNTING_RULES,
    DEFAULT_TEMPLATE,
    CountingRule,
    HashtagStyle,
    LinkDisplay,
    Measure,
    Network,
    OverLimit,
    configure_networks,
    format_hashtag,
)

__all__ = [
    "BUILTIN_NETWORKS",
    "COUNTING_RULES",
    "DEFAULT_TEMPLATE",
    "ELLIPSIS",
    "TWITTER_TEXT_V2",
    "TWITTER_TEXT_V3",
    "CannotFit",
    "CountingRule",
    "Facet",
    "FittedSnippet",
    "HashtagStyle",
    "LinkDisplay",
    "Measure",
    "Network",
    "OverLimit",
    "SharePieces",
    "ShareTemplateError",
    "SnippetParts",
    "Template",
    "TweetLength",
    "TwitterTextConfig",
    "UrlSpan",
    "byte_span",
    "clean_text",
    "code_point_length",
    "configure_networks",
    "count_links",
    "emoji_spans",
    "extract_urls",
    "fit",
    "format_hashtag",
    "grapheme_count",
    "graphemes",
    "link_facet",
    "link_label",
    "mastodon_length",
    "parse_tweet",
    "pattern_template",
    "shortenings",
    "tag_facets",
    "threads_length",
    "utf8_length",
    "utf16_length",
    "x_weighted_length",
]
