"""Readers on well-formed input: every input kind, naming of sources, carried fields."""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from scraper.errors import ConfigError
from scraper.pipeline import RunContext
from scraper.readers import Reader
from scraper.readers.compression import TruncatedStream, ZstdReader
from scraper.readers.lines import Line, LongLine, iter_lines
from scraper.readers.sources import Kind, kind_for

ReadInputs = Callable[..., "object"]


def jsonl(path: Path, rows: list[object], compress: str = "") -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    if compress == "gzip":
        data = gzip.compress(data)
    elif compress == "zstd":
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    return path


# -- plain text, directories, globs ---------------------------------------------------


def test_txt_file_is_one_document(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Hello world.\nSecond line.\n", encoding="utf-8")
    res = read_inputs([f])
    assert [(d.source, d.text) for d in res.docs] == [(str(f), "Hello world.\nSecond line.\n")]
    assert res.rejects == []
    assert res.reader.stats["documents"] == 1 and res.reader.stats["files"] == 1


def test_unknown_extension_named_explicitly_is_text(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "notes.log"
    f.write_text("a log line\n")
    assert [d.text for d in read_inputs([f]).docs] == ["a log line\n"]


def test_directory_walk_is_recursive_sorted_and_filters_by_mode(
    tmp_path: Path, read_inputs, make_warc
) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "deep" / "z.txt").write_text("z")
    (tmp_path / "b" / "a.txt").write_text("ba")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "page.html").write_text("<html><body>p</body></html>")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "README.md").write_text("not read in a walk")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / ".git" / "c.txt").write_text("in .git")
    jsonl(tmp_path / "rows.jsonl.gz", [{"text": "row", "html": "<p>row</p>"}], "gzip")
    wet = [{"type": "conversion", "uri": "http://e/", "payload": b"wet"}]
    make_warc(tmp_path / "x.warc.wet.gz", wet)

    text = read_inputs([tmp_path])
    assert [d.text for d in text.docs] == ["a", "ba", "z", "row", "wet"]
    assert text.rejects == []

    html = read_inputs([tmp_path], mode="html")
    assert [d.source for d in html.docs] == [
        str(tmp_path / "page.html"),
        f"{tmp_path / 'rows.jsonl.gz'}:1",
    ]
    assert html.docs[0].html == b"<html><body>p</body></html>"
    assert html.docs[1].html == "<p>row</p>"


