"""Bytes to text, refusing what is not text instead of guessing silently.

The default is strict UTF-8: a mis-decoded page produces mojibake records that look
valid and poison a corpus, so a bad byte is a reject whose message says exactly where
it is and how to tell pagewash the right encoding. Guessing happens only when asked
(``--encoding auto``).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from scraper.errors import ConfigError, DecodeError
from scraper.readers.base import printable_sample

SNIFF_BYTES = 8192
CONTROL_RATIO = 0.10
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f")
_CONTROL = frozenset(range(0x20)) - _ALLOWED_CONTROLS | {0x7F}

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

ENCODING_HINT = "pass --encoding auto to guess, or name it, e.g. --encoding cp1251"


def check_encoding(name: str) -> str:
    """The codec's canonical name, or ``auto``; a bad name stops the run before it starts."""
    if name == "auto":
        return name
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ConfigError(
            f"unknown encoding {name!r} (use a Python codec name such as cp1251, or 'auto')"
        ) from None


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` (the first bytes of an input) is not text, or None when it may be."""
    head = head[:SNIFF_BYTES]
    if b"\x00" in head:
        return "binary file (NUL bytes), not text"
    if head:
        controls = sum(1 for b in head if b in _CONTROL)
        if controls > CONTROL_RATIO * len(head):
            return f"binary file ({100 * controls // len(head)}% control characters), not text"
    return None


class BadBytes(DecodeError):
    """A :class:`DecodeError` that keeps the readable text around the bad byte."""

    def __init__(self, source: str, reason: str, message: str, sample: str = "") -> None:
        super().__init__(source, reason, message)
        self.sample = sample


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


def decode_text(data: bytes, source: str, encoding: str = "utf-8") -> Decoded:
    """Decode a whole text input; raise :class:`DecodeError` (reason ``binary``,
    ``not-utf8`` or ``undecodable``) with a message that points at the bad byte.

    ``encoding`` must already be canonical (see :func:`check_encoding`). A BOM wins
    over the default and over ``auto`` because it is the file saying what it is; an
    explicitly named codec wins over a BOM because the user may know better.
    """
    enc = encoding
    if enc in ("utf-8", "auto"):
        enc = bom_encoding(data) or enc
    wide = enc.startswith(("utf-16", "utf-32"))
    if not wide:
        why = binary_reason(data)
        if why:
            raise BadBytes(source, "binary", f"{source}: {why}", printable_sample(data[:64]))
    if enc == "auto":
        return _guess(data, source)
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as err:
        raise _decode_error(data, source, enc, err) from None
    return Decoded(text.removeprefix("\ufeff"), enc)


def decode_line(data: bytes | bytearray, source: str, encoding: str = "utf-8") -> str:
    """Decode one line of a line-based input (JSONL); errors name the column."""
    enc = "utf-8" if encoding == "auto" else encoding
    try:
        return data.decode(enc)
    except UnicodeDecodeError as err:
        if encoding == "auto":
            return _guess(data, source).text
        raise _decode_error(data, source, enc, err, in_line=True) from None


def _guess(data: bytes | bytearray, source: str) -> Decoded:
    try:
        return Decoded(data.decode("utf-8").removeprefix("\ufeff"), "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError(
            source,
            "undecodable",
            f"{source}: no text encoding fits these bytes (tried UTF-8 and a guess); "
            "name the encoding with --encoding if you know it",
        )
    return Decoded(str(best), best.encoding)


def _decode_error(
    data: bytes | bytearray, source: str, enc: str, err: UnicodeDecodeError, in_line: bool = False
) -> BadBytes:
    pos = err.start
    line_start = data.rfind(b"\n", 0, pos) + 1
    line = data.count(b"\n", 0, pos) + 1
    column = len(data[line_start:pos].decode(enc, "replace")) + 1
    bad = data[pos : min(err.end, pos + 4)]
    shown = " ".join(f"0x{b:02X}" for b in bad)
    where = f"column {column}" if in_line else f"line {line}, column {column}"
    line_end = data.find(b"\n", pos)
    sample = data[max(line_start, pos - 80) : line_end if line_end >= 0 else pos + 80]
    sample_text = printable_sample(sample.decode(enc, "backslashreplace"))
    if enc in ("utf-8", "utf-8-sig"):
        return BadBytes(
            source,
            "not-utf8",
            f"{source}: not valid UTF-8 at {where} (byte {shown}, offset {pos}); "
            f"if the input uses another encoding, {ENCODING_HINT}",
            sample_text,
        )
    return BadBytes(
        source,
        "undecodable",
        f"{source}: cannot decode as {enc} at {where} (byte {shown}, offset {pos}); "
        "check the --encoding option or try --encoding auto",
        sample_text,
    )
