"""The Python API behind each command; the CLI is a thin layer over these functions.

>>> from scraper.jobs import clean_files
>>> summary = clean_files(["dumps/"], "clean.jsonl.gz")
>>> summary.records_out, summary.rejected
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from cleaners import Cleaner
from scraper.document import Document
from scraper.explain import DEFAULT_HTML_LIMIT, ExplainHtml, explain_text
from scraper.readers import Reader
from scraper.runner import OutputOptions, RunSummary, run_job
from scraper.steps.clean import TRACE_KEY, CleanStep

DEFAULT_MAX_BYTES = 50 * 2**20


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
    validate: bool = False,
    progress: bool = False,
    explain_out: TextIO | None = None,
    err: TextIO | None = None,
) -> RunSummary:
    """Clean text dumps (files, directories, globs, JSONL, WARC/WET, ``-``) into records."""
    reader = Reader(inputs, mode="text", text_field=text_field, encoding=encoding,
                    max_bytes=max_bytes)
    cleaner = Cleaner(disabled=tuple(disable), detect_lang=detect_language)
    trace = explain or explain_html is not None
    step = CleanStep(cleaner, trace=trace)
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

    summary = run_job(
        "clean", reader, [step],
        OutputOptions(output, rejects, shard_records, shard_bytes, with_removed, validate),
        after_write=after_write if trace else None, progress=progress, err=err,
    )
    if page is not None:
        summary.stats["explain_html"] = str(page.close())
    return summary
