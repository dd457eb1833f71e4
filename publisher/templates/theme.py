"""Themes: where templates and theme static files come from, and the Jinja2
environment that renders them.

A site's `themes/<name>/` may override single templates of the built-in
default theme; whatever it does not override falls through to the default.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

import jinja2

from publisher.config.model import SiteConfig
from publisher.core.errors import BuildFailed, ContentError, Problem
from publisher.core.hashing import digest
from publisher.core.owned import inside, owner_of
from publisher.core.text import shortened
from publisher.templates.i18n import Words
from publisher.templates.paths import shown_path


def builtin_theme_dir() -> Path:
    """The default theme: inside the package when installed from a wheel, else the repo's `themes/default/`."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_themes" / "default"
    if packaged.is_dir():
        return packaged
    return package.parent / "themes" / "default"


@dataclass(frozen=True, slots=True)
class Theme:
    """Folders to search, most specific first, and the theme's words in the site's language (`templates.i18n`;
    none until `load_words` read them)."""

    dirs: tuple[Path, ...]
    words: Words = field(default_factory=Words)

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "templates" for d in self.dirs if (d / "templates").is_dir())

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "static" for d in self.dirs if (d / "static").is_dir())

    def template_digest(self) -> str:
        """Changes whenever any template file that could be used changes, or any of the theme's words."""
        return _folders_digest(self.template_dirs) + self.words.digest

    @property
    def share_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "share" for d in self.dirs if (d / "share").is_dir())

    def share_digest(self) -> str:
        """Changes whenever any share template that could be used changes."""
        return _folders_digest(self.share_dirs)


def _folders_digest(folders: tuple[Path, ...]) -> str:
    """A digest of every file's relative path and bytes in `folders`, in order."""
    parts: list[str | bytes] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def load_theme(cfg: SiteConfig) -> Theme:
    """Find the configured theme; raises BuildFailed when it does not exist."""
    builtin = builtin_theme_dir().resolve()
    own = (cfg.root / "themes" / cfg.theme).resolve()
    if cfg.theme != "default" and not own.is_dir():
        raise BuildFailed([Problem("publisher.toml", None, "site.theme",
                                   f"no theme {cfg.theme!r} "
                                   f"(expected a folder themes/{cfg.theme}/ next to publisher.toml)")])
    dirs = [own] if own.is_dir() and own != builtin else []
    return Theme((*dirs, builtin))


def theme_loader(folders: Iterable[Path | str]) -> jinja2.BaseLoader:
    """Templates from a theme's folders (page, share or shortcode templates), the first folder that has one
    first, never through a symbolic link out of the theme's folder (`core.owned`): such a template is taken
    from the next folder (the default theme's), as if it were not there, and the build's warning names it."""
    return jinja2.ChoiceLoader([_OwnTemplates(folder) for folder in folders])


class _OwnTemplates(jinja2.FileSystemLoader):
    """The templates of one folder that are its theme's own."""

    def __init__(self, folder: Path | str) -> None:
        super().__init__(folder)
        self.owner = owner_of(folder)  # taken once, not at each template's load

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not inside(filename, self.owner):
            raise jinja2.TemplateNotFound(template)
        # A byte-order mark, as Windows' Notepad saved UTF-8, is no text of the template: in a partial of <head>
        # it ended the head there for browsers (the link-preview tags after it fell into <body>), and in a
        # share template it made every text one X refuses. Jinja2 reads line ends as `\n` already.
        return source.removeprefix("\ufeff"), filename, uptodate


def fail_if_undefined(value: object) -> None:
    """Raise `value`'s own error when it is undefined (the `x` of `x.__class__`). Python finds `__class__`, and
    every other name an object has, on Jinja2's undefined value itself: `{{ x.__class__ }}` printed "<class
    '…KeyNamingUndefined'>" in a theme's page (or a share text) and the build said it succeeded, and a body's
    sandbox called it an unsafe attribute, where `{{ x.y }}` says "'x' is undefined"."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()  # the error Jinja2 documents for a subclass to raise or change


class StrictEnvironment(jinja2.Environment):
    """Jinja2's environment, an attribute of an undefined value an error naming that value (`fail_if_undefined`)."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        fail_if_undefined(obj)
        return super().getattr(obj, attribute)


