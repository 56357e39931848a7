"""Boilerplate cleaners for web-page text: named rules with provenance, a block
classifier and within-document de-duplication.

>>> from cleaners import clean
>>> result = clean(open("dump.txt").read())
>>> result.text, result.title, result.removed[:3]
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from cleaners.result import CleanResult, Removal

if TYPE_CHECKING:
    from cleaners.cleaner import Cleaner

__all__ = ["CleanResult", "Cleaner", "Removal", "clean"]


def __getattr__(name: str) -> Any:
    # The cleaner (and numpy, its block model) is imported when first asked for: code
    # that needs only a submodule (the record's word counts, normalisation) loads
    # ``cleaners`` too, and a crawl's main process, which cleans nothing, carried it.
    if name == "Cleaner":
        from cleaners.cleaner import Cleaner

        return Cleaner
    raise AttributeError(f"module 'cleaners' has no attribute {name!r}")


@cache
def _default() -> Cleaner:
    from cleaners.cleaner import Cleaner

    return Cleaner()


def clean(text: str, *, title: str | None = None, url: str | None = None) -> CleanResult:
    """Clean one dump with the default cleaner."""
    return _default().clean(text, title=title, url=url)
