"""Run one module-level task function over many items in a pool of worker processes,
with a per-item time limit and results always in input order.

Shared by ``pagewash extract --workers`` (:mod:`scraper.extract.workers`) and
``pagewash clean --workers`` (:mod:`scraper.steps.clean_workers`); those modules say
what one item is and how it is processed, this one only moves items and outcomes.

Why not ``concurrent.futures.ProcessPoolExecutor``: it cannot stop one task. An item
that makes the task spin (or crash) must cost one ``timeout`` reject, not the batch,
so each worker here has its own pipe; the parent knows which item each worker holds
and since when, kills a worker that overruns its deadline and starts a fresh one.
Inside a worker a timer (:func:`time_limit`, used by the task function) interrupts
Python code first (the worker survives); the kill is the backstop for time spent
inside C code.

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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, Protocol, TypeVar

from scraper.errors import WorkerError

# Imported by a pool's forkserver before anything else (see that module).
FORKSERVER_FIRST = "scraper.forkserver_signals"
KILL_GRACE = 2.0  # seconds past the soft deadline before a worker is killed
# Items fetched ahead of the one to emit next, per worker, and their bytes in all. The
# reorder buffer must be deep: one slow item (an 8 MB document) holds back everything
# after it, and with 4 per worker the other workers sat idle for 43 s behind one. The
# byte bound keeps memory in check however deep the buffer is.
QUEUE_PER_WORKER = 64
QUEUE_BYTES = 64 * 2**20
STARTUP_TIMEOUT = 300.0  # a worker that cannot load its models in this time is broken
MAX_START_FAILURES = 5
READY = "ready"


class Job(Protocol):
    """What the pool needs of a job: the name of the item, for failure messages."""

    @property
    def source(self) -> str: ...


JobT = TypeVar("JobT", bound=Job)
ResultT = TypeVar("ResultT")


@dataclass(slots=True)
class ItemFailure:
    """Why an item produced no result; the step turns it into a reject."""

    reason: str
    message: str


MAX_ERROR_CHARS = 300


def describe(exc: BaseException) -> str:
    """An exception for a reject message, cut short: a codec error's repr holds the
    whole document it failed on, and a reject names the item, it does not copy it."""
    text = repr(exc)
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


@dataclass(frozen=True, slots=True)
class Labels:
    """How one command names its work in messages, so that a reject says "cleaning"
    or "extraction" and "document" or "page" as the user knows them."""

    work: str  # "extraction", "cleaning"
    item: str  # "page", "document"
    failed: str  # reject reason when the task fails or its worker dies

    def died(self, source: str, exitcode: int | None) -> ItemFailure:
        return ItemFailure(self.failed, f"{source}: the {self.work} worker died on this "
                           f"{self.item} (exit code {exitcode})")

    def crashed(self, source: str, exc: BaseException) -> ItemFailure:
        return ItemFailure(self.failed, f"{source}: {self.work} failed: {describe(exc)}")

    def timed_out(self, source: str, timeout: float | None, *, stopped: bool = False
                  ) -> ItemFailure:
        limit = f"{timeout:g}s" if timeout else "the time limit"
        killed = "; the worker was stopped" if stopped else ""
        return ItemFailure("timeout", f"{source}: {self.work} took longer than {limit}"
                           f"{killed} (raise --timeout for very large {self.item}s)")


class ItemTimeout(Exception):
    """Raised inside the task by the soft timer of :func:`time_limit`."""


@dataclass(slots=True)
class Timer:
    expired: bool = False  # the alarm fired (a library may have re-wrapped ItemTimeout)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[Timer]:
    """Interrupt the block with :class:`ItemTimeout` after ``seconds`` (main thread only;
    elsewhere, and on platforms without ``setitimer``, the block runs unbounded)."""
    timer = Timer()
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
        raise ItemTimeout

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield timer
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass(frozen=True, slots=True)
class PoolTask:
    """What every worker runs, sent to it once at start (so it must pickle): ``func``
    (module-level, so a worker can import it) is called as ``func(job, *args)`` per
    item; ``warm_up`` loads models before the worker says it is ready, so loading time
    never counts against an item's time limit."""

    func: Callable[..., Any]
    labels: Labels
    args: tuple[Any, ...] = ()
    warm_up: Callable[[], None] | None = None


_TRIM: Callable[[int], int] | bool | None = False  # False: not looked up yet


def release_memory() -> None:
    """Hand the heap memory freed since the last call back to the operating system
    (glibc's ``malloc_trim``; a no-op on other C libraries).

    glibc keeps what a large page's parse trees freed for reuse by this process, and
    returns little of it by itself: a crawl's extraction worker kept the high-water
    mark of its largest pages, about 15 MB more after 200 news pages, and the crawl's
    peak memory grew with each worker. Trimming costs well under a millisecond a page.
    """
    global _TRIM
    if _TRIM is False:
        import ctypes
        import ctypes.util

        try:
            name = ctypes.util.find_library("c")
            _TRIM = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
        except OSError:
            _TRIM = None
    if callable(_TRIM):
        _TRIM(0)


