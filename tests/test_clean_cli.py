"""`pagewash clean` end to end: real files in, records, rejects, explanations, exit codes."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scraper.cli import app
from scraper.record import stable_id, validate_record

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
runner = CliRunner()


def read_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    d = tmp_path / "dumps"
    shutil.copytree(SEEDS, d, ignore=shutil.ignore_patterns("expected", "*.md"))
    return d


def test_clean_directory_writes_valid_records(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "clean.jsonl.gz"
    result = runner.invoke(app, ["clean", str(seeds), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    records = read_jsonl(out)
    assert len(records) == 5
    for rec in records:
        validate_record(rec)
        assert rec["source"].startswith(str(seeds))
        assert rec["language"] == "en"
    by_source = {Path(r["source"]).name: r for r in records}
    assert by_source["003_141ba280b1c398c2.txt"]["title"].startswith("US Confirms 3,000")
    assert "Yes • 50%" not in by_source["003_141ba280b1c398c2.txt"]["text"]
    assert "pagewash clean: 5 in, 5 out" in result.output


def test_jsonl_fields_carried_through_and_removed_blocks_kept(tmp_path: Path) -> None:
    dump = (SEEDS / "000_c1de8a3c946e0a0e.txt").read_text("utf-8")
    src = tmp_path / "in.jsonl"
    # an article's address: on a home page or section front link lists would stay
    url = "https://unn.ua/en/news/how-the-city-council-voted-on-the-budget"
    src.write_text(json.dumps({"id": 7, "url": url, "title": "Given title",
                               "body": dump}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", str(src), "-o", str(out), "--text-field", "body",
                                 "--with-removed", "--no-progress"])
    assert result.exit_code == 0, result.output
    [rec] = read_jsonl(out)
    validate_record(rec)
    assert (rec["id"], rec["url"], rec["title"]) == (7, url, "Given title")
    assert rec["site"] == "unn.ua" and rec["source"] == f"{src}:1"
    rules = {r["rule"] for r in rec["removed"]}
    assert {"counter", "section.related"} <= rules
    assert all(r["text"] not in rec["text"].split("\n") for r in rec["removed"]
               if r["rule"] == "counter")


def _clean_twice(tmp_path: Path, body: str, given: dict[str, object]
                 ) -> tuple[Path, dict, dict]:
    """``clean`` of two JSONL records of ``body``, the second with the fields ``given``:
    the input path and the two (schema-valid) records."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": body}) + "\n" + json.dumps({"text": body, **given})
                   + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", str(src), "-o", str(out), "--no-progress"])
    assert result.exit_code == 0, result.output
    found, second = read_jsonl(out)
    for rec in (found, second):
        validate_record(rec)
    return src, found, second


def test_authors_from_a_byline_unless_the_input_record_has_them(tmp_path: Path) -> None:
    body = ("Council backs transport plan\nBy Jane Doe\n\n" + " ".join(
        ["The council approved the new transport plan on Tuesday after a long debate."] * 3))
    src, found, given = _clean_twice(tmp_path, body, {"authors": ["Given Author"]})
    for rec in (found, given):
        assert "By Jane Doe" not in rec["text"]
    assert found["authors"] == ["Jane Doe"]
    assert given["authors"] == ["Given Author"]
    explained = runner.invoke(app, ["clean", str(src), "-o", str(tmp_path / "x.jsonl"),
                                    "--explain", "--no-progress"])
    assert f"{src}:1  authors → Jane Doe" in explained.output
    assert f"{src}:1  title → Council backs transport plan" in explained.output
    assert f"{src}:1:2  [byline]  By Jane Doe" in explained.output
    assert f"{src}:2  authors →" not in explained.output  # the input's own authors


