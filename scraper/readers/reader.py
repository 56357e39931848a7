"""The first step of every pipeline: inputs in, :class:`Document` objects out.

The :class:`Reader` owns the run-level concerns -- which files, in what order,
opening and decompressing them, stopping at an item boundary, progress and counters
-- and hands each stream to a format reader that only turns bytes into items. Bad
input never raises: it becomes a reject, and the run goes on with the next item.

Size limits: a one-document file (text, HTML) over ``max_bytes`` is refused from its
``os.stat`` size without being opened; container files (JSONL, WARC) are read
whatever their size, since multi-gigabyte dumps are their normal case, and the limit
applies to each line or record instead. Decompressed content is capped the same way.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import BinaryIO

from scraper.document import Document
from scraper.errors import ConfigError
from scraper.pipeline import RunContext, Step
from scraper.readers.base import (
    ByteStream,
    CountingReader,
    InputStopped,
    Item,
    Mode,
    Prefixed,
    ReadOptions,
    StoppableInput,
    reject,
    sniff_head,
    too_large,
)
from scraper.readers.compression import compression_of, decompressing, gzip_members
from scraper.readers.decoding import WIDE_ENCODINGS, Transcoded, bom_encoding, check_encoding
from scraper.readers.html import read_html
from scraper.readers.jsonl import read_jsonl
from scraper.readers.parquet import read_parquet
from scraper.readers.sources import (
    FileInput,
    Input,
    Kind,
    MissingInput,
    SkippedFile,
    StdinInput,
    expand_inputs,
    page_named,
    total_size,
)
from scraper.readers.text import read_text
from scraper.readers.warc import read_warc

PROGRESS_STEP = 1 << 20  # report progress at least per file, and per MiB within one
SNIFF_BYTES = 8192


class Reader(Step):
    """Read files, directories, glob patterns and ``-`` (stdin) into documents."""

    name = "read"

    def __init__(
        self,
        inputs: Sequence[str],
        *,
        mode: Mode = "text",
        text_field: str = "text",
        html_field: str = "html",
        encoding: str = "utf-8",
        max_bytes: int = 50 * 2**20,
        record_fields: bool = False,
        stdin: BinaryIO | None = None,
    ) -> None:
        super().__init__()
        if mode not in ("text", "html"):
            raise ConfigError(f"unknown input mode {mode!r} (use 'text' or 'html')")
        if max_bytes <= 0:
            raise ConfigError(f"max_bytes must be positive, not {max_bytes}")
        if isinstance(inputs, str):
            inputs = [inputs]  # a lone path would otherwise be read letter by letter
        self.inputs = list(inputs)
        self.options = ReadOptions(
            mode=mode,
            text_field=text_field,
            html_field=html_field,
            encoding=check_encoding(encoding),
            max_bytes=max_bytes,
            record_fields=record_fields,
        )
        self._stdin = stdin
        self._expanded: list[Input] | None = None
        self._own: list[re.Pattern[str]] = []
        self._skipped: list[str] = []

    def skip_outputs(self, patterns: Iterable[re.Pattern[str]]) -> None:
        """Leave out files a directory walk or pattern finds whose real path matches one
        of ``patterns``: this run's own outputs (the runner knows their names), so that
        ``clean dumps/ -o dumps/clean.jsonl`` run again does not read its last output."""
        self._own = list(patterns)
        self._expanded = None

    def _is_output(self, item: FileInput | SkippedFile) -> bool:
        # (a file named as it is, is read; a skipped one was found by a walk or pattern)
        if not self._own or (isinstance(item, FileInput) and not item.found):
            return False
        real = os.path.realpath(item.path)
        return any(p.fullmatch(real) for p in self._own)

    def expanded(self) -> list[Input]:
        """The inputs resolved to files (computed once, so progress and run agree)."""
        if self._expanded is None:
            kept: list[Input] = []
            self._skipped = []
            for item in expand_inputs(self.inputs, self.options.mode):
                if isinstance(item, FileInput | SkippedFile) and self._is_output(item):
                    self._skipped.append(item.path)
                else:
                    kept.append(item)
            if self._skipped:
                self.stats["own_outputs_skipped"] = len(self._skipped)
            self._expanded = kept
        return self._expanded

    def skipped_outputs(self) -> list[str]:
        """Files a walk or pattern found that :meth:`skip_outputs` left out."""
        self.expanded()
        return self._skipped

    def total_bytes(self) -> int:
        """Sum of input file sizes for a progress bar; stdin counts as 0 (unknown)."""
        return total_size(self.expanded())

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for item in self.expanded():
            if ctx.stop.is_set():
                self.stats["stopped"] = 1
                return
            if isinstance(item, MissingInput):
                ctx.reject(reject(item.source, item.reason, item.message))
            elif isinstance(item, SkippedFile):
                self.stats["skipped_files"] += 1
                self.stats[f"skipped_files.{item.extension}"] += 1
            else:
                try:
                    if isinstance(item, StdinInput):
                        self.stats["files"] += 1
                        raw = self._stdin if self._stdin is not None else sys.stdin.buffer
                        stdin = StoppableInput(raw, ctx.stop)
                        yield from self._read_sniffed(CountingReader(stdin, close_raw=False),
                                                      item.label, ctx)
                    else:
                        yield from self._read_file(item, ctx)
                except InputStopped:
                    self.stats["stopped"] = 1
                    return

    # -- one input -------------------------------------------------------------------

    def _read_file(self, item: FileInput, ctx: RunContext) -> Iterator[Document]:
        path, opts = item.path, self.options
        self.stats["files"] += 1
        if item.regular and item.size > opts.max_bytes and item.kind in (Kind.TEXT, Kind.HTML):
            ctx.reject(too_large(path, f"the file ({item.size} bytes)", opts.max_bytes))
            self._progress(ctx, item.size)
            return
        if item.regular and item.size == 0:
            if item.kind is Kind.JSONL and path.lower().endswith((".jsonl", ".ndjson")):
                return  # JSON Lines of no records (a run that kept nothing writes one)
            ctx.reject(reject(path, "empty", f"{path}: empty file (0 bytes)"))
            return
        try:
            raw = open(path, "rb")  # noqa: SIM115 -- closed below, after the generator ends
        except FileNotFoundError:
            ctx.reject(reject(path, "not-found", f"{path}: file disappeared before it was read"))
            return
        except OSError as err:
            ctx.reject(reject(path, "unreadable", f"{path}: cannot open ({err.strerror or err})"))
            return
        with raw:
            # a pipe is read like stdin (sniffed: nothing is peeked at through ``raw``)
            counter = CountingReader(StoppableInput(raw, ctx.stop) if not item.regular and (
                item.kind is None or item.kind is Kind.JSON) else raw)
            if item.kind is None or item.kind is Kind.JSON:
                yield from self._read_sniffed(counter, path, ctx,
                                              json_named=item.kind is Kind.JSON)
                return
            if item.kind is Kind.PARQUET:  # random access: the file itself, not a stream
                yield from self._drain(read_parquet(raw, path, self.options), counter, ctx,
                                       item.size)
                return
            compression = compression_of(raw.peek(4)[:4])
            resume: CountingReader | None = None
            if item.kind is Kind.WARC and compression in (None, "gzip") and (
                    compression is None or not item.regular or gzip_members(raw)):
                # warcio reads per-record gzip members itself; offsets are file offsets,
                # so a regular file can resume after a damaged record
                stream: ByteStream = counter
                resume = counter if item.regular else None
            else:  # (a WARC gzipped whole is read decompressed, as from a pipe)
                stream = decompressing(counter, compression)
            items = (read_warc(stream, path, self.options, self.stats, resume)
                     if item.kind is Kind.WARC else self._items(item.kind, stream, path))
            yield from self._drain(items, counter, ctx, item.size)

    def _read_sniffed(
        self, counter: CountingReader, label: str, ctx: RunContext, *, json_named: bool = False
    ) -> Iterator[Document]:
        """Stdin, pipes and ``.json`` files: compression first, then ``WARC/``, ``{``
        (JSONL) or text. A ``.json`` file that is one JSON document (an array of
        records, an indented object) is refused: read as text, its quotes, keys and
        brackets became a record's text."""
        head, error = sniff_head(counter, SNIFF_BYTES, _first_line_is_record)
        stream: ByteStream = Prefixed(head, counter, error)
        compression = compression_of(head)
        if compression:
            stream = decompressing(stream, compression)
            head, error = sniff_head(stream, SNIFF_BYTES, _first_line_is_record)
            stream = Prefixed(head, stream, error)
        start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
        wide = bom_encoding(head)
        if wide in WIDE_ENCODINGS:  # UTF-16/32 JSON Lines: look at the text
            start = head.decode(wide or "", "ignore").encode().lstrip()
        if head.startswith(b"PAR1"):
            ctx.reject(reject(label, "unsupported", f"{label}: Parquet cannot be read from "
                              "a pipe (it needs random access); give the file's path"))
            return
        if start.startswith(b"WARC/"):
            kind = Kind.WARC
        elif _looks_like_jsonl(start, complete=len(head) < SNIFF_BYTES):
            kind = Kind.JSONL
        elif json_named and start[:1] in (b"[", b"{"):
            ctx.reject(reject(label, "not-jsonl", f"{label}: one JSON document, not JSON "
                              "Lines (one record a line); convert it first (an array of "
                              "records: jq -c '.[]' writes one a line)"))
            return
        else:  # in html mode a piped page is HTML, in text mode it is text
            kind = Kind.HTML if self.options.mode == "html" else Kind.TEXT
        yield from self._drain(self._items(kind, stream, label), counter, ctx, 0)

    def _items(self, kind: Kind, stream: ByteStream, label: str) -> Iterator[Item]:
        opts = self.options
        if kind is Kind.JSONL:
            head, error = sniff_head(stream, 4)
            stream = Prefixed(head, stream, error)
            bom = bom_encoding(head)
            wide = bom if bom in WIDE_ENCODINGS else (
                opts.encoding if opts.encoding.startswith(WIDE_ENCODINGS) else None)
            if wide is not None:  # lines are split on bytes: read it as UTF-8
                stream = Transcoded(stream, wide)
                opts = replace(opts, encoding="utf-8")
            return read_jsonl(stream, label, opts)
        if kind is Kind.WARC:
            return read_warc(stream, label, opts, self.stats)
        if kind is Kind.HTML:
            return read_html(stream, label, opts)
        return read_text(stream, label, opts, page_name=page_named(label))

    def _drain(
        self, items: Iterator[Item], counter: CountingReader, ctx: RunContext, size: int
    ) -> Iterator[Document]:
        """Pass documents on and rejects to ``ctx``; stop between items when asked."""
        reported = 0
        finished = False
        try:
            for item in items:
                if isinstance(item, Document):
                    self.stats["documents"] += 1
                    yield item
                else:
                    ctx.reject(item)
                if counter.count - reported >= PROGRESS_STEP:
                    self._progress(ctx, counter.count - reported)
                    reported = counter.count
                if ctx.stop.is_set():
                    self.stats["stopped"] = 1
                    return
            finished = True
        finally:
            getattr(items, "close", lambda: None)()
            # A file that ended early (a reject, a too-large line skipped) still counts
            # whole once done, so the progress bar reaches its total.
            done = max(counter.count, size) if finished else counter.count
            if done > reported:
                self._progress(ctx, done - reported)

    def _progress(self, ctx: RunContext, nbytes: int) -> None:
        self.stats["bytes"] += nbytes
        ctx.progress(nbytes)


def _first_line_is_record(head: bytes) -> bool:
    """Whether the head's first line is a JSON object: that says JSON Lines, so the
    sniff need not wait for a second line a slow producer may send an hour later."""
    first = head.removeprefix(b"\xef\xbb\xbf").lstrip().split(b"\n", 1)[0]
    if not first.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:  # (JSONDecodeError and UnicodeDecodeError)
        return False


def _looks_like_jsonl(start: bytes, *, complete: bool) -> bool:
    """Piped input opening with ``{``: JSON Lines when its first line is a JSON object,
    or when the next line opens with ``{`` too (a JSONL file whose first line is
    damaged is still JSONL, each bad line a reject). A text dump whose first paragraph
    happens to open with a brace was two bad-json rejects and no document."""
    if not start.startswith(b"{"):
        return False
    lines = [line for line in start.split(b"\n") if line.strip()]
    if len(lines) == 1 and not complete:
        return True  # one line longer than the sniffed head: nothing else to go by
    if _first_line_is_record(start):
        return True
    return len(lines) > 1 and lines[1].lstrip().startswith(b"{")
