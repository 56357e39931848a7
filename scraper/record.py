"""The one article record every command writes, and its JSON Schema.

Records are plain ``dict`` objects (they go straight to JSON); this module is the only
place that builds them, so every command agrees on ids, hashes and field formats.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from cleaners.patterns import word_tally
from scraper import __version__
from scraper.document import Document
from scraper.urls import normalize_url

Record = dict[str, Any]

def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def count_words(text: str) -> int:
    return word_tally(text)[0]


_WORDS_KEY = "_words"  # meta key (never written): (the text, its word tally)


def document_tally(doc: Document) -> tuple[int, int]:
    """(words, their characters) of ``doc.text`` (:func:`cleaners.patterns.words`:
    ``\\w+`` runs, each Han or kana character on its own; the count is ``word_count``),
    counted once however many steps ask: the corpus filters and the record builder both
    need them. Counted, not listed: a list of a 50 MB document's words held for the
    whole of its way through the corpus steps was 480 MB.

    Kept beside the very string they came from, so a step that replaces the text gets
    a fresh count, never a stale one.
    """
    cached = doc.meta.get(_WORDS_KEY)
    if cached is not None and cached[0] is doc.text:
        return cached[1]
    tally = word_tally(doc.text)
    doc.meta[_WORDS_KEY] = (doc.text, tally)
    return tally


@cache
def _tld_extractor() -> Any:
    # The bundled public-suffix snapshot only: pagewash must never reach the network
    # just to name a site, and a fetched list would make ids depend on the day.
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url: str | None) -> str | None:
    """``https://www.bbc.co.uk/x`` -> ``bbc.co.uk``; hosts without a suffix are kept whole."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    if not host.isascii():  # the spelling crawl stores: bücher.de is xn--bcher-kva.de
        with contextlib.suppress(UnicodeError):
            host = host.encode("idna").decode("ascii")
    parts = _tld_extractor()(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}".lower()
    return host.lower()


def stable_id(url: str | None, input_hash: str) -> str:
    """Id from the URL when there is one, else from the hash of the raw input.

    Hashing the *raw* input rather than the cleaned text keeps ids stable when the
    cleaner improves, and gives byte-identical inputs the same id (they are the same
    document).
    """
    if url:
        # one page, one id, whichever command saw it and however the URL was spelled
        # (crawl keys its frontier by the same spelling)
        return "u" + sha256_hex(normalize_url(url) or url.strip())[:24]
    return "h" + input_hash[:24]


def record_id(doc: Document) -> Any:
    """The ``id`` :func:`build_record` gives ``doc``, for steps that name a document before
    it is written (a dropped duplicate points at the id of the record it duplicates)."""
    if doc.id is not None:
        return doc.id
    meta = doc.meta
    url = meta.get("canonical_url") or doc.url
    if url:
        return stable_id(url, "")  # (the URL names it: no text to hash)
    return stable_id(None, meta.get("input_hash") or sha256_hex(doc.text))


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_record(
    doc: Document,
    *,
    with_removed: bool = False,
    processed_at: str | None = None,
) -> Record:
    """Turn a finished :class:`Document` into a schema-valid record.

    ``doc.meta["input_hash"]`` (set by the step that first changes the text) feeds the
    id of documents that have neither an input id nor a URL.
    """
    meta = doc.meta
    url = doc.url
    canonical = meta.get("canonical_url")
    rec: Record = {
        "id": record_id(doc),
        "url": url,
        "source": doc.source,
        "site": registered_domain(canonical or url),
        "title": doc.title,
        "authors": [a for a in meta.get("authors", []) if a],
        "published": meta.get("published"),
        "language": doc.language,
        "text": doc.text,
        "word_count": document_tally(doc)[0] if _WORDS_KEY in doc.meta
        else count_words(doc.text),
        "content_hash": sha256_hex(doc.text),
        "processed_at": processed_at or utc_now(),
        "pagewash_version": __version__,
    }
    for key in (
        "canonical_url", "site_name", "description", "tags", "image", "page_type",
        "format", "fetched_at", "http_status",
    ):
        if key in meta:
            rec[key] = meta[key]
    # "empty" describes this record's text, whatever an input record said: a record
    # of an earlier run flagged empty and given text since was counted empty again.
    flags = [f for f in doc.flags if f != "empty"]
    if not doc.text.strip():
        flags.append("empty")
    if flags:
        rec["flags"] = flags
    if with_removed:
        rec["removed"] = [r.to_dict() for r in doc.removed]
    return rec


@cache
def record_schema() -> dict[str, Any]:
    """The JSON Schema shipped inside the package (``scraper/schema/record.schema.json``)."""
    text = resources.files("scraper").joinpath("schema/record.schema.json").read_text("utf-8")
    return json.loads(text)


# RFC 3339 date-time, what the schema's "format": "date-time" means. jsonschema checks
# that format only when the optional rfc3339-validator is installed, and otherwise lets
# any string through without a word, so the check is registered here.
_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # the type check reports other types
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:  # 2024-02-30, 25:00
        return False
    return True


@cache
def _format_checker() -> Any:
    import jsonschema

    checker = jsonschema.FormatChecker()
    checker.checks("date-time")(_is_date_time)
    return checker


@cache
def _validator() -> Any:
    import jsonschema

    schema = record_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=_format_checker())


@cache
def _field_validator(name: str) -> Any:
    import jsonschema

    schema = record_schema()
    sub = schema["properties"][name]
    cls = jsonschema.validators.validator_for(schema)
    return cls(sub, format_checker=_format_checker())


def field_is_valid(name: str, value: Any) -> bool:
    """Whether ``value`` may stand in the record's field ``name`` (the schema decides)."""
    return bool(_field_validator(name).is_valid(value))


def validate_record(rec: Record) -> None:
    """Raise ``jsonschema.ValidationError`` when ``rec`` does not follow the schema."""
    _validator().validate(rec)


def record_errors(rec: Record) -> list[str]:
    """Every schema violation of ``rec`` as readable strings (empty when valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '<record>'}: {e.message}"
        for e in _validator().iter_errors(rec)
    ]
