"""Benchmark publisher against Pelican and Hugo on the same corpus, in one run.

    python bench/run.py [--sizes 1000 10000] [--runs 3] [--corpora plain dense] [--only TOOL ...] [--no-cards]
                        [--json bench/results.json]

For each size and corpus it generates the posts (bench/corpus.py) for each
tool and measures, on the plain corpus: cold build, no-change rebuild,
one-post-edit rebuild, peak RSS of the cold build, and of the dev server: the
latency from saving a post to the page showing it (the server idle, using no
CPU, before each save), the server process's peak RSS meanwhile, and a second
start with nothing changed since the first; then the build after a post's title
is edited, and after a new post is published (the newest, with two tags); then a CI build of a one-post push
(every source checked out anew, the tool's caches kept, no output folder); on
the dense corpus (inline markup in every sentence): the cold build and its
peak RSS. Publisher's cold builds keep its drawn link-preview cards
(as rebuilds and CI with its cache restored do); a separate section reports
cold builds with cards off and on, and a build that draws them all. Figures
are medians of --runs runs. Pelican is installed into bench/.venv-pelican from
PyPI; Hugo is Debian's package (skipped with a line saying so when it cannot
be had).
Publisher's own modules are compiled to bytecode first, as installing a package
does (an editable install compiles them on first import, and not at all when
PYTHONDONTWRITEBYTECODE is set), so every run times the same start-up.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
from corpus import add_post, write_corpus  # noqa: E402

WORK = Path(os.environ.get("BENCH_DIR", "/tmp/publisher-bench"))
METRICS = ("cold", "noop", "edit", "retitle", "new_post", "ci", "serve", "serve_all", "serve_retitle",
           "serve_retitle_all", "serve_new_post", "serve_new_post_all", "serve_start", "rss_mb", "serve_rss_mb")
CORPUS_METRICS = {"plain": METRICS, "dense": ("cold", "rss_mb")}
LABELS = {"cold": "cold build (s)", "noop": "no-change rebuild (s)", "edit": "one-post edit (s)",
          "retitle": "one post's title edited (s)", "new_post": "a new post published (s)",
          "ci": "CI build: one post edited, files checked out anew, cache kept, no output (s)",
          "serve": "serve: save → rebuilt (s)", "serve_all": "serve: save → whole site written (s)",
          "serve_retitle": "serve: title edited → its page shows it (s)",
          "serve_retitle_all": "serve: title edited → whole site written (s)",
          "serve_new_post": "serve: new post saved → its page shows (s)",
          "serve_new_post_all": "serve: new post saved → whole site written (s)",
          "serve_start": "serve: start, nothing changed (s)",
          "rss_mb": "peak RSS, cold (MB)", "serve_rss_mb": "serve: peak RSS of its process (MB)"}


@dataclass
class Tool:
    name: str
    flavour: str
    build: list[str]  # run in the site folder
    serve: list[str] | None  # {port} is replaced
    rebuilt_path: str  # URL path of the edited post when served
    cold_reset: list[str] = field(default_factory=list)  # folders removed before a cold build
    cold_keep: list[str] = field(default_factory=list)  # but these, inside them (publisher's drawn cards)
    config_extra: str = ""  # appended to the generated publisher.toml
    output: str = "output"  # the folder it builds into (a CI build starts without it)
    done_line: str = ""  # how the dev server's messages begin the line that says a rebuild is written


def run_timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of a command and the children it waited for."""
    elapsed, usage = run_with_usage(command, cwd)
    return elapsed, usage.ru_maxrss / 1024


