"""Two revisions of publisher side by side: one-post builds of the bench's corpus, in turn, on this machine now.

    python bench/ab.py BASE [NEW] [--posts 10000] [--rounds 8]

BASE and NEW are git revisions (NEW defaults to the working tree, uncommitted changes included). This machine's
speed drifts by more than a change is worth (one-post builds of the same code at 10,000 posts took 3.0 to 5.4 s
within an hour), so a change is measured against the code before it in the same minutes rather than against an
earlier run: each code gets a copy of the corpus, builds it until its cache is warm, and then the two take turns,
a one-post edit and a `publisher build` each. Halfway, the copies are swapped (each code's first build on the
other copy is a full one, not timed), so that neither code keeps the copy whose disk happens to be faster.
Printed: each code's median wall time and processor time (the build and its children: Pagefind, the walk),
each code's median on each copy, and in how many turns NEW was the faster.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import write_corpus  # noqa: E402
from run import edit_post, run_with_usage  # noqa: E402

WORKING_TREE = "."


@dataclass
class Code:
    """One revision's package, unpacked where `PYTHONPATH` can point, and its timed builds."""

    name: str
    revision: str
    tree: Path
    by_copy: dict[str, list[float]] = field(default_factory=dict)  # copy -> wall time of each timed build on it
    cpus: list[float] = field(default_factory=list)

    @property
    def walls(self) -> list[float]:
        return [wall for walls in self.by_copy.values() for wall in walls]

    def env(self) -> dict[str, str]:
        env = {**os.environ, "PYTHONPATH": str(self.tree)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def check(self, site: Path) -> None:
        """This code is the one `python -m publisher` runs in `site` (not the installed one)."""
        found = subprocess.run([sys.executable, "-c", "import publisher; print(publisher.__file__)"], cwd=site,
                               env=self.env(), check=True, capture_output=True, text=True).stdout.strip()
        if not Path(found).is_relative_to(self.tree):
            raise SystemExit(f"{self.revision}: python imports publisher from {found}, not from {self.tree}")

    def build(self, site: Path) -> tuple[float, float]:
        """A `publisher build` of `site` with this code: its wall time and the processor time of it and its
        children (user and system)."""
        wall, usage = run_with_usage([sys.executable, "-m", "publisher", "build"], site, self.env())
        return wall, usage.ru_utime + usage.ru_stime

    def note(self, copy: str, wall: float, cpu: float) -> None:
        self.cpus.append(cpu)
        self.by_copy.setdefault(copy, []).append(wall)


def unpack(revision: str, into: Path) -> Path:
    """The package of `revision` and its default theme (the working tree for "."), compiled to bytecode as an
    install would."""
    if revision == WORKING_TREE:
        tree = REPO
    else:
        into.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", revision, "publisher", "themes"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
        tree = into
    compileall.compile_dir(str(tree / "publisher"), quiet=1)
    return tree


def phase(pairs: list[tuple[Code, Path]], rounds: int, marker: str) -> list[tuple[float, float]]:
    """Each code's cache warmed on its copy (two builds, untimed), then `rounds` turns of a one-post edit and a
    build each; the wall times of each turn, (first code's, second code's)."""
    for code, site in pairs:
        for _ in range(2):
            code.build(site)
    turns = []
    for turn in range(rounds):
        walls = []
        for code, site in pairs:
            edit_post(site, "publisher", f"{marker}-{turn}")
            wall, cpu = code.build(site)
            code.note(site.name, wall, cpu)
            walls.append(wall)
        turns.append((walls[0], walls[1]))
    return turns


def report(base: Code, new: Code, turns: list[tuple[float, float]]) -> str:
    lines = []
    for code in (base, new):
        lines.append(f"{code.name} {code.revision}: median {statistics.median(code.walls):.2f} s "
                     f"(min {min(code.walls):.2f}, max {max(code.walls):.2f}), processor time median "
                     f"{statistics.median(code.cpus):.2f} s")
        for copy, walls in sorted(code.by_copy.items()):
            lines.append(f"  on {copy}: median {statistics.median(walls):.2f} s of {len(walls)}")
    faster = sum(new_wall < base_wall for base_wall, new_wall in turns)
    lines.append(f"{new.name} was the faster in {faster} of {len(turns)} turns; medians differ by "
                 f"{statistics.median(new.walls) - statistics.median(base.walls):+.2f} s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", help="the revision to compare against (a commit, a branch, HEAD~1)")
    parser.add_argument("new", nargs="?", default=WORKING_TREE,
                        help="the revision measured (default: the working tree)")
    parser.add_argument("--posts", type=int, default=1000, help="posts in the corpus (default 1000)")
    parser.add_argument("--rounds", type=int, default=8, help="turns of each code on each copy (default 8)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publisher-ab-", dir=os.environ.get("BENCH_DIR")) as scratch:
        work = Path(scratch)
        base = Code("A", args.base, unpack(args.base, work / "base"))
        new = Code("B", args.new, unpack(args.new, work / "new"))
        first, second = work / "copy-1", work / "copy-2"
        write_corpus(first, args.posts, flavour="publisher")
        shutil.copytree(first, second)
        base.check(first)
        new.check(first)
        print(f"{args.posts} posts, {args.rounds} turns a phase; A = {args.base}, B = {args.new}", flush=True)
        turns = phase([(base, first), (new, second)], args.rounds, "ab-1")
        turns += phase([(base, second), (new, first)], args.rounds, "ab-2")
        print(report(base, new, turns))


if __name__ == "__main__":
    main()
