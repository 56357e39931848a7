"""Imported first by the forkserver of every worker pool (clean, extract, crawl), before
the modules that take seconds to load: from then on the forkserver and the workers it
forks ignore SIGINT and SIGTERM, and stopping is the parent's.

A Ctrl-C or ``systemctl stop`` signals the whole process group. Without this, a
forkserver still importing the cleaner would die with a traceback, and a worker would
die holding a document the run then counts as failed. Nothing else imports this module:
importing it is what switches the signals off.
"""

from __future__ import annotations

from scraper.workers import leave_stopping_to_parent

leave_stopping_to_parent()
