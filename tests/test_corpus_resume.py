"""``corpus --resume``: a stopped ``corpus`` run carried on from its output ends with
what one uninterrupted run writes: the same records in the same shards, the same
dropped list and drop counts, with or without ``--state``, with near duplicates on both
sides of the stop."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
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
from scraper.errors import ConfigError, StateError
from scraper.jobs import clean_files, corpus_files
from scraper.pipeline import RunContext
from scraper.runner import RunSummary
from scraper.steps import dedup
from tests.test_corpus import ARTICLES, near_copy
from tests.test_resume import records

ROOT = Path(__file__).resolve().parent.parent
MULTI = sorted((ROOT / "fixtures" / "multilingual" / "expected").glob("*.txt"))


def make_input(path: Path) -> Path:
    """Real articles in one JSONL file, with what a corpus drops or rejects spread
    through it: near copies and exact copies of near copies (an exact copy names the
    kept document, through the near copy's alias), a too-short record, a broken line;
    each kind both early and late, so that a stop anywhere has them on both sides."""
    a = ARTICLES
    texts = [p.read_text("utf-8") for p in MULTI]
    rows: list[dict[str, Any] | str] = [
        {"id": "a0", "text": a["000"]}, {"id": "a1", "text": a["001"]},
        {"id": "n0", "text": near_copy(a["000"])}, {"id": "short", "text": "too short"},
        '{"id": "broken", "text": "no end',
        {"id": "e0", "text": near_copy(a["000"])}, {"id": "a2", "text": a["002"]},
        *({"id": f"m{i}", "text": t} for i, t in enumerate(texts[:6])),
        {"id": "n1", "text": near_copy(a["001"])}, {"id": "e1", "text": a["002"]},
        {"id": "e2", "text": near_copy(a["000"])}, {"id": "a3", "text": a["003"]},
        *({"id": f"m{i}", "text": t} for i, t in enumerate(texts[6:], 6)),
        {"id": "n2", "text": near_copy(a["002"])}, {"id": "e3", "text": near_copy(a["001"])},
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n"
                            for r in rows), "utf-8")
    return path


class SigintAt:
    """Sends the process a real SIGINT as the ``n``-th document reaches exact dedup:
    the run's own handler stops it at that document, as Ctrl-C does."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.original = dedup.ExactDedup.run

    def __enter__(self) -> SigintAt:
        n, original = self.n, self.original

        def run(step: dedup.ExactDedup, docs: Iterable[Document],
                ctx: RunContext) -> Iterator[Document]:
            for i, doc in enumerate(docs, 1):
                if i == n:
                    os.kill(os.getpid(), signal.SIGINT)
                yield from original(step, [doc], ctx)

        dedup.ExactDedup.run = run  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        dedup.ExactDedup.run = self.original  # type: ignore[method-assign]


def shards(out: Path) -> list[Path]:
    return sorted(out.parent.glob(out.name.replace(".", "-*.", 1)))


def lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def run(src: Path, out: Path, tag: str, with_state: bool, **options: Any) -> RunSummary:
    return corpus_files([str(src)], str(out), dropped=str(out.parent / f"{tag}.dropped.jsonl"),
                        state=str(out.parent / f"{tag}.sqlite") if with_state else None,
                        **options)


@pytest.mark.parametrize("with_state", [False, True])
@pytest.mark.parametrize("stop", [3, 5, 9, 13])
def test_stopped_then_resumed_corpus_is_the_uninterrupted_one(
    tmp_path: Path, with_state: bool, stop: int
) -> None:
    src = make_input(tmp_path / "in.jsonl")
    whole = run(src, tmp_path / "whole.jsonl", "whole", with_state, shard_records=3)
    assert whole.dropped == {"near-duplicate": 3, "exact-duplicate": 4, "too-short": 2}

    out = tmp_path / "part.jsonl"
    with SigintAt(stop):
        stopped = run(src, out, "part", with_state, shard_records=3)
    assert stopped.stopped and 0 < stopped.records_out < whole.records_out
    resumed = run(src, out, "part", with_state, shard_records=3, resume=True)

    assert not resumed.stopped and resumed.resumed_records == stopped.records_out
    # The same shards, each with the same records (the short last shard a stop
    # published is filled up), not only the same records in the same order.
    assert ([records(p) for p in shards(out)]
            == [records(p) for p in shards(tmp_path / "whole.jsonl")])
    assert resumed.outputs == [str(p) for p in shards(out)]
    # Every earlier drop is judged again the same way: the near copy before the stop
    # is a near duplicate again, not an exact one of its own alias in the state.
    assert lines(tmp_path / "part.dropped.jsonl") == lines(tmp_path / "whole.dropped.jsonl")
    assert resumed.dropped == whole.dropped
    assert lines(tmp_path / "part.rejects.jsonl") == lines(tmp_path / "whole.rejects.jsonl")
    assert resumed.records_out == whole.records_out - stopped.records_out
    assert resumed.documents_in == resumed.records_out + sum(resumed.dropped.values())
    assert "resumed after" in resumed.one_line()
    assert resumed.exit_code == whole.exit_code == 3  # the broken line, in either run
    if with_state:
        def docs(db: str) -> list[tuple[str, bytes]]:
            with sqlite3.connect(tmp_path / db) as conn:
                return conn.execute("SELECT id, hash FROM docs ORDER BY n").fetchall()

        assert docs("part.sqlite") == docs("whole.sqlite")


def test_resume_unsharded_and_parquet_and_resumed_twice(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    src = make_input(tmp_path / "in.jsonl")
    for name, shard in (("o.jsonl.gz", None), ("o.parquet", 4)):
        whole = corpus_files([str(src)], str(tmp_path / f"whole-{name}"), shard_records=shard)
        out = tmp_path / name
        for stop in (4, 5):  # stopped, resumed and stopped again, resumed
            with SigintAt(stop):
                first = corpus_files([str(src)], str(out), shard_records=shard,
                                     resume=stop == 5)
            assert first.stopped
        last = corpus_files([str(src)], str(out), shard_records=shard, resume=True)
        assert ([records(Path(p)) for p in last.outputs]
                == [records(Path(p)) for p in whole.outputs])
        assert last.dropped == whole.dropped


def test_records_a_kill_kept_from_the_state_are_added_from_the_output(
    tmp_path: Path,
) -> None:
    """A kill -9 between publishing a shard and committing it to the state leaves
    published records the state does not know: the resumed run adds them, so later
    copies of them are dropped as the uninterrupted run drops them."""
    src = make_input(tmp_path / "in.jsonl")
    run(src, tmp_path / "whole.jsonl", "whole", True, shard_records=3)
    out = tmp_path / "part.jsonl"
    with SigintAt(9):
        stopped = run(src, out, "part", True, shard_records=3)
    kept_out = records(shards(out)[-1])
    with sqlite3.connect(tmp_path / "part.sqlite") as db:  # as the kill left it
        for record in kept_out:
            db.execute("DELETE FROM bands WHERE doc = (SELECT n FROM docs WHERE id = ?)",
                       (json.dumps(record["id"]),))
            db.execute("DELETE FROM docs WHERE id = ?", (json.dumps(record["id"]),))
    err = tmp_path / "err.txt"
    with open(err, "w") as stream:
        run(src, out, "part", True, shard_records=3, resume=True, err=stream)
    assert f"{len(kept_out)} records the earlier run published" in err.read_text()
    assert [records(p) for p in shards(out)] == [
        records(p) for p in shards(tmp_path / "whole.jsonl")]
    assert lines(tmp_path / "part.dropped.jsonl") == lines(tmp_path / "whole.dropped.jsonl")
    assert stopped.records_out


def test_resume_refuses_an_output_of_other_options_or_another_command(
    tmp_path: Path,
) -> None:
    src = make_input(tmp_path / "in.jsonl")
    out = tmp_path / "o.jsonl"
    corpus_files([str(src)], str(out), near_threshold=0.95)
    before = out.read_bytes()
    # a near copy its 0.95 kept, which 0.8 drops
    with pytest.raises(ConfigError, match=r"o\.jsonl:\d+: cannot resume: a near duplicate"):
        corpus_files([str(src)], str(out), resume=True)
    with pytest.raises(ConfigError, match="under --min-words 300"):
        corpus_files([str(src)], str(out), near_threshold=0.95, min_words=300, resume=True)
    with pytest.raises(ConfigError, match="not one --lang keeps"):
        corpus_files([str(src)], str(out), near_threshold=0.95, languages=["en"],
                     resume=True)
    mail = tmp_path / "mail.jsonl"
    mail.write_text(json.dumps({"id": "x", "text": ARTICLES["000"] + "\n\nWrite to "
                                "jane.doe@unn.ua."}) + "\n", "utf-8")
    corpus_files([str(mail)], str(tmp_path / "m.jsonl"))
    with pytest.raises(ConfigError, match="--redact-pii replaces"):
        corpus_files([str(mail)], str(tmp_path / "m.jsonl"), redact_pii=True, resume=True)
    # clean's output: records of one text twice, which corpus never writes
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for name in ("a.txt", "b.txt"):
        (dumps / name).write_text(ARTICLES["001"], "utf-8")
    clean_files([str(dumps)], str(tmp_path / "c.jsonl"))
    with pytest.raises(ConfigError, match="the same text as"):
        corpus_files([str(dumps)], str(tmp_path / "c.jsonl"), resume=True)
    assert out.read_bytes() == before  # refused before anything was written


def test_a_state_resumes_only_its_last_run(tmp_path: Path) -> None:
    src = make_input(tmp_path / "in.jsonl")
    state = str(tmp_path / "s.sqlite")
    with SigintAt(9):
        corpus_files([str(src)], str(tmp_path / "one.jsonl"), state=state)
    # without --resume the output is refused, as before, and the message says --resume
    with pytest.raises(ConfigError, match="add --resume"):
        corpus_files([str(src)], str(tmp_path / "one.jsonl"), state=state)
    other = make_input(tmp_path / "other" / "in.jsonl")
    corpus_files([str(other)], str(tmp_path / "two.jsonl"), state=state)
    # a run has written to the state since: its documents came after the stopped run's
    with pytest.raises(StateError, match=r"its last run wrote .*two\.jsonl"):
        corpus_files([str(src)], str(tmp_path / "one.jsonl"), state=state, resume=True)


def slow_corpus(command: list[str], cwd: Path) -> subprocess.Popen[str]:
    """``pagewash`` with ``command`` in its own process, 0.3 s a document."""
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from scraper.steps import dedup
        original = dedup.ExactDedup.run
        def slow(step, docs, ctx):
            for doc in docs:
                time.sleep(0.3)
                yield from original(step, [doc], ctx)
        dedup.ExactDedup.run = slow
        from scraper.cli import main
        sys.argv = ["pagewash", *{command!r}]
        main()
    """)
    return subprocess.Popen([sys.executable, "-c", script], cwd=cwd,
                            stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not path.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_cli_stop_or_kill_then_resume(tmp_path: Path, how: signal.Signals) -> None:
    """The real thing: ``pagewash corpus`` in its own process, stopped by SIGINT (or
    killed by SIGKILL, as a reboot does) once its shards are coming out, then the same
    command with --resume."""
    src = make_input(tmp_path / "in.jsonl")
    args = [str(src), "--shard-records", "2", "--dropped"]
    runner = CliRunner()
    whole = runner.invoke(app, ["corpus", *args, str(tmp_path / "whole.dropped.jsonl"),
                                "-o", str(tmp_path / "whole.jsonl"),
                                "--state", str(tmp_path / "whole.sqlite")])
    assert whole.exit_code == 3, whole.output

    out = tmp_path / "part.jsonl"
    command = ["corpus", *args, str(tmp_path / "part.dropped.jsonl"), "-o", str(out),
               "--state", str(tmp_path / "part.sqlite")]
    proc = slow_corpus(command, tmp_path)
    wait_for(tmp_path / "part-00001.jsonl", proc)
    proc.send_signal(how)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == (130 if how == signal.SIGINT else -signal.SIGKILL), stderr
    assert len(shards(out)) < len(shards(tmp_path / "whole.jsonl")), "it was not stopped"

    resumed = runner.invoke(app, [*command, "--resume"])
    assert resumed.exit_code == 3, resumed.output
    assert "resumed after" in resumed.output
    assert ([records(p) for p in shards(out)]
            == [records(p) for p in shards(tmp_path / "whole.jsonl")])
    assert lines(tmp_path / "part.dropped.jsonl") == lines(tmp_path / "whole.dropped.jsonl")
    assert not list(tmp_path.glob(".*tmp*"))


@pytest.mark.parametrize(("with_state", "near_dedup"), [(False, True), (True, True),
                                                        (False, False), (True, False)])
def test_resuming_a_finished_corpus_run_changes_nothing(
    tmp_path: Path, with_state: bool, near_dedup: bool
) -> None:
    src = make_input(tmp_path / "in.jsonl")
    out = tmp_path / "o.jsonl.gz"
    done = run(src, out, "o", with_state, shard_records=4, near_dedup=near_dedup)
    published = {p: Path(p).read_bytes() for p in done.outputs}
    dropped = lines(tmp_path / "o.dropped.jsonl")
    again = run(src, out, "o", with_state, shard_records=4, near_dedup=near_dedup,
                resume=True)
    assert again.records_out == 0 and again.resumed_records == done.records_out
    assert {p: Path(p).read_bytes() for p in again.outputs} == published
    assert lines(tmp_path / "o.dropped.jsonl") == dropped
    assert again.dropped == done.dropped


def test_a_document_the_earlier_run_dropped_and_this_run_keeps_is_refused(
    tmp_path: Path,
) -> None:
    """What the output cannot show still shows in the order: the stopped run (0.8)
    dropped the near copy n0 (similarity 0.83), a run with 0.85 keeps it, and writing it
    now would put it after records that follow it. Likewise an input put before the
    earlier run's. Refused before anything is written, the output left as it was."""
    src = make_input(tmp_path / "in.jsonl")
    out = tmp_path / "o.jsonl"
    with SigintAt(9):
        run(src, out, "o", False, shard_records=3)
    before = {p: p.read_bytes() for p in shards(out)}
    dropped = lines(tmp_path / "o.dropped.jsonl")
    with pytest.raises(ConfigError, match=r"in\.jsonl:3: cannot resume: this run would keep"):
        run(src, out, "o", False, shard_records=3, near_threshold=0.85, resume=True)
    new = tmp_path / "new.jsonl"
    new.write_text(json.dumps({"id": "x", "text": ARTICLES["004"]}) + "\n", "utf-8")
    with pytest.raises(ConfigError, match=r"new\.jsonl:1: cannot resume"):
        corpus_files([str(new), str(src)], str(out), shard_records=3, resume=True)
    assert {p: p.read_bytes() for p in shards(out)} == before
    assert lines(tmp_path / "o.dropped.jsonl") == dropped
    assert not list(tmp_path.glob(".*tmp*"))
    # an input added after the earlier run's is taken, after its records
    done = corpus_files([str(src), str(new)], str(out), shard_records=3, resume=True)
    assert records(shards(out)[-1])[-1]["id"] == "x" and done.exit_code == 3


def test_a_run_stopped_before_its_first_record_is_carried_on(tmp_path: Path) -> None:
    """A run that kept nothing yet left an empty output, and the state's last run is
    another one: --resume carries it on (as a new run), where it was refused."""
    src = make_input(tmp_path / "in.jsonl")
    state = str(tmp_path / "s.sqlite")
    first = corpus_files([str(src)], str(tmp_path / "one.jsonl"), state=state)
    out = tmp_path / "two.jsonl"
    with SigintAt(5):  # everything is a copy of run one's: nothing written
        stopped = corpus_files([str(src)], str(out), state=state)
    assert stopped.stopped and stopped.records_out == 0 and out.exists()
    resumed = corpus_files([str(src)], str(out), state=state, resume=True)
    assert resumed.records_out == 0 and records(out) == []
    assert sum(resumed.dropped.values()) == first.documents_in


def test_ctrl_c_while_the_output_is_read_back_keeps_the_dropped_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second Ctrl-C (or the first: no handler is in place yet) while --resume reads
    the stopped run's records back, before any document is judged, replaced the stopped
    run's --dropped list with an empty one; a finished run resumed by mistake and
    interrupted there lost its list for good."""
    src = make_input(tmp_path / "in.jsonl")
    out = tmp_path / "o.jsonl"
    done = run(src, out, "o", True, shard_records=3)
    dropped = lines(tmp_path / "o.dropped.jsonl")
    assert dropped and done.records_out > 3
    published = {p: p.read_bytes() for p in shards(out)}
    original = dedup.OutputSeed.add

    def interrupted(seed: dedup.OutputSeed, where: str, record: dict[str, Any]) -> None:
        if seed.index.knows(record["content_hash"]) is not None and where.endswith(":2"):
            raise KeyboardInterrupt
        original(seed, where, record)

    monkeypatch.setattr(dedup.OutputSeed, "add", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(src, out, "o", True, shard_records=3, resume=True)
    assert lines(tmp_path / "o.dropped.jsonl") == dropped
    assert {p: p.read_bytes() for p in shards(out)} == published


def test_a_new_run_killed_before_the_state_took_its_first_shard_is_carried_on(
    tmp_path: Path,
) -> None:
    """kill -9 between publishing a run's first shard and committing it to the state
    leaves a state whose last run is the one before: --resume refused the output as
    "not the state's last run", though the state held none of it and the README says
    such records are added."""
    src = make_input(tmp_path / "in.jsonl")
    other = tmp_path / "other.jsonl"
    other.write_text("".join(json.dumps({"id": f"o{k}", "text": ARTICLES[k]}) + "\n"
                             for k in ("004",)), "utf-8")
    whole_state = str(tmp_path / "whole.sqlite")
    corpus_files([str(other)], str(tmp_path / "w-one.jsonl"), state=whole_state)
    whole = corpus_files([str(src)], str(tmp_path / "w-two.jsonl"), state=whole_state,
                         shard_records=3)

    state = tmp_path / "s.sqlite"
    corpus_files([str(other)], str(tmp_path / "one.jsonl"), state=str(state))
    before_kill = state.read_bytes()  # (a WAL state: checkpointed at close)
    out = tmp_path / "two.jsonl"
    with SigintAt(9):
        stopped = corpus_files([str(src)], str(out), state=str(state), shard_records=3)
    assert stopped.records_out
    state.write_bytes(before_kill)  # as the kill left it: nothing of run two committed
    err = tmp_path / "err.txt"
    with open(err, "w") as stream:
        corpus_files([str(src)], str(out), state=str(state), shard_records=3, resume=True,
                     err=stream)
    assert f"{stopped.records_out} records the earlier run published" in err.read_text()
    assert [records(p) for p in shards(out)] == [records(Path(p)) for p in whole.outputs]
    # and the state now names run two as its last run: a second resume is one of it
    again = corpus_files([str(src)], str(out), state=str(state), shard_records=3,
                         resume=True)
    assert again.records_out == 0


def test_a_refused_run_leaves_a_state_made_before_resume_untouched(tmp_path: Path) -> None:
    """A state made by a pagewash older than corpus --resume (no run_aliases table) got
    the new table from any run that opened it, one refused at once included (here for
    another --near-threshold): a state is changed only by a run that publishes."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLES["000"]}) + "\n", "utf-8")
    state = tmp_path / "s.sqlite"
    corpus_files([str(src)], str(tmp_path / "one.jsonl"), state=str(state))
    with sqlite3.connect(state) as db:  # as an older pagewash made it
        db.execute("DROP TABLE run_aliases")
        db.execute("DELETE FROM meta WHERE key IN ('last_output', 'run_pass')")
    db.close()

    def schema() -> list[tuple[str, str]]:
        with sqlite3.connect(state) as conn:
            rows = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        conn.close()
        return rows

    before = schema()
    with pytest.raises(StateError, match=r"--near-threshold 0\.8"):
        corpus_files([str(src)], str(tmp_path / "two.jsonl"), state=str(state),
                     near_threshold=0.9)
    assert schema() == before
    # a run that publishes carries it on
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"id": "b", "text": ARTICLES["001"]}) + "\n", "utf-8")
    done = corpus_files([str(other)], str(tmp_path / "two.jsonl"), state=str(state))
    assert done.records_out == 1


