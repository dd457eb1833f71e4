"""The `publisher` console command's first step (`publisher`, `python -m publisher`).

It loads the commands (`cli`, which imports every stage of the build: a few tenths of a second) where a Ctrl-C
meanwhile ends the command as it does at any later point: exit code 130, no traceback."""

from __future__ import annotations

import sys
from typing import NoReturn

from publisher.commands.exits import INTERRUPTED


def console() -> NoReturn:
    """Load the commands and run the one asked for; a Ctrl-C before they take over ends it quietly."""
    try:
        from publisher.commands import cli
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
    cli.console()