def test_a_footers_address_gives_the_record_its_url_id_and_site(tmp_path: Path) -> None:
    """A reader-app export names its article's address in the footer: the record's
    url, and so its id (the one extract and crawl give that page) and site. An input
    record's own url is carried through unchanged."""
    body = ("The council approved the new transport plan on Tuesday after a long debate. "
            * 3 + "\nStatistics\nID: 8f3a2c91\nURL: https://news.example.co.uk/a/plan\n"
            "Created: 2026-03-14 10:02\nUpdated: 2026-03-14 10:05")
    _, found, given = _clean_twice(tmp_path, body, {"url": "https://mirror.example.org/p"})
    for rec in (found, given):
        assert "URL:" not in rec["text"]
    assert found["url"] == "https://news.example.co.uk/a/plan"
    assert found["site"] == "example.co.uk"
    assert found["id"] == stable_id("https://news.example.co.uk/a/plan", "")
    assert given["url"] == "https://mirror.example.org/p"
    assert given["site"] == "example.org"


def test_bad_inputs_are_rejected_counted_and_listed(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "good.txt").write_text((SEEDS / "002_c73582a0534f0787.txt").read_text("utf-8"))
    (d / "empty.txt").write_text("")
    (d / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR" * 20)
    (d / "latin1.txt").write_bytes("Café au lait, déjà vu.\n".encode("latin-1"))
    (d / "lines.jsonl").write_text('{"text": "A fine line of text here."}\n{broken\n',
                                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    rejects = tmp_path / "rejects.jsonl"
    result = runner.invoke(app, ["clean", str(d), "-o", str(out), "--rejects", str(rejects),
                                 "--no-progress"])
    assert result.exit_code == 3, result.output  # finished, but something was rejected
    records = read_jsonl(out)
    rejected = read_jsonl(rejects)
    assert {Path(r["source"]).name for r in records} == {"good.txt", "lines.jsonl:1"}
    reasons = {Path(r["source"]).name: r["reason"] for r in rejected}
    assert reasons == {"empty.txt": "empty", "binary.txt": "binary", "latin1.txt": "not-utf8",
                       "lines.jsonl:2": "bad-json"}
    assert "latin1.txt" in result.output and "line 1" in result.output
    # nothing lost: every input document is in the output or in the rejects
    assert len(records) + len(rejected) == 6


def test_explain_prints_each_removed_block_with_its_rule(seeds: Path, tmp_path: Path) -> None:
    page = tmp_path / "explain.html"
    result = runner.invoke(app, ["clean", str(seeds / "003_141ba280b1c398c2.txt"),
                                 "-o", str(tmp_path / "o.jsonl"), "--explain",
                                 "--explain-html", str(page), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "003_141ba280b1c398c2.txt:9  [widget.row]  No • 50%" in result.output
    html = page.read_text("utf-8")
    assert "<s>No • 50%</s>" in html and 'class="rule">widget.row<' in html
    assert "The United States has confirmed" in html  # kept text is shown too


def test_stdin_to_stdout_and_disable(seeds: Path) -> None:
    dump = (seeds / "004_161574ad65ba1aac.txt").read_text("utf-8")
    result = runner.invoke(app, ["clean", "-", "--no-progress", "--disable", "dedup"],
                           input=dump)
    assert result.exit_code == 0
    rec = json.loads(result.stdout.splitlines()[0])
    assert rec["source"] == "<stdin>"
    # with de-duplication switched off the repeated article body stays
    assert rec["text"].count("Kirby pointed out that") == 2


def test_an_unknown_rule_name_stops_the_run_before_it_starts(seeds: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    result = runner.invoke(app, ["clean", str(seeds), "-o", str(out), "--no-progress",
                                 "--disable", "section.related", "--disable", "sectoin"])
    assert result.exit_code == 1
    assert "unknown rule sectoin (rules: comments.thread," in result.output
    assert not out.exists()


def test_sharded_output(seeds: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["clean", str(seeds), "-o", str(tmp_path / "part.jsonl"),
                                 "--shard-records", "2", "--no-progress"])
    assert result.exit_code == 0
    shards = sorted(tmp_path.glob("part-*.jsonl"))
    assert [len(read_jsonl(s)) for s in shards] == [2, 2, 1]


def test_console_script_runs(seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    exe = shutil.which("pagewash") or ""
    cmd = [exe] if exe else [sys.executable, "-m", "scraper"]
    proc = subprocess.run([*cmd, "clean", str(seeds), "-o", str(out), "--no-progress"],
                          capture_output=True, text=True, env={**os.environ}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(read_jsonl(out)) == 5


@pytest.mark.parametrize("command", ["clean", "extract", "corpus"])
def test_help_names_the_parquet_extra(command: str) -> None:
    # Rich markup would read "[parquet]" as a style tag and drop it from the help text.
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "pagewash[parquet]" in result.output


def test_top_level_help_gives_each_command_one_whole_summary_line() -> None:
    """The command list showed the docstrings' line breaks: "…from saved web pages:" on
    one line, the inputs on the next, corpus's summary cut after "text,"."""
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    rows = [line.strip("│ ").split(None, 1) for line in result.output.splitlines()
            if line.startswith("│ ") and not line.startswith("│ --")]
    assert [name for name, _ in rows] == ["clean", "extract", "corpus", "crawl", "schedule"]
    for name, summary in rows:
        assert summary.rstrip().endswith("."), (name, summary)


@pytest.mark.parametrize("command", ["clean", "extract", "corpus"])
def test_help_gives_the_exit_statuses(command: str) -> None:
    text = " ".join(runner.invoke(app, [command, "--help"], env={"COLUMNS": "200"})
                    .output.split())
    assert ("Exit status: 0 nothing rejected, 3 some inputs rejected (see the rejects file), "
            "130 stopped") in text
    assert "75 another run is writing the output, 1 error, 2 wrong command line." in text


def test_the_summary_names_the_explain_html_page(tmp_path: Path) -> None:
    """The summary listed the output only: the page asked for, to be opened next, went
    unnamed."""
    seed = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "seeds")
                  .glob("*.txt"))[0]
    page = tmp_path / "report.html"
    result = runner.invoke(app, ["clean", str(seed), "-o", str(tmp_path / "o.jsonl"),
                                 "--explain-html", str(page), "--workers", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-2:] == [f"output: {tmp_path / 'o.jsonl'}", f"explain-html: {page}"]
    assert page.is_file()


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_an_explain_limit_below_one_is_refused(tmp_path: Path, limit: str) -> None:
    """It was taken, and the page showed no document."""
    seed = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "seeds")
                  .glob("*.txt"))[0]
    result = runner.invoke(app, ["clean", str(seed), "-o", str(tmp_path / "o.jsonl"),
                                 "--explain-html", str(tmp_path / "x.html"),
                                 "--explain-limit", limit])
    assert result.exit_code == 1
    assert f"--explain-limit must be at least 1, not {limit}" in result.output
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "o.jsonl").exists()


def test_schedule_help_shows_no_markup() -> None:
    assert "``" not in runner.invoke(app, ["schedule", "--help"]).output


def test_progress_asked_for_without_a_terminal_is_plain_lines(tmp_path: Path,
                                                              monkeypatch) -> None:
    """Under cron or nohup an explicit --progress was ignored: a run of hours showed no
    sign of life until it ended. Without the flag, no terminal means no progress."""
    import io as _io

    from scraper import runner
    from scraper.jobs import clean_files

    monkeypatch.delenv("PAGEWASH_PROGRESS", raising=False)
    monkeypatch.setattr(runner, "PROGRESS_LINE_SECONDS", 0.0)
    src = tmp_path / "in.txt"
    src.write_text("The harbour reopens next week after a long repair, the council said.\n")
    asked, default = _io.StringIO(), _io.StringIO()
    clean_files([str(src)], str(tmp_path / "a.jsonl"), workers=1, progress=True, err=asked)
    clean_files([str(src)], str(tmp_path / "b.jsonl"), workers=1, progress=None, err=default)
    lines = [x for x in asked.getvalue().splitlines() if " read of " in x]
    assert lines and lines[-1].startswith("pagewash clean: ") and "(100%)" in lines[-1]
    assert " read" not in default.getvalue()


def test_files_a_directory_walk_passes_over_are_counted_on_one_unwrapped_line(
        seeds: Path, tmp_path: Path) -> None:
    """Under cron stderr is no terminal: the summary must stay one line however long,
    and files of other kinds in an input directory must not vanish without a word."""
    (seeds / "notes.md").write_text("# notes\n", "utf-8")
    (seeds / "page.html").write_text("<p>a page</p>", "utf-8")
    (seeds / "README").write_text("no extension\n", "utf-8")
    result = runner.invoke(app, ["clean", str(seeds), "-o", str(tmp_path / "o.jsonl"),
                                 "--no-progress"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("pagewash clean:"))
    assert len(line) > 80  # longer than a non-terminal console's width
    assert "5 in, 5 out" in line and line.endswith("s")
    assert ("3 files in directories not read (.html 1, .md 1, no extension 1; name a file "
            "to read it; HTML pages: pagewash extract)") in line


def test_rejects_of_a_run_into_a_device_go_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01 binary")
    beside = Path(os.devnull + ".rejects.jsonl")
    there_before = beside.exists()
    result = runner.invoke(app, ["clean", "bin.txt", "-o", os.devnull, "--no-progress"])
    assert result.exit_code == 3
    assert "-> pagewash.rejects.jsonl" in result.output
    [reject] = [json.loads(x) for x in (tmp_path / "pagewash.rejects.jsonl").read_text()
                .splitlines()]
    assert reject["reason"] == "binary"
    assert beside.exists() == there_before  # nothing written next to the device


def test_a_skipped_file_named_twice_is_counted_once(seeds: Path, tmp_path: Path) -> None:
    (seeds / "notes.md").write_text("# notes\n", "utf-8")
    result = runner.invoke(app, ["clean", str(seeds), str(seeds), f"{seeds}/../dumps",
                                 "-o", str(tmp_path / "o.jsonl"), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "1 file in directories not read (.md 1;" in result.output


def _one_document_jsonl(path: Path) -> bytes:
    text = (SEEDS / "001_052bf8636d0ccf43.txt").read_text("utf-8")
    path.write_text(json.dumps({"id": "a", "text": text}) + "\n", "utf-8")
    return path.read_bytes()


@pytest.mark.parametrize(("command", "args"), [
    ("corpus", ["{inp}", "-o", "{inp}"]),
    ("clean", ["{inp}", "-o", "{out}", "--rejects", "{inp}"]),
    ("corpus", ["{inp}", "-o", "{out}", "--dropped", "{inp}"]),
    ("clean", ["{inp}", "-o", "{out}", "--summary-json", "{inp}"]),
    ("clean", ["{inp}", "-o", "{out}", "--explain-html", "{out}"]),
    ("corpus", ["{inp}", "-o", "{out}", "--dropped", "{out}"]),
    ("corpus", ["{inp}", "-o", "-", "--dropped", "-"]),
    ("clean", ["{inp}", "-o", "{out}", "--shard-records", "1", "--summary-json",
               "{shard}"]),
])
def test_a_run_that_would_overwrite_an_input_or_another_output_is_refused(
        tmp_path: Path, command: str, args: list[str]) -> None:
    """Each of these replaced a file at the end of the run: the input (its documents
    lost) or the records (by the dropped list, the summary, the HTML report). Refused
    before anything is read, naming the file and the options."""
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    before = _one_document_jsonl(inp)
    names = {"inp": str(inp), "out": str(out), "shard": str(tmp_path / "out-00000.jsonl")}
    result = runner.invoke(app, [command, *(a.format(**names) for a in args),
                                 "--no-progress"])
    assert result.exit_code == 1, result.output
    assert "pagewash: error:" in result.output
    assert "give each its own" in result.output or "would be overwritten" in result.output
    assert inp.read_bytes() == before
    assert not out.exists() and not (tmp_path / "out-00000.jsonl").exists()


def test_a_walked_file_named_as_the_output_is_kept_unless_it_is_a_pagewash_output(
        tmp_path: Path) -> None:
    """``clean d -o d/out.jsonl`` run again passes over its last output; a file of the
    user's under that name is input, which the run would have replaced with an empty
    output: refused instead."""
    d = tmp_path / "d"
    d.mkdir()
    theirs = d / "out.jsonl"
    before = _one_document_jsonl(theirs)
    result = runner.invoke(app, ["clean", str(d), "-o", str(theirs), "--no-progress"])
    assert result.exit_code == 1 and "not a pagewash output" in result.output
    assert theirs.read_bytes() == before

    # a first record longer than any fixed window (here 150 KB) is still known as ours
    from tests.long_text import long_prose

    (d / "a.txt").write_text("\n\n".join(long_prose(400)), "utf-8")
    theirs.unlink()
    for _ in range(2):  # the second run passes over the first one's output
        result = runner.invoke(app, ["clean", str(d), "-o", str(theirs), "--no-progress"])
        assert result.exit_code == 0, result.output
        assert len(read_jsonl(theirs)) == 1
    assert theirs.stat().st_size > 1 << 17


def test_dev_null_takes_several_outputs(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    _one_document_jsonl(inp)
    result = runner.invoke(app, ["corpus", str(inp), "-o", os.devnull, "--dropped",
                                 os.devnull, "--no-progress"])
    assert result.exit_code == 0, result.output


def test_a_reader_of_stderr_that_goes_away_does_not_end_the_run(tmp_path: Path) -> None:
    """``pagewash corpus … 2>&1 | head -1``: the next message raised BrokenPipeError and
    the run died with exit 1 and no output. The messages have no reader left; the run
    still writes every record and reject."""
    bad = tmp_path / "odd.jsonl"
    bad.write_text("".join(f"not json {i}\n" for i in range(3000)), "utf-8")  # > a pipe
    good = tmp_path / "good.jsonl"
    _one_document_jsonl(good)
    out = tmp_path / "bp" / "o.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "scraper", "clean", str(bad), str(good),
                             "-o", str(out), "--workers", "1"], stderr=subprocess.PIPE)
    assert proc.stderr is not None
    proc.stderr.readline()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 3
    assert len(read_jsonl(out)) == 1
    assert len(read_jsonl(tmp_path / "bp" / "o.rejects.jsonl")) == 3000


def test_a_reader_of_explanations_that_goes_away_does_not_end_the_run(tmp_path: Path) -> None:
    """``pagewash clean … -o out.jsonl --explain | head``: the explanations have no
    reader after the first line, and the run died with BrokenPipeError and no output.
    They are messages; the records file is the product and is still written."""
    paths = []
    for n in range(40):  # more explanation lines than a pipe holds
        p = tmp_path / f"page{n}.txt"
        p.write_text("\n".join(["Home", "News", "Sport", "Popular", *(
            f"Menu item number {k} of page {n}" for k in range(60))]) + "\n\n"
            + "A paragraph of the article that is long enough to count as prose here. " * 3,
            "utf-8")
        paths.append(str(p))
    out = tmp_path / "o.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "scraper", "clean", *paths, "-o", str(out),
                             "--workers", "1", "--explain", "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    assert proc.wait(timeout=120) == 0
    assert len(read_jsonl(out)) == 40


@pytest.mark.parametrize("lines", [2, 1])
def test_records_of_a_slow_pipe_come_out_as_their_lines_arrive(
        tmp_path: Path, lines: int) -> None:
    """A producer that sends two lines and pauses: they used to wait, unread, until a
    whole 1 MiB chunk (or the end) arrived, deaf to Ctrl-C meanwhile. One line, then a
    pause: the sniff waited for a second line to tell JSON Lines from text, though the
    first was a whole JSON object."""
    import queue
    import threading

    line = _one_document_jsonl(tmp_path / "one.jsonl")
    proc = subprocess.Popen([sys.executable, "-m", "scraper", "clean", "-", "-o", "-",
                             "--workers", "1"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    got: queue.Queue[bytes] = queue.Queue()
    threading.Thread(target=lambda: got.put(proc.stdout.readline()), daemon=True).start()
    proc.stdin.write(line if lines == 1 else line + line.replace(b'"id": "a"', b'"id": "b"'))
    proc.stdin.flush()
    try:
        first = got.get(timeout=60)  # while the pipe is still open
        assert json.loads(first)["id"] == "a"
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    assert proc.returncode == 0


@pytest.mark.skipif(sys.platform != "linux", reason="FIONREAD on a pipe's write end")
def test_ctrl_c_while_waiting_on_an_open_pipe_stops_the_run(tmp_path: Path) -> None:
    """`sleep 30 | pagewash clean -`: the first Ctrl-C said "finishing the current item"
    and the run went on waiting for input (a blocked read is resumed after the signal
    handler). It now stops there: records written are whole, the half-sent line is
    neither a record nor a reject, and the summary says the run stopped."""
    import queue
    import signal
    import threading

    line = _one_document_jsonl(tmp_path / "one.jsonl")
    proc = subprocess.Popen([sys.executable, "-m", "scraper", "clean", "-", "-o", "-",
                             "--workers", "1", "--rejects", str(tmp_path / "r.jsonl")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    got: queue.Queue[bytes] = queue.Queue()
    threading.Thread(target=lambda: got.put(proc.stdout.readline()), daemon=True).start()
    try:
        proc.stdin.write(line + b'{"id": "b", "text": "half of a re')
        proc.stdin.flush()
        first = got.get(timeout=60)
        # More of "b", taken from the pipe only once the reader is past the stop check
        # that follows "a": the run is then blocked reading the rest of "b".
        proc.stdin.write(b"cord that never ends")
        proc.stdin.flush()
        _wait_until_drained(proc.stdin.fileno())
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)  # (the pipe stays open: before, this timed out)
        rest, err = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
    assert code == 130, err.decode()
    assert json.loads(first)["id"] == "a" and rest == b""
    assert b"STOPPED" in err and b"aborted" not in err and b"interrupted" not in err
    assert not (tmp_path / "r.jsonl").exists()


def _wait_until_drained(fd: int) -> None:
    """Until the reader has taken every byte written to the pipe (Linux: FIONREAD on
    the write end counts what is still in the pipe)."""
    import fcntl
    import struct
    import termios
    import time

    for _ in range(6000):
        if not struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0" * 4))[0]:
            return
        time.sleep(0.01)
    raise AssertionError("the run never read its input")


def test_a_quiet_pipe_hears_the_stop_and_a_flowing_one_is_still_read() -> None:
    import threading

    from scraper.readers.base import InputStopped, StoppableInput

    r, w = os.pipe()
    with os.fdopen(r, "rb", buffering=0) as raw, os.fdopen(w, "wb", buffering=0) as out:
        stop = threading.Event()
        pipe = StoppableInput(raw, stop)  # type: ignore[arg-type]
        out.write(b"abc")
        assert pipe.read(10) == b"abc"
        stop.set()
        out.write(b"def")
        assert pipe.read(10) == b"def"  # data that is there is still read after a stop
        with pytest.raises(InputStopped):
            pipe.read(10)


def test_a_page_named_to_clean_is_a_reject_that_points_to_extract(
        seeds: Path, tmp_path: Path) -> None:
    """`pagewash clean page.html` cleaned the page's markup as if it were a dump: a
    record of tags, scripts and styles, counted as a success. A file named as a page
    that holds markup is now a reject whose reason says to use `pagewash extract`; the
    other inputs of the run are cleaned as before, a `.txt` dump of markup included."""
    html_dir = Path(__file__).resolve().parent.parent / "fixtures" / "html"
    page = tmp_path / "news_article.html"
    shutil.copy(html_dir / "news_article.html", page)
    cp1251 = tmp_path / "ru.htm"  # not UTF-8: the reason is still the page, not its bytes
    shutil.copy(html_dir / "ru_cp1251_declared.html", cp1251)
    dump = seeds / "003_141ba280b1c398c2.txt"
    markup_dump = tmp_path / "snippet.txt"  # a .txt is a text dump, whatever it holds
    markup_dump.write_text("<p>How to write a paragraph in HTML: wrap it in p tags.</p>\n",
                           "utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", str(page), str(cp1251), str(dump), str(markup_dump),
                                 "-o", str(out), "--no-progress"])
    assert result.exit_code == 3, result.output
    assert sorted(Path(r["source"]).name for r in read_jsonl(out)) == [
        dump.name, markup_dump.name]
    rejects = {Path(r["source"]).name: r for r in read_jsonl(tmp_path / "out.rejects.jsonl")}
    assert set(rejects) == {page.name, cp1251.name}
    for name, rej in rejects.items():
        assert rej["reason"] == "html-page"
        assert f"pagewash extract {tmp_path / name}" in rej["message"]
    assert f"{page}: an HTML page, not a text dump" in result.output
    assert "2 in, 2 out, 0 empty, 2 rejected" in result.output


@pytest.mark.parametrize("command", [[], ["clean"], ["extract"], ["corpus"], ["crawl"],
                                     ["schedule"]])
def test_help_shows_on_off_options_as_flags(command: list[str]) -> None:
    """typer's help put "<bool>" after every flag ("--with-removed <bool>", "--help
    <bool>"), so users typed "--with-removed true" and had "true" read as an input."""
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "<bool>" not in result.output
    assert "<str>" in result.output or not command  # the other options keep their types
    flags = {"clean": "--with-removed", "extract": "--with-removed", "corpus": "--redact-pii",
             "crawl": "--ignore-robots", "schedule": "--no-extract"}
    lines = [line for line in result.output.splitlines()
             if flags.get(command[0] if command else "", "--version") + " " in line]
    assert lines and "<" not in lines[0]


def test_flags_still_switch_on_and_a_value_after_one_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text((SEEDS / "000_c1de8a3c946e0a0e.txt").read_text("utf-8"), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["clean", str(src), "-o", str(out), "--with-removed",
                                 "--no-progress"])
    assert result.exit_code == 0, result.output
    assert read_jsonl(out)[0]["removed"]
    result = runner.invoke(app, ["clean", str(src), "-o", str(tmp_path / "b.jsonl"),
                                 "--with-removed", "true", "--no-progress"])
    assert result.exit_code == 2
    assert "'true': no such input" in result.output
    assert "take no value" in result.output
    assert not (tmp_path / "b.jsonl").exists()


@pytest.mark.parametrize("name", ["s.json.gz", "s.json.zst", "s.json"])
def test_summary_json_is_compressed_by_its_name_as_the_other_files_are(
        tmp_path: Path, name: str) -> None:
    """`--summary-json s.json.gz` was written as plain JSON, while the records, rejects
    and --dropped files follow their .gz/.zst names."""
    import zstandard

    src = tmp_path / "in.txt"
    src.write_text((SEEDS / "000_c1de8a3c946e0a0e.txt").read_text("utf-8"), encoding="utf-8")
    summary = tmp_path / name
    result = runner.invoke(app, ["clean", str(src), "-o", str(tmp_path / "o.jsonl.gz"),
                                 "--summary-json", str(summary), "--no-progress"])
    assert result.exit_code == 0, result.output
    blob = summary.read_bytes()
    if name.endswith(".gz"):
        blob = gzip.decompress(blob)
    elif name.endswith(".zst"):
        blob = zstandard.ZstdDecompressor().decompressobj().decompress(blob)
    assert json.loads(blob)["records_out"] == 1
