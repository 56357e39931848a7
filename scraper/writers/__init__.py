"""Writers: atomic, optionally sharded and compressed JSON Lines output.

:class:`JsonlWriter` writes any dicts, :class:`RejectsFile` is the rejects sink for
:class:`~scraper.pipeline.RunContext`, and :class:`WriteRecords` is the pipeline step
that turns documents into records.
"""

from __future__ import annotations

from scraper.writers.jsonl import JsonlWriter, RejectsFile, shard_path
from scraper.writers.records import WriteRecords

__all__ = ["JsonlWriter", "RejectsFile", "WriteRecords", "shard_path"]
