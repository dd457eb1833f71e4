"""The configured engine's converter (Markdown to HTML), and converting many bodies over worker processes.

The only module that chooses an engine; `content`, `site` and the rest see only
`RenderedMarkdown`."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from importlib.metadata import version
from typing import Protocol

from publisher.config.model import MarkdownConfig, SiteConfig
from publisher.core.processes import can_fork
from publisher.markdown.commonmark import CommonMarkConverter
from publisher.markdown.result import ConversionFailed, RenderedMarkdown


class Converter(Protocol):
    """Markdown to HTML: what every engine offers."""

    def convert(self, text: str) -> RenderedMarkdown: ...


# Worker processes each keep one converter, made once by `init_worker`. This is
# per-process state of the pool's workers, never touched by the main process.
_worker_converter: Converter | None = None


def make_converter(cfg: MarkdownConfig) -> Converter:
    """The converter of the configured engine (`markdown.engine`)."""
    if cfg.engine == "python-markdown":
        from publisher.markdown.python_markdown import PythonMarkdownConverter  # only its sites pay its import

        return PythonMarkdownConverter(cfg)
    return CommonMarkConverter(cfg)


def engine_version(cfg: MarkdownConfig) -> str:
    """The engine's name and version, for the render cache's key (beside publisher's own code, see
    `build.pipeline._start`)."""
    if cfg.engine == "python-markdown":
        return f"python-markdown {version('markdown')}"
    return f"commonmark: pyromark {version('pyromark')}"


def init_worker(cfg: MarkdownConfig) -> None:
    """Process-pool initializer: one configured converter per worker."""
    global _worker_converter  # noqa: PLW0603 - one converter per worker process, set once by the pool
    _worker_converter = make_converter(cfg)


def convert_in_worker(text: str) -> RenderedMarkdown | ConversionFailed:
    """Process-pool task: convert one body with this worker's converter."""
    assert _worker_converter is not None, "init_worker was not called"
    return convert_safely(_worker_converter, text)


def convert_safely(converter: Converter, text: str) -> RenderedMarkdown | ConversionFailed:
    """`converter.convert(text)`, or why it could not be done (Python-Markdown recurses per nesting level)."""
    try:
        return converter.convert(text)
    except RecursionError:
        return ConversionFailed('nested too deeply for Python-Markdown (a list, quote or emphasis hundreds of '
                                'levels deep); flatten it, or use engine = "commonmark" under [markdown]')


PARALLEL_THRESHOLD = 48  # below this, starting worker processes costs more than it saves


def convert_bodies(bodies: dict[str, str], cfg: SiteConfig,
                   workers: int) -> Iterator[tuple[str, RenderedMarkdown | ConversionFailed]]:
    """Convert each (key, body), in the given order, over `workers` processes when there are enough."""
    items = list(bodies.items())
    if workers <= 1 or len(items) < PARALLEL_THRESHOLD:
        converter = make_converter(cfg.markdown)
        for key, text in items:
            yield key, convert_safely(converter, text)
        return
    # Forking is fastest (workers inherit the imported modules), but is unsafe
    # once other threads run, as they do in `serve`; then start workers afresh.
    context = multiprocessing.get_context("fork" if can_fork() else "spawn")
    chunk = max(1, len(items) // (workers * 8))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker, initargs=(cfg.markdown,)) as pool:
        results = pool.map(convert_in_worker, [text for _, text in items], chunksize=chunk)
        for (key, _), rendered in zip(items, results, strict=True):
            yield key, rendered
