"""Share texts from Jinja2 templates: the theme's `share/<network>.txt`.

A site overrides one by writing `themes/<theme>/share/<network>.txt` (for the
default theme, `themes/default/share/x.txt` next to publisher.toml), or sets a
plain pattern with `template = "…"` under `[share.networks.<network>]`. A network
with neither uses its profile's built-in pattern.

Templates see title, summary (the pull quote for kind "quote", another sentence
of the post for kind "reshare"), hashtags, cta, url, kind ("announce", "reshare",
"quote"), variant ("announce", "reshare-1"…), number (0, 1, 2…), archive (true
for a re-share going out more than 90 days after the post) and site (the site's
title), the filter `quoted` (a pull quote in quotation marks) and `i18n("key")`, the theme's words in the
site's language as plain text (`i18n("from_the_archive")`). The output is tidied: spaces
collapsed, lines trimmed, at most one blank line in a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from publisher.config.model import SiteConfig
from publisher.core.errors import BuildFailed
from publisher.core.hashing import digest
from publisher.core.quotes import ENGLISH, Quotes
from publisher.social.fitting import SnippetParts, pattern_template, tidy
from publisher.social.networks import Network
from publisher.templates.theme import Theme, template_error, theme_loader

if TYPE_CHECKING:
    from publisher.share.variants import Variant


@dataclass(frozen=True, slots=True)
class ShareTemplate:
    """A fitting template (parts -> text) with a key that changes when its output could."""

    key: str
    render: Callable[[SnippetParts], str]
    origin: tuple[str, str] = ("", "")  # where it is written (file, field), for a problem it has; "": publisher's

    def __call__(self, parts: SnippetParts) -> str:
        return self.render(parts)


class ShareTemplates:
    """Finds the template for each network and variant."""

    def __init__(self, theme: Theme, cfg: SiteConfig) -> None:
        self._cfg = cfg
        self._env = jinja2.Environment(
            loader=theme_loader(theme.share_dirs),
            autoescape=False,  # plain text, never HTML
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["quoted"] = quotation_filter(cfg.markdown.quotes)
        self._env.globals["i18n"] = theme.words.text  # the theme's words in the site's language, as plain text
        self._sources = theme.share_digest() + theme.words.digest  # a fitted text kept with other words is not taken
        self._compiled: dict[str, jinja2.Template | None] = {}

    def __call__(self, network: Network, variant: Variant) -> ShareTemplate:
        context = {"kind": variant.kind, "variant": variant.name, "number": variant.number, "archive": variant.archive,
                   "site": self._cfg.title}
        pattern = self._cfg.share.patterns.get(network.name)
        template = None if pattern is not None else self._template(network.name)
        if template is None:
            render = pattern_template(pattern if pattern is not None else network.template)
            origin = ("publisher.toml", f"share.networks.{network.name}.template") if pattern is not None else ("", "")
            return ShareTemplate(digest("pattern", pattern or network.template), render, origin)

        def render_jinja(parts: SnippetParts) -> str:
            try:
                return tidy(template.render(**parts.as_dict(), **context))
            except (jinja2.TemplateError, RecursionError) as error:  # RecursionError: one including itself
                raise BuildFailed([template_error(error, self._cfg.root).problem]) from None

        where = Path(template.filename or f"{network.name}.txt")
        shown = where.relative_to(self._cfg.root).as_posix() if where.is_relative_to(self._cfg.root) else str(where)
        return ShareTemplate(digest(self._sources, network.name, repr(sorted(context.items()))), render_jinja,
                             (shown, "share template"))

    def _template(self, network: str) -> jinja2.Template | None:
        name = f"{network}.txt"
        if name not in self._compiled:
            try:
                self._compiled[name] = self._env.get_template(name)
            except jinja2.TemplateNotFound:
                self._compiled[name] = None
            except jinja2.TemplateSyntaxError as error:
                raise BuildFailed([template_error(error, self._cfg.root).problem]) from None
        return self._compiled[name]


def quotation_filter(quotes: Quotes) -> Callable[[str], str]:
    """The `quoted` filter for a site whose quotation marks are `quotes` (its language's, as its pages have them)."""
    return partial(in_quotation_marks, quotes=quotes)


def in_quotation_marks(text: str, quotes: Quotes = ENGLISH) -> str:
    """`text` in quotation marks (English: between “ and ”): a quote with quotation marks of its own
    (`“We doubled it,” says Ann.`) gets them as the inner ones (`“‘We doubled it,’ says Ann.”`), not a doubled
    mark at its start; one wholly in quotation marks already is left as it is."""
    opening, closing = quotes.double_open, quotes.double_close
    if _wholly_quoted(text, opening, closing):
        return text
    inner = text.replace(opening, quotes.single_open).replace(closing, quotes.single_close)
    return f"{opening}{inner}{closing}"


def _wholly_quoted(text: str, opening: str, closing: str) -> bool:
    """Whether `text` is one quotation: it opens and closes with the marks, which it has nowhere else."""
    if len(text) <= len(opening) + len(closing) or not (text.startswith(opening) and text.endswith(closing)):
        return False
    inside = text[len(opening):len(text) - len(closing)]
    return opening not in inside and closing not in inside