def test_glob_patterns_expand_sorted_and_recursive(tmp_path: Path, read_inputs) -> None:
    for rel in ("b/2.txt", "a/1.txt", "a/x/3.txt", "a/skip.md"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(rel)
    res = read_inputs([f"{tmp_path}/**/*.txt"])
    assert [d.text for d in res.docs] == ["a/1.txt", "a/x/3.txt", "b/2.txt"]


def test_same_file_named_twice_is_read_once(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "a.txt"
    f.write_text("once")
    res = read_inputs([f, tmp_path, f"{tmp_path}/*.txt"])
    assert [d.text for d in res.docs] == ["once"]


def test_kind_by_name() -> None:
    assert kind_for("x.warc.wet.gz", "text", explicit=False) is Kind.WARC
    assert kind_for("x.warc.wet.gz", "html", explicit=False) is None  # WET has no HTML
    assert kind_for("X.JSONL.ZST", "html", explicit=False) is Kind.JSONL
    assert kind_for("p.htm.gz", "html", explicit=False) is Kind.HTML
    assert kind_for("p.html", "text", explicit=False) is None
    assert kind_for("p.html", "text", explicit=True) is Kind.TEXT
    assert kind_for("data.csv", "text", explicit=True) is Kind.TEXT
    assert kind_for("data.csv", "text", explicit=False) is None


# -- JSON Lines -------------------------------------------------------------------------


def test_jsonl_carries_id_url_title_unchanged_and_names_lines(tmp_path: Path, read_inputs) -> None:
    f = tmp_path / "in.jsonl"
    rows = [
        {"id": 42, "url": "HTTP://Example.COM/a?b=1#frag", "title": "  Spaced  ", "text": "one"},
        {"id": "doc-7", "text": "two", "title": None},
        {"id": 3.5, "text": "three"},
    ]
    f.write_text(
        json.dumps(rows[0]) + "\n\n   \n" + json.dumps(rows[1]) + "\r\n" + json.dumps(rows[2])
    )  # blank lines are skipped but still counted; last line has no newline
    res = read_inputs([f])
    assert [d.source for d in res.docs] == [f"{f}:1", f"{f}:4", f"{f}:5"]
    first = res.docs[0]
    assert first.id == 42 and type(first.id) is int
    assert first.url == "HTTP://Example.COM/a?b=1#frag"
    assert first.title == "  Spaced  "
    assert res.docs[1].id == "doc-7" and res.docs[1].title is None
    assert res.docs[2].id is None and "bad-id" in res.docs[2].flags  # not a schema id
    assert [d.text for d in res.docs] == ["one", "two", "three"]
    assert res.rejects == []


def test_jsonl_authors_and_published(tmp_path: Path, read_inputs) -> None:
    f = jsonl(
        tmp_path / "meta.ndjson",
        [
            {"text": "a", "authors": ["Ann", "Bo"], "published": "2024-10-24"},
            {"text": "b", "authors": "Cy", "date": "2024-10-24T10:02:00Z"},
            {"text": "c", "published": "yesterday"},
            {"text": "d", "published": "20241024", "authors": ["Ann", 5, ""]},
            {"text": "e", "published": "2024-10-24T10:02:00+02:00", "date": "ignored"},
        ],
    )
    docs = read_inputs([f]).docs
    assert docs[0].meta == {"authors": ["Ann", "Bo"], "published": "2024-10-24"}
    assert docs[1].meta == {"authors": ["Cy"], "published": "2024-10-24T10:02:00Z"}
    assert "published" not in docs[2].meta and docs[2].flags == ["bad-published"]
    assert docs[3].meta == {"authors": ["Ann"], "published": "2024-10-24"}
    assert docs[3].flags == ["bad-authors"]
    assert docs[4].meta["published"] == "2024-10-24T10:02:00+02:00"


def test_jsonl_custom_field_and_html_mode_headers(tmp_path: Path, read_inputs) -> None:
    f = jsonl(
        tmp_path / "pages.jsonl",
        [{"body": "plain", "html": "<p>x</p>", "headers": {"Content-Type": "text/html"}}],
    )
    text = read_inputs([f], text_field="body")
    assert text.docs[0].text == "plain" and text.docs[0].html is None
    html = read_inputs([f], mode="html")
    assert html.docs[0].html == "<p>x</p>"
    assert html.docs[0].meta["http_headers"] == {"content-type": "text/html"}


@pytest.mark.parametrize("compress", ["gzip", "zstd"])
def test_compressed_jsonl(tmp_path: Path, read_inputs, compress: str) -> None:
    rows = [{"id": i, "text": f"line {i} é"} for i in range(2000)]
    ext = ".gz" if compress == "gzip" else ".zst"
    f = jsonl(tmp_path / f"rows.jsonl{ext}", rows, compress)
    res = read_inputs([f])
    assert [d.id for d in res.docs] == list(range(2000))
    assert res.docs[-1].text == "line 1999 é" and res.docs[-1].source == f"{f}:2000"
    assert res.rejects == []


def test_multi_frame_zstd_and_magic_beats_name(tmp_path: Path, read_inputs) -> None:
    cctx = zstandard.ZstdCompressor(write_checksum=True)
    frames = [cctx.compress(f'{{"text":"f{i}"}}\n'.encode()) for i in range(3)]
    skippable = struct.pack("<II", 0x184D2A50, 3) + b"abc"
    zst = tmp_path / "multi.jsonl.zst"
    zst.write_bytes(frames[0] + skippable + frames[1] + frames[2])
    misnamed = tmp_path / "really-gzip.jsonl"
    misnamed.write_bytes(gzip.compress(b'{"text":"g"}\n'))
    res = read_inputs([zst, misnamed])
    assert [d.text for d in res.docs] == ["f0", "f1", "f2", "g"]
    assert res.rejects == []


def test_a_zstd_window_over_128_mib_is_read(tmp_path: Path, read_inputs) -> None:
    """A dump compressed with `zstd --long=31` (or any window over 128 MiB, declared
    when the size is not known up front) was rejected whole as "compressed data is
    corrupt (Frame requires too much memory for decoding)"."""
    params = zstandard.ZstdCompressionParameters(window_log=28, enable_ldm=True,
                                                 write_content_size=False)
    buf = io.BytesIO()
    with zstandard.ZstdCompressor(compression_params=params).stream_writer(
            buf, closefd=False) as w:
        w.write(b'{"text":"long window"}\n')
    assert zstandard.get_frame_parameters(buf.getvalue()).window_size == 1 << 28
    zst = tmp_path / "long.jsonl.zst"
    zst.write_bytes(buf.getvalue())
    res = read_inputs([zst])
    assert res.rejects == []
    assert [d.text for d in res.docs] == ["long window"]


# -- WARC -----------------------------------------------------------------------------


def test_wet_conversion_records_in_text_mode(tmp_path: Path, read_inputs, make_warc) -> None:
    f = tmp_path / "crawl.warc.wet.gz"
    offsets = make_warc(
        f,
        [
            {"type": "warcinfo"},
            {"type": "conversion", "uri": "https://a.example/1", "payload": b"Erste Seite."},
            {
                "type": "conversion",
                "uri": "https://b.example/2",
                "payload": b"Second page.",
                "date": "2023-01-02T03:04:05Z",
            },
        ],
    )
    res = read_inputs([f])
    assert [(d.source, d.url, d.text) for d in res.docs] == [
        (f"{f}@{offsets[1]}", "https://a.example/1", "Erste Seite."),
        (f"{f}@{offsets[2]}", "https://b.example/2", "Second page."),
    ]
    assert res.docs[1].meta["warc_date"] == "2023-01-02T03:04:05Z"
    # The offsets are the ones warcio's own index API reports.
    with open(f, "rb") as fh:
        it = ArchiveIterator(fh)
        indexed = []
        for record in it:
            record.content_stream().read()
            indexed.append(it.get_record_offset())
    assert indexed == offsets
    assert res.reader.stats["skipped_records.warcinfo"] == 1
    assert res.reader.stats["skipped_records"] == 1


def test_warc_responses_in_html_mode(tmp_path: Path, read_inputs, make_warc) -> None:
    page = b"<!doctype html><html><head><title>T</title></head><body><p>Hi</p></body></html>"
    f = tmp_path / "crawl.warc"
    offsets = make_warc(
        f,
        [
            {"type": "warcinfo"},
            {
                "type": "response",
                "uri": "https://e.example/page",
                "payload": page,
                "headers": [
                    ("Content-Type", "text/html; charset=UTF-8"),
                    ("Set-Cookie", "a=1"),
                    ("set-cookie", "b=2"),
                    ("Server", "nginx"),
                ],
            },
            {
                "type": "response",
                "uri": "https://e.example/logo.png",
                "payload": b"\x89PNG",
                "headers": [("Content-Type", "image/png")],
            },
            {
                "type": "response",
                "uri": "https://e.example/missing",
                "status": "404 Not Found",
                "payload": b"<html>gone</html>",
                "headers": [("Content-Type", "text/html")],
            },
            {
                "type": "response",
                "uri": "https://e.example/x.xhtml",
                "payload": page,
                "headers": [("Content-Type", "application/xhtml+xml")],
            },
            {"type": "conversion", "uri": "https://e.example/page", "payload": b"text"},
        ],
        gzip=False,
    )
    res = read_inputs([f], mode="html")
    assert [d.source for d in res.docs] == [f"{f}@{offsets[1]}", f"{f}@{offsets[4]}"]
    doc = res.docs[0]
    assert doc.html == page and doc.text == ""
    assert doc.url == "https://e.example/page"
    assert doc.meta["http_status"] == 200
    assert doc.meta["http_headers"]["content-type"] == "text/html; charset=UTF-8"
    assert doc.meta["http_headers"]["set-cookie"] == "a=1, b=2"
    assert doc.meta["warc_date"] == "2024-10-24T10:02:00Z"
    stats = res.reader.stats
    assert stats["skipped_records.non_html"] == 1
    assert stats["skipped_records.non_2xx"] == 1
    assert stats["skipped_records.conversion"] == 1
    assert stats["skipped_records.warcinfo"] == 1
    assert stats["skipped_records"] == 4
    assert res.rejects == []

    text = read_inputs([f])  # in text mode only the conversion record is a document
    assert [(d.source, d.text) for d in text.docs] == [(f"{f}@{offsets[5]}", "text")]
    assert text.reader.stats["skipped_records.response"] == 4


def test_warc_response_body_is_decoded_by_warcio(tmp_path: Path, read_inputs, make_warc) -> None:
    page = b"<html><body>" + b"<p>compressed</p>" * 50 + b"</body></html>"
    f = tmp_path / "enc.warc.gz"
    make_warc(
        f,
        [
            {
                "type": "response",
                "uri": "https://e.example/",
                "payload": gzip.compress(page),
                "headers": [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            }
        ],
    )
    res = read_inputs([f], mode="html")
    assert [d.html for d in res.docs] == [page]


# -- HTML files ---------------------------------------------------------------------------


def test_html_files(tmp_path: Path, read_inputs) -> None:
    raw = "<html><body><p>Grüße</p></body></html>".encode("latin-1")  # bytes kept as they are
    page = tmp_path / "p.html"
    page.write_bytes(raw)
    packed = tmp_path / "q.htm.gz"
    packed.write_bytes(gzip.compress(b"<html>q</html>"))
    res = read_inputs([page, packed], mode="html")
    assert [(d.source, d.html) for d in res.docs] == [
        (str(page), raw),
        (str(packed), b"<html>q</html>"),
    ]
    # Named to `clean` (text mode), a page is no text dump: this used to clean its markup
    # as text; it is now a reject that points to `pagewash extract` (see
    # test_clean_cli.py). A file named .html that holds plain text is still text.
    as_text = read_inputs([page, packed], encoding="latin-1")
    assert as_text.docs == []
    assert [r.reason for r in as_text.rejects] == ["html-page", "html-page"]
    assert "pagewash extract" in as_text.reject_for(str(page)).message
    plain = tmp_path / "notes.html"
    plain.write_text("Grüße aus Berlin.\n\nA text dump under a page's name.\n", "utf-8")
    assert [d.text for d in read_inputs([plain]).docs] == [
        "Grüße aus Berlin.\n\nA text dump under a page's name.\n"]


# -- stdin ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Just some text\nfrom a pipe\n", [("<stdin>", "Just some text\nfrom a pipe\n")]),
        (b'\n{"text":"a","id":1}\n{"text":"b"}\n', [("<stdin>:2", "a"), ("<stdin>:3", "b")]),
        (gzip.compress(b'{"text":"z"}\n'), [("<stdin>:1", "z")]),
        (zstandard.ZstdCompressor().compress(b"zstd text"), [("<stdin>", "zstd text")]),
        # a text dump whose first paragraph opens with a brace is text, not bad JSON
        (b"{ Braces } open this dump.\n\nA paragraph.\n",
         [("<stdin>", "{ Braces } open this dump.\n\nA paragraph.\n")]),
        # a JSONL stream with a damaged first line is still JSONL
        (b'{"text": "cut\n{"text":"b"}\n', [("<stdin>:2", "b")]),
    ],
)
def test_stdin(data: bytes, expected: list[tuple[str, str]], read_inputs) -> None:
    res = read_inputs(["-"], stdin=io.BytesIO(data))
    assert [(d.source, d.text) for d in res.docs] == expected
    assert res.reader.total_bytes() == 0
    assert res.reader.stats["bytes"] == len(data)


def test_stdin_warc(tmp_path: Path, read_inputs, make_warc) -> None:
    f = tmp_path / "s.warc"
    offsets = make_warc(f, [{"type": "conversion", "uri": "u:1", "payload": b"from stdin"}], False)
    res = read_inputs(["-"], stdin=io.BytesIO(f.read_bytes()))
    assert [(d.source, d.text) for d in res.docs] == [(f"<stdin>@{offsets[0]}", "from stdin")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_sniffed_not_taken_for_empty(tmp_path: Path, read_inputs) -> None:
    fifo = tmp_path / "pipe"  # like bash's <(zcat dump.gz): no extension, size 0
    os.mkfifo(fifo)
    writer = threading.Thread(target=fifo.write_bytes, args=(gzip.compress(b'{"text":"p"}\n'),))
    writer.start()
    res = read_inputs([fifo])
    writer.join(timeout=10)
    assert [(d.source, d.text) for d in res.docs] == [(f"{fifo}:1", "p")]
    assert res.rejects == []


def test_stdin_named_twice_is_read_once(read_inputs) -> None:
    res = read_inputs(["-", "-"], stdin=io.BytesIO(b"once"))
    assert [d.text for d in res.docs] == ["once"] and res.rejects == []


def test_stdin_is_not_closed(read_inputs) -> None:
    stream = io.BytesIO(b"text")
    read_inputs(["-"], stdin=stream)
    assert not stream.closed


# -- encodings ----------------------------------------------------------------------------


def test_boms_and_utf16(tmp_path: Path, read_inputs) -> None:
    text = "Grüße, мир!\n"
    files = {
        "bom8.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "u16.txt": text.encode("utf-16"),  # with BOM, full of NUL bytes: not binary
        "u32.txt": text.encode("utf-32"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    res = read_inputs([tmp_path / n for n in files])
    assert [d.text for d in res.docs] == [text] * 3
    assert res.rejects == []


def test_encoding_auto_guesses_cp1251(tmp_path: Path, read_inputs) -> None:
    text = (
        "Съешь же ещё этих мягких французских булок, да выпей чаю. "
        "Широкая электрификация южных губерний даст мощный толчок подъёму хозяйства.\n"
    ) * 3
    f = tmp_path / "ru.txt"
    f.write_bytes(text.encode("cp1251"))
    res = read_inputs([f], encoding="auto")
    assert [d.text for d in res.docs] == [text]
    assert res.docs[0].meta["encoding"] == "cp1251"


def test_bad_options_fail_up_front() -> None:
    with pytest.raises(ConfigError, match="unknown encoding 'no-such-codec'"):
        Reader(["x"], encoding="no-such-codec")
    with pytest.raises(ConfigError, match="mode"):
        Reader(["x"], mode="pdf")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        Reader(["x"], max_bytes=0)


# -- progress, counters, stopping ---------------------------------------------------------


def test_progress_adds_up_to_total_bytes(tmp_path: Path, read_inputs) -> None:
    jsonl(tmp_path / "big.jsonl.gz", [{"text": "x" * 100, "n": i} for i in range(30000)], "gzip")
    (tmp_path / "a.txt").write_text("aaa")
    (tmp_path / "bin.txt").write_bytes(b"\x00" * 10)  # rejected, still counted as consumed
    res = read_inputs([tmp_path])
    total = res.reader.total_bytes()
    assert total == sum(p.stat().st_size for p in tmp_path.iterdir())
    assert sum(res.progress) == total == res.reader.stats["bytes"]
    assert res.reader.stats["files"] == 3
    assert res.reader.stats["documents"] == 30001


def test_stop_flag_ends_the_run_at_an_item_boundary(tmp_path: Path) -> None:
    f = jsonl(tmp_path / "rows.jsonl", [{"text": f"r{i}"} for i in range(100)])
    (tmp_path / "later.txt").write_text("never read")
    ctx = RunContext(stop=threading.Event())
    reader = Reader([str(f), str(tmp_path / "later.txt")])
    seen = []
    for doc in reader(iter(()), ctx):
        seen.append(doc.text)
        if len(seen) == 3:
            ctx.stop.set()
    assert seen == ["r0", "r1", "r2"]
    assert reader.stats["stopped"] == 1


# -- building blocks ----------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30),
    final_newline=st.booleans(),
    chunk=st.integers(min_value=1, max_value=64),
    max_bytes=st.integers(min_value=1, max_value=50),
)
def test_iter_lines_matches_split(
    lines: list[bytes], final_newline: bool, chunk: int, max_bytes: int
) -> None:
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    got = []
    for event in iter_lines(io.BytesIO(data), max_bytes, chunk=chunk):
        if isinstance(event, Line):
            got.append((event.number, bytes(event.data)))
        else:
            assert isinstance(event, LongLine)
            got.append((event.number, None))
    expected = data.split(b"\n")
    if expected and expected[-1] == b"":
        expected.pop()  # a trailing newline ends the last line, it does not start one
    assert got == [
        (i, line if len(line) <= max_bytes else None) for i, line in enumerate(expected, 1)
    ]


def test_zstd_reader_detects_every_cut_inside_a_frame() -> None:
    cctx = zstandard.ZstdCompressor(write_checksum=True)
    frames = [cctx.compress(os.urandom(300) + b"x" * 5000) for _ in range(3)]
    data = b"".join(frames)
    boundaries = {len(frames[0]), len(frames[0]) + len(frames[1]), len(data)}
    assert ZstdReader(io.BytesIO(data)).read() == zstandard.ZstdDecompressor().decompress(
        frames[0]
    ) + zstandard.ZstdDecompressor().decompress(
        frames[1]
    ) + zstandard.ZstdDecompressor().decompress(frames[2])
    for cut in range(1, len(data)):
        reader = ZstdReader(io.BytesIO(data[:cut]))
        if cut in boundaries:
            reader.read()
        else:
            with pytest.raises((TruncatedStream, zstandard.ZstdError)):
                reader.read()


def test_utf16_and_utf32_json_lines(tmp_path: Path, read_inputs) -> None:
    """Lines are split on the byte 0x0A, half of a UTF-16 newline: such a file was one
    "binary file" reject, even with --encoding utf-16. It is read as UTF-8 now, by its
    BOM or the named encoding, from a file, gzipped or piped; bytes that are not the
    encoding end the file at a reject naming the line."""
    lines = [json.dumps({"id": i, "text": f"Grüße aus Köln, Nummer {i}"}, ensure_ascii=False)
             for i in range(3)]
    body = "\n".join(lines) + "\n"
    (tmp_path / "bom16.jsonl").write_bytes(body.encode("utf-16"))
    (tmp_path / "bom32.jsonl.gz").write_bytes(gzip.compress(body.encode("utf-32")))
    expected = [f"Grüße aus Köln, Nummer {i}" for i in range(3)]
    for name in ("bom16.jsonl", "bom32.jsonl.gz"):
        res = read_inputs([tmp_path / name])
        assert [d.text for d in res.docs] == expected and not res.rejects, name
    (tmp_path / "le.jsonl").write_bytes(body.encode("utf-16-le"))
    res = read_inputs([tmp_path / "le.jsonl"], encoding="utf-16-le")
    assert [d.text for d in res.docs] == expected
    assert [d.source for d in res.docs][-1] == f"{tmp_path / 'le.jsonl'}:3"
    res = read_inputs(["-"], stdin=io.BytesIO(body.encode("utf-16")))
    assert [d.text for d in res.docs] == expected

    bad = body.encode("utf-16-le") + b"\x00\xdc" + "\n".encode("utf-16-le")  # lone surrogate
    (tmp_path / "bad.jsonl").write_bytes(bad)
    res = read_inputs([tmp_path / "bad.jsonl"], encoding="utf-16-le")
    assert [d.text for d in res.docs] == expected
    assert res.reject_for(f"{tmp_path / 'bad.jsonl'}:4").reason == "undecodable"


@pytest.mark.skipif(sys.platform != "linux", reason="FIONREAD on a pipe's write end")
def test_a_stop_is_heard_while_a_named_pipe_is_quiet(tmp_path: Path) -> None:
    """`pagewash clean <(slow producer)`: a stop while the pipe sent half a document
    and went quiet left the run waiting for the rest; it now ends the read there, the
    half document neither a record nor a reject."""
    import fcntl
    import termios
    import time

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    rejects: list[object] = []
    ctx = RunContext(on_reject=rejects.append)
    first = threading.Event()
    release = threading.Event()

    def produce() -> None:
        with open(fifo, "wb", buffering=0) as w:
            w.write(b'{"text": "one"}\n{"text": "half of')
            first.wait(30)
            w.write(b" a document")  # taken only once the reader is past "one"
            for _ in range(3000):
                if not struct.unpack("i", fcntl.ioctl(w, termios.FIONREAD, b"\0" * 4))[0]:
                    break
                time.sleep(0.01)
            ctx.stop.set()  # as a SIGINT's handler does, while the read waits
            release.wait(60)  # the pipe stays open, and quiet

    threading.Thread(target=produce, daemon=True).start()
    docs: list[str] = []

    def read() -> None:
        for doc in Reader([str(fifo)])(iter(()), ctx):
            docs.append(doc.text)
            first.set()

    t = threading.Thread(target=read, daemon=True)
    t.start()
    t.join(30)
    stuck = t.is_alive()
    release.set()
    t.join(30)
    assert not stuck, "the reader kept waiting on the quiet pipe after the stop"
    assert docs == ["one"] and rejects == []
