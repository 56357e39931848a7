"""Edges an adversarial audit of the commands found: values Python's JSON parser takes
and JSON does not, output paths that are not plain files, signals sent to the whole
process group, options that reached the code unchecked. Each test failed before its fix.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cleaners import Cleaner
from scraper.cli import app
from scraper.errors import ConfigError, WorkerError
from scraper.jobs import check_timeout, clean_files
from scraper.pipeline import RunContext
from scraper.record import validate_record
from scraper.steps.clean_workers import CleanerSpec, CleanJob, CleanPool
from scraper.steps.pooled import quiet_if_stopping
from scraper.workers import MAX_ERROR_CHARS, describe

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[0]
PROSE = ("The council met on Tuesday to discuss the budget, and after a long debate the "
         "members agreed that the plan needed more work before a vote in the spring.")


def _clean(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["clean", *args, "--no-progress", "--workers", "1"])
    return result.exit_code, result.output


# -- JSON values no record can hold ------------------------------------------------------


def test_nan_infinity_and_huge_numbers_reject_their_line_only(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a", "text": PROSE}),
        '{"id": NaN, "text": "x"}',
        '{"id": 7, "score": 1e999, "text": "x"}',
        '{"id": 8, "score": -Infinity, "text": "x"}',
        json.dumps({"id": "b", "text": PROSE}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    summary = clean_files([str(src)], str(out), err=open(os.devnull, "w"))  # noqa: SIM115
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "b"]
    rejects = [json.loads(line) for line in Path(summary.rejects_path).read_text().splitlines()]
    assert [(r["source"], r["reason"]) for r in rejects] == [
        (f"{src}:2", "bad-json"), (f"{src}:3", "bad-json"), (f"{src}:4", "bad-json")]
    assert "NaN" in rejects[0]["message"] and "1e999" in rejects[1]["message"]
    assert summary.exit_code == 3


@pytest.mark.parametrize("bad_id", [3.5, True])
def test_an_id_the_schema_refuses_is_flagged_and_replaced(tmp_path: Path, bad_id: object
                                                          ) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": bad_id, "text": PROSE}) + "\n", encoding="utf-8")
    for name in ("out.jsonl", "out.parquet"):
        out = tmp_path / name
        summary = clean_files([str(src)], str(out), err=open(os.devnull, "w"))  # noqa: SIM115
        assert summary.exit_code == 0 and summary.records_out == 1
    record = json.loads((tmp_path / "out.jsonl").read_text())
    validate_record(record)
    assert isinstance(record["id"], str) and record["id"] != str(bad_id)
    assert "bad-id" in record["flags"]


def test_a_lone_surrogate_is_cleaned_not_rejected() -> None:
    """It becomes U+FFFD, as a stray byte does: a surrogate is no character, UTF-8 cannot
    hold it, and Parquet replaced it after content_hash was computed (a schema audit)."""
    second = ("A lone surrogate \ud800 sits in this paragraph, which a scraper copied "
              "from a page with a broken emoji; the rest of it is ordinary prose about parks.")
    out = Cleaner().clean(f"{PROSE}\n\n{second}").text
    assert out == f"{PROSE}\n\n{second.replace(chr(0xD800), chr(0xFFFD))}"


def test_failure_messages_are_cut_short() -> None:
    exc = UnicodeEncodeError("utf-8", "x" * 100_000, 5, 6, "surrogates not allowed")
    assert len(describe(exc)) == MAX_ERROR_CHARS
    assert describe(ValueError("short")) == "ValueError('short')"


# -- output paths that are not plain files -----------------------------------------------


def test_output_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    target = tmp_path / "target.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    code, _ = _clean([str(SEED), "-o", str(link)])
    assert code == 0
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["source"] == str(SEED)


def test_output_to_a_fifo_streams_into_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.extend(fifo.read_text().splitlines()))
    reader.start()
    code, _ = _clean([str(SEED), "-o", str(fifo)])
    reader.join(timeout=60)
    assert code == 0
    assert fifo.exists() and not fifo.is_file()  # still a pipe, not renamed over
    assert [json.loads(line)["source"] for line in got] == [str(SEED)]


@pytest.mark.parametrize("make", ["directory", "under-a-file", "parquet-fifo", "gz-fifo"])
def test_outputs_that_cannot_be_written_are_refused_before_reading(tmp_path: Path,
                                                                   make: str) -> None:
    if make == "directory":
        out, want = tmp_path, "is a directory"
    elif make == "under-a-file":
        (tmp_path / "afile").write_text("x")
        out, want = tmp_path / "afile" / "o.jsonl", "afile is not a directory"
    else:
        out = tmp_path / ("o.parquet" if make == "parquet-fifo" else "o.jsonl.gz")
        os.mkfifo(out)
        want = "regular file" if make == "parquet-fifo" else "plain JSON Lines"
    missing = tmp_path / "never-read.txt"  # read first, it would be a not-found reject
    code, output = _clean([str(missing), "-o", str(out)])
    assert code == 1 and want in output and "never-read" not in output


def test_rejects_file_cannot_be_the_output(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    code, output = _clean([str(SEED), "-o", str(out), "--rejects", str(out)])
    assert code == 1 and "--rejects names the file" in output and not out.exists()


def test_a_rejects_file_from_an_earlier_run_does_not_stay(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert _clean([str(SEED), str(empty), "-o", str(out)])[0] == 3
    rejects = tmp_path / "o.rejects.jsonl"
    assert rejects.exists()
    assert _clean([str(SEED), "-o", str(out)])[0] == 0
    assert not rejects.exists()


def test_an_empty_directory_is_named_like_a_pattern_without_match(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, output = _clean([str(tmp_path / "empty"), "-o", str(tmp_path / "o.jsonl")])
    assert code == 3 and "no text input files in this directory" in output


def test_explain_html_survives_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    odd = Path(os.fsdecode(bytes(tmp_path / "caf") + b"\xe9.txt"))
    odd.write_text(SEED.read_text("utf-8"), encoding="utf-8")
    html = tmp_path / "x.html"
    code, _ = _clean([str(odd), "-o", str(tmp_path / "o.jsonl"), "--explain-html", str(html)])
    assert code == 0 and "caf\\udce9.txt" in html.read_text("utf-8")


# -- options ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0])
def test_a_timeout_that_is_not_a_number_of_seconds_is_refused(value: float) -> None:
    with pytest.raises(ConfigError, match="timeout must be"):
        check_timeout(value)
    assert check_timeout(0) is None and check_timeout(None) is None and check_timeout(2.5) == 2.5


@pytest.mark.parametrize(("args", "want"), [
    (["--encoding", "rot13"], "not a text encoding"),
    (["--shard-size", "nonsense"], "--shard-size 'nonsense' is not a size"),
    (["--max-bytes", "inf"], "--max-bytes 'inf' is not a size"),
    (["--timeout", "nan"], "timeout must be"),
])
def test_bad_option_values_get_one_line_naming_them(tmp_path: Path, args: list[str],
                                                     want: str) -> None:
    code, output = _clean([str(SEED), "-o", str(tmp_path / "o.jsonl"), *args])
    assert code == 1 and want in output and "Traceback" not in output


def test_a_summary_file_that_cannot_be_written_is_an_error_not_a_traceback(
    tmp_path: Path
) -> None:
    (tmp_path / "afile").write_text("x")
    code, output = _clean([str(SEED), "-o", str(tmp_path / "o.jsonl"),
                           "--summary-json", str(tmp_path / "afile" / "s.json")])
    assert code == 1 and "cannot write the summary" in output
    assert (tmp_path / "o.jsonl").exists()  # the run itself was done and kept


# -- signals -----------------------------------------------------------------------------


def test_an_interrupt_outside_the_run_loop_exits_130_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scraper.jobs

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr(scraper.jobs, "clean_files", interrupted)
    code, output = _clean([str(SEED), "-o", str(tmp_path / "o.jsonl")])
    assert code == 130 and "pagewash: interrupted" in output


def test_pool_workers_leave_sigterm_and_sigint_to_the_parent() -> None:
    """``systemctl stop`` and a terminal's Ctrl-C signal the whole process group: the
    workers must live on, so the parent can finish their documents and stop."""
    with CleanPool(2, CleanerSpec()) as pool:
        pool.wait_ready()
        for w in pool._workers:
            os.kill(w.proc.pid, signal.SIGTERM)
            os.kill(w.proc.pid, signal.SIGINT)
        jobs = [CleanJob(SEED.read_text("utf-8"), f"doc{i}") for i in range(4)]
        outcomes = [outcome for _, outcome in pool.map(jobs)]
        assert pool.restarts == 0
    assert all(hasattr(o, "text") for o in outcomes)


def test_a_pool_that_cannot_start_while_stopping_ends_the_step_quietly() -> None:
    ctx = RunContext()
    with pytest.raises(WorkerError), quiet_if_stopping(ctx):
        raise WorkerError("workers cannot be started")
    ctx.stop.set()
    with quiet_if_stopping(ctx):
        raise WorkerError("workers cannot be started")


# -- WARC --------------------------------------------------------------------------------


def test_a_warc_gzipped_whole_is_read_whole(tmp_path: Path, make_warc) -> None:
    """Gzipped as one stream rather than a member per record: read decompressed, as the
    same bytes were from a pipe (before, a file gave its first record and one reject)."""
    import gzip

    plain = tmp_path / "plain.warc.wet"
    wet = [{"type": "conversion", "uri": f"http://e/{i}", "payload": PROSE.encode()}
           for i in range(3)]
    make_warc(plain, wet, gzip=False)
    whole = tmp_path / "whole.warc.wet.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    out = tmp_path / "o.jsonl"
    code, output = _clean([str(whole), "-o", str(out)])
    assert code == 0, output
    assert [json.loads(x)["url"] for x in out.read_text().splitlines()] == [
        f"http://e/{i}" for i in range(3)]
    assert f"{whole}@-" not in out.read_text()


def test_skipped_warc_records_show_in_the_summary_line(tmp_path: Path, make_warc) -> None:
    warc = tmp_path / "pages.warc.gz"
    make_warc(warc, [{"type": "warcinfo"},
                     {"type": "conversion", "uri": "http://e/", "payload": PROSE.encode()}])
    code, output = _clean([str(warc), "-o", str(tmp_path / "o.jsonl")])
    assert code == 0 and "1 in, 1 out" in output and "1 WARC record skipped" in output


def test_shards_left_by_a_longer_earlier_run_are_named(tmp_path: Path) -> None:
    out = tmp_path / "sh.jsonl"
    seeds = str(ROOT / "fixtures" / "seeds" / "*.txt")
    code, _ = _clean([seeds, "-o", str(out), "--shard-records", "1"])
    assert code == 0 and len(list(tmp_path.glob("sh-*.jsonl"))) == 5
    code, output = _clean([str(SEED), "-o", str(out), "--shard-records", "1"])
    assert code == 0
    assert "note: 4 shard(s) from an earlier run follow this run's" in output
    assert str(tmp_path / "sh-00001.jsonl") in output
    assert len(list(tmp_path.glob("sh-*.jsonl"))) == 5  # named, never deleted
