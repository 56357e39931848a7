"""``crawl`` and ``schedule``: one run, or a loop of runs, with lock, signals and rejects.

These hold the crawl state's lock for their whole duration: a cron job that starts
while the previous one (or a ``schedule`` loop) is still running gets
:class:`scraper.errors.StateLockedError` at once and exits with ``EXIT_LOCKED``.
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from scraper.crawl.crawler import CrawlConfig, Crawler, CrawlSummary, RevisitPolicy
from scraper.crawl.output import split_name
from scraper.crawl.sources import Source, load_sources, source_from_urls
from scraper.errors import ConfigError, StateError, UsageError
from scraper.fetch import FetchConfig
from scraper.pipeline import RunContext
from scraper.runner import LazyRejects, graceful_stop
from scraper.state import SqliteState, StateLock
from scraper.writers import check_output


def default_state_path(output: str | None) -> str:
    """``out/articles.jsonl.gz`` -> ``out/articles.crawl.db`` (one state per output)."""
    if not output:
        return "pagewash.crawl.db"
    p = Path(output)
    stem, _ = split_name(p)
    return str(p.with_name(f"{stem}.crawl.db"))


def gather_sources(seeds: Sequence[str], sources: str | None, *, max_depth: int = 2,
                   revisit: float | None = None, pages: Sequence[str] = ()) -> list[Source]:
    """The sources file's sources, and one for the URLs given on the command line (seeds,
    feeds and sitemaps, and the articles of ``--page``)."""
    found: list[Source] = load_sources(sources) if sources else []
    if seeds or pages:
        opts: dict[str, Any] = {}
        if revisit is not None:
            opts["revisit"] = revisit
            opts["discovery_revisit"] = min(revisit, 900.0)
        found.append(source_from_urls(seeds, max_depth=max_depth, pages=pages, **opts))
    if not found:
        raise UsageError("nothing to crawl: give seed URLs, --page URLs or --sources FILE")
    return found


def build_config(output: str | None, *, state: str | None = None, warc: str | None = None,
                 extract: bool = True, fetch: FetchConfig | None = None,
                 **options: Any) -> CrawlConfig:
    if extract and not output:
        raise UsageError("give --output for the article records (or --no-extract --warc)")
    if not extract and not warc:
        raise UsageError("--no-extract saves raw pages only: give --warc FILE")
    if "-" in (output, warc, state):
        # checked before the state is made: a refused run left a state and its lock
        raise ConfigError("crawl output must be a file: it is committed in batches "
                          "together with the crawl state")
    if extract and output:
        check_output(output)  # before the state is locked or anything is fetched
    revisit = options.pop("revisit_policy", None) or RevisitPolicy()
    config = CrawlConfig(output=output, state=state or default_state_path(output or warc),
                         fetch=fetch or FetchConfig(), warc=warc, extract=extract,
                         revisit=revisit, **options)
    check_config(config)
    return config


# (option, field, least value, whether the least value itself is allowed)
_FETCH_LIMITS = (
    ("--concurrency", "concurrency", 1, True), ("--per-host", "per_host", 1, True),
    ("--delay", "delay", 0, True), ("--max-crawl-delay", "max_crawl_delay", 0, True),
    ("--connect-timeout", "connect_timeout", 0, False), ("--timeout", "read_timeout", 0, False),
    ("total_timeout", "total_timeout", 0, False), ("--max-bytes", "max_bytes", 1, True),
    ("--retries", "retries", 1, True),
)
_CRAWL_LIMITS = (
    ("--max-pages", "max_pages", 1, True), ("--max-time", "max_time", 0, False),
    ("--batch-size", "batch_size", 1, True), ("--workers", "workers", 0, True),
)


def check_config(config: CrawlConfig) -> None:
    """Refuse option values that cannot mean anything before the state is locked: a
    concurrency of 0 or a negative page cap made the crawl wait for ever, a NaN delay or a
    negative timeout ran it with no spacing or failed every fetch, each without a word."""
    checks = [(config.fetch, _FETCH_LIMITS), (config, _CRAWL_LIMITS)]
    for obj, limits in checks:
        for option, field_name, least, inclusive in limits:
            value = getattr(obj, field_name)
            if value is None:
                continue
            ok = math.isfinite(value) and (value >= least if inclusive else value > least)
            if not ok:
                bound = f"at least {least}" if inclusive else f"more than {least}"
                raise ConfigError(f"{option} must be {bound}, not {value}")


def _one_run(sources: Sequence[Source], config: CrawlConfig, state: SqliteState,
             ctx: RunContext, err: TextIO) -> CrawlSummary:
    crawler = Crawler(sources, config, state, ctx=ctx, err=err)
    rejects_path = config.rejects or _rejects_path(config, crawler.run_id)
    rejects = LazyRejects(rejects_path)
    ctx.rejects = rejects
    ctx.reject_count = 0
    ctx.reject_reasons.clear()
    try:
        summary = asyncio.run(crawler.run())
    finally:
        path = rejects.close()
    summary.rejects_path = path
    return summary


def _rejects_path(config: CrawlConfig, run_id: str) -> str:
    p = Path(config.output or config.warc or "pagewash")
    stem, _ = split_name(p)
    # Not "<stem>-<run>...": a glob for the record shards must not pick it up.
    return str(p.with_name(f"{stem}.rejects-{run_id}.jsonl"))


@contextmanager
def _state_errors(path: str) -> Iterator[None]:
    """A state database that fails during a run (a damaged page: "database disk image
    is malformed"; a full disk) ended the crawl with a Python traceback and no word of
    which file: it is a :class:`StateError` naming the state, exit status 1."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise StateError(f"{path}: crawl state database error: {exc}; the records "
                         "written so far are kept: restore the state from a backup, "
                         "or give --state a new file (which crawls everything again)"
                         ) from exc


