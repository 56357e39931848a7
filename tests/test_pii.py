"""``pagewash corpus --redact-pii``: e-mail and public IP addresses replaced, lookalikes
kept, and the run reports what it replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scraper.cli import app
from scraper.jobs import corpus_files
from scraper.steps.pii import redact


@pytest.mark.parametrize(("text", "expected", "emails", "ips"), [
    ("Write to jane.doe@mail.example.org or press@bbc.co.uk.",
     "Write to email@example.com or email@example.com.", 2, 0),
    ("Contact Ünal at ünal.kaya@beispiel.de today", "Contact Ünal at email@example.com today",
     1, 0),
    ("The resolver at 8.8.8.8, not 192.168.1.10 or 127.0.0.1.",
     "The resolver at 192.0.2.1, not 192.168.1.10 or 127.0.0.1.", 0, 1),
    ("Servers 2606:4700:4700::1111 and fe80::1 and ::1",
     "Servers 2001:db8::1 and fe80::1 and ::1", 0, 1),
    ("See http://93.184.216.34/admin and 8.8.8.8/8.8.4.4.",
     "See http://192.0.2.1/admin and 192.0.2.1/192.0.2.1.", 0, 3),
    ("o'brien@acme.com, bounce=x1@acme.com, user@example.xn--p1ai",
     "email@example.com, email@example.com, email@example.com", 3, 0),
    ("auth = ('me@example.org', 'secret')  # quoted in code",
     "auth = ('email@example.com', 'secret')  # quoted in code", 1, 0),
])
def test_addresses_are_replaced(text: str, expected: str, emails: int, ips: int) -> None:
    assert redact(text) == (expected, emails, ips)


@pytest.mark.parametrize("text", [
    "See Section 7.8.2.1 for examples.",  # a section number
    "Server: openresty/1.9.7.1",  # a version
    "Upgrade to v4.1.1.1 today, or release 2.10.3.4.5.",
    "Multicast 224.0.0.1 and the range 8.8.8.0/24.",
    "At 10:30:00 the ratio was 3:2; std::vector and a::b are C++.",
    "Follow @pagewash on x.com; user@localhost is no address.",
    "email@example.com and 192.0.2.1 and 2001:db8::1 are already replacements.",
    "Retina images image@2x.png and photo@1.5x.jpeg; python-3.11.2.1 is a version.",
    "Ranges 8.8.8.0/24 and 2001:4860::/32 name no one host.",
    "18.8.8.88.8:: is no address of either kind.",
])
def test_lookalikes_and_replacements_are_kept(text: str) -> None:
    assert redact(text) == (text, 0, 0)


def test_corpus_redacts_only_when_asked(tmp_path: Path) -> None:
    body = ("The city council approved a plan for protected cycling lanes on Tuesday, "
            "after a long debate about parking and deliveries in the old town. ")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in [
        {"id": "a", "text": body * 3 + "Send tips to tips@gazette.example.com."},
        # the same article with another reporter's address: a copy once redacted
        {"id": "b", "text": body * 3 + "Send tips to news@gazette.example.com."},
        {"id": "c", "text": "A different report about the harbour and its ferries, "
                            "which run from 8.8.4.4 every hour. " * 4},
    ]), "utf-8")
    out = tmp_path / "out.jsonl"
    summary = corpus_files([str(src)], str(out), near_dedup=False)
    assert summary.records_out == 3 and "pii.documents" not in summary.stats

    result = CliRunner().invoke(app, ["corpus", str(src), "-o", str(out), "--redact-pii",
                                      "--no-near-dedup", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "redacted: 2 e-mail and 4 IP addresses in 3 documents" in result.output
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a", "c"]  # b is a's exact copy now
    assert records[0]["text"].endswith("Send tips to email@example.com.")
    assert "8.8.4.4" not in records[1]["text"] and "from 192.0.2.1 every" in records[1]["text"]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789abcdef.:@/- x", max_size=60))
def test_redaction_is_idempotent(text: str) -> None:
    once = redact(text)[0]
    assert redact(once)[0] == once


BODY = ("The city council approved a plan for protected cycling lanes on Tuesday, after a "
        "long debate about parking and deliveries in the old town. ") * 3


def test_redaction_covers_every_text_field_of_the_record(tmp_path: Path) -> None:
    """Only the text was redacted: a title "Write to john.doe@…" or a description
    with an IP address went out in the released records. The URL stays (identity)."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({
        "id": "p", "url": "https://news.example.org/a?from=8.8.8.8",
        "title": "Write to john.doe@gmail.com", "authors": ["jane@corp.com", "Jane Roe"],
        "description": "Contact jane@corp.com from 8.8.8.8", "tags": ["8.8.4.4", "cycling"],
        "text": BODY}) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    summary = corpus_files([str(src)], str(out), near_dedup=False, redact_pii=True)
    [rec] = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert rec["title"] == "Write to email@example.com"
    assert rec["description"] == "Contact email@example.com from 192.0.2.1"
    assert rec["authors"] == ["email@example.com", "Jane Roe"]
    assert rec["tags"] == ["192.0.2.1", "cycling"]
    assert rec["url"] == "https://news.example.org/a?from=8.8.8.8" and rec["text"] == BODY.strip()
    assert (summary.stats["pii.emails"], summary.stats["pii.ips"]) == (3, 2)


def test_a_state_keeps_to_one_redaction_setting(tmp_path: Path) -> None:
    """A state's hashes are of redacted or of raw text: a run of the other kind found
    none of its documents again and wrote them once more, addresses included."""
    from scraper.errors import StateError

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": BODY + "Tips: tips@gazette.example.com"})
                   + "\n", "utf-8")
    state = str(tmp_path / "state.sqlite")
    first = corpus_files([str(src)], str(tmp_path / "1.jsonl"), state=state,
                         redact_pii=True)
    assert first.records_out == 1
    with pytest.raises(StateError, match="made with --redact-pii and this run is without"):
        corpus_files([str(src)], str(tmp_path / "2.jsonl"), state=state)
    again = corpus_files([str(src)], str(tmp_path / "3.jsonl"), state=state, redact_pii=True)
    assert again.records_out == 0 and again.dropped == {"exact-duplicate": 1}


def test_a_refused_run_does_not_fix_a_new_state_to_its_setting(tmp_path: Path) -> None:
    """The state took --redact-pii before the run was refused (its output named its
    input), and a later, right run without it was refused for the state's setting."""
    from scraper.errors import ConfigError

    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": BODY}) + "\n", "utf-8")
    state = str(tmp_path / "state.sqlite")
    with pytest.raises(ConfigError, match="would be overwritten"):
        corpus_files([str(src)], str(src), state=state, redact_pii=True)
    assert corpus_files([str(src)], str(tmp_path / "o.jsonl"), state=state).records_out == 1
