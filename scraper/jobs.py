"""The Python API behind each command; the CLI is a thin layer over these functions.

>>> from scraper.jobs import clean_files
>>> summary = clean_files(["dumps/"], "clean.jsonl.gz")
>>> summary.records_out, summary.rejected
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from scraper.document import Document
from scraper.explain import DEFAULT_HTML_LIMIT, ExplainHtml, explain_text
from scraper.pipeline import Step
from scraper.readers import Reader
from scraper.runner import OutputOptions, RunSummary, check_outputs, run_files, run_job
from scraper.steps.clean import TRACE_KEY, CleanStep
from scraper.steps.clean_workers import DEFAULT_TIMEOUT as DEFAULT_CLEAN_TIMEOUT
from scraper.steps.clean_workers import CleanerSpec
from scraper.writers.lock import OutputLocks

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from scraper.crawl import CrawlSummary
    from scraper.fetch import FetchConfig
    from scraper.steps.filters import LanguageFilter, TooShort

DEFAULT_MAX_BYTES = 50 * 2**20


def check_timeout(timeout: float | None) -> float | None:
    """A per-document time limit in seconds; 0 or None is none. NaN or infinity would
    reach the timer and fail every document, so they are refused here, by name."""
    from scraper.errors import ConfigError

    if timeout is None or timeout == 0:
        return None
    if not math.isfinite(timeout) or timeout < 0:
        raise ConfigError(f"timeout must be a number of seconds (0: no limit), not {timeout:g}")
    return timeout


def check_rule_names(names: Sequence[str]) -> None:
    """Refuse a ``disable`` name that matches no rule before any work (in the workers,
    where the cleaner is built, it would fail every document instead)."""
    from cleaners import Cleaner
    from cleaners.cleaner import unknown_names
    from scraper.errors import ConfigError

    if not names:
        return
    unknown = unknown_names(names, Cleaner.removal_names())
    if unknown:
        raise ConfigError(f"unknown rule {', '.join(unknown)} (rules: "
                          f"{', '.join(Cleaner.rule_names())}, or a kind of one, such as "
                          "section.related)")


def clean_files(
    inputs: Sequence[str],
    output: str,
    *,
    text_field: str = "text",
    encoding: str = "utf-8",
    max_bytes: int = DEFAULT_MAX_BYTES,
    rejects: str | None = None,
    shard_records: int | None = None,
    shard_bytes: int | None = None,
    with_removed: bool = False,
    explain: bool = False,
    explain_html: str | None = None,
    explain_limit: int = DEFAULT_HTML_LIMIT,
    disable: Sequence[str] = (),
    detect_language: bool = True,
    workers: int = 1,
    timeout: float | None = DEFAULT_CLEAN_TIMEOUT,
    validate: bool = False,
    resume: bool = False,
    progress: bool | None = False,
    explain_out: SupportsWrite[str] | None = None,
    err: TextIO | None = None,
) -> RunSummary:
    """Clean text dumps (files, directories, globs, JSONL, WARC/WET, ``-``) into records.

    ``workers`` > 1 runs a process pool (same output, same order); a document over
    ``timeout`` seconds (``None``: no limit) is a reject, and the run goes on.
    ``resume`` appends to what an earlier run left in ``output`` and its rejects file,
    skipping the inputs they name (:mod:`scraper.resume`).
    """
    from scraper.errors import ConfigError

    if workers < 1:
        raise ConfigError(f"workers must be at least 1, not {workers}")
    timeout = check_timeout(timeout)
    check_rule_names(disable)
    reader = Reader(inputs, mode="text", text_field=text_field, encoding=encoding,
                    max_bytes=max_bytes)
    spec = CleanerSpec(disabled=tuple(disable), detect_lang=detect_language)
    trace = explain or explain_html is not None
    step = CleanStep(spec, trace=trace, workers=workers, timeout=timeout)
    page = ExplainHtml(explain_html, explain_limit) if explain_html else None
    # Explanations go to stdout unless the records do; then to stderr.
    explain_stream = explain_out or (sys.stderr if output == "-" else sys.stdout)

    def after_write(doc: Document) -> None:
        result = doc.meta.pop(TRACE_KEY, None)
        if result is None:
            return
        if explain:
            text = explain_text(doc, result)
            if text:
                print(text, file=explain_stream)
        if page is not None:
            page.add(doc, result)

    out = OutputOptions(output, rejects, shard_records, shard_bytes, with_removed, validate,
                        (("--explain-html", explain_html),) if explain_html else (),
                        resume=resume)
    with OutputLocks(run_files(out)):  # the page is written after the run: held till then
        summary = run_job("clean", reader, [step], out,
                          after_write=after_write if trace else None, progress=progress,
                          err=err)
        if page is not None:
            summary.stats["explain_html"] = str(page.close())
    return summary


# -- extract (issue 3) --------------------------------------------------------------------

DEFAULT_PAGE_MAX_BYTES = 20 * 2**20


def extract_files(
    inputs: Sequence[str],
    output: str,
    *,
    output_format: str = "text",
    workers: int = 1,
    timeout: float | None = 30.0,
    html_field: str = "html",
    max_bytes: int = DEFAULT_PAGE_MAX_BYTES,
    rejects: str | None = None,
    shard_records: int | None = None,
    shard_bytes: int | None = None,
    with_removed: bool = False,
    detect_language: bool = True,
    validate: bool = False,
    resume: bool = False,
    progress: bool | None = False,
    err: TextIO | None = None,
) -> RunSummary:
    """Extract article records from saved pages: HTML files (``.html``/``.htm``/``.gz``),
    directories, globs, JSONL with an ``html`` field, WARC response records, ``-``.

    ``workers`` > 1 runs a process pool (same output, same order); a page over
    ``timeout`` seconds or ``max_bytes`` bytes is a reject, and the run goes on.
    ``resume`` carries on an earlier run's output, as for :func:`clean_files`.
    """
    from scraper.errors import ConfigError
    from scraper.extract import ExtractOptions
    from scraper.steps.extract import ExtractStep

    if output_format not in ("text", "markdown"):
        raise ConfigError(f"unknown format {output_format!r} (use 'text' or 'markdown')")
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, not {workers}")
    if max_bytes <= 0:
        raise ConfigError(f"max_bytes must be positive, not {max_bytes}")
    timeout = check_timeout(timeout)
    out = OutputOptions(output, rejects, shard_records, shard_bytes, with_removed, validate,
                        resume=resume)
    with OutputLocks(run_files(out)):  # (before the output is read for --resume)
        if resume:
            from scraper.resume import check_resume_format

            check_resume_format(output, output_format,
                                sharded=bool(shard_records or shard_bytes))
        reader = Reader(inputs, mode="html", html_field=html_field, max_bytes=max_bytes)
        step = ExtractStep(
            output_format=output_format,  # type: ignore[arg-type]
            workers=workers,
            timeout=timeout,
            options=ExtractOptions(max_bytes=max_bytes, detect_language=detect_language),
        )
        return run_job("extract", reader, [step], out, progress=progress, err=err)


# -- corpus ------------------------------------------------------------------------------


def _published(output: str) -> Path | None:
    """The file (or first shard) an earlier run published under ``output``, if any."""
    from scraper.writers.base import shard_path

    if output == "-":
        return None
    return next((p for p in (Path(output), shard_path(output, 0)) if p.is_file()), None)


def _warn_undetectable(languages: Sequence[str], err: TextIO | None) -> None:
    """``--lang eng`` would drop every document the detector tags ``en``: say so at the
    start. Not an error: records that carry their own ``language`` may use other codes."""
    from cleaners.langid import detectable_languages

    known = detectable_languages()
    bases = {code.split("-")[0] for code in known}
    for code in languages:
        wanted = code.strip().lower()
        if wanted and wanted not in known and wanted not in bases:
            print(f"pagewash: warning: --lang {code}: the language detector never gives "
                  f"this code (it gives {', '.join(known)}); only records that carry it in "
                  "their own language field will be kept", file=err or sys.stderr)


def check_near_threshold(value: float, name: str) -> None:
    """A Jaccard similarity above 0 (0 would call every document a copy of the first)
    and at most 1; ``name`` is how the caller's user wrote it."""
    from scraper.errors import ConfigError

    if not 0.0 < value <= 1.0:
        raise ConfigError(f"{name} must be above 0 and at most 1, not {value:g}")


