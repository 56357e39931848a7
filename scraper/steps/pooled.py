"""What the steps that may run in a worker pool (clean, extract) share: each document
waits, by submission index, for its outcome; a failed outcome is a reject naming the
document, and the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from scraper.document import Document
from scraper.pipeline import Reject, RunContext, Step
from scraper.workers import ItemFailure


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
