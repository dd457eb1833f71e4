"""The theme's own words in the site's language: what `{{ i18n("key") }}` writes in a template, read from
`i18n/<language>.toml` tables as Hugo reads them.

Tables come from `i18n/` in each folder of the theme (the default theme's, then the site's own theme's) and
then from the site's own `i18n/`, each taking the place of the one before, key by key. A language's table is
`<language>.toml` (`de.toml`), with a region's (`de-AT.toml`) over it. English (`en.toml`) has every key the
theme has: a key the language's tables lack is English's, with a warning naming it.

A key's value is a text, or a table of plural forms by CLDR category (`one`, `other`…, see `plurals`) picked
by the `count` the template passes. `{name}` in a text is the value the template passes as `name`. Keys that
write dates: `months`, the twelve names, and `date`, the pattern (`{day}`, `{month}`, `{year}`); and for the `date`
filter in bodies (`%B`, `%b`, `%A`, `%a`), `months_short`, and `weekdays` and `weekdays_short`, Monday's first.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from difflib import get_close_matches
from functools import partial
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from publisher.config.lines import top_key_lines
from publisher.config.model import ALERT_KINDS, MarkdownWords, SiteConfig
from publisher.config.reader import split_toml_error
from publisher.core.errors import Problems
from publisher.core.hashing import digest
from publisher.templates.numbers import grouped
from publisher.templates.paths import shown_path
from publisher.templates.plurals import CATEGORIES, base_language, plural_category

FOLDER = "i18n"  # in a theme's folder and in the site's
ENGLISH = "en"
MONTHS = "months"
# Keys whose value is a list of names, with how many it holds and what they are.
NAME_LISTS = {MONTHS: (12, "the twelve month names, January's first"),
              "months_short": (12, "the twelve months' short names, January's first"),
              "weekdays": (7, "the seven days' names, Monday's first"),
              "weekdays_short": (7, "the seven days' short names, Monday's first")}
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class Message:
    """One key's words: its forms by plural category (`other` alone for a plain text; the names by their number for
    a list of names, `months`), and where they are written."""

    forms: Mapping[str, str]
    path: str
    line: int | None

    def placeholders(self) -> set[str]:
        return {name for text in self.forms.values() for name in _PLACEHOLDER.findall(text)}


@dataclass(frozen=True, slots=True)
class Words:
    """The theme's words in one language, English's where that language has none. Called in a template
    (`i18n`), it gives escaped HTML; `text` gives plain text, for what the build writes itself (a page's title)."""

    language: str = ENGLISH
    messages: Mapping[str, Message] = field(default_factory=dict)

    def __call__(self, key: str, count: int | None = None, **values: Any) -> Markup:
        """The words of `key` as HTML: the form `count` takes, each `{name}` the value given (escaped unless it is
        HTML already, `Markup`), `{count}` the count, as the language writes numbers (`number`)."""
        form = self._form(key, count)
        return Markup(_PLACEHOLDER.sub(partial(_value, key, self._given(count, values), escape), str(escape(form))))

    def text(self, key: str, count: int | None = None, **values: Any) -> str:
        """The words of `key` as plain text, as `__call__` picks and fills them."""
        return _PLACEHOLDER.sub(partial(_value, key, self._given(count, values), str), self._form(key, count))

    def number(self, value: int) -> str:
        """A whole number as readers of the language write it (`numbers.grouped`): `12.345` in German. A template
        writes one as `{{ tag.count | number }}`."""
        return grouped(value, self.language)

    def names(self, key: str) -> tuple[str, ...]:
        """The names of a key of `NAME_LISTS` (`months`), in their order."""
        forms = self._message(key).forms
        return tuple(forms[str(number)] for number in range(1, NAME_LISTS[key][0] + 1))

    def date(self, when: date) -> str:
        """A date as readers of the language write it: `2 March 2026`, `2. März 2026`, `2 de marzo de 2026`."""
        month = self._message(MONTHS).forms[str(when.month)]
        return self.text("date", day=when.day, month=month, year=when.year)

    @property
    def digest(self) -> str:
        """Changes whenever any word changes."""
        parts = (part for key in sorted(self.messages) for form, text in sorted(self.messages[key].forms.items())
                 for part in (key, form, text))
        return digest(self.language, *parts)

    def _given(self, count: int | None, values: dict[str, Any]) -> dict[str, Any]:
        return values if count is None else {"count": self.number(count), **values}

    def _form(self, key: str, count: int | None) -> str:
        forms = self._message(key).forms
        if count is None:
            return forms["other"]
        return forms.get(plural_category(self.language, count)) or forms["other"]

    def _message(self, key: str) -> Message:
        message = self.messages.get(key)
        if message is None:
            raise ValueError(f"i18n: no key {key!r} in the theme's words ({FOLDER}/{ENGLISH}.toml)"
                             f"{_did_you_mean(key, self.messages)}")
        return message


def _value(key: str, values: Mapping[str, Any], convert: Callable[[Any], str], match: re.Match[str]) -> str:
    name = match[1]
    if name not in values:
        given = ", ".join(sorted(values)) or "none"
        raise ValueError(f"i18n({key!r}): its words have {{{name}}}, which the template does not give "
                         f"(it gives: {given})")
    return str(convert(values[name]))


def _did_you_mean(key: str, known: Iterable[str]) -> str:
    close = get_close_matches(key, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


Table = dict[str, Message]


def settings_with_words(cfg: SiteConfig, words: Words) -> SiteConfig:
    """The settings with the words the build writes outside templates in the site's language (`words`): those of
    the Markdown engines, a tag feed's description, and the share CTA where `[share] cta` sets none. Given with the
    settings, they are part of every cache key the settings are (a body rendered, a feed, a share text fitted)."""
    feeds = replace(cfg.feeds, tag_description=words.text("tag_feed_description", name="{name}", site="{site}"))
    share = cfg.share if cfg.share.cta else replace(cfg.share, cta=words.text("share_cta"))
    return replace(cfg, markdown=replace(cfg.markdown, words=markdown_words(words)), feeds=feeds, share=share)


def markdown_words(words: Words) -> MarkdownWords:
    """What the Markdown engines write in words (a heading link's title, a footnote back-link's name, the alerts'
    titles, a task box's name), the video players of `youtube()` and `embed()` (their facade's link, a default
    title) and the `date` filter (month and day names), in `words`' language: given to the engines with their
    settings, so that the key of each body the cache keeps changes with them."""
    return MarkdownWords(
        heading_link=words.text("heading_link"),
        back_to_reference=words.text("back_to_reference", number="{number}"),  # the engine gives each number
        alerts=tuple(words.text(f"alert_{kind.lower()}") for kind in ALERT_KINDS),
        task_done=words.text("task_done"),
        task_to_do=words.text("task_to_do"),
        video=words.text("video"),
        play_video=words.text("play_video", title="{title}"),  # the shortcode gives each player's title
        months=words.names("months"),
        months_short=words.names("months_short"),
        weekdays=words.names("weekdays"),
        weekdays_short=words.names("weekdays_short"),
    )


def load_words(theme_dirs: Sequence[Path], root: Path, language: str, problems: Problems) -> Words:
    """The theme's words in `language`, from the `i18n/` of each of `theme_dirs` (most specific first, as
    `Theme.dirs`) and of the site's folder `root`. Problems go to `problems`: a file that is not TOML, or a value
    that is no text, is an error at its line; a key the theme does not have, and a key the language's tables
    lack, are warnings."""
    theme_layers = [folder / FOLDER for folder in reversed(theme_dirs)]
    layers = [*theme_layers, root / FOLDER]
    read = partial(_read_table, root=root, problems=problems)
    english_tables = [(layer, read(path)) for layer in layers for path in _files(layer, ENGLISH)]
    known = {key for layer, table in english_tables if layer in theme_layers for key in table}
    english = _merged(table for _, table in english_tables)
    own_names = [name for name in _names(language) if name != ENGLISH]
    own_tables = [read(path) for name in own_names for layer in layers for path in _files(layer, name)]
    for layer, table in english_tables:
        if layer not in theme_layers:
            _warn_unknown(table, known, problems)
    for table in own_tables:
        _warn_unknown(table, known, problems)
    own = _merged(own_tables)
    _check_placeholders(own, english, problems)
    # A language with no table at all is English's without a word, as in Hugo (the README says which languages
    # the theme speaks): a Japanese site would be warned at every build until it translated every key.
    if own_tables and base_language(language) != ENGLISH:
        _warn_untranslated(english, own, language, problems)
    return Words(language, {**english, **{key: message for key, message in own.items() if key in english}})


def _names(language: str) -> list[str]:
    """The table names of a language tag, least specific first: `de-AT` -> `de`, `de-AT`."""
    base = base_language(language)
    return [base] if language.lower() == base else [base, language]


def _files(layer: Path, name: str) -> list[Path]:
    """`layer`'s table for the language `name`, its case as written in the file's name or not (`pt-br.toml`)."""
    if not layer.is_dir():
        return []
    return sorted(path for path in layer.iterdir() if path.suffix == ".toml" and path.stem.lower() == name.lower()
                  and path.is_file())


def _merged(tables: Iterable[Table]) -> Table:
    merged: Table = {}
    for table in tables:
        merged.update(table)
    return merged


def _read_table(path: Path, *, root: Path, problems: Problems) -> Table:
    """One table's messages; a file that is not UTF-8 TOML, and a value that is no text, are errors."""
    shown = shown_path(path, root)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        problems.error(shown, raw[: exc.start].count(b"\n") + 1, FOLDER, "not valid UTF-8 (save the file as UTF-8)")
        return {}
    except tomllib.TOMLDecodeError as exc:
        line, message = split_toml_error(str(exc))
        problems.error(shown, line, FOLDER, f"invalid TOML: {message}")
        return {}
    table: Table = {}
    lines = top_key_lines(text)  # `key_line` for each key took 20 ms a build for the 88 keys of en.toml
    for key, value in data.items():
        line = lines.get(key)
        forms = _forms(key, value)
        if isinstance(forms, str):
            problems.error(shown, line, key, forms)
        else:
            table[key] = Message(forms, shown, line)
    return table


def _forms(key: str, value: object) -> dict[str, str] | str:
    """A value's forms by plural category (by their number, from 1, for a list of names: `months`), or what is wrong
    with it."""
    if key in NAME_LISTS:
        count, what = NAME_LISTS[key]
        if isinstance(value, list) and len(value) == count and all(isinstance(name, str) for name in value):
            return {str(number): name for number, name in enumerate(value, 1)}
        return f"expected a list of {what}"
    if isinstance(value, str):
        return {"other": value}
    if isinstance(value, dict) and "other" in value and all(
            form in CATEGORIES and isinstance(text, str) for form, text in value.items()):
        return dict(value)
    return f"expected a text, or a table of plural forms ({', '.join(CATEGORIES)}) that has `other`"


def _warn_unknown(table: Table, known: set[str], problems: Problems) -> None:
    for key, message in table.items():
        if key not in known:
            problems.warn(message.path, message.line, key, "no key of the theme's words, so no template shows it"
                          f"{_did_you_mean(key, known)}")


def _check_placeholders(own: Table, english: Table, problems: Problems) -> None:
    """Each `{name}` a translation writes must be a value the theme gives for that key (English's have them all)."""
    for key, message in own.items():
        if key not in english:  # a key the theme does not have: warned of already
            continue
        given = english[key].placeholders()
        for name in sorted(message.placeholders() - given):
            offered = ", ".join(f"{{{each}}}" for each in sorted(given)) or "none"
            problems.error(message.path, message.line, key,
                           f"{{{name}}} is no value the theme gives here (it gives: {offered})")


def _warn_untranslated(english: Table, own: Table, language: str, problems: Problems) -> None:
    """A key the language's tables lack is English's: each named at the line English's is written on."""
    for key, message in english.items():
        if key not in own:
            problems.warn(message.path, message.line, key,
                          f"no words in {language!r} ({FOLDER}/{language}.toml): English's are used")
