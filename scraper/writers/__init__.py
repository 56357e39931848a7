"""Writers: atomic, optionally sharded and compressed JSON Lines output.

:class:`JsonlWriter` writes any dicts, :class:`RejectsFile` is the rejects sink for
:class:`~scraper.pipeline.RunContext`, and :class:`WriteRecords` is the pipeline step
that turns documents into records. Sharding and commit semantics live in
:mod:`scraper.writers.base`, shared by every output format.
"""

from __future__ import annotations

from scraper.writers.base import ShardedWriter, shard_path
from scraper.writers.jsonl import JsonlWriter, RejectsFile
from scraper.writers.records import WriteRecords

__all__ = ["JsonlWriter", "RejectsFile", "ShardedWriter", "WriteRecords", "shard_path"]
