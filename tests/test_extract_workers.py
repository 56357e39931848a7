"""The extraction pool: input order kept, per-page time limit, dead workers replaced,
and ``--workers N`` output identical to one worker's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scraper.document import Document
from scraper.extract.workers import PageFailure, PageJob, PagePool, warm_up
from scraper.jobs import extract_files
from scraper.pipeline import Reject, RunContext
from scraper.steps.extract import ExtractStep
from tests.extract_helpers import misbehaving, worker_pid

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
PAGE = (FIXTURES / "news_article.html").read_bytes()


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()  # forked workers inherit the loaded extractor and start at once


def _jobs(names: list[str]) -> list[PageJob]:
    return [PageJob(PAGE, name, f"https://courier.example.com/{name}") for name in names]


def test_pool_keeps_order_and_survives_timeouts_and_crashes() -> None:
    names = ["a", "spin-1", "b", "stuck-1", "c", "crash-1", "d"]
    # fork: workers start from this already-warm process, which keeps the test fast.
    with PagePool(2, timeout=0.5, func=misbehaving, start_method="fork",
                  kill_grace=0.5) as pool:
        results = list(pool.map(_jobs(names)))
        restarts = pool.restarts
    assert [i for i, _ in results] == list(range(len(names)))
    by_name = dict(zip(names, (o for _, o in results), strict=True))
    for name in ("a", "b", "c", "d"):
        assert not isinstance(by_name[name], PageFailure), by_name[name]
        assert "flood barriers" in by_name[name].text
    spin, stuck, crash = by_name["spin-1"], by_name["stuck-1"], by_name["crash-1"]
    assert isinstance(spin, PageFailure) and spin.reason == "timeout"
    assert isinstance(stuck, PageFailure) and stuck.reason == "timeout"
    assert "stuck-1" in stuck.message
    assert isinstance(crash, PageFailure) and crash.reason == "extract-failed"
    assert "crash-1" in crash.message
    assert restarts == 2  # the stuck worker was killed, the crashed one replaced


def test_pool_uses_all_workers() -> None:
    with PagePool(2, func=worker_pid, start_method="fork") as pool:
        pool.wait_ready()
        pids = {o.text for _, o in pool.map(_jobs([str(i) for i in range(12)]))}
    assert len(pids) == 2


def test_step_rejects_timeouts_and_goes_on() -> None:
    rejects: list[Reject] = []
    ctx = RunContext(on_reject=rejects.append)
    docs = [Document(source="ok.html", html=PAGE, url="https://courier.example.com/ok"),
            Document(source="no-html.txt", text="just text"),
            Document(source="ok2.html", html=PAGE)]
    out = list(ExtractStep(workers=1)(iter(docs), ctx))
    assert [d.source for d in out] == ["ok.html", "ok2.html"]
    assert out[0].html is None and "flood barriers" in out[0].text
    assert [(r.source, r.reason) for r in rejects] == [("no-html.txt", "no-html")]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_two_workers_write_exactly_what_one_writes(tmp_path: Path, fmt: str) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for src in sorted(FIXTURES.glob("*.html")):
        shutil.copy(src, pages / src.name)
    (pages / "zz-broken.htm").write_bytes(b"%PDF-1.7\n%binary")
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}.jsonl"
        summary = extract_files([str(pages)], str(out), workers=workers, output_format=fmt)
        assert summary.rejected == 1
        records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
        for rec in records:
            rec.pop("processed_at")
        outputs.append(records)
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == len(list(FIXTURES.glob("*.html")))
    assert [r["source"] for r in outputs[0]] == sorted(r["source"] for r in outputs[0])
