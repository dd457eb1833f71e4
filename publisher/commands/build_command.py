"""`publisher build`'s command line, light to read: the build's options before the commands are loaded.

`entry` reads a `publisher build` command line with it and starts Pagefind's early run (`build.launch`) before
it loads the commands, which import every stage of the build (0.4 s); `cli` defines the command's options and
makes the build's from them here, so both read one command line one way.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from publisher.build.launch import EarlyIndex
from publisher.build.options import BuildOptions

VERB = "build"


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=Path("publisher.toml"),
                        help="site settings file (default: publisher.toml)")


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    """`publisher build`'s options."""
    add_config(parser)
    parser.add_argument("--output", type=Path, help="output folder (default: output/ next to the config)")
    parser.add_argument("--drafts", action="store_true", help="include posts marked draft: true")
    parser.add_argument("--future", action="store_true", help="include posts dated in the future")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--base-url", help="absolute site URL to use instead of site.url (e.g. for previews)")
    parser.add_argument("--timings", action="store_true", help="print the time each stage took")
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help="ignore and do not update .publisher-cache/ (the output is the same either way)")


def build_options(args: argparse.Namespace) -> BuildOptions:
    """The build a `publisher build` command line asks for."""
    return BuildOptions(config=args.config, output=args.output, drafts=args.drafts, future=args.future,
                        strict=args.strict, base_url=args.base_url, use_cache=args.cache,
                        record_urls=not (args.drafts or args.future))


def index_early(argv: Sequence[str]) -> EarlyIndex | None:
    """Pagefind's early run for the build `argv` asks for (see `EarlyIndex.start`); None for any other command
    line, or one `publisher build` does not take (the commands say what is wrong with it)."""
    if not argv or argv[0] != VERB:
        return None
    parser = _QuietParser(prog=f"publisher {VERB}", add_help=False)
    add_build_arguments(parser)
    try:
        args = parser.parse_args(argv[1:])
    except _NotTaken:
        return None
    return EarlyIndex.start(build_options(args))


class _NotTaken(Exception):
    """A command line the parser does not take."""


class _QuietParser(argparse.ArgumentParser):
    """A parser that says nothing of a command line it does not take, and does not exit."""

    def error(self, message: str) -> NoReturn:
        raise _NotTaken(message)
