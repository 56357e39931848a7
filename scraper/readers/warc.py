"""WARC/WET archives through warcio, with damage reported instead of swallowed.

warcio is lenient by design (it is built for replay): a file cut inside a record
yields a record with a short payload, or a record whose headers stop half-way, or
simply ends. For a corpus builder a silently shortened page is worse than a missing
one, so every record is checked against its own ``Content-Length`` and the iterator's
final position against the bytes actually read, and against what follows it (warcio
only warns when a record's ``Content-Length`` is wrong). A damaged record is one reject
at ``path@offset``; in a regular file reading resumes at the next whole record found
after it (a gzip member or a ``WARC/1.`` line that warcio reads as a record), so one bad
record in a 40,000-record WET costs that record. From a pipe the damage ends the input.

Records that are not documents in the current mode are counted under
``skipped_records`` with the reason, so that a WARC of HTML responses read in text
mode shows up as "500 skipped" rather than as an empty run.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.limitreader import LimitReader
from warcio.utils import BUFF_SIZE

from scraper.document import Document
from scraper.errors import DecodeError, partial_content_reason
from scraper.readers.base import (
    ByteStream,
    CountingReader,
    Item,
    ReadOptions,
    read_capped,
    reject,
    reject_from,
    too_large,
)
from scraper.readers.decoding import (
    REPLACED_FLAG,
    bom_encoding,
    bytes_replaced,
    decode_text,
    utf16_markup,
)

WARC_TYPES = frozenset(
    {
        "warcinfo",
        "response",
        "resource",
        "request",
        "metadata",
        "revisit",
        "conversion",
        "continuation",
    }
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# The record flag of a document whose WARC record says its payload was cut short
# (``WARC-Truncated: length``, ``time``, ``disconnect``, ``unspecified``).
TRUNCATED_FLAG = "truncated-payload"
_DRAIN = 1 << 16


class _Damaged(Exception):
    """Internal: the current record is damaged; carries the reject to emit."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def read_warc(
    stream: ByteStream, label: str, opts: ReadOptions, stats: Counter[str],
    resume: CountingReader | None = None,
) -> Iterator[Item]:
    """Yield documents (and per-record rejects) from one WARC stream; ``label`` names it.

    ``resume``: the stream itself when it is a regular file read from its start (plain,
    or one gzip member per record). A damaged record is then a reject and reading goes
    on at the next record start found after it; otherwise the damage ends the file.
    """
    it = _Iterator(stream)
    record: Any = None  # a record already read (the first one after resuming)
    gz = stream is resume and _gzip_magic(resume)
    while True:
        # damage found: (where, offset, reason, message, and the message to give instead
        # when nothing whole follows it, the file's end: None when it cannot be that)
        damage: tuple[str, int, str, str, str | None]
        try:
            if record is None:
                record = next(it)
        except StopIteration:
            break
        except Exception as exc:
            offset = _offset(it)
            cut = _at_eof(it) and offset > 0
            # (in a file gzipped whole, warcio's offsets count backwards: the file is named)
            where = f"{label}@{offset}" if offset >= 0 else label
            damage = (where, offset, "bad-warc", _parse_failure(label, offset, "bad-warc", exc),
                      _parse_failure(label, offset, "truncated", exc) if cut else None)
        else:
            offset = _offset(it)
            source = f"{label}@{offset}"
            stats["warc_records"] += 1
            try:
                item = _record_item(record, source, opts, stats, it)
            except _Damaged as bad:
                damage = (source, offset, bad.reason, bad.message,
                          bad.message if bad.reason == "truncated" else None)
            except Exception as exc:
                # a compressed stream that ends early is a cut file, from a pipe as from disk
                message = f"{label}: cannot read the WARC record at offset {offset}: {exc}"
                damage = (source, offset, "bad-warc", message,
                          message if isinstance(exc, EOFError) else None)
            else:
                record = None
                if item is not None:
                    yield item
                continue
        where, offset, reason, message, at_end = damage
        # A whole record further on means damage here, not the file's end: warcio may have
        # buffered a small file whole, so "nothing more to read" proves nothing then.
        resumed = _resume(resume, offset, gz) if offset >= 0 else None
        if at_end is not None and resumed is None:
            yield reject(where, "truncated", at_end)
            return
        if resumed is not None and reason == "truncated":
            reason = "bad-warc"  # cut short, but whole records follow: damage, not the end
        yield reject(where, reason, message + _resumed_note(offset, resumed, resume is not None))
        if resumed is None:
            return
        it, record = resumed[0], resumed[1]
    end, consumed = _offset(it), _consumed(it)
    if end is not None and consumed > end:
        yield reject(
            f"{label}@{end}",
            "truncated",
            f"{label}: {consumed - end} bytes at offset {end} are not a whole WARC record "
            "(the file was cut short or has trailing garbage)",
        )


