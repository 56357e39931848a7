"""Steps, the run context and the local executor.

Modelled on datatrove: a pipeline is a chain of small steps, each a generator over
documents with one job and its own counters. Readers start the chain, writers end it.
The executor (here: one local process, or a pool in :mod:`scraper.executor`) is kept
apart from the steps so that the same steps run in a CLI, a crawler or a notebook.

Bad input never raises out of a step: the step calls :meth:`RunContext.reject`, which
counts the item and writes it to the rejects sink, and the run goes on.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from scraper.document import Document


@dataclass(slots=True, frozen=True)
class Reject:
    """An input item that could not be turned into a record, and why."""

    source: str
    reason: str
    message: str
    step: str = ""
    sample: str = ""  # a short, printable excerpt of the offending input when there is one

    def __post_init__(self) -> None:
        # Messages quote input (a JSON key, a WARC header line, a file name): an escape
        # sequence in it must not reach a terminal as one, nor raw bytes a rejects file.
        object.__setattr__(self, "source", _visible(self.source))  # (a frozen dataclass)
        object.__setattr__(self, "message", _visible(self.message))

    def to_dict(self) -> dict[str, Any]:
        out = {"source": self.source, "reason": self.reason, "message": self.message}
        if self.step:
            out["step"] = self.step
        if self.sample:
            out["sample"] = self.sample
        return out


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(text: str) -> str:
    if text.isprintable():
        return text
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text.replace("\n", " ")
                        .replace("\t", " "))


class RejectSink(Protocol):
    def write_reject(self, reject: Reject) -> None: ...


@dataclass
class RunContext:
    """What every step may use: reject reporting, counters, a stop flag, progress.

    ``stop`` is set on SIGINT/SIGTERM; readers check it between items so a run ends
    at a record boundary and writers can commit what they have.
    """

    rejects: RejectSink | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    on_reject: Callable[[Reject], None] | None = None
    on_progress: Callable[[int], None] | None = None  # called with input bytes consumed
    reject_count: int = 0
    reject_reasons: Counter[str] = field(default_factory=Counter)
    # Sources an earlier run already rejected (``--resume``): met again, they are not
    # rejected twice; the rejects file still holds them from that run.
    done: Container[str] = frozenset()
    rejects_done: int = 0

    def reject(self, reject: Reject) -> None:
        if reject.source in self.done:
            self.rejects_done += 1
            return
        self.reject_count += 1
        self.reject_reasons[reject.reason] += 1
        if self.rejects is not None:
            self.rejects.write_reject(reject)
        if self.on_reject is not None:
            self.on_reject(reject)

    def progress(self, nbytes: int) -> None:
        if self.on_progress is not None:
            self.on_progress(nbytes)


class Step:
    """One job in a pipeline. Subclasses implement :meth:`run` as a generator.

    ``stats`` is a plain counter the step owns; the executor merges all of them into
    the run summary under ``<step name>.<counter>``.
    """

    name: str = "step"

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()
        self.seconds = 0.0  # inclusive of upstream steps; see Pipeline.stage_seconds

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        raise NotImplementedError

    def __call__(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        return self._timed(self.run(docs, ctx))

    def _timed(self, gen: Iterator[Document]) -> Iterator[Document]:
        # Inclusive time (this step plus everything upstream that it pulled from);
        # Pipeline.summary subtracts the upstream step to get each stage's own cost.
        clock = time.perf_counter
        try:
            while True:
                t0 = clock()
                try:
                    doc = next(gen)
                except StopIteration:
                    self.seconds += clock() - t0
                    return
                self.seconds += clock() - t0
                yield doc
        finally:
            # Closed with this wrapper, not whenever the collector gets to it: a failed
            # run's traceback keeps the frames alive, and the step's cleanup (a pooled
            # step releasing the rejects it holds) ran after the error was reported,
            # into a rejects file already closed.
            close = getattr(gen, "close", None)
            if close is not None:
                close()


class Pipeline:
    """A chain of steps run in this process; the first step is usually a reader."""

    def __init__(self, steps: list[Step]) -> None:
        if not steps:
            raise ValueError("a pipeline needs at least one step")
        self.steps = steps

    def iterate(self, ctx: RunContext, docs: Iterable[Document] = ()) -> Iterator[Document]:
        stream: Iterable[Document] = docs
        self._stages: list[Iterator[Document]] = []
        for step in self.steps:
            stream = step(stream, ctx)
            self._stages.append(iter(stream))
        return iter(stream)

    def close(self) -> None:
        """End every step's generator now, last step first, so that what they hold (a
        pooled step's rejects kept for input order, worker pools) is released while the
        runner's files are open, also when one step raised and the chain is broken."""
        for stage in reversed(getattr(self, "_stages", [])):
            close = getattr(stage, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):
                    close()

    def run(self, ctx: RunContext, docs: Iterable[Document] = ()) -> dict[str, Any]:
        for _ in self.iterate(ctx, docs):
            pass
        return self.summary(ctx)

    def stage_seconds(self) -> dict[str, float]:
        """Each step's own time: its inclusive time minus the step it pulls from."""
        out: dict[str, float] = {}
        upstream = 0.0
        for step in self.steps:
            out[step.name] = round(max(step.seconds - upstream, 0.0), 4)
            upstream = step.seconds
        return out

    def summary(self, ctx: RunContext) -> dict[str, Any]:
        stats: dict[str, Any] = {}
        for step in self.steps:
            for key, value in sorted(step.stats.items()):
                stats[f"{step.name}.{key}"] = value
        return {
            "stats": stats,
            "seconds": self.stage_seconds(),
            "rejected": ctx.reject_count,
            "reject_reasons": dict(ctx.reject_reasons),
        }
