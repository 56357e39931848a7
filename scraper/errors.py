"""Exception hierarchy.

Every error pagewash raises on behalf of an input item carries the item's location
(file, line, WARC offset or URL) so that a reject can be written without the caller
having to remember where the item came from.
"""

from __future__ import annotations


class PagewashError(Exception):
    """Base class of every error pagewash raises on purpose."""


class ConfigError(PagewashError):
    """Bad command-line options or configuration files: the run cannot start."""


class InputError(PagewashError):
    """One input item (file, line, record, page) cannot be used.

    The run goes on; the item is counted and written to the rejects file with
    ``reason`` (a short machine-friendly code) and ``message`` (for people).
    """

    def __init__(self, source: str, reason: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.reason = reason
        self.message = message


class DecodeError(InputError):
    """Bytes that are not text in any encoding we can trust (binary files, bad UTF-8)."""


class FormatError(InputError):
    """Text that is not in the format its name promises (malformed JSON, broken WARC)."""


class TruncatedError(InputError):
    """A compressed stream or container that ends before it should."""


class TooLargeError(InputError):
    """An item over a configured size limit; refused rather than exhausting memory."""


class OutputError(PagewashError):
    """The output cannot be written (disk full, permissions): the run must stop."""