_SCAN = 1 << 20


def _resume(stream: CountingReader | None, damaged: int,
            gz: bool) -> tuple[ArchiveIterator, Any, int] | None:
    """The next whole record after the damaged one at ``damaged``: (iterator, its first
    record, offset), or None when the rest of the file holds none. Candidates are the
    next gzip member or ``WARC/1.`` line; one counts only when warcio reads a WARC
    record from it (a byte pattern inside compressed data is no record)."""
    if stream is None:
        return None
    marker = b"\x1f\x8b\x08" if gz else b"WARC/1."
    pos = damaged + 1
    while True:
        found = _find(stream, marker, pos)
        if found is None:
            return None
        stream.seek_to(found)
        it = _Iterator(stream)
        try:
            record = next(it)
            length = record.rec_headers.get_header("Content-Length") or ""
            if record.format == "warc" and record.rec_type in WARC_TYPES and length.isdigit():
                return it, record, found
        except Exception:  # not a record start: look further
            pass
        pos = found + 1


def _find(stream: CountingReader, marker: bytes, start: int) -> int | None:
    stream.seek_to(start)
    keep = b""
    base = start
    while True:
        chunk = stream.read(_SCAN)
        if not chunk:
            return None
        data = keep + chunk
        at = data.find(marker)
        if at >= 0:
            return base - len(keep) + at
        keep = data[-(len(marker) - 1):]
        base += len(chunk)


def _resumed_note(damaged: int, resumed: tuple[ArchiveIterator, Any, int] | None,
                  searched: bool = True) -> str:
    if resumed is None and damaged <= 0:
        return ""  # nothing was read: "not a WARC file" says it all
    if resumed is None and not searched:
        return ("; the rest of this input is not read (a pipe, or a file compressed as one "
                "stream, cannot be searched for the next record)")
    if resumed is None:
        return "; no whole WARC record follows it, so the rest of the file is not read"
    return (f"; {resumed[2] - damaged} bytes from offset {damaged} skipped, reading resumes "
            f"at the next record (offset {resumed[2]})")


def _gzip_magic(stream: CountingReader) -> bool:
    here = stream.count
    stream.seek_to(0)
    head = stream.read(3)
    stream.seek_to(here)
    return head == b"\x1f\x8b\x08"


class _StrictReader(DecompressingBufferedReader):  # type: ignore[misc]
    """warcio prints a gzip member's data error to stderr and reads on, printing it
    again for every block to the end of the file (a bad member in the middle of a 1 GB
    WET: tens of thousands of unattributed lines, then the whole rest read for nothing).
    Raised instead, the error is the damaged record's reject, and reading resumes. (A
    first block that fails is taken for uncompressed data, as warcio does, unless it
    starts as gzip: then its bytes would only be reported as an unreadable header.)"""

    def _decompress(self, data: bytes) -> bytes:
        if self.decompressor is not None and data and (
                self.num_block_read > 0 or data[:2] == b"\x1f\x8b"):
            try:
                return bytes(self.decompressor.decompress(data))
            except zlib.error as exc:
                raise OSError(f"corrupt gzip data ({exc})") from None
        return bytes(super()._decompress(data))


class _Iterator(ArchiveIterator):  # type: ignore[misc]
    """warcio writes "WARNING: Record not followed by newline" to stderr itself, from
    this template; the damage it means is a reject naming the record instead."""

    INC_RECORD = ""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream, block_size=BUFF_SIZE)
        self.reader = _StrictReader(self.fh, block_size=BUFF_SIZE)


