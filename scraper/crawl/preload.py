"""Imported by the extraction pool's forkserver before it forks any worker.

Warming the extractor up here puts its models and tables in memory that the workers
share copy-on-write rather than in one private copy per worker; ``gc.freeze`` then keeps
the garbage collector from writing to (and so un-sharing) those objects' pages in the
workers. A failure is ignored: each worker then warms up on its own (pool initializer),
which costs more memory but works.
"""

from __future__ import annotations

import contextlib
import gc

from scraper.crawl.work import warm_up

with contextlib.suppress(Exception):
    warm_up()
gc.collect()
gc.freeze()
