"""`serve` gives a build the interpreter nearly to itself and tidies up after the tabs reload (issue 17)."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Iterator

import pytest

from publisher.commands.serve import BuildFirst


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test run collects as usual


def test_no_collection_and_long_slices_while_building_then_as_usual() -> None:
    usual = sys.getswitchinterval()
    first = BuildFirst()
    with first.building():
        assert not gc.isenabled()
        assert sys.getswitchinterval() == pytest.approx(first.switch_interval)
    assert gc.isenabled() and sys.getswitchinterval() == usual


def test_a_build_that_fails_still_gives_the_interpreter_back() -> None:
    usual = sys.getswitchinterval()
    with pytest.raises(RuntimeError), BuildFirst().building():
        raise RuntimeError("a template failed")
    assert gc.isenabled() and sys.getswitchinterval() == usual


def test_after_a_build_garbage_is_collected_and_survivors_frozen_with_a_full_walk_now_and_then() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    first = BuildFirst(full_every=3)
    with first.building():
        garbage = weakref.ref(Node())
        survivor = Node()
        kept = weakref.ref(survivor)
    assert garbage() is not None  # nothing collected during the build
    first.after_build()
    assert garbage() is None  # collected once the build is done
    assert gc.get_freeze_count() > 0  # what survived is frozen: later collections skip it
    del survivor  # let go of by the model, but frozen...
    first.after_build()
    assert kept() is not None  # ...so a usual collection leaves it
    first.after_build()  # the third walks the frozen objects too
    assert kept() is None
