"""The `publisher` command: verbs, their options, and what the user sees.

This is the only module that prints for the user or exits; everything below it
raises `PublisherError`s that this module turns into one line each.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from rich.console import Console
from rich.markup import escape

from publisher import __version__
from publisher.build.inputs import Changes
from publisher.build.launch import EarlyIndex
from publisher.build.model import SiteModel
from publisher.build.options import BuildOptions
from publisher.build.pipeline import (
    Ahead,
    BuildReport,
    UpToDate,
    build,
    build_if_changed,
)
from publisher.build.search import PendingIndex
from publisher.commands.annotations import annotation
from publisher.commands.build_command import VERB, add_build_arguments, add_config, build_options
from publisher.commands.codequality import code_quality_report
from publisher.commands.exits import exit_code, interrupt_behind, stopped_on_terminate
from publisher.commands.scaffold import init_site, new_post
from publisher.commands.scaffold.requirement import installed_requirement
from publisher.config.reader import load_config
from publisher.core.cpus import MB
from publisher.core.errors import BuildFailed, Problem, PublisherError
from publisher.core.text import counted
from publisher.importing import GENERATORS
from publisher.pages.search import IndexStopped
from publisher.share.plan import ShareItem

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from publisher.commands.check import Finding


SIGPIPE_EXIT = 141  # 128 + SIGPIPE: how a shell reports a command that a closed pipe ended
CRASHED = 2  # publisher failed, not the site: as ruff and ESLint say so, apart from 1 (problems of the site)


def main(argv: Sequence[str] | None = None, *, end_process: bool = False, early: EarlyIndex | None = None) -> int:
    """The commands; returns the exit code. `end_process`: a build that succeeded ends the process at once
    (`_end_process`), for the console command (`console`); `early`: Pagefind's early run, as the console command
    started it for `publisher build` before it loaded the commands (`build_command.index_early`)."""
    try:
        return _run(argv, end_process, early)
    finally:
        if early is not None:  # ended by the build; else by this, whatever came of the command line
            early.close()


def _run(argv: Sequence[str] | None, end_process: bool, early: EarlyIndex | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    args.end_process, args.early = end_process, early
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    run: Callable[[argparse.Namespace, Console], int] = args.run
    try:
        with stopped_on_terminate():
            code = run(args, err)
            sys.stdout.flush()  # a reader of the output that went away is found here, not at the exit
            return code
    except BuildFailed as exc:
        verb = run.__name__.removeprefix("_run_")  # `publisher new` with no settings file did not fail a build
        problems = [_from_here(p, getattr(args, "config", None)) for p in exc.problems]
        _print_warnings(err, [_from_here(p, getattr(args, "config", None)) for p in exc.warnings])
        if verb in ("build", "serve"):
            _print_problems(err, problems)
        else:
            _print_problems(err, problems, kept="nothing was written", step=f"publisher {verb}")
        return 1
    except PublisherError as exc:
        err.print(f"error: {exc}", markup=False, style="red")
        return 1
    except BrokenPipeError:  # what read the output went away (`publisher ping --dry-run | head`): nothing to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's flush at exit writes nowhere
        return SIGPIPE_EXIT
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"error: {where}{exc.strerror or exc}", markup=False)
        return 1
    except KeyboardInterrupt as stopped:
        return exit_code(stopped)
    except Exception as error:  # a stop while a module loaded late made its classes (`exits.interrupt_behind`)
        interrupt = interrupt_behind(error)
        if interrupt is None:
            raise
        return exit_code(interrupt)


def console(early: EarlyIndex | None = None) -> NoReturn:
    """The console command, once loaded (`entry.console`), with what it started before (`early`)."""
    try:
        code = main(end_process=True, early=early)
    except KeyboardInterrupt as stopped:  # before `main` took over: while it read the command line
        code = exit_code(stopped)
    except Exception:  # a bug of publisher's: CI tells it from a site's problems (1) by the code
        traceback.print_exc()
        print(f"publisher {__version__} crashed (exit {CRASHED}): a bug in publisher, not a problem of the site; "
              "please report it with the traceback above", file=sys.stderr)
        code = CRASHED
    sys.exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="publisher",
                                     description="Build a brand content hub from a folder of Markdown.")
    parser.add_argument("--version", action="version", version=f"publisher {__version__}")
    verbs = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    b = verbs.add_parser(VERB, help="build the site into output/", description="Build the site into its output folder.")
    add_build_arguments(b)
    b.set_defaults(run=_run_build)

    c = verbs.add_parser("check", help="find broken links, missing alt text and other problems (for CI)",
                         description="Build into a temporary folder and report broken internal links and images, "
                                     "missing summaries and alt text, and duplicate titles. Exit 1 on errors, "
                                     "and on warnings too with --strict.")
    add_config(c)
    c.add_argument("--strict", action="store_true", help="exit 1 on warnings as well")
    c.add_argument("--drafts", action="store_true", help="check drafts too")
    c.add_argument("--future", action="store_true", help="check posts dated in the future too")
    c.add_argument("--format", choices=("text", "json", "github", "gitlab"), default="text",
                   help="output format (default: text; github: GitHub Actions annotations on the files' lines; "
                        "gitlab: a GitLab Code Quality report, for artifacts:reports:codequality)")
    c.add_argument("--previous", metavar="FILE|URL",
                   help="a sitemap or a list of URLs (a file, or the live site's sitemap URL) whose every URL must "
                        "still have a page or a redirect; default: publisher.urls")
    c.set_defaults(run=_run_check)

    s = verbs.add_parser("serve", help="preview the site with live reload",
                         description="Build, serve on 127.0.0.1, rebuild on every save and reload open browser tabs.")
    add_config(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    s.add_argument("--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)")
    s.add_argument("--no-drafts", dest="drafts", action="store_false", help="hide posts marked draft: true")
    s.add_argument("--no-future", dest="future", action="store_false", help="hide posts dated in the future")
    s.set_defaults(run=_run_serve)

    sh = verbs.add_parser("share", help="preview a post's share texts for each network",
                          description="Print each network's text for a post (drafts and future posts too), its count "
                                      "against the network's limit, the link and when it goes out.")
    sh.add_argument("post", type=Path, help="the post's Markdown file, e.g. content/posts/my-post.md")
    add_config(sh)
    sh.add_argument("--json", action="store_true", help="print the items as JSON (as in share.json)")
    sh.set_defaults(run=_run_share)

    e = verbs.add_parser("engines", help="list the pages whose text reads differently with the other Markdown engine",
                         description="Convert every post, page and offer with both Markdown engines (CommonMark and "
                                     "Python-Markdown) and print, for each whose text differs, the first change.")
    add_config(e)
    e.set_defaults(run=_run_engines)

    a = verbs.add_parser("audit", help="audit the hub: funnel, clusters, links, keyphrases, stale posts, readability",
                         description="Audit the published posts (funnel coverage, cluster links, orphan posts and "
                                     "where to link them from, keyphrases, posts due a refresh, readability) and "
                                     "write the report to .publisher/audit.html next to the config, or print it "
                                     "as JSON. Exit 0, unless a rule named by --fail-on found something.")
    add_config(a)
    a.add_argument("--format", choices=("html", "json", "github", "gitlab"), default="html",
                   help="html: write .publisher/audit.html and print its path (default); json: print the audit; "
                        "github: print the findings as GitHub Actions annotations; gitlab: as a GitLab Code "
                        "Quality report")
    a.add_argument("--fail-on", metavar="RULES", type=_audit_rules, default=(),
                   help="comma-separated rule ids (e.g. links.orphan,keyphrase.duplicate) or sections (e.g. "
                        "cluster): exit 1 when any of them finds something")
    a.set_defaults(run=_run_audit)

    i = verbs.add_parser("init", help="start a new site in a folder",
                         description="Create a working site: settings, a first post, a CTA and a GitHub Pages "
                                     "workflow.")
    i.add_argument("directory", type=Path, help="folder to create the site in (must be empty or absent)")
    i.add_argument("--title", default="My Content Hub", help="site title")
    i.add_argument("--url", default="https://example.com/", help="absolute URL the site will live at")
    i.set_defaults(run=_run_init)

    m = verbs.add_parser("import", help="turn a Jekyll, Hugo or Eleventy site, or a WordPress or Ghost export, "
                                        "into a publisher site",
                         description="Copy posts, drafts, pages, authors and static files from SOURCE into a new "
                                     "publisher site in DEST, every post at its old URL, template code in bodies "
                                     "rewritten into publisher's shortcodes (a WordPress or Ghost post's HTML "
                                     "into Markdown); then print what was converted and what needs a shortcode of the "
                                     "site's own.")
    m.add_argument("generator", choices=GENERATORS, help="what SOURCE was built with")
    m.add_argument("source", type=Path, help="the existing site's folder (for wordpress: the export file, "
                                             "from Tools → Export; for ghost: the JSON file from Settings → "
                                             "Advanced → Import/Export → Export content)")
    m.add_argument("dest", type=Path, help="folder for the publisher site")
    m.add_argument("--force", action="store_true", help="replace files that already exist in DEST")
    m.add_argument("--permalink", help="the posts' URL pattern, when the source computes it in JavaScript "
                                       "(e.g. /blog/{year}/{slug}/)")
    m.add_argument("--url", help="the site's address, for a Ghost export, which does not hold it "
                                 "(e.g. https://notes.example.com/): links to it become paths")
    m.set_defaults(run=_run_import)

    p = verbs.add_parser("ping", help="tell search engines (IndexNow) and a WebSub hub what the last build changed",
                         description="Compare the built site's manifest (output/publisher-manifest.json) with the "
                                     "previous one and submit the new, changed and removed page URLs to IndexNow "
                                     "and the changed feeds to the WebSub hub. Run it after deploying; run it with "
                                     "--fetch-previous before deploying, to keep the live site's manifest to "
                                     "compare with.")
    add_config(p)
    p.add_argument("--output", type=Path, help="the built site (default: output/ next to the config)")
    p.add_argument("--fetch-previous", action="store_true",
                   help="before a deploy: keep the live site's manifest in .publisher/previous-manifest.json; "
                        "send nothing")
    p.add_argument("--previous", metavar="FILE|URL",
                   help="the manifest to compare with (default: .publisher/previous-manifest.json)")
    p.add_argument("--all", dest="everything", action="store_true",
                   help="submit every page and feed, changed or not (e.g. the first time)")
    p.add_argument("--dry-run", action="store_true", help="print what would be sent, and send nothing")
    p.set_defaults(run=_run_ping)

    n = verbs.add_parser("new", help="create a new post",
                         description="Create content/posts/<slug>.md with its front matter filled in.")
    n.add_argument("title", help="title of the post")
    add_config(n)
    n.set_defaults(run=_run_new)
    return parser


def _run_build(args: argparse.Namespace, err: Console) -> int:
    options = build_options(args)
    with _collector_paused():
        with _ProgressDisplay(err) as progress:
            report = build_if_changed(options, progress.update, early=args.early)
        _print_summary(err, report)
        if args.timings:
            timings = " · ".join(f"{stage} {seconds:.2f} s" for stage, seconds in report.timings.items())
            err.print("  " + timings + _pool_size(report), markup=False)
        if args.end_process:
            _end_process(0)
    return 0


def _pool_size(report: BuildReport | UpToDate) -> str:
    """For `--timings`: the workers each pool of a build could start, which a CI runner's or container's
    processors decide (`core.cpus`), and its memory when that held them below one per processor ("· 4 worker
    processes a pool, not 8: memory.max 2,048 MB holds the build and 4"); nothing for a build that was
    skipped. One is none: the build's own process does the work."""
    if isinstance(report, UpToDate):
        return ""
    workers = report.workers
    said = " · no worker processes" if workers.count <= 1 else f" · {workers.count} worker processes a pool"
    if workers.memory is None:
        return said
    held = "none" if workers.count <= 1 else str(workers.count)
    return (f"{said}, not {workers.processors}: {workers.memory.source} {workers.memory.bytes // MB:,} MB holds "
            f"the build and {held}")


def _end_process(code: int) -> NoReturn:
    """End the process now, its output flushed, without a last pass of the cycle collector over what the build
    made nor releasing it object by object: at 10,000 posts those took 0.6 s and 0.5 s on the way out (mypy
    ends the same way). Only for the console command, once the build's files and caches are written and
    closed."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for a build, which makes hundreds of thousands of objects that live to
    its end (the posts, their pages' plans, the model read from the cache): each collection the interpreter
    starts on its own walks all of them again, a third of a one-post build at 10,000 posts. A build leaves
    next to no cyclic garbage (about 1,300 objects after a cold build of 1,000 posts), so nothing grows."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _run_share(args: argparse.Namespace, err: Console) -> int:
    from publisher.build.pipeline import preview_share

    root = args.config.resolve().parent
    try:
        source = args.post.resolve().relative_to(root).as_posix()
    except ValueError:
        raise PublisherError(f"{args.post}: not a file of the site next to {args.config}") from None
    if not args.post.is_file():  # a typo: it is no post because it is nothing, and the site need not be built
        raise PublisherError(f"{args.post}: no such file (a post is a Markdown file under content/posts/)")
    plan, site = preview_share(BuildOptions(config=args.config), source)
    if not any(e.post.source == source for e in site.posts):
        raise PublisherError(f"{args.post}: not a post (only files under content/posts/ are shared)")
    items = sorted(plan.items, key=lambda i: (plan.networks.index(i.network), i.scheduled))
    if args.json:
        print(json.dumps([_item_record(item) for item in items], ensure_ascii=False, indent=2))
        return 1 if any(item.problem for item in items) else 0
    out = Console(highlight=False, soft_wrap=True)
    if not items:
        out.print(f"{source}: nothing to share (share: skip, or no networks)", markup=False)
    zone = _scheduler_zone_line(args.config)
    if zone:
        out.print(zone, markup=False, style="dim")
    for item in items:
        over = bool(item.problem)
        out.print(f"[bold]{item.network}[/] · {item.variant} · {item.scheduled:%Y-%m-%d %H:%M %Z} · "
                  f"[{'bold red' if over else 'green'}]{item.count}/{item.limit} {item.unit}[/]"
                  + (f" [bold red]over the limit: {escape(item.problem)}[/]" if over else ""))
        if item.title:
            out.print(f"  title: {item.title}", markup=False)
        for line in item.text.split("\n"):
            out.print(f"  │ {line}", markup=False)
        if item.portable_text:  # Bluesky: what CSV and RSS carry, where no facet can link the label
            out.print("  in CSV and RSS, the link in full:", markup=False, style="dim")
            for line in item.portable_text.split("\n"):
                out.print(f"  │ {line}", markup=False)
        out.print(f"  link: {item.link}", markup=False, style="dim")
        out.print()
    return 1 if any(item.problem for item in items) else 0


def _item_record(item: ShareItem) -> dict[str, Any]:
    """A share item as JSON-ready data."""
    data = asdict(item)
    data["scheduled"] = item.scheduled.isoformat()
    return data


def _run_check(args: argparse.Namespace, err: Console) -> int:
    from publisher.commands.check import Finding, check_site, in_report_order

    try:
        findings = check_site(BuildOptions(config=args.config, drafts=args.drafts, future=args.future),
                              previous=args.previous)
    except BuildFailed as exc:  # the site does not build: every problem is an error finding, beside the warnings
        findings = in_report_order([*(Finding(problem, "error") for problem in exc.problems),
                                    *(Finding(problem, "warning") for problem in exc.warnings)])
    # As `build` names them: a CI job that checks `site/publisher.toml` from the repository's root, or an editor
    # jumping to a line, opens `site/content/...`, not `content/...`.
    findings = [replace(finding, problem=_from_here(finding.problem, args.config)) for finding in findings]
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if args.format == "json":
        findings_data = [f.as_dict() for f in findings]
        print(json.dumps({"errors": errors, "warnings": warnings, "findings": findings_data}, indent=2))
    else:
        _print_findings(findings, args.format)
        err.print(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}", markup=False,
                  style="red" if errors else "green")
    return 1 if errors or (args.strict and warnings) else 0


def _print_findings(findings: list[Finding], form: str) -> None:
    """`check`'s findings on stdout: a line each (`text`), else as `_print_for_ci` prints them."""
    if form in ("github", "gitlab"):
        _print_for_ci(form, [(f.severity, f.problem, f"publisher check ({f.problem.field})") for f in findings])
        return
    for finding in findings:
        print(f"{finding.severity}: {finding.problem}")


def _print_for_ci(form: str, findings: list[tuple[str, Problem, str]]) -> None:
    """Findings (each a level: error, warning or notice; the problem; the name of the check that found it) on
    stdout for a CI: a GitHub Actions annotation each (`github`), or one GitLab Code Quality report of them all
    (`gitlab`)."""
    if form == "gitlab":
        print(code_quality_report((_CODE_QUALITY_SEVERITY[level], problem, check)
                                  for level, problem, check in findings), end="")
        return
    for level, problem, check in findings:
        print(annotation(level, problem, check))


# As ESLint's GitLab formatter ranks them: an error above a warning in the merge request, neither a blocker; the
# audit's advice (a rule `--fail-on` does not name) as information.
_CODE_QUALITY_SEVERITY = {"error": "major", "warning": "minor", "notice": "info"}


def _port(text: str) -> int:
    """A TCP port, 0 to 65535 (0: a free one): a number past them stopped `serve` with a traceback."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: 0 to 65535 (0 picks a free one)")
    return port


def _run_serve(args: argparse.Namespace, err: Console) -> int:
    from publisher.commands.serve import Rebuilt, Tabs, serve

    root = args.config.resolve().parent
    output = root / ".publisher-cache" / "serve"
    indexer = _SearchIndexer(err)
    model = SiteModel()  # what each build made, kept for the next: a save re-makes only what it changed

    def rebuild(url: str, changes: Changes | None, tabs: Tabs) -> Rebuilt:
        with indexer.building():  # a search index still in the making is dropped: these pages are newer
            return build_and_report(url, changes, Ahead(tabs.open_pages(), tabs.reload))

    def options(url: str) -> BuildOptions:
        return BuildOptions(config=args.config, output=output, drafts=args.drafts, future=args.future, base_url=url,
                            team_files=False,  # .publisher/ keeps the site's own URLs, not the preview's
                            search_later=True)

    def served() -> str:
        """What a failed build leaves served: a site no build made yet (the first failed, nothing kept) is none."""
        if (output / "index.html").is_file():
            return "the last good site is still served"
        return "no site is served until a save fixes this"

    def build_and_report(url: str, changes: Changes | None, ahead: Ahead) -> Rebuilt:
        try:
            report = build_if_changed(options(url), model=model, changes=changes, ahead=ahead)
        except BuildFailed as exc:
            _print_warnings(err, exc.warnings)
            _print_problems(err, exc.problems, kept=served())
            return Rebuilt([str(problem) for problem in exc.problems])
        except OSError as exc:  # the disk full, say: shown as a build's problem, and the next save tries again
            problem = f"{exc.filename}: {exc.strerror or exc}" if exc.filename else str(exc.strerror or exc)
            err.print(problem, markup=False, style="red", soft_wrap=True)
            _print_failure(err, 1, served(), "Build")
            return Rebuilt([problem])
        _print_summary(err, report)
        indexer.start(report)
        return Rebuilt([], report.stats.changed if isinstance(report, BuildReport) else frozenset())

    def ready(url: str) -> None:
        print(f"Serving {url}  (Ctrl-C to stop)", flush=True)
        if not model.warm:  # the site was up to date: fill the model now, so the first save is as quick as later ones
            with indexer.lock:  # writes no page: an index being made of these pages stays good
                _warm_up(options(url), model, index_current=not indexer.pending)

    try:
        serve(root, output, args.host, args.port, rebuild, ready)
    except KeyboardInterrupt:
        pass
    finally:
        indexer.stop()
    return 0


def _warm_up(options: BuildOptions, model: SiteModel, *, index_current: bool) -> None:
    """Build into a model from output that is up to date: every page is current, so nothing is written; a
    problem is left for the next save's build to report. `index_current`: the search index on disk is the one
    of these very pages (else the one being made will say so once written)."""
    try:
        report = build(options, model=model)
    except BuildFailed:
        return
    if report.search_index is not None and index_current:
        report.search_index.done()


@dataclass(frozen=True)
class _IndexRun:
    """A search index in the making: its thread, and what stops its Pagefind."""

    thread: threading.Thread
    stop: threading.Event


class _SearchIndexer:
    """`serve`'s search index, made on a thread of its own once the pages are written, so open tabs reload
    without waiting for Pagefind. A save while Pagefind runs does not wait for it either: the build goes
    ahead, and the index of the older pages is stopped, or, if already made, dropped rather than written over
    newer ones. The next index starts once the older run has ended, so two Pagefinds never share the kept
    parts. One lock keeps a build and an index from writing the output folder at the same time."""

    def __init__(self, err: Console) -> None:
        self.err = err
        self.runs: list[_IndexRun] = []
        self.lock = threading.Lock()
        self.generation = 0  # of the pages on disk; an index made for an older one is stale
        self.pending = False  # the pages on disk wait for their index

    @contextmanager
    def building(self) -> Iterator[None]:
        with self.lock:
            self.generation += 1
            for run in self.runs:  # what they index is about to be replaced
                run.stop.set()
            yield

    def start(self, report: BuildReport | UpToDate) -> None:
        pending = report.search_index
        if pending is None:
            return
        self.pending = True
        older = [run for run in self.runs if run.thread.is_alive()]
        stop = threading.Event()
        thread = threading.Thread(target=self._write, args=(pending, self.generation, stop, older),
                                  name="search index", daemon=True)
        thread.start()
        self.runs = [*older, _IndexRun(thread, stop)]

    def wait(self) -> None:
        """Until every index started is written, stopped or dropped."""
        for run in self.runs:
            run.thread.join()
        self.runs = []

    def stop(self) -> None:
        """`serve` stopping: Pagefind is stopped and the index it was making dropped (the next start makes it);
        an index being written is finished first, so `pagefind/` is never left half-written."""
        for run in self.runs:
            run.stop.set()
        self.wait()

    def _write(self, pending: PendingIndex, generation: int, stop: threading.Event, older: list[_IndexRun]) -> None:
        for run in older:  # told to stop when this build began
            run.thread.join()
        if stop.is_set():  # a newer build began meanwhile, or serve is stopping: no Pagefind to start and stop
            return
        started = time.perf_counter()
        with self.lock:
            if generation != self.generation:
                return
            pending.record_pages()  # a start after a stop before the index is written makes only the index
        try:
            index = pending.prepare(stop)
            with self.lock:
                if generation != self.generation:
                    index.close()
                    return  # newer pages are on disk; their own index follows
                pending.commit(index)
                self.pending = False
        except IndexStopped:
            return
        except BuildFailed as exc:
            for problem in exc.problems:
                self.err.print(f"warning: search index not updated: {problem}", markup=False, style="yellow")
            return
        self.err.print(f"  search index updated ({time.perf_counter() - started:.2f} s)", markup=False)


def _run_engines(args: argparse.Namespace, err: Console) -> int:
    from publisher.commands.engines import engine_differences

    compared = engine_differences(args.config)
    for difference in compared.differences:
        print(f"{difference.source}: {difference.ours}")
        print(f"{' ' * len(difference.source)}  with {compared.theirs}: {difference.theirs}")
    err.print(f"{counted(len(compared.differences), 'file')} read differently with {compared.theirs} than with "
              f"{compared.ours} (this site's engine).", markup=False, highlight=False)
    if compared.problems:
        problems = [_from_here(p, args.config) for p in compared.problems]
        _print_problems(err, problems, kept="those files were not compared", step="Comparison")
        return 1
    return 0


def _audit_rules(text: str) -> tuple[str, ...]:
    from publisher.commands.audit import rule_names  # the audit's libraries load only for `audit`

    return rule_names(text)


def _run_audit(args: argparse.Namespace, err: Console) -> int:
    from publisher.commands.audit import failed_rules, run_audit, write_audit_page
    from publisher.editorial.audit_report import audit_json

    try:
        audit, cfg = run_audit(args.config)
    except BuildFailed as exc:
        problems = [_from_here(p, args.config) for p in exc.problems]
        warnings = [_from_here(p, args.config) for p in exc.warnings]
        if args.format not in ("github", "gitlab"):
            _print_warnings(err, warnings)
            _print_problems(err, problems, kept="nothing was audited")
            return 1
        # Each at its line, as `check` shows them for CI, and once: the log shows an annotation's message.
        levels = [("error", problem) for problem in problems] + [("warning", warning) for warning in warnings]
        _print_for_ci(args.format, [(level, problem, f"publisher audit ({problem.field})")
                                    for level, problem in levels])
        _print_failure(err, len(problems), "nothing was audited", "Build")
        return 1
    failed = failed_rules(audit, args.fail_on)
    if args.format == "json":
        print(audit_json(audit), end="")
    else:
        counts = [f"{rule} {audit.count(rule)}" for rule in dict.fromkeys(f.rule for f in audit.findings)]
        err.print(f"Audited {counted(audit.posts, 'post')}: " + (", ".join(counts) or "nothing found"), markup=False)
    if args.format in ("github", "gitlab"):  # advice, but for the rules that fail the job
        _print_for_ci(args.format, [("error" if finding.rule in failed else "notice",
                                     _from_here(finding.problem, args.config), f"publisher audit ({finding.rule})")
                                    for finding in audit.findings])
    elif args.format == "html":
        print(_shown(write_audit_page(audit, args.config.resolve().parent, cfg.edit_url)))
    if failed:
        err.print(f"✗ findings for {', '.join(failed)} (--fail-on)", markup=False, style="bold red")
    return 1 if failed else 0


def _run_init(args: argparse.Namespace, err: Console) -> int:
    requirement = installed_requirement()
    created = init_site(args.directory, title=args.title, url=args.url, requirement=requirement)
    err.print(f"Created a site in {args.directory}/ ({len(created)} files).", markup=False)
    err.print(f"requirements.txt (what CI installs): {requirement.line} ({requirement.reason})", markup=False)
    if requirement.warning:
        err.print(f"warning: {requirement.warning}", markup=False, style="yellow", soft_wrap=True)
    err.print(f"Next: cd {args.directory} && publisher build", markup=False)
    return 0


def _scheduler_zone_line(config: Path) -> str:
    """The line `publisher share` says about scheduler CSV times (their zone is not written in them)."""
    cfg, _ = load_config(config)
    zone = cfg.share.scheduler_timezone or cfg.timezone
    origin = "[share] scheduler_timezone" if cfg.share.scheduler_timezone else "the site's time zone"
    pinterest = " Pinterest's own (share/pinterest/) give them in UTC, as it reads them." \
        if cfg.share.pinterest_board else ""
    return f"Scheduler CSV files (share/<scheduler>/<network>/<week>.csv) give times in {zone} ({origin}).{pinterest}"


def _run_import(args: argparse.Namespace, err: Console) -> int:
    from publisher.importing.site import import_site, import_summary, write_files  # only this command reads sites

    if args.generator == "wordpress" and not args.source.is_file():
        raise PublisherError(f"{args.source}: no such file (the WordPress export to import: Tools → Export)")
    if args.generator == "ghost" and not args.source.is_file():
        raise PublisherError(f"{args.source}: no such file (the Ghost export to import: Settings → Advanced → "
                             "Import/Export → Export content)")
    if args.generator not in ("wordpress", "ghost") and not args.source.is_dir():
        raise PublisherError(f"{args.source}: no such folder (the {args.generator} site to import)")
    try:
        imported = import_site(args.generator, args.source, args.permalink, args.url)
    except BuildFailed as failed:  # the old site's settings or data files: nothing is written
        _print_problems(err, failed.problems, "nothing was written", step="Import")
        return 1
    write_files(imported.files, args.dest, args.force)
    for line in import_summary(imported, args.dest):
        err.print(line, markup=False, soft_wrap=True)
    return 0


def _run_ping(args: argparse.Namespace, err: Console) -> int:
    from publisher.commands.ping import PingOptions, ping

    options = PingOptions(config=args.config, output=args.output, previous=args.previous,
                          everything=args.everything, dry_run=args.dry_run, fetch_previous=args.fetch_previous)
    failures = ping(options, lambda line: print(line, flush=True))
    for failure in failures:
        err.print(f"error: {failure}", markup=False, style="red", soft_wrap=True)
    return 1 if failures else 0


def _run_new(args: argparse.Namespace, err: Console) -> int:
    path = new_post(args.config, args.title)
    print(path)
    err.print("Created as a draft: remove 'draft: true' to publish it.", markup=False)
    return 0


def _from_here(problem: Problem, config: Path | None) -> Problem:
    """Problems name files relative to the site; show them relative to where the user is."""
    if config is None or Path(problem.path).is_absolute():
        return problem
    root = config.resolve().parent
    if root == Path.cwd().resolve() or not (root / problem.path).exists():
        return problem
    return replace(problem, path=os.path.relpath(root / problem.path))


def _print_problems(err: Console, problems: list[Problem],
                    kept: str = "the previous output was left unchanged", *, step: str = "Build") -> None:
    for problem in problems:
        err.print(str(problem), markup=False, style="red", soft_wrap=True)
    _print_failure(err, len(problems), kept, step)


def _print_failure(err: Console, count: int, kept: str, step: str) -> None:
    """The last line of a failed step: how many problems, and what was left as it was."""
    err.print(f"✗ {step} failed: {counted(count, 'problem')}; {kept}.", markup=False, style="bold red")


def _print_warnings(err: Console, warnings: Sequence[Problem]) -> None:
    for warning in warnings:
        err.print(f"warning: {warning}", markup=False, style="yellow", soft_wrap=True)


def _print_summary(err: Console, report: BuildReport | UpToDate) -> None:
    summary = report.summary
    _print_warnings(err, summary.warnings)
    if isinstance(report, UpToDate):
        err.print(f"✓ Up to date: {counted(summary.posts, 'post')} and {counted(summary.pages, 'page')}, "
                  f"nothing changed since the last build ({report.seconds:.2f} s) → {_shown(report.output_dir)}/",
                  markup=False, style="bold green")
        files = f"files {summary.files}"
    else:
        stats = report.stats
        err.print(f"✓ Built {counted(summary.posts, 'post')} and {counted(summary.pages, 'page')} "
                  f"in {report.seconds:.2f} s → {_shown(report.output_dir)}/",
                  markup=False, style="bold green")
        files = f"files {stats.total} ({stats.written} written, {stats.unchanged} unchanged, {stats.removed} removed)"
    err.print(f"  {files} · tags {summary.tags} · authors {summary.authors} · "
              f"warnings {len(summary.warnings)}", markup=False)
    if summary.hidden_drafts or summary.hidden_future:
        err.print(f"  left out: {counted(summary.hidden_drafts, 'draft')} (--drafts), "
                  f"{summary.hidden_future} scheduled (--future)", markup=False)
    if summary.next_post is not None:
        when, source = summary.next_post
        err.print(f"  next scheduled post: {when} {source} (build again then to publish it)", markup=False)
    if summary.share_networks:
        nxt = (f"; next due {summary.next_share} (build again then so the network feeds carry it)"
               if summary.next_share else "")
        err.print(f"  share feed: {counted(summary.share_items, 'item')} on "
                  f"{counted(summary.share_networks, 'network')}, {summary.share_upcoming} upcoming{nxt}", markup=False)


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


class _ProgressDisplay:
    """A progress bar on a terminal, only once a build has run longer than a moment."""

    DELAY = 0.5

    def __init__(self, console: Console) -> None:
        self.console = console
        self.started = time.perf_counter()
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> _ProgressDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, stage: str, done: int, total: int) -> None:
        if not self.console.is_terminal or time.perf_counter() - self.started < self.DELAY:
            return
        if self.progress is None or self.task is None:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn  # only to show it

            self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     console=self.console, transient=True)
            self.progress.start()
            self.task = self.progress.add_task(stage, total=total)
        self.progress.update(self.task, description=stage, completed=done, total=total)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