def _record_item(
    record: Any, source: str, opts: ReadOptions, stats: Counter[str], it: ArchiveIterator
) -> Item | None:
    rec_type = record.rec_type
    if record.format != "warc":
        # warcio also reads ARC, and takes almost any text line for an ARC header.
        where = "not a WARC file" if _offset(it) == 0 else "not a WARC record"
        raise _Damaged("bad-warc", f"{source}: {where} (no WARC/1.x header)")
    length = record.rec_headers.get_header("Content-Length")
    if rec_type not in WARC_TYPES or not (length or "").strip().isdigit():
        reason = "truncated" if _at_eof(it) else "bad-warc"
        what = "cut short" if reason == "truncated" else "damaged"
        raise _Damaged(
            reason,
            f"{source}: WARC record header is {what} "
            f"(WARC-Type {rec_type!r}, Content-Length {length!r})",
        )
    why_skip = _skip_reason(record, opts)
    body: bytes | None = b""
    if why_skip is None:
        body = read_capped(record.content_stream(), opts.max_bytes)
        if body is not None and record.http_headers is not None and not _content_type(record):
            why_skip = None if _looks_like_html(body) else "non_html"
    _check_complete(record, source)
    _check_boundary(it, body, source)
    if why_skip is not None:
        stats["skipped_records"] += 1
        stats[f"skipped_records.{why_skip}"] += 1
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    if body and (coding := _undecoded_coding(record, body)) is not None:
        hint = " (install the brotli package)" if coding == "br" else ""
        return reject(source, "content-encoding",
                      f"{source}: the response for {url or 'its URL'} is compressed with "
                      f"Content-Encoding {coding}, which this installation cannot undo{hint}",
                      body[:64])
    if (fragment := partial_content(record)) is not None:
        return reject(source, "partial-content",
                      f"{source}: the response for {url or 'its URL'} is {fragment}")
    if body is None:
        return too_large(source, "the WARC record's payload", opts.max_bytes)
    warc_date = record.rec_headers.get_header("WARC-Date")
    if rec_type == "conversion":
        # A page with no text (Common Crawl writes a conversion record of length 0, or
        # of a few blanks, for an image-only or script-only page) is a document with
        # empty text, as a JSONL record with an empty text field is: ``clean`` writes it
        # flagged ``empty``, ``corpus`` drops it as ``empty``. It is not bad input, and
        # rejecting it made every real WET run exit 3.
        doc = Document(source=source, text="", url=url)
        if body.strip():
            try:
                decoded = decode_text(body, source, opts.encoding)
            except DecodeError as err:
                return reject_from(err, getattr(err, "sample", ""))
            doc.text = decoded.text
            if bytes_replaced(decoded.encoding):  # as a text file's record says it
                doc.flags.append(REPLACED_FLAG)
    elif not body.strip():
        return reject(source, "empty", f"{source}: WARC {rec_type} record has an empty payload")
    else:
        doc = Document(source=source, html=body, url=url)
        if record.http_headers is not None:
            doc.meta["http_headers"] = _headers(record.http_headers.headers)
            doc.meta["http_status"] = int(record.http_headers.get_statuscode())
        if warc_date and _is_datetime(warc_date):
            doc.meta["fetched_at"] = warc_date  # WARC-Date of a capture is its fetch time
    if warc_date:
        doc.meta["warc_date"] = warc_date
    cut = (record.rec_headers.get_header("WARC-Truncated") or "").strip()
    if cut:
        # The crawler stored only the start of the payload (Common Crawl keeps the first
        # 1 MiB of a response; wget and Heritrix cut at their size or time limits): the
        # page may lack its end. Kept, since most such pages are script-heavy and hold
        # their text early, but flagged, where it read as a whole page.
        doc.flags.append(TRUNCATED_FLAG)
        stats[f"truncated_payloads.{cut.lower()}"] += 1
    return doc


def _skip_reason(record: Any, opts: ReadOptions) -> str | None:
    """Why this record is not a document in this mode, or None when it is one."""
    rec_type = record.rec_type
    if opts.mode == "text":
        return None if rec_type == "conversion" else rec_type
    if rec_type == "response" and record.http_headers is not None:
        try:
            status = int(record.http_headers.get_statuscode())
        except (TypeError, ValueError):
            return "bad_status"
        if not 200 <= status < 300:
            return "non_2xx"
        ctype = _content_type(record)
        return None if not ctype or ctype in HTML_TYPES else "non_html"
    if rec_type == "resource":
        return None if _content_type(record) in HTML_TYPES else "non_html"
    return rec_type


def _undecoded_coding(record: Any, body: bytes) -> str | None:
    """The HTTP ``Content-Encoding`` warcio left undone (``br`` without the brotli
    package, ``zstd``, ``compress``) when the payload is still compressed, else None.

    warcio hands such a payload over as it is: the compressed bytes were a "binary data
    (NUL bytes)" reject, or mojibake, with nothing to say why. A payload that already
    reads as markup (an archiver that stored it decoded, header and all) is kept, and
    so is one under a value that names no compression: servers send ``none``,
    ``UTF-8`` or ``binary`` there, which warcio rightly leaves alone, and a plain page
    that does not open with ``<`` (a BOM first, UTF-16) was refused as compressed."""
    if record.http_headers is None:
        return None
    coding = (record.http_headers.get_header("Content-Encoding") or "").strip().lower()
    if coding not in _COMPRESSIONS or coding in _decompressors():
        return None
    return None if _looks_like_html(body) or body[:256].lstrip().startswith(b"<") else coding


