"""Two runs into one output: the second refuses at once (exit status 75), naming the
file and the run that holds it, and writes nothing; the first loses no record.

The holders here are real ``pagewash`` processes reading standard input that the test
keeps open, so they hold their output for as long as the test needs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import ReadResult

from scraper.errors import ConfigError, LockedError, OutputLockedError
from scraper.jobs import clean_files, corpus_files, extract_files
from scraper.state.lock import EXIT_LOCKED, FileLock
from scraper.writers.lock import OutputLock, OutputLocks

ROOT = Path(__file__).resolve().parent.parent
SEED = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))[0]
PAGE = sorted((ROOT / "fixtures" / "html").glob("*.html"))[0]

TEXTS = [f"Paragraph {i} of a short article about rivers and the towns built on "
         f"their banks, written for the lock tests, number {i}." for i in range(5)]


def listing(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (hidden ones too) with its bytes."""
    return {str(p.relative_to(directory)): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def lock_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.rglob(".*.lock"))


def one_worker(args: tuple[str, ...]) -> list[str]:
    """No pool to start (corpus has none)."""
    return ["--workers", "1"] if args[0] in ("clean", "extract") else []


@contextmanager
def holder(tmp_path: Path, *args: str) -> Iterator[subprocess.Popen[bytes]]:
    """A ``pagewash`` run reading stdin, kept open: yielded once it holds its output
    lock (its pid is in the lock file), killed if the test leaves it running."""
    proc = subprocess.Popen([sys.executable, "-m", "scraper", *args, *one_worker(args)],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    try:
        out = Path(tmp_path, args[args.index("-o") + 1])
        lock = out.with_name(f".{out.name}.lock")
        deadline = time.monotonic() + 120  # a guard for a broken run, not a measurement
        while not (lock.is_file() and f"pid {proc.pid} " in lock.read_text()):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else proc.returncode
            assert time.monotonic() < deadline, "the holder never took its lock"
            time.sleep(0.05)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
        if proc.stdin is not None:
            proc.stdin.close()


def feed(proc: subprocess.Popen[bytes], texts: list[str]) -> tuple[int, str]:
    """Give the holder its documents, close its stdin and let it finish."""
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n"
                             for i, t in enumerate(texts)).encode())
    proc.stdin.close()
    proc.stdin = None
    err = proc.stderr.read().decode()
    return proc.wait(timeout=300), err


