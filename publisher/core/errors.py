"""Errors a user can act on.

Every problem with a site's input is reported as one line that names the file,
the line, the field, what is wrong and what was expected::

    content/posts/launch.md:4: date: cannot read '2024-13-01' (expected YYYY-MM-DD[ HH:MM])

A build collects all such problems and raises them together in `BuildFailed`;
only the CLI turns them into output and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass


class PublisherError(Exception):
    """Base of every error that is the user's input, not a bug in publisher."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, at a place in a file."""

    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        # A setting's key may hold a line break or tab (TOML's `"/a\nb/"`): shown escaped, the problem one line.
        field = "".join(char if char.isprintable() else repr(char)[1:-1] for char in self.field)
        return f"{where}: {field}: {self.message}"


class ContentError(PublisherError):
    """A problem with one source file (a post, page, template or the config)."""

    def __init__(self, path: str, line: int | None, field: str, message: str) -> None:
        self.problem = Problem(path, line, field, message)
        super().__init__(str(self.problem))


class ConfigError(ContentError):
    """A problem with `publisher.toml` or a command-line option."""


class BuildFailed(PublisherError):
    """All the problems found in one build, reported together, with the warnings found before it stopped (an
    unknown setting is often why a value went wrong: they are shown beside the errors, not only once it builds)."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None) -> None:
        self.problems = sorted(problems, key=_problem_order)
        self.warnings = [warning for warning in dict.fromkeys(warnings or ()) if warning not in self.problems]
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line or 0, problem.field)


class Problems:
    """The one collector of a build's problems, across every stage.

    Stages record what they find and go on with a default, so a user sees every
    problem of the config, of every file and of every check in one batch; the
    build raises once, with `raise_errors`, before the first stage that needs
    clean input.
    """

    def __init__(self, warnings: list[Problem] | None = None) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = list(warnings or ())

    def error(self, path: str, line: int | None, field: str, message: str) -> None:
        self.errors.append(Problem(path, line, field, message))

    def warn(self, path: str, line: int | None, field: str, message: str) -> None:
        self.warnings.append(Problem(path, line, field, message))

    def raise_errors(self) -> None:
        """Raise `BuildFailed` with every error so far (each reported once), if there is any."""
        if self.errors:
            raise BuildFailed(list(dict.fromkeys(self.errors)), self.warnings)
