"""JSON Lines: one document per line, bad lines rejected one by one.

A dump with one broken line in a million is still a good dump, so every problem is
local to its line (``path:line``) and the reader goes on with the next one. Fields a
user will join on later (``id``, ``url``, ``title``) are carried through exactly as
given -- an integer id stays an integer -- and only fields with a known shape
(``authors``, ``published``) are checked; a bad one is dropped and flagged rather
than failing the whole document.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from scraper.document import Document
from scraper.errors import DecodeError
from scraper.readers.base import ByteStream, Item, ReadOptions, reject, reject_from, too_large
from scraper.readers.decoding import REPLACED_FLAG, bytes_replaced, decode_line
from scraper.readers.lines import Broken, LongLine, iter_lines
from scraper.record import field_is_valid

# Same shape as the record schema's "published" pattern: anything else that
# fromisoformat happens to accept (ISO week dates, basic format) is normalised.
_SECONDS = re.compile(r"\d:?\d{2}:?\d{2}(?:[.,](\d+))?\s*(?:[Zz+-]|$)")
_PUBLISHED_SHAPE = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
# Record fields carried through with ReadOptions.record_fields (records in, records out):
# everything build_record takes from doc.meta; the rest (site, word_count, content_hash,
# ...) is derived again from the text and URL, so it can never disagree with them.
RECORD_FIELDS = ("canonical_url", "site_name", "description", "tags", "image", "page_type",
                 "format", "fetched_at", "http_status")


def read_jsonl(stream: ByteStream, label: str, opts: ReadOptions) -> Iterator[Item]:
    """Yield a :class:`Document` or a reject per non-blank line; ``label`` names the input.

    A file of no lines, or of blank ones, holds no record and yields nothing: it is what
    a run that kept nothing writes (``corpus`` against a state that already has it all),
    and reading such outputs back must not call them bad input. (A text file of nothing
    is a reject: there the file itself is the document, and it is missing.)
    """
    field = opts.html_field if opts.mode == "html" else opts.text_field
    opens_json: bool | None = None  # whether the first line with anything on it does
    seen = 0  # bytes read before the line at hand
    for event in iter_lines(stream, opts.max_bytes):
        source = f"{label}:{event.number}"
        if not isinstance(event, Broken) and (opens_json is None or (
                not opens_json and seen < SNIFF_BYTES)):
            # A file whose first line with anything on it does not open like JSON, and
            # whose first 8 KiB hold a NUL or bytes that are no UTF-8, is a binary file
            # with a JSONL name, which would otherwise give one reject per "line" of
            # noise: hundreds for a PDF, whose "%PDF-1.7" is a line of text, or for
            # noise after a blank line. A JSON line with one stray NUL still opens with
            # "{": that line is the reject, not the whole file.
            head = event.head if isinstance(event, LongLine) else event.data[:SNIFF_BYTES]
            if opens_json is None and head.strip():
                opens_json = head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")
            if opens_json is False and (b"\x00" in head or not _utf8(head)):
                yield reject(
                    label, "binary", f"{label}: binary file (NUL bytes or no UTF-8), not JSON "
                    "Lines", head)
                return
            seen += len(head) + 1
        if isinstance(event, Broken):
            yield reject(
                source,
                event.reason,
                f"{label}: {event.detail} while reading line {event.number}; "
                f"{event.number - 1} complete lines before it were read",
            )
            return
        if isinstance(event, LongLine):
            yield too_large(source, f"line {event.number}", opts.max_bytes, event.head)
            continue
        raw = event.data
        if event.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw or raw.isspace():  # blank lines are layout, not documents
            continue
        item = parse_line(raw, source, field, opts)
        del raw, event  # not held while the document goes through every step
        yield item


SNIFF_BYTES = 8192  # what a file's first lines are looked at for binary noise


def _utf8(head: bytes | bytearray) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start >= len(head) - 3  # a character cut by the 8 KiB window
    return True


class _NotJson(ValueError):
    """A value Python's parser accepts and JSON does not (NaN, Infinity, 1e999): no
    output record could hold it, so the line is refused here, by name."""


def _refuse_constant(name: str) -> Any:
    raise _NotJson(f"{name} is not a JSON number")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _NotJson(f"{literal[:40]} is out of the range of a JSON number")
    return value


def json_kind(value: object) -> str:
    """What a value read from JSON is, in JSON's words: the messages said Python's ("a
    int", "NoneType", "a JSON str") to users who wrote JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"  # (a Parquet value: bytes, a date)


def parse_line(raw: bytes | bytearray, source: str, field: str, opts: ReadOptions) -> Item:
    """One non-blank line to a :class:`Document` or a reject."""
    try:
        decoded = decode_line(raw, source, opts.encoding)
    except DecodeError as err:
        return reject_from(err, getattr(err, "sample", ""))
    text = decoded.text
    try:
        obj = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except json.JSONDecodeError as err:
        # (some of json's messages end in "at" already: "Unterminated string starting at")
        where = "column" if err.msg.endswith(" at") else "at column"
        return reject(
            source, "bad-json", f"{source}: not valid JSON: {err.msg} {where} {err.colno}", text
        )
    except _NotJson as err:
        return reject(source, "bad-json", f"{source}: not valid JSON: {err}", text)
    except ValueError as err:  # an integer of more than 4,300 digits (int's own limit)
        return reject(source, "bad-json", f"{source}: not readable JSON: {err}", text)
    except RecursionError:
        return reject(source, "bad-json", f"{source}: JSON nested too deeply", text)
    if not isinstance(obj, dict):
        return reject(source, "not-object",
                      f"{source}: line is {json_kind(obj)}, not a JSON object", text)
    item = parse_object(obj, source, field, opts, text)
    if (isinstance(item, Document) and bytes_replaced(decoded.encoding)
            and REPLACED_FLAG not in item.flags):
        item.flags.append(REPLACED_FLAG)  # as a text file's record says it
    return item


def parse_object(obj: dict[str, Any], source: str, field: str, opts: ReadOptions,
                 text: str = "") -> Item:
    """One input record (a JSON line, a Parquet row) to a :class:`Document` or a reject;
    ``text`` is the record as read, for the reject's sample."""
    value = obj.get(field)
    # (bytes only from a Parquet binary column of HTML, which the extractor decodes)
    if not (isinstance(value, str) or (isinstance(value, bytes) and opts.mode == "html")):
        what = "missing" if field not in obj else f"{json_kind(value)}, not a string"
        keys = ", ".join(list(obj)[:10])
        return reject(
            source,
            "missing-field",
            f"{source}: field {field!r} is {what} (fields present: {keys or 'none'}); "
            f"choose the field with --{'html' if opts.mode == 'html' else 'text'}-field",
            text,
        )
    if opts.mode == "html" and not value.strip():
        # (an empty page is no page for the extractor, as an empty HTML file is not;
        # text records in, records out: a record whose text is empty is still a record,
        # as a WET conversion record of no text is: ``clean`` writes it flagged
        # ``empty``, ``corpus`` drops it as ``empty``)
        return reject(source, "empty", f"{source}: field {field!r} is empty")
    return _document(obj, value, source, opts)


def _document(obj: dict[str, Any], value: str | bytes, source: str, opts: ReadOptions
              ) -> Document:
    doc = Document(source=source)
    if opts.mode == "html" or isinstance(value, bytes):
        doc.html = value
    else:
        doc.text = value
    doc_id = obj.get("id")
    # A string or integer id is carried through as it is (type kept); any other value
    # (3.5, true, a list) is one the record schema refuses, so the record gets a derived
    # id, as one without any, and a flag.
    if doc_id is None or (isinstance(doc_id, str | int) and not isinstance(doc_id, bool)):
        doc.id = doc_id
    else:
        doc.flags.append("bad-id")
    for key in ("url", "title"):
        val = obj.get(key)
        if isinstance(val, str):
            setattr(doc, key, val)
        elif val is not None:
            doc.flags.append(f"bad-{key}")
    if "authors" in obj:
        authors, ok = _authors(obj["authors"])
        doc.meta["authors"] = authors
        if not ok:
            doc.flags.append("bad-authors")
    published = obj.get("published")
    if published is None:
        published = obj.get("date")
    if published is not None:
        norm = normalise_published(published)
        if norm is None:
            doc.flags.append("bad-published")
        else:
            doc.meta["published"] = norm
    if opts.record_fields:
        _carry_record_fields(obj, doc)
    if opts.mode == "html" and "headers" in obj:
        headers = obj["headers"]
        if isinstance(headers, dict):
            doc.meta["http_headers"] = {str(k).lower(): v for k, v in headers.items()}
        else:
            doc.flags.append("bad-headers")
    if opts.mode == "html" and not opts.record_fields and "http_status" in obj:
        # the status the page was served with tells a 404's page from an article
        status = obj["http_status"]
        if isinstance(status, int) and not isinstance(status, bool) and 100 <= status < 600:
            doc.meta["http_status"] = status
        elif status is not None:
            doc.flags.append("bad-http_status")
    return doc


def _carry_record_fields(obj: dict[str, Any], doc: Document) -> None:
    """Language and metadata of an input record, each checked against the record schema:
    a value the schema refuses is dropped and flagged, so output records stay valid."""
    language = obj.get("language")
    if language is not None:
        if field_is_valid("language", language):
            doc.language = language
        else:
            doc.flags.append("bad-language")
    for key in RECORD_FIELDS:
        if key in obj:
            if field_is_valid(key, obj[key]):
                doc.meta[key] = obj[key]
            else:
                doc.flags.append(f"bad-{key}")
    # An earlier step's flags ("invalid-bytes-replaced", "bad-id") still describe the text
    flags = obj.get("flags")
    if flags is not None:
        if field_is_valid("flags", flags):
            doc.flags.extend(f for f in dict.fromkeys(flags) if f not in doc.flags)
        else:
            doc.flags.append("bad-flags")


def _authors(value: Any) -> tuple[list[str], bool]:
    if isinstance(value, str):
        return ([value] if value.strip() else []), True
    if isinstance(value, list):
        names = [a for a in value if isinstance(a, str) and a.strip()]
        return names, len(names) == len(value)
    return [], value is None


def _precision(text: str, parsed: datetime) -> str:
    """The ``isoformat`` timespec that writes ``parsed`` to the precision ``text`` has
    (a fraction of .947 stays .947, not .947000; .000 goes)."""
    m = _SECONDS.search(text)
    if m is None:
        return "minutes"
    if not parsed.microsecond:
        return "seconds"
    return "milliseconds" if len(m.group(1) or "") <= 3 else "microseconds"


def normalise_published(value: Any) -> str | None:
    """An ISO 8601 date, or date-time in one shape (a ``T``; the offset as ``+05:00``,
    or ``Z`` where the input wrote Z), of anything ``fromisoformat`` accepts; else None.

    Pages write ``2024-10-08T06:17:34-0500`` or ``2025-12-19 12:00:00Z``; records that
    each spell an instant their own way sort and compare wrongly, so every command
    writes the one shape (and a record read back keeps it: this is idempotent).
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    zulu = text.endswith(("Z", "z"))
    if zulu:
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    try:
        return date.fromisoformat(text).isoformat()  # a date alone stays a date
    except ValueError:
        pass
    offset = parsed.utcoffset()
    if offset is not None and offset.seconds % 60:
        # "+01:00:30" (a local mean time): no ISO 8601 offset has seconds, so the same
        # instant is written in UTC
        parsed = parsed.astimezone(UTC)
        out = parsed.isoformat().replace("+00:00", "Z")
    else:  # to the precision given: 10:02 stays 10:02, 10:02:00 keeps its seconds
        out = parsed.isoformat(timespec=_precision(text, parsed))
        if zulu and out.endswith("+00:00"):
            out = out[: -len("+00:00")] + "Z"
    return out if _PUBLISHED_SHAPE.match(out) else None
