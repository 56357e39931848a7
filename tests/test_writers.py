"""Writers: round trips, sharding, atomicity under crashes and interrupts, the write step."""

from __future__ import annotations

import errno
import gzip
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import BinaryIO

import pytest
import zstandard

from scraper.document import Document, Removal
from scraper.errors import ConfigError, OutputError
from scraper.pipeline import Pipeline, RunContext
from scraper.readers import Reader
from scraper.readers.compression import ZstdFrameChecker
from scraper.record import validate_record
from scraper.writers import JsonlWriter, RejectsFile, WriteRecords, shard_path
from scraper.writers import atomic as atomic_module
from scraper.writers import jsonl as jsonl_module

ROOT = Path(__file__).resolve().parents[1]


def read_lines(path: Path) -> list[dict]:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)  # raises on a truncated or corrupt stream
    elif raw[:4] == b"\x28\xb5\x2f\xfd":
        checker = ZstdFrameChecker()
        checker.feed(raw)
        assert checker.complete, f"{path}: zstd stream is cut short"
        raw = zstandard.ZstdDecompressor().decompressobj(read_across_frames=True).decompress(raw)
    text = raw.decode("utf-8")
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def records(n: int) -> list[dict]:
    return [{"n": i, "text": f"record {i} — ünïcödé", "tags": ["a", i]} for i in range(n)]


# -- round trips ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["out.jsonl", "out.jsonl.gz", "out.jsonl.zst"])
def test_round_trip(tmp_path: Path, name: str) -> None:
    path = tmp_path / "new" / "dir" / name  # missing directories are created
    with JsonlWriter(path) as writer:
        for rec in records(5000):
            writer.write(rec)
    assert writer.paths == [path]
    assert read_lines(path) == records(5000)
    assert writer.records == 5000
    plain = "".join(
        json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records(5000)
    )
    assert writer.bytes == len(plain.encode())
    if name.endswith(".jsonl"):
        assert path.read_text(encoding="utf-8") == plain  # compact, raw UTF-8
    assert [p.name for p in path.parent.iterdir()] == [name]  # no temp file left behind


