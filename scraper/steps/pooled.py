"""What the steps that may run in a worker pool (clean, extract) share: each document
waits, by submission index, for its outcome; a failed outcome is a reject naming the
document, and the run goes on.
"""

from __future__ import annotations

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


class PooledStep(Step):
    """Base for steps whose per-document work returns an outcome (here or from a pool)."""

    def _finish(
        self, outcomes: Iterable[tuple[int, Any]], held: dict[int, Document], ctx: RunContext
    ) -> Iterator[Document]:
        """Documents in submission order, each with its outcome applied (``_accept``)."""
        for index, outcome in outcomes:
            doc = held.pop(index)
            if isinstance(outcome, ItemFailure):
                self.stats["failed"] += 1
                if outcome.reason == "timeout":
                    self.stats["timeouts"] += 1
                ctx.reject(Reject(doc.source, outcome.reason, outcome.message, step=self.name))
                continue
            self._accept(doc, outcome)
            yield doc

    def _accept(self, doc: Document, outcome: Any) -> None:
        raise NotImplementedError
