"""What the steps that may run in a worker pool (clean, extract) share: each document
waits, by submission index, for its outcome; a failed outcome is a reject naming the
document, and the run goes on.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from scraper.document import Document
from scraper.errors import WorkerError
from scraper.pipeline import Reject, RunContext, Step
from scraper.workers import ItemFailure


@contextmanager
def quiet_if_stopping(ctx: RunContext) -> Iterator[None]:
    """A pool that cannot start because the run is being stopped ends the step quietly.

    The SIGINT or SIGTERM that stops the run reaches the whole process group; a worker
    or forkserver caught in the first moment of its start-up dies of it. That is the
    stop the user asked for, not a failure: the run ends as stopped, not with an error.
    """
    try:
        yield
    except WorkerError:
        if not ctx.stop.is_set():
            raise


class InputOrder:
    """Rejects in input order, however far a pool reads ahead.

    A pool reads documents ahead of the one it emits next, and the reader rejects bad
    items as it meets them: with two workers a bad line 40 was reported before a
    document on line 3 that timed out, with one worker after it. Rejects made while the
    next document is pulled are held, tagged with that document's index, and released
    just before its outcome, so the rejects file is the same for any pool size.
    """

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.pending: deque[tuple[int, Reject]] = deque()
        self.next = 0  # the index the next submitted document gets (the caller keeps it)

    def hold(self, reject: Reject) -> None:
        self.pending.append((self.next, reject))

    def pull(self, docs: Iterable[Document]) -> Iterator[Document]:
        """The documents of ``docs``; rejects made while pulling one are held."""
        ctx, it = self.ctx, iter(docs)
        while True:
            ctx.reject = self.hold  # type: ignore[method-assign]
            try:
                doc = next(it)
            except StopIteration:
                return
            finally:
                del ctx.reject  # the method again, for everything outside the pull
            yield doc

    def release(self, upto: int | None = None) -> None:
        """Report the held rejects that come before document ``upto`` (all: None)."""
        while self.pending and (upto is None or self.pending[0][0] <= upto):
            self.ctx.reject(self.pending.popleft()[1])


class PooledStep(Step):
    """Base for steps whose per-document work returns an outcome (here or from a pool)."""

    def _finish(
        self, outcomes: Iterable[tuple[int, Any]], held: dict[int, Document], ctx: RunContext,
        order: InputOrder,
    ) -> Iterator[Document]:
        """Documents in submission order, each with its outcome applied (``_accept``);
        ``order`` releases the rejects met upstream in their place among them."""
        try:
            for index, outcome in outcomes:
                order.release(index)
                doc = held.pop(index)
                if isinstance(outcome, ItemFailure):
                    self.stats["failed"] += 1
                    if outcome.reason == "timeout":
                        self.stats["timeouts"] += 1
                    ctx.reject(Reject(doc.source, outcome.reason, outcome.message,
                                      step=self.name))
                    continue
                self._accept(doc, outcome)
                yield doc
        finally:  # the end, a stop or an error: nothing held is lost
            order.release()

    def _accept(self, doc: Document, outcome: Any) -> None:
        raise NotImplementedError
