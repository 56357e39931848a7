"""Reading inputs: cases an audit of the readers found losing documents or hanging."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scraper.errors import ConfigError
from scraper.jobs import clean_files
from scraper.pipeline import Reject
from scraper.readers.sources import expand_inputs

PROSE = ("The council said on Monday that the old harbour will reopen next week, after a "
         "repair of the stone quay that took almost two years.")


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text("utf-8").splitlines()]


def test_a_huge_integer_is_one_bad_line_not_the_end_of_the_run(tmp_path: Path) -> None:
    """Python refuses to parse an integer of more than 4,300 digits with a ValueError,
    which the reader did not catch: the run stopped with no output at all."""
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([json.dumps({"text": PROSE}),
                              '{"text": "x", "n": ' + "9" * 5000 + "}",
                              json.dumps({"text": PROSE + " Again."})]) + "\n")
    out = tmp_path / "out.jsonl"
    summary = clean_files([str(src)], str(out), workers=1, err=io.StringIO())
    assert len(_lines(out)) == 2
    assert summary.reject_reasons == {"bad-json": 1} and summary.exit_code == 3
    assert _lines(Path(summary.rejects_path))[0]["source"] == f"{src}:2"


def test_a_stray_nul_in_line_one_rejects_that_line_only(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"text": "bad\x00 line"}\n' + json.dumps({"text": PROSE}).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    summary = clean_files([str(src)], str(out), workers=1, err=io.StringIO())
    assert len(_lines(out)) == 1
    assert _lines(Path(summary.rejects_path))[0]["source"] == f"{src}:1"
    binary = tmp_path / "b.jsonl"  # a real binary file named .jsonl is still one reject
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    summary = clean_files([str(binary)], str(out), workers=1, err=io.StringIO())
    assert summary.reject_reasons == {"binary": 1}


def test_control_characters_in_messages_are_shown_not_sent() -> None:
    """A JSON key or a WARC header line with an escape sequence reached the terminal
    as one (it could clear the screen or retitle the window)."""
    r = Reject("in\x1b[2J.jsonl:3", "bad-json", "key \x1b]0;owned\x07 at\ncolumn 4")
    assert "\x1b" not in r.source + r.message and "\x07" not in r.message
    assert r.message == "key \\x1b]0;owned\\x07 at column 4"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_a_walked_directory_is_skipped_not_waited_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PROSE)
    os.mkfifo(tmp_path / "b.txt")
    found = [getattr(i, "path", None) for i in expand_inputs([str(tmp_path)], "text")]
    assert found == [str(tmp_path / "a.txt")]
    found = [getattr(i, "path", None) for i in expand_inputs([str(tmp_path / "*.txt")], "text")]
    assert found == [str(tmp_path / "a.txt")]


def test_a_recursive_pattern_does_not_follow_directory_links(tmp_path: Path) -> None:
    """glob's ** follows symlinked directories: one link to a parent repeated the tree
    under ever longer names, two made the expansion run for ever."""
    (tmp_path / "crawl" / "a" / "b").mkdir(parents=True)
    (tmp_path / "crawl" / "c").mkdir()
    (tmp_path / "crawl" / "a" / "b" / "x.txt").write_text(PROSE)
    (tmp_path / "crawl" / "c" / "y.txt").write_text(PROSE)
    (tmp_path / "crawl" / "top.txt").write_text(PROSE)
    (tmp_path / "crawl" / "a" / "up").symlink_to("..")
    (tmp_path / "crawl" / "c" / "up").symlink_to("../..")
    code = ("import sys; from scraper.readers.sources import expand_inputs; "
            "print(sorted(i.path for i in expand_inputs([sys.argv[1]], 'text')))")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "crawl" / "**" / "*.txt")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    base = tmp_path / "crawl"
    assert proc.stdout.strip() == str(sorted(
        str(base / p) for p in ("a/b/x.txt", "c/y.txt", "top.txt")))
    other = [i.path for i in expand_inputs([str(base / "*" / "[a-b]" / "*.txt")], "text")]
    assert other == [str(base / "a" / "b" / "x.txt")]


def test_a_run_does_not_read_its_own_output_back(tmp_path: Path) -> None:
    """clean d -o d/out.jsonl, run again, read its last output and rejects as input:
    2, 4, then 6 documents in. Naming the output as an input is refused: the run would
    replace the file it reads, and what it dropped or rejected would be gone."""
    d = tmp_path / "d"
    d.mkdir()
    (d / "a.txt").write_text(PROSE)
    (d / "b.txt").write_bytes(b"\x00\x01 binary")
    counts = []
    for _ in range(3):
        s = clean_files([str(d)], str(d / "out.jsonl"), workers=1, err=io.StringIO())
        counts.append((s.documents_in, s.rejected))
    assert counts == [(1, 1)] * 3
    for _ in range(2):
        s = clean_files([str(d / "*")], str(d / "sh.jsonl"), shard_records=1, workers=1,
                        err=io.StringIO())
    # out.jsonl is another run's output: input like any other; out.rejects.jsonl, a
    # rejects file, holds no text and is passed over (counted as not read)
    assert (s.documents_in, s.rejected) == (2, 1)
    assert s.stats["read.skipped_files..rejects.jsonl"] == 1
    before = (d / "out.jsonl").read_bytes()
    with pytest.raises(ConfigError, match="is an input of this run and would be overwritten"):
        clean_files([str(d / "out.jsonl")], str(d / "out.jsonl"), workers=1,
                    err=io.StringIO())
    assert (d / "out.jsonl").read_bytes() == before


# -- WARC: one damaged record costs that record, not the rest of the file ------------------


def _wet(make_warc, path: Path, n: int, *, gzip: bool) -> list[int]:
    recs = [{"type": "warcinfo"}] + [
        {"type": "conversion", "uri": f"http://e.org/{i}",
         "payload": f"{PROSE} Story number {i}.".encode()} for i in range(n)]
    return make_warc(path, recs, gzip=gzip)


def _urls(out: Path) -> list[str]:
    return [r["url"] for r in _lines(out)]


def test_a_corrupt_gzip_member_costs_one_record(tmp_path: Path, make_warc) -> None:
    """A WET of 200 records with one damaged member gave 2 records and 1 reject: the
    other 197 were neither written nor rejected."""
    path = tmp_path / "cc.warc.wet.gz"
    offsets = _wet(make_warc, path, 20, gzip=True)
    data = bytearray(path.read_bytes())
    for k in range(offsets[3] + 30, offsets[3] + 60):  # record 2's deflate data
        data[k] ^= 0xFF
    path.write_bytes(bytes(data))
    out = tmp_path / "o.jsonl"
    summary = clean_files([str(path)], str(out), workers=1, err=io.StringIO())
    assert _urls(out) == [f"http://e.org/{i}" for i in range(20) if i != 2]
    (bad,) = _lines(Path(summary.rejects_path))
    assert bad["source"] == f"{path}@{offsets[3]}"
    assert f"reading resumes at the next record (offset {offsets[4]})" in bad["message"]


def test_a_bad_gzip_checksum_is_the_records_reject_not_stderr_noise(
        tmp_path: Path, make_warc, capfd: pytest.CaptureFixture[str]) -> None:
    """A member whose data fail their check (a flipped CRC, bad bytes near a member's
    end) made warcio print "Error -3 while decompressing data" to stderr once per block
    to the end of the file, naming no file: hundreds of lines for a mid-file fault."""
    rng = random.Random(7)
    long_text = " ".join(f"w{rng.randrange(10**9)}" for _ in range(8000))  # > 1 block
    recs = [{"type": "warcinfo"}] + [
        {"type": "conversion", "uri": f"http://e.org/{i}",
         "payload": f"{PROSE} {long_text if i == 2 else ''} Story {i}.".encode()}
        for i in range(20)]
    path = tmp_path / "cc.warc.wet.gz"
    offsets = make_warc(path, recs, gzip=True)
    data = bytearray(path.read_bytes())
    for k in range(offsets[4] - 8, offsets[4] - 4):  # record 2's member's CRC32
        data[k] ^= 0xFF
    path.write_bytes(bytes(data))
    out = tmp_path / "o.jsonl"
    summary = clean_files([str(path)], str(out), workers=1, err=io.StringIO())
    assert "decompressing" not in capfd.readouterr().err
    assert _urls(out) == [f"http://e.org/{i}" for i in range(20) if i != 2]
    bad = _lines(Path(summary.rejects_path))
    assert bad[0]["source"] == f"{path}@{offsets[3]}"
    assert "corrupt gzip data" in bad[0]["message"]


@pytest.mark.parametrize("gzip", [False, True])
@pytest.mark.parametrize("delta", [-40, 10])
def test_a_wrong_content_length_is_a_reject_not_a_cut_or_glued_text(
        tmp_path: Path, make_warc, gzip: bool, delta: int) -> None:
    """40 bytes short: the text was written cut mid-word with no reject (warcio only
    printed a warning); 10 bytes long: the next record's header was glued on, or the
    rest of the file lost."""
    plain = tmp_path / "x.warc.wet"
    _wet(make_warc, plain, 6, gzip=False)
    body = f"{PROSE} Story number 2.".encode()
    raw = plain.read_bytes()
    at = raw.index(b"http://e.org/2")
    head_end = raw.index(b"Content-Length: ", at)
    line_end = raw.index(b"\r\n", head_end)
    fixed = raw[:head_end] + f"Content-Length: {len(body) + delta}".encode() + raw[line_end:]
    path = tmp_path / ("x.warc.wet.gz" if gzip else "x.warc.wet")
    if gzip:  # one member per record, the damaged one included
        import gzip as gz

        records = [b"WARC/1.0\r\n" + r for r in fixed.split(b"WARC/1.0\r\n")[1:]]
        path.write_bytes(b"".join(gz.compress(r) for r in records))
    else:
        path.write_bytes(fixed)
    out = tmp_path / "o.jsonl"
    summary = clean_files([str(path)], str(out), workers=1, err=io.StringIO())
    urls = _urls(out)
    assert "http://e.org/2" not in urls
    assert [u for u in urls] == [f"http://e.org/{i}" for i in range(6) if i != 2]
    assert all("WARC/1" not in r["text"] for r in _lines(out))
    assert summary.rejected == 1 and summary.exit_code == 3


def test_a_clean_of_html_responses_says_where_they_go(tmp_path: Path, make_warc) -> None:
    path = tmp_path / "pages.warc.gz"
    make_warc(path, [{"type": "response", "uri": "http://e.org/",
                      "payload": b"<html><body><p>Hi</p></body></html>"}])
    err = io.StringIO()
    summary = clean_files([str(path)], str(tmp_path / "o.jsonl"), workers=1, err=err)
    assert "HTML responses: read them with pagewash extract" in summary.one_line()


def test_a_cut_warc_gzip_is_truncated_from_a_pipe_as_from_a_file(tmp_path: Path,
                                                                 make_warc) -> None:
    """The same cut file was 'truncated' on disk and 'bad-warc' through stdin."""
    path = tmp_path / "cut.warc.wet.gz"
    _wet(make_warc, path, 6, gzip=True)
    path.write_bytes(path.read_bytes()[:-120])
    proc = subprocess.run([sys.executable, "-m", "scraper", "clean", "-", "-o",
                           str(tmp_path / "o.jsonl"), "--workers", "1"],
                          stdin=path.open("rb"), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    (bad,) = _lines(tmp_path / "o.rejects.jsonl")
    assert bad["reason"] == "truncated" and bad["source"].startswith("<stdin>@")
    assert len(_lines(tmp_path / "o.jsonl")) == 5


def test_a_killed_runs_temp_files_are_removed_by_the_next_run(tmp_path: Path) -> None:
    """kill -9 (or the OOM killer) leaves .NAME.tmp-PID-XXXX; no later run removed it,
    so a long unsharded run left gigabytes under a dot-name. A live process's is kept."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = [tmp_path / f".out.jsonl.tmp-{dead}-0a1b2c3d",
             tmp_path / f".out-00003.jsonl.tmp-{dead}-deadbeef",
             tmp_path / f".out.rejects.jsonl.tmp-{dead}-01234567"]
    live = tmp_path / f".out.jsonl.tmp-{os.getppid()}-89abcdef"  # a running process's
    other = tmp_path / f".notes.txt.tmp-{dead}-0a1b2c3d"  # not this output's
    for f in (*stale, live, other):
        f.write_text("half a record")
    (tmp_path / "in.txt").write_text(PROSE)
    err = io.StringIO()
    clean_files([str(tmp_path / "in.txt")], str(tmp_path / "out.jsonl"), workers=1, err=err)
    assert not any(f.exists() for f in stale)
    assert live.exists() and other.exists()
    assert err.getvalue().count("killed before it finished") == 3


