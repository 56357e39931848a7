"""Content-Encoding decoding with a hard cap on the decoded size.

httpx decodes a whole network chunk at once, so a 64 KB chunk of a gzip bomb becomes
64 MB in memory before anyone can count it. Here every decompressor call is given the
number of bytes still allowed (``max_length`` for zlib, ``output_buffer_limit`` for
brotli), so no more than ``cap + 1`` decoded bytes ever exist.
"""

from __future__ import annotations

import zlib
from typing import Protocol


class BodyTooLarge(Exception):
    """The decoded body went past the cap (``bomb`` when a compressed body did)."""

    def __init__(self, decoded: int, bomb: bool) -> None:
        super().__init__(decoded)
        self.decoded = decoded
        self.bomb = bomb


class UnsupportedEncoding(Exception):
    pass


class TruncatedBody(Exception):
    """A compressed body that stops before its compressed stream ends."""


class _Decoder(Protocol):
    def feed(self, data: bytes, room: int) -> bytes: ...
    def flush(self, room: int) -> bytes: ...


class _Identity:
    def feed(self, data: bytes, room: int) -> bytes:
        return data

    def flush(self, room: int) -> bytes:
        return b""


class _Zlib:
    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._d = zlib.decompressobj(wbits)
        self._started = False
        self._fed = False

    def feed(self, data: bytes, room: int) -> bytes:
        out = []
        got = 0
        buf = data
        self._fed = self._fed or bool(data)
        while True:
            try:
                part = self._d.decompress(buf, room - got + 1)
            except zlib.error:
                if self._wbits == zlib.MAX_WBITS and not self._started:
                    # "deflate" is raw deflate on some servers: retry without zlib header.
                    self._wbits = -zlib.MAX_WBITS
                    self._d = zlib.decompressobj(self._wbits)
                    continue
                raise
            self._started = True
            out.append(part)
            got += len(part)
            if got > room:
                break
            buf = self._d.unconsumed_tail
            if not buf:
                # gzip allows several members back to back: continue with the next one.
                if self._d.eof and self._d.unused_data and self._wbits > 16:
                    rest = self._d.unused_data
                    self._d = zlib.decompressobj(self._wbits)
                    buf = rest
                    continue
                break
        return b"".join(out)

    def flush(self, room: int) -> bytes:
        tail = self._d.flush(max(room + 1, 1))
        if self._fed and not self._d.eof:
            # zlib gives what it could decode and says nothing: a transfer cut off
            # (a proxy, a server restart) became a record of half an article.
            raise TruncatedBody(f"the {'gzip' if self._wbits > 16 else 'deflate'} stream "
                                "ends before its end: the body was cut off")
        return tail


class _Brotli:
    def __init__(self) -> None:
        import brotli

        self._d = brotli.Decompressor()

    def feed(self, data: bytes, room: int) -> bytes:
        out = [self._d.process(data, output_buffer_limit=room + 1)]
        got = len(out[0])
        while got <= room and not self._d.is_finished() and not self._d.can_accept_more_data():
            part = self._d.process(b"", output_buffer_limit=room - got + 1)
            if not part:
                break
            out.append(part)
            got += len(part)
        return b"".join(out)

    def flush(self, room: int) -> bytes:
        return b""


def _decoder_for(encoding: str) -> _Decoder:
    enc = encoding.strip().lower()
    if enc in ("", "identity", "none"):
        return _Identity()
    if enc in ("gzip", "x-gzip"):
        return _Zlib(16 + zlib.MAX_WBITS)
    if enc == "deflate":
        return _Zlib(zlib.MAX_WBITS)
    if enc == "br":
        try:
            return _Brotli()
        except ImportError:
            raise UnsupportedEncoding(enc) from None
    raise UnsupportedEncoding(enc)


def accept_encoding() -> str:
    """What we ask for: only encodings decoded under the cap here."""
    return "gzip, deflate"


class CappedDecoder:
    """Decode a body (possibly several stacked encodings) and stop past ``cap`` bytes."""

    def __init__(self, content_encoding: str | None, cap: int) -> None:
        names = [e for e in (content_encoding or "").split(",") if e.strip()]
        # Content-Encoding lists codings in the order applied: undo them in reverse.
        self._chain = [_decoder_for(e) for e in reversed(names)] or [_Identity()]
        self.compressed = any(not isinstance(d, _Identity) for d in self._chain)
        self.cap = cap
        self.size = 0
        self._parts: list[bytes] = []

    def feed(self, data: bytes) -> None:
        for dec in self._chain:
            data = dec.feed(data, self.cap - self.size)
            if len(data) > self.cap - self.size:
                raise BodyTooLarge(self.size + len(data), self.compressed)
        self._take(data)

    def finish(self) -> bytes:
        data = b""
        for dec in self._chain:
            if data:
                data = dec.feed(data, self.cap - self.size)
            data += dec.flush(self.cap - self.size)
        self._take(data)
        body = b"".join(self._parts)
        self._parts = []
        return body

    def _take(self, data: bytes) -> None:
        if not data:
            return
        self.size += len(data)
        if self.size > self.cap:
            raise BodyTooLarge(self.size, self.compressed)
        self._parts.append(data)
