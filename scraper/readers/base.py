"""Pieces every format reader shares: options, the item type, byte counting, samples.

Format readers (:mod:`.text`, :mod:`.jsonl`, :mod:`.warc`, :mod:`.html`) are plain
generators of :data:`Item` -- a :class:`Document` or a :class:`Reject` -- and know
nothing of the run context. Keeping them free of ``ctx`` makes each one testable on
its own and leaves one place (:class:`scraper.readers.reader.Reader`) that decides
about stopping, progress and counting.
"""

from __future__ import annotations

import io
import os
import select
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Literal, Protocol

from scraper.document import Document
from scraper.errors import InputError
from scraper.pipeline import Reject

Mode = Literal["text", "html"]
Item = Document | Reject

STEP = "read"
SAMPLE_CHARS = 200


class ByteStream(Protocol):
    """What the readers need of an input stream: a file, stdin, or one of the wrappers
    here and in :mod:`.compression` (:class:`CountingReader`, :class:`Prefixed`, a
    ``GzipFile``, a ``ZstdReader``) -- these are not ``BinaryIO``, and need not be.
    ``read1`` is used when a stream has it (see :func:`reader_of`); ``seek`` is only
    there because ``GzipFile`` asks for it (a pipe's raises; reading never calls it)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def seek(self, offset: int, whence: int = 0, /) -> int: ...

    def __iter__(self) -> Iterator[bytes]: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What the user chose on the command line, handed to every format reader."""

    mode: Mode = "text"
    text_field: str = "text"
    html_field: str = "html"
    encoding: str = "utf-8"
    max_bytes: int = 50 * 2**20
    # JSONL input that is already article records (the corpus job): also carry the
    # record's language and metadata fields (see scraper.readers.jsonl.RECORD_FIELDS).
    record_fields: bool = False


def reject(
    source: str, reason: str, message: str, sample: str | bytes | bytearray = ""
) -> Reject:
    return Reject(source, reason, message, step=STEP, sample=printable_sample(sample))


def reject_from(err: InputError, sample: str | bytes = "") -> Reject:
    return reject(err.source, err.reason, err.message, sample)


def printable_sample(data: str | bytes | bytearray, limit: int = SAMPLE_CHARS) -> str:
    """Up to ``limit`` characters a person can read in a rejects file or a terminal.

    Control characters (and the replacement character for undecodable bytes) become
    ``.`` so that a sample never breaks the line it is printed on or moves a cursor.
    """
    if isinstance(data, bytes | bytearray | memoryview):
        text = bytes(data[: limit * 4]).decode("utf-8", "replace")
    else:
        text = data[: limit * 2]
    out = []
    for ch in text:
        if ch in "\t\n\r\f":
            out.append(" ")
        elif ch.isprintable() and ch != "\ufffd":
            out.append(ch)
        else:
            out.append(".")
        if len(out) >= limit:
            break
    return "".join(out).strip()


class CountingReader(io.RawIOBase):
    """A read-only pass-through that counts bytes, for progress and ``stats["bytes"]``.

    ``tell()`` is the number of bytes read so far, which is the stream position for a
    stream read from its start; that is all warcio needs for record offsets, so one
    wrapper serves files and stdin alike.
    """

    def __init__(self, raw: BinaryIO | StoppableInput, *, close_raw: bool = True) -> None:
        super().__init__()
        self._raw = raw
        self._close_raw = close_raw  # False for stdin: never close the process's stdin
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self._raw.read(-1 if size is None else size)
        self.count += len(data)
        return data

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n

    def read1(self, size: int = -1) -> bytes:
        """What is there now, without waiting to fill ``size``: a pipe that delivers
        20 lines and then pauses had those lines wait (unread, unwritten, deaf to a
        stop) until a whole 1 MiB chunk arrived."""
        read1 = getattr(self._raw, "read1", None)
        data = read1(size) if read1 is not None else self._raw.read(size)
        self.count += len(data)
        return data

    def tell(self) -> int:
        return self.count

    def seek_to(self, position: int) -> None:
        """Move a regular file's stream to ``position`` (a WARC read resuming after a
        damaged record); ``tell`` then counts from there."""
        self._raw.seek(position)
        self.count = position

    def close(self) -> None:
        try:
            if self._close_raw:
                self._raw.close()
        finally:
            super().close()


class InputStopped(BaseException):
    """A stop asked for while waiting on a pipe for input that may be long in coming.

    Not an ``Exception``: no format reader or sniff may take it for a read error and
    turn it into a reject; the :class:`~scraper.readers.reader.Reader` ends the input
    there, the item it was waiting to complete left unread, as a stop between items
    would have left it."""


