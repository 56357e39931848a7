"""JSON Lines output: atomic, optionally sharded and compressed.

Lines are collected in memory (up to about 1 MiB) and written as one *complete*
compressed unit -- a gzip member or a zstd frame; concatenated members and frames
are valid gzip and zstd files. Because each unit is finished on its own, there is
no long-lived compressor whose state an interrupted write could leave half-updated:
after a ``KeyboardInterrupt`` anywhere, the file is cut back to the last whole unit,
the lines still in memory are written after it, and every written line is kept.

Shard names: with ``shard_records`` and/or ``shard_bytes``, ``-NNNNN`` (five digits,
from 00000) goes before the last ``.jsonl``/``.json``/``.ndjson`` part of the name,
or else before the first extension: ``out.jsonl.gz`` -> ``out-00000.jsonl.gz``,
``my.data.jsonl`` -> ``my.data-00000.jsonl``, ``out`` -> ``out-00000``.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Protocol

import zstandard

from scraper.errors import ConfigError, OutputError
from scraper.pipeline import Reject
from scraper.writers.atomic import AtomicFile

BATCH_BYTES = 1 << 20
_JSON_PARTS = ("jsonl", "json", "ndjson")

Compression = Literal["auto", "none", "gzip", "zstd"]


class Codec(Protocol):
    def compress(self, data: bytes) -> bytes: ...


class _Plain:
    def compress(self, data: bytes) -> bytes:
        return data


class _Gzip:
    def compress(self, data: bytes) -> bytes:
        return gzip.compress(data, compresslevel=6, mtime=0)  # mtime=0: same input, same bytes


class _Zstd:
    def __init__(self) -> None:
        self._cctx = zstandard.ZstdCompressor(level=3, write_checksum=True)

    def compress(self, data: bytes) -> bytes:
        return self._cctx.compress(data)


def codec_for(path: Path | str, compression: str) -> Codec:
    if compression == "auto":
        name = str(path).lower()
        compression = "none"
        if name.endswith(".gz"):
            compression = "gzip"
        elif name.endswith((".zst", ".zstd")):
            compression = "zstd"
    if compression == "gzip":
        return _Gzip()
    if compression == "zstd":
        return _Zstd()
    if compression == "none":
        return _Plain()
    raise ConfigError(f"unknown compression {compression!r} (use auto, none, gzip or zstd)")


def shard_path(path: Path | str, index: int) -> Path:
    """Where shard ``index`` of output ``path`` goes (see the module docstring)."""
    path = Path(path)
    name = path.name
    lead = len(name) - len(name.lstrip("."))
    parts = name[lead:].split(".")
    cut = next(
        (i for i in range(len(parts) - 1, 0, -1) if parts[i].lower() in _JSON_PARTS),
        1 if len(parts) > 1 else len(parts),
    )
    stem, ext = ".".join(parts[:cut]), ".".join(parts[cut:])
    return path.with_name(f"{name[:lead]}{stem}-{index:05d}" + (f".{ext}" if ext else ""))


def encode_line(obj: dict[str, Any]) -> bytes:
    """One JSON line as UTF-8 bytes.

    Lone surrogates (from ``"\\ud800"`` escapes in input JSON) cannot be encoded as
    UTF-8; such a line falls back to ASCII escapes, which is still the same JSON.
    NaN and infinities are refused: they are not JSON and would break readers.
    """
    try:
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
        return (text + "\n").encode("ascii")


class _Shard:
    """The output file being written and what it holds."""

    def __init__(self, file: AtomicFile) -> None:
        self.file = file
        self.records = 0
        self.bytes = 0
        # (bytes of whole units in the file, lines not yet written): replaced as one
        # value, so an interrupt never sees a unit written but its lines still pending.
        self.tail: tuple[int, list[bytes]] = (file.size, [])
        self.pending_bytes = 0


class JsonlWriter:
    """Write dicts as JSON Lines to ``path`` (or shards of it, or ``-`` for stdout)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        shard_records: int | None = None,
        shard_bytes: int | None = None,
        compression: str = "auto",
        fsync: bool = True,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        """``on_commit`` runs after every commit, once what was written is published
        (a dedup index records then which documents the output now holds)."""
        for name, value in (("shard_records", shard_records), ("shard_bytes", shard_bytes)):
            if value is not None and value <= 0:
                raise ConfigError(f"{name} must be positive, not {value}")
        self._stdout = str(path) == "-"
        self.path = Path(path)
        if self._stdout and (shard_records or shard_bytes):
            raise ConfigError("cannot shard output written to stdout")
        if self._stdout and compression not in ("auto", "none"):
            raise ConfigError("stdout output is plain text; write compressed output to a file")
        self._codec = codec_for(self.path, compression)
        self.shard_records = shard_records
        self.shard_bytes = shard_bytes
        self._sharded = bool(shard_records or shard_bytes)
        self._fsync = fsync
        self._on_commit = on_commit
        self._shard: _Shard | None = None
        self._index = 0
        self._closed = False
        self.paths: list[Path] = []
        self.records = 0
        self.bytes = 0

    # -- writing ---------------------------------------------------------------------

    def write(self, obj: dict[str, Any]) -> None:
        """Add one record; it is on disk under a final name after the next commit."""
        if self._closed:
            raise OutputError(f"{self.path}: write after close")
        line = encode_line(obj)
        if self._stdout:
            self._write_stdout(line)
            return
        shard = self._shard
        if shard is not None and self._full(shard, len(line)):
            self.commit()
            shard = None
        if shard is None:
            shard = self._shard = self._open_shard()
        shard.tail[1].append(line)  # the single step that adds the line
        shard.records += 1
        shard.bytes += len(line)
        shard.pending_bytes += len(line)
        self.records += 1
        self.bytes += len(line)
        if shard.pending_bytes >= BATCH_BYTES:
            self._flush(shard)

    def commit(self) -> list[Path]:
        """Publish the current file under its final name; later writes start a new shard
        (or, unsharded, a new version of ``path`` that keeps everything committed).

        Returns every final path committed so far, in order.
        """
        if self._stdout:
            self._flush_stdout()
        else:
            shard = self._shard
            if shard is not None:
                self._publish(shard)  # safe to repeat if interrupted: see AtomicFile.commit
                self._shard = None
        if self._on_commit is not None:
            self._on_commit()
        return list(self.paths)

    def close(self) -> list[Path]:
        """Commit and finish; returns every final path written, in order.

        A run that wrote nothing still gets one empty file, so that an empty result
        looks different from a run that never happened.
        """
        if self._closed:
            return list(self.paths)
        if not self._stdout and self._shard is None and not self.paths:
            self._shard = self._open_shard()
        self.commit()
        self._closed = True
        return list(self.paths)

    def abort(self) -> None:
        """Drop what was not committed; committed files stay."""
        shard, self._shard = self._shard, None
        if shard is not None:
            shard.file.abort()
        self._closed = True

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> Literal[False]:
        # Ctrl-C or sys.exit mid-run: every line written is whole, so keep them all.
        # Any other exception may mean the records themselves are wrong: publish nothing.
        if exc_type is None or issubclass(exc_type, KeyboardInterrupt | SystemExit):
            self.close()
        else:
            self.abort()
        return False

    # -- internals -------------------------------------------------------------------

    def _full(self, shard: _Shard, nbytes: int) -> bool:
        if not self._sharded or shard.records == 0:
            return False
        if self.shard_records is not None and shard.records + 1 > self.shard_records:
            return True
        return self.shard_bytes is not None and shard.bytes + nbytes > self.shard_bytes

    def _open_shard(self) -> _Shard:
        if self._sharded:
            final = shard_path(self.path, self._index)
            self._index += 1
            return _Shard(AtomicFile(final, fsync=self._fsync))
        # Unsharded and committed before: carry the published content over, so the
        # next commit of the same path does not lose it.
        return _Shard(AtomicFile(self.path, fsync=self._fsync, start_from_final=bool(self.paths)))

    def _flush(self, shard: _Shard) -> None:
        size, lines = shard.tail
        if not lines:
            return
        blob = self._codec.compress(b"".join(lines))
        shard.file.append(blob)
        shard.tail = (size + len(blob), [])
        shard.pending_bytes = 0

    def _publish(self, shard: _Shard) -> None:
        size, lines = shard.tail
        # An empty output still gets one (empty) gzip member or zstd frame: a 0-byte
        # .gz is not a valid gzip file.
        blob = self._codec.compress(b"".join(lines)) if lines or size == 0 else b""
        shard.file.commit(size, blob)
        if shard.file.final not in self.paths:
            self.paths.append(shard.file.final)

    def _write_stdout(self, line: bytes) -> None:
        try:
            sys.stdout.write(line.decode("utf-8"))
        except OSError as err:
            raise OutputError(f"<stdout>: cannot write: {err.strerror or err}") from err
        self.records += 1
        self.bytes += len(line)

    def _flush_stdout(self) -> None:
        try:
            sys.stdout.flush()
        except OSError as err:
            raise OutputError(f"<stdout>: cannot write: {err.strerror or err}") from err


class RejectsFile(JsonlWriter):
    """A :class:`JsonlWriter` for rejects; pass it as ``RunContext(rejects=...)``."""

    def write_reject(self, reject: Reject) -> None:
        self.write(reject.to_dict())
