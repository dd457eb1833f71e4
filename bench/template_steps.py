"""How long a body's template code runs before its step budget stops it, against a real post's body.

    python bench/template_steps.py

The budget (`publisher.templates.steps`) is counted, never timed, so the same body stops at the same step on every
machine; what a step costs in time is measured here, not asserted in a test. Each body of
`tests/unit/test_template_bounds.py`'s ENDLESS list ran for minutes to hours before the budget; each line prints
the seconds it takes now to stop, beside the seconds a real post's body of shortcodes and loops takes to render.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from publisher.templates.bodies import body_environment
from publisher.templates.steps import MOST_STEPS, TooMuchWork
from publisher.templates.theme import Theme

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "unit"))
from test_template_bounds import ENDLESS  # the test's own bodies: the same list, one place

REAL_BODY = ("{% set plans = [('Starter', 9), ('Team', 29), ('Scale', 99)] %}"
             "{% for name, price in plans %}| {{ name | upper }} | {{ '%d' % price }} |\n{% endfor %}"
             "{% for tag in tags | sort %}{{ tag | title }}{{ ', ' if not loop.last }}{% endfor %}")


def seconds_to_stop(body: str) -> tuple[float, bool]:
    """The seconds `body` runs until it ends or its budget stops it, and whether the budget did."""
    template = body_environment(Theme(())).from_string(body)
    started = time.perf_counter()
    try:
        template.render(tags=[f"tag {n}" for n in range(12)])
    except TooMuchWork:
        return time.perf_counter() - started, True
    return time.perf_counter() - started, False


def main() -> None:
    real, _ = seconds_to_stop(REAL_BODY)
    print(f"a real post's body: {real * 1000:.2f} ms; each body below stops at {MOST_STEPS:,} steps")
    for body in ENDLESS:
        seconds, stopped = seconds_to_stop(body)
        print(f"{seconds:7.2f} s  {'stopped' if stopped else 'ENDED  '}  {body[:90]}")


if __name__ == "__main__":
    main()
