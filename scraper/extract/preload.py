"""Imported by the forkserver before it forks extraction workers: loads the extraction
stack once, so every worker starts warm and shares those pages copy-on-write."""

from __future__ import annotations

from scraper.extract.workers import warm_up

warm_up()