def test_a_killed_but_unreaped_runs_temp_file_is_removed(tmp_path: Path) -> None:
    """A run started right after kill -9, before the killed process was reaped (a
    zombie still answers kill(pid, 0)), kept its temp file as a live run's for good."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 30
        while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
            assert time.monotonic() < deadline, "the child did not exit"
            time.sleep(0.02)
        stale = tmp_path / f".out.jsonl.tmp-{child.pid}-0a1b2c3d"
        stale.write_text("half a record")
        (tmp_path / "in.txt").write_text(PROSE)
        err = io.StringIO()
        clean_files([str(tmp_path / "in.txt")], str(tmp_path / "out.jsonl"), workers=1,
                    err=err)
        assert not stale.exists()
        assert f"removed {stale}" in err.getvalue()
    finally:
        child.wait()


def test_a_killed_corpus_runs_dropped_temp_file_is_removed_too(tmp_path: Path) -> None:
    """Only the output's and the rejects file's temp files were swept: the --dropped
    report of a killed corpus run stayed under its dot-name for good."""
    from scraper.jobs import corpus_files

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = tmp_path / f".dropped.jsonl.tmp-{dead}-0a1b2c3d"
    stale.write_text("half a line")
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": PROSE}) + "\n")
    err = io.StringIO()
    corpus_files([str(src)], str(tmp_path / "out.jsonl"), dropped=str(tmp_path / "dropped.jsonl"),
                 err=err)
    assert not stale.exists()
    assert f"removed {stale}" in err.getvalue()


@pytest.mark.parametrize(("suffix", "compress", "name"), [
    (".jsonl.bz2", "bz2", "bzip2"), (".jsonl.xz", "lzma", "xz"), (".txt.bz2", "bz2", "bzip2")])
def test_a_dump_compressed_another_way_is_named_not_called_binary(
        tmp_path: Path, suffix: str, compress: str, name: str) -> None:
    """A .jsonl.bz2 or .jsonl.xz was rejected as "binary file (NUL bytes), not text",
    which sends one looking for damage in a file that is fine."""
    import importlib

    module = importlib.import_module(compress)
    path = tmp_path / f"dump{suffix}"
    path.write_bytes(module.compress(b'{"text": "A line of text."}\n' * 50))
    summary = clean_files([str(path)], str(tmp_path / "o.jsonl"), workers=1,
                          err=io.StringIO())
    (bad,) = _lines(Path(summary.rejects_path))
    assert f"{name}-compressed, not text: pagewash reads gzip and zstd" in bad["message"]
