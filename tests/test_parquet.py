"""Parquet output (``-o x.parquet``): schema, equality with JSONL, sharding, atomicity under
errors, Ctrl-C and crashes, every command, and a clear error without pyarrow."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scraper.cli import app
from scraper.document import Document, Removal
from scraper.errors import ConfigError, OutputError
from scraper.jobs import clean_files
from scraper.pipeline import RunContext, Step
from scraper.readers import Reader
from scraper.record import build_record, record_schema, validate_record
from scraper.runner import OutputOptions, default_rejects_path, run_job
from scraper.writers import JsonlWriter, WriteRecords, open_output
from scraper.writers import parquet as parquet_module
from scraper.writers.jsonl import encode_line

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from scraper.writers.parquet import ParquetWriter, record_arrow_schema  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "fixtures" / "seeds"
EXPECTED = SEEDS / "expected"
ARTICLES = [p.read_text("utf-8").strip() for p in sorted(EXPECTED.glob("*.txt"))]


def read_rows(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist()  # raises on a file without its footer


def make_records(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        build_record(Document(source=f"src{i}", text=f"record {i} — ünïcödé " * (i % 7 + 1),
                              url=f"https://www.example.co.uk/{i}"),
                     processed_at="2024-10-24T10:00:00Z")
        for i in range(start, start + n)
    ]


def _absent_as_null(value: Any) -> Any:
    """Nested objects the way a struct column reads back: a missing key is a null."""
    if isinstance(value, list):
        return [_absent_as_null(v) for v in value]
    if isinstance(value, dict):
        return {k: _absent_as_null(v) for k, v in value.items() if v is not None}
    return value


def same_record(row: dict[str, Any], rec: dict[str, Any]) -> None:
    """A Parquet row holds the JSON record: every field equal, the columns it lacks null."""
    for key, value in rec.items():
        assert _absent_as_null(row[key]) == _absent_as_null(value), key
    assert all(row[k] is None for k in row.keys() - rec.keys()), row


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


# -- the schema ---------------------------------------------------------------------------

STR, INT, STRS = pa.string(), pa.int64(), pa.list_(pa.field("item", pa.string(), False))
# Every property of record.schema.json, as its column must be. A property added to the JSON
# Schema fails this test until it is given a column type here (and so thought about).
EXPECTED_COLUMNS = {
    "id": (STR, False), "url": (STR, True), "canonical_url": (STR, True),
    "source": (STR, False), "site": (STR, True), "site_name": (STR, True),
    "title": (STR, True), "authors": (STRS, False), "published": (STR, True),
    "language": (STR, True), "description": (STR, True), "tags": (STRS, True),
    "image": (STR, True), "page_type": (STR, True), "format": (STR, True),
    "text": (STR, False), "word_count": (INT, False), "content_hash": (STR, False),
    "flags": (STRS, True), "fetched_at": (STR, True), "http_status": (INT, True),
    "processed_at": (STR, False), "pagewash_version": (STR, False),
    "removed": (pa.list_(pa.field("item", pa.struct([
        pa.field("rule", STR, False), pa.field("text", STR, False), pa.field("line", INT, True),
    ]), False)), True),
}


def test_schema_has_a_column_for_every_record_property() -> None:
    schema = record_arrow_schema()
    properties = list(record_schema()["properties"])
    assert sorted(EXPECTED_COLUMNS) == sorted(properties)
    assert schema.names == properties
    for name, (kind, nullable) in EXPECTED_COLUMNS.items():
        field = schema.field(name)
        assert (field.type, field.nullable) == (kind, nullable), name
    assert schema.metadata[b"pagewash.record_schema"] == record_schema()["$id"].encode()


def test_schema_derivation_refuses_what_it_cannot_map() -> None:
    with pytest.raises(TypeError, match="'odd'"):
        parquet_module._arrow_type(pa, "odd", {"type": ["string", "boolean"]})
    assert parquet_module._arrow_type(pa, "f", {"type": ["number", "null"]}) == pa.float64()


# -- every command writes the same records ------------------------------------------------


def test_clean_parquet_equals_jsonl(tmp_path: Path) -> None:
    inputs = [str(SEEDS / "*.txt")]
    clean_files(inputs, str(tmp_path / "seeds.jsonl"), with_removed=True)
    result = CliRunner().invoke(app, ["clean", *inputs, "-o", str(tmp_path / "seeds.parquet"),
                                      "--with-removed", "--no-progress"])
    assert result.exit_code == 0, result.output
    want = [json.loads(x) for x in (tmp_path / "seeds.jsonl").read_text("utf-8").splitlines()]
    parquet = pq.ParquetFile(tmp_path / "seeds.parquet")
    assert parquet.schema_arrow.equals(record_arrow_schema())
    assert parquet.metadata.row_group(0).column(0).compression == "ZSTD"
    rows = read_rows(tmp_path / "seeds.parquet")
    assert len(rows) == len(want) == 5
    for row, rec in zip(rows, want, strict=True):
        row.pop("processed_at"), rec.pop("processed_at")
        same_record(row, rec)
        assert row["removed"] and {"rule", "text", "line"} == set(row["removed"][0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["seeds.jsonl", "seeds.parquet"]


def test_corpus_to_parquet(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": 7, "text": ARTICLES[0], "tags": ["x"]}),
             json.dumps({"id": "dup", "text": ARTICLES[0]}),
             '{"id": "broken", "text": "unterminated',
             json.dumps({"id": "b", "text": ARTICLES[3]})]
    src.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "corpus.parquet"
    result = CliRunner().invoke(app, ["corpus", str(src), "-o", str(out), "--shard-records", "1",
                                      "--no-progress"])
    assert result.exit_code == 3, result.output  # the broken line is a reject
    shards = sorted(tmp_path.glob("corpus-*.parquet"))
    assert [p.name for p in shards] == ["corpus-00000.parquet", "corpus-00001.parquet"]
    rows = [r for p in shards for r in read_rows(p)]
    # An integer id is stored as its decimal string: a Parquet column has one type.
    assert [r["id"] for r in rows] == ["7", "b"] and rows[0]["tags"] == ["x"]
    # Rejects stay JSON Lines, named after the output without its extension.
    rejects = tmp_path / "corpus.rejects.jsonl"
    assert default_rejects_path(str(out)) == str(rejects)
    assert [json.loads(x)["reason"] for x in rejects.read_text().splitlines()] == ["bad-json"]


def test_crawl_writes_parquet_shards(tmp_path: Path, site: Any) -> None:
    from fixture_site import fast_config

    from scraper.jobs import crawl

    site.state.overrides["/hub.html"] = (b'<html><body><a href="/articles/a1.html">one</a> '
                                         b'<a href="/articles/a2.html">two</a></body></html>')
    src = tmp_path / "sources.toml"
    src.write_text(f'[[source]]\nname = "g"\nseeds = ["{site.url("/hub.html")}"]\n'
                   'max_depth = 1\nhosts = ["127.0.0.1"]\n')
    s = crawl(output=str(tmp_path / "out.parquet"), sources=str(src), fetch=fast_config(),
              workers=0, validate=True)
    assert s.records_out == 2 and len(s.outputs) == 1, s.one_line()
    shard = Path(s.outputs[0])
    assert re.fullmatch(r"out-.+-00000\.parquet", shard.name)
    rows = read_rows(shard)
    assert sorted(r["url"].rsplit("/", 1)[1] for r in rows) == ["a1.html", "a2.html"]
    assert "City council approves new cycling lanes" in {r["title"] for r in rows}
    assert leftovers(tmp_path) == []


# -- sharding and row groups ------------------------------------------------------------


def test_shard_by_records_with_small_row_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parquet_module, "ROW_GROUP_RECORDS", 128)
    recs = make_records(1000)
    with ParquetWriter(tmp_path / "out.parquet", shard_records=300) as writer:
        for rec in recs:
            writer.write(rec)
    names = [p.name for p in writer.paths]
    assert names == [f"out-0000{i}.parquet" for i in range(4)]
    assert [pq.ParquetFile(p).metadata.num_rows for p in writer.paths] == [300, 300, 300, 100]
    assert pq.ParquetFile(writer.paths[0]).metadata.num_row_groups == 3  # 128 + 128 + 44
    rows = [r for p in writer.paths for r in read_rows(p)]
    for row, rec in zip(rows, recs, strict=True):
        same_record(row, rec)
    assert sorted(p.name for p in tmp_path.iterdir()) == names


def test_shard_by_bytes_counts_records_as_json(tmp_path: Path) -> None:
    limit = 4096
    recs = [*make_records(40), {**make_records(1, 40)[0], "text": "x" * 10_000}]
    with ParquetWriter(tmp_path / "my.data.parquet", shard_bytes=limit) as writer:
        for rec in recs:
            writer.write(rec)
    sizes = [len(encode_line(r)) for r in recs]
    counts = [pq.ParquetFile(p).metadata.num_rows for p in writer.paths]
    assert counts[-1] == 1 and sum(counts) == len(recs)  # the big one alone, over the limit
    start = 0
    for n in counts[:-1]:
        assert sum(sizes[start:start + n]) <= limit < sum(sizes[start:start + n + 1])
        start += n
    assert [p.name for p in writer.paths] == [f"my.data-{i:05d}.parquet"
                                              for i in range(len(counts))]
    assert writer.bytes == sum(sizes)


def test_nothing_written_and_commit_then_more(tmp_path: Path) -> None:
    empty = ParquetWriter(tmp_path / "empty.parquet")
    assert empty.close() == [tmp_path / "empty.parquet"]
    assert read_rows(tmp_path / "empty.parquet") == []

    recs = make_records(3)
    again = ParquetWriter(tmp_path / "again.parquet")
    again.write(recs[0])
    assert again.commit() == [tmp_path / "again.parquet"]
    again.write(recs[1])
    again.write(recs[2])
    assert again.close() == [tmp_path / "again.parquet"]
    assert [r["source"] for r in read_rows(tmp_path / "again.parquet")] == ["src0", "src1", "src2"]
    assert leftovers(tmp_path) == []


def test_records_that_do_not_fit(tmp_path: Path) -> None:
    rec = make_records(1)[0]
    writer = ParquetWriter(tmp_path / "odd.parquet")
    with pytest.raises(OutputError, match=r"odd\.parquet.*no Parquet column for extra"):
        writer.write({**rec, "extra": 1})
    with pytest.raises(OutputError, match=r"odd\.parquet.*text is missing"):
        writer.write({k: v for k, v in rec.items() if k != "text"})
    writer.write({**rec, "id": 42, "title": "bad \ud800 half"})
    writer.write({**rec, "word_count": "many"})  # refused when its row group is written
    with pytest.raises(OutputError, match=r"odd\.parquet: record .* does not fit"):
        writer.close()
    assert list(tmp_path.iterdir()) == []  # the failed commit dropped its temp file

    with ParquetWriter(tmp_path / "ok.parquet") as writer:
        writer.write({**rec, "id": 42, "title": "bad \ud800 half"})
    [row] = read_rows(tmp_path / "ok.parquet")
    assert (row["id"], row["title"]) == ("42", "bad \ufffd half")


def test_write_records_step_with_removed(tmp_path: Path) -> None:
    out = tmp_path / "r.parquet"
    with open_output(out) as writer:
        step = WriteRecords(writer, with_removed=True, validate=True)
        docs = [Document(source="a", text="", removed=[Removal("nav", "Home | About", 1),
                                                       Removal("ads", "Buy now")]),
                Document(source="b", text="kept")]
        assert list(step.run(docs, RunContext())) == docs
    rows = read_rows(out)
    assert rows[0]["flags"] == ["empty"] and rows[1]["flags"] is None
    assert rows[0]["removed"] == [{"rule": "nav", "text": "Home | About", "line": 1},
                                  {"rule": "ads", "text": "Buy now", "line": None}]
    assert rows[1]["removed"] == []


def test_bad_output_options(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="stdout"):
        ParquetWriter("-")
    with pytest.raises(ConfigError, match=r"x\.parquet\.gz.*name the output x\.parquet"):
        open_output(tmp_path / "x.parquet.gz")
    with pytest.raises(ConfigError, match="compression 'lzma'"):
        ParquetWriter(tmp_path / "c.parquet", compression="lzma")
    assert isinstance(open_output(tmp_path / "x.jsonl.gz"), JsonlWriter)
    assert isinstance(open_output(tmp_path / "X.PARQUET"), ParquetWriter)
    assert list(tmp_path.iterdir()) == []


# -- atomicity: errors, Ctrl-C, crashes ---------------------------------------------------


class _Fail(Step):
    """Pass documents on; on the ``at``-th raise ``exc`` (a bug, or a second Ctrl-C)."""

    name = "fail"

    def __init__(self, at: int, exc: BaseException) -> None:
        super().__init__()
        self.at, self.exc = at, exc

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for n, doc in enumerate(docs, 1):
            if n == self.at:
                raise self.exc
            yield doc


def _run(tmp_path: Path, name: str, fail: _Fail, shard: int | None) -> list[str]:
    """Run 10 documents through the runner to ``name``; the ids each published shard holds."""
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"d{i}", "text": f"text {i}"}) + "\n"
                           for i in range(1, 11)))
    out = tmp_path / "out"
    with pytest.raises(type(fail.exc)):
        run_job("clean", Reader([str(src)]), [fail],
                OutputOptions(str(out / name), shard_records=shard))
    assert leftovers(out) == []  # no temp file, whatever happened
    return [",".join(r["id"] for r in read_rows(p)) for p in sorted(out.glob("*.parquet"))]


def test_error_mid_run_publishes_nothing(tmp_path: Path) -> None:
    assert _run(tmp_path, "one.parquet", _Fail(5, RuntimeError("bug")), None) == []


def test_error_mid_run_keeps_published_shards(tmp_path: Path) -> None:
    shards = _run(tmp_path, "s.parquet", _Fail(8, RuntimeError("bug")), 3)
    assert shards == ["d1,d2,d3", "d4,d5,d6"]  # d7 was in the open shard: dropped


def test_second_ctrl_c_keeps_every_record_written(tmp_path: Path) -> None:
    shards = _run(tmp_path, "s.parquet", _Fail(8, KeyboardInterrupt()), 3)
    assert shards == ["d1,d2,d3", "d4,d5,d6", "d7"]


def test_interrupt_right_after_a_row_group_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C landing after pyarrow wrote a row group, before the writer noted it: the
    commit that follows neither loses nor repeats a record."""
    monkeypatch.setattr(parquet_module, "ROW_GROUP_RECORDS", 10)
    real = pq.ParquetWriter.write_table
    calls = {"n": 0}

    def write_then_interrupt(self: Any, table: Any, *args: Any, **kwargs: Any) -> None:
        real(self, table, *args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(pq.ParquetWriter, "write_table", write_then_interrupt)
    recs = make_records(100)
    with pytest.raises(KeyboardInterrupt), ParquetWriter(tmp_path / "ki.parquet") as writer:
        for rec in recs:
            writer.write(rec)
    assert [r["source"] for r in read_rows(tmp_path / "ki.parquet")] == [
        r["source"] for r in recs[:30]]


_CHILD = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from scraper.document import Document
    from scraper.record import build_record
    from scraper.writers import open_output
    w = open_output({path!r}, shard_records=100)
    for n in range(1050):
        w.write(build_record(Document(source=f"s{{n}}", text="t" * (n % 300))))
    os._exit(1)
    """
)


def test_crash_leaves_published_shards_readable(tmp_path: Path) -> None:
    code = _CHILD.format(root=str(ROOT), path=str(tmp_path / "out.parquet"))
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 1
    finals = sorted(p for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert [p.name for p in finals] == [f"out-{i:05d}.parquet" for i in range(10)]
    assert [r["source"] for p in finals for r in read_rows(p)] == [f"s{n}" for n in range(1000)]
    # The shard being written when the process died is only a hidden temp file.
    [temp] = leftovers(tmp_path)
    assert temp.startswith(".out-00010.parquet.tmp-")


# -- without pyarrow ----------------------------------------------------------------------


def test_without_pyarrow_parquet_output_stops_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": ARTICLES[0]}) + "\n{broken\n")
    out = tmp_path / "out" / "x.parquet"
    for args in (["clean", str(src), "-o", str(out)],
                 ["corpus", str(src), "-o", str(out), "--state", str(tmp_path / "s.sqlite")]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 1, result.output
        assert f"{out}: writing Parquet needs pyarrow" in result.output
        assert "pip install 'pagewash[parquet]'" in result.output
    # Nothing was read (no rejects file for the broken line) and nothing was created.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
    # JSON Lines output does not need it.
    assert CliRunner().invoke(app, ["clean", str(src), "-o", str(tmp_path / "y.jsonl")]
                              ).exit_code == 3
    validate_record(json.loads((tmp_path / "y.jsonl").read_text().splitlines()[0]))


# -- Parquet input: the records every command writes, read back ----------------------------


def _records_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_corpus_reads_the_parquet_records_clean_writes(tmp_path: Path) -> None:
    """Every command writes Parquet, so a corpus built from Parquet shards must read
    them: before, each one was a single 'binary' reject."""
    from scraper.jobs import corpus_files

    pq_out, jl_out = tmp_path / "c.parquet", tmp_path / "c.jsonl"
    clean_files([str(SEEDS)], str(pq_out), workers=1, err=_quiet())
    clean_files([str(SEEDS)], str(jl_out), workers=1, err=_quiet())
    from_pq, from_jl = tmp_path / "k1.jsonl", tmp_path / "k2.jsonl"
    a = corpus_files([str(pq_out)], str(from_pq), min_words=0, err=_quiet())
    b = corpus_files([str(jl_out)], str(from_jl), min_words=0, err=_quiet())
    assert a.rejected == b.rejected == 0 and a.records_out == b.records_out > 0
    left, right = _records_of(from_pq), _records_of(from_jl)
    for x, y in zip(left, right, strict=True):
        validate_record(x)
        assert x["source"].startswith(f"{pq_out}:")
        for rec in (x, y):
            rec.pop("processed_at"), rec.pop("source")
        assert x == y


def test_a_damaged_or_unsuitable_parquet_file_is_a_named_reject(tmp_path: Path) -> None:
    good = tmp_path / "c.parquet"
    clean_files([str(SEEDS)], str(good), workers=1, err=_quiet())
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(good.read_bytes()[:2000])
    other = tmp_path / "other.parquet"
    pq.write_table(pa.table({"body": ["some text here"]}), other)
    out = tmp_path / "o.jsonl"
    summary = clean_files([str(cut), str(other), str(good)], str(out), workers=1,
                          err=_quiet())
    rejects = {r["source"]: r for r in _records_of(Path(summary.rejects_path))}
    assert rejects[str(cut)]["reason"] == "bad-parquet"
    assert rejects[str(other)]["reason"] == "missing-field"
    assert "(columns: body)" in rejects[str(other)]["message"]  # the columns it has
    assert summary.exit_code == 3
    assert summary.records_out == len(pq.read_table(good))  # the good file still read


def test_a_damaged_row_group_costs_its_rows_not_the_rest_of_the_file(
        tmp_path: Path) -> None:
    """A bad row group ended the file: every later row group, whole, was lost under
    the one reject (1,427 rows of a corpus shard for a bad group of 1,000)."""
    import random

    rng = random.Random(5)
    texts = [" ".join(f"w{rng.randrange(10**6)}" for _ in range(300)) for _ in range(15)]
    path = tmp_path / "three.parquet"
    pq.write_table(pa.table({"text": texts}), path, row_group_size=5, compression="zstd")
    chunk = pq.ParquetFile(path).metadata.row_group(1).column(0)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(path.read_bytes())
    middle = start + chunk.total_compressed_size // 2
    for k in range(middle, middle + 64):
        data[k] ^= 0xFF
    path.write_bytes(bytes(data))
    reader = Reader([str(path)], mode="text")
    ctx = RunContext()
    rejects: list[Any] = []
    ctx.on_reject = rejects.append
    docs = list(reader(iter(()), ctx))
    assert [d.source for d in docs] == [f"{path}:{n}" for n in (*range(1, 6), *range(11, 16))]
    assert [d.text for d in docs] == texts[:5] + texts[10:]
    (bad,) = rejects
    assert bad.source == f"{path}:6" and bad.reason == "bad-parquet"
    assert "row group 2 of 3 (rows 6-10)" in bad.message


def _quiet() -> Any:
    import io

    return io.StringIO()


def test_a_column_of_the_wrong_type_is_one_reject_for_the_file(tmp_path: Path) -> None:
    """Numbers (or lists, or only nulls) in the text column: every row would be refused
    alike, so the file is one reject naming the column's type, not a reject per row."""
    numbers = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"text": list(range(3000))}), numbers)
    nulls = tmp_path / "nulls.parquet"
    pq.write_table(pa.table({"text": pa.array([None, None], type=pa.null())}), nulls)
    summary = clean_files([str(numbers), str(nulls)], str(tmp_path / "o.jsonl"), workers=1,
                          err=_quiet())
    rejects = _records_of(Path(summary.rejects_path))
    assert [(r["source"], r["reason"]) for r in rejects] == [
        (str(numbers), "wrong-type"), (str(nulls), "wrong-type")]
    assert "column 'text' holds int64, not text" in rejects[0]["message"]
    assert summary.exit_code == 3 and summary.records_out == 0


