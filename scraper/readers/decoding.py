"""Bytes to text, refusing what is not text instead of guessing silently.

The default is strict UTF-8: a mis-decoded page produces mojibake records that look
valid and poison a corpus, so a bad byte is a reject whose message says exactly where
it is and how to tell pagewash the right encoding. Guessing happens only when asked
(``--encoding auto``).

Guessing starts with UTF-8, and forgives a few bad bytes (see :class:`Utf8Evidence`):
real text often has a stray byte or two pasted in from a Latin-1 fragment, and decoding
the whole of it with a legacy codec to fit those bytes turns every curly quote and
accented letter into mojibake (``“`` -> ``вЂњ``). Browsers decode such text as UTF-8 with
U+FFFD for the bad bytes, and so does pagewash, saying how many it replaced.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from scraper.errors import ConfigError, DecodeError
from scraper.readers.base import ByteStream, Wrapping, printable_sample, reader_of

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

# When UTF-8 with a few invalid bytes is still UTF-8 (see Utf8Evidence.fits). Legacy
# text almost never forms valid multi-byte UTF-8: Western and Cyrillic legacy text
# forms none (a high byte next to ASCII is invalid), CJK text forms some by accident
# but always leaves far more invalid bytes (the fixtures: 70 valid characters to 375
# invalid bytes in Shift_JIS, 66 to 372 in GB18030). A simulation of random CJK
# snippets in GB18030, Big5, EUC-KR, EUC-JP and Shift_JIS of 3-12 characters found
# 1 in 320,000 that passed the undeclared rule (20 at 4 per bad byte, none at 6);
# 2 per bad byte errs only on snippets of 3-8 characters (about 1%).
UTF8_MIN_CHARS = 4  # undeclared: valid multi-byte characters before any bad byte is forgiven
UTF8_CHARS_PER_BAD_BYTE = 5  # undeclared: and this many of them per invalid byte
UTF8_DECLARED_CHARS_PER_BAD_BYTE = 2  # declared UTF-8 (label or BOM): most characters valid
_HIGH_BYTES = bytes(range(0x80, 0x100))

ENCODING_HINT = "pass --encoding auto to guess, or name it, e.g. --encoding cp1251"


def check_encoding(name: str) -> str:
    """The codec's canonical name, or ``auto``; a bad name stops the run before it starts."""
    if name == "auto":
        return name
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ConfigError(
            f"unknown encoding {name!r} (use a Python codec name such as cp1251, or 'auto')"
        ) from None
    # rot13, hex, base64 are codecs too, but from str to str or bytes to bytes
    if not getattr(info, "_is_text_encoding", True):
        raise ConfigError(f"{name!r} is not a text encoding (use one such as cp1251, or "
                          "'auto')")
    return info.name


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


# The opening of an HTML page: what a UTF-16 page without a BOM must start with (after
# white space) for its NUL bytes to be read as text, not as a binary file's.
_MARKUP_START = ("<!doctype", "<html", "<head", "<?xml", "<!--", "<meta", "<body", "<title")
_WIDE_SAMPLE = 512  # bytes of the head looked at: 256 UTF-16 code units