def corpus_files(
    inputs: Sequence[str],
    output: str,
    *,
    text_field: str = "text",
    min_words: int = 50,
    languages: Sequence[str] = (),
    disable: Sequence[str] = (),
    enable: Sequence[str] = (),
    redact_pii: bool = False,
    detect_language: bool = True,
    near_dedup: bool = True,
    near_threshold: float = 0.8,
    state: str | None = None,
    dropped: str | None = None,
    encoding: str = "utf-8",
    max_bytes: int = DEFAULT_MAX_BYTES,
    rejects: str | None = None,
    shard_records: int | None = None,
    shard_bytes: int | None = None,
    validate: bool = False,
    resume: bool = False,
    progress: bool | None = False,
    err: TextIO | None = None,
) -> RunSummary:
    """Make a training corpus: records (or any JSONL with a text field, text, WET) in;
    normalised, quality-filtered, language-tagged, deduplicated records out.

    Steps: Normalise -> DropEmpty -> LanguageFilter (``languages``; detects when a
    record has none) -> QualityFilter (``min_words``; ``disable`` and ``enable`` rule or
    group names, e.g. ``enable=["repetition"]`` for Gopher's repetition rules) ->
    RedactPII (``redact_pii``: e-mail and public IP addresses replaced) ->
    ExactDedup -> NearDedup (``near_threshold`` Jaccard; off with ``near_dedup=False``). ``state``
    (SQLite) makes dedup incremental across runs; ``dropped`` lists every dropped
    document with its reason. Drops are counted in ``summary.dropped``; malformed
    input is rejected as for every command.

    ``resume`` carries on a stopped run of the same output with the same options: its
    records seed the dedup index (:class:`~scraper.steps.dedup.OutputSeed`), their
    inputs are skipped, and everything else is judged again, so the output, the dropped
    list and the drop counts are those of one uninterrupted run.
    """
    from scraper.dedup import LshParams, open_index
    from scraper.errors import ConfigError
    from scraper.record import record_id
    from scraper.resume import ResumePoint, published_records
    from scraper.steps.dedup import ExactDedup, NearDedup, OutputSeed, ResumedOrder
    from scraper.steps.drops import DroppedFile
    from scraper.steps.filters import (
        DropEmpty,
        LanguageFilter,
        Normalise,
        QualityFilter,
        TooShort,
    )
    from scraper.steps.pii import RedactPII
    from scraper.writers import check_output

    check_output(output)  # before the state is opened: a missing extra must not touch it
    if resume and output == "-":  # (run_job says so too, after the state was made)
        raise ConfigError("--resume needs an output file: stdout keeps no earlier records")
    if languages and not detect_language:
        # Records without a language would all be dropped, the rest kept: no run means that.
        raise ConfigError("--lang keeps documents by their detected language; it cannot "
                          "be used with --no-language")
    _warn_undetectable(languages, err)
    check_near_threshold(near_threshold, "near_threshold")
    reader = Reader(inputs, mode="text", text_field=text_field, encoding=encoding,
                    max_bytes=max_bytes, record_fields=True)
    sink = DroppedFile(dropped) if dropped else None
    quality = QualityFilter(min_words=min_words, disable=disable, enable=enable, sink=sink)
    params = LshParams.for_threshold(near_threshold) if near_dedup else None
    out = OutputOptions(output, rejects, shard_records, shard_bytes, False, validate,
                        (("--dropped", dropped),) if dropped else (), resume=resume)
    # (run_job checks this too; here it comes before the state takes this run's settings)
    check_outputs(run_files(out), inputs)
    # Before the state is opened (a new one would be made), held until the --dropped
    # list is written after the run: a run refused here has written nothing.
    with OutputLocks(run_files(out)):
        index = open_index(state, params, near_threshold, redact_pii)
        # A state names documents of earlier outputs and drops them from every later run:
        # replacing such an output (the same command run again after a Ctrl-C) would lose
        # its documents for good; carrying it on (--resume) keeps them.
        existing = _published(output) if output != "-" else None
        try:
            if existing is not None and not resume and state is not None and (
                    held := index.documents()):
                raise ConfigError(
                    f"{existing} exists, and the state {state} holds {held} documents of "
                    "earlier runs: replacing the file would lose those it holds (the state "
                    "drops them from every later run as duplicates); write this run to a new "
                    "output name, or add --resume to carry on a run that was stopped")
            index.begin_run(output, resume=resume and existing is not None)
        except BaseException:
            index.close()
            raise
        # Language before quality: the word-length rule must know a text is Chinese or Thai.
        language = LanguageFilter(languages, detect=detect_language, sink=sink)
        steps: list[Step] = [Normalise(), DropEmpty(sink), language, quality]
        if redact_pii:
            # before dedup, so that copies differing only in an address are duplicates
            steps.append(RedactPII())
        steps.append(ExactDedup(index, sink))
        if params is not None:
            steps.append(NearDedup(index, threshold=near_threshold, params=params, sink=sink))
        order = ResumedOrder()
        if resume:
            steps.append(order)
        # Whether documents are being judged: a resumed run reads its output back first,
        # and an interrupt there must leave the stopped run's --dropped list, not an empty
        # one in its place.
        judging = not resume

        ids = _IdTally()

        def written(doc: Document) -> None:
            index.written(doc)
            ids.add(record_id(doc))

        def carry_on(point: ResumePoint) -> tuple[int, int] | None:
            """Seed the index with the earlier run's records; the fill of its last shard."""
            order.point = point
            seed = OutputSeed(index, threshold=near_threshold, params=params)
            short = next((r for r in quality.rules if isinstance(r, TooShort)), None)
            last = (0, 0)
            for path in point.outputs:
                last = (0, 0)
                for where, record, nbytes in published_records(path):
                    _check_resumed_record(where, record, short, language, redact_pii)
                    seed.add(where, record)
                    ids.add(record.get("id"))
                    last = (last[0] + 1, last[1] + nbytes)
            index.commit()  # those a kill -9 published but kept from the state
            if seed.added and state is not None:
                print(f"pagewash: {seed.added} records the earlier run published were not in "
                      f"the state {state} (killed before it committed them, or run without "
                      "it): added", file=err or sys.stderr)
            nonlocal judging
            judging = True
            return last if point.outputs else None

        try:
            summary = run_job(
                "corpus", reader, steps, out, after_write=written,
                on_commit=index.commit, on_resume=carry_on if resume else None,
                progress=progress, err=err,
            )
        except KeyboardInterrupt:
            if sink is not None and judging:
                sink.close()  # a second Ctrl-C keeps what was written, drops report included
            elif sink is not None:
                sink.abort()
            raise
        except BaseException:
            if sink is not None:
                sink.abort()
            raise
        finally:
            index.close()
        if sink is not None:
            summary.stats["dropped_path"] = sink.close()
        if state is not None:
            summary.stats["state"] = state
        if ids.repeated:
            summary.stats["repeated_ids"] = ids.repeated
            print(f"pagewash: warning: {ids.repeated} records share their id with an earlier "
                  f"record of this output (first: {', '.join(map(repr, ids.examples))}): "
                  "two texts under one input id, or one URL with different texts; keep one "
                  "per id, or give the inputs unique ids", file=err or sys.stderr)
        return summary