# The compressions of the IANA HTTP Content Coding registry ("identity" is none): only
# these leave a payload that is not the page's bytes.
_COMPRESSIONS = frozenset({"aes128gcm", "br", "compress", "dcb", "dcz", "deflate", "exi", "gzip",
                           "pack200-gzip", "x-compress", "x-gzip", "zstd"})


def _decompressors() -> frozenset[str]:
    from warcio.bufferedreaders import BufferedReader

    return frozenset(BufferedReader.get_supported_decompressors())


def partial_content(record: Any) -> str | None:
    """Why a ``206 Partial Content`` response is no page (see
    :func:`scraper.errors.partial_content_reason`), or None for any other record. Only
    HTML ones get here: a 206 of a video or PDF is skipped as non-HTML, as a 200 is."""
    if record.http_headers is None:
        return None
    try:
        status = int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None
    if status != 206:
        return None
    return partial_content_reason(record.http_headers.get_header("Content-Range") or "")


def _content_type(record: Any) -> str:
    if record.http_headers is not None:
        value = record.http_headers.get_header("Content-Type") or ""
    else:
        value = record.content_type or ""
    return value.split(";", 1)[0].strip().lower()


def _looks_like_html(body: bytes) -> bool:
    """Does a payload without a Content-Type open as a page? Past its byte-order mark,
    if it has one: a UTF-16 page with its BOM (read from a file) was skipped as
    non-HTML, and so was a UTF-8 one whose BOM hid its opening ``<!DOCTYPE html>``."""
    if (bom := bom_encoding(body)) is not None:  # (each of these codecs drops the BOM)
        body = body[:4096].decode(bom, "replace").encode("utf-8")
    head = body[:1024].lstrip().lower()
    return (head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
            or utf16_markup(body) is not None)


def _check_complete(record: Any, source: str) -> None:
    """Read the rest of the record and raise :class:`_Damaged` when bytes are missing."""
    raw = record.raw_stream
    while raw.read(_DRAIN):
        pass
    if isinstance(raw, LimitReader) and raw.limit > 0:
        declared = raw._orig_limit
        raise _Damaged(
            "truncated",
            f"{source}: WARC record is cut short: Content-Length is {declared} bytes but only "
            f"{declared - raw.limit} are present",
        )


# The start of the next record, swallowed by a Content-Length that is too long.
_NEXT_RECORD = re.compile(rb"\r?\n\r?\nWARC/1\.[01]\r?\nWARC-[A-Za-z-]+: ")


def _check_boundary(it: ArchiveIterator, body: bytes | None, source: str) -> None:
    """A record must end where its Content-Length says: text after that end (the length
    is too short) or the next record's header inside the payload (too long) means the
    payload is cut or has a stranger glued on. warcio only warns, and carries on."""
    if body and _NEXT_RECORD.search(body):
        raise _Damaged("bad-warc", f"{source}: WARC record's Content-Length is too long: "
                       "its payload runs into the next record")
    errors = it.err_count
    it.read_to_end()
    if it.err_count > errors:
        raise _Damaged("bad-warc", f"{source}: WARC record's Content-Length does not match "
                       "its payload: something other than the record's end follows it")


def _headers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        out[key] = f"{out[key]}, {value}" if key in out else value  # RFC 9110 field combining
    return out


def _is_datetime(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value


def _offset(it: ArchiveIterator) -> int:
    # ``get_record_offset()`` would first read the rest of the current record, which
    # is exactly what must not happen before its payload is read (or after a parse
    # failure); ``offset`` is the same value, kept by warcio as the record starts.
    return int(getattr(it, "offset", 0) or 0)


def _consumed(it: ArchiveIterator) -> int:
    try:
        return int(it.fh.tell())
    except (OSError, ValueError, AttributeError):
        return 0


def _at_eof(it: ArchiveIterator) -> bool:
    """True when the underlying stream has nothing more: a failure there is a cut."""
    try:
        return not it.fh.read(1)
    except Exception:
        return False


def _parse_failure(label: str, offset: int, reason: str, exc: Exception) -> str:
    text = " ".join(str(exc).split())
    if "non-chunked gzip" in text:
        return (
            f"{label}: the whole file is one gzip stream, not one gzip member per WARC "
            "record; fix it with `warcio recompress IN OUT` (or gunzip it)"
        )
    if reason == "truncated":
        return f"{label}: WARC file ends inside a record header at offset {offset} (cut short)"
    if offset == 0:
        return f"{label}: not a WARC file ({text[:160] or type(exc).__name__})"
    return f"{label}: cannot parse the WARC record at offset {offset}: {text[:160]}"
