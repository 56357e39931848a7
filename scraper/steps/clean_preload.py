"""Imported by the forkserver before it forks cleaning workers: loads the block model
and vocabularies once, so every worker starts warm and shares those pages
copy-on-write."""

from __future__ import annotations

from scraper.steps.clean_workers import warm_up

warm_up()