def test_a_binary_column_is_read_as_text_or_html(tmp_path: Path) -> None:
    """Crawl datasets often keep pages as bytes: text is decoded as a text file is (a
    value that is not UTF-8 is a reject naming its row), HTML goes to the extractor."""
    body = "Der Bürgermeister eröffnete am Montag die neue Brücke über den Fluss. " * 4
    texts = tmp_path / "bytes.parquet"
    pq.write_table(pa.table({"text": pa.array([body.encode(), b"caf\xe9 \xe9t\xe9 " * 9],
                                              type=pa.binary())}), texts)
    summary = clean_files([str(texts)], str(tmp_path / "o.jsonl"), workers=1, err=_quiet())
    [rec] = _records_of(tmp_path / "o.jsonl")
    assert "Bürgermeister" in rec["text"] and rec["source"] == f"{texts}:1"
    [rej] = _records_of(Path(summary.rejects_path))
    assert rej["source"] == f"{texts}:2" and rej["reason"] == "not-utf8"

    from scraper.jobs import extract_files

    page = (b"<html><head><meta charset='iso-8859-1'><title>Br\xfccke</title></head><body>"
            b"<article><h1>Br\xfccke</h1><p>" + body.encode("latin-1") + b"</p></article>"
            b"</body></html>")
    pages = tmp_path / "pages.parquet"
    pq.write_table(pa.table({"html": pa.array([page], type=pa.large_binary()),
                             "url": ["https://example.org/a"]}), pages)
    summary = extract_files([str(pages)], str(tmp_path / "e.jsonl"), workers=1, err=_quiet())
    [rec] = _records_of(tmp_path / "e.jsonl")
    assert summary.rejected == 0 and "Bürgermeister" in rec["text"]
    assert rec["url"] == "https://example.org/a"
