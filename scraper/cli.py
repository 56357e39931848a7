"""Command line: a thin typer layer over :mod:`scraper.jobs`.

Exit status: 0 all inputs became records; 3 the run finished but some inputs were
rejected (see the rejects file); 1 the run could not be done (bad options, unwritable
output); 75 another run is writing the output (or holds the state); 130 stopped by
SIGINT/SIGTERM (what was written is complete).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Literal, TextIO, TypedDict

import typer
from typer.core import TyperCommand, TyperGroup, TyperOption

from scraper import __version__
from scraper.errors import PagewashError
from scraper.runner import EXIT_ERROR, EXIT_STOPPED, EXIT_USAGE, RunSummary, print_summary

if TYPE_CHECKING:
    from typer._click import Context, HelpFormatter  # (typer's own copy of click; not re-exported)

    from scraper.fetch import FetchConfig


def _flags_take_no_value(command: TyperCommand | TyperGroup, ctx: Context) -> None:
    """typer 0.29's rich help puts the type after every option, flags too: "--with-removed
    <bool>", even "--help <bool>", and a user who then typed "--with-removed true" had
    "true" read as an input file. An empty metavar leaves a flag's type column blank."""
    for param in command.get_params(ctx):
        if isinstance(param, TyperOption) and param.is_flag and param.metavar is None:
            param.metavar = ""


class _Command(TyperCommand):
    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        _flags_take_no_value(self, ctx)
        super().format_help(ctx, formatter)


class _Group(TyperGroup):
    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        _flags_take_no_value(self, ctx)
        super().format_help(ctx, formatter)


app = typer.Typer(
    cls=_Group,
    name="pagewash",
    help="Turn messy web pages and text dumps into clean article records (JSON Lines).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Inputs = Annotated[
    list[str],
    typer.Argument(help="Files, directories, glob patterns, or - for stdin.", show_default=False),
]
Output = Annotated[
    str,
    typer.Option("--output", "-o", help="Output JSONL (.gz/.zst compress; - for stdout) or "
                 ".parquet (pip install 'pagewash\\[parquet]')."),  # \[: not Rich markup
]

Rejects = Annotated[str | None, typer.Option(
    help="Rejects file (default: next to the output, <name>.rejects.jsonl).")]
ShardRecords = Annotated[int | None, typer.Option(
    help="Start a new output shard every N records.")]
ShardSize = Annotated[str | None, typer.Option(
    help="Start a new output shard at this many bytes of uncompressed JSON (e.g. 500MB).")]
NoLanguage = Annotated[bool, typer.Option("--no-language", help="Skip language detection.")]
TextEncoding = Annotated[str, typer.Option(
    "--encoding", help="Encoding of .txt inputs: utf-8 (strict), auto (detect), or a codec name.")]
MaxDocumentBytes = Annotated[str, typer.Option(
    "--max-bytes", help="Refuse single documents larger than this.")]
Progress = Annotated[bool | None, typer.Option(
    "--progress/--no-progress", show_default=False,
    help="Progress bar (default: on when stderr is a terminal); asked for where there is "
    "no terminal (cron, nohup), a plain line every 30 s.")]
Resume = Annotated[bool, typer.Option(
    "--resume", help="Carry on an earlier run of this output: skip the inputs its records "
    "and rejects name, append the rest.")]
CorpusResume = Annotated[bool, typer.Option(
    "--resume", help="Carry on a stopped run of this output, with the same options: its "
    "records seed the dedup index and their inputs are skipped; the rest is judged again, "
    "so output, --dropped list and counts are those of one uninterrupted run.")]
SummaryJson = Annotated[str | None, typer.Option(
    help="Also write the run summary as JSON to this file.")]
StateFile = Annotated[str | None, typer.Option(
    help="Crawl state (SQLite) file (default: next to the output, <name>.crawl.db).")]
SourcesFile = Annotated[str | None, typer.Option(
    help="TOML sources file (seeds, feeds, sitemaps, scope, revisit per source).")]
WarcOut = Annotated[str | None, typer.Option(
    help="Also save raw responses as WARC (base name; shards per batch).")]
