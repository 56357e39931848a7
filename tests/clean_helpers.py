"""Misbehaving cleaner rules and task functions for the cleaning-pool tests; they run
inside worker processes, so they live in a module, not in a test function."""

from __future__ import annotations

import os
import time

from cleaners.blocks import BlockDoc
from cleaners.rules.base import Rule
from scraper.steps.clean_workers import CleanerSource, CleanJob, Outcome, clean_one


def _has(doc: BlockDoc, word: str) -> bool:
    return any(word in b.text for b in doc.blocks)


class TroubleRule(Rule):
    """A cleaner bug on demand: a document with ``EXPLODE`` makes the rule raise,
    ``CRASH`` kills the process (as a fault in C code would), ``SPIN`` loops in Python
    until the time limit stops it."""

    name = "trouble"

    def apply(self, doc: BlockDoc) -> None:
        if _has(doc, "EXPLODE"):
            raise ValueError("the trouble rule exploded")
        if _has(doc, "CRASH"):
            os._exit(7)
        while _has(doc, "SPIN"):
            time.sleep(0.01)


def crash_on_source(job: CleanJob, cleaner: CleanerSource, timeout: float | None) -> Outcome:
    """Documents whose source names ``crash`` kill their worker; others are cleaned."""
    if "crash" in job.source:
        os._exit(3)
    return clean_one(job, cleaner, timeout)


def slow_on_source(job: CleanJob, cleaner: CleanerSource, timeout: float | None) -> Outcome:
    """Documents whose source names ``slow`` take a second longer; others are cleaned."""
    if "slow" in job.source:
        import time

        time.sleep(1.0)
    return clean_one(job, cleaner, timeout)


class SlowRule(Rule):
    """Takes ``SLOW_SECONDS`` per document and removes nothing: a long run that a test
    can kill part-way without racing it."""

    name = "slow"
    SLOW_SECONDS = 0.15

    def apply(self, doc: BlockDoc) -> None:
        time.sleep(self.SLOW_SECONDS)
