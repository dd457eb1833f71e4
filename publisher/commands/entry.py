"""The `publisher` console command's first step (`publisher`, `python -m publisher`).

It loads the commands (`cli`, which imports every stage of the build: a few tenths of a second) where a Ctrl-C
meanwhile ends the command as it does at any later point: exit code 130, no traceback."""

from __future__ import annotations

import sys
from typing import NoReturn

from publisher.commands.build_command import index_early
from publisher.commands.exits import INTERRUPTED


def console() -> NoReturn:
    """Load the commands and run the one asked for; a Ctrl-C before they take over ends it quietly. For
    `publisher build`, Pagefind's early run is started first (`build_command.index_early`): it waits for none of
    the build's modules."""
    early = None
    try:
        early = index_early(sys.argv[1:])
        from publisher.commands import cli
    except KeyboardInterrupt:
        if early is not None:
            early.close()
        sys.exit(INTERRUPTED)
    cli.console(early)