def test_a_short_parquet_shard_is_filled_up_to_the_same_size_limit(tmp_path: Path) -> None:
    """--shard-size counts a record's bytes as a JSON line, null fields ("url":null, …)
    included; read back from Parquet, where null is all a column holds for them, those
    fields were left out, the short last shard seemed smaller than it is, and the resumed
    run put a record in it that the uninterrupted run had started the next shard with."""
    pytest.importorskip("pyarrow")
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{k}", "text": ARTICLES[k]}) + "\n"
                           for k in sorted(ARTICLES)), "utf-8")
    probe = corpus_files([str(src)], str(tmp_path / "probe.jsonl"))
    sizes = [len(line.encode("utf-8")) + 1 for line in lines(Path(probe.outputs[0]))]
    assert len(sizes) == 5 and '"url":null' in lines(Path(probe.outputs[0]))[0]
    limit = sum(sizes[:4]) - 10  # three records fit, the fourth misses by 10 bytes
    whole = corpus_files([str(src)], str(tmp_path / "whole.parquet"), shard_bytes=limit)
    assert [len(records(Path(p))) for p in whole.outputs] == [3, 2]

    out = tmp_path / "part.parquet"
    with SigintAt(2):
        stopped = corpus_files([str(src)], str(out), shard_bytes=limit)
    assert stopped.records_out == 2
    resumed = corpus_files([str(src)], str(out), shard_bytes=limit, resume=True)
    assert ([records(Path(p)) for p in resumed.outputs]
            == [records(Path(p)) for p in whole.outputs])


