"""Boilerplate cleaners for web-page text: named rules with provenance, a block
classifier and within-document de-duplication.

>>> from cleaners import clean
>>> result = clean(open("dump.txt").read())
>>> result.text, result.title, result.removed[:3]
"""

from __future__ import annotations

from functools import cache

from cleaners.cleaner import Cleaner
from cleaners.result import CleanResult, Removal

__all__ = ["CleanResult", "Cleaner", "Removal", "clean"]


@cache
def _default() -> Cleaner:
    return Cleaner()


def clean(text: str, *, title: str | None = None, url: str | None = None) -> CleanResult:
    """Clean one dump with the default cleaner."""
    return _default().clean(text, title=title, url=url)
