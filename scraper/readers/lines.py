"""Line splitting over a (possibly decompressing) byte stream, in bounded memory.

``for line in file`` would hold a whole line however long it is; a 100 MB line with
no newline (a minified dump, a binary file named ``.jsonl``) must instead be refused
after ``max_bytes`` and skipped to its end without keeping it. Memory is therefore
bounded by ``max_bytes`` plus one read chunk.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from scraper.readers.base import ByteStream, reader_of
from scraper.readers.compression import stream_error

CHUNK = 1 << 20


@dataclass(slots=True)
class Line:
    """A complete line (newline removed). ``data`` is only valid until the next item."""

    number: int
    data: bytearray | bytes


@dataclass(slots=True)
class LongLine:
    """A line over the limit; only its first bytes are kept, for the reject sample."""

    number: int
    head: bytes


@dataclass(slots=True)
class Broken:
    """The stream failed while ``number`` was being read; nothing after it is read."""

    number: int
    reason: str
    detail: str


LineEvent = Line | LongLine | Broken


def iter_lines(stream: ByteStream, max_bytes: int, chunk: int = CHUNK) -> Iterator[LineEvent]:
    """Yield every line of ``stream`` (1-based numbers), over-long ones as :class:`LongLine`.

    A read error (truncated or corrupt compression, I/O error) ends the iteration
    with a :class:`Broken` naming the line that was cut; the bytes of that partial
    line are dropped, as they are not a whole line. A last line without a trailing
    newline at a clean end of stream is a normal line.
    """
    read = reader_of(stream)
    buf = bytearray()
    number = 0  # lines completed so far
    skipping = False  # inside a line already reported as too long
    while True:
        try:
            data = read(chunk)
        except Exception as exc:
            known = stream_error(exc)
            if known is None:
                raise
            yield Broken(number + 1, *known)
            return
        if not data:
            break
        start = 0
        end = len(data)
        while start < end:
            nl = data.find(b"\n", start)
            stop = end if nl < 0 else nl
            if not skipping:
                if len(buf) + (stop - start) > max_bytes:
                    head = bytes(buf[:256]) + data[start : start + max(0, 256 - len(buf))]
                    buf = bytearray()
                    skipping = True
                    yield LongLine(number + 1, head)
                elif nl >= 0 and not buf:
                    number += 1
                    yield Line(number, data[start:nl])
                else:
                    buf += data[start:stop]
                    if nl >= 0:
                        number += 1
                        # This frame waits at the yield while the caller's document goes
                        # through every step: a line still named here (a 50 MB JSON line)
                        # would be held all that time, so it is handed over.
                        held, buf = [buf], bytearray()
                        yield Line(number, held.pop())
            if nl < 0:
                break
            if skipping:
                number += 1
                skipping = False
            start = nl + 1
    if buf:
        number += 1
        held, buf = [buf], bytearray()  # handed over, as above
        yield Line(number, held.pop())

