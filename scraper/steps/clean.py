"""The dump-cleaning step: :mod:`cleaners` applied to every document's text."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cleaners import Cleaner
from scraper.document import Document
from scraper.pipeline import Reject, RunContext, Step
from scraper.record import sha256_hex

TRACE_KEY = "_trace"  # meta key (never written) holding what --explain needs


class CleanStep(Step):
    """Clean ``doc.text`` in place; removals go to ``doc.removed`` with their rules.

    The title a cleaner finds fills ``doc.title`` only when the input had none: an
    input record's ``title`` is carried through unchanged. A failure inside the cleaner
    on one document is a reject for that document, never the end of the run.
    """

    name = "clean"

    def __init__(self, cleaner: Cleaner | None = None, *, trace: bool = False) -> None:
        super().__init__()
        self.cleaner = cleaner or Cleaner()
        self.trace = trace
        self.removed_bytes: dict[str, int] = {}

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            raw = doc.text
            try:
                result = self.cleaner.clean(raw, title=doc.title, url=doc.url)
            except Exception as exc:
                self.stats["failed"] += 1
                ctx.reject(Reject(doc.source, "clean-failed", f"cleaner failed: {exc!r}",
                                  step=self.name))
                continue
            doc.meta.setdefault("input_hash", sha256_hex(raw))
            doc.text = result.text
            if doc.title is None and result.title:
                doc.title = result.title
            if result.published and not doc.meta.get("published"):
                doc.meta["published"] = result.published
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
            yield doc
