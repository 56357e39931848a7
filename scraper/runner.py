"""Running a pipeline as a job: output and rejects files, signals, progress, summary.

Every command (clean, extract, crawl) is a reader, some steps and a record writer; this
module runs such a chain the same way for all of them:

- SIGINT/SIGTERM set a stop flag; readers stop at an item boundary, writers commit, and
  the summary says the run was stopped. A second Ctrl-C aborts at once (the atomic
  writers still leave no truncated record behind).
- records go to the writer :func:`~scraper.writers.open_output` picks for the output path
  (JSON Lines or Parquet); rejects go to a JSON Lines file (opened on the first reject
  only) and to stderr;
- the summary counts documents in/out, rejects by reason, bytes removed per rule and
  time per stage; its exit code tells cron whether anything was rejected.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO

from scraper.document import Document
from scraper.errors import ConfigError
from scraper.pipeline import Pipeline, Reject, RunContext, Step
from scraper.readers import Reader
from scraper.readers.compression import compression_of, decompressing
from scraper.resume import ResumePoint, SkipDone, read_resume_point
from scraper.writers import RejectsFile, WriteRecords, open_output
from scraper.writers.atomic import sweep_stale_temps
from scraper.writers.base import is_stream, output_names, output_target, shard_path
from scraper.writers.output import check_compression_name, is_parquet

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2  # a wrong command line (as click says for its own usage errors)
EXIT_REJECTS = 3  # the run finished, but some inputs were rejected (see the rejects file)
EXIT_STOPPED = 130  # stopped by SIGINT/SIGTERM; what was written is complete


@dataclass
class OutputOptions:
    path: str
    rejects: str | None = None
    shard_records: int | None = None
    shard_bytes: int | None = None
    with_removed: bool = False
    validate: bool = False
    # More files the run writes, by the option that names them (corpus --dropped,
    # clean --explain-html, --summary-json): none may be another output or an input.
    other_outputs: tuple[tuple[str, str], ...] = ()
    resume: bool = False  # append to what an earlier run of this output left (--resume)


@dataclass
class RunSummary:
    command: str
    documents_in: int = 0
    records_out: int = 0
    empty: int = 0
    rejected: int = 0
    reject_reasons: dict[str, int] = field(default_factory=dict)
    # Valid documents a step chose not to write (the corpus job's filters and dedup), by
    # reason; unlike rejects they do not change the exit status.
    dropped: dict[str, int] = field(default_factory=dict)
    removed_bytes: dict[str, int] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    # Shards numbered after the last one this run wrote, left by an earlier, longer run:
    # named in the summary (never deleted), since a glob over the shards would take them.
    stale_outputs: list[str] = field(default_factory=list)
    rejects_path: str | None = None
    stopped: bool = False
    stats: dict[str, Any] = field(default_factory=dict)
    # --resume: records and rejects an earlier run left, which this run kept and skipped.
    resumed_records: int = 0
    resumed_rejects: int = 0

    @property
    def exit_code(self) -> int:
        if self.stopped:
            return EXIT_STOPPED
        # A resumed output still lacks what the earlier run rejected.
        return EXIT_REJECTS if self.rejected or self.resumed_rejects else EXIT_OK

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["exit_code"] = self.exit_code
        return out

    def one_line(self) -> str:
        """The line cron mails and logs keep."""
        removed = sum(self.removed_bytes.values())
        parts = [
            f"pagewash {self.command}: {self.documents_in} in, {self.records_out} out",
            f"{self.empty} empty",
            f"{self.rejected} rejected",
        ]
        skipped = int(self.stats.get("read.skipped_records", 0))
        if skipped:  # WARC records of another kind (requests, metadata, HTML for clean)
            part = f"{skipped} WARC record{'s' if skipped > 1 else ''} skipped"
            if self.command == "clean" and self.stats.get("read.skipped_records.response"):
                part += " (HTML responses: read them with pagewash extract)"
            parts.append(part)
        cut = sum(int(n) for key, n in self.stats.items()
                  if key.startswith("read.truncated_payloads."))
        if cut:  # WARC-Truncated records: kept, flagged truncated-payload
            parts.append(f"{cut} cut short by the crawler (flagged truncated-payload)")
        errors = int(self.stats.get("extract.error_pages", 0))
        if errors:  # 404s, log-in and bot walls: empty records, flagged error-page
            parts.append(f"{errors} error page{'s' if errors > 1 else ''} "
                         "(flagged error-page)")
        files = int(self.stats.get("read.skipped_files", 0))
        if files:  # met in a directory walk, of a kind this command does not read
            kinds = ", ".join(f"{key.removeprefix('read.skipped_files.')} {n}"
                              for key, n in sorted(self.stats.items())
                              if key.startswith("read.skipped_files."))
            hint = "name a file to read it"
            if self.command == "clean" and any(self.stats.get(f"read.skipped_files.{ext}")
                                               for ext in (".html", ".htm")):
                hint += "; HTML pages: pagewash extract"
            parts.append(f"{files} file{'s' if files > 1 else ''} in directories not read "
                         f"({kinds}; {hint})")
        if self.dropped:
            parts.append(f"{sum(self.dropped.values())} dropped")
        if self.resumed_records or self.resumed_rejects:
            parts.append(f"resumed after {self.resumed_records} records and "
                         f"{self.resumed_rejects} rejects of an earlier run")
        if removed:
            parts.append(f"{_human(removed)} removed")
        parts.append(f"{self.seconds:.1f}s")
        if self.stopped:
            parts.append("STOPPED")
        return ", ".join(parts)


def default_rejects_path(output: str) -> str:
    """``out.jsonl.gz`` -> ``out.rejects.jsonl``; stdout, a device or a FIFO ->
    ``pagewash.rejects.jsonl``.

    Rejects are JSON Lines whatever the output format: ``out.parquet`` ->
    ``out.rejects.jsonl``.
    """
    p = Path(output)
    if output == "-" or is_stream(p):  # /dev/null.rejects.jsonl is no place for them
        return "pagewash.rejects.jsonl"
    name = p.name
    for ext in (".gz", ".zst", ".parquet", ".jsonl", ".ndjson", ".json"):
        if name.endswith(ext):
            name = name[: -len(ext)]
    return str(p.with_name(f"{name}.rejects.jsonl"))


def run_files(out: OutputOptions) -> list[tuple[str, str]]:
    """(option, path) of every file a run of ``out`` writes: the output, its rejects file
    (named or by default) and the others (``--dropped``, ``--explain-html``)."""
    return [("-o", out.path), ("--rejects", out.rejects or default_rejects_path(out.path)),
            *out.other_outputs]


def _own_files(*paths: str) -> list[re.Pattern[str]]:
    """Real paths of the files this run writes: each output, or a numbered shard of it."""
    out = []
    for path in paths:
        if path and path != "-":
            real = os.path.realpath(path)
            where = re.escape(os.path.dirname(real) + os.sep)
            out.append(re.compile(f"{where}(?:{output_names(real)})"))
    return out


def _stale_shards(path: str, written: int) -> list[str]:
    stale: list[str] = []
    while (candidate := shard_path(path, written + len(stale))).exists():
        stale.append(str(candidate))
    return stale


def check_outputs(outputs: Sequence[tuple[str, str]], inputs: Sequence[str] = ()) -> None:
    """Refuse, before anything is read, a run that would write one file twice or write
    over an input it names: ``corpus in.jsonl -o in.jsonl`` or ``--dropped out.jsonl``
    beside ``-o out.jsonl`` replaced the file at the end, the documents in it lost.

    ``outputs`` are (option, path) pairs; a path stands for its numbered shards too, and
    ``-`` (stdout) may be used once. Inputs found by a directory walk or pattern are
    checked by :func:`check_walked_outputs`.
    """
    for option, path in outputs:
        if path and path != "-":
            check_compression_name(path, f"the {option} file")
    named = [(o, p) for o, p in outputs if p == "-" or not is_stream(Path(p))]
    stdout = [o for o, p in named if p == "-"]
    if len(stdout) > 1:
        raise ConfigError(f"stdout: {stdout[1]} writes to it as {stdout[0]} does; "
                          "give each its own file")
    files = [(o, p, os.path.realpath(p)) for o, p in named if p != "-"]
    patterns = _own_files(*(p for _, p, _ in files))
    for j, (option, path, real) in enumerate(files):
        for k in range(j):
            other, _, other_real = files[k]
            if patterns[k].fullmatch(real) or patterns[j].fullmatch(other_real):
                raise ConfigError(f"{path}: {option} names the file (or a shard of the "
                                  f"file) {other} writes; give each its own")
    for name in inputs:
        if name == "-" or not os.path.isfile(name):
            continue
        real = os.path.realpath(name)
        for (option, _, _), pattern in zip(files, patterns, strict=True):
            if pattern.fullmatch(real):
                raise ConfigError(f"{name}: is an input of this run and would be "
                                  f"overwritten by its {option} file; write elsewhere")


def check_walked_outputs(skipped: Iterable[str], output: str) -> None:
    """A walk passes over files named like this run's output (its last output, read
    again, would be cleaned twice); but one that is not a pagewash output is the user's
    input under an unlucky name, and the run would replace it: refuse instead."""
    if output == "-":
        return
    pattern = _own_files(output)[0]
    for path in skipped:
        if pattern.fullmatch(os.path.realpath(path)) and not _is_pagewash_output(path):
            raise ConfigError(f"{path}: found among the inputs and named by -o, but it is "
                              "not a pagewash output: it would be overwritten; write "
                              "elsewhere")


def _is_pagewash_output(path: str) -> bool:
    """Whether the first record of a JSONL (.gz/.zst) or Parquet file is one of ours."""
    try:
        if is_parquet(path):
            import pyarrow.parquet as pq

            return "pagewash_version" in pq.read_schema(path).names
        with open(path, "rb") as raw:
            compression = compression_of(raw.read(4))
            raw.seek(0)
            stream = decompressing(raw, compression)
            # the key comes after the text, which may be megabytes: the whole first line
            tail, seen = b"", 0
            while chunk := stream.read(1 << 20):
                line = chunk.split(b"\n", 1)[0]
                if b'"pagewash_version"' in tail + line:
                    return True
                seen += len(line)
                if len(line) < len(chunk) or seen > 1 << 30:
                    return False
                tail = line[-32:]
            return seen == 0  # an empty output of an earlier run
    except Exception:  # unreadable, damaged, or no pyarrow: not provably ours
        return False

class LazyRejects:
    """A rejects sink that creates its file only when there is something to reject."""

    def __init__(self, path: str, *, keep: Path | None = None) -> None:
        """``keep``: the rejects file of an earlier run this one resumes; new rejects
        go after its lines, and it stays when there are none."""
        # Checked now, not at the first reject: a rejects file that cannot be written
        # must stop the run before it starts, not throw away the output half-way.
        if path != "-":
            output_target(Path(path))
        self.path = path
        self.keep = keep
        self.file: RejectsFile | None = None

    def write_reject(self, reject: Reject) -> None:
        if self.file is None:
            self.file = RejectsFile(self.path, fsync=False)
            if self.keep is not None:
                self.file.continue_from([self.keep])
        self.file.write_reject(reject)

    def close(self) -> str | None:
        if self.file is None:
            if self.keep is not None:
                return self.path
            # A rejects file left by an earlier run would read as this run's rejects.
            stale = Path(self.path)
            if self.path != "-" and stale.is_file() and not stale.is_symlink():
                with contextlib.suppress(OSError):
                    stale.unlink()
            return None
        self.file.close()
        return self.path


@contextmanager
def graceful_stop(ctx: RunContext, finishing: str = "the current item") -> Iterator[None]:
    """First SIGINT/SIGTERM asks the run to stop at an item boundary; a second SIGINT
    raises KeyboardInterrupt. Only the main thread can install handlers. ``finishing``
    tells the user what the run still does before it stops."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        if ctx.stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        ctx.stop.set()
        again = " (Ctrl-C again to abort)" if signum == signal.SIGINT else ""
        print(f"\npagewash: {signal.Signals(signum).name}: finishing {finishing}, then "
              f"stopping{again}", file=sys.stderr)

    old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def run_job(
    command: str,
    reader: Step,
    steps: Sequence[Step],
    out: OutputOptions,
    *,
    after_write: Callable[[Document], None] | None = None,
    on_commit: Callable[[], None] | None = None,
    on_resume: Callable[[ResumePoint], tuple[int, int] | None] | None = None,
    progress: bool | None = False,
    err: TextIO | None = None,
    ctx: RunContext | None = None,
) -> RunSummary:
    """Run ``reader -> steps -> write records`` and return the summary.

    ``after_write`` sees each document once its record is written; ``on_commit`` runs
    each time the writer has published what was written (a shard when it is full, the
    output at the end, also after a second Ctrl-C) -- never for the part an error leaves
    unpublished. ``on_resume`` (with ``out.resume``) sees what the earlier run left
    before anything is read; it may refuse it (ConfigError) or return the records and
    JSON bytes of its last shard, which this run then fills up first
    (:meth:`~scraper.writers.base.ShardedWriter.continue_from`).

    The files of the run are not locked here: a job locks them
    (:class:`~scraper.writers.lock.OutputLocks` over :func:`run_files`) before it makes
    anything, and holds them until its last side file is written, after this returns.
    """
    err = err or sys.stderr
    ctx = ctx or RunContext()
    # Made before anything is read: an output that cannot be written stops the run here.
    writer = open_output(out.path, shard_records=out.shard_records,
                         shard_bytes=out.shard_bytes, on_commit=on_commit)
    rejects_path = out.rejects or default_rejects_path(out.path)
    check_outputs(run_files(out), getattr(reader, "inputs", ()))
    # (--dropped and --explain-html too: a killed run left theirs for good)
    for path in (out.path, rejects_path, *(p for _, p in out.other_outputs)):
        for stale in sweep_stale_temps(path) if path != "-" else ():
            print(f"pagewash: removed {stale}: the temporary file of a run that was killed "
                  "before it finished", file=err)
    point = None
    if out.resume:
        point = read_resume_point(str(writer.path), rejects_path,
                                  sharded=bool(out.shard_records or out.shard_bytes))
        last_shard = on_resume(point) if on_resume is not None else None
        writer.continue_from(point.outputs, last_shard=last_shard)
        ctx.done = point
        steps = [SkipDone(point), *steps]
    rejects = LazyRejects(rejects_path, keep=point.rejects_file if point else None)
    if isinstance(reader, Reader):
        reader.skip_outputs(_own_files(out.path, rejects_path,
                                       *(path for _, path in out.other_outputs)))
        check_walked_outputs(reader.skipped_outputs(), out.path)
    ctx.rejects = rejects
    ctx.on_reject = lambda r: print(
        f"pagewash: rejected {r.source} ({r.reason}): {r.message}", file=err
    )
    write = WriteRecords(writer, with_removed=out.with_removed, validate=out.validate)
    pipeline = Pipeline([reader, *steps, write])
    summary = RunSummary(command)
    t0 = time.perf_counter()
    bar = (_progress_bar(reader, err, explicit=progress is True, command=command)
           if progress is not False else None)
    if bar is not None:
        ctx.on_progress = bar.advance
    records = pipeline.iterate(ctx)
    try:
        with graceful_stop(ctx):
            for doc in records:
                if after_write is not None:
                    after_write(doc)
    except KeyboardInterrupt:
        # Second Ctrl-C: every record written so far is whole, so keep them.
        _close_quietly(bar)
        pipeline.close()  # rejects the steps still hold go to the file, not away
        kept = writer.close()
        rejects.close()
        where = f" in {', '.join(map(str, kept))}" if kept else ""
        print(f"pagewash: aborted; the {writer.records} records written are whole and "
              f"kept{where}", file=err)
        raise
    except BaseException:
        _close_quietly(bar)
        pipeline.close()
        writer.abort()  # a bug, not a stop: publish nothing half-done
        rejects.close()
        raise
    if bar is not None:
        bar.close()
    summary.outputs = [str(p) for p in writer.close()]
    if out.shard_records or out.shard_bytes:
        summary.stale_outputs = _stale_shards(out.path, len(summary.outputs))
    summary.rejects_path = rejects.close()
    summary.seconds = round(time.perf_counter() - t0, 3)
    info = pipeline.summary(ctx)
    stats = info["stats"]
    summary.stats = stats
    summary.stage_seconds = info["seconds"]
    # documents a pool read ahead and a stop left undone are not "in": a resumed run
    # reads them
    summary.documents_in = int(stats.get("read.documents", 0)) - sum(
        int(v) for k, v in stats.items() if k.endswith(".unfinished_at_stop"))
    if point is not None:
        summary.documents_in -= int(stats.get("resume.skipped", 0))
        summary.resumed_records, summary.resumed_rejects = point.records, point.rejects
        stats["resume.rejects_skipped"] = ctx.rejects_done  # met again, not written twice
    summary.records_out = int(stats.get("write.records", 0))
    summary.empty = int(stats.get("write.empty", 0))
    summary.rejected = ctx.reject_count
    summary.reject_reasons = dict(ctx.reject_reasons)
    summary.stopped = ctx.stop.is_set()
    for step in steps:
        for rule, nbytes in getattr(step, "removed_bytes", {}).items():
            summary.removed_bytes[rule] = summary.removed_bytes.get(rule, 0) + nbytes
        for reason, count in getattr(step, "dropped", {}).items():
            summary.dropped[reason] = summary.dropped.get(reason, 0) + count
    return summary


