"""Pipeline steps between readers and writers (cleaning, extraction, dedup, filters)."""

from __future__ import annotations

from scraper.steps.clean import CleanStep

__all__ = ["CleanStep"]
