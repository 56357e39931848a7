"""Crawling: sources, discovery, scope, the frontier in the crawl state, and the loop.

>>> from scraper.jobs import crawl
>>> summary = crawl(["https://news.example.com/"], "articles.jsonl.gz")
>>> print(summary.one_line())

The pieces are usable on their own: :func:`load_sources` (TOML sources file),
:func:`normalize_url` and :class:`Scope`, :func:`parse_discovery` (feeds, sitemaps),
:func:`extract_links`, :class:`RevisitPolicy`, and :class:`Crawler` over any
:class:`scraper.state.CrawlState`.
"""

from scraper.crawl.crawler import CrawlConfig, Crawler, CrawlSummary, RevisitPolicy, run_crawl
from scraper.crawl.discovery import Discovered, extract_links, parse_discovery
from scraper.crawl.output import CrawlOutput, reconcile
from scraper.crawl.sources import (
    Source,
    load_sources,
    parse_duration,
    source_from_urls,
    sources_from_dict,
)
from scraper.crawl.urls import Scope, normalize_url

__all__ = [
    "CrawlConfig",
    "CrawlOutput",
    "CrawlSummary",
    "Crawler",
    "Discovered",
    "RevisitPolicy",
    "Scope",
    "Source",
    "extract_links",
    "load_sources",
    "normalize_url",
    "parse_discovery",
    "parse_duration",
    "reconcile",
    "run_crawl",
    "source_from_urls",
    "sources_from_dict",
]