def test_resume_to_stdout_is_refused_before_a_state_is_made(tmp_path: Path) -> None:
    """``-o - --resume --state s.sqlite`` was refused only after the state had been
    opened: a new, empty state file (and its lock) was left behind by a refused run."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": ARTICLES["000"]}) + "\n", "utf-8")
    state = tmp_path / "s.sqlite"
    with pytest.raises(ConfigError, match="--resume needs an output file"):
        corpus_files([str(src)], "-", state=str(state), resume=True)
    assert not state.exists()


def test_a_record_redaction_took_under_min_words_does_not_block_resume(
    tmp_path: Path,
) -> None:
    """--min-words judges the text before --redact-pii replaces its addresses, and the
    record's word_count is of the text after ("jane.doe@example.org", 4 words, is
    "email@example.com", 3): a record the run kept at exactly --min-words made every
    --resume of its output refused as "under --min-words", of other options."""
    words = ARTICLES["000"].split()[:46]
    text = " ".join(words) + " write to jane.doe@example.org today"
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x", "text": text}) + "\n", "utf-8")
    out = tmp_path / "o.jsonl"
    first = corpus_files([str(src)], str(out), redact_pii=True, min_words=54)
    assert first.records_out == 1 and records(out)[0]["word_count"] == 53
    again = corpus_files([str(src)], str(out), redact_pii=True, min_words=54, resume=True)
    assert again.records_out == 0 and again.resumed_records == 1
