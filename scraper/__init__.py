"""pagewash: clean article records from web pages, crawls and text dumps.

The import package ``scraper`` holds records, readers, writers, pipelines, fetchers
and the command line; the sister package ``cleaners`` holds the boilerplate rules.
"""

from __future__ import annotations

__version__ = "0.1.0"


def main() -> None:
    """The ``pagewash`` command. The command line loads in about a third of a second
    (numpy, the cleaner); imported here, inside the guard, a Ctrl-C in that moment ends
    the command with status 130 and one line, as a Ctrl-C in a run does."""
    import sys

    try:
        from scraper.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:
        print("pagewash: interrupted", file=sys.stderr)
        raise SystemExit(130) from None
