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
from string import Formatter
from typing import TYPE_CHECKING

import jinja2
import jinja2.meta

from publisher.config.model import SiteConfig
from publisher.core.errors import BuildFailed
from publisher.core.hashing import digest
from publisher.core.quotes import ENGLISH, Quotes
from publisher.social.fitting import SnippetParts, pattern_template, tidy
from publisher.social.networks import Network
from publisher.templates.theme import StrictEnvironment, Theme, template_error, theme_loader

if TYPE_CHECKING:
    from publisher.share.variants import Variant


@dataclass(frozen=True, slots=True)
class ShareTemplate:
    """A fitting template (parts -> text) with a key that changes when its output could."""

    key: str
    render: Callable[[SnippetParts], str]
    origin: tuple[str, str] = ("", "")  # where it is written (file, field), for a problem it has; "": publisher's
    alike_for_variants: bool = False  # True: it reads nothing that tells a post's variants apart (`VARIANT_NAMES`),
    # so each of them says what the announcement says, the link aside (`template = "{title} {url}"`)

    def __call__(self, parts: SnippetParts) -> str:
        return self.render(parts)


class ShareTemplates:
    """Finds the template for each network and variant."""

    def __init__(self, theme: Theme, cfg: SiteConfig) -> None:
        self._cfg = cfg
        self._env = StrictEnvironment(
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
        self._alike: dict[str, bool] = {}  # template name -> `ShareTemplate.alike_for_variants`

    def __call__(self, network: Network, variant: Variant) -> ShareTemplate:
        context = {"kind": variant.kind, "variant": variant.name, "number": variant.number, "archive": variant.archive,
                   "site": self._cfg.title}
        pattern = self._cfg.share.patterns.get(network.name)
        template = None if pattern is not None else self._template(network.name)
        if template is None:
            render = pattern_template(pattern if pattern is not None else network.template)
            origin = ("publisher.toml", f"share.networks.{network.name}.template") if pattern is not None else ("", "")
            return ShareTemplate(digest("pattern", pattern or network.template), render, origin,
                                 pattern_alike_for_variants(pattern if pattern is not None else network.template))

        def render_jinja(parts: SnippetParts) -> str:
            try:
                return tidy(template.render(**parts.as_dict(), **context))
            except (jinja2.TemplateError, RecursionError) as error:  # RecursionError: one including itself
                raise BuildFailed([template_error(error, self._cfg.root).problem]) from None

        where = Path(template.filename or f"{network.name}.txt")
        shown = where.relative_to(self._cfg.root).as_posix() if where.is_relative_to(self._cfg.root) else str(where)
        return ShareTemplate(digest(self._sources, network.name, repr(sorted(context.items()))), render_jinja,
                             (shown, "share template"), self._alike_for_variants(f"{network.name}.txt"))

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

    def _alike_for_variants(self, name: str) -> bool:
        """Whether the template `name`, and every template it includes, reads none of `VARIANT_NAMES` (read once
        a template: a template it names by an expression could be any, so it counts as telling them apart)."""
        if name not in self._alike:
            self._alike[name] = False  # while it is read: a template including itself tells nothing apart
            try:
                tree = self._env.parse(self._env.loader.get_source(self._env, name)[0] if self._env.loader else "")
            except jinja2.TemplateError:  # missing or broken: rendering it reports that
                return False
            included = list(jinja2.meta.find_referenced_templates(tree))
            named = [other for other in included if other is not None and other != name]
            self._alike[name] = (not VARIANT_NAMES & jinja2.meta.find_undeclared_variables(tree)
                                 and None not in included and all(map(self._alike_for_variants, named)))
        return self._alike[name]


# What a template sees that differs between a post's variants: the summary (a re-share's own material) and the
# variant itself. A template reading none of them gives every variant the announcement's text.
VARIANT_NAMES = frozenset({"summary", "kind", "variant", "number", "archive"})


def pattern_alike_for_variants(pattern: str) -> bool:
    """Whether a pattern (`"{title} {url}"`) shows nothing that tells a post's variants apart: no `{summary}`
    (a pattern that cannot be read is no such pattern: using it is an error of its own)."""
    try:
        fields = [name for _, name, _, _ in Formatter().parse(pattern) if name is not None]
    except ValueError:
        return False
    return not any(name.partition(".")[0].partition("[")[0] == "summary" for name in fields)


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
