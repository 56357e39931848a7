"""JSON Lines output: atomic, optionally sharded and compressed.

Lines are collected in memory (up to about 1 MiB) and written as one *complete*
compressed unit -- a gzip member or a zstd frame; concatenated members and frames
are valid gzip and zstd files. Because each unit is finished on its own, there is
no long-lived compressor whose state an interrupted write could leave half-updated:
after a ``KeyboardInterrupt`` anywhere, the file is cut back to the last whole unit,
the lines still in memory are written after it, and every written line is kept.

Sharding, shard names (:func:`~scraper.writers.base.shard_path`) and what commit, close
and abort mean are shared with the Parquet writer (:mod:`scraper.writers.base`).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Protocol

import zstandard

from scraper.errors import ConfigError, OutputError
from scraper.pipeline import Reject
from scraper.writers.atomic import AtomicFile, output_error
from scraper.writers.base import Shard, ShardedWriter, is_stream

BATCH_BYTES = 1 << 20

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


class _Shard(Shard):
    """The output file being written and what it holds."""

    def __init__(self, file: AtomicFile) -> None:
        super().__init__(file.final)
        self.file = file
        # (bytes of whole units in the file, lines not yet written): replaced as one
        # value, so an interrupt never sees a unit written but its lines still pending.
        self.tail: tuple[int, list[bytes]] = (file.size, [])
        self.pending_bytes = 0


class JsonlWriter(ShardedWriter[_Shard]):
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
        super().__init__(path, shard_records=shard_records, shard_bytes=shard_bytes,
                         fsync=fsync, on_commit=on_commit)
        # stdout, or a device or pipe: a stream written line by line, never renamed over
        self._stdout = str(path) == "-"
        self._stream_name = "<stdout>" if self._stdout else str(self.path)
        self._streaming = self._stdout or is_stream(self.path)
        self._stream: IO[str] | None = sys.stdout if self._stdout else None
        if self._streaming and (shard_records or shard_bytes):
            raise ConfigError(f"cannot shard output written to {self._stream_name}")
        self._codec = codec_for(self.path, compression)
        if self._streaming and not isinstance(self._codec, _Plain):
            raise ConfigError(f"{self._stream_name} gets plain JSON Lines; "
                              "write compressed output to a file")

    # -- a stream, not shards ----------------------------------------------------------

    @property
    def _writes_files(self) -> bool:
        return not self._streaming

    def _open_stream(self) -> IO[str]:
        if self._stream is None:
            try:
                self._stream = open(self.path, "w", encoding="utf-8")  # noqa: SIM115
            except OSError as err:
                raise output_error(self.path, err, "open") from err
        return self._stream

    def write(self, obj: dict[str, Any]) -> None:
        """Add one record; it is on disk under a final name after the next commit."""
        if not self._streaming:
            super().write(obj)
            return
        self._check_open()
        line = encode_line(obj)
        try:
            self._open_stream().write(line.decode("utf-8"))
        except OSError as err:
            raise OutputError(f"{self._stream_name}: cannot write: {err.strerror or err}"
                              ) from err
        self.records += 1
        self.bytes += len(line)

    def commit(self) -> list[Path]:
        if not self._streaming:
            return super().commit()
        try:
            self._open_stream().flush()
        except OSError as err:
            raise OutputError(f"{self._stream_name}: cannot write: {err.strerror or err}"
                              ) from err
        return self._committed()

    def close(self) -> list[Path]:
        try:
            return super().close()
        finally:
            self._close_stream()

    def abort(self) -> None:
        super().abort()
        self._close_stream()

    def _close_stream(self) -> None:
        if self._stream is not None and not self._stdout:
            with contextlib.suppress(OSError):
                self._stream.close()

    # -- files -------------------------------------------------------------------------

    def _encode(self, obj: dict[str, Any]) -> tuple[bytes, int]:
        line = encode_line(obj)
        return line, len(line)

    def _open_shard(self, final: Path, keep_published: bool) -> _Shard:
        return _Shard(AtomicFile(final, fsync=self._fsync, start_from_final=keep_published))

    def _add(self, shard: _Shard, item: bytes, nbytes: int) -> None:
        shard.tail[1].append(item)  # the single step that adds the line
        shard.pending_bytes += nbytes

    def _added(self, shard: _Shard) -> None:
        if shard.pending_bytes >= BATCH_BYTES:
            self._flush(shard)

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
        shard.file.commit(size, blob)  # safe to repeat if interrupted: see AtomicFile

    def _discard(self, shard: _Shard) -> None:
        shard.file.abort()


class RejectsFile(JsonlWriter):
    """A :class:`JsonlWriter` for rejects; pass it as ``RunContext(rejects=...)``."""

    def write_reject(self, reject: Reject) -> None:
        self.write(reject.to_dict())
