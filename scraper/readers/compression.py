"""Transparent gzip/zstd decompression that reports a cut-short stream as an error.

Compression is recognised by magic bytes, not by name: files called ``.jsonl`` that
are really gzip (or ``.gz`` files that are not) are common in scraped dumps.

``gzip`` raises ``EOFError`` on a truncated stream, but ``zstandard``'s stream reader
just stops, silently, as if the data had ended -- a truncated ``.zst`` would look like
a shorter, valid file. Its ``decompressobj`` knows about frame ends but returns
unbounded output per call, which breaks the bounded-memory promise. So the data goes
through zstandard's stream reader (bounded, fast) and the compressed bytes pass a
:class:`ZstdFrameChecker` on the way in, which follows the frame structure (RFC 8878)
and says at the end whether the last frame was complete.
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import BinaryIO

import zstandard

from scraper.readers.base import ByteStream

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


class TruncatedStream(EOFError):
    """A compressed stream that ends inside a frame (zstd's equivalent of gzip's EOFError)."""


class CorruptStream(ValueError):
    """Compressed bytes that do not follow the format."""


def compression_of(head: bytes) -> str | None:
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    return None


def gzip_members(raw: BinaryIO, window: int = 1 << 20) -> bool:
    """Whether a gzip file is several members (a WARC gzipped record by record, as
    Common Crawl ships it) rather than one stream: its first member ends within
    ``window`` compressed bytes and more data follows. Reads the head and seeks back."""
    here = raw.tell()
    head = raw.read(window)
    raw.seek(here)
    d = zlib.decompressobj(31)
    data, out = head, 0
    try:
        while data and not d.eof and out < 64 * window:  # bounded: a bomb stays a bomb
            out += len(d.decompress(data, 4 * window))
            data = d.unconsumed_tail
    except zlib.error:
        return True  # damaged from the start: warcio names the damage
    return d.eof and bool(d.unused_data)


def decompressing(stream: ByteStream, compression: str | None) -> ByteStream:
    """Wrap ``stream`` so that reads return decompressed bytes (or pass it through)."""
    if compression == "gzip":
        return gzip.GzipFile(fileobj=stream, mode="rb")  # multi-member, raises EOFError
    if compression == "zstd":
        return ZstdReader(stream)
    return stream


def stream_error(exc: BaseException) -> tuple[str, str] | None:
    """(reason, explanation) for an error a decompressing (or transcoding) read may
    raise, else None."""
    if isinstance(exc, EOFError):
        return "truncated", "compressed stream ends early (the file was cut short)"
    if isinstance(exc, zlib.error | gzip.BadGzipFile | zstandard.ZstdError | CorruptStream):
        return "corrupt", f"compressed data is corrupt ({_first_line(exc)})"
    if isinstance(exc, OSError):
        return "unreadable", f"read error: {exc.strerror or exc}"
    if isinstance(exc, UnicodeDecodeError):  # a transcoded UTF-16/32 stream (Transcoded)
        return "undecodable", f"bytes that are not {exc.encoding} ({exc.reason})"
    return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


class ZstdFrameChecker:
    """Follows zstd frame/block headers in the compressed bytes as they go by.

    Only headers are parsed (a few bytes per block); payload bytes are skipped by
    count, so the cost is negligible next to decompression and memory is constant.
    """

    _MAGIC = 0xFD2FB528

    def __init__(self) -> None:
        self._want = 4  # bytes still needed for the current header field
        self._field = bytearray()
        self._skip = 0  # payload bytes to pass over
        self._state = "magic"
        self._checksum = False
        self.frames = 0
        self.error: str | None = None

    @property
    def complete(self) -> bool:
        """True when the bytes seen so far end exactly after a whole frame."""
        return self.error is None and self._state == "magic" and not self._field and not self._skip

    def feed(self, data: bytes) -> None:
        pos, end = 0, len(data)
        while pos < end and self.error is None:
            if self._skip:
                step = min(self._skip, end - pos)
                self._skip -= step
                pos += step
                if self._skip == 0 and self._state == "skip-then-magic":
                    self._state = "magic"
                    self._want = 4
                continue
            take = min(self._want - len(self._field), end - pos)
            self._field += data[pos : pos + take]
            pos += take
            if len(self._field) == self._want:
                field = bytes(self._field)
                self._field.clear()
                self._on_field(field)

    def _on_field(self, field: bytes) -> None:
        value = int.from_bytes(field, "little")
        state = self._state
        if state == "magic":
            if value == self._MAGIC:
                self._state, self._want = "descriptor", 1
            elif value & 0xFFFFFFF0 == 0x184D2A50:
                self._state, self._want = "skippable-size", 4
            else:
                self.error = f"bad zstd frame magic {field.hex()}"
        elif state == "skippable-size":
            self.frames += 1
            self._begin_skip(value, "skip-then-magic")
        elif state == "descriptor":
            fcs_flag, single, dict_flag = value >> 6, (value >> 5) & 1, value & 3
            checksum = value & 4
            if value & 0x08:
                self.error = "reserved bit set in zstd frame header"
                return
            self._checksum = bool(checksum)
            fcs_size = (1 if single else 0, 2, 4, 8)[fcs_flag]
            rest = (0 if single else 1) + (0, 1, 2, 4)[dict_flag] + fcs_size
            self._state, self._want = "block", 3
            self._skip = rest
        elif state == "block":
            last, btype, size = value & 1, (value >> 1) & 3, value >> 3
            if btype == 3:
                self.error = "reserved zstd block type"
                return
            payload = 1 if btype == 1 else size
            if last:
                self.frames += 1
                self._begin_skip(payload + (4 if self._checksum else 0), "skip-then-magic")
            else:
                self._skip = payload
                self._want = 3

    def _begin_skip(self, count: int, then: str) -> None:
        self._state = then
        self._skip = count
        if count == 0:
            self._state, self._want = "magic", 4


class _CheckedSource(io.RawIOBase):
    def __init__(self, raw: ByteStream, checker: ZstdFrameChecker) -> None:
        super().__init__()
        self._raw = raw
        self._checker = checker

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._raw.read(-1 if size is None else size)
        self._checker.feed(data)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


MAX_ZSTD_WINDOW = 1 << 31  # zstd's largest window (--long=31)


class ZstdReader(io.RawIOBase):
    """zstd decompression (any number of frames) that raises at a cut-short end.

    Raises :class:`TruncatedStream` or :class:`CorruptStream` from the read that hits
    the end, so every byte decompressed before it has already been returned.
    """

    def __init__(self, raw: ByteStream) -> None:
        super().__init__()
        self._checker = ZstdFrameChecker()
        # zstd's own limit, not the library's 128 MiB default: a dump compressed with
        # `zstd --long=31` (or a window over 128 MiB) was rejected as "corrupt" whole.
        # Memory follows the window the frame declares, never the input's size.
        self._reader = zstandard.ZstdDecompressor(max_window_size=MAX_ZSTD_WINDOW).stream_reader(
            # (zstandard reads any object with read(); its stub asks for IO[bytes])
            _CheckedSource(raw, self._checker),  # type: ignore[arg-type]
            read_across_frames=True,
        )
        self._raw = raw

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        data = self._reader.read(size) if size else b""
        if not data and size:
            self._check_end()
        return data

    def readall(self) -> bytes:
        parts = []
        while chunk := self.read(1 << 20):
            parts.append(chunk)
        return b"".join(parts)

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _check_end(self) -> None:
        checker = self._checker
        if checker.error:
            raise CorruptStream(checker.error)
        if not checker.complete:
            raise TruncatedStream("zstd stream ends inside a frame")

    def close(self) -> None:
        try:
            self._reader.close()
            self._raw.close()
        finally:
            super().close()
