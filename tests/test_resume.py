"""``--resume``: a stopped or killed ``clean``/``extract`` run carried on from its output
ends with what one uninterrupted run writes, each input once, in input order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scraper.cli import app
from scraper.document import Document
from scraper.errors import ConfigError
from scraper.jobs import clean_files, extract_files
from scraper.pipeline import RunContext, Step
from scraper.readers import Reader
from scraper.runner import OutputOptions, run_job
from scraper.steps.clean import CleanStep
from scraper.steps.clean_workers import CleanerSpec

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))
MULTI = sorted((ROOT / "fixtures" / "multilingual").glob("*.txt"))
PAGES = sorted((ROOT / "fixtures" / "html").glob("*.html"))


def make_inputs(root: Path) -> list[str]:
    """A JSONL file of real dumps with a malformed line and an empty text among them,
    then a binary file and the seed dumps as text files: records and rejects mixed."""
    root.mkdir()
    lines = [json.dumps({"id": f"m{i}", "text": p.read_text("utf-8")})
             for i, p in enumerate(MULTI)]
    lines.insert(3, '{"id": "broken", "text": "no end')
    lines.insert(6, json.dumps({"id": "blank", "text": "   "}))
    (root / "a.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (root / "b.txt").write_bytes(b"\x00\x01 not text")
    for p in SEEDS:
        (root / f"c_{p.name}").write_bytes(p.read_bytes())
    return [str(root)]


def records(*paths: Path) -> list[dict[str, Any]]:
    """Records of the output files, without the time they were made."""
    from scraper.readers.compression import compression_of, decompressing
    from scraper.writers.output import is_parquet

    out = []
    for path in paths:
        if is_parquet(path):
            import pyarrow.parquet as pq

            rows = pq.read_table(path).to_pylist()
            rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
        else:
            with open(path, "rb") as raw:
                compression = compression_of(raw.read(4))
                raw.seek(0)
                rows = [json.loads(line) for line in decompressing(raw, compression)]
        out += [{k: v for k, v in r.items() if k != "processed_at"} for r in rows]
    return out


class StopAfter(Step):
    """Asks the run to stop after ``n`` documents, as Ctrl-C or SIGTERM does."""

    name = "stop_after"

    def __init__(self, n: int) -> None:
        super().__init__()
        self.n = n

    def run(self, docs: Iterable[Document], ctx: RunContext) -> Iterator[Document]:
        for i, doc in enumerate(docs, 1):
            if i == self.n:
                ctx.stop.set()
            yield doc


def stopped_clean(inputs: list[str], out: Path, n: int, **options: Any) -> None:
    summary = run_job("clean", Reader(inputs, mode="text"),
                      [CleanStep(CleanerSpec(), workers=1), StopAfter(n)],
                      OutputOptions(str(out), **options))
    assert summary.stopped


def test_a_stopped_run_says_how_to_carry_it_on(tmp_path: Path, capsys) -> None:
    """A stopped run ended on "..., STOPPED" and its output lines: nothing said that the
    output was whole or that --resume, not a new run, carries it on."""
    import io

    from scraper.runner import print_summary

    summary = run_job("clean", Reader([str(p) for p in SEEDS], mode="text"),
                      [CleanStep(CleanerSpec(), workers=1), StopAfter(2)],
                      OutputOptions(str(tmp_path / "out.jsonl")))
    err = io.StringIO()
    print_summary(summary, err=err)
    assert err.getvalue().splitlines()[-1] == (
        "stopped: the output holds every record written so far; the same command with "
        "--resume carries the run on")
    to_stdout = run_job("clean", Reader([str(p) for p in SEEDS], mode="text"),
                        [CleanStep(CleanerSpec(), workers=1), StopAfter(2)],
                        OutputOptions("-"))
    capsys.readouterr()
    err = io.StringIO()
    print_summary(to_stdout, err=err)
    assert to_stdout.stopped and "--resume" not in err.getvalue()  # nothing to carry on


def outputs(out: Path) -> list[Path]:
    return sorted(out.parent.glob(out.name.replace(".", "-*.", 1))) or [out]


@pytest.mark.parametrize(("name", "shards"), [
    ("out.jsonl", None), ("out.jsonl.gz", None), ("out.jsonl.zst", 3), ("out.parquet", None),
    ("out.parquet", 4),
])
def test_stopped_then_resumed_run_writes_what_one_run_writes(
    tmp_path: Path, name: str, shards: int | None
) -> None:
    inputs = make_inputs(tmp_path / "in")
    whole = clean_files(inputs, str(tmp_path / "whole" / name), shard_records=shards)
    expected = records(*map(Path, whole.outputs))

    out = tmp_path / "part" / name
    stopped_clean(inputs, out, 7, shard_records=shards)
    before = records(*outputs(out))
    assert 0 < len(before) < len(expected)

    summary = clean_files(inputs, str(out), shard_records=shards, resume=True)
    assert records(*map(Path, summary.outputs)) == expected
    assert summary.resumed_records == len(before)
    assert summary.records_out == len(expected) - len(before)
    assert summary.documents_in == summary.records_out  # skipped ones are not "in"
    # Every input once: the rejects file is the uninterrupted run's, line for line.
    assert (Path(summary.rejects_path or "").read_text()
            == Path(whole.rejects_path or "").read_text())
    assert summary.exit_code == whole.exit_code == 3


def test_resuming_a_finished_run_changes_nothing(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    out = tmp_path / "out.jsonl.gz"
    first = clean_files(inputs, str(out))
    data, rejects = out.read_bytes(), Path(first.rejects_path or "").read_bytes()
    again = clean_files(inputs, str(out), resume=True)
    assert again.documents_in == again.records_out == again.rejected == 0
    assert (again.resumed_records, again.resumed_rejects) == (first.records_out, first.rejected)
    assert out.read_bytes() == data and Path(again.rejects_path or "").read_bytes() == rejects
    assert again.exit_code == 3  # the output still lacks what was rejected
    assert again.stats["resume.skipped"] == first.records_out
    assert again.stats["resume.rejects_skipped"] == first.rejected
    assert "resumed after" in again.one_line()


def test_resume_takes_inputs_added_since(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    first = clean_files(inputs, str(out))
    (tmp_path / "in" / "d_new.txt").write_text(MULTI[0].read_text("utf-8"), "utf-8")
    again = clean_files(inputs, str(out), resume=True)
    assert again.records_out == 1 and again.rejected == 0
    rows = records(out)
    assert len(rows) == first.records_out + 1 and rows[-1]["source"].endswith("d_new.txt")


def test_resume_knows_an_input_by_any_spelling_of_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make_inputs(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    first = clean_files(["in"], str(out))
    again = clean_files([str(tmp_path / "in")], str(out), resume=True)
    again_dot = clean_files(["./in/../in/"], str(out), resume=True)
    assert again.documents_in == again.rejected == again_dot.documents_in == 0
    assert len(records(out)) == first.records_out


def test_resume_without_an_earlier_run_is_a_plain_run(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    summary = clean_files(inputs, str(tmp_path / "out.jsonl"), resume=True)
    plain = clean_files(inputs, str(tmp_path / "plain.jsonl"))
    assert records(tmp_path / "out.jsonl") == records(tmp_path / "plain.jsonl")
    assert summary.resumed_records == summary.resumed_rejects == 0
    assert summary.exit_code == plain.exit_code


def test_resume_with_two_workers_matches_one_run(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    whole = clean_files(inputs, str(tmp_path / "whole.jsonl"))
    out = tmp_path / "out.jsonl"
    stopped_clean(inputs, out, 4)
    summary = clean_files(inputs, str(out), resume=True, workers=2)
    assert records(out) == records(Path(whole.outputs[0]))
    assert (Path(summary.rejects_path or "").read_text()
            == Path(whole.rejects_path or "").read_text())


def test_resume_after_kill_9_loses_and_repeats_nothing(tmp_path: Path) -> None:
    """A run killed with SIGKILL keeps its committed shards; --resume writes the rest."""
    inputs = make_inputs(tmp_path / "in")
    whole = clean_files(inputs, str(tmp_path / "whole.jsonl"))
    out = tmp_path / "out.jsonl"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from cleaners import Cleaner
        from cleaners.cleaner import default_rules
        from scraper.readers import Reader
        from scraper.runner import OutputOptions, run_job
        from scraper.steps.clean import CleanStep
        from tests.clean_helpers import SlowRule
        step = CleanStep(Cleaner(rules=[SlowRule(), *default_rules()]), workers=1)
        run_job("clean", Reader({inputs!r}, mode="text"), [step],
                OutputOptions({str(out)!r}, shard_records=2))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path)
    second = tmp_path / "out-00001.jsonl"
    deadline = time.monotonic() + 60
    while not second.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert second.exists(), "the slow run never committed its second shard"
    kept = sorted(tmp_path.glob("out-*.jsonl"))
    assert len(kept) < 9  # killed part-way: the whole run has 10 records and 3 rejects

    summary = clean_files(inputs, str(out), shard_records=2, resume=True)
    assert [Path(p).name for p in summary.outputs[:len(kept)]] == [p.name for p in kept]
    assert records(*map(Path, summary.outputs)) == records(Path(whole.outputs[0]))
    assert not list(tmp_path.glob("*.tmp*")) and not list(tmp_path.glob(".*tmp*"))


def test_resume_refuses_what_it_cannot_carry_on(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    with pytest.raises(ConfigError, match="stdout"):
        clean_files(inputs, "-", resume=True)
    clean_files(inputs, str(tmp_path / "one.jsonl"))
    with pytest.raises(ConfigError, match="one file, not shards"):
        clean_files(inputs, str(tmp_path / "one.jsonl"), shard_records=2, resume=True)
    clean_files(inputs, str(tmp_path / "many.jsonl"), shard_records=2)
    with pytest.raises(ConfigError, match="wrote shards"):
        clean_files(inputs, str(tmp_path / "many.jsonl"), resume=True)


def test_a_damaged_output_is_named_and_left_alone(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    clean_files(inputs, str(out))
    damaged = out.read_text("utf-8").splitlines()
    damaged[2] = "not json"
    out.write_text("\n".join(damaged) + "\n", "utf-8")
    with pytest.raises(ConfigError, match=rf"{out.name}:3: cannot resume"):
        clean_files(inputs, str(out), resume=True)
    assert out.read_text("utf-8").splitlines() == damaged


def test_cli_resume_for_clean_and_extract(tmp_path: Path) -> None:
    runner = CliRunner()
    inputs = make_inputs(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    stopped_clean(inputs, out, 5)
    done = len(records(out))
    result = runner.invoke(app, ["clean", *inputs, "-o", str(out), "--resume", "--workers", "1"])
    assert result.exit_code == 3, result.output
    assert f"resumed after {done} records" in result.output

    pages = tmp_path / "pages"
    pages.mkdir()
    for p in PAGES[:4]:
        (pages / p.name).write_bytes(p.read_bytes())
    xout = tmp_path / "x.jsonl"
    whole = extract_files([str(pages)], str(tmp_path / "xwhole.jsonl"))
    first = extract_files([str(pages)], str(xout))
    lines = xout.read_text("utf-8").splitlines()
    xout.write_text("\n".join(lines[:2]) + "\n", "utf-8")  # as a stop after two pages
    result = runner.invoke(app, ["extract", str(pages), "-o", str(xout), "--resume",
                                 "--workers", "1"])
    assert result.exit_code == first.exit_code == 0, result.output
    assert "resumed after 2 records" in result.output
    assert records(xout) == records(Path(whole.outputs[0]))


def test_relative_sources_from_another_directory_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path / "data")
    make_inputs(tmp_path / "data" / "in")
    out = tmp_path / "out.jsonl"
    stopped_clean(["in"], out, 4)
    before = out.read_bytes()
    monkeypatch.chdir(tmp_path)  # "in/..." named data/in from there, not in/
    with pytest.raises(ConfigError, match="cannot resume from here"):
        clean_files([str(tmp_path / "data" / "in")], str(out), resume=True)
    assert out.read_bytes() == before
    monkeypatch.chdir(tmp_path / "data")
    summary = clean_files([str(tmp_path / "data" / "in")], str(out), resume=True)
    assert summary.resumed_records == len(records(out)) - summary.records_out > 0


def test_resume_through_a_symlinked_output_finds_its_shards(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "in")
    (tmp_path / "real").mkdir()
    link = tmp_path / "out.jsonl"
    link.symlink_to(tmp_path / "real" / "out.jsonl")
    first = clean_files(inputs, str(link), shard_records=3)
    for late in first.outputs[2:]:  # as a kill -9 after two shards
        Path(late).unlink()
    again = clean_files(inputs, str(link), shard_records=3, resume=True)
    assert again.resumed_records == 6
    assert again.outputs[:2] == first.outputs[:2] and len(set(again.outputs)) == len(
        again.outputs)
    assert records(*map(Path, again.outputs)) == records(*map(Path, first.outputs))


@pytest.mark.parametrize("damage", ["flip", "no-newline"])
def test_a_damaged_compressed_or_foreign_output_is_refused_by_name(
    tmp_path: Path, damage: str
) -> None:
    inputs = make_inputs(tmp_path / "in")
    name = "out.jsonl.gz" if damage == "flip" else "out.jsonl"
    out = tmp_path / name
    clean_files(inputs, str(out))
    data = bytearray(out.read_bytes())
    if damage == "flip":
        data[500] ^= 0xFF  # zlib: "invalid distance too far back"
        data[501] ^= 0xFF
    else:
        data = data[:-1]  # a hand-edited file: no newline after its last record
    out.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match=rf"{name}(:\d+)?: cannot resume"):
        clean_files(inputs, str(out), resume=True)
    assert out.read_bytes() == bytes(data)


def test_a_parquet_output_of_other_columns_is_refused_before_the_run(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    inputs = make_inputs(tmp_path / "in")
    out = tmp_path / "out.parquet"
    clean_files(inputs, str(out))
    pq.write_table(pq.read_table(out).drop(["site"]), out)
    rejects = tmp_path / "out.rejects.jsonl"
    rejects.unlink()
    with pytest.raises(ConfigError, match=r"out\.parquet: cannot resume: its columns"):
        clean_files(inputs, str(out), resume=True)
    assert not rejects.exists()  # nothing was done