def _close_quietly(bar: _Bar | _LogLines | None) -> None:
    if bar is not None:
        bar.close()


class _Bar:
    def __init__(self, total: int, err: TextIO) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self.progress = Progress(
            "[progress.description]{task.description}", BarColumn(), DownloadColumn(),
            TransferSpeedColumn(), TimeRemainingColumn(),
            console=Console(file=err), transient=True,
        )
        self.task = self.progress.add_task("reading", total=total or None)
        self.progress.start()

    def advance(self, nbytes: int) -> None:
        self.progress.advance(self.task, nbytes)

    def close(self) -> None:
        self.progress.stop()


PROGRESS_LINE_SECONDS = 30.0


class _LogLines:
    """Progress where there is no terminal to draw a bar on (cron, nohup, systemd): a
    plain line every :data:`PROGRESS_LINE_SECONDS`, so a long run shows it is alive in
    its log."""

    def __init__(self, total: int, err: TextIO, command: str) -> None:
        self.total, self.err, self.command = total, err, command
        self.every = PROGRESS_LINE_SECONDS
        self.done = 0
        self.start = self.last = time.monotonic()

    def advance(self, nbytes: int) -> None:
        self.done += nbytes
        now = time.monotonic()
        if now - self.last < self.every:
            return
        self.last = now
        rate = self.done / max(now - self.start, 1e-9)
        line = f"pagewash {self.command}: {_human(self.done)} read"
        if self.total:
            share = min(self.done / self.total, 1.0)
            left = (self.total - self.done) / rate if rate else 0.0
            line += (f" of {_human(self.total)} ({share:.0%}), {_human(rate)}/s, "
                     f"about {_duration(left)} left")
        else:
            line += f", {_human(rate)}/s"
        print(line, file=self.err, flush=True)

    def close(self) -> None:
        pass


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _progress_bar(reader: Step, err: TextIO, *, explicit: bool = False,
                  command: str = "run") -> _Bar | _LogLines | None:
    """A bar on a terminal; asked for (``--progress``) elsewhere, plain lines."""
    total = int(reader.total_bytes()) if hasattr(reader, "total_bytes") else 0
    if (hasattr(err, "isatty") and err.isatty()) or os.environ.get("PAGEWASH_PROGRESS"):
        return _Bar(total, err)
    return _LogLines(total, err, command) if explicit else None


