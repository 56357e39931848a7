"""``pagewash clean --workers N``: the same records, rejects, explanations and counters
as one worker, in input order; a cleaner failure, a time-out or a dead worker costs one
document (a reject naming it), never the run."""

from __future__ import annotations

import io
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cleaners import Cleaner
from cleaners.cleaner import default_rules
from scraper.cli import app
from scraper.document import Document
from scraper.jobs import clean_files
from scraper.pipeline import Reject, RunContext
from scraper.steps.clean import CleanStep
from scraper.steps.clean_workers import CleanerSpec, CleanJob, CleanPool, warm_up
from scraper.workers import ItemFailure
from tests.clean_helpers import TroubleRule, crash_on_source

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
SEED_TEXTS = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()  # forked workers inherit the loaded cleaner and start at once


def _generated(n: int) -> list[str]:
    """Dumps that mix seed paragraphs with chrome lines shared between them."""
    rng = random.Random(7)
    lines = [ln for text in SEED_TEXTS for ln in text.splitlines() if ln.strip()]
    chrome = ["Home | World | Business | Sport | Contact", "Share this article",
              "Read more", "Comments (12)", "© 2024 Example Media. All rights reserved."]
    docs = []
    for _ in range(n):
        body = rng.sample(lines, 12)
        docs.append("\n".join([rng.choice(chrome), *body, *rng.sample(chrome, 2)]) + "\n")
    return docs


def _records(path: Path) -> list[dict]:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    for rec in records:
        rec.pop("processed_at")
    return records


def test_two_workers_write_exactly_what_one_writes(tmp_path: Path) -> None:
    dumps = tmp_path / "dumps"
    shutil.copytree(SEEDS, dumps, ignore=shutil.ignore_patterns("expected", "*.md"))
    for i, text in enumerate(_generated(16)):
        (dumps / f"gen-{i:02d}.txt").write_text(text, "utf-8")
    (dumps / "lines.jsonl").write_text("".join(
        json.dumps({"url": f"https://news.example.com/story-{i}", "text": text}) + "\n"
        for i, text in enumerate(_generated(6))), "utf-8")
    (dumps / "zz-empty.txt").write_text("")
    runs = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}.jsonl"
        explained = io.StringIO()
        summary = clean_files([str(dumps)], str(out), workers=workers, with_removed=True,
                              explain=True, explain_out=explained,
                              explain_html=str(tmp_path / f"explain{workers}.html"))
        stats = {k: v for k, v in summary.stats.items() if k != "explain_html"}
        runs.append((_records(out), explained.getvalue(), summary.removed_bytes, stats,
                     summary.reject_reasons, summary.records_out))
    assert runs[0] == runs[1]
    records = runs[0][0]
    assert len(records) == 5 + 16 + 6
    assert runs[0][4] == {"empty": 1}
    assert all(rec["removed"] for rec in records)
    assert "[title]" in runs[0][1]
    assert (tmp_path / "explain2.html").read_text("utf-8").count("<h2>") == len(records)


def _run_step(step: CleanStep, docs: list[Document]) -> tuple[list[Document], list[Reject]]:
    rejects: list[Reject] = []
    out = list(step(iter(docs), RunContext(on_reject=rejects.append)))
    return out, rejects


