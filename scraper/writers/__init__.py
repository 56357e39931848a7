"""Writers: atomic, optionally sharded record output as JSON Lines or Parquet.

:func:`open_output` picks the writer for an output path (``.parquet`` or JSON Lines);
:class:`JsonlWriter` writes any dicts, :class:`~scraper.writers.parquet.ParquetWriter`
(needs pyarrow, imported only when used) writes records; both share sharding and
commit semantics (:mod:`scraper.writers.base`). :class:`RejectsFile` is the rejects
sink for :class:`~scraper.pipeline.RunContext`, and :class:`WriteRecords` is the
pipeline step that turns documents into records.
"""

from __future__ import annotations

from scraper.writers.base import ShardedWriter, shard_path
from scraper.writers.jsonl import JsonlWriter, RejectsFile
from scraper.writers.output import RecordWriter, check_output, is_parquet, open_output
from scraper.writers.records import WriteRecords

__all__ = [
    "JsonlWriter",
    "RecordWriter",
    "RejectsFile",
    "ShardedWriter",
    "WriteRecords",
    "check_output",
    "is_parquet",
    "open_output",
    "shard_path",
]