MaxDepth = Annotated[int | None, typer.Option(
    help="Link hops from the seed URLs given here (default 2; a sources file sets max_depth).",
    show_default=False)]
UserAgent = Annotated[str | None, typer.Option(help="User-Agent header.")]
Concurrency = Annotated[int, typer.Option(help="Requests in flight in all.")]
PerHost = Annotated[int, typer.Option(help="Requests in flight per host.")]
Delay = Annotated[float, typer.Option(help="Seconds between requests to one host.")]
AllowPrivate = Annotated[bool, typer.Option(
    "--allow-private", help="Allow loopback/private/link-local addresses.")]
AllowAddress = Annotated[list[str] | None, typer.Option(
    help="Allow this address or network even when private (repeatable).")]
NoExtract = Annotated[bool, typer.Option(
    "--no-extract", help="Fetch, follow links and save raw pages (--warc) only.")]
Revisit = Annotated[str | None, typer.Option(
    help="First revisit interval for pages of the seed URLs given here (e.g. 6h; a sources "
    "file sets revisit).")]
CrawlWorkers = Annotated[int | None, typer.Option(
    help="Extraction processes (default: all cores; 0: in-process thread).")]
CrawlRejects = Annotated[str | None, typer.Option(
    help="Rejects file of a run (default: per run, <name>.rejects-<run>.jsonl).")]
Markdown = Annotated[bool, typer.Option("--markdown", help="Markdown text.")]
BatchSize = Annotated[int, typer.Option(
    help="Records per committed batch (output shard); a batch is also committed every 10 s.")]
IgnoreRobots = Annotated[bool, typer.Option(
    "--ignore-robots", help="Do not fetch or obey robots.txt (your own sites only).")]
MaxCrawlDelay = Annotated[float, typer.Option(
    help="Honour robots.txt Crawl-delay up to this many seconds.")]
ReadTimeout = Annotated[float, typer.Option("--timeout", help="Read timeout, seconds.")]
ConnectTimeout = Annotated[float, typer.Option(help="Connect timeout, seconds.")]
MaxBodyBytes = Annotated[str, typer.Option(
    "--max-bytes", help="Refuse bodies larger than this (feeds and sitemaps: at least 60MiB).")]
Retries = Annotated[int, typer.Option(help="Attempts per request (errors, 429, 5xx).")]
NoHttp2 = Annotated[bool, typer.Option("--no-http2", help="HTTP/1.1 only.")]


