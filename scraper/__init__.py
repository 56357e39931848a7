"""pagewash: clean article records from web pages, crawls and text dumps.

The import package ``scraper`` holds records, readers, writers, pipelines, fetchers
and the command line; the sister package ``cleaners`` holds the boilerplate rules.
"""

from __future__ import annotations

__version__ = "0.1.0"