class StoppableInput(io.RawIOBase):
    """A pipe (stdin, ``<(zcat x)``) read so that a stop is heard while it is quiet.

    A read blocked in the kernel is resumed after a signal handler that does not raise
    (PEP 475), so ``sleep 30 | pagewash clean -`` told "finishing the current item" on
    Ctrl-C and went on waiting. Here a read waits for data in short slices, checking
    ``stop`` in between; once stop is set and nothing is there, it raises
    :class:`InputStopped`. Data already flowing is still read: the current item is
    finished when it can be. Streams without a descriptor are read as they are.
    """

    POLL_SECONDS = 0.2

    def __init__(self, raw: BinaryIO, stop: threading.Event) -> None:
        super().__init__()
        self._raw = raw
        self._stop = stop
        try:
            self._fd: int | None = raw.fileno()
        except (AttributeError, OSError, ValueError):  # (io.BytesIO: UnsupportedOperation)
            self._fd = None

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if self._fd is None:
            return self._raw.read(-1 if size is None else size)
        if size is None or size < 0:
            parts = []
            while chunk := self._read_some(1 << 16):
                parts.append(chunk)
            return b"".join(parts)
        return self._read_some(size)

    read1 = read  # what is there now: never waits for more than one chunk

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _read_some(self, size: int) -> bytes:
        assert self._fd is not None
        try:
            while not select.select([self._fd], [], [], self.POLL_SECONDS)[0]:
                if self._stop.is_set():
                    raise InputStopped
        except OSError:  # a descriptor select cannot wait on (Windows: anything but a socket)
            pass
        return os.read(self._fd, size)


class Wrapping(io.RawIOBase):
    """A read-only stream made from another, which it closes with itself; subclasses
    say what ``read`` returns."""

    def __init__(self, inner: ByteStream) -> None:
        super().__init__()
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()


class Prefixed(Wrapping):
    """A stream that first returns bytes already read (to sniff them), then the rest.

    Sniffing stdin or a decompressed stream cannot seek back; re-serving the head is
    the only way to look at the first bytes and still hand the whole stream on.
    """

    def __init__(self, head: bytes, rest: ByteStream, error: BaseException | None = None) -> None:
        super().__init__(rest)
        self._head = head
        self._pos = 0
        self._rest = rest
        self._error = error  # raised once the head is used up: the read of it failed

    def read(self, size: int | None = -1) -> bytes:
        if self._pos < len(self._head):
            if size is None or size < 0:
                size = len(self._head)
            out = self._head[self._pos : self._pos + size]
            self._pos += len(out)
            return out
        if self._error is not None:
            raise self._error
        if size is None or size < 0:
            return self._rest.read()
        return reader_of(self._rest)(size)


def reader_of(stream: ByteStream) -> Callable[[int], bytes]:
    """The stream's ``read1`` when it has one, else ``read``.

    ``BufferedReader.read(n)`` (and so ``GzipFile.read``) gathers several underlying
    reads to fill ``n`` and throws all of them away if a later one raises -- the
    lines decompressed just before a truncation would be lost. ``read1`` returns
    what one underlying read produced, so the error arrives after the data.
    """
    return getattr(stream, "read1", None) or stream.read


def sniff_head(
    stream: ByteStream, size: int, decided: Callable[[bytes], bool] | None = None
) -> tuple[bytes, BaseException | None]:
    """The first ``size`` bytes for sniffing (or fewer, once two lines are complete, or
    once ``decided`` says the first complete line is enough), and the read error that
    cut them short.

    The error is handed back rather than raised so that the bytes before it still
    reach the format reader (through :class:`Prefixed`), which then meets the error
    at the right place -- a truncated stream's first lines are not lost to sniffing.
    """
    parts: list[bytes] = []
    got = newlines = 0
    read = reader_of(stream)
    # Two line breaks are enough to tell the formats apart (see _looks_like_jsonl): a
    # slow pipe's first lines are not held back waiting for the rest of the head.
    while got < size and newlines < 2:
        try:
            data = read(size - got)
        except Exception as exc:
            return b"".join(parts), exc
        if not data:
            break
        parts.append(data)
        got += len(data)
        newlines += data.count(b"\n")
        if newlines == 1 and decided is not None and decided(b"".join(parts)):
            break  # (a producer that sends one record and waits is not kept waiting)
    return b"".join(parts), None


def read_capped(stream: ByteStream, max_bytes: int, chunk: int = 1 << 20) -> bytes | None:
    """The whole stream, or ``None`` once it passes ``max_bytes``.

    Reads in chunks so that a decompression bomb or an endless pipe is refused after
    ``max_bytes`` rather than after it has filled memory.
    """
    read = reader_of(stream)
    buf = bytearray()
    while True:
        data = read(min(chunk, max_bytes + 1 - len(buf)))
        if not data:
            return bytes(buf)
        buf += data
        if len(buf) > max_bytes:
            return None


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{n} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def too_large(source: str, what: str, max_bytes: int, sample: str | bytes = "") -> Reject:
    return reject(
        source,
        "too-large",
        f"{source}: {what} is over the size limit of {human_size(max_bytes)} "
        "(raise it with --max-bytes); skipped without loading it",
        sample,
    )


def read_whole(stream: ByteStream, source: str, max_bytes: int) -> bytes | Reject:
    """All bytes of a one-document input, or the reject that explains why not."""
    from scraper.readers.compression import stream_error

    try:
        data = read_capped(stream, max_bytes)
    except Exception as exc:
        known = stream_error(exc)
        if known is None:
            raise
        reason, detail = known
        return reject(source, reason, f"{source}: {detail}")
    if data is None:
        return too_large(source, "the (decompressed) content", max_bytes)
    return data
