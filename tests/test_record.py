"""The shared record: ids, hashes, site names, and the JSON Schema shipped in the package."""

from __future__ import annotations

import jsonschema
import pytest

from scraper.document import Document
from scraper.record import (
    build_record,
    record_errors,
    record_schema,
    registered_domain,
    sha256_hex,
    stable_id,
    validate_record,
)


def test_schema_is_shipped_and_is_a_valid_json_schema() -> None:
    schema = record_schema()
    jsonschema.validators.validator_for(schema).check_schema(schema)
    assert set(schema["required"]) >= {"id", "url", "source", "text", "content_hash", "language"}


def test_input_id_url_and_title_are_carried_through_unchanged() -> None:
    doc = Document(source="in.jsonl:3", text="Body text here.", id=42,
                   url="https://www.bbc.co.uk/news/x?utm_source=y", title="As Given  ")
    rec = build_record(doc)
    assert rec["id"] == 42
    assert rec["url"] == "https://www.bbc.co.uk/news/x?utm_source=y"
    assert rec["title"] == "As Given  "
    assert rec["site"] == "bbc.co.uk"
    validate_record(rec)


def test_id_comes_from_canonical_url_else_from_the_raw_input() -> None:
    a = build_record(Document(source="a", text="x", url="https://e.com/a"))
    b = build_record(Document(source="b", text="y", url="https://e.com/a"))
    assert a["id"] == b["id"] == stable_id("https://e.com/a", "")
    c = build_record(Document(source="c", text="same", meta={"input_hash": sha256_hex("raw 1")}))
    d = build_record(Document(source="d", text="same", meta={"input_hash": sha256_hex("raw 2")}))
    assert c["id"] != d["id"] and c["id"].startswith("h")
    canon = build_record(Document(source="e", text="z", url="https://e.com/a?ref=x",
                                  meta={"canonical_url": "https://e.com/a"}))
    assert canon["id"] == a["id"]


def test_hash_word_count_and_empty_flag() -> None:
    rec = build_record(Document(source="s", text="Two words"))
    assert rec["content_hash"] == sha256_hex("Two words") and rec["word_count"] == 2
    empty = build_record(Document(source="s", text=""))
    assert empty["flags"] == ["empty"] and empty["word_count"] == 0
    validate_record(empty)


def test_removed_blocks_are_written_only_when_asked() -> None:
    from cleaners.result import Removal

    doc = Document(source="s", text="t", removed=[Removal("counter", "• 5 views", 3)])
    assert "removed" not in build_record(doc)
    rec = build_record(doc, with_removed=True)
    assert rec["removed"] == [{"rule": "counter", "text": "• 5 views", "line": 3}]
    validate_record(rec)


@pytest.mark.parametrize(
    ("field", "value"),
    [("published", "24 Oct 2024"), ("language", "English"), ("content_hash", "abc"),
     ("word_count", -1)],
)
def test_schema_rejects_malformed_fields(field: str, value: object) -> None:
    rec = build_record(Document(source="s", text="t"))
    rec[field] = value
    assert record_errors(rec)


@pytest.mark.parametrize(
    ("url", "site"),
    [("https://www.bbc.co.uk/x", "bbc.co.uk"), ("http://news.example.com:8080/a", "example.com"),
     ("http://127.0.0.1:8000/x", "127.0.0.1"), ("not a url", None), (None, None)],
)
def test_registered_domain_is_offline_and_public_suffix_aware(url: str | None,
                                                              site: str | None) -> None:
    assert registered_domain(url) == site
