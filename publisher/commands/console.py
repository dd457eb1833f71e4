"""The console command (`publisher`, `python -m publisher`): a `publisher build` gets its head start
(`build.head_start`: Pagefind started on the part of the search index its edit falls in) before the rest of
publisher is imported, which takes a quarter of a second; then the command runs (`commands.cli`). Ctrl-C and
`kill` stop it from the start as they stop a command that runs (`commands.stopping`)."""

from __future__ import annotations

import sys
from typing import NoReturn

from publisher.build.head_start import head_start
from publisher.commands.stopping import exit_code, stopped_on_terminate


def console() -> NoReturn:
    with stopped_on_terminate():
        try:
            code = _run(sys.argv[1:])
        except KeyboardInterrupt as stopped:  # while publisher started: its head start is ended already
            code = exit_code(stopped)
    sys.exit(code)


def _run(argv: list[str]) -> int:
    early = head_start(argv)
    try:
        from publisher.commands.cli import main  # everything else

        return main(argv, end_process=True, early=early)
    finally:  # the build ended it already, unless it never came to build (a bad command line, Ctrl-C meanwhile)
        if early is not None:
            early.close()