def pagewash(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scraper", *args, *one_worker(args)],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# -- real concurrent runs -------------------------------------------------------------------


def test_a_second_clean_into_a_held_output_refuses_and_the_first_keeps_every_record(
        tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    with holder(tmp_path, "clean", "-", "-o", "out/x.jsonl") as first:
        before = listing(out)
        assert sorted(before) == [".x.jsonl.lock", ".x.rejects.jsonl.lock"]
        second = pagewash(tmp_path, "clean", "in.txt", "-o", "out/x.jsonl")
        assert second.returncode == EXIT_LOCKED == 75, second.stderr
        assert "out/x.jsonl: another pagewash run is writing this output" in second.stderr
        assert f"pid {first.pid} on " in second.stderr
        assert second.stdout == ""
        # nothing written, removed or swept: not the output, not a rejects file
        assert listing(out) == before
        # the same output sharded, or resumed: the same file, the same refusal
        for more in (["--shard-records", "1"], ["--resume"]):
            again = pagewash(tmp_path, "clean", "in.txt", "-o", "out/x.jsonl", *more)
            assert again.returncode == EXIT_LOCKED, again.stderr
        assert listing(out) == before
        code, err = feed(first, TEXTS)
    assert code == 0, err
    assert [r["text"] for r in jsonl(out / "x.jsonl")] == TEXTS
    assert lock_files(tmp_path) == []  # gone with the run that held them


def test_different_outputs_in_one_directory_do_not_block_each_other(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_bytes(SEED.read_bytes())
    with holder(tmp_path, "clean", "-", "-o", "out/a.jsonl") as first:
        other = pagewash(tmp_path, "clean", "in.txt", "-o", "out/b.jsonl.gz")
        assert other.returncode == 0, other.stderr
        assert (tmp_path / "out" / "b.jsonl.gz").is_file()
        # but not to the first run's rejects file, which the two would replace in turn
        shared = pagewash(tmp_path, "clean", "in.txt", "-o", "out/c.jsonl",
                          "--rejects", "out/a.rejects.jsonl")
        assert shared.returncode == EXIT_LOCKED, shared.stderr
        assert ("out/a.rejects.jsonl: another pagewash run is writing this rejects file"
                in shared.stderr)
        assert "give this run its own --rejects" in shared.stderr
        assert not (tmp_path / "out" / "c.jsonl").exists()
        code, err = feed(first, TEXTS[:2])
    assert code == 0, err
    assert len(jsonl(tmp_path / "out" / "a.jsonl")) == 2


def test_a_killed_holder_leaves_the_output_free_and_its_lock_file_unread(
        tmp_path: Path, read_inputs: Callable[..., ReadResult]) -> None:
    (tmp_path / "in.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    with holder(tmp_path, "clean", "-", "-o", "out/x.jsonl") as first:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    # kill -9 runs no clean-up: the file stays, its lock went with the process
    assert lock_files(out) == [".x.jsonl.lock", ".x.rejects.jsonl.lock"]
    (out / "page.txt").write_bytes(SEED.read_bytes())
    walked = read_inputs([out])  # a walk reads the page alone, and counts nothing else
    assert [d.source for d in walked.docs] == [str(out / "page.txt")]
    assert walked.rejects == [] and "skipped_files" not in walked.reader.stats
    matched = read_inputs([str(out / "*")])  # and so does a pattern
    assert [d.source for d in matched.docs] == [str(out / "page.txt")]
    (out / "page.txt").unlink()
    second = pagewash(tmp_path, "clean", "in.txt", "-o", "out/x.jsonl")
    assert second.returncode == 0, second.stderr
    assert len(jsonl(out / "x.jsonl")) == 1
    assert lock_files(out) == []


def test_a_corpus_refused_for_a_held_output_makes_no_state(tmp_path: Path) -> None:
    """The corpus state is opened (and a new one made) before the run writes: a run
    refused for its output must not leave a state behind that names it."""
    (tmp_path / "in.jsonl").write_text(json.dumps({"text": " ".join(TEXTS)}) + "\n")
    with holder(tmp_path, "corpus", "-", "-o", "c.jsonl.zst", "--state", "a.sqlite",
                "--min-words", "0") as first:
        second = pagewash(tmp_path, "corpus", "in.jsonl", "-o", "c.jsonl.zst",
                          "--state", "b.sqlite", "--dropped", "dropped.jsonl")
        assert second.returncode == EXIT_LOCKED, second.stderr
        assert "c.jsonl.zst: another pagewash run is writing this output" in second.stderr
        assert not (tmp_path / "b.sqlite").exists()
        assert not (tmp_path / "dropped.jsonl").exists()
        code, err = feed(first, TEXTS)
    assert code == 0, err
    assert (tmp_path / "c.jsonl.zst").is_file()


# -- in one process: every file a run writes --------------------------------------------------


def test_every_file_a_run_writes_is_locked_and_a_refused_run_changes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An earlier run's output and rejects file, and a killed run's temp file, stay as
    they are when a run is refused: a run that started would replace the output, remove
    a rejects file it has no lines for, and sweep the temp file of a dead process."""
    src = tmp_path / "in.txt"
    src.write_bytes(SEED.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    (out / "x.jsonl").write_text('{"pagewash_version": "0", "text": "earlier"}\n')
    (out / "x.rejects.jsonl").write_text('{"source": "gone", "reason": "r"}\n')
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    (out / f".x.jsonl.tmp-{dead}-0123abcd").write_text("half")
    (out / "real.jsonl").symlink_to(out / "x.jsonl")
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("out/x.jsonl", "-o", {}),
        ("out/x.jsonl", "-o", {"resume": True}),
        ("out/x.jsonl", "-o", {"shard_bytes": 100}),
        ("out/x.jsonl", "-o", {"output": str(out / "real.jsonl")}),  # through a symlink
        ("out/x.rejects.jsonl", "--rejects", {"output": str(out / "x.jsonl.zst")}),
        ("out/page.html", "--explain-html",
         {"output": str(out / "y.jsonl"), "explain_html": str(out / "page.html")}),
    ]
    monkeypatch.chdir(tmp_path)
    for held, option, options in cases:
        before = listing(out)
        output = options.pop("output", str(out / "x.jsonl"))
        with OutputLock(held, option), pytest.raises(OutputLockedError) as info:
            clean_files([str(src)], output, **options)
        assert info.value.option == option, info.value
        assert os.path.realpath(info.value.path) == os.path.realpath(held), info.value
        assert f"pid {os.getpid()} on " in str(info.value)
        after = listing(out)
        lock = f".{Path(held).name}.lock"
        assert {k: v for k, v in after.items() if k != lock} == before, (held, options)
    assert lock_files(tmp_path) == []


def test_extract_and_corpus_lock_their_files(tmp_path: Path) -> None:
    out = tmp_path / "e.jsonl"
    with OutputLock(str(out)), pytest.raises(OutputLockedError):
        extract_files([str(PAGE)], str(out))
    out.write_text(json.dumps({"pagewash_version": "0", "format": "markdown",
                               "source": str(PAGE), "text": "x"}) + "\n")
    # refused for the lock before the output is read (its format would be refused too)
    with OutputLock(str(out)), pytest.raises(OutputLockedError):
        extract_files([str(PAGE)], str(out), resume=True)
    with pytest.raises(ConfigError):
        extract_files([str(PAGE)], str(out), resume=True)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": " ".join(TEXTS)}) + "\n")
    dropped = tmp_path / "dropped.jsonl"
    with OutputLock(str(dropped), "--dropped"), pytest.raises(OutputLockedError) as info:
        corpus_files([str(src)], str(tmp_path / "c.jsonl"), dropped=str(dropped),
                     state=str(tmp_path / "s.sqlite"))
    assert "another pagewash run is writing this --dropped file" in str(info.value)
    assert not (tmp_path / "s.sqlite").exists() and not (tmp_path / "c.jsonl").exists()
    summary = corpus_files([str(src)], str(tmp_path / "c.jsonl"), dropped=str(dropped),
                           min_words=0)
    assert summary.records_out == 1 and dropped.is_file()
    assert lock_files(tmp_path) == []


def test_the_locks_go_when_the_run_fails(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text("not a record\n")
    with pytest.raises(ConfigError, match=r"x\.jsonl"):  # refused once its locks were taken
        clean_files([str(SEED)], str(tmp_path / "x.jsonl"), resume=True)
    assert lock_files(tmp_path) == []
    with OutputLock(str(tmp_path / "x.jsonl")):  # and free for the next run
        pass
    # the output's directory, made for its lock, goes too when the run wrote nothing
    (tmp_path / "r.jsonl").write_text("not a reject\n")
    with pytest.raises(ConfigError, match=r"r\.jsonl"):
        clean_files([str(SEED)], str(tmp_path / "new" / "sub" / "x.jsonl"), resume=True,
                    rejects=str(tmp_path / "r.jsonl"))
    assert not (tmp_path / "new").exists()
    assert lock_files(tmp_path) == []


def test_stdout_and_devices_are_not_locked(tmp_path: Path) -> None:
    locks = OutputLocks([("-o", "-"), ("-o", os.devnull),
                         ("--rejects", str(tmp_path / "r.jsonl"))])
    assert [lock.path.name for lock in locks.locks] == [".r.jsonl.lock"]
    with locks, OutputLocks([("-o", "-"), ("-o", os.devnull)]):
        pass


def test_a_refused_set_of_locks_lets_go_of_those_it_took(tmp_path: Path) -> None:
    a, b = str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")
    with OutputLock(b), pytest.raises(OutputLockedError):
        OutputLocks([("-o", a), ("--rejects", b)]).acquire()
    with OutputLock(a):  # free again
        pass


def test_a_lock_file_removed_by_its_last_holder_is_not_taken_as_locked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that opened the lock file just before its holder removed it and let go
    got the lock of a file no longer there, while a third run made and locked a new
    one: both ran. The lock is taken only on the file under the name."""
    path = tmp_path / ".x.lock"
    first = FileLock(path, remove=True).acquire()
    early = os.open(path, os.O_RDWR)  # the second run's open, before the first let go
    first.release()
    assert not path.exists()
    third = FileLock(path, remove=True).acquire()
    real_open = os.open
    opens: list[int] = []

    def open_early_first(*args: Any, **kwargs: Any) -> int:
        opens.append(1)
        return early if len(opens) == 1 else real_open(*args, **kwargs)

    monkeypatch.setattr(os, "open", open_early_first)
    second = FileLock(path, remove=True)
    with pytest.raises(LockedError) as info:
        second.acquire()
    monkeypatch.undo()
    assert "locked by another pagewash run" in str(info.value)
    assert len(opens) == 2  # the removed file was let go, the one under the name asked
    third.release()


def test_a_place_where_no_lock_file_can_be_made_is_refused_naming_the_output(
        tmp_path: Path) -> None:
    """``-o /proc/x.jsonl`` spun at full CPU for ever: creating its lock file failed with
    "no such file" each time, which the lock took for a directory removed by the last
    holder. A dangling symlink in the lock file's place fails the same way anywhere."""
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".x.jsonl.lock").symlink_to(tmp_path / "nowhere" / "lock")
    run = pagewash(tmp_path, "clean", str(SEED), "-o", "out/x.jsonl")  # (a hang guard)
    assert run.returncode == 1, run.stderr
    assert "out/x.jsonl: cannot create files in" in run.stderr, run.stderr
    assert ".x.jsonl.lock" not in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out" / "x.jsonl").exists()
