"""Clean many documents with :mod:`cleaners`: in this process, or in a pool of worker
processes with a per-document time limit, results always in input order.

The pool is the shared :class:`scraper.workers.WorkerPool`. A worker gets a document's
text, title and URL (:class:`CleanJob`) and sends back the pickled
:class:`~cleaners.result.CleanResult`; the step applies it to the document in the
parent, so records, statistics and ``--explain`` traces are the same with any number
of workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, TypeAlias

from cleaners.result import CleanResult
from scraper.workers import (
    KILL_GRACE,
    ItemFailure,
    ItemTimeout,
    Labels,
    PoolTask,
    Timer,
    WorkerPool,
    describe,
    time_limit,
)

if TYPE_CHECKING:
    # (imported where a cleaner is built: the block model brings numpy, which
    # processes that only pass documents on, such as a crawl's, need not load)
    from cleaners.cleaner import Cleaner

DEFAULT_TIMEOUT = 120.0  # seconds; a multi-megabyte dump takes several
CLEANING = Labels(work="cleaning", item="document", failed="clean-failed")

Outcome = CleanResult | ItemFailure


@dataclass(slots=True)
class CleanJob:
    """One document to clean: only what the cleaner reads travels to a worker."""

    text: str
    source: str
    title: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class CleanerSpec:
    """How to build the cleaner, sent to workers instead of a :class:`Cleaner`: a
    pickled cleaner carries its block model (megabytes) into every worker, a spec a few
    bytes, and the worker builds the cleaner on the model its preload already loaded."""

    disabled: tuple[str, ...] = ()
    detect_lang: bool = True

    def build(self) -> Cleaner:
        """This process's cleaner for the spec (built once, then reused)."""
        return _built(self)


@cache
def _built(spec: CleanerSpec) -> Cleaner:
    from cleaners.cleaner import Cleaner

    return Cleaner(disabled=spec.disabled, detect_lang=spec.detect_lang)


CleanerSource: TypeAlias = "Cleaner | CleanerSpec"


def clean_one(job: CleanJob, cleaner: CleanerSource, timeout: float | None) -> Outcome:
    """Clean one document; every failure becomes an :class:`ItemFailure`, never an
    exception, so that one bad document is one reject."""
    if isinstance(cleaner, CleanerSpec):
        cleaner = cleaner.build()
    timer = Timer()
    try:
        with time_limit(timeout) as timer:
            return cleaner.clean(job.text, title=job.title, url=job.url)
    except ItemTimeout:
        return CLEANING.timed_out(job.source, timeout)
    except Exception as exc:  # a cleaner bug on one document must not end the run
        if timer.expired:  # ItemTimeout caught and re-raised as something else
            return CLEANING.timed_out(job.source, timeout)
        return ItemFailure("clean-failed", f"{job.source}: cleaner failed: {describe(exc)}")


_SAMPLE = (
    "Home | News | Sport | Contact\n"
    "Warm-up headline for the cleaner\n"
    "This document loads the block model, the chrome vocabularies and the language "
    "profiles once, before the first real document, so that loading time never counts "
    "against a document's time limit.\n"
    "Share this article\n"
    "© 2024 Warm-up Media. All rights reserved.\n"
)
_warm = False


def warm_up() -> None:
    """Load the cleaner's lazy tables (block model, every language's vocabulary,
    language profiles) outside any time limit; later calls do nothing."""
    global _warm
    if _warm:
        return
    _warm = True
    from cleaners.vocab import available_languages, load_vocab

    for lang in available_languages():
        load_vocab((lang,))
    CleanerSpec().build().clean(_SAMPLE, url="http://warm-up.invalid/warm-up-headline")


CleanFn = Callable[[CleanJob, CleanerSource, "float | None"], Outcome]


class CleanPool(WorkerPool[CleanJob, CleanResult]):
    """``workers`` cleaning processes with a per-document ``timeout``."""

    def __init__(
        self,
        workers: int,
        cleaner: CleanerSource | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT,
        start_method: str | None = None,
        func: CleanFn = clean_one,
        kill_grace: float = KILL_GRACE,
    ) -> None:
        """``func`` (a module-level function, so workers can import it) cleans one
        document; replacing it is for tests of dying workers."""
        source = CleanerSpec() if cleaner is None else cleaner
        task = PoolTask(func, CLEANING, (source, timeout), warm_up)
        super().__init__(workers, task, timeout=timeout, preload="scraper.steps.clean_preload",
                         start_method=start_method, kill_grace=kill_grace)