def make_environment(theme: Theme) -> jinja2.Environment:
    """Autoescaping, strict Jinja2 environment over the theme's template folders."""
    env = StrictEnvironment(
        loader=theme_loader(theme.template_dirs),
        autoescape=True,
        undefined=KeyNamingUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["shorten"] = shortened  # {{ summary | shorten(140) }}: at a word's end, with "…"
    env.globals["i18n"] = theme.words  # {{ i18n("key") }}: the theme's words in the site's language
    env.filters["number"] = theme.words.number  # {{ tag.count | number }}: 12.345 on a German site
    # Views are mappings (cache.Fingerprinted) with dates in them; `tojson` takes them too.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": _template_json}
    return env


class KeyNamingUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose error for a key a view does not have names the keys it has: Jinja2's own said
    "'publisher.pages.fingerprints.Fingerprinted object' has no attribute 'titel'", naming publisher's class."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: object, **kwargs: object) -> NoReturn:
        view, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint is None and isinstance(view, Mapping) and isinstance(name, str):
            keys = ", ".join(sorted(map(str, view)))
            raise self._undefined_exception(f"no key {name!r} (its keys: {keys})")
        super()._fail_with_undefined_error(*args, **kwargs)


# StrictUndefined binds every operation to Undefined's method itself, not by name: bind them to the one above.
for _operation, _bound in vars(jinja2.StrictUndefined).items():
    if _bound is jinja2.Undefined._fail_with_undefined_error:
        setattr(KeyNamingUndefined, _operation, KeyNamingUndefined._fail_with_undefined_error)
for _operation, _bound in vars(jinja2.Undefined).items():
    if _bound is jinja2.Undefined._fail_with_undefined_error and _operation not in vars(KeyNamingUndefined):
        setattr(KeyNamingUndefined, _operation, KeyNamingUndefined._fail_with_undefined_error)


def _template_json(value: object) -> object:
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written as JSON")


def template_error(exc: Exception, root: Path) -> ContentError:
    """Turn an exception raised while rendering into an error naming the template and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = shown_path(exc.filename or exc.name or "template", root)
        return ContentError(where, exc.lineno, "template", exc.message or str(exc))
    frames = _template_frames(exc.__traceback__)
    if isinstance(exc, RecursionError):
        return _without_end(frames, root)
    filename, line = frames[-1] if frames else (None, None)
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"template {exc.name!r} not found in the theme"
        return ContentError(shown_path(filename, root) if filename else "theme", line, "template", message)
    where = shown_path(filename or "template", root)
    return ContentError(where, line, "template", f"{type(exc).__name__}: {exc}{_from_own(frames, root)}")


Frame = tuple[str, int]  # a template's file and line


def _template_frames(tb: TracebackType | None) -> list[Frame]:
    """The template lines the exception passed through, outermost first (Jinja2 puts them in the traceback)."""
    found: list[Frame] = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt", ".j2")):
            found.append((filename, tb.tb_lineno))
        tb = tb.tb_next
    return found


def _from_own(frames: list[Frame], root: Path) -> str:
    """Where the site's own templates reached a built-in template that failed (a default partial included by a
    theme's page without the variables it needs): " (from themes/house/templates/archive.html:2)"."""
    own = [(filename, line) for filename, line in frames if _inside(filename, root)]
    if not frames or not own or own[-1] == frames[-1]:
        return ""
    filename, line = own[-1]
    return f" (from {shown_path(filename, root)}:{line})"


def _without_end(frames: list[Frame], root: Path) -> ContentError:
    """Templates that include, extend or call one another without end, as Python's recursion limit stopped them:
    the loop, named at its first line (`partials/a.html:1 → partials/b.html:1 → partials/a.html`)."""
    loop = _repeating_tail(frames)
    if not loop:
        return ContentError("template", None, "template", "templates include or call one another without end")
    first = min(frames.index(frame) for frame in loop)
    start = loop.index(frames[first])
    loop = loop[start:] + loop[:start]
    steps = [f"{shown_path(filename, root)}:{line}" for filename, line in loop] + [shown_path(loop[0][0], root)]
    message = f"templates include, extend or call one another without end: {' → '.join(steps)}"
    if len(loop) == 1 and _names_a_template(*loop[0]):
        message += (" (a theme's template takes the place of the default theme's of the same name: it cannot "
                    "extend or include that one; copy it whole and change the copy)")
    return ContentError(shown_path(loop[0][0], root), loop[0][1], "template", message)


def _repeating_tail(frames: list[Frame]) -> list[Frame]:
    """The shortest run of frames the traceback ends repeating (at least three times), or none."""
    for period in range(1, len(frames) // 3 + 1):
        tail = frames[-period:]
        if frames[-2 * period:-period] == tail and frames[-3 * period:-2 * period] == tail:
            return tail
    return []


def _names_a_template(filename: str, line: int) -> bool:
    """Whether the template's line extends or includes one (its own name: itself), not a macro calling itself."""
    try:
        text = Path(filename).read_text(encoding="utf-8").splitlines()[line - 1]
    except (OSError, UnicodeError, IndexError):
        return False
    return "extends" in text or "include" in text


def _inside(filename: str, root: Path) -> bool:
    return Path(filename).resolve().is_relative_to(root.resolve())


__all__ = ["StrictEnvironment", "Theme", "builtin_theme_dir", "fail_if_undefined", "load_theme", "make_environment",
           "shown_path", "template_error"]
