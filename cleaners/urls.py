"""The page's address, read safely.

An input record's URL is a hint to the cleaners (slug words for the headline, a forum
or a section front), never a requirement, so an address that does not parse
("http://[bad/…") must read as no address rather than cost the document.
"""

from __future__ import annotations

from urllib.parse import SplitResult, unquote, urlsplit

from cleaners.blocks import WORD
from cleaners.normalize import fold_text

_FILE_TYPES = frozenset({"html", "htm", "php", "aspx"})


def split_url(url: str | None) -> SplitResult | None:
    """``urlsplit(url)``, or None when there is no address or it does not parse."""
    if not url:
        return None
    try:
        return urlsplit(url)
    except ValueError:
        return None


def url_words(url: str | None) -> set[str]:
    """Words of a URL's path ("/2025/09/04/top-nutrition-trends/" -> {"top", ...}), cut
    and folded as a block's words are, so the two can be compared: percent-escapes
    decoded (a Cyrillic slug), digits kept inside a word ("covid19"), bare numbers and
    file types left out."""
    parts = split_url(url)
    if parts is None:
        return set()
    path = fold_text(unquote(parts.path))
    words = {w for w in WORD.findall(path) if len(w) > 2 and not w.isdigit()}
    return words - _FILE_TYPES
