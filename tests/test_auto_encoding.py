"""``--encoding auto`` on text that is UTF-8 but for a few invalid bytes.

A stray byte (a Latin-1 ``é`` pasted into UTF-8 text) used to send the whole input to
charset-normalizer, which picked a legacy codec that fits every byte and turned each
curly quote into mojibake (``“significant”`` -> ``‚Äúsignificant‚Äù`` in mac_roman).
Such text is UTF-8 with U+FFFD for the bad bytes, and the record says how many.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.errors import DecodeError
from scraper.readers.decoding import decode_line, decode_text

TEXT = (
    "The minister called it a “significant escalation” — the third this year.\n"
    "«Это недопустимо», — заявил представитель министерства.\n"
    "The café owners’ naïve résumé was “déjà vu”, they said.\n"
)


def _stray(text: str, words: tuple[str, ...]) -> tuple[bytes, str]:
    """``text`` in UTF-8 with the ``é`` of each of ``words`` as a raw Latin-1 byte, and
    the text expected back (U+FFFD in its place)."""
    data, expected = text.encode("utf-8"), text
    for word in words:
        broken = word.encode().replace("é".encode(), b"\xe9", 1)
        data = data.replace(word.encode("utf-8"), broken, 1)
        expected = expected.replace(word, word.replace("é", "\ufffd", 1), 1)
    return data, expected


@pytest.mark.parametrize("words", [("café",), ("café", "déjà")], ids=["one", "two"])
def test_auto_keeps_utf8_with_stray_bytes(tmp_path: Path, read_inputs, words) -> None:
    data, expected = _stray(TEXT, words)
    f = tmp_path / "news.txt"
    f.write_bytes(data)
    res = read_inputs([f], encoding="auto")
    assert res.rejects == []
    [doc] = res.docs
    assert doc.text == expected
    assert doc.text.count("\ufffd") == len(words)  # only where the bad bytes were
    assert "‚Äú" not in doc.text and "вЂ" not in doc.text
    n = len(words)
    assert doc.meta["encoding"] == f"utf-8 ({n} invalid byte{'s' if n > 1 else ''} replaced)"


def test_auditor_text_with_one_stray_byte() -> None:
    text = ("He called it “significant” — twice. “Very,” he added.\n"
            "Then he left the café.\n")
    data, expected = _stray(text, ("café",))
    decoded = decode_text(data, "t.txt", "auto")
    assert decoded.text == expected
    assert decoded.encoding == "utf-8 (1 invalid byte replaced)"


def test_default_encoding_still_rejects_a_bad_byte(tmp_path: Path, read_inputs) -> None:
    """Only ``auto`` forgives: the default strict UTF-8 still refuses, with the place."""
    data, _ = _stray(TEXT, ("café",))
    f = tmp_path / "news.txt"
    f.write_bytes(data)
    res = read_inputs([f])
    assert res.docs == [] and res.reject_for(str(f)).reason == "not-utf8"


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("cp1251", "Съешь же ещё этих мягких французских булок, да выпей чаю. "
                   "Агентство «ТАСС» сообщило о росте производства.\n"),
        ("cp1252", "Les élèves de l’école ont préparé des crêpes et un gâteau à la crème "
                   "pour la fête de fin d’année.\n"),
        ("latin-1", "Größere Städte müssen öffentliche Verkehrsmittel ausbauen, "
                    "sagte der Bürgermeister.\n"),
    ],
)
def test_legacy_text_is_not_utf8(tmp_path: Path, read_inputs, codec: str, text: str) -> None:
    f = tmp_path / "legacy.txt"
    f.write_bytes(text.encode(codec) * 3)
    res = read_inputs([f], encoding="auto")
    [doc] = res.docs
    assert doc.text == text * 3
    assert not doc.meta["encoding"].startswith("utf")


def test_bom_with_a_stray_byte_under_auto(tmp_path: Path, read_inputs) -> None:
    data, expected = _stray(TEXT, ("café",))
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbf" + data)
    [doc] = read_inputs([f], encoding="auto").docs
    assert doc.text == expected
    assert doc.meta["encoding"] == "utf-8 (1 invalid byte replaced)"
    # A BOM on text that is mostly not UTF-8 is still a reject pointing at the byte.
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xef\xbb\xbf" + "Привет, мир. Съешь же ещё.".encode("cp1251"))
    with pytest.raises(DecodeError) as err:
        decode_text(bad.read_bytes(), str(bad), "auto")
    assert err.value.reason == "not-utf8"


def test_jsonl_line_with_a_stray_byte_under_auto() -> None:
    line = '{"text": "“Quoted” — naïve café, résumé"}'.encode().replace(
        "café".encode(), b"caf\xe9")
    expected = '{"text": "“Quoted” — naïve caf\ufffd, résumé"}'
    assert decode_line(line, "x.jsonl:1", "auto").text == expected
    # One lone Latin-1 byte and no UTF-8 at all is still Latin-1, as before.
    assert "café" in decode_line(b'{"text": "un caf\xe9 cr\xe8me"}', "x.jsonl:2",
                                 "auto").text


def test_utf8_evidence_counts() -> None:
    from scraper.readers.decoding import utf8_evidence

    ev = utf8_evidence("“ok” — é".encode())
    assert (ev.chars, ev.bad_bytes, ev.fits()) == (4, 0, True)
    # A literal U+FFFD in the text is a valid character, not a bad byte; a truncated
    # 3-byte sequence (E2 80) is one U+FFFD for two bad bytes.
    ev = utf8_evidence("a \ufffd b “c” d".encode() + b"\xe2\x80 e \xe9")
    assert (ev.chars, ev.bad_bytes) == (3, 3)
    assert ev.text == "a \ufffd b “c” d\ufffd e \ufffd"
    assert ev.label == "utf-8 (3 invalid bytes replaced)"
    assert not ev.fits() and not ev.fits(declared=True)
    assert utf8_evidence("“ab” — ö".encode() + b"\xe9").fits(declared=True)
    assert not utf8_evidence("“ab” — ö".encode() + b"\xe9").fits()  # 4 < 5 per bad byte


def test_replaced_bytes_flag_the_record(tmp_path: Path) -> None:
    """The record says its text is not what every byte said: the flag reaches the
    output of clean (--encoding auto) and of extract, where the encoding label does not."""
    import json
    import os

    from scraper.jobs import clean_files, extract_files

    data, _ = _stray(TEXT * 3, ("café",))
    (tmp_path / "news.txt").write_bytes(data)
    page = b"<html><head><meta charset='utf-8'><title>T</title></head><body><article><p>"
    (tmp_path / "page.html").write_bytes(page + data + b"</p></article></body></html>")
    (tmp_path / "clean.txt").write_text(TEXT * 3, encoding="utf-8")
    quiet = open(os.devnull, "w")  # noqa: SIM115
    clean_files([str(tmp_path / "news.txt"), str(tmp_path / "clean.txt")],
                str(tmp_path / "c.jsonl"), encoding="auto", err=quiet)
    extract_files([str(tmp_path / "page.html")], str(tmp_path / "x.jsonl"), err=quiet)
    cleaned = [json.loads(line) for line in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert [r.get("flags", []) for r in cleaned] == [["invalid-bytes-replaced"], []]
    [extracted] = [json.loads(line) for line in (tmp_path / "x.jsonl").read_text().splitlines()]
    assert "invalid-bytes-replaced" in extracted["flags"]
