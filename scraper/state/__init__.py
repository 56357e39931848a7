"""Crawl state: URLs with their fetch history and schedule, runs, committed outputs.

:class:`CrawlState` is the interface the crawl uses; :class:`SqliteState` (one WAL-mode
SQLite file) is the implementation; :class:`StateLock` keeps two runs off one state.
"""

from scraper.state.base import KINDS, CrawlState, NewUrl, OutputFile, UrlEntry, UrlUpdate
from scraper.state.lock import EXIT_LOCKED, StateLock
from scraper.state.sqlite import SqliteState

__all__ = ["EXIT_LOCKED", "KINDS", "CrawlState", "NewUrl", "OutputFile", "SqliteState",
           "StateLock", "UrlEntry", "UrlUpdate"]