class _IdTally:
    """Ids of the records one output holds, to name repeats: ids are carried through from
    the input, and a URL's id is the same whatever its text, so two different texts
    can share one (a training corpus keyed by id then loses one of them silently). The
    exact-duplicate index already holds an entry per document; this adds one more."""

    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.repeated = 0
        self.examples: list[str] = []

    def add(self, record_id: Any) -> None:
        key = str(record_id)
        if key in self.seen:
            self.repeated += 1
            if len(self.examples) < 3:
                self.examples.append(key)
        else:
            self.seen.add(key)


def _check_resumed_record(where: str, record: dict[str, Any], short: TooShort | None,
                          language: LanguageFilter, redact_pii: bool) -> None:
    """Refuse to carry on an output this run would not have written: one of another
    command (an empty record, removed blocks) or of other options (too short, another
    language, an address --redact-pii replaces). Appending to it would give a corpus
    made by two sets of rules, and no uninterrupted run's output."""
    from scraper.errors import ConfigError
    from scraper.steps.pii import REPLACEMENTS, has_pii

    why = None
    text = record.get("text")
    if "removed" in record:
        why = "it lists removed blocks, which corpus never writes"
    elif not isinstance(text, str) or not text.strip() or "empty" in record.get("flags", ()):
        why = "it is empty, which corpus drops"
    elif short is not None and isinstance(record.get("word_count"), int) \
            and record["word_count"] < short.min_words \
            and not (redact_pii and any(r in text for r in REPLACEMENTS)):
        # (--min-words counted the words before --redact-pii replaced an address, the
        # record's word_count after: "jane.doe@example.org" is 4, its replacement 3)
        why = f"it has {record['word_count']} words, under --min-words {short.min_words}"
    elif language.keep and not language.wanted(record.get("language")):
        why = f"its language is {record.get('language')}, not one --lang keeps"
    elif redact_pii and has_pii(text):
        why = "it has an e-mail or IP address, which --redact-pii replaces"
    if why is not None:
        raise ConfigError(f"{where}: cannot resume: {why}; was the output written by "
                          "another command or with other options? Resume with the "
                          "options of the run that wrote it")


