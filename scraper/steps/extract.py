"""The HTML-mode step: documents with ``html`` in, documents with text and metadata out.

Each page goes through :func:`scraper.extract.extract_html` -- in this process when
``workers`` is 1, else in a :class:`~scraper.extract.workers.PagePool` -- and a page
that cannot be extracted (not HTML, too large, undecodable, over the time limit) is a
reject naming the page; the run goes on. Output order is input order either way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from scraper.document import Document
from scraper.extract.core import DEFAULT_OPTIONS, Extracted, ExtractOptions, OutputFormat
from scraper.extract.core import apply_extracted as apply_extracted
from scraper.extract.workers import (
    DEFAULT_TIMEOUT,
    Outcome,
    PageJob,
    PagePool,
    extract_one,
    warm_up,
)
from scraper.pipeline import Reject, RunContext
from scraper.steps.pooled import InputOrder, PooledStep, quiet_if_stopping

_STAT_KEYS = ("pruned_elements", "pruned_chars", "flattened", "structured_body", "too_deep_tags")


class ExtractStep(PooledStep):
    """Extract main content and metadata from every document's ``html``."""

    name = "extract"

    def __init__(
        self,
        *,
        output_format: OutputFormat = "text",
        workers: int = 1,
        timeout: float | None = DEFAULT_TIMEOUT,
        options: ExtractOptions = DEFAULT_OPTIONS,
    ) -> None:
        super().__init__()
        if output_format not in ("text", "markdown"):
            raise ValueError(f"output_format must be 'text' or 'markdown', not {output_format!r}")
        self.output_format: OutputFormat = output_format
        self.workers = max(1, int(workers))
        self.timeout = timeout
        self.options = options
        self.page_types: Counter[str] = Counter()
        self.removed_bytes: dict[str, int] = {}

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        held: dict[int, Document] = {}  # submitted, not yet finished, by submission index

        order = InputOrder(ctx)

        def jobs() -> Iterator[PageJob]:
            index = 0
            for doc in order.pull(docs):
                if doc.html is None:
                    self.stats["failed"] += 1
                    order.hold(Reject(doc.source, "no-html",
                                      f"{doc.source}: the item has no HTML to extract from",
                                      step=self.name))
                    continue
                held[index] = doc
                index += 1
                self.stats["submitted"] += 1
                yield PageJob(doc.html, doc.source, doc.url, doc.meta.get("http_headers"),
                              doc.meta.get("http_status"))
                order.next = index

        if self.workers == 1:
            warm_up()
            outcomes: Iterator[tuple[int, Outcome]] = (
                (i, extract_one(job, self.output_format, self.options, self.timeout))
                for i, job in enumerate(jobs())
            )
            yield from self._finish(outcomes, held, ctx, order)
            return
        with quiet_if_stopping(ctx), PagePool(
            self.workers, output_format=self.output_format, options=self.options,
            timeout=self.timeout,
        ) as pool:
            yield from self._finish(pool.map(jobs(), stop=ctx.stop.is_set), held, ctx, order)
            if pool.unfinished:  # read, then left to a resumed run by the stop
                self.stats["unfinished_at_stop"] += pool.unfinished
            self.stats["worker_restarts"] += pool.restarts

    def _accept(self, doc: Document, outcome: Extracted) -> None:
        self._count(outcome)
        apply_extracted(doc, outcome)

    def _count(self, ex: Extracted) -> None:
        self.stats["documents"] += 1
        if not ex.text:
            self.stats["empty"] += 1
        if ex.error_page is not None:
            self.stats["error_pages"] += 1
            self.stats[f"error_pages.{ex.error_page}"] += 1
        if ex.page_type:
            self.stats[f"page_type.{ex.page_type}"] += 1
        for key in _STAT_KEYS:
            if ex.stats.get(key):
                self.stats[key] += ex.stats[key]
        for r in ex.removed:
            self.removed_bytes[r.rule] = self.removed_bytes.get(r.rule, 0) + len(
                r.text.encode("utf-8", "surrogatepass"))
