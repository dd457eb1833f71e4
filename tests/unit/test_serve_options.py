"""`publisher serve`'s options as a writer types them: a port out of range is an error of the command line,
not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from publisher.commands.cli import main


@pytest.mark.parametrize("port", ["65536", "99999", "-1", "eighty"])
def test_a_port_that_is_none_is_a_usage_error(port: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # no site here: nothing is built, whatever comes of the port
    with pytest.raises(SystemExit) as info:
        main(["serve", "--port", port])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --port:" in err and "Traceback" not in err