# -- crawl and schedule (issue 4) ---------------------------------------------------------


def crawl(
    seeds: Sequence[str] = (),
    output: str | None = None,
    *,
    sources: str | None = None,
    max_depth: int = 2,
    revisit: float | None = None,
    pages: Sequence[str] = (),
    fetch: FetchConfig | None = None,
    err: TextIO | None = None,
    **options: Any,
) -> CrawlSummary:
    """Crawl seed URLs and/or a sources file once: fetch what is new or due, extract,
    clean, append records. Options are :class:`scraper.crawl.CrawlConfig` fields
    (``state``, ``warc``, ``extract``, ``max_pages``, ``max_time``, ``workers``, ...);
    ``revisit`` (seconds) applies to the seed URLs' source; ``pages`` are articles to
    fetch and revisit for a record each (their links are not followed)."""
    from scraper.crawl.run import build_config, crawl_sources, gather_sources

    srcs = gather_sources(seeds, sources, max_depth=max_depth, revisit=revisit, pages=pages)
    return crawl_sources(srcs, build_config(output, fetch=fetch, **options), err=err)


def schedule(
    seeds: Sequence[str] = (),
    output: str | None = None,
    *,
    sources: str | None = None,
    every: float = 300.0,
    iterations: int | None = None,
    max_depth: int = 2,
    revisit: float | None = None,
    pages: Sequence[str] = (),
    fetch: FetchConfig | None = None,
    err: TextIO | None = None,
    on_run: Callable[[CrawlSummary], None] | None = None,
    **options: Any,
) -> list[CrawlSummary]:
    """Run :func:`crawl` in a loop (for machines without cron); see ``crawl`` for options.

    ``on_run`` sees each run's summary as the run ends (default: its line on ``err``).
    """
    from scraper.crawl.run import build_config, gather_sources, schedule_sources

    srcs = gather_sources(seeds, sources, max_depth=max_depth, revisit=revisit, pages=pages)
    return schedule_sources(srcs, build_config(output, fetch=fetch, **options), every=every,
                            iterations=iterations, err=err, on_run=on_run)
