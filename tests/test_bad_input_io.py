"""Bad input never stops a run: each problem is one clear reject, the rest still flows."""

from __future__ import annotations

import gzip
import io
import json
import os
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
import zstandard

from scraper.readers.base import printable_sample

MiB = 1 << 20


def lines_jsonl(n: int, start: int = 0) -> bytes:
    rows = (json.dumps({"id": i, "text": f"line {i}"}) + "\n" for i in range(start, n))
    return "".join(rows).encode()


# -- not text ---------------------------------------------------------------------------


def test_binary_file_is_rejected(tmp_path: Path, read_inputs) -> None:
    png = tmp_path / "photo.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(200))
    ctl = tmp_path / "controls.txt"
    ctl.write_bytes(b"ab\x01\x02\x03\x04\x05\x06cd" * 50)  # no NUL, but mostly control chars
    res = read_inputs([png, ctl])
    assert res.docs == []
    rej = res.reject_for(str(png))
    assert rej.reason == "binary" and rej.step == "read"
    assert rej.message == f"{png}: binary file (NUL bytes), not text"
    assert "PNG" in rej.sample
    assert res.reject_for(str(ctl)).reason == "binary"
    assert "control characters" in res.reject_for(str(ctl)).message


def test_non_utf8_file_names_line_column_and_byte(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "ru.txt"
    text = "First line is ASCII.\nВторая строка по-русски.\n"
    f.write_bytes(text.encode("cp1251"))
    res = read_inputs([f])
    assert res.docs == []
    rej = res.reject_for(str(f))
    assert rej.reason == "not-utf8"
    assert str(f) in rej.message
    assert "line 2, column 1" in rej.message
    assert "0xC2" in rej.message  # 'В' in cp1251
    assert "--encoding auto" in rej.message and "--encoding cp1251" in rej.message
    assert rej.sample.startswith("\\xc2")  # the bad bytes, shown escaped

    mid = tmp_path / "mid.txt"
    mid.write_bytes(b"ok\nabc \xe9t\xe9\n")
    assert "line 2, column 5" in read_inputs([mid]).reject_for(str(mid)).message

    fixed = read_inputs([f], encoding="cp1251")
    assert [d.text for d in fixed.docs] == [text] and fixed.rejects == []


def test_wrong_explicit_encoding_is_a_reject_not_a_crash(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "x.txt"
    f.write_bytes("naïve café".encode())
    res = read_inputs([f], encoding="ascii")
    rej = res.reject_for(str(f))
    assert rej.reason == "undecodable" and "ascii" in rej.message and "column 3" in rej.message


def test_jsonl_line_with_bad_utf8(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "x.jsonl"
    f.write_bytes(b'{"text":"good"}\n{"text":"caf\xe9"}\n{"text":"also good"}\n')
    res = read_inputs([f])
    assert [d.text for d in res.docs] == ["good", "also good"]
    rej = res.reject_for(f"{f}:2")
    assert rej.reason == "not-utf8" and "column 13" in rej.message
    assert [d.text for d in read_inputs([f], encoding="latin-1").docs][1] == "café"


# -- empty ------------------------------------------------------------------------------


def test_empty_inputs(tmp_path: Path, read_inputs) -> None:
    zero = tmp_path / "zero.txt"
    zero.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n  \r\n")
    blank_jsonl = tmp_path / "blank.jsonl"
    blank_jsonl.write_text("\n\n  \n")
    field = tmp_path / "field.jsonl"
    field.write_text('{"text":"   "}\n{"text":"kept"}\n')
    res = read_inputs([zero, blank, blank_jsonl, field])
    # an empty text file is a missing document; JSON Lines of blank lines hold no
    # record; a record of blank text is a document (an empty record)
    assert [d.source for d in res.docs] == [f"{field}:1", f"{field}:2"]
    for source in (str(zero), str(blank)):
        assert res.reject_for(source).reason == "empty"
    assert "0 bytes" in res.reject_for(str(zero)).message
    assert len(res.rejects) == 2


# -- malformed JSON Lines -------------------------------------------------------------------


def test_malformed_jsonl_lines_are_rejected_one_by_one(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "mixed.jsonl"
    f.write_text(
        '{"id":1,"text":"first"}\n'
        '{"id":2,"text":"broken",\n'
        '["an","array"]\n'
        '{"id":4,"body":"no text field"}\n'
        '{"id":5,"text":null}\n'
        '{"id":6,"text":"last"}\n'
    )
    res = read_inputs([f])
    assert [d.id for d in res.docs] == [1, 6]
    bad = res.reject_for(f"{f}:2")
    assert bad.reason == "bad-json"
    assert bad.message.startswith(f"{f}:2: not valid JSON")
    assert bad.sample == '{"id":2,"text":"broken",'
    assert res.reject_for(f"{f}:3").reason == "not-object"
    missing = res.reject_for(f"{f}:4")
    assert missing.reason == "missing-field"
    assert "'text'" in missing.message and "missing" in missing.message
    assert "body" in missing.message  # says which fields there are
    assert res.reject_for(f"{f}:5").reason == "missing-field"
    assert "field 'text' is null, not a string" in res.reject_for(f"{f}:5").message
    assert len(res.rejects) == 4


def test_jsonl_reject_messages_speak_json(tmp_path: Path, read_inputs) -> None:
    """The messages said "Unterminated string starting at at column 21" (json's own
    message ends in "at"), "field 'text' is a int" and "line is a JSON str" (Python's
    type names, not JSON's)."""
    f = tmp_path / "bad.jsonl"
    f.write_text('{"id": "b", "text": "broken\n'
                 '{"text": 5}\n{"text": true}\n{"text": ["a"]}\n{"text": {"a": 1}}\n'
                 '"a string"\n[1, 2]\n3.5\nnull\n{"text": "ok"}\n')
    res = read_inputs([f])
    assert res.reject_for(f"{f}:1").message == (
        f"{f}:1: not valid JSON: Unterminated string starting at column 21")
    kinds = {2: "a number", 3: "a boolean", 4: "an array", 5: "an object"}
    for line, kind in kinds.items():
        assert f"field 'text' is {kind}, not a string" in res.reject_for(f"{f}:{line}").message
    lines = {6: "a string", 7: "an array", 8: "a number", 9: "null"}
    for line, kind in lines.items():
        reject = res.reject_for(f"{f}:{line}")
        assert (reject.reason, reject.message) == (
            "not-object", f"{f}:{line}: line is {kind}, not a JSON object")
    assert [d.text for d in res.docs] == ["ok"]


def test_a_json_file_is_read_as_json_lines_or_refused_as_one_document(
        tmp_path: Path, read_inputs) -> None:
    """A ``.json`` file was read as one text document: JSON Lines under that name (as
    many dumps are named) and a JSON array of records alike became one record whose
    text was the quotes, keys and brackets."""
    lines = tmp_path / "dump.json"
    lines.write_text('{"id": "a", "text": "first"}\n{"id": "b", "text": "second"}\n')
    array = tmp_path / "records.json"
    array.write_text('[\n {"id": "a", "text": "first"},\n {"id": "b", "text": "second"}\n]\n')
    packed = tmp_path / "records.json.gz"
    packed.write_bytes(gzip.compress(array.read_bytes()))
    indented = tmp_path / "one.json"
    indented.write_text('{\n  "id": "a",\n  "text": "first"\n}\n')
    prose = tmp_path / "notes.json"
    prose.write_text("Not JSON at all, just a note.\n")
    res = read_inputs([lines, array, packed, indented, prose])
    assert [(d.source, d.id, d.text) for d in res.docs] == [
        (f"{lines}:1", "a", "first"), (f"{lines}:2", "b", "second"),
        (str(prose), None, "Not JSON at all, just a note.\n")]
    for path in (array, packed, indented):
        reject = res.reject_for(str(path))
        assert reject.reason == "not-jsonl"
        assert reject.message.startswith(f"{path}: one JSON document, not JSON Lines")
    assert len(res.rejects) == 3
    html = read_inputs([lines, array], mode="html", html_field="text")
    assert [d.source for d in html.docs] == [f"{lines}:1", f"{lines}:2"]
    assert [r.reason for r in html.rejects] == ["not-jsonl"]


def test_binary_file_named_jsonl_is_one_reject(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "dump.jsonl"
    f.write_bytes(b"\x00\x01\x02" + os.urandom(5000).replace(b"\n", b"") + b"\n" * 3)
    res = read_inputs([f])
    assert res.docs == []
    assert [(r.source, r.reason) for r in res.rejects] == [(str(f), "binary")]


@pytest.mark.parametrize("opening", [b"%PDF-1.7\n", b"\n", b"   \n\n"])
def test_binary_file_named_jsonl_after_a_text_or_blank_first_line_is_one_reject(
        tmp_path: Path, read_inputs, opening: bytes) -> None:
    """Only line 1 was looked at: a PDF ("%PDF-1.7" is a line of text) or noise after a
    blank line gave one reject per "line" of noise (276 for a small PDF)."""
    noise = bytes(range(256)) * 20 + b"\n".join(os.urandom(200) for _ in range(30))
    f = tmp_path / "report.jsonl"
    f.write_bytes(opening + noise)
    res = read_inputs([f])
    assert res.docs == []
    # the line of text before the noise is refused on its own, then the file as binary
    assert [r.source for r in res.rejects][-1] == str(f)
    assert [r.reason for r in res.rejects][-1] == "binary" and len(res.rejects) <= 2


def test_a_jsonl_file_with_one_bad_line_early_is_not_called_binary(
        tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "ok.jsonl"
    f.write_bytes(b'{"text": "one"}\n\x00\xff not json\n{"text": "three"}\n')
    res = read_inputs([f])
    assert [d.text for d in res.docs] == ["one", "three"]
    assert [r.source for r in res.rejects] == [f"{f}:2"]


# -- truncated and corrupt compression --------------------------------------------------------


def _complete_lines(prefix: bytes) -> int:
    """How many whole lines an ideal reader can recover from a cut gzip stream."""
    out = zlib.decompressobj(31).decompress(prefix)
    return out.count(b"\n")


def test_truncated_gzip_keeps_earlier_lines_and_names_the_line(tmp_path: Path, read_inputs) -> None:
    whole = gzip.compress(lines_jsonl(20000))
    cut = whole[: len(whole) // 2]
    f = tmp_path / "cut.jsonl.gz"
    f.write_bytes(cut)
    res = read_inputs([f])
    good = _complete_lines(cut)
    assert good > 5000
    assert [d.id for d in res.docs] == list(range(good))
    assert len(res.rejects) == 1
    rej = res.rejects[0]
    assert (rej.source, rej.reason) == (f"{f}:{good + 1}", "truncated")
    assert "compressed stream ends early" in rej.message and f"line {good + 1}" in rej.message


def test_truncated_zstd_keeps_earlier_lines(tmp_path: Path, read_inputs) -> None:
    data = lines_jsonl(20000)
    whole = zstandard.ZstdCompressor().compress(data)
    f = tmp_path / "cut.jsonl.zst"
    f.write_bytes(whole[: len(whole) * 2 // 3])
    res = read_inputs([f])
    assert len(res.rejects) == 1
    rej = res.rejects[0]
    assert rej.reason == "truncated"
    kept = [d.id for d in res.docs]
    assert kept == list(range(len(kept))) and len(kept) > 5000
    assert rej.source == f"{f}:{len(kept) + 1}"


def test_corrupt_gzip(tmp_path: Path, read_inputs) -> None:
    second = bytearray(gzip.compress(lines_jsonl(2000, start=1000)))
    second[10] = 0x07  # first deflate block: BFINAL=1, BTYPE=11 (reserved) -> invalid
    f = tmp_path / "bad.jsonl.gz"
    f.write_bytes(gzip.compress(lines_jsonl(1000)) + bytes(second))
    res = read_inputs([f])
    assert [d.id for d in res.docs] == list(range(1000))
    assert [(r.source, r.reason) for r in res.rejects] == [(f"{f}:1001", "corrupt")]
    assert "compressed data is corrupt" in res.rejects[0].message


def test_truncated_gzip_on_stdin(read_inputs) -> None:
    whole = gzip.compress(lines_jsonl(20000))
    res = read_inputs(["-"], stdin=io.BytesIO(whole[: len(whole) // 2]))
    good = _complete_lines(whole[: len(whole) // 2])
    assert len(res.docs) == good
    assert [(r.source, r.reason) for r in res.rejects] == [(f"<stdin>:{good + 1}", "truncated")]


def test_truncated_whole_file_gzip_text(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "t.txt.gz"
    f.write_bytes(gzip.compress(os.urandom(4000).hex().encode())[:-100])
    res = read_inputs([f])
    assert res.docs == []
    assert [(r.source, r.reason) for r in res.rejects] == [(str(f), "truncated")]


# -- broken WARC --------------------------------------------------------------------------


def _records(n: int) -> list[dict]:
    return [
        {"type": "conversion", "uri": f"https://e.example/{i}", "payload": b"Page %d. " % i * 300}
        for i in range(n)
    ]


def test_truncated_warc_gz_keeps_earlier_records(tmp_path: Path, read_inputs, make_warc) -> None:
    src = tmp_path / "src.warc.gz"
    offsets = make_warc(src, _records(5))
    data = src.read_bytes()
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(data[: (offsets[3] + offsets[4]) // 2])  # inside record 3
    res = read_inputs([f])
    assert [d.url for d in res.docs] == [f"https://e.example/{i}" for i in range(3)]
    assert res.docs[2].text == "Page 2. " * 300
    assert len(res.rejects) == 1
    rej = res.rejects[0]
    assert (rej.source, rej.reason) == (f"{f}@{offsets[3]}", "truncated")
    assert str(f) in rej.message and "cut short" in rej.message


def test_truncated_plain_warc_in_payload_and_in_header(
    tmp_path: Path, read_inputs, make_warc
) -> None:
    src = tmp_path / "src.warc"
    offsets = make_warc(src, _records(3), gzip=False)
    data = src.read_bytes()
    for cut, kept in ((offsets[2] + 400, 2), (offsets[2] + 30, 2), (offsets[1] + 1500, 1)):
        f = tmp_path / f"cut{cut}.warc"
        f.write_bytes(data[:cut])
        res = read_inputs([f])
        assert len(res.docs) == kept, cut
        expected = [(f"{f}@{offsets[kept]}", "truncated")]
        assert [(r.source, r.reason) for r in res.rejects] == expected


def test_not_a_warc_and_garbage_after_records(tmp_path: Path, read_inputs, make_warc) -> None:
    fake = tmp_path / "fake.warc"
    fake.write_text("this is not a web archive\n" * 10)
    src = tmp_path / "ok.warc.gz"
    offsets = make_warc(src, _records(2))
    tail = tmp_path / "tail.warc.gz"
    tail.write_bytes(src.read_bytes() + b"garbage that is not a gzip member" * 3)
    res = read_inputs([fake, tail])
    assert len(res.docs) == 2
    assert res.reject_for(f"{fake}@0").reason == "bad-warc"
    assert "not a WARC file" in res.reject_for(f"{fake}@0").message
    end = len(src.read_bytes())
    assert offsets[1] < end
    assert res.reject_for(f"{tail}@{end}").reason in ("truncated", "bad-warc")


def test_oversized_warc_record_is_skipped(tmp_path: Path, read_inputs, make_warc) -> None:
    f = tmp_path / "big.warc.gz"
    recs = _records(3)
    recs[1]["payload"] = b"x" * 5000
    offsets = make_warc(f, recs)
    res = read_inputs([f], max_bytes=4000)
    assert [d.url for d in res.docs] == ["https://e.example/0", "https://e.example/2"]
    assert [(r.source, r.reason) for r in res.rejects] == [(f"{f}@{offsets[1]}", "too-large")]


# -- size limits --------------------------------------------------------------------------


def _write_long_line(path: Path, size: int, after: bytes) -> None:
    chunk = b"x" * MiB
    with open(path, "wb") as fh:
        fh.write(b'{"text":"')
        for _ in range(size // MiB):
            fh.write(chunk)
        fh.write(b'"}\n' + after)


def test_100mb_single_line_is_refused_in_bounded_memory(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "huge.jsonl"
    _write_long_line(f, 100 * MiB, b'{"text":"after the long line"}\n')
    tracemalloc.start()
    try:
        t0 = time.perf_counter()
        res = read_inputs([f])
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(r.source, r.reason) for r in res.rejects] == [(f"{f}:1", "too-large")]
    assert "size limit" in res.rejects[0].message
    assert res.rejects[0].sample.startswith('{"text":"xxx')
    assert [(d.source, d.text) for d in res.docs] == [(f"{f}:2", "after the long line")]
    # The line is dropped once it passes max_bytes (50 MiB): memory stays near the
    # limit plus one read chunk, never near the 100 MB of the line.
    assert peak < 60 * MiB, peak
    assert elapsed < 10, elapsed


def test_long_line_memory_follows_max_bytes(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "long.jsonl.gz"
    raw = tmp_path / "long.jsonl"
    _write_long_line(raw, 16 * MiB, b'{"text":"ok"}\n')
    f.write_bytes(gzip.compress(raw.read_bytes(), compresslevel=1))
    raw.unlink()
    tracemalloc.start()
    try:
        res = read_inputs([f], max_bytes=MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(r.source, r.reason) for r in res.rejects] == [(f"{f}:1", "too-large")]
    assert [d.text for d in res.docs] == ["ok"]
    assert peak < 6 * MiB, peak


def test_too_large_files_are_not_opened(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(100 * MiB)  # sparse: costs no disk, and is never read
    t0 = time.perf_counter()
    res = read_inputs([f])
    assert time.perf_counter() - t0 < 1
    rej = res.reject_for(str(f))
    assert rej.reason == "too-large" and str(f) in rej.message
    # the option a user raises, as extract's message names it (it said "max_bytes=...")
    assert "over the size limit of 50.0 MiB (raise it with --max-bytes)" in rej.message
    assert sum(res.progress) == 100 * MiB  # counted as done for the progress bar


def test_decompression_bomb_is_capped(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "bomb.txt.gz"
    f.write_bytes(gzip.compress(b"a" * (8 * MiB)))
    res = read_inputs([f], max_bytes=MiB)
    assert [(r.source, r.reason) for r in res.rejects] == [(str(f), "too-large")]


# -- missing inputs -----------------------------------------------------------------------


def test_not_found_is_a_reject_and_the_run_goes_on(tmp_path: Path, read_inputs) -> None:
    ok = tmp_path / "ok.txt"
    ok.write_text("fine")
    missing = tmp_path / "missing.txt"
    res = read_inputs([missing, f"{tmp_path}/*.nothing", ok])
    assert [d.text for d in res.docs] == ["fine"]
    assert res.reject_for(str(missing)).reason == "not-found"
    assert "no such file" in res.reject_for(str(missing)).message
    assert res.reject_for(f"{tmp_path}/*.nothing").reason == "not-found"


# -- the invariant --------------------------------------------------------------------------


def test_every_input_document_is_yielded_or_rejected(
    tmp_path: Path, read_inputs, make_warc
) -> None:
    expected: set[str] = set()

    def txt(name: str, data: bytes) -> None:
        (tmp_path / name).write_bytes(data)
        expected.add(str(tmp_path / name))

    txt("good.txt", b"A good document.")
    txt("bin.txt", b"\x00\x01binary")
    txt("latin.txt", "caf\xe9".encode("latin-1"))
    txt("empty.txt", b"")
    txt("space.txt", b" \n ")
    (tmp_path / "sub").mkdir()
    rows = tmp_path / "sub" / "rows.jsonl"
    rows.write_text(
        '{"text":"r1"}\n\n{"text":""}\nnot json\n{"nope":1}\n[]\n{"text":"r7","id":7}\n'
    )
    expected |= {f"{rows}:{n}" for n in (1, 3, 4, 5, 6, 7)}  # line 2 is blank: not a document
    gz = tmp_path / "sub" / "cut.jsonl.gz"
    packed = gzip.compress(lines_jsonl(3000))
    gz.write_bytes(packed[: len(packed) // 2])
    good = _complete_lines(packed[: len(packed) // 2])
    expected |= {f"{gz}:{n}" for n in range(1, good + 2)}  # the cut line is rejected
    warc = tmp_path / "sub" / "w.warc.gz"
    recs = [*_records(3), {"type": "conversion", "uri": "https://e.example/e", "payload": b" "}]
    offsets = make_warc(warc, [{"type": "warcinfo"}, *recs])
    expected |= {f"{warc}@{o}" for o in offsets[1:]}
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")

    res = read_inputs([tmp_path])
    yielded = [d.source for d in res.docs]
    rejected = [r.source for r in res.rejects]
    assert len(set(yielded)) == len(yielded)
    assert not set(yielded) & set(rejected)
    assert set(yielded) | set(rejected) == expected
    assert len(yielded) + len(rejected) == len(expected)
    reasons = {r.source: r.reason for r in res.rejects}
    assert reasons[str(tmp_path / "latin.txt")] == "not-utf8"
    assert f"{warc}@{offsets[4]}" in yielded  # a record of blank text: an empty document
    assert f"{rows}:3" in yielded  # {"text":""}: the same


def test_printable_sample_is_safe_to_print() -> None:
    sample = printable_sample(b"\x1b[31mred\x00\n\ttext\xff" + b"y" * 500)
    assert "\x1b" not in sample and "\x00" not in sample and "\n" not in sample
    assert len(sample) == 200
    assert sample.startswith(".[31mred.  text.y")


def test_an_output_that_fails_mid_run_leaves_no_temporary_rejects_file(tmp_path: Path
                                                                      ) -> None:
    """``clean dumps/ -o /dev/full`` with a worker pool: the pool's held rejects were
    released when the collector got to the failed run's generators, after the error was
    reported, into a temporary file nobody published or removed (and the next run
    called it the leftover of a killed run)."""
    import pytest

    from scraper.errors import OutputError
    from scraper.jobs import clean_files

    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    dumps = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
    d = tmp_path / "in"
    d.mkdir()
    for i, f in enumerate(sorted(dumps.glob("*.txt")) * 8):
        (d / f"{i:03d}.txt").write_text(f.read_text("utf-8") * 20, "utf-8")
    (d / "999.txt").write_bytes(b"")  # a reject, held by the pool for input order
    rejects = tmp_path / "r" / "rejects.jsonl"
    err = io.StringIO()
    with pytest.raises(OutputError):
        clean_files([str(d)], "/dev/full", rejects=str(rejects), workers=2, err=err)
    assert [p.name for p in rejects.parent.iterdir()] == ["rejects.jsonl"]
    [line] = rejects.read_text("utf-8").splitlines()
    assert json.loads(line)["reason"] == "empty"
