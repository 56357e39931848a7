"""The last step of a pipeline: documents become records in a record writer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from scraper.document import Document
from scraper.pipeline import RunContext, Step
from scraper.record import build_record, validate_record
from scraper.writers.base import ShardedWriter


class WriteRecords(Step):
    """Build, optionally validate, and write one record per document.

    Documents are yielded on after writing so that later steps (statistics, a
    dedup index) still see them. A record that fails validation raises
    ``jsonschema.ValidationError`` instead of becoming a reject: the input was
    fine, the code that built the record is not, and a run that hides that would
    write a corpus nobody can load.
    """

    name = "write"

    def __init__(
        self, writer: ShardedWriter[Any], *, with_removed: bool = False, validate: bool = False
    ) -> None:
        super().__init__()
        self.writer = writer
        self.with_removed = with_removed
        self.validate = validate

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for doc in docs:
            rec = build_record(doc, with_removed=self.with_removed)
            if self.validate:
                validate_record(rec)
            self.writer.write(rec)
            self.stats["records"] += 1
            if "empty" in rec.get("flags", ()):
                self.stats["empty"] += 1
            yield doc