def run_with_usage(command: list[str], cwd: Path, env: dict[str, str] | None = None
                   ) -> tuple[float, resource.struct_rusage]:
    """Wall time of a command, and the resources it and the children it waited for used; raises if it failed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        said = process.stderr.read().decode() if process.stderr is not None else ""
        raise RuntimeError(f"{' '.join(command)} failed:\n{said[-2000:]}")
    return elapsed, usage


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def edit_post(site: Path, flavour: str, marker: str) -> None:
    folder = site / "content" / ("" if flavour == "pelican" else "posts")
    post = folder / "post-00003.md"
    post.write_text(post.read_text(encoding="utf-8") + f"\n\nEdited {marker}.\n", encoding="utf-8")


def retitle_post(site: Path, flavour: str, marker: str, size: int) -> None:
    """A new title for the post in the middle of the site (shown on its neighbours' and relatives' pages, its
    tags' pages and the home page that lists it)."""
    folder = site / "content" / ("" if flavour == "pelican" else "posts")
    post = folder / f"post-{size // 2:05d}.md"
    field = "Title: " if flavour == "pelican" else 'title: "'
    post.write_text(post.read_text(encoding="utf-8").replace(field, f"{field}Retitled {marker} ", 1), encoding="utf-8")


def serve_figures(tool: Tool, site: Path, size: int, runs: int) -> dict[str, float | None]:
    """Serve's save-to-page latency (the server idle before each edit) for a body edit, a title edit and a new post,
    its peak RSS meanwhile, and how long a second start takes, nothing having changed since the first (the warm
    start)."""
    if tool.serve is None:
        return {}
    figures: dict[str, float | None] = {"serve": None, "serve_rss_mb": None, "serve_start": None}
    port = free_port()  # both starts on one port, as a writer's are: the preview's URL is part of its pages
    with _serving(tool, site, port) as (process, url, log):
        saves = _ServedSaves(tool, process.pid, log)
        try:
            _wait_for(url, "", timeout=900, process=process)
            for run in range(runs):
                def edited(marker: str = f"serve-{tool.name}-{run}-{time.time_ns()}") -> str:
                    edit_post(site, tool.flavour, marker)
                    return marker

                saves.timed("serve", url, edited)
            _served_edits(saves, site, size, runs, url)
        except (TimeoutError, RuntimeError) as error:  # one tool's dev server must not sink the whole run
            print(f"  {tool.name} serve: {error}; {len(saves.times['serve'])} of {runs} edits seen", flush=True)
        figures.update(saves.medians())
        figures["serve_rss_mb"] = _peak_rss_mb(process.pid)
        _wait_idle(process.pid)  # the last save's build and search index done, as when a writer stops the server
    with _serving(tool, site, port) as (process, url, _):
        started = time.perf_counter()
        try:
            _wait_for(url, "", timeout=900, process=process)
            figures["serve_start"] = time.perf_counter() - started
        except (TimeoutError, RuntimeError) as error:
            print(f"  {tool.name} serve start: {error}", flush=True)
    return figures


@dataclass
class _ServedSaves:
    """Saves timed against a running dev server (`session`: its process group), by name: until the page shows the
    save, and (`<name>_all`), for a tool that says when a build is done (publisher, which writes the edited page
    first), until it says so."""

    tool: Tool
    session: int
    log: Path  # where the server's messages go
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def timed(self, name: str, url: str, save: Callable[[], str]) -> None:
        """`save()` made with the server idle; the time until the page at `url` shows what it returned."""
        _wait_idle(self.session)
        done = _lines_starting(self.log, self.tool.done_line)
        started = time.perf_counter()
        _wait_for(url, save(), timeout=180)
        self.times[name].append(time.perf_counter() - started)
        if self.tool.done_line:
            _wait_for_line(self.log, self.tool.done_line, done, timeout=180)
            self.times[f"{name}_all"].append(time.perf_counter() - started)

    def medians(self) -> dict[str, float]:
        return {name: statistics.median(values) for name, values in self.times.items() if values}


def _served_edits(saves: _ServedSaves, site: Path, size: int, runs: int, edited_url: str) -> None:
    """Serve's save-to-page latency for the middle post's title edited (its page shows the new title) and for a
    new post published (its page shows its title); the new posts are the corpus's first `runs` added ones."""
    def page(number: int) -> str:
        return edited_url.replace("post-00003", f"post-{number:05d}")

    flavour = saves.tool.flavour
    for run in range(runs):
        def retitled(marker: str = f"s{run}-{time.time_ns()}") -> str:
            retitle_post(site, flavour, marker, size)
            return f"Retitled {marker}"

        saves.timed("serve_retitle", page(size // 2), retitled)
    for run in range(runs):
        def published(run: int = run) -> str:
            return _title_start(add_post(site, size, run, flavour))

        saves.timed("serve_new_post", page(size + run), published)


def _title_start(post: Path) -> str:
    """The first two words of a corpus post's title (words of letters and hyphens: the same in its HTML)."""
    for line in post.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition(":")
        if name.lower() == "title":
            return " ".join(value.strip().strip('"').split()[:2])
    raise ValueError(f"{post}: no title")


@contextmanager
def _serving(tool: Tool, site: Path, port: int) -> Iterator[tuple[subprocess.Popen[bytes], str, Path]]:
    """The tool's dev server, running in the site; the URL of the post the bench edits, and the file its
    messages go to ($BENCH_SERVE_LOG, to see what a server did; else one beside the site)."""
    assert tool.serve is not None
    command = [part.replace("{port}", str(port)) for part in tool.serve]
    log = Path(os.environ.get("BENCH_SERVE_LOG") or site.with_name(f"{site.name}-serve.log"))
    with log.open("ab") as messages:
        process = subprocess.Popen(command, cwd=site, stdout=subprocess.DEVNULL, stderr=messages,
                                   start_new_session=True)
    try:
        yield process, f"http://127.0.0.1:{port}{tool.rebuilt_path}", log
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _lines_starting(log: Path, start: str) -> int:
    if not start:
        return 0
    text = log.read_text(encoding="utf-8", errors="replace")
    return sum(1 for line in text.splitlines() if line.startswith(start))


def _wait_for_line(log: Path, start: str, seen: int, timeout: float) -> None:
    """Until the log holds more lines beginning with `start` than `seen`."""
    deadline = time.monotonic() + timeout
    while _lines_starting(log, start) <= seen:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{log} never said {start!r} again")
        time.sleep(0.01)


def _session_cpu(session: int) -> int:
    """CPU ticks used so far by the processes of a session (a server and the helpers it runs)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == session:  # the session id, after state, ppid and pgrp
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _wait_idle(session: int, quiet: float = 1.0, timeout: float = 900) -> None:
    """Until the server has used no CPU for `quiet` seconds: each edit finds it idle, as a writer's save does
    (publisher fills its model and Pagefind indexes after a start; Hugo settles at once)."""
    deadline = time.monotonic() + timeout
    last = _session_cpu(session)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = _session_cpu(session)
        if now == last:
            return
        last = now


def _peak_rss_mb(pid: int) -> float | None:
    """The peak resident memory of the server's own process (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _wait_for(url: str, marker: str, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before serving {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if marker in response.read().decode("utf-8", "replace"):
                    return
        except OSError:
            pass
        time.sleep(0.01)
    raise TimeoutError(f"{url} never showed {marker!r}")


def measure(tool: Tool, size: int, runs: int, corpus: str = "plain") -> dict[str, float | None]:
    site = WORK / f"{tool.name}-{size}-{corpus}"
    shutil.rmtree(site, ignore_errors=True)
    write_corpus(site, size, flavour=tool.flavour, dense=corpus == "dense")
    if tool.config_extra:
        with (site / "publisher.toml").open("a", encoding="utf-8") as config:
            config.write(tool.config_extra)
    colds, rss = [], []
    if tool.cold_keep:  # what the cold builds keep must be there first
        run_timed(tool.build, site)
    for _ in range(runs):
        reset(site, tool.cold_reset, tool.cold_keep)
        seconds, peak = run_timed(tool.build, site)
        colds.append(seconds)
        rss.append(peak)
    if corpus != "plain":
        return {"cold": statistics.median(colds), "rss_mb": statistics.median(rss)}
    noop = statistics.median(run_timed(tool.build, site)[0] for _ in range(runs))
    edits = []
    for run in range(runs):
        edit_post(site, tool.flavour, f"edit-{run}")
        edits.append(run_timed(tool.build, site)[0])
    figures = {"cold": statistics.median(colds), "noop": noop, "edit": statistics.median(edits),
               "rss_mb": statistics.median(rss), **serve_figures(tool, site, size, runs)}
    retitled = (partial(retitle_post, site, tool.flavour, f"r{run}", size) for run in range(runs))
    figures["retitle"] = statistics.median(_timed_after(change, tool, site) for change in retitled)
    added = (partial(add_post, site, size, runs + run, tool.flavour) for run in range(runs))  # after serve's
    figures["new_post"] = statistics.median(_timed_after(change, tool, site) for change in added)
    return {**figures, "ci": statistics.median(ci_build(tool, site, f"ci-{run}") for run in range(runs))}


def _timed_after(change: Callable[[], object], tool: Tool, site: Path) -> float:
    """The build after `change`, timed."""
    change()
    return run_timed(tool.build, site)[0]


def ci_build(tool: Tool, site: Path, marker: str) -> float:
    """A CI build of a push that edits one post: the sources checked out anew a minute before (each file written
    again, with another inode and times; CI installs the tools meanwhile), the tool's caches restored as the
    last build left them, no output folder."""
    edit_post(site, tool.flavour, marker)
    checked_out = time.time() - 60
    for path in sorted((site / "content").rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            path.unlink()
            path.write_bytes(data)
            os.utime(path, (checked_out, checked_out))
    shutil.rmtree(site / tool.output, ignore_errors=True)
    return run_timed(tool.build, site)[0]


def reset(site: Path, folders: list[str], keep: list[str]) -> None:
    """Remove `folders` from the site, but the `keep` paths inside them."""
    for folder in folders:
        kept = [site / k for k in keep if (site / k).is_relative_to(site / folder)]
        if not kept:
            shutil.rmtree(site / folder, ignore_errors=True)
            continue
        for child in (site / folder).iterdir() if (site / folder).is_dir() else []:
            if child not in kept:
                shutil.rmtree(child) if child.is_dir() else child.unlink()


def measure_cards(size: int, runs: int) -> dict[str, float | None]:
    """Cold builds with cards off, and on with the card cache warm (as every rebuild and CI with its cache
    restored); and a build that draws every card (cache empty), as cards per second on all cores."""
    site = WORK / f"publisher-{size}-cards"
    shutil.rmtree(site, ignore_errors=True)
    write_corpus(site, size)
    config = site / "publisher.toml"
    plain = config.read_text(encoding="utf-8")
    build = [sys.executable, "-m", "publisher", "build"]

    def colds(keep: list[str]) -> float:
        times = []
        for _ in range(runs):
            reset(site, ["output", ".publisher-cache"], keep)
            times.append(run_timed(build, site)[0])
        return statistics.median(times)

    config.write_text(plain + "\n[social.cards]\nenabled = false\n", encoding="utf-8")
    off = colds([])
    config.write_text(plain, encoding="utf-8")
    drawing = []
    for _ in range(runs):
        reset(site, ["output", ".publisher-cache"], [])
        drawing.append(run_timed(build, site)[0])
    cards = len(list((site / "output" / "social").rglob("*.png")))
    warm = colds([".publisher-cache/cards"])
    drawn = statistics.median(drawing)
    return {"cards_off": off, "cards_warm": warm, "cards_cold": drawn, "cards": cards,
            "cards_per_second": cards / (drawn - off) if drawn > off else None}


def tools() -> list[Tool]:
    found = [Tool("publisher", "publisher", [sys.executable, "-m", "publisher", "build"],
                  [sys.executable, "-m", "publisher", "serve", "--port", "{port}"], "/post-00003/",
                  cold_reset=["output", ".publisher-cache"], cold_keep=[".publisher-cache/cards"],
                  done_line="✓ Built")]
    pelican = ensure_pelican()
    if pelican:
        found.append(Tool("pelican", "pelican", [pelican, "content", "-s", "pelicanconf.py", "-o", "output", "-q"],
                          [pelican, "content", "-s", "pelicanconf.py", "-o", "output", "-q", "--autoreload", "--listen",
                           "--bind", "127.0.0.1", "--port", "{port}"],
                          "/post-00003.html", cold_reset=["output", "cache"]))
    hugo = ensure_hugo()
    if hugo:
        found.append(Tool("hugo", "hugo", [hugo, "--quiet", "--destination", "public"],
                          [hugo, "server", "--bind", "127.0.0.1", "--port", "{port}"],
                          "/posts/post-00003/", cold_reset=["public", "resources"], output="public"))
    return found


def ensure_pelican() -> str | None:
    venv = HERE / ".venv-pelican"
    binary = venv / "bin" / "pelican"
    if not binary.exists():
        print("installing Pelican 4.12 into bench/.venv-pelican ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        result = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "pelican[markdown]==4.12.*"], check=False)
        if result.returncode != 0:
            print("Pelican could not be installed: skipped")
            return None
    return str(binary)


def ensure_hugo() -> str | None:
    if shutil.which("hugo") is None:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "hugo"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if shutil.which("hugo") is None:
        print("Hugo (Debian package) could not be installed: skipped")
        return None
    return shutil.which("hugo")


def table(results: dict[str, dict[str, dict[str, float | None]]]) -> str:
    lines = []
    for title, by_tool in results.items():
        mine = [name for name in by_tool if name.startswith("publisher")]
        peers = [name for name in by_tool if name not in mine]
        header = ["metric", *by_tool, *(f"{m} ÷ {p}" for m in mine for p in peers)]
        lines += [f"\n### {title}\n", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for metric in [m for m in METRICS if any(m in figures for figures in by_tool.values())]:
            row = [LABELS[metric]]
            row += [_fmt(by_tool[name].get(metric)) for name in by_tool]
            for ours in mine:
                for peer in peers:
                    value, theirs = by_tool[ours].get(metric), by_tool[peer].get(metric)
                    row.append(f"{value / theirs:.2f}×" if value is not None and theirs else "–")
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="tools to run (default: all found)")
    parser.add_argument("--corpora", nargs="+", choices=tuple(CORPUS_METRICS), default=list(CORPUS_METRICS))
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    parser.add_argument("--no-cards", action="store_true", help="leave out the link-preview cards section")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    compileall.compile_dir(REPO / "publisher", quiet=1)
    found = [t for t in tools() if not args.only or t.name in args.only]
    results: dict[str, dict[str, dict[str, float | None]]] = {}
    for size in args.sizes:
        for corpus in args.corpora:
            title = f"{size:,} posts, {corpus} corpus"
            results[title] = {}
            for tool in found:
                print(f"{tool.name}, {title} ...", flush=True)
                results[title][tool.name] = measure(tool, size, args.runs, corpus)
                print("  " + ", ".join(f"{m} {_fmt(v)}" for m, v in results[title][tool.name].items()), flush=True)
    cards = {}
    if (not args.only or "publisher" in args.only) and not args.no_cards:
        for size in args.sizes:
            print(f"publisher, {size:,} posts, link-preview cards ...", flush=True)
            cards[size] = measure_cards(size, args.runs)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}"
    print(f"\nMachine: {machine}. Medians of {args.runs} runs.")
    print(table(results))
    for size, figures in cards.items():
        print(f"\n### {size:,} posts, link-preview cards (publisher)\n")
        off, warm = figures["cards_off"], figures["cards_warm"]
        ratio = f"{warm / off:.2f}×" if off and warm is not None else "–"
        print(f"cold build, cards off: {_fmt(off)} s; cards on, card cache warm: {_fmt(warm)} s ({ratio}); "
              f"drawing all {figures['cards']:.0f} cards: {_fmt(figures['cards_cold'])} s, "
              f"{_fmt(figures['cards_per_second'])} cards/s on {os.cpu_count()} cores")
        results[f"{size:,} posts, cards"] = {"publisher": figures}
    args.json.write_text(json.dumps({"machine": machine, "runs": args.runs, "results": results}, indent=2) + "\n")
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
