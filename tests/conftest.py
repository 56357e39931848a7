"""Shared test helpers: run a Reader and collect what it yields and rejects; build WARCs."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# The crawl tests' fixture server (tests/fixture_site.py): the ``site`` fixture.
from fixture_site import site  # noqa: F401

from scraper.document import Document
from scraper.pipeline import Reject, RunContext
from scraper.readers import Reader


@dataclass
class ReadResult:
    docs: list[Document]
    rejects: list[Reject]
    reader: Reader
    progress: list[int] = field(default_factory=list)

    def reject_for(self, source: str) -> Reject:
        matches = [r for r in self.rejects if r.source == source]
        assert len(matches) == 1, (source, self.rejects)
        return matches[0]


def _read(inputs: Sequence[str | Path], **options: Any) -> ReadResult:
    reader = Reader([str(i) for i in inputs], **options)
    rejects: list[Reject] = []
    progress: list[int] = []
    ctx = RunContext(on_reject=rejects.append, on_progress=progress.append)
    docs = list(reader(iter(()), ctx))
    return ReadResult(docs, rejects, reader, progress)


@pytest.fixture
def read_inputs() -> Callable[..., ReadResult]:
    """``read_inputs(paths, **Reader options)`` -> :class:`ReadResult`."""
    return _read


def _warc(path: Path, records: list[dict[str, Any]], gzip: bool = True) -> list[int]:
    """Write ``records`` with warcio's WARCWriter; returns each record's offset."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    offsets = []
    for spec in records:
        offsets.append(buf.tell())
        kind = spec["type"]
        date = {"WARC-Date": spec.get("date", "2024-10-24T10:02:00Z")}
        if kind == "warcinfo":
            rec = writer.create_warcinfo_record(path.name, {"software": "pagewash-tests"})
        elif kind == "conversion":
            rec = writer.create_warc_record(
                spec["uri"],
                "conversion",
                payload=io.BytesIO(spec["payload"]),
                warc_content_type="text/plain",
                warc_headers_dict=date,
            )
        else:
            http = StatusAndHeaders(
                spec.get("status", "200 OK"), spec.get("headers", []), protocol="HTTP/1.1"
            )
            rec = writer.create_warc_record(
                spec["uri"],
                kind,
                payload=io.BytesIO(spec["payload"]),
                http_headers=http,
                warc_headers_dict=date,
            )
        writer.write_record(rec)
    path.write_bytes(buf.getvalue())
    return offsets


@pytest.fixture
def make_warc() -> Callable[..., list[int]]:
    """``make_warc(path, [record specs], gzip=True)`` -> record offsets."""
    return _warc
