"""The page's address, read safely.

An input record's URL is a hint to the cleaners (slug words for the headline, a forum
or a section front), never a requirement, so an address that does not parse
("http://[bad/…") must read as no address rather than cost the document.
"""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit


def split_url(url: str | None) -> SplitResult | None:
    """``urlsplit(url)``, or None when there is no address or it does not parse."""
    if not url:
        return None
    try:
        return urlsplit(url)
    except ValueError:
        return None