def test_compression_override_and_magic(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    with JsonlWriter(path, compression="gzip") as writer:
        writer.write({"a": 1})
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    assert read_lines(path) == [{"a": 1}]
    with pytest.raises(ConfigError):
        JsonlWriter(tmp_path / "x.jsonl", compression="lz4")


def test_lone_surrogates_and_nan(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    with JsonlWriter(path) as writer:
        writer.write(json.loads('{"text":"bad \\ud800 half"}'))
        with pytest.raises(ValueError):
            writer.write({"x": float("nan")})
    assert read_lines(path) == [{"text": "bad \ud800 half"}]


def test_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    with JsonlWriter("-") as writer:
        writer.write({"a": "é"})
        writer.write({"b": 2})
    assert capsys.readouterr().out == '{"a":"é"}\n{"b":2}\n'
    assert writer.paths == [] and writer.records == 2


# -- sharding -----------------------------------------------------------------------------


def test_shard_names() -> None:
    assert shard_path("out/x.jsonl.gz", 0) == Path("out/x-00000.jsonl.gz")
    assert shard_path("my.data.jsonl", 12) == Path("my.data-00012.jsonl")
    assert shard_path("results.json.zst", 1) == Path("results-00001.json.zst")
    assert shard_path("plain", 2) == Path("plain-00002")
    assert shard_path("dump.gz", 3) == Path("dump-00003.gz")


def test_shard_by_records(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl.gz"
    with JsonlWriter(path, shard_records=300) as writer:
        for rec in records(1000):
            writer.write(rec)
    names = [p.name for p in writer.paths]
    assert names == [f"out-0000{i}.jsonl.gz" for i in range(4)]
    counts = [len(read_lines(p)) for p in writer.paths]
    assert counts == [300, 300, 300, 100]
    assert [r for p in writer.paths for r in read_lines(p)] == records(1000)
    assert sorted(p.name for p in tmp_path.iterdir()) == names
    assert not path.exists()


def test_shard_by_bytes(tmp_path: Path) -> None:
    limit = 4096
    recs = [*records(400), {"n": "big", "text": "x" * 10_000}, *records(3)]
    with JsonlWriter(tmp_path / "out.jsonl", shard_bytes=limit) as writer:
        for rec in recs:
            writer.write(rec)
    assert [r for p in writer.paths for r in read_lines(p)] == recs
    sizes = [p.stat().st_size for p in writer.paths]
    big = [i for i, p in enumerate(writer.paths) if read_lines(p)[0]["n"] == "big"]
    assert len(big) == 1 and len(read_lines(writer.paths[big[0]])) == 1  # alone, over the limit
    assert all(s <= limit for i, s in enumerate(sizes) if i != big[0])
    # Greedy: a shard is closed only when the next line would not fit.
    for a, b in zip(writer.paths, writer.paths[1:], strict=False):
        first_next = json.dumps(read_lines(b)[0], ensure_ascii=False, separators=(",", ":"))
        assert a.stat().st_size + len(first_next.encode()) + 1 > limit
    assert [p.name for p in writer.paths] == [f"out-{i:05d}.jsonl" for i in range(len(sizes))]


def test_shard_by_records_and_bytes(tmp_path: Path) -> None:
    with JsonlWriter(tmp_path / "o.jsonl.zst", shard_records=50, shard_bytes=1500) as writer:
        for rec in records(120):
            writer.write(rec)
    counts = [len(read_lines(p)) for p in writer.paths]
    assert max(counts) <= 50 and sum(counts) == 120
    assert [r for p in writer.paths for r in read_lines(p)] == records(120)


@pytest.mark.parametrize("stop", [5, 6, 9, 12])
@pytest.mark.parametrize("limits", [{"shard_records": 3}, {"shard_bytes": 250},
                                    {"shard_records": 4, "shard_bytes": 200}])
def test_continue_from_the_last_shard_fills_it_up(
    tmp_path: Path, stop: int, limits: dict[str, int]
) -> None:
    """A run stopped mid-shard published a short shard; a writer told how full it is
    fills it up first, so the shards are those of one uninterrupted writer (a shard
    left full stays as it is); without, numbering goes on after it."""
    recs = records(20)
    with JsonlWriter(tmp_path / "whole.jsonl.gz", **limits) as whole:
        for rec in recs:
            whole.write(rec)
    path = tmp_path / "part.jsonl.gz"
    with JsonlWriter(path, **limits) as first:
        for rec in recs[:stop]:
            first.write(rec)
    last = first.paths[-1]
    with gzip.open(last) as lines:
        fill = (len(read_lines(last)), sum(len(line) for line in lines))
    untouched = [p.read_bytes() for p in first.paths[:-1]]
    with JsonlWriter(path, **limits) as second:
        second.continue_from(list(first.paths), last_shard=fill)
        for rec in recs[stop:]:
            second.write(rec)
    assert [p.name for p in second.paths] == [p.name.replace("whole", "part")
                                              for p in whole.paths]
    assert [read_lines(p) for p in second.paths] == [read_lines(p) for p in whole.paths]
    assert [p.read_bytes() for p in second.paths[:len(untouched)]] == untouched
    assert not list(tmp_path.glob(".*tmp*"))


@pytest.mark.parametrize(
    ("name", "shards", "expected"),
    [("e.jsonl", False, "e.jsonl"), ("e.jsonl.gz", True, "e-00000.jsonl.gz")],
)
def test_nothing_written_still_leaves_one_empty_file(
    tmp_path: Path, name: str, shards: bool, expected: str
) -> None:
    writer = JsonlWriter(tmp_path / name, shard_records=10 if shards else None)
    assert writer.close() == [tmp_path / expected]
    assert read_lines(tmp_path / expected) == []  # a valid (empty) gzip stream
    assert [p.name for p in tmp_path.iterdir()] == [expected]


def test_commit_then_more_writes(tmp_path: Path) -> None:
    plain = JsonlWriter(tmp_path / "one.jsonl.gz")
    plain.write({"a": 1})
    assert plain.commit() == [tmp_path / "one.jsonl.gz"]
    assert read_lines(tmp_path / "one.jsonl.gz") == [{"a": 1}]
    plain.write({"a": 2})
    assert plain.close() == [tmp_path / "one.jsonl.gz"]
    assert read_lines(tmp_path / "one.jsonl.gz") == [{"a": 1}, {"a": 2}]

    sharded = JsonlWriter(tmp_path / "s.jsonl", shard_records=10)
    sharded.write({"b": 1})
    sharded.commit()
    sharded.write({"b": 2})
    assert [p.name for p in sharded.close()] == ["s-00000.jsonl", "s-00001.jsonl"]


# -- atomicity ----------------------------------------------------------------------------

_CHILD = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    from scraper.writers import JsonlWriter
    w = JsonlWriter({path!r}, shard_records={shard})
    n = 0
    while True:
        w.write({{"n": n, "text": "t" * (n % 300)}})
        n += 1
        if n == {exit_after}:
            os._exit(1)
    """
)


def _child(tmp_path: Path, name: str, shard: int, exit_after: int) -> subprocess.Popen[bytes]:
    code = _CHILD.format(
        root=str(ROOT), path=str(tmp_path / name), shard=shard, exit_after=exit_after
    )
    return subprocess.Popen([sys.executable, "-c", code])


def _final_files(tmp_path: Path) -> list[Path]:
    return sorted(p for p in tmp_path.iterdir() if not p.name.startswith("."))


def test_crash_before_commit_leaves_only_committed_shards(tmp_path: Path) -> None:
    proc = _child(tmp_path, "out.jsonl.gz", shard=100, exit_after=1050)
    assert proc.wait(timeout=60) == 1
    finals = _final_files(tmp_path)
    assert [p.name for p in finals] == [f"out-{i:05d}.jsonl.gz" for i in range(10)]
    assert [r["n"] for p in finals for r in read_lines(p)] == list(range(1000))
    temps = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert len(temps) == 1 and temps[0].startswith(".out-00010.jsonl.gz.tmp-")

    unsharded = _child(tmp_path, "single.jsonl", shard=0, exit_after=500)
    unsharded.wait(timeout=60)
    assert not (tmp_path / "single.jsonl").exists()


def test_sigkill_at_any_moment_never_leaves_a_broken_final_file(tmp_path: Path) -> None:
    proc = _child(tmp_path, "k.jsonl.zst", shard=700, exit_after=-1)
    deadline = time.monotonic() + 30
    while len(_final_files(tmp_path)) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    finals = _final_files(tmp_path)
    assert len(finals) >= 3
    assert [p.name for p in finals] == [f"k-{i:05d}.jsonl.zst" for i in range(len(finals))]
    seen = [r["n"] for p in finals for r in read_lines(p)]  # every line of every file parses
    assert seen == list(range(700 * len(finals)))


def test_keyboard_interrupt_keeps_complete_lines(tmp_path: Path) -> None:
    path = tmp_path / "ki.jsonl.gz"
    with pytest.raises(KeyboardInterrupt), JsonlWriter(path) as writer:
        for rec in records(3000):
            writer.write(rec)
        raise KeyboardInterrupt
    assert read_lines(path) == records(3000)


def test_other_exceptions_publish_nothing(tmp_path: Path) -> None:
    path = tmp_path / "err.jsonl"
    with pytest.raises(RuntimeError), JsonlWriter(path, shard_records=10) as writer:
        for rec in records(25):
            writer.write(rec)
        raise RuntimeError("bug in a step")
    # Shards committed before the error stay; the open one is dropped with its temp file.
    assert [p.name for p in tmp_path.iterdir()] == ["err-00000.jsonl", "err-00001.jsonl"]


def test_interrupt_inside_a_write_is_recovered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C landing half-way through writing a compressed batch loses no line."""
    monkeypatch.setattr(jsonl_module, "BATCH_BYTES", 2000)
    real_append = jsonl_module.AtomicFile.append
    calls = {"n": 0}

    def half_then_interrupt(self: object, blob: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            real_append(self, blob[: len(blob) // 2])  # a torn write of a gzip member
            raise KeyboardInterrupt
        real_append(self, blob)

    monkeypatch.setattr(jsonl_module.AtomicFile, "append", half_then_interrupt)
    path = tmp_path / "torn.jsonl.gz"
    written = []
    with pytest.raises(KeyboardInterrupt), JsonlWriter(path) as writer:
        for rec in records(1000):
            writer.write(rec)
            written.append(rec)
    assert calls["n"] == 3
    # The interrupted write() had already accepted its (whole) line, so it is kept too.
    assert read_lines(path) == records(len(written) + 1)


class _FullDisk:
    """A file whose writes fail like a full disk does."""

    def __init__(self, fh: BinaryIO) -> None:
        self._fh = fh

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> object:
        return getattr(self._fh, name)


def test_write_errors_name_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(OutputError, match=r"file/out\.jsonl"):
        JsonlWriter(blocker / "out.jsonl").write({"a": 1})

    real_open = open
    monkeypatch.setattr(
        atomic_module, "open", lambda *a, **k: _FullDisk(real_open(*a, **k)), raising=False
    )
    monkeypatch.setattr(jsonl_module, "BATCH_BYTES", 1)
    writer = JsonlWriter(tmp_path / "full.jsonl")
    with pytest.raises(OutputError) as info:
        writer.write({"a": 1})
    assert "full.jsonl" in str(info.value) and "disk full" in str(info.value)
    writer.abort()
    assert list(tmp_path.glob(".full*")) == []
    assert not (tmp_path / "full.jsonl").exists()


# -- rejects and records ------------------------------------------------------------------


def test_rejects_file_collects_rejects(tmp_path: Path) -> None:
    bad = tmp_path / "in" / "bad.jsonl"
    bad.parent.mkdir()
    bad.write_text('{"text":"ok"}\n{oops\n')
    out = tmp_path / "rejects.jsonl"
    with RejectsFile(out) as rejects:
        ctx = RunContext(rejects=rejects)
        docs = list(Reader([str(bad), str(tmp_path / "nope.txt")])(iter(()), ctx))
    assert [d.text for d in docs] == ["ok"]
    rows = read_lines(out)
    assert [(r["source"], r["reason"], r["step"]) for r in rows] == [
        (f"{bad}:2", "bad-json", "read"),
        (str(tmp_path / "nope.txt"), "not-found", "read"),
    ]
    assert rows[0]["sample"] == "{oops"
    assert rows[0]["message"].startswith(f"{bad}:2: not valid JSON")


def test_write_records_step(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps(
            {
                "id": 7,
                "url": "https://www.bbc.co.uk/news/x",
                "title": "T",
                "text": "Some words here.",
                "authors": ["A"],
                "published": "2024-10-24",
            }
        )
        + "\n"
        + json.dumps({"text": "Another document.", "published": "not a date"})
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    writer = JsonlWriter(out)
    step = WriteRecords(writer, validate=True)
    pipe = Pipeline([Reader([str(src)]), step])
    passed_on = list(pipe.iterate(RunContext()))
    writer.close()
    assert [d.source for d in passed_on] == [f"{src}:1", f"{src}:2"]
    recs = read_lines(out)
    for rec in recs:
        validate_record(rec)
    first = recs[0]
    assert (first["id"], first["url"], first["title"], first["site"]) == (
        7,
        "https://www.bbc.co.uk/news/x",
        "T",
        "bbc.co.uk",
    )
    assert first["authors"] == ["A"] and first["published"] == "2024-10-24"
    assert first["source"] == f"{src}:1" and first["word_count"] == 3
    assert recs[1]["flags"] == ["bad-published"] and recs[1]["published"] is None
    assert step.stats["records"] == 2 and step.stats["empty"] == 0


def test_write_records_counts_empty_and_removed(tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    with JsonlWriter(out) as writer:
        step = WriteRecords(writer, with_removed=True, validate=True)
        docs = [
            Document(source="a", text="", removed=[Removal("nav", "Home | About", 1)]),
            Document(source="b", text="kept"),
        ]
        assert list(step.run(docs, RunContext())) == docs
    recs = read_lines(out)
    assert recs[0]["flags"] == ["empty"]
    assert recs[0]["removed"] == [{"rule": "nav", "text": "Home | About", "line": 1}]
    assert recs[1]["removed"] == []
    assert step.stats["empty"] == 1 and step.stats["records"] == 2


@pytest.mark.parametrize("name", ["out.jsonl.bz2", "out.jsonl.xz", "OUT.JSONL.LZ4", "out.zip"])
def test_an_output_named_for_a_compression_pagewash_does_not_write_is_refused(
        tmp_path: Path, name: str) -> None:
    """``-o out.jsonl.bz2`` wrote plain JSON Lines under the name, which bunzip2 then
    refused; the run is refused before anything is made, naming what it can write."""
    from scraper.jobs import clean_files

    seed = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[0]
    stem, ext = name.rsplit(".", 1)
    with pytest.raises(ConfigError) as info:
        clean_files([str(seed)], str(tmp_path / name))
    assert str(info.value) == (
        f"{tmp_path / name}: pagewash compresses files with gzip or zstd only, not "
        f".{ext.lower()}; name the output {stem}.gz or {stem}.zst")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", ["rejects", "explain_html"])
def test_a_side_file_named_for_a_compression_pagewash_does_not_write_is_refused(
        tmp_path: Path, option: str) -> None:
    """``--rejects r.jsonl.bz2`` was written plain under the name, as ``-o`` was."""
    from scraper.jobs import clean_files

    seed = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[0]
    side = tmp_path / "side.jsonl.bz2"
    with pytest.raises(ConfigError) as info:
        clean_files([str(seed)], str(tmp_path / "out.jsonl"), **{option: str(side)})
    assert str(info.value).startswith(f"{side}: pagewash compresses files with gzip or "
                                      "zstd only, not .bz2; name the --")
    assert list(tmp_path.iterdir()) == []