def _docs(marks: dict[str, str]) -> list[Document]:
    """One seed-based document per name; a name in ``marks`` gets that word added."""
    return [Document(source=name, text=SEED_TEXTS[i % len(SEED_TEXTS)] + marks.get(name, ""))
            for i, name in enumerate(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"])]


@pytest.mark.parametrize("workers", [1, 2])
def test_cleaner_exception_is_a_reject_naming_the_document(workers: int) -> None:
    cleaner = Cleaner(rules=[TroubleRule(), *default_rules()])
    out, rejects = _run_step(CleanStep(cleaner, workers=workers),
                             _docs({"b.txt": "\nEXPLODE\n"}))
    assert [d.source for d in out] == ["a.txt", "c.txt", "d.txt", "e.txt"]
    assert all(d.language == "en" and d.removed for d in out)
    [reject] = rejects
    assert (reject.source, reject.reason) == ("b.txt", "clean-failed")
    assert reject.message.startswith("b.txt: cleaner failed: ValueError(")


def test_dead_worker_is_a_reject_and_the_pool_goes_on() -> None:
    step = CleanStep(Cleaner(rules=[TroubleRule(), *default_rules()]), workers=2)
    out, rejects = _run_step(step, _docs({"a.txt": "\nCRASH\n", "d.txt": "\nCRASH\n"}))
    assert [d.source for d in out] == ["b.txt", "c.txt", "e.txt"]
    assert [(r.source, r.reason) for r in rejects] == [("a.txt", "clean-failed"),
                                                       ("d.txt", "clean-failed")]
    assert "the cleaning worker died on this document (exit code 7)" in rejects[0].message
    assert step.stats["worker_restarts"] == 2
    assert step.stats["failed"] == 2 and step.stats["documents"] == 3


def test_spinning_document_times_out_and_the_worker_lives_on() -> None:
    step = CleanStep(Cleaner(rules=[TroubleRule()], classifier=None), workers=2,
                     timeout=0.3)
    out, rejects = _run_step(step, _docs({"c.txt": "\nSPIN\n"}))
    assert [d.source for d in out] == ["a.txt", "b.txt", "d.txt", "e.txt"]
    [reject] = rejects
    assert (reject.source, reject.reason) == ("c.txt", "timeout")
    assert "c.txt: cleaning took longer than 0.3s" in reject.message
    assert step.stats["timeouts"] == 1 and "worker_restarts" not in step.stats


def test_pool_with_an_injected_task_keeps_order_across_restarts() -> None:
    names = ["a", "crash-1", "b", "c", "crash-2", "d"]
    jobs = [CleanJob(SEED_TEXTS[i % len(SEED_TEXTS)], name) for i, name in enumerate(names)]
    with CleanPool(2, CleanerSpec(), func=crash_on_source, start_method="fork") as pool:
        results = list(pool.map(jobs))
        restarts = pool.restarts
    assert [i for i, _ in results] == list(range(len(names)))
    for name, (_, outcome) in zip(names, results, strict=True):
        if "crash" in name:
            assert isinstance(outcome, ItemFailure) and outcome.reason == "clean-failed"
            assert outcome.message.startswith(f"{name}: the cleaning worker died")
        else:
            assert not isinstance(outcome, ItemFailure) and outcome.text
    assert restarts == 2


def test_cli_workers_flag(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    runner = CliRunner()
    result = runner.invoke(app, ["clean", str(SEEDS / "00*.txt"), "-o", str(out),
                                 "--workers", "2", "--timeout", "60", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert len(out.read_text("utf-8").splitlines()) == 5
    assert "pagewash clean: 5 in, 5 out" in result.output
    bad = runner.invoke(app, ["clean", str(SEEDS), "-o", str(out), "--workers", "0"])
    assert bad.exit_code == 1
    assert "workers must be at least 1" in bad.output


@pytest.mark.parametrize("command", ["clean", "extract"])
def test_cli_workers_default_to_every_usable_core(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --workers, clean and extract run a pool as wide as the cores this process
    may use (its affinity mask), as crawl does; --workers N still wins."""
    import scraper.jobs
    import scraper.workers

    seen: list[int] = []

    def record(*args: object, workers: int, **kwargs: object) -> object:
        seen.append(workers)
        raise typer.Exit(0)

    monkeypatch.setattr(scraper.jobs, f"{command}_files", record)
    monkeypatch.setattr(scraper.workers, "cpu_count", lambda: 7)
    runner = CliRunner()
    for extra in ([], ["--workers", "3"]):
        result = runner.invoke(app, [command, str(SEEDS), "-o", str(tmp_path / "o.jsonl"),
                                     *extra])
        assert result.exit_code == 0, result.output
    assert seen == [7, 3]


def test_one_slow_document_does_not_hold_back_the_other_workers() -> None:
    """Results leave in input order, so a slow document holds back those after it; with
    four read ahead per worker the input stopped after eight and the other worker sat
    idle (43 s behind one 8 MB document). The input is now read far ahead (bounded by
    count and bytes) while the slow one runs."""
    from tests.clean_helpers import slow_on_source

    pulled = 0

    def jobs() -> Iterator[CleanJob]:
        nonlocal pulled
        for i in range(60):
            pulled += 1
            yield CleanJob("Short text.", "slow-0" if i == 0 else f"doc-{i}")

    with CleanPool(2, CleanerSpec(detect_lang=False), func=slow_on_source,
                   start_method="fork") as pool:
        results = pool.map(jobs())
        first = next(results)
        seen_when_first_left = pulled
        rest = list(results)
    assert first[0] == 0 and [i for i, _ in rest] == list(range(1, 60))
    assert seen_when_first_left == 60


def test_rejects_come_in_input_order_with_any_number_of_workers() -> None:
    """The reader rejects a bad line when the pool reads it, far ahead of the document
    being emitted; a worker's reject (a time-out) comes when that document's turn
    comes. With two workers the rejects came out in another order than with one."""
    bad = {5, 17, 33}

    def read(ctx: RunContext) -> Iterator[Document]:  # a reader: bad lines are rejects
        for i in range(40):
            if i in bad:
                ctx.reject(Reject(f"in.jsonl:{i + 1}", "bad-json", "not valid JSON"))
                continue
            text = SEED_TEXTS[i % len(SEED_TEXTS)] + ("\nSPIN\n" if i == 3 else "")
            yield Document(source=f"in.jsonl:{i + 1}", text=text)
        ctx.reject(Reject("in.jsonl:41", "truncated", "cut short"))

    orders = []
    for workers in (1, 2):
        rejects: list[Reject] = []
        ctx = RunContext(on_reject=rejects.append)
        step = CleanStep(Cleaner(rules=[TroubleRule(), *default_rules()], classifier=None),
                         workers=workers, timeout=0.5)
        out = list(step(read(ctx), ctx))
        assert len(out) == 40 - len(bad) - 1
        orders.append([(r.source, r.reason) for r in rejects])
        assert ctx.reject_count == 5
    assert orders[0] == orders[1]
    assert orders[0] == [("in.jsonl:4", "timeout"), ("in.jsonl:6", "bad-json"),
                         ("in.jsonl:18", "bad-json"), ("in.jsonl:34", "bad-json"),
                         ("in.jsonl:41", "truncated")]


def test_a_stop_ends_the_pool_at_a_document_boundary() -> None:
    """Ctrl-C with a pool first worked through the whole read-ahead (64 documents a
    worker): 6 s more, and with slow pages longer than a service manager waits. Jobs
    not yet sent are dropped (a resumed run does them), and the outcomes stop at the
    first job without one."""
    import threading

    stop = threading.Event()
    docs = _generated(120)
    with CleanPool(2, CleanerSpec(detect_lang=False), start_method="fork") as pool:
        got = []
        for index, _outcome in pool.map((CleanJob(t, f"doc-{i}") for i, t in enumerate(docs)),
                                        stop=stop.is_set):
            got.append(index)
            if index == 2:
                stop.set()
    assert got == list(range(len(got))) and 3 <= len(got) <= 20, got  # done ones go out
    assert pool.unfinished == 120 - len(got)


def test_a_stopped_pooled_run_counts_only_what_it_finished(tmp_path: Path) -> None:
    """The summary's "in" leaves out documents read ahead and not done: "120 in, 5 out"
    after a stop read as 115 lost."""
    from scraper.readers import Reader
    from scraper.runner import OutputOptions, run_job

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n"
                           for i, t in enumerate(_generated(120))), "utf-8")
    ctx = RunContext()
    written = 0

    def after_write(_doc: Document) -> None:
        nonlocal written
        written += 1
        if written == 3:
            ctx.stop.set()

    summary = run_job("clean", Reader([str(src)]),
                      [CleanStep(CleanerSpec(detect_lang=False), workers=2)],
                      OutputOptions(str(tmp_path / "out.jsonl")), after_write=after_write,
                      ctx=ctx, err=io.StringIO())
    assert summary.stopped and summary.records_out < 60  # not the whole read-ahead
    assert summary.documents_in == summary.records_out
