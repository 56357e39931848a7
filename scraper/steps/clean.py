"""The dump-cleaning step: :mod:`cleaners` applied to every document's text.

Each document is cleaned in this process when ``workers`` is 1, else in a
:class:`~scraper.steps.clean_workers.CleanPool`; a document the cleaner fails on (an
exception, the time limit, a worker that died) is a reject naming the document, and
the run goes on. Output order is input order either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from cleaners.result import CleanResult
from scraper.document import Document
from scraper.pipeline import RunContext
from scraper.record import sha256_hex
from scraper.steps.clean_workers import (
    DEFAULT_TIMEOUT,
    CleanerSource,
    CleanerSpec,
    CleanJob,
    CleanPool,
    Outcome,
    clean_one,
)
from scraper.steps.pooled import InputOrder, PooledStep, quiet_if_stopping

if TYPE_CHECKING:
    from cleaners.cleaner import Cleaner

TRACE_KEY = "_trace"  # meta key (never written) holding what --explain needs


class CleanStep(PooledStep):
    """Clean ``doc.text`` in place; removals go to ``doc.removed`` with their rules.

    The title a cleaner finds fills ``doc.title`` only when the input had none: an
    input record's ``title`` is carried through unchanged. A failure inside the cleaner
    on one document is a reject for that document, never the end of the run.

    ``cleaner`` is a :class:`Cleaner`, or a :class:`CleanerSpec` that each process
    builds its cleaner from (cheaper to send to workers than a cleaner and its model).
    """

    name = "clean"

    def __init__(
        self,
        cleaner: CleanerSource | None = None,
        *,
        trace: bool = False,
        workers: int = 1,
        timeout: float | None = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__()
        self.source: CleanerSource = CleanerSpec() if cleaner is None else cleaner
        self.trace = trace
        self.workers = max(1, int(workers))
        self.timeout = timeout
        self.removed_bytes: dict[str, int] = {}

    @property
    def cleaner(self) -> Cleaner:
        """The cleaner this process uses (built on first use from a spec)."""
        return self.source.build() if isinstance(self.source, CleanerSpec) else self.source

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        held: dict[int, Document] = {}  # submitted, not yet finished, by submission index
        order = InputOrder(ctx)

        def jobs() -> Iterator[CleanJob]:
            for index, doc in enumerate(order.pull(docs)):
                held[index] = doc
                yield CleanJob(doc.text, doc.source, doc.title, doc.url)
                order.next = index + 1

        if self.workers == 1:
            cleaner = self.cleaner
            outcomes: Iterator[tuple[int, Outcome]] = (
                (i, clean_one(job, cleaner, self.timeout)) for i, job in enumerate(jobs())
            )
            yield from self._finish(outcomes, held, ctx, order)
            return
        with quiet_if_stopping(ctx), CleanPool(self.workers, self.source,
                                               timeout=self.timeout) as pool:
            yield from self._finish(pool.map(jobs(), stop=ctx.stop.is_set), held, ctx, order)
            if pool.unfinished:  # read, then left to a resumed run by the stop
                self.stats["unfinished_at_stop"] += pool.unfinished
            if pool.restarts:
                self.stats["worker_restarts"] += pool.restarts

    def _accept(self, doc: Document, result: CleanResult) -> None:
        raw = doc.text
        doc.meta.setdefault("input_hash", sha256_hex(raw))
        doc.text = result.text
        if doc.title is None and result.title:
            doc.title = result.title
        if result.published and not doc.meta.get("published"):
            doc.meta["published"] = result.published
        if result.authors and not doc.meta.get("authors"):
            doc.meta["authors"] = list(result.authors)
        if result.url and not doc.url:
            doc.url = result.url  # (so the id is the page's, as extract and crawl give it)
        doc.language = result.language
        doc.removed = result.removed
        if self.trace:
            doc.meta[TRACE_KEY] = result
        self.stats["documents"] += 1
        self.stats["blocks_removed"] += len(result.removed)
        self.stats["bytes_in"] += len(raw.encode("utf-8", "surrogatepass"))
        self.stats["bytes_out"] += len(result.text.encode("utf-8", "surrogatepass"))
        if not result.text:
            self.stats["empty"] += 1
        for rule, nbytes in result.bytes_removed_by_rule().items():
            self.removed_bytes[rule] = self.removed_bytes.get(rule, 0) + nbytes
