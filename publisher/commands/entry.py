"""The `publisher` console command's first step (`publisher`, `python -m publisher`).

It loads the commands (`cli`, which imports every stage of the build: a few tenths of a second) where a Ctrl-C
or a SIGTERM meanwhile ends the command as it does at any later point: exit code 130 or 143, no traceback.
For `publisher build`, Pagefind's early run is started first (`build_command.index_early`): it waits for none
of the build's modules, and is ended with the command if the command stops while they load."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, NoReturn

from publisher.commands.exits import exit_code, interrupt_behind, stopped_on_terminate

if TYPE_CHECKING:
    from publisher.build.launch import EarlyIndex


def console() -> NoReturn:
    """Start Pagefind early for a build, load the commands and run the one asked for; stopped before they take
    over, end quietly."""
    early: EarlyIndex | None = None
    with stopped_on_terminate():  # from the first step on: a SIGTERM's default would leave Pagefind running
        try:
            from publisher.commands.build_command import index_early

            early = index_early(sys.argv[1:])
            from publisher.commands import cli
        except KeyboardInterrupt as stopped:
            _stopped(early, stopped)
        except Exception as error:  # a stop while a module made its classes: see `exits.interrupt_behind`
            interrupt = interrupt_behind(error)
            if interrupt is None:
                raise
            _stopped(early, interrupt)
        cli.console(early)


def _stopped(early: EarlyIndex | None, stopped: KeyboardInterrupt) -> NoReturn:
    """End what was started early, and exit as the stop says."""
    if early is not None:
        early.close()
    sys.exit(exit_code(stopped))
