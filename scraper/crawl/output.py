"""Crawl output that is committed together with the crawl state.

Each run writes its records to shards named ``<stem>-<run id>-NNNNN<ext>`` (and, with
WARC output, ``<warc stem>-<run id>-NNNNN.warc.gz``). A batch is committed in this
order:

1. the batch's shard files are published (fsync, atomic rename: the record writer's ``commit``);
2. one state transaction marks the batch's URLs done *and* records the shard names.

A ``kill -9`` before 1 leaves only a hidden temp file; between 1 and 2 it leaves a
published shard the state does not know. On the next start :func:`reconcile` removes
both for every run that never finished, so the URLs of that batch, still due in the
state, are fetched again and written exactly once.
"""

from __future__ import annotations

import io
import os
import re
import signal
import sys
from pathlib import Path
from typing import Any

from scraper.errors import ConfigError
from scraper.state.base import CrawlState, OutputFile
from scraper.writers import open_output
from scraper.writers.atomic import AtomicFile
from scraper.writers.base import FORMAT_PARTS

_CRASH = os.environ.get("PAGEWASH_CRASH_AT", "")  # test hook: "<point>:<n>"
_crash_counts: dict[str, int] = {}


def crash_point(name: str) -> None:
    """Die here with SIGKILL when ``PAGEWASH_CRASH_AT=name:n`` and this is the n-th time.

    The crash-safety tests use it to stop a crawl exactly between two commit steps,
    which a timed ``kill -9`` from outside hits only by luck.
    """
    if not _CRASH:
        return
    point, _, nth = _CRASH.partition(":")
    if point != name:
        return
    _crash_counts[name] = _crash_counts.get(name, 0) + 1
    if _crash_counts[name] == int(nth or 1):
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGKILL)


def split_name(path: Path) -> tuple[str, str]:
    """``articles.jsonl.gz`` -> (``articles``, ``.jsonl.gz``); ``x.warc.gz`` -> (x, .warc.gz)."""
    name = path.name
    parts = name.split(".")
    cut = next((i for i in range(1, len(parts)) if parts[i].lower() in
                (*FORMAT_PARTS, "warc")), 1 if len(parts) > 1 else len(parts))
    return ".".join(parts[:cut]), "".join("." + p for p in parts[cut:])


def run_base(path: str, run_id: str) -> Path:
    """The per-run base name the writer shards: ``out/a.jsonl.gz`` -> ``out/a-RUN.jsonl.gz``."""
    p = Path(path).resolve()
    stem, ext = split_name(p)
    return p.with_name(f"{stem}-{run_id}{ext}")


def _shard_pattern(base: Path) -> re.Pattern[str]:
    stem, ext = split_name(base)
    return re.compile(rf"^\.?{re.escape(stem)}-\d{{5}}{re.escape(ext)}(\.tmp-.*)?$")


def reconcile(state: CrawlState, now: float, log: Any = None) -> list[str]:
    """Remove output of killed runs that the state never committed; returns removed paths."""
    removed: list[str] = []
    for run_id, outputs in state.unfinished_runs():
        committed = state.committed_outputs(run_id)
        for base in outputs.values():
            b = Path(base)
            pattern = _shard_pattern(b)
            if not b.parent.is_dir():
                continue
            for entry in b.parent.iterdir():
                if not pattern.match(entry.name):
                    continue
                if str(entry) in committed:
                    continue
                try:
                    entry.unlink()
                except OSError:
                    continue
                removed.append(str(entry))
                if log is not None and not entry.name.startswith("."):
                    print(f"pagewash: removed {entry}: written by killed run {run_id} but "
                          "never committed; its pages will be fetched again", file=log)
        state.mark_reconciled(run_id, now)
    return removed


