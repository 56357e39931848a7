"""Stand-ins for the extraction function, imported by worker processes in the
time-limit tests (they must live in a module, not in a test function)."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

from scraper.extract.core import Extracted, ExtractOptions, OutputFormat
from scraper.extract.workers import Outcome, PageJob, extract_one


def _spin(*_args: Any, **_kw: Any) -> Extracted:
    while True:  # pure Python: the worker's own timer interrupts it
        time.sleep(0.01)


def misbehaving(
    job: PageJob, output_format: OutputFormat, options: ExtractOptions, timeout: float | None
) -> Outcome:
    """Pages named ``*spin*`` loop in Python (the worker's timer stops them, the worker
    lives on), ``*stuck*`` ignore the timer as C code would (only the parent's kill
    helps), ``*crash*`` kill their worker; anything else is extracted for real."""
    if "spin" in job.source:
        return extract_one(job, output_format, options, timeout, run=_spin)
    if "stuck" in job.source:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(60)
    if "crash" in job.source:
        os._exit(3)
    return extract_one(job, output_format, options, timeout)


def worker_pid(
    job: PageJob, output_format: OutputFormat, options: ExtractOptions, timeout: float | None
) -> Outcome:
    """The worker's process id as the text (to see which worker served a page)."""
    time.sleep(0.05)  # long enough that one worker cannot take every page
    return Extracted(text=str(os.getpid()))
