"""Run :func:`extract_html` over many pages: in this process, or in a pool of worker
processes with a per-page time limit, results always in input order.

Why not ``concurrent.futures.ProcessPoolExecutor``: it cannot stop one task. A page
that makes the parser spin (or crash) must cost one ``timeout`` reject, not the batch,
so each worker here has its own pipe; the parent knows which page each worker holds
and since when, kills a worker that overruns its deadline and starts a fresh one.
Inside a worker a timer interrupts Python code first (the worker survives); the kill
is the backstop for time spent inside C code.

Results are released strictly in submission order (a small reorder buffer), so the
output of ``--workers N`` is identical to one worker's.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from scraper.errors import InputError
from scraper.extract.core import DEFAULT_OPTIONS, Extracted, ExtractOptions, OutputFormat

DEFAULT_TIMEOUT = 30.0
KILL_GRACE = 2.0  # seconds past the soft deadline before a worker is killed
QUEUE_PER_WORKER = 4  # pages fetched ahead from the input per worker (bounds memory)
STARTUP_TIMEOUT = 300.0  # a worker that cannot load the extractor in this time is broken
MAX_START_FAILURES = 5
READY = "ready"


@dataclass(slots=True)
class PageJob:
    """One page to extract (picklable: it travels to a worker)."""

    data: bytes | str
    source: str
    url: str | None = None
    headers: Mapping[str, str] | None = None


@dataclass(slots=True)
class PageFailure:
    """Why a page produced no extraction; becomes a reject."""

    reason: str
    message: str


Outcome = Extracted | PageFailure


class PageTimeout(Exception):
    """Raised inside the extraction by the soft timer."""


@dataclass(slots=True)
class _Timer:
    expired: bool = False  # the alarm fired (a library may have re-wrapped PageTimeout)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[_Timer]:
    """Interrupt the block with :class:`PageTimeout` after ``seconds`` (main thread only;
    elsewhere, and on platforms without ``setitimer``, the block runs unbounded)."""
    timer = _Timer()
    if (
        not seconds
        or seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
    ):
        yield timer
        return

    def on_alarm(_signum: int, _frame: object) -> None:
        timer.expired = True
        raise PageTimeout

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield timer
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


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
    timer = _Timer()
    try:
        with time_limit(timeout) as timer:
            return run(job.data, url=job.url, headers=job.headers,
                       output_format=output_format, source=job.source, options=options)
    except PageTimeout:
        return _timed_out(job, timeout)
    except InputError as err:
        return PageFailure(err.reason, err.message)
    except RecursionError:
        return PageFailure("too-deep", f"{job.source}: page structure is nested too deeply")
    except MemoryError:
        return PageFailure("too-large", f"{job.source}: ran out of memory on this page")
    except Exception as exc:  # an extractor bug on one page must not end the run
        if timer.expired:  # PageTimeout caught and re-raised as something else
            return _timed_out(job, timeout)
        return PageFailure("extract-failed", f"{job.source}: extraction failed: {exc!r}")


def _timed_out(job: PageJob, timeout: float | None) -> PageFailure:
    return PageFailure("timeout", f"{job.source}: extraction took longer than {timeout:g}s "
                       "(raise --timeout for very large pages)")


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


def _worker_main(conn: Connection, output_format: OutputFormat, options: ExtractOptions,
                 timeout: float | None, func: ExtractFn) -> None:
    """Worker process: pages in, outcomes out, until the parent sends ``None``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    with suppress(Exception):
        warm_up()
    try:
        conn.send(READY)  # deadlines start now: loading time is not a page's time
    except (BrokenPipeError, OSError):
        return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        seq, job = msg
        outcome = func(job, output_format, options, timeout)
        try:
            conn.send((seq, outcome))
        except (BrokenPipeError, OSError):
            return


class _Worker:
    __slots__ = ("conn", "deadline", "proc", "ready", "seq", "source")

    def __init__(self, ctx: Any, args: tuple[Any, ...]) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, *args), daemon=True)
        self.proc.start()
        child.close()
        self.conn: Connection = parent
        self.ready = False  # True once the worker has loaded the extractor
        self.seq: int | None = None
        self.source = ""
        self.deadline = time.monotonic() + STARTUP_TIMEOUT

    def stop(self, kill: bool = False) -> None:
        if kill:
            with suppress(Exception):
                self.proc.kill()
        else:
            with suppress(Exception):
                self.conn.send(None)
        with suppress(Exception):
            self.proc.join(timeout=5)
        if self.proc.is_alive():
            with suppress(Exception):
                self.proc.kill()
                self.proc.join(timeout=5)
        with suppress(Exception):
            self.conn.close()