def leave_stopping_to_parent() -> None:
    """Ignore SIGINT and SIGTERM in a pool's helper processes (forkserver and workers).

    A Ctrl-C at a terminal, or ``systemctl stop``, signals the whole process group. The
    parent then stops at a document boundary and ends its workers itself; a worker
    killed by the signal first would turn the documents it held into "worker died"
    rejects, and a forkserver still loading models would print a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def exit_with(pid: int, interval: float = 1.0) -> None:
    """End this process soon after process ``pid`` is gone (killed with ``kill -9``).

    A pool worker that waits on a queue whose other end it also holds never sees its
    parent die (``concurrent.futures`` workers under the crawl), and ignores the
    signals that would end it (:func:`leave_stopping_to_parent`): without this, every
    crawl killed by cron's ``timeout -s KILL`` or the OOM killer left its workers behind.
    A daemon thread checks every ``interval`` seconds; a zombie counts as gone.
    """

    def watch() -> None:
        while True:
            time.sleep(interval)
            if _gone(pid):
                os._exit(0)

    threading.Thread(target=watch, name="pagewash-parent-watch", daemon=True).start()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):
        return False


def _worker_main(conn: Connection, task: PoolTask) -> None:
    """Worker process: jobs in, outcomes out, until the parent sends ``None``."""
    leave_stopping_to_parent()
    if task.warm_up is not None:
        with suppress(Exception):  # the first item then reports the real error
            task.warm_up()
    try:
        conn.send(READY)  # deadlines start now: loading time is not an item's time
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
        try:
            outcome = task.func(job, *task.args)
        except Exception as exc:  # a task that raises must not take its worker down
            outcome = task.labels.crashed(job.source, exc)
        try:
            conn.send((seq, outcome))
        except (BrokenPipeError, OSError):
            return
        except Exception as exc:  # the outcome does not pickle
            try:
                conn.send((seq, task.labels.crashed(job.source, exc)))
            except (BrokenPipeError, OSError):
                return


class _Worker:
    """One worker process, its pipe, and the item it holds (``seq``) until when."""

    __slots__ = ("conn", "deadline", "proc", "ready", "seq", "source")

    def __init__(self, ctx: Any, task: PoolTask) -> None:
        parent, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, task), daemon=True)
        self.proc.start()
        child.close()
        self.conn: Connection = parent
        self.ready = False  # True once the worker has warmed up
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


def _job_bytes(job: object) -> int:
    """The size of a job's document (its text, page or body), for the read-ahead bound."""
    for name in ("text", "data", "body"):
        value = getattr(job, name, None)
        if isinstance(value, str | bytes):
            return len(value)
    return 0


@dataclass
class _Flow(Generic[JobT, ResultT]):
    """One :meth:`WorkerPool.map` call's bookkeeping: jobs read ahead but not sent, and
    outcomes that arrived before the ones ahead of them."""

    source: Iterator[JobT]
    exhausted: bool = False
    next_seq: int = 0  # next index to submit
    emit: int = 0  # next index to yield
    waiting: deque[tuple[int, JobT]] = field(default_factory=deque)
    done: dict[int, ResultT | ItemFailure] = field(default_factory=dict)
    sizes: dict[int, int] = field(default_factory=dict)  # bytes of each item not yet emitted
    ahead: int = 0  # their sum