def utf16_markup(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when ``data`` is an HTML page in UTF-16 without a
    byte-order mark, else None.

    Windows tools ("Save as Unicode", PowerShell's ``Out-File``) write such pages. Their
    ASCII markup has a NUL beside every byte (``<\\x00h\\x00t\\x00m\\x00l\\x00``), which
    read as a binary file's. Evidence, all of it: on one side of the byte pairs at least
    a third are NUL (markup is ASCII, even on a page of Cyrillic or CJK text), on the
    other side few are (only characters such as U+4E00 put one there); the head,
    decoded, opens with markup. A binary file fails that last test.
    """
    head = data[:_WIDE_SAMPLE]
    pairs = len(head) // 2
    if pairs < 8:
        return None
    head = head[: 2 * pairs]
    low, high = head[0::2].count(0), head[1::2].count(0)
    for codec, zeros, others in (("utf-16-le", high, low), ("utf-16-be", low, high)):
        if 8 * others > zeros or 3 * zeros < pairs:
            continue
        try:
            text = head.decode(codec)
        except UnicodeDecodeError:  # a surrogate pair cut at the sample's end
            text = head[:-2].decode(codec, "replace")
        if text.lstrip(" \t\r\n").lower().startswith(_MARKUP_START):
            return codec
    return None


# Compressed formats pagewash does not read: named, since "binary file" sent users of a
# .jsonl.bz2 or .jsonl.xz dump looking for damage in a file that is fine.
_OTHER_COMPRESSION = ((b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"\x04\x22\x4d\x18", "lz4"),
                      (b"PK\x03\x04", "zip"), (b"7z\xbc\xaf\x27\x1c", "7-Zip"))


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` (the first bytes of an input) is not text, or None when it may be."""
    head = head[:SNIFF_BYTES]
    for magic, name in _OTHER_COMPRESSION:
        if head.startswith(magic) and (name != "bzip2" or head[3:4].isdigit()):
            return (f"{name}-compressed, not text: pagewash reads gzip and zstd; "
                    "decompress it, or recompress it with zstd")
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
class Utf8Evidence:
    """Bytes decoded as UTF-8 with ``errors="replace"``, and how well they fit UTF-8."""

    text: str
    chars: int  # non-ASCII characters from valid multi-byte sequences
    bad_bytes: int  # bytes in invalid sequences (each run of them is one U+FFFD in text)

    def fits(self, declared: bool = False) -> bool:
        """Are these bytes UTF-8, the invalid ones stray bytes to replace?

        Valid UTF-8 always is. Otherwise the valid multi-byte characters must outnumber
        the invalid bytes: by :data:`UTF8_DECLARED_CHARS_PER_BAD_BYTE` to one when the
        bytes say they are UTF-8 (a charset label, a BOM), else by
        :data:`UTF8_CHARS_PER_BAD_BYTE` to one and at least :data:`UTF8_MIN_CHARS` of them.
        """
        if not self.bad_bytes:
            return True
        if declared:
            return self.chars >= UTF8_DECLARED_CHARS_PER_BAD_BYTE * self.bad_bytes
        return (
            self.chars >= UTF8_MIN_CHARS
            and self.chars >= UTF8_CHARS_PER_BAD_BYTE * self.bad_bytes
        )

    @property
    def label(self) -> str:
        """``utf-8``, or e.g. ``utf-8 (2 invalid bytes replaced)`` for the record."""
        if not self.bad_bytes:
            return "utf-8"
        return f"utf-8 ({self.bad_bytes} invalid byte{'s' if self.bad_bytes > 1 else ''} replaced)"


# The record flag of a document whose stray bytes were replaced by U+FFFD: the text is
# not what the bytes said everywhere, and a corpus may want to know.
REPLACED_FLAG = "invalid-bytes-replaced"


def bytes_replaced(encoding: str) -> bool:
    """Was this :attr:`Utf8Evidence.label` one of a decoding that replaced bytes?"""
    return encoding.startswith("utf-8 (")


def utf8_evidence(data: bytes | bytearray) -> Utf8Evidence:
    """``data`` as UTF-8 (invalid bytes replaced by U+FFFD, one per invalid run) and the
    counts :meth:`Utf8Evidence.fits` weighs; C-speed passes only, no loop over bytes."""
    ascii_bytes = len(data.translate(None, _HIGH_BYTES))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", "replace")
    else:
        return Utf8Evidence(text, len(text) - ascii_bytes, 0)
    # U+FFFD written as EF BF BD is text; the others stand for invalid runs.
    runs = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    # Each run is 3 bytes in the re-encoded text, and was bad_bytes long in data.
    bad_bytes = len(data) - len(text.encode("utf-8")) + 3 * runs
    return Utf8Evidence(text, len(text) - ascii_bytes - runs, bad_bytes)


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
    if encoding == "auto" and enc == "utf-8-sig":
        # The BOM says UTF-8: a few stray bytes are replaced (as without a BOM), while
        # more than a few are a reject that points at the first one, as before.
        ev = utf8_evidence(data[len(codecs.BOM_UTF8) :])
        if ev.fits(declared=True):
            return Decoded(ev.text, ev.label if ev.bad_bytes else enc)
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as err:
        raise _decode_error(data, source, enc, err) from None
    return Decoded(text.removeprefix("\ufeff"), enc)


def decode_line(data: bytes | bytearray, source: str, encoding: str = "utf-8") -> Decoded:
    """Decode one line of a line-based input (JSONL); errors name the column. The
    encoding says, as for a whole text, whether stray bytes were replaced."""
    enc = "utf-8" if encoding == "auto" else encoding
    try:
        return Decoded(data.decode(enc), enc)
    except UnicodeDecodeError as err:
        if encoding == "auto":
            return _guess(data, source)
        raise _decode_error(data, source, enc, err, in_line=True) from None


def _guess(data: bytes | bytearray, source: str) -> Decoded:
    """UTF-8, forgiving a few stray bytes (see :class:`Utf8Evidence`), else a guess."""
    ev = utf8_evidence(data)
    if ev.fits():
        return Decoded(ev.text.removeprefix("\ufeff"), ev.label)
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


WIDE_ENCODINGS = ("utf-16", "utf-32")


class Transcoded(Wrapping):
    """A UTF-16 or UTF-32 byte stream read back as UTF-8 bytes.

    The line readers split on the byte 0x0A, which in UTF-16 is half of many
    characters and only half of a newline: such a JSON Lines file was one "binary file"
    reject, even with ``--encoding utf-16``. Decoded incrementally, in the stream's own
    chunks; bytes that are not the encoding raise :class:`UnicodeDecodeError`, which
    the line reader reports as a broken line (``undecodable``), not a crash.
    """

    def __init__(self, stream: ByteStream, encoding: str) -> None:
        super().__init__(stream)
        self._read = reader_of(stream)
        self._decoder = codecs.getincrementaldecoder(encoding)("strict")
        self._pending = b""
        self._done = False
        self._error: UnicodeDecodeError | None = None

    def read(self, size: int | None = -1) -> bytes:
        while not self._pending and not self._done:
            if self._error is not None:
                raise self._error
            data = self._read(1 << 16)
            self._done = not data
            try:
                text = self._decoder.decode(data, final=self._done)
            except UnicodeDecodeError as exc:
                # What came before the bad bytes is read first (whole lines of it are
                # documents); the error comes with the next read, at the line it cuts.
                text = exc.object[: exc.start].decode(exc.encoding)
                self._error, self._done = exc, False
            self._pending = text.encode("utf-8", "surrogatepass")
        if size is None or size < 0:
            out, self._pending = self._pending, b""
        else:
            out, self._pending = self._pending[:size], self._pending[size:]
        return out

    read1 = read