def _near_threshold(value: float) -> float:
    from scraper.errors import ConfigError
    from scraper.jobs import check_near_threshold

    try:
        check_near_threshold(value, "it")
    except ConfigError as exc:  # a usage error (exit 2), named by the option
        raise typer.BadParameter(str(exc)) from None
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pagewash {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """pagewash: clean article records from dumps, pages and crawls."""


def _parse_size(text: str | None, option: str) -> int | None:
    """``500MB``, ``2GiB``, ``1.5M`` or a plain number of bytes."""
    if text is None:
        return None
    units = {"k": 10**3, "m": 10**6, "g": 10**9, "kb": 10**3, "mb": 10**6, "gb": 10**9,
             "kib": 2**10, "mib": 2**20, "gib": 2**30, "b": 1}
    t = text.strip().lower()
    try:
        for unit in sorted(units, key=len, reverse=True):
            if t.endswith(unit):
                number = float(t[: -len(unit)])
                if not math.isfinite(number):
                    break
                return int(number * units[unit])
        return int(float(t)) if math.isfinite(float(t)) else int(t)
    except ValueError:
        pass
    raise ValueError(f"{option} {text!r} is not a size (examples: 500MB, 2GiB, 100000)")


def _positive_size(text: str | None, option: str) -> int | None:
    """A size that must be above 0 (``--shard-size``, ``--max-bytes`` of the file
    commands): refused naming the option, where the job would name its parameter
    ("shard_bytes must be positive")."""
    size = _parse_size(text, option)
    if size is not None and size <= 0:
        raise ValueError(f"{option} must be above 0, not {text!r}")
    return size


def _positive_count(value: int | None, option: str) -> int | None:
    if value is not None and value < 1:
        raise ValueError(f"{option} must be at least 1, not {value}")
    return value


def _workers(requested: int | None) -> int:
    """The pool size a command runs with: what was asked, else every core this process
    may use. Starting the pool costs little next to loading the models, which one
    process does too (the five seeds: 2.07 s with one worker, 2.10 s with two), so a
    small input does not pay for the default a large one needs."""
    from scraper.workers import cpu_count

    if requested is None:
        return cpu_count()
    _positive_count(requested, "--workers")  # (the job would say "workers must ...")
    return requested


def _timeout(seconds: float) -> float | None:
    """``--timeout`` of the file commands: 0 is no limit; a negative or non-finite one
    is refused naming the option, where the job would name its parameter ("timeout
    must be ...")."""
    if seconds and not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(f"--timeout must be a number of seconds (0: no limit), not {seconds:g}")
    return seconds or None


@contextmanager
def _reported_errors() -> Iterator[None]:
    """One place that turns a run that cannot be done into a message and an exit status."""
    from scraper.errors import LockedError, UsageError

    try:
        yield
    except UsageError as exc:
        typer.echo(f"pagewash: error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except LockedError as exc:  # a state or an output another run holds
        from scraper.state import EXIT_LOCKED

        typer.echo(f"pagewash: {exc}", err=True)
        raise typer.Exit(EXIT_LOCKED) from None
    except (PagewashError, ValueError) as exc:
        typer.echo(f"pagewash: error: {exc}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    except OSError as exc:  # a state, summary or lock file where none can be made
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"pagewash: error: {where}{exc.strerror or exc}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        # a second Ctrl-C, or one before the run could set its graceful stop up
        typer.echo("pagewash: interrupted", err=True)
        raise typer.Exit(EXIT_STOPPED) from None


_FLAG_VALUES = frozenset({"true", "false", "yes", "no", "on", "off"})


def _check_no_flag_values(inputs: list[str]) -> None:
    """``--with-removed true`` reads "true" as an input; refused as the slip it is
    (unless such a file exists), rather than one "not-found" reject in a long run."""
    from pathlib import Path

    from scraper.errors import UsageError

    for name in inputs:
        if name.lower() in _FLAG_VALUES and not Path(name).exists():
            raise UsageError(f"{name!r}: no such input; on/off options take no value: "
                             "give one (e.g. --with-removed) to switch it on, leave it out "
                             "for off")


def _finish(summary: RunSummary, summary_json: str | None) -> None:
    print_summary(summary)
    _exit_with(summary, summary_json)


def _check_summary_json(summary_json: str | None, inputs: list[str], output: str,
                        rejects: str | None, *others: tuple[str, str | None]) -> None:
    """The summary is written after the run, by this layer: refuse at the start a
    --summary-json that names the output, another side file or an input."""
    if summary_json is None:
        return
    from scraper.runner import check_outputs, default_rejects_path

    check_outputs([("-o", output), ("--rejects", rejects or default_rejects_path(output)),
                   *((o, p) for o, p in others if p), ("--summary-json", summary_json)],
                  inputs)


def _exit_with(summary: RunSummary, summary_json: str | None) -> None:
    """Write the summary as JSON when asked, and exit with the run's status."""
    if summary_json and not _write_summary(summary, summary_json):
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(summary.exit_code)


def _write_summary(summary: RunSummary, path: str) -> bool:
    """Whole or not at all: a reader polling the file never sees half a summary.
    Compressed by its name (``.gz``, ``.zst``) as the records, rejects and --dropped
    files are: ``s.json.gz`` was plain JSON that ``zcat`` and ``gzip.open`` refused."""
    from pathlib import Path

    from scraper.writers.atomic import AtomicFile
    from scraper.writers.jsonl import codec_for

    blob = codec_for(path, "auto").compress(
        (json.dumps(summary.to_dict(), indent=2) + "\n").encode())
    target = Path(path)
    try:
        if target.exists() and not target.is_file():  # a FIFO or device: written as a stream
            with open(target, "wb") as f:
                f.write(blob)
            return True
        out = AtomicFile(target.resolve(), fsync=False)
        out.append(blob)
        out.commit(len(blob))
    except (OSError, PagewashError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        typer.echo(f"pagewash: error: {path}: cannot write the summary: {why}", err=True)
        return False
    return True


@app.command(cls=_Command)
def clean(
    inputs: Inputs,
    output: Output = "-",
    text_field: Annotated[str, typer.Option(help="JSONL field holding the text.")] = "text",
    encoding: TextEncoding = "utf-8",
    rejects: Rejects = None,
    shard_records: ShardRecords = None,
    shard_size: ShardSize = None,
    max_bytes: MaxDocumentBytes = "50MiB",
    with_removed: Annotated[bool, typer.Option(
        "--with-removed", help="Keep every removed block and its rule in the records.")] = False,
    explain: Annotated[bool, typer.Option(
        "--explain", help="Print each removed block with the rule that removed it.")] = False,
    explain_html: Annotated[str | None, typer.Option(
        help="Write an HTML page showing removed blocks struck through, by rule.")] = None,
    explain_limit: Annotated[int, typer.Option(
        help="Documents shown in the --explain-html page.")] = 200,
    disable: Annotated[list[str] | None, typer.Option(
        help="Switch off a rule, a family or one kind of a rule by name (repeatable), "
             "e.g. model, dedup, section.related.")] = None,
    no_language: NoLanguage = False,
    workers: Annotated[int | None, typer.Option(
        help="Cleaning processes (default: all cores; output order and content do not "
             "change; 1 cleans in this process).")] = None,
    timeout: Annotated[float, typer.Option(
        help="Seconds one document may take before it is rejected (0: no limit).")] = 120.0,
    resume: Resume = False,
    progress: Progress = None,
    summary_json: SummaryJson = None,
) -> None:
    """Clean text dumps: remove menus, counters, related links, widgets and repeats.

    Inputs: .txt, JSONL, WET, Parquet files, directories, globs, or - for stdin.

    Exit status: 0 nothing rejected, 3 some inputs rejected (see the rejects
    file), 130 stopped (what was written is whole: carry on with --resume),
    75 another run is writing the output, 1 error, 2 wrong command line.
    """
    with _reported_errors():
        from scraper.jobs import clean_files

        _check_no_flag_values(inputs)
        _check_summary_json(summary_json, inputs, output, rejects,
                            ("--explain-html", explain_html))
        summary = clean_files(
            inputs, output, text_field=text_field, encoding=encoding,
            max_bytes=_positive_size(max_bytes, "--max-bytes") or 0, rejects=rejects,
            shard_records=_positive_count(shard_records, "--shard-records"),
            shard_bytes=_positive_size(shard_size, "--shard-size"),
            with_removed=with_removed, explain=explain, explain_html=explain_html,
            explain_limit=_positive_count(explain_limit, "--explain-limit") or 0,
            disable=disable or (),
            detect_language=not no_language, workers=_workers(workers), timeout=_timeout(timeout),
            resume=resume, progress=progress,
            # records on stdout are the product: a closed pipe there ends the run
            explain_out=_MessageGuard(sys.stdout) if explain and output != "-" else None,
        )
    _finish(summary, summary_json)


# -- extract (issue 3) --------------------------------------------------------------------


@app.command(cls=_Command)
def extract(
    inputs: Inputs,
    output: Output = "-",
    format: Annotated[str, typer.Option(
        "--format", help="text, or markdown (keeps headings, lists, tables, code).")] = "text",
    workers: Annotated[int | None, typer.Option(
        help="Extraction processes (default: all cores; output order and content do not "
             "change; 1 extracts in this process).")] = None,
    timeout: Annotated[float, typer.Option(
        help="Seconds one page may take before it is rejected (0: no limit).")] = 30.0,
    html_field: Annotated[str, typer.Option(help="JSONL field holding the HTML.")] = "html",
    rejects: Rejects = None,
    shard_records: ShardRecords = None,
    shard_size: ShardSize = None,
    max_bytes: Annotated[str, typer.Option(help="Refuse pages larger than this.")] = "20MiB",
    with_removed: Annotated[bool, typer.Option(
        "--with-removed", help="Keep every removed text block and its rule in the records.")]
    = False,
    no_language: NoLanguage = False,
    resume: Resume = False,
    progress: Progress = None,
    summary_json: SummaryJson = None,
) -> None:
    """Extract article records (main text and metadata) from saved web pages.

    Inputs: HTML files, directories, globs, JSONL with an html field, WARC
    files, or - for stdin.

    Exit status: 0 nothing rejected, 3 some inputs rejected (see the rejects
    file), 130 stopped (what was written is whole: carry on with --resume),
    75 another run is writing the output, 1 error, 2 wrong command line.
    """
    with _reported_errors():
        from scraper.jobs import extract_files

        _check_no_flag_values(inputs)
        _check_summary_json(summary_json, inputs, output, rejects)
        summary = extract_files(
            inputs, output, output_format=format, workers=_workers(workers),
            timeout=_timeout(timeout), html_field=html_field,
            max_bytes=_positive_size(max_bytes, "--max-bytes") or 0, rejects=rejects,
            shard_records=_positive_count(shard_records, "--shard-records"),
            shard_bytes=_positive_size(shard_size, "--shard-size"),
            with_removed=with_removed, detect_language=not no_language, resume=resume,
            progress=progress,
        )
    _finish(summary, summary_json)


# -- corpus ------------------------------------------------------------------------------


@app.command(cls=_Command)
def corpus(
    inputs: Inputs,
    output: Output = "-",
    text_field: Annotated[str, typer.Option(help="JSONL field holding the text.")] = "text",
    min_words: Annotated[int, typer.Option(
        help="Drop documents with fewer words (as word_count counts them; 0: keep all).")]
    = 50,
    lang: Annotated[list[str] | None, typer.Option(
        help="Keep only this language (ISO 639-1, repeatable; zh keeps zh-cn and zh-tw).")]
    = None,
    disable: Annotated[list[str] | None, typer.Option(
        help="Switch off a quality filter (repeatable): too-short, word-length, "
             "symbol-ratio, ellipsis-lines, bullet-lines, alpha-words.")] = None,
    enable: Annotated[list[str] | None, typer.Option(
        help="Switch on a filter that is off by default (repeatable): repetition (all "
             "of Gopher's repetition rules), or one of dup-lines, dup-paragraphs, "
             "top-ngrams, dup-ngrams.")] = None,
    redact_pii: Annotated[bool, typer.Option(
        "--redact-pii", help="Replace e-mail addresses and public IP addresses "
        "(email@example.com, 192.0.2.1, 2001:db8::1).")] = False,
    near_threshold: Annotated[float, typer.Option(
        callback=_near_threshold,
        help="Drop documents whose word 5-grams overlap an earlier one's this much "
             "(Jaccard, above 0, at most 1).")] = 0.8,
    no_near_dedup: Annotated[bool, typer.Option(
        "--no-near-dedup", help="Exact duplicates only; no MinHash.")] = False,
    state: Annotated[str | None, typer.Option(
        help="SQLite dedup state shared by runs: documents earlier runs wrote are dropped "
             "as duplicates (default: this run only, in memory).")] = None,
    dropped: Annotated[str | None, typer.Option(
        help="Write every dropped document as JSONL {id, source, reason, duplicate_of, detail}.")]
    = None,
    encoding: TextEncoding = "utf-8",
    rejects: Rejects = None,
    shard_records: ShardRecords = None,
    shard_size: ShardSize = None,
    max_bytes: MaxDocumentBytes = "50MiB",
    no_language: Annotated[bool, typer.Option(
        "--no-language", help="Do not detect the language of documents that lack one.")]
    = False,
    resume: CorpusResume = False,
    progress: Progress = None,
    summary_json: SummaryJson = None,
) -> None:
    """Make a training corpus: filtered, language-tagged, de-duplicated records.

    Inputs: article records (or any JSONL with a text field), text or WET.
    Documents dropped (too short, duplicates, ...) are counted by reason, not
    rejected: they leave the exit status 0.

    Exit status: 0 nothing rejected, 3 some inputs rejected (see the rejects
    file), 130 stopped (what was written is whole: carry on with --resume),
    75 another run is writing the output, 1 error, 2 wrong command line.
    """
    with _reported_errors():
        from scraper.jobs import corpus_files

        _check_no_flag_values(inputs)
        _check_summary_json(summary_json, inputs, output, rejects, ("--dropped", dropped))
        if min_words < 0:
            raise ValueError(f"--min-words must not be negative (0 keeps every length), "
                             f"not {min_words}")
        summary = corpus_files(
            inputs, output, text_field=text_field, min_words=min_words, languages=lang or (),
            disable=disable or (), enable=enable or (), redact_pii=redact_pii,
            detect_language=not no_language,
            near_dedup=not no_near_dedup, near_threshold=near_threshold, state=state,
            dropped=dropped, encoding=encoding,
            max_bytes=_positive_size(max_bytes, "--max-bytes") or 0, rejects=rejects,
            shard_records=_positive_count(shard_records, "--shard-records"),
            shard_bytes=_positive_size(shard_size, "--shard-size"),
            resume=resume, progress=progress,
        )
    _finish(summary, summary_json)


# -- crawl and schedule (issue 4) ---------------------------------------------------------

Seeds = Annotated[list[str] | None, typer.Argument(
    help="Seed URLs (hub pages, feeds or sitemaps); or use --sources.", show_default=False)]
Pages = Annotated[list[str] | None, typer.Option(
    "--page", help="An article URL to fetch and revisit for its record (links not "
    "followed); repeat for more.", show_default=False)]


# The options crawl and schedule share, by parameter name: both commands hand them on
# from their own signature (typer needs each command's parameters spelled out).
_CRAWL_OPTIONS = frozenset({
    "state", "warc", "no_extract", "max_pages", "max_time", "workers", "rejects", "markdown",
    "batch_size", "user_agent", "concurrency", "per_host", "delay", "ignore_robots",
    "max_crawl_delay", "timeout", "connect_timeout", "max_bytes", "retries", "allow_private",
    "allow_address", "no_http2",
})


class _CrawlOptions(TypedDict):
    """The options ``crawl`` and ``schedule`` share, as the jobs take them."""

    state: str | None
    warc: str | None
    extract: bool
    max_pages: int | None
    max_time: float | None
    workers: int | None
    rejects: str | None
    output_format: Literal["text", "markdown"]
    batch_size: int
    fetch: FetchConfig


def _crawl_options(
    *, state: str | None, warc: str | None, no_extract: bool, max_pages: int | None,
    max_time: str | None, workers: int | None, rejects: str | None, markdown: bool,
    batch_size: int, user_agent: str | None, concurrency: int, per_host: int,
    delay: float, ignore_robots: bool, max_crawl_delay: float, timeout: float,
    connect_timeout: float, max_bytes: str, retries: int, allow_private: bool,
    allow_address: list[str] | None, no_http2: bool,
) -> _CrawlOptions:
    from scraper.crawl.sources import parse_duration
    from scraper.errors import ConfigError
    from scraper.fetch import DEFAULT_USER_AGENT, FetchConfig

    try:
        seconds = parse_duration(max_time, "--max-time") if max_time else None
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    fetch = FetchConfig(
        user_agent=user_agent or DEFAULT_USER_AGENT, concurrency=concurrency,
        per_host=per_host, delay=delay, obey_robots=not ignore_robots,
        max_crawl_delay=max_crawl_delay, connect_timeout=connect_timeout,
        read_timeout=timeout, total_timeout=max(timeout * 3, connect_timeout + timeout),
        max_bytes=_parse_size(max_bytes, "--max-bytes") or 0, retries=retries,
        allow_private=allow_private,
        allow_addresses=tuple(allow_address or ()), http2=not no_http2,
    )
    return {"state": state, "warc": warc, "extract": not no_extract, "max_pages": max_pages,
            "max_time": seconds, "workers": workers, "rejects": rejects,
            "output_format": "markdown" if markdown else "text", "batch_size": batch_size,
            "fetch": fetch}



@app.command(cls=_Command)
def crawl(
    seeds: Seeds = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Records base name; each run writes <name>-<run>-NNNNN shards."
    )] = None,
    sources: SourcesFile = None,
    page: Pages = None,
    state: StateFile = None,
    warc: WarcOut = None,
    no_extract: NoExtract = False,
    max_pages: Annotated[int | None, typer.Option(help="Fetch at most this many URLs.")] = None,
    max_time: Annotated[str | None, typer.Option(
        help="Stop dispatching after this long (e.g. 4m) and commit.")] = None,
    max_depth: MaxDepth = None,
    revisit: Revisit = None,
    workers: CrawlWorkers = None,
    rejects: CrawlRejects = None,
    markdown: Markdown = False,
    batch_size: BatchSize = 500,
    user_agent: UserAgent = None,
    concurrency: Concurrency = 16,
    per_host: PerHost = 2,
    delay: Delay = 1.0,
    ignore_robots: IgnoreRobots = False,
    max_crawl_delay: MaxCrawlDelay = 30.0,
    timeout: ReadTimeout = 20.0,
    connect_timeout: ConnectTimeout = 10.0,
    max_bytes: MaxBodyBytes = "10MiB",
    retries: Retries = 3,
    allow_private: AllowPrivate = False,
    allow_address: AllowAddress = None,
    no_http2: NoHttp2 = False,
    summary_json: SummaryJson = None,
) -> None:
    """Fetch what is new or changed, extract and clean it, append article records.

    Exit status: 0 ok, 3 some URLs failed (see the rejects file), 130 stopped,
    75 another run holds the crawl state (cron overlap), 1 error, 2 wrong command line.
    """
    from scraper.crawl.sources import parse_duration
    with _reported_errors():
        from scraper.jobs import crawl as crawl_job

        opts = _crawl_options(**{k: v for k, v in locals().items() if k in _CRAWL_OPTIONS})
        every = parse_duration(revisit, "--revisit") if revisit else None
        summary = crawl_job(seeds or [], output, sources=sources, pages=page or [],
                            max_depth=_seed_depth([*(seeds or []), *(page or [])], sources,
                                                  max_depth, revisit),
                            revisit=every, **opts)
    _finish_crawl(summary, summary_json)


def _seed_depth(seeds: list[str] | None, sources: str | None, max_depth: int | None,
                revisit: str | None) -> int:
    """--max-depth and --revisit shape the source of the URLs on the command line (seeds
    and --page); given with a sources file and none they changed nothing, without a
    word."""
    if sources and not seeds:
        given = [o for o, v in (("--max-depth", max_depth), ("--revisit", revisit)) if v]
        if given or max_depth is not None:
            from scraper.errors import UsageError

            raise UsageError(f"{' and '.join(given or ['--max-depth'])}: for seed URLs given on "
                             "the command line only; the sources of a sources file take "
                             "max_depth and revisit from it")
    return 2 if max_depth is None else max_depth


def _crawl_lines(summary: RunSummary) -> None:
    from scraper.crawl import CrawlSummary  # (loaded by the crawl that made the summary)

    lines = summary.report_lines() if isinstance(summary, CrawlSummary) else [summary.one_line()]
    for line in lines:
        typer.echo(line, err=True)


def _finish_crawl(summary: RunSummary, summary_json: str | None) -> None:
    """Plain lines, never wrapped: the first one is what cron mails and logs keep."""
    _crawl_lines(summary)
    if summary.rejected:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(
            summary.reject_reasons.items()))
        typer.echo(f"rejected: {summary.rejected} ({reasons}) -> "
                   f"{summary.rejects_path}", err=True)
    for path in summary.outputs:
        typer.echo(f"output: {path}", err=True)
    _exit_with(summary, summary_json)


@app.command(cls=_Command)
def schedule(
    seeds: Seeds = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Records base name.")]
    = None,
    sources: SourcesFile = None,
    page: Pages = None,
    every: Annotated[str, typer.Option(
        help="Start a run at least this often (sooner when URLs fall due).")] = "5m",
    iterations: Annotated[int | None, typer.Option(help="Stop after this many runs.")] = None,
    state: StateFile = None,
    warc: WarcOut = None,
    no_extract: NoExtract = False,
    max_pages: Annotated[int | None, typer.Option(help="URLs per run at most.")] = None,
    max_time: Annotated[str | None, typer.Option(help="Time per run at most.")] = None,
    max_depth: MaxDepth = None,
    revisit: Revisit = None,
    workers: CrawlWorkers = None,
    rejects: CrawlRejects = None,
    markdown: Markdown = False,
    batch_size: BatchSize = 500,
    user_agent: UserAgent = None,
    concurrency: Concurrency = 16,
    per_host: PerHost = 2,
    delay: Delay = 1.0,
    ignore_robots: IgnoreRobots = False,
    max_crawl_delay: MaxCrawlDelay = 30.0,
    timeout: ReadTimeout = 20.0,
    connect_timeout: ConnectTimeout = 10.0,
    max_bytes: MaxBodyBytes = "10MiB",
    retries: Retries = 3,
    allow_private: AllowPrivate = False,
    allow_address: AllowAddress = None,
    no_http2: NoHttp2 = False,
    summary_json: Annotated[str | None, typer.Option(
        help="Also write each run's summary as JSON to this file (the latest run's).")]
    = None,
) -> None:
    """Crawl in a loop (for machines without cron): one summary line per run.

    Takes every option of crawl; a given --rejects or --summary-json file holds the
    latest run's, as it would after the same crawl run from cron.
    """
    from scraper.crawl.sources import parse_duration
    with _reported_errors():
        from scraper.jobs import schedule as schedule_job

        opts = _crawl_options(**{k: v for k, v in locals().items() if k in _CRAWL_OPTIONS})
        first = parse_duration(revisit, "--revisit") if revisit else None

        def on_run(summary: RunSummary) -> None:
            _crawl_lines(summary)
            if summary_json and not _write_summary(summary, summary_json):
                raise typer.Exit(EXIT_ERROR)

        summaries = schedule_job(seeds or [], output, sources=sources, pages=page or [],
                                 every=parse_duration(every, "--every"), iterations=iterations,
                                 max_depth=_seed_depth([*(seeds or []), *(page or [])],
                                                       sources, max_depth, revisit),
                                 revisit=first, on_run=on_run, **opts)
    last = summaries[-1] if summaries else None
    raise typer.Exit(last.exit_code if last is not None else 0)


class _MessageGuard(io.TextIOBase):
    """A message stream (stderr, or stdout carrying ``--explain``) that survives its
    reader going away.

    ``pagewash corpus … 2>&1 | head -1`` closes the pipe after one line; the next reject
    line then raised BrokenPipeError and the run died with nothing published, and so did
    ``pagewash clean … -o out.jsonl --explain | head``. Messages are for a reader: when
    there is none left they are dropped, and the run goes on to write its output and
    rejects file as it would have. The descriptor is pointed at /dev/null at the same
    time, so worker processes and the exit-time flush stay quiet.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._broken = False

    def write(self, text: str) -> int:
        if not self._broken:
            try:
                self._stream.write(text)
            except BrokenPipeError:
                self._gone()
        return len(text)

    def flush(self) -> None:
        if not self._broken:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._gone()

    def _gone(self) -> None:
        self._broken = True
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)

    def isatty(self) -> bool:
        return not self._broken and self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._stream.errors

    def writable(self) -> bool:
        return True


def main() -> None:
    if not isinstance(sys.stderr, _MessageGuard):
        sys.stderr = _MessageGuard(sys.stderr)
    app(prog_name="pagewash")


if __name__ == "__main__":
    main()