class WarcShards:
    """Raw responses as WARC ``response`` records, one file per committed batch."""

    def __init__(self, base: Path) -> None:
        from warcio.warcwriter import WARCWriter

        self._writer_cls = WARCWriter
        self.base = base
        self.index = 0
        self.file: AtomicFile | None = None
        self.records = 0
        self.size = 0
        self.paths: list[Path] = []

    def write(self, url: str, status: int, reason: str, headers: dict[str, str], body: bytes,
              http_version: str, fetched_at: str) -> None:
        from warcio.statusandheaders import StatusAndHeaders

        if self.file is None:
            stem, ext = split_name(self.base)
            final = self.base.with_name(f"{stem}-{self.index:05d}{ext}")
            self.index += 1
            self.file = AtomicFile(final)
            self.records = 0
            self.size = self.file.size
        # The body is stored decoded, so the encoding headers no longer describe it.
        hdrs = [(k, v) for k, v in headers.items()
                if k not in ("content-encoding", "transfer-encoding", "content-length")]
        hdrs.append(("Content-Length", str(len(body))))
        # HTTP/2 has no status line; WARC archives conventionally record it as HTTP/1.1
        # and keep the real version in a WARC header.
        http = StatusAndHeaders(f"{status} {reason}".strip(), hdrs, protocol="HTTP/1.1")
        buf = io.BytesIO()
        writer = self._writer_cls(buf, gzip=True)
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                        http_headers=http,
                                        warc_headers_dict={
                                            "WARC-Date": fetched_at,
                                            "WARC-Protocol": http_version.lower()})
        writer.write_record(rec)
        blob = buf.getvalue()
        self.file.append(blob)
        self.size += len(blob)
        self.records += 1

    def publish(self) -> OutputFile | None:
        f, self.file = self.file, None
        if f is None:
            return None
        f.commit(self.size)
        self.paths.append(f.final)
        return OutputFile(str(f.final), "warc", self.records)

    def abort(self) -> None:
        if self.file is not None:
            self.file.abort()
            self.file = None


class CrawlOutput:
    """Records (JSONL or Parquet shards) and optional WARC files of one run, published
    per batch."""

    def __init__(self, records: str | None, warc: str | None, run_id: str) -> None:
        if records == "-":
            raise ConfigError("crawl output must be a file: it is committed in batches "
                              "together with the crawl state")
        self.records_base = run_base(records, run_id) if records else None
        self.warc_base = run_base(warc, run_id) if warc else None
        if self.warc_base is not None and not self.warc_base.name.endswith((".warc.gz",
                                                                            ".warc")):
            self.warc_base = self.warc_base.with_name(self.warc_base.name + ".warc.gz")
        # A huge shard_records makes the writer name shards "-NNNNN" and start a new one
        # after each commit, which is what a batch is.
        self.writer = (open_output(self.records_base, shard_records=2**62)
                       if self.records_base else None)
        self.warc = WarcShards(self.warc_base) if self.warc_base else None
        self.pending = 0

    def bases(self) -> dict[str, str]:
        out = {}
        if self.records_base:
            out["records"] = str(self.records_base)
        if self.warc_base:
            out["warc"] = str(self.warc_base)
        return out

    def write(self, record: dict[str, Any]) -> None:
        assert self.writer is not None
        self.writer.write(record)
        self.pending += 1

    def publish(self) -> list[OutputFile]:
        """Publish what the batch wrote; returns the files for the state transaction."""
        out: list[OutputFile] = []
        if self.writer is not None and self.pending:
            before = len(self.writer.paths)
            paths = self.writer.commit()
            for p in paths[before:]:
                out.append(OutputFile(str(p), "records", self.pending))
        self.pending = 0
        if self.warc is not None:
            w = self.warc.publish()
            if w is not None:
                out.append(w)
        return out

    def close(self) -> None:
        if self.writer is not None:
            self.writer.abort()  # everything was committed or belongs to no batch
        if self.warc is not None:
            self.warc.abort()

    @property
    def paths(self) -> list[str]:
        out = [str(p) for p in self.writer.paths] if self.writer else []
        if self.warc:
            out += [str(p) for p in self.warc.paths]
        return out