class WorkerPool(Generic[JobT, ResultT]):
    """``workers`` processes running ``task`` with a per-item ``timeout``; see module doc.

    ``preload`` names a module the forkserver imports once before forking workers (it
    should warm up), so that every worker starts warm and shares those pages
    copy-on-write; it has no effect when this process's forkserver already runs.
    """

    def __init__(
        self,
        workers: int,
        task: PoolTask,
        *,
        timeout: float | None,
        preload: str | None = None,
        start_method: str | None = None,
        kill_grace: float = KILL_GRACE,
    ) -> None:
        if workers < 1:
            raise ValueError("a pool needs at least one worker")
        method = start_method or ("forkserver" if "forkserver" in
                                  multiprocessing.get_all_start_methods() else "spawn")
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            self._ctx.set_forkserver_preload([FORKSERVER_FIRST, *([preload] if preload else [])])
        self.task = task
        self.timeout = timeout
        self.kill_grace = kill_grace
        self.size = workers
        self.restarts = 0
        self.unfinished = 0  # jobs a stopped map read but gave no outcome for
        self._start_failures = 0
        self._workers: list[_Worker] = []

    def __enter__(self) -> WorkerPool[JobT, ResultT]:
        self._workers = [self._new_worker() for _ in range(self.size)]
        return self

    def _new_worker(self) -> _Worker:
        """Start one worker. The forkserver that forks it may have died (a signal sent to
        the whole process group while it was starting); the next start runs a new one."""
        failure: BaseException | None = None
        for attempt in range(1, MAX_START_FAILURES + 1):
            if failure is not None:
                time.sleep(0.2 * attempt)  # until the dead forkserver can be seen as dead
            try:
                return _Worker(self._ctx, self.task)
            except (EOFError, OSError) as exc:
                failure = exc
        assert failure is not None  # the loop ran, and every start failed
        raise WorkerError(f"{self.task.labels.work} workers cannot be started: "
                          f"{describe(failure)}") from failure

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        workers, self._workers = self._workers, []
        for w in workers:
            w.stop(kill=w.seq is not None)

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Block until every worker has warmed up (benchmarks, tests)."""
        if not self._workers:
            self.__enter__()
        end = time.monotonic() + timeout
        while not all(w.ready for w in self._workers):
            starting = [w for w in self._workers if not w.ready]
            ready = wait([w.conn for w in starting], timeout=max(end - time.monotonic(), 0))
            for w in starting:
                self._starting(w, w.conn in ready)
            if time.monotonic() > end:
                raise WorkerError(f"{self.task.labels.work} workers did not start in time")

    def map(self, jobs: Iterable[JobT], stop: Callable[[], bool] | None = None
            ) -> Iterator[tuple[int, ResultT | ItemFailure]]:
        """(index, outcome) for every job, in submission order.

        ``stop``, once true, ends the map at a document boundary: jobs read ahead but
        not yet sent are dropped (a resumed run does them), those in a worker finish,
        and outcomes stop at the first job without one. A Ctrl-C used to wait for the
        whole read-ahead, 64 documents a worker, which can outlast a service manager's
        stop timeout and its SIGKILL.
        """
        if not self._workers:
            self.__enter__()
        flow: _Flow[JobT, ResultT] = _Flow(iter(jobs))
        while True:
            if stop is not None and flow.waiting and stop():
                flow.exhausted = True
                flow.waiting.clear()
            self._read_ahead(flow)
            self._dispatch(flow)
            while flow.emit in flow.done:
                flow.ahead -= flow.sizes.pop(flow.emit, 0)
                yield flow.emit, flow.done.pop(flow.emit)
                flow.emit += 1
            if flow.exhausted and not flow.waiting and self._busy() == 0:
                self.unfinished = flow.next_seq - flow.emit
                return
            self._collect(flow)

    def _read_ahead(self, flow: _Flow[JobT, ResultT]) -> None:
        """Take a bounded number of jobs from the input (also bounds the reorder buffer)."""
        limit = self.size * QUEUE_PER_WORKER
        while (not flow.exhausted and flow.next_seq - flow.emit < limit
               and (flow.ahead < QUEUE_BYTES or flow.next_seq == flow.emit)):
            try:
                job = next(flow.source)
            except StopIteration:
                flow.exhausted = True
                return
            size = _job_bytes(job)
            flow.sizes[flow.next_seq] = size
            flow.ahead += size
            flow.waiting.append((flow.next_seq, job))
            flow.next_seq += 1

    def _dispatch(self, flow: _Flow[JobT, ResultT]) -> None:
        """Hand waiting jobs to idle, ready workers."""
        hard = (self.timeout + self.kill_grace) if self.timeout and self.timeout > 0 else None
        for w in list(self._workers):
            if not (w.ready and w.seq is None and flow.waiting):
                continue
            seq, job = flow.waiting.popleft()
            try:
                w.conn.send((seq, job))
            except (BrokenPipeError, OSError):
                flow.waiting.appendleft((seq, job))  # a fresh worker takes it when ready
                self._replace(w)
                continue
            w.seq, w.source = seq, job.source
            w.deadline = time.monotonic() + hard if hard else float("inf")

    def _collect(self, flow: _Flow[JobT, ResultT]) -> None:
        """Wait for an outcome, a worker that finished starting, or a deadline."""
        busy = [w for w in self._workers if w.seq is not None or not w.ready]
        if not busy:
            return
        wait_for = max(min(w.deadline for w in busy) - time.monotonic(), 0.0)
        ready = wait([w.conn for w in busy], timeout=min(wait_for, 3600.0))
        labels = self.task.labels
        for w in busy:
            if not w.ready:
                self._starting(w, w.conn in ready)
                continue
            assert w.seq is not None
            if w.conn in ready:
                try:
                    seq, outcome = w.conn.recv()
                except (EOFError, OSError):
                    with suppress(Exception):
                        w.proc.join(timeout=1)  # reap it, for its exit code
                    flow.done[w.seq] = labels.died(w.source, w.proc.exitcode)
                    self._replace(w)
                    continue
                flow.done[seq] = outcome
                w.seq = None
            elif time.monotonic() >= w.deadline:
                flow.done[w.seq] = labels.timed_out(w.source, self.timeout, stopped=True)
                self._replace(w)

    def _replace(self, w: _Worker) -> _Worker:
        w.stop(kill=True)
        self.restarts += 1
        fresh = self._new_worker()
        self._workers[self._workers.index(w)] = fresh
        return fresh

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
            raise WorkerError(f"{self.task.labels.work} workers die or hang while starting; "
                              "run with --workers 1 to see the error")
        self._replace(w)

    def _busy(self) -> int:
        return sum(1 for w in self._workers if w.seq is not None)


def cpu_count() -> int:
    """Cores this process may run on (its affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