class PagePool:
    """``workers`` extraction processes with a per-page ``timeout``; see module doc."""

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
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        method = start_method or ("forkserver" if "forkserver" in
                                  multiprocessing.get_all_start_methods() else "spawn")
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            # Workers fork from a server that has loaded the extractor once (no effect
            # when this process's forkserver is already running).
            self._ctx.set_forkserver_preload(["scraper.extract.preload"])
        self._args = (output_format, options, timeout, func)
        self.timeout = timeout
        self.kill_grace = kill_grace
        self.size = workers
        self.restarts = 0
        self._start_failures = 0
        self._workers: list[_Worker] = []

    def __enter__(self) -> PagePool:
        self._workers = [_Worker(self._ctx, self._args) for _ in range(self.size)]
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        workers, self._workers = self._workers, []
        for w in workers:
            w.stop(kill=w.seq is not None)

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Block until every worker has loaded the extractor (benchmarks, tests)."""
        if not self._workers:
            self.__enter__()
        end = time.monotonic() + timeout
        while not all(w.ready for w in self._workers):
            starting = [w for w in self._workers if not w.ready]
            ready = wait([w.conn for w in starting], timeout=max(end - time.monotonic(), 0))
            for w in starting:
                self._starting(w, w.conn in ready)
            if time.monotonic() > end:
                raise RuntimeError("extraction workers did not start in time")

    def _replace(self, w: _Worker) -> _Worker:
        w.stop(kill=True)
        self.restarts += 1
        fresh = _Worker(self._ctx, self._args)
        self._workers[self._workers.index(w)] = fresh
        return fresh

    def map(self, jobs: Iterable[PageJob]) -> Iterator[tuple[int, Outcome]]:
        """(index, outcome) for every job, in submission order."""
        if not self._workers:
            self.__enter__()
        source = iter(jobs)
        exhausted = False
        next_seq = 0  # next index to submit
        emit = 0  # next index to yield
        done: dict[int, Outcome] = {}
        waiting: deque[tuple[int, PageJob]] = deque()
        limit = self.size * QUEUE_PER_WORKER
        hard = (self.timeout + self.kill_grace) if self.timeout else None
        while True:
            # Read ahead a bounded number of jobs (also bounds the reorder buffer).
            while not exhausted and len(waiting) + len(done) + self._busy() < limit:
                try:
                    job = next(source)
                except StopIteration:
                    exhausted = True
                    break
                waiting.append((next_seq, job))
                next_seq += 1
            for w in list(self._workers):
                if w.ready and w.seq is None and waiting:
                    seq, job = waiting.popleft()
                    try:
                        w.conn.send((seq, job))
                    except (BrokenPipeError, OSError):
                        w = self._replace(w)
                        w.conn.send((seq, job))
                    w.seq, w.source = seq, job.source
                    w.deadline = time.monotonic() + hard if hard else float("inf")
            while emit in done:
                yield emit, done.pop(emit)
                emit += 1
            if exhausted and not waiting and self._busy() == 0:
                return
            busy = [w for w in self._workers if w.seq is not None or not w.ready]
            if not busy:
                continue
            now = time.monotonic()
            wait_for = max(min(w.deadline for w in busy) - now, 0.0)
            ready = wait([w.conn for w in busy], timeout=min(wait_for, 3600.0))
            for w in busy:
                if not w.ready:
                    self._starting(w, w.conn in ready)
                    continue
                if w.conn in ready:
                    try:
                        seq, outcome = w.conn.recv()
                    except (EOFError, OSError):
                        assert w.seq is not None
                        done[w.seq] = PageFailure(
                            "extract-failed",
                            f"{w.source}: the extraction worker died on this page "
                            f"(exit code {w.proc.exitcode})")
                        self._replace(w)
                        continue
                    done[seq] = outcome
                    w.seq = None
                elif time.monotonic() >= w.deadline:
                    assert w.seq is not None
                    done[w.seq] = PageFailure(
                        "timeout", f"{w.source}: extraction took longer than "
                        f"{self.timeout:g}s; the worker was stopped (raise --timeout for "
                        "very large pages)")
                    self._replace(w)

    def _starting(self, w: _Worker, readable: bool) -> None:
        """A worker still loading: mark it ready, or replace it when it died or hangs."""
        if readable:
            try:
                msg = w.conn.recv()
            except (EOFError, OSError):
                msg = None
            if msg == READY:
                w.ready = True
                return
        elif time.monotonic() < w.deadline:
            return
        self._start_failures += 1
        if self._start_failures > MAX_START_FAILURES:
            raise RuntimeError("extraction workers die or hang while starting; "
                               "run with --workers 1 to see the error")
        self._replace(w)

    def _busy(self) -> int:
        return sum(1 for w in self._workers if w.seq is not None)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
