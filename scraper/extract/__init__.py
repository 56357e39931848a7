"""HTML mode: main content and metadata from web pages (``pagewash extract``).

>>> from scraper.extract import extract_html
>>> ex = extract_html(page_bytes, url="https://example.org/a", headers={"content-type": ...})
>>> ex.text, ex.title, ex.published

See :mod:`scraper.extract.core` for the stages; :func:`extract_html` and
:func:`apply_extracted` are the stable API the pipeline step and the crawler use.
"""

from __future__ import annotations

from scraper.extract.core import (
    DEFAULT_OPTIONS,
    Extracted,
    ExtractOptions,
    OutputFormat,
    apply_extracted,
    extract_html,
)

__all__ = [
    "DEFAULT_OPTIONS",
    "ExtractOptions",
    "Extracted",
    "OutputFormat",
    "apply_extracted",
    "extract_html",
]