def _human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def print_summary(summary: RunSummary, err: TextIO | None = None) -> None:
    """A readable end-of-run report on stderr (stdout may carry the records)."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=err or sys.stderr, highlight=False)
    # Plain lines, never wrapped (a console that is not a terminal is 80 columns wide,
    # and a log line cut in two is two log lines) and never read as markup ("[...]").
    say = partial(console.print, soft_wrap=True, markup=False)
    say(summary.one_line())
    if summary.removed_bytes:
        table = Table(title="removed by rule", show_edge=False, pad_edge=False)
        table.add_column("rule")
        table.add_column("bytes", justify="right")
        for rule, nbytes in sorted(summary.removed_bytes.items(), key=lambda kv: -kv[1]):
            table.add_row(rule, _human(nbytes))
        console.print(table)
    if summary.dropped:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(summary.dropped.items()))
        where = summary.stats.get("dropped_path")  # (--dropped: where each one is listed)
        say(f"dropped: {sum(summary.dropped.values())} ({reasons})"
            + (f" -> {where}" if where else ""))
    if summary.stats.get("pii.documents"):
        say(f"redacted: {summary.stats.get('pii.emails', 0)} e-mail and "
                      f"{summary.stats.get('pii.ips', 0)} IP addresses in "
                      f"{summary.stats['pii.documents']} documents")
    if summary.rejected:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(summary.reject_reasons.items()))
        say(f"rejected: {summary.rejected} ({reasons}) -> {summary.rejects_path}")
    for path in summary.outputs:
        say(f"output: {path}")
    if summary.stats.get("explain_html"):  # the page a user asked for, to open next
        say(f"explain-html: {summary.stats['explain_html']}")
    if summary.stopped and summary.outputs:
        # What a user stopping a long run asks next; without --resume the same command
        # starts over (and corpus with a --state refuses the output it already holds).
        say("stopped: the output holds every record written so far; the same command "
            "with --resume carries the run on")
    if summary.stale_outputs:
        say(f"note: {len(summary.stale_outputs)} shard(s) from an earlier run follow "
                      f"this run's, not part of it: {summary.stale_outputs[0]} ...")
