"""Readers: files, directories, globs and stdin in; :class:`~scraper.document.Document` out.

Only :class:`Reader` is public; the format modules are implementation details that
the reader dispatches to by file name and magic bytes (see :mod:`.sources`).
"""

from __future__ import annotations

from scraper.readers.reader import Reader

__all__ = ["Reader"]
