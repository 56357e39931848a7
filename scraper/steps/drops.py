"""Steps that keep some documents and drop others, and where the drops are reported.

A dropped document is not a reject: the input was fine, the corpus just does not want
it (too short, another language, a duplicate). So a drop never changes the exit
status; it is counted by reason (``summary.dropped``, and ``<step>.dropped.<reason>``
in the step counters) and, when asked, written to a JSON Lines file with the id of
the document it duplicates, so that nothing leaves the corpus unaccounted for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Protocol

from scraper.document import Document
from scraper.pipeline import Step
from scraper.record import record_id
from scraper.writers.jsonl import JsonlWriter


@dataclass(frozen=True, slots=True)
class Drop:
    id: Any
    source: str
    reason: str
    duplicate_of: Any = None
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "source": self.source, "reason": self.reason,
               "duplicate_of": self.duplicate_of}
        if self.detail:
            out["detail"] = self.detail
        return out


class DropSink(Protocol):
    def write_drop(self, drop: Drop) -> None: ...


class DroppedFile:
    """``--dropped FILE``: one JSON line per dropped document, created on the first drop
    (an empty file still appears at close, so "nothing dropped" is visible)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._writer: JsonlWriter | None = None

    def write_drop(self, drop: Drop) -> None:
        if self._writer is None:
            # No fsync: a side report, rewritten whole by the next run.
            self._writer = JsonlWriter(self.path, fsync=False)
        self._writer.write(drop.to_dict())

    def close(self) -> str:
        if self._writer is None:
            self._writer = JsonlWriter(self.path, fsync=False)
        self._writer.close()
        return self.path

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.abort()


class DropStep(Step):
    """Base of filters and dedup steps: :meth:`drop` counts and reports one document.

    ``dropped`` (reason -> count) is what :func:`scraper.runner.run_job` adds up into
    the run summary, the way it adds up ``removed_bytes``.
    """

    def __init__(self, sink: DropSink | None = None) -> None:
        super().__init__()
        self.sink = sink
        self.dropped: Counter[str] = Counter()

    def drop(self, doc: Document, reason: str, *, duplicate_of: Any = None,
             detail: str = "") -> None:
        self.dropped[reason] += 1
        self.stats[f"dropped.{reason}"] += 1
        if self.sink is not None:
            self.sink.write_drop(Drop(record_id(doc), doc.source, reason, duplicate_of, detail))
