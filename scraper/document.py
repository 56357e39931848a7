"""The in-flight document every pipeline step passes along.

A :class:`Document` is deliberately looser than the output record: readers fill in
what they know, steps add to it, and only the final step turns it into a
:class:`scraper.record.Record` with every field normalised and validated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cleaners.result import Removal

__all__ = ["Document", "Removal"]


@dataclass(slots=True)
class Document:
    """A page or dump on its way through a pipeline.

    ``source`` always names where the item came from (``path``, ``path:line``,
    ``path@offset`` or a URL) so that errors and rejects can point at it.
    ``meta`` holds input fields that steps may use or carry through (``authors``,
    ``published``, HTTP headers, ...).
    """

    source: str
    text: str = ""
    html: str | bytes | None = None
    id: str | int | None = None  # an input's own id is carried through as given
    url: str | None = None
    title: str | None = None
    language: str | None = None
    removed: list[Removal] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