def crawl_sources(sources: Sequence[Source], config: CrawlConfig, *,
                  err: TextIO | None = None, ctx: RunContext | None = None) -> CrawlSummary:
    """One crawl run over ``sources`` (holding the state lock); returns its summary."""
    err = err or sys.stderr
    ctx = ctx or RunContext()
    ctx.on_reject = lambda r: print(f"pagewash: {r.source}: {r.reason}: {r.message}", file=err)
    with StateLock(config.state), _state_errors(config.state):
        state = SqliteState(config.state)
        try:
            with graceful_stop(ctx, _finishing(config)):
                return _one_run(sources, config, state, ctx, err)
        finally:
            state.close()


WAIT_SLICE = 0.5  # seconds


def _finishing(config: CrawlConfig) -> str:
    """What a crawl does after a stop request (see ``Crawler._loop``): it said "the
    current item", the README "the current batch"; it is neither."""
    return (f"the pages in flight ({config.stop_grace:g} s at most; the rest stay due for "
            "the next run) and committing what is done")


def _sleep_until(wake: float, ctx: RunContext) -> None:
    """Wait for ``wake`` or a stop, in short slices. A signal the kernel hands to another
    thread (a pool's, an executor's) only sets a flag the main thread reads when it runs
    Python again: one long wait could sleep through SIGTERM until the next run, and
    ``systemctl stop`` would end by killing the loop."""
    while not ctx.stop.is_set():
        left = wake - time.time()
        if left <= 0:
            return
        ctx.stop.wait(min(left, WAIT_SLICE))


def schedule_sources(sources: Sequence[Source], config: CrawlConfig, *, every: float = 300.0,
                     iterations: int | None = None, err: TextIO | None = None,
                     ctx: RunContext | None = None,
                     on_run: Callable[[CrawlSummary], None] | None = None
                     ) -> list[CrawlSummary]:
    """Crawl again and again: the next run starts when the next URL is due, but at most
    ``every`` seconds after the previous one started. Stops on SIGINT/SIGTERM (as a run
    does, see :func:`_finishing`) or after ``iterations`` runs."""
    if iterations is not None and iterations < 1:
        raise ConfigError(f"--iterations must be at least 1, not {iterations}")
    if not math.isfinite(every) or every < 0:
        raise ConfigError(f"--every must be a finite, non-negative duration, not {every}")
    err = err or sys.stderr
    ctx = ctx or RunContext()
    ctx.on_reject = lambda r: print(f"pagewash: {r.source}: {r.reason}: {r.message}", file=err)
    summaries: list[CrawlSummary] = []
    with StateLock(config.state), _state_errors(config.state):
        state = SqliteState(config.state)
        try:
            with graceful_stop(ctx, _finishing(config)):
                while not ctx.stop.is_set():
                    started = time.time()
                    summary = _one_run(sources, config, state, ctx, err)
                    summaries.append(summary)
                    if on_run is not None:
                        on_run(summary)
                    else:
                        print("\n".join(summary.report_lines()), file=err, flush=True)
                    if iterations is not None and len(summaries) >= iterations:
                        break
                    due = state.next_due()
                    wake = started + every
                    if due is not None:
                        wake = min(wake, due)
                    _sleep_until(max(wake, time.time() + 1.0), ctx)
        finally:
            state.close()
    if ctx.stop.is_set() and summaries:
        # stopped by a signal, in a run or between two: the loop's status says so (130),
        # as every command's does, not the status of the last run it finished
        summaries[-1].stopped = True
    return summaries
