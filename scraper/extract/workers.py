"""Run :func:`extract_html` over many pages: in this process, or in a pool of worker
processes with a per-page time limit, results always in input order.

The pool itself (per-worker pipes, reorder buffer, deadlines, restarts) is the shared
:class:`scraper.workers.WorkerPool`; this module says what one page job is, how a
worker extracts it (:func:`extract_one`) and warms up (:func:`warm_up`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scraper.errors import InputError
from scraper.extract.core import DEFAULT_OPTIONS, Extracted, ExtractOptions, OutputFormat
from scraper.workers import (
    KILL_GRACE,
    MAX_START_FAILURES,
    QUEUE_PER_WORKER,
    READY,
    STARTUP_TIMEOUT,
    ItemFailure,
    ItemTimeout,
    Labels,
    PoolTask,
    Timer,
    WorkerPool,
    cpu_count,
    time_limit,
)

# The pool's names stay importable from here, where the pool used to live.
__all__ = [
    "DEFAULT_TIMEOUT", "EXTRACTION", "KILL_GRACE", "MAX_START_FAILURES", "QUEUE_PER_WORKER",
    "READY", "STARTUP_TIMEOUT", "Outcome", "PageFailure", "PageJob", "PagePool",
    "PageTimeout", "cpu_count", "extract_one", "time_limit", "warm_up",
]

DEFAULT_TIMEOUT = 30.0
EXTRACTION = Labels(work="extraction", item="page", failed="extract-failed")

PageFailure = ItemFailure  # why a page produced no extraction; becomes a reject
PageTimeout = ItemTimeout  # raised inside the extraction by the soft timer


@dataclass(slots=True)
class PageJob:
    """One page to extract (picklable: it travels to a worker)."""

    data: bytes | str
    source: str
    url: str | None = None
    headers: Mapping[str, str] | None = None
    status: int | None = None  # the HTTP status it was served with, when the input says


Outcome = Extracted | PageFailure


def extract_one(
    job: PageJob,
    output_format: OutputFormat,
    options: ExtractOptions,
    timeout: float | None,
    run: Callable[..., Extracted] | None = None,
) -> Outcome:
    """Extract one page; every failure becomes a :class:`PageFailure`, never an exception.

    ``run`` replaces :func:`extract_html` (same keywords), for tests of the time limit.
    """
    from scraper.extract.core import extract_html

    run = run or extract_html
    timer = Timer()
    try:
        with time_limit(timeout) as timer:
            return run(job.data, url=job.url, headers=job.headers,
                       output_format=output_format, source=job.source, options=options,
                       status=job.status)
    except PageTimeout:
        return EXTRACTION.timed_out(job.source, timeout)
    except InputError as err:
        return PageFailure(err.reason, err.message)
    except RecursionError:
        return PageFailure("too-deep", f"{job.source}: page structure is nested too deeply")
    except MemoryError:
        return PageFailure("too-large", f"{job.source}: ran out of memory on this page")
    except Exception as exc:  # an extractor bug on one page must not end the run
        if timer.expired:  # PageTimeout caught and re-raised as something else
            return EXTRACTION.timed_out(job.source, timeout)
        return EXTRACTION.crashed(job.source, exc)


_SAMPLE = (
    b"<html><head><title>Warm-up</title></head><body><main><h1>Warm-up page</h1>"
    b"<p>This page loads every model and table the extractor uses, once, before the "
    b"first real page, so that loading time never counts against a page's time limit."
    b"</p><ul><li>one</li><li>two</li></ul></main></body></html>"
)
_warm = False


def warm_up() -> None:
    """Import the extraction stack and load its lazy tables (language profiles, block
    model, vocabularies) outside any time limit; later calls do nothing."""
    global _warm
    if _warm:
        return
    _warm = True
    from scraper.extract.core import extract_html

    extract_html(_SAMPLE, url="http://warm-up.invalid/", output_format="text")


ExtractFn = Callable[[PageJob, OutputFormat, ExtractOptions, "float | None"], Outcome]


class PagePool(WorkerPool[PageJob, Extracted]):
    """``workers`` extraction processes with a per-page ``timeout``."""

    def __init__(
        self,
        workers: int,
        *,
        output_format: OutputFormat = "text",
        options: ExtractOptions = DEFAULT_OPTIONS,
        timeout: float | None = DEFAULT_TIMEOUT,
        start_method: str | None = None,
        func: ExtractFn = extract_one,
        kill_grace: float = KILL_GRACE,
    ) -> None:
        """``func`` (a module-level function, so workers can import it) does one page;
        replacing it is for tests of the time limit and of dying workers."""
        task = PoolTask(func, EXTRACTION, (output_format, options, timeout), warm_up)
        super().__init__(workers, task, timeout=timeout, preload="scraper.extract.preload",
                         start_method=start_method, kill_grace=kill_grace)
