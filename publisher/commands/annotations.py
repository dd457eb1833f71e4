"""GitHub Actions workflow commands for problems (`--format github`): one line each, which the job's runner turns
into an annotation on the file's line, in the pull request's changed files and on the run's summary.

    ::error file=content/posts/a.md,line=7,title=publisher check (link)::content/posts/a.md:7: link: /x/ resolves...

The message repeats the place, as the log shows only the message. Escaped as the runner reads a command back
(actions/runner, src/Runner.Common/ActionCommand.cs): `%`, CR and LF in the message; `:` and `,` as well in a
property, where they would end its value.
"""

from __future__ import annotations

from publisher.core.errors import Problem

LEVELS = ("error", "warning", "notice")  # the annotation commands GitHub has


def annotation(level: str, problem: Problem, title: str) -> str:
    """The workflow command that annotates `problem`'s file (and line, when it has one) at `level` (`LEVELS`),
    titled `title`."""
    if level not in LEVELS:
        raise ValueError(f"not an annotation level: {level!r}")
    properties = {"file": problem.path, "line": None if problem.line is None else str(problem.line), "title": title}
    written = ",".join(f"{name}={_escaped_property(value)}" for name, value in properties.items() if value)
    return f"::{level} {written}::{_escaped_data(str(problem))}"


def _escaped_data(text: str) -> str:
    # `%` first: the escapes made after it must stay as written.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escaped_property(text: str) -> str:
    return _escaped_data(text).replace(":", "%3A").replace(",", "%2C")
